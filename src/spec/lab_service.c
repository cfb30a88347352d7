/* lab_service.c - the services of a host: commands, environment, restart
 * policy, readiness checks, and the templates inside them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "spec/lab_load.h"
#include "spec/split.h"
#include "spec/template.h"
#include "util/mem.h"

#define NS_PER_MS 1000000ull
#define READY_TIMEOUT_NS (30000ull * NS_PER_MS)
#define READY_INTERVAL_NS (100ull * NS_PER_MS)
#define TEMPLATE_KEYS "data, lab, name, domain, host, zone, region, ip, resolver, ip:HOST"

/* Placeholders without an argument that the lab layer can expand. */
static const char *const plain_keys[] = {
	"data", "lab", "name", "domain", "host", "zone", "region", "ip", "resolver",
};

/* zf_tmpl_lookup_fn for load-time checks: CTX is the lab, whose host and
 * client names are all known; values are not needed. */
static int check_lookup(void *ctx, const char *key, const char *arg,
			char *out, size_t outlen)
{
	const struct zf_lab *lab = ctx;

	if (outlen)
		out[0] = '\0';
	if (arg)
		return strcmp(key, "ip") == 0 &&
		       zf_lab_find_host(lab, arg) >= 0 ? 0 : -ENOENT;
	for (size_t i = 0; i < sizeof(plain_keys) / sizeof(*plain_keys); i++)
		if (strcmp(key, plain_keys[i]) == 0)
			return 0;
	return -ENOENT;
}

/* Check template S, written at node N, in FIELD of WHAT. */
static int check_template(struct zf_ld *ld, const struct zf_ynode *n,
			  const char *s, const char *field, const char *what)
{
	char msg[256];
	int rc = zf_tmpl_check(s, check_lookup, ld->lab, msg, sizeof(msg),
			       NULL);

	if (rc == -ENOENT)
		return zf_sc_err(&ld->sc, n->mark, "%s in '%s' of %s (known: "
				 TEMPLATE_KEYS ")", msg, field, what);
	if (rc < 0)
		return zf_sc_err(&ld->sc, n->mark, "%s in '%s' of %s", msg,
				 field, what);
	return 0;
}

/* A command written as one string, split into words. */
static int split_command(struct zf_ld *ld, const struct zf_ynode *n,
			 const char *field, const char *what, char ***out)
{
	char msg[256];
	int rc = zf_split_argv(n->str, ZF_MAX_ARGS, out, msg, sizeof(msg),
			       NULL);

	if (rc < 0)
		return zf_sc_err(&ld->sc, n->mark, "bad command in '%s' of %s: "
				 "%s", field, what, msg);
	for (size_t i = 0; rc == 0 && (*out)[i]; i++)
		rc = check_template(ld, n, (*out)[i], field, what);
	return rc;
}

/* A command written as a list of words. */
static int list_command(struct zf_ld *ld, const struct zf_ynode *n,
			const char *field, const char *what, char ***out)
{
	char **argv;
	int rc = 0;

	if (n->n == 0 || n->n > ZF_MAX_ARGS)
		return zf_sc_err(&ld->sc, n->n ? n->kids[ZF_MAX_ARGS]->mark :
				 n->mark, "expected 1 to %d words in '%s' of %s",
				 ZF_MAX_ARGS, field, what);
	argv = zf_xcalloc(n->n + 1, sizeof(*argv));
	for (size_t i = 0; rc == 0 && i < n->n; i++) {
		const struct zf_ynode *w = n->kids[i];

		rc = zf_sc_string(&ld->sc, w, "a command word");
		if (rc == 0 && i == 0 && w->len == 0)
			rc = zf_sc_err(&ld->sc, w->mark, "empty program name "
				       "in '%s' of %s", field, what);
		if (rc == 0)
			rc = check_template(ld, w, w->str, field, what);
		if (rc == 0)
			argv[i] = zf_xstrdup(w->str);
	}
	if (rc < 0)
		zf_strv_free(argv);
	else
		*out = argv;
	return rc;
}

