/* fault.h - the common interface of every fault family.
 *
 * A fault kind has an apply, an optional revert and a verify. The engine
 * around them (fault.c) owns the safety rules: the fault is written to the
 * lab's journal and fsync'd *before* it is applied, verified after apply and
 * after revert, and `recover` reverts whatever the journal shows as still
 * applied — even when the process that applied it was SIGKILLed. */
#ifndef ZF_FAULT_FAULT_H
#define ZF_FAULT_FAULT_H

#include <stddef.h>

#include "lab/labrt.h"
#include "lab/topo.h"
#include "spec/selector.h"

#define ZF_FAULT_ID_MAX 16
#define ZF_FAULT_TEXT_MAX 256

struct zf_fault {
	char id[ZF_FAULT_ID_MAX];         /* "f3": unique within the lab */
	const struct zf_fault_kind *kind;
	char target[ZF_FAULT_TEXT_MAX];   /* the selector as written */
	char args[ZF_FAULT_TEXT_MAX];     /* extra words, e.g. a signal name */
	unsigned long long seed;          /* for "pick" in TARGET */
	struct zf_selection sel;          /* TARGET resolved against the lab
					     (its first side for two-sided
					     kinds: "A" of "A | B") */
	struct zf_selection sel2;         /* two-sided kinds: the second side;
					     all zero otherwise */
};

struct zf_fgear;

/* What a fault implementation gets: the lab, its namespaces (opened on
 * first use) and a place for the message of an error it returns. */
struct zf_fctx {
	struct zf_labrt *rt;
	struct zf_topo topo;
	int topo_open;
	struct zf_fgear *gear;   /* gear namespaces opened one by one */
	char err[512];
};

/* Open the lab's namespaces into C->topo if not yet done (every one,
 * hosts included: the cost grows with the lab). */
int zf_fctx_topo(struct zf_fctx *c);

/* The fd of gear namespace G/INDEX (enum zf_gear), opened on first use
 * and kept until the context ends (net_gear.c). Returns the fd, or a
 * negative errno with c->err set. */
int zf_fctx_gear(struct zf_fctx *c, int g, size_t index);

/* Run nftables CMDS (one transaction) in gear G/INDEX through a
 * libnftables context kept for the life of C. If OUT is not NULL it gets
 * the malloc'd output. 0, or a negative errno with c->err set. */
int zf_fctx_nft(struct zf_fctx *c, int g, size_t index, const char *cmds,
		char **out);

/* Release what zf_fctx_gear/zf_fctx_nft opened (fault.c calls it). */
void zf_fctx_gear_close(struct zf_fctx *c);

struct zf_fault_kind {
	const char *name;       /* "power-off" */
	const char *usage;      /* "power-off TARGET" */
	const char *summary;    /* one line for `inject --help` */
	const char *ends;       /* applying this ends active faults of that kind
				   whose targets it covers and whose ARGS are
				   the same or this one's are empty
				   ("power-on" ends "power-off"); NULL
				   otherwise */
	const char *sep;        /* two-sided kinds: the word between the two
				   selectors of TARGET ("|" for "A | B", "->"
				   for "A -> B"), resolved into sel and sel2;
				   NULL for one selector */
	int named;              /* TARGET names an object of the kind's own
				   (a VIP), not a selector: it is not
				   resolved, sel selects nothing and check
				   reads TARGET */
	/* Check ARGS and the resolved selection before anything is journaled;
	 * -EINVAL with c->err set when the fault cannot act on them. */
	int (*check)(struct zf_fctx *c, const struct zf_fault *f);
	/* -EALREADY when the target was found already in the faulted state
	 * (another fault's work) and nothing was changed: the engine then
	 * records the fault as failed without reverting it. */
	int (*apply)(struct zf_fctx *c, const struct zf_fault *f);
	/* NULL for one-shot faults (kill, restart): nothing to undo. */
	int (*revert)(struct zf_fctx *c, const struct zf_fault *f);
	/* 0 when the fault's effect is present (APPLIED=1) or gone (0). */
	int (*verify)(struct zf_fctx *c, const struct zf_fault *f, int applied);
};

