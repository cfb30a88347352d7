/* power.c - power-off and power-on of hosts, zones and regions.
 *
 * Power-off first makes the targets dark on the network gear around them
 * (their addresses, or a zone's whole subnet, go into the gear's drop sets
 * in one nftables transaction per piece of gear), so that neither the RSTs
 * of dying sockets nor any later reply ever leaves: peers see silence and
 * time out, as with real dead hardware. Then every host's PID-1 is killed,
 * which makes the kernel kill every process of its PID namespace at once.
 * Power-on is the reverse: gear back on, then each host's init boots and
 * starts its services by policy. Data directories are untouched. */
#include "fault/kinds.h"
#include "lab/host.h"
#include "lab/labdns.h"
#include "lab/nft.h"
#include "lab/vip.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KILL_TIMEOUT_NS (5 * ZF_NS_PER_S)

static int check_power(struct zf_fctx *c, const struct zf_fault *f)
{
	if (f->sel.kind == ZF_SEL_SERVICE) {
		snprintf(c->err, sizeof(c->err), "power faults act on hosts, clients, "
			 "zones, regions or the lab, not on services");
		return -EINVAL;
	}
	if (f->args[0]) {
		snprintf(c->err, sizeof(c->err), "unexpected argument '%s'", f->args);
		return -EINVAL;
	}
	return 0;
}

struct nftbuf {
	char *s;
	size_t len, cap;
};

static void nb_add(struct nftbuf *b, const char *set, const char *elem, int dark)
{
	char line[256];
	int n;

	/* add-then-delete makes removal of an absent element a no-op, so the
	 * transaction never fails on state it does not expect. */
	if (dark)
		n = snprintf(line, sizeof(line), "add element inet zonefall %s { %s }\n",
			     set, elem);
	else
		n = snprintf(line, sizeof(line), "add element inet zonefall %s { %s }\n"
			     "delete element inet zonefall %s { %s }\n", set, elem, set, elem);
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->s = zf_xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, line, (size_t)n + 1);
	b->len += (size_t)n;
}

static void subnet_text(uint32_t net, char *buf, size_t len)
{
	char ip[16];

	zf_ip_format(net, ip, sizeof(ip));
	snprintf(buf, len, "%s/24", ip);
}

/* Commands for one zone router: its subnet if the zone is selected, and
 * each selected host of the zone. */
static void zone_cmds(struct zf_fctx *c, const struct zf_selection *s, size_t z,
		      int dark, struct nftbuf *b)
{
	const struct zf_lab *lab = c->rt->lab;
	char text[32];

	if (s->zones[z]) {
		subnet_text(zf_plan_zone_subnet(&c->rt->plan, z), text, sizeof(text));
		nb_add(b, "dark_nets", text, dark);
	}
	for (size_t h = 0; h < lab->n_hosts; h++) {
		if (!s->hosts[h] || lab->hosts[h].is_client || (size_t)lab->hosts[h].zone != z)
			continue;
		zf_ip_format(c->rt->plan.host_ip[h], text, sizeof(text));
		nb_add(b, "dark_hosts", text, dark);
	}
}

static int run_nft(struct zf_fctx *c, int ns, struct nftbuf *b)
{
	int rc = 0;

	if (b->len)
		rc = zf_nft_run(ns, b->s, NULL, 0, c->err, sizeof(c->err));
	b->len = 0;
	return rc;
}

/* Darken (DARK=1) or light the selection on every piece of gear. */
static int set_dark(struct zf_fctx *c, const struct zf_selection *s, int dark)
{
	const struct zf_lab *lab = c->rt->lab;
	struct nftbuf b = { 0 };
	char text[32];
	int rc = zf_fctx_topo(c);

	for (size_t z = 0; rc == 0 && z < lab->n_zones; z++) {
		zone_cmds(c, s, z, dark, &b);
		rc = run_nft(c, c->topo.zone[z], &b);
	}
	for (size_t r = 0; rc == 0 && r < lab->n_regions; r++) {
		for (size_t z = 0; s->regions[r] && z < lab->n_zones; z++) {
			if ((size_t)lab->zones[z].region != r)
				continue;
			subnet_text(zf_plan_zone_subnet(&c->rt->plan, z), text, sizeof(text));
			nb_add(&b, "dark_nets", text, dark);
		}
		rc = run_nft(c, c->topo.region[r], &b);
	}
	for (size_t h = 0; rc == 0 && h < lab->n_hosts; h++) {
		if (s->hosts[h] && lab->hosts[h].is_client) {
			zf_ip_format(c->rt->plan.host_ip[h], text, sizeof(text));
			nb_add(&b, "dark_hosts", text, dark);
		}
	}
	if (rc == 0)
		rc = run_nft(c, c->topo.internet, &b);
	if (rc == 0)   /* VIP segments: the hosts' bridge ports */
		rc = zf_vip_power(c->rt, &c->topo, s->hosts, !dark, c->err, sizeof(c->err));
	free(b.s);
	return rc;
}

