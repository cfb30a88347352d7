/* net_gear.c - the gear namespaces of a fault context, opened one at a
 * time as faults need them (not the whole lab: the cost of a fault must
 * not grow with the number of hosts). nftables goes through the process's
 * cached libnftables contexts (nft.h): apply and verify share one, and
 * none is released inside a fault's timed work. */
#include "fault/fault.h"
#include "lab/netns.h"
#include "lab/nft.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct zf_fgear {
	size_t n;              /* zones, then regions, backbone, internet */
	int *fd;               /* -1: not open yet */
};

/* Slot of gear G/INDEX in the arrays, or -1 for a bad index. */
static long slot(const struct zf_lab *lab, int g, size_t index)
{
	switch ((enum zf_gear)g) {
	case ZF_GEAR_ZONE:
		return index < lab->n_zones ? (long)index : -1;
	case ZF_GEAR_REGION:
		return index < lab->n_regions ? (long)(lab->n_zones + index) : -1;
	case ZF_GEAR_BACKBONE:
		return (long)(lab->n_zones + lab->n_regions);
	case ZF_GEAR_INTERNET:
		return (long)(lab->n_zones + lab->n_regions + 1);
	}
	return -1;
}

static struct zf_fgear *gear_get(struct zf_fctx *c)
{
	const struct zf_lab *lab = c->rt->lab;

	if (!c->gear) {
		c->gear = zf_xcalloc(1, sizeof(*c->gear));
		c->gear->n = lab->n_zones + lab->n_regions + 2;
		c->gear->fd = zf_xmalloc(c->gear->n * sizeof(int));
		memset(c->gear->fd, -1, c->gear->n * sizeof(int));
	}
	return c->gear;
}

int zf_fctx_gear(struct zf_fctx *c, int g, size_t index)
{
	struct zf_fgear *gr = gear_get(c);
	long i = slot(c->rt->lab, g, index);
	char name[ZF_NETNS_NAME_MAX];
	int rc;

	if (i < 0)
		ZF_BUG("gear %d/%zu is not in the lab", g, index);
	if (gr->fd[i] >= 0)
		return gr->fd[i];
	zf_plan_ns_gear(c->rt->lab, (enum zf_gear)g, index, name, sizeof(name));
	rc = zf_netns_open(name, &gr->fd[i]);
	if (rc < 0) {
		gr->fd[i] = -1;
		snprintf(c->err, sizeof(c->err), "network namespace %s: %s", name,
			 strerror(-rc));
		return rc;
	}
	return gr->fd[i];
}

int zf_fctx_nft(struct zf_fctx *c, int g, size_t index, const char *cmds,
		char **out)
{
	struct zf_nft *nft;
	int fd = zf_fctx_gear(c, g, index), rc;

	if (fd < 0)
		return fd;
	rc = zf_nft_cached(fd, &nft, c->err, sizeof(c->err));
	if (rc < 0)
		return rc;
	return zf_nft_exec(nft, cmds, out, c->err, sizeof(c->err));
}

void zf_fctx_gear_close(struct zf_fctx *c)
{
	struct zf_fgear *gr = c->gear;

	if (!gr)
		return;
	for (size_t i = 0; i < gr->n; i++)
		if (gr->fd[i] >= 0)
			close(gr->fd[i]);
	free(gr->fd);
	free(gr);
	c->gear = NULL;
}
