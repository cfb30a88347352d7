/* checker.c - set semantics over a write ledger and its final read (see
 * checker.h). Writes are indexed by id (sorted), the read's ids sorted, and
 * one pass over each classifies every value: O((n + r) log n). */
#include "probe/checker.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "spec/expect.h"
#include "util/mem.h"

/* A write's id and its index in the ledger. */
struct by_id {
	uint64_t id;
	size_t i;
};

static const char *const verdict_names[] = { "valid", "invalid", "unknown" };
static const char *const eval_names[] = { "pass", "fail", "unknown" };

const char *zf_check_verdict_name(enum zf_check_verdict v)
{
	return (unsigned)v <= ZF_CHECK_UNKNOWN ? verdict_names[v] : "unknown";
}

const char *zf_check_eval_name(enum zf_check_eval r)
{
	return (unsigned)r <= ZF_EVAL_UNKNOWN ? eval_names[r] : "unknown";
}

static int cmp_by_id(const void *a, const void *b)
{
	const struct by_id *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void ids_add(struct zf_check_ids *l, uint64_t id)
{
	if (l->n < ZF_CHECK_MAX_IDS)
		l->id[l->n++] = id;
}

/* The writes of L sorted by id into *OUT (caller frees): 0, or -EINVAL
 * when an id repeats. */
static int index_writes(const struct zf_ledger *l, struct by_id **out)
{
	const struct zf_write *w = zf_ledger_writes(l);
	size_t n = zf_ledger_count(l);
	struct by_id *ix = zf_xmalloc(n * sizeof(*ix));

	for (size_t i = 0; i < n; i++)
		ix[i] = (struct by_id){ w[i].id, i };
	qsort(ix, n, sizeof(*ix), cmp_by_id);
	for (size_t i = 1; i < n; i++) {
		if (ix[i].id == ix[i - 1].id) {
			free(ix);
			return -EINVAL;
		}
	}
	*out = ix;
	return 0;
}

/* ---- outcomes, with or without a read ----------------------------------- */

static void count_outcomes(struct zf_check *c, const struct zf_write *w,
			   size_t n)
{
	for (size_t i = 0; i < n; i++) {
		c->acknowledged += w[i].outcome == ZF_W_OK;
		c->failed += w[i].outcome == ZF_W_FAIL;
		c->unknown += w[i].outcome == ZF_W_UNKNOWN;
	}
	c->attempted = n;
}

static void per_second(struct zf_check *c, const struct zf_write *w, size_t n)
{
	uint64_t last = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t s = w[i].planned_ns / 1000000000ull;

		if (s < ZF_CHECK_MAX_SECS && s > last)
			last = s;
	}
	if (n == 0)
		return;
	c->n_secs = (size_t)last + 1;
	c->secs = zf_xcalloc(c->n_secs, sizeof(*c->secs));
	for (size_t i = 0; i < n; i++) {
		uint64_t s = w[i].planned_ns / 1000000000ull;
		struct zf_check_sec *sec;

		if (s >= c->n_secs) {
			c->secs_dropped++;
			continue;
		}
		sec = &c->secs[s];
		sec->ok += w[i].outcome == ZF_W_OK;
		sec->fail += w[i].outcome == ZF_W_FAIL;
		sec->unknown += w[i].outcome == ZF_W_UNKNOWN;
	}
}

/* ---- against the final read --------------------------------------------- */

/* The index in the ledger of the write with ID, or -1. */
static long find(const struct by_id *ix, size_t n, uint64_t id)
{
	struct by_id key = { id, 0 };
	const struct by_id *hit = bsearch(&key, ix, n, sizeof(*ix), cmp_by_id);

	return hit ? (long)hit->i : -1;
}

/* Mark in PRESENT the writes whose ids were read; count copies and ids
 * that were never attempted. */
