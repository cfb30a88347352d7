/* cgleaf.h - one leaf cgroup ("init", "svc-NAME") in each of the host's
 * cgroup directories, held open as directory fds.
 *
 * The fds are opened before the sandbox mounts a fresh sysfs over /sys
 * (which hides /sys/fs/cgroup); joining goes through them, so it keeps
 * working afterwards, and it works for cgroup v1 and v2 alike (both take a
 * pid, 0 meaning the writer, in "cgroup.procs"). */
#ifndef ZF_HOST_CGLEAF_H
#define ZF_HOST_CGLEAF_H

#include <stddef.h>

struct cgleaf {
	int *dirfds;   /* one per cgroup directory, O_CLOEXEC */
	size_t n;
};

/* Open "<roots[i]>/<leaf>" for the N ROOTS. Returns 0, or a negative errno
 * with the failing root's index in *BAD (nothing is left open). */
int cgleaf_open(char *const *roots, size_t n, const char *leaf,
		struct cgleaf *out, size_t *bad);

/* Move the calling process into every directory of L by writing "0" to
 * its cgroup.procs. Async-signal-safe (used between fork and exec).
 * Returns 0, or a negative errno with the failing index in *BAD (may be
 * NULL); earlier moves are not undone. */
int cgleaf_join(const struct cgleaf *l, size_t *bad);

void cgleaf_close(struct cgleaf *l);

#endif
