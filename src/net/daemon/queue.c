/* queue.c - one NFQUEUE queue: its netlink socket (created inside the
 * router's network namespace, where it stays bound), its raw socket for
 * duplicates, reading packets in batches and sending verdicts in batches
 * (many NFQNL_MSG_VERDICT messages per sendto(), in release order). */
#include "net/daemon/linkemd.h"
#include "util/log.h"
#include "util/nsstep.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <errno.h>
#include <netinet/in.h>    /* before the linux/ headers */
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define ACK_TIMEOUT_MS 2000

static void set_buf(int fd, int force, int plain, int bytes)
{
	if (setsockopt(fd, SOL_SOCKET, force, &bytes, sizeof(bytes)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, plain, &bytes, sizeof(bytes));
}

/* In the queue's netns: the NFQUEUE socket and the raw socket. */
static int make_sockets(struct lkd_queue *q)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1;

	q->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		       NETLINK_NETFILTER);
	if (q->fd < 0)
		return -errno;
	if (bind(q->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	set_buf(q->fd, SO_RCVBUFFORCE, SO_RCVBUF, LKD_RCVBUF);
	set_buf(q->fd, SO_SNDBUFFORCE, SO_SNDBUF, 4 * LKD_VBUF);
	/* Errors for verdicts without the echoed request. */
	(void)setsockopt(q->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one,
			 sizeof(one));
	q->rawfd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
			  IPPROTO_RAW);
	return q->rawfd < 0 ? -errno : 0;
}

static int send_buf(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	for (int tries = 0; tries < 3; tries++) {
		if (sendto(fd, buf, len, 0, (struct sockaddr *)&sa,
			   sizeof(sa)) >= 0)
			return 0;
		if (errno != EINTR && errno != ENOBUFS && errno != EAGAIN)
			return -errno;
	}
	return -errno;
}

/* Packets that arrive before the bind is acknowledged pass at once. */
static void accept_early(void *ctx, const struct lkd_meta *m)
{
	struct lkd_queue *q = ctx;

	lkd_queue_verdict(q, m->id, NF_ACCEPT, NULL, 0);
}

static int wait_ack(struct lkd *d, struct lkd_queue *q)
{
	uint64_t deadline = zf_now_ns() + ACK_TIMEOUT_MS * ZF_NS_PER_MS;
	struct pollfd p = { .fd = q->fd, .events = POLLIN };
	int rc = 0;

	while (rc == 0) {
		ssize_t n;

		if (zf_now_ns() >= deadline)
			return -ETIMEDOUT;
		if (poll(&p, 1, 100) < 0 && errno != EINTR)
			return -errno;
		n = recv(q->fd, d->rxbuf, LKD_RECV_MSG_MAX, MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN && errno != EINTR &&
		    errno != ENOBUFS)
			return -errno;
		if (n > 0)
			rc = lkd_msg_parse(d->rxbuf, (size_t)n, q, accept_early,
					   q);
		lkd_queue_flush(q);
	}
	return rc < 0 ? rc : 0;
}

static int bind_queue(struct lkd *d, struct lkd_queue *q, bool copy)
{
	char buf[256];
	size_t len;
	int rc;

	lkd_put_config(buf, &len, q->num, NFQNL_CFG_CMD_BIND, copy, true);
	rc = send_buf(q->fd, buf, len);
	if (rc == 0)
		rc = wait_ack(d, q);
	if (rc == 0)
		q->copy_packet = copy;
	return rc;
}

static void queue_free(struct lkd_queue *q)
{
	if (q->fd >= 0)
		close(q->fd);
	if (q->rawfd >= 0)
		close(q->rawfd);
	free(q->links);
	free(q->vbuf);
	free(q);
}

static const char *bind_hint(int rc)
{
	if (rc == -EPERM || rc == -EBUSY)
		return " (another process has bound this queue)";
	return "";
}

int lkd_queue_open(struct lkd *d, const struct zf_lk_queue_cfg *qc,
		   bool copy_packet, struct lkd_queue **out, char *err,
		   size_t errlen)
{
	struct lkd_queue *q = zf_xcalloc(1, sizeof(*q));
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &q->ev };
	const char *step = "cannot enter its network namespace";
	int rc;

	q->ev = (struct lkd_ev){ .kind = LKD_EV_QUEUE, .obj = q };
	q->id = qc->id;
	q->num = qc->num;
	snprintf(q->netns, sizeof(q->netns), "%s", qc->netns);
	q->fd = q->rawfd = -1;
	q->vbuf = zf_xmalloc(LKD_VBUF);
	rc = zf_nsstep_enter(qc->netns);
	if (rc == 0) {
		step = "cannot create its sockets";
		rc = make_sockets(q);
		zf_nsstep_return(d->self_ns);
	}
	if (rc == 0) {
		step = "cannot bind it";
		rc = bind_queue(d, q, copy_packet);
	}
	if (rc == 0 && epoll_ctl(d->epfd, EPOLL_CTL_ADD, q->fd, &ev) < 0) {
		step = "cannot watch it";
		rc = -errno;
	}
	if (rc < 0) {
		snprintf(err, errlen, "queue %u (number %u in %s): %s: %s%s",
			 qc->id, qc->num, qc->netns, step, strerror(-rc),
			 bind_hint(rc));
		queue_free(q);
		return rc;
	}
	*out = q;
	return 0;
}

int lkd_queue_set_mode(struct lkd_queue *q, bool copy_packet)
{
	char buf[256];
	size_t len;
	int rc;

	if (q->copy_packet == copy_packet)
		return 0;
	/* No ack: an error comes back as an error message, counted. */
	lkd_put_config(buf, &len, q->num, NFQNL_CFG_CMD_NONE, copy_packet,
		       false);
	rc = send_buf(q->fd, buf, len);
	if (rc == 0)
		q->copy_packet = copy_packet;
	return rc;
}

void lkd_queue_close(struct lkd *d, struct lkd_queue *q)
{
	char buf[256];
	size_t len;

	lkd_queue_flush(q);
	lkd_put_config(buf, &len, q->num, NFQNL_CFG_CMD_UNBIND, false, false);
	(void)send_buf(q->fd, buf, len);
	(void)epoll_ctl(d->epfd, EPOLL_CTL_DEL, q->fd, NULL);
	queue_free(q);
}

void lkd_queue_verdict(struct lkd_queue *q, uint32_t id, int verdict,
		       const uint8_t *payload, uint32_t len)
{
	size_t need = 128 + (payload ? MNL_ALIGN(len) : 0);
	struct nlmsghdr *nlh;

	if (q->vlen + need > LKD_VBUF)
		lkd_queue_flush(q);
	nlh = nfq_nlmsg_put(q->vbuf + q->vlen, NFQNL_MSG_VERDICT, q->num);
	nfq_nlmsg_verdict_put(nlh, (int)id, verdict);
	if (payload)
		nfq_nlmsg_verdict_put_pkt(nlh, payload, len);
	q->vlen += MNL_ALIGN(nlh->nlmsg_len);
}

void lkd_queue_flush(struct lkd_queue *q)
{
	int rc;

	if (q->vlen == 0)
		return;
	rc = send_buf(q->fd, q->vbuf, q->vlen);
	if (rc < 0) {
		q->verdict_errors++;
		zf_warn("queue %u: sending verdicts: %s", q->id, strerror(-rc));
	}
	q->vlen = 0;
}
