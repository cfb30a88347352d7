/* emu_where.c - where each link class and each base latency is seen on the
 * routers (see the address plan in addrplan.h and the ports in topo.h). */
#include "lab/emu.h"
#include "lab/addrplan.h"
#include "util/mem.h"

#include <stdio.h>
#include <string.h>

static size_t put_link(struct zf_emu_link *out, size_t n, int gear, size_t index,
		       int iif, int oif)
{
	memset(&out[n], 0, sizeof(out[n]));
	zf_lk_link_init(&out[n].cfg, "", 0);
	out[n].gear = gear;
	out[n].index = index;
	out[n].cfg.iif = iif ? iif : ZF_LK_IF_ANY;
	out[n].cfg.oif = oif ? oif : ZF_LK_IF_ANY;
	return n + 1;
}

/* A port P of gear G/I facing the target: "out" enters by it, "in" leaves
 * by it. */
static size_t facing(struct zf_emu_link *out, size_t n, int g, size_t i, int port,
		     int dir)
{
	if (dir & ZF_EMU_OUT)
		n = put_link(out, n, g, i, port, 0);
	if (dir & ZF_EMU_IN)
		n = put_link(out, n, g, i, 0, port);
	return n;
}

/* An uplink U of the target's own router: "out" leaves by it. */
static size_t uplink(struct zf_emu_link *out, size_t n, int g, size_t i, int port,
		     int dir)
{
	if (dir & ZF_EMU_OUT)
		n = put_link(out, n, g, i, 0, port);
	if (dir & ZF_EMU_IN)
		n = put_link(out, n, g, i, port, 0);
	return n;
}

size_t zf_emu_target_links(const struct zf_labrt *rt, enum zf_emu_class c,
			   size_t index, int dir,
			   struct zf_emu_link out[ZF_EMU_PER_TARGET])
{
	const struct zf_lab *lab = rt->lab;
	const struct zf_host *h;
	size_t n = 0;

	switch (c) {
	case ZF_EMU_HOST:
		h = &lab->hosts[index];
		if (h->is_client)
			return facing(out, 0, ZF_GEAR_INTERNET, 0,
				      ZF_IF_CLIENT + rt->plan.host_slot[index], dir);
		return facing(out, 0, ZF_GEAR_ZONE, (size_t)h->zone,
			      ZF_IF_BASE + rt->plan.host_slot[index], dir);
	case ZF_EMU_ZONE:
		return uplink(out, 0, ZF_GEAR_ZONE, index, ZF_IF_UP, dir);
	case ZF_EMU_REGION:
		n = uplink(out, 0, ZF_GEAR_REGION, index, ZF_IF_UP, dir);
		return uplink(out, n, ZF_GEAR_REGION, index, ZF_IF_INET, dir);
	}
	return 0;
}

static size_t put_rate(struct zf_emu_rate *out, size_t n, int gear, size_t index,
		       int ifindex)
{
	out[n] = (struct zf_emu_rate){ .gear = gear, .index = index, .ifindex = ifindex };
	return n + 1;
}

size_t zf_emu_target_rates(const struct zf_labrt *rt, enum zf_emu_class c,
			   size_t index, int dir,
			   struct zf_emu_rate out[ZF_EMU_PER_TARGET])
{
	const struct zf_lab *lab = rt->lab;
	size_t n = 0, r;

