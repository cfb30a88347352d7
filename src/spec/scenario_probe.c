/* scenario_probe.c - a scenario's probes: the fields every probe has
 * (kind, where its users are, rate, timeout, slow threshold; settle and
 * workers for write probes) and its expectations; the kinds' own mappings
 * are in scenario_probe_kind.c (http, tcp, exec), scenario_probe_dns.c and
 * scenario_probe_write.c (redis, etcd, sql, http-write). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "spec/scenario_load.h"
#include "util/log.h"
#include "util/mem.h"

#define NS_PER_MS 1000000ull
#define PROBE_TIMEOUT_NS (2000 * NS_PER_MS)
#define PROBE_SLOW_NS (1000 * NS_PER_MS)
#define PROBE_SETTLE_NS (5000 * NS_PER_MS)
#define PROBE_SETTLE_MAX_NS (3600000 * NS_PER_MS)
#define PROBE_RATE_MAX 1e6
#define PROBE_WORKERS 16
#define PROBE_WORKERS_MAX 256
#define KINDS "http, tcp, exec, dns, redis, etcd, sql or http-write"
#define KINDS_Q "'http', 'tcp', 'exec', 'dns', 'redis', 'etcd', 'sql' " \
		"or 'http-write'"

enum probe_field { P_HTTP, P_TCP, P_EXEC, P_DNS, P_REDIS, P_ETCD, P_SQL,
		   P_HTTPW, P_FROM, P_RATE, P_TIMEOUT, P_SLOW, P_SETTLE,
		   P_WORKERS, P_EXPECT, P_COUNT };

/* The scenario kind of each kind field, P_HTTP..P_HTTPW. */
static const enum zf_scn_probe_kind field_kind[] = {
	[P_HTTP] = ZF_SCN_HTTP, [P_TCP] = ZF_SCN_TCP, [P_EXEC] = ZF_SCN_EXEC,
	[P_DNS] = ZF_SCN_DNS, [P_REDIS] = ZF_SCN_REDIS, [P_ETCD] = ZF_SCN_ETCD,
	[P_SQL] = ZF_SCN_SQL, [P_HTTPW] = ZF_SCN_HTTPW,
};

/* Exactly one kind field (http ... http-write) in F (of mapping M);
 * parse it. */
static int parse_kind(struct zf_sl *sl, struct zf_scn_probe *p,
		      const struct zf_sc_field *f, const struct zf_ynode *m,
		      const char *what)
{
	const struct zf_sc_field *kind = NULL;
	int k = 0;

	for (int i = P_HTTP; i <= P_HTTPW; i++) {
		if (!f[i].val)
			continue;
		if (kind)
			return zf_sc_err(&sl->sc, f[i].key->mark, "%s has both "
					 "'%s' and '%s': a probe is one of "
					 KINDS, what, kind->name, f[i].name);
		kind = &f[i];
		k = i;
	}
	if (!kind)
		return zf_sc_err(&sl->sc, m->mark, "%s needs one of " KINDS_Q,
				 what);
	if (k == P_HTTP)
		return zf_sl_http(sl, p, kind->val, what);
	if (k == P_TCP)
		return zf_sl_tcp(sl, p, kind->val, what);
	if (k == P_DNS)
		return zf_sl_dns(sl, p, kind->val, what);
	if (k == P_EXEC)
		return zf_sl_exec(sl, p, kind->val, what);
	return zf_sl_write(sl, p, field_kind[k], kind->val, what);
}

/* "from": required for every kind but exec, which has "in". */
static int parse_from(struct zf_sl *sl, struct zf_scn_probe *p,
		      const struct zf_sc_field *f, const struct zf_ynode *m,
		      const char *what)
{
	char where[96];
	int rc;

	if (p->kind == ZF_SCN_EXEC) {
		if (!f[P_FROM].val)
			return 0;
		return zf_sc_err(&sl->sc, f[P_FROM].key->mark, "%s runs its "
				 "command in the host named by 'in' of 'exec'; "
				 "'from' is for http, tcp, dns and write "
				 "probes", what);
	}
	rc = zf_sc_require(&sl->sc, m, what, &f[P_FROM]);
	zf_fmt(where, sizeof(where), "'from' of %s", what);
	if (rc == 0)
		rc = zf_sl_name(sl, f[P_FROM].val, "host or client", where,
				p->from);
	return rc;
}

