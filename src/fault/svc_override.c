/* svc_override.c - the services' overrides that the journal asks for, and
 * pushing them to the hosts' inits. */
#include "fault/svc_override.h"
#include "fault/journal.h"
#include "fault/resargs.h"
#include "lab/host.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What one service should get. */
struct want {
	long long skew;    /* seconds */
	int crash;
	char **argv;       /* owned, or NULL */
	char **env;        /* owned, NULL-terminated, or NULL */
	size_t n_env;
};

struct plan {
	const struct zf_lab *lab;
	struct want **svc;     /* [host][service] */
	long long *host_skew;  /* host-wide skews, for exec */
};

static void plan_free(struct plan *p)
{
	for (size_t h = 0; p->svc && h < p->lab->n_hosts; h++) {
		for (size_t s = 0; p->svc[h] && s < p->lab->hosts[h].n_services; s++) {
			zf_strv_free(p->svc[h][s].argv);
			zf_strv_free(p->svc[h][s].env);
		}
		free(p->svc[h]);
	}
	free(p->svc);
	free(p->host_skew);
}

const char *zf_svc_faketime_lib(void)
{
	static const char *const places[] = {
		"/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
		"/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
		"/usr/lib/faketime/libfaketime.so.1",
		"/usr/lib64/faketime/libfaketime.so.1",
		"/usr/local/lib/faketime/libfaketime.so.1",
	};
	const char *env = getenv("ZF_FAKETIME_LIB");

	if (env && *env)
		return access(env, R_OK) == 0 ? env : NULL;
	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++)
		if (access(places[i], R_OK) == 0)
			return places[i];
	return NULL;
}

static int covers(const struct zf_selection *sel, size_t h, size_t s)
{
	if (sel->kind != ZF_SEL_SERVICE)
		return sel->hosts[h];
	for (size_t i = 0; i < sel->n_services; i++)
		if (sel->services[i].host == h && sel->services[i].service == s)
			return 1;
	return 0;
}

static void env_add(struct want *w, const char *entry)
{
	w->env = zf_xrealloc(w->env, (w->n_env + 2) * sizeof(*w->env));
	w->env[w->n_env++] = zf_xstrdup(entry);
	w->env[w->n_env] = NULL;
}

static char **strv_dup(char **v)
{
	size_t n = 0;
	char **out;

	while (v[n])
		n++;
	out = zf_xcalloc(n + 1, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i] = zf_xstrdup(v[i]);
	return out;
}

/* What one bad-config asks of W. */
static void add_config(struct want *w, char **argv, char **env)
{
	for (size_t i = 0; env[i]; i++)
		env_add(w, env[i]);
	if (argv[0]) {
		zf_strv_free(w->argv);
		w->argv = strv_dup(argv);
	}
}

/* Fold one active fault (KIND, ARGS) over the services SEL covers. */
static int add_fault(struct plan *p, const struct zf_lab *lab, const char *kind,
		     const char *args, const struct zf_selection *sel, char *err,
		     size_t errlen)
{
	char **argv = NULL, **env = NULL;
	long long skew = 0;
	int rc = 0;

	if (!strcmp(kind, "clock-skew"))
		rc = zf_resargs_skew(args, &skew, err, errlen);
	else if (!strcmp(kind, "bad-config"))
		rc = zf_resargs_config(args, &argv, &env, err, errlen);
	for (size_t h = 0; rc == 0 && h < lab->n_hosts; h++) {
		if (skew && sel->kind != ZF_SEL_SERVICE && sel->hosts[h])
			p->host_skew[h] += skew;
		for (size_t s = 0; s < lab->hosts[h].n_services; s++) {
			struct want *w = &p->svc[h][s];
			if (!covers(sel, h, s))
				continue;
			w->skew += skew;
			w->crash |= !strcmp(kind, "crash-loop");
			if (argv)
				add_config(w, argv, env);
		}
	}
	zf_strv_free(argv);
	zf_strv_free(env);
	return rc;
}

static int is_service_kind(const char *kind)
{
	return !strcmp(kind, "clock-skew") || !strcmp(kind, "crash-loop") ||
	       !strcmp(kind, "bad-config");
}

/* One active service fault into the plan P. */
static int plan_fault(struct zf_fctx *c, const struct zf_fault_info *f,
		      const struct zf_selection *sel, void *p)
{
	return add_fault(p, c->rt->lab, f->kind, f->args, sel, c->err, sizeof(c->err));
}

/* The plan of the journal's active service faults without EXCLUDE. */
static int plan_make(struct zf_fctx *c, const char *exclude, struct plan *p)
{
	const struct zf_lab *lab = c->rt->lab;

	p->lab = lab;
	p->svc = zf_xcalloc(lab->n_hosts + 1, sizeof(*p->svc));
	p->host_skew = zf_xcalloc(lab->n_hosts + 1, sizeof(*p->host_skew));
	for (size_t h = 0; h < lab->n_hosts; h++)
		p->svc[h] = zf_xcalloc(lab->hosts[h].n_services + 1, sizeof(**p->svc));
	return zf_journal_each_active(c, is_service_kind, exclude, plan_fault, p);
}

