/* fault.c - the faults of the running config: matching a query (first in
 * file order wins), and carrying hit counts and 'stale' snapshots across
 * reloads by fault ID. */
#include "dns/daemon/dnsd.h"
#include "util/mem.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

struct dnsd_fault *dnsd_fault_match(struct dnsd_engine *e,
				    const char *resolver, const char *name)
{
	for (size_t i = 0; i < e->nfaults; i++) {
		struct dnsd_fault *f = &e->faults[i];

		if (strcmp(f->cfg.resolver, ZF_DNS_ANY_RESOLVER) != 0 &&
		    strcmp(f->cfg.resolver, resolver) != 0)
			continue;
		if (fnmatch(f->cfg.pattern, name, 0) != 0)
			continue;
		f->hits++;
		return f;
	}
	return NULL;
}

static const struct dnsd_fault *find_old(const struct dnsd_engine *e,
					 const char *id)
{
	for (size_t i = 0; i < e->nfaults; i++) {
		if (strcmp(e->faults[i].cfg.id, id) == 0)
			return &e->faults[i];
	}
	return NULL;
}

static void free_faults(struct dnsd_fault *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dnsd_zone_unref(f[i].snap);
	free(f);
}

void dnsd_engine_commit(struct dnsd_engine *e, const struct zf_dns_config *cfg,
			struct dnsd_zone *zone, uint64_t gen)
{
	size_t n = cfg->nfaults;
	struct dnsd_fault *nf = zf_xcalloc(n ? n : 1, sizeof(*nf));

	for (size_t i = 0; i < n; i++) {
		const struct dnsd_fault *old = find_old(e, cfg->faults[i].id);

		nf[i].cfg = cfg->faults[i];
		nf[i].hits = old ? old->hits : 0;
		if (nf[i].cfg.mode != ZF_DNS_FAULT_STALE)
			continue;
		/* The records as they were when this fault first appeared:
		 * kept while the fault stays stale, whatever reloads bring. */
		if (old && old->cfg.mode == ZF_DNS_FAULT_STALE && old->snap)
			nf[i].snap = dnsd_zone_ref(old->snap);
		else
			nf[i].snap = dnsd_zone_ref(zone);
	}
	free_faults(e->faults, e->nfaults);
	e->faults = nf;
	e->nfaults = n;
	dnsd_zone_unref(e->zone);
	e->zone = zone;
	e->udp_max = cfg->udp_max;
	e->gen = gen;
}

void dnsd_engine_drop_faults(struct dnsd_engine *e)
{
	free_faults(e->faults, e->nfaults);
	e->faults = NULL;
	e->nfaults = 0;
}
