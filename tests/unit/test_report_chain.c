/* test_report_chain.c - the observed fault chain of a run record: the
 * first fault is the cause, what it hit and what the watcher saw change
 * for the worse follow in time order, repairs are left out, the degraded
 * probes with measured figures come last; the incident's chain is put
 * beside it; no fault and no degradation say so. */
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
#include "report/render.h"

#define MS 1000000ull
#define SEC 1000000000ull

/* 100 requests/s over [0, 40 s), those planned in [A, B) time out. */
static struct zf_req *history(uint64_t a, uint64_t b, size_t *n)
{
	struct zf_req *r;

	*n = 4000;
	r = calloc(*n, sizeof(*r));
	assert_non_null(r);
	for (size_t i = 0; i < *n; i++) {
		r[i].planned_ns = i * 10 * MS;
		r[i].latency_ns = 1 * MS;
		r[i].outcome = ZF_OUT_OK;
		if (r[i].planned_ns >= a && r[i].planned_ns < b) {
			r[i].outcome = ZF_OUT_TIMEOUT;
			r[i].latency_ns = 1 * SEC;
		}
	}
	return r;
}

static struct zf_run_event event(const char *id, const char *action,
				 const char *target, uint64_t at)
{
	struct zf_run_event e = { .planned_ns = at, .actual_ns = at, .apply_ns = MS };

	snprintf(e.id, sizeof(e.id), "%s", id);
	snprintf(e.action, sizeof(e.action), "%s", action);
	snprintf(e.target, sizeof(e.target), "%s", target);
	snprintf(e.scope, sizeof(e.scope), "%s: web-a, lb-a", target);
	snprintf(e.status, sizeof(e.status), "done");
	return e;
}

static struct zf_run_obs obs(uint64_t t, const char *host, const char *svc,
			     const char *what, int degrading)
{
	struct zf_run_obs o = { .t_ns = t, .degrading = degrading };

	snprintf(o.host, sizeof(o.host), "%s", host);
	snprintf(o.service, sizeof(o.service), "%s", svc);
	snprintf(o.what, sizeof(o.what), "%s", what);
	return o;
}

struct fixture {
	struct zf_req *good, *bad;
	struct zf_run_probe p[2];
	struct zf_run_event ev[3];
	struct zf_run_obs ob[5];
	struct zf_run_input in;
};

/* A zone off at 10 s and on at 20 s; a cpu hog at 12 s; web times out
 * from 10.05 s to 21 s, api stays fine; the watcher sees the two hosts
 * off, a service restarted elsewhere, and the hosts back. */
static void setup(struct fixture *f)
{
	size_t n1, n2;

	memset(f, 0, sizeof(*f));
	f->bad = history(10050 * MS, 21 * SEC, &n1);
	f->good = history(0, 0, &n2);
	f->p[0] = (struct zf_run_probe){ .name = "api", .kind = "http", .from = "u",
		.target = "t", .rate = 100, .timeout_ns = SEC, .reqs = f->good, .n_reqs = n2 };
	f->p[1] = f->p[0];
	f->p[1].name = "web";
	f->p[1].reqs = f->bad;
	f->p[1].n_reqs = n1;
	f->ev[0] = event("f1", "power-off", "zone r1/a", 10 * SEC);
	f->ev[1] = event("f2", "cpu-hog", "host web-b", 12 * SEC);
	f->ev[2] = event("f3", "power-on", "zone r1/a", 20 * SEC);
	f->ob[0] = obs(2 * SEC, "web-c", "nginx", "restarted", 1);  /* before */
	f->ob[1] = obs(10100 * MS, "web-a", "", "powered off", 1);
	f->ob[2] = obs(10300 * MS, "lb-a", "", "powered off", 1);
	f->ob[3] = obs(13 * SEC, "web-b", "nginx", "restarted", 1);
	f->ob[4] = obs(20200 * MS, "web-a", "", "powered on", 0);
	f->in = (struct zf_run_input){ .scenario = "s", .title = "t", .klass = "power",
		.lab = "demo", .seed = 1, .time_scale = 1, .duration_ns = 40 * SEC,
		.end_reason = "completed", .end_detail = "", .currency = "USD",
		.events = f->ev, .n_events = 3, .probes = f->p, .n_probes = 2,
		.obs = f->ob, .n_obs = 5 };
}

