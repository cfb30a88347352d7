/* scenario.h - the validated model of a scenario file (a drill).
 *
 *   scenario: zone-power-loss          # name, [a-z0-9][a-z0-9-]*
 *   title: "A zone loses power"
 *   class: power                       # power | hardware | software | network
 *   lab: labs/demo.yaml                # optional: the example lab(s) it is
 *                                      # written for, a string or a list of
 *                                      # 1..8 (shown by `zonefall scenarios`;
 *                                      # `run` without --lab brings up the
 *                                      # first)
 *   incident: { ... }                  # optional mapping, kept as JSON
 *   params: { zone: r1/a, outage: 60s }   # defaults; --set k=v overrides
 *   cost: { per_hour: 10000, currency: USD }   # optional
 *   seed: 42                           # optional; else chosen and reported
 *   probes:
 *     web:
 *       http: { url: "http://www.lab/", method: GET, body: "...",
 *               status: 200, keepalive: true, connections: 1 }
 *       # or tcp: { connect: "lb-a:80", send: "PING\r\n", expect: "PONG" }
 *       # or exec: { in: web-a, run: "curl -sf http://localhost/" }
 *       # or dns: { name: "www.lab", type: A, expect_addrs: [lb-a, lb-b],
 *       #           server: "198.18.255.2:53" }   # or expect_count: 2
 *       # write probes (docs/data-safety.md), with settle: 5s, workers: 16:
 *       # or redis: { sentinels: [sentinel-a, sentinel-b], master: mymaster,
 *       #             op: sadd, key: zf-set }        # or addr: redis-a:6379
 *       # or etcd: { endpoints: [etcd-a, etcd-b], prefix: /zf/ }
 *       # or sql: { host: [db-a, db-b], conninfo: "dbname=zf user=postgres",
 *       #           table: zf_writes }
 *       # or http-write: { url: "http://www.lab/items", read_url: "..." }
 *       from: user1                    # host or client the users are in
 *       rate: 200                      # requests per second
 *       timeout: 2s                    # default 2s
 *       slow: 1s                       # default 1s (see docs/run-json.md)
 *       # timeout and slow are request properties: not time-scaled
 *       expect: { availability: ">= 99.5%", p99: "<= 300ms", errors: "== 0",
 *                 recovery: "<= 30s" }   # or a list of "metric op value"
 *   warmup: 10s
 *   steps:
 *     - { at: 0s, do: power-off, target: "zone {zone}" }
 *     - { at: "{outage}", do: power-on, target: "zone {zone}" }
 *     - { at: 5s, do: kill, target: "service nginx", args: TERM, for: 10s }
 *   cooldown: 30s
 *   stop_when: [ { probe: web, availability: "< 5%", for: 60s } ]
 *
 * "{param}" templates are expanded in every string value (not in keys, in
 * the parameter values themselves, or in "incident", which is kept as
 * written) with the parameter values (after --set); "{{" is a literal
 * brace. Expansion comes first, then parsing: `at: "{outage}"` and
 * `rate: "{rate}"` work, and an exec probe's `run` string is split into
 * words after expansion (a list is expanded word by word, never split).
 *
 * The timeline's durations are divided by the time scale and rounded to
 * nanoseconds (a non-zero duration stays at least 1 ns): warmup, cooldown, steps' "at" (relative to the end of the
 * warm-up) and "for", and stop_when's "for". A probe's timeout and slow
 * are properties of each request and are NOT scaled, and neither are the
 * thresholds of expectations (the analysis compares them as written).
 *
 * Defaults: title = name, warmup = cooldown = 0, currency USD, probe
 * timeout 2s, slow 1s, http method GET, status 200, keepalive true,
 * connections 1; write probes settle 5s (real time: not scaled), workers
 * 16 (see scenario_probe_write.c for their kinds' defaults); stop_when's
 * "for" 0 (stop as soon as the condition holds). Data-safety expectations
 * (lost, valid...) are accepted on write probes only.
 * A probe's rate is required. Incident scalars become JSON numbers when
 * written plain as JSON numbers, true/false/null when written plain as
 * those words, and strings otherwise.
 *
 * The loader checks syntax, references (probe names in stop_when,
 * parameters used but not declared, --set of an undeclared parameter),
 * expectations, and caps sizes like the lab loader. It does not resolve
 * targets or fault names: the engine does that against the lab, reporting
 * errors at the step's position. */
#ifndef ZF_SPEC_SCENARIO_H
#define ZF_SPEC_SCENARIO_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "spec/expect.h"
#include "spec/lab.h"

#define ZF_SCN_FILE_MAX (1u << 20)
#define ZF_SCN_MAX_PROBES 32
#define ZF_SCN_MAX_STEPS 1024
#define ZF_SCN_MAX_PARAMS 64
#define ZF_SCN_MAX_STOPS 32
#define ZF_SCN_MAX_EXPECTS 16      /* per probe */
#define ZF_SCN_PARAM_MAX 1024      /* bytes of one parameter value */
#define ZF_SCN_TEXT_MAX (64u * 1024)   /* bytes of a string once expanded */

enum zf_scn_probe_kind { ZF_SCN_HTTP, ZF_SCN_TCP, ZF_SCN_EXEC, ZF_SCN_DNS,
			 /* write probes (docs/data-safety.md): */
			 ZF_SCN_REDIS, ZF_SCN_ETCD, ZF_SCN_SQL, ZF_SCN_HTTPW };

/* Is K a write probe (a ledger, a final read and the lost-write check)? */
static inline int zf_scn_is_write(enum zf_scn_probe_kind k)
{
	return k >= ZF_SCN_REDIS && k <= ZF_SCN_HTTPW;
}

