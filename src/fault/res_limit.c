/* res_limit.c - per-host limits from the journal, and fault leaves. */
#include "fault/res_limit.h"
#include "fault/journal.h"
#include "lab/inventory.h"
#include "util/fsutil.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lower W[h] to V for every host H of SEL. */
static void lower(const struct zf_lab *lab, const struct zf_selection *sel,
		  unsigned long long v, unsigned long long *w)
{
	for (size_t h = 0; h < lab->n_hosts; h++)
		if (sel->hosts[h] && (!w[h] || v < w[h]))
			w[h] = v;
}

struct wanted {
	const char *kind;
	zf_res_parse_fn parse;
	unsigned long long *w;
};

static int is_limit_kind(const char *kind)
{
	return !strcmp(kind, "cpu-throttle") || !strcmp(kind, "mem-limit");
}

/* One active limit fault: lower the limits of its hosts. */
static int want_fault(struct zf_fctx *c, const struct zf_fault_info *f,
		      const struct zf_selection *sel, void *ctx)
{
	struct wanted *x = ctx;
	unsigned long long val;
	int rc;

	if (strcmp(f->kind, x->kind))
		return 0;
	rc = x->parse(f->args, &val, c->err, sizeof(c->err));
	if (rc == 0)
		lower(c->rt->lab, sel, val, x->w);
	return rc;
}

int zf_res_wanted(struct zf_fctx *c, const char *kind, const char *exclude,
		  zf_res_parse_fn parse, unsigned long long **out)
{
	size_t n = c->rt->lab->n_hosts;
	struct wanted x = { kind, parse, zf_xcalloc(n ? n : 1, sizeof(*x.w)) };
	int rc = zf_journal_each_active(c, is_limit_kind, exclude, want_fault, &x);

	if (rc < 0) {
		free(x.w);
		return rc;
	}
	*out = x.w;
	return 0;
}

void zf_res_leaf(const struct zf_labrt *rt, size_t h, const char *id, char *buf,
		 size_t len)
{
	char leaf[32];

	snprintf(leaf, sizeof(leaf), "fault-%s", id);
	zf_labrt_host_cg(rt, h, leaf, buf, len);
}

int zf_res_leaf_make(struct zf_fctx *c, size_t h, const char *id)
{
	struct zf_inv *inv;
	char rel[256];
	int rc = zf_inv_open(c->rt->state, &inv);

	zf_res_leaf(c->rt, h, id, rel, sizeof(rel));
	if (rc == 0) {
		zf_inv_add(inv, ZF_INV_CGROUP, rel);
		rc = zf_inv_sync(inv);
		zf_inv_close(inv);
	}
	if (rc == 0)
		rc = zf_cg_create(&c->rt->cg, rel, 1);
	if (rc < 0)
		snprintf(c->err, sizeof(c->err), "cgroup %s: %s", rel, strerror(-rc));
	return rc;
}

int zf_res_leaf_exists(const struct zf_labrt *rt, size_t h, const char *id)
{
	char rel[256], path[512];

	zf_res_leaf(rt, h, id, rel, sizeof(rel));
	return zf_cg_path(&rt->cg, 0, rel, path, sizeof(path)) == 0 && zf_exists(path);
}

int zf_res_leaf_remove(struct zf_fctx *c, size_t h, const char *id)
{
	uint64_t deadline = zf_now_ns() + 2 * ZF_NS_PER_S;
	char rel[256];
	int rc;

	zf_res_leaf(c->rt, h, id, rel, sizeof(rel));
	rc = zf_cg_kill(&c->rt->cg, rel, 5 * ZF_NS_PER_S);
	/* A killed task can keep the cgroup busy for a moment. */
	while (rc == 0 && (rc = zf_cg_remove(&c->rt->cg, rel)) == -EBUSY &&
	       zf_now_ns() < deadline) {
		zf_cg_kill(&c->rt->cg, rel, ZF_NS_PER_S);
		zf_sleep_ns(2 * ZF_NS_PER_MS);
		rc = 0;
	}
	if (rc < 0)
		snprintf(c->err, sizeof(c->err), "cgroup %s: %s", rel, strerror(-rc));
	return rc;
}
