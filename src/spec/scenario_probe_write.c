/* scenario_probe_write.c - the write probes of a scenario (their ledger,
 * final read and check: docs/data-safety.md), as written:
 *
 *   redis: { sentinels: [sentinel-a, sentinel-b:26379], master: mymaster,
 *            op: sadd, key: zf-set }           # or addr: "redis-a:6379"
 *   etcd: { endpoints: [etcd-a, etcd-b:2379], prefix: /zf/ }
 *   sql: { host: [db-a, db-b], port: 5432,
 *          conninfo: "dbname=zf user=postgres", table: zf_writes }
 *   http-write: { url: "http://www.lab/items", method: POST,
 *                 read_url: "http://www.lab/items" }
 *
 * Node entries ("sentinels", "addr", "endpoints", "host") are HOST or
 * HOST:PORT (a name or an IPv4 address; the engine resolves names against
 * the lab), one or a list of 1 to ZF_SCN_WRITE_MAX_NODES. Defaults: redis
 * master "mymaster", op sadd, key "zf-writes" (sadd) or "zf-writes:"
 * (set); etcd prefix "/zf/"; sql port 5432, conninfo "user=postgres
 * dbname=postgres", table zf_writes; http-write method POST, read_url the
 * url. Redis INCR is refused: a counter's final value has no identities,
 * so set semantics (which write was lost?) cannot be applied to it.
 * from, rate, timeout, slow, settle, workers and expect belong to the
 * probe itself, beside the kind. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "spec/scenario_load.h"
#include "util/log.h"
#include "util/mem.h"

#define TEXT_MAX 200            /* bytes of a key, prefix or master name */
#define CONNINFO_MAX 1024
#define TABLE_MAX 63
#define SQL_PORT 5432

static const char *const probe_keys[] = { "from", "rate", "timeout", "slow",
					  "settle", "workers", "expect" };
#define N_PROBE_KEYS (sizeof(probe_keys) / sizeof(*probe_keys))

static const char *kind_name(enum zf_scn_probe_kind k)
{
	return k == ZF_SCN_REDIS ? "redis" : k == ZF_SCN_ETCD ? "etcd" :
	       k == ZF_SCN_SQL ? "sql" : "http-write";
}

/* A probe's own key written inside the kind's mapping N: say where it
 * goes. */
static int misplaced(struct zf_sl *sl, const struct zf_ynode *n,
		     const char *kind, const char *what)
{
	if (n->kind != ZF_YMAP)
		return 0;
	for (size_t i = 0; i < n->n; i++) {
		const struct zf_ynode *k = zf_ymap_key(n, i);

		for (size_t j = 0; j < N_PROBE_KEYS; j++)
			if (k->kind == ZF_YSCALAR && !strcmp(k->str, probe_keys[j]))
				return zf_sc_err(&sl->sc, k->mark, "'%s' belongs "
						 "to %s itself, beside '%s', not "
						 "inside '%s'", probe_keys[j],
						 what, kind, kind);
	}
	return 0;
}

/* Printable ASCII without spaces, 1..MAX bytes. */
static int is_word(const char *t, size_t max)
{
	size_t n = strlen(t);

	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] <= ' ' || (unsigned char)t[i] >= 0x7f)
			return 0;
	return 1;
}

/* Optional FIELD F of WHAT: a word of 1..MAX bytes into a new *OUT, or a
 * copy of DEF when absent. */
static int word_field(struct zf_sl *sl, const struct zf_sc_field *f,
		      const char *what, size_t max, const char *def, char **out)
{
	char where[96];
	const char *t;
	int rc;

	if (!f->val) {
		*out = def ? zf_xstrdup(def) : NULL;
		return 0;
	}
	zf_fmt(where, sizeof(where), "'%s' of %s", f->name, what);
	rc = zf_sl_text(sl, f->val, where, &t);
	if (rc == 0 && !is_word(t, max))
		rc = zf_sc_err(&sl->sc, f->val->mark, "expected 1 to %zu "
			       "printable characters without spaces for %s, "
			       "got '%.64s'", max, where, t);
	if (rc == 0)
		*out = zf_xstrdup(t);
	return rc;
}

