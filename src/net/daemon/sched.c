/* sched.c - releasing held packets at arrival + delay. A released packet
 * gets its verdict appended to its queue's batch; lkd_sched_flush() sends
 * the batches and then accounts each packet with the time taken just
 * before sending: that is the delay the emulator actually added. */
#include "net/daemon/linkemd.h"
#include "util/timeutil.h"

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

void lkd_sched_hold(struct lkd *d, struct lkd_pkt *p)
{
	p->q->held++;
	lkd_heap_push(&d->heap, p);
}

void lkd_sched_release(struct lkd *d, struct lkd_pkt *p)
{
	lkd_queue_verdict(p->q, p->id, NF_ACCEPT,
			  p->mangled ? p->data : NULL, p->len);
	p->next = NULL;
	*d->batch_tail = p;
	d->batch_tail = &p->next;
}

void lkd_sched_release_due(struct lkd *d, uint64_t now)
{
	struct lkd_pkt *p;

	while ((p = lkd_heap_top(&d->heap)) && p->release_ns <= now) {
		lkd_heap_pop(&d->heap);
		p->q->held--;
		lkd_sched_release(d, p);
	}
}

void lkd_sched_release_queue(struct lkd *d, struct lkd_queue *q)
{
	struct lkd_pkt *p = lkd_heap_take_queue(&d->heap, q), *next;

	for (; p; p = next) {
		next = p->next;
		q->held--;
		lkd_sched_release(d, p);
	}
}

void lkd_sched_release_all(struct lkd *d)
{
	struct lkd_pkt *p;

	while ((p = lkd_heap_pop(&d->heap))) {
		p->q->held--;
		lkd_sched_release(d, p);
	}
}

static void account(struct lkd_pkt *p, uint64_t sent)
{
	uint64_t added = sent > p->arrival_ns ? sent - p->arrival_ns : 0;
	uint64_t error = added > p->target_ns ? added - p->target_ns
					      : p->target_ns - added;

	for (uint32_t i = 0; i < p->nlinks; i++) {
		struct lkd_link_stats *st = &p->ls->links[p->links[i]].st;

		if (!st->added) {
			st->added = zf_lk_hist_new();
			st->error = zf_lk_hist_new();
		}
		st->released++;
		st->target_sum += (double)p->target_ns;
		zf_lk_hist_add(st->added, added);
		zf_lk_hist_add(st->error, error);
	}
}

/* Copies go out through the queue netns's raw socket (IP_HDRINCL): they
 * leave the router as locally sent packets, so they are not queued again.
 * IPv4 only; a send error loses the copy, nothing else. */
static void send_copies(struct lkd_pkt *p)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };

	if (p->ndup == 0 || !p->data || p->len < 20 || (p->data[0] >> 4) != 4)
		return;
	memcpy(&dst.sin_addr, p->data + 16, 4);
	for (unsigned i = 0; i < p->ndup; i++) {
		if (sendto(p->q->rawfd, p->data, p->len, 0,
			   (struct sockaddr *)&dst, sizeof(dst)) < 0)
			p->q->dup_errors++;
	}
}

void lkd_sched_flush(struct lkd *d)
{
	struct lkd_pkt *p = d->batch, *next;
	uint64_t sent = zf_now_ns();

	for (size_t i = 0; i < d->nqueues; i++)
		lkd_queue_flush(d->queues[i]);
	for (; p; p = next) {
		next = p->next;
		account(p, sent);
		send_copies(p);
		lkd_pkt_put(d, p);
	}
	d->batch = NULL;
	d->batch_tail = &d->batch;
}
