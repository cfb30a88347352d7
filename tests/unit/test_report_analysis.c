/* test_report_analysis.c - the analysis of a run (docs/run-json.md) on
 * hand-made request histories: stalls, failure windows, causes, windows,
 * expectations, verdicts, cost, timeline, empty probes, no events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "jpath.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/analysis.h"
#include "spec/expect.h"

#define MS 1000000ull
#define SEC 1000000000ull

static int is_null(json_t *j, const char *path)
{
	return json_is_null(at(j, path));
}

/* The index of the first timeline row whose event contains TEXT, or -1. */
static int row_with(json_t *run, const char *text)
{
	json_t *row;
	size_t i;

	json_array_foreach(json_object_get(run, "timeline"), i, row) {
		const char *ev = json_string_value(json_object_get(row, "event"));

		if (ev && strstr(ev, text))
			return (int)i;
	}
	return -1;
}

/* RATE requests per second over [0, DUR), all ok in 1 ms. */
static struct zf_req *uniform(double rate, uint64_t dur, size_t *n)
{
	uint64_t step = (uint64_t)(1e9 / rate);
	struct zf_req *r;

	*n = (size_t)(dur / step);
	r = calloc(*n, sizeof(*r));
	assert_non_null(r);
	for (size_t i = 0; i < *n; i++) {
		r[i].planned_ns = i * step;
		r[i].latency_ns = 1 * MS;
		r[i].outcome = ZF_OUT_OK;
	}
	return r;
}

/* Requests planned in [A, B) fail with OUTCOME after LAT. */
static void fail_range(struct zf_req *r, size_t n, uint64_t a, uint64_t b,
		       enum zf_outcome outcome, uint64_t lat)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].planned_ns >= a && r[i].planned_ns < b) {
			r[i].outcome = (uint8_t)outcome;
			r[i].latency_ns = lat;
		}
}

static struct zf_expect expect(const char *text)
{
	struct zf_expect e;
	char err[256];

	if (zf_expect_parse(text, &e, err, sizeof(err)) < 0)
		fail_msg("%s: %s", text, err);
	return e;
}

static struct zf_run_probe probe(const char *name, double rate, struct zf_req *r,
				 size_t n)
{
	struct zf_run_probe p = {
		.name = name, .kind = "http", .from = "user1",
		.target = "http://www.lab/", .rate = rate, .timeout_ns = 2 * SEC,
		.slow_ns = 1 * SEC, .reqs = r, .n_reqs = n,
	};
	return p;
}

static struct zf_run_input input(struct zf_run_probe *probes, size_t n,
				 uint64_t duration)
{
	struct zf_run_input in = {
		.scenario = "s", .title = "A test", .klass = "power", .lab = "demo",
		.seed = 7, .time_scale = 1, .wall_start_ns = 1700000000ull * SEC,
		.duration_ns = duration, .warmup_ns = 10 * SEC,
		.cooldown_ns = 30 * SEC, .end_reason = "completed", .end_detail = "",
		.currency = "USD", .probes = probes, .n_probes = n,
	};
	return in;
}

static struct zf_run_event event(const char *id, const char *action,
				 uint64_t planned, uint64_t actual,
				 uint64_t revert_planned, uint64_t revert_actual)
{
	struct zf_run_event e = { .step = 0, .planned_ns = planned,
		.actual_ns = actual, .apply_ns = 5 * MS,
		.revert_planned_ns = revert_planned, .revert_actual_ns = revert_actual };

	snprintf(e.id, sizeof(e.id), "%s", id);
	snprintf(e.action, sizeof(e.action), "%s", action);
	snprintf(e.target, sizeof(e.target), "zone r1/a");
	snprintf(e.scope, sizeof(e.scope), "zone r1/a: web-a, lb-a");
	snprintf(e.status, sizeof(e.status), "%s", revert_actual ? "reverted" :
		 revert_planned ? "applied" : "done");
	return e;
}

/* A 2 s stall at 200 req/s: every request planned during it completes when
 * it ends. Open-loop latency makes it one 2 s outage of slow oks. */
