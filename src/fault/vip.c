/* vip.c - vip-move: a zonefall-managed VIP changes hands.
 *
 *   vip-move VIP [to HOST]                      the address moves to HOST
 *   vip-move VIP [to HOST] keep-name-stale [for D]
 *
 * TARGET is the VIP's name (not a selector). Without "to", the VIP goes to
 * the member after its owner. The plain move is a failover done right: the
 * old owner drops the address, the new owner adds it, the segment's
 * neighbour entries are forgotten so traffic follows at once, and the DNS
 * name keeps answering the same address. keep-name-stale is the Tencent
 * 2023 failover: the service comes up on the new member under the VIP's
 * *other* address, the old address disappears, and the DNS name keeps
 * answering the old one until D has passed (or until revert), then the new
 * one: clients holding the old address fail until DNS and their own
 * configuration catch up.
 *
 * The placement lives in the VIP's state file (lab/vip.h); apply saves
 * the placement it found as "<vip>@<fault>" first, so revert (and
 * `recover` after a SIGKILL) puts back exactly that. One vip-move per VIP
 * at a time. */
#include "fault/journal.h"
#include "fault/kinds.h"
#include "lab/labdns.h"
#include "lab/vip.h"
#include "spec/duration.h"
#include "util/log.h"
#include "util/timeutil.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARG_WORDS 6

struct move {
	size_t vip;
	int to;                 /* member index, -1: the next one */
	int stale;              /* keep-name-stale */
	uint64_t stale_ns;      /* its "for D"; 0: until reverted */
};

static int move_err(struct zf_fctx *c, const char *fmt, ...) ZF_PRINTF(2, 3);

/* Format the message into c->err; returns -EINVAL. */
static int move_err(struct zf_fctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The member of VIP V named NAME, or -1. */
static int find_member(const struct zf_lab *lab, size_t v, const char *name)
{
	for (size_t m = 0; m < lab->vips[v].n_members; m++)
		if (!strcmp(lab->hosts[lab->vips[v].members[m]].name, name))
			return (int)m;
	return -1;
}

/* "[to HOST] [keep-name-stale [for D]]" of VIP MV->vip into MV. */
static int parse_words(struct zf_fctx *c, char **w, size_t n, struct move *mv)
{
	size_t i = 0;

	if (i + 1 < n && !strcmp(w[i], "to")) {
		mv->to = find_member(c->rt->lab, mv->vip, w[i + 1]);
		if (mv->to < 0)
			return move_err(c, "'%s' is not a member of the VIP", w[i + 1]);
		i += 2;
	}
	if (i < n && !strcmp(w[i], "keep-name-stale")) {
		mv->stale = 1;
		i++;
		if (i + 1 < n && !strcmp(w[i], "for")) {
			if (zf_duration_parse(w[i + 1], &mv->stale_ns) < 0 || !mv->stale_ns)
				return move_err(c, "'for %s': expected a duration like 30s",
						w[i + 1]);
			i += 2;
		}
	}
	if (i < n)
		return move_err(c, "unexpected '%s': expected [to HOST] "
				"[keep-name-stale [for DURATION]]", w[i]);
	return 0;
}

/* F's target and arguments into MV; -EINVAL with c->err set. */
static int parse_move(struct zf_fctx *c, const struct zf_fault *f, struct move *mv)
{
	char args[ZF_FAULT_TEXT_MAX], *w[ARG_WORDS], *save = NULL;
	int v = zf_lab_find_vip(c->rt->lab, f->target);
	size_t n = 0;

	memset(mv, 0, sizeof(*mv));
	mv->to = -1;
	if (v < 0)
		return move_err(c, "no VIP named '%s' in the lab (vip-move takes a "
				"VIP's name, not a selector)", f->target);
	if (c->rt->lab->vips[v].manager != ZF_VIP_ZONEFALL)
		return move_err(c, "VIP '%s' is managed by keepalived: power off "
				"or pause its master to move it", f->target);
	mv->vip = (size_t)v;
	snprintf(args, sizeof(args), "%s", f->args);
	for (char *t = strtok_r(args, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == ARG_WORDS)
			return move_err(c, "too many arguments: %s", f->args);
		w[n++] = t;
	}
	return parse_words(c, w, n, mv);
}

static int check_move(struct zf_fctx *c, const struct zf_fault *f)
{
	struct move mv;

	return parse_move(c, f, &mv);
}

/* -EBUSY when another vip-move than F is active on the same VIP. */
static int only_move(struct zf_fctx *c, const struct zf_fault *f)
{
	struct zf_fault_info *v;
	size_t n;
	int rc = zf_journal_active(c->rt, &v, &n);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (strcmp(v[i].id, f->id) && !strcmp(v[i].kind, f->kind->name) &&
		    !strcmp(v[i].target, f->target)) {
			zf_fmt(c->err, sizeof(c->err), "%s (vip-move %s%s%s) is active "
			       "on this VIP: revert it first", v[i].id, v[i].target,
			       v[i].args[0] ? " " : "", v[i].args);
			rc = -EBUSY;
		}
	}
	free(v);
	return rc;
}

/* Tell the lab's DNS what the VIP's name answers now. The move stands
 * when it cannot: a warning. */
