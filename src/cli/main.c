/* main.c - zonefall's entry point: a table of subcommands. */
#include "cli/cli.h"
#include "util/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const struct zf_cmd *const commands[] = {
	&zf_cmd_up, &zf_cmd_down, &zf_cmd_status, &zf_cmd_exec, &zf_cmd_logs,
	&zf_cmd_inject, &zf_cmd_revert, &zf_cmd_recover, &zf_cmd_run,
	&zf_cmd_report, &zf_cmd_scenarios, &zf_cmd_incidents, NULL,
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: zonefall COMMAND [OPTIONS] [ARGS]\n\n"
		"Rebuild a miniature multi-region, multi-zone cloud on this machine,\n"
		"run real services in it, and replay real outages against them.\n\n"
		"Commands:\n");
	for (size_t i = 0; commands[i]; i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(out,
		"\nOptions every command takes: --json, --lab NAME, -v, -q, --help.\n"
		"Exit codes: 0 ok, 1 expectations failed, 2 usage or spec error,\n"
		"3 environment (not root, missing kernel feature), 4 internal.\n"
		"Run 'zonefall COMMAND --help' for a command's details.\n");
}

int main(int argc, char **argv)
{
	struct zf_cli cli = { 0 };
	int n;

	if (argc < 2) {
		usage(stderr);
		return ZF_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return ZF_EXIT_OK;
	}
	for (size_t i = 0; commands[i]; i++) {
		if (strcmp(argv[1], commands[i]->name))
			continue;
		n = zf_cli_common(&cli, commands[i], argc - 1, argv + 1);
		if (n < 0)
			return n == -1 ? ZF_EXIT_OK : ZF_EXIT_USAGE;
		return commands[i]->run(&cli, n, argv + 1);
	}
	zf_error("unknown command '%s' (see zonefall --help)", argv[1]);
	return ZF_EXIT_USAGE;
}
