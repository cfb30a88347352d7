/* linkem_config_model.c - building and checking a struct zf_lk_config:
 * the rules every record must follow, whether it came from the file or
 * from the lab side's builder calls. */
#include "net/linkem_config.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const dist_names[] = {
	[ZF_LK_DIST_UNIFORM] = "uniform",
	[ZF_LK_DIST_NORMAL] = "normal",
	[ZF_LK_DIST_PARETO] = "pareto",
	[ZF_LK_DIST_PARETONORMAL] = "paretonormal",
};

const char *zf_lk_dist_name(enum zf_lk_dist d)
{
	if ((unsigned)d >= sizeof(dist_names) / sizeof(dist_names[0]))
		return "?";
	return dist_names[d];
}

int zf_lk_dist_parse(const char *s, enum zf_lk_dist *out)
{
	for (unsigned i = 0; i < sizeof(dist_names) / sizeof(dist_names[0]);
	     i++) {
		if (strcmp(s, dist_names[i]) == 0) {
			*out = (enum zf_lk_dist)i;
			return 0;
		}
	}
	return -EINVAL;
}

int zf_lk_link_init(struct zf_lk_link_cfg *link, const char *name,
		    uint32_t queue)
{
	memset(link, 0, sizeof(*link));
	link->queue = queue;
	link->iif = ZF_LK_IF_ANY;
	link->oif = ZF_LK_IF_ANY;
	link->dist = ZF_LK_DIST_UNIFORM;
	return zf_fmt(link->name, sizeof(link->name), "%s", name);
}

/* A word the file grammar can carry: printable ASCII, no '#' first.
 * Names also exclude '=', '"' and '\\' (they are reported in JSON). */
static bool word_ok(const char *s, size_t max, bool is_name)
{
	size_t n = strlen(s);

	if (n == 0 || n > max || s[0] == '#')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 0x21 || s[i] > 0x7e)
			return false;
		if (is_name && strchr("=\"\\", s[i]))
			return false;
	}
	return true;
}

static bool pct_ok(double v)
{
	return !isnan(v) && v >= 0.0 && v <= 100.0;
}

/* The loss model: burst= and loss_corr= both define the Markov chain. */
static int validate_loss(const struct zf_lk_link_cfg *l, char *err,
			 size_t errlen)
{
	double p = l->loss / 100.0;

	if (l->burst == 0.0)
		return 0;
	if (isnan(l->burst) || l->burst < 1.0 || l->burst > 1e6)
		snprintf(err, errlen, "burst= expects a mean burst length "
			 "1..1000000");
	else if (l->loss_corr != 0.0)
		snprintf(err, errlen, "burst= and loss_corr= set the same loss "
			 "model: expected only one of them");
	else if (p <= 0.0 || p >= 1.0)
		snprintf(err, errlen, "burst= expects loss= above 0 and below "
			 "100");
	else if (l->burst < p / (1.0 - p) * (1.0 - 1e-9))
		snprintf(err, errlen, "burst=%g is too short for loss=%g%% "
			 "(expected burst >= %.3f)", l->burst, l->loss,
			 p / (1.0 - p));
	else
		return 0;
	return -EINVAL;
}

int zf_lk_link_validate(const struct zf_lk_link_cfg *l, char *err,
			size_t errlen)
{
	const char *bad = NULL;

	if (!word_ok(l->name, ZF_LK_NAME_MAX, true))
		bad = "a link name of 1..63 printable characters without "
		      "spaces, '=', '\"' or '\\'";
	else if ((l->iif < 1 && l->iif != ZF_LK_IF_ANY) ||
		 (l->oif < 1 && l->oif != ZF_LK_IF_ANY))
		bad = "interface indexes >= 1 or any";
	else if (l->delay_ns > ZF_LK_MAX_DELAY_NS ||
		 l->jitter_ns > ZF_LK_MAX_DELAY_NS)
		bad = "delay and jitter of at most one hour";
	else if ((unsigned)l->dist > ZF_LK_DIST_PARETONORMAL)
		bad = "dist uniform, normal, pareto or paretonormal";
	else if (!pct_ok(l->delay_corr) || !pct_ok(l->loss) ||
		 !pct_ok(l->loss_corr) || !pct_ok(l->reorder) ||
		 !pct_ok(l->corrupt) || !pct_ok(l->duplicate))
		bad = "percentages 0..100";
	if (bad) {
		snprintf(err, errlen, "link '%.63s': expected %s", l->name, bad);
		return -EINVAL;
	}
	return validate_loss(l, err, errlen);
}

