/* queue_read.c - draining a queue socket: up to LKD_RECV_BATCH messages
 * per recvmmsg(), all stamped with one arrival time taken right after the
 * call returned. ENOBUFS means the socket overflowed and the kernel let
 * those packets through unemulated (fail-open): counted, not fatal. */
#include "net/daemon/linkemd.h"
#include "util/log.h"
#include "util/timeutil.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#define READ_ROUNDS 4          /* recvmmsg() calls per readable event */

struct read_ctx {
	struct lkd *d;
	struct lkd_queue *q;
	uint64_t now;
};

static void on_packet(void *ctx, const struct lkd_meta *m)
{
	struct read_ctx *rc = ctx;

	lkd_pkt_arrive(rc->d, rc->q, m, rc->now);
}

/* Returns the number of messages read, 0 when none is waiting. */
static int read_batch(struct lkd *d, struct lkd_queue *q)
{
	struct read_ctx ctx = { .d = d, .q = q };
	int n = recvmmsg(q->fd, d->rxmsgs, LKD_RECV_BATCH, MSG_DONTWAIT, NULL);

	if (n < 0) {
		if (errno == ENOBUFS) {
			q->enobufs++;
			return 1;          /* more may be waiting */
		}
		if (errno != EAGAIN && errno != EINTR)
			zf_warn("queue %u: receiving: %s", q->id,
				strerror(errno));
		return 0;
	}
	ctx.now = zf_now_ns();
	for (int i = 0; i < n; i++)
		(void)lkd_msg_parse(d->rxiov[i].iov_base, d->rxmsgs[i].msg_len,
				    q, on_packet, &ctx);
	return n;
}

void lkd_queue_read(struct lkd *d, struct lkd_queue *q)
{
	for (int round = 0; round < READ_ROUNDS; round++) {
		if (read_batch(d, q) < LKD_RECV_BATCH)
			break;
	}
}
