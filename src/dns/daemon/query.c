/* query.c - what a query asks: the header checked by hand (so a response
 * or a non-QUERY opcode never reaches the parser), the rest parsed by
 * ldns, the question name turned into the text the zone and the fault
 * patterns use. */
#include "dns/daemon/dnsd.h"

#include <ctype.h>
#include <string.h>

void dnsd_name_text(const ldns_rdf *dname, char *out)
{
	const uint8_t *p = ldns_rdf_data(dname);
	size_t size = ldns_rdf_size(dname), i = 0, o = 0;

	/* ldns keeps names within 255 bytes (at most 1015 characters as
	 * text); the bound on O is a second guard. */
	while (i < size && p[i] != 0 && o + 6 < DNSD_TEXT_MAX) {
		size_t len = p[i++];

		if (o > 0)
			out[o++] = '.';
		for (size_t k = 0; k < len && i < size && o + 5 < DNSD_TEXT_MAX;
		     k++, i++) {
			unsigned char c = (unsigned char)tolower(p[i]);

			if (c > 0x20 && c < 0x7f && c != '.' && c != '\\') {
				out[o++] = (char)c;
				continue;
			}
			out[o++] = '\\';
			out[o++] = (char)('0' + c / 100);
			out[o++] = (char)('0' + c / 10 % 10);
			out[o++] = (char)('0' + c % 10);
		}
	}
	out[o] = '\0';
}

void dnsd_header_reply(const uint8_t *wire, int rcode, uint8_t *out)
{
	memset(out, 0, LDNS_HEADER_SIZE);
	out[0] = wire[0];
	out[1] = wire[1];
	out[2] = (uint8_t)(LDNS_QR_MASK |
			   (wire[2] & (LDNS_OPCODE_MASK | LDNS_RD_MASK)));
	out[3] = (uint8_t)(rcode & LDNS_RCODE_MASK);
}

enum dnsd_qstatus dnsd_query_parse(const uint8_t *wire, size_t len,
				   struct dnsd_query *q)
{
	const ldns_rdf *owner;

	memset(q, 0, sizeof(*q));
	if (len < LDNS_HEADER_SIZE || LDNS_QR_WIRE(wire))
		return DNSD_Q_DROP;
	if (LDNS_OPCODE_WIRE(wire) != LDNS_PACKET_QUERY)
		return DNSD_Q_NOTIMP;
	if (LDNS_QDCOUNT(wire) != 1 || LDNS_ANCOUNT(wire) != 0 ||
	    LDNS_NSCOUNT(wire) != 0)
		return DNSD_Q_FORMERR;
	if (ldns_wire2pkt(&q->pkt, wire, len) != LDNS_STATUS_OK) {
		q->pkt = NULL;
		return DNSD_Q_FORMERR;
	}
	q->question = ldns_rr_list_rr(ldns_pkt_question(q->pkt), 0);
	owner = q->question ? ldns_rr_owner(q->question) : NULL;
	if (!owner || ldns_rdf_get_type(owner) != LDNS_RDF_TYPE_DNAME) {
		dnsd_query_free(q);
		return DNSD_Q_FORMERR;
	}
	dnsd_name_text(owner, q->name);
	q->qtype = ldns_rr_get_type(q->question);
	q->qclass = ldns_rr_get_class(q->question);
	q->edns = ldns_pkt_edns(q->pkt);
	q->edns_size = ldns_pkt_edns_udp_size(q->pkt);
	q->edns_version = ldns_pkt_edns_version(q->pkt);
	return DNSD_Q_OK;
}

void dnsd_query_free(struct dnsd_query *q)
{
	if (q->pkt)
		ldns_pkt_free(q->pkt);
	q->pkt = NULL;
	q->question = NULL;
}
