/* drill_write.c - the write probes of a drill (docs/data-safety.md): bind
 * each to the lab before the run (its nodes' addresses and names, its
 * value prefix), and after the run, once the cool-down has ended and its
 * settle time has passed, have it read what survived and check its
 * ledger.
 *
 * Node names are resolved as the probe's users would (drill_host_port): a
 * host or client, a DNS record's first host, with or without the domain,
 * or an IPv4 literal; in the ledger a node is named by its lab host when
 * its address is one (the names table), so that "sentinel-a.lab" and
 * "sentinel-a" are one node. The value prefix is per run and probe
 * (zf_wprefix: the start time and a random nonce). */
#include "engine/drill_int.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define PORT_SENTINEL 26379
#define PORT_REDIS 6379
#define PORT_ETCD 2379

/* "scenario.yaml:LINE:COL: probe NAME: message" into ERR; -EINVAL. */
__attribute__((format(printf, 5, 6)))
static int wr_err(const struct drill *d, const struct zf_scn_probe *p,
		  char *err, size_t errlen, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%d:%d: probe %s: %s", d->scn->path,
		 p->mark.line, p->mark.col, p->name, msg);
	return -EINVAL;
}

void drill_write_init(struct drill *d)
{
	const struct zf_lab *lab = d->rt->lab;
	size_t n = lab->n_hosts < ZF_WNAMES_MAX ? lab->n_hosts : ZF_WNAMES_MAX;

	d->wspecs = zf_xcalloc(d->n_probes + 1, sizeof(*d->wspecs));
	d->wtargets = zf_xcalloc(d->n_probes + 1, sizeof(*d->wtargets));
	d->checks = zf_xcalloc(d->n_probes + 1, sizeof(*d->checks));
	d->checked = zf_xcalloc(d->n_probes + 1, sizeof(*d->checked));
	d->wnames = zf_xcalloc(n + 1, sizeof(*d->wnames));
	for (size_t h = 0; h < n; h++) {
		struct zf_wnode *w = &d->wnames[h];

		zf_fmt(w->name, sizeof(w->name), "%s", lab->hosts[h].name);
		w->addr.sin_family = AF_INET;
		w->addr.sin_addr.s_addr = htonl(d->rt->plan.host_ip[h]);
	}
	d->n_wnames = n;
}

/* Node TEXT ("HOST[:PORT]") of probe P into N. */
static int plan_node(struct drill *d, const struct zf_scn_probe *p,
		     const char *text, int defport, struct zf_wnode *n,
		     char *err, size_t errlen)
{
	char host[256];
	uint32_t ip;

	if (drill_host_port(d->rt, text, defport, &n->addr, host,
			    sizeof(host)) < 0)
		return wr_err(d, p, err, errlen, "'%s' is no host, client or DNS "
			      "name of lab %s", text, d->rt->lab->name);
	ip = ntohl(n->addr.sin_addr.s_addr);
	zf_fmt(n->name, sizeof(n->name), "%s", host);
	for (size_t i = 0; i < d->n_wnames; i++)
		if (ntohl(d->wnames[i].addr.sin_addr.s_addr) == ip)
			zf_fmt(n->name, sizeof(n->name), "%s", d->wnames[i].name);
	return 0;
}

static int default_port(const struct zf_scn_probe *p)
{
	if (p->kind == ZF_SCN_REDIS)
		return p->write->sentinel ? PORT_SENTINEL : PORT_REDIS;
	if (p->kind == ZF_SCN_ETCD)
		return PORT_ETCD;
	return p->write->port;
}

/* "http://HOST[:PORT]/PATH" of probe P into node N, HOST and PATH. */
static int plan_url(struct drill *d, const struct zf_scn_probe *p,
		    const char *url, struct zf_wnode *n, char *host,
		    size_t hlen, char *path, size_t plen, char *err,
		    size_t errlen)
{
	const char *rest = url + strlen("http://");
	size_t len = strcspn(rest, "/");
	char hp[300];
	int rc;

	if (len >= sizeof(hp))
		return wr_err(d, p, err, errlen, "URL host too long");
	memcpy(hp, rest, len);
	hp[len] = '\0';
	rc = plan_node(d, p, hp, 80, n, err, errlen);
	if (rc == 0)
		zf_fmt(host, hlen, "%s", hp);
	if (rc == 0 && zf_fmt(path, plen, "%s", rest[len] ? rest + len : "/") < 0)
		rc = wr_err(d, p, err, errlen, "URL path too long");
	return rc;
}