static void test_stall(void **state)
{
	size_t n;
	struct zf_req *r = uniform(200, 30 * SEC, &n);
	struct zf_run_probe p = probe("web", 200, r, n);
	struct zf_run_input in = input(&p, 1, 30 * SEC);
	json_t *run;

	(void)state;
	for (size_t i = 0; i < n; i++)
		if (r[i].planned_ns >= 10 * SEC && r[i].planned_ns < 12 * SEC)
			r[i].latency_ns = 12 * SEC - r[i].planned_ns + 1 * MS;
	run = zf_analyse(&in);
	assert_int_equal(json_array_size(at(run, "probes.0.outages")), 1);
	assert_true(fabs(num(run, "probes.0.outages.0.duration_s") - 2.0) <= 0.01);
	assert_true(fabs(num(run, "probes.0.outages.0.start_s") - 10.0) <= 0.001);
	assert_true(num(run, "probes.0.latency_ms.all.p99") >= 1500);
	assert_true(num(run, "probes.0.latency_ms.all.max") >= 2000);
	assert_int_equal((int)num(run, "probes.0.ok"), (int)n);
	/* slow: planned in [10 s, 11 s], answered more than 1 s later */
	assert_int_equal((int)num(run, "probes.0.good"), (int)n - 201);
	/* 5799 / 6000 good, floored to 4 decimals */
	assert_true(fabs(num(run, "probes.0.availability") - 96.65) < 1e-9);
	assert_int_equal((int)num(run, "probes.0.outages.0.causes.slow"), 201);
	/* no events: everything is "before", no impact, no recovery */
	assert_int_equal((int)num(run, "probes.0.latency_ms.before.count"), (int)n);
	assert_int_equal((int)num(run, "probes.0.latency_ms.during.count"), 0);
	assert_true(is_null(run, "probes.0.latency_ms.during.p50"));
	assert_true(is_null(run, "probes.0.impact_s"));
	assert_true(is_null(run, "probes.0.recovery_s"));
	assert_int_equal(json_array_size(at(run, "probes.0.windows")), 0);
	assert_int_equal(json_array_size(at(run, "events")), 0);
	json_decref(run);
	free(r);
}

/* The shape of docs/run-json.md's example: a zone off for 60 s, requests
 * time out from 10.005 s to 71.3 s. */
static json_t *power_loss(struct zf_req **rp, struct zf_run_event *ev,
			  struct zf_run_probe *p, struct zf_run_input *in)
{
	size_t n;

	*rp = uniform(200, 100 * SEC, &n);
	fail_range(*rp, n, 10005 * MS, 71300 * MS, ZF_OUT_TIMEOUT, 2 * SEC);
	*p = probe("web", 200, *rp, n);
	*in = input(p, 1, 100200 * MS);
	*ev = event("f1", "power-off", 10 * SEC, 10001200000ull, 70 * SEC, 70000900000ull);
	in->events = ev;
	in->n_events = 1;
	return zf_analyse(in);
}

