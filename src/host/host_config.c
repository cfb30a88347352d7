/* host_config.c - JSON -> struct host_config, every field validated.
 *
 * Each helper takes the field's path ("services[1].ready.tcp") so that an
 * error names exactly what is wrong; the first error stops the parse. */
#include "host/host_config.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#define HC_PATH_LEN 192  /* room for a field path in messages */

struct parser {
	const char *file;
	char *err;
	size_t errlen;
};

/* A validator returns NULL when S is fine, else what was expected. */
typedef const char *(*check_fn)(const char *s);

static int fail(struct parser *p, const char *field, const char *fmt, ...)
	ZF_PRINTF(3, 4);

/* Record "FILE: FIELD: message" and return -EINVAL. */
static int fail(struct parser *p, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(void)zf_fmt(p->err, p->errlen, "%s: %s: %s", p->file, field, msg);
	return -EINVAL;
}

static const char *field_of(char *buf, size_t len, const char *where,
			    const char *key)
{
	(void)zf_fmt(buf, len, "%s%s%s", where, *where ? "." : "", key);
	return buf;
}

static const char *index_of(char *buf, size_t len, const char *where,
			    size_t i)
{
	(void)zf_fmt(buf, len, "%s[%zu]", where, i);
	return buf;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* ---- validators ---------------------------------------------------- */

static const char *check_name(const char *s)
{
	static const char *want = "a name of 1-63 characters from "
				  "[A-Za-z0-9_.-] starting with a letter or digit";
	size_t n = strlen(s);

	if (n == 0 || n > HC_NAME_MAX || strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != n)
		return want;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
	      (s[0] >= '0' && s[0] <= '9')))
		return want;
	return NULL;
}

static const char *check_domain(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 253 || s[0] == '.' || s[0] == '-' ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		   "0123456789.-") != n)
		return "a DNS domain of 1-253 characters from [A-Za-z0-9.-]";
	return NULL;
}

static const char *check_ip(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1)
		return NULL;
	return "an IPv4 or IPv6 address";
}

static const char *check_path(const char *s)
{
	static const char *want = "an absolute path without \"..\" components";
	size_t n = strlen(s);

	if (s[0] != '/' || n >= PATH_MAX)
		return want;
	for (const char *c = strstr(s, "/.."); c; c = strstr(c + 1, "/.."))
		if (c[3] == '/' || c[3] == '\0')
			return want;
	return NULL;
}

static const char *check_sock_path(const char *s)
{
	if (strlen(s) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return "a socket path shorter than 108 bytes";
	return check_path(s);
}

static const char *check_env(const char *s)
{
	static const char *want = "\"KEY=VALUE\" with KEY from [A-Za-z0-9_] "
				  "not starting with a digit";
	size_t k = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			  "0123456789_");

	if (k == 0 || s[k] != '=' || (s[0] >= '0' && s[0] <= '9'))
		return want;
	return NULL;
}

static const char *check_arg0(const char *s)
{
	return *s ? NULL : "a non-empty command";
}

/* ---- typed getters ------------------------------------------------- */

/* Reject keys of OBJ not in ALLOWED (NULL-terminated). */
static int check_keys(struct parser *p, json_t *obj, const char *where,
		      const char *const *allowed)
{
	char path[HC_PATH_LEN];
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		size_t i = 0;

		while (allowed[i] && strcmp(allowed[i], key))
			i++;
		if (!allowed[i])
			return fail(p, field_of(path, sizeof(path), where, key),
				    "unknown key");
	}
	return 0;
}

static int want_object(struct parser *p, json_t *v, const char *path)
{
	if (!json_is_object(v))
		return fail(p, path, "expected an object, got %s", type_name(v));
	return 0;
}

/* Copy the string V (at PATH) into *OUT after CHECK (may be NULL). */
static int take_string(struct parser *p, json_t *v, const char *path,
		       check_fn check, char **out)
{
	const char *s, *why;

	if (!json_is_string(v))
		return fail(p, path, "expected a string, got %s", type_name(v));
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v))
		return fail(p, path, "contains a NUL byte");
	if (check && (why = check(s)) != NULL)
		return fail(p, path, "expected %s, got \"%.80s\"", why, s);
	*out = zf_xstrdup(s);
	return 0;
}

