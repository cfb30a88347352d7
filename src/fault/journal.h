/* journal.h - the lab's fault journal: <state>/journal, one tab-separated
 * line per event, appended and fsync'd:
 *     <wall-ns> <id> <event> <kind> <target> <args> <seed>
 * Events: begin (written before apply), applied, failed, reverting, reverted,
 * done (a one-shot fault such as kill, or power-on, has taken effect). A
 * fault is active from "begin" until reverted, failed or done. */
#ifndef ZF_FAULT_JOURNAL_H
#define ZF_FAULT_JOURNAL_H

#include <stddef.h>

#include "fault/fault.h"

/* Append one event; -EINVAL if a field holds a tab or newline. */
int zf_journal_append(const struct zf_labrt *rt, const char *id, const char *event,
		      const char *kind, const char *target, const char *args);

/* The same with the seed that "pick" selectors of TARGET were resolved
 * with (revert must pick the same hosts). */
int zf_journal_append_seeded(const struct zf_labrt *rt, const char *id,
			     const char *event, const char *kind,
			     const char *target, const char *args,
			     unsigned long long seed);

/* The id the next fault gets ("f<N+1>", N = faults begun so far). */
int zf_journal_next_id(const struct zf_labrt *rt, char *id, size_t len);

/* Faults whose last event is begin, applied or reverting, oldest first. */
int zf_journal_active(const struct zf_labrt *rt, struct zf_fault_info **out,
		      size_t *n);

/* Called for one active fault F with its target resolved (SEL); CTX as
 * given. Returns 0, or a negative errno with c->err set to stop. */
typedef int (*zf_active_fn)(struct zf_fctx *c, const struct zf_fault_info *f,
			    const struct zf_selection *sel, void *ctx);

/* The faults that compute a lab-wide state from every active fault of
 * their family (link emulation, DNS, limits, service overrides): call FN
 * for each active fault whose kind MATCH accepts, except the one with id
 * EXCLUDE (NULL: none), oldest first, with its target resolved against
 * the lab with its seed. Returns 0, or the first error (c->err set). */
int zf_journal_each_active(struct zf_fctx *c, int (*match)(const char *kind),
			   const char *exclude, zf_active_fn fn, void *ctx);

#endif
