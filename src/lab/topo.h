/* topo.h - the lab's network: namespaces, veth links, addresses, routes,
 * forwarding and the gear's base nftables table (see addrplan.h for the
 * shape). Built through netlink, one batch per namespace. */
#ifndef ZF_LAB_TOPO_H
#define ZF_LAB_TOPO_H

#include <stddef.h>

#include "lab/inventory.h"
#include "lab/labrt.h"

/* Namespace fds of a lab under construction (or opened for faults). */
struct zf_topo {
	int *host;        /* n_hosts */
	int *zone;        /* n_zones */
	int *region;      /* n_regions */
	int backbone;
	int internet;
};

/* Queue inventory records for every namespace of the lab. */
void zf_topo_record(const struct zf_labrt *rt, struct zf_inv *inv);

/* Create every namespace (recorded already) and keep their fds in T. */
int zf_topo_create_netns(const struct zf_labrt *rt, struct zf_topo *t,
			 int *made_mount, char *err, size_t errlen);

/* Create every veth pair, in one netlink batch. */
int zf_topo_links(const struct zf_labrt *rt, const struct zf_topo *t, char *err,
		  size_t errlen);

/* Addresses, routes, links up, forwarding: one batch per namespace. */
int zf_topo_configure(const struct zf_labrt *rt, const struct zf_topo *t,
		      char *err, size_t errlen);

/* The zonefall nftables table in every piece of gear (power faults use its
 * "dark" sets). */
int zf_topo_nft_base(const struct zf_labrt *rt, const struct zf_topo *t,
		     char *err, size_t errlen);

/* Open the namespaces of a running lab. */
int zf_topo_open(const struct zf_labrt *rt, struct zf_topo *t, char *err,
		 size_t errlen);
void zf_topo_close(const struct zf_labrt *rt, struct zf_topo *t);

/* Namespace fd of gear G/INDEX. */
int zf_topo_gear_fd(const struct zf_topo *t, int g, size_t index);

#endif
