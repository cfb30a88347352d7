/* labdns_records.c - the lab DNS server's config made from the lab file
 * and the lab's state (labdns.h lists the names). When two kinds of name
 * collide (a host called like a zone of its region), the first kind in
 * the order hosts, records, cnames, VIPs, zones, regions keeps the name. */
#include "lab/labdns_priv.h"
#include "lab/addrplan.h"
#include "lab/host.h"
#include "lab/netns.h"
#include "lab/vip.h"
#include "util/log.h"
#include "util/mem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Names given out so far and which group (one call site, one owner) took
 * each, so that a group may add several addresses to its own name. */
struct names {
	char (*name)[ZF_DNS_NAME_MAX + 1];
	unsigned *owner;
	size_t n;
};

struct build {
	const struct zf_labrt *rt;
	struct zf_dns_config *cfg;
	struct names names;
	const bool *down;        /* per host */
	unsigned owner;          /* the group adding now */
	char *err;
	size_t errlen;
};

/* May the current group use NAME? Records it as the group's. */
static int claim(struct build *b, const char *name)
{
	struct names *s = &b->names;

	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return s->owner[i] == b->owner;
	s->name = zf_xrealloc(s->name, (s->n + 1) * sizeof(*s->name));
	s->owner = zf_xrealloc(s->owner, (s->n + 1) * sizeof(*s->owner));
	snprintf(s->name[s->n], sizeof(s->name[0]), "%s", name);
	s->owner[s->n++] = b->owner;
	return 1;
}

/* "A.B.DOMAIN" from up to three labels (NULL ones left out). */
static void fqdn(const struct zf_lab *lab, const char *a, const char *b,
		 const char *c, char *buf, size_t len)
{
	zf_fmt(buf, len, "%s%s%s%s%s.%s", a, b ? "." : "", b ? b : "", c ? "." : "",
	       c ? c : "", lab->domain);
}

static int add_a(struct build *b, const char *name, uint32_t ttl, uint32_t ip,
		 bool down)
{
	struct in_addr a = { .s_addr = htonl(ip) };

	if (!claim(b, name))
		return 0;
	return zf_dns_config_add_a(b->cfg, name, ttl, a, down, b->err, b->errlen);
}

static int add_host(struct build *b, size_t h, const char *name, uint32_t ttl)
{
	return add_a(b, name, ttl, b->rt->plan.host_ip[h], b->down[h]);
}

/* HOST, HOST.REGION and HOST.ZONE.REGION for every host (clients: HOST). */
static int host_names(struct build *b)
{
	const struct zf_lab *lab = b->rt->lab;
	char name[ZF_DNS_NAME_MAX + 1];
	int rc = 0;

	for (size_t h = 0; rc == 0 && h < lab->n_hosts; h++) {
		const struct zf_host *x = &lab->hosts[h];

		b->owner++;
		fqdn(lab, x->name, NULL, NULL, name, sizeof(name));
		rc = add_host(b, h, name, lab->dns_ttl);
		if (rc < 0 || x->is_client)
			continue;
		const char *region = lab->regions[x->region].name;
		fqdn(lab, x->name, region, NULL, name, sizeof(name));
		rc = add_host(b, h, name, lab->dns_ttl);
		fqdn(lab, x->name, lab->zones[x->zone].name, region, name, sizeof(name));
		if (rc == 0)
			rc = add_host(b, h, name, lab->dns_ttl);
	}
	return rc;
}

/* The service names of dns.records. */
static int record_names(struct build *b)
{
	const struct zf_lab *lab = b->rt->lab;
	char name[ZF_DNS_NAME_MAX + 1];
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < lab->n_records; i++) {
		const struct zf_dns_record *r = &lab->records[i];

		b->owner++;
		fqdn(lab, r->name, NULL, NULL, name, sizeof(name));
		for (size_t k = 0; rc == 0 && k < r->n_hosts; k++)
			rc = add_host(b, r->hosts[k], name, r->ttl);
		if (rc == 0)
			rc = zf_dns_config_add_rrset(b->cfg, name, !r->fixed_order,
						     r->health_aware, b->err, b->errlen);
	}
	return rc;
}

static int cname_names(struct build *b)
{
	const struct zf_lab *lab = b->rt->lab;
	char name[ZF_DNS_NAME_MAX + 1], target[ZF_DNS_NAME_MAX + 1];
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < lab->n_cnames; i++) {
		const struct zf_dns_cname *c = &lab->cnames[i];

		b->owner++;
		fqdn(lab, c->name, NULL, NULL, name, sizeof(name));
		if (strchr(c->target, '.'))
			zf_fmt(target, sizeof(target), "%s", c->target);
		else
			fqdn(lab, c->target, NULL, NULL, target, sizeof(target));
		if (claim(b, name))
			rc = zf_dns_config_add_cname(b->cfg, name, lab->dns_ttl, target,
						     b->err, b->errlen);
	}
	return rc;
}

/* VIP: the address its name answers now (lab/vip.h: keep-name-stale
 * keeps the old one for a while). */
