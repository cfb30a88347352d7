/* expect.h - steady-state expectations: "metric op value".
 *
 *   availability >= 99.5%      p99 <= 300ms      errors == 0
 *   recovery <= 30s            impact >= 1s      outage < 5s
 * Metrics: availability (percent), p50 p90 p99 p99.9 max (latency), errors
 * (count), recovery, impact, outage (durations). Ops: >= <= > < == !=.
 * Durations are normalised to milliseconds, availability to percent. */
#ifndef ZF_SPEC_EXPECT_H
#define ZF_SPEC_EXPECT_H

#include <stddef.h>

enum zf_metric {
	ZF_M_AVAILABILITY, ZF_M_P50, ZF_M_P90, ZF_M_P99, ZF_M_P999, ZF_M_MAX,
	ZF_M_ERRORS, ZF_M_RECOVERY, ZF_M_IMPACT, ZF_M_OUTAGE, ZF_M_N
};
enum zf_op { ZF_OP_GE, ZF_OP_LE, ZF_OP_GT, ZF_OP_LT, ZF_OP_EQ, ZF_OP_NE };

struct zf_expect {
	char expr[128];        /* normalised text, "p99 <= 300ms" */
	enum zf_metric metric;
	enum zf_op op;
	double threshold;      /* % | ms | count */
};

/* Parse EXPR; 0, or -EINVAL with ERR saying what was expected. */
int zf_expect_parse(const char *expr, struct zf_expect *out, char *err,
		    size_t errlen);

/* Does MEASURED satisfy E? HAVE=0 means nothing was measured (e.g. no
 * recovery because nothing broke): "<" and "<=" and "!=" pass, others fail. */
int zf_expect_eval(const struct zf_expect *e, double measured, int have);

const char *zf_metric_name(enum zf_metric m);    /* "availability", "p99.9" */
const char *zf_metric_unit(enum zf_metric m);    /* "%", "ms", "" */
const char *zf_op_text(enum zf_op op);           /* ">=" */

#endif
