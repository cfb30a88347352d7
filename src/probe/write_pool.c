/* write_pool.c - the open loop of a write probe over blocking clients.
 *
 * The probe's thread is the dispatcher: it plans write k at t0 + k/rate
 * (reqlog.h) and queues it; WORKERS threads (spec->write->workers, each
 * with its own client: a connection and the node it believes in) take the
 * oldest queued write, send it and record how it ended. Latency is
 * measured from the planned time whatever happens in between (wrk2), so a
 * write that waited for a free worker shows its wait.
 *
 * When every worker is busy (a stalled server holds each one for up to
 * the timeout), writes wait in the queue. A write still queued when its
 * planned time + timeout passes is never sent: it ends in the request log
 * as a timeout and is *not* in the ledger (nothing was attempted, so it
 * can be neither lost nor recovered); the run record counts it as
 * "not_sent". A write that is sent gets the full timeout from the moment
 * it is sent (a client's own timeout), so a late acknowledgement is still
 * "ok" in the ledger — the promise was made — although the request log
 * counts it as a timeout for availability.
 *
 * Ids: write k has id k, so ids are unique across workers without
 * coordination; each worker keeps its own ledger (no locking), merged
 * after they are joined. One mutex guards the queue and the request log
 * (which planning may reallocate). Workers inherit the dispatcher's
 * network namespace and its blocked signals. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "probe/write_int.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#define NO_NODE "(none)"

struct worker {
	struct zf_wpool *wp;
	pthread_t th;
	struct zf_ledger *ledger;
	uint16_t client;
};

struct zf_wpool {
	const struct zf_probe_spec *spec;
	const struct zf_wdriver *drv;
	struct zf_reqlog *log;
	struct zf_probe_ctl *ctl;
	struct zf_wshared shared;
	pthread_mutex_t mu;
	pthread_cond_t work;       /* workers: a write is queued, or closing */
	pthread_cond_t taken;      /* the dispatcher, once stopping */
	uint64_t next;             /* the oldest write not yet handed out */
	uint64_t hard_end;         /* stopping: nothing is sent from here */
	int closing;               /* no more writes will be queued */
	uint64_t not_sent;
	struct worker *w;
	int n_workers, n_started;
	struct zf_ledger *merged;
};

int zf_wpool_new(const struct zf_probe_spec *spec,
		 const struct zf_wdriver *drv, struct zf_reqlog *log,
		 struct zf_probe_ctl *ctl, struct zf_wpool **out)
{
	const struct zf_wspec *ws = spec->write;
	struct zf_wpool *wp;
	pthread_condattr_t ca;
	int n = ws->workers > 0 ? ws->workers : 1, rc = 0;

	wp = zf_xcalloc(1, sizeof(*wp));
	wp->w = zf_xcalloc((size_t)n, sizeof(*wp->w));
	wp->n_workers = n;
	for (int i = 0; rc == 0 && i < n; i++) {
		wp->w[i].wp = wp;
		rc = zf_ledger_new(ws->prefix, &wp->w[i].ledger);
		if (rc == 0)
			rc = zf_ledger_intern(wp->w[i].ledger, ws->client,
					      &wp->w[i].client);
	}
	if (rc == 0)
		rc = zf_ledger_new(ws->prefix, &wp->merged);
	wp->spec = spec;
	wp->drv = drv;
	wp->log = log;
	wp->ctl = ctl;
	wp->hard_end = UINT64_MAX;
	pthread_mutex_init(&wp->mu, NULL);
	pthread_mutex_init(&wp->shared.mu, NULL);
	pthread_cond_init(&wp->work, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&wp->taken, &ca);
	pthread_condattr_destroy(&ca);
	if (rc < 0) {
		zf_wpool_free(wp);
		return rc;
	}
	*out = wp;
	return 0;
}

/* Write K through CLIENT until DEADLINE and add it to W's ledger. */
static void one_write(struct worker *w, void *client, uint64_t k,
		      uint64_t deadline, struct zf_wres *res)
{
	struct zf_wpool *wp = w->wp;
	uint64_t t0 = wp->log->t0;
	char value[ZF_LEDGER_MAX_PREFIX + 24];
	struct zf_write e = { .id = k, .client = w->client };

	memset(res, 0, sizeof(*res));
	zf_ledger_value_text(w->ledger, k, value, sizeof(value));
	wp->drv->write(client, value, strlen(value), deadline, res);
	if (res->invoke_ns < zf_reqlog_at(wp->log, k))
		res->invoke_ns = zf_reqlog_at(wp->log, k);
	if (res->complete_ns < res->invoke_ns)
		res->complete_ns = res->invoke_ns;
	e.planned_ns = zf_reqlog_rel(wp->log, k);
	e.invoke_ns = res->invoke_ns - t0;
	e.complete_ns = res->complete_ns - t0;
	e.outcome = (uint8_t)res->c.out;
	if (zf_ledger_intern(w->ledger, res->node && res->node[0] ? res->node
			     : NO_NODE, &e.node) < 0)
		zf_ledger_intern(w->ledger, NO_NODE, &e.node);
	if (zf_ledger_add(w->ledger, &e, NULL) < 0)
		zf_warn("probe %s: write %llu not recorded in the ledger",
			wp->spec->name, (unsigned long long)k);
}

