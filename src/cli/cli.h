/* cli.h - what every subcommand shares: options common to all, exit codes,
 * and the mapping from the library's negative errnos to them. */
#ifndef ZF_CLI_CLI_H
#define ZF_CLI_CLI_H

#include <stdio.h>

enum zf_exit {
	ZF_EXIT_OK = 0,
	ZF_EXIT_FAILED = 1,     /* a scenario failed its expectations */
	ZF_EXIT_USAGE = 2,      /* usage or spec error: nothing was changed */
	ZF_EXIT_ENV = 3,        /* environment: not root, missing kernel feature */
	ZF_EXIT_INTERNAL = 4,
};

struct zf_cli {
	int json;
	const char *lab;      /* --lab */
};

struct zf_cmd {
	const char *name;
	int (*run)(struct zf_cli *cli, int argc, char **argv);
	const char *summary;
	const char *help;     /* full --help text */
};

/* Parse the options every command accepts (--json, --lab NAME, --help,
 * -v, -q) out of ARGV in place, leaving the command's own words. Returns
 * the remaining count, or -1 after printing help (exit 0) or -2 on a usage
 * error (already reported). */
int zf_cli_common(struct zf_cli *cli, const struct zf_cmd *cmd, int argc, char **argv);

/* Exit code for a negative errno from the library. */
int zf_cli_exit(int err);

/* Refuse to go on unless root: returns ZF_EXIT_ENV with a message, or 0. */
int zf_cli_need_root(const char *what);

/* Print a usage error with a pointer to --help; returns ZF_EXIT_USAGE. */
int zf_cli_usage(const struct zf_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Every subcommand. */
extern const struct zf_cmd zf_cmd_up, zf_cmd_down, zf_cmd_status, zf_cmd_exec,
	zf_cmd_logs, zf_cmd_inject, zf_cmd_revert, zf_cmd_recover, zf_cmd_run,
	zf_cmd_report, zf_cmd_scenarios, zf_cmd_incidents;

/* The scenario library's directory: OPT (--library) if given, else
 * $ZF_SCENARIOS, else the source tree's scenarios/ when it exists, else
 * "scenarios" (spec/library.h). Never NULL. */
const char *zf_cli_library(const char *opt);

#endif
