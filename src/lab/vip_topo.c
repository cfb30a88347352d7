/* vip_topo.c - the VIP segments: built at `up`, their ports switched by
 * power (vip.h has the shape). */
#include "lab/vip.h"
#include "lab/vip_priv.h"
#include "util/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int zf_vip_host_ifindex(const struct zf_lab *lab, size_t v, size_t m)
{
	size_t host = lab->vips[v].members[m];
	int k = 0;

	for (size_t i = 0; i < v; i++)
		for (size_t j = 0; j < lab->vips[i].n_members; j++)
			k += lab->vips[i].members[j] == host;
	return ZF_IF_VIP_HOST + k;
}

int zf_vip_host_ifname(const struct zf_lab *lab, size_t v, size_t m, char *buf,
		       size_t len)
{
	return zf_fmt(buf, len, "vip%d", zf_vip_host_ifindex(lab, v, m) - ZF_IF_VIP_HOST);
}

int zf_vip_port_ifindex(size_t v, size_t m)
{
	return ZF_IF_VIP_PORT + 16 * (int)v + (int)m;
}

/* Queue every member's veth pair: "vip<k>" in the host, "vp<v>.<m>" in
 * the region router. */
static int queue_veths(const struct zf_labrt *rt, const struct zf_topo *t,
		       struct zf_nl *nl)
{
	const struct zf_lab *lab = rt->lab;
	char name[16], port[16];
	int rc = 0;

	for (size_t v = 0; rc == 0 && v < lab->n_vips; v++) {
		const struct zf_vip *vip = &lab->vips[v];
		for (size_t m = 0; rc == 0 && m < vip->n_members; m++) {
			zf_vip_host_ifname(lab, v, m, name, sizeof(name));
			zf_fmt(port, sizeof(port), "vp%zu.%zu", v, m);
			rc = zf_nl_veth(nl, name, zf_vip_host_ifindex(lab, v, m),
					t->host[vip->members[m]], port,
					zf_vip_port_ifindex(v, m), t->region[vip->region]);
		}
	}
	return rc;
}

/* In region router R: each of its VIPs' bridge, gateway address and ports. */
static int queue_region(const struct zf_labrt *rt, size_t r, struct zf_nl *nl)
{
	const struct zf_lab *lab = rt->lab;
	char name[16];
	int rc = 0;

	for (size_t v = 0; rc == 0 && v < lab->n_vips; v++) {
		const struct zf_vip *vip = &lab->vips[v];
		int br = ZF_IF_VIP_BRIDGE + (int)v;
		if (vip->region != r)
			continue;
		zf_fmt(name, sizeof(name), "v-%s", vip->name);
		rc = zf_vipnl_bridge(nl, name, br);
		if (rc == 0)
			rc = zf_nl_addr(nl, br, zf_plan_vip_gw(&rt->plan, v), ZF_PLAN_VIP_PLEN);
		if (rc == 0)
			rc = zf_nl_link_set(nl, br, 1);
		for (size_t m = 0; rc == 0 && m < vip->n_members; m++)
			rc = zf_vipnl_enslave(nl, zf_vip_port_ifindex(v, m), br);
	}
	return rc;
}

/* In member M of VIP V: interface up with the member's address, the
 * source rule and table that send the segment's replies back through it,
 * and the VIP's address when zonefall places it there. */
static int queue_member(const struct zf_labrt *rt, size_t v, size_t m,
			struct zf_nl *nl)
{
	const struct zf_vip *vip = &rt->lab->vips[v];
	const struct zf_plan *p = &rt->plan;
	int ifi = zf_vip_host_ifindex(rt->lab, v, m);
	uint32_t k = (uint32_t)(ifi - ZF_IF_VIP_HOST);
	int rc = zf_nl_link_set(nl, ifi, 1);