static void teardown(struct fixture *f)
{
	free(f->good);
	free(f->bad);
}

static void test_chain_links(void **state)
{
	struct fixture f;
	json_t *run, *links;

	(void)state;
	setup(&f);
	run = zf_analyse(&f.in);
	links = at(run, "chain.observed");
	assert_int_equal(json_array_size(links), 6);
	assert_string_equal(str(run, "chain.observed.0.link"), "cause");
	assert_string_equal(str(run, "chain.observed.0.fault"), "f1");
	assert_string_equal(str(run, "chain.observed.0.text"), "power-off zone r1/a");
	assert_string_equal(str(run, "chain.observed.1.text"),
			    "hit directly: zone r1/a: web-a, lb-a");
	/* the two hosts seen off within a second are one link */
	assert_string_equal(str(run, "chain.observed.2.text"), "web-a, lb-a powered off");
	assert_true(fabs(num(run, "chain.observed.2.at") - 10.1) < 1e-6);
	assert_string_equal(str(run, "chain.observed.3.link"), "fault");
	assert_string_equal(str(run, "chain.observed.3.text"), "cpu-hog host web-b");
	assert_string_equal(str(run, "chain.observed.4.text"), "web-b/nginx restarted");
	/* last: the measured impact of the probe that degraded; api did not */
	assert_string_equal(str(run, "chain.observed.5.link"), "impact");
	assert_string_equal(str(run, "chain.observed.5.probe"), "web");
	assert_true(fabs(num(run, "chain.observed.5.at") - 10.05) < 1e-6);
	assert_true(fabs(num(run, "chain.observed.5.outage_s") - 10.95) < 0.02);
	/* [10 s, 20 s): 5 of 1000 requests good */
	assert_true(fabs(num(run, "chain.observed.5.availability") - 0.5) < 1e-6);
	assert_true(strstr(str(run, "chain.text"), "(power-off zone r1/a at 00:10.0) → ") ==
		    str(run, "chain.text"));
	assert_non_null(strstr(str(run, "chain.text"), "→ (web: out from 00:10.0"));
	/* the repair (power-on) and the recovery observation are not links */
	assert_null(strstr(str(run, "chain.text"), "power-on"));
	assert_null(strstr(str(run, "chain.text"), "powered on"));
	assert_true(json_is_null(at(run, "chain.incident")));
	/* every observation is in the record */
	assert_int_equal(json_array_size(at(run, "observed")), 5);
	assert_string_equal(str(run, "observed.4.what"), "powered on");
	assert_true(json_is_false(at(run, "observed.4.degrading")));
	json_decref(run);
	teardown(&f);
}

/* RUN rendered by WHICH (0 markdown, 1 terminal, 2 html) into a string. */
static char *render(json_t *run, int which)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (which == 0)
		zf_render_markdown(run, f);
	else if (which == 1)
		zf_render_terminal(run, f, 0);
	else
		zf_render_html(run, f);
	fclose(f);
	return buf;
}

static void test_incident_beside(void **state)
{
	struct fixture f;
	json_t *run;
	char *md, *term, *html;

	(void)state;
	setup(&f);
	f.in.incident = json_pack("{s:s,s:s}", "id", "x",
				  "chain", "(power loss) → (hosts off) → (outage)");
	run = zf_analyse(&f.in);
	assert_string_equal(str(run, "chain.incident"), "(power loss) → (hosts off) → (outage)");
	md = render(run, 0);
	assert_non_null(strstr(md, "## Fault chain\n\nObserved in this drill:\n\n> (power-off"));
	assert_non_null(strstr(md, "The real incident (x), as its source states it:\n\n"
				   "> (power loss) → (hosts off) → (outage)"));
	assert_non_null(strstr(md, "| 00:10.1 | failure | web-a, lb-a powered off |"));
	term = render(run, 1);
	assert_non_null(strstr(term, "  fault chain observed:\n      (power-off zone r1/a at 00:10.0)\n"
				     "    → (hit directly: zone r1/a: web-a, lb-a at 00:10.0)\n"));
	assert_non_null(strstr(term, "  the real incident's chain:\n      (power loss)\n"
				     "    → (hosts off)\n    → (outage)\n"));
	html = render(run, 2);
	assert_non_null(strstr(html, "<h2>Fault chain</h2>"));
	assert_non_null(strstr(html, "<th>The real incident</th>"));
	free(md);
	free(term);
	free(html);
	json_decref(f.in.incident);
	json_decref(run);
	teardown(&f);
}