static void tell_dns(struct zf_fctx *c)
{
	char err[256];

	if (zf_labdns_sync(c->rt, err, sizeof(err)) < 0)
		zf_warn("the lab's DNS does not know of the VIP move: %s", err);
}

/* The placement after MV, from OLD; -EINVAL when it would change nothing. */
static int next_state(struct zf_fctx *c, const struct move *mv,
		      const struct zf_vip_state *old, struct zf_vip_state *st)
{
	const struct zf_vip *vip = &c->rt->lab->vips[mv->vip];

	*st = *old;
	st->owner = mv->to >= 0 ? (size_t)mv->to : (old->owner + 1) % vip->n_members;
	if (st->owner == old->owner)
		return move_err(c, "%s holds the VIP already",
				c->rt->lab->hosts[vip->members[old->owner]].name);
	if (mv->stale) {
		st->second = !old->second;
		st->stale = 1;
		st->stale_second = old->second;
		st->stale_until = mv->stale_ns ? zf_wall_ns() + mv->stale_ns : 0;
	}
	return 0;
}

static int apply_move(struct zf_fctx *c, const struct zf_fault *f)
{
	struct zf_vip_state old, st;
	struct move mv;
	int rc = parse_move(c, f, &mv);

	if (rc == 0)
		rc = only_move(c, f);
	if (rc == 0)
		rc = zf_vip_state_load(c->rt, mv.vip, NULL, &old, c->err, sizeof(c->err));
	if (rc == 0)
		rc = next_state(c, &mv, &old, &st);
	if (rc == 0)    /* what revert puts back, saved before anything changes */
		rc = zf_vip_state_save(c->rt, mv.vip, f->id, &old, c->err, sizeof(c->err));
	if (rc == 0)
		rc = zf_vip_state_save(c->rt, mv.vip, NULL, &st, c->err, sizeof(c->err));
	if (rc == 0)
		rc = zf_fctx_topo(c);
	if (rc == 0)
		rc = zf_vip_place(c->rt, &c->topo, mv.vip, &st, c->err, sizeof(c->err));
	if (rc == 0 && st.stale && st.stale_until)
		rc = zf_vip_clock_start(c->rt, mv.vip, st.stale_until, c->err,
					sizeof(c->err));
	if (rc == 0)
		tell_dns(c);
	return rc;
}

static int revert_move(struct zf_fctx *c, const struct zf_fault *f)
{
	struct zf_vip_state st;
	struct move mv;
	int rc = parse_move(c, f, &mv);

	if (rc == 0) {
		rc = zf_vip_state_load(c->rt, mv.vip, f->id, &st, c->err, sizeof(c->err));
		/* no saved copy: the apply changed nothing; place what is */
		if (rc == -ENOENT)
			rc = zf_vip_state_load(c->rt, mv.vip, NULL, &st, c->err,
					       sizeof(c->err));
	}
	if (rc == 0)
		rc = zf_vip_state_save(c->rt, mv.vip, NULL, &st, c->err, sizeof(c->err));
	if (rc == 0)
		rc = zf_fctx_topo(c);
	if (rc == 0)
		rc = zf_vip_place(c->rt, &c->topo, mv.vip, &st, c->err, sizeof(c->err));
	if (rc == 0 && !st.stale)
		rc = zf_vip_clock_stop(c->rt, mv.vip);
	if (rc == 0)
		rc = zf_vip_state_remove(c->rt, mv.vip, f->id);
	if (rc == 0)
		tell_dns(c);
	else if (!c->err[0])
		snprintf(c->err, sizeof(c->err), "VIP %s: %s", f->target, strerror(-rc));
	return rc;
}

/* Applied: the kernel holds the VIP as its state says, on the member the
 * fault named; reverted: as the restored state says. */
static int verify_move(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	const struct zf_lab *lab = c->rt->lab;
	struct zf_vip_state st;
	struct move mv;
	int rc = parse_move(c, f, &mv);

	if (rc == 0)
		rc = zf_vip_state_load(c->rt, mv.vip, NULL, &st, c->err, sizeof(c->err));
	if (rc == 0)
		rc = zf_fctx_topo(c);
	if (rc == 0)
		rc = zf_vip_check(c->rt, &c->topo, mv.vip, &st, c->err, sizeof(c->err));
	if (rc == 0 && applied && mv.to >= 0 && st.owner != (size_t)mv.to) {
		snprintf(c->err, sizeof(c->err), "VIP %s is on %s, not on %s", f->target,
			 lab->hosts[lab->vips[mv.vip].members[st.owner]].name,
			 lab->hosts[lab->vips[mv.vip].members[mv.to]].name);
		rc = -EIO;
	}
	if (rc == 0 && applied && mv.stale && !st.stale) {
		snprintf(c->err, sizeof(c->err), "VIP %s: its DNS name is not stale",
			 f->target);
		rc = -EIO;
	}
	return rc;
}

const struct zf_fault_kind zf_fault_vip_move = {
	.name = "vip-move",
	.usage = "vip-move VIP [to HOST] [keep-name-stale [for D]]",
	.summary = "move a VIP to another member (keep-name-stale: to a new "
		   "address, DNS still answers the old one for D)",
	.named = 1,
	.check = check_move,
	.apply = apply_move,
	.revert = revert_move,
	.verify = verify_move,
};
