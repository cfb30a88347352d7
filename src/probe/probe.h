/* probe.h - open-loop probes that play the users of a lab.
 *
 * A probe sends requests at a fixed rate from a schedule fixed in advance:
 * request k is *planned* for t0 + k/rate, and its latency is measured from
 * that planned time, not from when it was actually sent. A stalled service
 * therefore shows in the latency of every request that should have been
 * sent meanwhile (no coordinated omission, as in wrk2). Each probe runs in
 * its own thread, with its sockets created in the network namespace it is
 * given (a client host's), and never aborts on errors: it counts them by
 * cause. The probe layer knows nothing of labs: names are resolved and
 * exec commands are run through what the caller passes in. Write probes
 * (probe/write.h) write unique values into a ledger through a small pool
 * of worker threads, and do a final read after the run. */
#ifndef ZF_PROBE_PROBE_H
#define ZF_PROBE_PROBE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/hist.h"

enum zf_outcome {
	ZF_OUT_OK = 0,
	ZF_OUT_REFUSED,        /* connection refused (RST to SYN) */
	ZF_OUT_TIMEOUT,        /* no answer within the timeout */
	ZF_OUT_RESET,          /* connection reset after it was established */
	ZF_OUT_UNREACHABLE,    /* ICMP unreachable / no route */
	ZF_OUT_DNS,            /* the name did not resolve */
	ZF_OUT_STATUS,         /* an answer, but not the expected status/bytes
				  (dns: an rcode other than those below) */
	ZF_OUT_SERVFAIL,       /* dns: SERVFAIL */
	ZF_OUT_NXDOMAIN,       /* dns: NXDOMAIN */
	ZF_OUT_EMPTY,          /* dns: NOERROR without an answer of the type */
	ZF_OUT_WRONG,          /* dns: answers, but not the expected set/count */
	ZF_OUT_OTHER,
	ZF_OUT_N
};
/* "ok", "refused", "timeout", "reset", "unreachable", "dns", "bad_status",
 * "servfail", "nxdomain", "empty", "wrong", "other" */
const char *zf_outcome_name(enum zf_outcome o);

/* One request as it happened. Times are nanoseconds since the run's t0
 * (CLOCK_MONOTONIC). */
struct zf_req {
	uint64_t planned_ns;
	uint64_t latency_ns;    /* completion (or failure) - planned */
	uint8_t outcome;        /* enum zf_outcome */
};

enum zf_probe_kind { ZF_PROBE_HTTP, ZF_PROBE_TCP, ZF_PROBE_EXEC, ZF_PROBE_DNS,
		     ZF_PROBE_WRITE };

struct zf_wspec;
struct zf_ledger;

#define ZF_DNS_TYPE_A 1
#define ZF_DNS_TYPE_AAAA 28
#define ZF_DNS_MAX_EXPECT 1024     /* addresses in dns_expect */

/* One address of a dns probe's expected answer set, as its RDATA: the
 * first 4 bytes for type A, all 16 for AAAA (network byte order). */
struct zf_dns_addr {
	uint8_t b[16];
};

/* Runs a command for an exec probe (in a lab host: the caller knows how);
 * returns 0 with the exit code in *CODE, or a negative errno. Called from
 * the probe's thread; must be thread-safe. */
typedef int (*zf_exec_fn)(void *ctx, int *code);

