/* sandbox.c - mounts and hostname of a host.
 *
 * The hosts and resolv.conf sources usually live under /run, and the
 * targets may be symlinks into /run (systemd-resolved's stub-resolv.conf),
 * so the binds are made after the fresh /run: sources are held as O_PATH
 * fds opened beforehand and bound through /proc/self/fd, and a target that
 * resolved into the old /run is recreated (empty) in the new tmpfs. */
#include "host/sandbox.h"
#include "host/initlog.h"
#include "util/fsutil.h"
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define SBX_FLAGS (MS_NOSUID | MS_NODEV)

struct bind_file {
	const char *src, *dst;
	int srcfd;                 /* O_PATH, or -1 */
	int dir;                   /* a directory (kept path), not a file */
	char real[PATH_MAX];       /* DST with symlinks resolved */
};

#define MAX_BINDS (2 + HC_MAX_CGROUPS)

static int fail(const char *step, const char *path, int err)
{
	initlog(NULL, "sandbox: %s %s: %s", step, path, strerror(err));
	return -err;
}

int sandbox_detach(void)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return fail("make-rslave", "/", errno);
	return 0;
}

/* Before /run is replaced: hold the source, resolve the target. */
static int bind_prepare(struct bind_file *b)
{
	b->srcfd = open(b->src, O_PATH | O_CLOEXEC);
	if (b->srcfd < 0)
		return fail("open", b->src, errno);
	if (!realpath(b->dst, b->real))
		return fail("resolve", b->dst, errno);
	return 0;
}

/* Only inside our own tmpfs may a missing target be created. */
static int ensure_target(const char *path, int is_dir)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, rc;

	if (access(path, F_OK) == 0)
		return 0;
	if (strncmp(path, "/run/", 5) && strncmp(path, "/tmp/", 5))
		return fail("find mount target", path, ENOENT);
	if (is_dir) {
		rc = zf_mkdir_p(path, 0755);
		return rc < 0 ? fail("create directory", path, -rc) : 0;
	}
	if (zf_fmt(dir, sizeof(dir), "%.*s", (int)(slash - path), path) < 0)
		return fail("create mount target", path, ENAMETOOLONG);
	rc = zf_mkdir_p(dir, 0755);
	if (rc < 0)
		return fail("create directory", dir, -rc);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail("create mount target", path, errno);
	close(fd);
	return 0;
}

static int bind_apply(const struct bind_file *b)
{
	char src[64];
	int rc = ensure_target(b->real, b->dir);

	if (rc < 0)
		return rc;
	(void)zf_fmt(src, sizeof(src), "/proc/self/fd/%d", b->srcfd);
	if (mount(src, b->real, NULL, MS_BIND | (b->dir ? MS_REC : 0), NULL) < 0)
		return fail("bind-mount", b->src, errno);
	return 0;
}

static int mount_fs(const char *type, const char *dst, unsigned long flags,
		    const char *data)
{
	if (mount(type, dst, type, flags, data) < 0)
		return fail(type, dst, errno);
	return 0;
}

/* Fresh /tmp, /run, /dev/shm and /proc (the binds need a /proc of our own
 * pid). A private /dev/shm keeps POSIX shared memory of the host's
 * services (PostgreSQL's, say) off the machine's: it goes with the host's
 * mount namespace when the host powers off. */
static int mount_fresh(void)
{
	struct stat st;
	int rc;

	if ((rc = mount_fs("tmpfs", "/tmp", SBX_FLAGS, "mode=1777")) < 0 ||
	    (rc = mount_fs("tmpfs", "/run", SBX_FLAGS, "mode=0755")) < 0 ||
	    (rc = mount_fs("proc", "/proc", SBX_FLAGS | MS_NOEXEC, NULL)) < 0)
		return rc;
	if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode))
		rc = mount_fs("tmpfs", "/dev/shm", SBX_FLAGS | MS_NOEXEC, "mode=1777");
	return rc;
}

/* Which binds to make: the lab's hosts and resolv.conf files, and every
 * kept directory that the fresh /tmp or /run would otherwise hide (a lab
 * file's directory under /tmp, say, where its configs live). */
static size_t plan_binds(const struct host_config *cfg, struct bind_file *b)
{
	size_t n = 0;

	b[n++] = (struct bind_file){ .src = cfg->hosts_file, .dst = "/etc/hosts",
				     .srcfd = -1 };
	b[n++] = (struct bind_file){ .src = cfg->resolv_file,
				     .dst = "/etc/resolv.conf", .srcfd = -1 };
	for (size_t i = 0; cfg->keep[i] && n < MAX_BINDS; i++) {
		const char *k = cfg->keep[i];
		if (strncmp(k, "/tmp/", 5) && strncmp(k, "/run/", 5))
			continue;
		b[n++] = (struct bind_file){ .src = k, .dst = k, .srcfd = -1, .dir = 1 };
	}
	return n;
}

int sandbox_apply(const struct host_config *cfg)
{
	struct bind_file binds[MAX_BINDS];
	const size_t n = plan_binds(cfg, binds);
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++)
		rc = bind_prepare(&binds[i]);
	if (rc == 0)
		rc = mount_fresh();
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = bind_apply(&binds[i]);
	if (rc == 0)
		rc = mount_fs("sysfs", "/sys", SBX_FLAGS | MS_NOEXEC, NULL);
	if (rc == 0 && sethostname(cfg->host, strlen(cfg->host)) < 0)
		rc = fail("sethostname", cfg->host, errno);
	for (size_t i = 0; i < n; i++)
		if (binds[i].srcfd >= 0)
			close(binds[i].srcfd);
	return rc;
}
