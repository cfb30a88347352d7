/* net_edge.c - units, edges and address elements of a selection (see
 * net_edge.h). */
#include "fault/net_edge.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Zone Z is a zone unit of S (selected, its region not). */
static int zone_unit(const struct zf_lab *lab, const struct zf_selection *s, size_t z)
{
	return s->zones[z] && !s->regions[lab->zones[z].region];
}

int zf_edge_host_in_unit(const struct zf_lab *lab, const struct zf_selection *s,
			 size_t h)
{
	const struct zf_host *host = &lab->hosts[h];

	if (host->is_client)
		return 0;
	return s->regions[host->region] || s->zones[host->zone];
}

static void flag(unsigned char *flags, size_t i, struct zf_edge *e)
{
	if (!flags[i]) {
		flags[i] = 1;
		e->count++;
	}
}

void zf_edge_find(const struct zf_lab *lab, const struct zf_selection *s,
		  int fine, struct zf_edge *e)
{
	memset(e, 0, sizeof(*e));
	e->zones = zf_xcalloc(lab->n_zones + 1, 1);
	e->regions = zf_xcalloc(lab->n_regions + 1, 1);
	for (size_t z = 0; z < lab->n_zones; z++) {
		if (zone_unit(lab, s, z) || (fine && s->regions[lab->zones[z].region]))
			flag(e->zones, z, e);
		else if (s->regions[lab->zones[z].region])
			flag(e->regions, (size_t)lab->zones[z].region, e);
	}
	for (size_t h = 0; h < lab->n_hosts; h++) {
		const struct zf_host *host = &lab->hosts[h];
		if (!s->hosts[h] || zf_edge_host_in_unit(lab, s, h))
			continue;
		if (host->is_client && !e->internet) {
			e->internet = 1;
			e->count++;
		} else if (!host->is_client) {
			flag(e->zones, (size_t)host->zone, e);
		}
	}
}

void zf_edge_free(struct zf_edge *e)
{
	free(e->zones);
	free(e->regions);
	memset(e, 0, sizeof(*e));
}

int zf_edge_each(const struct zf_lab *lab, const struct zf_edge *e,
		 int (*fn)(int g, size_t index, void *ctx), void *ctx)
{
	int rc = e->internet ? fn(ZF_GEAR_INTERNET, 0, ctx) : 0;

	for (size_t r = 0; rc >= 0 && r < lab->n_regions; r++)
		if (e->regions[r])
			rc = fn(ZF_GEAR_REGION, r, ctx);
	for (size_t z = 0; rc >= 0 && z < lab->n_zones; z++)
		if (e->zones[z])
			rc = fn(ZF_GEAR_ZONE, z, ctx);
	return rc < 0 ? rc : 0;
}

void zf_edge_elements(const struct zf_lab *lab, const struct zf_plan *plan,
		      const struct zf_selection *s,
		      void (*fn)(const char *elem, void *ctx), void *ctx)
{
	char ip[16], text[24];

	for (size_t z = 0; z < lab->n_zones; z++) {
		if (!s->zones[z] && !s->regions[lab->zones[z].region])
			continue;
		zf_ip_format(zf_plan_zone_subnet(plan, z), ip, sizeof(ip));
		snprintf(text, sizeof(text), "%s/24", ip);
		fn(text, ctx);
	}
	for (size_t h = 0; h < lab->n_hosts; h++) {
		if (!s->hosts[h] || zf_edge_host_in_unit(lab, s, h))
			continue;
		zf_ip_format(plan->host_ip[h], ip, sizeof(ip));
		fn(ip, ctx);
	}
}

const char *zf_edge_overlap(const struct zf_lab *lab, const struct zf_selection *a,
			    const struct zf_selection *b)
{
	for (size_t h = 0; h < lab->n_hosts; h++)
		if (a->hosts[h] && b->hosts[h])
			return lab->hosts[h].name;
	for (size_t z = 0; z < lab->n_zones; z++)
		if ((a->zones[z] || a->regions[lab->zones[z].region]) &&
		    (b->zones[z] || b->regions[lab->zones[z].region]))
			return lab->zones[z].full;
	return NULL;
}

void zf_edge_gear_name(const struct zf_lab *lab, int g, size_t index, char *buf,
		       size_t len)
{
	switch ((enum zf_gear)g) {
	case ZF_GEAR_ZONE:
		snprintf(buf, len, "zone %s", lab->zones[index].full);
		return;
	case ZF_GEAR_REGION:
		snprintf(buf, len, "region %s", lab->regions[index].name);
		return;
	case ZF_GEAR_BACKBONE:
		snprintf(buf, len, "backbone");
		return;
	case ZF_GEAR_INTERNET:
		snprintf(buf, len, "internet");
		return;
	}
	snprintf(buf, len, "gear %d/%zu", g, index);
}
