/* process.c - faults on processes: kill and restart a service (through the
 * host's init, so its restart policy reacts as it would to a real crash),
 * and pause/resume a service or a whole host with the cgroup freezer
 * (frozen, not dead: connections hang, they are not refused). */
#include "fault/kinds.h"
#include "lab/host.h"
#include "util/log.h"
#include "util/proc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static int check_service(struct zf_fctx *c, const struct zf_fault *f)
{
	if (f->sel.kind != ZF_SEL_SERVICE) {
		snprintf(c->err, sizeof(c->err), "this fault acts on services: "
			 "write 'service NAME [in host|zone|region X]'");
		return -EINVAL;
	}
	return 0;
}

static int check_kill(struct zf_fctx *c, const struct zf_fault *f)
{
	int rc = check_service(c, f);

	if (rc == 0 && f->args[0] && zf_signal_parse(f->args) < 0) {
		snprintf(c->err, sizeof(c->err), "bad signal '%s' (use e.g. KILL, TERM, 9)",
			 f->args);
		rc = -EINVAL;
	}
	return rc;
}

/* Send REQ ("kill nginx KILL") to the init of each selected service's host;
 * powered-off hosts are skipped (their services are already gone). */
static int ctl_each(struct zf_fctx *c, const struct zf_fault *f, const char *verb,
		    const char *arg)
{
	const struct zf_labrt *rt = c->rt;
	char req[256], reply[4096];

	for (size_t i = 0; i < f->sel.n_services; i++) {
		size_t h = f->sel.services[i].host;
		const struct zf_host *host = &rt->lab->hosts[h];
		const char *svc = host->services[f->sel.services[i].service].name;
		if (!zf_host_init_pid(rt, h))
			continue;
		snprintf(req, sizeof(req), "%s %s%s%s", verb, svc, arg ? " " : "", arg ? arg : "");
		int rc = zf_host_ctl(rt, h, req, reply, sizeof(reply), 2000);
		if (rc < 0 || (!strstr(reply, "\"ok\": true") && !strstr(reply, "\"ok\":true"))) {
			snprintf(c->err, sizeof(c->err), "%s/%s: %.300s", host->name, svc,
				 rc < 0 ? strerror(-rc) : reply);
			return rc < 0 ? rc : -EIO;
		}
	}
	return 0;
}

static int apply_kill(struct zf_fctx *c, const struct zf_fault *f)
{
	return ctl_each(c, f, "kill", f->args[0] ? f->args : "KILL");
}

static int apply_restart(struct zf_fctx *c, const struct zf_fault *f)
{
	return ctl_each(c, f, "restart", NULL);
}

/* Call FN on the cgroup of every paused unit: a service's own cgroup, or a
 * whole host's. */
static int each_unit(struct zf_fctx *c, const struct zf_fault *f,
		     int (*fn)(struct zf_fctx *, const char *rel, int), int arg)
{
	const struct zf_labrt *rt = c->rt;
	char rel[256], leaf[64];
	int rc = 0;

	if (f->sel.kind == ZF_SEL_SERVICE) {
		for (size_t i = 0; rc == 0 && i < f->sel.n_services; i++) {
			size_t h = f->sel.services[i].host;
			snprintf(leaf, sizeof(leaf), "svc-%s",
				 rt->lab->hosts[h].services[f->sel.services[i].service].name);
			zf_labrt_host_cg(rt, h, leaf, rel, sizeof(rel));
			rc = fn(c, rel, arg);
		}
		return rc;
	}
	for (size_t h = 0; rc == 0 && h < rt->lab->n_hosts; h++) {
		if (!f->sel.hosts[h])
			continue;
		zf_labrt_host_cg(rt, h, NULL, rel, sizeof(rel));
		rc = fn(c, rel, arg);
	}
	return rc;
}

static int freeze(struct zf_fctx *c, const char *rel, int on)
{
	int rc = zf_cg_freeze(&c->rt->cg, rel, on);

	if (rc < 0)
		snprintf(c->err, sizeof(c->err), "%s cgroup %s: %s", on ? "freezing" : "thawing",
			 rel, strerror(-rc));
	return rc;
}

static int check_frozen(struct zf_fctx *c, const char *rel, int want)
{
	int rc = zf_cg_frozen(&c->rt->cg, rel);

	if (rc < 0 || rc != want) {
		snprintf(c->err, sizeof(c->err), "cgroup %s is %s", rel,
			 rc < 0 ? strerror(-rc) : rc ? "still frozen" : "not frozen");
		return rc < 0 ? rc : -EIO;
	}
	return 0;
}

static int apply_pause(struct zf_fctx *c, const struct zf_fault *f)
{
	return each_unit(c, f, freeze, 1);
}

static int apply_resume(struct zf_fctx *c, const struct zf_fault *f)
{
	return each_unit(c, f, freeze, 0);
}

static int verify_pause(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	return each_unit(c, f, check_frozen, applied);
}

static int verify_resume(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	return applied ? each_unit(c, f, check_frozen, 0) : 0;
}

static int check_pause(struct zf_fctx *c, const struct zf_fault *f)
{
	if (f->args[0]) {
		snprintf(c->err, sizeof(c->err), "unexpected argument '%s'", f->args);
		return -EINVAL;
	}
	return 0;
}

const struct zf_fault_kind zf_fault_kill = {
	.name = "kill",
	.usage = "kill 'service NAME [in ...]' [SIGNAL]",
	.summary = "signal a service (default KILL); its restart policy reacts",
	.check = check_kill,
	.apply = apply_kill,
};

const struct zf_fault_kind zf_fault_restart = {
	.name = "restart",
	.usage = "restart 'service NAME [in ...]'",
	.summary = "stop a service (TERM, then KILL after 5 s) and start it again",
	.check = check_service,
	.apply = apply_restart,
};

const struct zf_fault_kind zf_fault_pause = {
	.name = "pause",
	.usage = "pause TARGET",
	.summary = "freeze a service or whole hosts: connections hang, nothing is refused",
	.check = check_pause,
	.apply = apply_pause,
	.revert = apply_resume,
	.verify = verify_pause,
};

const struct zf_fault_kind zf_fault_resume = {
	.name = "resume",
	.usage = "resume TARGET",
	.summary = "thaw what pause froze",
	.ends = "pause",
	.check = check_pause,
	.apply = apply_resume,
	.verify = verify_resume,
};
