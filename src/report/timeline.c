/* timeline.c - the incident-style timeline of a run, one row per thing
 * that happened (docs/run-json.md, "timeline"): the run's phases, each
 * fault applied and reverted, each outage beginning and ending, sorted by
 * time. Columns: t_s, event, scope, affected, cause, action; "kind" says
 * which of run, fault, revert, outage, restored a row is. */
#include "report/an.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/mem.h"

#define TXT 1024

struct row {
	uint64_t t;
	size_t seq;
	json_t *j;
};

struct rows {
	struct row *v;
	size_t n, cap;
};

struct tl {
	const struct zf_run_input *in;
	const struct an_faults *f;
	const struct an_probe *aps;
	size_t n;
	const char *verdict;
	struct rows rows;
};

/* Append to the text in BUF (truncating quietly). */
static ZF_PRINTF(3, 4) void cat(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/* "70.001s" for a time, "3.8ms" / "61.295s" / "10s" for a duration:
 * milliseconds below a second, else seconds to the millisecond, without
 * trailing zeros. */
static void fmt_s(char *buf, size_t len, uint64_t ns)
{
	const char *unit = ns < AN_NS_PER_S ? "ms" : "s";
	size_t n;

	snprintf(buf, len, ns < AN_NS_PER_S ? "%.1f" : "%.3f",
		 ns < AN_NS_PER_S ? rj_ns_to_ms(ns) : rj_ns_to_s(ns));
	n = strlen(buf);
	while (n > 1 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 1 && buf[n - 1] == '.')
		buf[--n] = '\0';
	snprintf(buf + n, len - n, "%s", unit);
}

static const char *pname(const struct an_probe *ap)
{
	return ap->p->name ? ap->p->name : "?";
}

static void add(struct tl *tl, uint64_t t, const char *kind, const char *event,
		const char *scope, const char *affected, const char *cause,
		const char *action)
{
	struct rows *rs = &tl->rows;
	json_t *j = json_object();

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 32;
		rs->v = zf_xrealloc(rs->v, rs->cap * sizeof(*rs->v));
	}
	rj_set(j, "t_s", rj_secs(t));
	rj_set(j, "kind", json_string(kind));
	rj_set(j, "event", rj_string(event));
	rj_set(j, "scope", rj_string(scope));
	rj_set(j, "affected", rj_string(affected));
	rj_set(j, "cause", rj_string(cause));
	rj_set(j, "action", rj_string(action));
	rs->v[rs->n] = (struct row){ t, rs->n, j };
	rs->n++;
}

/* "web: availability 99.9%; api: availability 100.0%" over [A, B). */
static void avail_text(const struct tl *tl, uint64_t a, uint64_t b, char *buf,
		       size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < tl->n; i++) {
		uint64_t reqs, good;

		an_range(&tl->aps[i], a, b, &reqs, &good);
		cat(buf, len, "%s%s: ", i ? "; " : "", pname(&tl->aps[i]));
		if (reqs)
			cat(buf, len, "availability %.1f%%", rj_percent(good, reqs));
		else
			cat(buf, len, "no requests");
	}
	if (!tl->n)
		cat(buf, len, "no probes");
}

static void run_rows(struct tl *tl)
{
	const struct zf_run_input *in = tl->in;
	char aff[TXT] = "", scope[TXT], cause[TXT], act[TXT], d[32];

	snprintf(scope, sizeof(scope), "lab %s", in->lab ? in->lab : "?");
	for (size_t i = 0; i < tl->n; i++)
		cat(aff, sizeof(aff), "%s%s: %g req/s from %s", i ? "; " : "",
		    pname(&tl->aps[i]), tl->aps[i].p->rate,
		    tl->aps[i].p->from ? tl->aps[i].p->from : "?");
	snprintf(cause, sizeof(cause), "scenario %s", in->scenario ? in->scenario : "?");
	fmt_s(d, sizeof(d), in->warmup_ns);
	snprintf(act, sizeof(act), "warm-up %s", d);
	add(tl, 0, "run", "run started", scope, aff[0] ? aff : "no probes", cause, act);
	if (in->warmup_ns) {
		avail_text(tl, 0, in->warmup_ns, aff, sizeof(aff));
		add(tl, in->warmup_ns, "run", "warm-up ended", scope, aff, "",
		    tl->f->n ? "fault steps begin" : "no fault steps");
	}
}

