/* vip_place.c - putting a zonefall VIP's address where its state says, and
 * checking where it is (vip.h). */
#include "lab/vip.h"
#include "lab/vip_priv.h"
#include "util/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int has(const uint32_t *v, size_t n, uint32_t a)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == a)
			return 1;
	return 0;
}

/* Member M of VIP V gets WANT (0: nothing) and loses the VIP's other
 * addresses, one batch in its namespace. */
static int place_member(const struct zf_labrt *rt, const struct zf_topo *t,
			size_t v, size_t m, uint32_t want)
{
	int ns = t->host[rt->lab->vips[v].members[m]];
	int ifi = zf_vip_host_ifindex(rt->lab, v, m);
	uint32_t have[ZF_VIP_ADDRS_MAX];
	struct zf_nl *nl = NULL;
	size_t n = 0;
	int rc = zf_vipnl_addrs(ns, ifi, have, ZF_VIP_ADDRS_MAX, &n);

	if (rc == 0)
		rc = zf_nl_open(ns, &nl);
	if (rc == 0 && want && !has(have, n, want))
		rc = zf_nl_addr(nl, ifi, want, 32);
	for (int second = 0; rc == 0 && second < 2; second++) {
		uint32_t a = zf_plan_vip_addr(&rt->plan, v, second);
		if (a != want && has(have, n, a))
			rc = zf_vipnl_addr_del(nl, ifi, a, 32);
	}
	if (rc == 0)
		rc = zf_nl_commit(nl, NULL);
	zf_nl_close(nl);
	return rc;
}

/* Forget the segment's neighbours: in the region router and each member. */
static int forget_neighbours(const struct zf_labrt *rt, const struct zf_topo *t,
			     size_t v)
{
	const struct zf_vip *vip = &rt->lab->vips[v];
	int rc = zf_nl_neigh_flush(t->region[vip->region], ZF_IF_VIP_BRIDGE + (int)v);

	for (size_t m = 0; rc == 0 && m < vip->n_members; m++)
		rc = zf_nl_neigh_flush(t->host[vip->members[m]],
				       zf_vip_host_ifindex(rt->lab, v, m));
	return rc;
}

int zf_vip_place(const struct zf_labrt *rt, const struct zf_topo *t, size_t v,
		 const struct zf_vip_state *st, char *err, size_t errlen)
{
	const struct zf_vip *vip = &rt->lab->vips[v];
	uint32_t addr = zf_vip_state_addr(rt, v, st);
	size_t m = st->owner;
	/* the new owner first, then the others: the gap is one flush */
	int rc = place_member(rt, t, v, m, addr);

	for (size_t i = 0; rc == 0 && i < vip->n_members; i++)
		if (i != st->owner)
			rc = place_member(rt, t, v, m = i, 0);
	if (rc == 0)
		rc = forget_neighbours(rt, t, v);
	if (rc < 0)
		snprintf(err, errlen, "VIP %s: placing its address on %s: %s", vip->name,
			 rt->lab->hosts[vip->members[m]].name, strerror(-rc));
	return rc;
}

int zf_vip_check(const struct zf_labrt *rt, const struct zf_topo *t, size_t v,
		 const struct zf_vip_state *st, char *err, size_t errlen)
{
	const struct zf_vip *vip = &rt->lab->vips[v];
	uint32_t want = zf_vip_state_addr(rt, v, st), have[ZF_VIP_ADDRS_MAX];
	char ip[16];

	for (size_t m = 0; m < vip->n_members; m++) {
		const char *host = rt->lab->hosts[vip->members[m]].name;
		size_t n = 0;
		int rc = zf_vipnl_addrs(t->host[vip->members[m]],
					zf_vip_host_ifindex(rt->lab, v, m), have,
					ZF_VIP_ADDRS_MAX, &n);
		if (rc < 0) {
			snprintf(err, errlen, "VIP %s: reading the addresses of %s: %s",
				 vip->name, host, strerror(-rc));
			return rc;
		}
		for (int second = 0; second < 2; second++) {
			uint32_t a = zf_plan_vip_addr(&rt->plan, v, second);
			int should = m == st->owner && a == want;
			if (has(have, n, a) == should)
				continue;
			zf_ip_format(a, ip, sizeof(ip));
			snprintf(err, errlen, "VIP %s: %s %s %s", vip->name, host,
				 should ? "does not hold" : "still holds", ip);
			return -EIO;
		}
	}
	return 0;
}
