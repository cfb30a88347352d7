/* res_cpu.c - CPU faults: cpu-throttle (the CPU quota of hosts, as thermal
 * throttling does) and cpu-hog (busy processes inside hosts).
 *
 * cpu-throttle sets the CFS bandwidth of each target host's cgroup (v1
 * cpu.cfs_quota_us per cpu.cfs_period_us, v2 cpu.max) to FACTOR CPUs per
 * 100 ms period; every process of the host, its services, `zonefall exec`
 * commands and hogs alike, shares that quota. The quota each host gets is
 * recomputed from the journal (res_limit.h): the tightest active throttle
 * wins, none means unlimited.
 *
 * cpu-hog starts N processes that spin in each target host, in its PID
 * namespace and in a cgroup leaf of the fault's own; revert kills the leaf.
 * A host powered off meanwhile took its hogs with it. */
#include "fault/inhost.h"
#include "fault/kinds.h"
#include "fault/res_limit.h"
#include "fault/resargs.h"
#include "lab/host.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PERIOD_US 100000ull

static int parse_milli(const char *args, unsigned long long *v, char *err,
		       size_t errlen)
{
	unsigned m;
	int rc = zf_resargs_cpu(args, &m, err, errlen);

	*v = m;
	return rc;
}

static int check_hosts(struct zf_fctx *c, const struct zf_fault *f)
{
	if (!f->sel.n_selected_hosts) {
		snprintf(c->err, sizeof(c->err), "no host selected");
		return -EINVAL;
	}
	return 0;
}

static int check_throttle(struct zf_fctx *c, const struct zf_fault *f)
{
	unsigned long long v;
	int rc = check_hosts(c, f);

	return rc < 0 ? rc : parse_milli(f->args, &v, c->err, sizeof(c->err));
}

/* Give every host of F the quota the journal asks for (without EXCLUDE). */
static int throttle_sync(struct zf_fctx *c, const struct zf_fault *f, const char *exclude)
{
	const struct zf_labrt *rt = c->rt;
	unsigned long long *w = NULL;
	char rel[256];
	int rc = zf_res_wanted(c, "cpu-throttle", exclude, parse_milli, &w);

	for (size_t h = 0; rc == 0 && h < rt->lab->n_hosts; h++) {
		if (!f->sel.hosts[h])
			continue;
		zf_labrt_host_cg(rt, h, NULL, rel, sizeof(rel));
		rc = zf_cg_cpu_max(&rt->cg, rel, w[h] * PERIOD_US / 1000, PERIOD_US);
		if (rc < 0)
			snprintf(c->err, sizeof(c->err), "setting the CPU quota of cgroup %s: %s",
				 rel, strerror(-rc));
	}
	free(w);
	return rc;
}

static int throttle_verify(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	const struct zf_labrt *rt = c->rt;
	unsigned long long *w = NULL, quota, period;
	char rel[256];
	int rc = zf_res_wanted(c, "cpu-throttle", applied ? NULL : f->id, parse_milli, &w);

	for (size_t h = 0; rc == 0 && h < rt->lab->n_hosts; h++) {
		if (!f->sel.hosts[h])
			continue;
		zf_labrt_host_cg(rt, h, NULL, rel, sizeof(rel));
		rc = zf_cg_cpu_max_get(&rt->cg, rel, &quota, &period);
		if (rc < 0) {
			snprintf(c->err, sizeof(c->err), "reading the CPU quota of cgroup %s: %s",
				 rel, strerror(-rc));
		} else if (quota != w[h] * PERIOD_US / 1000 || (quota && period != PERIOD_US)) {
			snprintf(c->err, sizeof(c->err), "host %s has a CPU quota of %llu us per "
				 "%llu us, not %llu", rt->lab->hosts[h].name, quota, period,
				 w[h] * PERIOD_US / 1000);
			rc = -EIO;
		}
	}
	free(w);
	return rc;
}

static int throttle_apply(struct zf_fctx *c, const struct zf_fault *f)
{
	return throttle_sync(c, f, NULL);
}

static int throttle_revert(struct zf_fctx *c, const struct zf_fault *f)
{
	return throttle_sync(c, f, f->id);
}

