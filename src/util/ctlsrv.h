/* ctlsrv.h - the server side of a zonefall daemon's control socket
 * (protocol in ctlclient.h: one request line, one response line, several
 * requests per connection).
 *
 * The server keeps its listening socket and its clients in an epoll set of
 * its own; the daemon adds zf_ctlsrv_fd() to its event loop once and calls
 * zf_ctlsrv_run() when it is readable. Sockets are non-blocking and answers
 * buffered, so a slow client never stalls the daemon's real work. */
#ifndef ZF_UTIL_CTLSRV_H
#define ZF_UTIL_CTLSRV_H

#include <stddef.h>

struct zf_ctlsrv;

#include <stdint.h>

/* What the daemon does for the requests. "quit" is answered "ok" by the
 * server itself (zf_ctlsrv_run then returns 1); anything else is answered
 * "error unknown request ...". */
struct zf_ctl_ops {
	/* Reread the config: 0 and the new generation in *GEN, or -errno
	 * with the message (e.g. "config:3: expected ...") in ERR. */
	int (*reload)(void *ctx, uint64_t *gen, char *err, size_t errlen);
	/* The statistics, one JSON object in a new buffer (freed here). */
	char *(*stats)(void *ctx);
};

/* Listen on the unix socket PATH (mode 0600; a stale socket left by a dead
 * daemon is replaced, a live one is -EADDRINUSE) and answer with OPS and
 * CTX. 0 and the server in *OUT, or -errno. */
int zf_ctlsrv_open(const char *path, const struct zf_ctl_ops *ops, void *ctx,
		   struct zf_ctlsrv **out);

/* The fd to watch for EPOLLIN in the daemon's loop. */
int zf_ctlsrv_fd(const struct zf_ctlsrv *s);

/* Accept, read, answer and write whatever is ready, without blocking.
 * Returns 1 once a request that set *QUIT has been answered, else 0. */
int zf_ctlsrv_run(struct zf_ctlsrv *s);

/* Close every connection and the socket, remove the socket file. */
void zf_ctlsrv_close(struct zf_ctlsrv *s);

#endif
