/* test_probe_dns.c - the DNS side of dns probes, without sockets: the
 * query built for a spec, the verdict on replies built with ldns (ok,
 * wrong, servfail, nxdomain, empty, other rcodes, malformed or foreign
 * replies, truncation, CNAME chains, AAAA, answer counts), bad specs, and
 * the resolv.conf reader that finds a host's resolver. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/dns_proto.h"
#include "probe/dns_resolv.h"
#include "probe/probe.h"

/* A spec for NAME/TYPE expecting the IPv4 (or, for AAAA, IPv6) literals
 * ADDRS (NULL-terminated; NULL: any) or COUNT answers. */
struct tspec {
	struct zf_probe_spec s;
	struct zf_dns_addr a[8];
};

static void make_spec(struct tspec *t, const char *name, uint16_t type,
		      const char *const *addrs, int count)
{
	size_t n = 0;

	memset(t, 0, sizeof(*t));
	snprintf(t->s.name, sizeof(t->s.name), "d");
	t->s.kind = ZF_PROBE_DNS;
	t->s.rate = 10;
	t->s.netns_fd = -1;
	snprintf(t->s.dns_name, sizeof(t->s.dns_name), "%s", name);
	t->s.dns_type = type;
	t->s.dns_expect_count = count;
	for (; addrs && addrs[n]; n++)
		assert_int_equal(inet_pton(type == ZF_DNS_TYPE_AAAA ? AF_INET6
					   : AF_INET, addrs[n], t->a[n].b), 1);
	if (addrs) {
		t->s.dns_expect = t->a;
		t->s.dns_n_expect = n;
	}
}

static void proto_for(struct zf_dns_proto *dp, const char *name,
		      uint16_t type, const char *const *addrs, int count)
{
	struct tspec t;
	char err[256] = "";

	make_spec(&t, name, type, addrs, count);
	if (zf_dns_proto_init(dp, &t.s, err, sizeof(err)) < 0)
		fail_msg("init: %s", err);
}

/* A reply to DP's query: QNAME/QTYPE as the question (NULL: the query's),
 * RCODE, flags QR (unless NOQR) and TC, answer records as zone-file text
 * lines (NULL-terminated). Returns its wire form in a new *LEN buffer. */
struct reply {
	const char *qname;
	ldns_rr_type qtype;
	ldns_pkt_rcode rcode;
	int noqr, tc;
	const char *const *rrs;
};

static uint8_t *build(const struct zf_dns_proto *dp, const struct reply *r,
		      size_t *len)
{
	ldns_pkt *p = ldns_pkt_new();
	ldns_rr *q = ldns_rr_new();
	uint8_t *wire = NULL;

	ldns_pkt_set_id(p, 0x1234);
	ldns_pkt_set_qr(p, !r->noqr);
	ldns_pkt_set_aa(p, 1);
	ldns_pkt_set_tc(p, r->tc);
	ldns_pkt_set_rcode(p, r->rcode);
	ldns_rr_set_question(q, 1);
	ldns_rr_set_owner(q, r->qname ? ldns_dname_new_frm_str(r->qname)
				      : ldns_rdf_clone(dp->qname));
	ldns_rr_set_type(q, r->qtype ? r->qtype : (ldns_rr_type)dp->qtype);
	ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, q);
	for (size_t i = 0; r->rrs && r->rrs[i]; i++) {
		ldns_rr *rr = NULL;

		assert_int_equal(ldns_rr_new_frm_str(&rr, r->rrs[i], 0, NULL,
						     NULL), LDNS_STATUS_OK);
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
	}
	assert_int_equal(ldns_pkt2wire(&wire, p, len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	return wire;
}

static enum zf_outcome judge(struct zf_dns_proto *dp, const struct reply *r)
{
	size_t len = 0;
	uint8_t *w = build(dp, r, &len);
	enum zf_outcome o = zf_dns_reply_outcome(dp, w, len);

	free(w);
	return o;
}

/* Shorthand: a NOERROR reply with RRS to DP's own question. */
static enum zf_outcome answers(struct zf_dns_proto *dp, const char *const *rrs)
{
	struct reply r = { .rrs = rrs };

	return judge(dp, &r);
}

static void assert_outcome(enum zf_outcome got, enum zf_outcome want)
{
	if (got != want)
		fail_msg("outcome %s, want %s", zf_outcome_name(got),
			 zf_outcome_name(want));
}

static const char *const two[] = { "10.0.0.1", "10.0.0.2", NULL };

static void test_query(void **state)
{
	struct zf_dns_proto dp;
	ldns_pkt *q = NULL;

	(void)state;
	proto_for(&dp, "www.lab", ZF_DNS_TYPE_A, NULL, 0);
	assert_int_equal(ldns_wire2pkt(&q, dp.query, dp.qlen), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt_id(q), 0);
	assert_false(ldns_pkt_qr(q));
	assert_true(ldns_pkt_rd(q));
	assert_int_equal(ldns_pkt_qdcount(q), 1);
	assert_int_equal(ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_question(q),
							  0)), LDNS_RR_TYPE_A);
	assert_int_equal(ldns_pkt_edns_udp_size(q), ZF_DNS_EDNS_SIZE);
	assert_int_equal(dp.alen, 4);
	ldns_pkt_free(q);
	zf_dns_proto_fini(&dp);
	proto_for(&dp, "web-a.r1.lab.", ZF_DNS_TYPE_AAAA, NULL, 0);
	assert_int_equal(dp.qtype, ZF_DNS_TYPE_AAAA);
	assert_int_equal(dp.alen, 16);
	zf_dns_proto_fini(&dp);
}