	if (rc == 0)
		rc = zf_nl_addr(nl, ifi, zf_plan_vip_member(p, v, m), ZF_PLAN_VIP_PLEN);
	if (rc == 0)
		rc = zf_vipnl_rule(nl, zf_plan_vip_net(p, v), ZF_PLAN_VIP_PLEN,
				   ZF_VIP_TABLE_BASE + k, ZF_VIP_RULE_PRIO_BASE + k);
	if (rc == 0)
		rc = zf_vipnl_table_route(nl, p->block, p->block_len,
					  zf_plan_vip_gw(p, v), ifi, ZF_VIP_TABLE_BASE + k);
	if (rc == 0 && vip->manager == ZF_VIP_ZONEFALL && m == vip->owner)
		rc = zf_nl_addr(nl, ifi, zf_plan_vip_addr(p, v, 0), 32);
	return rc;
}

/* Backbone or internet (NS): each VIP's /28 towards its region. */
static int queue_core(const struct zf_labrt *rt, enum zf_gear g, struct zf_nl *nl)
{
	const struct zf_plan *p = &rt->plan;
	uint32_t self = zf_plan_gear_id(p, g, 0);
	int rc = 0;

	for (size_t v = 0; rc == 0 && v < rt->lab->n_vips; v++) {
		size_t r = rt->lab->vips[v].region;
		struct zf_route route = {
			.dst = zf_plan_vip_net(p, v), .plen = ZF_PLAN_VIP_PLEN,
			.gw = zf_plan_gear_id(p, ZF_GEAR_REGION, r),
			.ifindex = ZF_IF_BASE + (int)r, .src = self,
		};
		rc = zf_nl_route(nl, &route, 1);
	}
	return rc;
}

/* Open a route socket in namespace NS, let FN queue requests (A and B are
 * its arguments), commit them. 0, or a negative errno with ERR naming WHAT
 * and the kernel's explanation. */
typedef int (*queue_fn)(const struct zf_labrt *rt, size_t a, size_t b,
			struct zf_nl *nl);

static int commit_in(const struct zf_labrt *rt, int ns, queue_fn fn, size_t a,
		     size_t b, const char *what, char *err, size_t errlen)
{
	struct zf_nl *nl = NULL;
	size_t failed = 0;
	int rc = zf_nl_open(ns, &nl);

	if (rc == 0)
		rc = fn(rt, a, b, nl);
	if (rc == 0)
		rc = zf_nl_commit(nl, &failed);
	if (rc < 0)
		snprintf(err, errlen, "VIP segments: %s (request #%zu): %s%s%s", what,
			 failed, strerror(-rc), nl && *zf_nl_errmsg(nl) ? ": " : "",
			 nl ? zf_nl_errmsg(nl) : "");
	zf_nl_close(nl);
	return rc;
}

static int fn_region(const struct zf_labrt *rt, size_t r, size_t b, struct zf_nl *nl)
{
	(void)b;
	return queue_region(rt, r, nl);
}

static int fn_member(const struct zf_labrt *rt, size_t v, size_t m, struct zf_nl *nl)
{
	return queue_member(rt, v, m, nl);
}

static int fn_core(const struct zf_labrt *rt, size_t g, size_t b, struct zf_nl *nl)
{
	(void)b;
	return queue_core(rt, (enum zf_gear)g, nl);
}

/* Every member's veth pair, created in its two namespaces in one batch
 * (through a socket of our own namespace: the pair never passes by it). */
static int make_veths(const struct zf_labrt *rt, const struct zf_topo *t,
		      char *err, size_t errlen)
{
	struct zf_nl *nl = NULL;
	size_t failed = 0;
	int rc = zf_nl_open(-1, &nl);

	if (rc == 0)
		rc = queue_veths(rt, t, nl);
	if (rc == 0)
		rc = zf_nl_commit(nl, &failed);
	if (rc < 0)
		snprintf(err, errlen, "VIP segments: veth pair #%zu: %s", failed,
			 strerror(-rc));
	zf_nl_close(nl);
	return rc;
}

