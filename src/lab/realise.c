/* realise.c - `zonefall up`: from a lab file to a running lab. */
#include "lab/emu.h"
#include "lab/emu_priv.h"
#include "lab/host.h"
#include "lab/lab.h"
#include "lab/labdns.h"
#include "lab/netns.h"
#include "lab/topo.h"
#include "lab/vip.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* The state dir is the lab's lock on its name: mkdir fails if it exists. */
static int make_state(struct zf_labrt *rt, const char *yaml, size_t len,
		      char *err, size_t errlen)
{
	char path[512];
	int rc;

	if (mkdir(ZF_RUN_ROOT, 0700) < 0 && errno != EEXIST)
		goto io;
	if (mkdir(rt->state, 0700) < 0) {
		if (errno == EEXIST) {
			snprintf(err, errlen, "a lab named '%s' is already up "
				 "(zonefall down %s)", rt->lab->name, rt->lab->name);
			return -EEXIST;
		}
		goto io;
	}
	rc = zf_labrt_set_phase(rt, "creating");
	if (rc == 0)
		rc = zf_cg_save_choice(rt->state);
	zf_fmt(path, sizeof(path), "%s/lab.yaml", rt->state);
	if (rc == 0)
		rc = zf_put_file(path, yaml, len, 0600);
	zf_fmt(path, sizeof(path), "%s/labdir", rt->state);
	if (rc == 0)
		rc = zf_put_file(path, rt->lab->dir, strlen(rt->lab->dir), 0600);
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	return 0;
io:
	rc = -errno;
	snprintf(err, errlen, "%s: %s", rt->state, strerror(errno));
	return rc;
}

static void record_cgroups(const struct zf_labrt *rt, struct zf_inv *inv)
{
	const struct zf_lab *lab = rt->lab;
	char rel[256];

	zf_inv_add(inv, ZF_INV_CGROUP, "/");
	zf_inv_add(inv, ZF_INV_CGROUP, lab->name);
	for (size_t h = 0; h < lab->n_hosts; h++) {
		zf_labrt_host_cg(rt, h, NULL, rel, sizeof(rel));
		zf_inv_add(inv, ZF_INV_CGROUP, rel);
		zf_labrt_host_cg(rt, h, "init", rel, sizeof(rel));
		zf_inv_add(inv, ZF_INV_CGROUP, rel);
		zf_labrt_host_cg(rt, h, "exec", rel, sizeof(rel));
		zf_inv_add(inv, ZF_INV_CGROUP, rel);
		for (size_t s = 0; s < lab->hosts[h].n_services; s++) {
			char leaf[64];
			snprintf(leaf, sizeof(leaf), "svc-%s", lab->hosts[h].services[s].name);
			zf_labrt_host_cg(rt, h, leaf, rel, sizeof(rel));
			zf_inv_add(inv, ZF_INV_CGROUP, rel);
		}
	}
}

static int make_cgroups(const struct zf_labrt *rt, char *err, size_t errlen)
{
	struct zf_inv_entry *e;
	size_t n;
	int rc = zf_inv_load(rt->state, &e, &n);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (e[i].kind != ZF_INV_CGROUP)
			continue;
		const char *rel = strcmp(e[i].name, "/") ? e[i].name : "";
		int leaf = strstr(rel, "/init") || strstr(rel, "/exec") || strstr(rel, "/svc-");
		rc = zf_cg_create(&rt->cg, rel, leaf);
		if (rc < 0)
			snprintf(err, errlen, "creating cgroup %s: %s", e[i].name, strerror(-rc));
	}
	zf_inv_entries_free(e, n);
	return rc;
}

static int make_dirs(const struct zf_labrt *rt, char *err, size_t errlen)
{
	char path[512];
	int rc = 0;

	for (size_t h = 0; rc == 0 && h < rt->lab->n_hosts; h++) {
		zf_fmt(path, sizeof(path), "%s/%s/log", rt->data, rt->lab->hosts[h].name);
		rc = zf_mkdir_p(path, 0755);
		if (rc == 0) {
			zf_labrt_host_dir(rt, h, NULL, path, sizeof(path));
			rc = zf_mkdir_p(path, 0700);
		}
	}
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	return rc;
}

/* The names hosts see: their name files, then the DNS server (before any
 * host boots, so that services resolving names at start find it). */
static int start_names(const struct zf_labrt *rt, char *err, size_t errlen)
{
	int rc = zf_labdns_host_files(rt, err, errlen);

	return rc < 0 ? rc : zf_labdns_start(rt, err, errlen);
}

/* Boot every host, keeping up to BOOT_WINDOW boots in flight: the kernel
 * work of making namespaces then overlaps across cores. */
#define BOOT_WINDOW 32

static int boot_hosts(const struct zf_labrt *rt, char *err, size_t errlen)
{
	struct zf_boot win[BOOT_WINDOW];
	size_t n = rt->lab->n_hosts, started = 0, done = 0;
	int rc = 0;

	for (size_t h = 0; rc == 0 && h < n; h++)
		rc = zf_host_write_config(rt, h, err, errlen);
	while (rc == 0 && done < n) {
		while (rc == 0 && started < n && started - done < BOOT_WINDOW) {
			rc = zf_host_boot_start(rt, started, &win[started % BOOT_WINDOW],
						err, errlen);
			if (rc == 0)
				started++;
		}
		/* finish what was started even after an error */
		if (done < started) {
			int r = zf_host_boot_finish(rt, &win[done % BOOT_WINDOW], err, errlen);
			if (r < 0 && rc == 0)
				rc = r;
			done++;
		} else {
			break;
		}
	}
	while (done < started)
		zf_host_boot_finish(rt, &win[done++ % BOOT_WINDOW], err, errlen);
	return rc;
}

