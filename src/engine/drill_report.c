/* drill_report.c - from the drill's records to its run directory. */
#include "engine/drill_int.h"
#include "report/render.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *probe_kind(const struct zf_scn_probe *p)
{
	static const char *const kinds[] = {
		[ZF_SCN_HTTP] = "http", [ZF_SCN_TCP] = "tcp",
		[ZF_SCN_EXEC] = "exec", [ZF_SCN_DNS] = "dns",
		[ZF_SCN_REDIS] = "redis", [ZF_SCN_ETCD] = "etcd",
		[ZF_SCN_SQL] = "sql", [ZF_SCN_HTTPW] = "http-write",
	};

	return (unsigned)p->kind < sizeof(kinds) / sizeof(*kinds) ? kinds[p->kind]
								  : "exec";
}

static const char *probe_target(const struct drill *d, size_t i)
{
	const struct zf_scn_probe *p = &d->scn->probes[i];

	if (zf_scn_is_write(p->kind))
		return d->wtargets && d->wtargets[i] ? d->wtargets[i] : "";
	if (p->kind == ZF_SCN_HTTP)
		return p->url;
	if (p->kind == ZF_SCN_TCP)
		return p->connect;
	if (p->kind == ZF_SCN_DNS)
		return p->dns_name;
	return p->argv && p->argv[0] ? p->argv[0] : "";
}

/* A write probe's ledger, check and figures. */
static void fill_write(const struct drill *d, size_t i, struct zf_run_probe *rp)
{
	struct zf_probe_wstats st;

	rp->write = 1;
	rp->settle_ns = d->scn->probes[i].settle_ns;
	rp->workers = d->scn->probes[i].workers;
	if (!d->probes[i])
		return;
	zf_probe_write_stats(d->probes[i], &st);
	rp->ledger = zf_probe_ledger(d->probes[i]);
	rp->check = d->checked && d->checked[i] ? &d->checks[i] : NULL;
	rp->not_sent = st.not_sent;
	rp->earlier = st.earlier;
}

static void fill_probe(const struct drill *d, size_t i, struct zf_run_probe *rp)
{
	const struct zf_scn_probe *p = &d->scn->probes[i];

	rp->name = p->name;
	rp->kind = probe_kind(p);
	rp->from = p->from;
	rp->target = probe_target(d, i);
	rp->rate = p->rate;
	rp->timeout_ns = p->timeout_ns;
	rp->slow_ns = p->slow_ns;
	rp->expects = p->expects;
	rp->n_expects = p->n_expects;
	if (d->probes[i]) {
		rp->reqs = zf_probe_records(d->probes[i], &rp->n_reqs);
		rp->hist = zf_probe_hist(d->probes[i]);
	}
	if (zf_scn_is_write(p->kind))
		fill_write(d, i, rp);
}

static json_t *analyse(struct drill *d)
{
	const struct zf_scenario *s = d->scn;
	struct zf_run_probe *rp = zf_xcalloc(d->n_probes + 1, sizeof(*rp));
	struct zf_run_input in = {
		.scenario = s->name, .title = s->title, .klass = s->klass,
		.lab = d->rt->lab->name, .incident = s->incident, .params = s->params,
		.seed = d->seed, .time_scale = s->time_scale, .wall_start_ns = d->wall0,
		.duration_ns = d->ended_ns, .warmup_ns = s->warmup_ns,
		.cooldown_ns = s->cooldown_ns, .end_reason = d->end_reason,
		.end_detail = d->end_detail,
		.cost_per_hour = d->o->cost_per_hour ? d->o->cost_per_hour : s->cost_per_hour,
		.currency = *s->currency ? s->currency : "USD",
		.events = d->events, .n_events = s->n_steps,
		.probes = rp, .n_probes = d->n_probes,
		.obs = d->watch.obs, .n_obs = d->watch.n_obs,
	};
	json_t *run;

	for (size_t i = 0; i < d->n_probes; i++)
		fill_probe(d, i, &rp[i]);
	run = zf_analyse(&in);
	free(rp);
	return run;
}

/* runs/<utc-time>-<scenario>, made unique with a suffix if needed. */
static int make_run_dir(const struct drill *d, char *dir, size_t len)
{
	const char *parent = d->o->runs_dir ? d->o->runs_dir : "runs";
	time_t now = (time_t)(d->wall0 / ZF_NS_PER_S);
	char stamp[32];
	struct tm tm;
	int rc = zf_mkdir_p(parent, 0755);

	if (rc < 0)
		return rc;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (int n = 0; n < 100; n++) {
		if (n == 0)
			rc = zf_fmt(dir, len, "%s/%s-%s", parent, stamp, d->scn->name);
		else
			rc = zf_fmt(dir, len, "%s/%s-%s-%d", parent, stamp, d->scn->name, n);
		if (rc < 0)
			return rc;
		if (mkdir(dir, 0755) == 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

static int exit_code_of(const char *verdict)
{
	if (!strcmp(verdict, "pass"))
		return 0;
	return strcmp(verdict, "error") ? 1 : 4;
}

int drill_report(struct drill *d, struct zf_drill_result *res, char *err,
		 size_t errlen)
{
	json_t *run = analyse(d);
	const char *verdict = json_string_value(json_object_get(run, "verdict"));
	int rc = make_run_dir(d, res->run_dir, sizeof(res->run_dir));

	if (rc < 0) {
		snprintf(err, errlen, "creating the run directory: %s", strerror(-rc));
		json_decref(run);
		return rc;
	}
	rc = zf_report_write_dir(run, res->run_dir, err, errlen);
	snprintf(res->verdict, sizeof(res->verdict), "%s", verdict ? verdict : "error");
	res->exit_code = exit_code_of(res->verdict);
	if (d->o->json)
		printf("{\"run\":\"%s\",\"verdict\":\"%s\"}\n", res->run_dir, res->verdict);
	else {
		zf_render_terminal(run, stdout, d->o->color);
		printf("reports: %s/report.html (also report.md, junit.xml, run.json)\n",
		       res->run_dir);
	}
	json_decref(run);
	return rc < 0 ? rc : 0;
}
