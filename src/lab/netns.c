/* netns.c - named network namespaces at /run/netns/NAME, as iproute2 makes
 * them (see netns.h).
 *
 * Everything here acts on the calling *thread*: setns() and
 * unshare(CLONE_NEWNET) only change the caller's thread, so several threads
 * may create, enter and configure different namespaces at the same time. The
 * only process-wide state is "/run/netns is a shared mount", set up once and
 * guarded by a mutex. */
#include "lab/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "util/log.h"

#define SELF_NET "/proc/thread-self/ns/net"

static pthread_mutex_t dir_lock = PTHREAD_MUTEX_INITIALIZER;
static int dir_ready; /* guarded by dir_lock */

/* Build "/run/netns/NAME" into BUF. NAME must be a single, non-empty path
 * component (no '/', not "." or ".."); -EINVAL otherwise, -ENAMETOOLONG if
 * it does not fit. */
static int ns_path(char *buf, size_t len, const char *name)
{
	if (!name || !*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..") || strlen(name) > NAME_MAX)
		return -EINVAL;
	return zf_fmt(buf, len, "%s/%s", ZF_NETNS_DIR, name);
}

/* Make ZF_NETNS_DIR exist and be a shared mount point, like `ip netns add`:
 * the bind mounts of namespaces below it must propagate to (and their
 * unmounts from) the slave mount namespaces that hosts create. Done once per
 * process; *MADE is set to 1 when this call bind-mounted the directory onto
 * itself. Returns 0 or a negative errno. */
static int ensure_dir_mount(int *made)
{
	int ret = 0;

	pthread_mutex_lock(&dir_lock);
	if (dir_ready)
		goto out;
	if (mkdir(ZF_NETNS_DIR, 0755) < 0 && errno != EEXIST) {
		ret = -errno;
		goto out;
	}
	/* MS_SHARED on something that is not a mount point gives EINVAL. */
	if (mount("", ZF_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) == 0) {
		dir_ready = 1;
		goto out;
	}
	if (errno != EINVAL) {
		ret = -errno;
		goto out;
	}
	if (mount(ZF_NETNS_DIR, ZF_NETNS_DIR, "none", MS_BIND | MS_REC,
		  NULL) < 0) {
		ret = -errno;
		goto out;
	}
	if (made)
		*made = 1;
	if (mount("", ZF_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) {
		ret = -errno;
		goto out;
	}
	dir_ready = 1;
out:
	pthread_mutex_unlock(&dir_lock);
	return ret;
}

/* In a new network namespace of the calling thread, bind-mount that
 * namespace onto PATH (an existing empty file) and, if FD is not NULL, open
 * it into *FD. The thread is always back in its original namespace on
 * return, error or not (if even that fails, the error is returned and the
 * thread is stranded: a condition only a broken kernel or lost privileges
 * produce). On error nothing stays mounted on PATH. */
static int bind_new_ns(const char *path, int *fd)
{
	int orig, nfd = -1, mounted = 0, ret = 0;

	orig = open(SELF_NET, O_RDONLY | O_CLOEXEC);
	if (orig < 0)
		return -errno;
	if (unshare(CLONE_NEWNET) < 0) {
		ret = -errno;
		goto out;
	}
	if (mount(SELF_NET, path, "none", MS_BIND, NULL) < 0)
		ret = -errno;
	else
		mounted = 1;
	if (ret == 0 && fd) {
		nfd = open(SELF_NET, O_RDONLY | O_CLOEXEC);
		if (nfd < 0)
			ret = -errno;
	}
	/* Always go back, whatever happened above. */
	if (setns(orig, CLONE_NEWNET) < 0 && ret == 0)
		ret = -errno;
	if (ret == 0 && fd) {
		*fd = nfd;
		nfd = -1;
	}
out:
	if (nfd >= 0)
		close(nfd);
	if (ret < 0 && mounted)
		umount2(path, MNT_DETACH);
	close(orig);
	return ret;
}

int zf_netns_create(const char *name, int *fd, int *made_dir_mount)
{
	char path[PATH_MAX];
	int ret, f;

	if (made_dir_mount)
		*made_dir_mount = 0;
	ret = ns_path(path, sizeof(path), name);
	if (ret < 0)
		return ret;
	ret = ensure_dir_mount(made_dir_mount);
	if (ret < 0)
		return ret;
	f = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (f < 0)
		return -errno;
	close(f);
	ret = bind_new_ns(path, fd);
	if (ret < 0)
		unlink(path);
	return ret;
}

/* Returns 0 if FD is a namespace file (nsfs), -EINVAL if it is something
 * else (e.g. the empty placeholder left by a killed creator). */
static int check_nsfs(int fd)
{
	struct statfs sfs;

	if (fstatfs(fd, &sfs) < 0)
		return -errno;
	return sfs.f_type == NSFS_MAGIC ? 0 : -EINVAL;
}

int zf_netns_open(const char *name, int *fd)
{
	char path[PATH_MAX];
	int ret, f = -1;

	ret = ns_path(path, sizeof(path), name);
	if (ret < 0)
		goto out;
	f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0) {
		ret = -errno;
		goto out;
	}
	ret = check_nsfs(f);
	if (ret < 0)
		goto out;
	*fd = f;
	f = -1;
out:
	if (f >= 0)
		close(f);
	return ret;
}

int zf_netns_delete(const char *name)
{
	char path[PATH_MAX];
	int ret;

	ret = ns_path(path, sizeof(path), name);
	if (ret < 0)
		goto out;
	/* EINVAL: not a mount point (placeholder file only); ENOENT: gone. */
	if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 &&
	    errno != EINVAL && errno != ENOENT) {
		ret = -errno;
		goto out;
	}
	if (unlink(path) < 0 && errno != ENOENT)
		ret = -errno;
out:
	return ret;
}

