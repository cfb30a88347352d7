/* scenario_steps.c - a scenario's timeline: fault steps with their times
 * (time-scaled), fault names, targets, arguments and durations, sorted by
 * time with ties kept in file order. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "spec/scenario_load.h"
#include "util/log.h"
#include "util/mem.h"

#define ACTION_MAX 31         /* sizeof(zf_scn_step.action) - 1 */

enum step_field { S_AT, S_DO, S_TARGET, S_ARGS, S_FOR, S_COUNT };

/* "do": a fault name, [a-z][a-z0-9-]*; the engine checks it exists. */
static int parse_action(struct zf_sl *sl, struct zf_scn_step *st,
			const struct zf_ynode *n, const char *what)
{
	char where[64];
	const char *t;
	size_t len;
	int rc;

	zf_fmt(where, sizeof(where), "'do' of %s", what);
	rc = zf_sl_text(sl, n, where, &t);
	if (rc < 0)
		return rc;
	len = strlen(t);
	if (len == 0 || len > ACTION_MAX || t[0] < 'a' || t[0] > 'z' ||
	    strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789-") != len)
		return zf_sc_err(&sl->sc, n->mark, "expected a fault name like "
				 "power-off for %s, got '%.64s'", where, t);
	memcpy(st->action, t, len + 1);
	return 0;
}

static int parse_target(struct zf_sl *sl, struct zf_scn_step *st,
			const struct zf_ynode *n, const char *what)
{
	char where[64];
	int rc;

	zf_fmt(where, sizeof(where), "'target' of %s", what);
	rc = zf_sl_strdup(sl, n, where, &st->target);
	if (rc == 0 && st->target[strspn(st->target, " \t\n")] == '\0')
		rc = zf_sc_err(&sl->sc, n->mark, "empty %s: expected a "
			       "selector like 'zone r1/a'", where);
	return rc;
}

/* Optional "for": a positive duration, time-scaled. */
static int parse_for(struct zf_sl *sl, struct zf_scn_step *st,
		     const struct zf_ynode *n, const char *what)
{
	char where[64];
	uint64_t raw;
	int rc;

	if (!n)
		return 0;
	zf_fmt(where, sizeof(where), "'for' of %s", what);
	rc = zf_sl_duration(sl, n, where, 0, &raw);
	if (rc == 0 && raw == 0)
		rc = zf_sc_err(&sl->sc, n->mark, "%s must be longer than 0 "
			       "(leave it out when the step is not reverted)",
			       where);
	if (rc == 0)
		rc = zf_sl_duration(sl, n, where, 1, &st->for_ns);
	return rc;
}

/* Step I (0-based) of "steps:", the mapping M. */
static int parse_step(struct zf_sl *sl, struct zf_scn_step *st,
		      const struct zf_ynode *m, size_t i)
{
	struct zf_sc_field f[S_COUNT] = {
		[S_AT] = { .name = "at" }, [S_DO] = { .name = "do" },
		[S_TARGET] = { .name = "target" }, [S_ARGS] = { .name = "args" },
		[S_FOR] = { .name = "for" },
	};
	char what[32], where[64];
	int rc;

	zf_fmt(what, sizeof(what), "step %zu", i + 1);
	st->mark = m->mark;
	rc = zf_sc_fields(&sl->sc, m, what, f, S_COUNT);
	for (int k = S_AT; rc == 0 && k <= S_TARGET; k++)
		rc = zf_sc_require(&sl->sc, m, what, &f[k]);
	zf_fmt(where, sizeof(where), "'at' of %s", what);
	if (rc == 0)
		rc = zf_sl_duration(sl, f[S_AT].val, where, 1, &st->at_ns);
	if (rc == 0)
		rc = parse_action(sl, st, f[S_DO].val, what);
	if (rc == 0)
		rc = parse_target(sl, st, f[S_TARGET].val, what);
	zf_fmt(where, sizeof(where), "'args' of %s", what);
	if (rc == 0 && f[S_ARGS].val)
		rc = zf_sl_strdup(sl, f[S_ARGS].val, where, &st->args);
	if (rc == 0 && !st->args)
		st->args = zf_xstrdup("");
	if (rc == 0)
		rc = parse_for(sl, st, f[S_FOR].val, what);
	return rc;
}

struct order {
	uint64_t at;
	size_t index;
};

static int cmp_order(const void *a, const void *b)
{
	const struct order *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Sort STEPS (N) by time; equal times keep their order. */
static void sort_steps(struct zf_scn_step *steps, size_t n)
{
	struct order *o = zf_xcalloc(n, sizeof(*o));
	struct zf_scn_step *sorted = zf_xcalloc(n, sizeof(*sorted));

	for (size_t i = 0; i < n; i++) {
		o[i].at = steps[i].at_ns;
		o[i].index = i;
	}
	qsort(o, n, sizeof(*o), cmp_order);
	for (size_t i = 0; i < n; i++)
		sorted[i] = steps[o[i].index];
	memcpy(steps, sorted, n * sizeof(*steps));
	free(sorted);
	free(o);
}

int zf_sl_steps(struct zf_sl *sl, const struct zf_ynode *n)
{
	struct zf_scenario *s = sl->s;
	int rc = 0;

	if (zf_sc_absent(n))
		return 0;
	if (n->kind != ZF_YSEQ)
		return zf_sc_err(&sl->sc, n->mark, "expected a list of steps "
				 "for 'steps', got %s", zf_ynode_kind_name(n));
	if (n->n > ZF_SCN_MAX_STEPS)
		return zf_sc_err(&sl->sc, n->kids[ZF_SCN_MAX_STEPS]->mark,
				 "more than %d steps in 'steps'",
				 ZF_SCN_MAX_STEPS);
	s->steps = zf_xcalloc(n->n, sizeof(*s->steps));
	for (size_t i = 0; rc == 0 && i < n->n; i++) {
		s->n_steps++;
		rc = parse_step(sl, &s->steps[i], n->kids[i], i);
	}
	if (rc == 0)
		sort_steps(s->steps, s->n_steps);
	return rc;
}
