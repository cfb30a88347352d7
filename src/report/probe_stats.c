/* probe_stats.c - one probe's requests in planned order, what they count
 * to, and fast range queries over them. */
#include "report/an.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

static int cmp_req(const void *a, const void *b)
{
	const struct zf_req *x = a, *y = b;

	return (x->planned_ns > y->planned_ns) - (x->planned_ns < y->planned_ns);
}

/* The requests in planned order: the caller's array when it is sorted (the
 * probe's contract), else a sorted copy owned by AP. */
static void sort_requests(struct an_probe *ap, const struct zf_run_probe *p)
{
	size_t i;

	ap->req = p->reqs;
	ap->n = p->reqs ? p->n_reqs : 0;
	for (i = 1; i < ap->n; i++)
		if (ap->req[i].planned_ns < ap->req[i - 1].planned_ns)
			break;
	if (i >= ap->n)
		return;
	ap->owned = zf_xmalloc(ap->n * sizeof(*ap->owned));
	memcpy(ap->owned, p->reqs, ap->n * sizeof(*ap->owned));
	qsort(ap->owned, ap->n, sizeof(*ap->owned), cmp_req);
	ap->req = ap->owned;
}

int an_req_good(const struct an_probe *ap, const struct zf_req *r)
{
	if (r->outcome != ZF_OUT_OK)
		return 0;
	return ap->p->slow_ns == 0 || r->latency_ns <= ap->p->slow_ns;
}

void an_probe_init(struct an_probe *ap, const struct zf_run_probe *p)
{
	memset(ap, 0, sizeof(*ap));
	ap->p = p;
	sort_requests(ap, p);
	ap->good_before = zf_xcalloc(ap->n + 1, sizeof(*ap->good_before));
	for (size_t i = 0; i < ap->n; i++) {
		const struct zf_req *r = &ap->req[i];
		int good = an_req_good(ap, r);

		ap->good_before[i + 1] = ap->good_before[i] + (uint64_t)good;
		if (r->outcome == ZF_OUT_OK)
			ap->ok++;
		else
			ap->failed[r->outcome < ZF_OUT_N ? r->outcome : ZF_OUT_OTHER]++;
	}
	ap->good = ap->good_before[ap->n];
	ap->errors = ap->n - ap->ok;
}

void an_probe_free(struct an_probe *ap)
{
	free(ap->owned);
	free(ap->good_before);
	free(ap->out);
	memset(ap, 0, sizeof(*ap));
}

size_t an_lower_bound(const struct an_probe *ap, uint64_t t)
{
	size_t lo = 0, hi = ap->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ap->req[mid].planned_ns < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void an_range(const struct an_probe *ap, uint64_t a, uint64_t b,
	      uint64_t *requests, uint64_t *good)
{
	size_t i = an_lower_bound(ap, a), j = b > a ? an_lower_bound(ap, b) : i;

	*requests = j - i;
	*good = ap->good_before[j] - ap->good_before[i];
}

json_t *an_errors_json(const struct an_probe *ap)
{
	json_t *o = json_object();

	for (int c = ZF_OUT_OK + 1; c < ZF_OUT_N; c++)
		rj_set(o, zf_outcome_name((enum zf_outcome)c),
		       json_integer((json_int_t)ap->failed[c]));
	return o;
}
