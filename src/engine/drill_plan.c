/* drill_plan.c - bind a scenario to a lab before anything happens: every
 * probe gets a resolved address and the network namespace of its users'
 * host, every step's fault kind and target are checked (errors point at the
 * step in the scenario file), and the timeline is laid out. */
#include "engine/drill_int.h"
#include "fault/fault.h"
#include "lab/host.h"
#include "lab/netns.h"
#include "lab/vip.h"
#include "util/log.h"
#include "util/mem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "scenario.yaml:LINE:COL: message" into ERR. */
__attribute__((format(printf, 5, 6)))
static void plan_err(const struct drill *d, struct zf_mark m, char *err,
		     size_t errlen, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%d:%d: %s", d->scn->path, m.line, m.col, msg);
}

/* NAME as a user in the lab would resolve it: a host or client, a DNS
 * record (its first host), a VIP (the address its name answers now),
 * either with or without ".<domain>", or an IPv4 literal. */
static int lab_resolve(const struct zf_labrt *rt, const char *name, uint32_t *ip)
{
	const struct zf_lab *lab = rt->lab;
	char base[ZF_NAME_MAX + 1];
	size_t n = strlen(name), dl = strlen(lab->domain);
	int h;

	if (zf_ip_parse(name, ip) == 0)
		return 0;
	if (n > dl + 1 && name[n - dl - 1] == '.' && !strcmp(name + n - dl, lab->domain))
		n -= dl + 1;
	if (n > ZF_NAME_MAX)
		return -ENOENT;
	memcpy(base, name, n);
	base[n] = '\0';
	h = zf_lab_find_host(lab, base);
	if (h >= 0) {
		*ip = rt->plan.host_ip[h];
		return 0;
	}
	for (size_t r = 0; r < lab->n_records; r++) {
		if (!strcmp(lab->records[r].name, base) && lab->records[r].n_hosts) {
			*ip = rt->plan.host_ip[lab->records[r].hosts[0]];
			return 0;
		}
	}
	for (size_t v = 0; v < lab->n_vips; v++)
		if (!strcmp(lab->vips[v].name, base))
			return zf_vip_dns_addr(rt, v, ip);
	return -ENOENT;
}

int drill_host_port(const struct zf_labrt *rt, const char *s, int defport,
		    struct sockaddr_in *addr, char *host, size_t hostlen)
{
	const char *colon = strrchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	long port = defport;
	uint32_t ip;
	char *end;

	if (n == 0 || n >= hostlen)
		return -EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	if (colon) {
		port = strtol(colon + 1, &end, 10);
		if (end == colon + 1 || *end || port < 1 || port > 65535)
			return -EINVAL;
	}
	if (lab_resolve(rt, host, &ip) < 0)
		return -ENOENT;
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_port = htons((uint16_t)port);
	addr->sin_addr.s_addr = htonl(ip);
	return 0;
}

static int exec_probe_run(void *vctx, int *code)
{
	struct exec_ctx *c = vctx;
	char err[256];

	return zf_host_exec(c->rt, c->host, c->argv, 1, code, err, sizeof(err));
}

static int plan_http(struct drill *d, const struct zf_scn_probe *p,
		     struct zf_probe_spec *s, char *err, size_t errlen)
{
	const char *rest = p->url + strlen("http://");
	const char *slash = strchr(rest, '/');
	char hp[300];
	size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
	int rc;

	if (n >= sizeof(hp)) {
		plan_err(d, p->mark, err, errlen, "probe %s: URL host too long", p->name);
		return -EINVAL;
	}
	memcpy(hp, rest, n);
	hp[n] = '\0';
	rc = drill_host_port(d->rt, hp, 80, &s->addr, s->host_header, sizeof(s->host_header));
	if (rc < 0) {
		plan_err(d, p->mark, err, errlen, "probe %s: '%s' is no host, client or DNS name "
			 "of lab %s", p->name, hp, d->rt->lab->name);
		return -EINVAL;
	}
	snprintf(s->host_header, sizeof(s->host_header), "%.255s", hp);
	snprintf(s->path, sizeof(s->path), "%s", slash ? slash : "/");
	snprintf(s->method, sizeof(s->method), "%s", p->method);
	s->body = p->body;
	s->expect_status = p->status;
	s->keepalive = p->keepalive;
	s->connections = p->connections;
	return 0;
}

static int plan_tcp(struct drill *d, const struct zf_scn_probe *p,
		    struct zf_probe_spec *s, char *err, size_t errlen)
{
	char host[256];

	if (drill_host_port(d->rt, p->connect, 0, &s->addr, host, sizeof(host)) < 0 ||
	    !s->addr.sin_port) {
		plan_err(d, p->mark, err, errlen, "probe %s: '%s' is not HOST:PORT of a host in "
			 "lab %s", p->name, p->connect, d->rt->lab->name);
		return -EINVAL;
	}
	s->send = p->send;
	s->expect = p->expect;
	s->connections = p->connections;
	return 0;
}

