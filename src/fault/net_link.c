/* net_link.c - link-down and link-up: a cable pulled in the gear.
 *
 *   host/client  its access link, at the zone router (internet for a
 *                client) - the switch port goes dark
 *   zone         its uplink, at the zone router
 *   region       its uplinks at the region router: backbone and internet,
 *                or only the one named in ARGS
 * Through netlink: "link set down", one batch per namespace. The kernel
 * deletes the routes through a link that goes down, so bringing it up also
 * puts back exactly the route the lab sent through it (net_wire.h). */
#include "fault/kinds.h"
#include "fault/net_edge.h"
#include "fault/net_wire.h"
#include "lab/netns.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum link_op { OP_PRECHECK, OP_DOWN, OP_UP, OP_IS_DOWN, OP_IS_UP };
enum { BOTH, BACKBONE, INTERNET };

struct link_job {
	struct zf_fctx *c;
	const struct zf_selection *s;
	int which;                  /* for regions: BOTH, BACKBONE, INTERNET */
	enum link_op op;
	struct zf_wire_link *v;     /* links of the current namespace */
	size_t n, cap;
};

static int which_links(const char *args)
{
	return !args[0] ? BOTH : !strcmp(args, "backbone") ? BACKBONE :
	       !strcmp(args, "internet") ? INTERNET : -1;
}

static struct zf_wire_link *push(struct link_job *j)
{
	if (j->n == j->cap) {
		j->cap = j->cap ? j->cap * 2 : 8;
		j->v = zf_xrealloc(j->v, j->cap * sizeof(*j->v));
	}
	return &j->v[j->n++];
}

/* The links of the selection in gear G/INDEX into J->v. */
static void ns_links(struct link_job *j, int g, size_t index)
{
	const struct zf_labrt *rt = j->c->rt;
	const struct zf_lab *lab = rt->lab;
	const struct zf_selection *s = j->s;

	j->n = 0;
	if (g == ZF_GEAR_REGION && s->regions[index]) {
		if (j->which != INTERNET)
			zf_wire_region_uplink(rt, index, 0, push(j));
		if (j->which != BACKBONE)
			zf_wire_region_uplink(rt, index, 1, push(j));
	}
	if (g == ZF_GEAR_ZONE && s->zones[index] && !s->regions[lab->zones[index].region])
		zf_wire_zone_uplink(rt, index, push(j));
	for (size_t h = 0; g != ZF_GEAR_REGION && h < lab->n_hosts; h++) {
		const struct zf_host *host = &lab->hosts[h];
		if (!s->hosts[h] || zf_edge_host_in_unit(lab, s, h) ||
		    (g == ZF_GEAR_INTERNET) != host->is_client ||
		    (g == ZF_GEAR_ZONE && (size_t)host->zone != index))
			continue;
		zf_wire_host_link(rt, h, push(j));
	}
}

/* The far end of L saw its carrier go: forget the neighbours it tried to
 * resolve meanwhile, or it would retry them only after up to a second. */
static int refresh_peer(struct link_job *j, const struct zf_wire_link *l)
{
	const struct zf_labrt *rt = j->c->rt;
	char name[ZF_NETNS_NAME_MAX];
	int fd, rc;

	if (l->peer_gear < 0)
		zf_plan_ns_host(rt->lab, l->peer_index, name, sizeof(name));
	else
		zf_plan_ns_gear(rt->lab, l->peer_gear, l->peer_index, name, sizeof(name));
	rc = zf_netns_open(name, &fd);
	if (rc == 0) {
		rc = zf_nl_neigh_flush(fd, l->peer_ifindex);
		close(fd);
	}
	if (rc < 0)
		snprintf(j->c->err, sizeof(j->c->err), "%s: neighbours of its far end: %s",
			 l->what, strerror(-rc));
	return rc;
}

/* Set the links of J->v down or (with their routes) up, in one batch
 * through NL. 0 or the first negative errno of the batch. */
static int change_links(struct link_job *j, struct zf_nl *nl)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < j->n; i++) {
		rc = zf_nl_link_set(nl, j->v[i].ifindex, j->op == OP_UP);
		/* Up first: an on-link gateway needs its device up. */
		if (rc == 0 && j->op == OP_UP)
			rc = zf_nl_route_replace(nl, &j->v[i].route);
	}
	return rc == 0 ? zf_nl_commit(nl, NULL) : rc;
}

/* How long a link that was set up may take to carry traffic. */
#define RUNNING_WAIT_NS (2 * ZF_NS_PER_S)

/* Link L as J->op expects, its flags being FLAGS and the namespace's
 * routes V (N)? Else the problem in c->err. */
static int check_link(struct link_job *j, const struct zf_wire_link *l,
		      unsigned int flags, const struct zf_route_entry *v, size_t n)
{
	const struct zf_route_entry *e;
	char text[96];
	int up = !!(flags & IFF_UP);

	if (j->op == OP_PRECHECK && !up) {
		snprintf(j->c->err, sizeof(j->c->err), "%s is down already", l->what);
		return -EALREADY;
	}
	if ((j->op == OP_IS_DOWN && up) || (j->op == OP_IS_UP && !up)) {
		snprintf(j->c->err, sizeof(j->c->err), "%s is still %s", l->what,
			 up ? "up" : "down");
		return -EIO;
	}
	if (j->op != OP_IS_UP)
		return 0;
	/* Up, but carrying traffic only once the kernel's link watch has
	 * activated it (IFF_RUNNING): until then packets are dropped. */
	if (!(flags & IFF_RUNNING)) {
		snprintf(j->c->err, sizeof(j->c->err), "%s is up but not running", l->what);
		return -EAGAIN;
	}
	e = zf_wire_find(v, n, l->route.dst, l->route.plen);
	if (!e || !zf_wire_route_is(e, &l->route)) {
		zf_wire_route_text(&l->route, text, sizeof(text));
		snprintf(j->c->err, sizeof(j->c->err), "%s is up but its route '%s' is "
			 "missing", l->what, text);
		return -EIO;
	}
	return 0;
}