static int get_string(struct parser *p, json_t *obj, const char *where,
		      const char *key, check_fn check, char **out)
{
	char path[HC_PATH_LEN];
	json_t *v = json_object_get(obj, key);

	field_of(path, sizeof(path), where, key);
	if (!v)
		return fail(p, path, "missing");
	return take_string(p, v, path, check, out);
}

/* Copy the string array V (at PATH) of MIN..MAX entries into *OUT, a
 * NULL-terminated vector; CHECK0 applies to the first entry only, CHECK to
 * every entry (either may be NULL). */
static int take_strv(struct parser *p, json_t *v, const char *path,
		     size_t min, size_t max, check_fn check0, check_fn check,
		     char ***out)
{
	char ipath[HC_PATH_LEN];
	char **vec = NULL;
	size_t n;
	int rc = 0;

	if (!json_is_array(v))
		return fail(p, path, "expected an array of strings, got %s",
			    type_name(v));
	n = json_array_size(v);
	if (n < min || n > max)
		return fail(p, path, "expected %zu to %zu entries, got %zu",
			    min, max, n);
	vec = zf_xcalloc(n + 1, sizeof(*vec));
	for (size_t i = 0; i < n && rc == 0; i++) {
		index_of(ipath, sizeof(ipath), path, i);
		rc = take_string(p, json_array_get(v, i), ipath,
				 i == 0 && check0 ? check0 : check, &vec[i]);
	}
	if (rc < 0) {
		zf_strv_free(vec);
		return rc;
	}
	*out = vec;
	return 0;
}

/* The integer at KEY of OBJ in MIN..MAX; DEF when absent, or an error when
 * DEF is NULL. */
static int get_uint(struct parser *p, json_t *obj, const char *where,
		    const char *key, unsigned min, unsigned max,
		    const unsigned *def, unsigned *out)
{
	char path[HC_PATH_LEN];
	json_t *v = json_object_get(obj, key);
	json_int_t n;

	field_of(path, sizeof(path), where, key);
	if (!v && def) {
		*out = *def;
		return 0;
	}
	if (!v)
		return fail(p, path, "missing");
	n = json_is_integer(v) ? json_integer_value(v) : -1;
	if (!json_is_integer(v) || n < (json_int_t)min || n > (json_int_t)max)
		return fail(p, path, "expected an integer from %u to %u", min,
			    max);
	*out = (unsigned)n;
	return 0;
}

/* ---- services ------------------------------------------------------ */

static int parse_restart(struct parser *p, json_t *obj, const char *where,
			 enum hc_restart *out)
{
	static const enum hc_restart all[] = { HC_RESTART_ALWAYS,
		HC_RESTART_ON_FAILURE, HC_RESTART_NO };
	char path[HC_PATH_LEN];
	json_t *v = json_object_get(obj, "restart");

	field_of(path, sizeof(path), where, "restart");
	if (!v)
		return fail(p, path, "missing");
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (json_is_string(v) && !strcmp(json_string_value(v),
		    host_config_restart_name(all[i]))) {
			*out = all[i];
			return 0;
		}
	}
	return fail(p, path, "expected \"always\", \"on-failure\" or \"no\"");
}

/* "after" of service I: names of services listed before it. */
static int parse_after(struct parser *p, json_t *obj, const char *where,
		       struct host_config *c, size_t i)
{
	struct hc_service *s = &c->services[i];
	char path[HC_PATH_LEN], ipath[HC_PATH_LEN];
	json_t *v = json_object_get(obj, "after");
	char **names = NULL;
	int rc;

	if (!v)
		return 0;
	field_of(path, sizeof(path), where, "after");
	rc = take_strv(p, v, path, 0, HC_MAX_SERVICES, NULL, check_name, &names);
	if (rc < 0)
		return rc;
	s->n_after = zf_strv_len(names);
	s->after = zf_xcalloc(s->n_after, sizeof(*s->after));
	for (size_t k = 0; k < s->n_after && rc == 0; k++) {
		long at = host_config_find(c, names[k]);

		if (at < 0 || (size_t)at >= i)
			rc = fail(p, index_of(ipath, sizeof(ipath), path, k),
				  "\"%s\" is not a service listed before \"%s\"",
				  names[k], s->name);
		else
			s->after[k] = (size_t)at;
	}
	zf_strv_free(names);
	return rc;
}

