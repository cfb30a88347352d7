/* test_probe_checker.c - the lost-write checker on hand-made histories:
 * every class (acknowledged, failed, unknown, lost, unexpected, recovered,
 * failed-but-present), duplicates in the final read, a missing or failed
 * final read (verdict unknown), an empty history, the lost window, the
 * per-second counts, the caps; data-safety expectations (parsing in
 * spec/expect.h, evaluation, and in a scenario file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/checker.h"
#include "probe/ledger.h"
#include "spec/expect.h"
#include "spec/scenario.h"

#define S 1000000000ull         /* ns per second */
#define MS 1000000ull

static uint16_t user, node;

static struct zf_ledger *history(void)
{
	struct zf_ledger *l = NULL;

	assert_int_equal(zf_ledger_new("zf-t-", &l), 0);
	assert_int_equal(zf_ledger_intern(l, "user1", &user), 0);
	assert_int_equal(zf_ledger_intern(l, "db-a", &node), 0);
	return l;
}

/* Write ID planned at PLANNED, sent 1 ms later, settled after LAT. */
static void put(struct zf_ledger *l, uint64_t id, enum zf_wout o,
		uint64_t planned, uint64_t lat)
{
	struct zf_write w = {
		.id = id, .planned_ns = planned, .invoke_ns = planned + MS,
		.complete_ns = planned + MS + lat, .client = user, .node = node,
		.outcome = (uint8_t)o,
	};

	assert_int_equal(zf_ledger_add(l, &w, NULL), 0);
}

static void read_id(struct zf_ledger *l, uint64_t id)
{
	char v[64];

	assert_int_equal(zf_ledger_value_text(l, id, v, sizeof(v)), 0);
	assert_int_equal(zf_ledger_final_value(l, v, strlen(v)), 0);
}

static void check(const struct zf_ledger *l, struct zf_check *c)
{
	assert_int_equal(zf_check_run(l, c), 0);
}

