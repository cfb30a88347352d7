/* library_match.c - close matches for a scenario name that is not in the
 * library: "did you mean ...?". */
#include "spec/library.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

struct match {
	int score;           /* lower is closer */
	size_t idx;          /* into the (sorted) library: ties keep id order */
};

static const char *last_part(const char *s)
{
	const char *p = strrchr(s, '/');

	return p ? p + 1 : s;
}

/* Levenshtein distance of A and B, each cut at ZF_LIB_ID_MAX bytes. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t row[2][ZF_LIB_ID_MAX + 1];
	size_t na = strnlen(a, ZF_LIB_ID_MAX), nb = strnlen(b, ZF_LIB_ID_MAX);
	size_t *prev = row[0], *cur = row[1], *t;

	for (size_t j = 0; j <= nb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= na; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) :
					     (del < ins ? del : ins);
		}
		t = prev, prev = cur, cur = t;
	}
	return prev[nb];
}

/* How close ID is to NAME: 0 same last component, 1 ID contains NAME's
 * last component (3 bytes or more), 2 + edits when few; -1: not close. */
static int score(const char *id, const char *name)
{
	const char *nb = last_part(name), *ib = last_part(id);
	size_t d, d2, limit = strlen(nb) / 3;

	if (*nb == '\0')
		return -1;
	if (strcmp(ib, nb) == 0)
		return 0;
	if (strlen(nb) >= 3 && strstr(id, nb))
		return 1;
	d = edit_distance(name, id);
	d2 = edit_distance(nb, ib);
	if (d2 < d)
		d = d2;
	if (limit < 2)
		limit = 2;
	return d <= limit ? 2 + (int)d : -1;
}

static int cmp_match(const void *a, const void *b)
{
	const struct match *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

size_t zf_library_suggest(const struct zf_library *l, const char *name,
			  const char **out, size_t max)
{
	struct match *m;
	size_t n = 0;

	if (l->n == 0 || max == 0)
		return 0;
	m = zf_xcalloc(l->n, sizeof(*m));
	for (size_t i = 0; i < l->n; i++) {
		int s = score(l->ids[i], name);

		if (s >= 0)
			m[n++] = (struct match){ s, i };
	}
	qsort(m, n, sizeof(*m), cmp_match);
	if (n > max)
		n = max;
	for (size_t i = 0; i < n; i++)
		out[i] = l->ids[m[i].idx];
	free(m);
	return n;
}