/* Nodes, key, options of probe P into W. */
static int plan_target(struct drill *d, const struct zf_scn_probe *p,
		       struct zf_wspec *w, char *err, size_t errlen)
{
	const struct zf_scn_write *sw = p->write;
	int rc = 0;

	if (p->kind == ZF_SCN_HTTPW) {
		w->n_nodes = 1;
		w->put = !strcmp(sw->method, "PUT");
		rc = plan_url(d, p, sw->url, &w->nodes[0], w->host_header,
			      sizeof(w->host_header), w->path, sizeof(w->path),
			      err, errlen);
		if (rc == 0)
			rc = plan_url(d, p, sw->read_url, &w->read_node, w->read_host,
				      sizeof(w->read_host), w->read_path,
				      sizeof(w->read_path), err, errlen);
		return rc;
	}
	for (size_t i = 0; rc == 0 && sw->nodes[i] && i < ZF_WNODES_MAX; i++) {
		rc = plan_node(d, p, sw->nodes[i], default_port(p), &w->nodes[i],
			       err, errlen);
		w->n_nodes++;
	}
	w->sentinel = sw->sentinel;
	w->redis_set = !strcmp(sw->op, "set");
	zf_fmt(w->master, sizeof(w->master), "%s", sw->master ? sw->master : "");
	zf_fmt(w->key, sizeof(w->key), "%s", sw->key ? sw->key : "");
	zf_fmt(w->conninfo, sizeof(w->conninfo), "%s",
	       sw->conninfo ? sw->conninfo : "");
	return rc;
}

/* "mymaster via sentinel-a, sentinel-b: SADD zf-set" and the like. */
static char *target_text(const struct zf_scn_probe *p, const struct zf_wspec *w)
{
	char nodes[1024] = "", buf[1536];
	size_t off = 0;

	if (p->kind == ZF_SCN_HTTPW)
		return zf_xstrdup(p->write->url);
	for (size_t i = 0; i < w->n_nodes && off < sizeof(nodes); i++) {
		int n = snprintf(nodes + off, sizeof(nodes) - off, "%s%s",
				 i ? ", " : "", w->nodes[i].name);

		off += n > 0 ? (size_t)n : 0;
	}
	if (p->kind == ZF_SCN_REDIS && w->sentinel)
		snprintf(buf, sizeof(buf), "%s via %s: %s %s", w->master, nodes,
			 w->redis_set ? "SET" : "SADD", w->key);
	else if (p->kind == ZF_SCN_REDIS)
		snprintf(buf, sizeof(buf), "%s: %s %s", nodes,
			 w->redis_set ? "SET" : "SADD", w->key);
	else if (p->kind == ZF_SCN_ETCD)
		snprintf(buf, sizeof(buf), "%s: put %s*", nodes, w->key);
	else
		snprintf(buf, sizeof(buf), "%s: INSERT INTO %s", nodes, w->key);
	return zf_xstrdup(buf);
}

static unsigned nonce(void)
{
	unsigned short n = 0;

	if (getrandom(&n, sizeof(n), 0) != (ssize_t)sizeof(n))
		n = (unsigned short)(getpid() ^ zf_now_ns());
	return n;
}

int drill_plan_write(struct drill *d, size_t i, char *err, size_t errlen)
{
	const struct zf_scn_probe *p = &d->scn->probes[i];
	static const enum zf_wsys sys[] = {
		[ZF_SCN_REDIS] = ZF_WSYS_REDIS, [ZF_SCN_ETCD] = ZF_WSYS_ETCD,
		[ZF_SCN_SQL] = ZF_WSYS_SQL, [ZF_SCN_HTTPW] = ZF_WSYS_HTTP,
	};
	struct zf_probe_spec *s = &d->specs[i];
	struct zf_wspec *w = &d->wspecs[i];
	int rc;

	s->kind = ZF_PROBE_WRITE;
	s->write = w;
	w->sys = sys[p->kind];
	w->workers = p->workers;
	w->names = d->wnames;
	w->n_names = d->n_wnames;
	zf_fmt(w->client, sizeof(w->client), "%s", p->from);
	if (zf_wprefix(w->prefix, sizeof(w->prefix), zf_wall_ns(), nonce(),
		       p->name) < 0)
		return wr_err(d, p, err, errlen, "no value prefix for this name");
	rc = plan_target(d, p, w, err, errlen);
	if (rc == 0)
		d->wtargets[i] = target_text(p, w);
	return rc;
}

