/* ctl.c - the control socket DIR/ctl.sock: one request line, one response
 * line, several requests per connection. Sockets are non-blocking and
 * answers are buffered, so a slow client never stalls the packet path. */
#include "net/daemon/linkemd.h"
#include "net/linkem_client.h"
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

#define LINE_MAX_LEN 1024
#define MAX_CLIENTS 32

struct lkd_client {
	struct lkd_ev ev;
	struct lkd_client *next, **pprev;
	int fd;
	char in[LINE_MAX_LEN];
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

int lkd_ctl_listen(struct lkd *d)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &d->listen_ev };
	mode_t old;
	int rc;

	rc = zf_fmt(sa.sun_path, sizeof(sa.sun_path), "%s/%s", d->dir,
		    ZF_LINKEM_SOCK);
	if (rc < 0)
		return rc;
	snprintf(d->sock_path, sizeof(d->sock_path), "%s", sa.sun_path);
	rc = remove_stale(&sa);
	if (rc < 0)
		return rc;
	d->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (d->lfd < 0)
		return -errno;
	old = umask(077);
	rc = bind(d->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
	umask(old);
	if (rc == 0 && listen(d->lfd, 16) < 0)
		rc = -errno;
	d->listen_ev = (struct lkd_ev){ .kind = LKD_EV_LISTEN, .obj = NULL };
	if (rc == 0 && epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->lfd, &ev) < 0)
		rc = -errno;
	return rc;
}

static void client_close(struct lkd *d, struct lkd_client *c)
{
	(void)epoll_ctl(d->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	*c->pprev = c->next;
	if (c->next)
		c->next->pprev = c->pprev;
	d->nclients--;
	free(c->out);
	free(c);
}

void lkd_ctl_accept(struct lkd *d)
{
	for (;;) {
		struct epoll_event ev = { .events = EPOLLIN };
		struct lkd_client *c;
		int fd = accept4(d->lfd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;        /* EAGAIN, or a transient error */
		if (d->nclients >= MAX_CLIENTS) {
			close(fd);
			continue;
		}
		c = zf_xcalloc(1, sizeof(*c));
		c->fd = fd;
		c->ev = (struct lkd_ev){ .kind = LKD_EV_CLIENT, .obj = c };
		ev.data.ptr = &c->ev;
		if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			close(fd);
			free(c);
			continue;
		}
		c->next = d->clients;
		c->pprev = &d->clients;
		if (d->clients)
			d->clients->pprev = &c->next;
		d->clients = c;
		d->nclients++;
	}
}

/* Queue TEXT (LEN bytes) plus '\n' as output; newlines inside become
 * spaces so the answer stays one line. */
static void reply(struct lkd_client *c, const char *text, size_t len)
{
	c->out = zf_xrealloc(c->out, c->out_len + len + 1);
	for (size_t i = 0; i < len; i++)
		c->out[c->out_len++] = text[i] == '\n' ? ' ' : text[i];
	c->out[c->out_len++] = '\n';
}

static void handle_request(struct lkd *d, struct lkd_client *c,
			   const char *req)
{
	char msg[1100], err[1024];
	size_t len;

	if (strcmp(req, "reload") == 0) {
		if (lkd_reload(d, err, sizeof(err)) == 0)
			snprintf(msg, sizeof(msg), "ok %" PRIu64, d->gen);
		else
			snprintf(msg, sizeof(msg), "error %s", err);
	} else if (strcmp(req, "stats") == 0) {
		char *json = lkd_stats_json(d, &len);

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
static void client_read(struct lkd *d, struct lkd_client *c)
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
		handle_request(d, c, c->in);
		c->in_len -= (size_t)(nl + 1 - c->in);
		memmove(c->in, nl + 1, c->in_len);
	}
	if (c->in_len == sizeof(c->in)) {
		const char *e = "error request longer than 1023 bytes";

		reply(c, e, strlen(e));
		c->close_after = true;
	}
}

/* Write pending output; returns true when all of it is out. */
static bool client_write(struct lkd *d, struct lkd_client *c)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &c->ev };

	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off,
				 c->out_len - c->out_off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			ev.events = EPOLLOUT;
			(void)epoll_ctl(d->epfd, EPOLL_CTL_MOD, c->fd, &ev);
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
	(void)epoll_ctl(d->epfd, EPOLL_CTL_MOD, c->fd, &ev);
	return true;
}

void lkd_ctl_event(struct lkd *d, struct lkd_client *c, uint32_t events)
{
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		client_read(d, c);
	if (!client_write(d, c))
		return;
	if (c->quit_after)
		d->stop = true;
	if (c->close_after || c->quit_after)
		client_close(d, c);
}

void lkd_ctl_close_all(struct lkd *d)
{
	while (d->clients)
		client_close(d, d->clients);
	if (d->lfd >= 0) {
		close(d->lfd);
		d->lfd = -1;
		if (d->sock_path[0])
			(void)unlink(d->sock_path);
	}
}
