/* dns.c - faults of the lab's DNS server: servfail, nxdomain, empty,
 * timeout, slow, wrong, stale, ttl.
 *
 * TARGET says whose resolver fails: a region (its resolver), the lab
 * (every resolver, the public one too), clients (the public resolver), or
 * hosts, zones and services (the resolvers of their regions). ARG is
 * "NAMES [VALUE]": NAMES an fnmatch glob of query names ("www", "*.r1",
 * "api.lab"; the lab's domain is added when missing; default "*"), VALUE
 * the mode's parameter (slow: a delay; wrong: an address or a host;
 * ttl: seconds).
 *
 * Like link faults, apply and revert recompute the faults of the whole lab
 * from the journal (the one being reverted left out) and hand them to the
 * DNS server in one reload, so several DNS faults compose and reverting
 * one leaves the others; each becomes one server fault per resolver, with
 * the id "FAULT-N". */
#include "fault/dnsargs.h"
#include "fault/journal.h"
#include "fault/kinds.h"
#include "lab/addrplan.h"
#include "lab/labdns.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The faults for the server, growing. */
struct want {
	struct zf_dns_fault_cfg *v;
	size_t n;
};

/* Which resolvers SEL reaches: flags per region, and the public one. */
static void resolvers(const struct zf_lab *lab, const struct zf_selection *sel,
		      unsigned char *region, int *public)
{
	*public = sel->kind == ZF_SEL_LAB;
	for (size_t r = 0; r < lab->n_regions; r++)
		region[r] = sel->kind == ZF_SEL_LAB || sel->regions[r];
	for (size_t h = 0; sel->kind != ZF_SEL_REGION && h < lab->n_hosts; h++) {
		if (!sel->hosts[h])
			continue;
		if (lab->hosts[h].is_client)
			*public = 1;
		else
			region[lab->hosts[h].region] = 1;
	}
}

static void push(struct want *w, const struct zf_dns_fault_cfg *f, const char *id,
		 size_t k, const char *resolver)
{
	struct zf_dns_fault_cfg *x;

	w->v = zf_xrealloc(w->v, (w->n + 1) * sizeof(*w->v));
	x = &w->v[w->n++];
	*x = *f;
	snprintf(x->id, sizeof(x->id), "%.20s-%zu", id, k);
	snprintf(x->resolver, sizeof(x->resolver), "%s", resolver);
}

/* The server faults of fault ID: one per resolver its selection reaches. */
static void add_fault(const struct zf_labrt *rt, struct want *w, const char *id,
		      const struct zf_selection *sel, const struct zf_dns_fault_cfg *f)
{
	const struct zf_lab *lab = rt->lab;
	unsigned char *region = zf_xcalloc(lab->n_regions + 1, 1);
	char rid[ZF_DNS_ID_MAX + 1];
	size_t k = 0;
	int public;

	resolvers(lab, sel, region, &public);
	if (sel->kind == ZF_SEL_LAB) {
		push(w, f, id, k, ZF_DNS_ANY_RESOLVER);
	} else {
		for (size_t r = 0; r < lab->n_regions; r++) {
			if (!region[r])
				continue;
			zf_labdns_listen_id(lab, r, rid, sizeof(rid));
			push(w, f, id, k++, rid);
		}
		if (public)
			push(w, f, id, k, ZF_LABDNS_PUBLIC);
	}
	free(region);
}

/* One active DNS fault into the server faults W. */
static int want_fault(struct zf_fctx *c, const struct zf_fault_info *f,
		      const struct zf_selection *sel, void *w)
{
	struct zf_dns_fault_cfg cfg;
	int rc = zf_dnsargs_parse(c->rt->lab, &c->rt->plan, f->kind, f->args, &cfg,
				  c->err, sizeof(c->err));

	if (rc == 0)
		add_fault(c->rt, w, f->id, sel, &cfg);
	return rc;
}

/* The server faults the journal asks for, leaving out EXCLUDE (or none). */
static int desired(struct zf_fctx *c, const char *exclude, struct want *w)
{
	memset(w, 0, sizeof(*w));
	return zf_journal_each_active(c, zf_dnsargs_is_dns_kind, exclude, want_fault, w);
}

static int check_dns(struct zf_fctx *c, const struct zf_fault *f)
{
	struct zf_dns_fault_cfg cfg;

	return zf_dnsargs_parse(c->rt->lab, &c->rt->plan, f->kind->name, f->args, &cfg,
				c->err, sizeof(c->err));
}

