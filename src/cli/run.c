/* run.c - `zonefall run SCENARIO --lab LAB`. */
#include "cli/cli.h"
#include "engine/drill.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SETS 64

static int number(const char *s, double *out)
{
	char *end;

	*out = strtod(s, &end);
	return end != s && !*end;
}

/* Parse the run's own options; returns 0 or an exit code. */
static int parse(int argc, char **argv, struct zf_drill_opts *o, char **sets)
{
	size_t n_sets = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		double x;
		if (!strcmp(a, "--set") && v && strchr(v, '=') && n_sets < MAX_SETS)
			sets[n_sets++] = argv[++i];
		else if (!strcmp(a, "--time-scale") && v && number(v, &x) && x >= 1)
			o->time_scale = x, i++;
		else if (!strcmp(a, "--runs") && v)
			o->runs_dir = argv[++i];
		else if (!strcmp(a, "--cost-per-hour") && v && number(v, &x) && x > 0)
			o->cost_per_hour = x, i++;
		else if (!strcmp(a, "--seed") && v && number(v, &x) && x >= 1)
			o->seed = strtoull(argv[++i], NULL, 10);
		else if (a[0] == '-')
			return zf_cli_usage(&zf_cmd_run, "bad option or value: '%s%s%s'", a,
					    v ? " " : "", v ? v : "");
		else if (!o->scenario)
			o->scenario = a;
		else
			return zf_cli_usage(&zf_cmd_run, "one scenario at a time ('%s'?)", a);
	}
	sets[n_sets] = NULL;
	o->sets = sets;
	if (!o->scenario)
		return zf_cli_usage(&zf_cmd_run, "which scenario? give a scenario file");
	return 0;
}

static int run(struct zf_cli *cli, int argc, char **argv)
{
	struct zf_drill_opts o = { .time_scale = 1.0, .runs_dir = "runs" };
	struct zf_drill_result res;
	char *sets[MAX_SETS + 1], err[2048];
	int rc = parse(argc, argv, &o, sets);

	if (rc)
		return rc;
	o.lab = cli->lab;
	if (!o.lab)
		return zf_cli_usage(&zf_cmd_run, "which lab? --lab NAME (running) or --lab FILE.yaml");
	if ((rc = zf_cli_need_root("zonefall run")))
		return rc;
	o.json = cli->json;
	o.quiet = zf_log_level() < 1;
	o.color = isatty(1);
	rc = zf_drill_run(&o, &res, err, sizeof(err));
	if (rc < 0) {
		zf_error("%s", err);
		return zf_cli_exit(rc);
	}
	return res.exit_code;
}

const struct zf_cmd zf_cmd_run = {
	.name = "run",
	.run = run,
	.summary = "run a drill: a scenario's faults against a lab, measured",
	.help =
	"usage: zonefall run SCENARIO.yaml --lab LAB [--set KEY=VALUE]...\n"
	"                    [--time-scale N] [--runs DIR] [--cost-per-hour X]\n"
	"                    [--seed N] [--json]\n\n"
	"Runs the scenario against LAB: a running lab's name, or a lab file (then\n"
	"the lab is brought up first and taken down after). Probes play the users\n"
	"from the whole run's start; after the warm-up the steady state is checked,\n"
	"then each step's fault is applied at its planned time (journaled first,\n"
	"verified after), and after the cool-down everything is reverted and\n"
	"verified. A stop_when condition, Ctrl-C or SIGTERM end the run early the\n"
	"same way. The report goes to DIR/<utc-time>-<scenario>/ (default ./runs):\n"
	"run.json, report.md, report.html, junit.xml.\n\n"
	"  --set KEY=VALUE     override a scenario parameter (repeatable)\n"
	"  --time-scale N      divide every duration by N (a 3 h incident takes\n"
	"                      3 min at 60); request timeouts are not scaled\n"
	"  --runs DIR          parent directory of run directories (default runs)\n"
	"  --cost-per-hour X   price of downtime for the cost line\n"
	"  --seed N            seed for 'pick' selectors (default: the scenario's,\n"
	"                      else random; the report says which)\n\n"
	"Exit: 0 every expectation held, 1 an expectation failed or the run was\n"
	"stopped, aborted or interrupted, 2 bad scenario or lab (nothing applied),\n"
	"3 environment, 4 the drill itself failed.\n",
};
