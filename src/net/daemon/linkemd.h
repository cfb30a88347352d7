/* linkemd.h - internals of zonefall-linkem, the userspace link emulator
 * daemon: one process per lab, one epoll loop serving every NFQUEUE
 * socket (each created inside its router's network namespace), the
 * release scheduler and the control socket. docs/linkem.md is the
 * user-facing description. */
#ifndef ZF_NET_DAEMON_LINKEMD_H
#define ZF_NET_DAEMON_LINKEMD_H

#include "net/linkem_config.h"
#include "net/linkem_hist.h"
#include "net/linkem_profile.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#define LKD_INLINE_LINKS 6
#define LKD_QUEUE_MAXLEN 65536     /* packets the kernel holds per queue */
#define LKD_RCVBUF (32u << 20)     /* bytes, SO_RCVBUFFORCE */
#define LKD_VBUF (128u << 10)      /* verdict batch buffer, bytes */
#define LKD_RECV_BATCH 64          /* messages per recvmmsg() */
#define LKD_RECV_MSG_MAX (65536 + 1024)   /* a multiple of 8: alignment */
#define LKD_NEAR_NS 1000000ull       /* the last stretch: epoll timeout */

enum lkd_ev_kind { LKD_EV_QUEUE, LKD_EV_CTL, LKD_EV_SIGNAL,
		   LKD_EV_TIMER };

/* What epoll hands back: the kind and the object. */
struct lkd_ev {
	enum lkd_ev_kind kind;
	void *obj;
};

struct lkd_link_stats {
	uint64_t packets, dropped, corrupted, duplicated, reordered;
	uint64_t released;
	double target_sum;                 /* ns, over released packets */
	struct zf_lk_hist *added, *error;  /* allocated at first release */
};

struct lkd_link {
	struct zf_lk_link_cfg cfg;
	struct zf_lk_profile prof;
	struct lkd_link_stats st;
};

/* The links of one generation. Held packets keep a reference, so a reload
 * never leaves them pointing at freed links. */
struct lkd_linkset {
	unsigned refs;
	uint64_t gen;
	size_t n;
	struct lkd_link *links;
};

struct lkd_queue {
	struct lkd_ev ev;
	uint32_t id;                       /* config ID (may change) */
	char netns[ZF_LK_PATH_MAX + 1];
	uint16_t num;
	int fd;                            /* NFQUEUE netlink socket */
	int rawfd;                         /* raw IPv4 socket for duplicates */
	bool copy_packet;                  /* payload mode (corrupt, dup) */
	uint32_t *links;                   /* indexes into the current set */
	size_t nlinks;
	char *vbuf;                        /* pending verdict messages */
	size_t vlen;
	uint32_t last_id;
	uint64_t packets, held, fail_open, enobufs, verdict_errors, truncated;
	uint64_t dup_errors;                /* copies the raw socket refused */
	bool keep;                         /* reload bookkeeping */
};

struct lkd_pkt {
	uint64_t release_ns, arrival_ns, target_ns, seq;
	struct lkd_queue *q;
	struct lkd_linkset *ls;            /* reference held */
	uint32_t id;
	uint32_t len;                      /* of DATA */
	uint8_t *data;                     /* copy, when mangled or duplicated */
	bool mangled;                      /* return DATA in the verdict */
	unsigned ndup;
	uint32_t nlinks;
	uint32_t *links;                   /* INLINE or allocated */
	uint32_t inline_links[LKD_INLINE_LINKS];
	struct lkd_pkt *next;              /* free list / release batch */
};

struct lkd_heap {
	struct lkd_pkt **v;
	size_t n, cap;
};

/* One packet as the queue socket delivered it. */
struct lkd_meta {
	uint32_t id;
	int32_t indev, outdev;             /* 0 when absent */
	const uint8_t *payload;            /* NULL in meta mode */
	uint32_t payload_len;
	bool truncated;                    /* payload shorter than the packet */
};

struct zf_ctlsrv;

struct lkd {
	const char *dir;
	int epfd, sigfd, self_ns, tfd;
	struct zf_ctlsrv *ctl;             /* DIR/ctl.sock (util/ctlsrv.h) */
	struct lkd_ev sig_ev, ctl_ev, timer_ev;
	uint64_t armed_ns;                 /* release timer, 0: disarmed */
	bool timer_fired;
	struct lkd_queue **queues;
	size_t nqueues;
	struct lkd_linkset *cur;
	uint64_t gen, seq;
	uint64_t spin_ns;                  /* fixed busy-wait before a release */
	uint64_t wake_lat_ns;              /* learnt lateness of wake-ups */
	uint64_t wake_lat_max_ns;          /* its cap; 0: not learnt */
	uint64_t wake_at;                  /* planned wake-up, 0: none */
	struct lkd_heap heap;
	struct lkd_pkt *free_pkts;
	struct lkd_pkt **chunks;           /* the pool's allocations */
	size_t nchunks;
	struct lkd_pkt *batch, **batch_tail;   /* released, verdicts pending */
	uint8_t *rxbuf;                    /* LKD_RECV_BATCH * LKD_RECV_MSG_MAX */
	struct mmsghdr rxmsgs[LKD_RECV_BATCH];
	struct iovec rxiov[LKD_RECV_BATCH];
	bool stop;
	bool events_stale;                 /* queues changed: re-poll */
};

