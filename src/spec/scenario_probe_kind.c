/* scenario_probe_kind.c - the three kinds of probe as written in a
 * scenario: "http" (URL, method, body, expected status, connections),
 * "tcp" (HOST:PORT, bytes to send and expect) and "exec" (a host and a
 * command, split like the lab's commands, without a shell). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "spec/scenario_load.h"
#include "spec/split.h"
#include "util/log.h"
#include "util/mem.h"

#define HOST_CHARS "abcdefghijklmnopqrstuvwxyz" \
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_"
#define HOSTNAME_MAX 253
#define HTTP_CONNECTIONS_MAX 1024

static const char *const methods[] = { "GET", "HEAD", "POST", "PUT", "DELETE",
				       "PATCH" };

/* LEN bytes of S: a host name or IPv4 address (syntax only). */
static int is_host(const char *s, size_t len)
{
	size_t ok = strspn(s, HOST_CHARS);

	return len > 0 && len <= HOSTNAME_MAX && ok >= len;
}

/* The decimal port 1..65535 in the LEN bytes of S, or -1. */
static int port_of(const char *s, size_t len)
{
	long v = 0;

	if (len == 0 || len > 5)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1 && v <= 65535 ? (int)v : -1;
}

/* What is wrong with URL U, which should be "http://HOST[:PORT][/PATH]";
 * NULL if nothing. */
const char *zf_sl_url_problem(const char *u)
{
	const char *host = u + 7, *rest;
	size_t hlen;

	if (strncmp(u, "https://", 8) == 0)
		return "https is not supported (probes speak plain HTTP): "
		       "use http://";
	if (strncmp(u, "http://", 7) != 0)
		return "expected a URL like http://www.lab/ or "
		       "http://web-a:8080/path";
	hlen = strcspn(host, ":/");
	rest = host + hlen;
	if (!is_host(host, hlen))
		return "expected a host name after http://";
	if (*rest == ':') {
		size_t plen = strcspn(rest + 1, "/");

		if (port_of(rest + 1, plen) < 0)
			return "expected a port 1..65535 after the host";
		rest += 1 + plen;
	}
	for (const char *c = rest; *c; c++)
		if ((unsigned char)*c <= ' ' || (unsigned char)*c >= 0x7f)
			return "the path may not contain spaces or control "
			       "characters";
	return NULL;
}

/* "url": required; a URL without a path gets "/". */
static int parse_url(struct zf_sl *sl, struct zf_scn_probe *p,
		     const struct zf_ynode *n, const char *what)
{
	const char *t, *why;
	char where[96];
	size_t hlen;
	int rc;

	zf_fmt(where, sizeof(where), "'url' of %s", what);
	rc = zf_sl_text(sl, n, where, &t);
	if (rc < 0)
		return rc;
	why = zf_sl_url_problem(t);
	if (why)
		return zf_sc_err(&sl->sc, n->mark, "bad URL '%.64s' for %s: %s",
				 t, where, why);
	hlen = strcspn(t + 7, "/");
	p->url = zf_xmalloc(strlen(t) + 2);
	memcpy(p->url, t, strlen(t) + 1);
	if (!t[7 + hlen])
		memcpy(p->url + strlen(t), "/", 2);
	return 0;
}

static int parse_method(struct zf_sl *sl, struct zf_scn_probe *p,
			const struct zf_ynode *n, const char *what)
{
	const char *t;
	char where[96];
	int rc;

	zf_fmt(where, sizeof(where), "'method' of %s", what);
	rc = zf_sl_text(sl, n, where, &t);
	for (size_t i = 0; rc == 0 && i < sizeof(methods) / sizeof(*methods);
	     i++) {
		if (strcmp(t, methods[i]) == 0) {
			memcpy(p->method, t, strlen(t) + 1);
			return 0;
		}
	}
	if (rc == 0)
		rc = zf_sc_err(&sl->sc, n->mark, "expected %s to be GET, HEAD, "
			       "POST, PUT, DELETE or PATCH, got '%.64s'", where,
			       t);
	return rc;
}