/* ---- cpu-hog ------------------------------------------------------- */

static int spin(void *arg, int ready_fd)
{
	volatile unsigned long n = 0;

	(void)arg;
	if (write(ready_fd, "", 1) != 1)
		return 1;
	close(ready_fd);
	for (;;)
		n++;
	return 0;
}

static int check_hog(struct zf_fctx *c, const struct zf_fault *f)
{
	unsigned n;
	int rc = check_hosts(c, f);

	return rc < 0 ? rc : zf_resargs_hogs(f->args, &n, c->err, sizeof(c->err));
}

/* Start N spinners in host H, in the fault's leaf. */
static int hog_host(struct zf_fctx *c, const struct zf_fault *f, size_t h, unsigned n)
{
	char rel[256];
	struct zf_inhost o = { .cg_rel = rel, .detach = 1, .name = "zf-cpu-hog",
			       .fn = spin };
	int rc, code = 0;

	if (!zf_host_init_pid(c->rt, h))
		return 0;   /* powered off: nothing runs there */
	rc = zf_res_leaf_make(c, h, f->id);
	zf_res_leaf(c->rt, h, f->id, rel, sizeof(rel));
	for (unsigned i = 0; rc == 0 && i < n; i++) {
		rc = zf_inhost_run(c->rt, h, &o, &code, c->err, sizeof(c->err));
		if (rc == 0 && code) {
			snprintf(c->err, sizeof(c->err), "host %s: a busy process died at once",
				 c->rt->lab->hosts[h].name);
			rc = -EIO;
		}
	}
	return rc;
}

static int hog_apply(struct zf_fctx *c, const struct zf_fault *f)
{
	unsigned n = 1;
	int rc = zf_resargs_hogs(f->args, &n, c->err, sizeof(c->err));

	for (size_t h = 0; rc == 0 && h < c->rt->lab->n_hosts; h++)
		if (f->sel.hosts[h])
			rc = hog_host(c, f, h, n);
	return rc;
}

static int hog_revert(struct zf_fctx *c, const struct zf_fault *f)
{
	int rc = 0, r;

	for (size_t h = 0; h < c->rt->lab->n_hosts; h++)
		if (f->sel.hosts[h] && (r = zf_res_leaf_remove(c, h, f->id)) < 0 && !rc)
			rc = r;
	return rc;
}

/* Applied: N processes in the leaf of every selected host that is on
 * (hosts powered off get none);
 * reverted: no leaf left. */
static int hog_verify(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	const struct zf_labrt *rt = c->rt;
	unsigned n = 1;
	char rel[256];

	zf_resargs_hogs(f->args, &n, c->err, sizeof(c->err));
	for (size_t h = 0; h < rt->lab->n_hosts; h++) {
		if (!f->sel.hosts[h])
			continue;
		zf_res_leaf(rt, h, f->id, rel, sizeof(rel));
		int got = zf_cg_count(&rt->cg, rel);
		int want = applied && zf_host_init_pid(rt, h) ? (int)n : 0;
		if (got != want) {
			snprintf(c->err, sizeof(c->err), "host %s: %d busy processes, not %d",
				 rt->lab->hosts[h].name, got, want);
			return -EIO;
		}
		if (!applied && zf_res_leaf_exists(rt, h, f->id)) {
			snprintf(c->err, sizeof(c->err), "cgroup %s is still there", rel);
			return -EIO;
		}
	}
	return 0;
}

const struct zf_fault_kind zf_fault_cpu_throttle = {
	.name = "cpu-throttle",
	.usage = "cpu-throttle TARGET FACTOR",
	.summary = "cap the hosts' CPU at FACTOR CPUs (0.25 or 25%: a quarter of one)",
	.check = check_throttle,
	.apply = throttle_apply,
	.revert = throttle_revert,
	.verify = throttle_verify,
};

const struct zf_fault_kind zf_fault_cpu_hog = {
	.name = "cpu-hog",
	.usage = "cpu-hog TARGET [N]",
	.summary = "N busy processes (default 1) inside each host, killed on revert",
	.check = check_hog,
	.apply = hog_apply,
	.revert = hog_revert,
	.verify = hog_verify,
};
