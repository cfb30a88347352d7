/* res_diskio.c - disk-slow and disk-error: every operation on a host's
 * data directory, inside the host only, is delayed or fails.
 *
 * Inside each target host (its namespaces, a cgroup leaf of the fault's
 * own, "…/HOST/fault-ID", listed in the inventory first), zonefall starts
 * zonefall-diskfs (src/diskfs/): it opens the data directory, mounts a
 * FUSE pass-through over it in the host's mount namespace only (the host's
 * mounts are slaves of the machine's, so nothing propagates out), binds
 * the real log/ back over it (zonefall's own logs of the host stay on the
 * real disk) and says ready; every operation then goes to the directory
 * it opened, after the fault's delay, or fails with its error. The
 * machine, other hosts and the real directory see no change. The host's
 * running services are restarted so that their working directory and the
 * files they open are on the new mount.
 *
 * <state>/h/HOST/diskio names the fault that covers the host (one disk
 * fault per host: another one on a covered directory is refused). Revert
 * detaches the mount in the host (lazily: open files keep working), then
 * restarts the services that run (onto the real directory), waits a moment
 * for the daemon to end by itself once nothing uses the detached mount and
 * kills its leaf. Each step does nothing when already done, so `recover`
 * finishes a revert or an apply killed at any point. A host powered off
 * took the mount and the daemon with it. */
#include "fault/diskioargs.h"
#include "fault/diskstats.h"
#include "fault/inhost.h"
#include "fault/kinds.h"
#include "fault/res_limit.h"
#include "fault/svc_override.h"
#include "lab/cgroup.h"
#include "lab/host.h"
#include "util/fsutil.h"
#include "util/proc.h"
#include "util/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

extern char **environ;

#define FSTYPE "fuse.zonefall-diskfs"
#define STATE_LEAF "diskio"
#define KEEP "log"
#define DAEMON_LOG "zonefall-diskfs.log"
#define EXIT_WAIT_NS (2 * ZF_NS_PER_S)

/* ---- in the host ---------------------------------------------------- */

/* Shared with the child in the host. */
struct job {
	char data[512];
	char fstype[64];        /* probe: what is mounted on DATA ("" none) */
	char msg[512];
};

/* Undo mountinfo's octal escapes (\040) in place. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++, o++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o = *s;
		}
	}
	*o = '\0';
}

/* The file system type of the topmost mount on J->data into J->fstype. */
static int probe_in_host(void *arg, int fd)
{
	struct job *j = arg;
	char *text = NULL, *save = NULL;

	(void)fd;
	j->fstype[0] = '\0';
	if (zf_read_file("/proc/self/mountinfo", 1 << 22, &text, NULL) < 0) {
		snprintf(j->msg, sizeof(j->msg), "reading /proc/self/mountinfo: %s",
			 strerror(errno));
		return EIO;
	}
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[5], *p = line, *dash = strstr(line, " - ");
		size_t n = 0;
		for (; n < 5 && p; n++) {
			f[n] = p;
			p = strchr(p, ' ');
			if (p)
				*p++ = '\0';
		}
		if (n < 5 || !dash)
			continue;
		unescape(f[4]);
		if (strcmp(f[4], j->data))
			continue;
		dash += 3;
		snprintf(j->fstype, sizeof(j->fstype), "%.*s", (int)strcspn(dash, " "), dash);
	}
	free(text);
	return 0;
}

static int unmount_in_host(void *arg, int fd)
{
	struct job *j = arg;
	int rc = probe_in_host(arg, fd);

	if (rc == 0 && !strcmp(j->fstype, FSTYPE) && umount2(j->data, MNT_DETACH) < 0) {
		snprintf(j->msg, sizeof(j->msg), "unmounting %.300s: %s", j->data,
			 strerror(errno));
		return EBUSY;
	}
	return rc;
}

/* What the daemon needs; the strings are the parent's, copied by fork.
 * BIN_FD is zonefall-diskfs opened outside (O_PATH): the host has its own
 * /tmp and /run, where the binary may be. */
struct launch {
	int bin_fd;
	const char *data, *mode, *args, *log, *stats;
	char msg[256];
};

/* In the daemon-to-be: stdio, fds, then exec. Never returns. */
static _Noreturn void exec_daemon(const struct launch *l, int ready_fd)
{
	int null = open("/dev/null", O_RDWR);
	int logfd = open(l->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

	setsid();
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
	    dup2(logfd >= 0 ? logfd : null, 2) < 0 || dup2(ready_fd, 3) < 0 ||
	    dup2(l->bin_fd, 4) < 0)
		_exit(126);
	close_range(5, ~0u, 0);
	char *const argv[] = { "zonefall-diskfs", "--dir", (char *)l->data, "--mode",
			       (char *)l->mode, "--args", (char *)l->args, "--keep", KEEP,
			       "--ready-fd", "3", "--stats", (char *)l->stats, NULL };
	execveat(4, "", argv, environ, AT_EMPTY_PATH);
	dprintf(2, "zonefall-diskfs: exec: %s\n", strerror(errno));
	_exit(127);
}

