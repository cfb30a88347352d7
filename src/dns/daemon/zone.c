/* zone.c - the records of one config as answerable data: a hash table of
 * names (open addressing, FNV-1a) whose nodes hold prebuilt ldns records.
 * A zone is immutable once built, except for its round-robin positions;
 * it is shared by reference between the engine and 'stale' snapshots. */
#include "dns/daemon/dnsd.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_name(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

struct dnsd_node *dnsd_zone_find(const struct dnsd_zone *z, const char *name)
{
	size_t i;

	if (!z->table)
		return NULL;
	for (i = hash_name(name) & z->mask; z->table[i]; i = (i + 1) & z->mask) {
		if (strcmp(z->table[i]->name, name) == 0)
			return z->table[i];
	}
	return NULL;
}

/* Put N into TABLE (MASK + 1 slots, never full). */
static void place(struct dnsd_node **table, size_t mask, struct dnsd_node *n)
{
	size_t i = hash_name(n->name) & mask;

	while (table[i])
		i = (i + 1) & mask;
	table[i] = n;
}

/* Keep the table at most half full. */
static void grow(struct dnsd_zone *z)
{
	size_t slots = z->table ? (z->mask + 1) * 2 : 64;
	struct dnsd_node **t;

	if (z->table && (z->nnodes + 1) * 2 <= z->mask + 1)
		return;
	t = zf_xcalloc(slots, sizeof(*t));
	for (struct dnsd_node *n = z->nodes; n; n = n->next)
		place(t, slots - 1, n);
	free(z->table);
	z->table = t;
	z->mask = slots - 1;
}

struct dnsd_node *dnsd_zone_get(struct dnsd_zone *z, const char *name)
{
	struct dnsd_node *n = dnsd_zone_find(z, name);

	if (n)
		return n;
	grow(z);
	n = zf_xcalloc(1, sizeof(*n));
	n->name = zf_xstrdup(name);
	n->next = z->nodes;
	z->nodes = n;
	z->nnodes++;
	place(z->table, z->mask, n);
	return n;
}

struct dnsd_zone *dnsd_zone_ref(struct dnsd_zone *z)
{
	if (z)
		z->refs++;
	return z;
}

static void node_free(struct dnsd_node *n)
{
	for (uint32_t i = 0; i < n->na; i++)
		ldns_rr_free(n->a[i]);
	free(n->a);
	free(n->down);
	if (n->cname)
		ldns_rr_free(n->cname);
	free(n->name);
	free(n);
}

void dnsd_zone_unref(struct dnsd_zone *z)
{
	if (!z || --z->refs > 0)
		return;
	while (z->nodes) {
		struct dnsd_node *n = z->nodes;

		z->nodes = n->next;
		node_free(n);
	}
	if (z->soa)
		ldns_rr_free(z->soa);
	if (z->ns)
		ldns_rr_free(z->ns);
	free(z->table);
	free(z);
}
