/* main.c - zonefall-diskfs: mount the pass-through over --dir in the
 * current mount namespace, keep --keep on the real disk, say ready, serve
 * until unmounted or signalled.
 *
 * zonefall starts it inside a lab host (src/fault/res_diskio.c), so the
 * mount exists in that host's mount namespace only. The directory is
 * opened before the mount covers it; every operation goes to that fd.
 * Faults are armed only once the mount and the bind of --keep are in
 * place. SIGTERM (or an unmount) ends it; it unmounts on the way out.
 * Exit status: 0 after a clean end, 1 on a setup error (message on
 * stderr), 2 on a usage error. */
#define FUSE_USE_VERSION 31
#include "diskfs/diskfs.h"
#include "fault/diskstats.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static struct diskfs g_fs;

struct setup {
	const struct diskfs_opts *o;
	int keep_fd;             /* O_PATH of DIR/KEEP, or -1 */
	pthread_t thread;
	int done;                /* 1: armed and ready said */
};

__attribute__((format(printf, 1, 2)))
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "zonefall-diskfs: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void write_stats(const struct diskfs_opts *o)
{
	char tmp[ZF_DISKFS_ARG_MAX + 8], line[ZF_DISKSTATS_LINE_MAX];
	struct zf_diskstats s = {
		.ops = atomic_load(&g_fs.st.ops), .delayed = atomic_load(&g_fs.st.delayed),
		.delay_us = atomic_load(&g_fs.st.delay_us), .failed = atomic_load(&g_fs.st.failed),
	};
	int fd, n;

	if (!o->stats || (n = zf_diskstats_format(&s, line, sizeof(line))) < 0)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", o->stats);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)n) == n)
		rename(tmp, o->stats);
	close(fd);
}

/* Runs while the main thread serves: the bind of KEEP needs a lookup in
 * the new mount. Then arm, say ready, and write the counters every 200 ms. */
static void *setup_thread(void *arg)
{
	struct setup *s = arg;
	const struct diskfs_opts *o = s->o;
	char keep[ZF_DISKFS_ARG_MAX * 2 + 2], src[40];

	if (s->keep_fd >= 0) {
		snprintf(keep, sizeof(keep), "%s/%s", o->dir, o->keep);
		snprintf(src, sizeof(src), "/proc/self/fd/%d", s->keep_fd);
		if (mount(src, keep, NULL, MS_BIND, NULL) < 0) {
			say("keeping %s on the real disk: %s", keep, strerror(errno));
			umount2(o->dir, MNT_DETACH);   /* ends the loop */
			return NULL;
		}
		close(s->keep_fd);
		s->keep_fd = -1;
	}
	atomic_store(&g_fs.armed, 1);
	s->done = 1;
	if (o->ready_fd >= 0) {
		if (write(o->ready_fd, "", 1) != 1)
			say("telling zonefall it is ready: %s", strerror(errno));
		close(o->ready_fd);
	}
	for (;;) {
		struct timespec t = { 0, 200 * 1000 * 1000 };
		write_stats(o);
		nanosleep(&t, NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct diskfs_opts o;
	struct setup s = { .o = &o, .keep_fd = -1 };
	struct fuse *f = NULL;
	char err[512], keep[ZF_DISKFS_ARG_MAX * 2 + 2];
	int rc = 1, mounted = 0;

	if (diskfs_opts_parse(argc, argv, &o, err, sizeof(err)) < 0) {
		say("%s", err);
		return 2;
	}
	/* Started through execveat(fd): its name would be the fd's number. */
	prctl(PR_SET_NAME, "zonefall-diskfs", 0, 0, 0);
	umask(0);
	g_fs.plan = o.plan;
	g_fs.root = open(o.dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (g_fs.root < 0) {
		say("opening %s: %s", o.dir, strerror(errno));
		return 1;
	}
	if (o.keep) {
		snprintf(keep, sizeof(keep), "%s/%s", o.dir, o.keep);
		s.keep_fd = open(keep, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (s.keep_fd < 0 && errno != ENOENT) {
			say("opening %s: %s", keep, strerror(errno));
			goto out;
		}
	}
	if (fuse_opt_add_arg(&args, "zonefall-diskfs") ||
	    fuse_opt_add_arg(&args, "-o") ||
	    fuse_opt_add_arg(&args, "allow_other,default_permissions,"
			     "fsname=zonefall-diskfs,subtype=zonefall-diskfs")) {
		say("out of memory");
		goto out;
	}
	f = fuse_new(&args, diskfs_operations(), sizeof(struct fuse_operations), &g_fs);
	if (!f) {
		say("fuse_new failed");
		goto out;
	}
	if (fuse_mount(f, o.dir) != 0) {
		say("mounting over %s failed", o.dir);
		goto out;
	}
	mounted = 1;
	if (fuse_set_signal_handlers(fuse_get_session(f)) != 0 ||
	    pthread_create(&s.thread, NULL, setup_thread, &s) != 0) {
		say("setting up the loop failed");
		goto out;
	}
	rc = fuse_loop_mt(f, 0) < 0 ? 1 : 0;
	if (!s.done)
		rc = 1;
	fuse_remove_signal_handlers(fuse_get_session(f));
out:
	if (mounted)
		fuse_unmount(f);
	if (f)
		fuse_destroy(f);
	fuse_opt_free_args(&args);
	write_stats(&o);
	close(g_fs.root);
	return rc;
}
