/* selector.h - fault targets written as text, resolved against a lab.
 *
 * Grammar (whitespace-separated words):
 *   host GLOB | client GLOB | zone GLOB | region GLOB | lab
 *   service GLOB [in (host|zone|region) GLOB]
 * GLOB is fnmatch(3) syntax without FNM_PATHNAME; zone globs match "r1/a".
 * A selector that matches nothing is an error (a typo must not silently
 * become a no-op fault). */
#ifndef ZF_SPEC_SELECTOR_H
#define ZF_SPEC_SELECTOR_H

#include <stddef.h>

#include "spec/lab.h"

enum zf_sel_kind {
	ZF_SEL_HOST,     /* host or client */
	ZF_SEL_ZONE,
	ZF_SEL_REGION,
	ZF_SEL_SERVICE,
	ZF_SEL_LAB,
};

struct zf_sel_service {
	size_t host;
	size_t service;
};

struct zf_selection {
	enum zf_sel_kind kind;
	unsigned char *hosts;    /* n_hosts flags: host (or client) selected */
	unsigned char *zones;    /* n_zones flags: the zone itself (its gear) */
	unsigned char *regions;  /* n_regions flags: the region itself (its gear) */
	size_t n_selected_hosts;
	struct zf_sel_service *services;  /* ZF_SEL_SERVICE only */
	size_t n_services;
};

/* Resolve TEXT against LAB. Zone and region selectors also select every
 * host in them; service selectors select the hosts that run a match. Returns
 * 0 and fills *OUT (free with zf_selection_free), or -EINVAL with ERR set
 * ("unknown selector kind 'hots'", "no host matches 'web-*'", ...). */
int zf_selector_resolve(const struct zf_lab *lab, const char *text,
			struct zf_selection *out, char *err, size_t errlen);

/* The same, also accepting "pick N of SELECTOR" and "pick P% of SELECTOR":
 * N hosts (at least one for a percentage; services for a service selector)
 * chosen from what SELECTOR matches, by a PRNG seeded with SEED and the
 * text, so a seed always picks the same ones. zf_selector_resolve treats
 * "pick" with seed 0. A pick keeps the selection's kind but only the picked
 * hosts (services for a service selector); a picked zone, region or lab
 * has no zone or region flags, so the fault does not touch the gear. */
int zf_selector_resolve_seeded(const struct zf_lab *lab, const char *text,
			       unsigned long long seed, struct zf_selection *out,
			       char *err, size_t errlen);

void zf_selection_free(struct zf_selection *sel);

#endif