static void assert_ids(const struct zf_check_ids *got, const uint64_t *want,
		       size_t n)
{
	assert_int_equal(got->n, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(got->id[i], want[i]);
}

/* One write of every kind, and a read with a duplicate, an id never
 * attempted and a foreign value. */
static void test_every_class(void **state)
{
	struct zf_ledger *l = history();
	struct zf_check c;
	static const uint64_t lost[] = { 2 }, unexp[] = { 99 }, lied[] = { 4 };

	(void)state;
	put(l, 1, ZF_W_OK, 1 * S, 5 * MS);      /* present: fine */
	put(l, 2, ZF_W_OK, 2 * S, 5 * MS);      /* absent: lost */
	put(l, 3, ZF_W_FAIL, 3 * S, 5 * MS);    /* absent: fine */
	put(l, 4, ZF_W_FAIL, 3 * S, 5 * MS);    /* present: recovered, lied */
	put(l, 5, ZF_W_UNKNOWN, 4 * S, 2 * S);  /* present: recovered */
	put(l, 6, ZF_W_UNKNOWN, 4 * S, 2 * S);  /* absent: fine */
	assert_int_equal(zf_ledger_final_begin(l, "db-a", 100 * S), 0);
	read_id(l, 1);
	read_id(l, 1);                          /* duplicate */
	read_id(l, 4);
	read_id(l, 5);
	read_id(l, 99);                         /* never attempted */
	assert_int_equal(zf_ledger_final_value(l, "stranger", 8), 0);
	check(l, &c);
	assert_int_equal(c.verdict, ZF_CHECK_INVALID);
	assert_true(c.have_read);
	assert_int_equal(c.attempted, 6);
	assert_int_equal(c.acknowledged, 2);
	assert_int_equal(c.failed, 2);
	assert_int_equal(c.unknown, 2);
	assert_int_equal(c.read_values, 6);
	assert_int_equal(c.duplicates, 1);
	assert_int_equal(c.lost, 1);
	assert_int_equal(c.unexpected, 2);
	assert_int_equal(c.unexpected_foreign, 1);
	assert_int_equal(c.recovered, 2);
	assert_int_equal(c.recovered_failed, 1);
	assert_ids(&c.lost_ids, lost, 1);
	assert_ids(&c.unexpected_ids, unexp, 1);
	assert_ids(&c.recovered_failed_ids, lied, 1);
	assert_true(c.have_lost_window);
	assert_int_equal(c.first_lost.id, 2);
	assert_int_equal(c.last_lost.id, 2);
	assert_int_equal(c.lost_span_ns, 5 * MS);
	zf_check_free(&c);
	zf_ledger_free(l);
}

/* Acknowledged all present, unknowns absent: valid. */
static void test_valid(void **state)
{
	struct zf_ledger *l = history();
	struct zf_check c;

	(void)state;
	for (uint64_t i = 0; i < 100; i++)
		put(l, i, i % 10 ? ZF_W_OK : ZF_W_UNKNOWN, i * 10 * MS, MS);
	assert_int_equal(zf_ledger_final_begin(l, "db-a", 60 * S), 0);
	for (uint64_t i = 100; i-- > 0;)        /* any order */
		if (i % 10)
			read_id(l, i);
	check(l, &c);
	assert_int_equal(c.verdict, ZF_CHECK_VALID);
	assert_int_equal(c.acknowledged, 90);
	assert_int_equal(c.unknown, 10);
	assert_int_equal(c.lost + c.unexpected + c.recovered + c.duplicates, 0);
	assert_false(c.have_lost_window);
	zf_check_free(&c);
	zf_ledger_free(l);
}

/* Writes that timed out but were applied: recovered, still valid. */
static void test_unknown_recovered(void **state)
{
	struct zf_ledger *l = history();
	struct zf_check c;

	(void)state;
	put(l, 1, ZF_W_OK, 0, MS);
	put(l, 2, ZF_W_UNKNOWN, S, 2 * S);
	put(l, 3, ZF_W_UNKNOWN, S, 2 * S);
	assert_int_equal(zf_ledger_final_begin(l, "db-a", 10 * S), 0);
	read_id(l, 1);
	read_id(l, 2);
	read_id(l, 3);
	check(l, &c);
	assert_int_equal(c.verdict, ZF_CHECK_VALID);
	assert_int_equal(c.recovered, 2);
	assert_int_equal(c.recovered_failed, 0);
	assert_int_equal(c.recovered_failed_ids.n, 0);
	zf_check_free(&c);
	zf_ledger_free(l);
}

/* A write the system said failed, yet applied: recovered and flagged, the
 * verdict is unchanged. */
static void test_failed_present(void **state)
{
	struct zf_ledger *l = history();
	struct zf_check c;
	static const uint64_t lied[] = { 7, 8 };

	(void)state;
	put(l, 8, ZF_W_FAIL, 0, MS);
	put(l, 7, ZF_W_FAIL, 0, MS);
	put(l, 9, ZF_W_FAIL, 0, MS);
	assert_int_equal(zf_ledger_final_begin(l, "db-a", S), 0);
	read_id(l, 8);
	read_id(l, 7);
	check(l, &c);
	assert_int_equal(c.verdict, ZF_CHECK_VALID);
	assert_int_equal(c.recovered, 2);
	assert_int_equal(c.recovered_failed, 2);
	assert_ids(&c.recovered_failed_ids, lied, 2);
	zf_check_free(&c);
	zf_ledger_free(l);
}

/* Only values never attempted: invalid; duplicates alone: valid. */
static void test_unexpected_and_duplicates(void **state)
{
	struct zf_ledger *l = history();
	struct zf_check c;

	(void)state;
	put(l, 1, ZF_W_OK, 0, MS);
	assert_int_equal(zf_ledger_final_begin(l, "db-a", S), 0);
	read_id(l, 1);
	read_id(l, 1);
	read_id(l, 1);
	check(l, &c);
	assert_int_equal(c.verdict, ZF_CHECK_VALID);
	assert_int_equal(c.duplicates, 2);
	assert_int_equal(c.read_values, 3);
	zf_check_free(&c);
	read_id(l, 2);
	read_id(l, 2);                          /* counted once */
	check(l, &c);
	assert_int_equal(c.verdict, ZF_CHECK_INVALID);
	assert_int_equal(c.unexpected, 1);
	assert_int_equal(c.unexpected_foreign, 0);
	assert_int_equal(c.duplicates, 3);
	assert_int_equal(c.lost, 0);
	zf_check_free(&c);
	/* a foreign value alone makes it invalid too */
	assert_int_equal(zf_ledger_final_begin(l, "db-a", S), 0);
	read_id(l, 1);
	assert_int_equal(zf_ledger_final_value(l, "zf-t-01", 7), 0);
	check(l, &c);
	assert_int_equal(c.verdict, ZF_CHECK_INVALID);
	assert_int_equal(c.unexpected, 1);
	assert_int_equal(c.unexpected_foreign, 1);
	assert_int_equal(c.unexpected_ids.n, 0);
	zf_check_free(&c);
	zf_ledger_free(l);
}

/* No final read (never happened, or failed): verdict unknown, never
 * valid, even when nothing was acknowledged. */
static void test_no_final_read(void **state)
{
	struct zf_ledger *l = history();
	struct zf_check c;

	(void)state;
	put(l, 1, ZF_W_OK, 0, MS);
	put(l, 2, ZF_W_FAIL, 0, MS);
	check(l, &c);
	assert_int_equal(c.verdict, ZF_CHECK_UNKNOWN);
	assert_false(c.have_read);
	assert_int_equal(c.attempted, 2);
	assert_int_equal(c.acknowledged, 1);
	assert_int_equal(c.lost, 0);
	assert_false(c.have_lost_window);
	zf_check_free(&c);
	assert_int_equal(zf_ledger_final_begin(l, "db-a", S), 0);
	read_id(l, 1);
	assert_int_equal(zf_ledger_final_fail(l, "db-a", 1, 2 * S,
					      "connection refused"), 0);
	check(l, &c);
	assert_int_equal(c.verdict, ZF_CHECK_UNKNOWN);
	assert_false(c.have_read);
	assert_int_equal(c.read_values, 0);
	zf_check_free(&c);
	zf_ledger_free(l);
}

static void test_empty_history(void **state)
{
	struct zf_ledger *l = history();
	struct zf_check c;

	(void)state;
	check(l, &c);
	assert_int_equal(c.verdict, ZF_CHECK_UNKNOWN);
	assert_int_equal(c.attempted, 0);
	assert_int_equal(c.n_secs, 0);
	assert_null(c.secs);
	zf_check_free(&c);
	assert_int_equal(zf_ledger_final_begin(l, NULL, S), 0);
	check(l, &c);
	assert_int_equal(c.verdict, ZF_CHECK_VALID);
	assert_int_equal(c.read_values, 0);
	zf_check_free(&c);
	read_id(l, 5);                          /* something from nowhere */
	check(l, &c);
	assert_int_equal(c.verdict, ZF_CHECK_INVALID);
	assert_int_equal(c.unexpected, 1);
	zf_check_free(&c);
	zf_ledger_free(l);
}

/* The lost window: the lost writes invoked first and last, whatever the
 * ledger's order; ties on invoke time go by id. */
static void test_lost_window(void **state)
{
	struct zf_ledger *l = history();
	struct zf_check c;
	static const uint64_t lost[] = { 10, 11, 12, 13 };

	(void)state;
	put(l, 1, ZF_W_OK, 5 * S, MS);          /* survives: outside */
	put(l, 12, ZF_W_OK, 20 * S, 3 * MS);    /* last by invoke (tie) */
	put(l, 11, ZF_W_OK, 20 * S, 9 * MS);
	put(l, 10, ZF_W_OK, 11 * S, 2 * MS);    /* first */
	put(l, 13, ZF_W_OK, 15 * S, 7 * S);     /* completes last */
	put(l, 2, ZF_W_UNKNOWN, 25 * S, 2 * S); /* absent, not lost */
	put(l, 3, ZF_W_OK, 30 * S, MS);
	assert_int_equal(zf_ledger_final_begin(l, "db-b", 60 * S), 0);
	read_id(l, 1);
	read_id(l, 3);
	check(l, &c);
	assert_int_equal(c.lost, 4);
	assert_ids(&c.lost_ids, lost, 4);
	assert_true(c.have_lost_window);
	assert_int_equal(c.first_lost.id, 10);
	assert_int_equal(c.first_lost.invoke_ns, 11 * S + MS);
	assert_int_equal(c.first_lost.complete_ns, 11 * S + 3 * MS);
	assert_int_equal(c.last_lost.id, 12);
	assert_int_equal(c.last_lost.invoke_ns, 20 * S + MS);
	assert_int_equal(c.last_lost.complete_ns, 20 * S + 4 * MS);
	assert_int_equal(c.lost_span_ns, 9 * S + 3 * MS);
	zf_check_free(&c);
	zf_ledger_free(l);
}

/* A lost write whose clock readings are out of order: the span is 0. */
static void test_lost_window_clamped(void **state)
{
	struct zf_ledger *l = history();
	struct zf_write w = { .id = 1, .planned_ns = 10, .invoke_ns = 100,
			      .complete_ns = 50, .client = 0, .node = 0,
			      .outcome = ZF_W_OK };
	struct zf_check c;

	(void)state;
	assert_int_equal(zf_ledger_add(l, &w, NULL), 0);
	assert_int_equal(zf_ledger_final_begin(l, NULL, 1000), 0);
	check(l, &c);
	assert_int_equal(c.lost, 1);
	assert_int_equal(c.lost_span_ns, 0);
	zf_check_free(&c);
	zf_ledger_free(l);
}

/* Per-second outcome counts by planned time: a system that starts
 * refusing writes 10 s after a cut shows it. */
static void test_per_second(void **state)
{
	struct zf_ledger *l = history();
	struct zf_check c;
	uint64_t id = 0;

	(void)state;
	for (uint64_t s = 0; s < 30; s++) {
		for (uint64_t k = 0; k < 10; k++) {
			enum zf_wout o = s < 10 ? ZF_W_OK : s < 20 ?
					 (k < 3 ? ZF_W_UNKNOWN : ZF_W_OK) : ZF_W_FAIL;

			put(l, id++, o, s * S + k * 100 * MS, MS);
		}
	}
	check(l, &c);
	assert_int_equal(c.n_secs, 30);
	assert_int_equal(c.secs[0].ok, 10);
	assert_int_equal(c.secs[9].ok, 10);
	assert_int_equal(c.secs[10].ok, 7);
	assert_int_equal(c.secs[10].unknown, 3);
	assert_int_equal(c.secs[20].fail, 10);
	assert_int_equal(c.secs[20].ok, 0);
	assert_int_equal(c.secs[29].fail, 10);
	assert_int_equal(c.secs_dropped, 0);
	zf_check_free(&c);
	/* a write planned past the cap is counted, not charted */
	put(l, id++, ZF_W_OK, (uint64_t)ZF_CHECK_MAX_SECS * S, MS);
	put(l, id++, ZF_W_OK, ZF_LEDGER_MAX_NS - S, MS);
	check(l, &c);
	assert_int_equal(c.n_secs, 30);
	assert_int_equal(c.secs_dropped, 2);
	assert_int_equal(c.attempted, 302);
	zf_check_free(&c);
	put(l, id++, ZF_W_OK, (uint64_t)(ZF_CHECK_MAX_SECS - 1) * S, MS);
	check(l, &c);
	assert_int_equal(c.n_secs, ZF_CHECK_MAX_SECS);
	assert_int_equal(c.secs[ZF_CHECK_MAX_SECS - 1].ok, 1);
	zf_check_free(&c);
	zf_ledger_free(l);
}

static void test_duplicate_ids(void **state)
{
	struct zf_ledger *l = history();
	struct zf_check c;

	(void)state;
	put(l, 1, ZF_W_OK, 0, MS);
	put(l, 2, ZF_W_OK, 0, MS);
	put(l, 1, ZF_W_FAIL, 0, MS);
	assert_int_equal(zf_check_run(l, &c), -EINVAL);
	assert_int_equal(c.verdict, ZF_CHECK_UNKNOWN);
	assert_null(c.secs);
	zf_check_free(&c);
	zf_ledger_free(l);
}

/* Lists keep the first ZF_CHECK_MAX_IDS ids, ascending; counts are whole. */
static void test_id_caps(void **state)
{
	struct zf_ledger *l = history();
	struct zf_check c;

	(void)state;
	for (uint64_t i = 300; i-- > 0;)
		put(l, i, i % 2 ? ZF_W_OK : ZF_W_FAIL, i * MS, MS);
	assert_int_equal(zf_ledger_final_begin(l, "db-a", S), 0);
	for (uint64_t i = 0; i < 300; i += 2)
		read_id(l, i);                  /* every failed one applied */
	for (uint64_t i = 1000; i < 1150; i++)
		read_id(l, i);
	check(l, &c);
	assert_int_equal(c.lost, 150);
	assert_int_equal(c.recovered_failed, 150);
	assert_int_equal(c.unexpected, 150);
	assert_int_equal(c.lost_ids.n, ZF_CHECK_MAX_IDS);
	assert_int_equal(c.recovered_failed_ids.n, ZF_CHECK_MAX_IDS);
	assert_int_equal(c.unexpected_ids.n, ZF_CHECK_MAX_IDS);
	for (size_t i = 0; i < ZF_CHECK_MAX_IDS; i++) {
		assert_int_equal(c.lost_ids.id[i], 2 * i + 1);
		assert_int_equal(c.recovered_failed_ids.id[i], 2 * i);
		assert_int_equal(c.unexpected_ids.id[i], 1000 + i);
	}
	zf_check_free(&c);
	zf_ledger_free(l);
}

/* The check survives the ledger's JSON round trip unchanged. */
static void test_check_after_round_trip(void **state)
{
	struct zf_ledger *l = history(), *back = NULL;
	struct zf_check a, b;
	json_t *j, *ja, *jb;
	char err[256];

	(void)state;
	for (uint64_t i = 0; i < 50; i++)
		put(l, i, (enum zf_wout)(i % 3), i * 100 * MS, MS);
	assert_int_equal(zf_ledger_final_begin(l, "db-a", 9 * S), 0);
	for (uint64_t i = 0; i < 60; i += 4)
		read_id(l, i);
	j = zf_ledger_to_json(l);
	assert_int_equal(zf_ledger_from_json(j, &back, err, sizeof(err)), 0);
	check(l, &a);
	check(back, &b);
	ja = zf_check_to_json(&a);
	jb = zf_check_to_json(&b);
	assert_true(json_equal(ja, jb));
	assert_int_equal(a.lost, b.lost);
	json_decref(j);
	json_decref(ja);
	json_decref(jb);
	zf_check_free(&a);
	zf_check_free(&b);
	zf_ledger_free(l);
	zf_ledger_free(back);
}

static void test_check_json(void **state)
{
	struct zf_ledger *l = history();
	struct zf_check c;
	json_t *j, *w;
	char *text;

	(void)state;
	put(l, 1, ZF_W_OK, 0, MS);
	put(l, 2, ZF_W_OK, 1500 * MS, 2 * MS);
	put(l, 3, ZF_W_FAIL, 1600 * MS, MS);
	check(l, &c);
	j = zf_check_to_json(&c);
	text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text,
		"{\"acknowledged\":2,\"attempted\":3,\"duplicates\":null,"
		"\"failed\":1,\"final_read\":false,\"lost\":null,"
		"\"lost_ids\":null,\"lost_window\":null,\"per_second\":"
		"[[1,0,0],[1,1,0]],\"per_second_dropped\":0,\"read_values\":"
		"null,\"recovered\":null,\"recovered_failed\":null,"
		"\"recovered_failed_ids\":null,\"unexpected\":null,"
		"\"unexpected_foreign\":null,\"unexpected_ids\":null,"
		"\"unknown\":0,\"verdict\":\"unknown\"}");
	free(text);
	json_decref(j);
	zf_check_free(&c);
	assert_int_equal(zf_ledger_final_begin(l, "db-a", 5 * S), 0);
	read_id(l, 1);
	check(l, &c);
	j = zf_check_to_json(&c);
	assert_string_equal(json_string_value(json_object_get(j, "verdict")),
			    "invalid");
	assert_int_equal(json_integer_value(json_object_get(j, "lost")), 1);
	assert_int_equal(json_integer_value(json_array_get(
		json_object_get(j, "lost_ids"), 0)), 2);
	w = json_object_get(j, "lost_window");
	assert_true(json_real_value(json_object_get(w, "span_s")) == 0.002);
	assert_true(json_real_value(json_object_get(json_object_get(w, "first"),
						    "invoke_s")) == 1.501);
	json_decref(j);
	zf_check_free(&c);
	zf_ledger_free(l);
	assert_string_equal(zf_check_verdict_name(ZF_CHECK_VALID), "valid");
	assert_string_equal(zf_check_verdict_name(ZF_CHECK_INVALID), "invalid");
	assert_string_equal(zf_check_eval_name(ZF_EVAL_FAIL), "fail");
}

