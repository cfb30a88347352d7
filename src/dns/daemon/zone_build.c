/* zone_build.c - turning a checked config into a zone: a node per name
 * (plus the empty non-terminals between a name and the apex, which exist
 * without records), the A records and cnames prebuilt as ldns records,
 * the synthesised SOA and NS, and ns.ZONE when the config has no record
 * for it. */
#include "dns/daemon/dnsd.h"
#include "dns/dns_name.h"
#include "util/mem.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A record O TTL IN TYPE with one rdata field; NULL if ldns failed. O and
 * RDATA are taken (freed on failure). */
static ldns_rr *make_rr(ldns_rdf *o, uint32_t ttl, ldns_rr_type type,
			ldns_rdf *rdata)
{
	ldns_rr *rr = ldns_rr_new();

	if (!o || !rr || !rdata) {
		if (o)
			ldns_rdf_deep_free(o);
		if (rdata)
			ldns_rdf_deep_free(rdata);
		if (rr)
			ldns_rr_free(rr);
		return NULL;
	}
	ldns_rr_set_owner(rr, o);
	ldns_rr_set_ttl(rr, ttl);
	ldns_rr_set_type(rr, type);
	ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
	if (!ldns_rr_push_rdf(rr, rdata)) {
		ldns_rdf_deep_free(rdata);
		ldns_rr_free(rr);
		return NULL;
	}
	return rr;
}

ldns_rr *dnsd_make_a(ldns_rdf *owner, uint32_t ttl, struct in_addr addr)
{
	return make_rr(owner, ttl, LDNS_RR_TYPE_A,
		       ldns_rdf_new_frm_data(LDNS_RDF_TYPE_A, 4, &addr));
}

static int build_apex(struct dnsd_zone *z)
{
	char text[3 * ZF_DNS_NAME_MAX + 128];

	snprintf(text, sizeof(text), "%s. %d IN SOA ns.%s. hostmaster.%s. "
		 "%" PRIu32 " 60 30 3600 %d", z->name, DNSD_SOA_TTL, z->name,
		 z->name, (uint32_t)z->gen, DNSD_SOA_TTL);
	if (ldns_rr_new_frm_str(&z->soa, text, 0, NULL, NULL) !=
	    LDNS_STATUS_OK)
		return -ENOMEM;
	snprintf(text, sizeof(text), "%s. %d IN NS ns.%s.", z->name,
		 DNSD_NS_TTL, z->name);
	if (ldns_rr_new_frm_str(&z->ns, text, 0, NULL, NULL) != LDNS_STATUS_OK)
		return -ENOMEM;
	z->apex = dnsd_zone_get(z, z->name);
	return 0;
}

/* Nodes for the names between NAME and the apex (empty non-terminals). */
static void add_ancestors(struct dnsd_zone *z, const char *name)
{
	size_t zlen = strlen(z->name);
	const char *p = name;

	while (strlen(p) > zlen) {
		p = strchr(p, '.');
		if (!p)
			return;
		p++;
		dnsd_zone_get(z, p);
	}
}

static int add_a(struct dnsd_zone *z, const struct zf_dns_a_cfg *a)
{
	struct dnsd_node *n = dnsd_zone_get(z, a->name);
	ldns_rr *rr = dnsd_make_a(ldns_dname_new_frm_str(a->name), a->ttl,
				  a->addr);

	if (!rr)
		return -ENOMEM;
	n->a = zf_xrealloc(n->a, (n->na + 1) * sizeof(*n->a));
	n->down = zf_xrealloc(n->down, (n->na + 1) * sizeof(*n->down));
	n->a[n->na] = rr;
	n->down[n->na++] = a->down;
	add_ancestors(z, a->name);
	return 0;
}

static int add_cname(struct dnsd_zone *z, const struct zf_dns_cname_cfg *c)
{
	struct dnsd_node *n = dnsd_zone_get(z, c->name);

	n->cname = make_rr(ldns_dname_new_frm_str(c->name), c->ttl,
			   LDNS_RR_TYPE_CNAME,
			   ldns_dname_new_frm_str(c->target));
	if (!n->cname)
		return -ENOMEM;
	n->target_in_zone = zf_dns_name_in_zone(c->target, z->name);
	add_ancestors(z, c->name);
	return 0;
}

static int add_records(struct dnsd_zone *z, const struct zf_dns_config *cfg)
{
	int rc = 0;

	for (size_t i = 0; i < cfg->nas && rc == 0; i++)
		rc = add_a(z, &cfg->as[i]);
	for (size_t i = 0; i < cfg->ncnames && rc == 0; i++)
		rc = add_cname(z, &cfg->cnames[i]);
	for (size_t i = 0; i < cfg->nrrsets; i++) {
		struct dnsd_node *n = dnsd_zone_get(z, cfg->rrsets[i].name);

		n->roundrobin = cfg->rrsets[i].roundrobin;
		n->health_aware = cfg->rrsets[i].health_aware;
	}
	/* Targets last: every node exists by now. */
	for (size_t i = 0; i < cfg->ncnames; i++) {
		struct dnsd_node *n = dnsd_zone_find(z, cfg->cnames[i].name);

		if (n->target_in_zone)
			n->target = dnsd_zone_find(z, cfg->cnames[i].target);
	}
	return rc;
}

/* ns.ZONE, the NS record's target: when the config has no record for it,
 * it answers with the address of the listener that was asked. */
static void add_ns_name(struct dnsd_zone *z)
{
	char name[ZF_DNS_NAME_MAX + 8];
	struct dnsd_node *n;

	snprintf(name, sizeof(name), "ns.%s", z->name);
	if (strlen(name) > ZF_DNS_NAME_MAX)
		return;
	n = dnsd_zone_get(z, name);
	n->synth_ns = n->na == 0 && !n->cname;
}

int dnsd_zone_build(const struct zf_dns_config *cfg, uint64_t gen,
		    struct dnsd_zone **out)
{
	struct dnsd_zone *z = zf_xcalloc(1, sizeof(*z));
	int rc = 0;

	z->refs = 1;
	z->gen = gen;
	memcpy(z->name, cfg->zone, sizeof(z->name));
	if (z->name[0]) {
		rc = build_apex(z);
		if (rc == 0)
			rc = add_records(z, cfg);
		if (rc == 0)
			add_ns_name(z);
	}
	if (rc < 0) {
		dnsd_zone_unref(z);
		return rc;
	}
	*out = z;
	return 0;
}
