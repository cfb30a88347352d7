/* ledger.c - the write ledger and its final read (see ledger.h); the JSON
 * form is documented in docs/run-json.md ("Write ledger"). */
#include "probe/ledger.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/mem.h"

#define LEDGER_FORMAT 1
#define ROW_FIELDS 7            /* id client node planned invoke complete o */

struct fread {
	enum zf_fread_state state;
	int node;
	int have_t;
	uint64_t t_ns;
	char error[ZF_LEDGER_MAX_ERROR + 1];
	uint64_t *ids;
	size_t n_ids, cap_ids;
	char *foreign[ZF_LEDGER_MAX_FOREIGN];
	size_t n_kept;
	uint64_t n_foreign;
};

struct zf_ledger {
	char prefix[ZF_LEDGER_MAX_PREFIX + 1];
	size_t plen;
	char *names[ZF_LEDGER_MAX_NAMES];
	size_t n_names;
	struct zf_write *w;
	size_t n, cap;
	struct fread fr;
};

static const char *const wout_names[ZF_W_N] = { "ok", "fail", "unknown" };
static const char *const fread_names[] = { "none", "failed", "done" };

const char *zf_wout_name(enum zf_wout o)
{
	return (unsigned)o < ZF_W_N ? wout_names[o] : NULL;
}

/* ---- names, prefix, values ---------------------------------------------- */

static int prefix_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' ||
	       c == '-';
}