/* ---- expectations ------------------------------------------------------- */

static struct zf_expect parse(const char *text)
{
	struct zf_expect e;
	char err[256] = "";

	if (zf_expect_parse(text, &e, err, sizeof(err)) != 0)
		fail_msg("'%s': %s", text, err);
	return e;
}

static void parse_fails(const char *text, const char *want)
{
	struct zf_expect e;
	char err[256] = "";

	assert_int_equal(zf_expect_parse(text, &e, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want))
		fail_msg("'%s': error '%s' lacks '%s'", text, err, want);
}

static void test_expect_parse(void **state)
{
	struct zf_expect e;

	(void)state;
	e = parse("lost == 0");
	assert_int_equal(e.data, ZF_DM_LOST);
	assert_int_equal(e.metric, ZF_M_N);
	assert_int_equal(e.op, ZF_OP_EQ);
	assert_true(e.threshold == 0);
	assert_string_equal(e.expr, "lost == 0");
	assert_string_equal(zf_expect_metric_name(&e), "lost");
	e = parse("  acknowledged>=100 ");
	assert_string_equal(e.expr, "acknowledged >= 100");
	assert_true(e.threshold == 100);
	e = parse("valid==1");
	assert_string_equal(e.expr, "valid == true");
	assert_true(e.threshold == 1);
	e = parse("valid != false");
	assert_string_equal(e.expr, "valid != false");
	assert_true(e.threshold == 0);
	assert_int_equal(parse("unexpected == 0").data, ZF_DM_UNEXPECTED);
	assert_int_equal(parse("recovered >= 0").data, ZF_DM_RECOVERED);
	assert_int_equal(parse("unknown < 5").data, ZF_DM_UNKNOWN);
	assert_int_equal(parse("failed > 0").data, ZF_DM_FAILED);
	assert_int_equal(parse("attempted > 0").data, ZF_DM_ATTEMPTED);
	/* sample metrics are untouched */
	e = parse("availability >= 99.5%");
	assert_int_equal(e.data, ZF_DM_NONE);
	assert_int_equal(e.metric, ZF_M_AVAILABILITY);
	assert_string_equal(zf_expect_metric_name(&e), "availability");
	assert_string_equal(zf_metric_name(ZF_M_N), "");

	parse_fails("lost == 1.5", "expected a whole number after 'lost =='");
	parse_fails("lost == -1", "a whole number");
	parse_fails("lost == ", "a whole number");
	parse_fails("lost = 0", "expected an operator");
	parse_fails("valid >= 1", "expected an operator (== !=) after 'valid'");
	parse_fails("valid == maybe", "expected true or false");
	parse_fails("valid == 2", "expected true or false");
	parse_fails("losts == 0", "unknown metric 'losts'");
	assert_int_equal(zf_data_metric_lookup("lost", 4), ZF_DM_LOST);
	assert_int_equal(zf_data_metric_lookup("lost", 3), ZF_DM_NONE);
	assert_string_equal(zf_data_metric_name(ZF_DM_VALID), "valid");
	assert_string_equal(zf_data_metric_name(ZF_DM_N), "");
}

