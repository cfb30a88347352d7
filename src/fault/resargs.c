/* resargs.c - parsing the arguments of the resource and service faults. */
#include "fault/resargs.h"
#include "spec/duration.h"
#include "spec/split.h"
#include "util/mem.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A decimal number with an optional fraction at the start of S: its value
 * in *V and the first character after it in *END. -EINVAL if none. */
static int number(const char *s, double *v, const char **end)
{
	const char *p = s;
	double x = 0, scale = 1;
	int digits = 0;

	for (; *p >= '0' && *p <= '9' && digits < 24; p++, digits++)
		x = x * 10 + (*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9' && digits < 24; p++, digits++)
			x += (*p - '0') * (scale /= 10);
	if (!digits || (*p >= '0' && *p <= '9'))
		return -EINVAL;
	*v = x;
	*end = p;
	return 0;
}

int zf_resargs_cpu(const char *s, unsigned *milli, char *err, size_t errlen)
{
	const char *end;
	double v;

	if (number(s, &v, &end) < 0 || (*end && strcmp(end, "%"))) {
		snprintf(err, errlen, "expected a share of one CPU like 0.25 or 25%%, "
			 "got '%.40s'", s);
		return -EINVAL;
	}
	if (*end == '%')
		v /= 100;
	v = round(v * 1000);
	if (v < ZF_RES_CPU_MIN_MILLI || v > ZF_RES_CPU_MAX_MILLI) {
		snprintf(err, errlen, "the CPU share must be from 0.01 (1%%) to 64 CPUs, "
			 "got '%.40s'", s);
		return -EINVAL;
	}
	*milli = (unsigned)v;
	return 0;
}

int zf_resargs_hogs(const char *s, unsigned *n, char *err, size_t errlen)
{
	const char *end;
	double v;

	if (!*s) {
		*n = 1;
		return 0;
	}
	if (number(s, &v, &end) < 0 || *end || v != floor(v) || v < 1 ||
	    v > ZF_RES_HOGS_MAX) {
		snprintf(err, errlen, "expected a number of busy processes from 1 to %u, "
			 "got '%.40s'", ZF_RES_HOGS_MAX, s);
		return -EINVAL;
	}
	*n = (unsigned)v;
	return 0;
}

/* The multiplier of a size unit ("", "k", "KiB", "mb", ...), or 0 when
 * UNIT is not one. */
static double unit_scale(const char *unit)
{
	static const char letters[] = "bkmgt";
	const char *l;
	double scale = 1;

	if (!*unit)
		return 1;
	l = strchr(letters, unit[0] | 0x20);
	if (!l)
		return 0;
	for (const char *p = letters + 1; p <= l; p++)
		scale *= 1024;
	unit++;
	if (!*unit)
		return scale;
	if (l > letters && (!strcasecmp(unit, "b") || !strcasecmp(unit, "ib")))
		return scale;
	return 0;
}

int zf_resargs_size(const char *s, unsigned long long min, unsigned long long max,
		    unsigned long long *bytes, char *err, size_t errlen)
{
	const char *end;
	double v, scale;

	if (number(s, &v, &end) < 0 || !(scale = unit_scale(end))) {
		snprintf(err, errlen, "expected a size like 64M, 1.5G or 4096, got '%.40s'",
			 s);
		return -EINVAL;
	}
	v = floor(v * scale);
	if (v < (double)min || v > (double)max) {
		snprintf(err, errlen, "the size must be from %llu to %llu bytes, got '%.40s'",
			 min, max, s);
		return -EINVAL;
	}
	*bytes = (unsigned long long)v;
	return 0;
}

int zf_resargs_fill(const char *s, unsigned long long *left, char *err, size_t errlen)
{
	if (!*s || !strcmp(s, "full")) {
		*left = 0;
		return 0;
	}
	return zf_resargs_size(s, 0, 64ull << 30, left, err, errlen);
}

int zf_resargs_skew(const char *s, long long *seconds, char *err, size_t errlen)
{
	int neg = *s == '-';
	uint64_t ns = 0;

	if (zf_duration_parse(s + (*s == '-' || *s == '+'), &ns) < 0 ||
	    ns % 1000000000ull || ns == 0 || ns / 1000000000ull > (uint64_t)ZF_RES_SKEW_MAX_S) {
		snprintf(err, errlen, "expected a clock offset in whole seconds like +90s, "
			 "-5m or +1h30m (at most 366 days), got '%.40s'", s);
		return -EINVAL;
	}
	*seconds = (long long)(ns / 1000000000ull) * (neg ? -1 : 1);
	return 0;
}

/* KEY=VALUE with KEY a portable environment name. */
static int is_env_word(const char *w)
{
	size_t n = strcspn(w, "=");

	if (!w[n] || !n || (w[0] >= '0' && w[0] <= '9'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(w[i] == '_' || (w[i] >= 'A' && w[i] <= 'Z') ||
		      (w[i] >= 'a' && w[i] <= 'z') || (w[i] >= '0' && w[i] <= '9')))
			return 0;
	return 1;
}

int zf_resargs_config(const char *s, char ***argv, char ***env, char *err,
		      size_t errlen)
{
	char **w = NULL, **e, **a;
	size_t n = 0, k = 0, off = 0;
	int rc = zf_split_argv(s, ZF_RES_WORDS_MAX, &w, err, errlen, &off);

	if (rc == -ENODATA || rc == -E2BIG)
		snprintf(err, errlen, rc == -E2BIG ? "more than %d words"
			 : "bad-config needs an alternative command line or KEY=VALUE "
			 "words", ZF_RES_WORDS_MAX);
	if (rc < 0)
		return -EINVAL;
	while (w[n])
		n++;
	while (k < n && is_env_word(w[k]))
		k++;
	e = zf_xcalloc(k + 1, sizeof(*e));
	a = zf_xcalloc(n - k + 1, sizeof(*a));
	for (size_t i = 0; i < n; i++) {
		if (i < k)
			e[i] = w[i];
		else
			a[i - k] = w[i];
	}
	free(w);
	*argv = a;
	*env = e;
	return 0;
}
