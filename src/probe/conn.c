/* conn.c - one connection of the socket loop: connect, send the request,
 * read the reply, and turn every failure into the request's outcome.
 *
 * Sockets are non-blocking and registered once, edge-triggered, for input,
 * output and peer close, so a kept-alive request costs one send() and
 * usually one recv(): no epoll_ctl per request. With edge triggering a
 * short read means the socket is drained (new data raises a new edge),
 * except after the peer closed, when reading goes on to the end.
 *
 * A reused keep-alive connection that the server had closed (the request
 * gets a reset or the end of the stream before any reply byte) is retried
 * once on a new connection, as HTTP clients do; any other failure ends the
 * request. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe/netloop.h"

#define PEER_GONE (EPOLLRDHUP | EPOLLHUP | EPOLLERR)

void zf_conn_list_append(struct zf_conn_list *l, struct zf_conn *c)
{
	c->next = NULL;
	c->prev = l->tail;
	if (l->tail)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
}

void zf_conn_list_remove(struct zf_conn_list *l, struct zf_conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		l->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		l->tail = c->prev;
	c->prev = c->next = NULL;
}

void zf_conn_close(struct zf_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);       /* also leaves the epoll set */
	c->fd = -1;
	c->state = C_CLOSED;
	c->used = 0;
}

/* The outcome of errno ERR, before (CONNECTING) or after the connection
 * was established. */
static enum zf_outcome classify(int err, int connecting)
{
	switch (err) {
	case ECONNREFUSED:
		return ZF_OUT_REFUSED;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENETDOWN:
		return ZF_OUT_UNREACHABLE;
	case ETIMEDOUT:
		return ZF_OUT_TIMEOUT;
	case ECONNRESET:        /* established, then reset (a reset of the
				   handshake itself is ECONNREFUSED) */
	case EPIPE:
	case 0:                 /* end of stream before the reply */
		return ZF_OUT_RESET;
	case ECONNABORTED:
		return connecting ? ZF_OUT_REFUSED : ZF_OUT_RESET;
	default:
		return ZF_OUT_OTHER;
	}
}

/* C's request ended as OUTCOME; keep the connection for the next one if
 * KEEP (and the protocol reuses connections), else close it. */
static void conn_end(struct zf_netloop *nl, struct zf_conn *c,
		     enum zf_outcome outcome, int keep)
{
	zf_conn_list_remove(&nl->inflight, c);
	zf_reqlog_finish(nl->log, c->k, nl->now, outcome);
	if (keep && nl->proto->reuse) {
		c->state = C_IDLE;
		c->used = 1;
		zf_conn_list_append(&nl->idle, c);
	} else {
		zf_conn_close(c);
		zf_conn_list_append(&nl->closed, c);
	}
}

void zf_conn_abort(struct zf_netloop *nl, struct zf_conn *c,
		   enum zf_outcome outcome)
{
	conn_end(nl, c, outcome, 0);
}

static void conn_open(struct zf_netloop *nl, struct zf_conn *c);

/* The connection failed with errno ERR (0: closed by the peer). */
static void conn_fail(struct zf_netloop *nl, struct zf_conn *c, int err)
{
	int connecting = c->state == C_CONNECTING;

	if (!connecting && c->used && !c->got && !c->retried &&
	    (err == 0 || err == ECONNRESET || err == EPIPE)) {
		zf_conn_close(c);
		c->retried = 1;
		conn_open(nl, c);
		return;
	}
	conn_end(nl, c, classify(err, connecting), 0);
}

/* Read the reply while data is there. EV: the epoll events that woke us
 * (after a peer close, read to the end of the stream). */
