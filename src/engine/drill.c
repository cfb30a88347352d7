/* drill.c - `zonefall run` from the scenario file to the exit code. */
#include "engine/drill_int.h"
#include "lab/lab.h"
#include "lab/labuse.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* Probes start a little after t0 is fixed, so their first planned request
 * is not already late when the threads come up. */
#define LEAD_NS (50 * ZF_NS_PER_MS)

static int is_lab_file(const char *s)
{
	const char *dot = strrchr(s, '.');

	return strchr(s, '/') || (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml")));
}

/* Without --lab: the scenario's first `lab:` file, as written when it
 * exists from here, else found from the scenario file's directory upwards
 * (library scenarios name labs relative to the source tree). */
#define LAB_SEARCH_UP 4
static int scenario_lab(const struct drill *d, char *out, size_t len, char *err,
			size_t errlen)
{
	const char *rel = d->scn->labs ? d->scn->labs[0] : NULL;
	char dir[PATH_MAX];

	if (!rel) {
		snprintf(err, errlen, "which lab? the scenario names none ('lab:'): "
			 "--lab NAME (running) or --lab FILE.yaml");
		return -EINVAL;
	}
	if (rel[0] == '/' || access(rel, R_OK) == 0)
		return zf_fmt(out, len, "%s", rel) < 0 ? -ENAMETOOLONG : 0;
	snprintf(dir, sizeof(dir), "%s", d->scn->path ? d->scn->path : ".");
	for (int up = 0; up < LAB_SEARCH_UP; up++) {
		char *slash = strrchr(dir, '/');
		if (!slash)
			break;
		*slash = '\0';
		if (zf_fmt(out, len, "%s/%s", *dir ? dir : "", rel) == 0 &&
		    access(out, R_OK) == 0)
			return 0;
	}
	snprintf(err, errlen, "the scenario's lab %s is not found from here nor above "
		 "%s: --lab FILE.yaml", rel, d->scn->path ? d->scn->path : "the scenario");
	return -ENOENT;
}

/* A running lab by name, or a lab file brought up for this run (the
 * scenario's own when none was given). */
static int open_lab(struct drill *d, char *err, size_t errlen)
{
	struct zf_up_opts up = { .wait_ready_ms = 60000 };
	char file[PATH_MAX];
	const char *lab = d->o->lab;
	int rc;

	if (!lab) {
		if ((rc = scenario_lab(d, file, sizeof(file), err, errlen)) < 0)
			return rc;
		lab = file;
	} else if (!is_lab_file(lab)) {
		return zf_labrt_open(lab, &d->rt, err, errlen);
	}
	if (!d->o->quiet && !d->o->json)
		printf("bringing up %s%s\n", lab, d->o->lab ? "" : " (the scenario's lab)");
	rc = zf_lab_up(lab, &up, &d->rt, NULL, err, errlen);
	if (rc == 0)
		d->lab_ours = 1;
	return rc;
}

/* Tell `zonefall down` that this run uses the lab (it stops us first). */
static int claim_lab(struct drill *d, char *err, size_t errlen)
{
	d->use_fd = zf_labuse_claim(d->rt->lab->name);
	if (d->use_fd >= 0)
		return 0;
	snprintf(err, errlen, "lab %s: recording this run as its user: %s", d->rt->lab->name,
		 strerror(-d->use_fd));
	return d->use_fd;
}

static unsigned long long pick_seed(const struct drill *d)
{
	unsigned long long seed = 0;

	if (d->o->seed)
		return d->o->seed;
	if (d->scn->has_seed)
		return d->scn->seed;
	while (seed == 0 && getrandom(&seed, sizeof(seed), 0) == (ssize_t)sizeof(seed))
		seed &= 0xffffffffffffull; /* short enough to type back in */
	return seed ? seed : 1;
}

static int start_probes(struct drill *d, char *err, size_t errlen)
{
	for (size_t i = 0; i < d->n_probes; i++) {
		int rc = zf_probe_start(&d->specs[i], d->t0, &d->probes[i], err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void stop_probes(struct drill *d)
{
	for (size_t i = 0; i < d->n_probes; i++)
		if (d->probes[i])
			zf_probe_stop(d->probes[i]);
}

/* Signals are read from a signalfd by the loop: block them before any
 * probe thread exists, so that every thread inherits the mask. */
static void block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

/* Restore the mask, dropping a second Ctrl-C that arrived while the run
 * was already ending (it must not kill us now). */
static void unblock_signals(const sigset_t *old)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	while (sigtimedwait(&set, NULL, &zero) > 0)
		;
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

static int run_timeline(struct drill *d, char *err, size_t errlen)
{
	int rc;

	d->t0 = zf_now_ns() + LEAD_NS;
	d->wall0 = zf_wall_ns() + LEAD_NS;
	rc = start_probes(d, err, errlen);
	if (rc < 0) {
		stop_probes(d);
		return rc;
	}
	drill_watch_start(d);
	drill_say(d, "drill %s on lab %s: warm-up %.1fs, %zu steps, seed %llu",
		  d->scn->name, d->rt->lab->name, (double)d->scn->warmup_ns / 1e9,
		  d->scn->n_steps, d->seed);
	rc = drill_loop(d);
	drill_watch_stop(d);
	stop_probes(d);
	drill_say(d, "run ended: %s%s%s", d->end_reason, *d->end_detail ? ": " : "",
		  d->end_detail);
	drill_final_reads(d);
	return rc;
}

static void cleanup(struct drill *d)
{
	char err[512];

	drill_plan_free(d);
	if (d->rt)
		drill_watch_free(d);
	if (d->rt && d->lab_ours) {
		if (zf_lab_down(d->rt->lab->name, 0, err, sizeof(err)) < 0)
			zf_error("taking lab %s down: %s", d->rt->lab->name, err);
		else if (!d->o->quiet && !d->o->json)
			printf("lab %s is down\n", d->rt->lab->name);
	}
	if (d->rt)
		zf_labuse_release(d->rt->lab->name, d->use_fd);
	zf_labrt_close(d->rt);
	zf_scenario_free(d->scn);
	free(d->stop_since);
}

int zf_drill_run(const struct zf_drill_opts *o, struct zf_drill_result *res,
		 char *err, size_t errlen)
{
	struct drill d = { .o = o, .sigfd = -1, .use_fd = -1 };
	sigset_t old;
	int rc;

	memset(res, 0, sizeof(*res));
	rc = zf_scenario_load(o->scenario, o->sets, o->time_scale, &d.scn, err, errlen);
	if (rc < 0)
		return rc;
	d.stop_since = zf_xcalloc(d.scn->n_stops + 1, sizeof(*d.stop_since));
	d.seed = pick_seed(&d);
	rc = open_lab(&d, err, errlen);
	if (rc == 0)
		rc = claim_lab(&d, err, errlen);
	if (rc == 0)
		rc = drill_plan(&d, err, errlen);
	if (rc < 0)
		goto out;
	block_signals(&old);
	rc = run_timeline(&d, err, errlen);
	if (rc < 0 && !d.end_reason) {
		d.end_reason = "error";
		snprintf(d.end_detail, sizeof(d.end_detail), "%s", err);
		d.ended_ns = drill_now(&d);
	}
	rc = drill_report(&d, res, err, errlen);
	cleanup(&d);
	unblock_signals(&old);
	return rc;
out:
	cleanup(&d);
	return rc;
}
