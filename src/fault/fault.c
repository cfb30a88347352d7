/* fault.c - journal-first inject and verified revert, for every kind. */
#include "fault/fault.h"
#include "fault/diskioargs.h"
#include "fault/dnsargs.h"
#include "fault/journal.h"
#include "fault/linkargs.h"
#include "fault/kinds.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct zf_fault_kind *const kinds[] = {
	&zf_fault_power_off, &zf_fault_power_on, &zf_fault_kill,
	&zf_fault_restart, &zf_fault_pause, &zf_fault_resume,
	&zf_fault_delay, &zf_fault_loss, &zf_fault_reorder, &zf_fault_corrupt,
	&zf_fault_duplicate, &zf_fault_bandwidth,
	&zf_fault_partition,
	&zf_fault_isolate,
	&zf_fault_block,
	&zf_fault_route_withdraw,
	&zf_fault_route_restore,
	&zf_fault_link_down,
	&zf_fault_link_up,
	&zf_fault_vip_move,
	&zf_fault_dns_servfail, &zf_fault_dns_nxdomain, &zf_fault_dns_empty,
	&zf_fault_dns_timeout, &zf_fault_dns_slow, &zf_fault_dns_wrong,
	&zf_fault_dns_stale, &zf_fault_dns_ttl,
	&zf_fault_exec,
	&zf_fault_cpu_throttle, &zf_fault_cpu_hog, &zf_fault_mem_limit,
	&zf_fault_mem_hog, &zf_fault_disk_fill, &zf_fault_disk_slow,
	&zf_fault_disk_error, &zf_fault_clock_skew,
	&zf_fault_crash_loop, &zf_fault_bad_config,
	NULL,
};

const struct zf_fault_kind *const *zf_fault_kinds(void) { return kinds; }

const struct zf_fault_kind *zf_fault_kind_find(const char *name)
{
	for (size_t i = 0; kinds[i]; i++)
		if (!strcmp(kinds[i]->name, name))
			return kinds[i];
	return NULL;
}

int zf_fctx_topo(struct zf_fctx *c)
{
	int rc;

	if (c->topo_open)
		return 0;
	rc = zf_topo_open(c->rt, &c->topo, c->err, sizeof(c->err));
	if (rc == 0)
		c->topo_open = 1;
	return rc;
}

static void fctx_done(struct zf_fctx *c)
{
	zf_fctx_gear_close(c);
	if (c->topo_open)
		zf_topo_close(c->rt, &c->topo);
}

static void fault_free(struct zf_fault *f)
{
	zf_selection_free(&f->sel);
	zf_selection_free(&f->sel2);
}

/* Copy [S, E) without surrounding blanks into BUF. */
static int copy_trim(char *buf, size_t len, const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return zf_fmt(buf, len, "%.*s", (int)(e - s), s);
}

int zf_fault_split(const char *target, const char *sep, char *a, size_t alen,
		   char *b, size_t blen, char *err, size_t errlen)
{
	const char *p = strstr(target, sep);
	size_t n = strlen(sep);

	if (!p || strstr(p + n, sep)) {
		snprintf(err, errlen, "expected two selectors separated by '%s', like "
			 "'zone r1/a %s zone r1/b'", sep, sep);
		return -EINVAL;
	}
	if (copy_trim(a, alen, target, p) || copy_trim(b, blen, p + n, p + strlen(p)))
		return -ENAMETOOLONG;
	if (!*a || !*b) {
		snprintf(err, errlen, "a selector is missing %s '%s'", *a ? "after" : "before",
			 sep);
		return -EINVAL;
	}
	return 0;
}

/* An empty selection of LAB (a named target's). */
static int select_nothing(const struct zf_lab *lab, struct zf_selection *s)
{
	memset(s, 0, sizeof(*s));
	s->kind = ZF_SEL_HOST;
	s->hosts = zf_xcalloc(lab->n_hosts ? lab->n_hosts : 1, 1);
	s->zones = zf_xcalloc(lab->n_zones ? lab->n_zones : 1, 1);
	s->regions = zf_xcalloc(lab->n_regions ? lab->n_regions : 1, 1);
	return 0;
}

/* Resolve F->target into F->sel (and F->sel2 for a two-sided kind). */
static int resolve_target(struct zf_fctx *c, struct zf_fault *f, char *err,
			  size_t errlen)
{
	char a[ZF_FAULT_TEXT_MAX], b[ZF_FAULT_TEXT_MAX];
	int rc;

	if (f->kind->named)
		return select_nothing(c->rt->lab, &f->sel);
	if (!f->kind->sep)
		return zf_selector_resolve_seeded(c->rt->lab, f->target, f->seed, &f->sel,
						  err, errlen);
	rc = zf_fault_split(f->target, f->kind->sep, a, sizeof(a), b, sizeof(b), err,
			    errlen);
	if (rc == 0)
		rc = zf_selector_resolve_seeded(c->rt->lab, a, f->seed, &f->sel, err,
						errlen);
	if (rc == 0)
		rc = zf_selector_resolve_seeded(c->rt->lab, b, f->seed, &f->sel2, err,
						errlen);
	return rc;
}

