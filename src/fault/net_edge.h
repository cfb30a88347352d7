/* net_edge.h - where a selection's traffic can be caught in the gear, and
 * the addresses that stand for it.
 *
 * A selection is seen as *units*: each selected region; each selected zone
 * not in a selected region; each selected host or client not in one of
 * those. (A service selection is the hosts that run the services; a "pick"
 * is its picked hosts.) A unit has addresses - the /24 of every zone of a
 * region or zone unit, the /32 of a host - and an *edge*: the gear every
 * packet between the unit and anything outside it crosses. That is the
 * region router for a region, the zone router for a zone or a host, the
 * internet namespace for a client. Packets between two hosts of one zone
 * never reach the region router, so when two sides of a fault may share a
 * region ("fine" edges), a region unit's edge is its zone routers instead.
 *
 * Pure functions of the lab and its address plan: no namespace is
 * touched. */
#ifndef ZF_FAULT_NET_EDGE_H
#define ZF_FAULT_NET_EDGE_H

#include <stddef.h>

#include "lab/addrplan.h"
#include "spec/lab.h"
#include "spec/selector.h"

struct zf_edge {
	unsigned char *zones;     /* n_zones flags: zone routers */
	unsigned char *regions;   /* n_regions flags: region routers */
	int internet;             /* the internet namespace */
	size_t count;             /* namespaces flagged in all */
};

/* The edge of S into *E (free with zf_edge_free). */
void zf_edge_find(const struct zf_lab *lab, const struct zf_selection *s,
		  int fine, struct zf_edge *e);
void zf_edge_free(struct zf_edge *e);

/* Call FN for each namespace of E: gear kind (enum zf_gear) and index, in
 * a fixed order (internet, regions, zones). Stops at and returns the first
 * negative value FN returns; 0 otherwise. */
int zf_edge_each(const struct zf_lab *lab, const struct zf_edge *e,
		 int (*fn)(int g, size_t index, void *ctx), void *ctx);

/* Call FN with the text of each address element of S ("198.18.1.0/24",
 * "198.18.0.10"), in lab order; elements never overlap. */
void zf_edge_elements(const struct zf_lab *lab, const struct zf_plan *plan,
		      const struct zf_selection *s,
		      void (*fn)(const char *elem, void *ctx), void *ctx);

/* The name of a host, zone or region that A and B both select, or NULL. */
const char *zf_edge_overlap(const struct zf_lab *lab, const struct zf_selection *a,
			    const struct zf_selection *b);

/* "zone r1/a", "region r1", "backbone" or "internet": how messages name
 * gear G/INDEX. */
void zf_edge_gear_name(const struct zf_lab *lab, int g, size_t index, char *buf,
		       size_t len);

/* Is host H (not a client) inside a region or zone unit of S? */
int zf_edge_host_in_unit(const struct zf_lab *lab, const struct zf_selection *s,
			 size_t h);

#endif