static int parse_ready(struct parser *p, json_t *obj, const char *where,
		       struct hc_ready *r)
{
	static const char *const keys[] = { "tcp", "exec", "timeout_ms",
					    "interval_ms", NULL };
	static const unsigned def_timeout = 30000, def_interval = 100;
	char path[HC_PATH_LEN], sub[HC_PATH_LEN];
	json_t *v = json_object_get(obj, "ready"), *tcp, *ex;
	int rc;

	if (!v)
		return 0;
	field_of(path, sizeof(path), where, "ready");
	if ((rc = want_object(p, v, path)) < 0 ||
	    (rc = check_keys(p, v, path, keys)) < 0)
		return rc;
	tcp = json_object_get(v, "tcp");
	ex = json_object_get(v, "exec");
	if (!tcp == !ex)
		return fail(p, path, "expected exactly one of \"tcp\" and \"exec\"");
	if (tcp) {
		r->kind = HC_READY_TCP;
		rc = get_uint(p, v, path, "tcp", 1, 65535, NULL, &r->port);
	} else {
		r->kind = HC_READY_EXEC;
		rc = take_strv(p, ex, field_of(sub, sizeof(sub), path, "exec"),
			       1, HC_MAX_ARGV, check_arg0, NULL, &r->argv);
	}
	if (rc == 0)
		rc = get_uint(p, v, path, "timeout_ms", 1, 86400000,
			      &def_timeout, &r->timeout_ms);
	if (rc == 0)
		rc = get_uint(p, v, path, "interval_ms", 1, 60000,
			      &def_interval, &r->interval_ms);
	return rc;
}

/* Service I of the "services" array V. */
static int parse_service(struct parser *p, json_t *v, const char *where,
			 struct host_config *c, size_t i)
{
	static const char *const keys[] = { "name", "argv", "env", "restart",
					    "after", "ready", NULL };
	struct hc_service *s = &c->services[i];
	char path[HC_PATH_LEN];
	json_t *env;
	int rc;

	if ((rc = want_object(p, v, where)) < 0 ||
	    (rc = check_keys(p, v, where, keys)) < 0 ||
	    (rc = get_string(p, v, where, "name", check_name, &s->name)) < 0)
		return rc;
	for (size_t k = 0; k < i; k++)
		if (!strcmp(c->services[k].name, s->name))
			return fail(p, field_of(path, sizeof(path), where, "name"),
				    "duplicate service name \"%s\"", s->name);
	field_of(path, sizeof(path), where, "argv");
	if (!json_object_get(v, "argv"))
		return fail(p, path, "missing");
	rc = take_strv(p, json_object_get(v, "argv"), path, 1, HC_MAX_ARGV,
		       check_arg0, NULL, &s->argv);
	env = json_object_get(v, "env");
	if (rc == 0 && env)
		rc = take_strv(p, env, field_of(path, sizeof(path), where,
			       "env"), 0, HC_MAX_ENV, NULL, check_env, &s->env);
	else if (rc == 0)
		s->env = zf_xcalloc(1, sizeof(*s->env));
	if (rc == 0)
		rc = parse_restart(p, v, where, &s->restart);
	if (rc == 0)
		rc = parse_after(p, v, where, c, i);
	if (rc == 0)
		rc = parse_ready(p, v, where, &s->ready);
	return rc;
}

/* ---- top level ----------------------------------------------------- */

static int parse_services(struct parser *p, json_t *root,
			  struct host_config *c)
{
	char path[HC_PATH_LEN];
	json_t *v = json_object_get(root, "services");
	size_t n;
	int rc = 0;

	if (!v)
		return fail(p, "services", "missing");
	if (!json_is_array(v))
		return fail(p, "services", "expected an array, got %s",
			    type_name(v));
	n = json_array_size(v);
	if (n > HC_MAX_SERVICES)
		return fail(p, "services", "expected at most %d services, got %zu",
			    HC_MAX_SERVICES, n);
	c->services = zf_xcalloc(n, sizeof(*c->services));
	c->n_services = n;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = parse_service(p, json_array_get(v, i),
				   index_of(path, sizeof(path), "services", i),
				   c, i);
	return rc;
}

