/* drill_loop.c - the timeline in one event loop: a timer for the next
 * action (armed at its absolute planned time, so lateness never
 * accumulates), a 100 ms tick for stop_when conditions, a timer for the
 * end, and a signalfd for SIGINT/SIGTERM/SIGHUP. */
#include "engine/drill_int.h"
#include "fault/fault.h"
#include "spec/selector.h"
#include "util/log.h"
#include "util/timeutil.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#define TICK_MS 100

uint64_t drill_now(const struct drill *d)
{
	uint64_t now = zf_now_ns();

	return now > d->t0 ? now - d->t0 : 0;
}

void drill_say(const struct drill *d, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (d->o->quiet || d->o->json)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("[%8.3fs] %s\n", (double)drill_now(d) / 1e9, line);
	fflush(stdout);
}

static void finish(struct drill *d, const char *reason, const char *detail)
{
	if (d->end_reason)
		return;
	d->end_reason = reason;
	snprintf(d->end_detail, sizeof(d->end_detail), "%s", detail ? detail : "");
	d->ended_ns = drill_now(d);
	evloop_stop(d->loop);
}

/* Events whose fault another step ended (power-on ends power-off) are
 * marked reverted at the time that happened. */
static void sync_ended(struct drill *d, uint64_t now)
{
	struct zf_fault_info *v;
	size_t n;

	if (zf_fault_list_active(d->rt, &v, &n) < 0)
		return;
	for (size_t i = 0; i < d->scn->n_steps; i++) {
		struct zf_run_event *e = &d->events[i];
		int active = 0;
		if (strcmp(e->status, "applied"))
			continue;
		for (size_t k = 0; k < n && !active; k++)
			active = !strcmp(v[k].id, e->id);
		if (!active) {
			snprintf(e->status, sizeof(e->status), "reverted");
			e->revert_actual_ns = now;
		}
	}
	free(v);
}

/* What the step touches directly: "zone r1/a: web-a, lb-a" (hosts, or
 * host/service for service selectors); the target alone when it is not a
 * selector (partition and block targets) or selects too much to list. */
static void step_scope(const struct drill *d, const struct zf_scn_step *st,
		       char *buf, size_t len)
{
	const struct zf_lab *lab = d->rt->lab;
	struct zf_selection sel;
	char err[256];
	size_t n = 0, w;

	w = (size_t)snprintf(buf, len, "%s", st->target);
	if (w >= len || zf_selector_resolve_seeded(lab, st->target, d->seed, &sel, err,
						   sizeof(err)) < 0)
		return;
	for (size_t h = 0; h < lab->n_hosts && w < len; h++)
		if (sel.kind != ZF_SEL_SERVICE && sel.hosts[h])
			w += (size_t)snprintf(buf + w, len - w, "%s%s", n++ ? ", " : ": ",
					      lab->hosts[h].name);
	for (size_t i = 0; sel.kind == ZF_SEL_SERVICE && i < sel.n_services && w < len; i++)
		w += (size_t)snprintf(buf + w, len - w, "%s%s/%s", n++ ? ", " : ": ",
				      lab->hosts[sel.services[i].host].name,
				      lab->hosts[sel.services[i].host]
					      .services[sel.services[i].service].name);
	zf_selection_free(&sel);
}