/* FIELD ("run", "exec") of WHAT: a string or a list of words -> *OUT. */
static int parse_command(struct zf_ld *ld, const struct zf_ynode *n,
			 const char *field, const char *what, char ***out)
{
	if (n->kind == ZF_YSEQ)
		return list_command(ld, n, field, what, out);
	if (n->kind == ZF_YSCALAR && !zf_ynode_is_null(n))
		return split_command(ld, n, field, what, out);
	return zf_sc_err(&ld->sc, n->mark, "expected a command (a string or "
			 "a list of words) for '%s' of %s, got %s", field, what,
			 zf_ynode_kind_name(n));
}

static int parse_restart(struct zf_ld *ld, const struct zf_ynode *n,
			 enum zf_restart *out)
{
	int rc = zf_sc_string(&ld->sc, n, "'restart'");

	if (rc < 0)
		return rc;
	if (strcmp(n->str, "always") == 0)
		*out = ZF_RESTART_ALWAYS;
	else if (strcmp(n->str, "on-failure") == 0)
		*out = ZF_RESTART_ON_FAILURE;
	else if (strcmp(n->str, "no") == 0)
		*out = ZF_RESTART_NO;
	else
		return zf_sc_err(&ld->sc, n->mark, "expected 'restart' to be "
				 "always, on-failure or no, got '%.64s'",
				 n->str);
	return 0;
}

static int is_env_name(const struct zf_ynode *k)
{
	for (size_t i = 0; i < k->len; i++) {
		char c = k->str[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      c == '_' || (i > 0 && c >= '0' && c <= '9')))
			return 0;
	}
	return k->len > 0;
}

/* "env: { KEY: value }" -> S->env as "KEY=value" (always allocated). */
static int parse_env(struct zf_ld *ld, struct zf_service *s,
		     const struct zf_ynode *m, const char *what)
{
	int rc = 0;

	s->env = zf_xcalloc(zf_sc_absent(m) ? 1 : m->n + 1, sizeof(*s->env));
	if (zf_sc_absent(m))
		return 0;
	rc = zf_sc_mapping(&ld->sc, m, "'env'");
	for (size_t i = 0; rc == 0 && i < m->n; i++) {
		const struct zf_ynode *k = zf_ymap_key(m, i);
		const struct zf_ynode *v = zf_ymap_val(m, i);
		size_t len = k->len + v->len + 2;

		if (i == ZF_MAX_ENV)
			return zf_sc_err(&ld->sc, k->mark, "more than %d "
					 "variables in 'env' of %s",
					 ZF_MAX_ENV, what);
		if (!is_env_name(k))
			return zf_sc_err(&ld->sc, k->mark, "invalid variable "
					 "name '%.64s' in 'env' of %s: use "
					 "[A-Za-z_][A-Za-z0-9_]*", k->str, what);
		rc = zf_sc_string(&ld->sc, v, "an 'env' value");
		if (rc == 0)
			rc = check_template(ld, v, v->str, "env", what);
		if (rc == 0) {
			s->env[i] = zf_xmalloc(len);
			zf_fmt(s->env[i], len, "%s=%s", k->str, v->str);
		}
	}
	return rc;
}

/* A positive duration for FIELD of "ready". */
static int ready_duration(struct zf_ld *ld, const struct zf_ynode *n,
			  const char *field, uint64_t *ns)
{
	int rc;

	if (!n)
		return 0;
	rc = zf_sc_duration(&ld->sc, n, field, ns);
	if (rc == 0 && *ns == 0)
		return zf_sc_err(&ld->sc, n->mark, "'%s' must be longer than "
				 "0", field);
	return rc;
}

