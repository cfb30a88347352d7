/* hist.c - the log-linear latency histogram of hist.h.
 *
 * Layout (HdrHistogram's idea, sized for one fixed range): a value v with
 * highest set bit e is kept with its top 8 bits, so a bucket spans
 * 2^(e-7) ns, at most 1/128 of the values it holds. Values below 256 ns
 * have buckets of width 1. Index of v (e >= 7):
 *     128 * (e - 6) + ((v >> (e - 7)) - 128)
 * which is also v itself for v < 256. 1000 s < 2^40 ns, so e <= 39 and
 * there are 128 * 34 buckets: a fixed 34 KiB array, no allocation when
 * recording, merge by adding. */
#include "probe/hist.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

#define SUB_BITS 7
#define SUB_COUNT (1u << SUB_BITS)               /* 128 */
#define MAX_EXP 39                               /* 2^40 > 1e12 */
#define N_BUCKETS (SUB_COUNT * (MAX_EXP - SUB_BITS + 2))
#define LOWEST_NS 1000ull                        /* 1 us */
#define HIGHEST_NS 1000000000000ull              /* 1000 s */

struct zf_hist {
	uint64_t count;
	uint64_t min;      /* UINT64_MAX when empty */
	uint64_t max;
	uint64_t counts[N_BUCKETS];
};

static unsigned bucket_of(uint64_t v)
{
	unsigned e;

	if (v < 2 * SUB_COUNT)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v);
	return SUB_COUNT * (e - SUB_BITS + 1) +
	       (unsigned)((v >> (e - SUB_BITS)) - SUB_COUNT);
}

/* The middle of bucket I (its only value when it is 1 ns wide). */
static uint64_t bucket_mid(unsigned i)
{
	unsigned shift;
	uint64_t low;

	if (i < 2 * SUB_COUNT)
		return i;
	shift = i / SUB_COUNT - 1;
	low = (uint64_t)(SUB_COUNT + i % SUB_COUNT) << shift;
	return low + ((1ull << shift) >> 1);
}

struct zf_hist *zf_hist_new(void)
{
	struct zf_hist *h = zf_xmalloc(sizeof(*h));

	zf_hist_reset(h);
	return h;
}

void zf_hist_free(struct zf_hist *h)
{
	free(h);
}

void zf_hist_reset(struct zf_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void zf_hist_add(struct zf_hist *h, uint64_t ns)
{
	if (ns < LOWEST_NS)
		ns = LOWEST_NS;
	else if (ns > HIGHEST_NS)
		ns = HIGHEST_NS;
	h->counts[bucket_of(ns)]++;
	h->count++;
	if (ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
}

void zf_hist_merge(struct zf_hist *dst, const struct zf_hist *src)
{
	if (!src->count)
		return;
	for (unsigned i = 0; i < N_BUCKETS; i++)
		dst->counts[i] += src->counts[i];
	dst->count += src->count;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

uint64_t zf_hist_count(const struct zf_hist *h) { return h->count; }
uint64_t zf_hist_min(const struct zf_hist *h) { return h->count ? h->min : 0; }
uint64_t zf_hist_max(const struct zf_hist *h) { return h->max; }

/* The value of rank ceil(Q * count) (at least 1) in order of size: the
 * middle of its bucket, kept within the exact [min, max]; the first rank
 * is the minimum and the last the maximum, exactly. */
uint64_t zf_hist_quantile(const struct zf_hist *h, double q)
{
	uint64_t rank, seen = 0, v;
	double r;

	if (!h->count)
		return 0;
	if (!(q > 0))            /* also NaN */
		q = 0;
	if (q > 1)
		q = 1;
	r = q * (double)h->count;
	rank = (uint64_t)r;
	if ((double)rank < r)
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank >= h->count)
		return h->max;
	if (rank == 1)
		return h->min;
	for (unsigned i = bucket_of(h->min); i < N_BUCKETS; i++) {
		seen += h->counts[i];
		if (seen < rank)
			continue;
		v = bucket_mid(i);
		return v < h->min ? h->min : v > h->max ? h->max : v;
	}
	return h->max;
}

void zf_hist_foreach(const struct zf_hist *h,
		     void (*fn)(uint64_t value_ns, uint64_t count, void *ctx),
		     void *ctx)
{
	if (!h->count)
		return;
	for (unsigned i = bucket_of(h->min); i <= bucket_of(h->max); i++)
		if (h->counts[i])
			fn(bucket_mid(i), h->counts[i], ctx);
}
