/* diskioargs.c - parsing the arguments of disk-slow and disk-error. Only
 * libc: zonefall-diskfs compiles this file in. */
#include "fault/diskioargs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define WORDS_MAX 3
#define WORD_MAX 64

static const struct {
	const char *name;
	unsigned bit;
} op_names[] = {
	{ "read", ZF_DISKIO_READ }, { "write", ZF_DISKIO_WRITE },
	{ "fsync", ZF_DISKIO_FSYNC }, { "open", ZF_DISKIO_OPEN },
	{ "meta", ZF_DISKIO_META }, { "all", ZF_DISKIO_ALL },
};

static const struct {
	const char *name;
	int error;
} errno_names[] = {
	{ "EIO", EIO }, { "ENOSPC", ENOSPC }, { "EDQUOT", EDQUOT }, { "EROFS", EROFS },
	{ "EACCES", EACCES }, { "EPERM", EPERM }, { "EAGAIN", EAGAIN },
	{ "EBUSY", EBUSY }, { "ENOMEM", ENOMEM }, { "ETIMEDOUT", ETIMEDOUT },
};

#define N_OPS (sizeof(op_names) / sizeof(op_names[0]))
#define N_ERRNOS (sizeof(errno_names) / sizeof(errno_names[0]))

const char *zf_diskio_op_name(unsigned bit)
{
	for (size_t i = 0; i < N_OPS; i++)
		if (op_names[i].bit == bit)
			return op_names[i].name;
	return NULL;
}

const char *zf_diskio_errno_name(int error)
{
	for (size_t i = 0; i < N_ERRNOS; i++)
		if (errno_names[i].error == error)
			return errno_names[i].name;
	return NULL;
}

/* A decimal number at the start of S with at most MAX_WHOLE digits before
 * the point and 6 after it, as millionths in *N6; *END gets the first
 * character after it. -EINVAL if there is none or it is too long. */
static int fixed6(const char *s, int max_whole, unsigned long long *n6, const char **end)
{
	unsigned long long whole = 0, frac = 0, scale = 100000;
	const char *p = s;
	int digits = 0, fdigits = 0;

	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (digits >= max_whole)
			return -EINVAL;
		whole = whole * 10 + (unsigned long long)(*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, fdigits++) {
			if (fdigits >= 6)
				return -EINVAL;
			frac += (unsigned long long)(*p - '0') * scale;
			scale /= 10;
		}
		if (!fdigits)
			return -EINVAL;
	}
	if (!digits && !fdigits)
		return -EINVAL;
	*n6 = whole * 1000000ull + frac;
	*end = p;
	return 0;
}

static int parse_delay(const char *w, unsigned long long *us, char *err, size_t errlen)
{
	unsigned long long n6, unit = 0;
	const char *end;

	if (fixed6(w, 7, &n6, &end) == 0) {
		if (!strcmp(end, "us"))
			unit = 1;
		else if (!strcmp(end, "ms"))
			unit = 1000;
		else if (!strcmp(end, "s"))
			unit = 1000000;
	}
	if (!unit) {
		snprintf(err, errlen, "expected a delay like 50ms, 200us or 1.5s, got '%.40s'",
			 w);
		return -EINVAL;
	}
	*us = n6 * unit / 1000000ull;   /* n6 < 1e13: no overflow */
	if (*us < 1 || *us > ZF_DISKIO_DELAY_MAX_US) {
		snprintf(err, errlen, "the delay must be from 1us to 10s, got '%.40s'", w);
		return -EINVAL;
	}
	return 0;
}

static int parse_rate(const char *w, unsigned *ppm, char *err, size_t errlen)
{
	unsigned long long n6, v;
	const char *end;

	if (fixed6(w, 3, &n6, &end) < 0 || strcmp(end, "%")) {
		snprintf(err, errlen, "expected a rate like 10%% or 0.5%%, got '%.40s'", w);
		return -EINVAL;
	}
	v = n6 / 100;    /* millionths of a percent -> parts per million */
	if (v < 1 || v > ZF_DISKIO_RATE_FULL) {
		snprintf(err, errlen, "the rate must be from 0.0001%% to 100%%, got '%.40s'", w);
		return -EINVAL;
	}
	*ppm = (unsigned)v;
	return 0;
}

static int parse_errno(const char *w, int *error, char *err, size_t errlen)
{
	char list[160];
	size_t used = 0;

	for (size_t i = 0; i < N_ERRNOS; i++)
		if (!strcmp(w, errno_names[i].name)) {
			*error = errno_names[i].error;
			return 0;
		}
	list[0] = '\0';
	for (size_t i = 0; i < N_ERRNOS && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
					 i ? ", " : "", errno_names[i].name);
	snprintf(err, errlen, "unknown error '%.40s'; errors are: %s", w, list);
	return -EINVAL;
}