/* The skew's environment entries for a sum of SKEW seconds, to ADD. */
static void skew_env(long long skew, void (*add)(void *, const char *), void *ctx)
{
	const char *lib = zf_svc_faketime_lib();
	char e[320];

	if (!skew || !lib)
		return;
	snprintf(e, sizeof(e), "LD_PRELOAD=%s", lib);
	add(ctx, e);
	snprintf(e, sizeof(e), "FAKETIME=%+lld", skew);
	add(ctx, e);
}

static void json_add(void *ctx, const char *s)
{
	json_array_append_new(ctx, json_string(s));
}

/* W as the init's override object, or NULL when it changes nothing. */
static json_t *want_json(const struct want *w)
{
	json_t *o = json_object(), *env = json_array(), *argv;

	skew_env(w->skew, json_add, env);
	for (size_t i = 0; i < w->n_env; i++)
		json_add(env, w->env[i]);
	if (json_array_size(env))
		json_object_set(o, "env", env);
	json_decref(env);
	if (w->crash || w->argv) {
		argv = json_array();
		if (w->crash)
			json_add(argv, "false");
		for (size_t i = 0; !w->crash && w->argv[i]; i++)
			json_add(argv, w->argv[i]);
		json_object_set_new(o, "argv", argv);
	}
	if (!json_object_size(o)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int zf_svc_ctl(struct zf_fctx *c, size_t h, const char *req)
{
	char reply[1024];
	json_t *j;
	int rc, ok;

	if (strlen(req) > 1000) {
		snprintf(c->err, sizeof(c->err), "request to the init too long");
		return -E2BIG;
	}
	rc = zf_host_ctl(c->rt, h, req, reply, sizeof(reply), 5000);
	j = rc == 0 ? json_loads(reply, 0, NULL) : NULL;
	ok = json_is_true(json_object_get(j, "ok"));
	json_decref(j);
	if (rc < 0 || !ok) {
		snprintf(c->err, sizeof(c->err), "host %s: %.40s...: %.300s",
			 c->rt->lab->hosts[h].name, req, rc < 0 ? strerror(-rc) : reply);
		return rc < 0 ? rc : -EIO;
	}
	return 0;
}

json_t *zf_svc_status(struct zf_fctx *c, size_t h)
{
	char *reply = zf_xmalloc(65536);
	json_t *j = NULL;
	int rc = zf_host_ctl(c->rt, h, "status", reply, 65536, 5000);

	if (rc == 0)
		j = json_loads(reply, 0, NULL);
	if (!j)
		snprintf(c->err, sizeof(c->err), "host %s: no status from its init%s%s",
			 c->rt->lab->hosts[h].name, rc < 0 ? ": " : "",
			 rc < 0 ? strerror(-rc) : "");
	free(reply);
	return j;
}

int zf_svc_running(struct zf_fctx *c, size_t h, char *buf, size_t len)
{
	json_t *st = zf_svc_status(c, h), *s;
	size_t i, used = 0;

	buf[0] = '\0';
	if (!st)
		return -EIO;
	json_array_foreach(json_object_get(st, "services"), i, s)
		if (json_integer_value(json_object_get(s, "pid")) > 0 && used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s\n",
					 json_string_value(json_object_get(s, "name")));
	json_decref(st);
	return used < len ? 0 : -E2BIG;
}

int zf_svc_each(struct zf_fctx *c, size_t h, const char *verb, const char *names,
		int tolerant)
{
	char req[128];
	int rc = 0;

	for (const char *p = names; *p && rc == 0;) {
		size_t n = strcspn(p, "\n");
		snprintf(req, sizeof(req), "%s %.*s", verb, (int)n, p);
		rc = zf_svc_ctl(c, h, req);
		if (tolerant)
			rc = 0;
		p += n + (p[n] == '\n');
	}
	return rc;
}

/* The override service NAME has now, per STATUS (NULL: none; the init
 * reports none as null). */
static json_t *current(json_t *status, const char *name)
{
	json_t *s, *o;
	size_t i;

	json_array_foreach(json_object_get(status, "services"), i, s) {
		if (strcmp(json_string_value(json_object_get(s, "name")) ?: "", name))
			continue;
		o = json_object_get(s, "override");
		return json_is_object(o) ? o : NULL;
	}
	return NULL;
}

static int same(json_t *a, json_t *b)
{
	return (!a && !b) || (a && b && json_equal(a, b));
}

/* Give service S of host H the override W asks for, restarting it. */
static int push(struct zf_fctx *c, size_t h, size_t s, json_t *want)
{
	const char *name = c->rt->lab->hosts[h].services[s].name;
	char *text = want ? json_dumps(want, JSON_COMPACT) : NULL;
	char req[1100];
	int rc = zf_fmt(req, sizeof(req), "override %s %s", name, text ? text : "");

	free(text);
	if (rc < 0) {
		snprintf(c->err, sizeof(c->err), "service %s: override too long", name);
		return -E2BIG;
	}
	rc = zf_svc_ctl(c, h, req);
	snprintf(req, sizeof(req), "restart %s", name);
	return rc < 0 ? rc : zf_svc_ctl(c, h, req);
}

static void line_add(void *ctx, const char *s)
{
	fprintf(ctx, "%s\n", s);
}

/* Host H's exec environment: <state>/h/<host>/fault.env. */
static int write_host_env(struct zf_fctx *c, size_t h, long long skew)
{
	char path[512], *text = NULL;
	size_t len = 0;
	FILE *m;
	int rc;

	zf_labrt_host_dir(c->rt, h, "fault.env", path, sizeof(path));
	if (!skew || !zf_svc_faketime_lib()) {
		if (unlink(path) == 0 || errno == ENOENT)
			return 0;
		rc = -errno;
		snprintf(c->err, sizeof(c->err), "%.400s: %s", path, strerror(-rc));
		return rc;
	}
	m = open_memstream(&text, &len);
	if (!m)
		return -ENOMEM;
	skew_env(skew, line_add, m);
	fclose(m);
	rc = zf_put_file(path, text, len, 0600);
	free(text);
	if (rc < 0)
		snprintf(c->err, sizeof(c->err), "%.400s: %s", path, strerror(-rc));
	return rc;
}

/* For every service F covers in host H: its wanted and current override;
 * FN decides what to do. */
typedef int (*each_fn)(struct zf_fctx *c, size_t h, size_t s, json_t *want,
		       json_t *now);

static int each_service(struct zf_fctx *c, const struct zf_fault *f,
			const struct plan *p, size_t h, each_fn fn)
{
	const struct zf_host *host = &c->rt->lab->hosts[h];
	json_t *status;
	int rc = 0;

	if (!zf_host_init_pid(c->rt, h))
		return 0;     /* powered off: it boots without overrides */
	status = zf_svc_status(c, h);
	if (!status)
		return -EIO;
	for (size_t s = 0; rc == 0 && s < host->n_services; s++) {
		if (!covers(&f->sel, h, s))
			continue;
		json_t *want = want_json(&p->svc[h][s]);
		rc = fn(c, h, s, want, current(status, host->services[s].name));
		json_decref(want);
	}
	json_decref(status);
	return rc;
}

static int sync_one(struct zf_fctx *c, size_t h, size_t s, json_t *want, json_t *now)
{
	return same(want, now) ? 0 : push(c, h, s, want);
}

static int check_one(struct zf_fctx *c, size_t h, size_t s, json_t *want, json_t *now)
{
	char *a, *b;

	if (same(want, now))
		return 0;
	a = want ? json_dumps(want, JSON_COMPACT) : NULL;
	b = now ? json_dumps(now, JSON_COMPACT) : NULL;
	snprintf(c->err, sizeof(c->err), "service %s of host %s runs with override "
		 "%.200s, not %.200s", c->rt->lab->hosts[h].services[s].name,
		 c->rt->lab->hosts[h].name, b ? b : "(none)", a ? a : "(none)");
	free(a);
	free(b);
	return -EIO;
}

int zf_svc_sync(struct zf_fctx *c, const struct zf_fault *f, const char *exclude)
{
	struct plan p = { 0 };
	int rc = plan_make(c, exclude, &p);

	for (size_t h = 0; rc == 0 && h < c->rt->lab->n_hosts; h++) {
		if (!f->sel.hosts[h])
			continue;
		rc = write_host_env(c, h, p.host_skew[h]);
		if (rc == 0)
			rc = each_service(c, f, &p, h, sync_one);
	}
	plan_free(&p);
	return rc;
}

int zf_svc_verify(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	struct plan p = { 0 };
	char path[512];
	int rc = plan_make(c, applied ? NULL : f->id, &p);

	for (size_t h = 0; rc == 0 && h < c->rt->lab->n_hosts; h++) {
		if (!f->sel.hosts[h])
			continue;
		zf_labrt_host_dir(c->rt, h, "fault.env", path, sizeof(path));
		if (zf_exists(path) != (p.host_skew[h] && zf_svc_faketime_lib())) {
			snprintf(c->err, sizeof(c->err), "%.400s is %s", path,
				 zf_exists(path) ? "still there" : "missing");
			rc = -EIO;
			break;
		}
		rc = each_service(c, f, &p, h, check_one);
	}
	plan_free(&p);
	return rc;
}
