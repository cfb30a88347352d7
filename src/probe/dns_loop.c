/* dns_loop.c - the loop of dns probes: one UDP query per planned request,
 * sent when its time comes from sockets made in the probe's network
 * namespace (the thread is there already), replies matched to their
 * request, deadlines counted from planned times. Open loop: a query is
 * sent on time whatever happened to the ones before.
 *
 * Query IDs: request k owns slot k mod (nsock * 65536), that is socket
 * slot / 65536 and ID slot % 65536. nsock is chosen so that every request
 * that can be in flight (rate x timeout) has a slot of its own, up to
 * MAX_SOCKS sockets; a request that finds its slot still taken ends at once
 * as "other". slot[] holds k + 1 while request k waits (0: free): a late,
 * repeated or stray reply finds no request and is dropped. Requests end in
 * any order; `tail` walks past the finished ones so that the oldest
 * waiting request, the first to time out, is found in O(1) amortised.
 *
 * Sockets are unconnected (a server without a route is an error of each
 * query, not of the probe), read only from the server's address and port,
 * and have IP_RECVERR: an ICMP error for a query ends it at once as
 * refused or unreachable, as a resolver reports it (dns_icmp.c). A send
 * that fails is tried once more (the error may be one left by an earlier
 * ICMP), then ends the request by its errno. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "probe/dns_icmp.h"
#include "probe/dns_proto.h"
#include "probe/probe_int.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#define MAX_SOCKS 64
#define IDS 65536u
#define RBUF 65536u
#define MAX_EVENTS 64
#define READ_BATCH 64           /* datagrams per socket per wake-up */
#define TAG_TIMER UINT64_MAX
#define TAG_STOP (UINT64_MAX - 1)

struct zf_dnsloop {
	const struct zf_probe_spec *spec;
	struct zf_dns_proto *dp;
	struct zf_reqlog *log;
	struct zf_probe_ctl *ctl;
	int ep, tfd;
	int socks[MAX_SOCKS];
	size_t nsock, nslots;
	uint64_t *slot;                 /* [nslots]: k + 1 of the waiting
					   request, 0 when free */
	uint64_t tail;                  /* requests below have ended */
	uint64_t next_send;             /* requests below were sent or ended */
	uint64_t now;                   /* clock of this iteration */
	uint64_t armed;                 /* the timer's expiry, 0: not armed */
	uint64_t hard_end;
	int stopping;
	uint8_t *qbuf;                  /* the query; its ID set per request */
	uint8_t *rbuf;                  /* RBUF: replies are read here */
};

/* Sockets for RATE x TIMEOUT requests in flight: 1..MAX_SOCKS. */
static size_t socks_for(const struct zf_probe_spec *s)
{
	double inflight = s->rate * ((double)s->timeout_ns / ZF_NS_PER_S) + 2;
	double n = inflight / IDS + 1;

	return n >= MAX_SOCKS ? MAX_SOCKS : (size_t)n;
}

static int add_fd(int ep, int fd, uint32_t events, uint64_t tag)
{
	struct epoll_event ev = { .events = events, .data.u64 = tag };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

/* A non-blocking UDP socket with IP_RECVERR, watched (level-triggered)
 * for replies and errors as socket I. */
static int open_sock(struct zf_dnsloop *dl, size_t i)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int rc;

	if (fd < 0)
		return -errno;
	dl->socks[i] = fd;
	rc = zf_dns_icmp_enable(fd);
	if (rc == 0)
		rc = add_fd(dl->ep, fd, EPOLLIN, i);
	return rc;
}

static int open_fds(struct zf_dnsloop *dl)
{
	int rc;

	dl->ep = epoll_create1(EPOLL_CLOEXEC);
	if (dl->ep < 0)
		return -errno;
	dl->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (dl->tfd < 0)
		return -errno;
	rc = add_fd(dl->ep, dl->tfd, EPOLLIN | EPOLLET, TAG_TIMER);
	if (rc == 0)
		rc = add_fd(dl->ep, dl->ctl->stop_fd, EPOLLIN | EPOLLET,
			    TAG_STOP);
	for (size_t i = 0; rc == 0 && i < dl->nsock; i++)
		rc = open_sock(dl, i);
	return rc;
}

int zf_dnsloop_new(const struct zf_probe_spec *spec, struct zf_dns_proto *dp,
		   struct zf_reqlog *log, struct zf_probe_ctl *ctl,
		   struct zf_dnsloop **out)
{
	struct zf_dnsloop *dl = zf_xcalloc(1, sizeof(*dl));
	int rc;

