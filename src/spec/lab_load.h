/* lab_load.h - the steps of zf_lab_load (private to src/spec).
 *
 * Loading runs in passes over the YAML tree so that every reference can be
 * checked: top-level scalars, then regions and zones, then the names and
 * placement of hosts and clients (all names are known from here on), then
 * each host's services (commands, templates, start order), then DNS records.
 * Each step fills the model in place; on error the caller frees the partial
 * model with zf_lab_free, so every step keeps its counts consistent with
 * what it has initialised. */
#ifndef ZF_SPEC_LAB_LOAD_H
#define ZF_SPEC_LAB_LOAD_H

#include <stddef.h>

#include "spec/lab.h"
#include "spec/schema.h"
#include "spec/yamltree.h"

struct zf_ld {
	struct zf_schema sc;
	struct zf_lab *lab;
	const struct zf_ynode **svc_nodes; /* per lab->hosts entry, or NULL */
	size_t *zone_hosts;                /* hosts placed in each zone */
};

/* "regions:" -> lab->regions and lab->zones. */
int zf_ld_regions(struct zf_ld *ld, const struct zf_ynode *regions);

/* "links:" (may be NULL), after the regions: base latencies, per-region
 * overrides ("regions: { r2: { cross_zone: 3ms } }") and region pairs. */
int zf_ld_links(struct zf_ld *ld, const struct zf_ynode *links);

/* "hosts:" and "clients:" (CLIENTS may be NULL) -> lab->hosts without their
 * services; remembers each one's services mapping in ld->svc_nodes. */
int zf_ld_hosts(struct zf_ld *ld, const struct zf_ynode *hosts,
		const struct zf_ynode *clients);

/* The services of lab->hosts[HOST], in a valid start order. */
int zf_ld_services(struct zf_ld *ld, size_t host);

/* Resolve the "after" lists (AFTER[i] is service i's node or NULL) of H,
 * whose services are in file order, then sort them into a start order. */
int zf_ld_order(struct zf_ld *ld, struct zf_host *h,
		const struct zf_ynode *const *after);

/* "dns:" (may be NULL) -> lab->records. */
int zf_ld_records(struct zf_ld *ld, const struct zf_ynode *dns);

/* "vips:" (may be NULL), after the DNS names -> lab->vips. */
int zf_ld_vips(struct zf_ld *ld, const struct zf_ynode *vips);

#endif
