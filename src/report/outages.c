/* outages.c - when users were not served: the union of the intervals of
 * bad requests, and how long after the faults the outages began and
 * ended (docs/run-json.md, "Outages", "impact_s", "recovery_s"). */
#include "report/an.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

/* The planned interval between requests: 1/rate (1 s for a bad rate). */
static uint64_t slot_ns(const struct zf_run_probe *p)
{
	if (!(p->rate > 0) || !isfinite(p->rate) || p->rate < 1e-6)
		return AN_NS_PER_S;
	if (p->rate > 1e9)
		return 1;
	return (uint64_t)llround(1e9 / p->rate);
}

static struct an_outage *push(struct an_probe *ap, size_t *cap)
{
	if (ap->n_out == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		ap->out = zf_xrealloc(ap->out, *cap * sizeof(*ap->out));
	}
	memset(&ap->out[ap->n_out], 0, sizeof(ap->out[0]));
	return &ap->out[ap->n_out++];
}

/* Requests planned within each outage, and the bad ones by cause: one
 * pass, outages and requests both in time order. */
static void count_within(struct an_probe *ap)
{
	size_t k = 0;

	for (size_t i = 0; i < ap->n && k < ap->n_out; i++) {
		const struct zf_req *r = &ap->req[i];
		struct an_outage *o;

		while (k < ap->n_out && r->planned_ns >= ap->out[k].end_ns)
			k++;
		if (k == ap->n_out || r->planned_ns < ap->out[k].start_ns)
			continue;
		o = &ap->out[k];
		o->requests++;
		if (r->outcome != ZF_OUT_OK)
			o->failed[r->outcome < ZF_OUT_N ? r->outcome : ZF_OUT_OTHER]++;
		else if (!an_req_good(ap, r))
			o->slow++;
	}
}

void an_outages(struct an_probe *ap)
{
	uint64_t slot = slot_ns(ap->p), gap = 2 * slot;
	struct an_outage *cur = NULL;
	size_t cap = 0;

	for (size_t i = 0; i < ap->n; i++) {
		const struct zf_req *r = &ap->req[i];
		uint64_t s = r->planned_ns, e;

		if (an_req_good(ap, r))
			continue;
		e = an_add(s, r->outcome != ZF_OUT_OK ? slot : r->latency_ns);
		if (cur && s < an_add(cur->end_ns, gap)) {
			if (e > cur->end_ns)
				cur->end_ns = e;
			continue;
		}
		cur = push(ap, &cap);
		cur->start_ns = s;
		cur->end_ns = e;
	}
	count_within(ap);
	for (size_t k = 0; k < ap->n_out; k++) {
		uint64_t d = ap->out[k].end_ns - ap->out[k].start_ns;

		ap->outage_sum_ns = an_add(ap->outage_sum_ns, d);
		if (d > ap->outage_max_ns)
			ap->outage_max_ns = d;
	}
}

int an_outage_open(const struct an_probe *ap, size_t k)
{
	return ap->n && k + 1 == ap->n_out && !an_req_good(ap, &ap->req[ap->n - 1]);
}

/* impact: to the first outage still going when the faults began (0 when it
 * had begun already: requests in flight then). recovery: from where the
 * faults stop to the end of the outage in progress then; after a one-shot
 * fault, of the first outage that ends after it (its effect may lag). When
 * that outage never ended, there is no recovery: AP is "unrecovered". */
void an_impact_recovery(struct an_probe *ap, const struct an_faults *f)
{
	const struct an_outage *o;
	size_t k;

	if (!f->have)
		return;
	for (k = 0; k < ap->n_out && ap->out[k].end_ns <= f->on_ns; k++)
		;
	if (k < ap->n_out) {
		o = &ap->out[k];
		ap->have_impact = 1;
		ap->impact_ns = o->start_ns > f->on_ns ? o->start_ns - f->on_ns : 0;
	}
	if (f->left_on)
		return;
	ap->have_recovery = 1;
	for (k = 0; k < ap->n_out && ap->out[k].end_ns <= f->off_ns; k++)
		;
	if (k == ap->n_out)
		return;
	o = &ap->out[k];
	if (o->start_ns > f->off_ns && !f->off_oneshot)
		return;
	if (an_outage_open(ap, k)) {
		ap->have_recovery = 0;
		ap->unrecovered = 1;
		return;
	}
	ap->recovery_ns = o->end_ns - f->off_ns;
}

static json_t *causes_json(const struct an_outage *o)
{
	json_t *c = json_object();

	for (int i = ZF_OUT_OK + 1; i < ZF_OUT_N; i++)
		if (o->failed[i])
			rj_set(c, zf_outcome_name((enum zf_outcome)i),
			       json_integer((json_int_t)o->failed[i]));
	if (o->slow)
		rj_set(c, "slow", json_integer((json_int_t)o->slow));
	return c;
}

json_t *an_outages_json(const struct an_probe *ap)
{
	json_t *a = json_array();

	for (size_t k = 0; k < ap->n_out; k++) {
		const struct an_outage *o = &ap->out[k];
		json_t *j = json_object();

		rj_set(j, "start_s", rj_secs(o->start_ns));
		rj_set(j, "end_s", rj_secs(o->end_ns));
		rj_set(j, "duration_s", rj_secs(o->end_ns - o->start_ns));
		rj_set(j, "requests", json_integer((json_int_t)o->requests));
		rj_set(j, "open", json_boolean(an_outage_open(ap, k)));
		rj_set(j, "causes", causes_json(o));
		json_array_append_new(a, j);
	}
	return a;
}

void an_outage_causes(const struct an_outage *o, char *buf, size_t len)
{
	uint64_t bad = o->slow, best[2] = { 0, 0 };
	const char *name[2] = { NULL, NULL };

	for (int i = ZF_OUT_OK; i < ZF_OUT_N; i++) {
		uint64_t c = i == ZF_OUT_OK ? o->slow : o->failed[i];
		const char *nm = i == ZF_OUT_OK ? "slow" : zf_outcome_name((enum zf_outcome)i);

		if (i != ZF_OUT_OK)
			bad += c;
		if (c > best[0]) {
			best[1] = best[0]; name[1] = name[0];
			best[0] = c; name[0] = nm;
		} else if (c > best[1]) {
			best[1] = c; name[1] = nm;
		}
	}
	if (bad == 0) {
		snprintf(buf, len, "no request failed");
		return;
	}
	if (!name[1])
		snprintf(buf, len, "%s %.0f%%", name[0], floor(100.0 * (double)best[0] / (double)bad));
	else
		snprintf(buf, len, "%s %.0f%%, %s %.0f%%", name[0],
			 floor(100.0 * (double)best[0] / (double)bad), name[1],
			 floor(100.0 * (double)best[1] / (double)bad));
}