static int parse_top(struct parser *p, json_t *root, struct host_config *c)
{
	static const char *const keys[] = { "lab", "host", "domain", "ip",
		"data_dir", "log_dir", "ctl_path", "sandbox", "hosts_file",
		"resolv_file", "cgroups", "keep", "services", NULL };
	static const struct { const char *key; check_fn check; size_t off; }
	strs[] = {
		{ "lab", check_name, offsetof(struct host_config, lab) },
		{ "host", check_name, offsetof(struct host_config, host) },
		{ "domain", check_domain, offsetof(struct host_config, domain) },
		{ "ip", check_ip, offsetof(struct host_config, ip) },
		{ "data_dir", check_path, offsetof(struct host_config, data_dir) },
		{ "log_dir", check_path, offsetof(struct host_config, log_dir) },
		{ "ctl_path", check_sock_path, offsetof(struct host_config, ctl_path) },
		{ "hosts_file", check_path, offsetof(struct host_config, hosts_file) },
		{ "resolv_file", check_path, offsetof(struct host_config, resolv_file) },
	};
	json_t *v;
	int rc;

	if ((rc = want_object(p, root, "(top level)")) < 0 ||
	    (rc = check_keys(p, root, "", keys)) < 0)
		return rc;
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		rc = get_string(p, root, "", strs[i].key, strs[i].check,
				(char **)((char *)c + strs[i].off));
		if (rc < 0)
			return rc;
	}
	v = json_object_get(root, "sandbox");
	if (!json_is_boolean(v))
		return fail(p, "sandbox", v ? "expected true or false" : "missing");
	c->sandbox = json_is_true(v);
	v = json_object_get(root, "cgroups");
	if (!v)
		return fail(p, "cgroups", "missing");
	rc = take_strv(p, v, "cgroups", 0, HC_MAX_CGROUPS, NULL, check_path,
		       &c->cgroups);
	if (rc < 0)
		return rc;
	c->n_cgroups = zf_strv_len(c->cgroups);
	v = json_object_get(root, "keep");   /* optional */
	if (!v)
		c->keep = zf_xcalloc(1, sizeof(*c->keep));
	else if ((rc = take_strv(p, v, "keep", 0, HC_MAX_CGROUPS, NULL, check_path,
				 &c->keep)) < 0)
		return rc;
	return parse_services(p, root, c);
}

int host_config_parse(const char *name, const char *buf, size_t len,
		      struct host_config **out, char *err, size_t errlen)
{
	struct parser p = { .file = name, .err = err, .errlen = errlen };
	struct host_config *c = NULL;
	json_t *root;
	json_error_t jerr;
	int rc;

	if (len > HC_MAX_FILE) {
		(void)zf_fmt(err, errlen, "%s: larger than %u bytes", name, HC_MAX_FILE);
		return -EFBIG;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		(void)zf_fmt(err, errlen, "%s:%d:%d: %s", name, jerr.line,
			     jerr.column, jerr.text);
		return -EINVAL;
	}
	c = zf_xcalloc(1, sizeof(*c));
	rc = parse_top(&p, root, c);
	if (rc == 0) {
		*out = c;
		c = NULL;
	}
	host_config_free(c);
	json_decref(root);
	return rc;
}

int host_config_load(const char *path, struct host_config **out, char *err,
		     size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	rc = zf_read_file(path, HC_MAX_FILE, &buf, &len);
	if (rc == -EFBIG) {
		(void)zf_fmt(err, errlen, "%s: larger than %u bytes", path,
			     HC_MAX_FILE);
		return rc;
	}
	if (rc < 0) {
		(void)zf_fmt(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = host_config_parse(path, buf, len, out, err, errlen);
	free(buf);
	return rc;
}

static void free_service(struct hc_service *s)
{
	free(s->name);
	zf_strv_free(s->argv);
	zf_strv_free(s->env);
	free(s->after);
	zf_strv_free(s->ready.argv);
}

void host_config_free(struct host_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_services; i++)
		free_service(&c->services[i]);
	free(c->services);
	zf_strv_free(c->cgroups);
	zf_strv_free(c->keep);
	free(c->lab);
	free(c->host);
	free(c->domain);
	free(c->ip);
	free(c->data_dir);
	free(c->log_dir);
	free(c->ctl_path);
	free(c->hosts_file);
	free(c->resolv_file);
	free(c);
}

long host_config_find(const struct host_config *c, const char *name)
{
	for (size_t i = 0; i < c->n_services; i++)
		if (c->services[i].name && !strcmp(c->services[i].name, name))
			return (long)i;
	return -1;
}

const char *host_config_restart_name(enum hc_restart r)
{
	switch (r) {
	case HC_RESTART_ALWAYS: return "always";
	case HC_RESTART_ON_FAILURE: return "on-failure";
	case HC_RESTART_NO: return "no";
	}
	return "?";
}
