/* link.c - faults on links: delay, loss, reorder, corrupt, duplicate (the
 * link emulator) and bandwidth (tbf).
 *
 * TARGET picks the links: a host or client is its access link, a zone its
 * uplink to the region router, a region its uplinks (backbone and
 * internet); a service selector means the access links of its hosts.
 *
 * These faults do not change the links themselves: every apply and revert
 * recomputes the lab's whole emulation from the lab file's base latencies
 * and the link faults the journal shows active (the one being reverted
 * left out) and hands it to zf_emu_sync. That is what makes faults on one
 * link compose (delay and loss together; two delays add up; the lowest
 * bandwidth wins) and lets reverting one leave the others. */
#include "fault/journal.h"
#include "fault/kinds.h"
#include "fault/linkargs.h"
#include "lab/emu.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The desired emulation: links and rates. */
struct want {
	struct zf_emu_link *links;
	size_t nl;
	struct zf_emu_rate *rates;
	size_t nr;
};

static void want_free(struct want *w)
{
	free(w->links);
	free(w->rates);
	memset(w, 0, sizeof(*w));
}

static const char *dir_word(int dir)
{
	return dir == ZF_EMU_IN ? "in" : "out";
}

/* The links (or rates) of one target of fault ID in direction DIR. */
static void add_target(const struct zf_labrt *rt, struct want *w, const char *id,
		       const char *kind, const struct zf_linkargs *a,
		       enum zf_emu_class c, size_t index, const char *name)
{
	struct zf_emu_link l[ZF_EMU_PER_TARGET];
	struct zf_emu_rate r[ZF_EMU_PER_TARGET];

	for (int dir = ZF_EMU_OUT; dir <= ZF_EMU_IN; dir <<= 1) {
		if (!(a->dir & dir))
			continue;
		if (!strcmp(kind, "bandwidth")) {
			size_t n = zf_emu_target_rates(rt, c, index, dir, r);
			w->rates = zf_xrealloc(w->rates, (w->nr + n) * sizeof(*r));
			for (size_t k = 0; k < n; k++, w->nr++)
				w->rates[w->nr] = r[k], w->rates[w->nr].rate_bps = a->rate_bps;
			continue;
		}
		size_t n = zf_emu_target_links(rt, c, index, dir, l);
		w->links = zf_xrealloc(w->links, (w->nl + n) * sizeof(*l));
		for (size_t k = 0; k < n; k++, w->nl++) {
			struct zf_emu_link *x = &w->links[w->nl];
			*x = l[k];
			x->cfg = a->cfg;
			x->cfg.iif = l[k].cfg.iif;
			x->cfg.oif = l[k].cfg.oif;
			snprintf(x->cfg.name, sizeof(x->cfg.name), "%s:%.40s:%s%s", id, name,
				 dir_word(dir), k ? (k == 1 ? "2" : "3") : "");
		}
	}
}

/* Every link of fault ID (KIND, SEL, ARGS) into W. */
static void add_fault(const struct zf_labrt *rt, struct want *w, const char *id,
		      const char *kind, const struct zf_selection *sel,
		      const struct zf_linkargs *a)
{
	const struct zf_lab *lab = rt->lab;
	int zones = 0, regions = 0;

	for (size_t z = 0; sel->kind == ZF_SEL_ZONE && z < lab->n_zones; z++)
		if (sel->zones[z] && ++zones)
			add_target(rt, w, id, kind, a, ZF_EMU_ZONE, z, lab->zones[z].full);
	for (size_t r = 0; sel->kind == ZF_SEL_REGION && r < lab->n_regions; r++)
		if (sel->regions[r] && ++regions)
			add_target(rt, w, id, kind, a, ZF_EMU_REGION, r, lab->regions[r].name);
	if (zones || regions)
		return;
	/* hosts, clients, services, and picked members of a zone or region */
	for (size_t h = 0; h < lab->n_hosts; h++)
		if (sel->hosts[h])
			add_target(rt, w, id, kind, a, ZF_EMU_HOST, h, lab->hosts[h].name);
}

/* One active link fault into the wanted emulation W. */
static int want_fault(struct zf_fctx *c, const struct zf_fault_info *f,
		      const struct zf_selection *sel, void *w)
{
	struct zf_linkargs a;
	int rc = zf_linkargs_parse(f->kind, f->args, &a, c->err, sizeof(c->err));

	if (rc < 0)
		return rc;
	if (f->seed) {
		a.cfg.seed = f->seed;
		a.cfg.has_seed = true;
	}
	add_fault(c->rt, w, f->id, f->kind, sel, &a);
	return 0;
}

/* The emulation the journal asks for, leaving out fault EXCLUDE (or none). */
static int desired(struct zf_fctx *c, const char *exclude, struct want *w)
{
	memset(w, 0, sizeof(*w));
	return zf_journal_each_active(c, zf_linkargs_is_link_kind, exclude, want_fault, w);
}

static int check_link(struct zf_fctx *c, const struct zf_fault *f)
{
	struct zf_linkargs a;

	if (f->sel.kind == ZF_SEL_LAB) {
		snprintf(c->err, sizeof(c->err), "link faults act on the links of hosts, "
			 "clients, zones or regions, not on the whole lab");
		return -EINVAL;
	}
	return zf_linkargs_parse(f->kind->name, f->args, &a, c->err, sizeof(c->err));
}

