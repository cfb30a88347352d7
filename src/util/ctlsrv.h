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

/* Answer request line REQ (without its newline): return the response in a
 * new buffer (newlines in it become spaces; the server frees it) and set
 * *QUIT when the daemon is to stop once the answer is out. */
typedef char *(*zf_ctl_handler)(void *ctx, const char *req, int *quit);

/* Listen on the unix socket PATH (mode 0600; a stale socket left by a dead
 * daemon is replaced, a live one is -EADDRINUSE). 0 and the server in
 * *OUT, or -errno. */
int zf_ctlsrv_open(const char *path, zf_ctl_handler fn, void *ctx,
		   struct zf_ctlsrv **out);

/* The fd to watch for EPOLLIN in the daemon's loop. */
int zf_ctlsrv_fd(const struct zf_ctlsrv *s);

/* Accept, read, answer and write whatever is ready, without blocking.
 * Returns 1 once a request that set *QUIT has been answered, else 0. */
int zf_ctlsrv_run(struct zf_ctlsrv *s);

/* Close every connection and the socket, remove the socket file. */
void zf_ctlsrv_close(struct zf_ctlsrv *s);

#endif