static int vip_names(struct build *b)
{
	const struct zf_lab *lab = b->rt->lab;
	char name[ZF_DNS_NAME_MAX + 1];
	uint32_t ip;
	int rc = 0;

	for (size_t v = 0; rc == 0 && v < lab->n_vips; v++) {
		b->owner++;
		fqdn(lab, lab->vips[v].name, NULL, NULL, name, sizeof(name));
		rc = zf_vip_dns_addr(b->rt, v, &ip);
		if (rc < 0) {
			snprintf(b->err, b->errlen, "VIP %s: its address: %s",
				 lab->vips[v].name, strerror(-rc));
			break;
		}
		rc = add_a(b, name, lab->dns_ttl, ip, false);
	}
	return rc;
}

/* ZONE.REGION (the zone's hosts) and REGION (the region's hosts). */
static int place_names(struct build *b)
{
	const struct zf_lab *lab = b->rt->lab;
	char name[ZF_DNS_NAME_MAX + 1];
	int rc = 0;

	for (size_t z = 0; rc == 0 && z < lab->n_zones; z++) {
		const struct zf_zone *zone = &lab->zones[z];

		b->owner++;
		fqdn(lab, zone->name, lab->regions[zone->region].name, NULL, name,
		     sizeof(name));
		for (size_t h = 0; rc == 0 && h < lab->n_hosts; h++)
			if (lab->hosts[h].zone == (int)z)
				rc = add_host(b, h, name, lab->dns_ttl);
	}
	for (size_t r = 0; rc == 0 && r < lab->n_regions; r++) {
		b->owner++;
		fqdn(lab, lab->regions[r].name, NULL, NULL, name, sizeof(name));
		for (size_t h = 0; rc == 0 && h < lab->n_hosts; h++)
			if (lab->hosts[h].region == (int)r)
				rc = add_host(b, h, name, lab->dns_ttl);
	}
	return rc;
}

void zf_labdns_listen_id(const struct zf_lab *lab, size_t region, char *buf,
			 size_t len)
{
	const char *name = region == ZF_LABDNS_CLIENTS ? NULL : lab->regions[region].name;

	if (!name)
		zf_fmt(buf, len, "%s", ZF_LABDNS_PUBLIC);
	else if (strlen(name) <= ZF_DNS_ID_MAX && strcmp(name, ZF_LABDNS_PUBLIC))
		zf_fmt(buf, len, "%s", name);
	else
		zf_fmt(buf, len, "region.%zu", region);
}

/* One listener: ID in gear G/INDEX's namespace at its resolver address. */
static int add_listen(struct build *b, size_t region)
{
	const struct zf_labrt *rt = b->rt;
	int g = region == ZF_LABDNS_CLIENTS ? ZF_GEAR_INTERNET : ZF_GEAR_REGION;
	char id[ZF_DNS_ID_MAX + 1], ns[ZF_NETNS_NAME_MAX], path[ZF_DNS_PATH_MAX + 1];
	struct in_addr a = { .s_addr = htonl(zf_labdns_resolver(rt, region)) };

	zf_labdns_listen_id(rt->lab, region, id, sizeof(id));
	zf_plan_ns_gear(rt->lab, (enum zf_gear)g, g == ZF_GEAR_REGION ? region : 0,
			ns, sizeof(ns));
	zf_fmt(path, sizeof(path), "%s/%s", ZF_NETNS_DIR, ns);
	return zf_dns_config_add_listen(b->cfg, id, path, a, b->err, b->errlen);
}

/* Powered-off hosts: no init running (ALL_UP: the lab is booting). */
static bool *down_hosts(const struct zf_labrt *rt, int all_up)
{
	bool *down = zf_xcalloc(rt->lab->n_hosts + 1, sizeof(*down));

	for (size_t h = 0; !all_up && h < rt->lab->n_hosts; h++)
		down[h] = zf_host_init_pid(rt, h) == 0;
	return down;
}

int zf_labdns_build(const struct zf_labrt *rt, int all_up, struct zf_dns_config *cfg,
		    char *err, size_t errlen)
{
	struct build b = { .rt = rt, .cfg = cfg, .err = err, .errlen = errlen };
	int rc;

	zf_dns_config_init(cfg);
	b.down = down_hosts(rt, all_up);
	rc = zf_dns_config_set_zone(cfg, rt->lab->domain, err, errlen);
	for (size_t r = 0; rc == 0 && r < rt->lab->n_regions; r++)
		rc = add_listen(&b, r);
	if (rc == 0) rc = add_listen(&b, ZF_LABDNS_CLIENTS);
	if (rc == 0) rc = host_names(&b);
	if (rc == 0) rc = record_names(&b);
	if (rc == 0) rc = cname_names(&b);
	if (rc == 0) rc = vip_names(&b);
	if (rc == 0) rc = place_names(&b);
	free(b.names.name);
	free(b.names.owner);
	free((void *)b.down);
	if (rc < 0)
		zf_dns_config_free(cfg);
	return rc;
}