static void apply_action(const struct zf_run_event *e, const struct an_event *ev,
			 char *buf, size_t len)
{
	char t[32];

	if (!ev->effective && !strncmp(e->status, "failed", sizeof(e->status))) {
		snprintf(buf, len, "failed: %.*s", (int)sizeof(e->error),
			 e->error[0] ? e->error : "no detail");
	} else if (!ev->effective) {
		snprintf(buf, len, "not carried out (%.*s): the run ended first",
			 (int)sizeof(e->status), e->status);
	} else if (ev->reverted) {
		fmt_s(t, sizeof(t), e->revert_actual_ns);
		snprintf(buf, len, "reverted at %s%s%.*s", t, e->delivered[0] ? "; " : "",
			 (int)sizeof(e->delivered), e->delivered);
	} else if (ev->oneshot) {
		snprintf(buf, len, "one-shot, no revert");
	} else {
		snprintf(buf, len, "not reverted by the end of the run");
	}
}

/* After a revert at T: who was still failing, and when each came back. */
static void revert_effect(const struct tl *tl, uint64_t t, char *aff,
			  char *act, size_t len)
{
	char d[32];

	aff[0] = act[0] = '\0';
	for (size_t i = 0; i < tl->n; i++) {
		const struct an_probe *ap = &tl->aps[i];

		for (size_t k = 0; k < ap->n_out; k++) {
			const struct an_outage *o = &ap->out[k];

			if (o->start_ns > t || o->end_ns <= t)
				continue;
			fmt_s(d, sizeof(d), o->end_ns - t);
			cat(aff, len, "%s%s: failing", aff[0] ? "; " : "", pname(ap));
			if (an_outage_open(ap, k))
				cat(act, len, "%s%s still failing at the end", act[0] ? "; " : "",
				    pname(ap));
			else
				cat(act, len, "%s%s back %s later", act[0] ? "; " : "", pname(ap), d);
		}
	}
	if (!aff[0])
		cat(aff, len, "every probe served");
	if (!act[0])
		cat(act, len, "fault removed");
}

static void event_rows(struct tl *tl, size_t i)
{
	const struct zf_run_event *e = &tl->in->events[i];
	const struct an_event *ev = &tl->f->ev[i];
	char label[600], scope[600], aff[TXT], cause[64], act[TXT], ev2[640];

	an_event_label(e, label, sizeof(label));
	snprintf(scope, sizeof(scope), "%.*s", (int)sizeof(e->scope),
		 e->scope[0] ? e->scope : e->target);
	if (ev->effective)
		avail_text(tl, ev->start_ns, ev->end_ns, aff, sizeof(aff));
	else
		snprintf(aff, sizeof(aff), "none: the fault did not take effect");
	snprintf(cause, sizeof(cause), "%s (step %d)", ev->effective ? "injected" :
		 strncmp(e->status, "failed", sizeof(e->status)) ? "not reached" :
		 "injection failed", e->step + 1);
	apply_action(e, ev, act, sizeof(act));
	add(tl, ev->start_ns, "fault", label, scope, aff, cause, act);
	if (!ev->reverted)
		return;
	snprintf(ev2, sizeof(ev2), "revert %s", label);
	snprintf(cause, sizeof(cause), "planned revert (step %d)", e->step + 1);
	revert_effect(tl, ev->end_ns, aff, act, sizeof(aff));
	add(tl, ev->end_ns, "revert", ev2, scope, aff, cause, act);
}

/* The faults active at T (or applied within a second after it: requests in
 * flight fail first), "power-off zone r1/a (f1)", or what is said when
 * there is none. */
static void active_at(const struct tl *tl, uint64_t t, char *buf, size_t len)
{
	char label[600];

	buf[0] = '\0';
	for (size_t i = 0; i < tl->f->n; i++) {
		const struct an_event *ev = &tl->f->ev[i];
		const struct zf_run_event *e = &tl->in->events[i];

		if (!ev->effective || ev->start_ns > an_add(t, AN_NS_PER_S) ||
		    ev->end_ns < t)
			continue;
		an_event_label(e, label, sizeof(label));
		cat(buf, len, "%s%s (%.*s)", buf[0] ? "; " : "", label,
		    (int)sizeof(e->id), e->id);
	}
	if (!buf[0])
		snprintf(buf, len, "no fault active");
}

/* The last fault activity at or before T: "revert of ..." or "". */
static void last_revert_before(const struct tl *tl, uint64_t from, uint64_t t,
			       char *buf, size_t len)
{
	uint64_t best = 0;
	char label[600], when[32];

	buf[0] = '\0';
	for (size_t i = 0; i < tl->f->n; i++) {
		const struct an_event *ev = &tl->f->ev[i];

		if (!ev->reverted || ev->end_ns > t || ev->end_ns < from ||
		    ev->end_ns < best)
			continue;
		best = ev->end_ns;
		an_event_label(&tl->in->events[i], label, sizeof(label));
		fmt_s(when, sizeof(when), best);
		snprintf(buf, len, "revert of %s (%.*s) at %s", label,
			 (int)sizeof(tl->in->events[i].id), tl->in->events[i].id, when);
	}
}

