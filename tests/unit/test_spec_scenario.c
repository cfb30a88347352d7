/* test_spec_scenario.c - scenario files load into exactly the model they
 * describe: parameters, --set and templates, time scaling, the timeline
 * and its order, expectations, stop conditions, incident, cost and seed;
 * every error is positioned and leaves the output untouched. Probe kinds
 * are in test_spec_scenario_probe.c, broken files in
 * test_spec_scenario_bad.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/scenario.h"

#define GOOD_DIR ZF_TEST_DATA "/scenarios/good"
#define MS 1000000ull
#define SEC 1000000000ull
#define UNTOUCHED ((struct zf_scenario *)(uintptr_t)0x1)
#define HEAD "scenario: t\nclass: power\n"
#define WEB "  web: { http: { url: \"http://www.lab/\" }, from: user1, " \
	    "rate: 10 }\n"

static struct zf_scenario *load_sets(const char *yaml, char *const *sets,
				     double scale)
{
	struct zf_scenario *s = NULL;
	char err[1024] = "";
	int rc = zf_scenario_load_buffer("t.yaml", yaml, strlen(yaml), sets,
					 scale, &s, err, sizeof(err));

	if (rc < 0)
		print_message("%s\n", err);
	assert_int_equal(rc, 0);
	assert_non_null(s);
	return s;
}

static struct zf_scenario *load(const char *yaml)
{
	return load_sets(yaml, NULL, 1.0);
}

static struct zf_scenario *load_file(const char *name, char *const *sets,
				     double scale)
{
	struct zf_scenario *s = NULL;
	char path[512], err[1024] = "";
	int rc;

	snprintf(path, sizeof(path), "%s/%s", GOOD_DIR, name);
	rc = zf_scenario_load(path, sets, scale, &s, err, sizeof(err));
	if (rc < 0)
		print_message("%s\n", err);
	assert_int_equal(rc, 0);
	return s;
}

/* Loading YAML with SETS fails with exactly WANT; the output is
 * untouched. */
static void fails_exact(const char *yaml, char *const *sets,
			const char *want)
{
	struct zf_scenario *s = UNTOUCHED;
	char err[2048] = "";
	int rc = zf_scenario_load_buffer("t.yaml", yaml, strlen(yaml), sets,
					 1.0, &s, err, sizeof(err));

	if (rc == 0)
		zf_scenario_free(s);
	assert_int_equal(rc, -EINVAL);
	assert_ptr_equal(s, UNTOUCHED);
	assert_string_equal(err, want);
}

/* Loading YAML fails at WANT = "LINE:COL: substring of the message". */
static void fails(const char *yaml, const char *want)
{
	struct zf_scenario *s = UNTOUCHED;
	char err[2048] = "", prefix[64];
	const char *text = strstr(want, ": ");
	int rc = zf_scenario_load_buffer("t.yaml", yaml, strlen(yaml), NULL,
					 1.0, &s, err, sizeof(err));

	assert_non_null(text);
	snprintf(prefix, sizeof(prefix), "t.yaml:%.*s: ",
		 (int)(text - want), want);
	if (rc == 0)
		zf_scenario_free(s);
	if (rc != -EINVAL || strncmp(err, prefix, strlen(prefix)) != 0 ||
	    !strstr(err, text + 2))
		print_message("want %s...%s\ngot  %s\n", prefix, text + 2, err);
	assert_int_equal(rc, -EINVAL);
	assert_ptr_equal(s, UNTOUCHED);
	assert_memory_equal(err, prefix, strlen(prefix));
	assert_non_null(strstr(err, text + 2));
}

static const char *param(const struct zf_scenario *s, const char *name)
{
	return json_string_value(json_object_get(s->params, name));
}

