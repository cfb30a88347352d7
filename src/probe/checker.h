/* checker.h - the lost-acknowledged-write checker: a write ledger and its
 * final read (probe/ledger.h) against set semantics, as in Jepsen's set
 * checker (docs/data-safety.md).
 *
 * Every write attempted is in exactly one outcome class: acknowledged
 * (ok), failed or unknown. Against the final read:
 *   lost        acknowledged, absent from the final read;
 *   recovered   present though not acknowledged (failed or unknown); a
 *               *failed* write that is present means the system reported a
 *               failure for a write it applied: counted in recovered and
 *               in recovered_failed, and listed;
 *   unexpected  present but never attempted (an id the ledger lacks, or a
 *               value not of the probe's form: "foreign");
 *   duplicates  extra copies of a value in the read (a set has none; a
 *               list or table with copies applied a write twice).
 * Verdict: valid when nothing acknowledged is lost and nothing unexpected
 * is present; invalid otherwise; unknown — never valid — when there is no
 * final read (it failed, or never happened). Failed writes that appear
 * and duplicates are reported, but do not change the verdict.
 *
 * The checker is a pure function of the ledger: no locking, no I/O. */
#ifndef ZF_PROBE_CHECKER_H
#define ZF_PROBE_CHECKER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/ledger.h"

#define ZF_CHECK_MAX_IDS 100u          /* ids listed per class */
#define ZF_CHECK_MAX_SECS 1000000u     /* seconds of per-second counts */

enum zf_check_verdict {
	ZF_CHECK_VALID = 0,
	ZF_CHECK_INVALID,
	ZF_CHECK_UNKNOWN,       /* no final read */
};

/* "valid", "invalid", "unknown". */
const char *zf_check_verdict_name(enum zf_check_verdict v);

/* One write, for the lost window. */
struct zf_check_write {
	uint64_t id;
	uint64_t invoke_ns, complete_ns;
};

/* Outcomes of the writes planned in one second of the run. */
struct zf_check_sec {
	uint32_t ok, fail, unknown;
};

/* A capped list of ids, ascending: the first ZF_CHECK_MAX_IDS of the class
 * (its count says how many there are in all). */
struct zf_check_ids {
	uint64_t id[ZF_CHECK_MAX_IDS];
	size_t n;
};

struct zf_check {
	enum zf_check_verdict verdict;
	int have_read;                  /* a final read to compare with */
	/* every write attempted, by outcome (known without a final read) */
	uint64_t attempted, acknowledged, failed, unknown;
	/* against the final read (0 without one) */
	uint64_t read_values;           /* values read, copies included */
	uint64_t duplicates;            /* copies beyond the first */
	uint64_t lost;
	uint64_t unexpected;            /* never attempted: ids + foreign */
	uint64_t unexpected_foreign;    /* of which not of the probe's form */
	uint64_t recovered;             /* failed or unknown, yet present */
	uint64_t recovered_failed;      /* of which failed: the system lied */
	struct zf_check_ids lost_ids, unexpected_ids, recovered_failed_ids;
	/* The lost window, an RPO estimate: the lost writes invoked first
	 * and last (by invoke time, then id); SPAN_NS = last's complete -
	 * first's invoke (0 if negative). Set when LOST > 0. */
	int have_lost_window;
	struct zf_check_write first_lost, last_lost;
	uint64_t lost_span_ns;
	/* Outcomes per second of planned time: SECS[s] counts writes planned
	 * in [s, s+1) s; N_SECS = the last such second + 1, at most
	 * ZF_CHECK_MAX_SECS (writes planned later are in SECS_DROPPED). */
	struct zf_check_sec *secs;
	size_t n_secs;
	uint64_t secs_dropped;
};

/* Check ledger L (its writes and final read) into *OUT, which owns the
 * per-second array (zf_check_free). 0, or -EINVAL when two writes share an
 * id (ledgers merged from threads whose ids overlap): *OUT is then empty
 * (safe to free). */
int zf_check_run(const struct zf_ledger *l, struct zf_check *out);
void zf_check_free(struct zf_check *c);

/* The value of data-safety metric NAME ("lost", "acknowledged", "valid"
 * (1 or 0), ...: spec/expect.h's list) in *V. 0; -ENODATA when it needs a
 * final read and there was none (lost, unexpected, recovered, valid);
 * -ENOENT for an unknown name. */
int zf_check_value(const struct zf_check *c, const char *name, double *v);

enum zf_check_eval {
	ZF_EVAL_PASS = 0,
	ZF_EVAL_FAIL,
	ZF_EVAL_UNKNOWN,        /* not measurable: no final read */
};

/* "pass", "fail", "unknown". */
const char *zf_check_eval_name(enum zf_check_eval r);

struct zf_expect;

/* Evaluate data-safety expectation E ("lost == 0", spec/expect.h) against
 * C into *RES (and the measurement into *MEASURED when measurable, if not
 * NULL). Without a final read, expectations on lost, unexpected, recovered
 * and valid are ZF_EVAL_UNKNOWN, never pass. 0, or -EINVAL when E is not a
 * data-safety expectation (then *RES is ZF_EVAL_UNKNOWN). */
int zf_check_expect(const struct zf_check *c, const struct zf_expect *e,
		    enum zf_check_eval *res, double *measured);

/* C as JSON (docs/run-json.md, "Data-safety check"): a new reference.
 * Times in seconds since t0, ids as integers. */
json_t *zf_check_to_json(const struct zf_check *c);

#endif
