/* netloop.h - (private to src/probe) the state of the socket loop shared by
 * its scheduler (netloop.c) and its connection state machine (conn.c).
 *
 * Requests wait in a FIFO that is only a range of request indices,
 * [next_send, log->planned): planned but not yet sent. Connections are on
 * exactly one of three lists: in flight (in the order their requests were
 * sent, which is planned order, so the head has the earliest deadline),
 * idle (connected, free: keep-alive only) or closed (free, no socket).
 * Everything a request does is O(1); after warm-up no allocation. */
#ifndef ZF_PROBE_NETLOOP_H
#define ZF_PROBE_NETLOOP_H

#include <stddef.h>
#include <stdint.h>

#include "probe/probe_int.h"

#define ZF_NL_RBUF (64u * 1024u)

enum zf_conn_state { C_CLOSED, C_CONNECTING, C_SENDING, C_READING, C_IDLE };

struct zf_conn {
	struct zf_conn *prev, *next;    /* on one of the loop's lists */
	int fd;                         /* -1 when closed */
	uint8_t state;                  /* enum zf_conn_state */
	uint8_t used;                   /* carried a request before this one */
	uint8_t retried;                /* this request is on its second try */
	uint8_t got;                    /* reply bytes arrived for it */
	uint32_t pending;               /* epoll events seen before reading */
	uint64_t k;                     /* the request it carries */
	size_t woff;                    /* bytes of the request sent */
	union zf_proto_state ps;
};

struct zf_conn_list {
	struct zf_conn *head, *tail;
};

struct zf_netloop {
	const struct zf_probe_spec *spec;
	const struct zf_proto *proto;
	struct zf_reqlog *log;
	struct zf_probe_ctl *ctl;
	int ep, tfd;
	uint64_t now;                   /* clock of this loop iteration */
	uint64_t armed;                 /* the timer's expiry, 0: not armed */
	uint64_t next_send;             /* head of the queue */
	uint64_t hard_end;              /* after a stop: end everything */
	int stopping;
	struct zf_conn_list inflight, idle, closed;
	size_t nconns, max_conns;
	struct zf_conn **conns;         /* all of them, to free */
	char *rbuf;                     /* ZF_NL_RBUF: replies are read here */
};

void zf_conn_list_append(struct zf_conn_list *l, struct zf_conn *c);
void zf_conn_list_remove(struct zf_conn_list *l, struct zf_conn *c);

/* Send request K on C (taken off the idle or closed list): reuse its
 * connection or open one. The request may end at once (e.g. refused). */
void zf_conn_start(struct zf_netloop *nl, struct zf_conn *c, uint64_t k);
/* Epoll reported EV for C. */
void zf_conn_event(struct zf_netloop *nl, struct zf_conn *c, uint32_t ev);
/* End C's request as OUTCOME and close its connection (timeouts). */
void zf_conn_abort(struct zf_netloop *nl, struct zf_conn *c,
		   enum zf_outcome outcome);
/* Close C's socket, if open. */
void zf_conn_close(struct zf_conn *c);

#endif
