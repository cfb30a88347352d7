/* write_int.h - (private to src/probe) the machinery of write probes:
 * the drivers of the four systems behind one interface, the worker pool
 * that runs them open loop, the final read's collector, and the outcome
 * classes of replies (pure functions, write_outcome.c). */
#ifndef ZF_PROBE_WRITE_INT_H
#define ZF_PROBE_WRITE_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/ledger.h"
#include "probe/probe.h"
#include "probe/probe_int.h"
#include "probe/reqlog.h"
#include "probe/write.h"

/* Budget of one attempt among several (a sentinel, an endpoint): at least
 * this much, even when the write's deadline is nearer. */
#define ZF_WTRY_MIN_NS (50 * 1000000ull)
/* Each operation of a final read may take this long at least, whatever
 * the probe's (request) timeout. */
#define ZF_WREAD_OP_MIN_NS (5 * 1000000000ull)

/* ---- outcome classes (write_outcome.c) --------------------------------- */

/* What one write came to: its class for the ledger and its cause for the
 * request log (ZF_OUT_OK when acknowledged). */
struct zf_wclass {
	enum zf_wout out;
	enum zf_outcome cause;
};

/* Nothing of the write was sent (connecting, discovering the master, or
 * choosing a node failed with errno ERR): fail, with ERR's cause
 * (refused, unreachable, timeout; other for the rest). */
struct zf_wclass zf_wclass_unsent(int err);

/* The write was sent (or partly) and then the connection failed with ERR
 * before a reply: unknown. ETIMEDOUT/EAGAIN: timeout; ECONNRESET, EPIPE
 * or 0 (the peer closed): reset; anything else: other. */
struct zf_wclass zf_wclass_no_reply(int err);

/* A Redis reply, by type: STATUS (+OK), INTEGER (SADD's count) and an
 * error reply whose code says the command was refused before it ran are
 * classified; anything else (nil, arrays, bulk strings, other statuses,
 * error codes not in the list) is unknown. */
enum zf_redis_rtype { ZF_RR_STATUS, ZF_RR_ERROR, ZF_RR_INTEGER, ZF_RR_STRING,
		      ZF_RR_NIL, ZF_RR_ARRAY, ZF_RR_OTHER };
struct zf_wclass zf_wclass_redis(enum zf_redis_rtype t, const char *str,
				 size_t len);
/* Does the Redis error reply STR (its code) mean the node is no master
 * any more, or not serving (READONLY, MASTERDOWN, LOADING)? The client
 * then drops its connection and discovers the master again. */
int zf_redis_error_rediscover(const char *str, size_t len);

/* An etcd v3 gateway answer: HTTP STATUS and the error text of its body
 * (NULL if none). */
struct zf_wclass zf_wclass_etcd(int status, const char *error);
/* Should an etcd client leave the endpoint that gave this answer (no
 * leader, unavailable, timeouts: another member may do better)? */
int zf_etcd_leave_endpoint(int status, const char *error);

/* A PostgreSQL statement's end: OK, or an error with the server's
 * SEVERITY (non-localised: "ERROR", "FATAL", "PANIC"; NULL when libpq
 * made the error itself, e.g. the connection broke) and SQLSTATE (NULL if
 * none). */
struct zf_wclass zf_wclass_sql(int ok, const char *severity,
			       const char *sqlstate);

/* An HTTP answer to a write (http-write). */
struct zf_wclass zf_wclass_http(int status);

/* ---- the final read's collector (final_read.c) ------------------------- */

/* Receives one value read (LEN bytes, binary allowed): 0 to go on, or a
 * negative errno to stop the parse with it. */
typedef int (*zf_wvalue_fn)(void *ctx, const char *v, size_t len);

/* The values a final read found, kept until the read is over (a failed
 * read records none). Values of earlier zonefall runs are skipped and
 * counted; the others are kept in read order, at most ZF_LEDGER_MAX_READ. */
struct zf_wread {
	const char *prefix;                 /* the probe's (zf_wprefix) */
	char node[ZF_WNAME_MAX + 1];        /* the node read; "" unknown */
	char error[ZF_LEDGER_MAX_ERROR + 1];
	char *buf;                          /* values, each 4 bytes of
					       length then its bytes */
	size_t len, cap;
	size_t n;
	uint64_t earlier;
};

/* Keep value V (LEN bytes, binary allowed): 0, or -E2BIG past
 * ZF_LEDGER_MAX_READ values or 256 MiB. */