static enum zf_check_eval eval(const struct zf_check *c, const char *text,
			       double *measured)
{
	struct zf_expect e = parse(text);
	enum zf_check_eval r;

	assert_int_equal(zf_check_expect(c, &e, &r, measured), 0);
	return r;
}

static void test_expect_eval(void **state)
{
	struct zf_ledger *l = history();
	struct zf_expect e;
	struct zf_check c;
	enum zf_check_eval r;
	double v = -1;

	(void)state;
	for (uint64_t i = 0; i < 120; i++)
		put(l, i, i < 110 ? ZF_W_OK : ZF_W_UNKNOWN, i * 10 * MS, MS);
	assert_int_equal(zf_ledger_final_begin(l, "db-a", 9 * S), 0);
	for (uint64_t i = 0; i < 105; i++)
		read_id(l, i);
	read_id(l, 111);
	check(l, &c);
	assert_int_equal(eval(&c, "lost == 0", &v), ZF_EVAL_FAIL);
	assert_true(v == 5);
	assert_int_equal(eval(&c, "lost > 0", NULL), ZF_EVAL_PASS);
	assert_int_equal(eval(&c, "unexpected == 0", NULL), ZF_EVAL_PASS);
	assert_int_equal(eval(&c, "acknowledged >= 100", &v), ZF_EVAL_PASS);
	assert_true(v == 110);
	assert_int_equal(eval(&c, "attempted == 120", NULL), ZF_EVAL_PASS);
	assert_int_equal(eval(&c, "recovered == 1", NULL), ZF_EVAL_PASS);
	assert_int_equal(eval(&c, "unknown < 10", NULL), ZF_EVAL_FAIL);
	assert_int_equal(eval(&c, "failed == 0", NULL), ZF_EVAL_PASS);
	assert_int_equal(eval(&c, "valid == true", &v), ZF_EVAL_FAIL);
	assert_true(v == 0);
	assert_int_equal(eval(&c, "valid == false", NULL), ZF_EVAL_PASS);
	zf_check_free(&c);

	/* no final read: what needs it is unknown, never a pass */
	assert_int_equal(zf_ledger_final_fail(l, "db-a", 0, 0, "timeout"), 0);
	check(l, &c);
	v = -1;
	assert_int_equal(eval(&c, "lost == 0", &v), ZF_EVAL_UNKNOWN);
	assert_true(v == -1);
	assert_int_equal(eval(&c, "lost <= 0", NULL), ZF_EVAL_UNKNOWN);
	assert_int_equal(eval(&c, "unexpected < 1", NULL), ZF_EVAL_UNKNOWN);
	assert_int_equal(eval(&c, "recovered != 3", NULL), ZF_EVAL_UNKNOWN);
	assert_int_equal(eval(&c, "valid == true", NULL), ZF_EVAL_UNKNOWN);
	assert_int_equal(eval(&c, "valid != true", NULL), ZF_EVAL_UNKNOWN);
	assert_int_equal(eval(&c, "acknowledged >= 100", NULL), ZF_EVAL_PASS);
	assert_int_equal(eval(&c, "unknown == 10", NULL), ZF_EVAL_PASS);

	/* a sample metric is not the checker's */
	e = parse("availability >= 99%");
	r = ZF_EVAL_PASS;
	assert_int_equal(zf_check_expect(&c, &e, &r, NULL), -EINVAL);
	assert_int_equal(r, ZF_EVAL_UNKNOWN);
	assert_int_equal(zf_check_value(&c, "nonsense", &v), -ENOENT);
	assert_int_equal(zf_check_value(&c, "lost", &v), -ENODATA);
	zf_check_free(&c);
	zf_ledger_free(l);
}