static int parse_rate(struct zf_sl *sl, struct zf_scn_probe *p,
		      const struct zf_sc_field *f, const struct zf_ynode *m,
		      const char *what)
{
	char where[96];
	int rc = zf_sc_require(&sl->sc, m, what, &f[P_RATE]);

	zf_fmt(where, sizeof(where), "'rate' of %s", what);
	if (rc == 0)
		rc = zf_sl_number(sl, f[P_RATE].val, where, &p->rate);
	if (rc == 0 && (p->rate <= 0 || p->rate > PROBE_RATE_MAX))
		rc = zf_sc_err(&sl->sc, f[P_RATE].val->mark, "%s must be more "
			       "than 0 and at most 1000000 requests per "
			       "second, got %g", where, p->rate);
	return rc;
}

/* Optional positive FIELD ("timeout", "slow") of WHAT at N into *NS (which
 * holds the default); request properties, so not time-scaled. */
static int request_duration(struct zf_sl *sl, const struct zf_ynode *n,
			    const char *field, const char *what, uint64_t *ns)
{
	char where[96];
	int rc;

	if (!n)
		return 0;
	zf_fmt(where, sizeof(where), "'%s' of %s", field, what);
	rc = zf_sl_duration(sl, n, where, 0, ns);
	if (rc == 0 && *ns == 0)
		rc = zf_sc_err(&sl->sc, n->mark, "%s must be longer than 0",
			       where);
	return rc;
}

/* Write probes' own fields: "settle" (a real-time duration, not scaled:
 * the system settles at its own pace) and "workers"; refused for the
 * other kinds. */
static int parse_write_fields(struct zf_sl *sl, struct zf_scn_probe *p,
			      const struct zf_sc_field *f, const char *what)
{
	char where[96];
	long long v;
	int rc = 0;

	p->settle_ns = PROBE_SETTLE_NS;
	p->workers = PROBE_WORKERS;
	for (int i = P_SETTLE; i <= P_WORKERS; i++)
		if (f[i].val && !zf_scn_is_write(p->kind))
			return zf_sc_err(&sl->sc, f[i].key->mark, "'%s' is for "
					 "write probes (redis, etcd, sql, "
					 "http-write), not for %s", f[i].name,
					 what);
	zf_fmt(where, sizeof(where), "'settle' of %s", what);
	if (f[P_SETTLE].val)
		rc = zf_sl_duration(sl, f[P_SETTLE].val, where, 0, &p->settle_ns);
	if (rc == 0 && p->settle_ns > PROBE_SETTLE_MAX_NS)
		rc = zf_sc_err(&sl->sc, f[P_SETTLE].val->mark, "%s is longer "
			       "than an hour", where);
	zf_fmt(where, sizeof(where), "'workers' of %s", what);
	if (rc == 0 && f[P_WORKERS].val) {
		rc = zf_sl_integer(sl, f[P_WORKERS].val, where, 1,
				   PROBE_WORKERS_MAX, &v);
		if (rc == 0)
			p->workers = (int)v;
	}
	return rc;
}

/* A data-safety expectation (lost, valid...) on a probe that writes
 * nothing: an error at N. */
static int data_on_reader(struct zf_sl *sl, const struct zf_scn_probe *p,
			  const struct zf_expect *e, const struct zf_ynode *n,
			  const char *what)
{
	if (e->data == ZF_DM_NONE || zf_scn_is_write(p->kind))
		return 0;
	return zf_sc_err(&sl->sc, n->mark, "'%s' is a data-safety metric, "
			 "measured by write probes (redis, etcd, sql, "
			 "http-write) only; %s writes nothing",
			 zf_data_metric_name(e->data), what);
}

