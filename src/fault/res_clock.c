/* res_clock.c - clock-skew: the wall clock inside hosts (or of chosen
 * services) runs OFFSET ahead or behind, while the machine's clock is
 * untouched.
 *
 * Linux time namespaces can only shift the monotonic and boot-time clocks,
 * not the wall clock, so the skew is done by libfaketime: the services
 * covered are restarted by their init with LD_PRELOAD=libfaketime and
 * FAKETIME=+-SECONDS in their environment (svc_override.h), and a skew of
 * whole hosts is also given to `zonefall exec` there. Revert restarts them
 * without it. Programs that do not go through the C library for the time
 * (static binaries, Go) do not see the skew. */
#include "fault/kinds.h"
#include "fault/resargs.h"
#include "fault/svc_override.h"

#include <errno.h>
#include <stdio.h>

static int check_skew(struct zf_fctx *c, const struct zf_fault *f)
{
	long long s;
	int rc = zf_resargs_skew(f->args, &s, c->err, sizeof(c->err));

	if (rc == 0 && !zf_svc_faketime_lib()) {
		snprintf(c->err, sizeof(c->err), "libfaketime is not installed (Debian: "
			 "apt-get install faketime; or set ZF_FAKETIME_LIB)");
		rc = -ENOTSUP;
	}
	if (rc == 0 && !f->sel.n_selected_hosts) {
		snprintf(c->err, sizeof(c->err), "no host selected");
		rc = -EINVAL;
	}
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

const struct zf_fault_kind zf_fault_clock_skew = {
	.name = "clock-skew",
	.usage = "clock-skew TARGET OFFSET",
	.summary = "the wall clock inside hosts runs OFFSET off (+90s, -5m); services restart",
	.check = check_skew,
	.apply = apply_svc,
	.revert = revert_svc,
	.verify = zf_svc_verify,
};
