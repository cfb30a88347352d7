#include "util/timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * ZF_NS_PER_S + (uint64_t)ts.tv_nsec;
}

uint64_t zf_now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }
uint64_t zf_wall_ns(void) { return clock_ns(CLOCK_REALTIME); }

void zf_sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / ZF_NS_PER_S),
			       .tv_nsec = (long)(ns % ZF_NS_PER_S) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

void zf_wall_format(uint64_t wall_ns, char *buf, size_t len)
{
	time_t secs = (time_t)(wall_ns / ZF_NS_PER_S);
	unsigned ms = (unsigned)(wall_ns % ZF_NS_PER_S / ZF_NS_PER_MS);
	struct tm tm;

	gmtime_r(&secs, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, ms);
}
