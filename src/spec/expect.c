#include "spec/expect.h"
#include "spec/duration.h"
#include "util/log.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const metric_names[ZF_M_N] = {
	"availability", "p50", "p90", "p99", "p99.9", "max", "errors",
	"recovery", "impact", "outage",
};
static const char *const op_texts[] = { ">=", "<=", ">", "<", "==", "!=" };

const char *zf_metric_name(enum zf_metric m) { return metric_names[m]; }
const char *zf_op_text(enum zf_op op) { return op_texts[op]; }

const char *zf_metric_unit(enum zf_metric m)
{
	if (m == ZF_M_AVAILABILITY)
		return "%";
	return m == ZF_M_ERRORS ? "" : "ms";
}

static int parse_metric(const char *w, size_t n, enum zf_metric *m)
{
	for (int i = 0; i < ZF_M_N; i++) {
		if (strlen(metric_names[i]) == n && !strncmp(w, metric_names[i], n)) {
			*m = (enum zf_metric)i;
			return 0;
		}
	}
	if (n == 4 && !strncmp(w, "p999", 4)) {
		*m = ZF_M_P999;
		return 0;
	}
	return -EINVAL;
}

static int parse_op(const char **p, enum zf_op *op)
{
	/* two-character operators first */
	for (int pass = 2; pass >= 1; pass--) {
		for (int i = 0; i < 6; i++) {
			if (strlen(op_texts[i]) == (size_t)pass &&
			    !strncmp(*p, op_texts[i], (size_t)pass)) {
				*op = (enum zf_op)i;
				*p += pass;
				return 0;
			}
		}
	}
	return -EINVAL;
}

/* The value: a percentage, a count, or a duration, by metric. */
static int parse_value(enum zf_metric m, const char *v, double *out)
{
	char *end;
	uint64_t ns;

	if (m == ZF_M_AVAILABILITY || m == ZF_M_ERRORS) {
		*out = strtod(v, &end);
		if (end == v || !isfinite(*out) || *out < 0)
			return -EINVAL;
		if (m == ZF_M_AVAILABILITY && *end == '%')
			end++;
		if (*end || (m == ZF_M_AVAILABILITY && *out > 100))
			return -EINVAL;
		return 0;
	}
	if (zf_duration_parse(v, &ns) < 0)
		return -EINVAL;
	*out = (double)ns / 1e6;
	return 0;
}

int zf_expect_parse(const char *expr, struct zf_expect *out, char *err,
		    size_t errlen)
{
	const char *p = expr + strspn(expr, " \t");
	size_t n = strcspn(p, " \t<>=!");
	struct zf_expect e = { 0 };
	char value[64];

	if (parse_metric(p, n, &e.metric) < 0) {
		snprintf(err, errlen, "unknown metric '%.*s' (use availability, p50, "
			 "p90, p99, p99.9, max, errors, recovery, impact, outage)",
			 (int)(n > 40 ? 40 : n), p);
		return -EINVAL;
	}
	p += n;
	p += strspn(p, " \t");
	if (parse_op(&p, &e.op) < 0) {
		snprintf(err, errlen, "expected an operator (>= <= > < == !=) after '%s'",
			 metric_names[e.metric]);
		return -EINVAL;
	}
	p += strspn(p, " \t");
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof(value) ||
	    (memcpy(value, p, n), value[n] = '\0', parse_value(e.metric, value, &e.threshold) < 0)) {
		snprintf(err, errlen, "expected %s after '%s %s', got '%.*s'",
			 e.metric == ZF_M_AVAILABILITY ? "a percentage like 99.5%"
			 : e.metric == ZF_M_ERRORS ? "a count" : "a duration like 300ms",
			 metric_names[e.metric], op_texts[e.op], (int)(n > 40 ? 40 : n), p);
		return -EINVAL;
	}
	snprintf(e.expr, sizeof(e.expr), "%s %s %s", metric_names[e.metric],
		 op_texts[e.op], value);
	*out = e;
	return 0;
}

int zf_expect_eval(const struct zf_expect *e, double v, int have)
{
	if (!have)
		return e->op == ZF_OP_LE || e->op == ZF_OP_LT || e->op == ZF_OP_NE;
	switch (e->op) {
	case ZF_OP_GE: return v >= e->threshold;
	case ZF_OP_LE: return v <= e->threshold;
	case ZF_OP_GT: return v > e->threshold;
	case ZF_OP_LT: return v < e->threshold;
	case ZF_OP_EQ: return fabs(v - e->threshold) < 1e-9;
	case ZF_OP_NE: return fabs(v - e->threshold) >= 1e-9;
	}
	return 0;
}