struct zf_probe_spec {
	char name[64];
	enum zf_probe_kind kind;
	double rate;               /* requests per second, > 0 */
	uint64_t timeout_ns;       /* per request; default 1 s */
	int netns_fd;              /* sockets are made here; -1: caller's */
	int connections;           /* http/tcp: concurrent connections (default 1
				      for keep-alive, unlimited otherwise) */
	struct sockaddr_in addr;   /* http/tcp: where to connect (resolved by
				      the caller); dns: the server; sin_port
				      set */
	int resolve_failed;        /* the caller could not resolve the name:
				      every request fails with ZF_OUT_DNS */
	/* http */
	char method[16];           /* default "GET" */
	char host_header[256];     /* "www.lab" */
	char path[1024];           /* "/" */
	char *body;                /* NULL: none */
	int expect_status;         /* default 200 */
	int keepalive;             /* 1: reuse connections; 0: one per request */
	/* tcp */
	char *send;                /* NULL: connect only */
	char *expect;              /* NULL: no reply expected */
	/* dns: one UDP query per request, for dns_name (absolute; the final
	 * dot optional) and dns_type; the reply must be NOERROR with at
	 * least one answer of that type, and, when given, exactly the set
	 * dns_expect (order and repeats aside) or dns_expect_count distinct
	 * answers. */
	char dns_name[256];
	uint16_t dns_type;         /* ZF_DNS_TYPE_A (default) or _AAAA */
	const struct zf_dns_addr *dns_expect;   /* NULL: any answer set */
	size_t dns_n_expect;       /* 1..ZF_DNS_MAX_EXPECT with dns_expect */
	int dns_expect_count;      /* > 0: that many; 0: not checked */
	/* exec */
	zf_exec_fn exec;
	void *exec_ctx;
	/* write: what to write where (probe/write.h); copied at start. A
	 * request is one write; its outcome in the request log is ok or the
	 * cause of its failure, and the ledger keeps its class. */
	const struct zf_wspec *write;
	/* live counts: a request is good when ok and latency <= slow_ns
	 * (0: no threshold) */
	uint64_t slow_ns;
};

struct zf_probe;

/* Start SPEC's thread; requests are planned from T0_NS (CLOCK_MONOTONIC)
 * until zf_probe_stop. -EINVAL with ERR for a bad spec. */
int zf_probe_start(const struct zf_probe_spec *spec, uint64_t t0_ns,
		   struct zf_probe **out, char *err, size_t errlen);

/* Stop planning new requests; wait up to the timeout for those in flight
 * (they complete or time out), then join the thread. */
void zf_probe_stop(struct zf_probe *p);

/* The same, waiting at most GRACE_NS after the stop instead of the
 * timeout: requests not finished by then end as timeouts (latency up to
 * that moment). zf_probe_stop(p) is zf_probe_stop_within(p, timeout).
 * For drivers that measure throughput and do not want to wait for a
 * backlog (bench/probe_drv). */
void zf_probe_stop_within(struct zf_probe *p, uint64_t grace_ns);

/* After stop: every request, in planned order; and the merged histogram
 * of the latencies of successful requests. */
const struct zf_req *zf_probe_records(const struct zf_probe *p, size_t *n);
const struct zf_hist *zf_probe_hist(const struct zf_probe *p);
const struct zf_probe_spec *zf_probe_get_spec(const struct zf_probe *p);

/* Live counts while the probe runs, safe to call from another thread:
 * requests that *completed* (answered, failed or timed out) during the
 * wall second [SEC, SEC+1) after t0, and how many of them were good (ok
 * and latency <= spec->slow_ns). Seconds older than ~10 minutes may be gone
 * (returns -ERANGE). Used for stop_when conditions. */
int zf_probe_live(const struct zf_probe *p, uint64_t sec, uint64_t *completed,
		  uint64_t *good);

/* Write probes, after zf_probe_stop: the final read, now (blocking; in a
 * thread in the probe's network namespace), recorded in the probe's
 * ledger (a failed read is recorded as failed). 0; -EINVAL for a probe of
 * another kind, or one not stopped; -EALREADY when it was done. */
int zf_probe_final_read(struct zf_probe *p);

/* Write probes, after stop: the ledger of every write sent and the final
 * read (state "none" until zf_probe_final_read); NULL for other kinds.
 * Valid until zf_probe_free. */
const struct zf_ledger *zf_probe_ledger(const struct zf_probe *p);

/* Write probes, after stop: the worker count, the writes planned but never
 * sent (they waited longer than the timeout for a free worker) and the
 * values of earlier runs the final read skipped. */
struct zf_probe_wstats {
	int workers;
	uint64_t not_sent;
	uint64_t earlier;
};
void zf_probe_write_stats(const struct zf_probe *p, struct zf_probe_wstats *out);

void zf_probe_free(struct zf_probe *p);

#endif
