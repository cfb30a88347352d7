/* hostcfg.c - the init's config: the host's services with every template
 * expanded against the lab's address plan. */
#include "lab/host.h"
#include "lab/labdns.h"
#include "spec/template.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/timeutil.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

struct tmpl_ctx {
	const struct zf_labrt *rt;
	size_t host;
};

static int tmpl_lookup(void *vctx, const char *key, const char *arg, char *out,
		       size_t len)
{
	const struct tmpl_ctx *c = vctx;
	const struct zf_lab *lab = c->rt->lab;
	const struct zf_host *h = &lab->hosts[c->host];
	int other;

	if (!strcmp(key, "ip") && arg) {
		other = zf_lab_find_host(lab, arg);
		if (other < 0)
			return -ENOENT;
		zf_ip_format(c->rt->plan.host_ip[other], out, len);
		return 0;
	}
	if (arg)
		return -ENOENT;
	if (!strcmp(key, "ip"))
		zf_ip_format(c->rt->plan.host_ip[c->host], out, len);
	else if (!strcmp(key, "data"))
		return zf_labrt_host_data(c->rt, c->host, out, len);
	else if (!strcmp(key, "lab"))
		return zf_fmt(out, len, "%s", lab->dir);
	else if (!strcmp(key, "name"))
		return zf_fmt(out, len, "%s", lab->name);
	else if (!strcmp(key, "domain"))
		return zf_fmt(out, len, "%s", lab->domain);
	else if (!strcmp(key, "host"))
		return zf_fmt(out, len, "%s", h->name);
	else if (!strcmp(key, "zone"))
		return zf_fmt(out, len, "%s", h->zone >= 0 ? lab->zones[h->zone].full : "");
	else if (!strcmp(key, "resolver"))
		zf_ip_format(zf_labdns_host_resolver(c->rt, c->host), out, len);
	else if (!strcmp(key, "region"))
		return zf_fmt(out, len, "%s", h->region >= 0 ? lab->regions[h->region].name : "");
	else
		return -ENOENT;
	return 0;
}

/* Expand every string of the NULL-terminated V into a new JSON array. */
static int expand_array(struct tmpl_ctx *c, char *const *v, json_t **out,
			char *err, size_t errlen)
{
	json_t *arr = json_array();
	char buf[4096];

	for (size_t i = 0; v && v[i]; i++) {
		int rc = zf_tmpl_expand(v[i], tmpl_lookup, c, buf, sizeof(buf),
					err, errlen, NULL);
		if (rc < 0) {
			json_decref(arr);
			return rc;
		}
		json_array_append_new(arr, json_string(buf));
	}
	*out = arr;
	return 0;
}

static const char *restart_name(enum zf_restart r)
{
	return r == ZF_RESTART_ALWAYS ? "always" : r == ZF_RESTART_NO ? "no" : "on-failure";
}

static int ready_json(struct tmpl_ctx *c, const struct zf_ready *r, json_t *svc,
		      char *err, size_t errlen)
{
	json_t *ready, *argv;

	if (r->kind == ZF_READY_NONE)
		return 0;
	ready = json_object();
	if (r->kind == ZF_READY_TCP) {
		json_object_set_new(ready, "tcp", json_integer(r->port));
	} else {
		int rc = expand_array(c, r->argv, &argv, err, errlen);
		if (rc < 0) {
			json_decref(ready);
			return rc;
		}
		json_object_set_new(ready, "exec", argv);
	}
	json_object_set_new(ready, "timeout_ms", json_integer((json_int_t)(r->timeout_ns / ZF_NS_PER_MS)));
	json_object_set_new(ready, "interval_ms", json_integer((json_int_t)(r->interval_ns / ZF_NS_PER_MS)));
	json_object_set_new(svc, "ready", ready);
	return 0;
}