	dl->spec = spec;
	dl->dp = dp;
	dl->log = log;
	dl->ctl = ctl;
	dl->ep = dl->tfd = -1;
	for (size_t i = 0; i < MAX_SOCKS; i++)
		dl->socks[i] = -1;
	dl->hard_end = UINT64_MAX;
	dl->nsock = socks_for(spec);
	dl->nslots = dl->nsock * IDS;
	dl->slot = zf_xcalloc(dl->nslots, sizeof(*dl->slot));
	dl->qbuf = zf_xmalloc(dp->qlen);
	memcpy(dl->qbuf, dp->query, dp->qlen);
	dl->rbuf = zf_xmalloc(RBUF);
	rc = open_fds(dl);
	if (rc < 0) {
		zf_dnsloop_free(dl);
		return rc;
	}
	*out = dl;
	return 0;
}

void zf_dnsloop_free(struct zf_dnsloop *dl)
{
	if (!dl)
		return;
	for (size_t i = 0; i < MAX_SOCKS; i++)
		if (dl->socks[i] >= 0)
			close(dl->socks[i]);
	if (dl->tfd >= 0)
		close(dl->tfd);
	if (dl->ep >= 0)
		close(dl->ep);
	free(dl->slot);
	free(dl->qbuf);
	free(dl->rbuf);
	free(dl);
}

/* The outcome of a send that failed with ERR. */
static enum zf_outcome send_outcome(int err)
{
	switch (err) {
	case ECONNREFUSED:
		return ZF_OUT_REFUSED;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENETDOWN:
		return ZF_OUT_UNREACHABLE;
	default:
		return ZF_OUT_OTHER;   /* EAGAIN, ENOBUFS, EPERM (a filter)... */
	}
}

/* Send the query on FD: 0, or the errno of the second failed try. */
static int send_query(struct zf_dnsloop *dl, int fd)
{
	const struct sockaddr *to = (const struct sockaddr *)&dl->spec->addr;
	int err = 0;

	for (int tries = 0; tries < 2; tries++) {
		if (sendto(fd, dl->qbuf, dl->dp->qlen, MSG_NOSIGNAL, to,
			   sizeof(dl->spec->addr)) >= 0)
			return 0;
		err = errno;
		if (err == EINTR)
			tries--;
	}
	return err;
}

/* Send request K's query, or end it if it cannot be sent. */
static void send_one(struct zf_dnsloop *dl, uint64_t k)
{
	size_t idx = (size_t)(k % dl->nslots);
	int err;

	if (dl->slot[idx]) {       /* more in flight than there are IDs */
		zf_reqlog_finish(dl->log, k, dl->now, ZF_OUT_OTHER);
		return;
	}
	dl->qbuf[0] = (uint8_t)(idx >> 8);
	dl->qbuf[1] = (uint8_t)idx;
	err = send_query(dl, dl->socks[idx / IDS]);
	if (err) {
		zf_reqlog_finish(dl->log, k, dl->now, send_outcome(err));
		return;
	}
	dl->slot[idx] = k + 1;
}

/* Send every planned request not sent yet; one whose deadline has passed
 * already (the loop woke late) ends as a timeout unsent. */
static void dispatch(struct zf_dnsloop *dl)
{
	struct zf_reqlog *l = dl->log;

	for (uint64_t k; (k = dl->next_send) < l->planned; dl->next_send++) {
		if (zf_reqlog_at(l, k) + l->timeout <= dl->now ||
		    (dl->stopping && dl->now >= dl->hard_end))
			zf_reqlog_finish(l, k, dl->now, ZF_OUT_TIMEOUT);
		else
			send_one(dl, k);
	}
}

/* End the waiting requests whose deadline has passed (all of them after
 * the stop's hard end), oldest first. */
static void expire(struct zf_dnsloop *dl)
{
	struct zf_reqlog *l = dl->log;
	int all = dl->stopping && dl->now >= dl->hard_end;

	for (uint64_t k; (k = dl->tail) < dl->next_send; dl->tail++) {
		size_t idx = (size_t)(k % dl->nslots);

		if (dl->slot[idx] != k + 1)
			continue;              /* ended already */
		if (!all && zf_reqlog_at(l, k) + l->timeout > dl->now)
			return;
		dl->slot[idx] = 0;
		zf_reqlog_finish(l, k, dl->now, ZF_OUT_TIMEOUT);
	}
}

/* Request waiting on socket S with ID ended as OUT (if one waits). */
static void end_id(struct zf_dnsloop *dl, size_t s, uint16_t id,
		   enum zf_outcome out, const uint8_t *reply, size_t len)
{
	size_t idx = s * IDS + id;
	uint64_t k1 = dl->slot[idx];

