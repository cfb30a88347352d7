/* udp.c - queries over UDP, in batches: recvmmsg() up to SRV_BATCH
 * datagrams, answer each through the engine, sendmmsg() the replies; the
 * replies a 'slow' fault holds go to the delay heap instead. */
#include "dns/daemon/server.h"
#include "util/timeutil.h"

#include <errno.h>
#include <string.h>

/* Answer datagram I of the batch; true if its reply is to be sent now
 * (it is then message NT of the send batch). */
static bool handle_one(struct srv *s, struct srv_listener *l, int i, int nt,
		       uint64_t now)
{
	const struct dnsd_src src = { .resolver = l->id, .local = l->addr };
	const struct mmsghdr *m = &s->rxm[i];
	const uint8_t *q = s->rxbuf + (size_t)i * SRV_UDP_BUF;
	uint8_t *out = s->txbuf + (size_t)nt * SRV_UDP_BUF;
	struct dnsd_result res;

	l->st.queries++;
	if (m->msg_hdr.msg_flags & MSG_TRUNC) {
		/* Larger than any query we take: the header is all we
		 * trust (dnsd_handle() sees a cut message: FORMERR). */
		dnsd_handle(&s->eng, &src, q, LDNS_HEADER_SIZE + 1, out,
			    SRV_UDP_BUF, &res);
	} else {
		dnsd_handle(&s->eng, &src, q, m->msg_len, out, SRV_UDP_BUF,
			    &res);
	}
	srv_account(l, &res);
	if (res.verdict == DNSD_DROP) {
		l->st.dropped++;
		return false;
	}
	if (res.delay_ns) {
		if (srv_delay_push(s, l, NULL, &s->rxa[i], out, res.len,
				   now + res.delay_ns) < 0)
			l->st.dropped++;
		return false;
	}
	s->txv[nt] = (struct iovec){ .iov_base = out, .iov_len = res.len };
	memset(&s->txm[nt], 0, sizeof(s->txm[nt]));
	s->txm[nt].msg_hdr.msg_name = &s->rxa[i];
	s->txm[nt].msg_hdr.msg_namelen = sizeof(s->rxa[i]);
	s->txm[nt].msg_hdr.msg_iov = &s->txv[nt];
	s->txm[nt].msg_hdr.msg_iovlen = 1;
	return true;
}

static void send_batch(struct srv *s, struct srv_listener *l, int nt)
{
	int off = 0;

	while (off < nt) {
		int k = sendmmsg(l->udp_fd, s->txm + off, (unsigned)(nt - off),
				 MSG_DONTWAIT);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {           /* this one failed: skip it */
			l->st.dropped++;
			off++;
			continue;
		}
		l->st.answered += (uint64_t)k;
		off += k;
	}
}

void srv_udp_read(struct srv *s, struct srv_listener *l)
{
	for (int round = 0; round < SRV_UDP_ROUNDS && !l->closed; round++) {
		uint64_t now;
		int n, nt = 0;

		for (int i = 0; i < SRV_BATCH; i++) {
			s->rxm[i].msg_hdr.msg_namelen = sizeof(s->rxa[i]);
			s->rxm[i].msg_hdr.msg_flags = 0;
		}
		n = recvmmsg(l->udp_fd, s->rxm, SRV_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return;
		now = zf_now_ns();
		for (int i = 0; i < n; i++)
			nt += handle_one(s, l, i, nt, now);
		send_batch(s, l, nt);
		if (n < SRV_BATCH)
			return;
	}
}