/* The answer set is compared as a set: order and repeats do not matter,
 * a missing, extra or other address is wrong. */
static void test_answer_set(void **state)
{
	const char *ok1[] = { "www.lab. 5 IN A 10.0.0.2",
			      "www.lab. 5 IN A 10.0.0.1", NULL };
	const char *ok2[] = { "www.lab. 5 IN A 10.0.0.1",
			      "www.lab. 5 IN A 10.0.0.2",
			      "www.lab. 5 IN A 10.0.0.1", NULL };
	const char *less[] = { "www.lab. 5 IN A 10.0.0.1", NULL };
	const char *more[] = { "www.lab. 5 IN A 10.0.0.1",
			       "www.lab. 5 IN A 10.0.0.2",
			       "www.lab. 5 IN A 10.0.0.3", NULL };
	const char *other[] = { "www.lab. 5 IN A 10.0.0.1",
				"www.lab. 5 IN A 10.6.6.6", NULL };
	const char *const dup[] = { "10.0.0.2", "10.0.0.1", "10.0.0.2", NULL };
	struct zf_dns_proto dp;

	(void)state;
	proto_for(&dp, "www.lab", ZF_DNS_TYPE_A, two, 0);
	assert_outcome(answers(&dp, ok1), ZF_OUT_OK);
	assert_outcome(answers(&dp, ok2), ZF_OUT_OK);
	assert_outcome(answers(&dp, less), ZF_OUT_WRONG);
	assert_outcome(answers(&dp, more), ZF_OUT_WRONG);
	assert_outcome(answers(&dp, other), ZF_OUT_WRONG);
	zf_dns_proto_fini(&dp);
	proto_for(&dp, "www.lab", ZF_DNS_TYPE_A, dup, 0);   /* a set too */
	assert_int_equal(dp.n_expect, 2);
	assert_outcome(answers(&dp, ok1), ZF_OUT_OK);
	zf_dns_proto_fini(&dp);
}

/* expect_count counts distinct answers; no expectation takes any. */
static void test_answer_count(void **state)
{
	const char *a2[] = { "www.lab. 5 IN A 10.0.0.1",
			     "www.lab. 5 IN A 10.0.0.9", NULL };
	const char *a1x2[] = { "www.lab. 5 IN A 10.0.0.1",
			       "www.lab. 5 IN A 10.0.0.1", NULL };
	const char *a3[] = { "www.lab. 5 IN A 10.0.0.1",
			     "www.lab. 5 IN A 10.0.0.2",
			     "www.lab. 5 IN A 10.0.0.3", NULL };
	struct zf_dns_proto dp;

	(void)state;
	proto_for(&dp, "www.lab", ZF_DNS_TYPE_A, NULL, 2);
	assert_outcome(answers(&dp, a2), ZF_OUT_OK);
	assert_outcome(answers(&dp, a1x2), ZF_OUT_WRONG);
	assert_outcome(answers(&dp, a3), ZF_OUT_WRONG);
	zf_dns_proto_fini(&dp);
	proto_for(&dp, "www.lab", ZF_DNS_TYPE_A, NULL, 0);
	assert_outcome(answers(&dp, a1x2), ZF_OUT_OK);
	assert_outcome(answers(&dp, a3), ZF_OUT_OK);
	zf_dns_proto_fini(&dp);
}