/* Can write K, taken at NOW, still be sent? (Called with the lock.) */
static int sendable(const struct zf_wpool *wp, uint64_t k, uint64_t now)
{
	return now < zf_reqlog_at(wp->log, k) + wp->log->timeout &&
	       now < wp->hard_end && k < ZF_LEDGER_MAX_WRITES;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct zf_wpool *wp = w->wp;
	void *client = NULL;
	struct zf_wres res;

	if (wp->drv->open(wp->spec->write, &wp->shared, &client) < 0)
		return NULL;
	pthread_mutex_lock(&wp->mu);
	for (;;) {
		uint64_t k, now, deadline;

		while (wp->next >= wp->log->planned && !wp->closing)
			pthread_cond_wait(&wp->work, &wp->mu);
		if (wp->next >= wp->log->planned)
			break;
		k = wp->next++;
		pthread_cond_signal(&wp->taken);
		now = zf_now_ns();
		if (!sendable(wp, k, now)) {
			zf_reqlog_finish(wp->log, k, now, ZF_OUT_TIMEOUT);
			wp->not_sent++;
			continue;
		}
		deadline = now + wp->log->timeout;
		if (deadline > wp->hard_end)
			deadline = wp->hard_end;
		pthread_mutex_unlock(&wp->mu);
		one_write(w, client, k, deadline, &res);
		pthread_mutex_lock(&wp->mu);
		zf_reqlog_finish(wp->log, k, res.complete_ns, res.c.cause);
	}
	pthread_mutex_unlock(&wp->mu);
	wp->drv->close(client);
	return NULL;
}

/* End the queued writes that can no longer be sent (with the lock). */
static void expire(struct zf_wpool *wp, uint64_t now)
{
	while (wp->next < wp->log->planned &&
	       (!wp->n_started || !sendable(wp, wp->next, now))) {
		zf_reqlog_finish(wp->log, wp->next, now,
				 wp->n_started ? ZF_OUT_TIMEOUT : ZF_OUT_OTHER);
		wp->not_sent++;
		wp->next++;
	}
}

/* When the dispatcher must look again: the next planned write, the
 * queue's oldest deadline, the hard end. */
static uint64_t next_wake(const struct zf_wpool *wp)
{
	const struct zf_reqlog *log = wp->log;
	uint64_t wake = wp->hard_end, t;

	if (log->planned < log->limit) {
		t = zf_reqlog_at(log, log->planned);
		wake = t < wake ? t : wake;
	}
	if (wp->next < log->planned) {
		t = zf_reqlog_at(log, wp->next) + log->timeout;
		wake = t < wake ? t : wake;
	}
	return wake;
}

/* Sleep until DEADLINE or the stop signal (before the stop). */
static void wait_stop(struct zf_probe_ctl *ctl, uint64_t deadline)
{
	struct pollfd pfd = { .fd = ctl->stop_fd, .events = POLLIN };
	uint64_t now = zf_now_ns(), d;
	struct timespec ts;

	if (deadline <= now)
		return;
	d = deadline - now;
	ts.tv_sec = (time_t)(d / ZF_NS_PER_S);
	ts.tv_nsec = (long)(d % ZF_NS_PER_S);
	ppoll(&pfd, 1, &ts, NULL);
}

/* Wait on the taken condition until DEADLINE (with the lock). */
static void wait_taken(struct zf_wpool *wp, uint64_t deadline)
{
	struct timespec ts = { (time_t)(deadline / ZF_NS_PER_S),
			       (long)(deadline % ZF_NS_PER_S) };

	if (deadline == UINT64_MAX)
		ts.tv_sec = (time_t)(UINT32_MAX);
	pthread_cond_timedwait(&wp->taken, &wp->mu, &ts);
}

/* Plan, queue and expire writes until stopped and the queue is empty
 * (with the lock held throughout, but while waiting). */
