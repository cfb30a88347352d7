#include "lab/cgroup.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/timeutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CG_ROOT "/sys/fs/cgroup"

static const char *const v1_names[] = { "freezer", "cpu", "memory", "pids" };

int zf_cg_detect(struct zf_cg *cg)
{
	return zf_cg_detect_root(cg, getenv("ZF_CGROUP2_ROOT"));
}

int zf_cg_detect_root(struct zf_cg *cg, const char *v2root)
{
	memset(cg, 0, sizeof(*cg));
	if (v2root && *v2root) {
		/* A hybrid machine's unified hierarchy (e.g. /sys/fs/cgroup/unified),
		 * chosen explicitly: it has the v2 freezer even with every
		 * controller bound to v1. */
		char probe[160];
		snprintf(probe, sizeof(probe), "%s/cgroup.procs", v2root);
		if (!zf_exists(probe))
			return -ENOTSUP;
		cg->version = 2;
		cg->n = 1;
		snprintf(cg->top[0], sizeof(cg->top[0]), "%s/zonefall", v2root);
		return 0;
	}
	if (zf_exists(CG_ROOT "/cgroup.controllers")) {
		cg->version = 2;
		cg->n = 1;
		snprintf(cg->top[0], sizeof(cg->top[0]), CG_ROOT "/zonefall");
		return 0;
	}
	cg->version = 1;
	for (size_t i = 0; i < ZF_CG_MAX_HIER; i++) {
		char probe[160];
		snprintf(probe, sizeof(probe), CG_ROOT "/%s/cgroup.procs", v1_names[i]);
		if (!zf_exists(probe))
			continue;
		cg->ctrl[cg->n] = (enum zf_cg_ctrl)i;
		snprintf(cg->top[cg->n], sizeof(cg->top[0]), CG_ROOT "/%s/zonefall",
			 v1_names[i]);
		cg->n++;
	}
	if (cg->n == 0 || cg->ctrl[0] != ZF_CG_FREEZER)
		return -ENOTSUP;
	return 0;
}

int zf_cg_path(const struct zf_cg *cg, size_t i, const char *rel, char *buf,
	       size_t len)
{
	if (!rel || !*rel)
		return zf_fmt(buf, len, "%s", cg->top[i]);
	return zf_fmt(buf, len, "%s/%s", cg->top[i], rel);
}

/* Write a short string to a cgroup control file; async-signal-safe. */
static int cg_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int rc = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		rc = -errno;
	close(fd);
	return rc;
}

static void v2_enable_controllers(const char *dir)
{
	char path[256];

	/* Best effort: the parent may not delegate some controllers. */
	if (zf_fmt(path, sizeof(path), "%s/cgroup.subtree_control", dir))
		return;
	cg_write(path, "+cpu");
	cg_write(path, "+memory");
	cg_write(path, "+pids");
}

int zf_cg_create(const struct zf_cg *cg, const char *rel, int leaf)
{
	char path[256];

	/* v1: leaves only in the freezer hierarchy (pausing a service needs
	 * its own freezer cgroup; limits apply per host), which halves the
	 * mkdirs of a big lab. */
	size_t n = cg->version == 1 && leaf ? 1 : cg->n;

	for (size_t i = 0; i < n; i++) {
		if (zf_cg_path(cg, i, rel, path, sizeof(path)))
			return -ENAMETOOLONG;
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -errno;
		if (cg->version == 2 && !leaf)
			v2_enable_controllers(path);
	}
	return 0;
}

int zf_cg_remove(const struct zf_cg *cg, const char *rel)
{
	char path[256];
	int rc = 0;

	for (size_t i = 0; i < cg->n; i++) {
		if (zf_cg_path(cg, i, rel, path, sizeof(path)))
			return -ENAMETOOLONG;
		if (rmdir(path) < 0 && errno != ENOENT && rc == 0)
			rc = -errno;
	}
	return rc;
}