static void test_full_file(void **state)
{
	struct zf_scenario *s = load_file("full.yaml", NULL, 1.0);

	(void)state;
	assert_string_equal(s->name, "full-drill-1");
	assert_string_equal(s->title, "Everything at once: r1/a dark for 60s");
	assert_string_equal(s->klass, "network");
	assert_true(strstr(s->path, "good/full.yaml") != NULL);
	assert_int_equal(json_object_size(s->params), 8);
	assert_string_equal(param(s, "cmd"), "redis-cli -h db-a ping");
	assert_true(s->cost_per_hour == 12500.5);
	assert_string_equal(s->currency, "EUR");
	assert_int_equal(s->has_seed, 1);
	assert_int_equal(s->seed, 42);
	assert_true(s->time_scale == 1.0);
	assert_int_equal(s->warmup_ns, 10 * SEC);
	assert_int_equal(s->cooldown_ns, 30 * SEC);
	assert_int_equal(s->n_probes, 4);
	assert_string_equal(s->probes[0].name, "web");
	assert_string_equal(s->probes[3].name, "curl");
	assert_int_equal(zf_scenario_find_probe(s, "redis"), 1);
	assert_int_equal(zf_scenario_find_probe(s, "nope"), -1);
	assert_non_null(s->incident);
	assert_int_equal(s->n_steps, 5);
	assert_int_equal(s->n_stops, 2);
	zf_scenario_free(s);
}

/* The design brief's example, with --set and a time scale. */
static void test_design_example(void **state)
{
	char *sets[] = { "outage=2m", "zone=r1/b", NULL };
	struct zf_scenario *s = load_file("zone-power-loss.yaml", sets, 10.0);

	(void)state;
	assert_string_equal(s->name, "zone-power-loss");
	assert_string_equal(s->title, "zone-power-loss");
	assert_string_equal(s->klass, "power");
	assert_int_equal(s->has_seed, 0);
	assert_true(s->cost_per_hour == 0);
	assert_string_equal(s->currency, "USD");
	assert_null(s->incident);
	assert_int_equal(s->warmup_ns, 1 * SEC);
	assert_int_equal(s->cooldown_ns, 3 * SEC);
	assert_int_equal(s->n_steps, 2);
	assert_int_equal(s->steps[0].at_ns, 0);
	assert_string_equal(s->steps[0].action, "power-off");
	assert_string_equal(s->steps[0].target, "zone r1/b");
	assert_string_equal(s->steps[0].args, "");
	assert_int_equal(s->steps[0].for_ns, 0);
	assert_int_equal(s->steps[1].at_ns, 12 * SEC);
	assert_string_equal(s->steps[1].action, "power-on");
	assert_int_equal(s->n_stops, 1);
	assert_string_equal(s->stops[0].probe, "web");
	assert_int_equal(s->stops[0].for_ns, 6 * SEC);
	assert_int_equal(s->stops[0].cond.metric, ZF_M_AVAILABILITY);
	assert_int_equal(s->stops[0].cond.op, ZF_OP_LT);
	assert_true(s->stops[0].cond.threshold == 5);
	assert_string_equal(param(s, "outage"), "2m");
	zf_scenario_free(s);
}

static void test_minimal_defaults(void **state)
{
	struct zf_scenario *s = load_file("minimal.yaml", NULL, 1.0);

	(void)state;
	assert_string_equal(s->name, "nothing-happens");
	assert_string_equal(s->title, "nothing-happens");
	assert_string_equal(s->klass, "software");
	assert_int_equal(json_object_size(s->params), 0);
	assert_int_equal(s->n_probes + s->n_steps + s->n_stops, 0);
	assert_int_equal(s->warmup_ns + s->cooldown_ns, 0);
	assert_null(s->incident);
	zf_scenario_free(s);
	s = load(HEAD "params:\nprobes:\nsteps: []\nstop_when: ~\n"
		 "title: ~\nincident: {}\n");
	assert_string_equal(s->title, "t");
	assert_int_equal(json_object_size(s->incident), 0);
	zf_scenario_free(s);
}