/* Kill every selected host's init at once, then make sure each host's
 * cgroup is empty (this also thaws a paused host so it can die). */
static int kill_hosts(struct zf_fctx *c, const struct zf_selection *s)
{
	const struct zf_labrt *rt = c->rt;
	char rel[256];
	int rc = 0;

	for (size_t h = 0; h < rt->lab->n_hosts; h++) {
		pid_t pid = s->hosts[h] ? zf_host_init_pid(rt, h) : 0;
		if (pid > 0)
			kill(pid, SIGKILL);
	}
	for (size_t h = 0; rc == 0 && h < rt->lab->n_hosts; h++) {
		if (!s->hosts[h])
			continue;
		zf_labrt_host_cg(rt, h, NULL, rel, sizeof(rel));
		rc = zf_cg_kill(&rt->cg, rel, KILL_TIMEOUT_NS);
		if (rc < 0)
			snprintf(c->err, sizeof(c->err), "host %s: processes survive: %s",
				 rt->lab->hosts[h].name, strerror(-rc));
	}
	return rc;
}

/* The lab's DNS learns which hosts are down (health-aware names). A DNS
 * server that cannot be told is a warning: the power change stands. */
static void tell_dns(struct zf_fctx *c)
{
	char err[256];

	if (zf_labdns_sync(c->rt, err, sizeof(err)) < 0)
		zf_warn("the lab's DNS does not know of the power change: %s", err);
}

static int power_off(struct zf_fctx *c, const struct zf_fault *f)
{
	int rc = set_dark(c, &f->sel, 1);

	if (rc == 0)
		rc = kill_hosts(c, &f->sel);
	tell_dns(c);
	return rc;
}

static int power_on(struct zf_fctx *c, const struct zf_fault *f)
{
	const struct zf_labrt *rt = c->rt;
	int rc = set_dark(c, &f->sel, 0);

	for (size_t h = 0; rc == 0 && h < rt->lab->n_hosts; h++) {
		if (!f->sel.hosts[h])
			continue;
		rc = zf_host_boot(rt, h, c->err, sizeof(c->err));
		if (rc == -EALREADY)
			rc = 0;
	}
	tell_dns(c);
	return rc;
}

/* Is TEXT listed in the output of "list set"? */
static int listed(const char *out, const char *text)
{
	size_t n = strlen(text);

	for (const char *p = strstr(out, text); p; p = strstr(p + 1, text)) {
		char before = p == out ? ' ' : p[-1], after = p[n];
		if ((before == ' ' || before == '{' || before == '\t') &&
		    (after == ',' || after == ' ' || after == '}' || after == '\n' || !after))
			return 1;
	}
	return 0;
}

static int verify_host(struct zf_fctx *c, size_t h, int off)
{
	const struct zf_labrt *rt = c->rt;
	const struct zf_host *host = &rt->lab->hosts[h];
	char out[65536], ip[16], rel[256];
	int ns = host->is_client ? c->topo.internet : c->topo.zone[host->zone];
	int rc = zf_nft_run(ns, "list set inet zonefall dark_hosts", out, sizeof(out),
			    c->err, sizeof(c->err));

	if (rc < 0)
		return rc;
	zf_ip_format(rt->plan.host_ip[h], ip, sizeof(ip));
	zf_labrt_host_cg(rt, h, NULL, rel, sizeof(rel));
	if (listed(out, ip) != off) {
		snprintf(c->err, sizeof(c->err), "host %s is %s on the network", host->name,
			 off ? "still visible" : "still dark");
		return -EIO;
	}
	if (off ? zf_cg_count(&rt->cg, rel) != 0 : !zf_host_init_pid(rt, h)) {
		snprintf(c->err, sizeof(c->err), "host %s: %s", host->name,
			 off ? "processes still running" : "its init is not running");
		return -EIO;
	}
	return 0;
}

static int verify_off(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	int rc = zf_fctx_topo(c);

	for (size_t h = 0; rc == 0 && h < c->rt->lab->n_hosts; h++)
		if (f->sel.hosts[h])
			rc = verify_host(c, h, applied);
	return rc;
}

static int verify_on(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	return applied ? verify_off(c, f, 0) : 0;
}

const struct zf_fault_kind zf_fault_power_off = {
	.name = "power-off",
	.usage = "power-off TARGET",
	.summary = "cut power: kill every process at once, silence on the network",
	.check = check_power,
	.apply = power_off,
	.revert = power_on,
	.verify = verify_off,
};

const struct zf_fault_kind zf_fault_power_on = {
	.name = "power-on",
	.usage = "power-on TARGET",
	.summary = "restore power: gear back, hosts boot, services start by policy",
	.ends = "power-off",
	.check = check_power,
	.apply = power_on,
	.verify = verify_on,
};
