/* disk_merge.c - overlay upper -> lower, by directory fds. */
#include "fault/disk_merge.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#define MAX_DEPTH 64

static int open_dir_at(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* Every entry of directory FD, removed (FD is borrowed). */
static int empty_dir(int fd, int depth)
{
	int dup_fd = dup(fd), rc = 0;
	DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	struct dirent *de;

	if (!d) {
		rc = -errno;
		if (dup_fd >= 0)
			close(dup_fd);
		return rc;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (unlinkat(fd, de->d_name, 0) == 0 || errno == ENOENT)
			continue;
		if (errno != EISDIR || depth >= MAX_DEPTH) {
			rc = -errno;
			break;
		}
		int sub = open_dir_at(fd, de->d_name);
		rc = sub < 0 ? sub : empty_dir(sub, depth + 1);
		if (sub >= 0)
			close(sub);
		if (rc == 0 && unlinkat(fd, de->d_name, AT_REMOVEDIR) < 0)
			rc = -errno;
	}
	closedir(d);
	return rc;
}

int zf_disk_remove_at(int dirfd, const char *name)
{
	int sub, rc;

	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR)
		return -errno;
	sub = open_dir_at(dirfd, name);
	if (sub < 0)
		return sub;
	rc = empty_dir(sub, 0);
	close(sub);
	if (rc == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		rc = -errno;
	return rc;
}

/* Owner, mode and times of ST onto FD. */
static int copy_attrs(int fd, const struct stat *st)
{
	struct timespec t[2] = { st->st_atim, st->st_mtim };

	if (fchown(fd, st->st_uid, st->st_gid) < 0 || fchmod(fd, st->st_mode & 07777) < 0 ||
	    futimens(fd, t) < 0)
		return -errno;
	return 0;
}

static int copy_data(int in, int out)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -errno;
			off += w;
		}
	}
	return fsync(out) < 0 ? -errno : 0;
}

static int merge_file(int up, int low, const char *name, const struct stat *st)
{
	int in = openat(up, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), out = -1, rc;

	if (in < 0)
		return -errno;
	rc = zf_disk_remove_at(low, name);
	if (rc == 0) {
		out = openat(low, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			     0600);
		rc = out < 0 ? -errno : copy_data(in, out);
	}
	if (rc == 0)
		rc = copy_attrs(out, st);
	if (out >= 0)
		close(out);
	close(in);
	return rc;
}

static int merge_symlink(int up, int low, const char *name, const struct stat *st)
{
	char target[4096];
	ssize_t n = readlinkat(up, name, target, sizeof(target) - 1);
	int rc;

	if (n < 0)
		return -errno;
	target[n] = '\0';
	rc = zf_disk_remove_at(low, name);
	if (rc == 0 && symlinkat(target, low, name) < 0)
		rc = -errno;
	if (rc == 0 && fchownat(low, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		rc = -errno;
	return rc;
}

static int is_opaque(int dirfd)
{
	char v[4];
	ssize_t n = fgetxattr(dirfd, "trusted.overlay.opaque", v, sizeof(v));

	return n == 1 && v[0] == 'y';
}

static int merge_at(int up, int low, char *where, size_t wlen, int depth);

static int merge_dir(int up, int low, const char *name, const struct stat *st,
		     char *where, size_t wlen, int depth)
{
	int u = open_dir_at(up, name), l = -1, rc = u < 0 ? u : 0;
	struct stat lst;

	if (rc == 0 && fstatat(low, name, &lst, AT_SYMLINK_NOFOLLOW) == 0 &&
	    (!S_ISDIR(lst.st_mode) || is_opaque(u)))
		rc = zf_disk_remove_at(low, name);
	if (rc == 0 && mkdirat(low, name, 0700) < 0 && errno != EEXIST)
		rc = -errno;
	if (rc == 0 && (l = open_dir_at(low, name)) < 0)
		rc = l;
	if (rc == 0)
		rc = merge_at(u, l, where, wlen, depth + 1);
	if (rc == 0)
		rc = copy_attrs(l, st);
	if (l >= 0)
		close(l);
	if (u >= 0)
		close(u);
	return rc;
}

/* One entry NAME of UP into LOW. */
static int merge_entry(int up, int low, const char *name, char *where, size_t wlen,
		       int depth)
{
	struct stat st;

	if (fstatat(up, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 0 && minor(st.st_rdev) == 0)
		return zf_disk_remove_at(low, name);      /* a whiteout */
	if (S_ISDIR(st.st_mode))
		return merge_dir(up, low, name, &st, where, wlen, depth);
	if (S_ISREG(st.st_mode))
		return merge_file(up, low, name, &st);
	if (S_ISLNK(st.st_mode))
		return merge_symlink(up, low, name, &st);
	if (S_ISSOCK(st.st_mode))
		return 0;
	int rc = zf_disk_remove_at(low, name);
	if (rc == 0 && mknodat(low, name, st.st_mode, st.st_rdev) < 0)
		rc = -errno;
	return rc;
}

static int merge_at(int up, int low, char *where, size_t wlen, int depth)
{
	int dup_fd, rc = 0;
	DIR *d;
	struct dirent *de;

	if (depth > MAX_DEPTH)
		return -ELOOP;
	dup_fd = dup(up);
	d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	if (!d) {
		rc = -errno;
		if (dup_fd >= 0)
			close(dup_fd);
		return rc;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		rc = merge_entry(up, low, de->d_name, where, wlen, depth);
		if (rc < 0 && !where[0])
			snprintf(where, wlen, "%s", de->d_name);
	}
	closedir(d);
	return rc;
}

int zf_disk_merge(int upper, int lower, char *where, size_t wlen)
{
	if (wlen)
		where[0] = '\0';
	return merge_at(upper, lower, where, wlen, 0);
}
