/* write.h - what a write probe writes and where (docs/data-safety.md).
 *
 * A write probe is an open-loop probe (probe.h: request k planned at
 * t0 + k/rate, latency from the planned time) whose requests are writes
 * of unique values to a replicated store: Redis (directly, or through
 * Sentinel like a real client), etcd (its v3 JSON gateway), PostgreSQL
 * (libpq) or any HTTP service (POST or PUT a value, GET the collection).
 * Every write is recorded in the probe's write ledger (ledger.h) with its
 * outcome class (ok, fail, unknown); after the run the caller asks for the
 * final read (zf_probe_final_read), and probe/checker.h compares the two.
 *
 * Writes are made by a small pool of worker threads per probe, each with
 * its own blocking client (connection, the node it believes in): the
 * probe's thread plans the writes and queues them; a free worker sends the
 * oldest; a write waiting longer than the timeout is never sent (see
 * write_pool.c). The engine resolves every name against the lab before the
 * probe starts: this layer sees addresses, and the names of the lab's
 * hosts only to name the nodes in the ledger. */
#ifndef ZF_PROBE_WRITE_H
#define ZF_PROBE_WRITE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/ledger.h"

#define ZF_WNODES_MAX 16          /* sentinels, endpoints, sql hosts */
#define ZF_WNAME_MAX ZF_LEDGER_MAX_NAME
#define ZF_WKEY_MAX 200           /* redis key, etcd prefix, sql table */
#define ZF_WCONNINFO_MAX 1024
#define ZF_WWORKERS_MAX 256
#define ZF_WNAMES_MAX 4096        /* entries of the names table */

enum zf_wsys { ZF_WSYS_REDIS, ZF_WSYS_ETCD, ZF_WSYS_SQL, ZF_WSYS_HTTP };

/* A node: its name (a lab host: "redis-a"; written to the ledger) and
 * address. */
struct zf_wnode {
	char name[ZF_WNAME_MAX + 1];
	struct sockaddr_in addr;
};

struct zf_wspec {
	enum zf_wsys sys;
	char prefix[ZF_LEDGER_MAX_PREFIX + 1];   /* values: prefix + id */
	char client[ZF_WNAME_MAX + 1];           /* where the users are */
	int workers;                  /* 1..ZF_WWORKERS_MAX, default 16 */
	/* redis: the sentinels (SENTINEL) or the one server; etcd: the
	 * endpoints; sql: the hosts, tried in order; http: the server of
	 * the URL */
	struct zf_wnode nodes[ZF_WNODES_MAX];
	size_t n_nodes;
	int sentinel;                 /* redis: NODES are sentinels */
	char master[ZF_WKEY_MAX + 1]; /* redis: Sentinel's master name */
	int redis_set;                /* redis: SET KEY+value value (else
					 SADD KEY value) */
	char key[ZF_WKEY_MAX + 1];    /* redis key or key prefix; etcd key
					 prefix; sql table (an identifier) */
	char conninfo[ZF_WCONNINFO_MAX + 1];   /* sql: libpq keywords */
	/* http-write: POST the value to host/path, or PUT it to
	 * host/path + value; GET read_host/read_path from read_node */
	int put;
	char host_header[256], path[1024];
	struct zf_wnode read_node;
	char read_host[256], read_path[1024];
	/* The lab's hosts by address, to name the nodes a client is sent to
	 * (a sentinel answers with an address, or a host name). Copied by
	 * zf_probe_start. */
	const struct zf_wnode *names;
	size_t n_names;
};

/* The value prefix of a probe: "zf-" + the run's UTC start
 * (YYYYmmddTHHMMSS, from WALL_NS) + "-" + NONCE in 4 hex digits + "-" +
 * the probe name (cut to fit) + "-". Values of earlier runs
 * are recognised by the form of that start (zf_wvalue_other_run). 0, or
 * -EINVAL when PROBE is empty. BUF holds ZF_LEDGER_MAX_PREFIX + 1. */
int zf_wprefix(char *buf, size_t len, uint64_t wall_ns, unsigned nonce,
	       const char *probe);

/* Is the value V (LEN bytes) written by another zonefall run than the one
 * of PREFIX (a zf_wprefix)? Such values are skipped by the final read
 * (counted as "earlier"), so that a key, prefix or table reused across
 * runs does not read as unexpected data. */
int zf_wvalue_other_run(const char *prefix, const char *v, size_t len);

#endif
