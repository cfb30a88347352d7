/* initlog.c - timestamped lifecycle lines on stderr. */
#include "host/initlog.h"
#include "util/fsutil.h"
#include "util/timeutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char log_host[64] = "init";

void initlog_set_host(const char *host)
{
	(void)zf_fmt(log_host, sizeof(log_host), "%s", host);
}

void initlog(const char *svc, const char *fmt, ...)
{
	char line[2048], ts[40];
	size_t n;
	va_list ap;
	int len;

	zf_wall_format(zf_wall_ns(), ts, sizeof(ts));
	len = snprintf(line, sizeof(line), "%s %s%s%s: ", ts, log_host,
		       svc ? "/" : "", svc ? svc : "");
	n = len < 0 ? 0 : (size_t)len;
	if (n < sizeof(line)) {
		va_start(ap, fmt);
		vsnprintf(line + n, sizeof(line) - n, fmt, ap);
		va_end(ap);
	}
	n = strlen(line);
	if (n == sizeof(line) - 1)
		n--;            /* truncated: make room for the newline */
	line[n++] = '\n';
	(void)zf_write_all(2, line, n);
}
