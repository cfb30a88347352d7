/* inject.c - `zonefall inject FAULT TARGET [ARGS] [--for DURATION]`. */
#include "cli/cli.h"
#include "fault/fault.h"
#include "spec/duration.h"
#include "util/log.h"
#include "util/timeutil.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Wait NS or until SIGINT/SIGTERM; returns the signal or 0. */
static int hold(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / ZF_NS_PER_S),
			       .tv_nsec = (long)(ns % ZF_NS_PER_S) };
	uint64_t end = zf_now_ns() + ns;
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (;;) {
		sig = sigtimedwait(&set, NULL, &ts);
		if (sig > 0)
			return sig;
		if (errno != EINTR)
			return 0;
		uint64_t now = zf_now_ns();
		if (now >= end)
			return 0;
		ts.tv_sec = (time_t)((end - now) / ZF_NS_PER_S);
		ts.tv_nsec = (long)((end - now) % ZF_NS_PER_S);
	}
}

static void fault_list(void)
{
	const struct zf_fault_kind *const *k = zf_fault_kinds();

	for (size_t i = 0; k[i]; i++)
		printf("  %-36s %s\n", k[i]->usage, k[i]->summary);
}

static int parse_args(int argc, char **argv, const char **words, int *nwords,
		      uint64_t *for_ns)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--for")) {
			if (i + 1 >= argc || zf_duration_parse(argv[i + 1], for_ns) < 0 || !*for_ns)
				return zf_cli_usage(&zf_cmd_inject, "--for needs a duration like 30s");
			i++;
		} else if (!strcmp(argv[i], "--list")) {
			fault_list();
			return -1;
		} else if (argv[i][0] == '-' && argv[i][1] && *nwords < 2) {
			return zf_cli_usage(&zf_cmd_inject, "unknown option '%s'", argv[i]);
		} else if (*nwords < 3) {
			words[(*nwords)++] = argv[i];
		} else {
			return zf_cli_usage(&zf_cmd_inject, "too many arguments: quote the "
					    "target (\"zone r1/a\")");
		}
	}
	if (*nwords < 2)
		return zf_cli_usage(&zf_cmd_inject, "give a fault and a target");
	return 0;
}

static int run(struct zf_cli *cli, int argc, char **argv)
{
	const char *w[3] = { NULL, NULL, NULL };
	struct zf_labrt *rt;
	char err[1024], id[ZF_FAULT_ID_MAX];
	uint64_t for_ns = 0, t0;
	int nw = 0, rc = parse_args(argc, argv, w, &nw, &for_ns);

	if (rc)
		return rc < 0 ? ZF_EXIT_OK : rc;
	if ((rc = zf_cli_need_root("zonefall inject")))
		return rc;
	rc = zf_labrt_open_default(cli->lab, &rt, err, sizeof(err));
	if (rc < 0) {
		zf_error("%s", err);
		return zf_cli_exit(rc);
	}
	t0 = zf_now_ns();
	rc = zf_fault_inject(rt, w[0], w[1], w[2], id, sizeof(id), err, sizeof(err));
	if (rc < 0) {
		zf_error("%s", err);
		zf_labrt_close(rt);
		return zf_cli_exit(rc);
	}
	double ms = (double)(zf_now_ns() - t0) / 1e6;
	if (cli->json)
		printf("{\"id\":\"%s\",\"fault\":\"%s\",\"target\":\"%s\",\"apply_ms\":%.3f}\n",
		       id, w[0], w[1], ms);
	else
		printf("%s: %s %s%s%s applied and verified in %.1f ms\n", id, w[0], w[1],
		       w[2] ? " " : "", w[2] ? w[2] : "", ms);
	fflush(stdout);
	if (for_ns) {
		int sig = hold(for_ns);
		rc = zf_fault_revert(rt, id, NULL, err, sizeof(err));
		if (rc < 0 && rc != -ENOENT)
			zf_error("%s", err);
		else if (!cli->json)
			printf("%s: reverted%s\n", id, sig ? " early (interrupted)" : "");
	}
	zf_labrt_close(rt);
	return rc < 0 && rc != -ENOENT ? ZF_EXIT_ENV : ZF_EXIT_OK;
}

