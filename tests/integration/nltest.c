/* nltest.c - driver for t_netlink.sh: builds and removes small topologies
 * with src/lab/netns.c and src/lab/nl.c alone (needs root).
 *
 *   nltest topo P           namespaces P-a, P-r, P-b; A <-> R <-> B routed
 *   nltest exists P         zf_netns_create("P-a") must fail with -EEXIST
 *   nltest down P           delete P-a, P-r, P-b (absent ones are fine)
 *   nltest bench-up P N     hub P-hub and N hosts P-hI, one veth each to
 *                           the hub, addresses and routes; prints timings
 *   nltest bench-down P N   delete them; prints timings
 *
 * Addresses are from 198.18.0.0/15 only (RFC 2544 benchmarking). Exit 0 on
 * success, 1 on failure (reported on stderr). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lab/netns.h"
#include "lab/nl.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

#define TOPO_A IP4(198, 18, 1, 10)
#define TOPO_RA IP4(198, 18, 1, 1)
#define TOPO_RB IP4(198, 18, 2, 1)
#define TOPO_B IP4(198, 18, 2, 10)
#define BENCH_HUB IP4(198, 18, 100, 1)
#define BENCH_HOST0 IP4(198, 18, 100, 10)
#define BENCH_MAX 20000

struct ns {
	char name[64];
	int fd;
};

struct link_cfg {
	int ifindex;
	uint32_t addr;
};

static double ms_since(uint64_t t0)
{
	return (double)(zf_now_ns() - t0) / (double)ZF_NS_PER_MS;
}

/* Create namespace PREFIX-SUFFIX into NS (fd open). */
static int ns_make(struct ns *ns, const char *prefix, const char *suffix)
{
	int ret;

	ns->fd = -1;
	ret = zf_fmt(ns->name, sizeof(ns->name), "%s-%s", prefix, suffix);
	if (ret == 0)
		ret = zf_netns_create(ns->name, &ns->fd, NULL);
	if (ret < 0)
		zf_error("create netns %s: %s", ns->name, strerror(-ret));
	return ret;
}

static void ns_close(struct ns *ns)
{
	if (ns->fd >= 0)
		close(ns->fd);
	ns->fd = -1;
}

/* Commit a batch that reports its failure with NAME and the kernel's
 * message. */
static int commit(struct zf_nl *nl, const char *name)
{
	size_t bad = 0;
	int ret = zf_nl_commit(nl, &bad);

	if (ret < 0)
		zf_error("%s: request %zu: %s (%s)", name, bad, strerror(-ret),
			 zf_nl_errmsg(nl));
	return ret;
}

/* One batch in namespace NS: lo and LINKS up with their /32 addresses,
 * then ROUTES (added). */
static int config_ns(const struct ns *ns, const struct link_cfg *links,
		     size_t nlinks, const struct zf_route *routes,
		     size_t nroutes)
{
	struct zf_nl *nl = NULL;
	size_t i;
	int ret;

	ret = zf_nl_open(ns->fd, &nl);
	if (ret < 0) {
		zf_error("netlink in %s: %s", ns->name, strerror(-ret));
		goto out;
	}
	ret = zf_nl_link_set(nl, 1, 1);
	for (i = 0; i < nlinks && ret == 0; i++) {
		ret = zf_nl_link_set(nl, links[i].ifindex, 1);
		if (ret == 0)
			ret = zf_nl_addr(nl, links[i].ifindex, links[i].addr, 32);
	}
	for (i = 0; i < nroutes && ret == 0; i++)
		ret = zf_nl_route(nl, &routes[i], 1);
	if (ret < 0)
		zf_error("queue for %s: %s", ns->name, strerror(-ret));
	else
		ret = commit(nl, ns->name);
out:
	zf_nl_close(nl);
	return ret;
}

/* Links, addresses and routes of the A - R - B topology. */
static int topo_config(const struct ns *a, const struct ns *r,
		       const struct ns *b)
{
	const struct link_cfg la[] = { { 2, TOPO_A } };
	const struct link_cfg lr[] = { { 2, TOPO_RA }, { 3, TOPO_RB } };
	const struct link_cfg lb[] = { { 2, TOPO_B } };
	const struct zf_route ra[] = {
		{ .gw = TOPO_RA, .ifindex = 2, .src = TOPO_A },
		{ .dst = IP4(198, 19, 0, 0), .plen = 16,
		  .type = ZF_ROUTE_UNREACHABLE },
	};
	const struct zf_route rr[] = {
		{ .dst = TOPO_A, .plen = 32, .ifindex = 2, .src = TOPO_RA },
		{ .dst = TOPO_B, .plen = 32, .ifindex = 3, .src = TOPO_RB },
	};
	const struct zf_route rb[] = {
		{ .gw = TOPO_RB, .ifindex = 2, .src = TOPO_B },
	};
	int ret;

	ret = config_ns(a, la, 1, ra, 2);
	if (ret == 0)
		ret = config_ns(r, lr, 2, rr, 2);
	if (ret == 0)
		ret = config_ns(b, lb, 1, rb, 1);
	if (ret == 0)
		ret = zf_netns_sysctl(r->fd, "net/ipv4/ip_forward", "1");
	if (ret < 0)
		zf_error("configure topology: %s", strerror(-ret));
	return ret;
}

