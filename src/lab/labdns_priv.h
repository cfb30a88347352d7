/* labdns_priv.h - (private to src/lab) the parts of the lab's DNS. */
#ifndef ZF_LAB_LABDNS_PRIV_H
#define ZF_LAB_LABDNS_PRIV_H

#include "lab/labdns.h"

/* The daemon's config for the lab as it is now: listeners, every record
 * (hosts without a running init marked down, unless ALL_UP), no faults.
 * Returns 0 (free CFG) or -EINVAL with ERR set (CFG is then empty). */
int zf_labdns_build(const struct zf_labrt *rt, int all_up, struct zf_dns_config *cfg,
		    char *err, size_t errlen);

#endif
