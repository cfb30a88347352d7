/* timer.c - waiting for the next release, in two stretches:
 *  - far (more than LKD_NEAR_NS ahead): a timerfd armed, absolute on
 *    CLOCK_MONOTONIC, at release - LKD_NEAR_NS; epoll sleeps without
 *    timeout. A timerfd has no slack however long the wait, where an epoll
 *    timeout gets 0.1% of itself (40 us for a 40 ms delay);
 *  - near: the epoll_pwait2() timeout itself, to the nanosecond, with at
 *    most 1 us of slack (PR_SET_TIMERSLACK is 1 ns). Measured on the
 *    reference VM, this wakes ~9 us after the time where a timerfd wake-up
 *    took ~18 us (median).
 * Waking takes time (tens of microseconds from an idle CPU): the loop
 * learns how late its timed wake-ups are (moving average, capped by
 * --wake-max-us, default 200; 0 turns this off) and sets its timeout that
 * much early, then polls (timeout 0) the few microseconds left. --spin-us
 * adds a fixed polling margin on top (default 0: measured worse end to end
 * on a busy 2-CPU machine, a task that spins long loses its CPU for whole
 * scheduler slices). */
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

struct timespec *lkd_timer_wait(struct lkd *d, struct timespec *ts)
{
	struct lkd_pkt *top = lkd_heap_top(&d->heap);
	uint64_t now = zf_now_ns(), left, margin, ns;

	d->wake_at = 0;
	if (!top || top->release_ns > now + LKD_NEAR_NS)
		return NULL;
	left = top->release_ns > now ? top->release_ns - now : 0;
	margin = d->spin_ns + d->wake_lat_ns;
	ns = left > margin ? left - margin : 0;
	if (ns)
		d->wake_at = now + ns;
	ts->tv_sec = (time_t)(ns / ZF_NS_PER_S);
	ts->tv_nsec = (long)(ns % ZF_NS_PER_S);
	return ts;
}

void lkd_timer_woke(struct lkd *d, int nevents)
{
	uint64_t now, late;

	if (!d->wake_at || nevents != 0 || d->wake_lat_max_ns == 0)
		return;            /* not a timed wake-up */
	now = zf_now_ns();
	late = now > d->wake_at ? now - d->wake_at : 0;
	if (late > d->wake_lat_max_ns)
		late = d->wake_lat_max_ns;
	/* Moving average over ~8 wake-ups. */
	d->wake_lat_ns = (d->wake_lat_ns * 7 + late) / 8;
}