int zf_wread_value(struct zf_wread *rd, const char *v, size_t len);
/* Drop the values kept so far (a read that starts over elsewhere). */
void zf_wread_reset(struct zf_wread *rd);
/* Say why the read failed (printf-style); returns -EIO. */
int zf_wread_fail(struct zf_wread *rd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void zf_wread_fini(struct zf_wread *rd);

/* The final read of write probe SPEC into L (its merged ledger), now, in
 * a thread that enters SPEC's network namespace: its driver's read, then
 * the values (or the failure) recorded in L at the time the read ended
 * (ns since T0). *EARLIER gets the values of earlier runs skipped. 0, or a
 * negative errno when L refused the record. */
int zf_write_final_read(const struct zf_probe_spec *spec, uint64_t t0,
			struct zf_ledger *l, uint64_t *earlier);

/* ---- drivers ------------------------------------------------------------- */

/* How one write ended, as its driver reports it. */
struct zf_wres {
	struct zf_wclass c;
	const char *node;          /* the node it went to (or would have):
				      a name, valid until the next write */
	uint64_t invoke_ns;        /* CLOCK_MONOTONIC: sent (or tried) */
	uint64_t complete_ns;      /* its outcome known (or given up) */
};

/* State shared by the workers of one probe (a one-time setup such as
 * sql's CREATE TABLE). */
struct zf_wshared {
	pthread_mutex_t mu;
	int ready;
};

struct zf_wdriver {
	const char *name;          /* "redis", "etcd", "sql", "http-write" */
	/* A client for one worker, in the worker's thread (in the probe's
	 * network namespace): no I/O yet. 0, or a negative errno. */
	int (*open)(const struct zf_wspec *s, struct zf_wshared *sh,
		    void **client);
	void (*close)(void *client);
	/* Write VALUE (LEN bytes) and give up at DEADLINE
	 * (CLOCK_MONOTONIC). Always fills RES. */
	void (*write)(void *client, const char *value, size_t len,
		      uint64_t deadline, struct zf_wres *res);
	/* The final read: every value present, from the node a client
	 * would now be sent to, into RD (RD->node set); each operation
	 * given up after OP_NS. 0, or a negative errno with RD->error. */
	int (*read)(const struct zf_wspec *s, uint64_t op_ns,
		    struct zf_wread *rd);
};

extern const struct zf_wdriver zf_wdriver_redis, zf_wdriver_etcd,
	zf_wdriver_sql, zf_wdriver_http;
const struct zf_wdriver *zf_wdriver_of(enum zf_wsys sys);

/* The name of the node at ADDR (host byte order IP, port) in S's names
 * table, else "IP:PORT", into BUF. */
void zf_wnode_name(const struct zf_wspec *s, uint32_t ip, int port,
		   char *buf, size_t len);
/* The address of HOST (an IPv4 literal, or a name of S's names table,
 * with or without a domain) into *IP (host byte order): 0 or -ENOENT. */
int zf_wnode_lookup(const struct zf_wspec *s, const char *host,
		    uint32_t *ip);
/* min(DEADLINE, now + share of the time left among LEFT attempts, at
 * least ZF_WTRY_MIN_NS). */
uint64_t zf_wtry_deadline(uint64_t deadline, size_t left);

/* ---- the worker pool (write_pool.c) -------------------------------------- */

struct zf_wpool;

/* A pool for SPEC (kind ZF_PROBE_WRITE) writing through DRV, recording
 * into LOG, stopped through CTL. 0, or -EINVAL (bad prefix or client
 * name). Nothing runs until zf_wpool_run. */
int zf_wpool_new(const struct zf_probe_spec *spec,
		 const struct zf_wdriver *drv, struct zf_reqlog *log,
		 struct zf_probe_ctl *ctl, struct zf_wpool **out);
/* Run the pool in the calling thread (already in the probe's network
 * namespace): start the workers, plan and hand out the writes until
 * stopped, then join the workers and merge their ledgers. */
void zf_wpool_run(struct zf_wpool *wp);
/* After run: the merged ledger (the pool keeps ownership) and the writes
 * planned but never sent (they waited longer than the timeout). */
struct zf_ledger *zf_wpool_ledger(struct zf_wpool *wp);
uint64_t zf_wpool_not_sent(const struct zf_wpool *wp);
int zf_wpool_workers(const struct zf_wpool *wp);
void zf_wpool_free(struct zf_wpool *wp);

#endif
