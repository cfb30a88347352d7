/* linkem_client.c - the client side of the link emulator's control socket.
 * Non-blocking socket and poll(), so every call keeps its time limit. */
#include "net/linkem_client.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_ALLOC_RESPONSE (64u << 20)

struct resp_buf {
	char *buf;
	size_t len, cap;
	bool grow;          /* may realloc up to MAX_ALLOC_RESPONSE */
};

static int connect_dir(const char *dir, int *out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, rc;

	rc = zf_fmt(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir,
		    ZF_LINKEM_SOCK);
	if (rc < 0)
		return rc;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = errno == EAGAIN ? -ETIMEDOUT : -errno;
		close(fd);
		return rc;
	}
	*out = fd;
	return 0;
}

/* Wait for EVENTS on FD until DEADLINE (monotonic ns). */
static int wait_fd(int fd, short events, uint64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };

	for (;;) {
		uint64_t now = zf_now_ns();
		int ms, n;

		if (now >= deadline)
			return -ETIMEDOUT;
		ms = (int)((deadline - now + 999999) / 1000000);
		n = poll(&p, 1, ms);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

static int send_line(int fd, const char *req, uint64_t deadline)
{
	size_t len = strlen(req), off = 0;
	char *line = zf_xmalloc(len + 2);
	int rc = 0;

	memcpy(line, req, len);
	line[len++] = '\n';
	while (off < len && rc == 0) {
		ssize_t n = send(fd, line + off, len - off, MSG_NOSIGNAL);

		if (n >= 0)
			off += (size_t)n;
		else if (errno == EAGAIN)
			rc = wait_fd(fd, POLLOUT, deadline);
		else if (errno != EINTR)
			rc = -errno;
	}
	free(line);
	return rc;
}

/* Make room for at least one more byte; -EMSGSIZE if not allowed. */
static int reserve(struct resp_buf *r)
{
	if (r->len + 1 < r->cap)
		return 0;
	if (!r->grow || r->cap >= MAX_ALLOC_RESPONSE)
		return -EMSGSIZE;
	r->cap *= 2;
	r->buf = zf_xrealloc(r->buf, r->cap);
	return 0;
}

/* Read one line into R. MSG_PEEK finds the newline first, so nothing past
 * it is consumed: the next request on the connection starts clean. */
static int recv_line(int fd, struct resp_buf *r, uint64_t deadline)
{
	for (;;) {
		char chunk[4096];
		ssize_t n = recv(fd, chunk, sizeof(chunk), MSG_PEEK);
		char *nl;
		size_t take;

		if (n == 0)
			return -EPROTO;
		if (n < 0) {
			int rc = errno == EAGAIN ? wait_fd(fd, POLLIN, deadline)
			       : errno == EINTR ? 0 : -errno;
			if (rc < 0)
				return rc;
			continue;
		}
		nl = memchr(chunk, '\n', (size_t)n);
		take = nl ? (size_t)(nl - chunk) + 1 : (size_t)n;
		if (recv(fd, chunk, take, 0) != (ssize_t)take)
			return -EIO;
		for (size_t i = 0; i < take; i++) {
			if (chunk[i] == '\n')
				return 0;
			if (reserve(r) < 0)
				return -EMSGSIZE;
			r->buf[r->len++] = chunk[i];
			r->buf[r->len] = '\0';
		}
	}
}

static int request(const char *dir, const char *req, struct resp_buf *r,
		   int timeout_ms)
{
	uint64_t deadline = zf_now_ns() + (uint64_t)timeout_ms * 1000000ull;
	int fd = -1, rc;

	if (strchr(req, '\n'))
		return -EINVAL;
	r->len = 0;
	r->buf[0] = '\0';
	rc = connect_dir(dir, &fd);
	if (rc < 0)
		goto out;
	rc = send_line(fd, req, deadline);
	if (rc < 0)
		goto out;
	rc = recv_line(fd, r, deadline);
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

int zf_linkem_request(const char *dir, const char *req, char *resp,
		      size_t len, int timeout_ms)
{
	struct resp_buf r = { .buf = resp, .cap = len };

	if (len == 0)
		return -EMSGSIZE;
	return request(dir, req, &r, timeout_ms);
}

int zf_linkem_request_alloc(const char *dir, const char *req, char **resp,
			    int timeout_ms)
{
	struct resp_buf r = { .buf = zf_xmalloc(4096), .cap = 4096,
			      .grow = true };
	int rc = request(dir, req, &r, timeout_ms);

	if (rc < 0) {
		free(r.buf);
		return rc;
	}
	*resp = r.buf;
	return 0;
}