static void test_failure_window(void **state)
{
	struct zf_req *r;
	struct zf_run_event ev;
	struct zf_run_probe p;
	struct zf_run_input in;
	json_t *run = power_loss(&r, &ev, &p, &in);

	(void)state;
	assert_int_equal(json_array_size(at(run, "probes.0.outages")), 1);
	assert_true(fabs(num(run, "probes.0.outages.0.start_s") - 10.005) < 1e-6);
	assert_true(fabs(num(run, "probes.0.outages.0.end_s") - 71.3) < 1e-6);
	assert_true(fabs(num(run, "probes.0.outages.0.duration_s") - 61.295) < 1e-6);
	assert_int_equal((int)num(run, "probes.0.outages.0.requests"), 12259);
	assert_int_equal((int)num(run, "probes.0.outages.0.causes.timeout"), 12259);
	assert_true(fabs(num(run, "probes.0.impact_s") - 0.0038) < 1e-6);
	assert_true(fabs(num(run, "probes.0.recovery_s") - 1.2991) < 1e-6);
	assert_true(json_is_true(at(run, "probes.0.recovered")));
	assert_true(json_is_false(at(run, "probes.0.outages.0.open")));
	assert_int_equal((int)num(run, "probes.0.errors.timeout"), 12259);
	assert_int_equal((int)num(run, "probes.0.errors.refused"), 0);
	/* window f1: [10.0012, 70.0009), every request in it failed */
	assert_string_equal(str(run, "probes.0.windows.0.event"), "f1");
	assert_true(fabs(num(run, "probes.0.windows.0.start_s") - 10.0012) < 1e-9);
	assert_true(fabs(num(run, "probes.0.windows.0.end_s") - 70.0009) < 1e-9);
	assert_int_equal((int)num(run, "probes.0.windows.0.requests"), 12000);
	assert_true(num(run, "probes.0.windows.0.availability") == 0);
	/* latency: before = planned before 10.0012 (0 .. 10.000 s) */
	assert_int_equal((int)num(run, "probes.0.latency_ms.before.count"), 2001);
	assert_int_equal((int)num(run, "probes.0.latency_ms.during.count"), 0);
	assert_true(is_null(run, "probes.0.latency_ms.during.p99"));
	assert_true(num(run, "probes.0.latency_ms.after.p50") == 1.0);
	/* events */
	assert_true(fabs(num(run, "events.0.delay_ms") - 1.2) < 1e-9);
	assert_true(fabs(num(run, "events.0.revert_actual_s") - 70.0009) < 1e-9);
	assert_string_equal(str(run, "events.0.scope"), "zone r1/a: web-a, lb-a");
	assert_true(num(run, "phases.faults_start_s") == 10.0);
	assert_true(num(run, "phases.faults_end_s") == 70.0);
	/* samples: one per second of 100.2 s; second 20 all failed */
	assert_int_equal(json_array_size(at(run, "probes.0.samples")), 101);
	assert_true(num(run, "probes.0.samples.20.availability") == 0);
	assert_true(is_null(run, "probes.0.samples.20.p50_ms"));
	assert_true(num(run, "probes.0.samples.5.availability") == 100);
	assert_int_equal((int)num(run, "probes.0.samples.5.sent"), 200);
	assert_true(num(run, "probes.0.samples.5.p99_ms") == 1.0);
	json_decref(run);
	free(r);
}

/* Errors counted by cause; outages name their causes; two outages apart. */
static void test_errors_by_cause(void **state)
{
	size_t n;
	struct zf_req *r = uniform(100, 20 * SEC, &n);
	struct zf_run_probe p = probe("api", 100, r, n);
	struct zf_run_input in = input(&p, 1, 20 * SEC);
	json_t *run;

	(void)state;
	fail_range(r, n, 2 * SEC, 3 * SEC, ZF_OUT_REFUSED, 1 * MS);        /* 100 */
	fail_range(r, n, 3 * SEC, 3500 * MS, ZF_OUT_RESET, 2 * MS);        /* 50 */
	fail_range(r, n, 8 * SEC, 9 * SEC, ZF_OUT_DNS, 1 * MS);            /* 100 */
	r[1500].outcome = 200;                       /* out of range: "other" */
	r[1700].outcome = ZF_OUT_STATUS;
	run = zf_analyse(&in);
	assert_int_equal((int)num(run, "probes.0.errors.refused"), 100);
	assert_int_equal((int)num(run, "probes.0.errors.reset"), 50);
	assert_int_equal((int)num(run, "probes.0.errors.dns"), 100);
	assert_int_equal((int)num(run, "probes.0.errors.other"), 1);
	assert_int_equal((int)num(run, "probes.0.errors.bad_status"), 1);
	assert_int_equal((int)num(run, "probes.0.errors.timeout"), 0);
	assert_int_equal((int)num(run, "probes.0.errors.unreachable"), 0);
	assert_int_equal((int)num(run, "probes.0.ok"), (int)n - 252);
	assert_int_equal(json_array_size(at(run, "probes.0.outages")), 4);
	assert_true(fabs(num(run, "probes.0.outages.0.duration_s") - 1.5) < 1e-9);
	assert_int_equal((int)num(run, "probes.0.outages.0.causes.refused"), 100);
	assert_int_equal((int)num(run, "probes.0.outages.0.causes.reset"), 50);
	assert_int_equal((int)num(run, "probes.0.outages.1.causes.dns"), 100);
	/* a lone failure is a 1/rate outage */
	assert_true(fabs(num(run, "probes.0.outages.2.duration_s") - 0.01) < 1e-9);
	assert_true(row_with(run, "api: users fail (refused 66%, reset 33%)") >= 0);
	assert_true(row_with(run, "api: users fail (dns 100%)") >= 0);
	json_decref(run);
	free(r);
}

