/* test_probe_ledger.c - the write ledger: prefixes and value texts, names,
 * appending and settling, merging, the final read (ids, foreign values,
 * failure), the JSON round trip, the JSON reader's refusals and caps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/ledger.h"

#define PFX "zf-run1-"

static struct zf_ledger *new_ledger(void)
{
	struct zf_ledger *l = NULL;

	assert_int_equal(zf_ledger_new(PFX, &l), 0);
	assert_non_null(l);
	return l;
}

static struct zf_write wr(uint64_t id, uint16_t client, uint16_t node,
			  enum zf_wout o)
{
	struct zf_write w = {
		.id = id, .planned_ns = id * 1000, .invoke_ns = id * 1000 + 5,
		.complete_ns = id * 1000 + 50, .client = client, .node = node,
		.outcome = (uint8_t)o,
	};
	return w;
}

static void test_prefix(void **state)
{
	struct zf_ledger *l = (struct zf_ledger *)&state;   /* untouched */
	char longp[ZF_LEDGER_MAX_PREFIX + 2];

	(void)state;
	assert_int_equal(zf_ledger_new("", &l), -EINVAL);
	assert_int_equal(zf_ledger_new(NULL, &l), -EINVAL);
	assert_int_equal(zf_ledger_new("zf-run1", &l), -EINVAL);  /* digit */
	assert_int_equal(zf_ledger_new("zf run-", &l), -EINVAL);
	assert_int_equal(zf_ledger_new("zf/run-", &l), -EINVAL);
	memset(longp, 'a', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	assert_int_equal(zf_ledger_new(longp, &l), -EINVAL);
	assert_ptr_equal(l, (struct zf_ledger *)&state);
	longp[ZF_LEDGER_MAX_PREFIX] = '\0';
	assert_int_equal(zf_ledger_new(longp, &l), 0);
	assert_string_equal(zf_ledger_prefix(l), longp);
	zf_ledger_free(l);
	zf_ledger_free(NULL);
}

