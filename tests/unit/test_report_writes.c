/* test_report_writes.c - a write probe in the run record and the reports:
 * its "ledger", "check" and "write" keys, the lost window against the
 * faults, data-safety expectations evaluated with the checker (pass, fail,
 * and unknown without a final read: not a pass, so the run fails), and the
 * data-safety section of report.md, the terminal summary and report.html,
 * rendered from the record alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "jpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/checker.h"
#include "probe/ledger.h"
#include "report/analysis.h"
#include "report/render.h"
#include "spec/expect.h"

#define MS 1000000ull
#define SEC 1000000000ull
#define RATE 10                 /* writes per second */
#define DUR 30                  /* seconds */

/* A history: writes every 100 ms; those planned in [10 s, 20 s) fail,
 * those in [8 s, 10 s) are acknowledged and lost; READ: a final read. */
struct hist {
	struct zf_ledger *l;
	struct zf_req req[RATE * DUR];
	struct zf_check c;
};

static void build(struct hist *h, int read)
{
	uint16_t user, node;
	char v[96];

	assert_int_equal(zf_ledger_new("zf-t-", &h->l), 0);
	assert_int_equal(zf_ledger_intern(h->l, "user1", &user), 0);
	assert_int_equal(zf_ledger_intern(h->l, "redis-a", &node), 0);
	for (uint64_t k = 0; k < RATE * DUR; k++) {
		uint64_t t = k * SEC / RATE;
		int fail = t >= 10 * SEC && t < 20 * SEC;
		struct zf_write w = { k, t, t + MS, t + 2 * MS, user, node,
				      fail ? ZF_W_FAIL : ZF_W_OK };

		assert_int_equal(zf_ledger_add(h->l, &w, NULL), 0);
		h->req[k] = (struct zf_req){ t, 2 * MS, fail ? ZF_OUT_STATUS : ZF_OUT_OK };
	}
	if (read) {
		assert_int_equal(zf_ledger_final_begin(h->l, "redis-a", 35 * SEC), 0);
		for (uint64_t k = 0; k < RATE * DUR; k++) {
			uint64_t t = k * SEC / RATE;

			if ((t >= 8 * SEC && t < 20 * SEC))
				continue;
			assert_int_equal(zf_ledger_value_text(h->l, k, v, sizeof(v)), 0);
			assert_int_equal(zf_ledger_final_value(h->l, v, strlen(v)), 0);
		}
	} else {
		assert_int_equal(zf_ledger_final_fail(h->l, NULL, 1, 35 * SEC,
						      "no sentinel named a master"), 0);
	}
	assert_int_equal(zf_check_run(h->l, &h->c), 0);
}

static json_t *analyse(struct hist *h, const struct zf_expect *ex, size_t nex)
{
	struct zf_run_event ev = { .id = "f1", .step = 0, .action = "isolate",
				   .target = "zone r1/a", .status = "reverted",
				   .planned_ns = 9 * SEC, .actual_ns = 9 * SEC,
				   .revert_planned_ns = 21 * SEC,
				   .revert_actual_ns = 21 * SEC };
	struct zf_run_probe p = {
		.name = "wr", .kind = "redis", .from = "user1",
		.target = "mymaster via sentinel-a: SADD zf-set", .rate = RATE,
		.timeout_ns = SEC, .slow_ns = SEC, .reqs = h->req,
		.n_reqs = RATE * DUR, .expects = ex, .n_expects = nex,
		.write = 1, .ledger = h->l, .check = &h->c, .workers = 4,
		.not_sent = 3, .earlier = 7, .settle_ns = 5 * SEC,
	};
	struct zf_run_input in = {
		.scenario = "t", .title = "t", .klass = "network", .lab = "l",
		.duration_ns = DUR * SEC, .warmup_ns = 9 * SEC,
		.end_reason = "completed", .events = &ev, .n_events = 1,
		.probes = &p, .n_probes = 1,
	};

	return zf_analyse(&in);
}

static void parse_all(struct zf_expect *ex, const char *const *exprs, size_t n)
{
	char err[256];

	for (size_t i = 0; i < n; i++)
		if (zf_expect_parse(exprs[i], &ex[i], err, sizeof(err)) < 0)
			fail_msg("%s: %s", exprs[i], err);
}

