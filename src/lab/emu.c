/* emu.c - making a lab's link emulation equal to a desired list (emu.h). */
#include "lab/emu_priv.h"
#include "lab/netns.h"
#include "lab/tc.h"
#include "net/linkem_client.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What exists (or may exist): router namespaces with a queue rule, and
 * interfaces with a rate. */
struct emu_state {
	struct zf_emu_rate *queues;   /* gear and index only */
	size_t nq;
	struct zf_emu_rate *rates;
	size_t nr;
};

static void state_free(struct emu_state *s)
{
	free(s->queues);
	free(s->rates);
	memset(s, 0, sizeof(*s));
}

static int same_ns(const struct zf_emu_rate *a, int g, size_t i)
{
	return a->gear == g && a->index == i;
}

static struct zf_emu_rate *find(struct zf_emu_rate *v, size_t n, int g, size_t i,
				int ifindex)
{
	for (size_t k = 0; k < n; k++)
		if (same_ns(&v[k], g, i) && v[k].ifindex == ifindex)
			return &v[k];
	return NULL;
}

/* Add (G, I, IFINDEX) to V unless there; a rate keeps the lowest. */
static void put(struct zf_emu_rate **v, size_t *n, int g, size_t i, int ifindex,
		uint64_t rate)
{
	struct zf_emu_rate *r = find(*v, *n, g, i, ifindex);

	if (r) {
		if (rate && (!r->rate_bps || rate < r->rate_bps))
			r->rate_bps = rate;
		return;
	}
	*v = zf_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = (struct zf_emu_rate){ .gear = g, .index = i, .ifindex = ifindex,
					     .rate_bps = rate };
}

static void state_union(struct emu_state *dst, const struct emu_state *src)
{
	for (size_t k = 0; k < src->nq; k++)
		put(&dst->queues, &dst->nq, src->queues[k].gear, src->queues[k].index, 0, 0);
	for (size_t k = 0; k < src->nr; k++)
		put(&dst->rates, &dst->nr, src->rates[k].gear, src->rates[k].index,
		    src->rates[k].ifindex, src->rates[k].rate_bps);
}

static int state_path(const struct zf_labrt *rt, char *buf, size_t len)
{
	return zf_fmt(buf, len, "%s/emu", rt->state) ? -ENAMETOOLONG : 0;
}

static int state_load(const struct zf_labrt *rt, struct emu_state *s)
{
	char path[PATH_MAX], *buf = NULL, *line, *save = NULL;
	int g, ifindex, rc = state_path(rt, path, sizeof(path));
	size_t i;
	unsigned long long rate;

	memset(s, 0, sizeof(*s));
	if (rc == 0)
		rc = zf_read_file(path, 1 << 20, &buf, NULL);
	if (rc == -ENOENT)
		return 0;
	for (line = rc == 0 ? strtok_r(buf, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "queue %d %zu", &g, &i) == 2)
			put(&s->queues, &s->nq, g, i, 0, 0);
		else if (sscanf(line, "rate %d %zu %d %llu", &g, &i, &ifindex, &rate) == 4)
			put(&s->rates, &s->nr, g, i, ifindex, rate);
	}
	free(buf);
	return rc;
}

static int state_save(const struct zf_labrt *rt, const struct emu_state *s)
{
	char path[PATH_MAX], line[96], *buf = NULL;
	size_t len = 0;
	int rc = state_path(rt, path, sizeof(path));

	buf = zf_xcalloc(1, (s->nq + s->nr + 1) * sizeof(line));
	for (size_t k = 0; k < s->nq; k++)
		len += (size_t)snprintf(buf + len, sizeof(line), "queue %d %zu\n",
					s->queues[k].gear, s->queues[k].index);
	for (size_t k = 0; k < s->nr; k++)
		len += (size_t)snprintf(buf + len, sizeof(line), "rate %d %zu %d %llu\n",
					s->rates[k].gear, s->rates[k].index,
					s->rates[k].ifindex,
					(unsigned long long)s->rates[k].rate_bps);
	if (rc == 0)
		rc = zf_write_file(path, buf, len, 0600);
	free(buf);
	return rc;
}