static void test_value_text(void **state)
{
	struct zf_ledger *l = new_ledger();
	char buf[64];
	uint64_t id = 7;

	(void)state;
	assert_int_equal(zf_ledger_value_text(l, 1234, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "zf-run1-1234");
	assert_int_equal(zf_ledger_value_id(l, buf, strlen(buf), &id), 0);
	assert_int_equal(id, 1234);
	assert_int_equal(zf_ledger_value_text(l, 1234, buf, 10), -ENAMETOOLONG);
	assert_int_equal(zf_ledger_value_id(l, "zf-run1-0", 9, &id), 0);
	assert_int_equal(id, 0);
	assert_int_equal(zf_ledger_value_id(l, "zf-run1-9223372036854775807",
					    27, &id), 0);
	assert_true(id == ZF_LEDGER_MAX_ID);
	id = 7;
	assert_int_equal(zf_ledger_value_id(l, "zf-run1-9223372036854775808",
					    27, &id), -ENOENT);
	assert_int_equal(zf_ledger_value_id(l, "zf-run1-", 8, &id), -ENOENT);
	assert_int_equal(zf_ledger_value_id(l, "zf-run1-01", 10, &id), -ENOENT);
	assert_int_equal(zf_ledger_value_id(l, "zf-run1-1x", 10, &id), -ENOENT);
	assert_int_equal(zf_ledger_value_id(l, "zf-run1-+1", 10, &id), -ENOENT);
	assert_int_equal(zf_ledger_value_id(l, "zf-run2-1", 9, &id), -ENOENT);
	assert_int_equal(zf_ledger_value_id(l, "zf", 2, &id), -ENOENT);
	/* LEN bounds the text: the digits after it do not count */
	assert_int_equal(zf_ledger_value_id(l, "zf-run1-12", 9, &id), 0);
	assert_int_equal(id, 1);
	zf_ledger_free(l);
}

static void test_names(void **state)
{
	struct zf_ledger *l = new_ledger();
	char name[ZF_LEDGER_MAX_NAME + 2];
	uint16_t a, b, c;

	(void)state;
	assert_int_equal(zf_ledger_intern(l, "user1", &a), 0);
	assert_int_equal(zf_ledger_intern(l, "redis-a", &b), 0);
	assert_int_equal(zf_ledger_intern(l, "user1", &c), 0);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	assert_int_equal(c, 0);
	assert_string_equal(zf_ledger_name(l, 1), "redis-a");
	assert_null(zf_ledger_name(l, 2));
	assert_null(zf_ledger_name(l, -1));
	assert_int_equal(zf_ledger_intern(l, "", &a), -EINVAL);
	assert_int_equal(zf_ledger_intern(l, "a\nb", &a), -EINVAL);
	assert_int_equal(zf_ledger_intern(l, NULL, &a), -EINVAL);
	memset(name, 'h', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(zf_ledger_intern(l, name, &a), -EINVAL);
	for (unsigned i = 2; i < ZF_LEDGER_MAX_NAMES; i++) {
		snprintf(name, sizeof(name), "h%u", i);
		assert_int_equal(zf_ledger_intern(l, name, &a), 0);
		assert_int_equal(a, i);
	}
	assert_int_equal(zf_ledger_intern(l, "one-too-many", &a), -E2BIG);
	assert_int_equal(zf_ledger_intern(l, "redis-a", &a), 0);  /* known */
	assert_int_equal(zf_ledger_n_names(l), ZF_LEDGER_MAX_NAMES);
	zf_ledger_free(l);
}

static void test_add_and_settle(void **state)
{
	struct zf_ledger *l = new_ledger();
	struct zf_write w;
	uint16_t u, n;
	size_t idx = 99;

	(void)state;
	assert_int_equal(zf_ledger_intern(l, "user1", &u), 0);
	assert_int_equal(zf_ledger_intern(l, "db-a", &n), 0);
	w = wr(1, u, n, ZF_W_UNKNOWN);
	assert_int_equal(zf_ledger_add(l, &w, &idx), 0);
	assert_int_equal(idx, 0);
	w = wr(2, u, n, ZF_W_OK);
	assert_int_equal(zf_ledger_add(l, &w, NULL), 0);
	assert_int_equal(zf_ledger_settle(l, 0, ZF_W_FAIL, 777), 0);
	assert_int_equal(zf_ledger_writes(l)[0].outcome, ZF_W_FAIL);
	assert_int_equal(zf_ledger_writes(l)[0].complete_ns, 777);
	assert_int_equal(zf_ledger_settle(l, 2, ZF_W_OK, 1), -EINVAL);
	assert_int_equal(zf_ledger_settle(l, 0, ZF_W_N, 1), -EINVAL);

	w = wr(3, u, 2, ZF_W_OK);               /* no name 2 */
	assert_int_equal(zf_ledger_add(l, &w, NULL), -EINVAL);
	w = wr(3, 5, n, ZF_W_OK);
	assert_int_equal(zf_ledger_add(l, &w, NULL), -EINVAL);
	w = wr(3, u, n, ZF_W_N);
	assert_int_equal(zf_ledger_add(l, &w, NULL), -EINVAL);
	w = wr(3, u, n, ZF_W_OK);
	w.id = ZF_LEDGER_MAX_ID + 1;
	assert_int_equal(zf_ledger_add(l, &w, NULL), -EINVAL);
	w = wr(3, u, n, ZF_W_OK);
	w.complete_ns = UINT64_MAX;
	assert_int_equal(zf_ledger_add(l, &w, NULL), -EINVAL);
	assert_int_equal(zf_ledger_count(l), 2);
	assert_string_equal(zf_wout_name(ZF_W_OK), "ok");
	assert_string_equal(zf_wout_name(ZF_W_FAIL), "fail");
	assert_string_equal(zf_wout_name(ZF_W_UNKNOWN), "unknown");
	assert_null(zf_wout_name(ZF_W_N));
	zf_ledger_free(l);
}

static void test_write_cap(void **state)
{
	struct zf_ledger *l = new_ledger();
	struct zf_write w;
	uint16_t u;

	(void)state;
	assert_int_equal(zf_ledger_intern(l, "user1", &u), 0);
	for (uint64_t i = 0; i < ZF_LEDGER_MAX_WRITES; i++) {
		w = wr(i, u, u, ZF_W_OK);
		if (zf_ledger_add(l, &w, NULL) != 0)
			fail_msg("add %llu failed", (unsigned long long)i);
	}
	w = wr(ZF_LEDGER_MAX_WRITES, u, u, ZF_W_OK);
	assert_int_equal(zf_ledger_add(l, &w, NULL), -E2BIG);
	assert_int_equal(zf_ledger_count(l), ZF_LEDGER_MAX_WRITES);
	assert_int_equal(zf_ledger_writes(l)[ZF_LEDGER_MAX_WRITES - 1].id,
			 ZF_LEDGER_MAX_WRITES - 1);
	zf_ledger_free(l);
}

static void test_merge(void **state)
{
	struct zf_ledger *a = new_ledger(), *b = new_ledger(), *c = NULL;
	struct zf_final_read fr;
	struct zf_write w;
	uint16_t x, y;

	(void)state;
	assert_int_equal(zf_ledger_intern(a, "user1", &x), 0);
	w = wr(1, x, x, ZF_W_OK);
	assert_int_equal(zf_ledger_add(a, &w, NULL), 0);
	assert_int_equal(zf_ledger_final_begin(a, "db-b", 9), 0);
	assert_int_equal(zf_ledger_intern(b, "user2", &x), 0);
	assert_int_equal(zf_ledger_intern(b, "user1", &y), 0);
	w = wr(2, x, y, ZF_W_FAIL);
	assert_int_equal(zf_ledger_add(b, &w, NULL), 0);
	assert_int_equal(zf_ledger_final_fail(b, NULL, 0, 0, "lost"), 0);

	assert_int_equal(zf_ledger_merge(a, b), 0);
	assert_int_equal(zf_ledger_count(a), 2);
	w = zf_ledger_writes(a)[1];
	assert_string_equal(zf_ledger_name(a, w.client), "user2");
	assert_string_equal(zf_ledger_name(a, w.node), "user1");
	assert_int_equal(w.outcome, ZF_W_FAIL);
	zf_ledger_final(a, &fr);                /* A's read is kept */
	assert_int_equal(fr.state, ZF_FREAD_DONE);
	assert_string_equal(zf_ledger_name(a, fr.node), "db-b");

	assert_int_equal(zf_ledger_merge(a, a), -EINVAL);
	assert_int_equal(zf_ledger_new("other-", &c), 0);
	assert_int_equal(zf_ledger_merge(a, c), -EINVAL);
	assert_int_equal(zf_ledger_count(a), 2);
	zf_ledger_free(a);
	zf_ledger_free(b);
	zf_ledger_free(c);
}

static void test_final_read(void **state)
{
	struct zf_ledger *l = new_ledger();
	struct zf_final_read fr;
	char big[300];

	(void)state;
	zf_ledger_final(l, &fr);
	assert_int_equal(fr.state, ZF_FREAD_NONE);
	assert_int_equal(fr.node, -1);
	assert_int_equal(zf_ledger_final_value(l, "zf-run1-1", 9), -EINVAL);
	assert_int_equal(zf_ledger_final_begin(l, "db-a", 5000), 0);
	assert_int_equal(zf_ledger_final_value(l, "zf-run1-1", 9), 0);
	assert_int_equal(zf_ledger_final_value(l, "zf-run1-1", 9), 0);
	assert_int_equal(zf_ledger_final_value(l, "zf-run1-20", 10), 0);
	assert_int_equal(zf_ledger_final_value(l, "bad\x01\xff", 5), 0);
	memset(big, 'x', sizeof(big));
	assert_int_equal(zf_ledger_final_value(l, big, sizeof(big)), 0);
	zf_ledger_final(l, &fr);
	assert_int_equal(fr.state, ZF_FREAD_DONE);
	assert_string_equal(zf_ledger_name(l, fr.node), "db-a");
	assert_true(fr.have_t && fr.t_ns == 5000);
	assert_int_equal(fr.n_ids, 3);
	assert_int_equal(fr.ids[0], 1);
	assert_int_equal(fr.ids[1], 1);
	assert_int_equal(fr.ids[2], 20);
	assert_int_equal(fr.n_foreign, 2);
	assert_int_equal(fr.n_foreign_kept, 2);
	assert_string_equal(fr.foreign[0], "bad??");
	assert_int_equal(strlen(fr.foreign[1]), ZF_LEDGER_MAX_VALUE);

	/* a second begin starts over */
	assert_int_equal(zf_ledger_final_begin(l, NULL, 6000), 0);
	for (unsigned i = 0; i < ZF_LEDGER_MAX_FOREIGN + 5; i++)
		assert_int_equal(zf_ledger_final_value(l, "other", 5), 0);
	zf_ledger_final(l, &fr);
	assert_int_equal(fr.node, -1);
	assert_int_equal(fr.n_ids, 0);
	assert_int_equal(fr.n_foreign_kept, ZF_LEDGER_MAX_FOREIGN);
	assert_int_equal(fr.n_foreign, ZF_LEDGER_MAX_FOREIGN + 5);

	/* a failure drops what was read */
	assert_int_equal(zf_ledger_final_fail(l, "db-b", 1, 7000,
					      "timeout\nafter 2s"), 0);
	zf_ledger_final(l, &fr);
	assert_int_equal(fr.state, ZF_FREAD_FAILED);
	assert_string_equal(fr.error, "timeout?after 2s");
	assert_int_equal(fr.n_foreign, 0);
	assert_int_equal(zf_ledger_final_value(l, "zf-run1-1", 9), -EINVAL);
	assert_int_equal(zf_ledger_final_fail(l, NULL, 0, 0, NULL), 0);
	zf_ledger_final(l, &fr);
	assert_string_equal(fr.error, "final read failed");
	assert_false(fr.have_t);
	assert_int_equal(zf_ledger_final_begin(l, "bad name\n", 1), -EINVAL);
	assert_int_equal(zf_ledger_final_begin(l, "db", UINT64_MAX), -EINVAL);
	zf_ledger_free(l);
}

static void test_read_cap(void **state)
{
	struct zf_ledger *l = new_ledger();
	char v[32];

	(void)state;
	assert_int_equal(zf_ledger_final_begin(l, "db", 1), 0);
	for (unsigned i = 0; i < ZF_LEDGER_MAX_READ; i++) {
		int n = snprintf(v, sizeof(v), PFX "%u", i);

		if (zf_ledger_final_value(l, v, (size_t)n) != 0)
			fail_msg("value %u refused", i);
	}
	assert_int_equal(zf_ledger_final_value(l, "x", 1), -E2BIG);
	zf_ledger_free(l);
}

/* A ledger with every kind of entry and a final read with foreign values. */
static struct zf_ledger *sample(void)
{
	struct zf_ledger *l = new_ledger();
	struct zf_write w;
	uint16_t u, a, b;

	assert_int_equal(zf_ledger_intern(l, "user1", &u), 0);
	assert_int_equal(zf_ledger_intern(l, "redis-a", &a), 0);
	assert_int_equal(zf_ledger_intern(l, "redis-b", &b), 0);
	for (uint64_t i = 1; i <= 30; i++) {
		w = wr(i, u, i < 15 ? a : b, (enum zf_wout)(i % 3));
		assert_int_equal(zf_ledger_add(l, &w, NULL), 0);
	}
	w = wr(1, u, a, ZF_W_OK);
	w.id = ZF_LEDGER_MAX_ID;
	w.planned_ns = w.invoke_ns = w.complete_ns = ZF_LEDGER_MAX_NS;
	assert_int_equal(zf_ledger_add(l, &w, NULL), 0);
	assert_int_equal(zf_ledger_final_begin(l, "redis-b", 123456789), 0);
	assert_int_equal(zf_ledger_final_value(l, "zf-run1-3", 9), 0);
	assert_int_equal(zf_ledger_final_value(l, "zf-run1-3", 9), 0);
	assert_int_equal(zf_ledger_final_value(l, "zf-run1-99", 10), 0);
	assert_int_equal(zf_ledger_final_value(l, "\"quoted\"", 8), 0);
	assert_int_equal(zf_ledger_final_value(l, "", 0), 0);   /* empty */
	return l;
}

static void assert_same(const struct zf_ledger *a, const struct zf_ledger *b)
{
	struct zf_final_read fa, fb;

	assert_string_equal(zf_ledger_prefix(a), zf_ledger_prefix(b));
	assert_int_equal(zf_ledger_n_names(a), zf_ledger_n_names(b));
	for (size_t i = 0; i < zf_ledger_n_names(a); i++)
		assert_string_equal(zf_ledger_name(a, (int)i), zf_ledger_name(b, (int)i));
	assert_int_equal(zf_ledger_count(a), zf_ledger_count(b));
	for (size_t i = 0; i < zf_ledger_count(a); i++) {
		const struct zf_write *x = &zf_ledger_writes(a)[i];
		const struct zf_write *y = &zf_ledger_writes(b)[i];

		assert_true(x->id == y->id && x->planned_ns == y->planned_ns &&
			    x->invoke_ns == y->invoke_ns &&
			    x->complete_ns == y->complete_ns &&
			    x->client == y->client && x->node == y->node &&
			    x->outcome == y->outcome);
	}
	zf_ledger_final(a, &fa);
	zf_ledger_final(b, &fb);
	assert_int_equal(fa.state, fb.state);
	assert_int_equal(fa.node, fb.node);
	assert_int_equal(fa.have_t, fb.have_t);
	assert_int_equal(fa.t_ns, fb.t_ns);
	assert_string_equal(fa.error, fb.error);
	assert_int_equal(fa.n_ids, fb.n_ids);
	if (fa.n_ids)
		assert_memory_equal(fa.ids, fb.ids, fa.n_ids * sizeof(uint64_t));
	assert_int_equal(fa.n_foreign, fb.n_foreign);
	assert_int_equal(fa.n_foreign_kept, fb.n_foreign_kept);
	for (size_t i = 0; i < fa.n_foreign_kept; i++)
		assert_string_equal(fa.foreign[i], fb.foreign[i]);
}

/* L -> JSON text -> ledger, which must equal L. */
static void round_trip(const struct zf_ledger *l)
{
	json_t *j = zf_ledger_to_json(l), *back_j, *j2;
	char *text = json_dumps(j, JSON_COMPACT);
	struct zf_ledger *back = NULL;
	char err[256] = "";

	assert_non_null(text);
	back_j = json_loads(text, 0, NULL);
	assert_non_null(back_j);
	if (zf_ledger_from_json(back_j, &back, err, sizeof(err)) != 0)
		fail_msg("from_json: %s\n%s", err, text);
	assert_same(l, back);
	j2 = zf_ledger_to_json(back);
	assert_true(json_equal(j, j2));
	json_decref(j);
	json_decref(j2);
	json_decref(back_j);
	free(text);
	zf_ledger_free(back);
}

static void test_json_round_trip(void **state)
{
	struct zf_ledger *l = sample();
	json_t *j;

	(void)state;
	round_trip(l);
	j = zf_ledger_to_json(l);
	assert_int_equal(json_array_size(json_object_get(j, "writes")), 31);
	assert_int_equal(json_integer_value(json_object_get(
		json_object_get(j, "final_read"), "foreign_count")), 2);
	json_decref(j);
	assert_int_equal(zf_ledger_final_fail(l, "redis-a", 1, 5, "EOF"), 0);
	round_trip(l);
	assert_int_equal(zf_ledger_final_fail(l, NULL, 0, 0, "no route"), 0);
	round_trip(l);
	zf_ledger_free(l);
	l = new_ledger();                       /* empty, no read */
	round_trip(l);
	zf_ledger_free(l);
}

static void test_json_shape(void **state)
{
	struct zf_ledger *l = new_ledger();
	struct zf_write w;
	uint16_t u, n;
	json_t *j;
	char *text;

	(void)state;
	assert_int_equal(zf_ledger_intern(l, "user1", &u), 0);
	assert_int_equal(zf_ledger_intern(l, "db-a", &n), 0);
	w = wr(7, u, n, ZF_W_OK);
	assert_int_equal(zf_ledger_add(l, &w, NULL), 0);
	assert_int_equal(zf_ledger_final_begin(l, "db-a", 99), 0);
	assert_int_equal(zf_ledger_final_value(l, "zf-run1-7", 9), 0);
	j = zf_ledger_to_json(l);
	text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text,
		"{\"final_read\":{\"foreign\":[],\"foreign_count\":0,"
		"\"node\":\"db-a\",\"state\":\"done\",\"t_ns\":99,"
		"\"values\":[7]},\"format\":1,\"names\":[\"user1\",\"db-a\"],"
		"\"prefix\":\"zf-run1-\",\"writes\":[[7,0,1,7000,7005,7050,"
		"\"ok\"]]}");
	free(text);
	json_decref(j);
	zf_ledger_free(l);
}

/* TEXT is refused with an error containing WANT. */
static void refused(const char *text, const char *want)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);
	struct zf_ledger *l = (struct zf_ledger *)&jerr;
	char err[256] = "";

	if (!j)
		fail_msg("test JSON does not parse: %s: %s", jerr.text, text);
	assert_int_equal(zf_ledger_from_json(j, &l, err, sizeof(err)), -EINVAL);
	assert_ptr_equal(l, (struct zf_ledger *)&jerr);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
	json_decref(j);
}

