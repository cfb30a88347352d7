/* cgleaf.c - leaf cgroups held as directory fds. */
#include "host/cgleaf.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

int cgleaf_open(char *const *roots, size_t n, const char *leaf,
		struct cgleaf *out, size_t *bad)
{
	struct cgleaf l = { .dirfds = zf_xcalloc(n, sizeof(int)), .n = 0 };
	char path[PATH_MAX];
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		rc = zf_fmt(path, sizeof(path), "%s/%s", roots[i], leaf);
		if (rc == 0) {
			l.dirfds[i] = open(path, O_RDONLY | O_DIRECTORY |
					   O_CLOEXEC);
			rc = l.dirfds[i] < 0 ? -errno : 0;
		}
		if (rc < 0) {
			*bad = i;
			goto out;
		}
		l.n++;
	}
	*out = l;
	l.dirfds = NULL;
	l.n = 0;
out:
	cgleaf_close(&l);
	return rc;
}

int cgleaf_join(const struct cgleaf *l, size_t *bad)
{
	for (size_t i = 0; i < l->n; i++) {
		int fd = openat(l->dirfds[i], "cgroup.procs",
				O_WRONLY | O_CLOEXEC);
		int rc = 0;

		if (fd < 0) {
			rc = -errno;
		} else {
			ssize_t w = write(fd, "0", 1);

			if (w != 1)
				rc = w < 0 ? -errno : -EIO;
			close(fd);
		}
		if (rc < 0) {
			if (bad)
				*bad = i;
			return rc;
		}
	}
	return 0;
}

void cgleaf_close(struct cgleaf *l)
{
	for (size_t i = 0; i < l->n; i++)
		close(l->dirfds[i]);
	free(l->dirfds);
	l->dirfds = NULL;
	l->n = 0;
}
