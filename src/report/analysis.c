/* analysis.c - zf_analyse: the run record assembled from its parts (the
 * definitions are in docs/run-json.md; each part has its own file). */
#include "report/analysis.h"
#include "report/an.h"

#include <math.h>
#include <stdlib.h>

#include "util/mem.h"
#include "util/timeutil.h"

static json_t *phases_json(const struct zf_run_input *in)
{
	json_t *o = json_object();
	uint64_t start = in->warmup_ns, end = 0;
	int any = 0;

	for (size_t i = 0; in->events && i < in->n_events; i++) {
		const struct zf_run_event *e = &in->events[i];
		uint64_t last = e->revert_planned_ns > e->planned_ns ?
				e->revert_planned_ns : e->planned_ns;

		if (!any || e->planned_ns < start)
			start = e->planned_ns;
		if (!any || last > end)
			end = last;
		any = 1;
	}
	rj_set(o, "warmup_s", rj_secs(in->warmup_ns));
	rj_set(o, "faults_start_s", rj_secs(start));
	rj_set(o, "faults_end_s", rj_secs(any ? end : start));
	rj_set(o, "cooldown_s", rj_secs(in->cooldown_ns));
	return o;
}

static json_t *probe_json(const struct zf_run_input *in, const struct an_faults *f,
			  const struct an_probe *ap, int *all_pass)
{
	const struct zf_run_probe *p = ap->p;
	json_t *o = json_object();

	rj_set(o, "name", rj_string(p->name));
	rj_set(o, "kind", rj_string(p->kind));
	rj_set(o, "from", rj_string(p->from));
	rj_set(o, "target", rj_string(p->target));
	rj_set(o, "rate", isfinite(p->rate) ? json_real(p->rate) : json_null());
	rj_set(o, "timeout_ms", p->timeout_ns ? json_real(rj_ns_to_ms(p->timeout_ns)) : json_null());
	rj_set(o, "slow_ms", p->slow_ns ? json_real(rj_ns_to_ms(p->slow_ns)) : json_null());
	rj_set(o, "requests", json_integer((json_int_t)ap->n));
	rj_set(o, "ok", json_integer((json_int_t)ap->ok));
	rj_set(o, "good", json_integer((json_int_t)ap->good));
	rj_set(o, "errors", an_errors_json(ap));
	rj_set(o, "availability", ap->n ? json_real(rj_percent(ap->good, ap->n)) : json_null());
	rj_set(o, "windows", an_windows_json(in, f, ap));
	rj_set(o, "outages", an_outages_json(ap));
	rj_set(o, "impact_s", ap->have_impact ? rj_secs(ap->impact_ns) : json_null());
	rj_set(o, "recovery_s", ap->have_recovery ? rj_secs(ap->recovery_ns) : json_null());
	rj_set(o, "recovered", ap->have_recovery ? json_true() :
	       ap->unrecovered ? json_false() : json_null());
	rj_set(o, "latency_ms", an_latency_json(ap));
	rj_set(o, "samples", an_samples_json(ap, in->duration_ns));
	rj_set(o, "histogram", an_histogram_json(ap));
	rj_set(o, "expects", an_expects_json(ap, all_pass));
	an_write_keys(o, p, f);
	return o;
}

static json_t *copy_or(json_t *v, json_t *def)
{
	json_t *c = v ? json_deep_copy(v) : NULL;

	if (c) {
		json_decref(def);
		return c;
	}
	return def;
}

/* The keys that describe the run, before its measurements. */
static void head_json(json_t *run, const struct zf_run_input *in)
{
	char when[40];

	rj_set(run, "zonefall_run", json_integer(1));
	rj_set(run, "scenario", rj_string(in->scenario));
	rj_set(run, "title", rj_string(in->title));
	rj_set(run, "class", rj_string(in->klass));
	rj_set(run, "incident", copy_or(in->incident, json_null()));
	rj_set(run, "lab", rj_string(in->lab));
	rj_set(run, "params", copy_or(in->params, json_object()));
	if (in->seed <= INT64_MAX) {
		rj_set(run, "seed", json_integer((json_int_t)in->seed));
	} else {
		snprintf(when, sizeof(when), "%llu", (unsigned long long)in->seed);
		rj_set(run, "seed", json_string(when));
	}
	rj_set(run, "time_scale", isfinite(in->time_scale) ? json_real(in->time_scale) : json_null());
	zf_wall_format(in->wall_start_ns, when, sizeof(when));
	rj_set(run, "started_at", in->wall_start_ns ? json_string(when) : json_null());
	rj_set(run, "duration_s", rj_secs(in->duration_ns));
	rj_set(run, "phases", phases_json(in));
}

json_t *zf_analyse(const struct zf_run_input *in)
{
	size_t n = in->probes ? in->n_probes : 0;
	struct an_probe *aps = zf_xcalloc(n ? n : 1, sizeof(*aps));
	json_t *run = json_object(), *probes = json_array(), *ended = json_object();
	struct an_faults f;
	int all_pass = 1;
	const char *verdict;

	an_faults_build(in, &f);
	for (size_t i = 0; i < n; i++) {
		an_probe_init(&aps[i], &in->probes[i]);
		an_outages(&aps[i]);
		an_impact_recovery(&aps[i], &f);
		an_latency(&aps[i], &f);
		json_array_append_new(probes, probe_json(in, &f, &aps[i], &all_pass));
	}
	verdict = an_verdict(in->end_reason, all_pass);
	head_json(run, in);
	rj_set(ended, "reason", rj_string(in->end_reason ? in->end_reason : "error"));
	rj_set(ended, "detail", rj_string(in->end_detail ? in->end_detail : ""));
	rj_set(run, "ended", ended);
	rj_set(run, "verdict", json_string(verdict));
	rj_set(run, "cost", an_cost_json(in, aps, n));
	rj_set(run, "events", an_events_json(in, &f));
	rj_set(run, "timeline", an_timeline_json(in, &f, aps, n, verdict));
	rj_set(run, "probes", probes);
	rj_set(run, "observed", an_observed_json(in));
	rj_set(run, "chain", an_chain_json(in, &f, aps, n));
	for (size_t i = 0; i < n; i++)
		an_probe_free(&aps[i]);
	free(aps);
	an_faults_free(&f);
	return run;
}
