/* lab_order.c - resolve "after" between a host's services and sort them into
 * a start order (stable: file order wherever "after" allows it). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/lab_load.h"
#include "util/mem.h"

/* S->after = indexes (in file order) of the services named by N. */
static int resolve_after(struct zf_ld *ld, const struct zf_host *h,
			 struct zf_service *s, const struct zf_ynode *n)
{
	char what[96];
	size_t count = 0;
	int rc;

	zf_fmt(what, sizeof(what), "'after' of service '%s'", s->name);
	rc = zf_sc_name_list(&ld->sc, n, "service", what, 1, ZF_MAX_SERVICES,
			     &count);
	if (rc < 0)
		return rc;
	s->after = zf_xcalloc(count, sizeof(*s->after));
	for (size_t i = 0; i < count; i++) {
		const struct zf_ynode *item = zf_sc_item(n, i);
		int idx = zf_host_find_service(h, item->str);

		if (idx < 0)
			return zf_sc_err(&ld->sc, item->mark, "service '%s' "
					 "is after unknown service '%s'; %s "
					 "'%s' has no such service", s->name,
					 item->str, h->is_client ? "client" :
					 "host", h->name);
		s->after[s->n_after++] = (size_t)idx;
	}
	return 0;
}

/* Is service I ready to start: every service it is after already placed? */
static int startable(const struct zf_host *h, size_t i,
		     const unsigned char *placed)
{
	const struct zf_service *s = &h->services[i];

	for (size_t j = 0; j < s->n_after; j++)
		if (!placed[s->after[j]])
			return 0;
	return 1;
}

/* Report a cycle among the unplaced services. Every unplaced service waits
 * for another unplaced one, so walking "after" edges must loop. */
static int report_cycle(struct zf_ld *ld, const struct zf_host *h,
			const unsigned char *placed,
			const struct zf_ynode *const *after)
{
	size_t path[ZF_MAX_SERVICES + 1], len = 0, cur = 0, start = 0;
	char chain[ZF_MAX_SERVICES * (ZF_NAME_MAX + 4) + 1] = "";
	size_t pos = 0, low;
	const struct zf_service *s;

	while (placed[cur])
		cur++;
	for (;;) {
		for (start = 0; start < len && path[start] != cur; start++)
			;
		if (start < len)
			break;
		path[len++] = cur;
		s = &h->services[cur];
		for (size_t j = 0; j < s->n_after; j++)
			if (!placed[s->after[j]]) {
				cur = s->after[j];
				break;
			}
	}
	low = start;   /* name the cycle from its first service in the file */
	for (size_t i = start; i < len; i++)
		if (path[i] < path[low])
			low = i;
	for (size_t k = 0; k <= len - start; k++) {
		size_t i = start + (low - start + k) % (len - start);
		int w = snprintf(chain + pos, sizeof(chain) - pos, "%s%s",
				 k ? " -> " : "", h->services[path[i]].name);

		pos += w > 0 ? (size_t)w : 0;
	}
	return zf_sc_err(&ld->sc, after[path[low]]->mark, "services of %s "
			 "'%s' wait for each other in 'after': %s",
			 h->is_client ? "client" : "host", h->name, chain);
}

/* Reorder H's services as ORDER (file indexes in start order) and rewrite
 * every "after" index accordingly. */
static void permute(struct zf_host *h, const size_t *order)
{
	size_t n = h->n_services, pos[ZF_MAX_SERVICES];
	struct zf_service *sorted = zf_xcalloc(n, sizeof(*sorted));

	for (size_t k = 0; k < n; k++) {
		sorted[k] = h->services[order[k]];
		pos[order[k]] = k;
	}
	for (size_t k = 0; k < n; k++)
		for (size_t j = 0; j < sorted[k].n_after; j++)
			sorted[k].after[j] = pos[sorted[k].after[j]];
	free(h->services);
	h->services = sorted;
}

int zf_ld_order(struct zf_ld *ld, struct zf_host *h,
		const struct zf_ynode *const *after)
{
	unsigned char placed[ZF_MAX_SERVICES] = { 0 };
	size_t order[ZF_MAX_SERVICES], n = h->n_services;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n; i++)
		if (after[i])
			rc = resolve_after(ld, h, &h->services[i], after[i]);
	for (size_t k = 0; rc == 0 && k < n; k++) {
		size_t i = 0;

		while (i < n && (placed[i] || !startable(h, i, placed)))
			i++;
		if (i == n)
			return report_cycle(ld, h, placed, after);
		placed[i] = 1;
		order[k] = i;
	}
	if (rc == 0)
		permute(h, order);
	return rc;
}