/* The desired state of LINKS and RATES. */
static void state_of(struct emu_state *s, const struct zf_emu_link *links, size_t nl,
		     const struct zf_emu_rate *rates, size_t nr)
{
	memset(s, 0, sizeof(*s));
	for (size_t k = 0; k < nl; k++)
		put(&s->queues, &s->nq, links[k].gear, links[k].index, 0, 0);
	for (size_t k = 0; k < nr; k++)
		put(&s->rates, &s->nr, rates[k].gear, rates[k].index, rates[k].ifindex,
		    rates[k].rate_bps);
}

static int ns_fd(const struct zf_topo *t, int g, size_t i)
{
	return g < 0 ? t->host[i] : zf_topo_gear_fd(t, g, i);
}

/* The daemon's config for LINKS, one queue per router namespace. */
static int build_config(const struct zf_labrt *rt, const struct emu_state *want,
			const struct zf_emu_link *links, size_t nl,
			struct zf_lk_config *cfg, char *err, size_t errlen)
{
	char name[ZF_NETNS_NAME_MAX], path[PATH_MAX];
	int rc = 0;

	memset(cfg, 0, sizeof(*cfg));
	for (size_t q = 0; rc == 0 && q < want->nq; q++) {
		zf_plan_ns_gear(rt->lab, want->queues[q].gear, want->queues[q].index, name,
				sizeof(name));
		zf_fmt(path, sizeof(path), ZF_NETNS_DIR "/%s", name);
		rc = zf_lk_config_add_queue(cfg, (uint32_t)q, path, ZF_EMU_QUEUE, err, errlen);
	}
	for (size_t k = 0; rc == 0 && k < nl; k++) {
		struct zf_lk_link_cfg l = links[k].cfg;
		for (size_t q = 0; q < want->nq; q++)
			if (same_ns(&want->queues[q], links[k].gear, links[k].index))
				l.queue = (uint32_t)q;
		rc = zf_lk_config_add_link(cfg, &l, err, errlen);
	}
	return rc;
}

/* Write the daemon's config for LINKS and have it reloaded; starts the
 * daemon first when LINKS is not empty. */
static int reload(const struct zf_labrt *rt, const struct emu_state *want,
		  const struct zf_emu_link *links, size_t nl, char *err, size_t errlen)
{
	struct zf_lk_config cfg;
	char dir[PATH_MAX];
	uint64_t gen;
	pid_t pid;
	int rc = zf_emu_dir(rt->state, dir, sizeof(dir));

	if (rc == 0 && nl == 0 && !zf_daemon_running(dir, &pid))
		return 0;
	if (rc == 0)
		rc = zf_emu_daemon_ensure(rt, err, errlen);
	if (rc < 0)
		return rc;
	rc = build_config(rt, want, links, nl, &cfg, err, errlen);
	if (rc == 0)
		rc = zf_lk_config_write(dir, &cfg, err, errlen);
	zf_lk_config_free(&cfg);
	if (rc == 0)
		rc = zf_linkem_reload(dir, &gen, err, errlen, 3000);
	return rc;
}

/* Namespaces of OLD that WANT no longer has: no marks, no queue rule. */
static int drop_queues(const struct zf_topo *t, const struct emu_state *old,
		       const struct emu_state *want, char *err, size_t errlen)
{
	int rc = 0;

	for (size_t k = 0; rc == 0 && k < old->nq; k++) {
		const struct zf_emu_rate *q = &old->queues[k];
		int fd = ns_fd(t, q->gear, q->index);
		if (find(want->queues, want->nq, q->gear, q->index, 0))
			continue;
		rc = zf_emu_marks_set(fd, q->gear, q->index, NULL, 0, err, errlen);
		if (rc == 0)
			rc = zf_emu_rule_del(fd, err, errlen);
	}
	return rc;
}