#define SCN "scenario: t\nclass: network\nprobes:\n" \
	    "  w: { redis: { addr: db }, from: u, rate: 1,\n"

static void test_scenario_expectations(void **state)
{
	static const char ok[] = SCN
		"       expect: { lost: \"== 0\", valid: \"== true\",\n"
		"                 acknowledged: \">= 100\", availability: \">= 1%\" } }\n"
		"  v: { sql: { host: db }, from: u, rate: 1,\n"
		"       expect: [ \"unexpected == 0\", \"recovered>=0\" ] }\n";
	static const char stop[] = SCN "       expect: { lost: \"== 0\" } }\n"
		"stop_when: [ { probe: w, lost: \"> 0\" } ]\n";
	static const char bad[] = SCN "       expect: { valid: \"> 0\" } }\n";
	struct zf_scenario *s = NULL;
	char err[1024] = "";

	(void)state;
	if (zf_scenario_load_buffer("t.yaml", ok, strlen(ok), NULL, 1.0, &s,
				    err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(s->probes[0].n_expects, 4);
	assert_int_equal(s->probes[0].expects[0].data, ZF_DM_LOST);
	assert_string_equal(s->probes[0].expects[1].expr, "valid == true");
	assert_int_equal(s->probes[0].expects[3].data, ZF_DM_NONE);
	assert_int_equal(s->probes[1].expects[0].data, ZF_DM_UNEXPECTED);
	assert_string_equal(s->probes[1].expects[1].expr, "recovered >= 0");
	zf_scenario_free(s);
	s = NULL;
	/* measured once at the end: not a live stop condition */
	assert_int_equal(zf_scenario_load_buffer("t.yaml", stop, strlen(stop),
						 NULL, 1.0, &s, err,
						 sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown key 'lost'"));
	assert_int_equal(zf_scenario_load_buffer("t.yaml", bad, strlen(bad),
						 NULL, 1.0, &s, err,
						 sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "expected an operator (== !=)"));
	assert_null(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_class),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_unknown_recovered),
		cmocka_unit_test(test_failed_present),
		cmocka_unit_test(test_unexpected_and_duplicates),
		cmocka_unit_test(test_no_final_read),
		cmocka_unit_test(test_empty_history),
		cmocka_unit_test(test_lost_window),
		cmocka_unit_test(test_lost_window_clamped),
		cmocka_unit_test(test_per_second),
		cmocka_unit_test(test_duplicate_ids),
		cmocka_unit_test(test_id_caps),
		cmocka_unit_test(test_check_after_round_trip),
		cmocka_unit_test(test_check_json),
		cmocka_unit_test(test_expect_parse),
		cmocka_unit_test(test_expect_eval),
		cmocka_unit_test(test_scenario_expectations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
