/* linkem_hist.c - log-linear buckets: values below 128 have their own
 * bucket; above, each octave [2^e, 2^(e+1)) has 128 equal buckets. */
#include "net/linkem_hist.h"
#include "util/mem.h"

#include <math.h>

struct zf_lk_hist *zf_lk_hist_new(void)
{
	return zf_xcalloc(1, sizeof(struct zf_lk_hist));
}

static unsigned bucket_of(uint64_t v)
{
	unsigned e, idx;

	if (v < ZF_LK_HIST_SUB)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v);          /* >= 7 */
	if (e >= ZF_LK_HIST_TOP_EXP)
		return ZF_LK_HIST_BUCKETS - 1;
	idx = ZF_LK_HIST_SUB + (e - 7) * ZF_LK_HIST_SUB +
	      (unsigned)((v >> (e - 7)) - ZF_LK_HIST_SUB);
	return idx;
}

/* The middle of bucket I. */
static uint64_t bucket_mid(unsigned i)
{
	unsigned e, sub;
	uint64_t low, width;

	if (i < ZF_LK_HIST_SUB)
		return i;
	e = 7 + (i - ZF_LK_HIST_SUB) / ZF_LK_HIST_SUB;
	sub = (i - ZF_LK_HIST_SUB) % ZF_LK_HIST_SUB;
	width = 1ull << (e - 7);
	low = ((uint64_t)ZF_LK_HIST_SUB + sub) << (e - 7);
	return low + (width - 1) / 2;
}

void zf_lk_hist_add(struct zf_lk_hist *h, uint64_t v)
{
	uint32_t *b = &h->buckets[bucket_of(v)];

	if (*b < UINT32_MAX)
		(*b)++;                 /* saturates after 4e9 in one bucket */
	h->count++;
	h->sum += (double)v;
	if (v > h->max)
		h->max = v;
}

uint64_t zf_lk_hist_quantile(const struct zf_lk_hist *h, double q)
{
	uint64_t rank, seen = 0;

	if (!h || h->count == 0)
		return 0;
	if (q < 0.0)
		q = 0.0;
	rank = (uint64_t)ceil(q * (double)h->count);
	if (rank == 0)
		rank = 1;
	for (unsigned i = 0; i < ZF_LK_HIST_BUCKETS; i++) {
		seen += h->buckets[i];
		if (seen >= rank) {
			uint64_t mid = bucket_mid(i);

			return mid < h->max ? mid : h->max;
		}
	}
	return h->max;
}

double zf_lk_hist_mean(const struct zf_lk_hist *h)
{
	if (!h || h->count == 0)
		return 0.0;
	return h->sum / (double)h->count;
}