static int plan_probe(struct drill *d, size_t i, char *err, size_t errlen)
{
	const struct zf_scn_probe *p = &d->scn->probes[i];
	struct zf_probe_spec *s = &d->specs[i];
	char ns[ZF_NETNS_NAME_MAX];
	int h = zf_lab_find_host(d->rt->lab, p->from);

	if (h < 0) {
		plan_err(d, p->mark, err, errlen, "probe %s: lab %s has no host or client '%s'",
			 p->name, d->rt->lab->name, p->from);
		return -EINVAL;
	}
	snprintf(s->name, sizeof(s->name), "%s", p->name);
	s->rate = p->rate;
	s->timeout_ns = p->timeout_ns;
	s->slow_ns = p->slow_ns;
	s->netns_fd = -1;
	if (p->kind == ZF_SCN_EXEC) {
		s->kind = ZF_PROBE_EXEC;
		d->execs[i] = (struct exec_ctx){ d->rt, (size_t)h, p->argv };
		s->exec = exec_probe_run;
		s->exec_ctx = &d->execs[i];
		return 0;
	}
	zf_plan_ns_host(d->rt->lab, (size_t)h, ns, sizeof(ns));
	if (zf_netns_open(ns, &s->netns_fd) < 0) {
		snprintf(err, errlen, "probe %s: cannot open %s's network namespace",
			 p->name, p->from);
		return -EIO;
	}
	if (p->kind == ZF_SCN_DNS)
		return drill_plan_dns(d, i, (size_t)h, err, errlen);
	if (zf_scn_is_write(p->kind))
		return drill_plan_write(d, i, err, errlen);
	s->kind = p->kind == ZF_SCN_HTTP ? ZF_PROBE_HTTP : ZF_PROBE_TCP;
	return p->kind == ZF_SCN_HTTP ? plan_http(d, p, s, err, errlen)
				      : plan_tcp(d, p, s, err, errlen);
}

static int check_steps(struct drill *d, char *err, size_t errlen)
{
	char msg[512];

	for (size_t i = 0; i < d->scn->n_steps; i++) {
		const struct zf_scn_step *st = &d->scn->steps[i];
		if (zf_fault_check(d->rt, st->action, st->target, st->args, d->seed,
				   msg, sizeof(msg)) < 0) {
			plan_err(d, st->mark, err, errlen, "step %zu: %s", i + 1, msg);
			return -EINVAL;
		}
	}
	for (size_t i = 0; i < d->scn->n_stops; i++) {
		const struct zf_scn_stop *sw = &d->scn->stops[i];
		if (sw->cond.metric != ZF_M_AVAILABILITY && sw->cond.metric != ZF_M_ERRORS) {
			plan_err(d, sw->mark, err, errlen, "stop_when watches availability or errors "
				 "(measured live, per second), not %s",
				 zf_metric_name(sw->cond.metric));
			return -EINVAL;
		}
	}
	return 0;
}

static int cmp_act(const void *a, const void *b)
{
	const struct act *x = a, *y = b;

	if (x->at_ns != y->at_ns)
		return x->at_ns < y->at_ns ? -1 : 1;
	if (x->step != y->step)
		return x->step < y->step ? -1 : 1;
	return (int)x->type - (int)y->type;
}

/* Lay out the timeline (times since t0) and the planned end. */
static void plan_timeline(struct drill *d)
{
	const struct zf_scenario *s = d->scn;
	uint64_t last = 0;

	d->acts = zf_xcalloc(2 * s->n_steps + 1, sizeof(*d->acts));
	d->events = zf_xcalloc(s->n_steps + 1, sizeof(*d->events));
	for (size_t i = 0; i < s->n_steps; i++) {
		const struct zf_scn_step *st = &s->steps[i];
		uint64_t at = s->warmup_ns + st->at_ns;
		struct zf_run_event *e = &d->events[i];
		d->acts[d->n_acts++] = (struct act){ at, ACT_APPLY, i };
		e->step = (int)i;
		e->planned_ns = at;
		snprintf(e->action, sizeof(e->action), "%s", st->action);
		snprintf(e->target, sizeof(e->target), "%s", st->target);
		snprintf(e->args, sizeof(e->args), "%s", st->args);
		snprintf(e->status, sizeof(e->status), "planned");
		if (at > last)
			last = at;
		if (st->for_ns) {
			d->acts[d->n_acts++] = (struct act){ at + st->for_ns, ACT_REVERT, i };
			e->revert_planned_ns = at + st->for_ns;
			if (at + st->for_ns > last)
				last = at + st->for_ns;
		}
	}
	qsort(d->acts, d->n_acts, sizeof(*d->acts), cmp_act);
	if (last < s->warmup_ns)
		last = s->warmup_ns;
	d->end_ns = last + s->cooldown_ns;
}

int drill_plan(struct drill *d, char *err, size_t errlen)
{
	int rc = 0;

	d->n_probes = d->scn->n_probes;
	d->specs = zf_xcalloc(d->n_probes + 1, sizeof(*d->specs));
	d->execs = zf_xcalloc(d->n_probes + 1, sizeof(*d->execs));
	d->probes = zf_xcalloc(d->n_probes + 1, sizeof(*d->probes));
	drill_write_init(d);
	for (size_t i = 0; i < d->n_probes; i++)
		d->specs[i].netns_fd = -1;
	for (size_t i = 0; rc == 0 && i < d->n_probes; i++)
		rc = plan_probe(d, i, err, errlen);
	if (rc == 0)
		rc = check_steps(d, err, errlen);
	if (rc == 0)
		plan_timeline(d);
	return rc;
}

void drill_plan_free(struct drill *d)
{
	for (size_t i = 0; i < d->n_probes; i++) {
		if (d->probes && d->probes[i])
			zf_probe_free(d->probes[i]);
		if (d->specs && d->specs[i].netns_fd >= 0)
			close(d->specs[i].netns_fd);
		if (d->specs)
			free((void *)d->specs[i].dns_expect);
	}
	drill_write_free(d);
	free(d->probes);
	free(d->specs);
	free(d->execs);
	free(d->acts);
	free(d->events);
}
