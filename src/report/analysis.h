/* analysis.h - from what a drill recorded (requests, events) to the run
 * record (run.json, see docs/run-json.md) that every report is rendered
 * from. Pure computation: no I/O, no clocks. (It uses the expectation type
 * of spec/expect.h: the one piece of the spec layer it needs.) */
#ifndef ZF_REPORT_ANALYSIS_H
#define ZF_REPORT_ANALYSIS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/checker.h"
#include "probe/ledger.h"
#include "probe/probe.h"
#include "spec/expect.h"

/* One fault step as the engine carried it out. Times in ns since t0. */
struct zf_run_event {
	char id[16];              /* fault id in the lab journal, "f3" */
	int step;                 /* index in the scenario's steps */
	char action[32];          /* "power-off" */
	char target[256];
	char args[256];
	char status[16];          /* "applied", "failed", "reverted", "done" */
	char scope[512];          /* what it touched: "zone r1/a: web-a, lb-a" */
	char error[256];          /* when failed */
	char delivered[256];      /* what the link emulator did, or "" */
	uint64_t planned_ns;
	uint64_t actual_ns;       /* when it took effect (verified) */
	uint64_t apply_ns;        /* how long apply+verify took */
	uint64_t revert_planned_ns;   /* 0: no planned revert */
	uint64_t revert_actual_ns;    /* 0: not reverted */
};

struct zf_run_probe {
	const char *name;
	const char *kind;         /* "http", "tcp", "exec", "dns", "redis",
				     "etcd", "sql", "http-write" */
	const char *from;         /* host the users are in */
	const char *target;       /* "http://www.lab/" as written */
	double rate;
	uint64_t timeout_ns;
	uint64_t slow_ns;         /* good = ok and latency <= slow */
	const struct zf_req *reqs;     /* in planned order */
	size_t n_reqs;
	const struct zf_hist *hist;    /* ok latencies, merged */
	const struct zf_expect *expects;   /* parsed by the scenario loader */
	size_t n_expects;
	/* write probes (probe/write.h): WRITE set; the ledger with its final
	 * read and the check (NULL when the probe never ran, or when the
	 * checker refused the ledger: data expectations then fail with an
	 * error) */
	int write;
	const struct zf_ledger *ledger;
	const struct zf_check *check;
	int workers;
	uint64_t not_sent;        /* writes that waited too long to be sent */
	uint64_t earlier;         /* values of earlier runs the read skipped */
	uint64_t settle_ns;
};

/* A change of a host or service that the drill saw from outside
 * (engine/drill_watch.c samples the hosts), with the time it saw it. */
struct zf_run_obs {
	uint64_t t_ns;            /* since t0 */
	char host[64];
	char service[64];         /* "": the host itself (its power) */
	char what[32];            /* "powered off", "paused", "powered on",
				     "resumed", "restarted", or the service's
				     new state: "stopped", "exited",
				     "backoff", "unready", "running", ... */
	int degrading;            /* a failure, not a recovery */
};

struct zf_run_input {
	const char *scenario, *title, *klass, *lab;
	json_t *incident;         /* the scenario's incident block, or NULL */
	json_t *params;           /* object: name -> value as used */
	uint64_t seed;
	double time_scale;
	uint64_t wall_start_ns;   /* CLOCK_REALTIME at t0 */
	uint64_t duration_ns;     /* t0 to the end of the cool-down (or stop) */
	uint64_t warmup_ns, cooldown_ns;
	const char *end_reason;   /* "completed", "stopped", "interrupted", "error" */
	const char *end_detail;
	double cost_per_hour;     /* 0: no cost line */
	const char *currency;     /* "USD" */
	const struct zf_run_event *events;
	size_t n_events;
	const struct zf_run_probe *probes;
	size_t n_probes;
	const struct zf_run_obs *obs;  /* in time order; may be NULL */
	size_t n_obs;
};

/* Build the whole run record. Never fails on odd data (an empty probe, no
 * events): it records what there is. Bad expectation syntax was rejected
 * when the scenario was loaded; here an unparsable one evaluates to a
 * failed expectation with "error" set. Returns a new reference. */
json_t *zf_analyse(const struct zf_run_input *in);

#endif
