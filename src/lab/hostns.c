/* hostns.c - joining a running host from outside: its namespaces, opened
 * from its init's /proc entry, entered in the order setns needs. */
#include "lab/host.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

/* pid before mnt (it applies to children, and /proc must still be ours
 * while the others are opened); mnt last. */
static const struct {
	const char *name;
	int type;
} ns_order[ZF_HOST_NS_N] = {
	{ "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS }, { "net", CLONE_NEWNET },
	{ "pid", CLONE_NEWPID }, { "mnt", CLONE_NEWNS },
};

int zf_host_ns_open(pid_t init, int fds[ZF_HOST_NS_N])
{
	char path[64];

	for (size_t i = 0; i < ZF_HOST_NS_N; i++) {
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)init, ns_order[i].name);
		fds[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0) {
			int rc = -errno;
			while (i-- > 0)
				close(fds[i]);
			return rc;
		}
	}
	return 0;
}

int zf_host_ns_enter(const int fds[ZF_HOST_NS_N], const char **which)
{
	for (size_t i = 0; i < ZF_HOST_NS_N; i++) {
		if (setns(fds[i], ns_order[i].type) < 0) {
			*which = ns_order[i].name;
			return -errno;
		}
	}
	return 0;
}

void zf_host_ns_close(int fds[ZF_HOST_NS_N])
{
	for (size_t i = 0; i < ZF_HOST_NS_N; i++)
		close(fds[i]);
}
