/* up.c - `zonefall up LAB.yaml`. */
#include "cli/cli.h"
#include "lab/lab.h"
#include "util/log.h"
#include "util/timeutil.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static double ms(uint64_t ns) { return (double)ns / 1e6; }

static void print_times(const struct zf_cli *cli, const struct zf_labrt *rt,
			const struct zf_up_times *t, uint64_t total)
{
	if (cli->json) {
		json_t *o = json_pack("{s:s,s:i,s:f,s:{s:f,s:f,s:f,s:f,s:f,s:f,s:f}}",
				      "lab", rt->lab->name, "hosts", (int)rt->lab->n_hosts,
				      "total_ms", ms(total), "phases_ms", "state", ms(t->state_ns),
				      "netns", ms(t->netns_ns), "links", ms(t->links_ns),
				      "config", ms(t->config_ns), "nft", ms(t->nft_ns),
				      "boot", ms(t->boot_ns), "ready", ms(t->ready_ns));
		json_dumpf(o, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(o);
		return;
	}
	printf("lab %s is up: %zu region%s, %zu zone%s, %zu host%s in %.0f ms\n",
	       rt->lab->name, rt->lab->n_regions, rt->lab->n_regions == 1 ? "" : "s",
	       rt->lab->n_zones, rt->lab->n_zones == 1 ? "" : "s", rt->lab->n_hosts,
	       rt->lab->n_hosts == 1 ? "" : "s", ms(total));
	zf_debug("phases (ms): state %.1f, netns %.1f, links %.1f, config %.1f, "
		 "nft %.1f, boot %.1f, ready %.1f", ms(t->state_ns), ms(t->netns_ns),
		 ms(t->links_ns), ms(t->config_ns), ms(t->nft_ns), ms(t->boot_ns),
		 ms(t->ready_ns));
}

static int run(struct zf_cli *cli, int argc, char **argv)
{
	struct zf_up_opts o = { .wait_ready_ms = 30000 };
	struct zf_up_times t;
	struct zf_labrt *rt;
	const char *path = NULL;
	char err[1024];
	uint64_t t0;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-wait"))
			o.wait_ready_ms = 0;
		else if (!strcmp(argv[i], "--wait") && i + 1 < argc)
			o.wait_ready_ms = (int)strtol(argv[++i], NULL, 10) * 1000;
		else if (argv[i][0] == '-')
			return zf_cli_usage(&zf_cmd_up, "unknown option '%s'", argv[i]);
		else if (path)
			return zf_cli_usage(&zf_cmd_up, "one lab file at a time");
		else
			path = argv[i];
	}
	if (!path)
		return zf_cli_usage(&zf_cmd_up, "which lab? give a lab file");
	if ((rc = zf_cli_need_root("zonefall up")))
		return rc;
	t0 = zf_now_ns();
	rc = zf_lab_up(path, &o, &rt, &t, err, sizeof(err));
	if (rc < 0) {
		zf_error("%s", err);
		return zf_cli_exit(rc);
	}
	print_times(cli, rt, &t, zf_now_ns() - t0);
	zf_labrt_close(rt);
	return ZF_EXIT_OK;
}

const struct zf_cmd zf_cmd_up = {
	.name = "up",
	.run = run,
	.summary = "build a lab from its YAML file and start its services",
	.help =
	"usage: zonefall up LAB.yaml [--no-wait] [--wait SECONDS] [--json]\n\n"
	"Builds the lab the file describes: one network namespace per host, client\n"
	"and piece of network gear (zone switch/router, region router, backbone,\n"
	"internet), veth links with addresses from the lab's block (default\n"
	"198.18.0.0/15) and no route to the real network; each host gets its own\n"
	"mount, UTS and PID namespaces, a cgroup, and zonefall's init as PID 1,\n"
	"which starts the host's services in order and restarts them by policy.\n\n"
	"A bad lab file is reported as FILE:LINE:COL and nothing is created (exit 2).\n"
	"Every object is recorded in /run/zonefall/LAB/inventory before it is made;\n"
	"if anything fails, what was made is removed again.\n\n"
	"  --no-wait       return once the inits run, without waiting for services\n"
	"  --wait SECONDS  how long to wait for services to be ready (default 30)\n"
	"  --json          print the timings as JSON\n",
};
