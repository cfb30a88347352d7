/* dns_proto.h - (private to src/probe) the DNS messages of a dns probe:
 * its query, built once with ldns, and the verdict on a reply.
 *
 * A reply is judged in this order: not a well-formed response to our
 * question (ldns cannot parse it, QR clear, another question) -> other;
 * SERVFAIL -> servfail; NXDOMAIN -> nxdomain; any other rcode but NOERROR
 * -> bad_status; truncated (TC: the probe does not retry over TCP) ->
 * other; no answer record of the asked type -> empty; then the distinct
 * answers (RDATA of every answer record of the type, whatever its owner,
 * so a CNAME chain counts by its final addresses) against the expected set
 * or count -> ok or wrong. */
#ifndef ZF_PROBE_DNS_PROTO_H
#define ZF_PROBE_DNS_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "probe/probe.h"

#define ZF_DNS_EDNS_SIZE 1232      /* advertised UDP payload (flag day 2020) */
#define ZF_DNS_MAX_ANSWERS 4096    /* answer records of one reply kept: a
				      64 KiB message holds at most 4095 */
#define ZF_DNS_HDR 12              /* bytes of a DNS header */

struct ldns_struct_rdf;

struct zf_dns_proto {
	uint8_t *query;            /* wire form, ID 0 (owned) */
	size_t qlen;
	struct ldns_struct_rdf *qname;   /* the question's name (owned) */
	uint16_t qtype;
	size_t alen;               /* RDATA bytes of one answer: 4 or 16 */
	struct zf_dns_addr *expect;      /* sorted, distinct; NULL: any set */
	size_t n_expect;
	int expect_count;          /* > 0: distinct answers wanted */
	struct zf_dns_addr *scratch;     /* ZF_DNS_MAX_ANSWERS, per reply */
};

/* Set DP up for SPEC (kind dns): the name, type and expectations
 * checked, the query built. 0, or -EINVAL with ERR (DP then needs no
 * fini). */
int zf_dns_proto_init(struct zf_dns_proto *dp, const struct zf_probe_spec *spec,
		      char *err, size_t errlen);
void zf_dns_proto_fini(struct zf_dns_proto *dp);

/* Sort A[0..N) (entries of ALEN meaningful bytes; the rest is zeroed)
 * and drop repeats; returns how many distinct entries are left. */
size_t zf_dns_addr_set(struct zf_dns_addr *a, size_t n, size_t alen);

/* The outcome of the reply WIRE[0..LEN) to DP's query (see above). Only
 * ldns reads the message; it allocates nothing that outlives the call.
 * Not thread-safe per DP (uses dp->scratch). */
enum zf_outcome zf_dns_reply_outcome(struct zf_dns_proto *dp,
				     const uint8_t *wire, size_t len);

#endif
