/* events.c - the fault steps of a run: when each took effect, its window,
 * the span of the run that faults covered, and the events and windows of
 * the record. */
#include "report/an.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

#define FIELD(e, f) rj_stringn((e)->f, sizeof((e)->f))

/* Took effect: "applied", "reverted" or "done"; not "failed", nor
 * "planned" (the run ended before the step), nor anything else. */
static int took_effect(const struct zf_run_event *e)
{
	static const char *const yes[] = { "applied", "reverted", "done" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strncmp(e->status, yes[i], sizeof(e->status)) == 0)
			return 1;
	return 0;
}

/* A one-shot fault lasts until the next event takes effect, or the end. */
static uint64_t oneshot_end(const struct an_faults *f, size_t k)
{
	uint64_t end = f->end_ns;

	for (size_t i = 0; i < f->n; i++)
		if (i != k && f->ev[i].effective &&
		    f->ev[i].start_ns > f->ev[k].start_ns && f->ev[i].start_ns < end)
			end = f->ev[i].start_ns;
	return end;
}

/* Where the faults stop: the last revert or one-shot apply. */
static void fault_span(struct an_faults *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct an_event *ev = &f->ev[i];
		uint64_t off;

		if (!ev->effective)
			continue;
		if (!f->have || ev->start_ns < f->on_ns)
			f->on_ns = ev->start_ns;
		off = ev->reverted ? ev->end_ns : ev->start_ns;
		if (!f->have || off > f->off_ns ||
		    (off == f->off_ns && !ev->oneshot)) {
			f->off_ns = off;
			f->off_oneshot = ev->oneshot && !ev->reverted;
		}
		if (!ev->oneshot && !ev->reverted)
			f->left_on = 1;
		f->have = 1;
	}
	if (f->left_on) {
		f->off_ns = UINT64_MAX;
		f->off_oneshot = 0;
	}
}

void an_faults_build(const struct zf_run_input *in, struct an_faults *f)
{
	memset(f, 0, sizeof(*f));
	f->n = in->events ? in->n_events : 0;
	f->ev = zf_xcalloc(f->n ? f->n : 1, sizeof(*f->ev));
	f->end_ns = in->duration_ns;
	for (size_t i = 0; i < f->n; i++) {
		const struct zf_run_event *e = &in->events[i];
		struct an_event *ev = &f->ev[i];

		ev->effective = took_effect(e);
		ev->start_ns = ev->effective && e->actual_ns ? e->actual_ns : e->planned_ns;
		ev->end_ns = ev->start_ns;
		ev->reverted = ev->effective && e->revert_actual_ns != 0;
		ev->oneshot = e->revert_planned_ns == 0 && !ev->reverted;
		if (ev->reverted && e->revert_actual_ns > ev->start_ns)
			ev->end_ns = e->revert_actual_ns;
		else if (ev->effective && !ev->reverted && !ev->oneshot)
			ev->end_ns = f->end_ns > ev->start_ns ? f->end_ns : ev->start_ns;
	}
	for (size_t i = 0; i < f->n; i++)
		if (f->ev[i].effective && f->ev[i].oneshot) {
			uint64_t end = oneshot_end(f, i);

			f->ev[i].end_ns = end > f->ev[i].start_ns ? end : f->ev[i].start_ns;
		}
	fault_span(f);
}

void an_faults_free(struct an_faults *f)
{
	free(f->ev);
	memset(f, 0, sizeof(*f));
}

void an_event_label(const struct zf_run_event *e, char *buf, size_t len)
{
	int args = e->args[0] != '\0';

	snprintf(buf, len, "%.*s %.*s%s%.*s", (int)sizeof(e->action), e->action,
		 (int)sizeof(e->target), e->target, args ? " " : "",
		 (int)sizeof(e->args), e->args);
}

static json_t *ns_or_null(uint64_t ns)
{
	return ns ? rj_secs(ns) : json_null();
}

static json_t *event_json(const struct zf_run_event *e, const struct an_event *ev)
{
	json_t *o = json_object();
	double delay = ((double)ev->start_ns - (double)e->planned_ns) / 1e6;

	rj_set(o, "id", FIELD(e, id));
	rj_set(o, "step", json_integer(e->step));
	rj_set(o, "action", FIELD(e, action));
	rj_set(o, "target", FIELD(e, target));
	rj_set(o, "args", FIELD(e, args));
	rj_set(o, "status", FIELD(e, status));
	rj_set(o, "scope", FIELD(e, scope));
	rj_set(o, "t_planned_s", rj_secs(e->planned_ns));
	rj_set(o, "t_actual_s", ev->effective ? rj_secs(ev->start_ns) : json_null());
	rj_set(o, "delay_ms", ev->effective ? json_real(rj_round(delay, 3)) : json_null());
	rj_set(o, "apply_ms", json_real(rj_ns_to_ms(e->apply_ns)));
	rj_set(o, "revert_planned_s", ns_or_null(e->revert_planned_ns));
	rj_set(o, "revert_actual_s", ev->reverted ? rj_secs(e->revert_actual_ns) : json_null());
	rj_set(o, "error", e->error[0] ? FIELD(e, error) : json_null());
	rj_set(o, "delivered", e->delivered[0] ? FIELD(e, delivered) : json_null());
	return o;
}

json_t *an_events_json(const struct zf_run_input *in, const struct an_faults *f)
{
	json_t *a = json_array();

	for (size_t i = 0; i < f->n; i++)
		json_array_append_new(a, event_json(&in->events[i], &f->ev[i]));
	return a;
}

json_t *an_windows_json(const struct zf_run_input *in,
			const struct an_faults *f, const struct an_probe *ap)
{
	json_t *a = json_array();

	for (size_t i = 0; i < f->n; i++) {
		const struct an_event *ev = &f->ev[i];
		json_t *w = json_object();
		uint64_t reqs, good;

		an_range(ap, ev->start_ns, ev->end_ns, &reqs, &good);
		rj_set(w, "event", FIELD(&in->events[i], id));
		rj_set(w, "start_s", rj_secs(ev->start_ns));
		rj_set(w, "end_s", rj_secs(ev->end_ns));
		rj_set(w, "requests", json_integer((json_int_t)reqs));
		rj_set(w, "availability",
		       reqs ? json_real(rj_percent(good, reqs)) : json_null());
		json_array_append_new(a, w);
	}
	return a;
}
