/* diskstats.c - see diskstats.h. */
#include "fault/diskstats.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const KEYS[] = { "ops", "delayed", "delay_us", "failed" };

int zf_diskstats_format(const struct zf_diskstats *s, char *buf, size_t len)
{
	int n = snprintf(buf, len, "ops %llu delayed %llu delay_us %llu failed %llu\n",
			 s->ops, s->delayed, s->delay_us, s->failed);

	return n < 0 || (size_t)n >= len ? -1 : n;
}

/* A decimal number at *P (before END), as the daemon writes it, that fits
 * 64 bits; *P moves past it. */
static int number(const char **p, const char *end, unsigned long long *v)
{
	const char *q = *p;

	*v = 0;
	if (q == end || *q < '0' || *q > '9')
		return -EINVAL;
	if (*q == '0' && q + 1 < end && q[1] >= '0' && q[1] <= '9')
		return -EINVAL;     /* the daemon writes no leading zeros */
	for (; q < end && *q >= '0' && *q <= '9'; q++) {
		unsigned d = (unsigned)(*q - '0');
		if (*v > (~0ull - d) / 10)
			return -EINVAL;
		*v = *v * 10 + d;
	}
	*p = q;
	return 0;
}

/* "KEY " at *P; *P moves past it. */
static int word(const char **p, const char *end, const char *key)
{
	size_t k = strlen(key);

	if ((size_t)(end - *p) < k + 1 || memcmp(*p, key, k) || (*p)[k] != ' ')
		return -EINVAL;
	*p += k + 1;
	return 0;
}

int zf_diskstats_parse(const char *text, size_t len, struct zf_diskstats *s)
{
	unsigned long long *v[] = { &s->ops, &s->delayed, &s->delay_us, &s->failed };
	const char *p = text, *end;

	if (!text || len == 0 || len > ZF_DISKSTATS_LINE_MAX)
		return -EINVAL;
	end = text + len;
	if (end[-1] == '\n')
		end--;
	for (size_t i = 0; i < 4; i++) {
		if (i && (p == end || *p++ != ' '))
			return -EINVAL;
		if (word(&p, end, KEYS[i]) < 0 || number(&p, end, v[i]) < 0)
			return -EINVAL;
	}
	return p == end ? 0 : -EINVAL;
}

void zf_diskstats_add(struct zf_diskstats *a, const struct zf_diskstats *b)
{
	a->ops += b->ops;
	a->delayed += b->delayed;
	a->delay_us += b->delay_us;
	a->failed += b->failed;
}

void zf_diskstats_describe(const struct zf_diskstats *s, enum zf_diskio_mode mode,
			   size_t hosts, char *buf, size_t len)
{
	char what[96];

	if (mode == ZF_DISKIO_SLOW)
		snprintf(what, sizeof(what), "%llu delayed (+%.1f ms each)", s->delayed,
			 s->delayed ? (double)s->delay_us / 1000.0 / (double)s->delayed : 0.0);
	else
		snprintf(what, sizeof(what), "%llu failed", s->failed);
	snprintf(buf, len, "disk: %llu operation%s on %zu host%s, %s", s->ops,
		 s->ops == 1 ? "" : "s", hosts, hosts == 1 ? "" : "s", what);
}
