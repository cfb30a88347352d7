/* revert.c - `zonefall revert [FAULT-ID]`. */
#include "cli/cli.h"
#include "fault/fault.h"
#include "util/log.h"
#include "util/timeutil.h"

#include <errno.h>

static int run(struct zf_cli *cli, int argc, char **argv)
{
	struct zf_labrt *rt;
	char err[1024];
	size_t n = 0;
	uint64_t t0;
	int rc;

	if (argc > 2)
		return zf_cli_usage(&zf_cmd_revert, "at most one fault id");
	if ((rc = zf_cli_need_root("zonefall revert")))
		return rc;
	rc = zf_labrt_open_default(cli->lab, &rt, err, sizeof(err));
	if (rc < 0) {
		zf_error("%s", err);
		return zf_cli_exit(rc);
	}
	t0 = zf_now_ns();
	rc = zf_fault_revert(rt, argc > 1 ? argv[1] : NULL, &n, err, sizeof(err));
	double ms = (double)(zf_now_ns() - t0) / 1e6;
	if (rc < 0)
		zf_error("%s", err);
	else if (cli->json)
		printf("{\"lab\":\"%s\",\"reverted\":%zu,\"revert_ms\":%.3f}\n",
		       rt->lab->name, n, ms);
	else
		printf("%zu fault%s reverted and verified in lab %s (%.1f ms)\n", n,
		       n == 1 ? "" : "s", rt->lab->name, ms);
	zf_labrt_close(rt);
	return zf_cli_exit(rc);
}

const struct zf_cmd zf_cmd_revert = {
	.name = "revert",
	.run = run,
	.summary = "undo one applied fault, or all of them",
	.help =
	"usage: zonefall revert [--lab LAB] [FAULT-ID]\n\n"
	"Reverts FAULT-ID (as printed by inject, e.g. f3), or every fault still\n"
	"applied, newest first, and verifies each revert. 'zonefall status' lists\n"
	"the applied faults.\n",
};