/* Attached, in the host: start the daemon in a session of its own and wait
 * for its ready byte; it stays, reparented to the host's init, in the
 * fault's cgroup leaf. 0 once ready, 1 if it ended first. */
static int start_daemon(void *arg, int fd)
{
	struct launch *l = arg;
	int p[2];
	char byte;
	pid_t pid;
	ssize_t n;

	(void)fd;
	if (pipe2(p, O_CLOEXEC) < 0)
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close(p[0]);
		exec_daemon(l, p[1]);
	}
	close(p[1]);
	do
		n = read(p[0], &byte, 1);
	while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : 1;
}

/* ---- from outside ---------------------------------------------------- */

/* zonefall-diskfs: $ZF_DISKFS, else next to zonefall, else from PATH
 * (resolved here: it is opened before entering the host). */
static void zf_diskfs_binary(char *buf, size_t len)
{
	zf_helper_binary("ZF_DISKFS", "zonefall-diskfs", buf, len);
	if (!strchr(buf, '/')) {
		const char *path = getenv("PATH");
		char cand[512];
		for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
			size_t n = strcspn(p, ":");
			snprintf(cand, sizeof(cand), "%.*s/zonefall-diskfs", (int)n, p);
			if (n && access(cand, X_OK) == 0) {
				snprintf(buf, len, "%s", cand);
				return;
			}
			p += n + (p[n] == ':');
		}
	}
}

static int is_disk_kind(const struct zf_fault *f)
{
	return zf_diskio_mode_of(f->kind->name);
}

/* Run FN for host H; 0 or a negative errno with c->err set. J->fstype
 * comes back. */
static int run_job(struct zf_fctx *c, size_t h, int (*fn)(void *, int), char *fstype,
		   size_t fslen)
{
	struct job *j = zf_inhost_job(sizeof(*j), c->err, sizeof(c->err));
	struct zf_inhost o = { .fn = fn };
	int rc, code = 0;

	if (!j)
		return -ENOMEM;
	zf_labrt_host_data(c->rt, h, j->data, sizeof(j->data));
	o.arg = j;
	rc = zf_inhost_run(c->rt, h, &o, &code, c->err, sizeof(c->err));
	if (rc == 0 && code) {
		snprintf(c->err, sizeof(c->err), "host %s: %.400s", c->rt->lab->hosts[h].name,
			 j->msg[0] ? j->msg : "the helper in the host failed");
		rc = code < 125 ? -code : -EIO;
	}
	if (rc == 0 && fstype)
		snprintf(fstype, fslen, "%s", j->fstype);
	zf_inhost_job_free(j, sizeof(*j));
	return rc;
}

/* Restart every running service of H (onto whatever now is at {data}). */
static int restart_running(struct zf_fctx *c, size_t h)
{
	char names[4096];
	int rc = zf_svc_running(c, h, names, sizeof(names));

	return rc < 0 ? rc : zf_svc_each(c, h, "restart", names, 0);
}

static void state_path(const struct zf_labrt *rt, size_t h, char *buf, size_t len)
{
	zf_labrt_host_dir(rt, h, STATE_LEAF, buf, len);
}

/* The last line of the daemon's log of host H, for an error message. */
static void daemon_said(const struct zf_labrt *rt, size_t h, char *buf, size_t len)
{
	char path[600], data[512], *text = NULL, *end, *line;
	size_t n = 0;

	buf[0] = '\0';
	zf_labrt_host_data(rt, h, data, sizeof(data));
	snprintf(path, sizeof(path), "%s/" KEEP "/" DAEMON_LOG, data);
	if (zf_read_file(path, 1 << 20, &text, &n) < 0)
		return;
	end = text + n;
	while (end > text && end[-1] == '\n')
		*--end = '\0';
	line = strrchr(text, '\n');
	snprintf(buf, len, "%.300s", line ? line + 1 : text);
	free(text);
}

