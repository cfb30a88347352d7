/* net_chain.c - per-fault chain and sets in the gear (see net_chain.h). */
#include "fault/net_chain.h"
#include "fault/net_listing.h"
#include "fault/net_rules.h"
#include "util/text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SET_TYPE "type ipv4_addr; flags interval;"

struct elem_ctx {
	struct zf_text *t;
	size_t n;
};

static void add_elem(const char *elem, void *vctx)
{
	struct elem_ctx *e = vctx;

	zf_text_add(e->t, "%s%s", e->n++ ? ", " : "", elem);
}

/* "create set" then "add element": nft 1.0.6 ignores elements given
 * inline to "create set". */
static void set_cmds(struct zf_fctx *c, struct zf_text *t, const char *id,
		     char side, const struct zf_selection *s)
{
	struct elem_ctx e = { .t = t };

	zf_text_add(t, "create set inet zonefall %s_%c { " SET_TYPE " }\n", id, side);
	zf_text_add(t, "add element inet zonefall %s_%c { ", id, side);
	zf_edge_elements(c->rt->lab, &c->rt->plan, s, add_elem, &e);
	zf_text_add(t, " }\n");
}

static void chain_decl(struct zf_text *t, const char *verb, const char *id)
{
	zf_text_add(t, "%s chain inet zonefall %s { type filter hook forward "
		    "priority %d; policy accept; }\n", verb, id, ZF_FILTER_PRIORITY);
}

struct run_ctx {
	struct zf_fctx *c;
	const char *cmds;
	const char *what;     /* "applying", "removing" */
	int first;            /* first error, for remove (which goes on) */
	int keep_going;
};

/* Run CTX->cmds in one namespace; prefix the error with the gear. */
static int run_one(int g, size_t index, void *vctx)
{
	struct run_ctx *r = vctx;
	char where[96], msg[sizeof(r->c->err)];
	int rc = zf_fctx_nft(r->c, g, index, r->cmds, NULL);

	if (rc < 0 && !r->first) {
		zf_edge_gear_name(r->c->rt->lab, g, index, where, sizeof(where));
		snprintf(msg, sizeof(msg), "%s", r->c->err);
		snprintf(r->c->err, sizeof(r->c->err), "%s in %s: %.400s", r->what, where,
			 msg);
		r->first = rc;
	}
	return r->keep_going ? 0 : rc;
}

int zf_chain_apply(struct zf_fctx *c, const struct zf_chain *ch)
{
	struct zf_text t = { 0 };
	struct run_ctx r = { .c = c, .what = "applying" };
	int rc;

	set_cmds(c, &t, ch->id, 'a', ch->a);
	if (ch->b)
		set_cmds(c, &t, ch->id, 'b', ch->b);
	chain_decl(&t, "create", ch->id);
	zf_text_add(&t, "%s", ch->rules);
	r.cmds = zf_text_str(&t);
	rc = zf_edge_each(c->rt->lab, &ch->edge, run_one, &r);
	zf_text_free(&t);
	return rc;
}

int zf_chain_remove(struct zf_fctx *c, const struct zf_chain *ch)
{
	struct zf_text t = { 0 };
	struct run_ctx r = { .c = c, .what = "removing", .keep_going = 1 };

	/* Declaring first makes deleting what is absent a no-op; the chain
	 * goes first, with the rules that refer to the sets. */
	chain_decl(&t, "add", ch->id);
	zf_text_add(&t, "flush chain inet zonefall %s\ndelete chain inet zonefall %s\n",
		    ch->id, ch->id);
	for (char side = 'a'; side <= (ch->b ? 'b' : 'a'); side++)
		zf_text_add(&t, "add set inet zonefall %s_%c { " SET_TYPE " }\n"
			    "delete set inet zonefall %s_%c\n", ch->id, side, ch->id, side);
	r.cmds = zf_text_str(&t);
	zf_edge_each(c->rt->lab, &ch->edge, run_one, &r);
	zf_text_free(&t);
	return r.first;
}

struct verify_ctx {
	struct zf_fctx *c;
	const struct zf_chain *ch;
	const char *out;            /* the namespace's table listing */
	struct zf_listing_part set; /* the set being checked */
	const char *missing;        /* first element not found */
	char missing_buf[24];
};

static void check_elem(const char *elem, void *vctx)
{
	struct verify_ctx *v = vctx;

	if (!v->missing && !zf_listing_has_elem(&v->set, elem)) {
		snprintf(v->missing_buf, sizeof(v->missing_buf), "%s", elem);
		v->missing = v->missing_buf;
	}
}

/* Set ID_SIDE holds every element of S? Else the problem into WHY. */
static int check_set(struct verify_ctx *v, char side, const struct zf_selection *s,
		     char *why, size_t len)
{
	char name[32];

	snprintf(name, sizeof(name), "%s_%c", v->ch->id, side);
	if (!zf_listing_find(v->out, "set", name, &v->set)) {
		snprintf(why, len, "set %s is missing", name);
		return -EIO;
	}
	v->missing = NULL;
	zf_edge_elements(v->c->rt->lab, &v->c->rt->plan, s, check_elem, v);
	if (v->missing) {
		snprintf(why, len, "set %s lacks %s", name, v->missing);
		return -EIO;
	}
	return 0;
}

/* The fault's objects in listing V->out are as APPLIED says; else WHY. */
static int check_listing(struct verify_ctx *v, int applied, char *why, size_t len)
{
	struct zf_listing_part chain;
	char prefix[32];
	int has = zf_listing_find(v->out, "chain", v->ch->id, &chain), fwd;
	size_t n;

	snprintf(prefix, sizeof(prefix), "%s_", v->ch->id);
	if (!applied) {
		if (has || zf_listing_has_set_prefix(v->out, prefix)) {
			snprintf(why, len, "%s of fault %s still there",
				 has ? "chain" : "a set", v->ch->id);
			return -EIO;
		}
		return 0;
	}
	n = has ? zf_listing_rules(&chain, &fwd) : 0;
	if (!has || !fwd || n != v->ch->n_rules) {
		snprintf(why, len, "chain %s %s (want %zu rules on the forward hook)",
			 v->ch->id, has ? "is not as applied" : "is missing", v->ch->n_rules);
		return -EIO;
	}
	if (check_set(v, 'a', v->ch->a, why, len) < 0)
		return -EIO;
	return v->ch->b ? check_set(v, 'b', v->ch->b, why, len) : 0;
}

struct verify_run {
	struct verify_ctx v;
	int applied;
};

static int verify_one(int g, size_t index, void *vctx)
{
	struct verify_run *r = vctx;
	struct zf_fctx *c = r->v.c;
	char *out = NULL, why[256], where[96];
	int rc = zf_fctx_nft(c, g, index, "list table inet zonefall", &out);

	if (rc < 0)
		return rc;
	r->v.out = out;
	rc = check_listing(&r->v, r->applied, why, sizeof(why));
	if (rc < 0) {
		zf_edge_gear_name(c->rt->lab, g, index, where, sizeof(where));
		snprintf(c->err, sizeof(c->err), "%s: %s", where, why);
	}
	free(out);
	return rc;
}

int zf_chain_verify(struct zf_fctx *c, const struct zf_chain *ch, int applied)
{
	struct verify_run r = { .v = { .c = c, .ch = ch }, .applied = applied };

	return zf_edge_each(c->rt->lab, &ch->edge, verify_one, &r);
}
