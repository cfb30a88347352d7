/* scenario_stop.c - "stop_when": conditions on a probe's live metrics that
 * end a run early when they hold for a while ({ probe: web, availability:
 * "< 5%", for: 60s }). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "spec/scenario_load.h"
#include "util/log.h"
#include "util/mem.h"

#define STOP_KEYS "probe, for, and one metric (availability, p50, p90, " \
		  "p99, p99.9, max, errors, recovery, impact, outage)"

/* "probe, api" of the scenario's probes, for messages. */
static void probe_names(const struct zf_scenario *s, char *buf, size_t len)
{
	size_t pos = 0;

	zf_fmt(buf, len, "none");
	for (size_t i = 0; i < s->n_probes && pos < len; i++) {
		int w = snprintf(buf + pos, len - pos, "%s%s", i ? ", " : "",
				 s->probes[i].name);

		if (w < 0)
			break;
		pos += (size_t)w;
	}
}

/* Sort the keys of M into *PROBE, *DUR ("for") and *METRIC, the index of
 * its one metric (M->n if none); any other key is an error. */
static int split_keys(struct zf_sl *sl, const struct zf_ynode *m,
		      const char *what, const struct zf_ynode **probe,
		      const struct zf_ynode **dur, size_t *metric)
{
	*metric = m->n;
	for (size_t i = 0; i < m->n; i++) {
		const struct zf_ynode *k = zf_ymap_key(m, i);

		if (strcmp(k->str, "probe") == 0) {
			*probe = zf_ymap_val(m, i);
		} else if (strcmp(k->str, "for") == 0) {
			*dur = zf_ymap_val(m, i);
		} else if (!zf_sl_is_metric(k->str)) {
			return zf_sc_err(&sl->sc, k->mark, "unknown key '%.64s' "
					 "in %s; allowed: " STOP_KEYS, k->str,
					 what);
		} else if (*metric < m->n) {
			return zf_sc_err(&sl->sc, k->mark, "%s has two metrics, "
					 "'%s' and '%s': write one condition "
					 "per entry", what,
					 zf_ymap_key(m, *metric)->str, k->str);
		} else {
			*metric = i;
		}
	}
	return 0;
}

/* Condition I (0-based) of "stop_when:", the mapping M. */
static int parse_stop(struct zf_sl *sl, struct zf_scn_stop *st,
		      const struct zf_ynode *m, size_t i)
{
	const struct zf_ynode *probe = NULL, *dur = NULL;
	char what[48], where[80], names[512];
	size_t metric;
	int rc;

	zf_fmt(what, sizeof(what), "stop condition %zu", i + 1);
	st->mark = m->mark;
	rc = zf_sc_mapping(&sl->sc, m, what);
	if (rc == 0)
		rc = split_keys(sl, m, what, &probe, &dur, &metric);
	if (rc == 0 && !probe)
		rc = zf_sc_err(&sl->sc, m->mark, "missing key 'probe' in %s",
			       what);
	if (rc == 0 && metric == m->n)
		rc = zf_sc_err(&sl->sc, m->mark, "%s needs a metric and a "
			       "condition, like availability: \"< 5%%\"", what);
	zf_fmt(where, sizeof(where), "'probe' of %s", what);
	if (rc == 0)
		rc = zf_sl_name(sl, probe, "probe", where, st->probe);
	if (rc == 0 && zf_scenario_find_probe(sl->s, st->probe) < 0) {
		probe_names(sl->s, names, sizeof(names));
		rc = zf_sc_err(&sl->sc, probe->mark, "%s: no probe named '%s' "
			       "(the scenario has: %s)", what, st->probe,
			       names);
	}
	if (rc == 0)
		rc = zf_sl_expect_pair(sl, zf_ymap_key(m, metric),
				       zf_ymap_val(m, metric), what, &st->cond);
	zf_fmt(where, sizeof(where), "'for' of %s", what);
	if (rc == 0 && dur)
		rc = zf_sl_duration(sl, dur, where, 1, &st->for_ns);
	return rc;
}

int zf_sl_stops(struct zf_sl *sl, const struct zf_ynode *n)
{
	struct zf_scenario *s = sl->s;
	int rc = 0;

	if (zf_sc_absent(n))
		return 0;
	if (n->kind != ZF_YSEQ)
		return zf_sc_err(&sl->sc, n->mark, "expected a list of "
				 "conditions for 'stop_when', got %s",
				 zf_ynode_kind_name(n));
	if (n->n > ZF_SCN_MAX_STOPS)
		return zf_sc_err(&sl->sc, n->kids[ZF_SCN_MAX_STOPS]->mark,
				 "more than %d conditions in 'stop_when'",
				 ZF_SCN_MAX_STOPS);
	s->stops = zf_xcalloc(n->n, sizeof(*s->stops));
	for (size_t i = 0; rc == 0 && i < n->n; i++) {
		s->n_stops++;
		rc = parse_stop(sl, &s->stops[i], n->kids[i], i);
	}
	return rc;
}
