/* ctl.c - the control socket DIR/ctl.sock: one request line, one response
 * line, several requests per connection ("reload", "stats", "quit").
 * Sockets are non-blocking and answers buffered, so a slow client never
 * stalls the queries. */
#include "dns/daemon/server.h"
#include "dns/dns_client.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define REQ_MAX 1024
#define MAX_CLIENTS 32

struct srv_client {
	struct srv_ev ev;
	struct srv_client *next, **pprev;
	int fd;
	char in[REQ_MAX];
	size_t in_len;
	char *out;
	size_t out_len, out_off;
	bool close_after, quit_after;
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

int srv_ctl_listen(struct srv *s)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &s->ctl_ev };
	mode_t old;
	int rc;

	rc = zf_fmt(sa.sun_path, sizeof(sa.sun_path), "%s/%s", s->dir,
		    ZF_DNS_SOCK);
	if (rc < 0)
		return rc;
	rc = remove_stale(&sa);
	if (rc < 0)
		return rc;
	s->ctl_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			   0);
	if (s->ctl_fd < 0)
		return -errno;
	old = umask(077);
	rc = bind(s->ctl_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno
								      : 0;
	umask(old);
	if (rc == 0)
		memcpy(s->sock_path, sa.sun_path, sizeof(s->sock_path));
	if (rc == 0 && listen(s->ctl_fd, 16) < 0)
		rc = -errno;
	s->ctl_ev = (struct srv_ev){ .kind = SRV_EV_CTL_LISTEN, .obj = NULL };
	if (rc == 0 && epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->ctl_fd, &ev) < 0)
		rc = -errno;
	return rc;
}

static void client_close(struct srv *s, struct srv_client *c)
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

void srv_ctl_accept(struct srv *s)
{
	for (;;) {
		struct epoll_event ev = { .events = EPOLLIN };
		struct srv_client *c;
		int fd = accept4(s->ctl_fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		if (s->nclients >= MAX_CLIENTS) {
			close(fd);
			continue;
		}
		c = zf_xcalloc(1, sizeof(*c));
		c->fd = fd;
		c->ev = (struct srv_ev){ .kind = SRV_EV_CTL, .obj = c };
		ev.data.ptr = &c->ev;
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

/* Queue TEXT (LEN bytes) plus '\n'; newlines inside become spaces so the
 * answer stays one line. */
static void reply(struct srv_client *c, const char *text, size_t len)
{
	c->out = zf_xrealloc(c->out, c->out_len + len + 1);
	for (size_t i = 0; i < len; i++)
		c->out[c->out_len++] = text[i] == '\n' ? ' ' : text[i];
	c->out[c->out_len++] = '\n';
}

static void handle_request(struct srv *s, struct srv_client *c,
			   const char *req)
{
	char msg[1200], err[1100];
	size_t len;

	if (strcmp(req, "reload") == 0) {
		if (srv_reload(s, err, sizeof(err)) == 0)
			snprintf(msg, sizeof(msg), "ok %" PRIu64, s->eng.gen);
		else
			snprintf(msg, sizeof(msg), "error %s", err);
	} else if (strcmp(req, "stats") == 0) {
		char *json = srv_stats_json(s, &len);

		reply(c, json, len);
		free(json);
		return;
	} else if (strcmp(req, "quit") == 0) {
		snprintf(msg, sizeof(msg), "ok");
		c->quit_after = true;
	} else {
		snprintf(msg, sizeof(msg), "error unknown request '%.40s' "
			 "(expected reload, stats or quit)", req);
	}
	reply(c, msg, strlen(msg));
}

/* Read what is there and answer each complete line. */
static void client_read(struct srv *s, struct srv_client *c)
{
	char *nl;
	ssize_t n = read(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len);

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			c->close_after = true;
		return;
	}
	c->in_len += (size_t)n;
	while (!c->quit_after &&
	       (nl = memchr(c->in, '\n', c->in_len)) != NULL) {
		*nl = '\0';
		if (nl > c->in && nl[-1] == '\r')
			nl[-1] = '\0';
		handle_request(s, c, c->in);
		c->in_len -= (size_t)(nl + 1 - c->in);
		memmove(c->in, nl + 1, c->in_len);
	}
	if (c->in_len == sizeof(c->in)) {
		const char *e = "error request longer than 1023 bytes";

		reply(c, e, strlen(e));
		c->close_after = true;
	}
}

/* Write pending output; true when all of it is out. */
static bool client_write(struct srv *s, struct srv_client *c)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &c->ev };

	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off,
				 c->out_len - c->out_off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			ev.events = EPOLLOUT;
			(void)epoll_ctl(s->epfd, EPOLL_CTL_MOD, c->fd, &ev);
			return false;
		}
		if (n < 0) {
			c->close_after = true;
			break;
		}
		c->out_off += (size_t)n;
	}
	c->out_off = c->out_len = 0;
	(void)epoll_ctl(s->epfd, EPOLL_CTL_MOD, c->fd, &ev);
	return true;
}

void srv_ctl_event(struct srv *s, struct srv_client *c, uint32_t events)
{
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		client_read(s, c);
	if (!client_write(s, c))
		return;
	if (c->quit_after)
		s->stop = true;
	if (c->close_after || c->quit_after)
		client_close(s, c);
}

void srv_ctl_close_all(struct srv *s)
{
	while (s->clients)
		client_close(s, s->clients);
	if (s->ctl_fd >= 0) {
		close(s->ctl_fd);
		s->ctl_fd = -1;
		if (s->sock_path[0])
			(void)unlink(s->sock_path);
	}
}