static void kind_list(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; kinds[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 kinds[i]->name);
}

/* Fill F from its text form; -EINVAL with ERR set (and F holds nothing
 * to free). */
static int fault_build(struct zf_fctx *c, const char *kind, const char *target,
		       const char *args, unsigned long long seed, struct zf_fault *f,
		       char *err, size_t errlen)
{
	char list[512];
	int rc;

	memset(f, 0, sizeof(*f));
	f->kind = zf_fault_kind_find(kind);
	if (!f->kind) {
		kind_list(list, sizeof(list));
		snprintf(err, errlen, "unknown fault '%s'; faults are: %s", kind, list);
		return -EINVAL;
	}
	if (zf_fmt(f->target, sizeof(f->target), "%s", target) ||
	    zf_fmt(f->args, sizeof(f->args), "%s", args ? args : "") ||
	    strpbrk(f->target, "\t\n") || strpbrk(f->args, "\t\n")) {
		snprintf(err, errlen, "fault target or arguments too long or not one line");
		return -EINVAL;
	}
	f->seed = seed;
	rc = resolve_target(c, f, err, errlen);
	if (rc == 0 && f->kind->check) {
		rc = f->kind->check(c, f);
		if (rc < 0)
			snprintf(err, errlen, "%s %s: %s", kind, target, c->err);
	}
	if (rc < 0)
		fault_free(f);
	return rc;
}

static int covers(const struct zf_labrt *rt, const struct zf_selection *a,
		  const struct zf_selection *b)
{
	const struct zf_lab *lab = rt->lab;

	for (size_t i = 0; i < lab->n_hosts; i++)
		if (b->hosts[i] && !a->hosts[i])
			return 0;
	for (size_t i = 0; i < lab->n_zones; i++)
		if (b->zones[i] && !a->zones[i])
			return 0;
	for (size_t i = 0; i < lab->n_regions; i++)
		if (b->regions[i] && !a->regions[i])
			return 0;
	for (size_t i = 0; i < b->n_services; i++) {
		size_t k = 0;
		while (k < a->n_services && (a->services[k].host != b->services[i].host ||
					     a->services[k].service != b->services[i].service))
			k++;
		if (k == a->n_services && !(a->kind != ZF_SEL_SERVICE && a->hosts[b->services[i].host]))
			return 0;
	}
	return 1;
}

/* Does F (a one-shot like power-on) end the active fault OLD? */
static int ends(const struct zf_labrt *rt, const struct zf_fault *f,
		const struct zf_fault *old)
{
	if (f->args[0] && strcmp(f->args, old->args))
		return 0;
	if (!covers(rt, &f->sel, &old->sel))
		return 0;
	return !old->sel2.hosts || (f->sel2.hosts && covers(rt, &f->sel2, &old->sel2));
}