int zf_cg_join(const struct zf_cg *cg, const char *rel, pid_t pid)
{
	char path[256], val[24];
	int rc;

	/* Hand-rolled formatting: snprintf is not async-signal-safe. */
	size_t n = 0;
	char digits[20];
	unsigned long v = (unsigned long)(pid < 0 ? 0 : pid);
	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) && n < sizeof(digits));
	for (size_t k = 0; k < n; k++)
		val[k] = digits[n - 1 - k];
	val[n] = '\0';
	for (size_t i = 0; i < cg->n; i++) {
		size_t a = strlen(cg->top[i]), b = strlen(rel);
		if (a + 1 + b + sizeof("/cgroup.procs") > sizeof(path))
			return -ENAMETOOLONG;
		memcpy(path, cg->top[i], a);
		path[a] = '/';
		memcpy(path + a + 1, rel, b);
		memcpy(path + a + 1 + b, "/cgroup.procs", sizeof("/cgroup.procs"));
		rc = cg_write(path, val);
		if (rc == -ENOENT && i > 0) {
			/* a v1 leaf that exists only in the freezer: join its
			 * parent (the host) in this hierarchy */
			char *leaf = strrchr(path + a + 1, '/');
			char *parent_end = leaf;
			while (parent_end > path + a && *--parent_end != '/')
				;
			if (parent_end > path + a) {
				memcpy(parent_end, "/cgroup.procs", sizeof("/cgroup.procs"));
				rc = cg_write(path, val);
			}
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Call FN for every pid listed in DIR/cgroup.procs and below DIR. */
static int for_each_pid(const char *dir, void (*fn)(pid_t, void *), void *ctx)
{
	char path[512], buf[8192];
	int count = 0, fd;
	ssize_t n;
	DIR *d;
	struct dirent *de;

	if (zf_fmt(path, sizeof(path), "%s/cgroup.procs", dir))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		for (char *p = buf, *end; *p; p = end) {
			long pid = strtol(p, &end, 10);
			if (end == p)
				break;
			if (fn)
				fn((pid_t)pid, ctx);
			count++;
		}
	}
	close(fd);
	d = opendir(dir);
	if (!d)
		return count;
	while ((de = readdir(d)) != NULL) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if (zf_fmt(path, sizeof(path), "%s/%s", dir, de->d_name))
			continue;
		int sub = for_each_pid(path, fn, ctx);
		if (sub > 0)
			count += sub;
	}
	closedir(d);
	return count;
}

int zf_cg_count(const struct zf_cg *cg, const char *rel)
{
	char path[256];

	if (zf_cg_path(cg, 0, rel, path, sizeof(path)))
		return -ENAMETOOLONG;
	return for_each_pid(path, NULL, NULL);
}

static void kill_one(pid_t pid, void *ctx)
{
	(void)ctx;
	kill(pid, SIGKILL);
}

/* Thaw every cgroup below DIR (not DIR itself). A paused host's group is
 * frozen by itself, and thawing its parent does not thaw it: its processes
 * would hold their SIGKILL forever (a drill killed mid-pause, then down). */
static void thaw_below(const struct zf_cg *cg, const char *dir)
{
	char path[512], ctl[600];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.' ||
		    zf_fmt(path, sizeof(path), "%s/%s", dir, de->d_name))
			continue;
		if (zf_fmt(ctl, sizeof(ctl), "%s/%s", path, cg->version == 1 ?
			   "freezer.state" : "cgroup.freeze") == 0)
			cg_write(ctl, cg->version == 1 ? "THAWED" : "0");
		thaw_below(cg, path);
	}
	closedir(d);
}

int zf_cg_kill(const struct zf_cg *cg, const char *rel, unsigned long long timeout_ns)
{
	char path[256];
	uint64_t deadline = zf_now_ns() + timeout_ns;
	int frozen;

	if (zf_cg_path(cg, 0, rel, path, sizeof(path)))
		return -ENAMETOOLONG;
	if (!zf_exists(path))
		return 0;
	/* Freeze first so nothing can fork while we kill; SIGKILL is then
	 * delivered when thawed. */
	frozen = zf_cg_freeze(cg, rel, 1) == 0;
	for (;;) {
		int left = for_each_pid(path, kill_one, NULL);
		if (frozen) {
			thaw_below(cg, path);
			zf_cg_freeze(cg, rel, 0);
			frozen = 0;
		}
		if (left <= 0)
			return left < 0 ? left : 0;
		if (zf_now_ns() > deadline)
			return -ETIMEDOUT;
		zf_sleep_ns(ZF_NS_PER_MS / 2);
	}
}

