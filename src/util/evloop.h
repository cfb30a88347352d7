/* evloop.h - a single-threaded epoll loop with fd watches and one-shot
 * timers (each timer is its own timerfd).
 *
 * A watch or timer is a struct the caller embeds in its own object; the
 * loop stores a pointer to it and never frees it. Events are taken one at a
 * time from epoll, so a callback may delete or free any other watch or
 * timer (even one that is ready at the same moment) without the loop ever
 * touching it afterwards. */
#ifndef ZF_UTIL_EVLOOP_H
#define ZF_UTIL_EVLOOP_H

#include <stdbool.h>
#include <stdint.h>

struct evloop;
struct evloop_watch;

typedef void (*evloop_fd_fn)(struct evloop_watch *w, uint32_t events);

struct evloop_watch {
	int fd;
	evloop_fd_fn cb;
	void *ctx;
};

struct evloop_timer;
typedef void (*evloop_timer_fn)(struct evloop_timer *t);

struct evloop_timer {
	struct evloop_watch w;   /* w.fd is the timerfd; -1 when closed */
	struct evloop *loop;
	evloop_timer_fn cb;
	void *ctx;
	bool armed;
};

/* Returns 0 and a new loop in *OUT, or a negative errno. */
int evloop_new(struct evloop **out);
void evloop_free(struct evloop *loop);

/* Watch FD for EVENTS (EPOLLIN, EPOLLOUT, ...), calling CB with W.
 * Returns 0 or a negative errno (then W is not registered). */
int evloop_add(struct evloop *loop, struct evloop_watch *w, int fd,
	       uint32_t events, evloop_fd_fn cb, void *ctx);
int evloop_mod(struct evloop *loop, struct evloop_watch *w, uint32_t events);
/* Stop watching W (its fd is not closed). */
void evloop_del(struct evloop *loop, struct evloop_watch *w);

/* Run until evloop_stop(); returns 0, or a negative errno if epoll failed. */
int evloop_run(struct evloop *loop);
/* Make evloop_run() return once the current callback is done. */
void evloop_stop(struct evloop *loop);

/* Create T's timerfd (disarmed) and register it. Returns 0 or a negative
 * errno; on error T is closed (t->w.fd == -1) and safe to close again. */
int evloop_timer_init(struct evloop *loop, struct evloop_timer *t,
		      evloop_timer_fn cb, void *ctx);
/* Fire once, MS milliseconds from now (0: as soon as possible); re-arming
 * replaces the previous deadline. */
void evloop_timer_arm(struct evloop_timer *t, uint64_t ms);
/* Fire once at MONOTONIC_NS (CLOCK_MONOTONIC, absolute: no drift when a
 * callback runs late); a time in the past fires at once. */
void evloop_timer_arm_at(struct evloop_timer *t, uint64_t monotonic_ns);
void evloop_timer_disarm(struct evloop_timer *t);
/* Unregister and close; a closed timer may be closed again. */
void evloop_timer_close(struct evloop_timer *t);

#endif
