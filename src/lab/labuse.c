/* labuse.c - see labuse.h. */
#include "lab/labuse.h"
#include "lab/labrt.h"
#include "util/log.h"
#include "util/timeutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define POLL_NS (50ull * 1000 * 1000)

static int claim_path(const char *name, pid_t pid, char *buf, size_t len)
{
	if (pid)
		return zf_fmt(buf, len, ZF_RUN_ROOT "/%s/drills/%d", name, (int)pid);
	return zf_fmt(buf, len, ZF_RUN_ROOT "/%s/drills", name);
}

int zf_labuse_claim(const char *name)
{
	char dir[PATH_MAX], path[PATH_MAX];
	int fd;

	if (claim_path(name, 0, dir, sizeof(dir)) || claim_path(name, getpid(), path, sizeof(path)))
		return -ENAMETOOLONG;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

void zf_labuse_release(const char *name, int fd)
{
	char path[PATH_MAX];

	if (fd < 0)
		return;
	if (claim_path(name, getpid(), path, sizeof(path)) == 0)
		unlink(path);
	close(fd);
}

/* 1 when the drill of claim file PATH still runs (holds its lock). */
static int held(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), busy;

	if (fd < 0)
		return 0;
	busy = flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return busy;
}

/* Pids of the other drills holding a claim on lab NAME, into PIDS (at most
 * MAX); their count. With ASK, each is sent SIGTERM. */
static size_t running(const char *name, pid_t *pids, size_t max, int ask)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	if (claim_path(name, 0, dir, sizeof(dir)) || !(d = opendir(dir)))
		return 0;
	while ((de = readdir(d)) != NULL && n < max) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (de->d_name[0] == '.' || *end || pid <= 0 || pid == (long)getpid())
			continue;
		if (zf_fmt(path, sizeof(path), "%s/%s", dir, de->d_name) || !held(path))
			continue;
		if (ask)
			kill((pid_t)pid, SIGTERM);
		pids[n++] = (pid_t)pid;
	}
	closedir(d);
	return n;
}

int zf_labuse_stop_all(const char *name, uint64_t timeout_ns, size_t *n_stopped,
		       char *err, size_t errlen)
{
	pid_t pids[64];
	size_t n = running(name, pids, 64, 1);
	uint64_t deadline = zf_now_ns() + timeout_ns;

	if (n_stopped)
		*n_stopped = n;
	while (n && zf_now_ns() < deadline) {
		zf_sleep_ns(POLL_NS);
		n = running(name, pids, 64, 0);
	}
	if (!n)
		return 0;
	snprintf(err, errlen, "lab %s: drill pid %d%s still running after SIGTERM; stop it "
		 "(kill %d) and run down again", name, (int)pids[0], n > 1 ? " (and others)" : "",
		 (int)pids[0]);
	return -ETIMEDOUT;
}
