/* netns.c - stepping into a resolver's network namespace to create its
 * sockets there (a socket stays in the namespace it was created in) and
 * back. */
#include "dns/daemon/server.h"
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int srv_netns_enter(const char *path)
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
void srv_netns_return(struct srv *s)
{
	if (setns(s->self_ns, CLONE_NEWNET) == 0)
		return;
	zf_error("zonefall-dns: cannot return to its network namespace: %s",
		 strerror(errno));
	exit(3);
}
