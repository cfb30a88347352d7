/* dns_reply.c - the verdict on one reply to a dns probe's query (order of
 * the checks in dns_proto.h). ldns parses the message (its parser checks
 * every length against the buffer); this file only walks what ldns built,
 * and keeps at most ZF_DNS_MAX_ANSWERS answers. */
#include "probe/dns_proto.h"

#include <ldns/ldns.h>
#include <string.h>

/* The reply asks our question: one question, same name (any case), same
 * type, class IN. */
static int same_question(const struct zf_dns_proto *dp, const ldns_pkt *pkt)
{
	const ldns_rr_list *qs = ldns_pkt_question(pkt);
	const ldns_rr *q;

	if (!qs || ldns_rr_list_rr_count(qs) != 1)
		return 0;
	q = ldns_rr_list_rr(qs, 0);
	return q && ldns_rr_owner(q) &&
	       ldns_dname_compare(ldns_rr_owner(q), dp->qname) == 0 &&
	       ldns_rr_get_type(q) == (ldns_rr_type)dp->qtype &&
	       ldns_rr_get_class(q) == LDNS_RR_CLASS_IN;
}

/* The RDATA of every answer record of the asked type into dp->scratch;
 * returns how many, or -1 when there are more than it holds. */
static long collect(struct zf_dns_proto *dp, const ldns_rr_list *an)
{
	size_t n = 0, count = an ? ldns_rr_list_rr_count(an) : 0;

	for (size_t i = 0; i < count; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		const ldns_rdf *rd;

		if (!rr || ldns_rr_get_type(rr) != (ldns_rr_type)dp->qtype ||
		    ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN ||
		    ldns_rr_rd_count(rr) != 1)
			continue;
		rd = ldns_rr_rdf(rr, 0);
		if (!rd || ldns_rdf_size(rd) != dp->alen)
			continue;
		if (n == ZF_DNS_MAX_ANSWERS)
			return -1;
		memcpy(dp->scratch[n++].b, ldns_rdf_data(rd), dp->alen);
	}
	return (long)n;
}

/* NOERROR, not truncated: the answers against the expectation. */
static enum zf_outcome answers(struct zf_dns_proto *dp, const ldns_pkt *pkt)
{
	long got = collect(dp, ldns_pkt_answer(pkt));
	size_t m;

	if (got < 0)
		return ZF_OUT_OTHER;
	if (got == 0)
		return ZF_OUT_EMPTY;
	m = zf_dns_addr_set(dp->scratch, (size_t)got, dp->alen);
	if (dp->expect_count > 0)
		return m == (size_t)dp->expect_count ? ZF_OUT_OK : ZF_OUT_WRONG;
	if (!dp->expect)
		return ZF_OUT_OK;
	if (m != dp->n_expect ||
	    memcmp(dp->scratch, dp->expect, m * sizeof(*dp->expect)) != 0)
		return ZF_OUT_WRONG;
	return ZF_OUT_OK;
}

static enum zf_outcome judge(struct zf_dns_proto *dp, const ldns_pkt *pkt)
{
	if (!ldns_pkt_qr(pkt) || !same_question(dp, pkt))
		return ZF_OUT_OTHER;
	switch (ldns_pkt_get_rcode(pkt)) {
	case LDNS_RCODE_NOERROR:
		break;
	case LDNS_RCODE_SERVFAIL:
		return ZF_OUT_SERVFAIL;
	case LDNS_RCODE_NXDOMAIN:
		return ZF_OUT_NXDOMAIN;
	default:
		return ZF_OUT_STATUS;
	}
	if (ldns_pkt_tc(pkt))
		return ZF_OUT_OTHER;
	return answers(dp, pkt);
}

enum zf_outcome zf_dns_reply_outcome(struct zf_dns_proto *dp,
				     const uint8_t *wire, size_t len)
{
	ldns_pkt *pkt = NULL;
	enum zf_outcome out;

	if (!wire || len < ZF_DNS_HDR ||
	    ldns_wire2pkt(&pkt, wire, len) != LDNS_STATUS_OK || !pkt) {
		ldns_pkt_free(pkt);
		return ZF_OUT_OTHER;
	}
	out = judge(dp, pkt);
	ldns_pkt_free(pkt);
	return out;
}