static int wait_ready(const struct zf_labrt *rt, int ms, char *err, size_t errlen)
{
	uint64_t deadline = zf_now_ns() + (uint64_t)ms * ZF_NS_PER_MS;
	int rc = 0;

	for (size_t h = 0; rc == 0 && h < rt->lab->n_hosts; h++) {
		uint64_t now = zf_now_ns();
		int left = now < deadline ? (int)((deadline - now) / ZF_NS_PER_MS) : 1;
		rc = zf_host_wait_ready(rt, h, left, err, errlen);
	}
	return rc;
}

/* Everything after the state dir exists; on error the caller tears down. */
static int build(struct zf_labrt *rt, const struct zf_up_opts *o,
		 struct zf_up_times *tm, char *err, size_t errlen)
{
	struct zf_topo topo = { 0 };
	struct zf_inv *inv;
	char emu_dir[512];       /* a daemon's directory */
	uint64_t t0 = zf_now_ns(), t1;
	int made_mount = 0, rc = zf_inv_open(rt->state, &inv);

	if (rc < 0) {
		snprintf(err, errlen, "%s/inventory: %s", rt->state, strerror(-rc));
		return rc;
	}
	zf_inv_add(inv, ZF_INV_DIR, rt->data);
	if (zf_emu_dir(rt->state, emu_dir, sizeof(emu_dir)) == 0)
		zf_inv_add(inv, ZF_INV_DAEMON, emu_dir);
	if (zf_labdns_dir(rt, emu_dir, sizeof(emu_dir)) == 0)
		zf_inv_add(inv, ZF_INV_DAEMON, emu_dir);
	record_cgroups(rt, inv);
	zf_topo_record(rt, inv);
	/* The /run/netns mount is ours only if it is not there yet; teardown
	 * removes it only when it is empty. */
	if (!zf_netns_dir_mounted())
		zf_inv_add(inv, ZF_INV_NETNS_MOUNT, ZF_NETNS_DIR);
	rc = zf_inv_sync(inv);
	if (rc < 0)
		snprintf(err, errlen, "%s/inventory: %s", rt->state, strerror(-rc));
	if (rc == 0) rc = make_dirs(rt, err, errlen);
	if (rc == 0) rc = make_cgroups(rt, err, errlen);
	tm->state_ns = (t1 = zf_now_ns()) - t0;
	if (rc == 0) rc = zf_topo_create_netns(rt, &topo, &made_mount, err, errlen);
	tm->netns_ns = zf_now_ns() - t1, t1 = zf_now_ns();
	if (rc == 0) rc = zf_topo_links(rt, &topo, err, errlen);
	tm->links_ns = zf_now_ns() - t1, t1 = zf_now_ns();
	if (rc == 0) rc = zf_topo_configure(rt, &topo, err, errlen);
	if (rc == 0) rc = zf_vip_build(rt, &topo, err, errlen);
	tm->config_ns = zf_now_ns() - t1, t1 = zf_now_ns();
	if (rc == 0) rc = zf_topo_nft_base(rt, &topo, err, errlen);
	if (rc == 0) rc = zf_emu_sync(rt, &topo, NULL, 0, NULL, 0, err, errlen);
	tm->nft_ns = zf_now_ns() - t1, t1 = zf_now_ns();
	zf_topo_close(rt, &topo);
	if (rc == 0) rc = start_names(rt, err, errlen);
	if (rc == 0) rc = boot_hosts(rt, err, errlen);
	tm->boot_ns = zf_now_ns() - t1, t1 = zf_now_ns();
	if (rc == 0) rc = zf_labrt_set_phase(rt, "up");
	if (rc == 0 && o->wait_ready_ms > 0)
		rc = wait_ready(rt, o->wait_ready_ms, err, errlen);
	tm->ready_ns = zf_now_ns() - t1;
	zf_inv_close(inv);
	return rc;
}

int zf_lab_up(const char *path, const struct zf_up_opts *opts,
	      struct zf_labrt **out, struct zf_up_times *times, char *err,
	      size_t errlen)
{
	struct zf_up_opts defaults = { 0 };
	struct zf_up_times tm_local;
	struct zf_labrt *rt = NULL;
	struct zf_lab *lab;
	char *yaml = NULL, e2[256];
	size_t len;
	int rc, lock = -1;

	if (!opts)
		opts = &defaults;
	if (!times)
		times = &tm_local;
	memset(times, 0, sizeof(*times));
	rc = zf_lab_load(path, &lab, err, errlen);
	if (rc < 0) /* a file too big or malformed is a spec error (exit 2) */
		return rc == -EFBIG || rc == -E2BIG || rc == -ERANGE ? -EINVAL : rc;
	rc = zf_labrt_new(lab, &rt, err, errlen);
	if (rc < 0)
		return rc;
	/* The copy kept in the state dir is what every later command reads. */
	rc = zf_read_file(path, ZF_LAB_FILE_MAX, &yaml, &len);
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		goto out;
	}
	raise_nofile();
	rc = make_state(rt, yaml, len, err, errlen);
	if (rc < 0)
		goto out;
	lock = zf_labrt_lock(rt->lab->name);
	rc = lock < 0 ? lock : build(rt, opts, times, err, errlen);
	if (lock < 0)
		snprintf(err, errlen, "locking lab %s: %s", rt->lab->name, strerror(-lock));
	if (rc < 0)
		zf_lab_down_locked(rt->lab->name, 0, e2, sizeof(e2));
	zf_labrt_unlock(lock);
out:
	free(yaml);
	if (rc == 0 && out)
		*out = rt;
	else
		zf_labrt_close(rt);
	return rc;
}