static int valid_prefix(const char *p)
{
	size_t n = strlen(p);

	if (n == 0 || n > ZF_LEDGER_MAX_PREFIX || (p[n - 1] >= '0' && p[n - 1] <= '9'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!prefix_char(p[i]))
			return 0;
	return 1;
}

/* Printable ASCII, MIN..MAX bytes: safe as a JSON string and on a
 * terminal. */
static int printable(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	if (n < min || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

/* Copy at most MAX bytes of S (LEN long) into DST, NUL-terminated, with
 * anything outside printable ASCII as '?'. DST holds MAX + 1 bytes. */
static void sanitise(char *dst, const char *s, size_t len, size_t max)
{
	size_t n = len < max ? len : max;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		dst[i] = c < 0x20 || c > 0x7e ? '?' : (char)c;
	}
	dst[n] = '\0';
}

int zf_ledger_new(const char *prefix, struct zf_ledger **out)
{
	struct zf_ledger *l;

	if (!prefix || !valid_prefix(prefix))
		return -EINVAL;
	l = zf_xcalloc(1, sizeof(*l));
	l->plen = strlen(prefix);
	memcpy(l->prefix, prefix, l->plen + 1);
	l->fr.node = -1;
	*out = l;
	return 0;
}

static void fread_clear(struct fread *fr)
{
	for (size_t i = 0; i < fr->n_kept; i++)
		free(fr->foreign[i]);
	free(fr->ids);
	memset(fr, 0, sizeof(*fr));
	fr->node = -1;
}

void zf_ledger_free(struct zf_ledger *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n_names; i++)
		free(l->names[i]);
	free(l->w);
	fread_clear(&l->fr);
	free(l);
}

const char *zf_ledger_prefix(const struct zf_ledger *l) { return l->prefix; }
size_t zf_ledger_n_names(const struct zf_ledger *l) { return l->n_names; }
size_t zf_ledger_count(const struct zf_ledger *l) { return l->n; }
const struct zf_write *zf_ledger_writes(const struct zf_ledger *l) { return l->w; }

const char *zf_ledger_name(const struct zf_ledger *l, int idx)
{
	return idx >= 0 && (size_t)idx < l->n_names ? l->names[idx] : NULL;
}

int zf_ledger_intern(struct zf_ledger *l, const char *name, uint16_t *idx)
{
	if (!name || !printable(name, 1, ZF_LEDGER_MAX_NAME))
		return -EINVAL;
	for (size_t i = 0; i < l->n_names; i++) {
		if (strcmp(l->names[i], name) == 0) {
			*idx = (uint16_t)i;
			return 0;
		}
	}
	if (l->n_names >= ZF_LEDGER_MAX_NAMES)
		return -E2BIG;
	l->names[l->n_names] = zf_xstrdup(name);
	*idx = (uint16_t)l->n_names++;
	return 0;
}

int zf_ledger_value_text(const struct zf_ledger *l, uint64_t id, char *buf,
			 size_t len)
{
	int n = snprintf(buf, len, "%s%llu", l->prefix, (unsigned long long)id);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int zf_ledger_value_id(const struct zf_ledger *l, const char *v, size_t len,
		       uint64_t *id)
{
	const char *d;
	size_t nd;
	uint64_t x = 0;

	if (len <= l->plen || memcmp(v, l->prefix, l->plen) != 0)
		return -ENOENT;
	d = v + l->plen;
	nd = len - l->plen;
	if (nd > 1 && d[0] == '0')
		return -ENOENT;
	for (size_t i = 0; i < nd; i++) {
		unsigned dig = (unsigned)(unsigned char)d[i] - '0';

		if (dig > 9 || x > (ZF_LEDGER_MAX_ID - dig) / 10)
			return -ENOENT;
		x = x * 10 + dig;
	}
	*id = x;
	return 0;
}

/* ---- writes ------------------------------------------------------------- */

static int valid_write(const struct zf_ledger *l, const struct zf_write *w)
{
	return w->id <= ZF_LEDGER_MAX_ID && w->planned_ns <= ZF_LEDGER_MAX_NS &&
	       w->invoke_ns <= ZF_LEDGER_MAX_NS &&
	       w->complete_ns <= ZF_LEDGER_MAX_NS && w->outcome < ZF_W_N &&
	       w->client < l->n_names && w->node < l->n_names;
}

/* Room for N more entries; the caller checked the cap. */
static void reserve(struct zf_ledger *l, size_t n)
{
	size_t cap = l->cap ? l->cap : 256;

	if (l->n + n <= l->cap)
		return;
	while (cap < l->n + n)
		cap *= 2;
	l->w = zf_xrealloc(l->w, cap * sizeof(*l->w));
	l->cap = cap;
}

int zf_ledger_add(struct zf_ledger *l, const struct zf_write *w,
		  size_t *index)
{
	if (!valid_write(l, w))
		return -EINVAL;
	if (l->n >= ZF_LEDGER_MAX_WRITES)
		return -E2BIG;
	reserve(l, 1);
	l->w[l->n] = *w;
	if (index)
		*index = l->n;
	l->n++;
	return 0;
}

int zf_ledger_settle(struct zf_ledger *l, size_t index, enum zf_wout outcome,
		     uint64_t complete_ns)
{
	if (index >= l->n || (unsigned)outcome >= ZF_W_N ||
	    complete_ns > ZF_LEDGER_MAX_NS)
		return -EINVAL;
	l->w[index].outcome = (uint8_t)outcome;
	l->w[index].complete_ns = complete_ns;
	return 0;
}

int zf_ledger_merge(struct zf_ledger *dst, const struct zf_ledger *src)
{
	uint16_t map[ZF_LEDGER_MAX_NAMES];

	if (dst == src || strcmp(dst->prefix, src->prefix) != 0)
		return -EINVAL;
	if (src->n > ZF_LEDGER_MAX_WRITES - dst->n)
		return -E2BIG;
	for (size_t i = 0; i < src->n_names; i++)
		if (zf_ledger_intern(dst, src->names[i], &map[i]) < 0)
			return -E2BIG;
	reserve(dst, src->n);
	for (size_t i = 0; i < src->n; i++) {
		struct zf_write w = src->w[i];

		w.client = map[w.client];
		w.node = map[w.node];
		dst->w[dst->n++] = w;
	}
	return 0;
}

/* ---- the final read ----------------------------------------------------- */

/* Node NAME (or NULL) into *NODE. */
static int final_node(struct zf_ledger *l, const char *name, int *node)
{
	uint16_t idx;
	int rc;

	*node = -1;
	if (!name)
		return 0;
	rc = zf_ledger_intern(l, name, &idx);
	if (rc == 0)
		*node = idx;
	return rc;
}

int zf_ledger_final_begin(struct zf_ledger *l, const char *node,
			  uint64_t t_ns)
{
	int idx, rc;

	if (t_ns > ZF_LEDGER_MAX_NS)
		return -EINVAL;
	rc = final_node(l, node, &idx);
	if (rc < 0)
		return rc;
	fread_clear(&l->fr);
	l->fr.state = ZF_FREAD_DONE;
	l->fr.node = idx;
	l->fr.have_t = 1;
	l->fr.t_ns = t_ns;
	return 0;
}

static void final_add_id(struct fread *fr, uint64_t id)
{
	if (fr->n_ids == fr->cap_ids) {
		fr->cap_ids = fr->cap_ids ? fr->cap_ids * 2 : 256;
		fr->ids = zf_xrealloc(fr->ids, fr->cap_ids * sizeof(*fr->ids));
	}
	fr->ids[fr->n_ids++] = id;
}

/* Count a foreign value, keeping its text while there is room. */
static void final_add_foreign(struct fread *fr, const char *v, size_t len)
{
	if (fr->n_kept < ZF_LEDGER_MAX_FOREIGN) {
		char *s = zf_xmalloc(ZF_LEDGER_MAX_VALUE + 1);

		sanitise(s, v, len, ZF_LEDGER_MAX_VALUE);
		fr->foreign[fr->n_kept++] = s;
	}
	fr->n_foreign++;
}

int zf_ledger_final_value(struct zf_ledger *l, const char *v, size_t len)
{
	struct fread *fr = &l->fr;
	uint64_t id;

	if (fr->state != ZF_FREAD_DONE)
		return -EINVAL;
	if (fr->n_ids + fr->n_foreign >= ZF_LEDGER_MAX_READ)
		return -E2BIG;
	if (zf_ledger_value_id(l, v, len, &id) == 0)
		final_add_id(fr, id);
	else
		final_add_foreign(fr, v, len);
	return 0;
}

int zf_ledger_final_fail(struct zf_ledger *l, const char *node, int have_t,
			 uint64_t t_ns, const char *why)
{
	int idx, rc;

	if (have_t && t_ns > ZF_LEDGER_MAX_NS)
		return -EINVAL;
	rc = final_node(l, node, &idx);
	if (rc < 0)
		return rc;
	fread_clear(&l->fr);
	l->fr.state = ZF_FREAD_FAILED;
	l->fr.node = idx;
	l->fr.have_t = !!have_t;
	l->fr.t_ns = have_t ? t_ns : 0;
	why = why && *why ? why : "final read failed";
	sanitise(l->fr.error, why, strlen(why), ZF_LEDGER_MAX_ERROR);
	return 0;
}

void zf_ledger_final(const struct zf_ledger *l, struct zf_final_read *out)
{
	const struct fread *fr = &l->fr;

	memset(out, 0, sizeof(*out));
	out->state = fr->state;
	out->node = fr->node;
	out->have_t = fr->have_t;
	out->t_ns = fr->t_ns;
	memcpy(out->error, fr->error, sizeof(out->error));
	out->ids = fr->ids;
	out->n_ids = fr->n_ids;
	out->foreign = fr->foreign;
	out->n_foreign_kept = fr->n_kept;
	out->n_foreign = fr->n_foreign;
}

/* ---- JSON out ----------------------------------------------------------- */

static void set(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v);
}

static json_t *u64_json(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static json_t *write_json(const struct zf_write *w)
{
	json_t *row = json_array();

	json_array_append_new(row, u64_json(w->id));
	json_array_append_new(row, json_integer(w->client));
	json_array_append_new(row, json_integer(w->node));
	json_array_append_new(row, u64_json(w->planned_ns));
	json_array_append_new(row, u64_json(w->invoke_ns));
	json_array_append_new(row, u64_json(w->complete_ns));
	json_array_append_new(row, json_string(wout_names[w->outcome]));
	return row;
}

static json_t *final_json(const struct zf_ledger *l)
{
	const struct fread *fr = &l->fr;
	json_t *o = json_object(), *ids, *foreign;

	set(o, "state", json_string(fread_names[fr->state]));
	set(o, "node", fr->node >= 0 ? json_string(l->names[fr->node]) : json_null());
	set(o, "t_ns", fr->have_t ? u64_json(fr->t_ns) : json_null());
	if (fr->state == ZF_FREAD_FAILED)
		set(o, "error", json_string(fr->error));
	if (fr->state != ZF_FREAD_DONE)
		return o;
	ids = json_array();
	for (size_t i = 0; i < fr->n_ids; i++)
		json_array_append_new(ids, u64_json(fr->ids[i]));
	foreign = json_array();
	for (size_t i = 0; i < fr->n_kept; i++)
		json_array_append_new(foreign, json_string(fr->foreign[i]));
	set(o, "values", ids);
	set(o, "foreign", foreign);
	set(o, "foreign_count", u64_json(fr->n_foreign));
	return o;
}

json_t *zf_ledger_to_json(const struct zf_ledger *l)
{
	json_t *o = json_object(), *names = json_array(), *writes = json_array();

	for (size_t i = 0; i < l->n_names; i++)
		json_array_append_new(names, json_string(l->names[i]));
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(writes, write_json(&l->w[i]));
	set(o, "format", json_integer(LEDGER_FORMAT));
	set(o, "prefix", json_string(l->prefix));
	set(o, "names", names);
	set(o, "writes", writes);
	set(o, "final_read", final_json(l));
	return o;
}

/* ---- JSON in ------------------------------------------------------------ */

struct rd {
	char *err;
	size_t errlen;
};

static int bad(struct rd *rd, const char *fmt, ...) ZF_PRINTF(2, 3);
static int bad(struct rd *rd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rd->err, rd->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* V as an integer in [0, MAX] into *OUT. */
static int get_u64(const json_t *v, uint64_t max, uint64_t *out)
{
	json_int_t x;

	if (!json_is_integer(v))
		return -EINVAL;
	x = json_integer_value(v);
	if (x < 0 || (uint64_t)x > max)
		return -EINVAL;
	*out = (uint64_t)x;
	return 0;
}

/* Array KEY of O with at most MAX elements into *A. */
static int get_array(struct rd *rd, const json_t *o, const char *where,
		     const char *key, size_t max, const json_t **a)
{
	*a = json_object_get(o, key);
	if (!json_is_array(*a))
		return bad(rd, "%s%s: expected an array", where, key);
	if (json_array_size(*a) > max)
		return bad(rd, "%s%s: more than %zu entries", where, key, max);
	return 0;
}

static int read_names(struct rd *rd, struct zf_ledger *l, const json_t *o)
{
	const json_t *a;
	int rc = get_array(rd, o, "", "names", ZF_LEDGER_MAX_NAMES, &a);

	for (size_t i = 0; rc == 0 && i < json_array_size(a); i++) {
		const char *s = json_string_value(json_array_get(a, i));
		uint16_t idx;

		if (!s || zf_ledger_intern(l, s, &idx) < 0)
			rc = bad(rd, "names[%zu]: expected 1 to %u bytes of "
				 "printable ASCII", i, ZF_LEDGER_MAX_NAME);
		else if (idx != i)
			rc = bad(rd, "names[%zu]: '%s' is listed twice", i, s);
	}
	return rc;
}

static int read_outcome(const json_t *v, uint8_t *out)
{
	const char *s = json_string_value(v);

	for (int i = 0; s && i < ZF_W_N; i++) {
		if (strcmp(s, wout_names[i]) == 0) {
			*out = (uint8_t)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* One row [id, client, node, planned_ns, invoke_ns, complete_ns, outcome]. */
static int read_row(struct rd *rd, const struct zf_ledger *l, size_t i,
		    const json_t *row, struct zf_write *w)
{
	uint64_t f[ROW_FIELDS - 1];
	const uint64_t max[ROW_FIELDS - 1] = {
		ZF_LEDGER_MAX_ID, l->n_names ? l->n_names - 1 : 0,
		l->n_names ? l->n_names - 1 : 0, ZF_LEDGER_MAX_NS,
		ZF_LEDGER_MAX_NS, ZF_LEDGER_MAX_NS,
	};

	if (!json_is_array(row) || json_array_size(row) != ROW_FIELDS)
		return bad(rd, "writes[%zu]: expected [id, client, node, "
			   "planned_ns, invoke_ns, complete_ns, outcome]", i);
	for (size_t k = 0; k < ROW_FIELDS - 1; k++)
		if (get_u64(json_array_get(row, k), max[k], &f[k]) < 0 ||
		    (k >= 1 && k <= 2 && l->n_names == 0))
			return bad(rd, "writes[%zu][%zu]: expected %s", i, k,
				   k == 0 ? "an id from 0 to 2^63-1" : k <= 2 ?
				   "the index of a name in 'names'" :
				   "a time in ns from 0 to 2^63-1");
	if (read_outcome(json_array_get(row, ROW_FIELDS - 1), &w->outcome) < 0)
		return bad(rd, "writes[%zu][6]: expected \"ok\", \"fail\" or "
			   "\"unknown\"", i);
	w->id = f[0];
	w->client = (uint16_t)f[1];
	w->node = (uint16_t)f[2];
	w->planned_ns = f[3];
	w->invoke_ns = f[4];
	w->complete_ns = f[5];
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Refuse two entries with one id. */
static int unique_ids(struct rd *rd, const struct zf_ledger *l)
{
	uint64_t *ids = zf_xmalloc(l->n * sizeof(*ids));
	int rc = 0;

	for (size_t i = 0; i < l->n; i++)
		ids[i] = l->w[i].id;
	qsort(ids, l->n, sizeof(*ids), cmp_u64);
	for (size_t i = 1; rc == 0 && i < l->n; i++)
		if (ids[i] == ids[i - 1])
			rc = bad(rd, "writes: id %llu is used twice (values are "
				 "never reused)", (unsigned long long)ids[i]);
	free(ids);
	return rc;
}

static int read_writes(struct rd *rd, struct zf_ledger *l, const json_t *o)
{
	const json_t *a;
	int rc = get_array(rd, o, "", "writes", ZF_LEDGER_MAX_WRITES, &a);

	if (rc < 0)
		return rc;
	reserve(l, json_array_size(a));
	for (size_t i = 0; rc == 0 && i < json_array_size(a); i++) {
		struct zf_write w = { 0 };

		rc = read_row(rd, l, i, json_array_get(a, i), &w);
		if (rc == 0)
			l->w[l->n++] = w;
	}
	return rc == 0 ? unique_ids(rd, l) : rc;
}

static int read_state(const json_t *v, enum zf_fread_state *st)
{
	const char *s = json_string_value(v);

	for (int i = 0; s && i <= ZF_FREAD_DONE; i++) {
		if (strcmp(s, fread_names[i]) == 0) {
			*st = (enum zf_fread_state)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* "node" (a listed name, or null/absent) and "t_ns" (or null/absent). */
static int read_where(struct rd *rd, const struct zf_ledger *l,
		      const json_t *fo, struct fread *fr)
{
	const json_t *node = json_object_get(fo, "node");
	const json_t *t = json_object_get(fo, "t_ns");

	fr->node = -1;
	if (node && !json_is_null(node)) {
		const char *s = json_string_value(node);

		for (size_t i = 0; s && fr->node < 0 && i < l->n_names; i++)
			if (strcmp(s, l->names[i]) == 0)
				fr->node = (int)i;
		if (fr->node < 0)
			return bad(rd, "final_read.node: expected null or a "
				   "name listed in 'names'");
	}
	fr->have_t = t && !json_is_null(t);
	if (fr->have_t && get_u64(t, ZF_LEDGER_MAX_NS, &fr->t_ns) < 0)
		return bad(rd, "final_read.t_ns: expected null or a time in "
			   "ns from 0 to 2^63-1");
	return 0;
}

static int read_error(struct rd *rd, const json_t *fo, struct fread *fr)
{
	const char *s = json_string_value(json_object_get(fo, "error"));

	if (!s || !printable(s, 1, ZF_LEDGER_MAX_ERROR))
		return bad(rd, "final_read.error: expected 1 to %u bytes of "
			   "printable ASCII", ZF_LEDGER_MAX_ERROR);
	memcpy(fr->error, s, strlen(s) + 1);
	return 0;
}

static int read_values(struct rd *rd, const json_t *fo, struct fread *fr)
{
	const json_t *a;
	int rc = get_array(rd, fo, "final_read.", "values", ZF_LEDGER_MAX_READ, &a);

	for (size_t i = 0; rc == 0 && i < json_array_size(a); i++) {
		uint64_t id;

		if (get_u64(json_array_get(a, i), ZF_LEDGER_MAX_ID, &id) < 0)
			rc = bad(rd, "final_read.values[%zu]: expected an id "
				 "from 0 to 2^63-1", i);
		else
			final_add_id(fr, id);
	}
	return rc;
}

static int read_foreign(struct rd *rd, const json_t *fo, struct fread *fr)
{
	const json_t *a;
	uint64_t count = 0;
	int rc = get_array(rd, fo, "final_read.", "foreign",
			   ZF_LEDGER_MAX_FOREIGN, &a);

	for (size_t i = 0; rc == 0 && i < json_array_size(a); i++) {
		const char *s = json_string_value(json_array_get(a, i));

		if (!s || !printable(s, 0, ZF_LEDGER_MAX_VALUE))
			return bad(rd, "final_read.foreign[%zu]: expected 0 to "
				   "%u bytes of printable ASCII", i,
				   ZF_LEDGER_MAX_VALUE);
		final_add_foreign(fr, s, strlen(s));
	}
	if (rc == 0 && (get_u64(json_object_get(fo, "foreign_count"),
				ZF_LEDGER_MAX_READ, &count) < 0 ||
			count < fr->n_kept ||
			count > ZF_LEDGER_MAX_READ - fr->n_ids))
		rc = bad(rd, "final_read.foreign_count: expected the number of "
			 "foreign values read (at least the %zu listed; with "
			 "'values', at most %u)", fr->n_kept, ZF_LEDGER_MAX_READ);
	if (rc == 0)
		fr->n_foreign = count;
	return rc;
}

static int read_final(struct rd *rd, struct zf_ledger *l, const json_t *o)
{
	const json_t *fo = json_object_get(o, "final_read");
	struct fread *fr = &l->fr;
	int rc;

	if (!json_is_object(fo))
		return bad(rd, "final_read: expected an object");
	if (read_state(json_object_get(fo, "state"), &fr->state) < 0)
		return bad(rd, "final_read.state: expected \"none\", \"failed\" "
			   "or \"done\"");
	rc = read_where(rd, l, fo, fr);
	if (rc == 0 && fr->state == ZF_FREAD_FAILED)
		rc = read_error(rd, fo, fr);
	if (rc == 0 && fr->state == ZF_FREAD_DONE)
		rc = read_values(rd, fo, fr);
	if (rc == 0 && fr->state == ZF_FREAD_DONE)
		rc = read_foreign(rd, fo, fr);
	return rc;
}

static int read_head(struct rd *rd, const json_t *j, struct zf_ledger **l)
{
	uint64_t format;
	const char *prefix;

	if (!json_is_object(j))
		return bad(rd, "expected a ledger object");
	if (get_u64(json_object_get(j, "format"), UINT32_MAX, &format) < 0 ||
	    format != LEDGER_FORMAT)
		return bad(rd, "format: expected %d", LEDGER_FORMAT);
	prefix = json_string_value(json_object_get(j, "prefix"));
	if (!prefix || zf_ledger_new(prefix, l) < 0)
		return bad(rd, "prefix: expected 1 to %u characters of "
			   "[A-Za-z0-9._:-], not ending in a digit",
			   ZF_LEDGER_MAX_PREFIX);
	return 0;
}

int zf_ledger_from_json(const json_t *j, struct zf_ledger **out, char *err,
			size_t errlen)
{
	struct rd rd = { err, errlen };
	struct zf_ledger *l = NULL;
	int rc = read_head(&rd, j, &l);

	if (rc == 0)
		rc = read_names(&rd, l, j);
	if (rc == 0)
		rc = read_writes(&rd, l, j);
	if (rc == 0)
		rc = read_final(&rd, l, j);
	if (rc < 0) {
		zf_ledger_free(l);
		return rc;
	}
	*out = l;
	return 0;
}
