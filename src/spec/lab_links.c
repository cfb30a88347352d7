/* lab_links.c - "links:": the lab's one-way base latencies.
 *
 *   links:
 *     cross_zone: 1ms          # between two zones of a region
 *     cross_region: 40ms       # between two regions
 *     internet: 5ms            # between clients and every region's edge
 *     regions: { r2: { cross_zone: 3ms } }                # per region
 *     pairs: [ { between: [r1, r2], latency: 70ms } ]     # per region pair
 *
 * Every value is at most ZF_LINK_LATENCY_MAX; a pair is symmetric. */
#include "spec/lab_load.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int latency(struct zf_ld *ld, const struct zf_ynode *n, const char *what,
		   uint64_t *ns)
{
	int rc = zf_sc_duration(&ld->sc, n, what, ns);

	if (rc == 0 && *ns > ZF_LINK_LATENCY_MAX)
		return zf_sc_err(&ld->sc, n->mark, "%s of '%s' is more than 10s",
				 what, n->str);
	return rc;
}

static int region_named(struct zf_ld *ld, const struct zf_ynode *n, size_t *r)
{
	int i;

	if (zf_sc_string(&ld->sc, n, "a region name") < 0)
		return -EINVAL;
	i = zf_lab_find_region(ld->lab, n->str);
	if (i < 0)
		return zf_sc_err(&ld->sc, n->mark, "unknown region '%s'", n->str);
	*r = (size_t)i;
	return 0;
}

/* "regions: { r2: { cross_zone: 3ms } }" */
static int parse_overrides(struct zf_ld *ld, const struct zf_ynode *m)
{
	int rc = zf_sc_mapping(&ld->sc, m, "'regions' of 'links'");

	for (size_t i = 0; rc == 0 && i < m->n; i++) {
		struct zf_sc_field f[] = { { .name = "cross_zone" } };
		size_t r;
		rc = region_named(ld, zf_ymap_key(m, i), &r);
		if (rc == 0)
			rc = zf_sc_fields(&ld->sc, zf_ymap_val(m, i),
					  "a region's links", f, 1);
		if (rc == 0 && f[0].val)
			rc = latency(ld, f[0].val, "'cross_zone'",
				     &ld->lab->regions[r].cross_zone_ns);
	}
	return rc;
}

static int find_pair(const struct zf_lab *lab, size_t a, size_t b)
{
	for (size_t i = 0; i < lab->n_pairs; i++)
		if ((lab->pairs[i].a == a && lab->pairs[i].b == b) ||
		    (lab->pairs[i].a == b && lab->pairs[i].b == a))
			return (int)i;
	return -1;
}

/* One "{ between: [r1, r2], latency: 70ms }" into lab->pairs. */
static int parse_pair(struct zf_ld *ld, const struct zf_ynode *n)
{
	struct zf_lab *lab = ld->lab;
	struct zf_sc_field f[] = { { .name = "between" }, { .name = "latency" } };
	struct zf_link_pair p = { .mark = n->mark };
	size_t count;
	int rc = zf_sc_fields(&ld->sc, n, "a region pair", f, 2);

	if (rc == 0) rc = zf_sc_require(&ld->sc, n, "a region pair", &f[0]);
	if (rc == 0) rc = zf_sc_require(&ld->sc, n, "a region pair", &f[1]);
	if (rc == 0)
		rc = zf_sc_name_list(&ld->sc, f[0].val, "region", "'between'", 0, 2,
				     &count);
	if (rc == 0 && count != 2)
		return zf_sc_err(&ld->sc, f[0].val->mark, "'between' names two "
				 "regions, like [r1, r2]");
	if (rc == 0) rc = region_named(ld, zf_sc_item(f[0].val, 0), &p.a);
	if (rc == 0) rc = region_named(ld, zf_sc_item(f[0].val, 1), &p.b);
	if (rc == 0) rc = latency(ld, f[1].val, "'latency'", &p.ns);
	if (rc == 0 && find_pair(lab, p.a, p.b) >= 0)
		return zf_sc_err(&ld->sc, n->mark, "regions '%s' and '%s' are paired "
				 "twice", lab->regions[p.a].name, lab->regions[p.b].name);
	if (rc == 0)
		lab->pairs[lab->n_pairs++] = p;
	return rc;
}

static int parse_pairs(struct zf_ld *ld, const struct zf_ynode *s)
{
	size_t max = ld->lab->n_regions * (ld->lab->n_regions - 1) / 2;

	if (s->kind != ZF_YSEQ)
		return zf_sc_err(&ld->sc, s->mark, "expected a list of "
				 "{ between: [A, B], latency: D } for 'pairs', got %s",
				 zf_ynode_kind_name(s));
	if (s->n > max)
		return zf_sc_err(&ld->sc, s->mark, "%zu region pairs for %zu "
				 "regions: at most %zu", s->n, ld->lab->n_regions, max);
	ld->lab->pairs = zf_xcalloc(s->n ? s->n : 1, sizeof(*ld->lab->pairs));
	for (size_t i = 0; i < s->n; i++) {
		int rc = parse_pair(ld, s->kids[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int zf_ld_links(struct zf_ld *ld, const struct zf_ynode *links)
{
	struct zf_lab *lab = ld->lab;
	struct zf_sc_field f[] = { { .name = "cross_zone" }, { .name = "cross_region" },
				   { .name = "internet" }, { .name = "regions" },
				   { .name = "pairs" } };
	int rc = links ? zf_sc_fields(&ld->sc, links, "'links'", f, 5) : 0;

	if (rc == 0 && f[0].val)
		rc = latency(ld, f[0].val, "'cross_zone'", &lab->cross_zone_ns);
	if (rc == 0 && f[1].val)
		rc = latency(ld, f[1].val, "'cross_region'", &lab->cross_region_ns);
	if (rc == 0 && f[2].val)
		rc = latency(ld, f[2].val, "'internet'", &lab->internet_ns);
	for (size_t r = 0; r < lab->n_regions; r++)
		lab->regions[r].cross_zone_ns = lab->cross_zone_ns;
	if (rc == 0 && f[3].val)
		rc = parse_overrides(ld, f[3].val);
	if (rc == 0 && f[4].val && !zf_sc_absent(f[4].val))
		rc = parse_pairs(ld, f[4].val);
	return rc;
}

uint64_t zf_lab_region_latency(const struct zf_lab *lab, size_t a, size_t b)
{
	int i = find_pair(lab, a, b);

	return i >= 0 ? lab->pairs[i].ns : lab->cross_region_ns;
}
