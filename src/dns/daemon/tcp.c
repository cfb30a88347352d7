/* tcp.c - queries over TCP (RFC 7766): each message has a two-byte length
 * prefix, a connection carries any number of them, replies go out in
 * order (a reply held by 'slow' comes when due), a connection idle for
 * SRV_TCP_IDLE_NS is closed. Reading pauses while SRV_TCP_OUT_MAX bytes
 * of replies wait for a slow reader. */
#include "dns/daemon/server.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#define IN_START 1024

void srv_tcp_accept(struct srv *s, struct srv_listener *l)
{
	for (;;) {
		struct epoll_event ev = { .events = EPOLLIN };
		struct srv_conn *c;
		int fd = accept4(l->tcp_fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;        /* EAGAIN, or a transient error */
		if (s->nconns >= SRV_MAX_CONNS) {
			close(fd);
			continue;
		}
		c = zf_xcalloc(1, sizeof(*c));
		c->ev = (struct srv_ev){ .kind = SRV_EV_TCP, .obj = c };
		c->fd = fd;
		c->l = l;
		c->refs = 1;
		c->events = EPOLLIN;
		c->last_ns = zf_now_ns();
		ev.data.ptr = &c->ev;
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			close(fd);
			free(c);
			continue;
		}
		c->next = s->conns;
		c->pprev = &s->conns;
		if (s->conns)
			s->conns->pprev = &c->next;
		s->conns = c;
		s->nconns++;
	}
}

void srv_conn_close(struct srv *s, struct srv_conn *c)
{
	if (c->closed)
		return;
	(void)epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->closed = true;
	*c->pprev = c->next;
	if (c->next)
		c->next->pprev = c->pprev;
	s->nconns--;
	srv_conn_put(s, c);
}

void srv_conn_put(struct srv *s, struct srv_conn *c)
{
	if (--c->refs > 0)
		return;
	c->next_dead = s->dead_conns;
	s->dead_conns = c;
}

static void append(struct srv_conn *c, const uint8_t *p, size_t n)
{
	if (c->out_len + n > c->out_cap) {
		c->out_cap = (c->out_len + n) * 2;
		c->out = zf_xrealloc(c->out, c->out_cap);
	}
	memcpy(c->out + c->out_len, p, n);
	c->out_len += n;
}

static void queue_reply(struct srv_conn *c, const uint8_t *msg, size_t len)
{
	uint8_t pfx[2] = { (uint8_t)(len >> 8), (uint8_t)len };

	append(c, pfx, 2);
	append(c, msg, len);
	c->l->st.answered++;
}

/* One message of LEN bytes at Q. */
static void handle_msg(struct srv *s, struct srv_conn *c, const uint8_t *q,
		       size_t len)
{
	struct srv_listener *l = c->l;
	const struct dnsd_src src = { .resolver = l->id, .local = l->addr,
				      .tcp = true };
	struct dnsd_result res;

	l->st.queries++;
	l->st.tcp++;
	dnsd_handle(&s->eng, &src, q, len, s->tcpbuf, DNSD_TCP_MAX, &res);
	srv_account(l, &res);
	if (res.verdict == DNSD_DROP)
		l->st.dropped++;
	else if (res.delay_ns == 0)
		queue_reply(c, s->tcpbuf, res.len);
	else if (srv_delay_push(s, l, c, NULL, s->tcpbuf, res.len,
				zf_now_ns() + res.delay_ns) < 0)
		l->st.dropped++;
}

/* Answer the complete messages in C's input; stop (paused) while too
 * much output waits. */
static void process(struct srv *s, struct srv_conn *c)
{
	size_t off = 0;

	while (c->in_len - off >= 2) {
		size_t mlen = ((size_t)c->in[off] << 8) | c->in[off + 1];

		if (c->out_len - c->out_off > SRV_TCP_OUT_MAX) {
			c->paused = true;
			break;
		}
		if (c->in_len - off < 2 + mlen) {
			if (2 + mlen > c->in_cap) {
				c->in_cap = 2 + mlen;
				c->in = zf_xrealloc(c->in, c->in_cap);
			}
			break;
		}
		handle_msg(s, c, c->in + off + 2, mlen);
		off += 2 + mlen;
	}
	c->in_len -= off;
	memmove(c->in, c->in + off, c->in_len);
}

/* Send what is pending; false if the connection had to be closed. */
static bool flush(struct srv *s, struct srv_conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off,
				 c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return true;
		if (n < 0) {
			srv_conn_close(s, c);
			return false;
		}
		c->out_off += (size_t)n;
		c->last_ns = zf_now_ns();
	}
	c->out_off = c->out_len = 0;
	return true;
}

static void update_events(struct srv *s, struct srv_conn *c)
{
	uint32_t want = (c->paused ? 0 : EPOLLIN) |
			(c->out_len > c->out_off ? EPOLLOUT : 0);
	struct epoll_event ev = { .events = want, .data.ptr = &c->ev };

	if (want != c->events &&
	    epoll_ctl(s->epfd, EPOLL_CTL_MOD, c->fd, &ev) == 0)
		c->events = want;
}

/* Answer, send, and go on with buffered input once a backlog is gone. */
static void serve(struct srv *s, struct srv_conn *c)
{
	for (;;) {
		process(s, c);
		if (!flush(s, c))
			return;
		if (!c->paused || c->out_len > 0)
			break;
		c->paused = false;
	}
	update_events(s, c);
}

/* Read what is there; false if the connection was closed. */
static bool read_in(struct srv *s, struct srv_conn *c)
{
	ssize_t n;

	if (!c->in) {
		c->in_cap = IN_START;
		c->in = zf_xmalloc(c->in_cap);
	}
	if (c->in_len == c->in_cap)
		return true;        /* a message is being completed */
	n = read(c->fd, c->in + c->in_len, c->in_cap - c->in_len);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		srv_conn_close(s, c);
		return false;
	}
	if (n > 0) {
		c->in_len += (size_t)n;
		c->last_ns = zf_now_ns();
	}
	return true;
}

void srv_tcp_event(struct srv *s, struct srv_conn *c, uint32_t events)
{
	if (c->closed)
		return;
	if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !c->paused &&
	    !read_in(s, c))
		return;
	serve(s, c);
}

void srv_tcp_reply(struct srv *s, struct srv_conn *c, const uint8_t *msg,
		   size_t len)
{
	queue_reply(c, msg, len);
	if (flush(s, c))
		update_events(s, c);
}

void srv_tcp_sweep(struct srv *s, uint64_t now)
{
	struct srv_conn *c = s->conns, *next;

	for (; c; c = next) {
		next = c->next;
		/* A connection waiting for a held reply is not idle. */
		if (c->refs == 1 && now - c->last_ns > SRV_TCP_IDLE_NS)
			srv_conn_close(s, c);
	}
}