static void do_apply(struct drill *d, size_t step)
{
	const struct zf_scn_step *st = &d->scn->steps[step];
	struct zf_run_event *e = &d->events[step];
	uint64_t start = drill_now(d);
	int rc = zf_fault_inject_seeded(d->rt, st->action, st->target, st->args, d->seed,
					e->id, sizeof(e->id), e->error, sizeof(e->error));

	e->actual_ns = start;
	e->apply_ns = drill_now(d) - start;
	snprintf(e->status, sizeof(e->status), "%s", rc < 0 ? "failed" : "applied");
	step_scope(d, st, e->scope, sizeof(e->scope));
	if (rc < 0) {
		drill_say(d, "step %zu: %s %s FAILED: %s", step + 1, st->action, st->target,
			  e->error);
		return;
	}
	e->error[0] = '\0';
	drill_say(d, "step %zu: %s %s%s%s (%s, %.1f ms late, applied in %.1f ms)", step + 1,
		  st->action, st->target, *st->args ? " " : "", st->args, e->id,
		  (double)(start - e->planned_ns) / 1e6, (double)e->apply_ns / 1e6);
	/* one-shot faults (kill, power-on) are done when applied */
	if (!zf_fault_kind_find(st->action)->revert)
		snprintf(e->status, sizeof(e->status), "done");
	/* what this step ended (power-on ends power-off) ended when it began */
	sync_ended(d, start);
}

static void revert_event(struct drill *d, struct zf_run_event *e)
{
	char err[512];
	uint64_t start = drill_now(d);

	if (strcmp(e->status, "applied"))
		return;
	/* what the emulator or DNS server did, read before its counters go
	 * with the fault */
	zf_fault_delivered(d->rt, e->action, e->id, e->delivered, sizeof(e->delivered));
	if (zf_fault_revert(d->rt, e->id, NULL, err, sizeof(err)) < 0 &&
	    !strstr(err, "no active fault")) {
		snprintf(e->error, sizeof(e->error), "revert: %.200s", err);
		drill_say(d, "revert of %s FAILED: %s", e->id, err);
		return;
	}
	snprintf(e->status, sizeof(e->status), "reverted");
	e->revert_actual_ns = start;
	drill_say(d, "reverted %s (%s %s)", e->id, e->action, e->target);
}

void drill_revert_all(struct drill *d)
{
	for (size_t i = d->scn->n_steps; i-- > 0;)
		revert_event(d, &d->events[i]);
}

/* Before the first fault: every probe must have been served during the
 * warm-up (and meet its availability expectations there), or the drill
 * would measure a system that was broken already. */
static int steady_state(struct drill *d)
{
	uint64_t secs = d->scn->warmup_ns / ZF_NS_PER_S;
	char detail[256];

	d->steady_checked = 1;
	for (size_t p = 0; p < d->n_probes && secs >= 1; p++) {
		uint64_t done = 0, good = 0, c, g;
		for (uint64_t s = 0; s < secs; s++)
			if (zf_probe_live(d->probes[p], s, &c, &g) == 0)
				done += c, good += g;
		double avail = done ? 100.0 * (double)good / (double)done : 0;
		int ok = good > 0;
		for (size_t e = 0; ok && e < d->scn->probes[p].n_expects; e++) {
			const struct zf_expect *x = &d->scn->probes[p].expects[e];
			if (x->metric == ZF_M_AVAILABILITY)
				ok = zf_expect_eval(x, avail, 1);
		}
		if (ok)
			continue;
		snprintf(detail, sizeof(detail), "steady state not reached: probe %s "
			 "availability %.1f%% during the warm-up", d->scn->probes[p].name, avail);
		drill_say(d, "ABORT: %s; no fault applied", detail);
		finish(d, "aborted", detail);
		return -1;
	}
	drill_say(d, "warm-up done: steady state holds");
	return 0;
}

static void on_act(struct evloop_timer *t)
{
	struct drill *d = t->ctx;

	if (!d->steady_checked && steady_state(d) < 0)
		return;
	while (d->next_act < d->n_acts &&
	       d->acts[d->next_act].at_ns <= drill_now(d) + 200000) {
		const struct act *a = &d->acts[d->next_act++];
		if (a->type == ACT_APPLY)
			do_apply(d, a->step);
		else
			revert_event(d, &d->events[a->step]);
	}
	if (d->next_act < d->n_acts)
		evloop_timer_arm_at(t, d->t0 + d->acts[d->next_act].at_ns);
}

