/* exec.c - the loop of exec probes: each planned request runs the caller's
 * command function in the probe's thread, one at a time. A slow command
 * delays the requests planned meanwhile, and that delay is part of their
 * latency (measured from the planned time, as for sockets). A request
 * still waiting when its deadline passes ends as a timeout without
 * running. A running command is never interrupted: stopping waits for
 * it. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "probe/probe_int.h"
#include "util/timeutil.h"

/* Sleep until DEADLINE (CLOCK_MONOTONIC) or until the stop eventfd is
 * signalled, whichever comes first. */
static void wait_until(struct zf_probe_ctl *ctl, uint64_t deadline)
{
	struct pollfd pfd = { .fd = ctl->stop_fd, .events = POLLIN };
	uint64_t now = zf_now_ns(), d;
	struct timespec ts;

	if (deadline <= now)
		return;
	d = deadline - now;
	ts.tv_sec = (time_t)(d / ZF_NS_PER_S);
	ts.tv_nsec = (long)(d % ZF_NS_PER_S);
	/* The eventfd stays readable once stopped; the loop then never
	 * waits again, so it is not drained here. */
	ppoll(&pfd, 1, &ts, NULL);
}

/* Run request K now and record how it ended. */
static void run_one(const struct zf_probe_spec *spec, struct zf_reqlog *log,
		    uint64_t k)
{
	int code = -1;
	int rc = spec->exec(spec->exec_ctx, &code);
	enum zf_outcome out = rc < 0 ? ZF_OUT_OTHER :
			      code == 0 ? ZF_OUT_OK : ZF_OUT_STATUS;

	zf_reqlog_finish(log, k, zf_now_ns(), out);
}

void zf_exec_loop_run(const struct zf_probe_spec *spec, struct zf_reqlog *log,
		      struct zf_probe_ctl *ctl)
{
	uint64_t k = 0, now, stop_at, hard_end = UINT64_MAX, wake;
	int stopping = 0;

	for (;;) {
		/* The clock is read after the stop flag: now >= stop_at. */
		if (!stopping && zf_probe_ctl_stopped(ctl, &stop_at, &hard_end)) {
			stopping = 1;
			zf_reqlog_stop(log, stop_at);
		}
		now = zf_now_ns();
		zf_reqlog_plan(log, now);
		if (k < log->planned) {
			if (now >= hard_end ||
			    now >= zf_reqlog_at(log, k) + log->timeout)
				zf_reqlog_finish(log, k, now, ZF_OUT_TIMEOUT);
			else
				run_one(spec, log, k);
			k++;
			continue;
		}
		if (zf_reqlog_complete(log))
			return;
		wake = log->planned < log->limit ? zf_reqlog_at(log, log->planned)
						 : hard_end;
		wait_until(ctl, wake < hard_end ? wake : hard_end);
	}
}