#define ZF_SCN_DNS_MAX_ADDRS 64       /* entries of a dns probe's expect_addrs */

#define ZF_SCN_WRITE_MAX_NODES 16     /* sentinels, endpoints, sql hosts */

/* What a write probe writes and where (scenario_probe_write.c). Node
 * entries are "HOST" or "HOST:PORT" as written (HOST a lab name or an
 * IPv4 literal); the engine resolves them. */
struct zf_scn_write {
	char **nodes;                 /* NULL-terminated, 1..MAX_NODES: redis
					 sentinels (port 26379) or its one
					 addr (6379); etcd endpoints (2379);
					 sql hosts, tried in order */
	int sentinel;                 /* redis: NODES are sentinels */
	char *master;                 /* redis: Sentinel's master name */
	char op[8];                   /* redis: "sadd" (default) or "set" */
	char *key;                    /* redis: the set (sadd) or the keys'
					 prefix (set); etcd: the keys' prefix;
					 sql: the table */
	int port;                     /* sql: default 5432 */
	char *conninfo;               /* sql: libpq keywords, without host */
	char *url;                    /* http-write: where values are sent */
	char *read_url;               /* http-write: the collection (default
					 url) */
	char method[8];               /* http-write: POST (default) or PUT */
};

struct zf_scn_probe {
	char name[ZF_NAME_MAX + 1];
	enum zf_scn_probe_kind kind;
	char from[ZF_NAME_MAX + 1];   /* http/tcp/dns: where users are; exec:
					 "in" */
	double rate;
	uint64_t timeout_ns;
	uint64_t slow_ns;
	/* http */
	char *url;                    /* "http://HOST[:PORT]/PATH"; a URL
					 written without a path gets "/" */
	char method[16];
	char *body;                   /* NULL if none */
	int status;                   /* expected, default 200 */
	int keepalive;                /* default 1 */
	int connections;              /* default 1 */
	/* tcp */
	char *connect;                /* "HOST:PORT" */
	char *send, *expect;          /* NULL if none */
	/* exec */
	char **argv;                  /* NULL-terminated */
	/* dns */
	char *dns_name;               /* as written, final dot kept: "www.lab" */
	char dns_type[8];             /* "A" (default) or "AAAA" */
	char **dns_addrs;             /* NULL-terminated expect_addrs: host or
					 DNS record names of the lab, IP
					 literals; NULL: not checked */
	int dns_count;                /* expect_count; 0: not checked */
	uint32_t dns_server;          /* IPv4, host byte order; 0: the
					 resolver of the host's resolv.conf */
	int dns_port;                 /* default 53 */
	/* write probes (redis, etcd, sql, http-write) */
	struct zf_scn_write *write;   /* NULL for the other kinds */
	uint64_t settle_ns;           /* after the cool-down, before the final
					 read (default 5 s; not time-scaled) */
	int workers;                  /* concurrent writes (default 16) */
	struct zf_expect *expects;    /* parsed (spec/expect.h) */
	size_t n_expects;
	struct zf_mark mark;
};

struct zf_scn_step {
	uint64_t at_ns;               /* after the warm-up, scaled */
	char action[32];              /* fault kind, e.g. "power-off" */
	char *target;                 /* selector text, templates expanded */
	char *args;                   /* "" if none */
	uint64_t for_ns;              /* 0: not reverted by the timeline */
	struct zf_mark mark;
};

struct zf_scn_stop {
	char probe[ZF_NAME_MAX + 1];  /* index into probes checked at load */
	struct zf_expect cond;        /* "availability < 5%": stop when it holds */
	uint64_t for_ns;              /* held this long (scaled) */
	struct zf_mark mark;
};

struct zf_scenario {
	char name[64];
	char *title;
	char klass[16];
	char **labs;                  /* NULL-terminated "lab:", templates
					 expanded; NULL if none */
	char *path;
	json_t *incident;             /* NULL if none */
	json_t *params;               /* object name -> string, after --set */
	double cost_per_hour;         /* 0 if none */
	char currency[8];
	uint64_t seed;                /* 0 if not given */
	int has_seed;
	double time_scale;
	uint64_t warmup_ns, cooldown_ns;
	struct zf_scn_probe *probes;
	size_t n_probes;
	struct zf_scn_step *steps;    /* sorted by at_ns (stable) */
	size_t n_steps;
	struct zf_scn_stop *stops;
	size_t n_stops;
};

/* Load PATH with SETS ("key=value", NULL-terminated, may be NULL; a later
 * --set of the same key wins) and TIME_SCALE (>= 1 compresses: the
 * timeline's durations are divided by it). On success stores a new model in
 * *OUT (free with zf_scenario_free) and returns 0. Errors: -EINVAL with
 * "file:line:col: message", "--set key: message" or "--time-scale must be
 * >= 1" in ERR; -EFBIG past ZF_SCN_FILE_MAX and a negative errno when the
 * file cannot be read ("file: message"). *OUT is untouched on error. */
int zf_scenario_load(const char *path, char *const *sets, double time_scale,
		     struct zf_scenario **out, char *err, size_t errlen);
int zf_scenario_load_buffer(const char *name, const char *buf, size_t len,
			    char *const *sets, double time_scale,
			    struct zf_scenario **out, char *err, size_t errlen);
void zf_scenario_free(struct zf_scenario *s);

/* The index of the probe called NAME, or -1. */
int zf_scenario_find_probe(const struct zf_scenario *s, const char *name);

#endif
