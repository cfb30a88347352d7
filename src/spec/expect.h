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

/* Data-safety metrics of write probes, measured once by the lost-write
 * checker (probe/checker.h) after the final read, not from samples:
 *   lost == 0        unexpected == 0     recovered >= 0    unknown < 50
 *   failed > 0       acknowledged >= 100 attempted > 0     valid == true
 * Counts are whole numbers; valid takes true or false (1 or 0) with == or
 * != only. An expectation on one has METRIC = ZF_M_N (it is no sample
 * metric: code that switches on METRIC sees no metric it knows) and DATA
 * set; probe/checker.h's zf_check_expect evaluates it. */
enum zf_data_metric {
	ZF_DM_NONE = 0, ZF_DM_ATTEMPTED, ZF_DM_ACKNOWLEDGED, ZF_DM_FAILED,
	ZF_DM_UNKNOWN, ZF_DM_LOST, ZF_DM_UNEXPECTED, ZF_DM_RECOVERED,
	ZF_DM_VALID, ZF_DM_N
};

struct zf_expect {
	char expr[128];        /* normalised text, "p99 <= 300ms" */
	enum zf_metric metric;
	enum zf_op op;
	double threshold;      /* % | ms | count (valid: 1 true, 0 false) */
	enum zf_data_metric data;   /* ZF_DM_NONE: METRIC applies */
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

/* The data-safety metric named by the N bytes at NAME, or ZF_DM_NONE. */
enum zf_data_metric zf_data_metric_lookup(const char *name, size_t n);
/* "lost", "valid", ...; "" for ZF_DM_NONE or out of range. */
const char *zf_data_metric_name(enum zf_data_metric m);
/* E's metric name, sample or data-safety. */
const char *zf_expect_metric_name(const struct zf_expect *e);

#endif
