/* queue_msg.c - the netlink messages of an NFQUEUE socket: the config
 * request we send, and the packet/error messages the kernel sends back,
 * parsed with bounds checks (libmnl validates every attribute length). */
#include "net/daemon/linkemd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <string.h>

void lkd_put_config(char *buf, size_t *len, uint16_t num, int cmd,
		    bool copy_packet, bool ack)
{
	struct nlmsghdr *nlh = nfq_nlmsg_put(buf, NFQNL_MSG_CONFIG, num);
	uint32_t flags = NFQA_CFG_F_FAIL_OPEN;

	if (cmd != NFQNL_CFG_CMD_NONE)
		nfq_nlmsg_cfg_put_cmd(nlh, AF_INET, (uint8_t)cmd);
	if (cmd != NFQNL_CFG_CMD_UNBIND) {
		/* Payload only when a link needs it (corrupt, duplicate):
		 * then no GSO, so the kernel segments super-packets and
		 * resolves partial checksums before copying. */
		if (!copy_packet)
			flags |= NFQA_CFG_F_GSO;
		nfq_nlmsg_cfg_put_params(nlh, copy_packet ? NFQNL_COPY_PACKET
					 : NFQNL_COPY_META,
					 copy_packet ? 0xffff : 0);
		nfq_nlmsg_cfg_put_qmaxlen(nlh, LKD_QUEUE_MAXLEN);
		mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(flags));
		mnl_attr_put_u32(nlh, NFQA_CFG_MASK,
				 htonl(NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO));
	}
	if (ack)
		nlh->nlmsg_flags |= NLM_F_ACK;
	*len = nlh->nlmsg_len;
}

static uint32_t attr_be32(const struct nlattr *a)
{
	return a ? ntohl(mnl_attr_get_u32(a)) : 0;
}

/* Fill M from one NFQNL_MSG_PACKET; -EINVAL if it has no usable header. */
static int parse_packet(const struct nlmsghdr *nlh, struct lkd_meta *m)
{
	struct nlattr *attr[NFQA_MAX + 1];
	const struct nfqnl_msg_packet_hdr *ph;

	memset(attr, 0, sizeof(attr));
	memset(m, 0, sizeof(*m));
	if (nfq_nlmsg_parse(nlh, attr) < 0 || !attr[NFQA_PACKET_HDR])
		return -EINVAL;
	ph = mnl_attr_get_payload(attr[NFQA_PACKET_HDR]);
	m->id = ntohl(ph->packet_id);
	m->indev = (int32_t)attr_be32(attr[NFQA_IFINDEX_INDEV]);
	m->outdev = (int32_t)attr_be32(attr[NFQA_IFINDEX_OUTDEV]);
	if (attr[NFQA_PAYLOAD]) {
		m->payload = mnl_attr_get_payload(attr[NFQA_PAYLOAD]);
		m->payload_len = mnl_attr_get_payload_len(attr[NFQA_PAYLOAD]);
		m->truncated = attr[NFQA_CAP_LEN] &&
			       attr_be32(attr[NFQA_CAP_LEN]) > m->payload_len;
	}
	return 0;
}

/* The error code of an NLMSG_ERROR (0 is an acknowledgement). */
static int error_code(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*e))
		return -EPROTO;
	return e->error;
}

int lkd_msg_parse(const void *buf, size_t len, struct lkd_queue *q,
		  void (*on_packet)(void *ctx, const struct lkd_meta *m),
		  void *ctx)
{
	const struct nlmsghdr *nlh = buf;
	int rem = (int)len, ret = 0;
	uint16_t pkt_type = (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET;

	while (mnl_nlmsg_ok(nlh, rem)) {
		struct lkd_meta m;

		if (nlh->nlmsg_type == NLMSG_ERROR) {
			int e = error_code(nlh);

			if (e < 0) {
				q->verdict_errors++;
				ret = e;
			} else if (ret == 0) {
				ret = 1;
			}
		} else if (nlh->nlmsg_type == pkt_type &&
			   parse_packet(nlh, &m) == 0) {
			on_packet(ctx, &m);
		}
		nlh = mnl_nlmsg_next(nlh, &rem);
	}
	return ret;
}
