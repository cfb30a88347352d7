/* an.h - the analysis of a run, in parts (private to src/report). The
 * definitions are those of docs/run-json.md; each part computes C values
 * that the others need, and builds its piece of the record. Times are
 * nanoseconds since t0, latencies nanoseconds, unless a name says ms. */
#ifndef ZF_REPORT_AN_H
#define ZF_REPORT_AN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "report/analysis.h"
#include "report/rj.h"

#define AN_NS_PER_S 1000000000ull
#define AN_NS_PER_MS 1000000ull
/* At most this many per-second samples (about 11.6 days). */
#define AN_SAMPLES_MAX 1000000u
/* At most this many outages per probe are listed in the timeline. */
#define AN_TIMELINE_OUTAGES 50u

/* Saturating addition of times. */
static inline uint64_t an_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* One event as the analysis sees it (events.c). */
struct an_event {
	int effective;          /* took effect: "applied", "reverted", "done" */
	int oneshot;            /* no revert was planned */
	int reverted;           /* revert_actual_ns is set */
	uint64_t start_ns;      /* its window: actual apply ... */
	uint64_t end_ns;        /* ... to actual revert, next event, or end */
};

/* The faults of a run: each event's window and the span they cover. */
struct an_faults {
	struct an_event *ev;    /* one per input event */
	size_t n;
	int have;               /* some event took effect */
	uint64_t on_ns;         /* the first one took effect */
	uint64_t off_ns;        /* the last revert, or the last one-shot
				   fault's apply if that came later */
	int off_oneshot;        /* off_ns is a one-shot fault's apply */
	int left_on;            /* a fault with a planned revert was never
				   reverted: no recovery, "during" to the end */
	uint64_t end_ns;        /* the run's end (duration) */
};

struct an_outage {
	uint64_t start_ns, end_ns;
	uint64_t requests;              /* planned within [start, end) */
	uint64_t slow;                  /* ok but slower than slow_ns */
	uint64_t failed[ZF_OUT_N];      /* by outcome; [ZF_OUT_OK] unused */
};

/* Latency statistics in ms (nearest rank); count 0: all absent. */
struct an_lat {
	uint64_t count;
	double p50, p90, p99, p999, max;
};
enum { AN_BEFORE, AN_DURING, AN_AFTER, AN_ALL, AN_NLAT };

/* One probe's measurements. */
struct an_probe {
	const struct zf_run_probe *p;
	const struct zf_req *req;       /* in planned order */
	struct zf_req *owned;           /* a sorted copy, when one was needed */
	size_t n;
	uint64_t *good_before;          /* [i]: good requests among req[0..i) */
	uint64_t ok, good, failed[ZF_OUT_N];
	uint64_t errors;                /* requests - ok */
	struct an_outage *out;
	size_t n_out;
	uint64_t outage_sum_ns, outage_max_ns;
	int have_impact, have_recovery;
	int unrecovered;                /* the outage in progress when the
					   faults stopped was still going when
					   the run ended */
	uint64_t impact_ns, recovery_ns;
	struct an_lat lat[AN_NLAT];
};

/* probe_stats.c: set up AP for P (sorted requests, counts, prefix sums) and
 * free it. */
void an_probe_init(struct an_probe *ap, const struct zf_run_probe *p);
void an_probe_free(struct an_probe *ap);
/* Is request R good / bad (failed, or ok but slow) for AP's probe? */
int an_req_good(const struct an_probe *ap, const struct zf_req *r);
/* Index of the first request planned at or after T. */
size_t an_lower_bound(const struct an_probe *ap, uint64_t t);
/* Requests planned in [A, B) and how many were good. */
void an_range(const struct an_probe *ap, uint64_t a, uint64_t b,
	      uint64_t *requests, uint64_t *good);
/* The "errors" object: failed requests by cause, every cause present. */
json_t *an_errors_json(const struct an_probe *ap);

/* events.c */
void an_faults_build(const struct zf_run_input *in, struct an_faults *f);
void an_faults_free(struct an_faults *f);
json_t *an_events_json(const struct zf_run_input *in,
		       const struct an_faults *f);
json_t *an_windows_json(const struct zf_run_input *in,
			const struct an_faults *f, const struct an_probe *ap);
/* "power-off zone r1/a" (with args when there are some) into BUF. */
void an_event_label(const struct zf_run_event *e, char *buf, size_t len);

/* outages.c */
void an_outages(struct an_probe *ap);
void an_impact_recovery(struct an_probe *ap, const struct an_faults *f);
json_t *an_outages_json(const struct an_probe *ap);
/* Is outage K still going when the probe's requests end (its last request
 * was bad)? */
int an_outage_open(const struct an_probe *ap, size_t k);
/* "timeout 100%" or "timeout 80%, refused 20%" (two largest) into BUF. */
void an_outage_causes(const struct an_outage *o, char *buf, size_t len);

/* chain.c: the observed fault chain ("chain") and the watcher's
 * observations ("observed"). */
json_t *an_chain_json(const struct zf_run_input *in, const struct an_faults *f,
		      const struct an_probe *aps, size_t n);
json_t *an_observed_json(const struct zf_run_input *in);

/* latency.c */
void an_sort_u64(uint64_t *v, size_t n);
/* Statistics of the sorted ns latencies V[0..N). */
void an_lat_of(const uint64_t *sorted, size_t n, struct an_lat *out);
/* The value at quantile Q of sorted V[0..N) (N > 0), nearest rank. */
uint64_t an_rank(const uint64_t *sorted, size_t n, double q);
void an_latency(struct an_probe *ap, const struct an_faults *f);
json_t *an_latency_json(const struct an_probe *ap);

/* samples.c */
json_t *an_samples_json(const struct an_probe *ap, uint64_t duration_ns);

/* histogram.c */
json_t *an_histogram_json(const struct an_probe *ap);

/* expects.c: the evaluated expectations; *ALL_PASS cleared on a failure. */
json_t *an_expects_json(const struct an_probe *ap, int *all_pass);

/* writes.c: a write probe's "write", "ledger" and "check" keys into
 * PROBE (nothing for other probes). */
json_t *an_write_json(const struct zf_run_probe *p, const struct an_faults *f);
void an_write_keys(json_t *probe, const struct zf_run_probe *p,
		   const struct an_faults *f);

/* verdict.c */
const char *an_verdict(const char *end_reason, int all_pass);
json_t *an_cost_json(const struct zf_run_input *in,
		     const struct an_probe *aps, size_t n);

/* timeline.c */
json_t *an_timeline_json(const struct zf_run_input *in,
			 const struct an_faults *f,
			 const struct an_probe *aps, size_t n,
			 const char *verdict);

#endif
