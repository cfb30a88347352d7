/* res_mem.c - memory faults: mem-limit (the memory limit of hosts'
 * cgroups) and mem-hog (a process inside each host that holds SIZE of
 * memory).
 *
 * mem-limit writes v1 memory.limit_in_bytes or v2 memory.max of each target
 * host's cgroup; the limit a host gets is recomputed from the journal
 * (res_limit.h): the lowest active mem-limit wins, none means unlimited.
 * When the host's processes need more, the kernel reclaims, then its OOM
 * killer kills one of them inside the host, and restart policies react. A
 * limit below what the host uses now and cannot give back is refused by
 * cgroup v1 (-EBUSY); on v2 the OOM killer acts at once.
 *
 * mem-hog maps SIZE of anonymous memory in a process of the host (its PID
 * namespace, a cgroup leaf of the fault's own, charged to the host) and
 * writes to every page, so that it is really used; the process then
 * sleeps until revert kills it. */
#include "fault/inhost.h"
#include "fault/kinds.h"
#include "fault/res_limit.h"
#include "fault/resargs.h"
#include "lab/host.h"
#include "util/fsutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MIN_LIMIT (4ull << 20)
#define MAX_SIZE (1ull << 40)

static int parse_limit(const char *args, unsigned long long *v, char *err,
		       size_t errlen)
{
	return zf_resargs_size(args, MIN_LIMIT, MAX_SIZE, v, err, errlen);
}

static int check_limit(struct zf_fctx *c, const struct zf_fault *f)
{
	unsigned long long v;

	if (!f->sel.n_selected_hosts) {
		snprintf(c->err, sizeof(c->err), "no host selected");
		return -EINVAL;
	}
	return parse_limit(f->args, &v, c->err, sizeof(c->err));
}

static int limit_sync(struct zf_fctx *c, const struct zf_fault *f, const char *exclude)
{
	const struct zf_labrt *rt = c->rt;
	unsigned long long *w = NULL;
	char rel[256];
	int rc = zf_res_wanted(c, "mem-limit", exclude, parse_limit, &w);

	for (size_t h = 0; rc == 0 && h < rt->lab->n_hosts; h++) {
		if (!f->sel.hosts[h])
			continue;
		zf_labrt_host_cg(rt, h, NULL, rel, sizeof(rel));
		rc = zf_cg_mem_max(&rt->cg, rel, w[h]);
		if (rc == -EBUSY)
			snprintf(c->err, sizeof(c->err), "host %s uses more than %llu bytes "
				 "and the kernel cannot reclaim enough to go below", rt->lab->hosts[h].name,
				 w[h]);
		else if (rc < 0)
			snprintf(c->err, sizeof(c->err), "setting the memory limit of cgroup "
				 "%s: %s", rel, strerror(-rc));
	}
	free(w);
	return rc;
}

static int limit_verify(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	const struct zf_labrt *rt = c->rt;
	unsigned long long *w = NULL, got;
	char rel[256];
	int rc = zf_res_wanted(c, "mem-limit", applied ? NULL : f->id, parse_limit, &w);

	for (size_t h = 0; rc == 0 && h < rt->lab->n_hosts; h++) {
		if (!f->sel.hosts[h])
			continue;
		zf_labrt_host_cg(rt, h, NULL, rel, sizeof(rel));
		rc = zf_cg_mem_max_get(&rt->cg, rel, &got, NULL);
		if (rc < 0) {
			snprintf(c->err, sizeof(c->err), "reading the memory limit of cgroup "
				 "%s: %s", rel, strerror(-rc));
		} else if (got / 4096 != w[h] / 4096) {   /* the kernel rounds to pages */
			snprintf(c->err, sizeof(c->err), "host %s has a memory limit of %llu "
				 "bytes, not %llu", rt->lab->hosts[h].name, got, w[h]);
			rc = -EIO;
		}
	}
	free(w);
	return rc;
}

static int limit_apply(struct zf_fctx *c, const struct zf_fault *f)
{
	return limit_sync(c, f, NULL);
}

static int limit_revert(struct zf_fctx *c, const struct zf_fault *f)
{
	return limit_sync(c, f, f->id);
}

/* ---- mem-hog ------------------------------------------------------- */

/* MemAvailable of the machine in bytes, 0 if unknown. */
static unsigned long long mem_available(void)
{
	char *text = NULL, *p;
	unsigned long long kb = 0;

	if (zf_read_file("/proc/meminfo", 1 << 16, &text, NULL) < 0)
		return 0;
	p = strstr(text, "MemAvailable:");
	if (p)
		kb = strtoull(p + strlen("MemAvailable:"), NULL, 10);
	free(text);
	return kb * 1024;
}

