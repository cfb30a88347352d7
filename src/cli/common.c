/* common.c - option handling and exit codes shared by every subcommand. */
#include "cli/cli.h"
#include "util/log.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

/* Options are recognised anywhere before a "--"; everything after "--" is
 * left alone (it belongs to `exec`'s command). */
int zf_cli_common(struct zf_cli *cli, const struct zf_cmd *cmd, int argc, char **argv)
{
	int out = 1, i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			break;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(cmd->help, stdout);
			return -1;
		} else if (!strcmp(a, "--json")) {
			cli->json = 1;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			zf_log_set_level(2);
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			zf_log_set_level(0);
		} else if (!strcmp(a, "--lab") || !strncmp(a, "--lab=", 6)) {
			if (a[5] == '=') {
				cli->lab = a + 6;
			} else if (i + 1 < argc) {
				cli->lab = argv[++i];
			} else {
				zf_cli_usage(cmd, "--lab needs a lab name");
				return -2;
			}
		} else {
			argv[out++] = argv[i];
		}
	}
	for (; i < argc; i++)
		argv[out++] = argv[i];
	argv[out] = NULL;
	return out;
}

int zf_cli_exit(int err)
{
	switch (-err) {
	case 0:
		return ZF_EXIT_OK;
	case EINVAL:
	case ENOENT:
	case EEXIST:
	case E2BIG:
		return ZF_EXIT_USAGE;
	default:
		return ZF_EXIT_ENV;
	}
}

int zf_cli_need_root(const char *what)
{
	if (geteuid() == 0)
		return 0;
	zf_error("%s needs root (it creates namespaces, links and cgroups); "
		 "run it with sudo", what);
	return ZF_EXIT_ENV;
}

int zf_cli_usage(const struct zf_cmd *cmd, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	zf_error("%s: %s (see zonefall %s --help)", cmd->name, msg, cmd->name);
	return ZF_EXIT_USAGE;
}
