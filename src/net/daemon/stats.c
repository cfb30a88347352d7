/* stats.c - the "stats" response: one JSON object on one line, links of
 * the current generation (counters restart at each reload) and queues.
 * "delay_added" is what the daemon actually added (verdict sent minus
 * packet read), "error" is |added - target| per packet. */
#include "net/daemon/linkemd.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/text.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>



/* A JSON string of printable ASCII (what the config allows), escaped. */
static void jstr(struct zf_text *j, const char *s)
{
	zf_text_add(j, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			zf_text_add(j, "\\%c", *s);
		else if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			zf_text_add(j, "\\u%04x", (unsigned char)*s);
		else
			zf_text_add(j, "%c", *s);
	}
	zf_text_add(j, "\"");
}

static void jhist(struct zf_text *j, const char *key, const struct zf_lk_hist *h)
{
	zf_text_add(j, ",\"%s\":{\"p50_ns\":%" PRIu64 ",\"p99_ns\":%" PRIu64
	     ",\"max_ns\":%" PRIu64 "}", key, zf_lk_hist_quantile(h, 0.50),
	     zf_lk_hist_quantile(h, 0.99), h ? h->max : 0);
}

static void jlink(struct zf_text *j, const struct lkd_link *l)
{
	const struct lkd_link_stats *st = &l->st;
	double mean = st->released ? st->target_sum / (double)st->released : 0;

	zf_text_add(j, "{\"name\":");
	jstr(j, l->cfg.name);
	zf_text_add(j, ",\"packets\":%" PRIu64 ",\"dropped\":%" PRIu64
	     ",\"corrupted\":%" PRIu64 ",\"duplicated\":%" PRIu64
	     ",\"reordered\":%" PRIu64 ",\"released\":%" PRIu64
	     ",\"delay_target_ns_mean\":%.0f,\"seed\":\"%" PRIu64 "\"",
	     st->packets, st->dropped, st->corrupted, st->duplicated,
	     st->reordered, st->released, round(mean), l->cfg.seed);
	jhist(j, "delay_added", st->added);
	jhist(j, "error", st->error);
	zf_text_add(j, "}");
}

static void jqueue(struct zf_text *j, const struct lkd_queue *q)
{
	zf_text_add(j, "{\"id\":%" PRIu32 ",\"num\":%u,\"netns\":", q->id,
	     (unsigned)q->num);
	jstr(j, q->netns);
	zf_text_add(j, ",\"mode\":\"%s\",\"packets\":%" PRIu64 ",\"held\":%" PRIu64
	     ",\"fail_open\":%" PRIu64 ",\"enobufs\":%" PRIu64
	     ",\"uncopied\":%" PRIu64 ",\"verdict_errors\":%" PRIu64
	     ",\"dup_errors\":%" PRIu64 "}",
	     q->copy_packet ? "packet" : "meta", q->packets, q->held,
	     q->fail_open, q->enobufs, q->truncated, q->verdict_errors,
	     q->dup_errors);
}

char *lkd_stats_json(const struct lkd *d, size_t *len)
{
	struct zf_text j = { .s = zf_xmalloc(1024), .cap = 1024 };

	zf_text_add(&j, "{\"gen\":%" PRIu64 ",\"links\":[", d->gen);
	for (size_t i = 0; d->cur && i < d->cur->n; i++) {
		if (i)
			zf_text_add(&j, ",");
		jlink(&j, &d->cur->links[i]);
	}
	zf_text_add(&j, "],\"queues\":[");
	for (size_t i = 0; i < d->nqueues; i++) {
		if (i)
			zf_text_add(&j, ",");
		jqueue(&j, d->queues[i]);
	}
	zf_text_add(&j, "]}");
	*len = j.len;
	return j.s;
}