const struct zf_cmd zf_cmd_inject = {
	.name = "inject",
	.run = run,
	.summary = "apply one fault now (and revert it after --for)",
	.help =
	"usage: zonefall inject [--lab LAB] FAULT TARGET [ARG] [--for DURATION]\n"
	"       zonefall inject --list\n\n"
	"Applies FAULT to TARGET and verifies it took effect. The fault is written\n"
	"to the lab's journal (and fsync'd) before it is applied, so 'zonefall\n"
	"revert' or 'zonefall recover' can always undo it, even if this process is\n"
	"killed. With --for, waits that long (or until Ctrl-C) and reverts it.\n\n"
	"TARGET is a selector, quoted as one argument:\n"
	"  host web-a | host 'web-*' | client user1 | zone r1/a | region r1 | lab\n"
	"  service nginx | service nginx in zone r1/a | service redis in host db-1\n\n"
	"Faults:\n"
	"  power-off TARGET        kill every process of the hosts at once and make\n"
	"                          them silent on the network (no RST, no ICMP);\n"
	"                          a zone or region also loses its network gear\n"
	"  power-on TARGET         gear back on, hosts boot, services start by policy\n"
	"  kill SERVICES [SIGNAL]  signal a service (default KILL); restart policy reacts\n"
	"  restart SERVICES        TERM (KILL after 5 s), then start again\n"
	"  pause TARGET            freeze services or whole hosts (cgroup freezer):\n"
	"                          connections stall, they are not refused\n"
	"  resume TARGET           thaw them\n"
	"  partition 'A | B' [oneway]\n"
	"                          drop traffic between A and B in silence (only\n"
	"                          A -> B with oneway); everything else flows\n"
	"  isolate TARGET          cut TARGET off from everything outside it\n"
	"  block 'FROM -> TO' ['[tcp|udp|icmp|any] [port N] [drop|reject]']\n"
	"                          firewall mistake: FROM -> TO dropped (timeouts)\n"
	"                          or rejected (refused); default tcp, drop\n"
	"  route-withdraw ZONES|REGIONS [unreachable|blackhole]\n"
	"                          their prefixes vanish from the routers around\n"
	"                          them; route-restore announces them again\n"
	"  link-down TARGET [backbone|internet]\n"
	"                          host/client access link, zone uplink or region\n"
	"                          uplinks down; link-up plugs them back\n"
	"  delay|loss|reorder|corrupt|duplicate|bandwidth TARGET 'VALUE ...'\n"
	"                          the link emulator on TARGET's links\n"
	"                          (docs/faults-links.md)\n"
	"  dns-servfail|dns-nxdomain|dns-empty|dns-timeout|dns-stale TARGET [NAMES]\n"
	"  dns-slow TARGET 'NAMES DELAY' | dns-wrong TARGET 'NAMES [ADDR|HOST]'\n"
	"  dns-ttl TARGET 'NAMES SECONDS'\n"
	"                          the resolver TARGET uses (a region's; 'lab': all;\n"
	"                          clients: the public one) fails for NAMES, a glob\n"
	"                          ('www', '*.r1'; default all) (docs/dns.md)\n"
	"  exec HOSTS 'COMMAND ARGS...'\n"
	"                          an operator's action (promote a standby...): run\n"
	"                          it in the hosts; fails if it exits non-zero\n"
	"  cpu-throttle TARGET FACTOR\n"
	"                          cap the hosts' CPU at FACTOR CPUs ('0.25' or\n"
	"                          '25%': a quarter of one), as thermal throttling\n"
	"  cpu-hog TARGET [N]      N busy processes (default 1) inside each host\n"
	"  mem-limit TARGET SIZE   limit the hosts' memory ('256M'): reclaim, OOM kills\n"
	"  mem-hog TARGET SIZE     a process inside each host holds SIZE of memory\n"
	"  disk-fill TARGET [SIZE|full]\n"
	"                          the hosts' data directory fills up, SIZE left\n"
	"                          (default none): ENOSPC inside the host only;\n"
	"                          running services restart onto the full disk\n"
	"  disk-slow TARGET 'DELAY [OPS]'\n"
	"                          +DELAY ('50ms') per read/write/fsync (or OPS:\n"
	"                          read,write,fsync,open,meta,all) on the data\n"
	"                          directory, inside the host only (FUSE)\n"
	"  disk-error TARGET '[RATE] [OPS] [ERRNO]'\n"
	"                          RATE ('10%', default 100%) of them fail with EIO\n"
	"                          (or ERRNO); both restart running services\n"
	"  clock-skew TARGET OFFSET\n"
	"                          the wall clock in the hosts runs OFFSET off\n"
	"                          ('+90s', '-5m'; libfaketime): services restart\n"
	"  crash-loop SERVICES     the services die at every start (exit 1)\n"
	"  bad-config SERVICES 'KEY=VALUE... [COMMAND...]'\n"
	"                          restart them with another environment and/or\n"
	"                          command line (docs/faults-resources.md)\n"
	"ARG is one argument: quote several words. See docs/faults-network.md.\n"
	"'zonefall inject --list' prints every fault with its usage.\n\n"
	"Examples: zonefall inject power-off 'zone r1/a' --for 30s\n"
	"          zonefall inject partition 'zone r1/a | zone r1/b' --for 1m\n"
	"          zonefall inject block 'client user1 -> host web-a' 'tcp port 80 reject'\n"
	"          zonefall inject dns-empty lab app --for 20s\n",
};
