/* whttp.c - the blocking HTTP/1.1 client of write probes (whttp.h):
 * non-blocking sockets driven with poll() so that connecting, sending and
 * reading all stop at the request's deadline. A kept-alive connection is
 * checked before reuse (a server that closed it meanwhile makes it
 * readable) and replaced, because a request written into a connection the
 * server is closing cannot be told apart from one it received: for a
 * write that would be an "unknown", wrongly. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe/whttp.h"
#include "util/mem.h"
#include "util/timeutil.h"

#define READ_CHUNK (64u * 1024u)

void zf_whttp_init(struct zf_whttp *c, const struct sockaddr_in *addr)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->addr = *addr;
}

void zf_whttp_close(struct zf_whttp *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

void zf_whttp_fini(struct zf_whttp *c)
{
	zf_whttp_close(c);
	free(c->buf);
	c->buf = NULL;
	c->cap = c->len = 0;
}

/* Milliseconds to DEADLINE, rounded up; 0 when it has passed. */
static int ms_left(uint64_t deadline)
{
	uint64_t now = zf_now_ns(), ms;

	if (deadline <= now)
		return 0;
	ms = (deadline - now + ZF_NS_PER_MS - 1) / ZF_NS_PER_MS;
	return ms > 3600000 ? 3600000 : (int)ms;
}

/* Wait for EVENTS on FD until DEADLINE: 0, or -ETIMEDOUT. */
static int wait_fd(int fd, short events, uint64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };

	for (;;) {
		int ms = ms_left(deadline), n;

		if (ms == 0)
			return -ETIMEDOUT;
		n = poll(&p, 1, ms);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

static int connect_to(struct zf_whttp *c, uint64_t deadline)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1, err = 0, rc;
	socklen_t el = sizeof(err);

	if (fd < 0)
		return -errno;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (const struct sockaddr *)&c->addr, sizeof(c->addr)) == 0)
		goto done;
	if (errno != EINPROGRESS) {
		rc = -errno;
		close(fd);
		return rc;
	}
	rc = wait_fd(fd, POLLOUT, deadline);
	if (rc == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
		rc = -errno;
	if (rc == 0 && err)
		rc = -err;
	if (rc < 0) {
		close(fd);
		return rc;
	}
done:
	c->fd = fd;
	return 0;
}

/* Has the server closed (or written to) the idle connection? */
static int stale(const struct zf_whttp *c)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN | POLLRDHUP };

	return poll(&p, 1, 0) != 0;
}

/* The request's bytes into a new buffer. */
static char *build(const struct zf_whttp_req *rq, size_t *len)
{
	size_t head = strlen(rq->method) + strlen(rq->path) +
		      strlen(rq->host) + (rq->ctype ? strlen(rq->ctype) : 0) + 128;
	char *b = zf_xmalloc(head + rq->body_len);
	int n = snprintf(b, head, "%s %s HTTP/1.1\r\nHost: %s\r\n%s%s%s"
			 "Content-Length: %zu\r\n\r\n", rq->method, rq->path,
			 rq->host, rq->ctype ? "Content-Type: " : "",
			 rq->ctype ? rq->ctype : "", rq->ctype ? "\r\n" : "",
			 rq->body_len);

	if (n < 0 || (size_t)n >= head)
		n = 0;
	if (rq->body_len)
		memcpy(b + n, rq->body, rq->body_len);
	*len = (size_t)n + rq->body_len;
	return b;
}

static int send_all(struct zf_whttp *c, const char *b, size_t len,
		    uint64_t deadline, int *sent)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = send(c->fd, b + off, len - off, MSG_NOSIGNAL);
		int rc;

		if (n > 0) {
			off += (size_t)n;
			*sent = 1;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		if ((rc = wait_fd(c->fd, POLLOUT, deadline)) < 0)
			return rc;
	}
	return 0;
}

/* Make room for READ_CHUNK more bytes (at most MAX in all). */
static void reserve(struct zf_whttp *c, size_t max)
{
	size_t want = c->len + READ_CHUNK, cap = c->cap ? c->cap : READ_CHUNK;

	if (want > max)
		want = max;
	if (want <= c->cap)
		return;
	while (cap < want)
		cap *= 2;
	c->buf = zf_xrealloc(c->buf, cap);
	c->cap = cap;
}

static int read_response(struct zf_whttp *c, uint64_t deadline,
			 size_t max_body, struct zf_hresp *rs)
{
	size_t max = max_body + ZF_HRESP_MAX_HEAD + 4096;
	int rc;

	c->len = 0;
	for (;;) {
		ssize_t n;

		reserve(c, max);
		if (c->len >= c->cap)
			return -EMSGSIZE;
		n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		if (n < 0) {
			if ((rc = wait_fd(c->fd, POLLIN, deadline)) < 0)
				return rc;
			continue;
		}
		c->len += (size_t)n;
		rc = zf_hresp_parse(c->buf, c->len, n == 0, max_body, rs);
		if (rc == ZF_HRESP_DONE)
			return 0;
		if (rc < 0)
			return n == 0 && rc == -EBADMSG ? -ECONNRESET : rc;
	}
}

int zf_whttp_do(struct zf_whttp *c, const struct zf_whttp_req *rq,
		uint64_t connect_deadline, uint64_t deadline, size_t max_body,
		struct zf_hresp *rs, const char **body, int *sent)
{
	size_t len;
	char *req;
	int rc = 0;

	*sent = 0;
	if (c->fd >= 0 && stale(c))
		zf_whttp_close(c);
	if (connect_deadline > deadline)
		connect_deadline = deadline;
	if (c->fd < 0 && (rc = connect_to(c, connect_deadline)) < 0)
		return rc;
	req = build(rq, &len);
	rc = send_all(c, req, len, deadline, sent);
	free(req);
	if (rc == 0)
		rc = read_response(c, deadline, max_body, rs);
	if (rc < 0) {
		/* *SENT is 0 only when no send() took a byte: a send() that
		 * fails takes none */
		zf_whttp_close(c);
		return rc;
	}
	*body = c->buf + rs->body_off;
	if (!rs->keep || rs->used != c->len)
		zf_whttp_close(c);
	return 0;
}