/* Wait until AT (CLOCK_MONOTONIC) unless SIGINT/SIGTERM/SIGHUP (blocked
 * in this thread) comes first: 0, or -EINTR. */
static int wait_until(uint64_t at)
{
	sigset_t set;
	uint64_t now;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	while ((now = zf_now_ns()) < at) {
		struct timespec ts = { (time_t)((at - now) / ZF_NS_PER_S),
				       (long)((at - now) % ZF_NS_PER_S) };

		if (sigtimedwait(&set, NULL, &ts) > 0)
			return -EINTR;
	}
	return 0;
}

/* Probe I's final read (unless SKIP) and check. */
static void read_and_check(struct drill *d, size_t i, int skip)
{
	const char *name = d->scn->probes[i].name;
	const struct zf_ledger *l;
	struct zf_final_read fr;
	int rc;

	if (!skip && zf_probe_final_read(d->probes[i]) < 0)
		zf_warn("probe %s: the final read could not be recorded", name);
	l = zf_probe_ledger(d->probes[i]);
	if (!l)
		return;
	rc = zf_check_run(l, &d->checks[i]);
	d->checked[i] = rc == 0;
	if (rc < 0)
		zf_warn("probe %s: its ledger holds one id twice: no check", name);
	zf_ledger_final(l, &fr);
	if (skip || !d->checked[i])
		return;
	if (fr.state == ZF_FREAD_DONE)
		drill_say(d, "final read of %s from %s: %zu values; %s, lost %llu, "
			  "unexpected %llu", name, zf_ledger_name(l, fr.node) ?
			  zf_ledger_name(l, fr.node) : "?", fr.n_ids + (size_t)fr.n_foreign,
			  zf_check_verdict_name(d->checks[i].verdict),
			  (unsigned long long)d->checks[i].lost,
			  (unsigned long long)d->checks[i].unexpected);
	else
		drill_say(d, "final read of %s FAILED: %s; data-safety verdict "
			  "unknown", name, fr.error);
}

/* The write probe to read next (by settle time) among those not DONE, or
 * d->n_probes. */
static size_t next_read(const struct drill *d, const int *done)
{
	size_t next = d->n_probes;

	for (size_t i = 0; i < d->n_probes; i++)
		if (d->probes[i] && d->specs[i].kind == ZF_PROBE_WRITE &&
		    !done[i] && (next == d->n_probes ||
				 d->scn->probes[i].settle_ns <
				 d->scn->probes[next].settle_ns))
			next = i;
	return next;
}

void drill_final_reads(struct drill *d)
{
	int *done = zf_xcalloc(d->n_probes + 1, sizeof(*done)), stop = 0;
	size_t i;

	while ((i = next_read(d, done)) < d->n_probes) {
		if (!stop && wait_until(d->t0 + d->ended_ns +
					d->scn->probes[i].settle_ns) < 0) {
			stop = 1;
			drill_say(d, "interrupted during the settle time: no final "
				  "read (data-safety verdicts unknown)");
			if (d->end_reason && !strcmp(d->end_reason, "completed")) {
				d->end_reason = "interrupted";
				snprintf(d->end_detail, sizeof(d->end_detail),
					 "interrupted before the final read");
			}
		}
		read_and_check(d, i, stop);
		done[i] = 1;
	}
	free(done);
}

void drill_write_free(struct drill *d)
{
	for (size_t i = 0; d->checks && i < d->n_probes; i++)
		zf_check_free(&d->checks[i]);
	for (size_t i = 0; d->wtargets && i < d->n_probes; i++)
		free(d->wtargets[i]);
	free(d->wtargets);
	free(d->checks);
	free(d->checked);
	free(d->wspecs);
	free(d->wnames);
	d->wtargets = NULL;
	d->checks = NULL;
	d->checked = NULL;
	d->wspecs = NULL;
	d->wnames = NULL;
}