static int node_entry(struct zf_sl *sl, const struct zf_ynode *n,
		      const char *where, char **out)
{
	const char *t;
	int rc = zf_sl_text(sl, n, where, &t);

	if (rc == 0 && !zf_sl_is_host_port(t))
		rc = zf_sc_err(&sl->sc, n->mark, "expected HOST or HOST:PORT "
			       "(a host of the lab or an IPv4 address) in %s, "
			       "got '%.64s'", where, t);
	if (rc == 0)
		*out = zf_xstrdup(t);
	return rc;
}

/* Field F of WHAT: one node or a list of 1..MAX_NODES into W->nodes. */
static int node_list(struct zf_sl *sl, struct zf_scn_write *w,
		     const struct zf_sc_field *f, const char *what)
{
	const struct zf_ynode *n = f->val;
	char where[96];
	int rc = 0;

	zf_fmt(where, sizeof(where), "'%s' of %s", f->name, what);
	if (n->kind == ZF_YSCALAR) {
		w->nodes = zf_xcalloc(2, sizeof(*w->nodes));
		return node_entry(sl, n, where, &w->nodes[0]);
	}
	if (n->kind != ZF_YSEQ || n->n == 0 || n->n > ZF_SCN_WRITE_MAX_NODES)
		return zf_sc_err(&sl->sc, n->kind == ZF_YSEQ && n->n ?
				 n->kids[ZF_SCN_WRITE_MAX_NODES]->mark : n->mark,
				 "expected a host or a list of 1 to %d hosts "
				 "for %s", ZF_SCN_WRITE_MAX_NODES, where);
	w->nodes = zf_xcalloc(n->n + 1, sizeof(*w->nodes));
	for (size_t i = 0; rc == 0 && i < n->n; i++)
		rc = node_entry(sl, n->kids[i], where, &w->nodes[i]);
	return rc;
}

enum { R_SENTINELS, R_ADDR, R_MASTER, R_OP, R_KEY, R_N };

static int redis_op(struct zf_sl *sl, struct zf_scn_write *w,
		    const struct zf_ynode *n, const char *what)
{
	char where[96];
	const char *t;
	int rc;

	memcpy(w->op, "sadd", sizeof("sadd"));
	if (!n)
		return 0;
	zf_fmt(where, sizeof(where), "'op' of %s", what);
	rc = zf_sl_text(sl, n, where, &t);
	if (rc == 0 && !strcmp(t, "incr"))
		return zf_sc_err(&sl->sc, n->mark, "op incr is not supported "
				 "for %s: a counter's final value has no "
				 "identities, so no write can be named lost; "
				 "use sadd or set", what);
	if (rc == 0 && strcmp(t, "sadd") && strcmp(t, "set"))
		return zf_sc_err(&sl->sc, n->mark, "expected sadd or set for %s, "
				 "got '%.64s'", where, t);
	if (rc == 0)
		memcpy(w->op, t, strlen(t) + 1);
	return rc;
}

static int parse_redis(struct zf_sl *sl, struct zf_scn_write *w,
		       const struct zf_ynode *n, const char *what)
{
	struct zf_sc_field f[R_N] = {
		[R_SENTINELS] = { .name = "sentinels" },
		[R_ADDR] = { .name = "addr" }, [R_MASTER] = { .name = "master" },
		[R_OP] = { .name = "op" }, [R_KEY] = { .name = "key" },
	};
	int rc = zf_sc_fields(&sl->sc, n, what, f, R_N);

	if (rc == 0 && !f[R_SENTINELS].val == !f[R_ADDR].val)
		return zf_sc_err(&sl->sc, f[R_ADDR].key ? f[R_ADDR].key->mark :
				 n->mark, "%s needs either 'sentinels' (the "
				 "master is found through Sentinel) or 'addr' "
				 "(one server), not %s", what,
				 f[R_ADDR].val ? "both" : "neither");
	if (rc == 0 && f[R_MASTER].val && !f[R_SENTINELS].val)
		return zf_sc_err(&sl->sc, f[R_MASTER].key->mark, "'master' of "
				 "%s names Sentinel's master: it needs "
				 "'sentinels'", what);
	w->sentinel = f[R_SENTINELS].val != NULL;
	if (rc == 0)
		rc = node_list(sl, w, &f[w->sentinel ? R_SENTINELS : R_ADDR],
			       what);
	if (rc == 0 && w->sentinel)
		rc = word_field(sl, &f[R_MASTER], what, TEXT_MAX, "mymaster",
				&w->master);
	if (rc == 0)
		rc = redis_op(sl, w, f[R_OP].val, what);
	if (rc == 0)
		rc = word_field(sl, &f[R_KEY], what, TEXT_MAX,
				strcmp(w->op, "set") ? "zf-writes" : "zf-writes:",
				&w->key);
	return rc;
}

