/* timer.c - waiting for the next release, in two stretches:
 *  - far (more than LKD_NEAR_NS ahead): a timerfd armed, absolute on
 *    CLOCK_MONOTONIC, at release - LKD_NEAR_NS; epoll sleeps without
 *    timeout. A timerfd has no slack however long the wait, where an epoll
 *    timeout gets 0.1% of itself (40 us for a 40 ms delay);
 *  - near: the epoll_pwait2() timeout itself, to the nanosecond, with at
 *    most 1 us of slack (PR_SET_TIMERSLACK is 1 ns). Measured on the
 *    reference VM, this wakes ~9 us after the time where a timerfd wake-up
 *    took ~18 us (median).
 * With --spin-us the timeout ends that much before the release and the
 * loop polls (timeout 0) until it is due; measured worse end to end on a
 * busy 2-CPU machine (a spinning task loses its CPU for whole slices), so
 * it is off by default. */
#include "net/daemon/linkemd.h"
#include "util/timeutil.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>

int lkd_timer_init(struct lkd *d)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &d->timer_ev };

	d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (d->tfd < 0)
		return -errno;
	d->timer_ev = (struct lkd_ev){ .kind = LKD_EV_TIMER, .obj = NULL };
	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->tfd, &ev) < 0 ? -errno : 0;
}

/* Arm at AT (0: disarm). Re-arming also clears a fired timer. */
static void arm(struct lkd *d, uint64_t at)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)(at / ZF_NS_PER_S);
	its.it_value.tv_nsec = (long)(at % ZF_NS_PER_S);
	(void)timerfd_settime(d->tfd, TFD_TIMER_ABSTIME, &its, NULL);
	d->armed_ns = at;
	d->timer_fired = false;
}

void lkd_timer_sync(struct lkd *d)
{
	struct lkd_pkt *top = lkd_heap_top(&d->heap);
	uint64_t want = 0;

	/* Near releases are the epoll timeout's: the timer stays off. */
	if (top && top->release_ns > zf_now_ns() + LKD_NEAR_NS)
		want = top->release_ns - LKD_NEAR_NS;
	if (want != d->armed_ns || d->timer_fired)
		arm(d, want);
}

struct timespec *lkd_timer_wait(const struct lkd *d, struct timespec *ts)
{
	struct lkd_pkt *top = lkd_heap_top(&d->heap);
	uint64_t now = zf_now_ns(), ns;

	if (!top || top->release_ns > now + LKD_NEAR_NS)
		return NULL;
	ns = top->release_ns > now + d->spin_ns ?
	     top->release_ns - now - d->spin_ns : 0;
	ts->tv_sec = (time_t)(ns / ZF_NS_PER_S);
	ts->tv_nsec = (long)(ns % ZF_NS_PER_S);
	return ts;
}
