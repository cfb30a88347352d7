#include "spec/expect.h"
#include "spec/duration.h"
#include "util/log.h"
#include "util/num.h"

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

static const char *const data_names[ZF_DM_N] = {
	"", "attempted", "acknowledged", "failed", "unknown", "lost",
	"unexpected", "recovered", "valid",
};

const char *zf_metric_name(enum zf_metric m)
{
	return (unsigned)m < ZF_M_N ? metric_names[m] : "";
}
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

enum zf_data_metric zf_data_metric_lookup(const char *name, size_t n)
{
	for (int i = ZF_DM_NONE + 1; i < ZF_DM_N; i++)
		if (strlen(data_names[i]) == n && !strncmp(name, data_names[i], n))
			return (enum zf_data_metric)i;
	return ZF_DM_NONE;
}

const char *zf_data_metric_name(enum zf_data_metric m)
{
	return (unsigned)m < ZF_DM_N ? data_names[m] : "";
}

const char *zf_expect_metric_name(const struct zf_expect *e)
{
	return e->data != ZF_DM_NONE ? zf_data_metric_name(e->data)
				     : zf_metric_name(e->metric);
}

/* A data-safety threshold: a whole number, or for valid true/false/1/0. */
static int parse_data_value(enum zf_data_metric m, const char *v, double *out)
{
	uint64_t n;

	if (m == ZF_DM_VALID && (!strcmp(v, "true") || !strcmp(v, "false"))) {
		*out = v[0] == 't';
		return 0;
	}
	if (zf_parse_u64(v, m == ZF_DM_VALID ? 1 : 1ull << 53, &n) < 0)
		return -EINVAL;
	*out = (double)n;
	return 0;
}

/* The operator and value of a data-safety expectation on M, P just past
 * the metric's name: 0 and *OUT, or -EINVAL with ERR. */
static int parse_data(enum zf_data_metric m, const char *p,
		      struct zf_expect *out, char *err, size_t errlen)
{
	struct zf_expect e = { .metric = ZF_M_N, .data = m };
	const char *name = data_names[m];
	char value[64];
	size_t n;

	p += strspn(p, " \t");
	if (parse_op(&p, &e.op) < 0 ||
	    (m == ZF_DM_VALID && e.op != ZF_OP_EQ && e.op != ZF_OP_NE)) {
		snprintf(err, errlen, "expected an operator (%s) after '%s'",
			 m == ZF_DM_VALID ? "== !=" : ">= <= > < == !=", name);
		return -EINVAL;
	}
	p += strspn(p, " \t");
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof(value) ||
	    (memcpy(value, p, n), value[n] = '\0', parse_data_value(m, value, &e.threshold) < 0)) {
		snprintf(err, errlen, "expected %s after '%s %s', got '%.*s'",
			 m == ZF_DM_VALID ? "true or false" : "a whole number",
			 name, op_texts[e.op], (int)(n > 40 ? 40 : n), p);
		return -EINVAL;
	}
	if (m == ZF_DM_VALID)
		zf_fmt(value, sizeof(value), "%s", e.threshold > 0 ? "true" : "false");
	snprintf(e.expr, sizeof(e.expr), "%s %s %s", name, op_texts[e.op], value);
	*out = e;
	return 0;
}

int zf_expect_parse(const char *expr, struct zf_expect *out, char *err,
		    size_t errlen)
{
	const char *p = expr + strspn(expr, " \t");
	size_t n = strcspn(p, " \t<>=!");
	struct zf_expect e = { 0 };
	char value[64];
	enum zf_data_metric dm = zf_data_metric_lookup(p, n);

	if (dm != ZF_DM_NONE)
		return parse_data(dm, p + n, out, err, errlen);
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