/* Failures one ok request apart merge (less than 2/rate apart); two ok
 * requests apart they do not. */
static void test_outage_merge(void **state)
{
	size_t n;
	struct zf_req *r = uniform(10, 10 * SEC, &n);
	struct zf_run_probe p = probe("m", 10, r, n);
	struct zf_run_input in = input(&p, 1, 10 * SEC);
	json_t *run;

	(void)state;
	r[10].outcome = r[12].outcome = ZF_OUT_TIMEOUT;    /* one ok between */
	r[30].outcome = r[33].outcome = ZF_OUT_TIMEOUT;    /* two ok between */
	run = zf_analyse(&in);
	assert_int_equal(json_array_size(at(run, "probes.0.outages")), 3);
	assert_true(fabs(num(run, "probes.0.outages.0.duration_s") - 0.3) < 1e-9);
	assert_int_equal((int)num(run, "probes.0.outages.0.requests"), 3);
	assert_true(fabs(num(run, "probes.0.outages.1.duration_s") - 0.1) < 1e-9);
	json_decref(run);
	free(r);
}

/* Windows: reverted, one-shot (until the next event), failed (empty), not
 * reached (empty, and no fault left in place). */
static void test_windows(void **state)
{
	size_t n;
	struct zf_req *r = uniform(10, 60 * SEC, &n);
	struct zf_run_probe p = probe("w", 10, r, n);
	struct zf_run_input in = input(&p, 1, 60 * SEC);
	struct zf_run_event ev[4] = {
		event("f1", "partition", 10 * SEC, 10 * SEC, 20 * SEC, 20 * SEC),
		event("f2", "kill", 30 * SEC, 30 * SEC, 0, 0),
		event("f3", "power-off", 40 * SEC, 0, 50 * SEC, 0),
		event("f4", "power-off", 70 * SEC, 0, 80 * SEC, 0),
	};
	json_t *run;

	(void)state;
	snprintf(ev[2].status, sizeof(ev[2].status), "failed");
	snprintf(ev[2].error, sizeof(ev[2].error), "no such zone");
	snprintf(ev[3].status, sizeof(ev[3].status), "planned");
	in.events = ev;
	in.n_events = 4;
	fail_range(r, n, 30 * SEC, 33 * SEC, ZF_OUT_REFUSED, 1 * MS);
	run = zf_analyse(&in);
	assert_true(num(run, "probes.0.windows.0.end_s") == 20);
	assert_int_equal((int)num(run, "probes.0.windows.0.requests"), 100);
	assert_true(num(run, "probes.0.windows.0.availability") == 100);
	/* the one-shot kill lasts to the end: the failed f3 never took effect */
	assert_true(num(run, "probes.0.windows.1.end_s") == 60);
	assert_true(fabs(num(run, "probes.0.windows.1.availability") - 90) < 1e-9);
	assert_true(num(run, "probes.0.windows.2.start_s") == 40);
	assert_true(num(run, "probes.0.windows.2.end_s") == 40);
	assert_true(is_null(run, "probes.0.windows.2.availability"));
	assert_true(is_null(run, "events.2.t_actual_s"));
	assert_string_equal(str(run, "events.2.error"), "no such zone");
	assert_true(is_null(run, "events.3.t_actual_s"));
	assert_true(is_null(run, "probes.0.windows.3.availability"));
	assert_true(row_with(run, "power-off zone r1/a") >= 0);
	/* after a one-shot fault: recovery to the end of its outage */
	assert_true(num(run, "probes.0.impact_s") == 20);
	assert_true(fabs(num(run, "probes.0.recovery_s") - 3.0) < 1e-9);
	json_decref(run);
	free(r);
}

/* A fault that was never reverted: no recovery; "during" to the end. */
static void test_left_on(void **state)
{
	size_t n;
	struct zf_req *r = uniform(10, 30 * SEC, &n);
	struct zf_run_probe p = probe("w", 10, r, n);
	struct zf_run_input in = input(&p, 1, 30 * SEC);
	struct zf_run_event ev = event("f1", "power-off", 10 * SEC, 10 * SEC, 20 * SEC, 0);
	json_t *run;

	(void)state;
	in.events = &ev;
	in.n_events = 1;
	in.end_reason = "interrupted";
	fail_range(r, n, 10 * SEC, 30 * SEC, ZF_OUT_TIMEOUT, 2 * SEC);
	run = zf_analyse(&in);
	assert_true(is_null(run, "probes.0.recovery_s"));
	assert_true(num(run, "probes.0.impact_s") == 0);
	assert_true(num(run, "probes.0.windows.0.end_s") == 30);
	assert_int_equal((int)num(run, "probes.0.latency_ms.after.count"), 0);
	assert_string_equal(str(run, "verdict"), "interrupted");
	json_decref(run);
	free(r);
}