static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int zf_cg_frozen(const struct zf_cg *cg, const char *rel)
{
	char path[256], buf[256];
	int rc;

	if (cg->version == 1) {
		if (zf_fmt(path, sizeof(path), "%s/%s/freezer.state", cg->top[0], rel))
			return -ENAMETOOLONG;
		rc = read_small(path, buf, sizeof(buf));
		return rc < 0 ? rc : !strncmp(buf, "FROZEN", 6);
	}
	if (zf_fmt(path, sizeof(path), "%s/%s/cgroup.events", cg->top[0], rel))
		return -ENAMETOOLONG;
	rc = read_small(path, buf, sizeof(buf));
	return rc < 0 ? rc : strstr(buf, "frozen 1") != NULL;
}

int zf_cg_freeze(const struct zf_cg *cg, const char *rel, int freeze)
{
	char path[256];
	uint64_t deadline = zf_now_ns() + 5 * ZF_NS_PER_S;
	int rc;

	if (cg->version == 1)
		rc = zf_fmt(path, sizeof(path), "%s/%s/freezer.state", cg->top[0], rel);
	else
		rc = zf_fmt(path, sizeof(path), "%s/%s/cgroup.freeze", cg->top[0], rel);
	if (rc)
		return rc;
	rc = cg_write(path, cg->version == 1 ? (freeze ? "FROZEN" : "THAWED")
					     : (freeze ? "1" : "0"));
	if (rc < 0)
		return rc;
	while ((rc = zf_cg_frozen(cg, rel)) >= 0 && rc != freeze) {
		if (zf_now_ns() > deadline)
			return -ETIMEDOUT;
		if (freeze && cg->version == 1)
			cg_write(path, "FROZEN"); /* v1 may need a nudge */
		zf_sleep_ns(ZF_NS_PER_MS / 4);
	}
	return rc < 0 ? rc : 0;
}

int zf_cg_cpu_quota(const struct zf_cg *cg, const char *rel, unsigned percent)
{
	char path[256], val[32];

	for (size_t i = 0; i < cg->n; i++) {
		if (cg->version == 1 && cg->ctrl[i] != ZF_CG_CPU)
			continue;
		if (cg->version == 1) {
			if (zf_fmt(path, sizeof(path), "%s/%s/cpu.cfs_quota_us", cg->top[i], rel))
				return -ENAMETOOLONG;
			snprintf(val, sizeof(val), "%ld", percent ? (long)percent * 1000 : -1L);
		} else {
			if (zf_fmt(path, sizeof(path), "%s/%s/cpu.max", cg->top[i], rel))
				return -ENAMETOOLONG;
			if (percent)
				snprintf(val, sizeof(val), "%u 100000", percent * 1000);
			else
				snprintf(val, sizeof(val), "max 100000");
		}
		return cg_write(path, val);
	}
	return -ENOTSUP;
}

int zf_cg_save_choice(const char *state_dir)
{
	const char *root = getenv("ZF_CGROUP2_ROOT");
	char path[512];

	if (!root || !*root)
		return 0;
	if (zf_fmt(path, sizeof(path), "%s/cgroup2root", state_dir))
		return -ENAMETOOLONG;
	return zf_put_file(path, root, strlen(root), 0600);
}

int zf_cg_load_choice(const char *state_dir, struct zf_cg *cg)
{
	char path[512], *root = NULL;
	int rc;

	if (zf_fmt(path, sizeof(path), "%s/cgroup2root", state_dir))
		return -ENAMETOOLONG;
	rc = zf_read_file(path, 256, &root, NULL);
	if (rc == -ENOENT)
		return zf_cg_detect_root(cg, NULL);
	if (rc < 0)
		return rc;
	rc = zf_cg_detect_root(cg, root);
	free(root);
	return rc;
}

/* The directory of REL in the hierarchy that has controller CTRL (v2: the
 * unified one). -ENOTSUP when none has it. */
static int ctrl_dir(const struct zf_cg *cg, enum zf_cg_ctrl ctrl, const char *rel,
		    char *buf, size_t len)
{
	for (size_t i = 0; i < cg->n; i++)
		if (cg->version == 2 || cg->ctrl[i] == ctrl)
			return zf_cg_path(cg, i, rel, buf, len) ? -ENAMETOOLONG : 0;
	return -ENOTSUP;
}

/* Write VAL to DIR/FILE. */
static int write_in(const char *dir, const char *file, const char *val)
{
	char path[320];

	if (zf_fmt(path, sizeof(path), "%s/%s", dir, file))
		return -ENAMETOOLONG;
	return cg_write(path, val);
}

