/* net_listing.h - reading back what `list table inet zonefall` printed
 * (libnftables' text output), to verify that a filter fault's chain and
 * sets are in the gear, or gone. Pure text functions. */
#ifndef ZF_FAULT_NET_LISTING_H
#define ZF_FAULT_NET_LISTING_H

#include <stddef.h>

struct zf_listing_part {
	const char *s;      /* start of "\tset NAME {" / "\tchain NAME {" */
	size_t len;         /* up to and including its closing "\t}" */
};

/* Find the set or chain (WHAT: "set" or "chain") named NAME in the table
 * listing OUT. 1 and *PART filled if present, 0 if not. */
int zf_listing_find(const char *out, const char *what, const char *name,
		    struct zf_listing_part *part);

/* Is element ELEM ("198.18.1.0/24") listed in the set PART? */
int zf_listing_has_elem(const struct zf_listing_part *part, const char *elem);

/* Number of rules in the chain PART (its hook line not counted), and
 * whether that hook line says "hook forward" (into *FORWARD). */
size_t zf_listing_rules(const struct zf_listing_part *part, int *forward);

/* Does the listing hold any set whose name starts with PREFIX? */
int zf_listing_has_set_prefix(const char *out, const char *prefix);

#endif
