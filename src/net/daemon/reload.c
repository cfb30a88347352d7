/* reload.c - applying DIR/config: bind the queues that are new, keep the
 * ones still listed (their held packets keep their release times), release
 * and unbind the ones gone, and replace the links. All or nothing: a parse
 * or bind error leaves the running config exactly as it was. */
#include "net/daemon/linkemd.h"
#include "net/linkem_client.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct lkd_queue *find_running(struct lkd *d,
				      const struct zf_lk_queue_cfg *qc)
{
	for (size_t i = 0; i < d->nqueues; i++) {
		struct lkd_queue *q = d->queues[i];

		if (q->num == qc->num && strcmp(q->netns, qc->netns) == 0)
			return q;
	}
	return NULL;
}

/* Does a link of queue ID need packet payloads (corrupt, duplicate)? */
static bool needs_payload(const struct zf_lk_config *cfg, uint32_t id)
{
	for (size_t i = 0; i < cfg->nlinks; i++) {
		const struct zf_lk_link_cfg *l = &cfg->links[i];

		if (l->queue == id && (l->corrupt > 0 || l->duplicate > 0))
			return true;
	}
	return false;
}

/* Close the queues of NEWQ that were opened for this config (not kept). */
static void undo_opened(struct lkd *d, struct lkd_queue **newq, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (newq[i] && !newq[i]->keep)
			lkd_queue_close(d, newq[i]);
	}
}

static int open_queues(struct lkd *d, const char *path,
		       const struct zf_lk_config *cfg,
		       struct lkd_queue **newq, char *err, size_t errlen)
{
	char msg[512];

	for (size_t i = 0; i < d->nqueues; i++)
		d->queues[i]->keep = false;
	for (size_t i = 0; i < cfg->nqueues; i++) {
		const struct zf_lk_queue_cfg *qc = &cfg->queues[i];
		int rc;

		newq[i] = find_running(d, qc);
		if (newq[i]) {
			newq[i]->keep = true;
			continue;
		}
		rc = lkd_queue_open(d, qc, needs_payload(cfg, qc->id),
				    &newq[i], msg, sizeof(msg));
		if (rc < 0) {
			snprintf(err, errlen, "%s:%u: %s", path, qc->line, msg);
			undo_opened(d, newq, i);
			return rc;
		}
	}
	return 0;
}

/* Point each queue at its links in LS (indexes). */
static void assign_links(struct lkd_queue *q, const struct lkd_linkset *ls)
{
	size_t n = 0;

	free(q->links);
	q->links = zf_xmalloc((ls->n ? ls->n : 1) * sizeof(*q->links));
	for (size_t i = 0; i < ls->n; i++) {
		if (ls->links[i].cfg.queue == q->id)
			q->links[n++] = (uint32_t)i;
	}
	q->nlinks = n;
}

static void close_dropped(struct lkd *d)
{
	for (size_t i = 0; i < d->nqueues; i++) {
		if (!d->queues[i]->keep)
			lkd_sched_release_queue(d, d->queues[i]);
	}
	lkd_sched_flush(d);
	for (size_t i = 0; i < d->nqueues; i++) {
		if (!d->queues[i]->keep)
			lkd_queue_close(d, d->queues[i]);
	}
}

static void commit(struct lkd *d, const struct zf_lk_config *cfg,
		   struct lkd_queue **newq, uint64_t gen)
{
	struct lkd_linkset *ls = lkd_linkset_new(cfg, gen);

	close_dropped(d);
	d->events_stale = true;
	for (size_t i = 0; i < cfg->nqueues; i++) {
		struct lkd_queue *q = newq[i];

		q->id = cfg->queues[i].id;
		q->keep = false;
		if (lkd_queue_set_mode(q, needs_payload(cfg, q->id)) < 0)
			zf_warn("queue %u: cannot change its copy mode", q->id);
		assign_links(q, ls);
	}
	free(d->queues);
	d->queues = newq;
	d->nqueues = cfg->nqueues;
	lkd_linkset_unref(d->cur);
	d->cur = ls;
	d->gen = gen;
}

static int apply_file(struct lkd *d, const char *path, bool initial,
		      char *err, size_t errlen)
{
	struct zf_lk_config cfg;
	struct lkd_queue **newq;
	int rc = zf_lk_config_load(path, &cfg, err, errlen);

	if (rc == -ENOENT && initial)
		memset(&cfg, 0, sizeof(cfg));
	else if (rc < 0)
		return rc;
	newq = zf_xcalloc(cfg.nqueues ? cfg.nqueues : 1, sizeof(*newq));
	rc = open_queues(d, path, &cfg, newq, err, errlen);
	if (rc == 0)
		commit(d, &cfg, newq, initial ? 0 : d->gen + 1);
	else
		free(newq);
	zf_lk_config_free(&cfg);
	return rc;
}

int lkd_reload(struct lkd *d, char *err, size_t errlen)
{
	char path[4096];

	if (zf_fmt(path, sizeof(path), "%s/%s", d->dir, ZF_LINKEM_CONFIG) < 0) {
		snprintf(err, errlen, "%s: path too long", d->dir);
		return -ENAMETOOLONG;
	}
	return apply_file(d, path, !d->cur, err, errlen);
}

void lkd_queues_close_all(struct lkd *d)
{
	lkd_sched_release_all(d);
	lkd_sched_flush(d);
	for (size_t i = 0; i < d->nqueues; i++)
		lkd_queue_close(d, d->queues[i]);
	free(d->queues);
	d->queues = NULL;
	d->nqueues = 0;
}
