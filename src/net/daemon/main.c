/* main.c - zonefall-linkem: the userspace link emulator of one lab.
 *
 *   zonefall-linkem --dir DIR [--spin-us N] [--wake-max-us N] [--verbose]
 *
 * Reads DIR/config (missing: starts empty), binds its NFQUEUE queues,
 * then creates DIR/ctl.sock: from that moment it is ready. It does not
 * fork, and never touches firewall rules, qdiscs or routes. SIGTERM,
 * SIGINT or "quit": every held packet is released at once, the queues are
 * unbound, the socket removed, exit 0. Exit 2: bad usage or a bad initial
 * config; 3: environment error. See docs/linkem.md. */
#include "net/daemon/linkemd.h"
#include "net/linkem_config_int.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#define DEFAULT_SPIN_US 0
#define DEFAULT_WAKE_MAX_US 200
#define MAX_EVENTS 64

static int usage(void)
{
	fprintf(stderr, "usage: zonefall-linkem --dir DIR [--spin-us N] "
		"[--wake-max-us N] [--verbose]\n");
	return 2;
}

static int parse_args(int argc, char **argv, struct lkd *d)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "spin-us", required_argument, NULL, 's' },
		{ "wake-max-us", required_argument, NULL, 'w' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t spin_us = DEFAULT_SPIN_US, wake_us = DEFAULT_WAKE_MAX_US;
	int c;

	while ((c = getopt_long(argc, argv, "d:s:w:v", opts, NULL)) != -1) {
		if (c == 'd')
			d->dir = optarg;
		else if (c == 'v')
			zf_log_set_level(2);
		else if ((c != 's' && c != 'w') ||
			 zf_parse_u64(optarg, 10000,
					 c == 's' ? &spin_us : &wake_us) < 0)
			return -EINVAL;
	}
	if (!d->dir || optind != argc)
		return -EINVAL;
	d->spin_ns = spin_us * 1000;
	d->wake_lat_max_ns = wake_us * 1000;
	return 0;
}

static int setup_signals(struct lkd *d)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &d->sig_ev };
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0)
		return -errno;
	d->sig_ev = (struct lkd_ev){ .kind = LKD_EV_SIGNAL, .obj = NULL };
	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->sigfd, &ev) < 0 ? -errno : 0;
}

static void on_signal(struct lkd *d)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			continue;      /* no terminal to lose; reload is explicit */
		zf_debug("signal %u: stopping", si.ssi_signo);
		d->stop = true;
	}
}

static int setup(struct lkd *d)
{
	int rc;

	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (d->epfd < 0)
		return -errno;
	d->self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (d->self_ns < 0)
		return -errno;
	/* Wake-ups on time: the kernel may otherwise defer them 50 us. */
	(void)prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	d->rxbuf = zf_xmalloc((size_t)LKD_RECV_BATCH * LKD_RECV_MSG_MAX);
	for (int i = 0; i < LKD_RECV_BATCH; i++) {
		d->rxiov[i].iov_base = d->rxbuf + (size_t)i * LKD_RECV_MSG_MAX;
		d->rxiov[i].iov_len = LKD_RECV_MSG_MAX;
		memset(&d->rxmsgs[i], 0, sizeof(d->rxmsgs[i]));
		d->rxmsgs[i].msg_hdr.msg_iov = &d->rxiov[i];
		d->rxmsgs[i].msg_hdr.msg_iovlen = 1;
	}
	d->batch_tail = &d->batch;
	rc = lkd_timer_init(d);
	return rc < 0 ? rc : setup_signals(d);
}

static void dispatch(struct lkd *d, const struct epoll_event *ev)
{
	struct lkd_ev *e = ev->data.ptr;

	switch (e->kind) {
	case LKD_EV_QUEUE:
		lkd_queue_read(d, e->obj);
		break;
	case LKD_EV_CTL:
		lkd_ctl_event(d);
		break;
	case LKD_EV_SIGNAL:
		on_signal(d);
		break;
	case LKD_EV_TIMER:
		d->timer_fired = true;     /* re-armed (cleared) by the loop */
		break;
	}
}

static int run(struct lkd *d)
{
	struct epoll_event evs[MAX_EVENTS];

	while (!d->stop) {
		struct timespec ts;
		int n;

		lkd_sched_release_due(d, zf_now_ns());
		lkd_sched_flush(d);
		lkd_timer_sync(d);
		n = epoll_pwait2(d->epfd, evs, MAX_EVENTS,
				 lkd_timer_wait(d, &ts), NULL);
		if (n < 0 && errno != EINTR)
			return -errno;
		lkd_timer_woke(d, n);
		/* A reload may free queues whose events are further in EVS:
		 * then the rest waits for the next epoll_pwait2() (level
		 * triggered, nothing is lost). A client frees only itself. */
		d->events_stale = false;
		for (int i = 0; i < n && !d->events_stale; i++)
			dispatch(d, &evs[i]);
	}
	return 0;
}

static void teardown(struct lkd *d)
{
	lkd_queues_close_all(d);
	lkd_ctl_close_all(d);
	lkd_linkset_unref(d->cur);
	lkd_heap_free(&d->heap);
	lkd_pkt_pool_free(d);
	free(d->rxbuf);
	if (d->tfd >= 0)
		close(d->tfd);
	if (d->sigfd >= 0)
		close(d->sigfd);
	if (d->self_ns >= 0)
		close(d->self_ns);
	if (d->epfd >= 0)
		close(d->epfd);
}

int main(int argc, char **argv)
{
	struct lkd d = { .epfd = -1, .sigfd = -1, .self_ns = -1,
			 .tfd = -1 };
	char err[1024];
	int rc;

	if (parse_args(argc, argv, &d) < 0)
		return usage();
	rc = setup(&d);
	if (rc < 0) {
		zf_error("zonefall-linkem: setup: %s", strerror(-rc));
		return 3;
	}
	rc = lkd_reload(&d, err, sizeof(err));
	if (rc < 0) {
		zf_error("zonefall-linkem: %s", err);
		return rc == -EINVAL ? 2 : 3;
	}
	rc = lkd_ctl_listen(&d);
	if (rc < 0) {
		zf_error("zonefall-linkem: %s/ctl.sock: %s", d.dir,
			 strerror(-rc));
		teardown(&d);
		return 3;
	}
	zf_debug("zonefall-linkem: ready, %zu queues", d.nqueues);
	rc = run(&d);
	teardown(&d);
	if (rc < 0) {
		zf_error("zonefall-linkem: epoll: %s", strerror(-rc));
		return 3;
	}
	return 0;
}