static int parse_bool(struct zf_sl *sl, const struct zf_ynode *n,
		      const char *what, int *out)
{
	const char *t;
	int rc = zf_sl_text(sl, n, what, &t);

	if (rc == 0 && strcmp(t, "true") == 0)
		*out = 1;
	else if (rc == 0 && strcmp(t, "false") == 0)
		*out = 0;
	else if (rc == 0)
		rc = zf_sc_err(&sl->sc, n->mark, "expected true or false for "
			       "%s, got '%.64s'", what, t);
	return rc;
}

/* Read optional integer field F (MIN..MAX) of WHAT into *OUT. */
static int int_field(struct zf_sl *sl, const struct zf_sc_field *f,
		     const char *what, long long min, long long max, int *out)
{
	char where[96];
	long long v;
	int rc;

	if (!f->val)
		return 0;
	zf_fmt(where, sizeof(where), "'%s' of %s", f->name, what);
	rc = zf_sl_integer(sl, f->val, where, min, max, &v);
	if (rc == 0)
		*out = (int)v;
	return rc;
}

int zf_sl_http(struct zf_sl *sl, struct zf_scn_probe *p,
	       const struct zf_ynode *n, const char *what)
{
	struct zf_sc_field f[] = { { .name = "url" }, { .name = "method" },
				   { .name = "body" }, { .name = "status" },
				   { .name = "keepalive" },
				   { .name = "connections" } };
	char where[96];
	int rc;

	p->kind = ZF_SCN_HTTP;
	memcpy(p->method, "GET", sizeof("GET"));
	p->status = 200;
	p->keepalive = 1;
	p->connections = 1;
	zf_fmt(where, sizeof(where), "'http' of %s", what);
	rc = zf_sc_fields(&sl->sc, n, where, f, 6);
	if (rc == 0)
		rc = zf_sc_require(&sl->sc, n, where, &f[0]);
	if (rc == 0)
		rc = parse_url(sl, p, f[0].val, what);
	if (rc == 0 && f[1].val)
		rc = parse_method(sl, p, f[1].val, what);
	zf_fmt(where, sizeof(where), "'body' of %s", what);
	if (rc == 0 && f[2].val)
		rc = zf_sl_strdup(sl, f[2].val, where, &p->body);
	if (rc == 0)
		rc = int_field(sl, &f[3], what, 100, 599, &p->status);
	zf_fmt(where, sizeof(where), "'keepalive' of %s", what);
	if (rc == 0 && f[4].val)
		rc = parse_bool(sl, f[4].val, where, &p->keepalive);
	if (rc == 0)
		rc = int_field(sl, &f[5], what, 1, HTTP_CONNECTIONS_MAX,
			       &p->connections);
	return rc;
}

/* Optional FIELD of WHAT: a non-empty string into a new *OUT. */
static int bytes_field(struct zf_sl *sl, const struct zf_sc_field *f,
		       const char *what, const char *absent, char **out)
{
	char where[96];
	int rc;

	if (!f->val)
		return 0;
	zf_fmt(where, sizeof(where), "'%s' of 'tcp' of %s", f->name, what);
	rc = zf_sl_strdup(sl, f->val, where, out);
	if (rc == 0 && !**out)
		rc = zf_sc_err(&sl->sc, f->val->mark, "empty %s: leave it out "
			       "%s", where, absent);
	return rc;
}

int zf_sl_tcp(struct zf_sl *sl, struct zf_scn_probe *p,
	      const struct zf_ynode *n, const char *what)
{
	struct zf_sc_field f[] = { { .name = "connect" }, { .name = "send" },
				   { .name = "expect" } };
	char where[96];
	const char *t, *colon;
	int rc;

	p->kind = ZF_SCN_TCP;
	zf_fmt(where, sizeof(where), "'tcp' of %s", what);
	rc = zf_sc_fields(&sl->sc, n, where, f, 3);
	if (rc == 0)
		rc = zf_sc_require(&sl->sc, n, where, &f[0]);
	zf_fmt(where, sizeof(where), "'connect' of %s", what);
	if (rc == 0)
		rc = zf_sl_text(sl, f[0].val, where, &t);
	if (rc < 0)
		return rc;
	colon = strrchr(t, ':');
	if (!colon || !is_host(t, (size_t)(colon - t)) ||
	    port_of(colon + 1, strlen(colon + 1)) < 0)
		return zf_sc_err(&sl->sc, f[0].val->mark, "expected HOST:PORT "
				 "like lb-a:80 for %s, got '%.64s'", where, t);
	p->connect = zf_xstrdup(t);
	rc = bytes_field(sl, &f[1], what, "to only connect", &p->send);
	if (rc == 0)
		rc = bytes_field(sl, &f[2], what, "when no reply is expected",
				 &p->expect);
	return rc;
}

