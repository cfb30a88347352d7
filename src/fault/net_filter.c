/* net_filter.c - partition, isolate and block: packet filters in the
 * gear, one chain and its address sets per fault (net_chain.h), placed on
 * the edge of whichever side needs fewer namespaces (net_edge.h).
 *
 *   partition "A | B" [oneway]   drop A<->B (only A->B with oneway)
 *   isolate T                    drop T<->everything outside T
 *   block "FROM -> TO" [tcp|udp|icmp|any] [port N] [drop|reject]
 *
 * Drops are silent: established connections stall, new ones time out.
 * A block with "reject" refuses instead, as a firewall would: a TCP reset
 * on behalf of the destination, ICMP port unreachable for UDP. */
#include "fault/kinds.h"
#include "fault/net_chain.h"
#include "fault/net_rules.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct filter {
	struct zf_chain ch;
	struct zf_text rules;
};

/* Put the filter on the edge of A or of B, whichever has fewer
 * namespaces. FINE when the sides may share a region. */
static void pick_edge(const struct zf_lab *lab, const struct zf_fault *f, int fine,
		      struct zf_edge *e)
{
	struct zf_edge eb;

	zf_edge_find(lab, &f->sel, fine, e);
	zf_edge_find(lab, &f->sel2, fine, &eb);
	if (eb.count < e->count) {
		zf_edge_free(e);
		*e = eb;
	} else {
		zf_edge_free(&eb);
	}
}

/* Fill X for fault F (its arguments were checked already). */
static void filter_build(struct zf_fctx *c, const struct zf_fault *f,
			 struct filter *x)
{
	const struct zf_lab *lab = c->rt->lab;
	struct zf_block_args b;
	char e[8];
	int oneway;

	memset(x, 0, sizeof(*x));
	x->ch.id = f->id;
	x->ch.a = &f->sel;
	if (f->kind == &zf_fault_isolate) {
		x->ch.n_rules = zf_rules_isolate(&x->rules, f->id);
		zf_edge_find(lab, &f->sel, 0, &x->ch.edge);
	} else if (f->kind == &zf_fault_partition) {
		zf_partition_args(f->args, &oneway, e, sizeof(e));
		x->ch.b = &f->sel2;
		x->ch.n_rules = zf_rules_partition(&x->rules, f->id, oneway);
		pick_edge(lab, f, 0, &x->ch.edge);
	} else {
		zf_block_args(f->args, &b, e, sizeof(e));
		x->ch.b = &f->sel2;
		x->ch.n_rules = zf_rules_block(&x->rules, f->id, &b);
		pick_edge(lab, f, zf_edge_overlap(lab, &f->sel, &f->sel2) != NULL,
			  &x->ch.edge);
	}
	x->ch.rules = zf_text_str(&x->rules);
}

static void filter_free(struct filter *x)
{
	zf_edge_free(&x->ch.edge);
	zf_text_free(&x->rules);
}

static int check_partition(struct zf_fctx *c, const struct zf_fault *f)
{
	const char *both;
	int oneway;

	if (zf_partition_args(f->args, &oneway, c->err, sizeof(c->err)) < 0)
		return -EINVAL;
	both = zf_edge_overlap(c->rt->lab, &f->sel, &f->sel2);
	if (both) {
		snprintf(c->err, sizeof(c->err), "both sides select %s: a partition "
			 "cuts two disjoint sets apart", both);
		return -EINVAL;
	}
	return 0;
}

static int check_isolate(struct zf_fctx *c, const struct zf_fault *f)
{
	if (f->args[0]) {
		snprintf(c->err, sizeof(c->err), "unexpected argument '%s'", f->args);
		return -EINVAL;
	}
	return 0;
}

static int check_block(struct zf_fctx *c, const struct zf_fault *f)
{
	struct zf_block_args b;

	return zf_block_args(f->args, &b, c->err, sizeof(c->err));
}

static int filter_apply(struct zf_fctx *c, const struct zf_fault *f)
{
	struct filter x;
	int rc;

	filter_build(c, f, &x);
	rc = zf_chain_apply(c, &x.ch);
	filter_free(&x);
	return rc;
}

static int filter_revert(struct zf_fctx *c, const struct zf_fault *f)
{
	struct filter x;
	int rc;

	filter_build(c, f, &x);
	rc = zf_chain_remove(c, &x.ch);
	filter_free(&x);
	return rc;
}

static int filter_verify(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	struct filter x;
	int rc;

	filter_build(c, f, &x);
	rc = zf_chain_verify(c, &x.ch, applied);
	filter_free(&x);
	return rc;
}

const struct zf_fault_kind zf_fault_partition = {
	.name = "partition",
	.usage = "partition 'A | B' [oneway]",
	.summary = "silently drop traffic between A and B (A->B only: oneway)",
	.sep = "|",
	.check = check_partition,
	.apply = filter_apply,
	.revert = filter_revert,
	.verify = filter_verify,
};

const struct zf_fault_kind zf_fault_isolate = {
	.name = "isolate",
	.usage = "isolate TARGET",
	.summary = "cut TARGET off from everything outside it, clients included",
	.check = check_isolate,
	.apply = filter_apply,
	.revert = filter_revert,
	.verify = filter_verify,
};

const struct zf_fault_kind zf_fault_block = {
	.name = "block",
	.usage = "block 'FROM -> TO' [PROTO] [port N] [drop|reject]",
	.summary = "firewall mistake: drop or refuse FROM->TO (default tcp, drop)",
	.sep = "->",
	.check = check_block,
	.apply = filter_apply,
	.revert = filter_revert,
	.verify = filter_verify,
};
