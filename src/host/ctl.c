/* ctl.c - control socket transport: accepting, reading one line,
 * writing the reply, timeouts. */
#include "host/ctl.h"
#include "host/ctl_cmd.h"
#include "host/initlog.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define CTL_RETRY_ACCEPT_MS 100

struct ctl_client {
	struct ctl_server *srv;
	struct ctl_client *prev, *next;
	int fd;
	struct evloop_watch w;
	struct evloop_timer timer;
	char in[CTL_LINE_MAX + 1];
	size_t in_len;
	char *out;                 /* reply being written, or NULL */
	size_t out_len, out_off;
	bool shutdown_after;       /* the request was "shutdown" */
};

struct ctl_server {
	struct evloop *loop;
	struct supervisor *sup;
	struct ctl_socket sock;
	struct evloop_watch w;
	struct evloop_timer retry; /* resumes accepting after an error */
	bool paused;
	struct ctl_client *clients;
	size_t n_clients;
};

static int make_addr(const char *path, struct sockaddr_un *sa)
{
	size_t n = strlen(path);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (n >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	memcpy(sa->sun_path, path, n + 1);
	return 0;
}

/* Remove the socket at SA unless something still accepts on it. */
static int remove_stale(const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, alive;

	if (lstat(sa->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	alive = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0 ||
		errno == EAGAIN;
	close(fd);
	if (alive)
		return -EADDRINUSE;
	return unlink(sa->sun_path) < 0 && errno != ENOENT ? -errno : 0;
}

/* Open the directory of PATH and note the file name in SOCK. */
static int open_dir(const char *path, struct ctl_socket *sock)
{
	const char *slash = strrchr(path, '/');
	char dir[sizeof(sock->name)];

	if (!slash || zf_fmt(dir, sizeof(dir), "%.*s", (int)(slash - path),
			     path) < 0 ||
	    zf_fmt(sock->name, sizeof(sock->name), "%s", slash + 1) < 0)
		return -EINVAL;
	sock->dirfd = open(*dir ? dir : "/", O_RDONLY | O_DIRECTORY |
			   O_CLOEXEC);
	return sock->dirfd < 0 ? -errno : 0;
}

int ctl_listen(const char *path, struct ctl_socket *sock)
{
	struct ctl_socket s = { .fd = -1, .dirfd = -1 };
	struct sockaddr_un sa;
	mode_t old;
	int rc;

	if ((rc = make_addr(path, &sa)) < 0 || (rc = remove_stale(&sa)) < 0 ||
	    (rc = open_dir(path, &s)) < 0)
		goto out;
	s.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s.fd < 0) {
		rc = -errno;
		goto out;
	}
	old = umask(0177);              /* the socket file gets mode 0600 */
	rc = bind(s.fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
	umask(old);
	if (rc == 0 && listen(s.fd, 16) < 0)
		rc = -errno;
	if (rc == 0) {
		*sock = s;
		return 0;
	}
out:
	if (s.fd >= 0)
		close(s.fd);
	if (s.dirfd >= 0)
		close(s.dirfd);
	return rc;
}

/* ---- clients ------------------------------------------------------- */

static void accept_pause(struct ctl_server *srv, bool pause)
{
	if (srv->paused == pause)
		return;
	srv->paused = pause;
	(void)evloop_mod(srv->loop, &srv->w, pause ? 0 : EPOLLIN);
}

/* Close C; start the shutdown if C asked for it (whether or not the reply
 * made it out). */
static void client_finish(struct ctl_client *c)
{
	struct ctl_server *srv = c->srv;
	bool shutdown = c->shutdown_after;

	if (c->prev)
		c->prev->next = c->next;
	else
		srv->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	srv->n_clients--;
	evloop_timer_close(&c->timer);
	evloop_del(srv->loop, &c->w);
	close(c->fd);
	free(c->out);
	free(c);
	if (srv->n_clients < CTL_MAX_CLIENTS && !srv->retry.armed)
		accept_pause(srv, false);
	if (shutdown)
		sup_shutdown(srv->sup);
}

/* Write what is left of the reply; finish when done or on error. */
static void client_flush(struct ctl_client *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off,
				 c->out_len - c->out_off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (evloop_mod(c->srv->loop, &c->w, EPOLLOUT) == 0)
				return;
		}
		if (n < 0)
			break;
		c->out_off += (size_t)n;
	}
	client_finish(c);
}

static void client_answer(struct ctl_client *c, char *line)
{
	c->out = ctl_cmd_run(c->srv->sup, line, &c->shutdown_after);
	c->out_len = strlen(c->out);
	c->out_off = 0;
	client_flush(c);
}

static void client_reject(struct ctl_client *c, const char *reply)
{
	c->out = zf_xstrdup(reply);
	c->out_len = strlen(c->out);
	c->out_off = 0;
	client_flush(c);
}

/* Read until a newline, EOF (the request is what came), or a full
 * buffer (an error reply). */
static void client_read(struct ctl_client *c)
{
	for (;;) {
		size_t room = CTL_LINE_MAX - c->in_len;
		ssize_t n = read(c->fd, c->in + c->in_len, room);
		char *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0 || (n == 0 && c->in_len == 0)) {
			client_finish(c);
			return;
		}
		nl = memchr(c->in + c->in_len, '\n', (size_t)n);
		c->in_len += (size_t)n;
		c->in[c->in_len] = '\0';
		if (nl)
			*nl = '\0';
		if (nl || n == 0) {
			client_answer(c, c->in);
			return;
		}
		if (c->in_len == CTL_LINE_MAX) {
			client_reject(c, "{\"ok\":false,\"error\":\"request "
				      "longer than 4096 bytes\"}\n");
			return;
		}
	}
}

