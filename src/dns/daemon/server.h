/* server.h - the I/O side of zonefall-dns: listeners (a UDP and a TCP
 * socket per resolver address, created in its network namespace), TCP
 * connections, the replies 'slow' faults hold back, the control socket,
 * and the epoll loop that serves them all. The query path itself is in
 * dnsd.h. */
#ifndef ZF_DNS_DAEMON_SERVER_H
#define ZF_DNS_DAEMON_SERVER_H

#include "dns/daemon/dnsd.h"

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define SRV_BATCH 64                    /* datagrams per recvmmsg() */
#define SRV_UDP_BUF ZF_DNS_UDP_MAX_LIMIT  /* per datagram, in and out */
#define SRV_UDP_ROUNDS 16               /* batches per readiness event */
#define SRV_RCVBUF (4u << 20)           /* UDP socket buffers, bytes */
#define SRV_MAX_CONNS 512               /* TCP connections, all listeners */
#define SRV_TCP_IDLE_NS (10 * 1000000000ull)
#define SRV_TCP_OUT_MAX (1u << 20)      /* pending output before pausing */
#define SRV_MAX_DELAYED 65536           /* replies held by 'slow' */
#define SRV_DELAYED_BYTES (64u << 20)

enum srv_ev_kind { SRV_EV_UDP, SRV_EV_TCP_LISTEN, SRV_EV_TCP, SRV_EV_CTL,
		   SRV_EV_SIGNAL, SRV_EV_DELAY, SRV_EV_SWEEP };

/* What epoll hands back: the kind and the object. */
struct srv_ev {
	enum srv_ev_kind kind;
	void *obj;
};

struct srv_stats {
	uint64_t queries, answered, dropped, formerr, tcp, truncated;
};

/* Listeners and connections are freed only when closed and no held reply
 * refers to them, and only between two epoll batches (srv_reap), so an
 * event still queued for a closed one finds its memory and its flag. */
struct srv_listener {
	struct srv_ev udp_ev, tcp_ev;
	char id[ZF_DNS_ID_MAX + 1];
	char netns[ZF_DNS_PATH_MAX + 1];
	struct in_addr addr;
	int udp_fd, tcp_fd;
	unsigned refs;                  /* the running set + held replies */
	bool closed, keep;
	struct srv_stats st;
	struct srv_listener *next_dead;
};

struct srv_conn {
	struct srv_ev ev;
	struct srv_conn *next, **pprev; /* open connections */
	struct srv_listener *l;         /* valid while open */
	int fd;
	unsigned refs;                  /* being open + held replies */
	bool closed, paused;            /* paused: output backlog too big */
	uint32_t events;                /* the epoll mask set */
	uint8_t *in;
	size_t in_len, in_cap;
	uint8_t *out;
	size_t out_len, out_off, out_cap;
	uint64_t last_ns;               /* last activity */
	struct srv_conn *next_dead;
};

/* A reply held back by a 'slow' fault. */
struct srv_delayed {
	uint64_t due_ns, seq;
	struct srv_listener *l;         /* reference held */
	struct srv_conn *c;             /* TCP: reference held; UDP: NULL */
	struct sockaddr_in peer;        /* UDP */
	size_t len;
	uint8_t data[];
};

struct zf_ctlsrv;

struct srv {
	const char *dir;
	int epfd, sigfd, self_ns, delay_fd, sweep_fd;
	struct zf_ctlsrv *ctl;          /* DIR/ctl.sock (util/ctlsrv.h) */
	struct srv_ev sig_ev, ctl_ev, delay_ev, sweep_ev;
	struct dnsd_engine eng;
	bool loaded;                    /* a config was applied */
	struct srv_listener **ls;       /* in config order */
	size_t nls;
	struct srv_listener *dead_ls;
	struct srv_conn *conns, *dead_conns;
	size_t nconns;
	struct srv_delayed **heap;      /* by due time, then arrival */
	size_t nheap, heap_cap, heap_bytes;
	uint64_t seq, armed_ns;
	uint8_t *rxbuf, *txbuf;         /* SRV_BATCH * SRV_UDP_BUF each */
	uint8_t *tcpbuf;                /* 2 + DNSD_TCP_MAX */
	struct mmsghdr rxm[SRV_BATCH], txm[SRV_BATCH];
	struct iovec rxv[SRV_BATCH], txv[SRV_BATCH];
	struct sockaddr_in rxa[SRV_BATCH];
	bool stop;
};


/* listener.c. srv_listener_open() creates and binds LC's sockets inside
 * its namespace and watches them; returns 0 or a negative errno with the
 * reason in ERR. srv_listener_close() closes its sockets and connections
 * and drops the running set's reference. */
int srv_listener_open(struct srv *s, const struct zf_dns_listen_cfg *lc,
		      struct srv_listener **out, char *err, size_t errlen);
void srv_listener_close(struct srv *s, struct srv_listener *l);
void srv_listener_put(struct srv *s, struct srv_listener *l);
/* Free what is closed and no longer referenced (between batches). */
void srv_reap(struct srv *s);

/* Counters of one reply (formerr, truncated). */
void srv_account(struct srv_listener *l, const struct dnsd_result *res);

/* udp.c: read, answer and send in batches. */
void srv_udp_read(struct srv *s, struct srv_listener *l);

/* tcp.c: connections (length-prefixed messages, several per connection,
 * answered in order except for held replies, closed after
 * SRV_TCP_IDLE_NS without traffic). */
void srv_tcp_accept(struct srv *s, struct srv_listener *l);
void srv_tcp_event(struct srv *s, struct srv_conn *c, uint32_t events);
/* Send MSG (LEN bytes) on C with its length prefix (counted answered). */
void srv_tcp_reply(struct srv *s, struct srv_conn *c, const uint8_t *msg,
		   size_t len);
void srv_conn_close(struct srv *s, struct srv_conn *c);
void srv_conn_put(struct srv *s, struct srv_conn *c);
void srv_tcp_sweep(struct srv *s, uint64_t now);

/* delay.c: replies held back by 'slow'. srv_delay_push() copies DATA and
 * holds references on L and C; -ENOBUFS when the caps are reached. */
int srv_delay_init(struct srv *s);
int srv_delay_push(struct srv *s, struct srv_listener *l, struct srv_conn *c,
		   const struct sockaddr_in *peer, const uint8_t *data,
		   size_t len, uint64_t due_ns);
void srv_delay_fire(struct srv *s);
void srv_delay_drop_all(struct srv *s);

/* reload.c: apply DIR/config. Returns 0, or a negative errno with the
 * message ("FILE:LINE: ...") in ERR; on error nothing changed. */
int srv_reload(struct srv *s, char *err, size_t errlen);
void srv_listeners_close_all(struct srv *s);

/* stats.c: the "stats" response, one JSON line without '\n'. */
char *srv_stats_json(const struct srv *s, size_t *len);

/* ctl.c: the control socket. */
int srv_ctl_listen(struct srv *s);
void srv_ctl_event(struct srv *s);
void srv_ctl_close_all(struct srv *s);

#endif