/* Reverted, but the users never came back: no recovery, and an expectation
 * on recovery fails as if it were infinite. */
static void test_never_recovered(void **state)
{
	size_t n;
	struct zf_req *r = uniform(10, 30 * SEC, &n);
	struct zf_run_probe p = probe("w", 10, r, n);
	struct zf_run_input in = input(&p, 1, 30 * SEC);
	struct zf_run_event ev = event("f1", "partition", 10 * SEC, 10 * SEC, 20 * SEC, 20 * SEC);
	struct zf_expect ex[] = { expect("recovery <= 30s"), expect("recovery > 1s") };
	json_t *run;

	(void)state;
	in.events = &ev;
	in.n_events = 1;
	p.expects = ex;
	p.n_expects = 2;
	fail_range(r, n, 10 * SEC, 30 * SEC, ZF_OUT_UNREACHABLE, 1 * MS);
	run = zf_analyse(&in);
	assert_true(is_null(run, "probes.0.recovery_s"));
	assert_true(json_is_false(at(run, "probes.0.recovered")));
	assert_true(json_is_true(at(run, "probes.0.outages.0.open")));
	assert_true(is_null(run, "probes.0.expects.0.measured"));
	assert_true(json_is_false(at(run, "probes.0.expects.0.pass")));
	assert_true(json_is_true(at(run, "probes.0.expects.1.pass")));
	assert_string_equal(str(run, "timeline.4.action"), "w still failing at the end");
	assert_string_equal(str(run, "timeline.3.action"), "not restored by the end of the run");
	assert_true(row_with(run, "service restored") < 0);
	json_decref(run);
	free(r);
}

/* Expectations compare in their unit (%, ms, count); a missing measurement
 * passes < and <= and fails >= and >. */
static void test_expectations(void **state)
{
	struct zf_req *r;
	struct zf_run_event ev;
	struct zf_run_probe p;
	struct zf_run_input in;
	struct zf_expect ex[] = {
		expect("availability >= 99.5%"), expect("p99 <= 300ms"),
		expect("errors == 0"), expect("recovery <= 2s"),
		expect("impact < 10ms"), expect("outage < 60s"), expect("max < 1ms"),
		expect("p99.9 >= 1ms"),
	};
	json_t *run;

	(void)state;
	json_decref(power_loss(&r, &ev, &p, &in));    /* set up, analysed again */
	p.expects = ex;
	p.n_expects = sizeof(ex) / sizeof(ex[0]);
	run = zf_analyse(&in);
	assert_string_equal(str(run, "probes.0.expects.0.expr"), "availability >= 99.5%");
	assert_string_equal(str(run, "probes.0.expects.0.unit"), "%");
	assert_true(fabs(num(run, "probes.0.expects.0.measured") - 38.705) < 1e-9);
	assert_true(json_is_false(at(run, "probes.0.expects.0.pass")));
	assert_true(json_is_true(at(run, "probes.0.expects.1.pass")));
	assert_true(num(run, "probes.0.expects.1.measured") == 1.0);
	assert_true(num(run, "probes.0.expects.2.measured") == 12259);
	assert_true(json_is_false(at(run, "probes.0.expects.2.pass")));
	assert_true(fabs(num(run, "probes.0.expects.3.measured") - 1299.1) < 1e-9);
	assert_string_equal(str(run, "probes.0.expects.3.unit"), "ms");
	assert_true(json_is_true(at(run, "probes.0.expects.3.pass")));
	assert_true(fabs(num(run, "probes.0.expects.4.measured") - 3.8) < 1e-9);
	assert_true(json_is_true(at(run, "probes.0.expects.4.pass")));
	assert_true(fabs(num(run, "probes.0.expects.5.measured") - 61295) < 1e-9);
	assert_true(json_is_false(at(run, "probes.0.expects.5.pass")));
	assert_true(json_is_false(at(run, "probes.0.expects.6.pass")));
	assert_true(json_is_true(at(run, "probes.0.expects.7.pass")));
	assert_string_equal(str(run, "verdict"), "fail");
	json_decref(run);

	/* nothing broke: no recovery, no impact */
	in.n_events = 0;
	for (size_t i = 0; i < p.n_reqs; i++) {
		r[i].outcome = ZF_OUT_OK;
		r[i].latency_ns = 1 * MS;
	}
	ex[0] = expect("recovery <= 30s");
	ex[1] = expect("recovery >= 1s");
	ex[2] = expect("impact > 0ms");
	ex[3] = expect("impact != 5ms");
	ex[4] = expect("outage == 0");
	p.n_expects = 5;
	run = zf_analyse(&in);
	assert_true(is_null(run, "probes.0.expects.0.measured"));
	assert_true(json_is_true(at(run, "probes.0.expects.0.pass")));
	assert_true(json_is_false(at(run, "probes.0.expects.1.pass")));
	assert_true(json_is_false(at(run, "probes.0.expects.2.pass")));
	assert_true(json_is_true(at(run, "probes.0.expects.3.pass")));
	assert_true(num(run, "probes.0.expects.4.measured") == 0);
	assert_true(json_is_true(at(run, "probes.0.expects.4.pass")));
	json_decref(run);

	/* an expectation the analysis cannot read: failed, with an error */
	ex[0].metric = (enum zf_metric)99;
	p.n_expects = 1;
	run = zf_analyse(&in);
	assert_true(json_is_false(at(run, "probes.0.expects.0.pass")));
	assert_non_null(json_string_value(at(run, "probes.0.expects.0.error")));
	assert_string_equal(str(run, "verdict"), "fail");
	json_decref(run);
	free(r);
}