static void match_read(struct zf_check *c, const struct zf_final_read *fr,
		       const struct by_id *ix, size_t n, uint8_t *present)
{
	uint64_t *ids = zf_xmalloc(fr->n_ids * sizeof(*ids));

	if (fr->n_ids > 0)
		memcpy(ids, fr->ids, fr->n_ids * sizeof(*ids));
	qsort(ids, fr->n_ids, sizeof(*ids), cmp_u64);
	for (size_t k = 0; k < fr->n_ids; k++) {
		long i;

		if (k > 0 && ids[k] == ids[k - 1]) {
			c->duplicates++;
			continue;
		}
		i = find(ix, n, ids[k]);
		if (i >= 0) {
			present[i] = 1;
		} else {
			c->unexpected++;
			ids_add(&c->unexpected_ids, ids[k]);
		}
	}
	free(ids);
	c->read_values = fr->n_ids + fr->n_foreign;
	c->unexpected += fr->n_foreign;
	c->unexpected_foreign = fr->n_foreign;
}

/* Does A come before B in the lost window's order (invoke time, id)? */
static int earlier(const struct zf_write *a, const struct zf_check_write *b)
{
	return a->invoke_ns != b->invoke_ns ? a->invoke_ns < b->invoke_ns
					    : a->id < b->id;
}

static void lost_write(struct zf_check *c, const struct zf_write *w)
{
	struct zf_check_write cw = { w->id, w->invoke_ns, w->complete_ns };

	c->lost++;
	ids_add(&c->lost_ids, w->id);
	if (!c->have_lost_window || earlier(w, &c->first_lost))
		c->first_lost = cw;
	if (!c->have_lost_window || !earlier(w, &c->last_lost))
		c->last_lost = cw;
	c->have_lost_window = 1;
}

/* Lost and recovered writes, in id order (so the listed ids ascend). */
static void classify(struct zf_check *c, const struct zf_write *w,
		     const struct by_id *ix, size_t n, const uint8_t *present)
{
	for (size_t k = 0; k < n; k++) {
		const struct zf_write *x = &w[ix[k].i];
		int here = present[ix[k].i];

		if (x->outcome == ZF_W_OK && !here)
			lost_write(c, x);
		if (x->outcome != ZF_W_OK && here)
			c->recovered++;
		if (x->outcome == ZF_W_FAIL && here) {
			c->recovered_failed++;
			ids_add(&c->recovered_failed_ids, x->id);
		}
	}
	if (c->have_lost_window && c->last_lost.complete_ns > c->first_lost.invoke_ns)
		c->lost_span_ns = c->last_lost.complete_ns - c->first_lost.invoke_ns;
}

static void against_read(struct zf_check *c, const struct zf_ledger *l,
			 const struct zf_final_read *fr, const struct by_id *ix)
{
	size_t n = zf_ledger_count(l);
	uint8_t *present = zf_xcalloc(n, 1);

	match_read(c, fr, ix, n, present);
	classify(c, zf_ledger_writes(l), ix, n, present);
	free(present);
	c->have_read = 1;
	c->verdict = c->lost || c->unexpected ? ZF_CHECK_INVALID : ZF_CHECK_VALID;
}

int zf_check_run(const struct zf_ledger *l, struct zf_check *out)
{
	const struct zf_write *w = zf_ledger_writes(l);
	size_t n = zf_ledger_count(l);
	struct zf_final_read fr;
	struct by_id *ix;

	memset(out, 0, sizeof(*out));
	out->verdict = ZF_CHECK_UNKNOWN;
	if (index_writes(l, &ix) < 0)
		return -EINVAL;
	count_outcomes(out, w, n);
	per_second(out, w, n);
	zf_ledger_final(l, &fr);
	if (fr.state == ZF_FREAD_DONE)
		against_read(out, l, &fr, ix);
	free(ix);
	return 0;
}

void zf_check_free(struct zf_check *c)
{
	free(c->secs);
	c->secs = NULL;
	c->n_secs = 0;
}

/* ---- expectations ------------------------------------------------------- */

int zf_check_value(const struct zf_check *c, const char *name, double *v)
{
	static const char *const always[] = { "attempted", "acknowledged",
					      "failed", "unknown" };
	static const char *const read[] = { "lost", "unexpected", "recovered",
					    "valid" };
	const uint64_t av[] = { c->attempted, c->acknowledged, c->failed,
				c->unknown };
	const uint64_t rv[] = { c->lost, c->unexpected, c->recovered,
				c->verdict == ZF_CHECK_VALID };

	for (size_t i = 0; i < 4; i++) {
		if (strcmp(name, always[i]) == 0) {
			*v = (double)av[i];
			return 0;
		}
		if (strcmp(name, read[i]) == 0) {
			if (!c->have_read)
				return -ENODATA;
			*v = (double)rv[i];
			return 0;
		}
	}
	return -ENOENT;
}