static void test_no_degradation(void **state)
{
	struct fixture f;
	json_t *run;
	size_t n;

	(void)state;
	setup(&f);
	f.in.n_probes = 1;   /* api only */
	f.in.n_obs = 0;
	run = zf_analyse(&f.in);
	n = json_array_size(at(run, "chain.observed"));
	assert_int_equal(n, 4);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(at(run, "chain.observed"), n - 1), "link")), "none");
	assert_non_null(strstr(str(run, "chain.text"), "(no probe degraded)"));
	json_decref(run);
	teardown(&f);
}

static void test_no_fault(void **state)
{
	struct fixture f;
	json_t *run;

	(void)state;
	setup(&f);
	snprintf(f.ev[0].status, sizeof(f.ev[0].status), "failed");
	snprintf(f.ev[1].status, sizeof(f.ev[1].status), "planned");
	run = zf_analyse(&f.in);
	/* a repair alone is no cause */
	assert_int_equal(json_array_size(at(run, "chain.observed")), 0);
	assert_string_equal(str(run, "chain.text"), "no fault took effect");
	json_decref(run);
	teardown(&f);
}

/* An outage that began long before the fault is not its impact. */
static void test_earlier_outage(void **state)
{
	struct fixture f;
	json_t *run;
	size_t n;

	(void)state;
	setup(&f);
	free(f.bad);
	f.bad = history(1 * SEC, 40 * SEC, &n);
	f.p[1].reqs = f.bad;
	run = zf_analyse(&f.in);
	n = json_array_size(at(run, "chain.observed"));
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(at(run, "chain.observed"), n - 1), "link")), "none");
	json_decref(run);
	teardown(&f);
}

/* A service restarting twice within a second is named once; one that
 * keeps dying is one "crash-looping" link, not a link per round; a long
 * chain on the terminal keeps its last link (the impact) and counts the
 * middle; an arrow inside a link does not split it. */
static void test_repeats_and_long(void **state)
{
	static const char *const hosts[] = { "h0", "h1", "h2", "h3", "h4", "h5",
					     "h6", "h7", "h8", "h9" };
	struct fixture f;
	struct zf_run_obs many[24];
	json_t *run;
	char *term;
	size_t n = 0;

	(void)state;
	setup(&f);
	many[n++] = obs(11 * SEC, "cp-a", "api", "restarted", 1);
	many[n++] = obs(11 * SEC + 100 * MS, "cp-a", "api", "restarted", 1);
	many[n++] = obs(11 * SEC + 300 * MS, "cp-b", "api", "restarted", 1);
	for (size_t i = 0; i < 4; i++)   /* web-b's nginx keeps dying */
		many[n++] = obs((14 + i) * SEC, "web-b", "nginx",
				i % 2 ? "backoff" : "exited", 1);
	for (size_t i = 0; i < 10; i++)  /* ten hosts paused 2 s apart */
		many[n++] = obs((20 + 2 * i) * SEC, hosts[i], "", "paused", 1);
	f.in.obs = many;
	f.in.n_obs = n;
	f.in.incident = json_pack("{s:s,s:s}", "id", "x",
				  "chain", "(battery explosion → fire → heat) → (shut down)");
	run = zf_analyse(&f.in);
	assert_string_equal(str(run, "chain.observed.4.text"),
			    "web-b/nginx crash-looping (4 deaths and restarts seen, 00:14.0 to 00:17.0)");
	assert_string_equal(str(run, "chain.observed.2.text"),
			    "cp-a/api, cp-b/api restarted (3 times in all)");
	term = render(run, 1);
	assert_non_null(strstr(term, "    → ... "));
	assert_non_null(strstr(term, "more links (report.md has them all)\n"
				     "    → (web: out from 00:10.0"));
	assert_non_null(strstr(term, "      (battery explosion → fire → heat)\n    → (shut down)\n"));
	free(term);
	json_decref(f.in.incident);
	json_decref(run);
	teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_links),
		cmocka_unit_test(test_incident_beside),
		cmocka_unit_test(test_no_degradation),
		cmocka_unit_test(test_no_fault),
		cmocka_unit_test(test_earlier_outage),
		cmocka_unit_test(test_repeats_and_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