/* queue.c: the NFQUEUE socket of one queue.
 * lkd_queue_open() creates the sockets inside QC's netns, binds the queue
 * (copy mode, maxlen, fail-open) and waits for the kernel's ack; returns
 * 0 or a negative errno with the reason in ERR. lkd_queue_close() unbinds
 * and frees Q; its held packets must have been released before. */
int lkd_queue_open(struct lkd *d, const struct zf_lk_queue_cfg *qc,
		   bool copy_packet, struct lkd_queue **out, char *err,
		   size_t errlen);
int lkd_queue_set_mode(struct lkd_queue *q, bool copy_packet);
void lkd_queue_close(struct lkd *d, struct lkd_queue *q);
void lkd_queue_verdict(struct lkd_queue *q, uint32_t id, int verdict,
		       const uint8_t *payload, uint32_t len);
void lkd_queue_flush(struct lkd_queue *q);
void lkd_queue_read(struct lkd *d, struct lkd_queue *q);

/* queue_msg.c: parsing what the kernel sends on a queue socket.
 * lkd_msg_parse() calls ON_PACKET for each packet message in BUF and
 * returns 1 if an acknowledgement was among the messages, a negative errno
 * if an error message was (counted in Q->verdict_errors), else 0.
 * lkd_put_config() writes one NFQNL_MSG_CONFIG into BUF (>= 256 bytes). */
int lkd_msg_parse(const void *buf, size_t len, struct lkd_queue *q,
		  void (*on_packet)(void *ctx, const struct lkd_meta *m),
		  void *ctx);
void lkd_put_config(char *buf, size_t *len, uint16_t num, int cmd,
		    bool copy_packet, bool ack);


/* heap.c: held packets by release time, then arrival order. */
void lkd_heap_push(struct lkd_heap *h, struct lkd_pkt *p);
struct lkd_pkt *lkd_heap_top(const struct lkd_heap *h);
struct lkd_pkt *lkd_heap_pop(struct lkd_heap *h);
/* Take out every packet of Q (order of the rest kept valid); they are
 * chained through ->next into the returned list. */
struct lkd_pkt *lkd_heap_take_queue(struct lkd_heap *h,
				    const struct lkd_queue *q);
void lkd_heap_free(struct lkd_heap *h);

/* pkt.c: the fate of each packet. */
void lkd_pkt_arrive(struct lkd *d, struct lkd_queue *q,
		    const struct lkd_meta *m, uint64_t now);
/* Return P to the pool (its payload, link list and linkset reference go). */
void lkd_pkt_put(struct lkd *d, struct lkd_pkt *p);
/* Free the pool (every packet must be back in it). */
void lkd_pkt_pool_free(struct lkd *d);

/* sched.c: releasing held packets at their time. */
void lkd_sched_hold(struct lkd *d, struct lkd_pkt *p);
void lkd_sched_release(struct lkd *d, struct lkd_pkt *p);
void lkd_sched_release_due(struct lkd *d, uint64_t now);
void lkd_sched_release_queue(struct lkd *d, struct lkd_queue *q);
void lkd_sched_release_all(struct lkd *d);
/* Send the pending verdicts of every queue, then account the released
 * packets (delay actually added), send duplicates, free them. */
void lkd_sched_flush(struct lkd *d);

/* timer.c: waiting for the next release. lkd_timer_sync() arms the
 * timerfd for the heap's first packet (LKD_NEAR_NS early) when that
 * changed or it fired; lkd_timer_wait() gives the epoll_pwait2() timeout:
 * NULL (sleep until an event or the timerfd) while the release is far,
 * else the time left minus the learnt wake-up lateness and the spin
 * margin (0 while polling the last microseconds). */
int lkd_timer_init(struct lkd *d);
void lkd_timer_sync(struct lkd *d);
struct timespec *lkd_timer_wait(struct lkd *d, struct timespec *ts);
/* After epoll returned NEVENTS: learn from a timed wake-up's lateness. */
void lkd_timer_woke(struct lkd *d, int nevents);

/* linkset.c */
struct lkd_linkset *lkd_linkset_new(const struct zf_lk_config *cfg,
				    uint64_t gen);
void lkd_linkset_unref(struct lkd_linkset *ls);

/* reload.c: apply DIR/config. Returns 0, or a negative errno with the
 * message ("FILE:LINE: ...") in ERR; on error nothing changed. */
int lkd_reload(struct lkd *d, char *err, size_t errlen);
void lkd_queues_close_all(struct lkd *d);

/* stats.c: the "stats" response, one JSON line without '\n'. */
char *lkd_stats_json(const struct lkd *d, size_t *len);

/* ctl.c: the control socket. */
int lkd_ctl_listen(struct lkd *d);
void lkd_ctl_event(struct lkd *d);
void lkd_ctl_close_all(struct lkd *d);

#endif
