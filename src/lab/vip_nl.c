/* vip_nl.c - netlink requests of the VIP segments (vip_priv.h). */
#include "lab/nl_priv.h"
#include "lab/vip_priv.h"

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

int zf_vipnl_bridge(struct zf_nl *nl, const char *name, int ifindex)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	struct nlattr *info;

	if (!name || !*name || strlen(name) >= IFNAMSIZ || ifindex <= 0)
		return -EINVAL;
	nlh = zf_nl_msg_start(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
			      sizeof(*ifm), (void **)&ifm);
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, info);
	zf_nl_msg_end(nl, nlh);
	return 0;
}

int zf_vipnl_enslave(struct zf_nl *nl, int ifindex, int master)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	if (ifindex <= 0 || master <= 0)
		return -EINVAL;
	nlh = zf_nl_msg_start(nl, RTM_NEWLINK, 0, sizeof(*ifm), (void **)&ifm);
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = IFF_UP;
	mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	zf_nl_msg_end(nl, nlh);
	return 0;
}

int zf_vipnl_addr_del(struct zf_nl *nl, int ifindex, uint32_t addr, int plen)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	if (ifindex <= 0 || plen < 0 || plen > 32)
		return -EINVAL;
	nlh = zf_nl_msg_start(nl, RTM_DELADDR, 0, sizeof(*ifa), (void **)&ifa);
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)plen;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put_u32(nlh, IFA_LOCAL, htonl(addr));
	zf_nl_msg_end(nl, nlh);
	return 0;
}

static int bad_prefix(uint32_t a, int plen)
{
	return plen < 0 || plen > 32 || (plen < 32 && (a & ~(~0u << (32 - plen))));
}

int zf_vipnl_rule(struct zf_nl *nl, uint32_t src, int plen, uint32_t table,
		  uint32_t prio)
{
	struct nlmsghdr *nlh;
	struct fib_rule_hdr *frh;

	if (bad_prefix(src, plen) || plen == 0 || table == 0)
		return -EINVAL;
	nlh = zf_nl_msg_start(nl, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL,
			      sizeof(*frh), (void **)&frh);
	frh->family = AF_INET;
	frh->src_len = (unsigned char)plen;
	frh->action = FR_ACT_TO_TBL;
	frh->table = table < 256 ? (unsigned char)table : RT_TABLE_UNSPEC;
	mnl_attr_put_u32(nlh, FRA_SRC, htonl(src));
	mnl_attr_put_u32(nlh, FRA_TABLE, table);
	mnl_attr_put_u32(nlh, FRA_PRIORITY, prio);
	zf_nl_msg_end(nl, nlh);
	return 0;
}

int zf_vipnl_table_route(struct zf_nl *nl, uint32_t dst, int plen, uint32_t gw,
			 int oif, uint32_t table)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	if (bad_prefix(dst, plen) || !gw || oif <= 0 || table == 0)
		return -EINVAL;
	nlh = zf_nl_msg_start(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
			      sizeof(*rtm), (void **)&rtm);
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = (unsigned char)plen;
	rtm->rtm_table = table < 256 ? (unsigned char)table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = ZF_RTPROT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	if (plen)
		mnl_attr_put_u32(nlh, RTA_DST, htonl(dst));
	mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(gw));
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)oif);
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	zf_nl_msg_end(nl, nlh);
	return 0;
}

struct addr_list {
	int ifindex;
	uint32_t *v;
	size_t max, n;
	int overflow;
};

static int on_addr(const struct nlmsghdr *nlh, void *data)
{
	struct addr_list *l = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)) ||
	    ifa->ifa_family != AF_INET || (int)ifa->ifa_index != l->ifindex)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ifa)) {
		if (mnl_attr_get_type(a) != IFA_LOCAL ||
		    mnl_attr_get_payload_len(a) != 4)
			continue;
		if (l->n == l->max) {
			l->overflow = 1;
			break;
		}
		l->v[l->n++] = ntohl(mnl_attr_get_u32(a));
	}
	return MNL_CB_OK;
}

int zf_vipnl_addrs(int ns_fd, int ifindex, uint32_t *out, size_t max, size_t *n)
{
	struct addr_list l = { .ifindex = ifindex, .v = out, .max = max };
	char buf[256];
	struct nlmsghdr *req = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *q;
	int rc;

	req->nlmsg_type = RTM_GETADDR;
	q = mnl_nlmsg_put_extra_header(req, sizeof(*q));
	q->ifa_family = AF_INET;
	rc = zf_nl_dump(ns_fd, req, on_addr, &l);
	if (rc == 0 && l.overflow)
		rc = -E2BIG;
	*n = l.n;
	return rc;
}
