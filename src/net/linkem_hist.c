/* linkem_hist.c - log-linear buckets: values below 128 have their own
 * bucket; above, each octave [2^e, 2^(e+1)) has 128 equal buckets, each
 * with the count and the sum of its values. */
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

void zf_lk_hist_add(struct zf_lk_hist *h, uint64_t v)
{
	unsigned i = bucket_of(v);

	if (h->buckets[i] < UINT32_MAX) {     /* saturates at 4e9 */
		h->buckets[i]++;
		h->sums[i] += (double)v;
	}
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
	if (q >= 1.0)
		return h->max;
	if (q < 0.0)
		q = 0.0;
	rank = (uint64_t)ceil(q * (double)h->count);
	if (rank == 0)
		rank = 1;
	for (unsigned i = 0; i < ZF_LK_HIST_BUCKETS; i++) {
		seen += h->buckets[i];
		if (seen >= rank) {
			uint64_t mean = (uint64_t)llround(h->sums[i] /
							  h->buckets[i]);

			return mean < h->max ? mean : h->max;
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