static void conn_read(struct zf_netloop *nl, struct zf_conn *c, uint32_t ev)
{
	const struct zf_proto *pr = nl->proto;
	struct zf_proto_res res;
	ssize_t n;

	for (;;) {
		n = recv(c->fd, nl->rbuf, ZF_NL_RBUF, 0);
		if (n > 0) {
			c->got = 1;
			if (pr->ops->feed(pr, &c->ps, nl->rbuf, (size_t)n, &res)) {
				conn_end(nl, c, res.outcome,
					 res.keep && !(ev & PEER_GONE));
				return;
			}
			if ((size_t)n == ZF_NL_RBUF || (ev & PEER_GONE))
				continue;
			return;
		}
		if (n == 0) {
			if (pr->ops->eof(pr, &c->ps, &res))
				conn_end(nl, c, res.outcome, 0);
			else
				conn_fail(nl, c, 0);
			return;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			conn_fail(nl, c, errno);
		return;
	}
}

/* Send the rest of the request; then read the reply, or end the request
 * if the protocol expects none. */
static void conn_send(struct zf_netloop *nl, struct zf_conn *c)
{
	const struct zf_proto *pr = nl->proto;
	ssize_t n;

	c->state = C_SENDING;
	while (c->woff < pr->req_len) {
		n = send(c->fd, pr->req + c->woff, pr->req_len - c->woff,
			 MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (errno != EAGAIN)   /* else: wait for EPOLLOUT */
				conn_fail(nl, c, errno);
			return;
		}
		c->woff += (size_t)n;
	}
	if (!pr->reply) {
		conn_end(nl, c, ZF_OUT_OK, 1);
		return;
	}
	c->state = C_READING;
	if (c->pending)
		conn_read(nl, c, c->pending);
}

/* A new socket and a non-blocking connect for C's request. */
static void conn_open(struct zf_netloop *nl, struct zf_conn *c)
{
	struct epoll_event ev = {
		.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
		.data.ptr = c,
	};
	int one = 1, fd;

	c->woff = 0;
	c->pending = 0;
	c->got = 0;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		conn_end(nl, c, ZF_OUT_OTHER, 0);   /* EMFILE, ENOBUFS... */
		return;
	}
	c->fd = fd;
	c->state = C_CONNECTING;
	if (nl->proto->reuse)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (epoll_ctl(nl->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		conn_end(nl, c, ZF_OUT_OTHER, 0);
		return;
	}
	if (connect(fd, (const struct sockaddr *)&nl->spec->addr,
		    sizeof(nl->spec->addr)) == 0)
		conn_send(nl, c);
	else if (errno != EINPROGRESS && errno != EINTR)
		conn_fail(nl, c, errno);
}

void zf_conn_start(struct zf_netloop *nl, struct zf_conn *c, uint64_t k)
{
	c->k = k;
	c->retried = 0;
	nl->proto->ops->begin(nl->proto, &c->ps);
	zf_conn_list_append(&nl->inflight, c);
	if (c->state != C_IDLE) {
		conn_open(nl, c);
		return;
	}
	c->woff = 0;
	c->pending = 0;
	c->got = 0;
	conn_send(nl, c);
}

static int sock_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return errno;
	return err;
}

/* An idle keep-alive connection became readable: the server closed it
 * (or sent what nobody asked for). Either way it is not reused. A wakeup
 * left over from the last reply is told apart by peeking. */
static void idle_event(struct zf_netloop *nl, struct zf_conn *c)
{
	char b;
	ssize_t n = recv(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	zf_conn_list_remove(&nl->idle, c);
	zf_conn_close(c);
	zf_conn_list_append(&nl->closed, c);
}

void zf_conn_event(struct zf_netloop *nl, struct zf_conn *c, uint32_t ev)
{
	int err;

	switch (c->state) {
	case C_CONNECTING:
		err = (ev & (EPOLLERR | EPOLLHUP)) ? sock_error(c->fd) : 0;
		if (err) {
			conn_fail(nl, c, err);
		} else if (ev & (EPOLLOUT | EPOLLHUP)) {
			/* Connected (a HUP without error: and closed at
			 * once, which the send or read will tell). */
			c->pending = ev & (EPOLLIN | PEER_GONE);
			conn_send(nl, c);
		}
		return;
	case C_SENDING:
		c->pending |= ev & (EPOLLIN | PEER_GONE);
		if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			conn_send(nl, c);
		return;
	case C_READING:
		conn_read(nl, c, ev);
		return;
	case C_IDLE:
		if (ev & (EPOLLIN | PEER_GONE))
			idle_event(nl, c);
		return;
	default:
		return;
	}
}
