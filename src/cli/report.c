/* report.c - `zonefall report RUN`: render a run's reports again. */
#include "cli/cli.h"
#include "report/render.h"
#include "util/log.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static int run(struct zf_cli *cli, int argc, char **argv)
{
	const char *format = NULL, *dir = NULL;
	char err[1024];
	json_t *runrec;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--format") && i + 1 < argc)
			format = argv[++i];
		else if (argv[i][0] == '-')
			return zf_cli_usage(&zf_cmd_report, "unknown option '%s'", argv[i]);
		else
			dir = argv[i];
	}
	if (!dir)
		return zf_cli_usage(&zf_cmd_report, "which run? give its directory");
	if (cli->json)
		format = "json";
	rc = zf_report_load(dir, &runrec, err, sizeof(err));
	if (rc < 0) {
		zf_error("%s", err);
		return zf_cli_exit(rc);
	}
	if (!format || !strcmp(format, "terminal"))
		zf_render_terminal(runrec, stdout, isatty(1));
	else if (!strcmp(format, "md") || !strcmp(format, "markdown"))
		rc = zf_render_markdown(runrec, stdout);
	else if (!strcmp(format, "html"))
		rc = zf_render_html(runrec, stdout);
	else if (!strcmp(format, "junit"))
		rc = zf_render_junit(runrec, stdout);
	else if (!strcmp(format, "json"))
		rc = json_dumpf(runrec, stdout, JSON_INDENT(2)) == 0 ? 0 : -EIO;
	else if (!strcmp(format, "files"))
		rc = zf_report_write_dir(runrec, dir, err, sizeof(err));
	else
		rc = -EINVAL, zf_error("unknown format '%s' (terminal, md, html, junit, json, "
				       "files)", format);
	json_decref(runrec);
	if (rc < 0 && rc != -EINVAL)
		zf_error("%s", err);
	return rc < 0 ? ZF_EXIT_USAGE : ZF_EXIT_OK;
}

const struct zf_cmd zf_cmd_report = {
	.name = "report",
	.run = run,
	.summary = "show a finished run's report again (from its run.json)",
	.help =
	"usage: zonefall report RUN-DIR [--format terminal|md|html|junit|json|files]\n\n"
	"Renders the report of a finished drill from RUN-DIR/run.json alone:\n"
	"the terminal summary (default), Markdown, HTML, JUnit XML or the JSON\n"
	"itself to stdout; 'files' rewrites report.md, report.html and junit.xml\n"
	"in RUN-DIR.\n",
};
