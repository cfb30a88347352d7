/* net_wire.h - the lab's wiring as the route and link faults see it:
 * which interface of which gear namespace carries a link, and the routes
 * the lab configured (src/lab/topo_config.c), so that a revert can put back
 * exactly what was there - also after a crash, when nothing but the lab
 * file is left to go by. Every fault checks the kernel's routes against
 * these expectations before it changes anything (a mismatch refuses the
 * fault), and its verify compares them after a revert. */
#ifndef ZF_FAULT_NET_WIRE_H
#define ZF_FAULT_NET_WIRE_H

#include <stddef.h>

#include "lab/labrt.h"
#include "lab/nl.h"
#include "lab/topo.h"

/* One end of a link, in the gear, with the route the lab sends through it
 * (the kernel deletes a route when its link goes down). */
struct zf_wire_link {
	int gear;                 /* enum zf_gear of the namespace */
	size_t index;
	int ifindex;
	char what[96];            /* "host web-a", "zone r1/a uplink", ... */
	struct zf_route route;
	int peer_gear;            /* the other end: gear, or -1 for host ... */
	size_t peer_index;        /* ... PEER_INDEX's namespace */
	int peer_ifindex;
};

/* The gear end of host (or client) H's access link. */
void zf_wire_host_link(const struct zf_labrt *rt, size_t h, struct zf_wire_link *l);
/* Zone Z's uplink, at the zone router ("up"). */
void zf_wire_zone_uplink(const struct zf_labrt *rt, size_t z, struct zf_wire_link *l);
/* Region R's link to the backbone ("bb"), or with INTERNET to the
 * internet ("inet"), at the region router. */
void zf_wire_region_uplink(const struct zf_labrt *rt, size_t r, int internet,
			   struct zf_wire_link *l);

/* The route to zone Z's subnet in gear G/INDEX: the region router's (G is
 * ZF_GEAR_REGION) via the zone router, or the backbone's / internet's via
 * the region router (INDEX ignored). */
void zf_wire_zone_route(const struct zf_labrt *rt, int g, size_t z,
			struct zf_route *out);

/* The entry of V (N of them) for DST/PLEN, or NULL. */
const struct zf_route_entry *zf_wire_find(const struct zf_route_entry *v, size_t n,
					  uint32_t dst, int plen);

/* Is E exactly WANT as the lab adds it (type, gateway on-link, interface,
 * preferred source, protocol ZF_RTPROT)? */
int zf_wire_route_is(const struct zf_route_entry *e, const struct zf_route *want);

/* "198.18.1.0/24 via 198.19.255.10 dev 12" / "unreachable 198.18.1.0/24",
 * for messages. */
void zf_wire_route_text(const struct zf_route *r, char *buf, size_t len);

#endif