/* Namespaces of WANT: their queue rule (new ones), then their marks. */
static int add_queues(const struct zf_topo *t, const struct emu_state *old,
		      const struct emu_state *want, const struct zf_emu_link *links,
		      size_t nl, char *err, size_t errlen)
{
	int rc = 0;

	for (size_t k = 0; rc == 0 && k < want->nq; k++) {
		const struct zf_emu_rate *q = &want->queues[k];
		int fd = ns_fd(t, q->gear, q->index);
		if (!find(old->queues, old->nq, q->gear, q->index, 0))
			rc = zf_emu_rule_add(fd, err, errlen);
		if (rc == 0)
			rc = zf_emu_marks_set(fd, q->gear, q->index, links, nl, err, errlen);
	}
	return rc;
}

/* One qdisc request in namespace FD, committed at once. */
static int tc_one(int fd, int ifindex, uint64_t rate)
{
	struct zf_nl *nl;
	struct zf_tbf tbf;
	int rc = zf_nl_open(fd, &nl);

	if (rc < 0)
		return rc;
	zf_tbf_defaults(&tbf, rate);
	rc = rate ? zf_nl_tbf(nl, ifindex, &tbf) : zf_nl_qdisc_del(nl, ifindex);
	if (rc == 0)
		rc = zf_nl_commit(nl, NULL);
	zf_nl_close(nl);
	return rc;
}

/* Every interface of ALL gets WANT's rate, or loses its qdisc (verified). */
static int apply_rates(const struct zf_topo *t, const struct emu_state *all,
		       const struct emu_state *want, char *err, size_t errlen)
{
	for (size_t k = 0; k < all->nr; k++) {
		const struct zf_emu_rate *r = &all->rates[k];
		struct zf_emu_rate *w = find(want->rates, want->nr, r->gear, r->index,
					     r->ifindex);
		int fd = ns_fd(t, r->gear, r->index), rc;
		uint64_t now = 0;
		rc = tc_one(fd, r->ifindex, w ? w->rate_bps : 0);
		if (!w && (rc == -ENOENT || rc == -EINVAL))
			rc = 0;
		if (rc == 0 && !w)
			rc = zf_tc_root_tbf(fd, r->ifindex, &now);
		if (rc == 0 && now) {
			snprintf(err, errlen, "interface %d still has a rate limit",
				 r->ifindex);
			return -EBUSY;
		}
		if (rc < 0) {
			snprintf(err, errlen, "bandwidth on interface %d: %s", r->ifindex,
				 strerror(-rc));
			return rc;
		}
	}
	return 0;
}

/* The base links followed by LINKS (malloc'd). */
static struct zf_emu_link *with_base(const struct zf_labrt *rt,
				     const struct zf_emu_link *links, size_t nl,
				     size_t *n)
{
	struct zf_emu_link *base;
	size_t nb;

	zf_emu_base_links(rt, &base, &nb);
	base = zf_xrealloc(base, (nb + nl + 1) * sizeof(*base));
	if (nl)
		memcpy(base + nb, links, nl * sizeof(*links));
	*n = nb + nl;
	return base;
}

int zf_emu_sync(const struct zf_labrt *rt, const struct zf_topo *t,
		const struct zf_emu_link *links, size_t n_links,
		const struct zf_emu_rate *rates, size_t n_rates, char *err,
		size_t errlen)
{
	struct emu_state old, want, all = { 0 };
	size_t n;
	struct zf_emu_link *v = with_base(rt, links, n_links, &n);
	int rc = state_load(rt, &old);

	err[0] = '\0';
	state_of(&want, v, n, rates, n_rates);
	state_union(&all, &old);
	state_union(&all, &want);
	if (rc == 0)
		rc = state_save(rt, &all);
	if (rc < 0)
		snprintf(err, errlen, "%s/emu: %s", rt->state, strerror(-rc));
	if (rc == 0) rc = drop_queues(t, &old, &want, err, errlen);
	if (rc == 0) rc = reload(rt, &want, v, n, err, errlen);
	if (rc == 0) rc = add_queues(t, &old, &want, v, n, err, errlen);
	if (rc == 0) rc = apply_rates(t, &all, &want, err, errlen);
	if (rc == 0) rc = state_save(rt, &want);
	state_free(&old);
	state_free(&want);
	state_free(&all);
	free(v);
	return rc;
}