/* Delete P-a, P-r, P-b (absent ones are fine); returns the first error. */
static int topo_delete(const char *prefix)
{
	static const char *const sfx[] = { "a", "r", "b" };
	char name[64];
	size_t i;
	int ret = 0, r;

	for (i = 0; i < 3; i++) {
		r = zf_fmt(name, sizeof(name), "%s-%s", prefix, sfx[i]);
		if (r == 0)
			r = zf_netns_delete(name);
		if (r < 0)
			zf_error("delete %s: %s", name, strerror(-r));
		if (r < 0 && ret == 0)
			ret = r;
	}
	return ret;
}

/* A <-> R <-> B: both veth pairs made from the caller's namespace, each end
 * directly in its namespace. On failure everything is removed. */
static int cmd_topo(const char *prefix)
{
	struct ns a = { .fd = -1 }, r = { .fd = -1 }, b = { .fd = -1 };
	struct zf_nl *root = NULL;
	int ret;

	ret = ns_make(&a, prefix, "a");
	if (ret == 0)
		ret = ns_make(&r, prefix, "r");
	if (ret == 0)
		ret = ns_make(&b, prefix, "b");
	if (ret < 0)
		goto out;
	ret = zf_nl_open(-1, &root);
	if (ret < 0)
		goto out;
	ret = zf_nl_veth(root, "eth0", 2, a.fd, "to-a", 2, r.fd);
	if (ret == 0)
		ret = zf_nl_veth(root, "eth0", 2, b.fd, "to-b", 3, r.fd);
	if (ret == 0)
		ret = commit(root, "veth");
	if (ret == 0)
		ret = topo_config(&a, &r, &b);
out:
	zf_nl_close(root);
	ns_close(&a);
	ns_close(&r);
	ns_close(&b);
	if (ret < 0)
		topo_delete(prefix);
	return ret;
}

/* Creating P-a again must fail with -EEXIST; returns 0 if it does. */
static int cmd_exists(const char *prefix)
{
	char name[64];
	int ret, fd = -1;

	ret = zf_fmt(name, sizeof(name), "%s-a", prefix);
	if (ret < 0)
		goto out;
	ret = zf_netns_create(name, &fd, NULL);
	if (ret == -EEXIST) {
		ret = 0;
		goto out;
	}
	zf_error("create existing %s gave %d (%s), expected -EEXIST", name,
		 ret, strerror(-ret));
	if (ret == 0)
		ret = -EPROTO;
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

/* The hub's batch: its N links up, its one address on each, a host route
 * to every host. */
static int bench_hub_config(const struct ns *hub, size_t n)
{
	struct link_cfg *links = zf_xcalloc(n, sizeof(*links));
	struct zf_route *routes = zf_xcalloc(n, sizeof(*routes));
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		links[i].ifindex = (int)i + 2;
		links[i].addr = BENCH_HUB;
		routes[i].dst = BENCH_HOST0 + (uint32_t)i;
		routes[i].plen = 32;
		routes[i].ifindex = (int)i + 2;
		routes[i].src = BENCH_HUB;
	}
	ret = config_ns(hub, links, n, routes, n);
	if (ret == 0)
		ret = zf_netns_sysctl(hub->fd, "net/ipv4/ip_forward", "1");
	free(links);
	free(routes);
	return ret;
}

/* Host I's batch: eth0 (index 2) up with its address, default route via
 * the hub's address, on link. */
static int bench_host_config(const struct ns *host, size_t i)
{
	const uint32_t addr = BENCH_HOST0 + (uint32_t)i;
	const struct link_cfg link = { 2, addr };
	const struct zf_route def = { .gw = BENCH_HUB, .ifindex = 2,
				      .src = addr };

	return config_ns(host, &link, 1, &def, 1);
}

/* Create namespaces HOSTS[0..N) (named PREFIX-hI) and queue their veth
 * pair to the hub on ROOT. */