static void test_sets(void **state)
{
	const char *yaml = HEAD "params: { zone: r1/a, outage: 60s }\n"
			   "title: \"{zone} for {outage}\"\n";
	char *later[] = { "zone=r1/b", "outage=", "zone=r2/a=x", NULL };
	char *unknown[] = { "zone=r1/b", "foo=1", NULL };
	char *no_eq[] = { "zone", NULL };
	char *no_key[] = { "=r1/a", NULL };
	char *bad_param[] = { "x=1", NULL };
	struct zf_scenario *s;

	(void)state;
	s = load_sets(yaml, later, 1.0);
	assert_string_equal(s->title, "r2/a=x for ");
	assert_string_equal(param(s, "outage"), "");
	zf_scenario_free(s);
	fails_exact(yaml, unknown, "--set foo: the scenario has no parameter "
		    "'foo' (it has: zone, outage)");
	fails_exact(yaml, no_eq, "--set zone: expected KEY=VALUE");
	fails_exact(yaml, no_key, "--set : expected KEY=VALUE");
	fails_exact(HEAD, bad_param, "--set x: the scenario has no parameter "
		    "'x' (it has: none)");
	/* A file error before the parameters wins over a --set error. */
	fails_exact(HEAD "bogus: 1\n", bad_param, "t.yaml:3:1: unknown key "
		    "'bogus' in the scenario file; allowed: scenario, title, "
		    "class, lab, incident, params, cost, seed, probes, warmup, "
		    "steps, cooldown, stop_when");
}

static void test_templates(void **state)
{
	struct zf_scenario *s;

	(void)state;
	/* Values are inserted as written; "{{" is a literal brace. */
	s = load(HEAD "params: { a: \"{b}\", b: 1 }\n"
		 "title: \"{{a}} {a} {{{b}}}\"\n");
	assert_string_equal(s->title, "{a} {b} {1}");
	zf_scenario_free(s);
	/* Expanded before parsing: durations, numbers, integers. */
	s = load("scenario: \"{n}\"\nclass: \"{c}\"\n"
		 "params: { n: x-1, c: network, d: 2s, r: \"2.5\", s: \"7\" }\n"
		 "warmup: \"{d}\"\nseed: \"{s}\"\n"
		 "cost: { per_hour: \"{r}\" }\n");
	assert_string_equal(s->name, "x-1");
	assert_string_equal(s->klass, "network");
	assert_int_equal(s->warmup_ns, 2 * SEC);
	assert_int_equal(s->seed, 7);
	assert_true(s->cost_per_hour == 2.5);
	zf_scenario_free(s);
	fails(HEAD "params: { zone: r1/a }\ntitle: \"zone {zoen}\"\n",
	      "4:8: unknown parameter '{zoen}' in 'title' (the scenario has: "
	      "zone)");
	fails(HEAD "title: \"{ip:web-a}\"\n", "3:8: unknown parameter "
	      "'{ip:web-a}' in 'title' (the scenario has: none)");
	fails(HEAD "title: \"a } b\"\n", "3:8: lone '}' at offset 2 (write }} "
	      "for a literal brace) in 'title'");
	fails(HEAD "params: { d: 2 }\nwarmup: \"{d}\"\n", "4:9: expected a "
	      "duration like 250ms, 1.5s, 2m for 'warmup', got '2'");
}

/* A title of N "{v}" placeholders into YAML (CAP bytes). */
static void title_of(char *yaml, size_t cap, int n)
{
	size_t len = (size_t)snprintf(yaml, cap, HEAD "params: { v: x }\n"
				      "title: \"");

	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(yaml + len, cap - len, "{v}");
	snprintf(yaml + len, cap - len, "\"\n");
}

