/* exec.c - `zonefall exec HOST -- CMD...`. */
#include "cli/cli.h"
#include "lab/host.h"
#include "util/log.h"

#include <string.h>

static int run(struct zf_cli *cli, int argc, char **argv)
{
	struct zf_labrt *rt;
	size_t host;
	char err[512];
	int i = 1, code = 0, rc;

	(void)cli;
	if (i >= argc || !strcmp(argv[i], "--"))
		return zf_cli_usage(&zf_cmd_exec, "which host?");
	const char *spec = argv[i++];
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc)
		return zf_cli_usage(&zf_cmd_exec, "no command given after the host");
	if ((rc = zf_cli_need_root("zonefall exec")))
		return rc;
	rc = zf_labrt_find_host(cli->lab, spec, &rt, &host, err, sizeof(err));
	if (rc < 0) {
		zf_error("%s", err);
		return zf_cli_exit(rc);
	}
	rc = zf_host_exec(rt, host, argv + i, 0, &code, err, sizeof(err));
	zf_labrt_close(rt);
	if (rc < 0) {
		zf_error("%s", err);
		return ZF_EXIT_ENV;
	}
	return code;
}

const struct zf_cmd zf_cmd_exec = {
	.name = "exec",
	.run = run,
	.summary = "run a command inside a host (all its namespaces and cgroup)",
	.help =
	"usage: zonefall exec [--lab LAB] HOST -- CMD [ARGS...]\n\n"
	"Runs CMD inside HOST: its network, mount, UTS, IPC and PID namespaces and\n"
	"its cgroup, so it sees what the host's services see (its address, its\n"
	"/etc/hosts, its /tmp). HOST is a name, or LAB/NAME when several labs are\n"
	"up. The exit status is the command's (126: could not enter the host,\n"
	"127: command not found).\n",
};
