/* ledger.h - the write ledger of a data-safety probe, and its final read.
 *
 * A write probe writes unique values that are never reused and records one
 * entry per write *attempt*: the value's id, the client that wrote it, the
 * node it was sent to, its planned / invoke / complete times and its
 * outcome class:
 *   ok       acknowledged by the system;
 *   fail     definitely not applied (the system said no before applying it:
 *            refused connection, an error reply such as NOREPLICAS);
 *   unknown  may or may not have been applied (timeout, reset after the
 *            request was sent, the run ended while it was in flight).
 * The value a probe writes is the ledger's PREFIX followed by the id in
 * decimal ("zf-20261122T034000-web-" + "1234"), so a value read back maps
 * to its id without a table. After the cool-down (and a settle time) the
 * probe reads the authoritative node once: the *final read* is the set of
 * values present there, or the record that the read failed or never
 * happened. probe/checker.h turns a ledger and its final read into the
 * lost / unexpected / recovered counts and the verdict.
 *
 * Times are nanoseconds since the run's t0 (CLOCK_MONOTONIC), like
 * probe.h's records; they are stored as given (not checked for order).
 *
 * Thread safety: none. Each probe thread keeps its own ledger (appending is
 * an amortised O(1) copy into a growable array, fine at thousands of writes
 * a second) and the ledgers are merged with zf_ledger_merge after the
 * threads are joined, like the latency histograms (probe/hist.h). Threads
 * that write the same collection must draw ids from disjoint ranges (for
 * example thread index << 40 | sequence): the checker refuses a ledger
 * holding one id twice.
 *
 * Allocation failure is fatal (util/mem.h); every other error is a
 * negative errno and leaves the ledger as it was. */
#ifndef ZF_PROBE_LEDGER_H
#define ZF_PROBE_LEDGER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define ZF_LEDGER_MAX_WRITES 2000000u   /* entries of one ledger */
#define ZF_LEDGER_MAX_READ 4000000u     /* values of one final read */
#define ZF_LEDGER_MAX_NAMES 1024u       /* distinct client/node names */
#define ZF_LEDGER_MAX_NAME 128u         /* bytes of a name */
#define ZF_LEDGER_MAX_PREFIX 64u        /* bytes of the value prefix */
#define ZF_LEDGER_MAX_VALUE 128u        /* bytes kept of a foreign value */
#define ZF_LEDGER_MAX_FOREIGN 100u      /* foreign values kept (all counted) */
#define ZF_LEDGER_MAX_ERROR 200u        /* bytes of a final read's error */
#define ZF_LEDGER_MAX_ID 0x7fffffffffffffffull   /* fits a JSON integer */
#define ZF_LEDGER_MAX_NS 0x7fffffffffffffffull

enum zf_wout { ZF_W_OK = 0, ZF_W_FAIL, ZF_W_UNKNOWN, ZF_W_N };

/* "ok", "fail", "unknown"; NULL past the end. */
const char *zf_wout_name(enum zf_wout o);

/* One write attempt. CLIENT and NODE index the ledger's names
 * (zf_ledger_intern). */
struct zf_write {
	uint64_t id;            /* <= ZF_LEDGER_MAX_ID, unique in the ledger */
	uint64_t planned_ns;    /* when the open-loop schedule planned it */
	uint64_t invoke_ns;     /* when it was sent */
	uint64_t complete_ns;   /* when its outcome was known (or given up) */
	uint16_t client;        /* the host that wrote it */
	uint16_t node;          /* the node it was sent to */
	uint8_t outcome;        /* enum zf_wout */
};

enum zf_fread_state {
	ZF_FREAD_NONE = 0,      /* never happened */
	ZF_FREAD_FAILED,        /* attempted and failed: no set to compare */
	ZF_FREAD_DONE,          /* the values present, below */
};

/* The final read, as recorded (read-only view; zf_ledger_final). Values of
 * the form PREFIX + decimal id (no sign, no leading zero, <= MAX_ID) are
 * kept as ids, in read order, duplicates included; anything else is
 * *foreign*: counted, and the first ZF_LEDGER_MAX_FOREIGN kept as text
 * (truncated to ZF_LEDGER_MAX_VALUE bytes, bytes outside printable ASCII
 * shown as '?'). */
struct zf_final_read {
	enum zf_fread_state state;
	int node;               /* name index, -1 if unknown */
	int have_t;             /* T_NS is set */
	uint64_t t_ns;          /* when the read completed (or failed) */
	char error[ZF_LEDGER_MAX_ERROR + 1];    /* FAILED: why; else "" */
	const uint64_t *ids;
	size_t n_ids;
	char *const *foreign;   /* n_foreign_kept strings */
	size_t n_foreign_kept;
	uint64_t n_foreign;     /* all foreign values read */
};

