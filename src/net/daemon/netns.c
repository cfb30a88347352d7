/* netns.c - stepping into a router's network namespace to create sockets
 * there (a socket stays in the namespace it was created in) and back. */
#include "net/daemon/linkemd.h"
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int lkd_netns_enter(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

/* Not being able to return would leave every later socket in the wrong
 * namespace: nothing sane remains to do but stop. */
void lkd_netns_return(struct lkd *d)
{
	if (setns(d->self_ns, CLONE_NEWNET) == 0)
		return;
	zf_error("cannot return to the daemon's network namespace: %s",
		 strerror(errno));
	exit(3);
}