/* F (e.g. power-on) just took effect: close the faults it ends. */
static void end_covered(struct zf_fctx *c, const struct zf_fault *f)
{
	struct zf_fault_info *v;
	size_t n;
	char e2[256];

	if (!f->kind->ends || zf_journal_active(c->rt, &v, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct zf_fault old;
		if (strcmp(v[i].kind, f->kind->ends) ||
		    fault_build(c, v[i].kind, v[i].target, v[i].args, v[i].seed, &old, e2,
				sizeof(e2)) < 0)
			continue;
		if (ends(c->rt, f, &old))
			zf_journal_append(c->rt, v[i].id, "reverted", v[i].kind, v[i].target,
					  f->id);
		fault_free(&old);
	}
	free(v);
}

static int apply_verified(struct zf_fctx *c, struct zf_fault *f)
{
	int rc = f->kind->apply(c, f);

	if (rc == 0 && f->kind->verify)
		rc = f->kind->verify(c, f, 1);
	return rc;
}

static int inject_locked(struct zf_labrt *rt, const char *kind, const char *target,
			 const char *args, unsigned long long seed, char *id,
			 size_t idlen, char *err, size_t errlen)
{
	struct zf_fctx c = { .rt = rt };
	struct zf_fault f;
	int rc = fault_build(&c, kind, target, args, seed, &f, err, errlen);

	if (rc < 0)
		goto out;
	rc = zf_journal_next_id(rt, f.id, sizeof(f.id));
	if (rc == 0)
		rc = zf_journal_append_seeded(rt, f.id, "begin", kind, f.target, f.args,
					      seed);
	if (rc < 0) {
		snprintf(err, errlen, "%s/journal: %s", rt->state, strerror(-rc));
		goto out;
	}
	rc = apply_verified(&c, &f);
	if (rc < 0) {
		snprintf(err, errlen, "%s %s: %s", kind, target, c.err);
		/* -EALREADY: apply changed nothing, and a revert would undo
		 * the fault that got there first. */
		if (f.kind->revert && rc != -EALREADY)
			f.kind->revert(&c, &f);
		zf_journal_append(rt, f.id, "failed", kind, f.target, f.args);
		goto out;
	}
	zf_journal_append(rt, f.id, f.kind->revert ? "applied" : "done", kind,
			  f.target, f.args);
	end_covered(&c, &f);
	snprintf(id, idlen, "%s", f.id);
out:
	fault_free(&f);
	fctx_done(&c);
	return rc;
}

static int revert_one(struct zf_fctx *c, const struct zf_fault_info *info,
		      char *err, size_t errlen)
{
	struct zf_fault f;
	int rc = fault_build(c, info->kind, info->target, info->args, info->seed, &f,
			     err, errlen);

	if (rc < 0)
		return rc;
	snprintf(f.id, sizeof(f.id), "%s", info->id);
	zf_journal_append(c->rt, f.id, "reverting", info->kind, f.target, f.args);
	rc = f.kind->revert ? f.kind->revert(c, &f) : 0;
	if (rc == 0 && f.kind->verify)
		rc = f.kind->verify(c, &f, 0);
	if (rc == 0)
		rc = zf_journal_append(c->rt, f.id, "reverted", info->kind, f.target, f.args);
	else
		snprintf(err, errlen, "reverting %s (%s %s): %s", f.id, info->kind,
			 info->target, c->err);
	fault_free(&f);
	return rc;
}

int zf_fault_revert_locked(struct zf_labrt *rt, const char *id, size_t *n_reverted,
		    char *err, size_t errlen)
{
	struct zf_fctx c = { .rt = rt };
	struct zf_fault_info *v;
	size_t n, done = 0, matched = 0;
	int rc = zf_journal_active(rt, &v, &n), first = 0;

	if (rc < 0) {
		snprintf(err, errlen, "%s/journal: %s", rt->state, strerror(-rc));
		return rc;
	}
	for (size_t i = n; i-- > 0;) {
		if (id && strcmp(v[i].id, id))
			continue;
		matched++;
		rc = revert_one(&c, &v[i], err, errlen);
		if (rc == 0)
			done++;
		else if (!first)
			first = rc;
	}
	free(v);
	fctx_done(&c);
	if (id && !matched) {
		snprintf(err, errlen, "no active fault '%s' in lab %s", id, rt->lab->name);
		return -ENOENT;
	}
	if (n_reverted)
		*n_reverted = done;
	return first;
}

int zf_fault_inject_seeded(struct zf_labrt *rt, const char *kind,
			   const char *target, const char *args,
			   unsigned long long seed, char *id, size_t idlen,
			   char *err, size_t errlen)
{
	int fd = zf_labrt_lock(rt->lab->name), rc;

	if (fd < 0) {
		snprintf(err, errlen, "locking lab %s: %s", rt->lab->name, strerror(-fd));
		return fd;
	}
	rc = inject_locked(rt, kind, target, args, seed, id, idlen, err, errlen);
	zf_labrt_unlock(fd);
	return rc;
}

int zf_fault_inject(struct zf_labrt *rt, const char *kind, const char *target,
		    const char *args, char *id, size_t idlen, char *err, size_t errlen)
{
	return zf_fault_inject_seeded(rt, kind, target, args, 0, id, idlen, err, errlen);
}

int zf_fault_check(struct zf_labrt *rt, const char *kind, const char *target,
		   const char *args, unsigned long long seed, char *err,
		   size_t errlen)
{
	struct zf_fctx c = { .rt = rt };
	struct zf_fault f;
	int rc = fault_build(&c, kind, target, args, seed, &f, err, errlen);

	fault_free(&f);
	fctx_done(&c);
	return rc;
}

int zf_fault_revert(struct zf_labrt *rt, const char *id, size_t *n_reverted,
		    char *err, size_t errlen)
{
	int fd = zf_labrt_lock(rt->lab->name), rc;

	if (fd < 0) {
		snprintf(err, errlen, "locking lab %s: %s", rt->lab->name, strerror(-fd));
		return fd;
	}
	rc = zf_fault_revert_locked(rt, id, n_reverted, err, errlen);
	zf_labrt_unlock(fd);
	return rc;
}

int zf_fault_list_active(const struct zf_labrt *rt, struct zf_fault_info **out,
			 size_t *n)
{
	return zf_journal_active(rt, out, n);
}

int zf_fault_delivered(const struct zf_labrt *rt, const char *kind, const char *id,
		       char *buf, size_t len)
{
	if (zf_linkargs_is_link_kind(kind))
		return zf_fault_link_delivered(rt, id, buf, len);
	if (zf_dnsargs_is_dns_kind(kind))
		return zf_fault_dns_delivered(rt, id, buf, len);
	if (zf_diskio_mode_of(kind))
		return zf_fault_disk_delivered(rt, kind, id, buf, len);
	return -ENOENT;
}