struct zf_ledger;

/* A new empty ledger whose values are PREFIX + id: 1..MAX_PREFIX bytes of
 * [A-Za-z0-9._:-], not ending in a digit (so no id can extend the prefix).
 * 0 and *OUT, or -EINVAL. */
int zf_ledger_new(const char *prefix, struct zf_ledger **out);
void zf_ledger_free(struct zf_ledger *l);

const char *zf_ledger_prefix(const struct zf_ledger *l);

/* The index of NAME (a client or node) in *IDX, adding it if new: 0, or
 * -EINVAL (empty, longer than MAX_NAME, control characters) or -E2BIG (more
 * than MAX_NAMES names). A linear scan: intern once, append with indices. */
int zf_ledger_intern(struct zf_ledger *l, const char *name, uint16_t *idx);
/* The name at IDX, or NULL if there is none. */
const char *zf_ledger_name(const struct zf_ledger *l, int idx);
size_t zf_ledger_n_names(const struct zf_ledger *l);

/* Append a copy of W; its index in *INDEX if INDEX is not NULL. 0, or
 * -EINVAL (id above MAX_ID, a time above MAX_NS, outcome or name index out
 * of range) or -E2BIG (the ledger holds MAX_WRITES). Ids are not checked
 * for uniqueness here (see zf_check_run). */
int zf_ledger_add(struct zf_ledger *l, const struct zf_write *w,
		  size_t *index);
/* Settle the outcome of the entry at INDEX (added as unknown when it was
 * sent, say): 0 or -EINVAL. */
int zf_ledger_settle(struct zf_ledger *l, size_t index, enum zf_wout outcome,
		     uint64_t complete_ns);

size_t zf_ledger_count(const struct zf_ledger *l);
/* The entries in append order (valid until the next add or merge). */
const struct zf_write *zf_ledger_writes(const struct zf_ledger *l);

/* Append every entry of SRC to DST, mapping SRC's names to DST's; DST's
 * final read is kept (the probe reads once, after merging). 0, or -EINVAL
 * (the prefixes differ, or DST is SRC) or -E2BIG (too many entries or
 * names): then DST's entries are unchanged, though it may have gained
 * names. */
int zf_ledger_merge(struct zf_ledger *dst, const struct zf_ledger *src);

/* The value text of ID into BUF: 0, or -ENAMETOOLONG (BUF is then a
 * truncated string). */
int zf_ledger_value_text(const struct zf_ledger *l, uint64_t id, char *buf,
			 size_t len);
/* The id of value text V (LEN bytes, not necessarily terminated): 0 and
 * *ID, or -ENOENT when V is not PREFIX + a canonical decimal id. */
int zf_ledger_value_id(const struct zf_ledger *l, const char *v, size_t len,
		       uint64_t *id);

/* Start the final read: it happened, at T_NS, from NODE (a name, or NULL
 * when unknown); any values recorded before are dropped. 0 or -EINVAL/
 * -E2BIG (NODE as zf_ledger_intern). */
int zf_ledger_final_begin(struct zf_ledger *l, const char *node,
			  uint64_t t_ns);
/* One value of the final read, LEN bytes as read (binary allowed). 0,
 * -EINVAL when no read was begun, -E2BIG past MAX_READ values. */
int zf_ledger_final_value(struct zf_ledger *l, const char *v, size_t len);
/* The final read failed (or could not start): no set of values. WHY is
 * kept (truncated to MAX_ERROR bytes, control characters as '?'); NODE
 * may be NULL; HAVE_T says whether T_NS is meaningful. Values recorded
 * before are dropped. 0 or -EINVAL/-E2BIG (NODE as zf_ledger_intern). */
int zf_ledger_final_fail(struct zf_ledger *l, const char *node, int have_t,
			 uint64_t t_ns, const char *why);
/* The final read as recorded (state NONE until begun or failed). The view
 * is valid until the ledger next changes. */
void zf_ledger_final(const struct zf_ledger *l, struct zf_final_read *out);

/* The ledger and its final read as a compact JSON object (docs/run-json.md,
 * "Write ledger"): a new reference. */
json_t *zf_ledger_to_json(const struct zf_ledger *l);
/* Rebuild a ledger from J, as written by zf_ledger_to_json. Checks every
 * type, range and cap (MAX_WRITES, MAX_READ, MAX_NAMES, MAX_NAME,
 * MAX_PREFIX, MAX_VALUE, MAX_FOREIGN, MAX_ERROR), name indices and id
 * uniqueness. 0 and a new ledger in *OUT, or -EINVAL with what is wrong
 * (and where: "writes[12][3]") in ERR; *OUT is untouched on error. */
int zf_ledger_from_json(const json_t *j, struct zf_ledger **out, char *err,
			size_t errlen);

#endif
