#include "lab/addrplan.h"
#include "util/log.h"
#include "util/mem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOST_BASE 10

static size_t n_subnets(const struct zf_plan *p)
{
	return (size_t)1 << (24 - p->block_len);
}

int zf_plan_build(const struct zf_lab *lab, struct zf_plan *p, char *err,
		  size_t errlen)
{
	size_t *per_zone = zf_xcalloc(lab->n_zones + 1, sizeof(*per_zone));
	size_t vip24 = lab->n_vips ? 1 : 0;   /* the VIPs' /24 */
	int rc = 0;

	memset(p, 0, sizeof(*p));
	p->block = lab->block;
	p->block_len = lab->block_len;
	p->n_hosts = lab->n_hosts;
	p->n_zones = lab->n_zones;
	p->n_regions = lab->n_regions;
	if (lab->n_zones + 2 + vip24 > n_subnets(p) || lab->n_zones > 120) {
		snprintf(err, errlen, "address block /%d holds %zu /24 subnets; "
			 "%zu zones%s need %zu", p->block_len, n_subnets(p),
			 lab->n_zones, vip24 ? " and the VIPs" : "",
			 lab->n_zones + 2 + vip24);
		rc = -ENOSPC;
		goto out;
	}
	p->host_ip = zf_xcalloc(lab->n_hosts, sizeof(*p->host_ip));
	p->host_slot = zf_xcalloc(lab->n_hosts, sizeof(*p->host_slot));
	for (size_t i = 0; i < lab->n_hosts; i++) {
		const struct zf_host *h = &lab->hosts[i];
		size_t z = h->is_client ? lab->n_zones : (size_t)h->zone;
		size_t slot = per_zone[z]++;
		if (slot >= ZF_MAX_HOSTS_PER_ZONE) {
			snprintf(err, errlen, "too many hosts in %s (at most %d)",
				 h->is_client ? "clients" : lab->zones[z].full,
				 ZF_MAX_HOSTS_PER_ZONE);
			rc = -ENOSPC;
			goto out;
		}
		p->host_slot[i] = (int)slot;
		p->host_ip[i] = (h->is_client ? zf_plan_client_subnet(p)
				 : zf_plan_zone_subnet(p, z)) + HOST_BASE + (uint32_t)slot;
	}
out:
	free(per_zone);
	if (rc < 0)
		zf_plan_free(p);
	return rc;
}

void zf_plan_free(struct zf_plan *p)
{
	free(p->host_ip);
	free(p->host_slot);
	p->host_ip = NULL;
	p->host_slot = NULL;
}

uint32_t zf_plan_subnet(const struct zf_plan *p, size_t index24)
{
	return p->block + ((uint32_t)index24 << 8);
}

uint32_t zf_plan_client_subnet(const struct zf_plan *p) { return zf_plan_subnet(p, 0); }
uint32_t zf_plan_client_gw(const struct zf_plan *p) { return zf_plan_client_subnet(p) + 1; }
uint32_t zf_plan_zone_subnet(const struct zf_plan *p, size_t zone) { return zf_plan_subnet(p, zone + 1); }
uint32_t zf_plan_zone_gw(const struct zf_plan *p, size_t zone) { return zf_plan_zone_subnet(p, zone) + 1; }

uint32_t zf_plan_gear_id(const struct zf_plan *p, enum zf_gear g, size_t index)
{
	uint32_t infra = zf_plan_subnet(p, n_subnets(p) - 1);

	switch (g) {
	case ZF_GEAR_BACKBONE: return infra + 1;
	case ZF_GEAR_INTERNET: return infra + 2;
	case ZF_GEAR_REGION: return infra + 10 + (uint32_t)index;
	case ZF_GEAR_ZONE: return infra + 100 + (uint32_t)index;
	}
	ZF_BUG("bad gear %d", (int)g);
}

uint32_t zf_plan_vip_block(const struct zf_plan *p)
{
	return zf_plan_subnet(p, n_subnets(p) - 2);
}

uint32_t zf_plan_vip_net(const struct zf_plan *p, size_t vip)
{
	return zf_plan_vip_block(p) + 16 * (uint32_t)vip;
}

uint32_t zf_plan_vip_gw(const struct zf_plan *p, size_t vip)
{
	return zf_plan_vip_net(p, vip) + 1;
}

uint32_t zf_plan_vip_addr(const struct zf_plan *p, size_t vip, int second)
{
	return zf_plan_vip_net(p, vip) + (second ? 3 : 2);
}

uint32_t zf_plan_vip_member(const struct zf_plan *p, size_t vip, size_t member)
{
	return zf_plan_vip_net(p, vip) + 4 + (uint32_t)member;
}

void zf_ip_format(uint32_t ip, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
		 (ip >> 8) & 255, ip & 255);
}

int zf_ip_parse(const char *s, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*ip = ntohl(a.s_addr);
	return 0;
}

int zf_plan_ns_host(const struct zf_lab *lab, size_t host, char *buf, size_t len)
{
	return zf_fmt(buf, len, "zf.%s.h.%s", lab->name, lab->hosts[host].name);
}

int zf_plan_ns_gear(const struct zf_lab *lab, enum zf_gear g, size_t index,
		       char *buf, size_t len)
{
	switch (g) {
	case ZF_GEAR_ZONE: {
		const struct zf_zone *z = &lab->zones[index];
		return zf_fmt(buf, len, "zf.%s.z.%s.%s", lab->name,
			      lab->regions[z->region].name, z->name);
	}
	case ZF_GEAR_REGION:
		return zf_fmt(buf, len, "zf.%s.r.%s", lab->name, lab->regions[index].name);
	case ZF_GEAR_BACKBONE:
		return zf_fmt(buf, len, "zf.%s.bb", lab->name);
	case ZF_GEAR_INTERNET:
		return zf_fmt(buf, len, "zf.%s.inet", lab->name);
	}
	ZF_BUG("bad gear %d", (int)g);
}