static int read_in(const char *dir, const char *file, char *buf, size_t len)
{
	char path[320];

	if (zf_fmt(path, sizeof(path), "%s/%s", dir, file))
		return -ENAMETOOLONG;
	return read_small(path, buf, len);
}

/* Parse an unsigned decimal at the start of S ("max" and negatives: 0). */
static unsigned long long ull_or_zero(const char *s)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return 0;
	v = strtoull(s, &end, 10);
	return end == s ? 0 : v;
}

int zf_cg_cpu_max(const struct zf_cg *cg, const char *rel, unsigned long long quota_us,
		  unsigned long long period_us)
{
	char dir[256], val[64];
	int rc = ctrl_dir(cg, ZF_CG_CPU, rel, dir, sizeof(dir));

	if (rc < 0)
		return rc;
	if (cg->version == 2) {
		if (quota_us)
			snprintf(val, sizeof(val), "%llu %llu", quota_us, period_us);
		else
			snprintf(val, sizeof(val), "max %llu", period_us);
		return write_in(dir, "cpu.max", val);
	}
	/* Unlimited first, so that a new period never conflicts with the old
	 * quota; then the period, then the quota. */
	rc = write_in(dir, "cpu.cfs_quota_us", "-1");
	snprintf(val, sizeof(val), "%llu", period_us);
	if (rc == 0)
		rc = write_in(dir, "cpu.cfs_period_us", val);
	snprintf(val, sizeof(val), "%llu", quota_us);
	if (rc == 0 && quota_us)
		rc = write_in(dir, "cpu.cfs_quota_us", val);
	return rc;
}

int zf_cg_cpu_max_get(const struct zf_cg *cg, const char *rel,
		      unsigned long long *quota_us, unsigned long long *period_us)
{
	char dir[256], buf[64];
	int rc = ctrl_dir(cg, ZF_CG_CPU, rel, dir, sizeof(dir));

	if (rc == 0 && cg->version == 2) {
		rc = read_in(dir, "cpu.max", buf, sizeof(buf));
		if (rc == 0) {
			const char *sp = strchr(buf, ' ');
			*quota_us = ull_or_zero(buf);
			*period_us = sp ? ull_or_zero(sp + 1) : 0;
		}
		return rc;
	}
	if (rc == 0)
		rc = read_in(dir, "cpu.cfs_quota_us", buf, sizeof(buf));
	if (rc == 0) {
		*quota_us = ull_or_zero(buf);
		rc = read_in(dir, "cpu.cfs_period_us", buf, sizeof(buf));
	}
	if (rc == 0)
		*period_us = ull_or_zero(buf);
	return rc;
}

/* v1 reports "no limit" as the largest page-aligned value. */
#define MEM_UNLIMITED_V1 (1ull << 62)

int zf_cg_mem_max(const struct zf_cg *cg, const char *rel, unsigned long long bytes)
{
	char dir[256], val[32];
	int rc = ctrl_dir(cg, ZF_CG_MEMORY, rel, dir, sizeof(dir));

	if (rc < 0)
		return rc;
	if (bytes)
		snprintf(val, sizeof(val), "%llu", bytes);
	else
		snprintf(val, sizeof(val), "%s", cg->version == 2 ? "max" : "-1");
	return write_in(dir, cg->version == 2 ? "memory.max" : "memory.limit_in_bytes", val);
}

int zf_cg_mem_max_get(const struct zf_cg *cg, const char *rel,
		      unsigned long long *bytes, unsigned long long *usage)
{
	char dir[256], buf[64];
	int v2 = cg->version == 2;
	int rc = ctrl_dir(cg, ZF_CG_MEMORY, rel, dir, sizeof(dir));

	if (rc == 0)
		rc = read_in(dir, v2 ? "memory.max" : "memory.limit_in_bytes", buf,
			     sizeof(buf));
	if (rc < 0)
		return rc;
	*bytes = ull_or_zero(buf);
	if (*bytes >= MEM_UNLIMITED_V1)
		*bytes = 0;
	if (usage && (rc = read_in(dir, v2 ? "memory.current" : "memory.usage_in_bytes",
				   buf, sizeof(buf))) == 0)
		*usage = ull_or_zero(buf);
	return rc;
}
