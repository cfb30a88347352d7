#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int zf_mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = saved;
		if (saved == '\0')
			break;
	}
	return 0;
}

int zf_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fsync_parent(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, rc = 0;

	if (!slash)
		slash = path - 1; /* current directory: "%.*s" prints "" */
	if (slash < path && zf_fmt(dir, sizeof(dir), "."))
		return -ENAMETOOLONG;
	if (slash >= path && zf_fmt(dir, sizeof(dir), "%.*s", (int)(slash - path + 1), path))
		return -ENAMETOOLONG;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

static int write_file(const char *path, const void *data, size_t len,
		      mode_t mode, int durable)
{
	char tmp[PATH_MAX];
	int fd, rc;

	if (zf_fmt(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	rc = zf_write_all(fd, data, len);
	if (rc == 0 && durable && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0) {
		unlink(tmp);
		return rc;
	}
	return durable ? fsync_parent(path) : 0;
}

int zf_write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	return write_file(path, data, len, mode, 1);
}

int zf_put_file(const char *path, const void *data, size_t len, mode_t mode)
{
	return write_file(path, data, len, mode, 0);
}

int zf_read_file(const char *path, size_t max, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 4096, n = 0;
	char *p;
	int rc = 0;

	if (fd < 0)
		return -errno;
	p = zf_xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				rc = -EFBIG;
				goto out;
			}
			cap *= 2;
			p = zf_xrealloc(p, cap + 1);
		}
		ssize_t r = read(fd, p + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max)
		rc = -EFBIG;
out:
	close(fd);
	if (rc < 0) {
		free(p);
		return rc;
	}
	p[n] = '\0';
	*buf = p;
	if (len)
		*len = n;
	return 0;
}

int zf_append_sync(int fd, const char *line, size_t len)
{
	int rc = zf_write_all(fd, line, len);

	if (rc == 0 && fdatasync(fd) < 0)
		rc = -errno;
	return rc;
}

static int remove_at(int dirfd, const char *name, dev_t dev);

static int remove_dir_contents(int fd, dev_t dev)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	int rc = 0;

	if (!d) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		rc = remove_at(dirfd(d), de->d_name, dev);
		if (rc < 0)
			break;
	}
	closedir(d);
	return rc;
}

/* Remove NAME under DIRFD; refuses to descend into another file system. */
static int remove_at(int dirfd, const char *name, dev_t dev)
{
	struct stat st;
	int fd, rc;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
	if (st.st_dev != dev)
		return -EBUSY;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = remove_dir_contents(fd, dev);
	if (rc < 0)
		return rc;
	return unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT ? -errno : 0;
}

int zf_remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	return remove_at(AT_FDCWD, path, st.st_dev);
}

int zf_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}
