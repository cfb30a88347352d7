/* hist.h - a log-linear latency histogram (HdrHistogram-like): values are
 * nanoseconds from 1 us to 1000 s, bucketed so that any recorded value is
 * reproduced within 1% (128 linear sub-buckets per power of two: < 0.8%).
 * Histograms of the same shape merge by adding counts, so each probe thread
 * keeps its own and they are merged after the run (wrk2's approach). */
#ifndef ZF_PROBE_HIST_H
#define ZF_PROBE_HIST_H

#include <stddef.h>
#include <stdint.h>

struct zf_hist;

struct zf_hist *zf_hist_new(void);
void zf_hist_free(struct zf_hist *h);
void zf_hist_reset(struct zf_hist *h);

/* Record one value (clamped into the range). */
void zf_hist_add(struct zf_hist *h, uint64_t ns);
/* Add every count of SRC to DST. */
void zf_hist_merge(struct zf_hist *dst, const struct zf_hist *src);

uint64_t zf_hist_count(const struct zf_hist *h);
uint64_t zf_hist_min(const struct zf_hist *h);   /* 0 when empty */
uint64_t zf_hist_max(const struct zf_hist *h);   /* exact */
/* The value at quantile Q (0..1): the representative (mid) value of the
 * bucket holding it; 0 when empty. */
uint64_t zf_hist_quantile(const struct zf_hist *h, double q);

/* Visit non-empty buckets in order: representative value and count. */
void zf_hist_foreach(const struct zf_hist *h,
		     void (*fn)(uint64_t value_ns, uint64_t count, void *ctx),
		     void *ctx);

#endif