/* 64 KiB of expansion is the most a string may have. */
static void test_template_caps(void **state)
{
	char yaml[1024], big[ZF_SCN_PARAM_MAX + 8];
	char *sets[] = { big, NULL };
	struct zf_scenario *s;

	(void)state;
	memset(big, 'a', sizeof(big));
	memcpy(big, "v=", 2);
	big[2 + ZF_SCN_PARAM_MAX] = '\0';
	title_of(yaml, sizeof(yaml), 64);
	s = load_sets(yaml, sets, 1.0);
	assert_int_equal(strlen(s->title), ZF_SCN_TEXT_MAX);
	zf_scenario_free(s);
	title_of(yaml, sizeof(yaml), 65);
	fails_exact(yaml, sets, "t.yaml:4:8: 'title' is longer than 65536 "
		    "bytes once expanded");
	big[2 + ZF_SCN_PARAM_MAX] = 'a';
	big[3 + ZF_SCN_PARAM_MAX] = '\0';
	fails_exact(yaml, sets, "--set v: value longer than 1024 bytes");
}

static void test_param_errors(void **state)
{
	char yaml[4096];
	size_t n;

	(void)state;
	fails(HEAD "params: [a, b]\n", "3:9: expected a mapping for 'params', "
	      "got a list");
	fails(HEAD "params: { zone: }\n", "3:17: expected a value (a string "
	      "or a number) for parameter 'zone', got nothing");
	fails(HEAD "params: { zone: [a] }\n", "3:17: expected a value (a "
	      "string or a number) for parameter 'zone', got a list");
	fails(HEAD "params: { 9zone: a }\n", "3:11: invalid parameter name "
	      "'9zone'");
	n = (size_t)snprintf(yaml, sizeof(yaml), HEAD "params:\n");
	for (int i = 0; i <= ZF_SCN_MAX_PARAMS; i++)
		n += (size_t)snprintf(yaml + n, sizeof(yaml) - n,
				      "  p%d: v\n", i);
	fails(yaml, "68:3: more than 64 parameters in 'params'");
}

static void test_time_scaling(void **state)
{
	const char *yaml = HEAD "warmup: 10s\ncooldown: 1ns\n"
		"probes:\n"
		"  web: { http: { url: \"http://www.lab/\" }, from: user1, "
		"rate: 10, timeout: 3s, slow: 1500ms, "
		"expect: { recovery: \"<= 30s\" } }\n"
		"steps:\n"
		"  - { at: 1s, do: a, target: lab, for: 2s }\n"
		"  - { at: 3ns, do: b, target: lab, for: 1ns }\n"
		"stop_when: [ { probe: web, errors: \"> 0\", for: 1m } ]\n";
	struct zf_scenario *s = load_sets(yaml, NULL, 3.0);

	(void)state;
	assert_true(s->time_scale == 3.0);
	assert_int_equal(s->warmup_ns, 3333333333ull);
	assert_int_equal(s->cooldown_ns, 1);       /* 1/3 ns: kept non-zero */
	assert_int_equal(s->steps[0].at_ns, 1);
	assert_int_equal(s->steps[0].for_ns, 1);
	assert_int_equal(s->steps[1].at_ns, 333333333ull);
	assert_int_equal(s->steps[1].for_ns, 666666667ull);
	assert_int_equal(s->stops[0].for_ns, 20 * SEC);
	/* Request properties and thresholds are not scaled. */
	assert_int_equal(s->probes[0].timeout_ns, 3 * SEC);
	assert_int_equal(s->probes[0].slow_ns, 1500 * MS);
	assert_true(s->probes[0].expects[0].threshold == 30000);
	zf_scenario_free(s);
	s = load_sets(yaml, NULL, 1.0);
	assert_int_equal(s->warmup_ns, 10 * SEC);
	assert_int_equal(s->steps[0].at_ns, 3);
	zf_scenario_free(s);
	s = load_sets(yaml, NULL, 1e12);
	assert_int_equal(s->warmup_ns, 1);
	assert_int_equal(s->steps[0].at_ns, 1);
	zf_scenario_free(s);
}

