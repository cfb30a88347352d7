/* passthru.c - the FUSE operations of zonefall-diskfs: each one passes
 * through to the real directory (struct diskfs.root) by *at calls, after
 * gate() has added the plan's delay or failed it with the plan's error.
 *
 * Paths come from the high-level API relative to the mount ("/a/b"); they
 * are used relative to the root fd ("a/b", "." for the root). Open files
 * and directories keep their real fd (DIR *) in fi->fh. The daemon runs as
 * root with umask 0; the kernel checks permissions (default_permissions),
 * and what it creates gets the caller's uid and gid. */
#define FUSE_USE_VERSION 31
#include "diskfs/diskfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

static struct diskfs *fs(void)
{
	return fuse_get_context()->private_data;
}

static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

/* A per-thread xorshift64*, seeded from the kernel. */
static uint64_t rnd(void)
{
	static _Thread_local uint64_t s;

	if (!s && (getrandom(&s, sizeof(s), 0) != sizeof(s) || !s))
		s = (uint64_t)(uintptr_t)&s ^ (uint64_t)time(NULL) ^ 0x9e3779b97f4a7c15ull;
	s ^= s >> 12;
	s ^= s << 25;
	s ^= s >> 27;
	return s * 0x2545f4914f6cdd1dull;
}

static void sleep_us(unsigned long long us)
{
	struct timespec t = { .tv_sec = (time_t)(us / 1000000),
			      .tv_nsec = (long)(us % 1000000) * 1000 };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &t, &t) == EINTR)
		;
}

/* Before an operation of class OP: 0 to go on (after the delay), or the
 * negative errno it fails with. */
static int gate(unsigned op)
{
	struct diskfs *d = fs();

	if (!atomic_load(&d->armed) || !(d->plan.ops & op))
		return 0;
	atomic_fetch_add(&d->st.ops, 1);
	if (d->plan.mode == ZF_DISKIO_SLOW) {
		sleep_us(d->plan.delay_us);
		atomic_fetch_add(&d->st.delayed, 1);
		atomic_fetch_add(&d->st.delay_us, d->plan.delay_us);
		return 0;
	}
	if (d->plan.rate_ppm >= ZF_DISKIO_RATE_FULL ||
	    rnd() % ZF_DISKIO_RATE_FULL < d->plan.rate_ppm) {
		atomic_fetch_add(&d->st.failed, 1);
		return -d->plan.error;
	}
	return 0;
}

#define GATE(op)                        \
	do {                            \
		int g_ = gate(op);      \
		if (g_ < 0)             \
			return g_;      \
	} while (0)

static int neg(int rc)
{
	return rc < 0 ? -errno : rc;
}

/* Give what was just created at PATH the caller's ids. */
static void own(const char *path)
{
	struct fuse_context *c = fuse_get_context();

	/* Best effort: a failure leaves it root's, as the daemon made it. */
	int rc = fchownat(fs()->root, rel(path), c->uid, c->gid, AT_SYMLINK_NOFOLLOW);
	(void)rc;
}

static void *op_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	cfg->use_ino = 1;
	cfg->hard_remove = 1;        /* open files are held by fd */
	cfg->entry_timeout = 0;      /* the machine may change the directory */
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	return fs();
}

static int op_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	GATE(ZF_DISKIO_META);
	if (fi)
		return neg(fstat((int)fi->fh, st));
	return neg(fstatat(fs()->root, rel(path), st, AT_SYMLINK_NOFOLLOW));
}

static int op_readlink(const char *path, char *buf, size_t size)
{
	ssize_t n;

	GATE(ZF_DISKIO_META);
	if (size == 0)
		return -EINVAL;
	n = readlinkat(fs()->root, rel(path), buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static int op_mknod(const char *path, mode_t mode, dev_t rdev)
{
	GATE(ZF_DISKIO_META);
	if (mknodat(fs()->root, rel(path), mode, rdev) < 0)
		return -errno;
	own(path);
	return 0;
}

static int op_mkdir(const char *path, mode_t mode)
{
	GATE(ZF_DISKIO_META);
	if (mkdirat(fs()->root, rel(path), mode) < 0)
		return -errno;
	own(path);
	return 0;
}

static int op_unlink(const char *path)
{
	GATE(ZF_DISKIO_META);
	return neg(unlinkat(fs()->root, rel(path), 0));
}

static int op_rmdir(const char *path)
{
	GATE(ZF_DISKIO_META);
	return neg(unlinkat(fs()->root, rel(path), AT_REMOVEDIR));
}

static int op_symlink(const char *target, const char *path)
{
	GATE(ZF_DISKIO_META);
	if (symlinkat(target, fs()->root, rel(path)) < 0)
		return -errno;
	own(path);
	return 0;
}

static int op_rename(const char *from, const char *to, unsigned int flags)
{
	GATE(ZF_DISKIO_META);
	return neg(renameat2(fs()->root, rel(from), fs()->root, rel(to), flags));
}

static int op_link(const char *from, const char *to)
{
	GATE(ZF_DISKIO_META);
	return neg(linkat(fs()->root, rel(from), fs()->root, rel(to), 0));
}

static int op_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	GATE(ZF_DISKIO_META);
	if (fi)
		return neg(fchmod((int)fi->fh, mode));
	return neg(fchmodat(fs()->root, rel(path), mode, 0));
}

static int op_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	GATE(ZF_DISKIO_META);
	if (fi)
		return neg(fchown((int)fi->fh, uid, gid));
	return neg(fchownat(fs()->root, rel(path), uid, gid, AT_SYMLINK_NOFOLLOW));
}

