/* operator.c - `exec`: an operator's (or an automation's) action inside
 * hosts during a drill - promote a standby, flush a cache, run a failover
 * script - written as a scenario step like any fault:
 *
 *   - { at: 35s, do: exec, target: "host db-b",
 *       args: "psql -h 127.0.0.1 -U postgres -c 'SELECT pg_promote()'" }
 *
 * ARGS is the command, split into words like a shell would without one
 * ($, |, > are plain characters). It runs in each selected host (its
 * namespaces and cgroup, like `zonefall exec`), one host after the other,
 * and the step fails if it cannot start or exits non-zero. A one-shot:
 * nothing to revert. The engine waits for it, so it should be short. */
#include "fault/kinds.h"
#include "lab/host.h"
#include "spec/split.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define EXEC_MAX_ARGS 64

static int check_exec(struct zf_fctx *c, const struct zf_fault *f)
{
	char **argv = NULL, err[128];
	int rc;

	if (f->sel.kind == ZF_SEL_SERVICE) {
		snprintf(c->err, sizeof(c->err), "exec runs in hosts: write 'host NAME', "
			 "'zone Z' ...");
		return -EINVAL;
	}
	rc = zf_split_argv(f->args, EXEC_MAX_ARGS, &argv, err, sizeof(err), NULL);
	if (rc == -ENODATA)
		snprintf(c->err, sizeof(c->err), "exec needs a command as its argument");
	else if (rc < 0)
		snprintf(c->err, sizeof(c->err), "the command: %s", err);
	zf_strv_free(argv);
	return rc < 0 ? -EINVAL : 0;
}

static int apply_exec(struct zf_fctx *c, const struct zf_fault *f)
{
	const struct zf_labrt *rt = c->rt;
	char **argv = NULL, err[128];
	int rc = zf_split_argv(f->args, EXEC_MAX_ARGS, &argv, err, sizeof(err), NULL);

	for (size_t h = 0; rc == 0 && h < rt->lab->n_hosts; h++) {
		int code = 0;

		if (!f->sel.hosts[h])
			continue;
		rc = zf_host_exec(rt, h, argv, 1, &code, c->err, sizeof(c->err));
		if (rc == 0 && code != 0) {
			snprintf(c->err, sizeof(c->err), "in host %s, %s exited with %d",
				 rt->lab->hosts[h].name, argv[0], code);
			rc = -EIO;
		}
	}
	zf_strv_free(argv);
	return rc;
}

static int verify_exec(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	(void)c;
	(void)f;
	(void)applied;
	return 0;     /* the exit status was the check */
}

const struct zf_fault_kind zf_fault_exec = {
	.name = "exec",
	.usage = "exec HOSTS 'COMMAND ARGS...'",
	.summary = "an operator's action: run a command in the hosts (fails if it exits non-zero)",
	.check = check_exec,
	.apply = apply_exec,
	.verify = verify_exec,
};