static int check_diskio(struct zf_fctx *c, const struct zf_fault *f)
{
	struct zf_diskio d;
	char bin[512];

	if (!f->sel.n_selected_hosts) {
		snprintf(c->err, sizeof(c->err), "no host selected");
		return -EINVAL;
	}
	if (zf_diskio_parse(is_disk_kind(f), f->args, &d, c->err, sizeof(c->err)) < 0)
		return -EINVAL;
	zf_diskfs_binary(bin, sizeof(bin));
	if (access(bin, X_OK) < 0) {
		snprintf(c->err, sizeof(c->err), "%.300s: %s (set ZF_DISKFS)", bin, strerror(errno));
		return -EINVAL;
	}
	if (access("/dev/fuse", R_OK | W_OK) < 0) {
		snprintf(c->err, sizeof(c->err), "/dev/fuse: %s (modprobe fuse)", strerror(errno));
		return -EINVAL;
	}
	return 0;
}

static int cover_host(struct zf_fctx *c, const struct zf_fault *f, size_t h)
{
	const char *name = c->rt->lab->hosts[h].name;
	char bin[512], data[512], log[600], stats[64], leaf[256], fstype[64], path[512];
	char said[320];
	struct launch l = { .bin_fd = -1, .data = data, .mode = "slow", .args = f->args,
			    .log = log, .stats = stats };
	struct zf_inhost o = { .cg_rel = leaf, .fn = start_daemon, .arg = &l };
	int rc, code = 0;

	if (!zf_host_init_pid(c->rt, h))
		return 0;     /* powered off: nothing runs there */
	if (is_disk_kind(f) == ZF_DISKIO_ERROR)
		l.mode = "error";
	rc = run_job(c, h, probe_in_host, fstype, sizeof(fstype));
	if (rc < 0)
		return rc;
	zf_labrt_host_data(c->rt, h, data, sizeof(data));
	if (fstype[0]) {
		snprintf(c->err, sizeof(c->err), "host %s: %.300s is already covered by a %s mount "
			 "(another disk fault?)", name, data, fstype);
		return -EALREADY;
	}
	state_path(c->rt, h, path, sizeof(path));
	rc = zf_write_file(path, f->id, strlen(f->id), 0600);
	if (rc < 0) {
		snprintf(c->err, sizeof(c->err), "%.300s: %s", path, strerror(-rc));
		return rc;
	}
	zf_diskfs_binary(bin, sizeof(bin));
	snprintf(log, sizeof(log), "%s/" KEEP "/" DAEMON_LOG, data);
	snprintf(stats, sizeof(stats), "/run/zonefall-diskfs.%s", f->id);
	l.bin_fd = open(bin, O_PATH | O_CLOEXEC);
	if (l.bin_fd < 0) {
		rc = -errno;
		snprintf(c->err, sizeof(c->err), "%.300s: %s", bin, strerror(-rc));
		return rc;
	}
	rc = zf_res_leaf_make(c, h, f->id);
	zf_res_leaf(c->rt, h, f->id, leaf, sizeof(leaf));
	if (rc == 0)
		rc = zf_inhost_run(c->rt, h, &o, &code, c->err, sizeof(c->err));
	close(l.bin_fd);
	if (rc == 0 && code) {
		daemon_said(c->rt, h, said, sizeof(said));
		snprintf(c->err, sizeof(c->err), "host %s: zonefall-diskfs did not start (%.100s): "
			 "%.300s", name, bin, said[0] ? said : "no message");
		return -EIO;
	}
	if (rc == 0)
		rc = restart_running(c, h);
	return rc;
}

/* Every step is a no-op when done already (a revert killed half-way, or an
 * apply killed before it finished). */
static int uncover_host(struct zf_fctx *c, const struct zf_fault *f, size_t h)
{
	char path[512], fstype[64], leaf[256], *owner = NULL;
	int rc = 0, had_leaf = zf_res_leaf_exists(c->rt, h, f->id), ours = 1;
	uint64_t deadline = zf_now_ns() + EXIT_WAIT_NS;

	state_path(c->rt, h, path, sizeof(path));
	if (zf_read_file(path, 64, &owner, NULL) == 0) {
		ours = !strcmp(owner, f->id);
		free(owner);
	}
	if (!ours)            /* another disk fault covers the host: not ours to undo */
		return had_leaf ? zf_res_leaf_remove(c, h, f->id) : 0;
	if (zf_host_init_pid(c->rt, h)) {
		rc = run_job(c, h, unmount_in_host, fstype, sizeof(fstype));
		if (rc == 0 && (had_leaf || !strcmp(fstype, FSTYPE)))
			rc = restart_running(c, h);
	}
	if (rc < 0)
		return rc;
	zf_res_leaf(c->rt, h, f->id, leaf, sizeof(leaf));
	while (had_leaf && zf_cg_count(&c->rt->cg, leaf) > 0 && zf_now_ns() < deadline)
		zf_sleep_ns(20 * ZF_NS_PER_MS);
	if (had_leaf && (rc = zf_res_leaf_remove(c, h, f->id)) < 0)
		return rc;
	unlink(path);
	return 0;
}

