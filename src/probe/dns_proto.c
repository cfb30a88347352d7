/* dns_proto.c - a dns probe's query and expectations, prepared once when
 * the probe starts (see dns_proto.h). */
#include "probe/dns_proto.h"

#include <errno.h>
#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/mem.h"

#define NAME_MAX_TEXT 253

static int cmp_addr16(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct zf_dns_addr));
}

/* Sort A[0..N) and drop repeats; returns the count left. Entries hold
 * only their first ALEN bytes: the rest is zeroed first so that whole
 * entries compare. */
size_t zf_dns_addr_set(struct zf_dns_addr *a, size_t n, size_t alen)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		memset(a[i].b + alen, 0, sizeof(a[i].b) - alen);
	qsort(a, n, sizeof(*a), cmp_addr16);
	for (size_t i = 0; i < n; i++)
		if (m == 0 || memcmp(&a[m - 1], &a[i], sizeof(*a)) != 0)
			a[m++] = a[i];
	return m;
}

/* A name ldns takes, of printable characters without spaces. */
static int name_ok(const char *s)
{
	size_t n = strnlen(s, NAME_MAX_TEXT + 2);

	if (n == 0 || n > NAME_MAX_TEXT + 1 || (n == NAME_MAX_TEXT + 1 &&
						s[n - 1] != '.'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

static int check_spec(const struct zf_probe_spec *s, char *err, size_t errlen)
{
	if (!name_ok(s->dns_name)) {
		zf_fmt(err, errlen, "probe %s: '%.64s' is not a DNS name",
		       s->name, s->dns_name);
		return -EINVAL;
	}
	if (s->dns_type && s->dns_type != ZF_DNS_TYPE_A &&
	    s->dns_type != ZF_DNS_TYPE_AAAA) {
		zf_fmt(err, errlen, "probe %s: query type %u is not A (1) or "
		       "AAAA (28)", s->name, s->dns_type);
		return -EINVAL;
	}
	if (s->dns_expect && s->dns_expect_count) {
		zf_fmt(err, errlen, "probe %s: expect an answer set or a count, "
		       "not both", s->name);
		return -EINVAL;
	}
	if (s->dns_expect_count < 0 || (s->dns_expect &&
	    (s->dns_n_expect == 0 || s->dns_n_expect > ZF_DNS_MAX_EXPECT))) {
		zf_fmt(err, errlen, "probe %s: the expected count must be > 0 "
		       "and the expected set have 1 to %d addresses", s->name,
		       ZF_DNS_MAX_EXPECT);
		return -EINVAL;
	}
	return 0;
}

/* The query's wire form (ID 0, RD, EDNS0) into DP; 0 or -EINVAL. */
static int build_query(struct zf_dns_proto *dp, const char *name)
{
	ldns_rdf *qname = ldns_dname_new_frm_str(name);
	ldns_pkt *q;
	uint8_t *wire = NULL;
	size_t len = 0;
	int rc = -EINVAL;

	if (!qname)
		return -EINVAL;
	dp->qname = ldns_rdf_clone(qname);
	q = ldns_pkt_query_new(qname, (ldns_rr_type)dp->qtype,
			       LDNS_RR_CLASS_IN, LDNS_RD);   /* owns qname */
	if (!q || !dp->qname)
		goto out;
	ldns_pkt_set_id(q, 0);
	ldns_pkt_set_edns_udp_size(q, ZF_DNS_EDNS_SIZE);
	if (ldns_pkt2wire(&wire, q, &len) == LDNS_STATUS_OK &&
	    len >= ZF_DNS_HDR) {
		dp->query = zf_xmalloc(len);
		memcpy(dp->query, wire, len);
		dp->qlen = len;
		rc = 0;
	}
out:
	free(wire);
	ldns_pkt_free(q);
	return rc;
}

static void copy_expect(struct zf_dns_proto *dp, const struct zf_probe_spec *s)
{
	dp->expect_count = s->dns_expect_count;
	if (!s->dns_expect)
		return;
	dp->expect = zf_xcalloc(s->dns_n_expect, sizeof(*dp->expect));
	memcpy(dp->expect, s->dns_expect, s->dns_n_expect * sizeof(*dp->expect));
	dp->n_expect = zf_dns_addr_set(dp->expect, s->dns_n_expect, dp->alen);
}

int zf_dns_proto_init(struct zf_dns_proto *dp, const struct zf_probe_spec *spec,
		      char *err, size_t errlen)
{
	int rc = check_spec(spec, err, errlen);

	if (rc < 0)
		return rc;
	memset(dp, 0, sizeof(*dp));
	dp->qtype = spec->dns_type ? spec->dns_type : ZF_DNS_TYPE_A;
	dp->alen = dp->qtype == ZF_DNS_TYPE_AAAA ? 16 : 4;
	rc = build_query(dp, spec->dns_name);
	if (rc < 0) {
		zf_dns_proto_fini(dp);
		zf_fmt(err, errlen, "probe %s: cannot build a query for '%.64s'",
		       spec->name, spec->dns_name);
		return rc;
	}
	copy_expect(dp, spec);
	dp->scratch = zf_xcalloc(ZF_DNS_MAX_ANSWERS, sizeof(*dp->scratch));
	return 0;
}

void zf_dns_proto_fini(struct zf_dns_proto *dp)
{
	free(dp->query);
	ldns_rdf_deep_free(dp->qname);
	free(dp->expect);
	free(dp->scratch);
	memset(dp, 0, sizeof(*dp));
}