static void test_steps_sorted(void **state)
{
	struct zf_scenario *s = load(HEAD
		"steps:\n"
		"  - { at: 10s, do: a, target: lab }\n"
		"  - { at: 0s, do: b, target: lab }\n"
		"  - { at: 10s, do: c, target: lab }\n"
		"  - { at: 5s, do: d, target: lab, args: \"x y\" }\n"
		"  - { at: 0s, do: e, target: lab }\n"
		"  - { at: 10s, do: f, target: lab }\n");
	const char *order = "bedacf";
	const int lines[] = { 5, 8, 7, 4, 6, 9 };

	(void)state;
	assert_int_equal(s->n_steps, 6);
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(s->steps[i].action[0], order[i]);
		assert_int_equal(s->steps[i].mark.line, lines[i]);
		assert_int_equal(s->steps[i].mark.col, 5);
	}
	assert_string_equal(s->steps[2].args, "x y");
	assert_int_equal(s->steps[2].at_ns, 5 * SEC);
	zf_scenario_free(s);
}

static void test_step_errors(void **state)
{
	char *yaml = malloc(64 * 1024);
	size_t n;

	(void)state;
	fails(HEAD "steps: [ { do: a, target: lab } ]\n", "3:10: missing key "
	      "'at' in step 1");
	fails(HEAD "steps: [ { at: 0s, target: lab } ]\n", "3:10: missing key "
	      "'do' in step 1");
	fails(HEAD "steps: [ { at: 0s, do: a, target: lab, when: x } ]\n",
	      "3:40: unknown key 'when' in step 1; allowed: at, do, target, "
	      "args, for");
	fails(HEAD "steps: [ { at: 0s, do: 9a, target: lab } ]\n", "3:24: "
	      "expected a fault name like power-off for 'do' of step 1, got "
	      "'9a'");
	fails(HEAD "steps: [ { at: 0s, do: abcdefghijabcdefghijabcdefghijab, "
	      "target: lab } ]\n", "3:24: expected a fault name");
	fails(HEAD "steps: [ { at: 0s, do: a, target: \" \" } ]\n", "3:35: "
	      "empty 'target' of step 1: expected a selector like 'zone "
	      "r1/a'");
	fails(HEAD "steps: [ { at: 0s, do: a, target: [lab] } ]\n", "3:35: "
	      "expected a string for 'target' of step 1, got a list");
	fails(HEAD "steps: [ { at: 0s, do: a, target: lab, args: [x] } ]\n",
	      "3:46: expected a string for 'args' of step 1, got a list");
	fails(HEAD "steps: [ { at: soon, do: a, target: lab } ]\n", "3:16: "
	      "expected a duration like 250ms, 1.5s, 2m for 'at' of step 1");
	fails(HEAD "steps: [ x ]\n", "3:10: expected a mapping for step 1, "
	      "got a string");
	assert_non_null(yaml);
	n = (size_t)snprintf(yaml, 64 * 1024, HEAD "steps:\n");
	for (int i = 0; i <= ZF_SCN_MAX_STEPS; i++)
		n += (size_t)snprintf(yaml + n, 64 * 1024 - n,
				      "- {at: 0s, do: a, target: lab}\n");
	fails(yaml, "1028:3: more than 1024 steps in 'steps'");
	free(yaml);
}

static void test_expectations(void **state)
{
	struct zf_scenario *s = load(HEAD "params: { min: \"99.9\" }\n"
		"probes:\n"
		"  a:\n"
		"    tcp: { connect: \"db:1\" }\n    from: u\n    rate: 1\n"
		"    expect: { availability: \">= {min}%\", p99.9: \"<300ms\",\n"
		"              max: \"!= 1s\", impact: \"> 1s\" }\n"
		"  b:\n"
		"    tcp: { connect: \"db:1\" }\n    from: u\n    rate: 1\n"
		"    expect: [ \"errors == 0\", \"outage<5s\", \"p50 >= 1ms\" ]\n"
		"  c:\n"
		"    tcp: { connect: \"db:1\" }\n    from: u\n    rate: 1\n"
		"    expect: []\n");
	const struct zf_scn_probe *a = &s->probes[0], *b = &s->probes[1];

	(void)state;
	assert_int_equal(a->n_expects, 4);
	assert_string_equal(a->expects[0].expr, "availability >= 99.9%");
	assert_true(a->expects[0].threshold == 99.9);
	assert_string_equal(a->expects[1].expr, "p99.9 < 300ms");
	assert_int_equal(a->expects[1].metric, ZF_M_P999);
	assert_int_equal(a->expects[2].op, ZF_OP_NE);
	assert_int_equal(a->expects[3].metric, ZF_M_IMPACT);
	assert_int_equal(b->n_expects, 3);
	assert_string_equal(b->expects[0].expr, "errors == 0");
	assert_string_equal(b->expects[1].expr, "outage < 5s");
	assert_true(b->expects[1].threshold == 5000);
	assert_int_equal(b->expects[2].metric, ZF_M_P50);
	assert_int_equal(s->probes[2].n_expects, 0);
	zf_scenario_free(s);
}