int zf_emu_stats(const struct zf_labrt *rt, char **json)
{
	char dir[PATH_MAX];
	pid_t pid;

	*json = NULL;
	if (zf_emu_dir(rt->state, dir, sizeof(dir)) < 0 ||
	    !zf_daemon_running(dir, &pid))
		return -ENOENT;
	return zf_linkem_request_alloc(dir, "stats", json, 3000);
}

/* The daemon has exactly the links of V (by name) and reads NQ queues. */
static int verify_daemon(const struct zf_labrt *rt, const struct zf_emu_link *v,
			 size_t n, size_t nq, char *err, size_t errlen)
{
	char *buf = NULL;
	json_t *root = NULL, *links;
	int rc = zf_emu_stats(rt, &buf);

	if (rc == -ENOENT && n == 0)
		rc = 0;
	else if (rc == 0 && !(root = json_loads(buf, 0, NULL)))
		rc = -EPROTO;
	links = root ? json_object_get(root, "links") : NULL;
	if (root && (!json_is_array(links) || json_array_size(links) != n ||
		     json_array_size(json_object_get(root, "queues")) != nq))
		rc = -EPROTO;
	for (size_t k = 0; root && rc == 0 && k < n; k++) {
		size_t j;
		json_t *l;
		json_array_foreach(links, j, l)
			if (!strcmp(json_string_value(json_object_get(l, "name")) ?: "",
				    v[k].cfg.name))
				break;
		if (j == json_array_size(links))
			rc = -EPROTO;
	}
	if (rc < 0)
		snprintf(err, errlen, "the link emulator does not have the %zu links "
			 "and %zu queues it should: %s", n, nq,
			 rc == -EPROTO ? "it has others" : strerror(-rc));
	json_decref(root);
	free(buf);
	return rc;
}

int zf_emu_verify(const struct zf_labrt *rt, const struct zf_topo *t,
		  const struct zf_emu_link *links, size_t n_links,
		  const struct zf_emu_rate *rates, size_t n_rates, char *err,
		  size_t errlen)
{
	struct emu_state want;
	size_t n;
	struct zf_emu_link *v = with_base(rt, links, n_links, &n);
	int rc, present = 1;

	state_of(&want, v, n, rates, n_rates);
	rc = verify_daemon(rt, v, n, want.nq, err, errlen);
	for (size_t k = 0; rc == 0 && present && k < want.nq; k++)
		rc = zf_emu_rule_present(ns_fd(t, want.queues[k].gear, want.queues[k].index),
					 &present, err, errlen);
	if (rc == 0 && !present) {
		snprintf(err, errlen, "a router lost its link emulator queue rule");
		rc = -ENOENT;
	}
	for (size_t k = 0; rc == 0 && k < want.nr; k++) {
		const struct zf_emu_rate *r = &want.rates[k];
		uint64_t now = 0;
		rc = zf_tc_root_tbf(ns_fd(t, r->gear, r->index), r->ifindex, &now);
		if (rc == 0 && now / 8 != r->rate_bps / 8) {
			snprintf(err, errlen, "interface %d has rate %llu bit/s, not %llu",
				 r->ifindex, (unsigned long long)now,
				 (unsigned long long)r->rate_bps);
			rc = -EIO;
		}
	}
	state_free(&want);
	free(v);
	return rc;
}

int zf_emu_restore(const struct zf_labrt *rt, int *restarted, char *err,
		   size_t errlen)
{
	struct zf_topo t = { 0 };
	char dir[PATH_MAX];
	pid_t pid;
	size_t n;
	struct zf_emu_link *v = with_base(rt, NULL, 0, &n);
	int rc = zf_emu_dir(rt->state, dir, sizeof(dir));

	*restarted = rc == 0 && n && !zf_daemon_running(dir, &pid);
	free(v);
	if (rc == 0)
		rc = zf_topo_open(rt, &t, err, errlen);
	if (rc == 0) {
		rc = zf_emu_sync(rt, &t, NULL, 0, NULL, 0, err, errlen);
		zf_topo_close(rt, &t);
	}
	return rc;
}
