/* down.c - `zonefall down LAB`. */
#include "cli/cli.h"
#include "lab/lab.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <string.h>

/* Accept a lab name or the lab file it came from ("labs/demo.yaml"). */
static int lab_name_of(const char *arg, char *name, size_t len, char *err, size_t errlen)
{
	struct zf_lab *lab;
	const char *dot = strrchr(arg, '.');

	if (!strchr(arg, '/') && !(dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml"))))
		return zf_fmt(name, len, "%s", arg);
	int rc = zf_lab_load(arg, &lab, err, errlen);
	if (rc < 0)
		return rc;
	rc = zf_fmt(name, len, "%s", lab->name);
	zf_lab_free(lab);
	return rc;
}

static int run(struct zf_cli *cli, int argc, char **argv)
{
	char name[64], err[1024];
	int keep = 0, rc;
	const char *arg = cli->lab;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--keep-data"))
			keep = 1;
		else if (argv[i][0] == '-')
			return zf_cli_usage(&zf_cmd_down, "unknown option '%s'", argv[i]);
		else
			arg = argv[i];
	}
	if (!arg)
		return zf_cli_usage(&zf_cmd_down, "which lab? give its name or file");
	if ((rc = zf_cli_need_root("zonefall down")))
		return rc;
	rc = lab_name_of(arg, name, sizeof(name), err, sizeof(err));
	if (rc == 0)
		rc = zf_lab_down(name, keep, err, sizeof(err));
	if (rc == -ENOENT) {
		zf_info("%s", err);
		return ZF_EXIT_OK; /* down is idempotent */
	}
	if (rc < 0) {
		zf_error("%s", err);
		return zf_cli_exit(rc);
	}
	if (!cli->json)
		printf("lab %s is down%s\n", name, keep ? " (data kept)" : "");
	else
		printf("{\"lab\":\"%s\",\"down\":true}\n", name);
	return ZF_EXIT_OK;
}

const struct zf_cmd zf_cmd_down = {
	.name = "down",
	.run = run,
	.summary = "tear a lab down, leaving nothing behind",
	.help =
	"usage: zonefall down LAB [--keep-data]\n\n"
	"Kills every process of the lab, deletes its namespaces (and with them\n"
	"every link, route and nftables table in them), removes its cgroups and\n"
	"directories, and checks that nothing it recorded is left. Acts only on\n"
	"the lab's inventory. LAB is the lab's name or its file. Running it on a\n"
	"lab that is not up does nothing and succeeds.\n\n"
	"Drills running on the lab are stopped first: each gets SIGTERM, ends as\n"
	"interrupted (its faults reverted, its report written) and is waited for\n"
	"up to 60 s; a drill that brought the lab up takes it down itself.\n\n"
	"  --keep-data   keep the hosts' data directories (/var/lib/zonefall/LAB)\n",
};