static int apply_diskio(struct zf_fctx *c, const struct zf_fault *f)
{
	int rc = 0;

	for (size_t h = 0; rc == 0 && h < c->rt->lab->n_hosts; h++)
		if (f->sel.hosts[h])
			rc = cover_host(c, f, h);
	return rc;
}

static int revert_diskio(struct zf_fctx *c, const struct zf_fault *f)
{
	int rc = 0, r;

	for (size_t h = 0; h < c->rt->lab->n_hosts; h++)
		if (f->sel.hosts[h] && (r = uncover_host(c, f, h)) < 0 && !rc)
			rc = r;
	return rc;
}

/* Applied: on every selected host that is on, our mount on {data} in its
 * mountinfo and the daemon alive in the fault's leaf. Reverted: neither,
 * and no state file naming this fault. */
static int verify_diskio(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	const struct zf_labrt *rt = c->rt;
	char fstype[64], leaf[256], path[512], *owner = NULL;
	int rc;

	for (size_t h = 0; h < rt->lab->n_hosts; h++) {
		if (!f->sel.hosts[h])
			continue;
		const char *name = rt->lab->hosts[h].name;
		int on = zf_host_init_pid(rt, h) != 0, alive = 0, named = 0;
		zf_res_leaf(rt, h, f->id, leaf, sizeof(leaf));
		if (zf_res_leaf_exists(rt, h, f->id))
			alive = zf_cg_count(&rt->cg, leaf) > 0;
		state_path(rt, h, path, sizeof(path));
		if (zf_read_file(path, 64, &owner, NULL) == 0) {
			named = !strcmp(owner, f->id);
			free(owner);
		}
		fstype[0] = '\0';
		if (on && (rc = run_job(c, h, probe_in_host, fstype, sizeof(fstype))) < 0)
			return rc;
		int mounted = !strcmp(fstype, FSTYPE);
		if (applied && on && (!mounted || !alive || !named)) {
			snprintf(c->err, sizeof(c->err), "host %s: %s", name, !mounted ?
				 "the data directory is not covered by zonefall-diskfs" : !alive ?
				 "zonefall-diskfs is not running" : "its state file names another fault");
			return -EIO;
		}
		if (!applied && ((named && mounted) || alive ||
				 zf_res_leaf_exists(rt, h, f->id))) {
			snprintf(c->err, sizeof(c->err), "host %s: %s", name, mounted ?
				 "the data directory is still covered by zonefall-diskfs" :
				 "zonefall-diskfs is still there");
			return -EIO;
		}
	}
	return 0;
}

/* The daemons of fault ID write their counters into their host's own /run;
 * /proc/INIT/root reaches it from here. Hosts without the file (powered
 * off, or not covered) are skipped. */
int zf_fault_disk_delivered(const struct zf_labrt *rt, const char *kind, const char *id,
			    char *buf, size_t len)
{
	struct zf_diskstats sum = { 0 };
	size_t hosts = 0;

	for (size_t h = 0; h < rt->lab->n_hosts; h++) {
		struct zf_diskstats s;
		char path[128], *text = NULL;
		size_t n = 0;
		pid_t pid = zf_host_init_pid(rt, h);

		if (!pid || snprintf(path, sizeof(path), "/proc/%d/root/run/zonefall-diskfs.%s",
				     (int)pid, id) >= (int)sizeof(path))
			continue;
		if (zf_read_file(path, ZF_DISKSTATS_LINE_MAX, &text, &n) == 0 &&
		    zf_diskstats_parse(text, n, &s) == 0) {
			zf_diskstats_add(&sum, &s);
			hosts++;
		}
		free(text);
	}
	if (!hosts)
		return -ENOENT;
	zf_diskstats_describe(&sum, zf_diskio_mode_of(kind), hosts, buf, len);
	return 0;
}

const struct zf_fault_kind zf_fault_disk_slow = {
	.name = "disk-slow",
	.usage = "disk-slow TARGET DELAY [OPS]",
	.summary = "every read/write/fsync (or OPS) on the hosts' data directory takes DELAY longer",
	.check = check_diskio,
	.apply = apply_diskio,
	.revert = revert_diskio,
	.verify = verify_diskio,
};

const struct zf_fault_kind zf_fault_disk_error = {
	.name = "disk-error",
	.usage = "disk-error TARGET [RATE] [OPS] [ERRNO]",
	.summary = "RATE (default 100%) of read/write/fsync (or OPS) on the data directory fail with EIO (or ERRNO)",
	.check = check_diskio,
	.apply = apply_diskio,
	.revert = revert_diskio,
	.verify = verify_diskio,
};