static int parse_ops(const char *w, unsigned *ops, char *err, size_t errlen)
{
	unsigned got = 0;

	for (const char *p = w;;) {
		size_t n = strcspn(p, ","), i;
		for (i = 0; i < N_OPS; i++)
			if (strlen(op_names[i].name) == n && !strncmp(p, op_names[i].name, n))
				break;
		if (i == N_OPS) {
			snprintf(err, errlen, "unknown operation '%.*s' in '%.40s'; operations "
				 "are: read, write, fsync, open, meta, all (comma-separated)",
				 (int)(n > 20 ? 20 : n), p, w);
			return -EINVAL;
		}
		got |= op_names[i].bit;
		if (!p[n])
			break;
		p += n + 1;
	}
	*ops = got;
	return 0;
}

/* Split S at blanks into at most WORDS_MAX words of WORD_MAX-1 bytes. */
static int split(const char *s, char w[WORDS_MAX][WORD_MAX], size_t *n, char *err,
		 size_t errlen)
{
	*n = 0;
	for (const char *p = s;;) {
		p += strspn(p, " \t");
		if (!*p)
			return 0;
		size_t len = strcspn(p, " \t");
		if (*n == WORDS_MAX || len >= WORD_MAX) {
			snprintf(err, errlen, "too many or too long words in '%.60s'", s);
			return -EINVAL;
		}
		memcpy(w[*n], p, len);
		w[(*n)++][len] = '\0';
		p += len;
	}
}

static int is_errno_word(const char *w)
{
	return w[0] == 'E' && w[1] >= 'A' && w[1] <= 'Z';
}

int zf_diskio_parse(enum zf_diskio_mode mode, const char *s, struct zf_diskio *out,
		    char *err, size_t errlen)
{
	char w[WORDS_MAX][WORD_MAX];
	int have_rate = 0, have_ops = 0, have_errno = 0, rc;
	size_t n, i = 0;

	memset(out, 0, sizeof(*out));
	out->mode = mode;
	out->ops = ZF_DISKIO_DEFAULT;
	out->error = EIO;
	out->rate_ppm = ZF_DISKIO_RATE_FULL;
	if (strnlen(s, ZF_DISKIO_TEXT_MAX + 1) > ZF_DISKIO_TEXT_MAX) {
		snprintf(err, errlen, "arguments longer than %d characters", ZF_DISKIO_TEXT_MAX);
		return -EINVAL;
	}
	if ((rc = split(s, w, &n, err, errlen)) < 0)
		return rc;
	if (mode == ZF_DISKIO_SLOW) {
		if (n == 0) {
			snprintf(err, errlen, "expected 'DELAY [OPS]', like '50ms' or '5ms write,fsync'");
			return -EINVAL;
		}
		if (n > 2) {
			snprintf(err, errlen, "expected 'DELAY [OPS]', got '%.60s'", s);
			return -EINVAL;
		}
		if ((rc = parse_delay(w[0], &out->delay_us, err, errlen)) < 0)
			return rc;
		return n == 2 ? parse_ops(w[1], &out->ops, err, errlen) : 0;
	}
	if (mode != ZF_DISKIO_ERROR) {
		snprintf(err, errlen, "unknown disk fault mode");
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		int *seen = strchr(w[i], '%') ? &have_rate
			    : is_errno_word(w[i]) ? &have_errno : &have_ops;
		if (*seen) {
			snprintf(err, errlen, "expected '[RATE] [OPS] [ERRNO]', each at most once, "
				 "got '%.60s'", s);
			return -EINVAL;
		}
		*seen = 1;
		rc = seen == &have_rate ? parse_rate(w[i], &out->rate_ppm, err, errlen)
		     : seen == &have_errno ? parse_errno(w[i], &out->error, err, errlen)
		     : parse_ops(w[i], &out->ops, err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void ops_text(unsigned ops, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	if (ops == ZF_DISKIO_ALL) {
		snprintf(buf, len, "all");
		return;
	}
	for (unsigned bit = 1; bit < ZF_DISKIO_ALL && used < len; bit <<= 1)
		if (ops & bit)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "," : "",
						 zf_diskio_op_name(bit));
}

void zf_diskio_describe(const struct zf_diskio *d, char *buf, size_t len)
{
	char ops[64];

	ops_text(d->ops, ops, sizeof(ops));
	if (d->mode == ZF_DISKIO_SLOW)
		snprintf(buf, len, "+%llu.%03llu ms on %s", d->delay_us / 1000,
			 d->delay_us % 1000, ops);
	else
		snprintf(buf, len, "%u.%04u%% of %s fail with %s", d->rate_ppm / 10000,
			 d->rate_ppm % 10000, ops, zf_diskio_errno_name(d->error) ?
			 zf_diskio_errno_name(d->error) : "?");
}

enum zf_diskio_mode zf_diskio_mode_of(const char *kind)
{
	if (!strcmp(kind, "disk-slow"))
		return ZF_DISKIO_SLOW;
	if (!strcmp(kind, "disk-error"))
		return ZF_DISKIO_ERROR;
	return 0;
}
