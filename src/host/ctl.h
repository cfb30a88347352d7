/* ctl.h - the host's control socket: a listening unix stream socket,
 * one request line per connection (at most CTL_LINE_MAX bytes), one JSON
 * reply line (see ctl_cmd.h), then close. Clients are served
 * non-blockingly inside the event loop; a connection that has not
 * completed its exchange within CTL_TIMEOUT_MS is closed. */
#ifndef ZF_HOST_CTL_H
#define ZF_HOST_CTL_H

#include "util/evloop.h"
#include "host/supervisor.h"

#define CTL_LINE_MAX 4096
#define CTL_TIMEOUT_MS 2000
#define CTL_MAX_CLIENTS 32

/* A bound, listening control socket, and its directory held open so the
 * socket file can be removed after the sandbox has hidden its path. */
struct ctl_socket {
	int fd;                 /* non-blocking, close-on-exec */
	int dirfd;              /* the directory of the socket file */
	char name[108];         /* the socket file's name in it */
};

/* Create the listening socket at PATH, mode 0600: a stale socket there
 * (nobody accepting) is removed first; a live one, or a file that is not a
 * socket, is left alone (-EADDRINUSE, -EEXIST). Returns 0 with *SOCK
 * filled in, or a negative errno; the caller reports, naming PATH. */
int ctl_listen(const char *path, struct ctl_socket *sock);

struct ctl_server;

/* Serve SOCK (taken over, closed by ctl_free even on error) for SUP.
 * Returns 0 or a negative errno. */
int ctl_new(struct evloop *loop, struct supervisor *sup,
	    const struct ctl_socket *sock, struct ctl_server **out);

/* Remove the socket file (on a graceful exit); errors are ignored. */
void ctl_unlink(struct ctl_server *srv);

/* Close the listening socket and every client. */
void ctl_free(struct ctl_server *srv);

#endif
