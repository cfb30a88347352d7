/* log.h - messages to the user, on stderr.
 *
 * The error contract of the project: functions return 0 or a negative errno
 * and the *caller that reports* builds the message (with the path and
 * strerror). These helpers only format and print; they never exit. */
#ifndef ZF_UTIL_LOG_H
#define ZF_UTIL_LOG_H

#include <stddef.h>

#define ZF_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Verbosity: 0 quiet, 1 normal (default), 2 debug. */
void zf_log_set_level(int level);
int zf_log_level(void);

void zf_error(const char *fmt, ...) ZF_PRINTF(1, 2);
void zf_warn(const char *fmt, ...) ZF_PRINTF(1, 2);
void zf_info(const char *fmt, ...) ZF_PRINTF(1, 2);
void zf_debug(const char *fmt, ...) ZF_PRINTF(1, 2);

/* snprintf into BUF that reports truncation: returns 0, or -ENAMETOOLONG when
 * the result did not fit (BUF then holds a truncated, terminated string). */
int zf_fmt(char *buf, size_t len, const char *fmt, ...) ZF_PRINTF(3, 4);

/* Programmer mistakes only (never input): print and abort. */
#define ZF_BUG(...) zf_bug(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void zf_bug(const char *file, int line, const char *fmt, ...)
	ZF_PRINTF(3, 4);

#endif