static void dispatch(struct zf_wpool *wp)
{
	uint64_t stop_at, hard_end, before, now;
	int stopping = 0;

	for (;;) {
		if (!stopping && zf_probe_ctl_stopped(wp->ctl, &stop_at,
						      &hard_end)) {
			stopping = 1;
			zf_reqlog_stop(wp->log, stop_at);
			wp->hard_end = hard_end;
		}
		now = zf_now_ns();
		before = wp->log->planned;
		zf_reqlog_plan(wp->log, now);
		if (wp->log->planned > before)
			pthread_cond_broadcast(&wp->work);
		expire(wp, now);
		if (stopping && wp->next >= wp->log->planned)
			return;
		if (stopping) {
			wait_taken(wp, next_wake(wp));
			continue;
		}
		pthread_mutex_unlock(&wp->mu);
		wait_stop(wp->ctl, next_wake(wp));
		pthread_mutex_lock(&wp->mu);
	}
}

/* One worker's entry, for sorting. */
struct ref {
	uint64_t id;
	int worker;
	size_t index;
};

static int cmp_ref(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Entry R of its worker's ledger into the merged one, names mapped. */
static int add_ref(struct zf_wpool *wp, const struct ref *r)
{
	const struct zf_ledger *src = wp->w[r->worker].ledger;
	struct zf_write e = zf_ledger_writes(src)[r->index];
	int rc = zf_ledger_intern(wp->merged, zf_ledger_name(src, e.client),
				  &e.client);

	if (rc == 0)
		rc = zf_ledger_intern(wp->merged, zf_ledger_name(src, e.node),
				      &e.node);
	return rc == 0 ? zf_ledger_add(wp->merged, &e, NULL) : rc;
}

/* The workers' ledgers into one, in id order (= planned order). */
static void merge(struct zf_wpool *wp)
{
	size_t n = 0, k = 0;
	struct ref *refs;
	int dropped = 0;

	for (int i = 0; i < wp->n_workers; i++)
		n += zf_ledger_count(wp->w[i].ledger);
	refs = zf_xcalloc(n + 1, sizeof(*refs));
	for (int i = 0; i < wp->n_workers; i++) {
		const struct zf_write *w = zf_ledger_writes(wp->w[i].ledger);

		for (size_t j = 0; j < zf_ledger_count(wp->w[i].ledger); j++)
			refs[k++] = (struct ref){ w[j].id, i, j };
	}
	qsort(refs, n, sizeof(*refs), cmp_ref);
	for (size_t j = 0; j < n; j++)
		dropped += add_ref(wp, &refs[j]) < 0;
	if (dropped)
		zf_warn("probe %s: %d writes did not fit the ledger",
			wp->spec->name, dropped);
	free(refs);
	for (int i = 0; i < wp->n_workers; i++) {
		zf_ledger_free(wp->w[i].ledger);
		wp->w[i].ledger = NULL;
	}
}

void zf_wpool_run(struct zf_wpool *wp)
{
	for (int i = 0; i < wp->n_workers; i++) {
		if (pthread_create(&wp->w[i].th, NULL, worker_main,
				   &wp->w[i]) != 0)
			break;
		wp->n_started++;
	}
	if (wp->n_started < wp->n_workers)
		zf_warn("probe %s: %d of %d write workers started",
			wp->spec->name, wp->n_started, wp->n_workers);
	pthread_mutex_lock(&wp->mu);
	dispatch(wp);
	wp->closing = 1;
	pthread_cond_broadcast(&wp->work);
	pthread_mutex_unlock(&wp->mu);
	for (int i = 0; i < wp->n_started; i++)
		pthread_join(wp->w[i].th, NULL);
	merge(wp);
}

struct zf_ledger *zf_wpool_ledger(struct zf_wpool *wp)
{
	return wp->merged;
}

uint64_t zf_wpool_not_sent(const struct zf_wpool *wp)
{
	return wp->not_sent;
}

int zf_wpool_workers(const struct zf_wpool *wp)
{
	return wp->n_workers;
}

void zf_wpool_free(struct zf_wpool *wp)
{
	if (!wp)
		return;
	for (int i = 0; i < wp->n_workers; i++)
		zf_ledger_free(wp->w[i].ledger);
	zf_ledger_free(wp->merged);
	free(wp->w);
	pthread_cond_destroy(&wp->work);
	pthread_cond_destroy(&wp->taken);
	pthread_mutex_destroy(&wp->shared.mu);
	pthread_mutex_destroy(&wp->mu);
	free(wp);
}
