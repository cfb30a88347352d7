/* listener.c - one resolver address: a UDP socket and a TCP listening
 * socket on port 53, created inside the resolver's network namespace, and
 * the counters of what it served. */
#include "dns/daemon/server.h"
#include "util/log.h"
#include "util/nsstep.h"
#include "util/mem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#define DNS_PORT 53

static void set_bufs(int fd)
{
	int v = (int)SRV_RCVBUF;

	/* FORCE passes rmem_max as root; the plain option is the fallback. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof(v)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
}

/* A socket of TYPE bound to L's address, port 53; -errno with ERR. */
static int bind_one(struct srv_listener *l, int type, char *err,
		    size_t errlen)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(DNS_PORT),
				  .sin_addr = l->addr };
	const char *what = type == SOCK_DGRAM ? "UDP" : "TCP";
	char a[INET_ADDRSTRLEN];
	int one = 1, rc = 0;
	int fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		rc = -errno;
	else if (type == SOCK_STREAM &&
		 setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		rc = -errno;
	if (rc == 0 && type == SOCK_DGRAM)
		set_bufs(fd);
	if (rc == 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		rc = -errno;
	if (rc == 0 && type == SOCK_STREAM && listen(fd, 128) < 0)
		rc = -errno;
	if (rc < 0) {
		inet_ntop(AF_INET, &l->addr, a, sizeof(a));
		snprintf(err, errlen, "listen %s: cannot bind %s %s:%d in %s: "
			 "%s", l->id, what, a, DNS_PORT, l->netns,
			 strerror(-rc));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	return fd;
}

static int watch(struct srv *s, struct srv_listener *l)
{
	struct epoll_event ev = { .events = EPOLLIN };

	l->udp_ev = (struct srv_ev){ .kind = SRV_EV_UDP, .obj = l };
	l->tcp_ev = (struct srv_ev){ .kind = SRV_EV_TCP_LISTEN, .obj = l };
	ev.data.ptr = &l->udp_ev;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, l->udp_fd, &ev) < 0)
		return -errno;
	ev.data.ptr = &l->tcp_ev;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, l->tcp_fd, &ev) < 0)
		return -errno;
	return 0;
}

int srv_listener_open(struct srv *s, const struct zf_dns_listen_cfg *lc,
		      struct srv_listener **out, char *err, size_t errlen)
{
	struct srv_listener *l = zf_xcalloc(1, sizeof(*l));
	int rc;

	memcpy(l->id, lc->id, sizeof(l->id));
	memcpy(l->netns, lc->netns, sizeof(l->netns));
	l->addr = lc->addr;
	l->udp_fd = l->tcp_fd = -1;
	l->refs = 1;
	rc = zf_nsstep_enter(lc->netns);
	if (rc < 0) {
		snprintf(err, errlen, "listen %s: cannot enter %s: %s", l->id,
			 l->netns, strerror(-rc));
		free(l);
		return rc;
	}
	rc = l->udp_fd = bind_one(l, SOCK_DGRAM, err, errlen);
	if (rc >= 0)
		rc = l->tcp_fd = bind_one(l, SOCK_STREAM, err, errlen);
	zf_nsstep_return(s->self_ns);
	if (rc >= 0 && (rc = watch(s, l)) < 0)
		snprintf(err, errlen, "listen %s: epoll: %s", l->id,
			 strerror(-rc));
	if (rc < 0) {
		l->refs = 0;
		srv_listener_close(s, l);
		free(l);
		return rc;
	}
	*out = l;
	return 0;
}

void srv_listener_close(struct srv *s, struct srv_listener *l)
{
	struct srv_conn *c = s->conns, *next;

	for (; c; c = next) {
		next = c->next;
		if (c->l == l)
			srv_conn_close(s, c);
	}
	for (int i = 0; i < 2; i++) {
		int *fd = i ? &l->tcp_fd : &l->udp_fd;

		if (*fd < 0)
			continue;
		(void)epoll_ctl(s->epfd, EPOLL_CTL_DEL, *fd, NULL);
		close(*fd);
		*fd = -1;
	}
	l->closed = true;
	if (l->refs)
		srv_listener_put(s, l);
}

void srv_listener_put(struct srv *s, struct srv_listener *l)
{
	if (--l->refs > 0)
		return;
	l->next_dead = s->dead_ls;
	s->dead_ls = l;
}

void srv_account(struct srv_listener *l, const struct dnsd_result *res)
{
	if (res->formerr)
		l->st.formerr++;
	if (res->truncated)
		l->st.truncated++;
}

void srv_reap(struct srv *s)
{
	while (s->dead_ls) {
		struct srv_listener *l = s->dead_ls;

		s->dead_ls = l->next_dead;
		free(l);
	}
	while (s->dead_conns) {
		struct srv_conn *c = s->dead_conns;

		s->dead_conns = c->next_dead;
		free(c->in);
		free(c->out);
		free(c);
	}
}
