/* engine.c - the query path, bytes in and bytes out: parse, the zone
 * check, the fault that matches, the answer, the wire format within the
 * size the client can take (TC set when it does not fit over UDP). */
#include "dns/daemon/dnsd.h"
#include "dns/dns_name.h"

#include <errno.h>
#include <string.h>

#define RCODE_BADVERS 16

int dnsd_engine_init(struct dnsd_engine *e)
{
	struct zf_dns_config empty;
	int rc;

	memset(e, 0, sizeof(*e));
	e->udp_max = ZF_DNS_UDP_MAX_DEFAULT;
	e->wire = ldns_buffer_new(DNSD_TCP_MAX + 512);
	if (!e->wire)
		return -ENOMEM;
	zf_dns_config_init(&empty);
	rc = dnsd_zone_build(&empty, 0, &e->zone);
	if (rc < 0) {
		ldns_buffer_free(e->wire);
		e->wire = NULL;
	}
	return rc;
}

void dnsd_engine_free(struct dnsd_engine *e)
{
	dnsd_engine_drop_faults(e);
	dnsd_zone_unref(e->zone);
	if (e->wire)
		ldns_buffer_free(e->wire);
	memset(e, 0, sizeof(*e));
}

/* The response's header, question and OPT (when the query had one). */
static ldns_pkt *skeleton(const struct dnsd_engine *e,
			  const struct dnsd_query *q)
{
	ldns_pkt *r = ldns_pkt_new();
	ldns_rr *qr = ldns_rr_clone(q->question);

	if (!r || !qr || !ldns_pkt_push_rr(r, LDNS_SECTION_QUESTION, qr)) {
		if (qr)
			ldns_rr_free(qr);
		if (r)
			ldns_pkt_free(r);
		return NULL;
	}
	ldns_pkt_set_id(r, ldns_pkt_id(q->pkt));
	ldns_pkt_set_qr(r, true);
	ldns_pkt_set_opcode(r, LDNS_PACKET_QUERY);
	ldns_pkt_set_rd(r, ldns_pkt_rd(q->pkt));
	if (q->edns)
		ldns_pkt_set_edns_udp_size(r, e->udp_max);
	return r;
}

/* The largest reply this client takes. */
static size_t reply_limit(const struct dnsd_engine *e,
			  const struct dnsd_query *q,
			  const struct dnsd_src *src, size_t cap)
{
	size_t lim = DNSD_TCP_MAX;

	if (!src->tcp) {
		lim = 512;
		if (q->edns && q->edns_size > 512)
			lim = q->edns_size < e->udp_max ? q->edns_size
							 : e->udp_max;
	}
	return lim < cap ? lim : cap;
}

/* R as wire bytes into E->wire; its length, or 0 if ldns failed. */
static size_t to_wire(struct dnsd_engine *e, const ldns_pkt *r)
{
	ldns_buffer_clear(e->wire);
	if (ldns_pkt2buffer_wire(e->wire, r) != LDNS_STATUS_OK ||
	    ldns_buffer_status(e->wire) != LDNS_STATUS_OK)
		return 0;
	return ldns_buffer_position(e->wire);
}

/* Put R into OUT within the client's limit: an answer too large goes as
 * header, question and OPT with TC set. Returns the length, or 0. */
static size_t emit(struct dnsd_engine *e, const struct dnsd_query *q,
		   const struct dnsd_src *src, ldns_pkt *r, uint8_t *out,
		   size_t cap, struct dnsd_result *res)
{
	size_t lim = reply_limit(e, q, src, cap), n = to_wire(e, r);
	ldns_pkt *t;

	if (n > lim) {
		t = skeleton(e, q);
		if (!t)
			return 0;
		ldns_pkt_set_aa(t, ldns_pkt_aa(r));
		ldns_pkt_set_rcode(t, ldns_pkt_get_rcode(r));
		ldns_pkt_set_edns_extended_rcode(t,
					ldns_pkt_edns_extended_rcode(r));
		ldns_pkt_set_tc(t, true);
		n = to_wire(e, t);
		ldns_pkt_free(t);
		res->truncated = true;
	}
	if (n == 0 || n > lim)
		return 0;
	memcpy(out, ldns_buffer_begin(e->wire), n);
	return n;
}

/* Fill R for the parsed Q: BADVERS, REFUSED or the zone's answer. Returns
 * the RCODE, -ETIMEDOUT for no reply, -ENOMEM. */
static int respond(struct dnsd_engine *e, const struct dnsd_src *src,
		   const struct dnsd_query *q, ldns_pkt *r,
		   struct dnsd_result *res)
{
	struct dnsd_fault *f;
	struct dnsd_zone *z = e->zone;

	if (q->edns && q->edns_version > 0) {
		ldns_pkt_set_edns_extended_rcode(r, RCODE_BADVERS >> 4);
		return RCODE_BADVERS;
	}
	if (!zf_dns_name_in_zone(q->name, z->name) ||
	    (q->qclass != LDNS_RR_CLASS_IN && q->qclass != LDNS_RR_CLASS_ANY) ||
	    q->qtype == LDNS_RR_TYPE_AXFR || q->qtype == LDNS_RR_TYPE_IXFR) {
		ldns_pkt_set_rcode(r, LDNS_RCODE_REFUSED);
		return LDNS_RCODE_REFUSED;
	}
	f = dnsd_fault_match(e, src->resolver, q->name);
	if (f) {
		res->fault = (int)(f - e->faults);
		if (f->cfg.mode == ZF_DNS_FAULT_TIMEOUT)
			return -ETIMEDOUT;
		if (f->cfg.mode == ZF_DNS_FAULT_SLOW)
			res->delay_ns = f->cfg.slow_ns;
		if (f->cfg.mode == ZF_DNS_FAULT_STALE && f->snap)
			z = f->snap;
	}
	return dnsd_answer(z, src, q, f, r);
}

static void header_only(const uint8_t *q, int rcode, uint8_t *out,
			struct dnsd_result *res)
{
	dnsd_header_reply(q, rcode, out);
	res->verdict = DNSD_SEND;
	res->len = LDNS_HEADER_SIZE;
	res->rcode = rcode;
	res->formerr = rcode == LDNS_RCODE_FORMERR;
}

void dnsd_handle(struct dnsd_engine *e, const struct dnsd_src *src,
		 const uint8_t *wire, size_t len, uint8_t *out, size_t cap,
		 struct dnsd_result *res)
{
	struct dnsd_query q;
	enum dnsd_qstatus st = dnsd_query_parse(wire, len, &q);
	ldns_pkt *r = NULL;
	int rc = -ENOMEM;

	memset(res, 0, sizeof(*res));
	res->verdict = DNSD_DROP;
	res->fault = -1;
	if (st == DNSD_Q_DROP || cap < 512)
		goto out;
	if (st != DNSD_Q_OK) {
		header_only(wire, st == DNSD_Q_NOTIMP ? LDNS_RCODE_NOTIMPL
			    : LDNS_RCODE_FORMERR, out, res);
		goto out;
	}
	r = skeleton(e, &q);
	if (r)
		rc = respond(e, src, &q, r, res);
	if (rc == -ETIMEDOUT)
		goto out;
	if (rc >= 0)
		res->len = emit(e, &q, src, r, out, cap, res);
	if (rc < 0 || res->len == 0) {
		header_only(wire, LDNS_RCODE_SERVFAIL, out, res);
		goto out;
	}
	res->verdict = DNSD_SEND;
	res->rcode = rc;
out:
	if (r)
		ldns_pkt_free(r);
	if (st == DNSD_Q_OK)
		dnsd_query_free(&q);
}