static const char *verdict_of(const char *reason, const char *expr, size_t n_req_fail)
{
	static char out[32];
	size_t n;
	struct zf_req *r = uniform(10, 10 * SEC, &n);
	struct zf_run_probe p = probe("v", 10, r, n);
	struct zf_run_input in = input(&p, 1, 10 * SEC);
	struct zf_expect e = expect(expr);
	json_t *run;

	for (size_t i = 0; i < n_req_fail; i++)
		r[i].outcome = ZF_OUT_TIMEOUT;
	p.expects = &e;
	p.n_expects = 1;
	in.end_reason = reason;
	run = zf_analyse(&in);
	snprintf(out, sizeof(out), "%s", str(run, "verdict"));
	json_decref(run);
	free(r);
	return out;
}

static void test_verdict(void **state)
{
	(void)state;
	assert_string_equal(verdict_of("completed", "errors == 0", 0), "pass");
	assert_string_equal(verdict_of("completed", "errors == 0", 3), "fail");
	assert_string_equal(verdict_of("stopped", "errors == 0", 0), "fail");
	assert_string_equal(verdict_of("interrupted", "errors == 0", 0), "interrupted");
	assert_string_equal(verdict_of("interrupted", "errors == 0", 5), "interrupted");
	assert_string_equal(verdict_of("error", "errors == 0", 0), "error");
	assert_string_equal(verdict_of("error", "errors == 0", 5), "error");
	assert_string_equal(verdict_of(NULL, "errors == 0", 0), "error");
	assert_string_equal(verdict_of("exploded", "errors == 0", 0), "error");
}

/* Cost: the worst probe's outages added up, at per_hour / 3600 a second. */
static void test_cost(void **state)
{
	size_t n1, n2;
	struct zf_req *a = uniform(10, 100 * SEC, &n1), *b = uniform(10, 100 * SEC, &n2);
	struct zf_run_probe p[2] = { probe("a", 10, a, n1), probe("b", 10, b, n2) };
	struct zf_run_input in = input(p, 2, 100 * SEC);
	json_t *run;

	(void)state;
	fail_range(a, n1, 10 * SEC, 20 * SEC, ZF_OUT_TIMEOUT, 2 * SEC);    /* 10 s */
	fail_range(b, n2, 10 * SEC, 16 * SEC, ZF_OUT_REFUSED, 1 * MS);     /* 6 s */
	fail_range(b, n2, 30 * SEC, 36 * SEC, ZF_OUT_REFUSED, 1 * MS);     /* 6 s */
	run = zf_analyse(&in);
	assert_true(json_is_null(at(run, "cost")));
	json_decref(run);
	in.cost_per_hour = 3600;
	run = zf_analyse(&in);
	assert_true(num(run, "cost.downtime_s") == 12);
	assert_true(num(run, "cost.amount") == 12);
	assert_true(num(run, "cost.per_hour") == 3600);
	assert_string_equal(str(run, "cost.currency"), "USD");
	json_decref(run);
	in.cost_per_hour = 10000;
	in.currency = NULL;
	run = zf_analyse(&in);
	assert_true(num(run, "cost.amount") == 33.33);
	assert_string_equal(str(run, "cost.currency"), "USD");
	json_decref(run);
	free(a);
	free(b);
}

