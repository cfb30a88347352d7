#include "lab/topo.h"
#include "lab/netns.h"
#include "lab/nft.h"
#include "lab/nl.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#define IF_UP ZF_IF_UP          /* zone "up", host/client "eth0", region "bb" */
#define IF_INET ZF_IF_INET        /* region "inet" */
#define IF_BASE ZF_IF_BASE       /* zone "h<k>", region "z<j>", bb/inet "r<r>" */
#define IF_CLIENT ZF_IF_CLIENT   /* inet "c<k>" */

/* Each namespace of the lab: its name and where its fd goes. */
typedef int (*ns_fn)(const char *name, int *fd, void *ctx);

static int for_each_ns(const struct zf_labrt *rt, struct zf_topo *t, ns_fn fn,
		       void *ctx)
{
	const struct zf_lab *lab = rt->lab;
	char name[ZF_NETNS_NAME_MAX];
	int rc = 0;

	zf_plan_ns_gear(lab, ZF_GEAR_BACKBONE, 0, name, sizeof(name));
	rc = fn(name, &t->backbone, ctx);
	zf_plan_ns_gear(lab, ZF_GEAR_INTERNET, 0, name, sizeof(name));
	if (rc == 0)
		rc = fn(name, &t->internet, ctx);
	for (size_t r = 0; rc == 0 && r < lab->n_regions; r++) {
		zf_plan_ns_gear(lab, ZF_GEAR_REGION, r, name, sizeof(name));
		rc = fn(name, &t->region[r], ctx);
	}
	for (size_t z = 0; rc == 0 && z < lab->n_zones; z++) {
		zf_plan_ns_gear(lab, ZF_GEAR_ZONE, z, name, sizeof(name));
		rc = fn(name, &t->zone[z], ctx);
	}
	for (size_t h = 0; rc == 0 && h < lab->n_hosts; h++) {
		zf_plan_ns_host(lab, h, name, sizeof(name));
		rc = fn(name, &t->host[h], ctx);
	}
	return rc;
}

static void topo_alloc(const struct zf_labrt *rt, struct zf_topo *t)
{
	const struct zf_lab *lab = rt->lab;

	t->host = zf_xmalloc(lab->n_hosts * sizeof(int));
	t->zone = zf_xmalloc(lab->n_zones * sizeof(int));
	t->region = zf_xmalloc(lab->n_regions * sizeof(int));
	memset(t->host, -1, lab->n_hosts * sizeof(int));
	memset(t->zone, -1, lab->n_zones * sizeof(int));
	memset(t->region, -1, lab->n_regions * sizeof(int));
	t->backbone = t->internet = -1;
}

static int record_one(const char *name, int *fd, void *ctx)
{
	(void)fd;
	zf_inv_add(ctx, ZF_INV_NETNS, name);
	return 0;
}

void zf_topo_record(const struct zf_labrt *rt, struct zf_inv *inv)
{
	struct zf_topo t = { 0 };

	topo_alloc(rt, &t);
	for_each_ns(rt, &t, record_one, inv);
	zf_topo_close(rt, &t);
}

struct create_ctx {
	int made_mount;
	const char *failed;
};

static int create_one(const char *name, int *fd, void *vctx)
{
	struct create_ctx *c = vctx;
	int made = 0, rc = zf_netns_create(name, fd, &made);

	if (made)
		c->made_mount = 1;
	if (rc < 0)
		c->failed = name;
	return rc;
}

int zf_topo_create_netns(const struct zf_labrt *rt, struct zf_topo *t,
			 int *made_mount, char *err, size_t errlen)
{
	struct create_ctx c = { 0 };
	int rc;

	topo_alloc(rt, t);
	rc = for_each_ns(rt, t, create_one, &c);
	*made_mount = c.made_mount;
	if (rc < 0)
		snprintf(err, errlen, "creating network namespace %s: %s", c.failed,
			 rc == -EEXIST ? "it already exists (not ours: nothing was changed)"
				       : strerror(-rc));
	return rc;
}

static int open_one(const char *name, int *fd, void *ctx)
{
	int rc = zf_netns_open(name, fd);

	if (rc < 0)
		*(const char **)ctx = name;
	return rc;
}

