/* stats.c - the "stats" response: one JSON object on one line, the
 * listeners of the running config (counters since each was opened) and
 * the faults (hits since the fault ID first appeared). */
#include "dns/daemon/server.h"
#include "util/log.h"
#include "util/mem.h"

#include <inttypes.h>
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

/* IDs are letters, digits, '-', '_' and '.' (dns_name.c): nothing to
 * escape in a JSON string. */
static void jlistener(struct jbuf *j, const struct srv_listener *l)
{
	const struct srv_stats *st = &l->st;

	jadd(j, "{\"id\":\"%s\",\"queries\":%" PRIu64 ",\"answered\":%" PRIu64
	     ",\"dropped\":%" PRIu64 ",\"formerr\":%" PRIu64 ",\"tcp\":%" PRIu64
	     ",\"truncated\":%" PRIu64 "}", l->id, st->queries, st->answered,
	     st->dropped, st->formerr, st->tcp, st->truncated);
}

char *srv_stats_json(const struct srv *s, size_t *len)
{
	struct jbuf j = { .buf = zf_xmalloc(1024), .cap = 1024 };

	jadd(&j, "{\"gen\":%" PRIu64 ",\"listeners\":[", s->eng.gen);
	for (size_t i = 0; i < s->nls; i++) {
		if (i)
			jadd(&j, ",");
		jlistener(&j, s->ls[i]);
	}
	jadd(&j, "],\"faults\":[");
	for (size_t i = 0; i < s->eng.nfaults; i++) {
		const struct dnsd_fault *f = &s->eng.faults[i];

		jadd(&j, "%s{\"id\":\"%s\",\"hits\":%" PRIu64 "}", i ? "," : "",
		     f->cfg.id, f->hits);
	}
	jadd(&j, "],\"held\":%zu}", s->nheap);
	*len = j.len;
	return j.buf;
}