/* NOERROR without an answer of the asked type is empty: no records, only
 * a CNAME, only records of another type. */
static void test_empty(void **state)
{
	const char *cname[] = { "www.lab. 5 IN CNAME web.lab.", NULL };
	const char *aaaa[] = { "www.lab. 5 IN AAAA 2001:db8::1", NULL };
	const char *txt[] = { "www.lab. 5 IN TXT \"10.0.0.1\"", NULL };
	struct zf_dns_proto dp;

	(void)state;
	proto_for(&dp, "www.lab", ZF_DNS_TYPE_A, two, 0);
	assert_outcome(answers(&dp, NULL), ZF_OUT_EMPTY);
	assert_outcome(answers(&dp, cname), ZF_OUT_EMPTY);
	assert_outcome(answers(&dp, aaaa), ZF_OUT_EMPTY);
	assert_outcome(answers(&dp, txt), ZF_OUT_EMPTY);
	zf_dns_proto_fini(&dp);
}

/* A CNAME chain counts by its final addresses, whatever their owner. */
static void test_cname_chain(void **state)
{
	const char *chain[] = { "www.lab. 5 IN CNAME web.lab.",
				"web.lab. 5 IN A 10.0.0.2",
				"web.lab. 5 IN A 10.0.0.1", NULL };
	struct zf_dns_proto dp;

	(void)state;
	proto_for(&dp, "www.lab", ZF_DNS_TYPE_A, two, 0);
	assert_outcome(answers(&dp, chain), ZF_OUT_OK);
	zf_dns_proto_fini(&dp);
}

static void test_rcodes(void **state)
{
	const char *a[] = { "www.lab. 5 IN A 10.0.0.1", NULL };
	struct reply r = { .rcode = LDNS_RCODE_SERVFAIL };
	struct zf_dns_proto dp;

	(void)state;
	proto_for(&dp, "www.lab", ZF_DNS_TYPE_A, two, 0);
	assert_outcome(judge(&dp, &r), ZF_OUT_SERVFAIL);
	r.rcode = LDNS_RCODE_NXDOMAIN;
	assert_outcome(judge(&dp, &r), ZF_OUT_NXDOMAIN);
	r.rcode = LDNS_RCODE_REFUSED;
	assert_outcome(judge(&dp, &r), ZF_OUT_STATUS);
	r.rcode = LDNS_RCODE_FORMERR;
	assert_outcome(judge(&dp, &r), ZF_OUT_STATUS);
	r.rcode = LDNS_RCODE_NOTIMPL;
	assert_outcome(judge(&dp, &r), ZF_OUT_STATUS);
	r.rcode = LDNS_RCODE_SERVFAIL;     /* answers do not matter */
	r.rrs = a;
	assert_outcome(judge(&dp, &r), ZF_OUT_SERVFAIL);
	r.rcode = LDNS_RCODE_NXDOMAIN;     /* even truncated */
	r.tc = 1;
	assert_outcome(judge(&dp, &r), ZF_OUT_NXDOMAIN);
	zf_dns_proto_fini(&dp);
}

/* Replies that are no answer to our question: other. */
static void test_foreign(void **state)
{
	const char *a[] = { "www.lab. 5 IN A 10.0.0.1",
			    "www.lab. 5 IN A 10.0.0.2", NULL };
	struct zf_dns_proto dp;
	struct reply r = { .rrs = a };

	(void)state;
	proto_for(&dp, "www.lab", ZF_DNS_TYPE_A, two, 0);
	assert_outcome(judge(&dp, &r), ZF_OUT_OK);
	r.qname = "WWW.Lab.";              /* case does not matter */
	assert_outcome(judge(&dp, &r), ZF_OUT_OK);
	r.qname = "web.lab.";
	assert_outcome(judge(&dp, &r), ZF_OUT_OTHER);
	r.qname = NULL;
	r.qtype = LDNS_RR_TYPE_AAAA;
	assert_outcome(judge(&dp, &r), ZF_OUT_OTHER);
	r.qtype = 0;
	r.noqr = 1;                        /* a query, not a response */
	assert_outcome(judge(&dp, &r), ZF_OUT_OTHER);
	r.noqr = 0;
	r.tc = 1;                          /* truncated: no TCP retry */
	assert_outcome(judge(&dp, &r), ZF_OUT_OTHER);
	zf_dns_proto_fini(&dp);
}

