/* verdict.c - the verdict of a run and what its downtime cost. */
#include "report/an.h"

#include <math.h>
#include <string.h>

const char *an_verdict(const char *end_reason, int all_pass)
{
	const char *r = end_reason ? end_reason : "";

	if (!strcmp(r, "interrupted"))
		return "interrupted";
	if (strcmp(r, "completed") && strcmp(r, "stopped"))
		return "error";              /* "error", or a reason we do not know */
	if (!strcmp(r, "stopped") || !all_pass)
		return "fail";
	return "pass";
}

json_t *an_cost_json(const struct zf_run_input *in,
		     const struct an_probe *aps, size_t n)
{
	json_t *o;
	uint64_t worst = 0;
	double per_hour = in->cost_per_hour, secs;

	if (!(per_hour > 0) || !isfinite(per_hour))
		return json_null();
	for (size_t i = 0; i < n; i++)
		if (aps[i].outage_sum_ns > worst)
			worst = aps[i].outage_sum_ns;
	secs = rj_ns_to_s(worst);
	o = json_object();
	rj_set(o, "per_hour", json_real(per_hour));
	rj_set(o, "currency", rj_string(in->currency && *in->currency ? in->currency : "USD"));
	rj_set(o, "downtime_s", json_real(secs));
	rj_set(o, "amount", json_real(rj_round(secs * per_hour / 3600.0, 2)));
	return o;
}