#define DOC(names, writes, fr) \
	"{\"format\":1,\"prefix\":\"zf-\",\"names\":" names ",\"writes\":" \
	writes ",\"final_read\":" fr "}"
#define NONE "{\"state\":\"none\"}"

static void test_json_refusals(void **state)
{
	(void)state;
	refused("[]", "expected a ledger object");
	refused("{\"format\":2}", "format: expected 1");
	refused("{\"format\":1,\"prefix\":\"zf-1\"}", "prefix:");
	refused(DOC("[\"a\",\"a\"]", "[]", NONE), "names[1]: 'a' is listed twice");
	refused(DOC("[\"a\",\"\"]", "[]", NONE), "names[1]: expected");
	refused(DOC("[\"a\\u0001\"]", "[]", NONE), "names[0]: expected");
	refused(DOC("{}", "[]", NONE), "names: expected an array");
	refused(DOC("[\"a\"]", "[[1,0,0,1,2,3]]", NONE), "writes[0]: expected [id");
	refused(DOC("[\"a\"]", "[[-1,0,0,1,2,3,\"ok\"]]", NONE), "writes[0][0]");
	refused(DOC("[\"a\"]", "[[1e19,0,0,1,2,3,\"ok\"]]", NONE),
		"writes[0][0]");
	refused(DOC("[\"a\"]", "[[1,1,0,1,2,3,\"ok\"]]", NONE),
		"writes[0][1]: expected the index of a name");
	refused(DOC("[]", "[[1,0,0,1,2,3,\"ok\"]]", NONE), "writes[0][1]");
	refused(DOC("[\"a\"]", "[[1,0,0,1.5,2,3,\"ok\"]]", NONE), "writes[0][3]");
	refused(DOC("[\"a\"]", "[[1,0,0,1,2,3,\"maybe\"]]", NONE), "writes[0][6]");
	refused(DOC("[\"a\"]", "[[1,0,0,1,2,3,\"ok\"],[1,0,0,1,2,3,\"fail\"]]",
		    NONE), "id 1 is used twice");
	refused("{\"format\":1,\"prefix\":\"zf-\",\"names\":[],\"writes\":[]}",
		"final_read: expected an object");
	refused(DOC("[]", "[]", "{\"state\":\"half\"}"), "final_read.state");
	refused(DOC("[]", "[]", "{\"state\":\"done\",\"node\":\"x\"}"),
		"final_read.node");
	refused(DOC("[]", "[]", "{\"state\":\"done\",\"t_ns\":-1}"),
		"final_read.t_ns");
	refused(DOC("[]", "[]", "{\"state\":\"failed\"}"), "final_read.error");
	refused(DOC("[]", "[]", "{\"state\":\"failed\",\"error\":\"\\n\"}"),
		"final_read.error");
	refused(DOC("[]", "[]", "{\"state\":\"done\"}"), "final_read.values");
	refused(DOC("[]", "[]", "{\"state\":\"done\",\"values\":[\"1\"]}"),
		"final_read.values[0]");
	refused(DOC("[]", "[]", "{\"state\":\"done\",\"values\":[],"
		    "\"foreign\":[\"\\u00e9\"],\"foreign_count\":1}"),
		"final_read.foreign[0]");
	refused(DOC("[]", "[]", "{\"state\":\"done\",\"values\":[],"
		    "\"foreign\":[\"a\",\"b\"],\"foreign_count\":1}"),
		"final_read.foreign_count");
	refused(DOC("[]", "[]", "{\"state\":\"done\",\"values\":[],"
		    "\"foreign\":[]}"), "final_read.foreign_count");
}

