/* teardown.c - `zonefall down` and the teardown half of `recover`: act on
 * the inventory only, tolerate what is already gone, verify, and only then
 * forget the lab. */
#include "lab/daemon.h"
#include "lab/emu.h"
#include "lab/lab.h"
#include "lab/inventory.h"
#include "lab/labuse.h"
#include "lab/netns.h"
#include "lab/nft.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* How long `down` lets running drills end (revert, final reads, report). */
#define DRILL_STOP_NS (60ull * 1000 * 1000 * 1000)

static const char *cg_rel(const char *name)
{
	return strcmp(name, "/") ? name : "";
}

/* Every process of the lab dies first: nothing may hold a namespace. */
static int kill_all(const struct zf_cg *cg, struct zf_inv_entry *e, size_t n,
		    char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		if (e[i].kind == ZF_INV_DAEMON && zf_daemon_stop(e[i].name) < 0) {
			snprintf(err, errlen, "the daemon of %s would not stop",
				 e[i].name);
			return -EBUSY;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (e[i].kind != ZF_INV_CGROUP || !strcmp(e[i].name, "/"))
			continue;
		int rc = zf_cg_kill(cg, e[i].name, 5 * ZF_NS_PER_S);
		if (rc < 0) {
			snprintf(err, errlen, "killing the processes of cgroup %s: %s",
				 e[i].name, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

static int dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int empty = 1;

	if (!d)
		return 1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

/* The /run/netns bind mount is shared with iproute2 and other labs: undo it
 * only if we made it (it is a mount point made by us) and nothing uses it. */
static void remove_netns_mount(const char *path)
{
	if (!dir_is_empty(path))
		return;
	umount2(path, MNT_DETACH);
	rmdir(path);
}

/* rmdir a cgroup; a task that was just killed can keep it busy for a few
 * milliseconds after it left cgroup.procs, so retry (killing again) for up
 * to two seconds before giving up. */
static int remove_cgroup(const struct zf_cg *cg, const char *rel)
{
	uint64_t deadline = zf_now_ns() + 2 * ZF_NS_PER_S;
	int rc;

	while ((rc = zf_cg_remove(cg, rel)) == -EBUSY && *rel &&
	       zf_now_ns() < deadline) {
		zf_cg_kill(cg, rel, ZF_NS_PER_S);
		zf_sleep_ns(2 * ZF_NS_PER_MS);
	}
	return rc;
}

static int remove_objects(const struct zf_cg *cg, struct zf_inv_entry *e, size_t n,
			  int keep_data, char *err, size_t errlen)
{
	int rc = 0, made_mount = 0;

	for (size_t i = 0; i < n; i++) {
		if (e[i].kind == ZF_INV_NETNS) {
			int r = zf_netns_delete(e[i].name);
			if (r < 0 && !rc) {
				rc = r;
				snprintf(err, errlen, "netns %s: %s", e[i].name, strerror(-r));
			}
		} else if (e[i].kind == ZF_INV_NETNS_MOUNT) {
			made_mount = 1;
		}
	}
	for (size_t i = n; i-- > 0;) {
		if (e[i].kind == ZF_INV_CGROUP) {
			int r = remove_cgroup(cg, cg_rel(e[i].name));
			/* The shared top stays while other labs use it. */
			if (r < 0 && !rc && !(r == -EBUSY && !strcmp(e[i].name, "/"))) {
				rc = r;
				snprintf(err, errlen, "cgroup %s: %s", e[i].name, strerror(-r));
			}
		} else if (e[i].kind == ZF_INV_DIR && !keep_data) {
			int r = zf_remove_tree(e[i].name);
			if (r < 0 && !rc) {
				rc = r;
				snprintf(err, errlen, "%s: %s", e[i].name, strerror(-r));
			}
		}
	}
	if (made_mount)
		remove_netns_mount(ZF_NETNS_DIR);
	return rc;
}

/* Nothing the inventory lists may remain. */
static int verify_gone(const struct zf_cg *cg, struct zf_inv_entry *e, size_t n,
		       char *err, size_t errlen)
{
	char path[512];

	for (size_t i = 0; i < n; i++) {
		if (e[i].kind == ZF_INV_NETNS) {
			zf_fmt(path, sizeof(path), ZF_NETNS_DIR "/%s", e[i].name);
		} else if (e[i].kind == ZF_INV_CGROUP && strcmp(e[i].name, "/")) {
			zf_cg_path(cg, 0, e[i].name, path, sizeof(path));
		} else {
			continue;
		}
		if (zf_exists(path)) {
			snprintf(err, errlen, "%s is still there after teardown", path);
			return -EBUSY;
		}
	}
	return 0;
}

int zf_lab_down_locked(const char *name, int keep_data, char *err, size_t errlen)
{
	char state[512], path[600];
	struct zf_inv_entry *e = NULL;
	struct zf_cg cg;
	size_t n = 0;
	int rc;

	if (zf_fmt(state, sizeof(state), ZF_RUN_ROOT "/%s", name))
		return -ENAMETOOLONG;
	if (!zf_exists(state)) {
		snprintf(err, errlen, "no lab named '%s' is up", name);
		return -ENOENT;
	}
	rc = zf_cg_load_choice(state, &cg);
	if (rc < 0) {
		snprintf(err, errlen, "no usable cgroup hierarchy");
		return rc;
	}
	/* cached nftables contexts would keep the namespaces alive */
	zf_nft_cache_clear();
	zf_fmt(path, sizeof(path), "%s/phase", state);
	zf_put_file(path, "deleting\n", 9, 0600);
	rc = zf_inv_load(state, &e, &n);
	if (rc < 0) {
		snprintf(err, errlen, "%s/inventory: %s", state, strerror(-rc));
		return rc;
	}
	rc = kill_all(&cg, e, n, err, errlen);
	if (rc == 0)
		rc = remove_objects(&cg, e, n, keep_data, err, errlen);
	if (rc == 0)
		rc = verify_gone(&cg, e, n, err, errlen);
	if (rc == 0)
		rc = zf_remove_tree(state);
	if (rc == 0) {
		rmdir(ZF_RUN_ROOT);     /* only when empty: other labs may be up */
		if (!keep_data)
			rmdir(ZF_DATA_ROOT);
	}
	zf_inv_entries_free(e, n);
	return rc;
}

int zf_lab_down(const char *name, int keep_data, char *err, size_t errlen)
{
	size_t drills = 0;
	int fd, rc;

	/* A drill reverts its faults (and takes down a lab it brought up)
	 * under the lab's lock: let it finish before we take the lock. */
	rc = zf_labuse_stop_all(name, DRILL_STOP_NS, &drills, err, errlen);
	if (rc < 0)
		return rc;
	if (drills)
		zf_info("lab %s: stopped %zu drill%s using it", name, drills, drills == 1 ? "" : "s");
	fd = zf_labrt_lock(name);
	if (fd == -ENOENT && drills)
		return 0;     /* the drill had brought the lab up and took it down */
	if (fd == -ENOENT) {
		snprintf(err, errlen, "no lab named '%s' is up", name);
		return fd;
	}
	if (fd < 0) {
		snprintf(err, errlen, "locking lab %s: %s", name, strerror(-fd));
		return fd;
	}
	rc = zf_lab_down_locked(name, keep_data, err, errlen);
	zf_labrt_unlock(fd);
	return rc;
}