/* A probe that sent nothing: every measurement absent, nothing crashes. */
static void test_empty_probe(void **state)
{
	struct zf_run_probe p = probe("idle", 10, NULL, 0);
	struct zf_run_input in = input(&p, 1, 5 * SEC);
	struct zf_expect ex[] = { expect("availability >= 99%"), expect("errors <= 0"),
				  expect("p99 < 1s"), expect("outage <= 1s") };
	json_t *run;

	(void)state;
	p.expects = ex;
	p.n_expects = 4;
	run = zf_analyse(&in);
	assert_int_equal((int)num(run, "probes.0.requests"), 0);
	assert_true(is_null(run, "probes.0.availability"));
	assert_int_equal(json_array_size(at(run, "probes.0.outages")), 0);
	assert_int_equal((int)num(run, "probes.0.latency_ms.all.count"), 0);
	assert_true(is_null(run, "probes.0.latency_ms.all.max"));
	assert_int_equal(json_array_size(at(run, "probes.0.samples")), 5);
	assert_true(is_null(run, "probes.0.samples.0.availability"));
	assert_int_equal(json_array_size(at(run, "probes.0.histogram")), 0);
	assert_true(json_is_false(at(run, "probes.0.expects.0.pass")));
	assert_true(json_is_true(at(run, "probes.0.expects.1.pass")));
	assert_true(json_is_true(at(run, "probes.0.expects.2.pass")));
	assert_true(json_is_true(at(run, "probes.0.expects.3.pass")));
	assert_true(is_null(run, "probes.0.expects.3.measured"));
	json_decref(run);

	/* no probes at all, nothing else either */
	memset(&in, 0, sizeof(in));
	run = zf_analyse(&in);
	assert_int_equal((int)num(run, "zonefall_run"), 1);
	assert_int_equal(json_array_size(at(run, "probes")), 0);
	assert_string_equal(str(run, "verdict"), "error");
	assert_true(json_is_object(at(run, "params")));
	assert_true(json_array_size(at(run, "timeline")) >= 2);
	json_decref(run);
}

/* The incident-style timeline: run phases, apply and revert, outage start
 * and end, in time order, each row with all six columns. */
static void test_timeline(void **state)
{
	struct zf_req *r;
	struct zf_run_event ev;
	struct zf_run_probe p;
	struct zf_run_input in;
	json_t *run = power_loss(&r, &ev, &p, &in), *row;
	static const char *const want[] = {
		"run started", "warm-up ended", "power-off zone r1/a",
		"web: users fail (timeout 100%)", "revert power-off zone r1/a",
		"cool-down", "web: service restored", "run ended (completed)",
	};
	double last = -1;
	size_t i;

	(void)state;
	assert_int_equal(json_array_size(at(run, "timeline")), 8);
	json_array_foreach(at(run, "timeline"), i, row) {
		static const char *const cols[] = { "event", "scope", "affected",
						    "cause", "action", "kind" };

		assert_string_equal(json_string_value(json_object_get(row, "event")), want[i]);
		for (size_t c = 0; c < 6; c++)
			assert_true(json_is_string(json_object_get(row, cols[c])));
		assert_true(json_number_value(json_object_get(row, "t_s")) >= last);
		last = json_number_value(json_object_get(row, "t_s"));
	}
	assert_true(num(run, "timeline.2.t_s") == 10.0012);
	assert_string_equal(str(run, "timeline.2.scope"), "zone r1/a: web-a, lb-a");
	assert_string_equal(str(run, "timeline.2.affected"), "web: availability 0.0%");
	assert_string_equal(str(run, "timeline.2.cause"), "injected (step 1)");
	assert_string_equal(str(run, "timeline.2.action"), "reverted at 70.001s");
	assert_string_equal(str(run, "timeline.2.kind"), "fault");
	assert_string_equal(str(run, "timeline.3.cause"), "power-off zone r1/a (f1)");
	assert_string_equal(str(run, "timeline.3.affected"), "12259 requests over 61.295s");
	assert_string_equal(str(run, "timeline.4.affected"), "web: failing");
	assert_string_equal(str(run, "timeline.4.action"), "web back 1.299s later");
	assert_true(num(run, "timeline.5.t_s") == 70.0009);
	assert_string_equal(str(run, "timeline.6.cause"),
			    "revert of power-off zone r1/a (f1) at 70.001s");
	assert_true(num(run, "timeline.6.t_s") == 71.3);
	assert_string_equal(str(run, "timeline.7.action"), "verdict: pass");
	json_decref(run);
	free(r);
}