static void outage_row_pair(struct tl *tl, const struct an_probe *ap, size_t k)
{
	char ev[TXT], scope[TXT], aff[TXT], cause[TXT], act[TXT], d[32], t[32];
	char why[128];
	const struct an_outage *o = &ap->out[k];
	int open = an_outage_open(ap, k);

	an_outage_causes(o, why, sizeof(why));
	snprintf(ev, sizeof(ev), "%.800s: users fail (%s)", pname(ap), why);
	snprintf(scope, sizeof(scope), "%s users: %s → %s", pname(ap),
		 ap->p->from ? ap->p->from : "?", ap->p->target ? ap->p->target : "?");
	fmt_s(d, sizeof(d), o->end_ns - o->start_ns);
	snprintf(aff, sizeof(aff), "%llu requests over %s",
		 (unsigned long long)o->requests, d);
	active_at(tl, o->start_ns, cause, sizeof(cause));
	fmt_s(t, sizeof(t), o->end_ns);
	if (open)
		snprintf(act, sizeof(act), "not restored by the end of the run");
	else
		snprintf(act, sizeof(act), "restored at %s, after %s", t, d);
	add(tl, o->start_ns, "outage", ev, scope, aff, cause, act);
	if (open)
		return;
	snprintf(ev, sizeof(ev), "%s: service restored", pname(ap));
	snprintf(aff, sizeof(aff), "outage of %s, %llu requests", d,
		 (unsigned long long)o->requests);
	last_revert_before(tl, o->start_ns, o->end_ns, cause, sizeof(cause));
	if (cause[0]) {
		snprintf(act, sizeof(act), "recovered after the revert");
	} else {
		active_at(tl, o->end_ns, cause, sizeof(cause));
		snprintf(act, sizeof(act), "recovered with no revert");
	}
	add(tl, o->end_ns, "restored", ev, scope, aff, cause, act);
}

static void outage_rows(struct tl *tl, const struct an_probe *ap)
{
	size_t shown = ap->n_out < AN_TIMELINE_OUTAGES ? ap->n_out : AN_TIMELINE_OUTAGES;
	char ev[TXT], aff[64];

	for (size_t k = 0; k < shown; k++)
		outage_row_pair(tl, ap, k);
	if (shown == ap->n_out)
		return;
	snprintf(ev, sizeof(ev), "%s: %zu more outages not listed", pname(ap),
		 ap->n_out - shown);
	snprintf(aff, sizeof(aff), "%zu outages in all", ap->n_out);
	add(tl, ap->out[shown].start_ns, "outage", ev, pname(ap), aff, "",
	    "see the outages in run.json");
}

static void end_rows(struct tl *tl)
{
	const struct zf_run_input *in = tl->in;
	const struct an_faults *f = tl->f;
	uint64_t cool = f->have && !f->left_on ? f->off_ns : in->warmup_ns;
	char scope[TXT], aff[TXT], ev[TXT], act[64], d[32];

	snprintf(scope, sizeof(scope), "lab %s", in->lab ? in->lab : "?");
	if (in->cooldown_ns && in->end_reason && !strcmp(in->end_reason, "completed") &&
	    cool <= in->duration_ns) {
		fmt_s(d, sizeof(d), in->cooldown_ns);
		snprintf(act, sizeof(act), "observing for %s", d);
		avail_text(tl, cool, in->duration_ns, aff, sizeof(aff));
		add(tl, cool, "run", "cool-down", scope, aff, "faults reverted", act);
	}
	snprintf(ev, sizeof(ev), "run ended (%s)", in->end_reason ? in->end_reason : "?");
	avail_text(tl, 0, UINT64_MAX, aff, sizeof(aff));
	snprintf(act, sizeof(act), "verdict: %s", tl->verdict);
	add(tl, in->duration_ns, "run", ev, scope, aff,
	    in->end_detail && *in->end_detail ? in->end_detail : "", act);
}

static int cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

json_t *an_timeline_json(const struct zf_run_input *in,
			 const struct an_faults *f,
			 const struct an_probe *aps, size_t n,
			 const char *verdict)
{
	struct tl tl = { .in = in, .f = f, .aps = aps, .n = n, .verdict = verdict };
	json_t *a = json_array();

	run_rows(&tl);
	for (size_t i = 0; i < f->n; i++)
		event_rows(&tl, i);
	for (size_t i = 0; i < n; i++)
		outage_rows(&tl, &aps[i]);
	end_rows(&tl);
	qsort(tl.rows.v, tl.rows.n, sizeof(*tl.rows.v), cmp_row);
	for (size_t i = 0; i < tl.rows.n; i++)
		json_array_append_new(a, tl.rows.v[i].j);
	free(tl.rows.v);
	return a;
}