int zf_check_expect(const struct zf_check *c, const struct zf_expect *e,
		    enum zf_check_eval *res, double *measured)
{
	double v;
	int rc;

	*res = ZF_EVAL_UNKNOWN;
	if (e->data == ZF_DM_NONE || (unsigned)e->data >= ZF_DM_N ||
	    (unsigned)e->op > ZF_OP_NE)
		return -EINVAL;
	rc = zf_check_value(c, zf_data_metric_name(e->data), &v);
	if (rc == -ENODATA)
		return 0;
	if (rc < 0)
		return -EINVAL;
	if (measured)
		*measured = v;
	*res = zf_expect_eval(e, v, 1) ? ZF_EVAL_PASS : ZF_EVAL_FAIL;
	return 0;
}

/* ---- JSON --------------------------------------------------------------- */

static json_t *u64_json(uint64_t v)
{
	return json_integer((json_int_t)(v > INT64_MAX ? INT64_MAX : v));
}

/* Seconds since t0, rounded to the microsecond. */
static json_t *secs_json(uint64_t ns)
{
	return json_real((double)((ns + 500) / 1000) / 1e6);
}

static json_t *ids_json(const struct zf_check_ids *l)
{
	json_t *a = json_array();

	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, u64_json(l->id[i]));
	return a;
}

static json_t *write_json(const struct zf_check_write *w)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", u64_json(w->id));
	json_object_set_new(o, "invoke_s", secs_json(w->invoke_ns));
	json_object_set_new(o, "complete_s", secs_json(w->complete_ns));
	return o;
}

static json_t *window_json(const struct zf_check *c)
{
	json_t *o;

	if (!c->have_lost_window)
		return json_null();
	o = json_object();
	json_object_set_new(o, "first", write_json(&c->first_lost));
	json_object_set_new(o, "last", write_json(&c->last_lost));
	json_object_set_new(o, "span_s", secs_json(c->lost_span_ns));
	return o;
}

static json_t *secs_array(const struct zf_check *c)
{
	json_t *a = json_array();

	for (size_t s = 0; s < c->n_secs; s++)
		json_array_append_new(a, json_pack("[III]",
			(json_int_t)c->secs[s].ok, (json_int_t)c->secs[s].fail,
			(json_int_t)c->secs[s].unknown));
	return a;
}

/* KEY: V when there was a final read, else null. */
static void read_set(json_t *o, const struct zf_check *c, const char *key,
		     json_t *v)
{
	if (!c->have_read) {
		json_decref(v);
		v = json_null();
	}
	json_object_set_new(o, key, v);
}

json_t *zf_check_to_json(const struct zf_check *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "verdict", json_string(zf_check_verdict_name(c->verdict)));
	json_object_set_new(o, "final_read", json_boolean(c->have_read));
	json_object_set_new(o, "attempted", u64_json(c->attempted));
	json_object_set_new(o, "acknowledged", u64_json(c->acknowledged));
	json_object_set_new(o, "failed", u64_json(c->failed));
	json_object_set_new(o, "unknown", u64_json(c->unknown));
	read_set(o, c, "read_values", u64_json(c->read_values));
	read_set(o, c, "duplicates", u64_json(c->duplicates));
	read_set(o, c, "lost", u64_json(c->lost));
	read_set(o, c, "unexpected", u64_json(c->unexpected));
	read_set(o, c, "unexpected_foreign", u64_json(c->unexpected_foreign));
	read_set(o, c, "recovered", u64_json(c->recovered));
	read_set(o, c, "recovered_failed", u64_json(c->recovered_failed));
	read_set(o, c, "lost_ids", ids_json(&c->lost_ids));
	read_set(o, c, "unexpected_ids", ids_json(&c->unexpected_ids));
	read_set(o, c, "recovered_failed_ids", ids_json(&c->recovered_failed_ids));
	json_object_set_new(o, "lost_window", window_json(c));
	json_object_set_new(o, "per_second", secs_array(c));
	json_object_set_new(o, "per_second_dropped", u64_json(c->secs_dropped));
	return o;
}