/* Read the links of J->v (and for OP_IS_UP the routes) back through NL
 * and check them against J->op. */
static int check_links(struct link_job *j, struct zf_nl *nl)
{
	struct zf_route_entry *v = NULL;
	unsigned int flags;
	size_t n = 0;
	int rc = j->op == OP_IS_UP ? zf_nl_route_dump(nl, &v, &n) : 0;

	for (size_t i = 0; rc == 0 && i < j->n; i++) {
		rc = zf_nl_link_flags(nl, j->v[i].ifindex, &flags);
		if (rc < 0)
			snprintf(j->c->err, sizeof(j->c->err), "%s: %s", j->v[i].what,
				 strerror(-rc));
		else
			rc = check_link(j, &j->v[i], flags, v, n);
	}
	free(v);
	return rc;
}

/* J->op on the links of the selection in gear G/INDEX. */
static int run_ns(struct link_job *j, int g, size_t index)
{
	struct zf_nl *nl = NULL;
	char where[96];
	int fd, rc;

	ns_links(j, g, index);
	if (!j->n)
		return 0;
	fd = zf_fctx_gear(j->c, g, index);
	if (fd < 0)
		return fd;
	rc = zf_nl_open(fd, &nl);
	if (rc == 0 && (j->op == OP_DOWN || j->op == OP_UP)) {
		rc = change_links(j, nl);
		for (size_t i = 0; rc == 0 && j->op == OP_UP && i < j->n; i++)
			rc = refresh_peer(j, &j->v[i]);
		if (rc < 0) {
			zf_edge_gear_name(j->c->rt->lab, g, index, where, sizeof(where));
			snprintf(j->c->err, sizeof(j->c->err), "%s: links: %s%s%s", where,
				 strerror(-rc), *zf_nl_errmsg(nl) ? ": " : "",
				 zf_nl_errmsg(nl));
		}
	} else if (rc == 0) {
		uint64_t deadline = zf_now_ns() + RUNNING_WAIT_NS;
		while ((rc = check_links(j, nl)) == -EAGAIN && zf_now_ns() < deadline)
			zf_sleep_ns(ZF_NS_PER_MS);
	} else {
		snprintf(j->c->err, sizeof(j->c->err), "netlink: %s", strerror(-rc));
	}
	zf_nl_close(nl);
	return rc;
}

/* OP on every link of F's target, namespace by namespace: the internet,
 * the region routers, the zone routers. Stops at the first error. */
static int run(struct zf_fctx *c, const struct zf_fault *f, enum link_op op)
{
	const struct zf_lab *lab = c->rt->lab;
	struct link_job j = { .c = c, .s = &f->sel, .op = op,
			      .which = which_links(f->args) };
	int rc = run_ns(&j, ZF_GEAR_INTERNET, 0);

	for (size_t r = 0; rc == 0 && r < lab->n_regions; r++)
		rc = run_ns(&j, ZF_GEAR_REGION, r);
	for (size_t z = 0; rc == 0 && z < lab->n_zones; z++)
		rc = run_ns(&j, ZF_GEAR_ZONE, z);
	free(j.v);
	return rc;
}

static int check_link_args(struct zf_fctx *c, const struct zf_fault *f)
{
	int which = which_links(f->args);

	if (which < 0) {
		snprintf(c->err, sizeof(c->err), "unexpected argument '%s' (expected "
			 "'backbone' or 'internet', for regions)", f->args);
		return -EINVAL;
	}
	if (which != BOTH && f->sel.kind != ZF_SEL_REGION) {
		snprintf(c->err, sizeof(c->err), "'%s' names a region's uplink: the "
			 "target must be regions", f->args);
		return -EINVAL;
	}
	return 0;
}

static int apply_down(struct zf_fctx *c, const struct zf_fault *f)
{
	int rc = run(c, f, OP_PRECHECK);

	return rc < 0 ? rc : run(c, f, OP_DOWN);
}

static int apply_up(struct zf_fctx *c, const struct zf_fault *f)
{
	return run(c, f, OP_UP);
}

static int verify_down(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	return run(c, f, applied ? OP_IS_DOWN : OP_IS_UP);
}

static int verify_up(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	return applied ? run(c, f, OP_IS_UP) : 0;
}

const struct zf_fault_kind zf_fault_link_down = {
	.name = "link-down",
	.usage = "link-down TARGET [backbone|internet]",
	.summary = "pull a cable: host access link, zone uplink, region uplinks",
	.check = check_link_args,
	.apply = apply_down,
	.revert = apply_up,
	.verify = verify_down,
};

const struct zf_fault_kind zf_fault_link_up = {
	.name = "link-up",
	.usage = "link-up TARGET [backbone|internet]",
	.summary = "plug it back, with its routes (ends link-down)",
	.ends = "link-down",
	.check = check_link_args,
	.apply = apply_up,
	.verify = verify_up,
};