/* Bytes that do not parse: other, and no crash on any prefix. */
static void test_malformed(void **state)
{
	const char *a[] = { "www.lab. 5 IN A 10.0.0.1",
			    "www.lab. 5 IN A 10.0.0.2", NULL };
	uint8_t junk[64];
	struct zf_dns_proto dp;
	struct reply r = { .rrs = a };
	size_t len = 0;
	uint8_t *w;

	(void)state;
	proto_for(&dp, "www.lab", ZF_DNS_TYPE_A, two, 0);
	w = build(&dp, &r, &len);
	assert_outcome(zf_dns_reply_outcome(&dp, w, len), ZF_OUT_OK);
	for (size_t cut = 0; cut < len; cut++)
		assert_outcome(zf_dns_reply_outcome(&dp, w, cut), ZF_OUT_OTHER);
	w[7] = 200;                        /* ANCOUNT beyond the message */
	assert_outcome(zf_dns_reply_outcome(&dp, w, len), ZF_OUT_OTHER);
	free(w);
	memset(junk, 0xff, sizeof(junk));
	assert_outcome(zf_dns_reply_outcome(&dp, junk, sizeof(junk)),
		       ZF_OUT_OTHER);
	assert_outcome(zf_dns_reply_outcome(&dp, NULL, 0), ZF_OUT_OTHER);
	zf_dns_proto_fini(&dp);
}

static void test_aaaa(void **state)
{
	const char *const want[] = { "2001:db8::1", "2001:db8::2", NULL };
	const char *ok[] = { "www.lab. 5 IN AAAA 2001:db8::2",
			     "www.lab. 5 IN AAAA 2001:DB8:0::1", NULL };
	const char *bad[] = { "www.lab. 5 IN AAAA 2001:db8::1", NULL };
	const char *v4[] = { "www.lab. 5 IN A 10.0.0.1", NULL };
	struct zf_dns_proto dp;

	(void)state;
	proto_for(&dp, "www.lab", ZF_DNS_TYPE_AAAA, want, 0);
	assert_outcome(answers(&dp, ok), ZF_OUT_OK);
	assert_outcome(answers(&dp, bad), ZF_OUT_WRONG);
	assert_outcome(answers(&dp, v4), ZF_OUT_EMPTY);
	zf_dns_proto_fini(&dp);
}

static void bad_spec(const struct tspec *t, const char *want)
{
	struct zf_probe *p = NULL;
	char err[256] = "";

	assert_int_equal(zf_probe_start(&t->s, 0, &p, err, sizeof(err)),
			 -EINVAL);
	assert_null(p);
	if (!strstr(err, want))
		fail_msg("error '%s', want '%s'", err, want);
}

static void test_bad_specs(void **state)
{
	struct tspec t;

	(void)state;
	make_spec(&t, "www.lab", 0, NULL, 0);
	t.s.addr.sin_family = AF_INET;
	t.s.addr.sin_port = htons(53);
	t.s.addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	snprintf(t.s.dns_name, sizeof(t.s.dns_name), "a..b");
	bad_spec(&t, "probe d: cannot build a query for 'a..b'");
	snprintf(t.s.dns_name, sizeof(t.s.dns_name), "a b");
	bad_spec(&t, "probe d: 'a b' is not a DNS name");
	t.s.dns_name[0] = '\0';
	bad_spec(&t, "is not a DNS name");
	snprintf(t.s.dns_name, sizeof(t.s.dns_name), "www.lab");
	t.s.dns_type = 5;
	bad_spec(&t, "query type 5 is not A (1) or AAAA (28)");
	t.s.dns_type = 0;
	t.s.dns_expect = t.a;
	t.s.dns_n_expect = 1;
	t.s.dns_expect_count = 1;
	bad_spec(&t, "expect an answer set or a count, not both");
	t.s.dns_expect_count = 0;
	t.s.dns_n_expect = 0;
	bad_spec(&t, "the expected answer set must have 1 to 1024");
	t.s.dns_expect = NULL;
	t.s.dns_expect_count = -1;
	bad_spec(&t, "the expected count must be > 0");
	t.s.dns_expect_count = 0;
	t.s.addr.sin_port = 0;
	bad_spec(&t, "no IPv4 address and port");
}