static void test_expectation_errors(void **state)
{
	char yaml[4096];
	size_t n;

	(void)state;
	fails(HEAD "probes:\n  w: { exec: { in: a, run: b }, rate: 1, "
	      "expect: { avail: \">= 1%\" } }\n", "4:52: unknown metric "
	      "'avail' in 'expect' of probe 'w' (use availability, p50, p90, "
	      "p99, p99.9, max, errors, recovery, impact, outage)");
	fails(HEAD "probes:\n  w: { exec: { in: a, run: b }, rate: 1, "
	      "expect: { p99: \"<= fast\" } }\n", "4:57: expected a duration "
	      "like 300ms after 'p99 <=', got 'fast' in 'expect' of probe "
	      "'w'");
	fails(HEAD "probes:\n  w: { exec: { in: a, run: b }, rate: 1, "
	      "expect: { availability: \">= 101%\" } }\n", "4:66: expected a "
	      "percentage like 99.5% after 'availability >=', got '101%'");
	fails(HEAD "probes:\n  w: { exec: { in: a, run: b }, rate: 1, "
	      "expect: [ \"errors == 0\", [x] ] }\n", "4:67: expected a "
	      "string for 'expect' of probe 'w', got a list");
	fails(HEAD "probes:\n  w: { exec: { in: a, run: b }, rate: 1, "
	      "expect: { p99: \"{x}\" } }\n", "4:57: unknown parameter '{x}' "
	      "in 'expect' of probe 'w'");
	n = (size_t)snprintf(yaml, sizeof(yaml), HEAD "probes:\n  w:\n"
			     "    exec: { in: a, run: b }\n    rate: 1\n"
			     "    expect:\n");
	for (int i = 0; i <= ZF_SCN_MAX_EXPECTS; i++)
		n += (size_t)snprintf(yaml + n, sizeof(yaml) - n,
				      "      - errors < %d\n", i + 1);
	fails(yaml, "24:9: more than 16 expectations in 'expect' of probe "
	      "'w'");
}

static void test_stop_when(void **state)
{
	struct zf_scenario *s = load(HEAD "probes:\n" WEB
		"  api: { tcp: { connect: \"a:1\" }, from: u, rate: 1 }\n"
		"params: { p: api }\n"
		"stop_when:\n"
		"  - { probe: web, availability: \"< 5%\", for: 1m }\n"
		"  - { p99: \"> 2s\", probe: \"{p}\" }\n");

	(void)state;
	assert_int_equal(s->n_stops, 2);
	assert_string_equal(s->stops[0].probe, "web");
	assert_string_equal(s->stops[0].cond.expr, "availability < 5%");
	assert_int_equal(s->stops[0].for_ns, 60 * SEC);
	assert_int_equal(s->stops[0].mark.line, 8);
	assert_string_equal(s->stops[1].probe, "api");
	assert_int_equal(s->stops[1].cond.metric, ZF_M_P99);
	assert_int_equal(s->stops[1].cond.op, ZF_OP_GT);
	assert_true(s->stops[1].cond.threshold == 2000);
	assert_int_equal(s->stops[1].for_ns, 0);
	zf_scenario_free(s);
}

