/* drill_int.h - the state of one drill, shared by the engine's files. */
#ifndef ZF_ENGINE_DRILL_INT_H
#define ZF_ENGINE_DRILL_INT_H

#include <pthread.h>
#include <stdint.h>

#include "engine/drill.h"
#include "lab/labrt.h"
#include "probe/checker.h"
#include "probe/probe.h"
#include "probe/write.h"
#include "report/analysis.h"
#include "spec/scenario.h"
#include "util/evloop.h"

enum act_type { ACT_APPLY, ACT_REVERT };

/* One timed action of the timeline. */
struct act {
	uint64_t at_ns;            /* since t0 */
	enum act_type type;
	size_t step;               /* index into scenario steps (== event) */
};

struct exec_ctx {              /* what an exec probe runs */
	struct zf_labrt *rt;
	size_t host;
	char **argv;
};

/* The watcher (drill_watch.c): its thread and what it saw. */
struct watch {
	pthread_t thr;
	int running;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;                  /* under mu */
	json_t **last;             /* per host: the init's service list */
	char (*power)[8];          /* per host: "on", "off", "paused", "" */
	struct zf_run_obs *obs;
	size_t n_obs, cap_obs;
};

struct drill {
	const struct zf_drill_opts *o;
	struct zf_scenario *scn;
	struct zf_labrt *rt;
	int lab_ours;              /* brought up by this run: take it down */
	int use_fd;                /* our claim on the lab (lab/labuse.h), or -1 */
	unsigned long long seed;
	/* probes */
	struct zf_probe_spec *specs;
	struct exec_ctx *execs;
	struct zf_probe **probes;
	size_t n_probes;
	/* write probes (drill_write.c): per probe, used by write probes */
	struct zf_wspec *wspecs;
	struct zf_wnode *wnames;   /* the lab's hosts, to name nodes */
	size_t n_wnames;
	char **wtargets;           /* what each writes to, for the report */
	struct zf_check *checks;   /* after the final read */
	int *checked;
	/* timeline */
	struct act *acts;
	size_t n_acts, next_act;
	struct zf_run_event *events;   /* one per step */
	uint64_t t0;               /* CLOCK_MONOTONIC */
	uint64_t wall0;
	uint64_t end_ns;           /* planned end (since t0) */
	uint64_t *stop_since;      /* per stop_when: condition true since (0: not) */
	int steady_checked;
	/* loop */
	struct evloop *loop;
	struct evloop_timer act_timer, tick_timer, end_timer;
	struct evloop_watch sig_watch;
	int sigfd;
	const char *end_reason;
	char end_detail[256];
	uint64_t ended_ns;
	struct watch watch;
};

/* drill_plan.c: scenario + lab -> probe specs and checked steps. */
int drill_plan(struct drill *d, char *err, size_t errlen);
void drill_plan_free(struct drill *d);
/* drill_dns.c: probe I, a dns probe whose users are in HOST (its network
 * namespace already set): its name, server and expected answers in
 * d->specs[I]. -EINVAL with "file:line:col: probe NAME: ..." in ERR. */
int drill_plan_dns(struct drill *d, size_t i, size_t host, char *err,
		   size_t errlen);
/* drill_plan.c: "HOST[:PORT]" as a user of the lab would resolve HOST (a
 * host or client, a DNS record's first host, with or without the domain,
 * or an IPv4 literal) into ADDR, DEFPORT when no port; HOST into HOST
 * (HOSTLEN bytes). 0, -EINVAL (syntax) or -ENOENT (no such name). */
int drill_host_port(const struct zf_labrt *rt, const char *s, int defport,
		    struct sockaddr_in *addr, char *host, size_t hostlen);
/* drill_write.c: probe I, a write probe (its network namespace already
 * set): what it writes where in d->wspecs[I], the names table, its
 * target text. -EINVAL with "file:line:col: probe NAME: ..." in ERR. */
void drill_write_init(struct drill *d);
int drill_plan_write(struct drill *d, size_t i, char *err, size_t errlen);
/* After the probes have stopped: for each write probe, wait its settle
 * time after the end of the run (Ctrl-C skips the rest), do its final
 * read and check its ledger into d->checks. */
void drill_final_reads(struct drill *d);
void drill_write_free(struct drill *d);
/* drill_loop.c: run the timeline until it ends one way or another. */
int drill_loop(struct drill *d);
/* Revert every fault this run still has applied (newest first). */
void drill_revert_all(struct drill *d);
/* drill_watch.c: sample every host's power and services from t0 until
 * stopped, recording changes in d->watch.obs (free with drill_watch_free
 * after the report). Start failing only means no observations. */
void drill_watch_start(struct drill *d);
void drill_watch_stop(struct drill *d);
void drill_watch_free(struct drill *d);
/* drill_report.c: analysis and run directory. */
int drill_report(struct drill *d, struct zf_drill_result *res, char *err,
		 size_t errlen);

uint64_t drill_now(const struct drill *d);   /* ns since t0 */
void drill_say(const struct drill *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