static void resolv_is(const char *text, const char *want)
{
	uint32_t ip = 0;
	char buf[INET_ADDRSTRLEN];
	struct in_addr a;
	int rc = zf_dns_resolv_first(text, strlen(text), &ip);

	if (!want) {
		assert_int_equal(rc, -ENOENT);
		return;
	}
	assert_int_equal(rc, 0);
	a.s_addr = htonl(ip);
	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_resolv(void **state)
{
	char big[ZF_RESOLV_MAX + 64];

	(void)state;
	resolv_is("nameserver 198.18.255.10\n", "198.18.255.10");
	resolv_is("# lab\nsearch lab\noptions ndots:1\n"
		  "nameserver\t198.18.255.2 \r\nnameserver 10.0.0.1\n",
		  "198.18.255.2");
	resolv_is("nameserver ::1\nnameserver fe80::1%eth0\n"
		  "  nameserver 10.1.2.3#x\n", "10.1.2.3");
	resolv_is("nameserver 10.0.0.7 ; comment", "10.0.0.7");
	resolv_is("; nameserver 10.0.0.1\n# nameserver 10.0.0.2\n"
		  "nameserver10.0.0.3\nnameservers 10.0.0.4\n"
		  "nameserver\nnameserver \nnameserver 10.0.0.256\n"
		  "nameserver 255.255.255.2555\nnameserver 1.2.3\n", NULL);
	resolv_is("", NULL);
	resolv_is("nameserver", NULL);
	resolv_is("search lab", NULL);
	/* Not NUL-terminated: only LEN bytes are read. */
	{
		uint32_t ip = 0;
		const char *t = "nameserver 10.0.0.1\nnameserver 10.0.0.2";

		assert_int_equal(zf_dns_resolv_first(t, 15, &ip), -ENOENT);
		assert_int_equal(zf_dns_resolv_first(t, 19, &ip), 0);
		assert_int_equal(ip, 0x0a000001);
		assert_int_equal(zf_dns_resolv_first(t, 18, &ip), -ENOENT);
		assert_int_equal(zf_dns_resolv_first(t, strlen(t), &ip), 0);
		assert_int_equal(ip, 0x0a000001);
	}
	/* Past ZF_RESOLV_MAX nothing is read. */
	memset(big, '#', sizeof(big));
	big[0] = '\n';
	memcpy(big + ZF_RESOLV_MAX + 1, "\nnameserver 1.1.1.1\n", 20);
	assert_int_equal(zf_dns_resolv_first(big, sizeof(big), &(uint32_t){ 0 }),
			 -ENOENT);
}

static void test_outcome_names(void **state)
{
	(void)state;
	assert_string_equal(zf_outcome_name(ZF_OUT_SERVFAIL), "servfail");
	assert_string_equal(zf_outcome_name(ZF_OUT_NXDOMAIN), "nxdomain");
	assert_string_equal(zf_outcome_name(ZF_OUT_EMPTY), "empty");
	assert_string_equal(zf_outcome_name(ZF_OUT_WRONG), "wrong");
	assert_string_equal(zf_outcome_name(ZF_OUT_STATUS), "bad_status");
	assert_string_equal(zf_outcome_name(ZF_OUT_OTHER), "other");
	assert_string_equal(zf_outcome_name(ZF_OUT_N), "other");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_answer_set),
		cmocka_unit_test(test_answer_count),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_cname_chain),
		cmocka_unit_test(test_rcodes),
		cmocka_unit_test(test_foreign),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_aaaa),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_resolv),
		cmocka_unit_test(test_outcome_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
