/* nsstep.c - into another network namespace and back (see nsstep.h). */
#include "util/nsstep.h"
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int zf_nsstep_enter(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

void zf_nsstep_return(int self_fd)
{
	if (setns(self_fd, CLONE_NEWNET) == 0)
		return;
	zf_error("cannot return to the daemon's network namespace: %s",
		 strerror(errno));
	exit(3);
}