/* "expect:": a mapping of metric: "op value", or a list of expressions. */
static int parse_expects(struct zf_sl *sl, struct zf_scn_probe *p,
			 const struct zf_ynode *n, const char *what)
{
	char where[96];
	int rc = 0;

	if (zf_sc_absent(n))
		return 0;
	zf_fmt(where, sizeof(where), "'expect' of %s", what);
	if (n->kind == ZF_YSCALAR)
		return zf_sc_err(&sl->sc, n->mark, "expected a mapping like "
				 "{ availability: \">= 99.5%%\" } or a list of "
				 "expressions for %s, got a string", where);
	if (n->n > ZF_SCN_MAX_EXPECTS)
		return zf_sc_err(&sl->sc, n->kind == ZF_YMAP ?
				 zf_ymap_key(n, ZF_SCN_MAX_EXPECTS)->mark :
				 n->kids[ZF_SCN_MAX_EXPECTS]->mark, "more than "
				 "%d expectations in %s", ZF_SCN_MAX_EXPECTS,
				 where);
	p->expects = zf_xcalloc(n->n, sizeof(*p->expects));
	for (size_t i = 0; rc == 0 && i < n->n; i++) {
		if (n->kind == ZF_YMAP)
			rc = zf_sl_expect_pair(sl, zf_ymap_key(n, i),
					       zf_ymap_val(n, i), where,
					       &p->expects[i]);
		else
			rc = zf_sl_expect_expr(sl, n->kids[i], where,
					       &p->expects[i]);
		if (rc == 0)
			rc = data_on_reader(sl, p, &p->expects[i],
					    n->kind == ZF_YMAP ? zf_ymap_key(n, i)
							       : n->kids[i], what);
		p->n_expects += rc == 0;
	}
	return rc;
}

/* One "NAME: { KIND: ..., from, rate, ... }" of "probes:". */
static int parse_probe(struct zf_sl *sl, struct zf_scn_probe *p,
		       const struct zf_ynode *key, const struct zf_ynode *val)
{
	struct zf_sc_field f[P_COUNT] = {
		[P_HTTP] = { .name = "http" }, [P_TCP] = { .name = "tcp" },
		[P_EXEC] = { .name = "exec" }, [P_DNS] = { .name = "dns" },
		[P_REDIS] = { .name = "redis" }, [P_ETCD] = { .name = "etcd" },
		[P_SQL] = { .name = "sql" },
		[P_HTTPW] = { .name = "http-write" },
		[P_FROM] = { .name = "from" },
		[P_RATE] = { .name = "rate" },
		[P_TIMEOUT] = { .name = "timeout" },
		[P_SLOW] = { .name = "slow" }, [P_SETTLE] = { .name = "settle" },
		[P_WORKERS] = { .name = "workers" },
		[P_EXPECT] = { .name = "expect" },
	};
	char what[64];
	int rc = zf_sc_name(&sl->sc, key, "probe", p->name);

	if (rc < 0)
		return rc;
	p->mark = key->mark;
	p->timeout_ns = PROBE_TIMEOUT_NS;
	p->slow_ns = PROBE_SLOW_NS;
	zf_fmt(what, sizeof(what), "probe '%s'", p->name);
	rc = zf_sc_fields(&sl->sc, val, what, f, P_COUNT);
	if (rc == 0)
		rc = parse_kind(sl, p, f, val, what);
	if (rc == 0)
		rc = parse_from(sl, p, f, val, what);
	if (rc == 0)
		rc = parse_rate(sl, p, f, val, what);
	if (rc == 0)
		rc = request_duration(sl, f[P_TIMEOUT].val, "timeout", what,
				      &p->timeout_ns);
	if (rc == 0)
		rc = request_duration(sl, f[P_SLOW].val, "slow", what,
				      &p->slow_ns);
	if (rc == 0)
		rc = parse_write_fields(sl, p, f, what);
	if (rc == 0)
		rc = parse_expects(sl, p, f[P_EXPECT].val, what);
	return rc;
}

int zf_sl_probes(struct zf_sl *sl, const struct zf_ynode *m)
{
	struct zf_scenario *s = sl->s;
	int rc;

	if (zf_sc_absent(m))
		return 0;
	rc = zf_sc_mapping(&sl->sc, m, "'probes'");
	if (rc == 0 && m->n > ZF_SCN_MAX_PROBES)
		rc = zf_sc_err(&sl->sc, zf_ymap_key(m, ZF_SCN_MAX_PROBES)->mark,
			       "more than %d probes in 'probes'",
			       ZF_SCN_MAX_PROBES);
	if (rc < 0)
		return rc;
	s->probes = zf_xcalloc(m->n, sizeof(*s->probes));
	for (size_t i = 0; rc == 0 && i < m->n; i++) {
		s->n_probes++;
		rc = parse_probe(sl, &s->probes[i], zf_ymap_key(m, i),
				 zf_ymap_val(m, i));
	}
	return rc;
}