int zf_sl_is_host_port(const char *t)
{
	const char *colon = strrchr(t, ':');

	if (!colon)
		return is_host(t, strlen(t));
	return is_host(t, (size_t)(colon - t)) &&
	       port_of(colon + 1, strlen(colon + 1)) > 0;
}

/* "run" written as one string: expanded, then split into words. */
static int split_run(struct zf_sl *sl, struct zf_scn_probe *p,
		     const struct zf_ynode *n, const char *what)
{
	char msg[256], where[96];
	const char *t;
	int rc;

	zf_fmt(where, sizeof(where), "'run' of %s", what);
	rc = zf_sl_text(sl, n, where, &t);
	if (rc < 0)
		return rc;
	rc = zf_split_argv(t, ZF_MAX_ARGS, &p->argv, msg, sizeof(msg), NULL);
	if (rc == -ENODATA)
		return zf_sc_err(&sl->sc, n->mark, "empty command in 'run' of "
				 "%s", what);
	if (rc == -E2BIG)
		return zf_sc_err(&sl->sc, n->mark, "more than %d words in "
				 "'run' of %s", ZF_MAX_ARGS, what);
	if (rc < 0)
		return zf_sc_err(&sl->sc, n->mark, "bad command in 'run' of "
				 "%s: %s", what, msg);
	return 0;
}

/* "run" written as a list of words, each expanded (never split). */
static int list_run(struct zf_sl *sl, struct zf_scn_probe *p,
		    const struct zf_ynode *n, const char *what)
{
	char where[96];
	int rc = 0;

	zf_fmt(where, sizeof(where), "'run' of %s", what);
	if (n->n == 0 || n->n > ZF_MAX_ARGS)
		return zf_sc_err(&sl->sc, n->n ? n->kids[ZF_MAX_ARGS]->mark :
				 n->mark, "expected 1 to %d words in 'run' of "
				 "%s", ZF_MAX_ARGS, what);
	p->argv = zf_xcalloc(n->n + 1, sizeof(*p->argv));
	for (size_t i = 0; rc == 0 && i < n->n; i++) {
		rc = zf_sl_strdup(sl, n->kids[i], where, &p->argv[i]);
		if (rc == 0 && i == 0 && !p->argv[0][0])
			rc = zf_sc_err(&sl->sc, n->kids[0]->mark, "empty "
				       "program name in 'run' of %s", what);
	}
	return rc;
}

int zf_sl_exec(struct zf_sl *sl, struct zf_scn_probe *p,
	       const struct zf_ynode *n, const char *what)
{
	struct zf_sc_field f[] = { { .name = "in" }, { .name = "run" } };
	char where[96], in_what[96];
	int rc;

	p->kind = ZF_SCN_EXEC;
	zf_fmt(where, sizeof(where), "'exec' of %s", what);
	rc = zf_sc_fields(&sl->sc, n, where, f, 2);
	if (rc == 0)
		rc = zf_sc_require(&sl->sc, n, where, &f[0]);
	if (rc == 0)
		rc = zf_sc_require(&sl->sc, n, where, &f[1]);
	zf_fmt(in_what, sizeof(in_what), "'in' of %s", what);
	if (rc == 0)
		rc = zf_sl_name(sl, f[0].val, "host", in_what, p->from);
	if (rc == 0 && f[1].val->kind == ZF_YSEQ)
		rc = list_run(sl, p, f[1].val, what);
	else if (rc == 0 && f[1].val->kind == ZF_YSCALAR)
		rc = split_run(sl, p, f[1].val, what);
	else if (rc == 0)
		rc = zf_sc_err(&sl->sc, f[1].val->mark, "expected a command (a "
			       "string or a list of words) for 'run' of %s, "
			       "got %s", what, zf_ynode_kind_name(f[1].val));
	return rc;
}
