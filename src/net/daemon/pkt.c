/* pkt.c - the fate of each queued packet: the links it matches (by input
 * and output interface), their combined decision, and where it goes next:
 * a verdict at once (no link, lost, no delay) or the release heap. */
#include "net/daemon/linkemd.h"
#include "util/mem.h"

#include <linux/netfilter.h>
#include <stdlib.h>
#include <string.h>

#define POOL_CHUNK 1024

static struct lkd_pkt *pkt_alloc(struct lkd *d, size_t max_links)
{
	struct lkd_pkt *p;

	if (!d->free_pkts) {
		struct lkd_pkt *chunk = zf_xcalloc(POOL_CHUNK, sizeof(*chunk));

		d->chunks = zf_xrealloc(d->chunks,
					(d->nchunks + 1) * sizeof(*d->chunks));
		d->chunks[d->nchunks++] = chunk;
		for (size_t i = 0; i < POOL_CHUNK; i++) {
			chunk[i].next = d->free_pkts;
			d->free_pkts = &chunk[i];
		}
	}
	p = d->free_pkts;
	d->free_pkts = p->next;
	memset(p, 0, sizeof(*p));
	p->links = max_links > LKD_INLINE_LINKS ?
		   zf_xmalloc(max_links * sizeof(*p->links)) : p->inline_links;
	return p;
}

void lkd_pkt_put(struct lkd *d, struct lkd_pkt *p)
{
	if (p->links != p->inline_links)
		free(p->links);
	free(p->data);
	lkd_linkset_unref(p->ls);
	p->links = NULL;
	p->data = NULL;
	p->ls = NULL;
	p->next = d->free_pkts;
	d->free_pkts = p;
}

void lkd_pkt_pool_free(struct lkd *d)
{
	for (size_t i = 0; i < d->nchunks; i++)
		free(d->chunks[i]);
	free(d->chunks);
	d->chunks = NULL;
	d->nchunks = 0;
	d->free_pkts = NULL;
}

/* Packet ids are consecutive per queue; a gap is packets the kernel could
 * not hand us (socket full) and let through unemulated (fail-open). */
static void note_id(struct lkd_queue *q, uint32_t id)
{
	uint32_t gap = id - q->last_id - 1;

	if (q->last_id != 0 && gap != 0 && gap < (1u << 31))
		q->fail_open += gap;
	q->last_id = id;
}

static void count(struct lkd_link_stats *st, unsigned out)
{
	st->packets++;
	st->dropped += !!(out & ZF_LK_OUT_DROPPED);
	st->reordered += !!(out & ZF_LK_OUT_REORDERED);
	st->corrupted += !!(out & ZF_LK_OUT_CORRUPTED);
	st->duplicated += !!(out & ZF_LK_OUT_DUPLICATED);
}

static void decide(struct lkd *d, struct lkd_queue *q,
		   const struct lkd_meta *m, struct lkd_pkt *p,
		   struct zf_lk_decision *dec)
{
	zf_lk_decision_clear(dec);
	for (size_t i = 0; i < q->nlinks; i++) {
		struct lkd_link *l = &d->cur->links[q->links[i]];

		if ((l->cfg.iif != ZF_LK_IF_ANY && l->cfg.iif != m->indev) ||
		    (l->cfg.oif != ZF_LK_IF_ANY && l->cfg.oif != m->outdev))
			continue;
		count(&l->st, zf_lk_profile_apply(&l->prof, dec));
		p->links[p->nlinks++] = q->links[i];
	}
}

/* Copy the payload when a link corrupts or duplicates the packet, and flip
 * the bits. Returns -1 if a packet to corrupt has no whole payload (the
 * queue is not in copy mode yet, or the copy was cut): it is dropped
 * instead, which is what a receiver does with a corrupted packet. */
static int prepare_payload(struct lkd_queue *q, struct lkd_pkt *p,
			   const struct lkd_meta *m,
			   const struct zf_lk_decision *dec)
{
	unsigned flips = dec->ncorrupt < ZF_LK_MAX_FLIPS ? dec->ncorrupt
							 : ZF_LK_MAX_FLIPS;

	if (!m->payload || m->truncated || m->payload_len == 0) {
		q->truncated++;
		return dec->ncorrupt ? -1 : 0;
	}
	p->len = m->payload_len;
	p->data = zf_xmalloc(p->len);
	memcpy(p->data, m->payload, p->len);
	for (unsigned k = 0; k < flips; k++) {
		uint32_t byte;
		unsigned bit;

		zf_lk_flip_position(dec->flip[k], p->len, &byte, &bit);
		p->data[byte] ^= (uint8_t)(1u << bit);
	}
	p->mangled = flips > 0;
	p->ndup = dec->nduplicate;
	return 0;
}

/* A verdict now, without holding the packet. */
static void verdict_now(struct lkd *d, struct lkd_queue *q, struct lkd_pkt *p,
			uint32_t id, int verdict)
{
	lkd_queue_verdict(q, id, verdict, NULL, 0);
	lkd_pkt_put(d, p);
}

void lkd_pkt_arrive(struct lkd *d, struct lkd_queue *q,
		    const struct lkd_meta *m, uint64_t now)
{
	struct zf_lk_decision dec;
	struct lkd_pkt *p = pkt_alloc(d, q->nlinks);

	q->packets++;
	note_id(q, m->id);
	decide(d, q, m, p, &dec);
	if (p->nlinks == 0) {
		verdict_now(d, q, p, m->id, NF_ACCEPT);
		return;
	}
	if (dec.drop || ((dec.ncorrupt || dec.nduplicate) &&
			 prepare_payload(q, p, m, &dec) < 0)) {
		verdict_now(d, q, p, m->id, NF_DROP);
		return;
	}
	p->q = q;
	p->id = m->id;
	p->ls = d->cur;
	p->ls->refs++;
	p->arrival_ns = now;
	p->target_ns = dec.delay_ns;
	p->release_ns = now + dec.delay_ns;
	p->seq = d->seq++;
	if (dec.delay_ns == 0)
		lkd_sched_release(d, p);
	else
		lkd_sched_hold(d, p);
}
