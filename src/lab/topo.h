/* topo.h - the lab's network: namespaces, veth links, addresses, routes,
 * forwarding and the gear's base nftables table (see addrplan.h for the
 * shape). Built through netlink, one batch per namespace. */
#ifndef ZF_LAB_TOPO_H
#define ZF_LAB_TOPO_H

#include <stddef.h>

#include "lab/inventory.h"
#include "lab/labrt.h"

/* Interface indexes, the same in every lab (chosen at creation). */
#define ZF_IF_LO 1
#define ZF_IF_UP 2         /* host/client "eth0", zone "up", region "bb" */
#define ZF_IF_INET 3       /* region "inet" */
#define ZF_IF_BASE 10      /* zone "h<k>": its host in slot k; region "z<j>":
			      its j-th zone; backbone/internet "r<r>": region r */
#define ZF_IF_CLIENT 1000  /* internet "c<k>": client in slot k */

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

/* Position of zone Z among its region's zones (its port ZF_IF_BASE + j on
 * the region router). */
size_t zf_topo_zone_port(const struct zf_lab *lab, size_t z);

/* Namespace fd of gear G/INDEX. */
int zf_topo_gear_fd(const struct zf_topo *t, int g, size_t index);

#endif