/* "ready: { tcp: PORT | exec: CMD, timeout: D, interval: D }". */
static int parse_ready(struct zf_ld *ld, struct zf_ready *r,
		       const struct zf_ynode *m, const char *what)
{
	struct zf_sc_field f[] = { { .name = "tcp" }, { .name = "exec" },
				   { .name = "timeout" },
				   { .name = "interval" } };
	char where[128];
	int rc;

	r->timeout_ns = READY_TIMEOUT_NS;
	r->interval_ns = READY_INTERVAL_NS;
	if (zf_sc_absent(m))
		return 0;
	zf_fmt(where, sizeof(where), "'ready' of %s", what);
	rc = zf_sc_fields(&ld->sc, m, where, f, 4);
	if (rc == 0 && f[0].val && f[1].val)
		return zf_sc_err(&ld->sc, f[1].key->mark, "%s takes 'tcp' or "
				 "'exec', not both", where);
	if (rc == 0 && !f[0].val && !f[1].val)
		return zf_sc_err(&ld->sc, m->mark, "%s needs 'tcp' or 'exec'",
				 where);
	if (rc == 0 && f[0].val) {
		r->kind = ZF_READY_TCP;
		rc = zf_sc_port(&ld->sc, f[0].val, "'tcp'", &r->port);
	} else if (rc == 0) {
		r->kind = ZF_READY_EXEC;
		rc = parse_command(ld, f[1].val, "exec", what, &r->argv);
	}
	if (rc == 0)
		rc = ready_duration(ld, f[2].val, "timeout", &r->timeout_ns);
	if (rc == 0)
		rc = ready_duration(ld, f[3].val, "interval", &r->interval_ns);
	return rc;
}

/* One "NAME: { run: ..., ... }" entry of host H's services; *AFTER gets
 * its "after" node (resolved later, when all services are known). */
static int parse_service(struct zf_ld *ld, const struct zf_host *h,
			 struct zf_service *s, const struct zf_ynode *key,
			 const struct zf_ynode *val,
			 const struct zf_ynode **after)
{
	struct zf_sc_field f[] = { { .name = "run" }, { .name = "restart" },
				   { .name = "env" }, { .name = "after" },
				   { .name = "ready" } };
	char what[128];
	int rc;

	rc = zf_sc_name(&ld->sc, key, "service", s->name);
	if (rc < 0)
		return rc;
	s->mark = key->mark;
	s->restart = ZF_RESTART_ON_FAILURE;
	zf_fmt(what, sizeof(what), "service '%s' of %s '%s'", s->name,
	       h->is_client ? "client" : "host", h->name);
	rc = zf_sc_fields(&ld->sc, val, what, f, 5);
	if (rc == 0)
		rc = zf_sc_require(&ld->sc, val, what, &f[0]);
	if (rc == 0)
		rc = parse_command(ld, f[0].val, "run", what, &s->argv);
	if (rc == 0 && f[1].val)
		rc = parse_restart(ld, f[1].val, &s->restart);
	if (rc == 0)
		rc = parse_env(ld, s, f[2].val, what);
	if (rc == 0)
		rc = parse_ready(ld, &s->ready, f[4].val, what);
	*after = f[3].val;
	return rc;
}

int zf_ld_services(struct zf_ld *ld, size_t host)
{
	struct zf_host *h = &ld->lab->hosts[host];
	const struct zf_ynode *m = ld->svc_nodes[host];
	const struct zf_ynode **after = NULL;
	char what[64];
	int rc;

	if (zf_sc_absent(m))
		return 0;
	zf_fmt(what, sizeof(what), "'services' of %s '%s'",
	       h->is_client ? "client" : "host", h->name);
	rc = zf_sc_mapping(&ld->sc, m, what);
	if (rc == 0 && m->n > ZF_MAX_SERVICES)
		rc = zf_sc_err(&ld->sc, zf_ymap_key(m, ZF_MAX_SERVICES)->mark,
			       "more than %d services in %s", ZF_MAX_SERVICES,
			       what);
	if (rc < 0)
		return rc;
	h->services = zf_xcalloc(m->n, sizeof(*h->services));
	after = zf_xcalloc(m->n, sizeof(*after));
	for (size_t i = 0; rc == 0 && i < m->n; i++) {
		h->n_services++;
		rc = parse_service(ld, h, &h->services[i], zf_ymap_key(m, i),
				   zf_ymap_val(m, i), &after[i]);
	}
	if (rc == 0)
		rc = zf_ld_order(ld, h, after);
	free(after);
	return rc;
}
