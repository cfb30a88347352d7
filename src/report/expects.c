/* expects.c - a probe's expectations against what was measured, in the
 * expectation's own unit: availability in %, latencies and durations in
 * ms, errors as a count. A probe that sent nothing measured nothing.
 * Data-safety expectations (lost == 0, valid == true) of write probes are
 * evaluated against the probe's check by zf_check_expect: without a final
 * read they are "unknown", which is not a pass. */
#include "report/an.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/* The measurement for metric M: 1 and *V, or 0 when there is none. */
static int measure(const struct an_probe *ap, enum zf_metric m, double *v)
{
	const struct an_lat *all = &ap->lat[AN_ALL];

	if (ap->n == 0)
		return 0;
	switch (m) {
	case ZF_M_AVAILABILITY: *v = rj_percent(ap->good, ap->n); return 1;
	case ZF_M_P50: *v = all->p50; return all->count > 0;
	case ZF_M_P90: *v = all->p90; return all->count > 0;
	case ZF_M_P99: *v = all->p99; return all->count > 0;
	case ZF_M_P999: *v = all->p999; return all->count > 0;
	case ZF_M_MAX: *v = all->max; return all->count > 0;
	case ZF_M_ERRORS: *v = (double)ap->errors; return 1;
	case ZF_M_RECOVERY:
		/* never recovered: longer than any threshold */
		*v = ap->unrecovered ? INFINITY : rj_ns_to_ms(ap->recovery_ns);
		return ap->have_recovery || ap->unrecovered;
	case ZF_M_IMPACT: *v = rj_ns_to_ms(ap->impact_ns); return ap->have_impact;
	case ZF_M_OUTAGE: *v = rj_ns_to_ms(ap->outage_max_ns); return 1;
	case ZF_M_N: break;
	}
	return 0;
}

static json_t *expect_json(const struct an_probe *ap, const struct zf_expect *e,
			   int *pass)
{
	json_t *o = json_object();
	int valid = (unsigned)e->metric < ZF_M_N && (unsigned)e->op <= ZF_OP_NE;
	double v = 0;
	int have = valid && measure(ap, e->metric, &v);

	*pass = valid && zf_expect_eval(e, v, have);
	rj_set(o, "expr", rj_stringn(e->expr, sizeof(e->expr)));
	rj_set(o, "metric", valid ? json_string(zf_metric_name(e->metric)) : json_null());
	rj_set(o, "op", valid ? json_string(zf_op_text(e->op)) : json_null());
	rj_set(o, "threshold", json_real(e->threshold));
	rj_set(o, "unit", valid ? json_string(zf_metric_unit(e->metric)) : json_null());
	rj_set(o, "measured", have && isfinite(v) ? json_real(v) : json_null());
	if (have && !isfinite(v))
		rj_set(o, "note", json_string("never recovered"));
	rj_set(o, "pass", json_boolean(*pass));
	if (!valid)
		rj_set(o, "error", json_string("unknown metric or operator"));
	return o;
}

/* A data-safety expectation: "result" pass, fail or unknown ("note" says
 * why), "pass" only for pass. */
static json_t *data_expect_json(const struct an_probe *ap,
				const struct zf_expect *e, int *pass)
{
	json_t *o = json_object();
	enum zf_check_eval res = ZF_EVAL_UNKNOWN;
	double v = 0;
	int rc = ap->p->check ? zf_check_expect(ap->p->check, e, &res, &v)
			      : -ENOENT;

	*pass = rc == 0 && res == ZF_EVAL_PASS;
	rj_set(o, "expr", rj_stringn(e->expr, sizeof(e->expr)));
	rj_set(o, "metric", json_string(zf_expect_metric_name(e)));
	rj_set(o, "op", (unsigned)e->op <= ZF_OP_NE ? json_string(zf_op_text(e->op))
						   : json_null());
	rj_set(o, "threshold", json_real(e->threshold));
	rj_set(o, "unit", json_string(""));
	rj_set(o, "measured", rc == 0 && res != ZF_EVAL_UNKNOWN ? json_real(v)
							      : json_null());
	rj_set(o, "pass", json_boolean(*pass));
	rj_set(o, "result", json_string(rc == 0 ? zf_check_eval_name(res) : "unknown"));
	if (rc == 0 && res == ZF_EVAL_UNKNOWN)
		rj_set(o, "note", json_string("no final read"));
	if (rc == -ENOENT)
		rj_set(o, "error", json_string(ap->p->write ? "the ledger could not be checked"
						 : "a data-safety metric on a probe that writes nothing"));
	else if (rc < 0)
		rj_set(o, "error", json_string("unknown metric or operator"));
	return o;
}

json_t *an_expects_json(const struct an_probe *ap, int *all_pass)
{
	json_t *a = json_array();
	size_t n = ap->p->expects ? ap->p->n_expects : 0;

	for (size_t i = 0; i < n; i++) {
		const struct zf_expect *e = &ap->p->expects[i];
		int pass;

		json_array_append_new(a, e->data != ZF_DM_NONE ?
				      data_expect_json(ap, e, &pass) :
				      expect_json(ap, e, &pass));
		if (!pass)
			*all_pass = 0;
	}
	return a;
}