int zf_topo_open(const struct zf_labrt *rt, struct zf_topo *t, char *err,
		 size_t errlen)
{
	const char *failed = NULL;
	int rc;

	topo_alloc(rt, t);
	rc = for_each_ns(rt, t, open_one, &failed);
	if (rc < 0) {
		snprintf(err, errlen, "network namespace %s: %s", failed, strerror(-rc));
		zf_topo_close(rt, t);
	}
	return rc;
}

static int close_one(const char *name, int *fd, void *ctx)
{
	(void)name;
	(void)ctx;
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	return 0;
}

void zf_topo_close(const struct zf_labrt *rt, struct zf_topo *t)
{
	if (t->host)
		for_each_ns(rt, t, close_one, NULL);
	free(t->host);
	free(t->zone);
	free(t->region);
	memset(t, 0, sizeof(*t));
}

int zf_topo_gear_fd(const struct zf_topo *t, int g, size_t index)
{
	switch ((enum zf_gear)g) {
	case ZF_GEAR_ZONE: return t->zone[index];
	case ZF_GEAR_REGION: return t->region[index];
	case ZF_GEAR_BACKBONE: return t->backbone;
	case ZF_GEAR_INTERNET: return t->internet;
	}
	return -1;
}

/* Local index of zone Z among the zones of its region. */
static int zone_local_index(const struct zf_lab *lab, size_t z)
{
	int j = 0;

	for (size_t i = 0; i < z; i++)
		if (lab->zones[i].region == lab->zones[z].region)
			j++;
	return j;
}

static int queue_links(const struct zf_labrt *rt, const struct zf_topo *t,
		       struct zf_nl *nl)
{
	const struct zf_lab *lab = rt->lab;
	char a[16], b[24];
	int rc = 0;

	for (size_t h = 0; rc == 0 && h < lab->n_hosts; h++) {
		int slot = rt->plan.host_slot[h], client = lab->hosts[h].is_client;
		snprintf(b, sizeof(b), "%c%d", client ? 'c' : 'h', slot);
		rc = zf_nl_veth(nl, "eth0", IF_UP, t->host[h], b,
				(client ? IF_CLIENT : IF_BASE) + slot,
				client ? t->internet : t->zone[lab->hosts[h].zone]);
	}
	for (size_t z = 0; rc == 0 && z < lab->n_zones; z++) {
		int j = zone_local_index(lab, z);
		snprintf(b, sizeof(b), "z%d", j);
		rc = zf_nl_veth(nl, "up", IF_UP, t->zone[z], b, IF_BASE + j,
				t->region[lab->zones[z].region]);
	}
	for (size_t r = 0; rc == 0 && r < lab->n_regions; r++) {
		snprintf(a, sizeof(a), "r%u", (unsigned)(r & 0xffff));
		rc = zf_nl_veth(nl, "bb", IF_UP, t->region[r], a, IF_BASE + (int)r,
				t->backbone);
		if (rc == 0)
			rc = zf_nl_veth(nl, "inet", IF_INET, t->region[r], a,
					IF_BASE + (int)r, t->internet);
	}
	return rc;
}

int zf_topo_links(const struct zf_labrt *rt, const struct zf_topo *t, char *err,
		  size_t errlen)
{
	struct zf_nl *nl;
	size_t failed = 0;
	int rc = zf_nl_open(-1, &nl);

	if (rc < 0) {
		snprintf(err, errlen, "netlink: %s", strerror(-rc));
		return rc;
	}
	rc = queue_links(rt, t, nl);
	if (rc == 0)
		rc = zf_nl_commit(nl, &failed);
	if (rc < 0)
		snprintf(err, errlen, "creating veth link #%zu: %s", failed, strerror(-rc));
	zf_nl_close(nl);
	return rc;
}

size_t zf_topo_zone_port(const struct zf_lab *lab, size_t z)
{
	size_t j = 0;

	for (size_t i = 0; i < z; i++)
		j += lab->zones[i].region == lab->zones[z].region;
	return j;
}
