/* timeutil.h - clocks in nanoseconds. */
#ifndef ZF_UTIL_TIMEUTIL_H
#define ZF_UTIL_TIMEUTIL_H

#include <stdint.h>
#include <stddef.h>

#define ZF_NS_PER_MS 1000000ull
#define ZF_NS_PER_S 1000000000ull

uint64_t zf_now_ns(void);       /* CLOCK_MONOTONIC */
uint64_t zf_wall_ns(void);      /* CLOCK_REALTIME */
/* Sleep for NS, resuming after signals. */
void zf_sleep_ns(uint64_t ns);
/* Format a wall-clock time as ISO 8601 UTC with milliseconds into BUF. */
void zf_wall_format(uint64_t wall_ns, char *buf, size_t len);

#endif
