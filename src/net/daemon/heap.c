/* heap.c - a binary min-heap of held packets keyed by (release time,
 * arrival sequence): equal release times leave in arrival order. */
#include "net/daemon/linkemd.h"
#include "util/mem.h"

#include <stdlib.h>

static bool before(const struct lkd_pkt *a, const struct lkd_pkt *b)
{
	if (a->release_ns != b->release_ns)
		return a->release_ns < b->release_ns;
	return a->seq < b->seq;
}

static void swap(struct lkd_pkt **v, size_t i, size_t j)
{
	struct lkd_pkt *t = v[i];

	v[i] = v[j];
	v[j] = t;
}

static void sift_up(struct lkd_heap *h, size_t i)
{
	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!before(h->v[i], h->v[parent]))
			break;
		swap(h->v, i, parent);
		i = parent;
	}
}

static void sift_down(struct lkd_heap *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < h->n && before(h->v[l], h->v[m]))
			m = l;
		if (r < h->n && before(h->v[r], h->v[m]))
			m = r;
		if (m == i)
			return;
		swap(h->v, i, m);
		i = m;
	}
}

void lkd_heap_push(struct lkd_heap *h, struct lkd_pkt *p)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 1024;
		h->v = zf_xrealloc(h->v, h->cap * sizeof(*h->v));
	}
	h->v[h->n++] = p;
	sift_up(h, h->n - 1);
}

struct lkd_pkt *lkd_heap_top(const struct lkd_heap *h)
{
	return h->n ? h->v[0] : NULL;
}

struct lkd_pkt *lkd_heap_pop(struct lkd_heap *h)
{
	struct lkd_pkt *top;

	if (h->n == 0)
		return NULL;
	top = h->v[0];
	h->v[0] = h->v[--h->n];
	if (h->n)
		sift_down(h, 0);
	return top;
}

struct lkd_pkt *lkd_heap_take_queue(struct lkd_heap *h,
				    const struct lkd_queue *q)
{
	struct lkd_pkt *taken = NULL, **tail = &taken;
	size_t keep = 0;

	for (size_t i = 0; i < h->n; i++) {
		if (h->v[i]->q == q) {
			h->v[i]->next = NULL;
			*tail = h->v[i];
			tail = &h->v[i]->next;
		} else {
			h->v[keep++] = h->v[i];
		}
	}
	h->n = keep;
	for (size_t i = h->n / 2 + 1; i-- > 0;)
		sift_down(h, i);
	return taken;
}

void lkd_heap_free(struct lkd_heap *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}
