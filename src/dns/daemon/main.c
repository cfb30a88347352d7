/* main.c - zonefall-dns: the authoritative DNS server of one lab.
 *
 *   zonefall-dns --dir DIR [--verbose]
 *
 * Reads DIR/config (missing: starts with no zone and no listener), opens
 * its listeners, then creates DIR/ctl.sock: from that moment it is ready.
 * It does not fork. SIGTERM, SIGINT or "quit": every socket is closed,
 * held replies are dropped, the control socket is removed, exit 0. Exit 2:
 * bad usage or a bad initial config; 3: environment error. See
 * docs/dns.md. */
#include "dns/daemon/server.h"
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
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define MAX_EVENTS 64

static int usage(void)
{
	fprintf(stderr, "usage: zonefall-dns --dir DIR [--verbose]\n");
	return 2;
}

static int parse_args(int argc, char **argv, struct srv *s)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "d:v", opts, NULL)) != -1) {
		if (c == 'd')
			s->dir = optarg;
		else if (c == 'v')
			zf_log_set_level(2);
		else
			return -EINVAL;
	}
	return s->dir && optind == argc ? 0 : -EINVAL;
}

static int watch(struct srv *s, int fd, struct srv_ev *ev,
		 enum srv_ev_kind kind)
{
	struct epoll_event e = { .events = EPOLLIN, .data.ptr = ev };

	*ev = (struct srv_ev){ .kind = kind, .obj = NULL };
	return epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &e) < 0 ? -errno : 0;
}

static int setup_signals(struct srv *s)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	s->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->sigfd < 0)
		return -errno;
	return watch(s, s->sigfd, &s->sig_ev, SRV_EV_SIGNAL);
}

/* A one-second tick for closing idle TCP connections. */
static int setup_sweep(struct srv *s)
{
	struct itimerspec its = { .it_interval = { 1, 0 },
				  .it_value = { 1, 0 } };

	s->sweep_fd = timerfd_create(CLOCK_MONOTONIC,
				     TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->sweep_fd < 0 || timerfd_settime(s->sweep_fd, 0, &its, NULL) < 0)
		return -errno;
	return watch(s, s->sweep_fd, &s->sweep_ev, SRV_EV_SWEEP);
}

static void setup_buffers(struct srv *s)
{
	s->rxbuf = zf_xmalloc((size_t)SRV_BATCH * SRV_UDP_BUF);
	s->txbuf = zf_xmalloc((size_t)SRV_BATCH * SRV_UDP_BUF);
	s->tcpbuf = zf_xmalloc(DNSD_TCP_MAX + 2);
	for (int i = 0; i < SRV_BATCH; i++) {
		s->rxv[i].iov_base = s->rxbuf + (size_t)i * SRV_UDP_BUF;
		s->rxv[i].iov_len = SRV_UDP_BUF;
		memset(&s->rxm[i], 0, sizeof(s->rxm[i]));
		s->rxm[i].msg_hdr.msg_iov = &s->rxv[i];
		s->rxm[i].msg_hdr.msg_iovlen = 1;
		s->rxm[i].msg_hdr.msg_name = &s->rxa[i];
	}
}

static int setup(struct srv *s)
{
	struct rlimit rl;
	int rc;

	/* Room for every TCP connection. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0)
		return -errno;
	s->self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (s->self_ns < 0)
		return -errno;
	rc = dnsd_engine_init(&s->eng);
	if (rc == 0)
		rc = srv_delay_init(s);
	if (rc == 0)
		rc = setup_sweep(s);
	if (rc == 0)
		rc = setup_signals(s);
	setup_buffers(s);
	return rc;
}

static void on_signal(struct srv *s)
{
	struct signalfd_siginfo si;

	while (read(s->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			continue;       /* no terminal to lose; reload is explicit */
		zf_debug("zonefall-dns: signal %u: stopping", si.ssi_signo);
		s->stop = true;
	}
}

static void on_sweep(struct srv *s)
{
	uint64_t ticks;

	(void)!read(s->sweep_fd, &ticks, sizeof(ticks));
	srv_tcp_sweep(s, zf_now_ns());
}

static void dispatch(struct srv *s, const struct epoll_event *ev)
{
	struct srv_ev *e = ev->data.ptr;
	struct srv_listener *l = e->obj;

	switch (e->kind) {
	case SRV_EV_UDP:
		if (!l->closed)
			srv_udp_read(s, l);
		break;
	case SRV_EV_TCP_LISTEN:
		if (!l->closed)
			srv_tcp_accept(s, l);
		break;
	case SRV_EV_TCP:
		srv_tcp_event(s, e->obj, ev->events);
		break;
	case SRV_EV_CTL:
		srv_ctl_event(s);
		break;
	case SRV_EV_SIGNAL:
		on_signal(s);
		break;
	case SRV_EV_DELAY:
		srv_delay_fire(s);
		break;
	case SRV_EV_SWEEP:
		on_sweep(s);
		break;
	}
}

static int run(struct srv *s)
{
	struct epoll_event evs[MAX_EVENTS];

	while (!s->stop) {
		int n = epoll_wait(s->epfd, evs, MAX_EVENTS, -1);

		if (n < 0 && errno != EINTR)
			return -errno;
		/* Closed listeners and connections stay allocated (flagged)
		 * until the batch is done: see srv_reap(). */
		for (int i = 0; i < n; i++)
			dispatch(s, &evs[i]);
		srv_reap(s);
	}
	return 0;
}

static void teardown(struct srv *s)
{
	srv_ctl_close_all(s);
	srv_listeners_close_all(s);
	srv_delay_drop_all(s);
	srv_reap(s);
	dnsd_engine_free(&s->eng);
	free(s->rxbuf);
	free(s->txbuf);
	free(s->tcpbuf);
	int fds[] = { s->sweep_fd, s->sigfd, s->self_ns, s->epfd };
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (fds[i] >= 0)
			close(fds[i]);
	}
}

int main(int argc, char **argv)
{
	struct srv s = { .epfd = -1, .sigfd = -1, .self_ns = -1,
			 .delay_fd = -1, .sweep_fd = -1 };
	char err[1100];
	int rc;

	if (parse_args(argc, argv, &s) < 0)
		return usage();
	rc = setup(&s);
	if (rc == 0 && (rc = srv_reload(&s, err, sizeof(err))) < 0) {
		zf_error("zonefall-dns: %s", err);
		teardown(&s);
		return rc == -EINVAL ? 2 : 3;
	}
	if (rc == 0 && (rc = srv_ctl_listen(&s)) < 0)
		zf_error("zonefall-dns: %s/ctl.sock: %s", s.dir, strerror(-rc));
	else if (rc < 0)
		zf_error("zonefall-dns: setup: %s", strerror(-rc));
	if (rc == 0) {
		zf_debug("zonefall-dns: ready, %zu listeners", s.nls);
		rc = run(&s);
		if (rc < 0)
			zf_error("zonefall-dns: epoll: %s", strerror(-rc));
	}
	teardown(&s);
	return rc < 0 ? 3 : 0;
}