/* The registry. */
const struct zf_fault_kind *zf_fault_kind_find(const char *name);
/* NULL-terminated list of every kind, in help order. */
const struct zf_fault_kind *const *zf_fault_kinds(void);

/* Split the TARGET of a two-sided kind at SEP ("zone a | zone b") into its
 * two selectors, trimmed, into A and B. -EINVAL with ERR set when SEP is
 * missing, appears twice or leaves a side empty; -ENAMETOOLONG if a side
 * does not fit. */
int zf_fault_split(const char *target, const char *sep, char *a, size_t alen,
		   char *b, size_t blen, char *err, size_t errlen);

/* Inject KIND on TARGET of the lab: resolve, check, journal, apply, verify.
 * On success the new fault's id is copied to ID. On failure after apply
 * started, the fault is reverted (best effort) before returning. */
int zf_fault_inject(struct zf_labrt *rt, const char *kind, const char *target,
		    const char *args, char *id, size_t idlen, char *err,
		    size_t errlen);

/* The same, resolving "pick" selectors in TARGET with SEED (kept in the
 * journal so that revert picks the same targets). */
int zf_fault_inject_seeded(struct zf_labrt *rt, const char *kind,
			   const char *target, const char *args,
			   unsigned long long seed, char *id, size_t idlen,
			   char *err, size_t errlen);

/* Check that KIND exists and TARGET resolves (with SEED) and fits it,
 * without touching anything. -EINVAL with ERR set. */
int zf_fault_check(struct zf_labrt *rt, const char *kind, const char *target,
		   const char *args, unsigned long long seed, char *err,
		   size_t errlen);

/* Revert fault ID, or every active fault (newest first) when ID is NULL.
 * Returns 0 or the first error; continues with the others. *N_REVERTED
 * (may be NULL) counts what was reverted. */
int zf_fault_revert(struct zf_labrt *rt, const char *id, size_t *n_reverted,
		    char *err, size_t errlen);

/* The same, for a caller holding the lab's lock (zf_labrt_lock). */
int zf_fault_revert_locked(struct zf_labrt *rt, const char *id, size_t *n_reverted,
			   char *err, size_t errlen);

/* What the link emulator did to the packets of link fault ID (delay, loss,
 * reorder, corrupt, duplicate) so far, one line into BUF: "emulator: N
 * packets, D dropped, ...; delay added p50 A ms, p99 B ms". -ENOENT when it
 * has no link of that fault. */
int zf_fault_link_delivered(const struct zf_labrt *rt, const char *id, char *buf,
			    size_t len);

/* What the lab's DNS server did for DNS fault ID so far: "dns server: N
 * queries answered by the fault". -ENOENT when it has none of it. */
int zf_fault_dns_delivered(const struct zf_labrt *rt, const char *id, char *buf,
			   size_t len);

/* What the FUSE daemons of disk fault ID of KIND (disk-slow, disk-error)
 * did so far, summed over its hosts: "disk: N operations on H hosts, D
 * delayed (+X ms each)" or "..., F failed". -ENOENT when none runs. */
int zf_fault_disk_delivered(const struct zf_labrt *rt, const char *kind, const char *id,
			    char *buf, size_t len);

/* What was delivered for fault ID of KIND, by the helper daemon that
 * carries it out (link emulator, DNS server, disk daemon); -ENOENT for
 * kinds without one. Read it before the revert: the counters go with the
 * fault. */
int zf_fault_delivered(const struct zf_labrt *rt, const char *kind, const char *id,
		       char *buf, size_t len);

/* Active (applied, not reverted) faults from the journal. */
struct zf_fault_info {
	char id[ZF_FAULT_ID_MAX];
	char kind[32];
	char target[ZF_FAULT_TEXT_MAX];
	char args[ZF_FAULT_TEXT_MAX];
	unsigned long long seed;
	unsigned long long applied_wall_ns;
};
int zf_fault_list_active(const struct zf_labrt *rt, struct zf_fault_info **out,
			 size_t *n);

#endif