/* The histogram holds every ok request, each value within 1%. */
static void test_histogram(void **state)
{
	size_t n;
	struct zf_req *r = uniform(100, 10 * SEC, &n);
	struct zf_run_probe p = probe("h", 100, r, n);
	struct zf_run_input in = input(&p, 1, 10 * SEC);
	json_t *run, *pair;
	double total = 0;
	size_t i;

	(void)state;
	for (i = 0; i < n; i++)
		r[i].latency_ns = i < 500 ? 412345 : i < 900 ? 3 * MS + 77 : 987654321;
	r[999].outcome = ZF_OUT_TIMEOUT;
	run = zf_analyse(&in);
	assert_int_equal(json_array_size(at(run, "probes.0.histogram")), 3);
	json_array_foreach(at(run, "probes.0.histogram"), i, pair) {
		static const double want[] = { 0.412345, 3.000077, 987.654321 };
		double v = json_number_value(json_array_get(pair, 0));

		assert_true(fabs(v - want[i]) / want[i] < 0.01);
		total += json_number_value(json_array_get(pair, 1));
	}
	assert_true(total == (double)n - 1);
	assert_true(num(run, "probes.0.latency_ms.all.p50") == 0.412);
	assert_true(num(run, "probes.0.latency_ms.all.p90") == 3.0);
	assert_true(num(run, "probes.0.latency_ms.all.max") == 987.654);
	json_decref(run);
	free(r);
}

/* Records out of planned order are analysed as if sorted; strings that
 * are not UTF-8 are repaired, not dropped. */
static void test_odd_input(void **state)
{
	size_t n;
	struct zf_req *r = uniform(10, 10 * SEC, &n), tmp;
	struct zf_run_probe p = probe("odd", 10, r, n);
	struct zf_run_input in = input(&p, 1, 10 * SEC);
	struct zf_run_event ev = event("f1", "kill", 2 * SEC, 2 * SEC, 0, 0);
	json_t *run;

	(void)state;
	fail_range(r, n, 5 * SEC, 6 * SEC, ZF_OUT_RESET, 1 * MS);
	tmp = r[3];
	r[3] = r[70];
	r[70] = tmp;
	memset(ev.target, 'x', sizeof(ev.target));      /* no NUL */
	ev.scope[0] = (char)0xff;
	p.name = "bad\xc3(";
	in.events = &ev;
	in.n_events = 1;
	run = zf_analyse(&in);
	assert_int_equal(json_array_size(at(run, "probes.0.outages")), 1);
	assert_true(num(run, "probes.0.outages.0.start_s") == 5);
	assert_int_equal(strlen(str(run, "events.0.target")), sizeof(ev.target));
	assert_string_equal(str(run, "probes.0.name"), "bad?(");
	assert_int_equal(str(run, "events.0.scope")[0], '?');
	json_decref(run);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stall),
		cmocka_unit_test(test_failure_window),
		cmocka_unit_test(test_errors_by_cause),
		cmocka_unit_test(test_outage_merge),
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_left_on),
		cmocka_unit_test(test_never_recovered),
		cmocka_unit_test(test_expectations),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_cost),
		cmocka_unit_test(test_empty_probe),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_histogram),
		cmocka_unit_test(test_odd_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
