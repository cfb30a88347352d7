/* stats.c - the "stats" response: one JSON object on one line, links of
 * the current generation (counters restart at each reload) and queues.
 * "delay_added" is what the daemon actually added (verdict sent minus
 * packet read), "error" is |added - target| per packet. */
#include "net/daemon/linkemd.h"
#include "util/log.h"
#include "util/mem.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct jbuf {
	char *buf;
	size_t len, cap;
};

ZF_PRINTF(2, 3)
static void jadd(struct jbuf *j, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(j->buf + j->len, j->cap - j->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			ZF_BUG("vsnprintf failed");
		if ((size_t)n < j->cap - j->len)
			break;
		j->cap = (j->cap + (size_t)n + 1) * 2;
		j->buf = zf_xrealloc(j->buf, j->cap);
	}
	j->len += (size_t)n;
}

/* A JSON string of printable ASCII (what the config allows), escaped. */
static void jstr(struct jbuf *j, const char *s)
{
	jadd(j, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			jadd(j, "\\%c", *s);
		else if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			jadd(j, "\\u%04x", (unsigned char)*s);
		else
			jadd(j, "%c", *s);
	}
	jadd(j, "\"");
}

static void jhist(struct jbuf *j, const char *key, const struct zf_lk_hist *h)
{
	jadd(j, ",\"%s\":{\"p50_ns\":%" PRIu64 ",\"p99_ns\":%" PRIu64
	     ",\"max_ns\":%" PRIu64 "}", key, zf_lk_hist_quantile(h, 0.50),
	     zf_lk_hist_quantile(h, 0.99), h ? h->max : 0);
}

static void jlink(struct jbuf *j, const struct lkd_link *l)
{
	const struct lkd_link_stats *st = &l->st;
	double mean = st->released ? st->target_sum / (double)st->released : 0;

	jadd(j, "{\"name\":");
	jstr(j, l->cfg.name);
	jadd(j, ",\"packets\":%" PRIu64 ",\"dropped\":%" PRIu64
	     ",\"corrupted\":%" PRIu64 ",\"duplicated\":%" PRIu64
	     ",\"reordered\":%" PRIu64 ",\"released\":%" PRIu64
	     ",\"delay_target_ns_mean\":%.0f,\"seed\":\"%" PRIu64 "\"",
	     st->packets, st->dropped, st->corrupted, st->duplicated,
	     st->reordered, st->released, round(mean), l->cfg.seed);
	jhist(j, "delay_added", st->added);
	jhist(j, "error", st->error);
	jadd(j, "}");
}

static void jqueue(struct jbuf *j, const struct lkd_queue *q)
{
	jadd(j, "{\"id\":%" PRIu32 ",\"num\":%u,\"netns\":", q->id,
	     (unsigned)q->num);
	jstr(j, q->netns);
	jadd(j, ",\"mode\":\"%s\",\"packets\":%" PRIu64 ",\"held\":%" PRIu64
	     ",\"fail_open\":%" PRIu64 ",\"enobufs\":%" PRIu64
	     ",\"uncopied\":%" PRIu64 ",\"verdict_errors\":%" PRIu64
	     ",\"dup_errors\":%" PRIu64 "}",
	     q->copy_packet ? "packet" : "meta", q->packets, q->held,
	     q->fail_open, q->enobufs, q->truncated, q->verdict_errors,
	     q->dup_errors);
}

char *lkd_stats_json(const struct lkd *d, size_t *len)
{
	struct jbuf j = { .buf = zf_xmalloc(1024), .cap = 1024 };

	jadd(&j, "{\"gen\":%" PRIu64 ",\"links\":[", d->gen);
	for (size_t i = 0; d->cur && i < d->cur->n; i++) {
		if (i)
			jadd(&j, ",");
		jlink(&j, &d->cur->links[i]);
	}
	jadd(&j, "],\"queues\":[");
	for (size_t i = 0; i < d->nqueues; i++) {
		if (i)
			jadd(&j, ",");
		jqueue(&j, d->queues[i]);
	}
	jadd(&j, "]}");
	*len = j.len;
	return j.buf;
}