/* Make the lab's emulation what the journal asks for without EXCLUDE. */
static int sync_without(struct zf_fctx *c, const char *exclude)
{
	struct want w;
	int rc = desired(c, exclude, &w);

	if (rc == 0)
		rc = zf_fctx_topo(c);
	if (rc == 0)
		rc = zf_emu_sync(c->rt, &c->topo, w.links, w.nl, w.rates, w.nr, c->err,
				 sizeof(c->err));
	want_free(&w);
	return rc;
}

/* The fault is in the journal ("begin") when it is applied. */
static int apply_link(struct zf_fctx *c, const struct zf_fault *f)
{
	(void)f;
	return sync_without(c, NULL);
}

static int revert_link(struct zf_fctx *c, const struct zf_fault *f)
{
	return sync_without(c, f->id);
}

static int verify_link(struct zf_fctx *c, const struct zf_fault *f, int applied)
{
	struct want w;
	int rc = desired(c, applied ? NULL : f->id, &w);

	if (rc == 0)
		rc = zf_fctx_topo(c);
	if (rc == 0)
		rc = zf_emu_verify(c->rt, &c->topo, w.links, w.nl, w.rates, w.nr, c->err,
				   sizeof(c->err));
	want_free(&w);
	return rc;
}

#define LINK_KIND(var, kname, kusage, ksummary)                                \
	const struct zf_fault_kind var = {                                     \
		.name = kname, .usage = kusage, .summary = ksummary,            \
		.check = check_link, .apply = apply_link,                      \
		.revert = revert_link, .verify = verify_link,                  \
	}

LINK_KIND(zf_fault_delay, "delay",
	  "delay TARGET \"DELAY [jitter J] [distribution D] [correlation P%] [in|out|both]\"",
	  "hold packets on TARGET's links (the link emulator; adds to other delays)");
LINK_KIND(zf_fault_loss, "loss",
	  "loss TARGET \"P% [correlation P%] [burst N] [in|out|both]\"",
	  "drop a share of the packets on TARGET's links, at random or in bursts");
LINK_KIND(zf_fault_reorder, "reorder", "reorder TARGET \"P% [delay D] [in|out|both]\"",
	  "let P% of packets overtake the others, which wait D (10ms)");
LINK_KIND(zf_fault_corrupt, "corrupt", "corrupt TARGET \"P% [in|out|both]\"",
	  "flip a bit in P% of packets (receivers drop them: bad checksum)");
LINK_KIND(zf_fault_duplicate, "duplicate", "duplicate TARGET \"P% [in|out|both]\"",
	  "send P% of packets twice");
LINK_KIND(zf_fault_bandwidth, "bandwidth", "bandwidth TARGET \"RATE [in|out|both]\"",
	  "limit TARGET's links to RATE (tbf; e.g. 10mbit; the lowest limit wins)");

struct tally {
	json_int_t packets, dropped, corrupted, duplicated, reordered;
	json_int_t p50, p99;      /* the largest over the fault's links */
	size_t links;
};

static void tally_link(struct tally *t, json_t *l)
{
	json_int_t p50 = json_integer_value(json_object_get(json_object_get(l, "delay_added"), "p50_ns"));
	json_int_t p99 = json_integer_value(json_object_get(json_object_get(l, "delay_added"), "p99_ns"));

	t->packets += json_integer_value(json_object_get(l, "packets"));
	t->dropped += json_integer_value(json_object_get(l, "dropped"));
	t->corrupted += json_integer_value(json_object_get(l, "corrupted"));
	t->duplicated += json_integer_value(json_object_get(l, "duplicated"));
	t->reordered += json_integer_value(json_object_get(l, "reordered"));
	t->p50 = p50 > t->p50 ? p50 : t->p50;
	t->p99 = p99 > t->p99 ? p99 : t->p99;
	t->links++;
}

int zf_fault_link_delivered(const struct zf_labrt *rt, const char *id, char *buf,
			    size_t len)
{
	char *text = NULL, prefix[ZF_FAULT_ID_MAX + 1];
	struct tally t = { 0 };
	json_t *root = NULL, *l;
	size_t i;
	int rc = zf_emu_stats(rt, &text);

	snprintf(prefix, sizeof(prefix), "%s:", id);
	if (rc == 0 && !(root = json_loads(text, 0, NULL)))
		rc = -EPROTO;
	json_array_foreach(root ? json_object_get(root, "links") : NULL, i, l)
		if (!strncmp(json_string_value(json_object_get(l, "name")) ?: "", prefix,
			     strlen(prefix)))
			tally_link(&t, l);
	if (rc == 0 && !t.links)
		rc = -ENOENT;
	if (rc == 0)
		snprintf(buf, len, "emulator: %lld packets, %lld dropped, %lld corrupted, "
			 "%lld duplicated, %lld reordered; delay added p50 %.3f ms, p99 %.3f ms",
			 (long long)t.packets, (long long)t.dropped, (long long)t.corrupted,
			 (long long)t.duplicated, (long long)t.reordered, (double)t.p50 / 1e6,
			 (double)t.p99 / 1e6);
	json_decref(root);
	free(text);
	return rc;
}