static void client_io(struct evloop_watch *w, uint32_t events)
{
	struct ctl_client *c = w->ctx;

	(void)events;
	if (c->out)
		client_flush(c);
	else
		client_read(c);
}

static void client_timeout(struct evloop_timer *t)
{
	static const char msg[] = "{\"ok\":false,\"error\":\"timed out "
				  "waiting for a request line\"}\n";
	struct ctl_client *c = t->ctx;

	if (!c->out)    /* best effort: the socket buffer is empty */
		(void)send(c->fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL);
	client_finish(c);
}

static void client_new(struct ctl_server *srv, int fd)
{
	struct ctl_client *c = zf_xcalloc(1, sizeof(*c));

	c->srv = srv;
	c->fd = fd;
	if (evloop_timer_init(srv->loop, &c->timer, client_timeout, c) < 0 ||
	    evloop_add(srv->loop, &c->w, fd, EPOLLIN, client_io, c) < 0) {
		evloop_timer_close(&c->timer);
		close(fd);
		free(c);
		return;
	}
	evloop_timer_arm(&c->timer, CTL_TIMEOUT_MS);
	c->next = srv->clients;
	if (c->next)
		c->next->prev = c;
	srv->clients = c;
	if (++srv->n_clients >= CTL_MAX_CLIENTS)
		accept_pause(srv, true);
}

/* ---- listening socket ---------------------------------------------- */

static void on_accept(struct evloop_watch *w, uint32_t events)
{
	struct ctl_server *srv = w->ctx;

	(void)events;
	while (srv->n_clients < CTL_MAX_CLIENTS) {
		int fd = accept4(srv->sock.fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd >= 0) {
			client_new(srv, fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EAGAIN)
			return;
		/* Out of fds or memory: the socket stays readable, so stop
		 * watching it for a moment instead of spinning. */
		initlog(NULL, "control socket: accept: %s", strerror(errno));
		accept_pause(srv, true);
		evloop_timer_arm(&srv->retry, CTL_RETRY_ACCEPT_MS);
		return;
	}
}

static void on_retry(struct evloop_timer *t)
{
	struct ctl_server *srv = t->ctx;

	if (srv->n_clients < CTL_MAX_CLIENTS)
		accept_pause(srv, false);
}

int ctl_new(struct evloop *loop, struct supervisor *sup,
	    const struct ctl_socket *sock, struct ctl_server **out)
{
	struct ctl_server *srv = zf_xcalloc(1, sizeof(*srv));
	int rc;

	srv->loop = loop;
	srv->sup = sup;
	srv->sock = *sock;
	srv->w.fd = -1;
	rc = evloop_timer_init(loop, &srv->retry, on_retry, srv);
	if (rc == 0)
		rc = evloop_add(loop, &srv->w, sock->fd, EPOLLIN, on_accept,
				srv);
	if (rc < 0) {
		ctl_free(srv);
		return rc;
	}
	*out = srv;
	return 0;
}

void ctl_unlink(struct ctl_server *srv)
{
	if (srv)
		(void)unlinkat(srv->sock.dirfd, srv->sock.name, 0);
}

void ctl_free(struct ctl_server *srv)
{
	if (!srv)
		return;
	while (srv->clients) {
		srv->clients->shutdown_after = false;
		client_finish(srv->clients);
	}
	evloop_timer_close(&srv->retry);
	if (srv->w.fd >= 0)
		evloop_del(srv->loop, &srv->w);
	close(srv->sock.fd);
	close(srv->sock.dirfd);
	free(srv);
}
