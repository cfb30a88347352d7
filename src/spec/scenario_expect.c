/* scenario_expect.c - expectations and stop conditions as written in a
 * scenario: a mapping entry ("availability: '>= 99.5%'") or one whole
 * expression, templates expanded, parsed by spec/expect.h. */
#include <errno.h>
#include <string.h>

#include "spec/scenario_load.h"
#include "util/log.h"

#define METRICS "availability, p50, p90, p99, p99.9, max, errors, " \
		"recovery, impact, outage"

int zf_sl_is_metric(const char *name)
{
	struct zf_expect e;
	char expr[64], msg[256];

	/* The expectation parser is the one definition of a metric name;
	 * every metric accepts the threshold 0. */
	if (strpbrk(name, " \t<>=!") ||
	    zf_fmt(expr, sizeof(expr), "%s >= 0", name) < 0)
		return 0;
	return zf_expect_parse(expr, &e, msg, sizeof(msg)) == 0 &&
	       e.data == ZF_DM_NONE;
}

/* A data-safety metric (lost, valid...: spec/expect.h): allowed in a
 * probe's expectations, not in stop conditions (measured only at the end). */
static int is_data_metric(const char *name)
{
	return zf_data_metric_lookup(name, strlen(name)) != ZF_DM_NONE;
}

/* Parse EXPR, written at N, for WHAT into *OUT. */
static int parse(struct zf_sl *sl, const struct zf_ynode *n, const char *expr,
		 const char *what, struct zf_expect *out)
{
	char msg[256];

	if (zf_expect_parse(expr, out, msg, sizeof(msg)) < 0)
		return zf_sc_err(&sl->sc, n->mark, "%s in %s", msg, what);
	return 0;
}

int zf_sl_expect_pair(struct zf_sl *sl, const struct zf_ynode *key,
		      const struct zf_ynode *val, const char *what,
		      struct zf_expect *out)
{
	char expr[256];
	const char *t;
	int rc;

	if (!zf_sl_is_metric(key->str) && !is_data_metric(key->str))
		return zf_sc_err(&sl->sc, key->mark, "unknown metric '%.64s' "
				 "in %s (use " METRICS ")", key->str, what);
	rc = zf_sl_text(sl, val, what, &t);
	if (rc == 0 && zf_fmt(expr, sizeof(expr), "%s %s", key->str, t) < 0)
		rc = zf_sc_err(&sl->sc, val->mark, "condition '%.64s' of %s is "
			       "too long", t, what);
	if (rc == 0)
		rc = parse(sl, val, expr, what, out);
	return rc;
}

int zf_sl_expect_expr(struct zf_sl *sl, const struct zf_ynode *n,
		      const char *what, struct zf_expect *out)
{
	const char *t;
	int rc = zf_sl_text(sl, n, what, &t);

	if (rc == 0 && strlen(t) > 200)
		rc = zf_sc_err(&sl->sc, n->mark, "expectation '%.64s...' of %s "
			       "is too long", t, what);
	if (rc == 0)
		rc = parse(sl, n, t, what, out);
	return rc;
}
