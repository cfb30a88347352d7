/* topo_config.c - addresses, routes and forwarding in each namespace. */
#include "lab/topo.h"
#include "lab/netns.h"
#include "lab/nft.h"
#include "lab/nl.h"
#include "util/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define IF_LO ZF_IF_LO
#define IF_UP ZF_IF_UP
#define IF_INET ZF_IF_INET
#define IF_BASE ZF_IF_BASE
#define IF_CLIENT ZF_IF_CLIENT

static int route(struct zf_nl *nl, uint32_t dst, int plen, uint32_t gw, int oif,
		 uint32_t src, enum zf_route_type type)
{
	struct zf_route r = { .dst = dst, .plen = plen, .gw = gw, .ifindex = oif,
			      .src = src, .type = type };

	return zf_nl_route(nl, &r, 1);
}

/* Host or client: one /32 on eth0 and the lab's block via its gateway. No
 * default route: nothing outside the lab is reachable. */
static int conf_host(const struct zf_labrt *rt, size_t h, struct zf_nl *nl)
{
	const struct zf_host *host = &rt->lab->hosts[h];
	uint32_t gw = host->is_client ? zf_plan_client_gw(&rt->plan)
				      : zf_plan_zone_gw(&rt->plan, (size_t)host->zone);
	int rc = zf_nl_link_set(nl, IF_LO, 1);

	if (rc == 0) rc = zf_nl_link_set(nl, IF_UP, 1);
	if (rc == 0) rc = zf_nl_addr(nl, IF_UP, rt->plan.host_ip[h], 32);
	if (rc == 0)
		rc = route(nl, rt->plan.block, rt->plan.block_len, gw, IF_UP,
			   rt->plan.host_ip[h], ZF_ROUTE_UNICAST);
	return rc;
}

static int conf_zone(const struct zf_labrt *rt, size_t z, struct zf_nl *nl)
{
	const struct zf_lab *lab = rt->lab;
	const struct zf_plan *p = &rt->plan;
	uint32_t gw = zf_plan_zone_gw(p, z);
	uint32_t up = zf_plan_gear_id(p, ZF_GEAR_REGION, (size_t)lab->zones[z].region);
	int rc = zf_nl_link_set(nl, IF_LO, 1);

	if (rc == 0) rc = zf_nl_addr(nl, IF_LO, gw, 32);
	if (rc == 0) rc = zf_nl_addr(nl, IF_LO, zf_plan_gear_id(p, ZF_GEAR_ZONE, z), 32);
	if (rc == 0) rc = zf_nl_link_set(nl, IF_UP, 1);
	for (size_t h = 0; rc == 0 && h < lab->n_hosts; h++) {
		if (lab->hosts[h].is_client || (size_t)lab->hosts[h].zone != z)
			continue;
		int oif = IF_BASE + p->host_slot[h];
		rc = zf_nl_link_set(nl, oif, 1);
		if (rc == 0)
			rc = route(nl, p->host_ip[h], 32, 0, oif, gw, ZF_ROUTE_UNICAST);
	}
	if (rc == 0)
		rc = route(nl, zf_plan_zone_subnet(p, z), 24, 0, 0, 0, ZF_ROUTE_UNREACHABLE);
	if (rc == 0)
		rc = route(nl, p->block, p->block_len, up, IF_UP, gw, ZF_ROUTE_UNICAST);
	return rc;
}

