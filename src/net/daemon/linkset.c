/* linkset.c - the links of one config generation, with their profiles
 * (seeded PRNG state) and counters. Reference-counted: the daemon holds
 * the current set, and every held packet holds the set it arrived under. */
#include "net/daemon/linkemd.h"
#include "util/mem.h"

#include <stdlib.h>

struct lkd_linkset *lkd_linkset_new(const struct zf_lk_config *cfg,
				    uint64_t gen)
{
	struct lkd_linkset *ls = zf_xcalloc(1, sizeof(*ls));

	ls->refs = 1;
	ls->gen = gen;
	ls->n = cfg->nlinks;
	ls->links = zf_xcalloc(ls->n ? ls->n : 1, sizeof(*ls->links));
	for (size_t i = 0; i < ls->n; i++) {
		struct lkd_link *l = &ls->links[i];

		l->cfg = cfg->links[i];
		/* A link without seed= gets a random one; it is reported in
		 * the stats so a drill can be replayed with it. */
		if (!l->cfg.has_seed) {
			l->cfg.seed = zf_lk_seed_random();
			l->cfg.has_seed = true;
		}
		zf_lk_profile_init(&l->prof, &l->cfg, l->cfg.seed);
	}
	return ls;
}

void lkd_linkset_unref(struct lkd_linkset *ls)
{
	if (!ls || --ls->refs > 0)
		return;
	for (size_t i = 0; i < ls->n; i++) {
		free(ls->links[i].st.added);
		free(ls->links[i].st.error);
	}
	free(ls->links);
	free(ls);
}
