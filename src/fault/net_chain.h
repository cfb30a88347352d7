/* net_chain.h - a filter fault's own chain and sets in the gear.
 *
 * The fault with id ID gets, in table "inet zonefall" of every namespace
 * of its edge: sets ID_a (and ID_b) holding the address elements of its
 * sides, and base chain ID (hook forward, priority ZF_FILTER_PRIORITY,
 * policy accept) with its rules. Each namespace changes in one atomic
 * libnftables transaction, created and deleted by name: faults never
 * touch each other's objects, nor the power faults' sets and chain. */
#ifndef ZF_FAULT_NET_CHAIN_H
#define ZF_FAULT_NET_CHAIN_H

#include <stddef.h>

#include "fault/fault.h"
#include "fault/net_edge.h"

struct zf_chain {
	const char *id;                   /* the fault's id: "f7" */
	const struct zf_selection *a;     /* elements of set ID_a */
	const struct zf_selection *b;     /* of set ID_b; NULL: no such set */
	const char *rules;                /* "add rule inet zonefall ID ..." lines */
	size_t n_rules;
	struct zf_edge edge;              /* where */
};

/* Create the sets and the chain in every namespace of CH->edge. Stops at
 * the first failure: 0 or a negative errno with c->err set (the caller
 * reverts, which removes whatever was made). */
int zf_chain_apply(struct zf_fctx *c, const struct zf_chain *ch);

/* Delete the chain and its sets wherever they are in the edge; absent
 * ones are no error, so this also cleans up after a partial apply or a
 * crash before apply. 0 or the first negative errno (c->err set), after
 * trying every namespace. */
int zf_chain_remove(struct zf_fctx *c, const struct zf_chain *ch);

/* Read every namespace of the edge back: with APPLIED, the chain hooks
 * forward with CH->n_rules rules and the sets hold every element; else
 * neither chain nor sets exist. 0, or -EIO with c->err saying what is
 * wrong where. */
int zf_chain_verify(struct zf_fctx *c, const struct zf_chain *ch, int applied);

#endif