static int conf_region(const struct zf_labrt *rt, size_t r, struct zf_nl *nl)
{
	const struct zf_lab *lab = rt->lab;
	const struct zf_plan *p = &rt->plan;
	uint32_t self = zf_plan_gear_id(p, ZF_GEAR_REGION, r);
	int rc = zf_nl_link_set(nl, IF_LO, 1), j = 0;

	if (rc == 0) rc = zf_nl_addr(nl, IF_LO, self, 32);
	if (rc == 0) rc = zf_nl_link_set(nl, IF_UP, 1);
	if (rc == 0) rc = zf_nl_link_set(nl, IF_INET, 1);
	for (size_t z = 0; rc == 0 && z < lab->n_zones; z++) {
		if ((size_t)lab->zones[z].region != r)
			continue;
		rc = zf_nl_link_set(nl, IF_BASE + j, 1);
		if (rc == 0)
			rc = route(nl, zf_plan_zone_subnet(p, z), 24,
				   zf_plan_gear_id(p, ZF_GEAR_ZONE, z), IF_BASE + j,
				   self, ZF_ROUTE_UNICAST);
		j++;
	}
	if (rc == 0)
		rc = route(nl, zf_plan_client_subnet(p), 24,
			   zf_plan_gear_id(p, ZF_GEAR_INTERNET, 0), IF_INET, self,
			   ZF_ROUTE_UNICAST);
	if (rc == 0)
		rc = route(nl, p->block, p->block_len,
			   zf_plan_gear_id(p, ZF_GEAR_BACKBONE, 0), IF_UP, self,
			   ZF_ROUTE_UNICAST);
	return rc;
}

/* Backbone and internet: a route to every zone via its region; the
 * internet also owns the clients. Anything else in the block: unreachable. */
static int conf_core(const struct zf_labrt *rt, int internet, struct zf_nl *nl)
{
	const struct zf_lab *lab = rt->lab;
	const struct zf_plan *p = &rt->plan;
	uint32_t self = zf_plan_gear_id(p, internet ? ZF_GEAR_INTERNET : ZF_GEAR_BACKBONE, 0);
	int rc = zf_nl_link_set(nl, IF_LO, 1);

	if (rc == 0) rc = zf_nl_addr(nl, IF_LO, self, 32);
	for (size_t r = 0; rc == 0 && r < lab->n_regions; r++)
		rc = zf_nl_link_set(nl, IF_BASE + (int)r, 1);
	for (size_t z = 0; rc == 0 && z < lab->n_zones; z++) {
		size_t r = (size_t)lab->zones[z].region;
		rc = route(nl, zf_plan_zone_subnet(p, z), 24,
			   zf_plan_gear_id(p, ZF_GEAR_REGION, r), IF_BASE + (int)r,
			   self, ZF_ROUTE_UNICAST);
	}
	if (internet && rc == 0)
		rc = zf_nl_addr(nl, IF_LO, zf_plan_client_gw(p), 32);
	for (size_t h = 0; internet && rc == 0 && h < lab->n_hosts; h++) {
		if (!lab->hosts[h].is_client)
			continue;
		int oif = IF_CLIENT + p->host_slot[h];
		rc = zf_nl_link_set(nl, oif, 1);
		if (rc == 0)
			rc = route(nl, p->host_ip[h], 32, 0, oif, zf_plan_client_gw(p),
				   ZF_ROUTE_UNICAST);
	}
	if (rc == 0)
		rc = route(nl, p->block, p->block_len, 0, 0, 0, ZF_ROUTE_UNREACHABLE);
	return rc;
}

/* Open a socket in NS, let FN queue the namespace's config, commit. */
static int configure_ns(const struct zf_labrt *rt, int ns, const char *what,
			int (*fn)(const struct zf_labrt *, size_t, struct zf_nl *),
			size_t index, int forward, char *err, size_t errlen)
{
	struct zf_nl *nl;
	size_t failed = 0;
	int rc = zf_nl_open(ns, &nl);

	if (rc < 0)
		goto out;
	rc = fn(rt, index, nl);
	if (rc == 0)
		rc = zf_nl_commit(nl, &failed);
	zf_nl_close(nl);
	if (rc == 0 && forward)
		rc = zf_netns_sysctl(ns, "net/ipv4/ip_forward", "1");
out:
	if (rc < 0)
		snprintf(err, errlen, "configuring %s (request #%zu): %s", what, failed,
			 strerror(-rc));
	return rc;
}