	if (!k1)
		return;
	dl->slot[idx] = 0;
	if (reply)
		out = zf_dns_reply_outcome(dl->dp, reply, len);
	zf_reqlog_finish(dl->log, k1 - 1, dl->now, out);
}

static int from_server(const struct zf_dnsloop *dl,
		       const struct sockaddr_in *a, socklen_t len)
{
	return len >= sizeof(*a) && a->sin_family == AF_INET &&
	       a->sin_addr.s_addr == dl->spec->addr.sin_addr.s_addr &&
	       a->sin_port == dl->spec->addr.sin_port;
}

/* Read socket S's replies (up to a batch; level-triggered epoll calls
 * again for the rest). Errors left by ICMP are skipped: the error queue
 * tells which query they were about. */
static void read_replies(struct zf_dnsloop *dl, size_t s)
{
	struct sockaddr_in from;
	socklen_t flen;
	ssize_t n;

	for (int i = 0; i < READ_BATCH; i++) {
		flen = sizeof(from);
		n = recvfrom(dl->socks[s], dl->rbuf, RBUF, MSG_DONTWAIT,
			     (struct sockaddr *)&from, &flen);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < ZF_DNS_HDR || !from_server(dl, &from, flen) ||
		    !(dl->rbuf[2] & 0x80))   /* not a response */
			continue;
		end_id(dl, s, (uint16_t)(dl->rbuf[0] << 8 | dl->rbuf[1]),
		       ZF_OUT_OTHER, dl->rbuf, (size_t)n);
	}
}

/* Drain socket S's error queue: each ICMP error about a query ends it. */
static void read_errors(struct zf_dnsloop *dl, size_t s)
{
	enum zf_outcome out;
	uint16_t id;
	int rc;

	while ((rc = zf_dns_icmp_read(dl->socks[s], &dl->spec->addr, &id,
				      &out)) >= 0)
		if (rc == 1)
			end_id(dl, s, id, out, NULL, 0);
	zf_dns_icmp_clear(dl->socks[s]);
}

static void handle_events(struct zf_dnsloop *dl, struct epoll_event *evs,
			  int n)
{
	uint64_t stop_at;

	for (int i = 0; i < n; i++) {
		uint64_t tag = evs[i].data.u64;

		if (tag == TAG_TIMER) {
			dl->armed = 0;
		} else if (tag < dl->nsock) {
			if (evs[i].events & EPOLLERR)
				read_errors(dl, (size_t)tag);
			if (evs[i].events & EPOLLIN)
				read_replies(dl, (size_t)tag);
		}
	}
	if (!dl->stopping &&
	    zf_probe_ctl_stopped(dl->ctl, &stop_at, &dl->hard_end)) {
		dl->stopping = 1;
		zf_reqlog_stop(dl->log, stop_at);
	}
}

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* When to wake if no socket does: the oldest waiting request's deadline,
 * the next planned request, the stop's hard end. */
static uint64_t next_wake(const struct zf_dnsloop *dl)
{
	const struct zf_reqlog *l = dl->log;
	uint64_t t = UINT64_MAX;

	if (dl->tail < dl->next_send)
		t = zf_reqlog_at(l, dl->tail) + l->timeout;
	if (l->planned < l->limit)
		t = min_u64(t, zf_reqlog_at(l, l->planned));
	if (dl->stopping)
		t = min_u64(t, dl->hard_end);
	return t;
}

/* Have the timer fire by AT: re-armed only when earlier than set. */
static void arm(struct zf_dnsloop *dl, uint64_t at)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };

	if (at == UINT64_MAX || (dl->armed && dl->armed <= at))
		return;
	its.it_value.tv_sec = (time_t)(at / ZF_NS_PER_S);
	its.it_value.tv_nsec = (long)(at % ZF_NS_PER_S);
	if (timerfd_settime(dl->tfd, TFD_TIMER_ABSTIME, &its, NULL) == 0)
		dl->armed = at;
}

void zf_dnsloop_run(struct zf_dnsloop *dl)
{
	struct epoll_event evs[MAX_EVENTS];
	int n;

	dl->now = zf_now_ns();
	for (;;) {
		zf_reqlog_plan(dl->log, dl->now);
		expire(dl);
		dispatch(dl);
		if (zf_reqlog_complete(dl->log))
			return;
		arm(dl, next_wake(dl));
		n = epoll_wait(dl->ep, evs, MAX_EVENTS, -1);
		if (n < 0 && errno != EINTR) {
			zf_warn("probe %s: epoll_wait: %s", dl->spec->name,
				strerror(errno));
			zf_sleep_ns(ZF_NS_PER_MS);
		}
		dl->now = zf_now_ns();
		handle_events(dl, evs, n > 0 ? n : 0);
	}
}
