/* drill.h - `zonefall run`: one drill from start to report.
 *
 * Warm-up (probes running, no fault) → steady-state check → the scenario's
 * steps at their planned times (each one journaled and verified by the
 * fault layer) → cool-down → every fault this run applied is reverted and
 * verified → analysis → run directory with run.json and the reports. The
 * same end (revert, verify, report) follows a stop_when trip, SIGINT or
 * SIGTERM, or an internal error; the report says why the run ended. */
#ifndef ZF_ENGINE_DRILL_H
#define ZF_ENGINE_DRILL_H

#include <stddef.h>

struct zf_drill_opts {
	const char *scenario;       /* scenario file */
	const char *lab;            /* a running lab's name, or a lab file */
	char *const *sets;          /* "key=value", NULL-terminated; may be NULL */
	double time_scale;          /* >= 1 */
	const char *runs_dir;       /* parent of run directories; "runs" */
	double cost_per_hour;       /* 0: the scenario's, if any */
	unsigned long long seed;    /* 0: the scenario's, or random */
	int quiet;                  /* no progress lines */
	int color;
	int json;                   /* final line as JSON instead of the summary */
};

struct zf_drill_result {
	char run_dir[512];
	char verdict[16];           /* pass, fail, interrupted, error */
	int exit_code;              /* 0 pass, 1 fail/stopped/interrupted, 4 error */
};

/* Run the drill. Returns a negative errno only when nothing was started
 * (bad scenario or lab: -EINVAL, ERR has file:line:col; environment
 * problems: other errnos); otherwise 0 with RES filled, whatever the
 * verdict. */
int zf_drill_run(const struct zf_drill_opts *o, struct zf_drill_result *res,
		 char *err, size_t errlen);

#endif
