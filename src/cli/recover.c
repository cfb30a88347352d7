/* recover.c - `zonefall recover [LAB]`: after a crash or SIGKILL, put the
 * machine back in order from the journals and inventories. */
#include "cli/cli.h"
#include "fault/fault.h"
#include "lab/emu.h"
#include "lab/lab.h"
#include "lab/labdns.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <string.h>

static void say_reverted(const char *name, size_t n, int restarted, int dns,
			 int json)
{
	if (json)
		printf("{\"lab\":\"%s\",\"action\":\"reverted\",\"faults\":%zu,"
		       "\"linkem_restarted\":%s,\"dns_restarted\":%s}\n", name, n,
		       restarted ? "true" : "false", dns ? "true" : "false");
	else if (n || restarted || dns)
		printf("lab %s: %zu fault%s reverted%s%s\n", name, n, n == 1 ? "" : "s",
		       restarted ? "; link emulator restarted" : "",
		       dns ? "; DNS server restarted" : "");
	else
		printf("lab %s: nothing to recover\n", name);
}

/* A lab that was fully up keeps running with its faults reverted; one that
 * was half built or half torn down is torn down. Under the lab's lock, so a
 * live `up` is waited for rather than raced. */
static int recover_locked(const char *name, int json)
{
	struct zf_labrt *rt;
	char phase[32] = "", err[1024];
	size_t n = 0;
	int rc, restarted = 0, dns = 0;

	zf_labrt_phase(name, phase, sizeof(phase));
	if (!strcmp(phase, "up") && zf_labrt_open(name, &rt, err, sizeof(err)) == 0) {
		/* DNS first: reverting a DNS fault would start it unnoticed */
		rc = zf_labdns_restore(rt, &dns, err, sizeof(err));
		if (rc == 0)
			rc = zf_fault_revert_locked(rt, NULL, &n, err, sizeof(err));
		if (rc == 0)
			rc = zf_emu_restore(rt, &restarted, err, sizeof(err));
		zf_labrt_close(rt);
		if (rc < 0) {
			zf_error("lab %s: %s", name, err);
			return rc;
		}
		say_reverted(name, n, restarted, dns, json);
		return 0;
	}
	rc = zf_lab_down_locked(name, 0, err, sizeof(err));
	if (rc < 0 && rc != -ENOENT) {
		zf_error("lab %s: %s", name, err);
		return rc;
	}
	if (json)
		printf("{\"lab\":\"%s\",\"action\":\"removed\",\"phase\":\"%s\"}\n", name, phase);
	else
		printf("lab %s was left %s: removed\n", name, *phase ? phase : "damaged");
	return 0;
}

static int recover_one(const char *name, int json)
{
	int fd = zf_labrt_lock(name), rc;

	if (fd == -ENOENT)
		return 0; /* removed meanwhile */
	if (fd < 0) {
		zf_error("lab %s: locking: %s", name, strerror(-fd));
		return fd;
	}
	rc = recover_locked(name, json);
	zf_labrt_unlock(fd);
	return rc;
}

static int run(struct zf_cli *cli, int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : cli->lab;
	char **names;
	size_t n;
	int rc, first = 0;

	if ((rc = zf_cli_need_root("zonefall recover")))
		return rc;
	rc = zf_labrt_list(&names, &n);
	if (rc < 0) {
		zf_error("%s: %s", ZF_RUN_ROOT, strerror(-rc));
		return ZF_EXIT_ENV;
	}
	for (size_t i = 0; i < n; i++) {
		if (only && strcmp(only, names[i]))
			continue;
		rc = recover_one(names[i], cli->json);
		if (rc < 0 && !first)
			first = rc;
	}
	if (n == 0 && !cli->json)
		printf("nothing to recover\n");
	zf_strv_free(names);
	return first ? ZF_EXIT_ENV : ZF_EXIT_OK;
}

const struct zf_cmd zf_cmd_recover = {
	.name = "recover",
	.run = run,
	.summary = "after a crash: revert leftover faults, remove half-built labs",
	.help =
	"usage: zonefall recover [LAB]\n\n"
	"Reads every lab's journal and inventory under /run/zonefall. A lab that\n"
	"was up gets every fault still applied reverted (and verified); a lab\n"
	"that was being built or torn down when its process died is torn down\n"
	"completely. Acts only on what zonefall recorded. Running it twice is\n"
	"harmless: the second run finds nothing to do.\n",
};