static const struct zf_lk_queue_cfg *find_queue(const struct zf_lk_config *c,
						 uint32_t id)
{
	for (size_t i = 0; i < c->nqueues; i++) {
		if (c->queues[i].id == id)
			return &c->queues[i];
	}
	return NULL;
}

static int check_queue_unique(const struct zf_lk_config *cfg, uint32_t id,
			      const char *netns, uint16_t num, char *err,
			      size_t errlen)
{
	for (size_t i = 0; i < cfg->nqueues; i++) {
		if (cfg->queues[i].num == num &&
		    strcmp(cfg->queues[i].netns, netns) == 0) {
			snprintf(err, errlen, "queue %u: number %u in %s is "
				 "already queue %u", id, num, netns,
				 cfg->queues[i].id);
			return -EINVAL;
		}
	}
	return 0;
}

static int check_queue(const struct zf_lk_config *cfg, uint32_t id,
		       const char *netns, uint16_t num, char *err,
		       size_t errlen)
{
	if (cfg->nqueues >= ZF_LK_MAX_QUEUES)
		snprintf(err, errlen, "expected at most %d queues",
			 ZF_LK_MAX_QUEUES);
	else if (id > ZF_LK_MAX_QUEUE_ID)
		snprintf(err, errlen, "expected a queue ID 0..%u",
			 ZF_LK_MAX_QUEUE_ID);
	else if (find_queue(cfg, id))
		snprintf(err, errlen, "queue %u: ID already declared", id);
	else if (netns[0] != '/' || !word_ok(netns, ZF_LK_PATH_MAX, false))
		snprintf(err, errlen, "queue %u: expected an absolute netns "
			 "path of at most %d printable characters", id,
			 ZF_LK_PATH_MAX);
	else
		return check_queue_unique(cfg, id, netns, num, err, errlen);
	return -EINVAL;
}

int zf_lk_config_add_queue(struct zf_lk_config *cfg, uint32_t id,
			   const char *netns, uint16_t num,
			   char *err, size_t errlen)
{
	struct zf_lk_queue_cfg *q;

	if (check_queue(cfg, id, netns, num, err, errlen) < 0)
		return -EINVAL;
	cfg->queues = zf_xrealloc(cfg->queues,
				  (cfg->nqueues + 1) * sizeof(*cfg->queues));
	q = &cfg->queues[cfg->nqueues++];
	memset(q, 0, sizeof(*q));
	q->id = id;
	snprintf(q->netns, sizeof(q->netns), "%s", netns);
	q->num = num;
	return 0;
}

int zf_lk_config_add_link(struct zf_lk_config *cfg,
			  const struct zf_lk_link_cfg *link,
			  char *err, size_t errlen)
{
	if (cfg->nlinks >= ZF_LK_MAX_LINKS) {
		snprintf(err, errlen, "expected at most %d links",
			 ZF_LK_MAX_LINKS);
		return -EINVAL;
	}
	if (zf_lk_link_validate(link, err, errlen) < 0)
		return -EINVAL;
	if (!find_queue(cfg, link->queue)) {
		snprintf(err, errlen, "link '%s': queue=%u expects a queue "
			 "declared on an earlier line", link->name,
			 link->queue);
		return -EINVAL;
	}
	for (size_t i = 0; i < cfg->nlinks; i++) {
		if (strcmp(cfg->links[i].name, link->name) == 0) {
			snprintf(err, errlen, "link '%s': name already used",
				 link->name);
			return -EINVAL;
		}
	}
	cfg->links = zf_xrealloc(cfg->links,
				 (cfg->nlinks + 1) * sizeof(*cfg->links));
	cfg->links[cfg->nlinks++] = *link;
	return 0;
}

void zf_lk_config_free(struct zf_lk_config *cfg)
{
	free(cfg->queues);
	free(cfg->links);
	memset(cfg, 0, sizeof(*cfg));
}
