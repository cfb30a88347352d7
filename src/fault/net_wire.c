/* net_wire.c - links and routes of the lab's gear (see net_wire.h). */
#include "fault/net_wire.h"

#include <stdio.h>
#include <string.h>
#include <linux/rtnetlink.h>

static void set_route(struct zf_route *r, uint32_t dst, int plen, uint32_t gw,
		      int oif, uint32_t src)
{
	*r = (struct zf_route){ .dst = dst, .plen = plen, .gw = gw, .ifindex = oif,
				.src = src, .type = ZF_ROUTE_UNICAST };
}

void zf_wire_host_link(const struct zf_labrt *rt, size_t h, struct zf_wire_link *l)
{
	const struct zf_host *host = &rt->lab->hosts[h];
	const struct zf_plan *p = &rt->plan;

	memset(l, 0, sizeof(*l));
	if (host->is_client) {
		l->gear = ZF_GEAR_INTERNET;
		l->ifindex = ZF_IF_CLIENT + p->host_slot[h];
		set_route(&l->route, p->host_ip[h], 32, 0, l->ifindex,
			  zf_plan_client_gw(p));
	} else {
		l->gear = ZF_GEAR_ZONE;
		l->index = (size_t)host->zone;
		l->ifindex = ZF_IF_BASE + p->host_slot[h];
		set_route(&l->route, p->host_ip[h], 32, 0, l->ifindex,
			  zf_plan_zone_gw(p, l->index));
	}
	l->peer_gear = -1;
	l->peer_index = h;
	l->peer_ifindex = ZF_IF_UP;
	snprintf(l->what, sizeof(l->what), "%s %s", host->is_client ? "client" : "host",
		 host->name);
}

void zf_wire_zone_uplink(const struct zf_labrt *rt, size_t z, struct zf_wire_link *l)
{
	const struct zf_plan *p = &rt->plan;
	size_t r = (size_t)rt->lab->zones[z].region;

	memset(l, 0, sizeof(*l));
	l->gear = ZF_GEAR_ZONE;
	l->index = z;
	l->ifindex = ZF_IF_UP;
	set_route(&l->route, p->block, p->block_len,
		  zf_plan_gear_id(p, ZF_GEAR_REGION, r), ZF_IF_UP, zf_plan_zone_gw(p, z));
	l->peer_gear = ZF_GEAR_REGION;
	l->peer_index = r;
	l->peer_ifindex = ZF_IF_BASE + (int)zf_topo_zone_port(rt->lab, z);
	snprintf(l->what, sizeof(l->what), "zone %s uplink", rt->lab->zones[z].full);
}

void zf_wire_region_uplink(const struct zf_labrt *rt, size_t r, int internet,
			   struct zf_wire_link *l)
{
	const struct zf_plan *p = &rt->plan;
	uint32_t self = zf_plan_gear_id(p, ZF_GEAR_REGION, r);

	memset(l, 0, sizeof(*l));
	l->gear = ZF_GEAR_REGION;
	l->index = r;
	l->ifindex = internet ? ZF_IF_INET : ZF_IF_UP;
	l->peer_gear = internet ? ZF_GEAR_INTERNET : ZF_GEAR_BACKBONE;
	l->peer_ifindex = ZF_IF_BASE + (int)r;
	if (internet)
		set_route(&l->route, zf_plan_client_subnet(p), 24,
			  zf_plan_gear_id(p, ZF_GEAR_INTERNET, 0), ZF_IF_INET, self);
	else
		set_route(&l->route, p->block, p->block_len,
			  zf_plan_gear_id(p, ZF_GEAR_BACKBONE, 0), ZF_IF_UP, self);
	snprintf(l->what, sizeof(l->what), "region %s %s link", rt->lab->regions[r].name,
		 internet ? "internet" : "backbone");
}

void zf_wire_zone_route(const struct zf_labrt *rt, int g, size_t z,
			struct zf_route *out)
{
	const struct zf_plan *p = &rt->plan;
	size_t r = (size_t)rt->lab->zones[z].region;
	uint32_t net = zf_plan_zone_subnet(p, z);

	if (g == ZF_GEAR_REGION)
		set_route(out, net, 24, zf_plan_gear_id(p, ZF_GEAR_ZONE, z),
			  ZF_IF_BASE + (int)zf_topo_zone_port(rt->lab, z),
			  zf_plan_gear_id(p, ZF_GEAR_REGION, r));
	else
		set_route(out, net, 24, zf_plan_gear_id(p, ZF_GEAR_REGION, r),
			  ZF_IF_BASE + (int)r, zf_plan_gear_id(p, (enum zf_gear)g, 0));
}

const struct zf_route_entry *zf_wire_find(const struct zf_route_entry *v, size_t n,
					  uint32_t dst, int plen)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].route.dst == dst && v[i].route.plen == plen)
			return &v[i];
	return NULL;
}

int zf_wire_route_is(const struct zf_route_entry *e, const struct zf_route *want)
{
	const struct zf_route *r = &e->route;

	if (e->protocol != ZF_RTPROT || r->type != want->type || r->dst != want->dst ||
	    r->plen != want->plen || r->gw != want->gw || r->ifindex != want->ifindex ||
	    r->src != want->src)
		return 0;
	return !want->gw || (e->flags & RTNH_F_ONLINK);
}

void zf_wire_route_text(const struct zf_route *r, char *buf, size_t len)
{
	char dst[16], gw[16], src[16];

	zf_ip_format(r->dst, dst, sizeof(dst));
	zf_ip_format(r->gw, gw, sizeof(gw));
	zf_ip_format(r->src, src, sizeof(src));
	if (r->type != ZF_ROUTE_UNICAST)
		snprintf(buf, len, "%s %s/%d", r->type == ZF_ROUTE_UNREACHABLE ?
			 "unreachable" : "blackhole", dst, r->plen);
	else if (r->gw)
		snprintf(buf, len, "%s/%d via %s dev #%d src %s", dst, r->plen, gw,
			 r->ifindex, src);
	else
		snprintf(buf, len, "%s/%d dev #%d src %s", dst, r->plen, r->ifindex, src);
}
