/* ctlclient.c - the client side of a zonefall daemon's control socket (see
 * ctlclient.h): one request line, one response line. Non-blocking socket
 * and poll(), so every call keeps its time limit. */
#include "util/ctlclient.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_ALLOC_RESPONSE (64u << 20)

struct line_buf {
	char *buf;
	size_t len, cap;
	bool grow;          /* may realloc up to MAX_ALLOC_RESPONSE */
};

static int connect_dir(const char *dir, int *out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, rc;

	rc = zf_fmt(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir,
		    ZF_CTL_SOCK);
	if (rc < 0)
		return rc;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* A unix socket connects at once or fails (EAGAIN: backlog full). */
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
		int n;

		if (now >= deadline)
			return -ETIMEDOUT;
		n = poll(&p, 1, (int)((deadline - now + 999999) / 1000000));
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

static int send_all(int fd, const char *buf, size_t len, uint64_t deadline)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = send(fd, buf + off, len - off, MSG_NOSIGNAL);
		int rc = 0;

		if (n >= 0)
			off += (size_t)n;
		else if (errno == EAGAIN)
			rc = wait_fd(fd, POLLOUT, deadline);
		else if (errno != EINTR)
			rc = -errno;
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Append byte C to L; -EMSGSIZE when it may not grow further. */
static int put(struct line_buf *l, char c)
{
	if (l->len + 1 >= l->cap) {
		if (!l->grow || l->cap >= MAX_ALLOC_RESPONSE)
			return -EMSGSIZE;
		l->cap *= 2;
		l->buf = zf_xrealloc(l->buf, l->cap);
	}
	l->buf[l->len++] = c;
	l->buf[l->len] = '\0';
	return 0;
}

/* Read up to the first '\n' into L (the daemon answers one line per
 * request, so nothing after it is lost). */
static int recv_line(int fd, struct line_buf *l, uint64_t deadline)
{
	for (;;) {
		char chunk[4096];
		ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
		int rc = 0;

		if (n == 0)
			return -EPROTO;
		if (n < 0) {
			if (errno == EAGAIN)
				rc = wait_fd(fd, POLLIN, deadline);
			else if (errno != EINTR)
				rc = -errno;
			if (rc < 0)
				return rc;
			continue;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (chunk[i] == '\n')
				return 0;
			if (put(l, chunk[i]) < 0)
				return -EMSGSIZE;
		}
	}
}

static int request(const char *dir, const char *req, struct line_buf *l,
		   int timeout_ms)
{
	uint64_t deadline = zf_now_ns() + (uint64_t)timeout_ms * ZF_NS_PER_MS;
	size_t n = strlen(req);
	char *line = NULL;
	int fd = -1, rc;

	if (strchr(req, '\n'))
		return -EINVAL;
	l->len = 0;
	l->buf[0] = '\0';
	rc = connect_dir(dir, &fd);
	if (rc < 0)
		goto out;
	line = zf_xmalloc(n + 1);
	memcpy(line, req, n);
	line[n] = '\n';
	rc = send_all(fd, line, n + 1, deadline);
	if (rc < 0)
		goto out;
	rc = recv_line(fd, l, deadline);
out:
	free(line);
	if (fd >= 0)
		close(fd);
	return rc;
}

int zf_ctl_request(const char *dir, const char *req, char *resp, size_t len,
		   int timeout_ms)
{
	struct line_buf l = { .buf = resp, .cap = len };

	if (len == 0)
		return -EMSGSIZE;
	return request(dir, req, &l, timeout_ms);
}

int zf_ctl_request_alloc(const char *dir, const char *req, char **resp,
			 int timeout_ms)
{
	struct line_buf l = { .buf = zf_xmalloc(4096), .cap = 4096,
			      .grow = true };
	int rc = request(dir, req, &l, timeout_ms);

	if (rc < 0) {
		free(l.buf);
		return rc;
	}
	*resp = l.buf;
	return 0;
}

#define READY_POLL_NS (5 * ZF_NS_PER_MS)

/* 1 if PID has exited (not reaped), 0 if it runs. A PID that is not our
 * child is probed with kill(0). */
static int exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0)
		return si.si_pid == pid;
	if (errno == ECHILD)
		return kill(pid, 0) < 0 && errno == ESRCH;
	return 0;
}

/* 0 if a connection to DIR/ctl.sock is accepted, else a negative errno. */
static int probe(const char *dir)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, rc;

	rc = zf_fmt(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir,
		    ZF_CTL_SOCK);
	if (rc < 0)
		return rc;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

int zf_ctl_wait_ready(const char *dir, pid_t pid, int timeout_ms)
{
	uint64_t deadline = zf_now_ns() + (uint64_t)timeout_ms * ZF_NS_PER_MS;

	for (;;) {
		int rc = probe(dir);

		if (rc == 0 || rc == -ENAMETOOLONG)
			return rc;
		if (pid > 0 && exited(pid))
			return -ECHILD;
		if (zf_now_ns() >= deadline)
			return -ETIMEDOUT;
		zf_sleep_ns(READY_POLL_NS);
	}
}

/* "123" -> 123; -EINVAL for anything else. */
static int parse_gen(const char *s, uint64_t *gen)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*gen = v;
	return 0;
}

int zf_ctl_reload(const char *dir, uint64_t *gen, char *err, size_t errlen,
		  int timeout_ms)
{
	char resp[1024];
	int rc = zf_ctl_request(dir, "reload", resp, sizeof(resp), timeout_ms);

	if (rc < 0) {
		snprintf(err, errlen, "%s/%s: %s", dir, ZF_CTL_SOCK,
			 strerror(-rc));
		return rc;
	}
	if (strncmp(resp, "ok ", 3) == 0 &&
	    parse_gen(resp + 3, gen) == 0)
		return 0;
	if (strncmp(resp, "error ", 6) == 0)
		snprintf(err, errlen, "%s", resp + 6);
	else
		snprintf(err, errlen, "unexpected answer '%.100s'", resp);
	return -EINVAL;
}

int zf_ctl_stats(const char *dir, char **json, int timeout_ms)
{
	int rc = zf_ctl_request_alloc(dir, "stats", json, timeout_ms);

	if (rc == 0 && (*json)[0] != '{') {
		free(*json);
		*json = NULL;
		return -EPROTO;
	}
	return rc;
}

int zf_ctl_quit(const char *dir, int timeout_ms)
{
	char resp[64];
	int rc = zf_ctl_request(dir, "quit", resp, sizeof(resp), timeout_ms);

	if (rc < 0)
		return rc;
	return strcmp(resp, "ok") == 0 ? 0 : -EPROTO;
}