static int bench_make_hosts(const char *prefix, struct ns *hosts, size_t n,
			    const struct ns *hub, struct zf_nl *root)
{
	char sfx[32], peer[16];
	size_t i;
	int ret = 0;

	for (i = 0; i < n && ret == 0; i++) {
		ret = zf_fmt(sfx, sizeof(sfx), "h%zu", i);
		if (ret == 0)
			ret = zf_fmt(peer, sizeof(peer), "h%zu", i);
		if (ret == 0)
			ret = ns_make(&hosts[i], prefix, sfx);
		if (ret == 0)
			ret = zf_nl_veth(root, "eth0", 2, hosts[i].fd, peer,
					 (int)i + 2, hub->fd);
	}
	return ret;
}

/* Delete PREFIX-h0 .. PREFIX-h(N-1) and PREFIX-hub; absent ones are fine.
 * Returns the first error. */
static int bench_delete(const char *prefix, size_t n)
{
	char name[64];
	size_t i;
	int ret = 0, r;

	for (i = 0; i <= n; i++) {
		if (i < n)
			r = zf_fmt(name, sizeof(name), "%s-h%zu", prefix, i);
		else
			r = zf_fmt(name, sizeof(name), "%s-hub", prefix);
		if (r == 0)
			r = zf_netns_delete(name);
		if (r < 0)
			zf_error("delete %s: %s", name, strerror(-r));
		if (r < 0 && ret == 0)
			ret = r;
	}
	return ret;
}

static void bench_report(size_t n, uint64_t t0, uint64_t t1, uint64_t t2)
{
	double all = ms_since(t0);

	printf("bench-up: %zu hosts in %.1f ms = %.3f ms/host "
	       "(netns %.1f ms, veth %.1f ms, addresses+routes %.1f ms)\n",
	       n, all, all / (double)n,
	       (double)(t1 - t0) / (double)ZF_NS_PER_MS,
	       (double)(t2 - t1) / (double)ZF_NS_PER_MS,
	       ms_since(t2));
}

/* A hub namespace and N host namespaces, each host with a veth to the hub
 * (created from this namespace, in one batch), then one batch per
 * namespace for links, addresses and routes. Removed again on failure. */
static int cmd_bench_up(const char *prefix, size_t n)
{
	struct ns hub = { .fd = -1 }, *hosts = zf_xcalloc(n, sizeof(*hosts));
	struct zf_nl *root = NULL;
	uint64_t t0 = zf_now_ns(), t1, t2 = 0;
	size_t i;
	int ret;

	for (i = 0; i < n; i++)
		hosts[i].fd = -1;
	ret = ns_make(&hub, prefix, "hub");
	if (ret == 0)
		ret = zf_nl_open(-1, &root);
	if (ret == 0)
		ret = bench_make_hosts(prefix, hosts, n, &hub, root);
	t1 = zf_now_ns();
	if (ret == 0)
		ret = commit(root, "veth");
	t2 = zf_now_ns();
	if (ret == 0)
		ret = bench_hub_config(&hub, n);
	for (i = 0; i < n && ret == 0; i++)
		ret = bench_host_config(&hosts[i], i);
	if (ret == 0)
		bench_report(n, t0, t1, t2);
	zf_nl_close(root);
	for (i = 0; i < n; i++)
		ns_close(&hosts[i]);
	ns_close(&hub);
	free(hosts);
	if (ret < 0)
		bench_delete(prefix, n);
	return ret;
}

static int cmd_bench_down(const char *prefix, size_t n)
{
	uint64_t t0 = zf_now_ns();
	int ret = bench_delete(prefix, n);
	double all = ms_since(t0);

	if (ret == 0)
		printf("bench-down: %zu hosts in %.1f ms = %.3f ms/host\n", n,
		       all, all / (double)n);
	return ret;
}

/* Every host holds an fd while the lab is built. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int parse_count(const char *s, size_t *n)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > BENCH_MAX)
		return -EINVAL;
	*n = v;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: nltest topo|exists|down PREFIX\n"
			"       nltest bench-up|bench-down PREFIX N\n");
	return 2;
}

int main(int argc, char **argv)
{
	size_t n = 0;
	int ret;

	if (argc < 3 || strlen(argv[2]) > 20)
		return usage();
	raise_nofile();
	if (argc == 3 && !strcmp(argv[1], "topo"))
		ret = cmd_topo(argv[2]);
	else if (argc == 3 && !strcmp(argv[1], "exists"))
		ret = cmd_exists(argv[2]);
	else if (argc == 3 && !strcmp(argv[1], "down"))
		ret = topo_delete(argv[2]);
	else if (argc == 4 && parse_count(argv[3], &n) == 0 &&
		 !strcmp(argv[1], "bench-up"))
		ret = cmd_bench_up(argv[2], n);
	else if (argc == 4 && parse_count(argv[3], &n) == 0 &&
		 !strcmp(argv[1], "bench-down"))
		ret = cmd_bench_down(argv[2], n);
	else
		return usage();
	return ret < 0 ? 1 : 0;
}