static int sync_without(struct zf_fctx *c, const char *exclude)
{
	struct want w;
	int rc = desired(c, exclude, &w);

	if (rc == 0)
		rc = zf_labdns_set_faults(c->rt, w.v, w.n, c->err, sizeof(c->err));
	free(w.v);
	return rc;
}

static int apply_dns(struct zf_fctx *c, const struct zf_fault *f)
{
	(void)f;
	return sync_without(c, NULL);
}

static int revert_dns(struct zf_fctx *c, const struct zf_fault *f)
{
	return sync_without(c, f->id);
}

/* Sum the hits of fault ID's server faults in STATS into *HITS; *N how
 * many there were. */
static int hits_of(const char *stats, const char *id, long long *hits, size_t *n)
{
	json_t *root = json_loads(stats, 0, NULL), *x;
	size_t i, len = strlen(id);

	if (!root)
		return -EPROTO;
	*hits = 0;
	*n = 0;
	json_array_foreach(json_object_get(root, "faults"), i, x) {
		const char *s = json_string_value(json_object_get(x, "id"));
		if (s && !strncmp(s, id, len) && s[len] == '-') {
			*hits += json_integer_value(json_object_get(x, "hits"));
			(*n)++;
		}
	}
	json_decref(root);
	return 0;
}

int zf_fault_dns_delivered(const struct zf_labrt *rt, const char *id, char *buf,
			   size_t len)
{
	char *stats = NULL;
	long long hits = 0;
	size_t n = 0;
	int rc = zf_labdns_stats(rt, &stats);

	if (rc == 0)
		rc = hits_of(stats, id, &hits, &n);
	free(stats);
	if (rc == 0 && n == 0)
		rc = -ENOENT;
	if (rc == 0)
		snprintf(buf, len, "dns server: %lld quer%s answered by the fault", hits,
			 hits == 1 ? "y" : "ies");
	return rc;
}

/* The running server holds the fault's rules exactly when APPLIED. */
static int verify_dns(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	char *stats = NULL;
	long long hits;
	size_t n = 0;
	int has, rc = zf_labdns_stats(c->rt, &stats);

	if (rc == 0)
		rc = hits_of(stats, f->id, &hits, &n);
	free(stats);
	has = n > 0;
	if (rc < 0) {
		snprintf(c->err, sizeof(c->err), "the lab's DNS server: %s", strerror(-rc));
		return rc;
	}
	if (has != applied) {
		snprintf(c->err, sizeof(c->err), "the lab's DNS server %s fault %s",
			 has ? "still applies" : "does not apply", f->id);
		return -EIO;
	}
	return 0;
}

#define DNS_KIND(var, kname, kusage, ksummary)                                 \
	const struct zf_fault_kind var = {                                     \
		.name = kname, .usage = kusage, .summary = ksummary,            \
		.check = check_dns, .apply = apply_dns,                        \
		.revert = revert_dns, .verify = verify_dns,                    \
	}

DNS_KIND(zf_fault_dns_servfail, "dns-servfail", "dns-servfail TARGET [NAMES]",
	 "TARGET's resolver answers SERVFAIL for NAMES (a glob, default all)");
DNS_KIND(zf_fault_dns_nxdomain, "dns-nxdomain", "dns-nxdomain TARGET [NAMES]",
	 "NAMES do not exist (NXDOMAIN)");
DNS_KIND(zf_fault_dns_empty, "dns-empty", "dns-empty TARGET [NAMES]",
	 "NOERROR with no address: the record came back empty (AWS 2025)");
DNS_KIND(zf_fault_dns_timeout, "dns-timeout", "dns-timeout TARGET [NAMES]",
	 "no reply at all: clients wait out their timeout");
DNS_KIND(zf_fault_dns_slow, "dns-slow", "dns-slow TARGET 'NAMES DELAY'",
	 "the right answer, DELAY late (a back end that cannot keep up)");
DNS_KIND(zf_fault_dns_wrong, "dns-wrong", "dns-wrong TARGET 'NAMES [ADDR|HOST]'",
	 "answer with another address (default: one nobody owns)");
DNS_KIND(zf_fault_dns_stale, "dns-stale", "dns-stale TARGET [NAMES]",
	 "keep answering the records as they were when the fault began");
DNS_KIND(zf_fault_dns_ttl, "dns-ttl", "dns-ttl TARGET 'NAMES SECONDS'",
	 "the right answer with its TTL overridden");
