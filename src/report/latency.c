/* latency.c - latency statistics of ok requests, exact (nearest rank over
 * the sorted latencies), before, during and after the faults and overall. */
#include "report/an.h"

#include <math.h>
#include <stdlib.h>

#include "util/mem.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

void an_sort_u64(uint64_t *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_u64);
}

uint64_t an_rank(const uint64_t *sorted, size_t n, double q)
{
	double r = ceil(q * (double)n);
	size_t i = r < 1 ? 0 : (size_t)r - 1;

	return sorted[i < n ? i : n - 1];
}

void an_lat_of(const uint64_t *sorted, size_t n, struct an_lat *out)
{
	out->count = n;
	if (n == 0)
		return;
	out->p50 = rj_ns_to_ms(an_rank(sorted, n, 0.50));
	out->p90 = rj_ns_to_ms(an_rank(sorted, n, 0.90));
	out->p99 = rj_ns_to_ms(an_rank(sorted, n, 0.99));
	out->p999 = rj_ns_to_ms(an_rank(sorted, n, 0.999));
	out->max = rj_ns_to_ms(sorted[n - 1]);
}

/* Which part of the run a request planned at T belongs to. */
static int part_of(const struct an_faults *f, uint64_t t)
{
	if (!f->have || t < f->on_ns)
		return AN_BEFORE;
	return t <= f->off_ns ? AN_DURING : AN_AFTER;
}

void an_latency(struct an_probe *ap, const struct an_faults *f)
{
	uint64_t *v[AN_NLAT];
	size_t n[AN_NLAT] = { 0 };

	for (int k = 0; k < AN_NLAT; k++)
		v[k] = zf_xmalloc((ap->ok ? ap->ok : 1) * sizeof(uint64_t));
	for (size_t i = 0; i < ap->n; i++) {
		const struct zf_req *r = &ap->req[i];
		int part;

		if (r->outcome != ZF_OUT_OK)
			continue;
		part = part_of(f, r->planned_ns);
		v[part][n[part]++] = r->latency_ns;
		v[AN_ALL][n[AN_ALL]++] = r->latency_ns;
	}
	for (int k = 0; k < AN_NLAT; k++) {
		an_sort_u64(v[k], n[k]);
		an_lat_of(v[k], n[k], &ap->lat[k]);
		free(v[k]);
	}
}

static json_t *ms_or_null(const struct an_lat *l, double v)
{
	return l->count ? json_real(v) : json_null();
}

static json_t *lat_json(const struct an_lat *l)
{
	json_t *o = json_object();

	rj_set(o, "count", json_integer((json_int_t)l->count));
	rj_set(o, "p50", ms_or_null(l, l->p50));
	rj_set(o, "p90", ms_or_null(l, l->p90));
	rj_set(o, "p99", ms_or_null(l, l->p99));
	rj_set(o, "p999", ms_or_null(l, l->p999));
	rj_set(o, "max", ms_or_null(l, l->max));
	return o;
}

json_t *an_latency_json(const struct an_probe *ap)
{
	static const char *const names[AN_NLAT] = { "before", "during", "after", "all" };
	json_t *o = json_object();

	for (int k = 0; k < AN_NLAT; k++)
		rj_set(o, names[k], lat_json(&ap->lat[k]));
	return o;
}
