/* svc_bad.c - faults of a service's own making: crash-loop (it dies as
 * soon as it starts, again and again, so that its restart policy and
 * back-off show) and bad-config (it is restarted with another command line
 * or environment, as after a bad deploy). Both go through the host's init
 * as an override of the service (svc_override.h); revert clears it and
 * restarts the service as configured. */
#include "fault/kinds.h"
#include "fault/resargs.h"
#include "fault/svc_override.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>

static int check_services(struct zf_fctx *c, const struct zf_fault *f)
{
	if (f->sel.kind != ZF_SEL_SERVICE) {
		snprintf(c->err, sizeof(c->err), "this fault acts on services: "
			 "write 'service NAME [in host|zone|region X]'");
		return -EINVAL;
	}
	return 0;
}

static int check_crash(struct zf_fctx *c, const struct zf_fault *f)
{
	int rc = check_services(c, f);

	if (rc == 0 && f->args[0]) {
		snprintf(c->err, sizeof(c->err), "unexpected argument '%s'", f->args);
		rc = -EINVAL;
	}
	return rc;
}

static int check_config(struct zf_fctx *c, const struct zf_fault *f)
{
	char **argv = NULL, **env = NULL;
	int rc = check_services(c, f);

	if (rc == 0)
		rc = zf_resargs_config(f->args, &argv, &env, c->err, sizeof(c->err));
	zf_strv_free(argv);
	zf_strv_free(env);
	return rc;
}

static int apply_svc(struct zf_fctx *c, const struct zf_fault *f)
{
	return zf_svc_sync(c, f, NULL);
}

static int revert_svc(struct zf_fctx *c, const struct zf_fault *f)
{
	return zf_svc_sync(c, f, f->id);
}

const struct zf_fault_kind zf_fault_crash_loop = {
	.name = "crash-loop",
	.usage = "crash-loop SERVICES",
	.summary = "the services die at every start (exit 1); restart policy and back-off show",
	.check = check_crash,
	.apply = apply_svc,
	.revert = revert_svc,
	.verify = zf_svc_verify,
};

const struct zf_fault_kind zf_fault_bad_config = {
	.name = "bad-config",
	.usage = "bad-config SERVICES 'KEY=VALUE... [COMMAND...]'",
	.summary = "restart the services with another environment and/or command line",
	.check = check_config,
	.apply = apply_svc,
	.revert = revert_svc,
	.verify = zf_svc_verify,
};
