/* delay.c - replies held back by 'slow' faults: a binary heap by due time
 * (then arrival order) and one timerfd armed, in absolute CLOCK_MONOTONIC
 * time, for the first of them. Other queries are answered meanwhile. */
#include "dns/daemon/server.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

static bool before(const struct srv_delayed *a, const struct srv_delayed *b)
{
	return a->due_ns != b->due_ns ? a->due_ns < b->due_ns : a->seq < b->seq;
}

static void swap(struct srv_delayed **v, size_t i, size_t j)
{
	struct srv_delayed *t = v[i];

	v[i] = v[j];
	v[j] = t;
}

static void sift_up(struct srv_delayed **v, size_t i)
{
	while (i > 0 && before(v[i], v[(i - 1) / 2])) {
		swap(v, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void sift_down(struct srv_delayed **v, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < n && before(v[l], v[m]))
			m = l;
		if (r < n && before(v[r], v[m]))
			m = r;
		if (m == i)
			return;
		swap(v, i, m);
		i = m;
	}
}

/* Arm the timer for the first held reply (disarm when none). */
static void arm(struct srv *s)
{
	struct itimerspec its;
	uint64_t due = s->nheap ? s->heap[0]->due_ns : 0;

	if (due == s->armed_ns)
		return;
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)(due / ZF_NS_PER_S);
	its.it_value.tv_nsec = (long)(due % ZF_NS_PER_S);
	if (due && its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1;
	(void)timerfd_settime(s->delay_fd, TFD_TIMER_ABSTIME, &its, NULL);
	s->armed_ns = due;
}

int srv_delay_init(struct srv *s)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &s->delay_ev };

	s->delay_fd = timerfd_create(CLOCK_MONOTONIC,
				     TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->delay_fd < 0)
		return -errno;
	s->delay_ev = (struct srv_ev){ .kind = SRV_EV_DELAY, .obj = NULL };
	return epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->delay_fd, &ev) < 0
	       ? -errno : 0;
}

int srv_delay_push(struct srv *s, struct srv_listener *l, struct srv_conn *c,
		   const struct sockaddr_in *peer, const uint8_t *data,
		   size_t len, uint64_t due_ns)
{
	struct srv_delayed *d;

	if (s->nheap >= SRV_MAX_DELAYED ||
	    s->heap_bytes + len > SRV_DELAYED_BYTES)
		return -ENOBUFS;
	if (s->nheap == s->heap_cap) {
		s->heap_cap = s->heap_cap ? 2 * s->heap_cap : 64;
		s->heap = zf_xrealloc(s->heap, s->heap_cap * sizeof(*s->heap));
	}
	d = zf_xmalloc(sizeof(*d) + len);
	memset(d, 0, sizeof(*d));
	d->due_ns = due_ns;
	d->seq = s->seq++;
	d->l = l;
	l->refs++;
	d->c = c;
	if (c)
		c->refs++;
	if (peer)
		d->peer = *peer;
	d->len = len;
	memcpy(d->data, data, len);
	s->heap[s->nheap] = d;
	sift_up(s->heap, s->nheap++);
	s->heap_bytes += len;
	arm(s);
	return 0;
}

static struct srv_delayed *pop(struct srv *s)
{
	struct srv_delayed *d = s->heap[0];

	s->heap[0] = s->heap[--s->nheap];
	sift_down(s->heap, s->nheap, 0);
	s->heap_bytes -= d->len;
	return d;
}

/* Send D now (or count it dropped if its socket is gone) and free it. */
static void deliver(struct srv *s, struct srv_delayed *d)
{
	struct srv_listener *l = d->l;

	if (d->c && !d->c->closed) {
		srv_tcp_reply(s, d->c, d->data, d->len);
	} else if (!d->c && !l->closed &&
		   sendto(l->udp_fd, d->data, d->len, MSG_DONTWAIT,
			  (struct sockaddr *)&d->peer, sizeof(d->peer)) ==
		   (ssize_t)d->len) {
		l->st.answered++;
	} else {
		l->st.dropped++;
	}
	if (d->c)
		srv_conn_put(s, d->c);
	srv_listener_put(s, l);
	free(d);
}

void srv_delay_fire(struct srv *s)
{
	uint64_t ticks, now = zf_now_ns();

	(void)!read(s->delay_fd, &ticks, sizeof(ticks));
	s->armed_ns = 0;            /* a fired timer is disarmed */
	while (s->nheap && s->heap[0]->due_ns <= now)
		deliver(s, pop(s));
	arm(s);
}

/* Shutdown and tests: every held reply is dropped. */
void srv_delay_drop_all(struct srv *s)
{
	while (s->nheap) {
		struct srv_delayed *d = pop(s);

		d->l->st.dropped++;
		if (d->c)
			srv_conn_put(s, d->c);
		srv_listener_put(s, d->l);
		free(d);
	}
	free(s->heap);
	s->heap = NULL;
	s->heap_cap = 0;
	if (s->delay_fd >= 0)
		close(s->delay_fd);
	s->delay_fd = -1;
}
