/* tcp.c - the protocol of tcp probes: connect, optionally send the spec's
 * bytes, optionally read until the expected bytes appear. The match runs
 * Knuth-Morris-Pratt over the reply as it arrives, so the reply is never
 * kept and a match split across reads is found. */
#include <errno.h>
#include <string.h>

#include "probe/proto.h"
#include "util/log.h"
#include "util/mem.h"

#define MAX_SEND (1024u * 1024u)
#define MAX_EXPECT 4096u
#define MAX_REPLY (1024u * 1024u)   /* read this much without a match: bad */

/* kmp[i]: length of the longest proper border of expect[0..i]. */
static uint32_t *kmp_table(const char *s, uint32_t n)
{
	uint32_t *f = zf_xcalloc(n, sizeof(*f)), k = 0;

	for (uint32_t i = 1; i < n; i++) {
		while (k > 0 && s[i] != s[k])
			k = f[k - 1];
		if (s[i] == s[k])
			k++;
		f[i] = k;
	}
	return f;
}

static void tcp_begin(const struct zf_proto *pr, union zf_proto_state *st)
{
	(void)pr;
	st->tcp.matched = 0;
	st->tcp.got = 0;
}

static int tcp_feed(const struct zf_proto *pr, union zf_proto_state *st,
		    const char *buf, size_t len, struct zf_proto_res *res)
{
	struct zf_tcp_match *m = &st->tcp;
	uint32_t k = m->matched;

	for (size_t i = 0; i < len; i++) {
		while (k > 0 && buf[i] != pr->expect[k])
			k = pr->kmp[k - 1];
		if (buf[i] == pr->expect[k] && ++k == pr->expect_len) {
			res->outcome = ZF_OUT_OK;
			res->keep = i + 1 == len;
			return 1;
		}
	}
	m->matched = k;
	m->got += len;
	if (m->got < MAX_REPLY)
		return 0;
	res->outcome = ZF_OUT_STATUS;
	res->keep = 0;
	return 1;
}

/* Closed before the expected bytes: a wrong answer if there was any. */
static int tcp_eof(const struct zf_proto *pr, union zf_proto_state *st,
		   struct zf_proto_res *res)
{
	(void)pr;
	if (!st->tcp.got)
		return 0;
	res->outcome = ZF_OUT_STATUS;
	res->keep = 0;
	return 1;
}

static const struct zf_proto_ops tcp_ops = {
	.begin = tcp_begin,
	.feed = tcp_feed,
	.eof = tcp_eof,
};

int zf_tcp_proto_init(struct zf_proto *pr, const struct zf_probe_spec *spec,
		      char *err, size_t errlen)
{
	size_t slen = spec->send ? strlen(spec->send) : 0;
	size_t elen = spec->expect ? strlen(spec->expect) : 0;

	if (slen > MAX_SEND || elen > MAX_EXPECT) {
		zf_fmt(err, errlen, "probe %s: send is limited to %u bytes and "
		       "expect to %u", spec->name, MAX_SEND, MAX_EXPECT);
		return -EINVAL;
	}
	memset(pr, 0, sizeof(*pr));
	pr->ops = &tcp_ops;
	if (slen) {
		pr->req = zf_xstrdup(spec->send);
		pr->req_len = slen;
	}
	if (elen) {
		pr->expect = zf_xstrdup(spec->expect);
		pr->expect_len = (uint32_t)elen;
		pr->kmp = kmp_table(pr->expect, pr->expect_len);
		pr->reply = 1;
	}
	/* A connection can only carry requests that have a request. */
	pr->reuse = spec->keepalive && slen;
	return 0;
}
