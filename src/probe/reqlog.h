/* reqlog.h - (private to src/probe) one probe's schedule and the record of
 * its requests.
 *
 * Request k is planned for t0 + k * period. Planning is lazy: the loops
 * call zf_reqlog_plan(now) and get every request whose planned time has
 * come, however many, without a timer per request. Each planned request
 * ends exactly once through zf_reqlog_finish(), which writes its zf_req at
 * index k (so the records are in planned order whatever order requests end
 * in), adds an ok latency to the histogram and counts the completion in
 * the live per-second ring that other threads read.
 *
 * Single writer (the probe's thread); zf_reqlog_live() may be called from
 * any thread while it runs. */
#ifndef ZF_PROBE_REQLOG_H
#define ZF_PROBE_REQLOG_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/hist.h"
#include "probe/probe.h"

#define ZF_LIVE_SLOTS 1024u     /* seconds kept: ~17 minutes */

struct zf_live_slot {
	_Atomic uint64_t sec;   /* second after t0 the counts are for */
	_Atomic uint64_t completed;
	_Atomic uint64_t good;
};

struct zf_reqlog {
	uint64_t t0;            /* CLOCK_MONOTONIC ns of request 0 */
	double period;          /* ns between two planned requests */
	uint64_t timeout;       /* ns from the planned time */
	uint64_t slow;          /* good iff ok and latency <= slow (0: any) */
	uint64_t planned;       /* requests [0, planned) are planned */
	uint64_t limit;         /* never plan k >= limit (UINT64_MAX: no stop) */
	uint64_t done;          /* requests finished */
	struct zf_req *recs;    /* [cap], valid below planned once finished */
	size_t cap;
	struct zf_hist *hist;   /* ok latencies */
	struct zf_live_slot live[ZF_LIVE_SLOTS];
};

/* Set L up for RATE requests/s from T0; TIMEOUT and SLOW in ns. */
void zf_reqlog_init(struct zf_reqlog *l, uint64_t t0, double rate,
		   uint64_t timeout, uint64_t slow);
void zf_reqlog_fini(struct zf_reqlog *l);

/* Planned time of request K, in ns since t0. */
static inline uint64_t zf_reqlog_rel(const struct zf_reqlog *l, uint64_t k)
{
	return (uint64_t)((double)k * l->period);
}

/* Planned time of request K, CLOCK_MONOTONIC. */
static inline uint64_t zf_reqlog_at(const struct zf_reqlog *l, uint64_t k)
{
	return l->t0 + zf_reqlog_rel(l, k);
}

/* Plan every request due at NOW (planned time <= NOW), below the limit.
 * Returns the number planned so far. */
uint64_t zf_reqlog_plan(struct zf_reqlog *l, uint64_t now);

/* Planning stops at STOP: only requests planned before it (and any already
 * planned) exist. */
void zf_reqlog_stop(struct zf_reqlog *l, uint64_t stop);

/* 1 when planning has stopped and every planned request has finished. */
static inline int zf_reqlog_complete(const struct zf_reqlog *l)
{
	return l->planned >= l->limit && l->done >= l->planned;
}

/* Request K (planned, not yet finished) ended at NOW with OUTCOME. Any
 * request that ends after its deadline (planned + timeout) is a timeout,
 * whatever the answer. */
void zf_reqlog_finish(struct zf_reqlog *l, uint64_t k, uint64_t now,
		      enum zf_outcome outcome);

/* Live counts of second SEC after t0, seen at NOW; -ERANGE if that second
 * is no longer kept. Safe from any thread. */
int zf_reqlog_live(const struct zf_reqlog *l, uint64_t sec, uint64_t now,
		   uint64_t *completed, uint64_t *good);

#endif