int zf_vip_build(const struct zf_labrt *rt, const struct zf_topo *t, char *err,
		 size_t errlen)
{
	const struct zf_lab *lab = rt->lab;
	int rc;

	if (!lab->n_vips)
		return 0;   /* labs without VIPs pay nothing */
	rc = make_veths(rt, t, err, errlen);
	for (size_t r = 0; rc == 0 && r < lab->n_regions; r++)
		rc = commit_in(rt, t->region[r], fn_region, r, 0, lab->regions[r].name,
			       err, errlen);
	for (size_t v = 0; rc == 0 && v < lab->n_vips; v++)
		for (size_t m = 0; rc == 0 && m < lab->vips[v].n_members; m++)
			rc = commit_in(rt, t->host[lab->vips[v].members[m]], fn_member, v,
				       m, lab->hosts[lab->vips[v].members[m]].name, err,
				       errlen);
	if (rc == 0)
		rc = commit_in(rt, t->backbone, fn_core, ZF_GEAR_BACKBONE, 0,
			       "backbone", err, errlen);
	if (rc == 0)
		rc = commit_in(rt, t->internet, fn_core, ZF_GEAR_INTERNET, 0,
			       "internet", err, errlen);
	return rc;
}

/* Drop VIP V's addresses from member M (a powered-off keepalived member). */
static int drop_addrs(const struct zf_labrt *rt, const struct zf_topo *t,
		      size_t v, size_t m, char *err, size_t errlen)
{
	int ns = t->host[rt->lab->vips[v].members[m]];
	int ifi = zf_vip_host_ifindex(rt->lab, v, m);
	uint32_t have[ZF_VIP_ADDRS_MAX];
	struct zf_nl *nl = NULL;
	size_t n = 0;
	int rc = zf_vipnl_addrs(ns, ifi, have, ZF_VIP_ADDRS_MAX, &n);

	if (rc == 0)
		rc = zf_nl_open(ns, &nl);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (have[i] == zf_plan_vip_addr(&rt->plan, v, 0) ||
		    have[i] == zf_plan_vip_addr(&rt->plan, v, 1))
			rc = zf_vipnl_addr_del(nl, ifi, have[i], 32);
	if (rc == 0)
		rc = zf_nl_commit(nl, NULL);
	zf_nl_close(nl);
	if (rc < 0)
		snprintf(err, errlen, "VIP %s: dropping its address from %s: %s",
			 rt->lab->vips[v].name, rt->lab->hosts[rt->lab->vips[v].members[m]].name,
			 strerror(-rc));
	return rc;
}

/* The ports of region R's VIP members among HOSTS, down or up. */
static int power_region(const struct zf_labrt *rt, const struct zf_topo *t,
			size_t r, const unsigned char *hosts, int on, char *err,
			size_t errlen)
{
	const struct zf_lab *lab = rt->lab;
	struct zf_nl *nl = NULL;
	int rc = zf_nl_open(t->region[r], &nl);

	/* ports of unselected members are left as they are */
	for (size_t v = 0; rc == 0 && v < lab->n_vips; v++) {
		if (lab->vips[v].region != r)
			continue;
		for (size_t m = 0; rc == 0 && m < lab->vips[v].n_members; m++)
			if (hosts[lab->vips[v].members[m]])
				rc = zf_nl_link_set(nl, zf_vip_port_ifindex(v, m), on);
	}
	if (rc == 0)
		rc = zf_nl_commit(nl, NULL);
	zf_nl_close(nl);
	if (rc < 0)
		snprintf(err, errlen, "VIP ports in region %s: %s", lab->regions[r].name,
			 strerror(-rc));
	return rc;
}

int zf_vip_power(const struct zf_labrt *rt, const struct zf_topo *t,
		 const unsigned char *hosts, int on, char *err, size_t errlen)
{
	const struct zf_lab *lab = rt->lab;
	int rc = 0;

	if (!lab->n_vips)
		return 0;
	for (size_t r = 0; rc == 0 && r < lab->n_regions; r++)
		rc = power_region(rt, t, r, hosts, on, err, errlen);
	for (size_t v = 0; rc == 0 && !on && v < lab->n_vips; v++) {
		if (lab->vips[v].manager != ZF_VIP_KEEPALIVED)
			continue;
		for (size_t m = 0; rc == 0 && m < lab->vips[v].n_members; m++)
			if (hosts[lab->vips[v].members[m]])
				rc = drop_addrs(rt, t, v, m, err, errlen);
	}
	return rc;
}