static int service_json(struct tmpl_ctx *c, const struct zf_host *h, size_t s,
			json_t **out, char *err, size_t errlen)
{
	const struct zf_service *sv = &h->services[s];
	json_t *o = json_object(), *argv = NULL, *env = NULL, *after = json_array();
	int rc;

	rc = expand_array(c, sv->argv, &argv, err, errlen);
	if (rc == 0)
		rc = expand_array(c, sv->env, &env, err, errlen);
	if (rc == 0)
		rc = ready_json(c, &sv->ready, o, err, errlen);
	for (size_t i = 0; rc == 0 && i < sv->n_after; i++)
		json_array_append_new(after, json_string(h->services[sv->after[i]].name));
	json_object_set_new(o, "name", json_string(sv->name));
	json_object_set_new(o, "argv", argv ? argv : json_array());
	json_object_set_new(o, "env", env ? env : json_array());
	json_object_set_new(o, "restart", json_string(restart_name(sv->restart)));
	json_object_set_new(o, "after", after);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

static void set_path(json_t *o, const char *key, const struct zf_labrt *rt,
		     size_t host, const char *leaf)
{
	char p[512];

	zf_labrt_host_dir(rt, host, leaf, p, sizeof(p));
	json_object_set_new(o, key, json_string(p));
}

static json_t *cgroups_json(const struct zf_labrt *rt, size_t host)
{
	json_t *arr = json_array();
	char rel[256], p[512];

	/* Only the hierarchy with per-service leaves (v1: freezer; v2: the
	 * unified one); the others are inherited at host level. */
	zf_labrt_host_cg(rt, host, NULL, rel, sizeof(rel));
	zf_cg_path(&rt->cg, 0, rel, p, sizeof(p));
	json_array_append_new(arr, json_string(p));
	return arr;
}

static json_t *base_json(const struct zf_labrt *rt, size_t host)
{
	json_t *o = json_object();
	char buf[512];

	json_object_set_new(o, "lab", json_string(rt->lab->name));
	json_object_set_new(o, "host", json_string(rt->lab->hosts[host].name));
	json_object_set_new(o, "domain", json_string(rt->lab->domain));
	zf_ip_format(rt->plan.host_ip[host], buf, sizeof(buf));
	json_object_set_new(o, "ip", json_string(buf));
	zf_labrt_host_data(rt, host, buf, sizeof(buf));
	json_object_set_new(o, "data_dir", json_string(buf));
	zf_fmt(buf, sizeof(buf), "%s/%s/log", rt->data, rt->lab->hosts[host].name);
	json_object_set_new(o, "log_dir", json_string(buf));
	set_path(o, "ctl_path", rt, host, "ctl.sock");
	json_object_set_new(o, "sandbox", json_true());
	zf_labdns_hosts_path(rt, host, buf, sizeof(buf));
	json_object_set_new(o, "hosts_file", json_string(buf));
	zf_labdns_resolv_path(rt, host, buf, sizeof(buf));
	json_object_set_new(o, "resolv_file", json_string(buf));
	json_object_set_new(o, "cgroups", cgroups_json(rt, host));
	/* The lab's directory (configs) and the data directory stay visible
	 * even when they live under /tmp or /run, which hosts get fresh. */
	zf_labrt_host_data(rt, host, buf, sizeof(buf));
	json_object_set_new(o, "keep", json_pack("[s,s]", rt->lab->dir, buf));
	return o;
}

int zf_host_write_config(const struct zf_labrt *rt, size_t host, char *err,
			 size_t errlen)
{
	const struct zf_host *h = &rt->lab->hosts[host];
	struct tmpl_ctx c = { rt, host };
	json_t *o = base_json(rt, host), *svcs = json_array(), *svc;
	char path[512], *text = NULL;
	int rc = 0;

	for (size_t s = 0; s < h->n_services; s++) {
		rc = service_json(&c, h, s, &svc, err, errlen);
		if (rc < 0)
			goto out;
		json_array_append_new(svcs, svc);
	}
	json_object_set(o, "services", svcs);
	text = json_dumps(o, JSON_INDENT(1));
	zf_labrt_host_dir(rt, host, "init.json", path, sizeof(path));
	rc = zf_put_file(path, text, strlen(text), 0600);
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
out:
	free(text);
	json_decref(svcs);
	json_decref(o);
	return rc;
}