static int check_hog(struct zf_fctx *c, const struct zf_fault *f)
{
	unsigned long long size, avail;
	int rc = check_limit(c, f);

	if (rc < 0)
		return rc;
	zf_resargs_size(f->args, MIN_LIMIT, MAX_SIZE, &size, c->err, sizeof(c->err));
	avail = mem_available();
	if (avail && size * f->sel.n_selected_hosts > avail / 10 * 8) {
		snprintf(c->err, sizeof(c->err), "%llu bytes in each of %zu hosts is more "
			 "than 80%% of the machine's available memory (%llu bytes)", size,
			 f->sel.n_selected_hosts, avail);
		return -EINVAL;
	}
	return 0;
}

/* In the host: map SIZE, write to every page, say ready, sleep. */
static int hold_memory(void *arg, int ready_fd)
{
	size_t size = *(const size_t *)arg, page = 4096;
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return 1;
	for (size_t i = 0; i < size; i += page)
		p[i] = 1;
	if (write(ready_fd, "", 1) != 1)
		return 1;
	close(ready_fd);
	for (;;)
		pause();
	return 0;
}

static int hog_host(struct zf_fctx *c, const struct zf_fault *f, size_t h, size_t size)
{
	char rel[256];
	struct zf_inhost o = { .cg_rel = rel, .detach = 1, .name = "zf-mem-hog",
			       .fn = hold_memory, .arg = &size };
	int rc, code = 0;

	if (!zf_host_init_pid(c->rt, h))
		return 0;   /* powered off: nothing runs there */
	rc = zf_res_leaf_make(c, h, f->id);
	zf_res_leaf(c->rt, h, f->id, rel, sizeof(rel));
	if (rc == 0)
		rc = zf_inhost_run(c->rt, h, &o, &code, c->err, sizeof(c->err));
	if (rc == 0 && code) {
		snprintf(c->err, sizeof(c->err), "host %s: the process holding %zu bytes "
			 "died before it had them all (out of memory in the host?)",
			 c->rt->lab->hosts[h].name, size);
		rc = -ENOMEM;
	}
	return rc;
}

static int hog_apply(struct zf_fctx *c, const struct zf_fault *f)
{
	unsigned long long size = 0;
	int rc = zf_resargs_size(f->args, MIN_LIMIT, MAX_SIZE, &size, c->err, sizeof(c->err));

	for (size_t h = 0; rc == 0 && h < c->rt->lab->n_hosts; h++)
		if (f->sel.hosts[h])
			rc = hog_host(c, f, h, (size_t)size);
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

/* Applied: one holder in the leaf of every selected host that is on, and
 * the host's cgroup charged at least SIZE; reverted: no leaf left. */
static int hog_verify(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	const struct zf_labrt *rt = c->rt;
	unsigned long long size = 0, limit, usage = 0;
	char rel[256], host_rel[256];

	zf_resargs_size(f->args, MIN_LIMIT, MAX_SIZE, &size, c->err, sizeof(c->err));
	for (size_t h = 0; h < rt->lab->n_hosts; h++) {
		if (!f->sel.hosts[h])
			continue;
		int on = zf_host_init_pid(rt, h) != 0;
		zf_res_leaf(rt, h, f->id, rel, sizeof(rel));
		zf_labrt_host_cg(rt, h, NULL, host_rel, sizeof(host_rel));
		int got = zf_cg_count(&rt->cg, rel), want = applied && on;
		if (got != want || (!applied && zf_res_leaf_exists(rt, h, f->id))) {
			snprintf(c->err, sizeof(c->err), "host %s: %d memory holders, not %d",
				 rt->lab->hosts[h].name, got, want);
			return -EIO;
		}
		if (want && zf_cg_mem_max_get(&rt->cg, host_rel, &limit, &usage) == 0 &&
		    usage < size) {
			snprintf(c->err, sizeof(c->err), "host %s uses %llu bytes of memory, "
				 "less than the %llu held", rt->lab->hosts[h].name, usage, size);
			return -EIO;
		}
	}
	return 0;
}

const struct zf_fault_kind zf_fault_mem_limit = {
	.name = "mem-limit",
	.usage = "mem-limit TARGET SIZE",
	.summary = "limit the hosts' memory to SIZE (e.g. 256M): reclaim, then OOM kills",
	.check = check_limit,
	.apply = limit_apply,
	.revert = limit_revert,
	.verify = limit_verify,
};

const struct zf_fault_kind zf_fault_mem_hog = {
	.name = "mem-hog",
	.usage = "mem-hog TARGET SIZE",
	.summary = "a process inside each host holds SIZE of memory until revert",
	.check = check_hog,
	.apply = hog_apply,
	.revert = hog_revert,
	.verify = hog_verify,
};
