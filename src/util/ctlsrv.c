/* ctlsrv.c - a zonefall daemon's control socket server (see ctlsrv.h). */
#include "util/ctlsrv.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define LINE_MAX_LEN 1024
#define MAX_CLIENTS 32

struct client {
	struct client *next, **pprev;
	int fd;
	char in[LINE_MAX_LEN];
	size_t in_len;
	char *out;
	size_t out_len, out_off;
	bool close_after, quit_after;
};

struct zf_ctlsrv {
	int epfd, lfd;
	bool bound;            /* the socket file is ours to remove */
	char path[108];
	const struct zf_ctl_ops *ops;
	void *ctx;
	struct client *clients;
	size_t nclients;
	int quit;
};

/* Remove a socket left by a dead daemon; -EADDRINUSE if one answers. */
static int remove_stale(const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, alive;

	if (lstat(sa->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	alive = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
	close(fd);
	if (alive)
		return -EADDRINUSE;
	return unlink(sa->sun_path) < 0 && errno != ENOENT ? -errno : 0;
}

static int listen_on(struct zf_ctlsrv *s)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	mode_t old;
	int rc = zf_fmt(sa.sun_path, sizeof(sa.sun_path), "%s", s->path);

	if (rc == 0)
		rc = remove_stale(&sa);
	if (rc < 0)
		return rc;
	s->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->lfd < 0)
		return -errno;
	old = umask(077);
	rc = bind(s->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
	umask(old);
	s->bound = rc == 0;
	if (rc == 0 && listen(s->lfd, 16) < 0)
		rc = -errno;
	if (rc == 0 && epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->lfd, &ev) < 0)
		rc = -errno;
	return rc;
}

int zf_ctlsrv_open(const char *path, const struct zf_ctl_ops *ops, void *ctx,
		   struct zf_ctlsrv **out)
{
	struct zf_ctlsrv *s = zf_xcalloc(1, sizeof(*s));
	int rc = zf_fmt(s->path, sizeof(s->path), "%s", path);

	s->ops = ops;
	s->ctx = ctx;
	s->lfd = -1;
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (rc == 0 && s->epfd < 0)
		rc = -errno;
	if (rc == 0)
		rc = listen_on(s);
	if (rc < 0) {
		zf_ctlsrv_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

int zf_ctlsrv_fd(const struct zf_ctlsrv *s)
{
	return s->epfd;
}

static void client_close(struct zf_ctlsrv *s, struct client *c)
{
	(void)epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	*c->pprev = c->next;
	if (c->next)
		c->next->pprev = c->pprev;
	s->nclients--;
	free(c->out);
	free(c);
}

static void accept_all(struct zf_ctlsrv *s)
{
	for (;;) {
		struct epoll_event ev = { .events = EPOLLIN };
		struct client *c;
		int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;        /* EAGAIN, or a transient error */
		if (s->nclients >= MAX_CLIENTS) {
			close(fd);
			continue;
		}
		c = zf_xcalloc(1, sizeof(*c));
		c->fd = fd;
		ev.data.ptr = c;
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			close(fd);
			free(c);
			continue;
		}
		c->next = s->clients;
		c->pprev = &s->clients;
		if (s->clients)
			s->clients->pprev = &c->next;
		s->clients = c;
		s->nclients++;
	}
}

/* Queue TEXT plus '\n' as output; newlines inside become spaces so the
 * answer stays one line. */
static void reply(struct client *c, const char *text)
{
	size_t len = strlen(text);

	c->out = zf_xrealloc(c->out, c->out_len + len + 1);
	for (size_t i = 0; i < len; i++)
		c->out[c->out_len++] = text[i] == '\n' ? ' ' : text[i];
	c->out[c->out_len++] = '\n';
}

static void answer(struct zf_ctlsrv *s, struct client *c, const char *req)
{
	char msg[1200], err[1100];
	uint64_t gen;
	char *json;

	if (strcmp(req, "reload") == 0) {
		if (s->ops->reload(s->ctx, &gen, err, sizeof(err)) == 0)
			snprintf(msg, sizeof(msg), "ok %llu", (unsigned long long)gen);
		else
			snprintf(msg, sizeof(msg), "error %s", err);
	} else if (strcmp(req, "stats") == 0) {
		json = s->ops->stats(s->ctx);
		reply(c, json);
		free(json);
		return;
	} else if (strcmp(req, "quit") == 0) {
		snprintf(msg, sizeof(msg), "ok");
		c->quit_after = true;
	} else {
		snprintf(msg, sizeof(msg), "error unknown request '%.40s' "
			 "(expected reload, stats or quit)", req);
	}
	reply(c, msg);
}

/* Read what is there and answer each complete line. */
static void client_read(struct zf_ctlsrv *s, struct client *c)
{
	char *nl;
	ssize_t n = read(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len);

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			c->close_after = true;
		return;
	}
	c->in_len += (size_t)n;
	while (!c->quit_after && (nl = memchr(c->in, '\n', c->in_len)) != NULL) {
		*nl = '\0';
		if (nl > c->in && nl[-1] == '\r')
			nl[-1] = '\0';
		answer(s, c, c->in);
		c->in_len -= (size_t)(nl + 1 - c->in);
		memmove(c->in, nl + 1, c->in_len);
	}
	if (c->in_len == sizeof(c->in)) {
		reply(c, "error request longer than 1023 bytes");
		c->close_after = true;
	}
}

/* Write pending output; returns true when all of it is out. */
static bool client_write(struct zf_ctlsrv *s, struct client *c)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			ev.events = EPOLLOUT;
			(void)epoll_ctl(s->epfd, EPOLL_CTL_MOD, c->fd, &ev);
			return false;
		}
		if (n < 0) {
			c->close_after = true;
			c->out_off = c->out_len;
			break;
		}
		c->out_off += (size_t)n;
	}
	c->out_off = c->out_len = 0;
	(void)epoll_ctl(s->epfd, EPOLL_CTL_MOD, c->fd, &ev);
	return true;
}

static void client_event(struct zf_ctlsrv *s, struct client *c, uint32_t events)
{
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		client_read(s, c);
	if (!client_write(s, c))
		return;
	if (c->quit_after)
		s->quit = 1;
	if (c->close_after || c->quit_after)
		client_close(s, c);
}

int zf_ctlsrv_run(struct zf_ctlsrv *s)
{
	struct epoll_event evs[16];
	int n;

	while ((n = epoll_wait(s->epfd, evs, 16, 0)) > 0) {
		for (int i = 0; i < n; i++) {
			if (evs[i].data.ptr)
				client_event(s, evs[i].data.ptr, evs[i].events);
			else
				accept_all(s);
		}
		if (n < 16)
			break;
	}
	return s->quit;
}

void zf_ctlsrv_close(struct zf_ctlsrv *s)
{
	if (!s)
		return;
	while (s->clients)
		client_close(s, s->clients);
	if (s->lfd >= 0) {
		close(s->lfd);
		if (s->bound)
			(void)unlink(s->path);
	}
	if (s->epfd >= 0)
		close(s->epfd);
	free(s);
}