int zf_netns_enter(int fd, int *saved)
{
	int orig, ret = 0;

	orig = open(SELF_NET, O_RDONLY | O_CLOEXEC);
	if (orig < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET) < 0) {
		ret = -errno;
		close(orig);
		goto out;
	}
	*saved = orig;
out:
	return ret;
}

int zf_netns_leave(int saved)
{
	int ret = 0;

	if (setns(saved, CLONE_NEWNET) < 0)
		ret = -errno;
	close(saved);
	return ret;
}

/* KEY must be relative, without "." or ".." components. */
static int check_sysctl_key(const char *key)
{
	const char *p = key;

	if (!key || !*key || *key == '/')
		return -EINVAL;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return -EINVAL;
		p += n;
		if (*p == '/')
			p++;
	}
	return 0;
}

/* Open /proc/sys/KEY in the calling thread's current namespace and write
 * VALUE to it. */
static int write_sysctl(const char *key, const char *value)
{
	char path[PATH_MAX];
	int ret, f;

	ret = zf_fmt(path, sizeof(path), "/proc/sys/%s", key);
	if (ret < 0)
		return ret;
	f = open(path, O_WRONLY | O_CLOEXEC);
	if (f < 0)
		return -errno;
	if (write(f, value, strlen(value)) < 0)
		ret = -errno;
	if (close(f) < 0 && ret == 0)
		ret = -errno;
	return ret;
}

int zf_netns_sysctl(int fd, const char *key, const char *value)
{
	int ret, saved, r;

	ret = check_sysctl_key(key);
	if (ret < 0)
		return ret;
	ret = zf_netns_enter(fd, &saved);
	if (ret < 0)
		return ret;
	ret = write_sysctl(key, value);
	r = zf_netns_leave(saved);
	if (ret == 0)
		ret = r;
	return ret;
}

int zf_netns_dir_mounted(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		/* fields: id parent major:minor root MOUNTPOINT ... */
		char *save = NULL, *tok = strtok_r(line, " ", &save);
		for (int i = 1; tok && i < 5; i++)
			tok = strtok_r(NULL, " ", &save);
		found = tok && !strcmp(tok, ZF_NETNS_DIR);
	}
	fclose(f);
	return found;
}