static void test_stop_when_errors(void **state)
{
	char yaml[8192];
	size_t n;

	(void)state;
	fails(HEAD "stop_when: { probe: web }\n", "3:12: expected a list of "
	      "conditions for 'stop_when', got a mapping");
	fails(HEAD "stop_when: [ x ]\n", "3:14: expected a mapping for stop "
	      "condition 1, got a string");
	fails(HEAD "probes:\n" WEB "stop_when: [ { availability: \"< 5%\" } ]\n",
	      "5:14: missing key 'probe' in stop condition 1");
	fails(HEAD "probes:\n" WEB "stop_when: [ { probe: web, for: 1s } ]\n",
	      "5:14: stop condition 1 needs a metric and a condition, like "
	      "availability: \"< 5%\"");
	fails(HEAD "probes:\n" WEB "stop_when: [ { probe: web, when: x } ]\n",
	      "5:28: unknown key 'when' in stop condition 1; allowed: probe, "
	      "for, and one metric (availability, p50, p90, p99, p99.9, max, "
	      "errors, recovery, impact, outage)");
	fails(HEAD "stop_when: [ { probe: web, errors: \"> 1\" } ]\n", "3:23: "
	      "stop condition 1: no probe named 'web' (the scenario has: "
	      "none)");
	fails(HEAD "probes:\n" WEB "stop_when: [ { probe: web, errors: \"1\" } ]\n",
	      "5:36: expected an operator (>= <= > < == !=) after 'errors' in "
	      "stop condition 1");
	fails(HEAD "probes:\n" WEB "stop_when: [ { probe: web, errors: \"> 1\", "
	      "for: x } ]\n", "5:48: expected a duration like 250ms, 1.5s, 2m "
	      "for 'for' of stop condition 1, got 'x'");
	n = (size_t)snprintf(yaml, sizeof(yaml), HEAD "probes:\n" WEB
			     "stop_when:\n");
	for (int i = 0; i <= ZF_SCN_MAX_STOPS; i++)
		n += (size_t)snprintf(yaml + n, sizeof(yaml) - n,
				      "- { probe: web, errors: \"> 1\" }\n");
	fails(yaml, "38:3: more than 32 conditions in 'stop_when'");
}

static void test_incident(void **state)
{
	struct zf_scenario *s = load_file("full.yaml", NULL, 1.0);
	char *text = json_dumps(s->incident, JSON_COMPACT);

	(void)state;
	assert_string_equal(text, "{\"id\":\"aws-2021-12-07\",\"provider\":"
		"\"AWS\",\"year\":2021,\"hours\":7.5,\"regions\":"
		"[\"us-east-1\"],\"public\":true,\"cause\":null,\"quoted\":"
		"\"42\",\"chain\":[{\"step\":1,\"what\":\"internal network "
		"congested\"},{\"step\":2,\"what\":\"monitoring {blind}\"}]}");
	free(text);
	zf_scenario_free(s);
	s = load(HEAD "incident:\n  a: [0x10, 007, +1, 1e3, -0.5, 1e999, "
		 "99999999999999999999, 1., .5, -, 'true', False, ~, '']\n"
		 "  b: { c: { d: [] } }\n");
	text = json_dumps(s->incident, JSON_COMPACT);
	assert_string_equal(text, "{\"a\":[\"0x10\",\"007\",\"+1\",1000.0,-0.5,"
		"\"1e999\",1e20,\"1.\",\".5\",\"-\",\"true\",\"False\",null,"
		"\"\"],\"b\":{\"c\":{\"d\":[]}}}");
	free(text);
	zf_scenario_free(s);
	fails(HEAD "incident: x\n", "3:11: expected a mapping for 'incident', "
	      "got a string");
}