	if (c == ZF_EMU_HOST) {
		const struct zf_host *h = &lab->hosts[index];
		if (dir & ZF_EMU_OUT)
			n = put_rate(out, n, -1, index, ZF_IF_UP);
		if ((dir & ZF_EMU_IN) && h->is_client)
			n = put_rate(out, n, ZF_GEAR_INTERNET, 0,
				     ZF_IF_CLIENT + rt->plan.host_slot[index]);
		else if (dir & ZF_EMU_IN)
			n = put_rate(out, n, ZF_GEAR_ZONE, (size_t)h->zone,
				     ZF_IF_BASE + rt->plan.host_slot[index]);
	} else if (c == ZF_EMU_ZONE) {
		r = (size_t)lab->zones[index].region;
		if (dir & ZF_EMU_OUT)
			n = put_rate(out, n, ZF_GEAR_ZONE, index, ZF_IF_UP);
		if (dir & ZF_EMU_IN)
			n = put_rate(out, n, ZF_GEAR_REGION, r,
				     ZF_IF_BASE + (int)zf_topo_zone_port(lab, index));
	} else {
		if (dir & ZF_EMU_OUT) {
			n = put_rate(out, n, ZF_GEAR_REGION, index, ZF_IF_UP);
			n = put_rate(out, n, ZF_GEAR_REGION, index, ZF_IF_INET);
		}
		if (dir & ZF_EMU_IN) {
			n = put_rate(out, n, ZF_GEAR_BACKBONE, 0, ZF_IF_BASE + (int)index);
			n = put_rate(out, n, ZF_GEAR_INTERNET, 0, ZF_IF_BASE + (int)index);
		}
	}
	return n;
}

static void add_base(struct zf_emu_link **v, size_t *n, size_t *cap, int gear,
		     size_t index, int iif, int oif, uint64_t ns, const char *name)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = zf_xrealloc(*v, *cap * sizeof(**v));
	}
	put_link(*v, *n, gear, index, iif, oif);
	(*v)[*n].cfg.delay_ns = ns;
	snprintf((*v)[*n].cfg.name, sizeof((*v)[*n].cfg.name), "base:%s", name);
	(*n)++;
}

/* cross_zone: between every two zones of a region, on its router. */
static void base_cross_zone(const struct zf_lab *lab, struct zf_emu_link **v,
			    size_t *n, size_t *cap)
{
	char name[ZF_LK_NAME_MAX + 1];

	for (size_t a = 0; a < lab->n_zones; a++) {
		size_t r = (size_t)lab->zones[a].region;
		uint64_t ns = lab->regions[r].cross_zone_ns;
		for (size_t b = 0; ns && b < lab->n_zones; b++) {
			if (b == a || (size_t)lab->zones[b].region != r)
				continue;
			snprintf(name, sizeof(name), "%.28s>%.28s", lab->zones[a].full,
				 lab->zones[b].name);
			add_base(v, n, cap, ZF_GEAR_REGION, r,
				 ZF_IF_BASE + (int)zf_topo_zone_port(lab, a),
				 ZF_IF_BASE + (int)zf_topo_zone_port(lab, b), ns, name);
		}
	}
}

void zf_emu_base_links(const struct zf_labrt *rt, struct zf_emu_link **out,
		       size_t *n)
{
	const struct zf_lab *lab = rt->lab;
	char name[ZF_LK_NAME_MAX + 1];
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	base_cross_zone(lab, out, n, &cap);
	for (size_t a = 0; a < lab->n_regions; a++)
		for (size_t b = 0; b < lab->n_regions; b++) {
			uint64_t ns = a == b ? 0 : zf_lab_region_latency(lab, a, b);
			snprintf(name, sizeof(name), "%.28s>%.28s", lab->regions[a].name,
				 lab->regions[b].name);
			if (ns)
				add_base(out, n, &cap, ZF_GEAR_BACKBONE, 0, ZF_IF_BASE + (int)a,
					 ZF_IF_BASE + (int)b, ns, name);
		}
	for (size_t h = 0; lab->internet_ns && h < lab->n_hosts; h++) {
		int port = ZF_IF_CLIENT + rt->plan.host_slot[h];
		if (!lab->hosts[h].is_client)
			continue;
		snprintf(name, sizeof(name), "internet>%.32s", lab->hosts[h].name);
		add_base(out, n, &cap, ZF_GEAR_INTERNET, 0, 0, port, lab->internet_ns, name);
		snprintf(name, sizeof(name), "%.32s>internet", lab->hosts[h].name);
		add_base(out, n, &cap, ZF_GEAR_INTERNET, 0, port, 0, lab->internet_ns, name);
	}
}
