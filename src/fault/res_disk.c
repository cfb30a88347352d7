/* res_disk.c - disk-fill: the data directory of each target host fills up,
 * so that its services' writes fail with ENOSPC, inside the host only.
 *
 * The data directory lives on the machine's disk, so filling it for real
 * would fill the machine. Instead, inside the host's mount namespace only,
 * an overlay is mounted over the data directory: its lower layer is the
 * data directory itself (everything written before stays readable), its
 * upper layer a tmpfs with room for SIZE more bytes (none with "full"), so
 * new writes beyond that fail with ENOSPC. The data directory's log/
 * (zonefall's own logs of the host) stays on the real disk. Files that
 * existed before are copied into the upper layer when opened for writing,
 * so a full disk also refuses to open them for writing. The host's running
 * services are restarted so that their open files and working directory
 * are on the full disk (a process keeps the directory it had).
 *
 * Revert stops the services that run, unmounts the overlay, copies what
 * was written meanwhile down into the data directory (disk_merge.h),
 * removes the tmpfs and starts the services again. The machine's mount
 * table is never touched. A host powered off during the fault loses what
 * was written meanwhile (the tmpfs went with its namespace). */
#include "fault/disk_merge.h"
#include "fault/inhost.h"
#include "fault/kinds.h"
#include "fault/resargs.h"
#include "fault/svc_override.h"
#include "lab/host.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define FILL_DIR "/run/zonefall-disk-fill"
#define OVERLAY_MAGIC 0x794c7630
#define FUSE_MAGIC 0x65735546      /* a disk fault's zonefall-diskfs */
#define PAGE 4096ull
#define STOP_TIMEOUT_NS (12 * ZF_NS_PER_S)

/* Shared with the child in the host: what to do, and its message back. */
struct job {
	char data[512];
	unsigned long long left;
	int applied;            /* verify: which state to expect */
	char msg[512];
};

static int job_fail(struct job *j, int err, const char *what, const char *path)
{
	snprintf(j->msg, sizeof(j->msg), "%s %.300s: %s", what, path, strerror(err));
	return err > 124 ? 124 : err;
}

static int fs_is(const char *path, unsigned long magic)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && (unsigned long)sf.f_type == magic;
}

static int is_overlay(const char *path)
{
	return fs_is(path, OVERLAY_MAGIC);
}

/* FILL_DIR is a mount point (another device than /run). */
static int fill_mounted(void)
{
	struct stat a, b;

	return stat(FILL_DIR, &a) == 0 && stat("/run", &b) == 0 && a.st_dev != b.st_dev;
}

/* ---- in the host ---------------------------------------------------- */

