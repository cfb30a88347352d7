/* histogram.c - the merged histogram of ok latencies as [value_ms, count]
 * pairs, each value within 1% (probe/hist.h's buckets, reported by their
 * middle value): the probe's own merged histogram when it gives one, else
 * one built here from the request records. */
#include "report/an.h"

#include "probe/hist.h"

static void add_pair(uint64_t value_ns, uint64_t count, void *ctx)
{
	json_t *pair = json_array();

	json_array_append_new(pair, json_real(rj_round((double)value_ns / 1e6, 6)));
	json_array_append_new(pair, json_integer((json_int_t)count));
	json_array_append_new(ctx, pair);
}

json_t *an_histogram_json(const struct an_probe *ap)
{
	json_t *a = json_array();
	struct zf_hist *own = NULL;
	const struct zf_hist *h = ap->p->hist;

	if (!h) {
		own = zf_hist_new();
		for (size_t i = 0; i < ap->n; i++)
			if (ap->req[i].outcome == ZF_OUT_OK)
				zf_hist_add(own, ap->req[i].latency_ns);
		h = own;
	}
	zf_hist_foreach(h, add_pair, a);
	zf_hist_free(own);
	return a;
}