/* The live value of a stop condition's metric over the last full second. */
static int live_metric(struct drill *d, const struct zf_scn_stop *sw, double *v)
{
	int p = zf_scenario_find_probe(d->scn, sw->probe);
	uint64_t now = drill_now(d), sec, done = 0, good = 0;

	if (p < 0 || !d->probes[p] || now < ZF_NS_PER_S)
		return 0;
	sec = now / ZF_NS_PER_S - 1;
	if (zf_probe_live(d->probes[p], sec, &done, &good) < 0 || done == 0)
		return 0;
	*v = sw->cond.metric == ZF_M_AVAILABILITY ? 100.0 * (double)good / (double)done
						   : (double)(done - good);
	return 1;
}

static void on_tick(struct evloop_timer *t)
{
	struct drill *d = t->ctx;
	uint64_t now = drill_now(d);

	for (size_t i = 0; i < d->scn->n_stops; i++) {
		const struct zf_scn_stop *sw = &d->scn->stops[i];
		double v;
		if (!live_metric(d, sw, &v) || !zf_expect_eval(&sw->cond, v, 1)) {
			d->stop_since[i] = 0;
			continue;
		}
		if (!d->stop_since[i])
			d->stop_since[i] = now;
		if (now - d->stop_since[i] >= sw->for_ns) {
			char detail[256];
			snprintf(detail, sizeof(detail), "stop_when: %s %s held for %.1fs",
				 sw->probe, sw->cond.expr, (double)sw->for_ns / 1e9);
			drill_say(d, "STOP: %s", detail);
			finish(d, "stopped", detail);
			return;
		}
	}
	evloop_timer_arm(t, TICK_MS);
}

static void on_end(struct evloop_timer *t)
{
	struct drill *d = t->ctx;

	if (!d->steady_checked && steady_state(d) < 0)
		return;
	finish(d, "completed", NULL);
}

static void on_signal(struct evloop_watch *w, uint32_t events)
{
	struct drill *d = w->ctx;
	struct signalfd_siginfo si;
	char detail[64];

	(void)events;
	if (read(d->sigfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return;
	snprintf(detail, sizeof(detail), "received %s", strsignal((int)si.ssi_signo));
	drill_say(d, "interrupted (%s): reverting", detail);
	finish(d, "interrupted", detail);
}

static int setup(struct drill *d)
{
	sigset_t set;
	int rc;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	d->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (d->sigfd < 0)
		return -errno;
	if ((rc = evloop_new(&d->loop)) < 0 ||
	    (rc = evloop_add(d->loop, &d->sig_watch, d->sigfd, EPOLLIN, on_signal, d)) < 0 ||
	    (rc = evloop_timer_init(d->loop, &d->act_timer, on_act, d)) < 0 ||
	    (rc = evloop_timer_init(d->loop, &d->tick_timer, on_tick, d)) < 0 ||
	    (rc = evloop_timer_init(d->loop, &d->end_timer, on_end, d)) < 0)
		return rc;
	return 0;
}

static void teardown(struct drill *d)
{
	if (!d->loop)
		return;
	evloop_timer_close(&d->act_timer);
	evloop_timer_close(&d->tick_timer);
	evloop_timer_close(&d->end_timer);
	evloop_del(d->loop, &d->sig_watch);
	evloop_free(d->loop);
	d->loop = NULL;
}

int drill_loop(struct drill *d)
{
	int rc = setup(d);

	if (rc < 0) {
		finish(d, "error", "cannot set up the event loop");
		teardown(d);
		return rc;
	}
	if (d->n_acts)
		evloop_timer_arm_at(&d->act_timer, d->t0 + d->acts[0].at_ns);
	evloop_timer_arm(&d->tick_timer, TICK_MS);
	evloop_timer_arm_at(&d->end_timer, d->t0 + d->end_ns);
	rc = evloop_run(d->loop);
	if (rc < 0)
		finish(d, "error", "event loop failed");
	drill_revert_all(d);
	teardown(d);
	if (d->sigfd >= 0)
		close(d->sigfd);
	d->sigfd = -1;
	return 0;
}