static void test_record(void **state)
{
	static const char *const exprs[] = { "lost > 0", "valid == true",
					     "failed == 100", "availability >= 50%" };
	struct zf_expect ex[4];
	struct hist h;
	json_t *run;

	(void)state;
	build(&h, 1);
	parse_all(ex, exprs, 4);
	run = analyse(&h, ex, 4);
	assert_string_equal(str(run, "probes.0.check.verdict"), "invalid");
	assert_int_equal(num(run, "probes.0.check.lost"), 20);
	assert_int_equal(num(run, "probes.0.check.failed"), 100);
	assert_string_equal(str(run, "probes.0.ledger.prefix"), "zf-t-");
	assert_int_equal(json_array_size(at(run, "probes.0.ledger.writes")), 300);
	assert_int_equal(num(run, "probes.0.write.workers"), 4);
	assert_int_equal(num(run, "probes.0.write.not_sent"), 3);
	assert_int_equal(num(run, "probes.0.write.earlier_values"), 7);
	assert_true(num(run, "probes.0.write.settle_s") == 5.0);
	/* lost from 8.0 s to 9.9 s: from 1 s before the fault to 0.9 s after */
	assert_true(num(run, "probes.0.write.lost_vs_faults.start_after_on_s") < -0.99);
	assert_true(num(run, "probes.0.write.lost_vs_faults.end_after_on_s") > 0.9);
	assert_true(json_is_false(at(run, "probes.0.write.lost_vs_faults.inside")));
	/* expectations: data ones through the checker */
	assert_true(json_is_true(at(run, "probes.0.expects.0.pass")));
	assert_string_equal(str(run, "probes.0.expects.0.result"), "pass");
	assert_int_equal(num(run, "probes.0.expects.0.measured"), 20);
	assert_true(json_is_false(at(run, "probes.0.expects.1.pass")));
	assert_string_equal(str(run, "probes.0.expects.1.result"), "fail");
	assert_true(json_is_true(at(run, "probes.0.expects.2.pass")));
	assert_true(json_is_true(at(run, "probes.0.expects.3.pass")));
	assert_null(at(run, "probes.0.expects.3.result"));
	assert_string_equal(str(run, "verdict"), "fail");
	json_decref(run);
	zf_check_free(&h.c);
	zf_ledger_free(h.l);
}

/* No final read: lost is unknown, the expectation does not pass. */
static void test_unknown(void **state)
{
	static const char *const exprs[] = { "lost == 0", "acknowledged >= 100" };
	struct zf_expect ex[2];
	struct hist h;
	json_t *run;

	(void)state;
	build(&h, 0);
	parse_all(ex, exprs, 2);
	run = analyse(&h, ex, 2);
	assert_string_equal(str(run, "probes.0.check.verdict"), "unknown");
	assert_true(json_is_false(at(run, "probes.0.expects.0.pass")));
	assert_string_equal(str(run, "probes.0.expects.0.result"), "unknown");
	assert_string_equal(str(run, "probes.0.expects.0.note"), "no final read");
	assert_true(json_is_null(at(run, "probes.0.expects.0.measured")));
	assert_true(json_is_true(at(run, "probes.0.expects.1.pass")));
	assert_true(json_is_null(at(run, "probes.0.write.lost_vs_faults")));
	assert_string_equal(str(run, "probes.0.ledger.final_read.state"), "failed");
	assert_string_equal(str(run, "verdict"), "fail");
	json_decref(run);
	zf_check_free(&h.c);
	zf_ledger_free(h.l);
}

/* RUN rendered by FN into a string. */
static char *render(json_t *run, int which)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (which == 0)
		zf_render_markdown(run, f);
	else if (which == 1)
		zf_render_terminal(run, f, 0);
	else if (which == 2)
		zf_render_html(run, f);
	else
		zf_render_junit(run, f);
	fclose(f);
	return buf;
}

static void test_renderers(void **state)
{
	static const char *const exprs[] = { "lost == 0" };
	struct zf_expect ex[1];
	struct hist h;
	json_t *run;
	char *md, *term, *html, *line;

	(void)state;
	build(&h, 1);
	parse_all(ex, exprs, 1);
	run = analyse(&h, ex, 1);
	md = render(run, 0);
	assert_non_null(strstr(md, "## Data safety"));
	assert_non_null(strstr(md, "| wr | mymaster via sentinel-a: SADD zf-set | "
				   "**INVALID** | 300 | 200 | 100 | 0 | 20 | 0 | 0 |"));
	assert_non_null(strstr(md, "Lost writes: 00:08.0 to 00:09.9 (1.90 s); from "
				   "999.0 ms before the first fault to 902.0 ms "
				   "after it: not inside the fault window"));
	assert_non_null(strstr(md, "not inside the fault window"));
	assert_non_null(strstr(md, "| 00:10.0 | 00:20.0 | 0 | 100 | 0 |"));
	assert_non_null(strstr(md, "3 writes were never sent"));
	term = render(run, 1);
	assert_non_null(strstr(term, "INVALID  writes 300: ack 200, failed 100, "
				     "unknown 0"));
	assert_non_null(strstr(term, "lost 20, unexpected 0, recovered 0"));
	assert_non_null(strstr(term, "(7 of earlier runs skipped)"));
	for (line = term; line; line = strchr(line + 1, '\n')) {
		size_t n = strcspn(line + 1, "\n");

		assert_true(n <= 100);
	}
	html = render(run, 2);
	assert_non_null(strstr(html, "<h2>Data safety</h2>"));
	assert_non_null(strstr(html, "class=\"w-fail\""));
	assert_non_null(strstr(html, "writes per planned second"));
	free(md);
	free(term);
	free(html);
	json_decref(run);
	zf_check_free(&h.c);
	zf_ledger_free(h.l);
	/* no final read: UNKNOWN, not FAIL */
	build(&h, 0);
	run = analyse(&h, ex, 1);
	term = render(run, 1);
	assert_non_null(strstr(term, "UNKN  wr"));
	assert_non_null(strstr(term, "not known (no final read)"));
	assert_non_null(strstr(term, "FAILED at 00:35.0: no sentinel named a master"));
	md = render(run, 0);
	assert_non_null(strstr(md, "**UNKNOWN**"));
	free(md);
	md = render(run, 3);
	assert_non_null(strstr(md, "<failure message=\"unknown: no final read\">"));
	free(md);
	free(term);
	json_decref(run);
	zf_check_free(&h.c);
	zf_ledger_free(h.l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_renderers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