/* A JSON array of N copies of ITEM, as text. */
static char *repeat(const char *item, size_t n)
{
	size_t len = strlen(item), cap = n * (len + 1) + 3, pos = 0;
	char *s = malloc(cap);

	assert_non_null(s);
	s[pos++] = '[';
	for (size_t i = 0; i < n; i++) {
		if (i)
			s[pos++] = ',';
		memcpy(s + pos, item, len);
		pos += len;
	}
	s[pos++] = ']';
	s[pos] = '\0';
	return s;
}

static void test_json_caps(void **state)
{
	char doc[200000], name[ZF_LEDGER_MAX_NAME + 4], *arr;

	(void)state;
	/* names: one too many (distinct names) */
	{
		size_t pos = 0;

		pos += (size_t)snprintf(doc, sizeof(doc), "{\"format\":1,"
					"\"prefix\":\"zf-\",\"names\":[");
		for (unsigned i = 0; i <= ZF_LEDGER_MAX_NAMES; i++)
			pos += (size_t)snprintf(doc + pos, sizeof(doc) - pos,
						"%s\"h%u\"", i ? "," : "", i);
		snprintf(doc + pos, sizeof(doc) - pos, "],\"writes\":[],"
			 "\"final_read\":" NONE "}");
		refused(doc, "names: more than 1024 entries");
	}
	/* a name one byte too long */
	memset(name, 'n', sizeof(name));
	name[0] = '"';
	name[ZF_LEDGER_MAX_NAME + 2] = '"';
	name[ZF_LEDGER_MAX_NAME + 3] = '\0';
	snprintf(doc, sizeof(doc), DOC("[%s]", "[]", NONE), name);
	refused(doc, "names[0]: expected 1 to 128 bytes");
	/* foreign values: one too many kept, one too long */
	arr = repeat("\"v\"", ZF_LEDGER_MAX_FOREIGN + 1);
	snprintf(doc, sizeof(doc), DOC("[]", "[]", "{\"state\":\"done\","
		 "\"values\":[],\"foreign\":%s,\"foreign_count\":200}"), arr);
	free(arr);
	refused(doc, "final_read.foreign: more than 100 entries");
	memset(name, 'v', sizeof(name));
	name[0] = '"';
	name[ZF_LEDGER_MAX_VALUE + 2] = '"';
	name[ZF_LEDGER_MAX_VALUE + 3] = '\0';
	snprintf(doc, sizeof(doc), DOC("[]", "[]", "{\"state\":\"done\","
		 "\"values\":[],\"foreign\":[%s],\"foreign_count\":1}"), name);
	refused(doc, "final_read.foreign[0]: expected 0 to 128 bytes");
	/* foreign_count above the read cap */
	snprintf(doc, sizeof(doc), DOC("[]", "[]", "{\"state\":\"done\","
		 "\"values\":[1],\"foreign\":[],\"foreign_count\":%u}"),
		 ZF_LEDGER_MAX_READ);
	refused(doc, "final_read.foreign_count");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_value_text),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_add_and_settle),
		cmocka_unit_test(test_write_cap),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_final_read),
		cmocka_unit_test(test_read_cap),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_json_refusals),
		cmocka_unit_test(test_json_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
