/* stats.c - the "stats" response: one JSON object on one line, the
 * listeners of the running config (counters since each was opened) and
 * the faults (hits since the fault ID first appeared). */
#include "dns/daemon/server.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/text.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>



/* IDs are letters, digits, '-', '_' and '.' (dns_name.c): nothing to
 * escape in a JSON string. */
static void jlistener(struct zf_text *j, const struct srv_listener *l)
{
	const struct srv_stats *st = &l->st;

	zf_text_add(j, "{\"id\":\"%s\",\"queries\":%" PRIu64 ",\"answered\":%" PRIu64
	     ",\"dropped\":%" PRIu64 ",\"formerr\":%" PRIu64 ",\"tcp\":%" PRIu64
	     ",\"truncated\":%" PRIu64 "}", l->id, st->queries, st->answered,
	     st->dropped, st->formerr, st->tcp, st->truncated);
}

char *srv_stats_json(const struct srv *s, size_t *len)
{
	struct zf_text j = { .s = zf_xmalloc(1024), .cap = 1024 };

	zf_text_add(&j, "{\"gen\":%" PRIu64 ",\"listeners\":[", s->eng.gen);
	for (size_t i = 0; i < s->nls; i++) {
		if (i)
			zf_text_add(&j, ",");
		jlistener(&j, s->ls[i]);
	}
	zf_text_add(&j, "],\"faults\":[");
	for (size_t i = 0; i < s->eng.nfaults; i++) {
		const struct dnsd_fault *f = &s->eng.faults[i];

		zf_text_add(&j, "%s{\"id\":\"%s\",\"hits\":%" PRIu64 "}", i ? "," : "",
		     f->cfg.id, f->hits);
	}
	zf_text_add(&j, "],\"held\":%zu}", s->nheap);
	*len = j.len;
	return j.s;
}
