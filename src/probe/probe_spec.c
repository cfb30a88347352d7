/* probe_spec.c - checking a probe spec and keeping the probe's own copy,
 * with the defaults of probe.h filled in. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "probe/probe_int.h"
#include "probe/write.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#define MAX_RATE 1e7            /* one request per 100 ns */
#define MAX_TIMEOUT (3600 * ZF_NS_PER_S)

static int check_common(const struct zf_probe_spec *s, const char *name,
			char *err, size_t errlen)
{
	if (s->kind != ZF_PROBE_HTTP && s->kind != ZF_PROBE_TCP &&
	    s->kind != ZF_PROBE_EXEC && s->kind != ZF_PROBE_DNS &&
	    s->kind != ZF_PROBE_WRITE) {
		zf_fmt(err, errlen, "probe %s: unknown kind %d", name, (int)s->kind);
		return -EINVAL;
	}
	if (!isfinite(s->rate) || s->rate <= 0 || s->rate > MAX_RATE) {
		zf_fmt(err, errlen, "probe %s: rate must be > 0 and <= %.0f "
		       "per second", name, MAX_RATE);
		return -EINVAL;
	}
	if (s->timeout_ns > MAX_TIMEOUT) {
		zf_fmt(err, errlen, "probe %s: timeout longer than an hour", name);
		return -EINVAL;
	}
	if (s->connections < 0 || s->connections > ZF_PROBE_MAX_INFLIGHT) {
		zf_fmt(err, errlen, "probe %s: connections must be 0..%d", name,
		       ZF_PROBE_MAX_INFLIGHT);
		return -EINVAL;
	}
	return 0;
}

/* A write probe's spec: a system, 1..ZF_WNODES_MAX nodes, a worker count,
 * a names table within its cap. */
static int check_write(const struct zf_wspec *w, const char *name, char *err,
		       size_t errlen)
{
	if (!w) {
		zf_fmt(err, errlen, "probe %s: write probe without a spec", name);
		return -EINVAL;
	}
	if ((unsigned)w->sys > ZF_WSYS_HTTP || w->n_nodes == 0 ||
	    w->n_nodes > ZF_WNODES_MAX || w->workers < 1 ||
	    w->workers > ZF_WWORKERS_MAX || w->n_names > ZF_WNAMES_MAX ||
	    (w->n_names && !w->names)) {
		zf_fmt(err, errlen, "probe %s: write spec out of its limits (1 "
		       "to %d nodes, 1 to %d workers)", name, ZF_WNODES_MAX,
		       ZF_WWORKERS_MAX);
		return -EINVAL;
	}
	return 0;
}

static int check_kind(const struct zf_probe_spec *s, const char *name,
		      char *err, size_t errlen)
{
	if (s->kind == ZF_PROBE_WRITE)
		return check_write(s->write, name, err, errlen);
	if (s->kind == ZF_PROBE_EXEC) {
		if (s->exec)
			return 0;
		zf_fmt(err, errlen, "probe %s: exec probe without a command",
		       name);
		return -EINVAL;
	}
	if (!s->resolve_failed &&
	    (s->addr.sin_family != AF_INET || s->addr.sin_port == 0)) {
		zf_fmt(err, errlen, "probe %s: no IPv4 address and port to "
		       "connect to", name);
		return -EINVAL;
	}
	if (s->kind == ZF_PROBE_DNS && s->dns_expect &&
	    (s->dns_n_expect == 0 || s->dns_n_expect > ZF_DNS_MAX_EXPECT)) {
		zf_fmt(err, errlen, "probe %s: the expected answer set must have "
		       "1 to %d addresses", name, ZF_DNS_MAX_EXPECT);
		return -EINVAL;
	}
	if (s->kind == ZF_PROBE_HTTP && s->expect_status &&
	    (s->expect_status < 100 || s->expect_status > 999)) {
		zf_fmt(err, errlen, "probe %s: expected status %d is not "
		       "100..999", name, s->expect_status);
		return -EINVAL;
	}
	return 0;
}

int zf_probe_spec_copy(const struct zf_probe_spec *spec,
		       struct zf_probe_spec *out, char *err, size_t errlen)
{
	char name[sizeof(spec->name)];
	int rc;

	memcpy(name, spec->name, sizeof(name));
	name[sizeof(name) - 1] = '\0';
	rc = check_common(spec, name, err, errlen);
	if (rc == 0)
		rc = check_kind(spec, name, err, errlen);
	if (rc < 0)
		return rc;
	*out = *spec;
	out->name[sizeof(out->name) - 1] = '\0';
	out->method[sizeof(out->method) - 1] = '\0';
	out->host_header[sizeof(out->host_header) - 1] = '\0';
	out->path[sizeof(out->path) - 1] = '\0';
	if (!out->timeout_ns)
		out->timeout_ns = ZF_NS_PER_S;
	if (!out->method[0])
		memcpy(out->method, "GET", 4);
	if (!out->path[0])
		memcpy(out->path, "/", 2);
	if (!out->expect_status)
		out->expect_status = 200;
	out->body = spec->body ? zf_xstrdup(spec->body) : NULL;
	out->send = spec->send ? zf_xstrdup(spec->send) : NULL;
	out->expect = spec->expect ? zf_xstrdup(spec->expect) : NULL;
	out->dns_name[sizeof(out->dns_name) - 1] = '\0';
	out->dns_expect = NULL;
	out->write = NULL;
	if (spec->kind == ZF_PROBE_WRITE) {
		struct zf_wspec *w = zf_xmalloc(sizeof(*w));
		struct zf_wnode *names = NULL;

		*w = *spec->write;
		if (w->n_names) {
			names = zf_xcalloc(w->n_names, sizeof(*names));
			memcpy(names, spec->write->names,
			       w->n_names * sizeof(*names));
		}
		w->names = names;
		out->write = w;
	}
	if (spec->dns_expect && spec->dns_n_expect) {
		size_t n = spec->dns_n_expect;
		struct zf_dns_addr *a = zf_xcalloc(n, sizeof(*a));

		memcpy(a, spec->dns_expect, n * sizeof(*a));
		out->dns_expect = a;
	}
	return 0;
}

void zf_probe_spec_fini(struct zf_probe_spec *s)
{
	free(s->body);
	free(s->send);
	free(s->expect);
	free((void *)s->dns_expect);
	if (s->write)
		free((void *)s->write->names);
	free((void *)s->write);
	s->body = s->send = s->expect = NULL;
	s->dns_expect = NULL;
	s->write = NULL;
}
