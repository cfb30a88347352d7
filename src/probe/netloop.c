/* netloop.c - the scheduler of the socket loop: plan requests, send queued
 * ones on free connections, end those past their deadline, sleep on one
 * timerfd until the next thing that can happen.
 *
 * One iteration: wait for events; read the clock once (the completion time
 * of every reply in the batch: each had arrived by then); handle the
 * events; plan what is due; expire; dispatch; arm the timer. The timer is
 * armed only when the next wake-up is earlier than the one already set (a
 * wake-up that comes early costs one empty iteration), so a busy loop makes
 * no timer syscall per request. While requests are queued the loop does
 * not wake for planning at all: they are planned lazily when a connection
 * frees, and their latency runs from their planned time anyway. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "probe/netloop.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#define MAX_EVENTS 64

/* Tags of the two non-connection fds in the epoll set. */
static char tag_timer, tag_stop;

/* In-flight cap: the spec's connections, else ZF_PROBE_MAX_INFLIGHT, and
 * never more than half the descriptors the process may open. */
static size_t conn_cap(const struct zf_probe_spec *spec)
{
	size_t cap = spec->connections > 0 ? (size_t)spec->connections
					   : spec->keepalive ? 1
					   : ZF_PROBE_MAX_INFLIGHT;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    cap > rl.rlim_cur / 2)
		cap = rl.rlim_cur / 2 ? (size_t)(rl.rlim_cur / 2) : 1;
	return cap;
}

static int add_fd(int ep, int fd, void *tag)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.ptr = tag };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

int zf_netloop_new(const struct zf_probe_spec *spec,
		   const struct zf_proto *proto, struct zf_reqlog *log,
		   struct zf_probe_ctl *ctl, struct zf_netloop **out)
{
	struct zf_netloop *nl = zf_xcalloc(1, sizeof(*nl));
	int rc;

	nl->spec = spec;
	nl->proto = proto;
	nl->log = log;
	nl->ctl = ctl;
	nl->hard_end = UINT64_MAX;
	nl->max_conns = conn_cap(spec);
	nl->conns = zf_xcalloc(nl->max_conns, sizeof(*nl->conns));
	nl->rbuf = zf_xmalloc(ZF_NL_RBUF);
	nl->tfd = -1;
	nl->ep = epoll_create1(EPOLL_CLOEXEC);
	if (nl->ep < 0) {
		rc = -errno;
		goto fail;
	}
	nl->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (nl->tfd < 0) {
		rc = -errno;
		goto fail;
	}
	rc = add_fd(nl->ep, nl->tfd, &tag_timer);
	if (rc == 0)
		rc = add_fd(nl->ep, ctl->stop_fd, &tag_stop);
	if (rc < 0)
		goto fail;
	*out = nl;
	return 0;
fail:
	zf_netloop_free(nl);
	return rc;
}

void zf_netloop_free(struct zf_netloop *nl)
{
	if (!nl)
		return;
	for (size_t i = 0; i < nl->nconns; i++) {
		zf_conn_close(nl->conns[i]);
		free(nl->conns[i]);
	}
	if (nl->tfd >= 0)
		close(nl->tfd);
	if (nl->ep >= 0)
		close(nl->ep);
	free(nl->conns);
	free(nl->rbuf);
	free(nl);
}

/* A free connection: an idle one first (oldest first, so all stay warm),
 * then a closed one, then a new one under the cap; NULL if none. */
static struct zf_conn *take_conn(struct zf_netloop *nl)
{
	struct zf_conn *c = nl->idle.head;

	if (c) {
		zf_conn_list_remove(&nl->idle, c);
		return c;
	}
	c = nl->closed.head;
	if (c) {
		zf_conn_list_remove(&nl->closed, c);
		return c;
	}
	if (nl->nconns >= nl->max_conns)
		return NULL;
	c = zf_xcalloc(1, sizeof(*c));
	c->fd = -1;
	nl->conns[nl->nconns++] = c;
	return c;
}

static int has_free_conn(const struct zf_netloop *nl)
{
	return nl->idle.head || nl->closed.head || nl->nconns < nl->max_conns;
}

/* Send queued requests while connections are free. A name that did not
 * resolve fails each request at once, without a socket. */
