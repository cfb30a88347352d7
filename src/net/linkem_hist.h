/* linkem_hist.h - a latency histogram for the link emulator's per-link
 * figures: nanosecond values, 128 sub-buckets per power of two, values up
 * to 2^40 ns (~18 minutes; larger ones count in the top bucket; the
 * maximum is kept exactly). Each bucket also keeps the sum of its values,
 * and a quantile reports the mean of the values in its bucket: exact when
 * they are all equal, never further than the bucket's width (0.8%) from
 * the true value. About 52 KiB: allocate it only for links that see
 * packets. */
#ifndef ZF_NET_LINKEM_HIST_H
#define ZF_NET_LINKEM_HIST_H

#include <stdint.h>

#define ZF_LK_HIST_SUB 128
#define ZF_LK_HIST_TOP_EXP 40
#define ZF_LK_HIST_BUCKETS \
	(ZF_LK_HIST_SUB + (ZF_LK_HIST_TOP_EXP - 7) * ZF_LK_HIST_SUB)

struct zf_lk_hist {
	uint64_t count, max;
	double sum;
	uint32_t buckets[ZF_LK_HIST_BUCKETS];
	double sums[ZF_LK_HIST_BUCKETS];
};

/* A new, empty histogram (aborts if memory runs out); free() it. */
struct zf_lk_hist *zf_lk_hist_new(void);
void zf_lk_hist_add(struct zf_lk_hist *h, uint64_t v);
/* The value at quantile Q (0..1): the mean of its bucket, never above
 * the maximum (Q >= 1: the maximum). 0 for an empty or NULL histogram. */
uint64_t zf_lk_hist_quantile(const struct zf_lk_hist *h, double q);
/* Mean of the values added (exact sum), 0 when empty. */
double zf_lk_hist_mean(const struct zf_lk_hist *h);

#endif