static int conf_bb(const struct zf_labrt *rt, size_t i, struct zf_nl *nl)
{
	(void)i;
	return conf_core(rt, 0, nl);
}

static int conf_inet(const struct zf_labrt *rt, size_t i, struct zf_nl *nl)
{
	(void)i;
	return conf_core(rt, 1, nl);
}

int zf_topo_configure(const struct zf_labrt *rt, const struct zf_topo *t,
		      char *err, size_t errlen)
{
	const struct zf_lab *lab = rt->lab;
	int rc = configure_ns(rt, t->backbone, "backbone", conf_bb, 0, 1, err, errlen);

	if (rc == 0)
		rc = configure_ns(rt, t->internet, "internet", conf_inet, 0, 1, err, errlen);
	for (size_t r = 0; rc == 0 && r < lab->n_regions; r++)
		rc = configure_ns(rt, t->region[r], lab->regions[r].name, conf_region,
				  r, 1, err, errlen);
	for (size_t z = 0; rc == 0 && z < lab->n_zones; z++)
		rc = configure_ns(rt, t->zone[z], lab->zones[z].full, conf_zone, z, 1,
				  err, errlen);
	for (size_t h = 0; rc == 0 && h < lab->n_hosts; h++)
		rc = configure_ns(rt, t->host[h], lab->hosts[h].name, conf_host, h, 0,
				  err, errlen);
	return rc;
}

/* The gear's table: traffic to or from a "dark" (powered-off) address is
 * dropped in silence — no RST, no ICMP — as it would be by dead hardware.
 * Packets the link emulator must see (those entering by an interface of
 * emu_iif, leaving by one of emu_oif, or crossing a pair of emu_pair) get
 * mark bit ZF_EMU_MARK; the emulator's NFQUEUE rule takes those (emu.h). */
static const char gear_table[] =
	"table inet zonefall {\n"
	"  set dark_hosts { type ipv4_addr; }\n"
	"  set dark_nets { type ipv4_addr; flags interval; }\n"
	"  set emu_iif { type iface_index; }\n"
	"  set emu_oif { type iface_index; }\n"
	"  set emu_pair { type iface_index . iface_index; }\n"
	"  chain emu {\n"
	"    type filter hook forward priority -20; policy accept;\n"
	"    meta iif @emu_iif meta mark set meta mark or 0x100000\n"
	"    meta oif @emu_oif meta mark set meta mark or 0x100000\n"
	"    meta iif . meta oif @emu_pair meta mark set meta mark or 0x100000\n"
	"  }\n"
	"  chain forward {\n"
	"    type filter hook forward priority -10; policy accept;\n"
	"    ip daddr @dark_hosts drop\n"
	"    ip saddr @dark_hosts drop\n"
	"    ip daddr @dark_nets drop\n"
	"    ip saddr @dark_nets drop\n"
	"  }\n"
	"}\n";

int zf_topo_nft_base(const struct zf_labrt *rt, const struct zf_topo *t,
		     char *err, size_t errlen)
{
	const struct zf_lab *lab = rt->lab;
	char msg[512];
	int rc = zf_nft_run(t->backbone, gear_table, NULL, 0, msg, sizeof(msg));

	if (rc == 0)
		rc = zf_nft_run(t->internet, gear_table, NULL, 0, msg, sizeof(msg));
	for (size_t r = 0; rc == 0 && r < lab->n_regions; r++)
		rc = zf_nft_run(t->region[r], gear_table, NULL, 0, msg, sizeof(msg));
	for (size_t z = 0; rc == 0 && z < lab->n_zones; z++)
		rc = zf_nft_run(t->zone[z], gear_table, NULL, 0, msg, sizeof(msg));
	if (rc < 0)
		snprintf(err, errlen, "nftables: %s", msg);
	return rc;
}