static int parse_etcd(struct zf_sl *sl, struct zf_scn_write *w,
		      const struct zf_ynode *n, const char *what)
{
	struct zf_sc_field f[] = { { .name = "endpoints" },
				   { .name = "prefix" } };
	int rc = zf_sc_fields(&sl->sc, n, what, f, 2);

	if (rc == 0)
		rc = zf_sc_require(&sl->sc, n, what, &f[0]);
	if (rc == 0)
		rc = node_list(sl, w, &f[0], what);
	if (rc == 0)
		rc = word_field(sl, &f[1], what, TEXT_MAX, "/zf/", &w->key);
	return rc;
}

/* "table": a plain SQL identifier, safe to write into statements. */
static int sql_table(struct zf_sl *sl, struct zf_scn_write *w,
		     const struct zf_ynode *n, const char *what)
{
	static const char first[] = "abcdefghijklmnopqrstuvwxyz_";
	char where[96];
	const char *t;
	size_t len;
	int rc;

	if (!n) {
		w->key = zf_xstrdup("zf_writes");
		return 0;
	}
	zf_fmt(where, sizeof(where), "'table' of %s", what);
	rc = zf_sl_text(sl, n, where, &t);
	if (rc < 0)
		return rc;
	len = strlen(t);
	if (len == 0 || len > TABLE_MAX || !strchr(first, t[0]) ||
	    strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789_") != len)
		return zf_sc_err(&sl->sc, n->mark, "expected a table name of "
				 "lowercase letters, digits and '_' (not "
				 "starting with a digit, at most %d) for %s, "
				 "got '%.64s'", TABLE_MAX, where, t);
	w->key = zf_xstrdup(t);
	return 0;
}

static int sql_conninfo(struct zf_sl *sl, struct zf_scn_write *w,
			const struct zf_ynode *n, const char *what)
{
	char where[96];
	const char *t;
	int rc;

	if (!n) {
		w->conninfo = zf_xstrdup("user=postgres dbname=postgres");
		return 0;
	}
	zf_fmt(where, sizeof(where), "'conninfo' of %s", what);
	rc = zf_sl_text(sl, n, where, &t);
	if (rc < 0)
		return rc;
	for (const char *c = t; *c; c++)
		if ((unsigned char)*c < ' ' || (unsigned char)*c == 0x7f)
			return zf_sc_err(&sl->sc, n->mark, "control character in "
					 "%s", where);
	if (strlen(t) > CONNINFO_MAX)
		return zf_sc_err(&sl->sc, n->mark, "%s is longer than %d bytes",
				 where, CONNINFO_MAX);
	w->conninfo = zf_xstrdup(t);
	return 0;
}

static int parse_sql(struct zf_sl *sl, struct zf_scn_write *w,
		     const struct zf_ynode *n, const char *what)
{
	struct zf_sc_field f[] = { { .name = "host" }, { .name = "port" },
				   { .name = "conninfo" }, { .name = "table" } };
	char where[96];
	int rc = zf_sc_fields(&sl->sc, n, what, f, 4);

	w->port = SQL_PORT;
	if (rc == 0)
		rc = zf_sc_require(&sl->sc, n, what, &f[0]);
	if (rc == 0)
		rc = node_list(sl, w, &f[0], what);
	zf_fmt(where, sizeof(where), "'port' of %s", what);
	if (rc == 0 && f[1].val) {
		long long v;

		rc = zf_sl_integer(sl, f[1].val, where, 1, 65535, &v);
		if (rc == 0)
			w->port = (int)v;
	}
	if (rc == 0)
		rc = sql_conninfo(sl, w, f[2].val, what);
	if (rc == 0)
		rc = sql_table(sl, w, f[3].val, what);
	return rc;
}

/* An http URL field F of WHAT into a new *OUT. */
static int url_field(struct zf_sl *sl, const struct zf_sc_field *f,
		     const char *what, char **out)
{
	const char *t, *why;
	char where[96];
	int rc;

	zf_fmt(where, sizeof(where), "'%s' of %s", f->name, what);
	rc = zf_sl_text(sl, f->val, where, &t);
	if (rc < 0)
		return rc;
	why = zf_sl_url_problem(t);
	if (why)
		return zf_sc_err(&sl->sc, f->val->mark, "bad URL '%.64s' for "
				 "%s: %s", t, where, why);
	*out = zf_xstrdup(t);
	return 0;
}

static int http_method(struct zf_sl *sl, struct zf_scn_write *w,
		       const struct zf_ynode *n, const char *what)
{
	char where[96];
	const char *t;
	int rc;

	memcpy(w->method, "POST", sizeof("POST"));
	if (!n)
		return 0;
	zf_fmt(where, sizeof(where), "'method' of %s", what);
	rc = zf_sl_text(sl, n, where, &t);
	if (rc == 0 && strcmp(t, "POST") && strcmp(t, "PUT"))
		return zf_sc_err(&sl->sc, n->mark, "expected POST (the value is "
				 "the body) or PUT (the value is appended to the "
				 "URL and is the body) for %s, got '%.64s'", where,
				 t);
	if (rc == 0)
		memcpy(w->method, t, strlen(t) + 1);
	return rc;
}

static int parse_http(struct zf_sl *sl, struct zf_scn_write *w,
		      const struct zf_ynode *n, const char *what)
{
	struct zf_sc_field f[] = { { .name = "url" }, { .name = "method" },
				   { .name = "read_url" } };
	int rc = zf_sc_fields(&sl->sc, n, what, f, 3);

	if (rc == 0)
		rc = zf_sc_require(&sl->sc, n, what, &f[0]);
	if (rc == 0)
		rc = url_field(sl, &f[0], what, &w->url);
	if (rc == 0)
		rc = http_method(sl, w, f[1].val, what);
	if (rc == 0 && !strcmp(w->method, "PUT") &&
	    w->url[strlen(w->url) - 1] != '/')
		return zf_sc_err(&sl->sc, f[0].val->mark, "with PUT each value "
				 "is appended to the URL: 'url' of %s must end "
				 "with '/'", what);
	if (rc == 0 && f[2].val)
		rc = url_field(sl, &f[2], what, &w->read_url);
	if (rc == 0 && !w->read_url)
		w->read_url = zf_xstrdup(w->url);
	return rc;
}

int zf_sl_write(struct zf_sl *sl, struct zf_scn_probe *p,
		enum zf_scn_probe_kind kind, const struct zf_ynode *n,
		const char *what)
{
	const char *name = kind_name(kind);
	char where[96];
	int rc;

	p->kind = kind;
	p->write = zf_xcalloc(1, sizeof(*p->write));
	zf_fmt(where, sizeof(where), "'%s' of %s", name, what);
	rc = misplaced(sl, n, name, what);
	if (rc == 0 && n->kind != ZF_YMAP)
		rc = zf_sc_mapping(&sl->sc, n, where);
	if (rc < 0)
		return rc;
	if (kind == ZF_SCN_REDIS)
		return parse_redis(sl, p->write, n, where);
	if (kind == ZF_SCN_ETCD)
		return parse_etcd(sl, p->write, n, where);
	if (kind == ZF_SCN_SQL)
		return parse_sql(sl, p->write, n, where);
	return parse_http(sl, p->write, n, where);
}

void zf_sl_write_free(struct zf_scn_write *w)
{
	if (!w)
		return;
	zf_strv_free(w->nodes);
	free(w->master);
	free(w->key);
	free(w->conninfo);
	free(w->url);
	free(w->read_url);
	free(w);
}