static void dispatch(struct zf_netloop *nl)
{
	struct zf_reqlog *l = nl->log;
	struct zf_conn *c;

	while (nl->next_send < l->planned) {
		if (nl->spec->resolve_failed) {
			zf_reqlog_finish(l, nl->next_send++, nl->now, ZF_OUT_DNS);
			continue;
		}
		c = take_conn(nl);
		if (!c)
			return;
		zf_conn_start(nl, c, nl->next_send++);
	}
}

/* End queued and in-flight requests whose deadline has passed; after the
 * stop's hard end, all of them. */
static void expire(struct zf_netloop *nl)
{
	struct zf_reqlog *l = nl->log;
	uint64_t now = nl->now;
	int all = nl->stopping && now >= nl->hard_end;

	while (nl->next_send < l->planned &&
	       (all || zf_reqlog_at(l, nl->next_send) + l->timeout <= now))
		zf_reqlog_finish(l, nl->next_send++, now, ZF_OUT_TIMEOUT);
	while (nl->inflight.head &&
	       (all || zf_reqlog_at(l, nl->inflight.head->k) + l->timeout <= now))
		zf_conn_abort(nl, nl->inflight.head, ZF_OUT_TIMEOUT);
}

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* When the loop must wake up if no socket does: the deadline of the
 * oldest queued or in-flight request, the next planned request if it
 * could be sent, the stop's hard end. UINT64_MAX: nothing to wait for. */
static uint64_t next_wake(const struct zf_netloop *nl)
{
	const struct zf_reqlog *l = nl->log;
	uint64_t t = UINT64_MAX;

	if (nl->next_send < l->planned)
		t = zf_reqlog_at(l, nl->next_send) + l->timeout;
	else if (l->planned < l->limit &&
		 (nl->spec->resolve_failed || has_free_conn(nl)))
		t = zf_reqlog_at(l, l->planned);
	if (nl->inflight.head)
		t = min_u64(t, zf_reqlog_at(l, nl->inflight.head->k) + l->timeout);
	if (nl->stopping)
		t = min_u64(t, nl->hard_end);
	return t;
}

/* Have the timer fire by AT (CLOCK_MONOTONIC): re-armed only if that is
 * earlier than what it is set for. */
static void arm(struct zf_netloop *nl, uint64_t at)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };

	if (at == UINT64_MAX || (nl->armed && nl->armed <= at))
		return;
	its.it_value.tv_sec = (time_t)(at / ZF_NS_PER_S);
	its.it_value.tv_nsec = (long)(at % ZF_NS_PER_S);
	if (timerfd_settime(nl->tfd, TFD_TIMER_ABSTIME, &its, NULL) == 0)
		nl->armed = at;
}

/* Hand each event to its connection, note a fired timer, and begin
 * stopping once asked (the stop eventfd only wakes us; the flag tells). */
static void handle_events(struct zf_netloop *nl, struct epoll_event *evs,
			  int n)
{
	uint64_t stop_at;

	for (int i = 0; i < n; i++) {
		if (evs[i].data.ptr == &tag_timer)
			nl->armed = 0;
		else if (evs[i].data.ptr != &tag_stop)
			zf_conn_event(nl, evs[i].data.ptr, evs[i].events);
	}
	if (!nl->stopping &&
	    zf_probe_ctl_stopped(nl->ctl, &stop_at, &nl->hard_end)) {
		nl->stopping = 1;
		zf_reqlog_stop(nl->log, stop_at);
	}
}

void zf_netloop_run(struct zf_netloop *nl)
{
	struct epoll_event evs[MAX_EVENTS];
	int n;

	nl->now = zf_now_ns();
	for (;;) {
		zf_reqlog_plan(nl->log, nl->now);
		expire(nl);
		dispatch(nl);
		if (zf_reqlog_complete(nl->log) && !nl->inflight.head)
			return;
		arm(nl, next_wake(nl));
		n = epoll_wait(nl->ep, evs, MAX_EVENTS, -1);
		if (n < 0 && errno != EINTR) {
			/* Cannot happen with a valid epoll fd; never spin. */
			zf_warn("probe %s: epoll_wait: %s", nl->spec->name,
				strerror(errno));
			zf_sleep_ns(ZF_NS_PER_MS);
		}
		/* One clock read per batch: every reply in it had arrived
		 * by now. */
		nl->now = zf_now_ns();
		handle_events(nl, evs, n > 0 ? n : 0);
	}
}
