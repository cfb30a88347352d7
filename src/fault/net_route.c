/* net_route.c - route-withdraw and route-restore of zones and regions.
 *
 * A withdrawn prefix disappears from the routers around it, as after a BGP
 * withdrawal: for a region, the backbone and the internet lose their
 * routes to the region's zone subnets; for a zone, its region router
 * does. The route is replaced (one netlink batch per namespace) by an
 * unreachable route - routers answer ICMP host unreachable, connects fail
 * fast - or with "blackhole" by a silent one. Inside the withdrawn prefix
 * nothing changes: a region's hosts still reach each other. Restoring
 * replaces it by exactly the route the lab made (net_wire.h). */
#include "fault/kinds.h"
#include "fault/net_edge.h"
#include "fault/net_wire.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum route_op { OP_PRECHECK, OP_WITHDRAW, OP_RESTORE, OP_IS_WITHDRAWN, OP_IS_RESTORED };

struct route_job {
	struct zf_fctx *c;
	const struct zf_selection *s;
	enum zf_route_type type;     /* what a withdrawn route becomes */
	enum route_op op;
	unsigned char *mask;         /* n_zones: routes of this namespace */
};

/* ARGS ("", "unreachable", "blackhole") into *T; -EINVAL otherwise. */
static int withdraw_type(const char *args, enum zf_route_type *t)
{
	if (!args[0] || !strcmp(args, "unreachable"))
		*t = ZF_ROUTE_UNREACHABLE;
	else if (!strcmp(args, "blackhole"))
		*t = ZF_ROUTE_BLACKHOLE;
	else
		return -EINVAL;
	return 0;
}

/* Flag into J->mask the zones whose route in gear G/INDEX changes; 0 if
 * none. */
static size_t ns_zones(struct route_job *j, int g, size_t index)
{
	const struct zf_lab *lab = j->c->rt->lab;
	size_t n = 0;

	for (size_t z = 0; z < lab->n_zones; z++) {
		size_t r = (size_t)lab->zones[z].region;
		if (g == ZF_GEAR_REGION)
			j->mask[z] = r == index && j->s->zones[z] && !j->s->regions[r];
		else
			j->mask[z] = j->s->regions[r];
		n += j->mask[z];
	}
	return n;
}

/* Say in c->err what is wrong with the route to zone Z in gear G/INDEX
 * (E: what the kernel has, NULL if nothing). */
static void route_err(struct route_job *j, int g, size_t index, size_t z,
		      const struct zf_route_entry *e, const char *want)
{
	char where[96], have[96] = "no route";

	zf_edge_gear_name(j->c->rt->lab, g, index, where, sizeof(where));
	if (e)
		zf_wire_route_text(&e->route, have, sizeof(have));
	snprintf(j->c->err, sizeof(j->c->err), "%s: route to zone %s is '%s'%s%s",
		 where, j->c->rt->lab->zones[z].full, have, want ? ", expected " : "",
		 want ? want : " (withdrawn already?)");
}

/* Compare the routes of J->mask in the dump V (N) with what J->op
 * expects. Before withdrawing, anything but the lab's own route refuses
 * the fault (-EALREADY: nothing was changed). */
static int check_routes(struct route_job *j, int g, size_t index,
			const struct zf_route_entry *v, size_t n)
{
	const struct zf_lab *lab = j->c->rt->lab;
	char text[96];

	for (size_t z = 0; z < lab->n_zones; z++) {
		struct zf_route want;
		const struct zf_route_entry *e;
		int ok;

		if (!j->mask[z])
			continue;
		zf_wire_zone_route(j->c->rt, g, z, &want);
		e = zf_wire_find(v, n, want.dst, want.plen);
		if (j->op == OP_IS_WITHDRAWN) {
			want = (struct zf_route){ .dst = want.dst, .plen = 24, .type = j->type };
			ok = e && zf_wire_route_is(e, &want);
		} else {
			ok = e && zf_wire_route_is(e, &want);
		}
		if (ok)
			continue;
		zf_wire_route_text(&want, text, sizeof(text));
		if (j->op == OP_PRECHECK && e && e->route.type != ZF_ROUTE_UNICAST) {
			route_err(j, g, index, z, e, NULL);
			return -EALREADY;
		}
		route_err(j, g, index, z, e, text);
		return j->op == OP_PRECHECK ? -EALREADY : -EIO;
	}
	return 0;
}

/* Replace the routes of J->mask in gear G (through NL, one batch): by
 * J->type routes to withdraw, by the lab's own to restore. */
static int change_routes(struct route_job *j, int g, struct zf_nl *nl)
{
	const struct zf_lab *lab = j->c->rt->lab;
	int rc = 0;

	for (size_t z = 0; rc == 0 && z < lab->n_zones; z++) {
		struct zf_route r;
		if (!j->mask[z])
			continue;
		zf_wire_zone_route(j->c->rt, g, z, &r);
		if (j->op == OP_WITHDRAW)
			r = (struct zf_route){ .dst = r.dst, .plen = 24, .type = j->type };
		rc = zf_nl_route_replace(nl, &r);
	}
	return rc == 0 ? zf_nl_commit(nl, NULL) : rc;
}

