/* res_limit.h - per-host limits that faults ask for (cpu-throttle,
 * mem-limit), computed from the journal like the link faults: the limit a
 * host gets is the lowest that the active faults of one kind covering it
 * ask for, so faults on one host compose (the tightest wins) and reverting
 * one leaves the others in force; no fault left means no limit.
 *
 * Also the cgroup leaf a fault's own processes live in (cpu-hog,
 * mem-hog): "<lab>/<host>/fault-<id>", listed in the lab's inventory
 * before it is made, so that `down` and `recover` find it. */
#ifndef ZF_FAULT_RES_LIMIT_H
#define ZF_FAULT_RES_LIMIT_H

#include "fault/fault.h"

/* Parse one fault's ARGS into the value it asks for; 0 or -EINVAL. */
typedef int (*zf_res_parse_fn)(const char *args, unsigned long long *v, char *err,
			       size_t errlen);

/* For every host of the lab, the lowest value the active faults of KIND ask
 * for (EXCLUDE, a fault id, left out; NULL: none), 0 where none does, into
 * *OUT (n_hosts entries, free it). 0, or a negative errno with c->err set. */
int zf_res_wanted(struct zf_fctx *c, const char *kind, const char *exclude,
		  zf_res_parse_fn parse, unsigned long long **out);

/* The relative path of fault F's leaf in host H. */
void zf_res_leaf(const struct zf_labrt *rt, size_t h, const char *id, char *buf,
		 size_t len);

/* Record the leaf of fault ID in host H in the inventory, then make it.
 * 0, or a negative errno with c->err set. */
int zf_res_leaf_make(struct zf_fctx *c, size_t h, const char *id);

/* 1 when the leaf of fault ID in host H exists. */
int zf_res_leaf_exists(const struct zf_labrt *rt, size_t h, const char *id);

/* Kill whatever runs in the leaf and remove it (absent: done). */
int zf_res_leaf_remove(struct zf_fctx *c, size_t h, const char *id);

#endif