static void test_cost(void **state)
{
	struct zf_scenario *s = load(HEAD "cost: { per_hour: 1e4 }\n");

	(void)state;
	assert_true(s->cost_per_hour == 10000);
	assert_string_equal(s->currency, "USD");
	zf_scenario_free(s);
	s = load(HEAD "cost: { per_hour: 0.01, currency: JPY }\n");
	assert_string_equal(s->currency, "JPY");
	zf_scenario_free(s);
	fails(HEAD "cost: { currency: EUR }\n", "3:7: missing key 'per_hour' "
	      "in 'cost'");
	fails(HEAD "cost: { per_hour: 0 }\n", "3:19: 'per_hour' must be more "
	      "than 0");
	fails(HEAD "cost: { per_hour: lots }\n", "3:19: expected a number for "
	      "'per_hour', got 'lots'");
	fails(HEAD "cost: { per_hour: inf }\n", "3:19: expected a number");
	fails(HEAD "cost: { per_hour: 1, currency: usd }\n", "3:32: expected a "
	      "3-letter currency code like USD or EUR for 'currency', got "
	      "'usd'");
	fails(HEAD "cost: { per_hour: 1, per_day: 2 }\n", "3:22: unknown key "
	      "'per_day' in 'cost'; allowed: per_hour, currency");
}

static void test_seed(void **state)
{
	struct zf_scenario *s = load(HEAD "seed: 9223372036854775807\n");

	(void)state;
	assert_int_equal(s->has_seed, 1);
	assert_int_equal(s->seed, 9223372036854775807ull);
	zf_scenario_free(s);
	s = load(HEAD "seed: 1\n");
	assert_int_equal(s->seed, 1);
	zf_scenario_free(s);
	fails(HEAD "seed: 9223372036854775808\n", "3:7: expected an integer "
	      "from 1 to 9223372036854775807 for 'seed', got "
	      "'9223372036854775808'");
	fails(HEAD "seed: -1\n", "3:7: expected an integer from 1");
	fails(HEAD "seed: 1.5\n", "3:7: expected an integer from 1");
	fails(HEAD "seed: \"\"\n", "3:7: expected an integer from 1");
}

static void test_top_level_errors(void **state)
{
	(void)state;
	fails("scenario: t\n", "1:1: missing key 'class' in the scenario file");
	fails("class: power\n", "1:1: missing key 'scenario'");
	fails("- a\n", "1:1: expected a mapping with 'scenario' and 'class' at "
	      "the top of the file, got a list");
	fails("# nothing\n", "2:1: empty file");
	fails("scenario: t\nclass: [power]\n", "2:8: expected a string for "
	      "'class', got a list");
	fails("scenario: -t\nclass: power\n", "1:11: invalid scenario name "
	      "'-t'");
	fails("scenario: abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"
	      "abcdefghijabcd\nclass: power\n", "1:11: invalid scenario name");
	fails(HEAD "warmup: -1s\n", "3:9: expected a duration");
	fails(HEAD "probes: [a]\n", "3:9: expected a mapping for 'probes', got "
	      "a list");
	fails(HEAD "class: software\n", "3:1: duplicate key 'class'");
	fails(HEAD "seed: ~\n", "3:7: expected a value for 'seed', got "
	      "nothing");
	fails(HEAD "steps: [ { at: 0s, do: a, target: lab, args: } ]\n",
	      "3:46: expected a value for 'args' of step 1, got nothing");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_design_example),
		cmocka_unit_test(test_minimal_defaults),
		cmocka_unit_test(test_sets),
		cmocka_unit_test(test_templates),
		cmocka_unit_test(test_template_caps),
		cmocka_unit_test(test_param_errors),
		cmocka_unit_test(test_time_scaling),
		cmocka_unit_test(test_steps_sorted),
		cmocka_unit_test(test_step_errors),
		cmocka_unit_test(test_expectations),
		cmocka_unit_test(test_expectation_errors),
		cmocka_unit_test(test_stop_when),
		cmocka_unit_test(test_stop_when_errors),
		cmocka_unit_test(test_incident),
		cmocka_unit_test(test_cost),
		cmocka_unit_test(test_seed),
		cmocka_unit_test(test_top_level_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