/* J->op in gear G/INDEX, if the fault touches routes there. */
static int run_ns(struct route_job *j, int g, size_t index)
{
	struct zf_route_entry *v = NULL;
	struct zf_nl *nl = NULL;
	size_t n = 0;
	char where[96];
	int fd, rc;

	if (!ns_zones(j, g, index))
		return 0;
	fd = zf_fctx_gear(j->c, g, index);
	if (fd < 0)
		return fd;
	rc = zf_nl_open(fd, &nl);
	if (rc < 0)
		goto fail;
	if (j->op == OP_WITHDRAW || j->op == OP_RESTORE)
		rc = change_routes(j, g, nl);
	else
		rc = zf_nl_route_dump(nl, &v, &n);
	if (rc < 0)
		goto fail;
	if (j->op != OP_WITHDRAW && j->op != OP_RESTORE)
		rc = check_routes(j, g, index, v, n);
	goto out;
fail:
	zf_edge_gear_name(j->c->rt->lab, g, index, where, sizeof(where));
	snprintf(j->c->err, sizeof(j->c->err), "%s: routes: %s%s%s", where,
		 strerror(-rc), nl && *zf_nl_errmsg(nl) ? ": " : "",
		 nl ? zf_nl_errmsg(nl) : "");
out:
	free(v);
	zf_nl_close(nl);
	return rc;
}

/* OP on every namespace the fault touches: backbone and internet for
 * regions, region routers for zones. */
static int run(struct zf_fctx *c, const struct zf_fault *f, enum route_op op)
{
	const struct zf_lab *lab = c->rt->lab;
	struct route_job j = { .c = c, .s = &f->sel, .op = op };
	int rc;

	withdraw_type(f->args, &j.type);
	j.mask = zf_xcalloc(lab->n_zones + 1, 1);
	rc = run_ns(&j, ZF_GEAR_BACKBONE, 0);
	if (rc == 0)
		rc = run_ns(&j, ZF_GEAR_INTERNET, 0);
	for (size_t r = 0; rc == 0 && r < lab->n_regions; r++)
		rc = run_ns(&j, ZF_GEAR_REGION, r);
	free(j.mask);
	return rc;
}

/* Only zones and regions have prefixes to withdraw: -EINVAL with c->err
 * naming the first host or client selected on its own. */
static int check_targets(struct zf_fctx *c, const struct zf_fault *f)
{
	const struct zf_lab *lab = c->rt->lab;

	for (size_t h = 0; h < lab->n_hosts; h++) {
		if (f->sel.hosts[h] && !zf_edge_host_in_unit(lab, &f->sel, h)) {
			snprintf(c->err, sizeof(c->err), "routes are withdrawn for zones "
				 "and regions; %s %s is neither", lab->hosts[h].is_client ?
				 "client" : "host", lab->hosts[h].name);
			return -EINVAL;
		}
	}
	return 0;
}

static int check_withdraw(struct zf_fctx *c, const struct zf_fault *f)
{
	enum zf_route_type t;

	if (withdraw_type(f->args, &t) < 0) {
		snprintf(c->err, sizeof(c->err), "unexpected argument '%s' (expected "
			 "'unreachable' or 'blackhole')", f->args);
		return -EINVAL;
	}
	return check_targets(c, f);
}

static int check_restore(struct zf_fctx *c, const struct zf_fault *f)
{
	if (f->args[0]) {
		snprintf(c->err, sizeof(c->err), "unexpected argument '%s'", f->args);
		return -EINVAL;
	}
	return check_targets(c, f);
}

static int apply_withdraw(struct zf_fctx *c, const struct zf_fault *f)
{
	int rc = run(c, f, OP_PRECHECK);

	return rc < 0 ? rc : run(c, f, OP_WITHDRAW);
}

static int apply_restore(struct zf_fctx *c, const struct zf_fault *f)
{
	return run(c, f, OP_RESTORE);
}

static int verify_withdraw(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	return run(c, f, applied ? OP_IS_WITHDRAWN : OP_IS_RESTORED);
}

static int verify_restore(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	return applied ? run(c, f, OP_IS_RESTORED) : 0;
}

const struct zf_fault_kind zf_fault_route_withdraw = {
	.name = "route-withdraw",
	.usage = "route-withdraw ZONES|REGIONS [unreachable|blackhole]",
	.summary = "the prefixes vanish from the routers around them (BGP withdrawal)",
	.check = check_withdraw,
	.apply = apply_withdraw,
	.revert = apply_restore,
	.verify = verify_withdraw,
};

const struct zf_fault_kind zf_fault_route_restore = {
	.name = "route-restore",
	.usage = "route-restore ZONES|REGIONS",
	.summary = "announce the prefixes again (ends route-withdraw)",
	.ends = "route-withdraw",
	.check = check_restore,
	.apply = apply_restore,
	.verify = verify_restore,
};
