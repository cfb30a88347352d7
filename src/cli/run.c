/* run.c - `zonefall run SCENARIO --lab LAB`. */
#include "cli/cli.h"
#include "engine/drill.h"
#include "spec/library.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/text.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SETS 64
#define MAX_SUGGEST 5

struct run_args {
	const char *library;          /* --library, or NULL */
	char path[PATH_MAX];          /* a library id's file */
};

static int number(const char *s, double *out)
{
	char *end;

	*out = strtod(s, &end);
	return end != s && !*end;
}

/* Parse the run's own options; returns 0 or an exit code. */
static int parse(int argc, char **argv, struct zf_drill_opts *o, char **sets,
		 struct run_args *ra)
{
	size_t n_sets = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		double x;
		if (!strcmp(a, "--set") && v && strchr(v, '=') && n_sets < MAX_SETS)
			sets[n_sets++] = argv[++i];
		else if (!strcmp(a, "--time-scale") && v && number(v, &x) && x >= 1)
			o->time_scale = x, i++;
		else if (!strcmp(a, "--library") && v)
			ra->library = argv[++i];
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
		return zf_cli_usage(&zf_cmd_run, "which scenario? give a scenario "
				    "file or a library id (zonefall scenarios)");
	return 0;
}

/* Report that ID is not in library DIR, with its closest ids. Returns the
 * exit code. */
static int not_found(const char *dir, const char *id)
{
	struct zf_library lib;
	const char *near[MAX_SUGGEST];
	struct zf_text list = { 0 };
	char err[1024];
	size_t n;

	if (zf_library_list(dir, NULL, &lib, err, sizeof(err)) < 0) {
		zf_error("run: '%s' is neither a file nor a scenario of the "
			 "library (%s); give a scenario file, or the library "
			 "with --library DIR or ZF_SCENARIOS", id, err);
		return ZF_EXIT_USAGE;
	}
	n = zf_library_suggest(&lib, id, near, MAX_SUGGEST);
	for (size_t i = 0; i < n; i++)
		zf_text_add(&list, "%s%s", i ? ", " : "", near[i]);
	zf_error("run: no scenario '%s' in the library %s (and no such "
		 "file)%s%s; 'zonefall scenarios' lists them", id, dir,
		 n ? ". Did you mean: " : "", zf_text_str(&list));
	zf_text_free(&list);
	zf_library_free(&lib);
	return ZF_EXIT_USAGE;
}

/* Point O->scenario at a file: the argument itself when it is an existing
 * path or ends in .yaml/.yml, else library id DIR/ARG.yaml (kept in RA).
 * Returns 0 or an exit code (reported). */
static int resolve(struct zf_drill_opts *o, struct run_args *ra)
{
	const char *dir;
	int rc;

	if (!zf_library_is_name(o->scenario))
		return 0;
	dir = zf_cli_library(ra->library);
	rc = zf_library_path(dir, o->scenario, ra->path, sizeof(ra->path));
	if (rc == 0) {
		zf_debug("run: scenario %s is %s", o->scenario, ra->path);
		o->scenario = ra->path;
		return 0;
	}
	if (rc == -ENOENT || rc == -ENOTDIR)
		return not_found(dir, o->scenario);
	zf_error("run: '%s' is neither a file nor a scenario id of the "
		 "library %s (%s)", o->scenario, dir, rc == -EINVAL ?
		 "ids look like generic/zone-power-loss" : strerror(-rc));
	return rc == -ENAMETOOLONG ? ZF_EXIT_USAGE : zf_cli_exit(rc);
}

static int run(struct zf_cli *cli, int argc, char **argv)
{
	struct zf_drill_opts o = { .time_scale = 1.0, .runs_dir = "runs" };
	struct zf_drill_result res;
	struct run_args ra = { 0 };
	char *sets[MAX_SETS + 1], err[2048];
	int rc = parse(argc, argv, &o, sets, &ra);

	if (rc == 0)
		rc = resolve(&o, &ra);
	if (rc)
		return rc;
	o.lab = cli->lab;   /* NULL: the scenario's lab: file */
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
	"usage: zonefall run SCENARIO [--lab LAB] [--set KEY=VALUE]...\n"
	"                    [--time-scale N] [--runs DIR] [--cost-per-hour X]\n"
	"                    [--seed N] [--library LIBRARY] [--json]\n\n"
	"SCENARIO is a scenario file, or the id of one in the scenario library\n"
	"('zonefall scenarios' lists them): an argument that is not an existing\n"
	"file and does not end in .yaml is read from LIBRARY/SCENARIO.yaml,\n"
	"LIBRARY being --library, else $ZF_SCENARIOS, else the source tree's\n"
	"scenarios/, else ./scenarios. A name not there is an error that lists\n"
	"the closest ids.\n\n"
	"Runs the scenario against LAB: a running lab's name, or a lab file (then\n"
	"the lab is brought up first and taken down after). Without --lab, the\n"
	"scenario's own lab file (its 'lab:' key; the first of a list) is brought\n"
	"up and taken down. Probes play the users\n"
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
	"                      else random; the report says which)\n"
	"  --library LIBRARY   where scenario ids are looked up\n\n"
	"Examples:\n"
	"  zonefall run generic/zone-power-loss --lab labs/demo.yaml\n"
	"  zonefall run incidents/tencent-2024-04-api --time-scale 4\n"
	"  zonefall run incidents/alibaba-sg-2024-fire --lab LAB --set zone=r1/a \\\n"
	"      --time-scale 60\n"
	"  zonefall run ./my-drill.yaml --lab demo --set outage=30s --runs /tmp/runs\n\n"
	"Exit: 0 every expectation held, 1 an expectation failed or the run was\n"
	"stopped, aborted or interrupted, 2 bad scenario or lab (nothing applied),\n"
	"3 environment, 4 the drill itself failed.\n",
};
