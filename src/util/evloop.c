/* evloop.c - epoll + timerfd plumbing. */
#include "util/evloop.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

struct evloop {
	int epfd;
	bool stop;
};

int evloop_new(struct evloop **out)
{
	struct evloop *loop = zf_xcalloc(1, sizeof(*loop));

	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		int rc = -errno;

		free(loop);
		return rc;
	}
	*out = loop;
	return 0;
}

void evloop_free(struct evloop *loop)
{
	if (!loop)
		return;
	close(loop->epfd);
	free(loop);
}

int evloop_add(struct evloop *loop, struct evloop_watch *w, int fd,
	       uint32_t events, evloop_fd_fn cb, void *ctx)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	w->fd = fd;
	w->cb = cb;
	w->ctx = ctx;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	return 0;
}

int evloop_mod(struct evloop *loop, struct evloop_watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, w->fd, &ev) < 0)
		return -errno;
	return 0;
}

void evloop_del(struct evloop *loop, struct evloop_watch *w)
{
	/* Fails only if W was never added: nothing to undo then. */
	(void)epoll_ctl(loop->epfd, EPOLL_CTL_DEL, w->fd, NULL);
}

/* One event per epoll_wait(): see the header for why. The cost (one system
 * call per event) is irrelevant for an init's handful of descriptors. */
int evloop_run(struct evloop *loop)
{
	struct epoll_event ev;

	loop->stop = false;
	while (!loop->stop) {
		int n = epoll_wait(loop->epfd, &ev, 1, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 1) {
			struct evloop_watch *w = ev.data.ptr;

			w->cb(w, ev.events);
		}
	}
	return 0;
}

void evloop_stop(struct evloop *loop)
{
	loop->stop = true;
}

static void timer_ready(struct evloop_watch *w, uint32_t events)
{
	struct evloop_timer *t = w->ctx;
	uint64_t ticks;

	(void)events;
	/* Non-blocking: a timer re-armed or disarmed since epoll reported it
	 * reads EAGAIN and is not due. */
	if (read(t->w.fd, &ticks, sizeof(ticks)) != (ssize_t)sizeof(ticks))
		return;
	t->armed = false;
	t->cb(t);
}

int evloop_timer_init(struct evloop *loop, struct evloop_timer *t,
		      evloop_timer_fn cb, void *ctx)
{
	int fd, rc;

	memset(t, 0, sizeof(*t));
	t->w.fd = -1;
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	t->loop = loop;
	t->cb = cb;
	t->ctx = ctx;
	rc = evloop_add(loop, &t->w, fd, EPOLLIN, timer_ready, t);
	if (rc < 0) {
		close(fd);
		t->w.fd = -1;
	}
	return rc;
}

static void timer_set_flags(struct evloop_timer *t, uint64_t ns, int flags)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = (time_t)(ns / 1000000000u),
			      .tv_nsec = (long)(ns % 1000000000u) },
	};

	if (timerfd_settime(t->w.fd, flags, &its, NULL) < 0)
		ZF_BUG("timerfd_settime(%d): %s", t->w.fd, strerror(errno));
}

static void timer_set(struct evloop_timer *t, uint64_t ns)
{
	timer_set_flags(t, ns, 0);
}

void evloop_timer_arm_at(struct evloop_timer *t, uint64_t monotonic_ns)
{
	/* An absolute time in the past fires at once; 0 would disarm. */
	timer_set_flags(t, monotonic_ns ? monotonic_ns : 1, TFD_TIMER_ABSTIME);
	t->armed = true;
}

void evloop_timer_arm(struct evloop_timer *t, uint64_t ms)
{
	/* A zero it_value would disarm: use 1ns for "as soon as possible". */
	timer_set(t, ms ? ms * 1000000u : 1);
	t->armed = true;
}

void evloop_timer_disarm(struct evloop_timer *t)
{
	if (t->w.fd < 0)
		return;
	timer_set(t, 0);
	t->armed = false;
}

void evloop_timer_close(struct evloop_timer *t)
{
	if (t->w.fd < 0)
		return;
	evloop_del(t->loop, &t->w);
	close(t->w.fd);
	t->w.fd = -1;
	t->armed = false;
}
