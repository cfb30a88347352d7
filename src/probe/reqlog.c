/* reqlog.c - a probe's schedule and request records (see reqlog.h). */
#include "probe/reqlog.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/timeutil.h"

void zf_reqlog_init(struct zf_reqlog *l, uint64_t t0, double rate,
		   uint64_t timeout, uint64_t slow)
{
	memset(l, 0, sizeof(*l));
	l->t0 = t0;
	l->period = (double)ZF_NS_PER_S / rate;
	l->timeout = timeout;
	l->slow = slow;
	l->limit = UINT64_MAX;
	l->hist = zf_hist_new();
	for (unsigned i = 0; i < ZF_LIVE_SLOTS; i++)
		atomic_init(&l->live[i].sec, UINT64_MAX);
}

void zf_reqlog_fini(struct zf_reqlog *l)
{
	free(l->recs);
	zf_hist_free(l->hist);
	l->recs = NULL;
	l->hist = NULL;
}

/* How many requests are planned strictly before REL ns after t0 (when
 * STRICT) or at or before it. The estimate from the division is corrected
 * against zf_reqlog_rel() so both always agree. */
static uint64_t count_upto(const struct zf_reqlog *l, uint64_t rel, int strict)
{
	double est = (double)rel / l->period;
	uint64_t n = est >= 1.8e19 ? UINT64_MAX / 2 : (uint64_t)est + 1;

	while (n > 0 && (strict ? zf_reqlog_rel(l, n - 1) >= rel
				: zf_reqlog_rel(l, n - 1) > rel))
		n--;
	while (strict ? zf_reqlog_rel(l, n) < rel : zf_reqlog_rel(l, n) <= rel)
		n++;
	return n;
}

/* Records grow by doubling: amortised O(1) per request (large blocks are
 * moved with mremap by the allocator, not copied). */
static void reserve(struct zf_reqlog *l, uint64_t n)
{
	size_t cap = l->cap ? l->cap : 1024;

	if (n <= l->cap)
		return;
	while (cap < n)
		cap *= 2;
	l->recs = zf_xrealloc(l->recs, cap * sizeof(*l->recs));
	l->cap = cap;
}

uint64_t zf_reqlog_plan(struct zf_reqlog *l, uint64_t now)
{
	uint64_t n;

	if (l->planned >= l->limit || now < zf_reqlog_at(l, l->planned))
		return l->planned;
	n = count_upto(l, now - l->t0, 0);
	if (n > l->limit)
		n = l->limit;
	reserve(l, n);
	l->planned = n;
	return n;
}

void zf_reqlog_stop(struct zf_reqlog *l, uint64_t stop)
{
	uint64_t n = stop <= l->t0 ? 0 : count_upto(l, stop - l->t0, 1);

	if (n < l->planned)
		n = l->planned;
	if (n < l->limit)
		l->limit = n;
	if (l->planned > l->limit)     /* cannot happen: limit >= planned */
		l->planned = l->limit;
}

static void live_count(struct zf_reqlog *l, uint64_t now, int good)
{
	uint64_t sec = now > l->t0 ? (now - l->t0) / ZF_NS_PER_S : 0;
	struct zf_live_slot *s = &l->live[sec % ZF_LIVE_SLOTS];
	uint64_t c;

	if (atomic_load_explicit(&s->sec, memory_order_relaxed) != sec) {
		/* Invalidate first so readers never pair the new second
		 * with the old counts. */
		atomic_store_explicit(&s->sec, UINT64_MAX, memory_order_relaxed);
		atomic_thread_fence(memory_order_release);
		atomic_store_explicit(&s->completed, 0, memory_order_relaxed);
		atomic_store_explicit(&s->good, 0, memory_order_relaxed);
		atomic_store_explicit(&s->sec, sec, memory_order_release);
	}
	/* One writer: load and store, no locked instruction. */
	c = atomic_load_explicit(&s->completed, memory_order_relaxed);
	atomic_store_explicit(&s->completed, c + 1, memory_order_relaxed);
	if (good) {
		c = atomic_load_explicit(&s->good, memory_order_relaxed);
		atomic_store_explicit(&s->good, c + 1, memory_order_relaxed);
	}
}

void zf_reqlog_finish(struct zf_reqlog *l, uint64_t k, uint64_t now,
		      enum zf_outcome outcome)
{
	uint64_t rel = zf_reqlog_rel(l, k), at = l->t0 + rel;
	uint64_t lat = now > at ? now - at : 0;
	struct zf_req *r = &l->recs[k];

	if (lat > l->timeout)
		outcome = ZF_OUT_TIMEOUT;
	r->planned_ns = rel;
	r->latency_ns = lat;
	r->outcome = (uint8_t)outcome;
	l->done++;
	if (outcome == ZF_OUT_OK)
		zf_hist_add(l->hist, lat);
	live_count(l, now, outcome == ZF_OUT_OK && (!l->slow || lat <= l->slow));
}

int zf_reqlog_live(const struct zf_reqlog *l, uint64_t sec, uint64_t now,
		   uint64_t *completed, uint64_t *good)
{
	uint64_t cur = now > l->t0 ? (now - l->t0) / ZF_NS_PER_S : 0;
	const struct zf_live_slot *s = &l->live[sec % ZF_LIVE_SLOTS];
	uint64_t tag, c, g;

	*completed = *good = 0;
	if (sec + ZF_LIVE_SLOTS <= cur)
		return -ERANGE;
	tag = atomic_load_explicit(&s->sec, memory_order_acquire);
	c = atomic_load_explicit(&s->completed, memory_order_relaxed);
	g = atomic_load_explicit(&s->good, memory_order_relaxed);
	atomic_thread_fence(memory_order_acquire);
	if (tag != sec ||
	    atomic_load_explicit(&s->sec, memory_order_relaxed) != sec)
		return tag != UINT64_MAX && tag > sec ? -ERANGE : 0;
	*completed = c;
	*good = g;
	return 0;
}