/* The tmpfs with LEFT bytes free: a ballast file takes the rest. */
static int mount_upper(struct job *j, const struct stat *data_st)
{
	unsigned long long total = (j->left + PAGE - 1) / PAGE * PAGE + PAGE;
	char opts[64];
	int fd;

	snprintf(opts, sizeof(opts), "size=%llu,mode=0700", total);
	if (mkdir(FILL_DIR, 0700) < 0 && errno != EEXIST)
		return job_fail(j, errno, "mkdir", FILL_DIR);
	if (mount("zonefall-disk-fill", FILL_DIR, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
		return job_fail(j, errno, "mounting a tmpfs on", FILL_DIR);
	if (mkdir(FILL_DIR "/upper", data_st->st_mode & 07777) < 0 ||
	    chown(FILL_DIR "/upper", data_st->st_uid, data_st->st_gid) < 0 ||
	    mkdir(FILL_DIR "/work", 0700) < 0)
		return job_fail(j, errno, "preparing", FILL_DIR);
	fd = open(FILL_DIR "/ballast", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || fallocate(fd, 0, 0, (off_t)(total - j->left)) < 0)
		return job_fail(j, errno, "filling", FILL_DIR "/ballast");
	close(fd);
	return 0;
}

static int mount_overlay(struct job *j, int logfd)
{
	char opts[1400], log[560], src[40];

	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=" FILL_DIR "/upper,workdir="
		 FILL_DIR "/work,index=off,metacopy=off,redirect_dir=off,xino=off",
		 j->data);
	if (mount("overlay", j->data, "overlay", MS_NOSUID | MS_NODEV, opts) < 0)
		return job_fail(j, errno, "mounting an overlay on", j->data);
	if (logfd < 0)
		return 0;
	snprintf(log, sizeof(log), "%s/log", j->data);
	snprintf(src, sizeof(src), "/proc/self/fd/%d", logfd);
	if (mount(src, log, NULL, MS_BIND, NULL) < 0)
		return job_fail(j, errno, "keeping the logs in", log);
	return 0;
}

static void unmount_all(const struct job *j)
{
	char log[560];

	snprintf(log, sizeof(log), "%s/log", j->data);
	if (is_overlay(j->data)) {
		umount2(log, MNT_DETACH);
		if (umount2(j->data, 0) < 0)
			umount2(j->data, MNT_DETACH);
	}
}

static int fill_in_host(void *arg, int fd)
{
	struct job *j = arg;
	struct stat st;
	char log[560];
	int logfd, rc;

	(void)fd;
	if (is_overlay(j->data) || fill_mounted()) {
		snprintf(j->msg, sizeof(j->msg), "%.300s is already filled", j->data);
		return EALREADY;
	}
	if (fs_is(j->data, FUSE_MAGIC)) {   /* the overlay would stack on it */
		snprintf(j->msg, sizeof(j->msg), "%.300s is covered by a disk fault "
			 "(disk-slow or disk-error): revert it first", j->data);
		return EALREADY;
	}
	if (stat(j->data, &st) < 0)
		return job_fail(j, errno, "stat", j->data);
	snprintf(log, sizeof(log), "%s/log", j->data);
	logfd = open(log, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	rc = mount_upper(j, &st);
	if (rc == 0)
		rc = mount_overlay(j, logfd);
	if (rc != 0) {    /* leave nothing half done */
		unmount_all(j);
		umount2(FILL_DIR, MNT_DETACH);
		rmdir(FILL_DIR);
	}
	if (logfd >= 0)
		close(logfd);
	return rc;
}

static int unfill_in_host(void *arg, int fd)
{
	struct job *j = arg;
	char where[256];
	int up, low, rc = 0;

	(void)fd;
	unmount_all(j);
	if (is_overlay(j->data))
		return job_fail(j, EBUSY, "unmounting the overlay on", j->data);
	if (!fill_mounted()) {
		rmdir(FILL_DIR);
		return 0;
	}
	up = open(FILL_DIR "/upper", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	low = open(j->data, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (up < 0 || low < 0)
		rc = job_fail(j, errno, "opening", up < 0 ? FILL_DIR "/upper" : j->data);
	else if ((rc = -zf_disk_merge(up, low, where, sizeof(where))) != 0)
		rc = job_fail(j, rc, "copying back what was written, at", where);
	if (up >= 0)
		close(up);
	if (low >= 0)
		close(low);
	if (rc == 0 && (umount2(FILL_DIR, MNT_DETACH) < 0 || rmdir(FILL_DIR) < 0))
		rc = job_fail(j, errno, "removing", FILL_DIR);
	return rc;
}

static int verify_in_host(void *arg, int fd)
{
	struct job *j = arg;
	struct statfs sf;
	unsigned long long avail;

	(void)fd;
	if (!j->applied) {
		if (is_overlay(j->data) || fill_mounted()) {
			snprintf(j->msg, sizeof(j->msg), "%.300s is still filled", j->data);
			return EIO;
		}
		return 0;
	}
	if (!is_overlay(j->data) || statfs(j->data, &sf) < 0) {
		snprintf(j->msg, sizeof(j->msg), "%.300s is not filled", j->data);
		return EIO;
	}
	avail = (unsigned long long)sf.f_bavail * (unsigned long long)sf.f_bsize;
	if (avail > j->left) {
		snprintf(j->msg, sizeof(j->msg), "%.300s has %llu bytes free, more than %llu",
			 j->data, avail, j->left);
		return EIO;
	}
	return 0;
}

/* ---- from outside ---------------------------------------------------- */

/* Run FN on a job for host H in the host; 0 or a negative errno with
 * c->err set (from the job's message). */
static int run_job(struct zf_fctx *c, size_t h, int (*fn)(void *, int),
		   unsigned long long left, int applied)
{
	struct job *j = zf_inhost_job(sizeof(*j), c->err, sizeof(c->err));
	struct zf_inhost o = { .fn = fn };
	int rc, code = 0;

	if (!j)
		return -ENOMEM;
	zf_labrt_host_data(c->rt, h, j->data, sizeof(j->data));
	j->left = left;
	j->applied = applied;
	o.arg = j;
	rc = zf_inhost_run(c->rt, h, &o, &code, c->err, sizeof(c->err));
	if (rc == 0 && code) {
		snprintf(c->err, sizeof(c->err), "host %s: %.400s", c->rt->lab->hosts[h].name,
			 j->msg[0] ? j->msg : "the helper in the host failed");
		rc = code == EALREADY ? -EALREADY : code < 125 ? -code : -EIO;
	}
	zf_inhost_job_free(j, sizeof(*j));
	return rc;
}

static void stopped_path(const struct zf_labrt *rt, size_t h, char *buf, size_t len)
{
	zf_labrt_host_dir(rt, h, "disk-fill.stopped", buf, len);
}

/* Stop the running services of H, remembering them in a file first (a
 * revert killed here is finished by the next one). */
static int stop_services(struct zf_fctx *c, size_t h, char *names, size_t len)
{
	char path[512], now[4096], *old = NULL;
	uint64_t deadline = zf_now_ns() + STOP_TIMEOUT_NS;
	int rc = zf_svc_running(c, h, now, sizeof(now));

	stopped_path(c->rt, h, path, sizeof(path));
	if (zf_read_file(path, 8192, &old, NULL) < 0)
		old = NULL;
	snprintf(names, len, "%s%s", old ? old : "", now);
	free(old);
	if (rc == 0)
		rc = zf_write_file(path, names, strlen(names), 0600);
	if (rc == 0)
		rc = zf_svc_each(c, h, "stop", now, 0);
	while (rc == 0 && (rc = zf_svc_running(c, h, now, sizeof(now))) == 0 && now[0]) {
		if (zf_now_ns() > deadline) {
			snprintf(c->err, sizeof(c->err), "host %s: services still running: %.200s",
				 c->rt->lab->hosts[h].name, now);
			return -ETIMEDOUT;
		}
		zf_sleep_ns(50 * ZF_NS_PER_MS);
	}
	return rc;
}

static int start_services(struct zf_fctx *c, size_t h, const char *names)
{
	char path[512];

	zf_svc_each(c, h, "start", names, 1);   /* "already running" is fine */
	stopped_path(c->rt, h, path, sizeof(path));
	unlink(path);
	return 0;
}

static int check_fill(struct zf_fctx *c, const struct zf_fault *f)
{
	unsigned long long left;

	if (!f->sel.n_selected_hosts) {
		snprintf(c->err, sizeof(c->err), "no host selected");
		return -EINVAL;
	}
	return zf_resargs_fill(f->args, &left, c->err, sizeof(c->err));
}

static int fill_host(struct zf_fctx *c, size_t h, unsigned long long left)
{
	char names[4096];
	int rc;

	if (!zf_host_init_pid(c->rt, h))
		return 0;     /* powered off: nothing runs there */
	rc = run_job(c, h, fill_in_host, left, 1);
	if (rc == 0)
		rc = zf_svc_running(c, h, names, sizeof(names));
	if (rc == 0)
		rc = zf_svc_each(c, h, "restart", names, 0);
	return rc;
}

static int unfill_host(struct zf_fctx *c, size_t h)
{
	char names[8192];
	int rc;

	if (!zf_host_init_pid(c->rt, h))
		return 0;     /* its mount namespace (and the tmpfs) is gone */
	rc = stop_services(c, h, names, sizeof(names));
	if (rc == 0)
		rc = run_job(c, h, unfill_in_host, 0, 0);
	if (rc == 0)
		rc = start_services(c, h, names);
	return rc;
}

static int apply_fill(struct zf_fctx *c, const struct zf_fault *f)
{
	unsigned long long left = 0;
	int rc = zf_resargs_fill(f->args, &left, c->err, sizeof(c->err));

	for (size_t h = 0; rc == 0 && h < c->rt->lab->n_hosts; h++)
		if (f->sel.hosts[h])
			rc = fill_host(c, h, left);
	return rc;
}

static int revert_fill(struct zf_fctx *c, const struct zf_fault *f)
{
	int rc = 0, r;

	for (size_t h = 0; h < c->rt->lab->n_hosts; h++)
		if (f->sel.hosts[h] && (r = unfill_host(c, h)) < 0 && !rc)
			rc = r;
	return rc;
}

static int verify_fill(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	unsigned long long left = 0;
	int rc = zf_resargs_fill(f->args, &left, c->err, sizeof(c->err));

	for (size_t h = 0; rc == 0 && h < c->rt->lab->n_hosts; h++)
		if (f->sel.hosts[h] && zf_host_init_pid(c->rt, h))
			rc = run_job(c, h, verify_in_host, left, applied);
	return rc;
}

const struct zf_fault_kind zf_fault_disk_fill = {
	.name = "disk-fill",
	.usage = "disk-fill TARGET [SIZE|full]",
	.summary = "the hosts' data directory fills up (SIZE left, default none): ENOSPC",
	.check = check_fill,
	.apply = apply_fill,
	.revert = revert_fill,
	.verify = verify_fill,
};