static int op_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	int fd, rc;

	GATE(ZF_DISKIO_WRITE);
	if (fi)
		return neg(ftruncate((int)fi->fh, size));
	fd = openat(fs()->root, rel(path), O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = neg(ftruncate(fd, size));
	close(fd);
	return rc;
}

static int op_utimens(const char *path, const struct timespec tv[2],
		      struct fuse_file_info *fi)
{
	GATE(ZF_DISKIO_META);
	if (fi)
		return neg(futimens((int)fi->fh, tv));
	return neg(utimensat(fs()->root, rel(path), tv, AT_SYMLINK_NOFOLLOW));
}

static int op_open(const char *path, struct fuse_file_info *fi)
{
	int fd;

	GATE(ZF_DISKIO_OPEN);
	fd = openat(fs()->root, rel(path), (fi->flags & ~O_NOFOLLOW) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	fi->fh = (uint64_t)fd;
	return 0;
}

static int op_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	struct fuse_context *c = fuse_get_context();
	int fd;

	GATE(ZF_DISKIO_OPEN);
	fd = openat(fs()->root, rel(path), fi->flags | O_CREAT | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	int rc = fchown(fd, c->uid, c->gid);   /* best effort, as own() */
	(void)rc;
	fi->fh = (uint64_t)fd;
	return 0;
}

static int op_read(const char *path, char *buf, size_t size, off_t off,
		   struct fuse_file_info *fi)
{
	ssize_t n;

	(void)path;
	GATE(ZF_DISKIO_READ);
	n = pread((int)fi->fh, buf, size, off);
	return n < 0 ? -errno : (int)n;
}

static int op_write(const char *path, const char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	ssize_t n;

	(void)path;
	GATE(ZF_DISKIO_WRITE);
	n = pwrite((int)fi->fh, buf, size, off);
	return n < 0 ? -errno : (int)n;
}

static int op_statfs(const char *path, struct statvfs *st)
{
	(void)path;
	GATE(ZF_DISKIO_META);
	return neg(fstatvfs(fs()->root, st));
}

static int op_flush(const char *path, struct fuse_file_info *fi)
{
	int fd = dup((int)fi->fh);

	(void)path;
	return fd < 0 ? -errno : neg(close(fd));
}

static int op_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	close((int)fi->fh);
	return 0;
}

static int op_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path;
	GATE(ZF_DISKIO_FSYNC);
	return neg(datasync ? fdatasync((int)fi->fh) : fsync((int)fi->fh));
}

static int op_opendir(const char *path, struct fuse_file_info *fi)
{
	DIR *dir;
	int fd;

	GATE(ZF_DISKIO_OPEN);
	fd = openat(fs()->root, rel(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		int e = errno;
		close(fd);
		return -e;
	}
	fi->fh = (uint64_t)(uintptr_t)dir;
	return 0;
}

/* The whole directory at once (offsets 0): the library keeps it. */
static int op_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
		      struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	DIR *dir = (DIR *)(uintptr_t)fi->fh;
	struct dirent *e;

	(void)path;
	(void)off;
	(void)flags;
	GATE(ZF_DISKIO_META);
	rewinddir(dir);
	errno = 0;
	while ((e = readdir(dir))) {
		struct stat st = { .st_ino = e->d_ino, .st_mode = (mode_t)DTTOIF(e->d_type) };
		if (fill(buf, e->d_name, &st, 0, 0))
			break;
	}
	return errno ? -errno : 0;
}

static int op_releasedir(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	closedir((DIR *)(uintptr_t)fi->fh);
	return 0;
}

static int op_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi)
{
	int fd = dirfd((DIR *)(uintptr_t)fi->fh);

	(void)path;
	GATE(ZF_DISKIO_FSYNC);
	return neg(datasync ? fdatasync(fd) : fsync(fd));
}

static int op_fallocate(const char *path, int mode, off_t off, off_t len,
			struct fuse_file_info *fi)
{
	(void)path;
	GATE(ZF_DISKIO_WRITE);
	return neg(fallocate((int)fi->fh, mode, off, len));
}

static const struct fuse_operations ops = {
	.init = op_init,
	.getattr = op_getattr,
	.readlink = op_readlink,
	.mknod = op_mknod,
	.mkdir = op_mkdir,
	.unlink = op_unlink,
	.rmdir = op_rmdir,
	.symlink = op_symlink,
	.rename = op_rename,
	.link = op_link,
	.chmod = op_chmod,
	.chown = op_chown,
	.truncate = op_truncate,
	.utimens = op_utimens,
	.open = op_open,
	.create = op_create,
	.read = op_read,
	.write = op_write,
	.statfs = op_statfs,
	.flush = op_flush,
	.release = op_release,
	.fsync = op_fsync,
	.opendir = op_opendir,
	.readdir = op_readdir,
	.releasedir = op_releasedir,
	.fsyncdir = op_fsyncdir,
	.fallocate = op_fallocate,
};

const struct fuse_operations *diskfs_operations(void)
{
	return &ops;
}
