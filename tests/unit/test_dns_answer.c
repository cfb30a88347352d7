/* test_dns_answer.c - the DNS daemon's query path (dnsd_handle: parse,
 * lookup, answer, wire), run in-process on queries built with ldns: A
 * RRsets, round-robin rotation, health-aware filtering, cname chasing,
 * NXDOMAIN versus NOERROR without data, REFUSED outside the zone, EDNS
 * sizes and the TC bit, TCP, name case and compression, SOA/NS/ANY,
 * malformed queries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/daemon/dnsd.h"
#include "dns/dns_config.h"

#define NO_EDNS (-1)

static const char zone_text[] =
	"zone lab\n"
	"listen r1 /run/netns/x 198.18.0.53\n"
	"a web.lab 30 10.0.0.1\n"
	"a web.lab 30 10.0.0.2\n"
	"a web.lab 30 10.0.0.3\n"
	"rrset web.lab order=roundrobin\n"
	"a api.lab 20 10.1.0.1\n"
	"a api.lab 20 10.1.0.2 health=down\n"
	"a api.lab 20 10.1.0.3\n"
	"rrset api.lab order=roundrobin health=aware\n"
	"a dead.lab 20 10.2.0.1 health=down\n"
	"a dead.lab 20 10.2.0.2 health=down\n"
	"rrset dead.lab health=aware\n"
	"a fixed.lab 20 10.3.0.1 health=down\n"
	"a fixed.lab 20 10.3.0.2\n"
	"a pg.r1.lab 10 10.4.0.1\n"
	"cname www.lab 60 web.lab\n"
	"cname www2.lab 60 www.lab\n"
	"cname ext.lab 60 example.com\n"
	"cname gone.lab 60 missing.lab\n";

static struct dnsd_engine *engine_from(const char *text, uint64_t gen)
{
	struct dnsd_engine *e = calloc(1, sizeof(*e));
	struct zf_dns_config cfg;
	struct dnsd_zone *z;
	char err[256];

	assert_int_equal(dnsd_engine_init(e), 0);
	if (zf_dns_config_parse("config", text, strlen(text), &cfg, err,
				sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_int_equal(dnsd_zone_build(&cfg, gen, &z), 0);
	dnsd_engine_commit(e, &cfg, z, gen);
	zf_dns_config_free(&cfg);
	return e;
}

static void engine_done(struct dnsd_engine *e)
{
	dnsd_engine_free(e);
	free(e);
}

/* A query for NAME/TYPE into BUF; EDNS: NO_EDNS or the advertised size. */
static size_t make_query(uint8_t *buf, const char *name, ldns_rr_type type,
			 int edns, uint16_t id)
{
	ldns_pkt *p = NULL;
	uint8_t *wire = NULL;
	size_t len = 0;

	assert_int_equal(ldns_pkt_query_new_frm_str(&p, name, type,
						    LDNS_RR_CLASS_IN, LDNS_RD),
			 LDNS_STATUS_OK);
	ldns_pkt_set_id(p, id);
	if (edns != NO_EDNS)
		ldns_pkt_set_edns_udp_size(p, (uint16_t)edns);
	assert_int_equal(ldns_pkt2wire(&wire, p, &len), LDNS_STATUS_OK);
	memcpy(buf, wire, len);
	free(wire);
	ldns_pkt_free(p);
	return len;
}

/* Run the query path; the reply parsed back (the caller frees it). */
static ldns_pkt *run(struct dnsd_engine *e, const uint8_t *q, size_t len,
		     bool tcp, struct dnsd_result *res)
{
	static uint8_t out[DNSD_TCP_MAX];
	struct dnsd_src src = { .resolver = "r1", .tcp = tcp };
	ldns_pkt *r = NULL;

	inet_pton(AF_INET, "198.18.0.53", &src.local);
	dnsd_handle(e, &src, q, len, out, tcp ? DNSD_TCP_MAX : 4096, res);
	assert_int_equal(res->verdict, DNSD_SEND);
	assert_true(res->len >= LDNS_HEADER_SIZE);
	assert_int_equal(ldns_wire2pkt(&r, out, res->len), LDNS_STATUS_OK);
	assert_true(ldns_pkt_qr(r));
	assert_int_equal(ldns_pkt_id(r), LDNS_ID_WIRE(q));
	return r;
}

static ldns_pkt *ask(struct dnsd_engine *e, const char *name,
		     ldns_rr_type type, struct dnsd_result *res)
{
	uint8_t q[512];
	size_t len = make_query(q, name, type, 1232, 0x4242);

	return run(e, q, len, false, res);
}

/* The rdata of section S as text: "10.0.0.1 10.0.0.2", "web.lab. ...". */
static const char *rdata(const ldns_pkt *p, ldns_pkt_section s)
{
	static char out[4096];
	ldns_rr_list *l = ldns_pkt_get_section_clone(p, s);
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
		char *t = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(l, i), 0));

		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s",
				      i ? " " : "", t);
		free(t);
	}
	ldns_rr_list_deep_free(l);
	return out;
}

static void test_a_rrset(void **state)
{
	struct dnsd_engine *e = engine_from(zone_text, 0);
	struct dnsd_result res;
	ldns_pkt *r;

	(void)state;
	r = ask(e, "pg.r1.lab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_NOERROR);
	assert_true(ldns_pkt_aa(r));
	assert_true(ldns_pkt_rd(r));           /* copied */
	assert_false(ldns_pkt_ra(r));
	assert_string_equal(rdata(r, LDNS_SECTION_ANSWER), "10.4.0.1");
	assert_int_equal(ldns_rr_ttl(ldns_rr_list_rr(ldns_pkt_answer(r), 0)),
			 10);
	assert_int_equal(ldns_pkt_nscount(r), 0);   /* minimal */
	assert_int_equal(res.fault, -1);
	assert_int_equal(res.delay_ns, 0);
	ldns_pkt_free(r);
	/* Health is ignored when the RRset is not health-aware, and the
	 * order is the file's when it is not round-robin. */
	for (int i = 0; i < 3; i++) {
		r = ask(e, "fixed.lab", LDNS_RR_TYPE_A, &res);
		assert_string_equal(rdata(r, LDNS_SECTION_ANSWER),
				    "10.3.0.1 10.3.0.2");
		ldns_pkt_free(r);
	}
	engine_done(e);
}

static void test_round_robin(void **state)
{
	static const char *const want[] = {
		"10.0.0.1 10.0.0.2 10.0.0.3", "10.0.0.2 10.0.0.3 10.0.0.1",
		"10.0.0.3 10.0.0.1 10.0.0.2", "10.0.0.1 10.0.0.2 10.0.0.3",
	};
	struct dnsd_engine *e = engine_from(zone_text, 0);
	struct dnsd_result res;

	(void)state;
	for (int i = 0; i < 4; i++) {
		ldns_pkt *r = ask(e, "web.lab", LDNS_RR_TYPE_A, &res);

		assert_string_equal(rdata(r, LDNS_SECTION_ANSWER), want[i]);
		ldns_pkt_free(r);
	}
	engine_done(e);
}

static void test_health_aware(void **state)
{
	struct dnsd_engine *e = engine_from(zone_text, 0);
	struct dnsd_result res;
	ldns_pkt *r;

	(void)state;
	/* 10.1.0.2 is down: the two others, each leading in turn. */
	r = ask(e, "api.lab", LDNS_RR_TYPE_A, &res);
	assert_string_equal(rdata(r, LDNS_SECTION_ANSWER), "10.1.0.1 10.1.0.3");
	ldns_pkt_free(r);
	r = ask(e, "api.lab", LDNS_RR_TYPE_A, &res);
	assert_string_equal(rdata(r, LDNS_SECTION_ANSWER), "10.1.0.3 10.1.0.1");
	ldns_pkt_free(r);
	/* All down: NOERROR with no answer (and the SOA). */
	r = ask(e, "dead.lab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_NOERROR);
	assert_int_equal(ldns_pkt_ancount(r), 0);
	assert_int_equal(ldns_pkt_nscount(r), 1);
	ldns_pkt_free(r);
	engine_done(e);
}

static void test_cname(void **state)
{
	struct dnsd_engine *e = engine_from(zone_text, 0);
	struct dnsd_result res;
	ldns_pkt *r;

	(void)state;
	r = ask(e, "www2.lab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_NOERROR);
	assert_string_equal(rdata(r, LDNS_SECTION_ANSWER),
			    "www.lab. web.lab. 10.0.0.1 10.0.0.2 10.0.0.3");
	ldns_pkt_free(r);
	/* The CNAME itself; AAAA follows the chain to no data. */
	r = ask(e, "www2.lab", LDNS_RR_TYPE_CNAME, &res);
	assert_string_equal(rdata(r, LDNS_SECTION_ANSWER), "www.lab.");
	ldns_pkt_free(r);
	r = ask(e, "www.lab", LDNS_RR_TYPE_AAAA, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_NOERROR);
	assert_string_equal(rdata(r, LDNS_SECTION_ANSWER), "web.lab.");
	ldns_pkt_free(r);
	/* A target outside the zone ends the chain; a missing one inside
	 * makes the answer NXDOMAIN (RFC 6604), the cname kept. */
	r = ask(e, "ext.lab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_NOERROR);
	assert_string_equal(rdata(r, LDNS_SECTION_ANSWER), "example.com.");
	ldns_pkt_free(r);
	r = ask(e, "gone.lab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_NXDOMAIN);
	assert_string_equal(rdata(r, LDNS_SECTION_ANSWER), "missing.lab.");
	ldns_pkt_free(r);
	engine_done(e);
}

static void test_nxdomain_vs_nodata(void **state)
{
	struct dnsd_engine *e = engine_from(zone_text, 7);
	struct dnsd_result res;
	ldns_pkt *r;

	(void)state;
	r = ask(e, "nope.lab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_NXDOMAIN);
	assert_true(ldns_pkt_aa(r));
	assert_int_equal(ldns_pkt_ancount(r), 0);
	assert_int_equal(ldns_pkt_nscount(r), 1);
	assert_string_equal(rdata(r, LDNS_SECTION_AUTHORITY), "ns.lab.");
	assert_int_equal(ldns_rr_get_type(ldns_rr_list_rr(
				 ldns_pkt_authority(r), 0)), LDNS_RR_TYPE_SOA);
	ldns_pkt_free(r);
	/* An empty non-terminal exists; AAAA of a name with A: no data. */
	r = ask(e, "r1.lab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_NOERROR);
	assert_int_equal(ldns_pkt_ancount(r), 0);
	ldns_pkt_free(r);
	r = ask(e, "web.lab", LDNS_RR_TYPE_AAAA, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_NOERROR);
	assert_int_equal(ldns_pkt_ancount(r), 0);
	assert_int_equal(ldns_pkt_nscount(r), 1);
	ldns_pkt_free(r);
	r = ask(e, "web.lab", LDNS_RR_TYPE_MX, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_NOERROR);
	assert_int_equal(ldns_pkt_ancount(r), 0);
	ldns_pkt_free(r);
	engine_done(e);
}

static void test_refused(void **state)
{
	struct dnsd_engine *e = engine_from(zone_text, 0);
	struct dnsd_result res;
	ldns_pkt *r;

	(void)state;
	r = ask(e, "example.com", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_REFUSED);
	assert_false(ldns_pkt_aa(r));
	assert_int_equal(ldns_pkt_ancount(r), 0);
	ldns_pkt_free(r);
	/* "xlab" is not below "lab". */
	r = ask(e, "web.xlab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_REFUSED);
	ldns_pkt_free(r);
	r = ask(e, "lab", LDNS_RR_TYPE_AXFR, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_REFUSED);
	ldns_pkt_free(r);
	engine_done(e);
	/* No zone at all: everything is refused. */
	e = engine_from("# empty\n", 0);
	r = ask(e, "web.lab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_REFUSED);
	ldns_pkt_free(r);
	engine_done(e);
}

/* 100 addresses: 12 + 14 (question) + 100 * 16 = 1626 bytes (+ 11 OPT). */
static char *big_zone(const char *extra)
{
	char *t = malloc(8192);
	size_t n = (size_t)snprintf(t, 8192, "zone lab\n%s", extra);

	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(t + n, 8192 - n, "a big.lab 5 10.9.0.%d\n",
				      i + 1);
	return t;
}

static void expect_size(struct dnsd_engine *e, int edns, bool tcp, bool tc,
			size_t ancount)
{
	struct dnsd_result res;
	uint8_t q[512];
	size_t len = make_query(q, "big.lab", LDNS_RR_TYPE_A, edns, 7);
	ldns_pkt *r = run(e, q, len, tcp, &res);

	assert_int_equal(ldns_pkt_tc(r), tc);
	assert_int_equal(res.truncated, tc);
	assert_int_equal(ldns_pkt_ancount(r), ancount);
	assert_int_equal(ldns_pkt_edns(r), edns != NO_EDNS);
	if (!tcp)
		assert_true(res.len <= (edns == NO_EDNS ? 512u :
					edns < 512 ? 512u : (size_t)edns));
	ldns_pkt_free(r);
}

static void test_edns_and_tc(void **state)
{
	char *text = big_zone("");
	struct dnsd_engine *e = engine_from(text, 0);
	struct dnsd_result res;
	ldns_pkt *r;

	(void)state;
	expect_size(e, NO_EDNS, false, true, 0);   /* 512 without EDNS */
	expect_size(e, 512, false, true, 0);
	expect_size(e, 4096, false, true, 0);      /* our udp-max: 1232 */
	expect_size(e, NO_EDNS, true, false, 100); /* TCP: all of it */
	r = ask(e, "big.lab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_edns_udp_size(r), 1232);   /* advertised */
	ldns_pkt_free(r);
	engine_done(e);
	free(text);
	text = big_zone("udp-max 4096\n");
	e = engine_from(text, 0);
	expect_size(e, 4096, false, false, 100);
	expect_size(e, 1232, false, true, 0);
	expect_size(e, 100, false, true, 0);       /* below 512 counts 512 */
	engine_done(e);
	free(text);
}

static void test_case_and_compression(void **state)
{
	struct dnsd_engine *e = engine_from(zone_text, 0);
	struct dnsd_result res;
	uint8_t q[512];
	size_t len = make_query(q, "Pg.R1.LAB", LDNS_RR_TYPE_A, NO_EDNS, 9);
	ldns_pkt *r = run(e, q, len, false, &res);
	char *qname;

	(void)state;
	assert_string_equal(rdata(r, LDNS_SECTION_ANSWER), "10.4.0.1");
	qname = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(
					   ldns_pkt_question(r), 0)));
	assert_string_equal(qname, "Pg.R1.LAB.");    /* echoed as asked */
	free(qname);
	/* Header 12, question 11 + 4, answer: pointer 2 + 10 + 4. */
	assert_int_equal(res.len, 12 + 15 + 16);
	ldns_pkt_free(r);
	r = ask(e, "web.lab", LDNS_RR_TYPE_A, &res);
	/* 12 + 13 + 3 * 16 + OPT 11: every owner is a 2-byte pointer. */
	assert_int_equal(res.len, 12 + 13 + 48 + 11);
	ldns_pkt_free(r);
	engine_done(e);
}

static void test_apex(void **state)
{
	struct dnsd_engine *e = engine_from(zone_text, 7);
	struct dnsd_result res;
	ldns_pkt *r;

	(void)state;
	r = ask(e, "lab", LDNS_RR_TYPE_SOA, &res);
	assert_int_equal(ldns_pkt_ancount(r), 1);
	assert_int_equal(ldns_rdf2native_int32(ldns_rr_rdf(ldns_rr_list_rr(
				 ldns_pkt_answer(r), 0), 2)), 7);   /* serial */
	ldns_pkt_free(r);
	r = ask(e, "lab", LDNS_RR_TYPE_NS, &res);
	assert_string_equal(rdata(r, LDNS_SECTION_ANSWER), "ns.lab.");
	/* Glue: the address of the listener that was asked. */
	assert_string_equal(rdata(r, LDNS_SECTION_ADDITIONAL), "198.18.0.53");
	ldns_pkt_free(r);
	r = ask(e, "ns.lab", LDNS_RR_TYPE_A, &res);
	assert_string_equal(rdata(r, LDNS_SECTION_ANSWER), "198.18.0.53");
	ldns_pkt_free(r);
	/* ANY: one RRset (RFC 8482). */
	r = ask(e, "www.lab", LDNS_RR_TYPE_ANY, &res);
	assert_string_equal(rdata(r, LDNS_SECTION_ANSWER), "web.lab.");
	ldns_pkt_free(r);
	r = ask(e, "pg.r1.lab", LDNS_RR_TYPE_ANY, &res);
	assert_string_equal(rdata(r, LDNS_SECTION_ANSWER), "10.4.0.1");
	ldns_pkt_free(r);
	r = ask(e, "web.lab", LDNS_RR_TYPE_NS, &res);
	assert_int_equal(ldns_pkt_ancount(r), 0);
	ldns_pkt_free(r);
	engine_done(e);
}

static void handle_raw(struct dnsd_engine *e, const uint8_t *q, size_t len,
		       struct dnsd_result *res, uint8_t *out)
{
	struct dnsd_src src = { .resolver = "r1" };

	dnsd_handle(e, &src, q, len, out, 4096, res);
}

static void test_malformed(void **state)
{
	struct dnsd_engine *e = engine_from(zone_text, 0);
	struct dnsd_result res;
	uint8_t q[512], out[4096];
	size_t len = make_query(q, "web.lab", LDNS_RR_TYPE_A, NO_EDNS, 0xabcd);

	(void)state;
	/* No header: dropped. */
	handle_raw(e, q, 11, &res, out);
	assert_int_equal(res.verdict, DNSD_DROP);
	/* A header promising a question that is not there: FORMERR. */
	handle_raw(e, q, 12, &res, out);
	assert_int_equal(res.verdict, DNSD_SEND);
	assert_true(res.formerr);
	assert_int_equal(res.len, 12);
	assert_int_equal(LDNS_RCODE_WIRE(out), LDNS_RCODE_FORMERR);
	assert_int_equal(LDNS_ID_WIRE(out), 0xabcd);
	assert_true(LDNS_QR_WIRE(out));
	/* A cut question, and two questions. */
	handle_raw(e, q, len - 3, &res, out);
	assert_true(res.formerr);
	q[5] = 2;
	handle_raw(e, q, len, &res, out);
	assert_true(res.formerr);
	q[5] = 1;
	/* A response is never answered (no reflection loops). */
	LDNS_QR_SET(q);
	handle_raw(e, q, len, &res, out);
	assert_int_equal(res.verdict, DNSD_DROP);
	LDNS_QR_CLR(q);
	/* Another opcode: NOTIMP. */
	LDNS_OPCODE_SET(q, LDNS_PACKET_NOTIFY);
	handle_raw(e, q, len, &res, out);
	assert_int_equal(res.verdict, DNSD_SEND);
	assert_int_equal(LDNS_RCODE_WIRE(out), LDNS_RCODE_NOTIMPL);
	assert_int_equal(LDNS_OPCODE_WIRE(out), LDNS_PACKET_NOTIFY);
	engine_done(e);
}

static void test_badvers(void **state)
{
	struct dnsd_engine *e = engine_from(zone_text, 0);
	struct dnsd_result res;
	uint8_t q[512];
	ldns_pkt *p = NULL, *r;
	uint8_t *wire;
	size_t len;

	(void)state;
	ldns_pkt_query_new_frm_str(&p, "web.lab", LDNS_RR_TYPE_A,
				   LDNS_RR_CLASS_IN, 0);
	ldns_pkt_set_edns_udp_size(p, 1232);
	ldns_pkt_set_edns_version(p, 1);
	ldns_pkt2wire(&wire, p, &len);
	memcpy(q, wire, len);
	free(wire);
	ldns_pkt_free(p);
	r = run(e, q, len, false, &res);
	assert_int_equal(res.rcode, 16);
	assert_int_equal(ldns_pkt_edns_extended_rcode(r), 1);
	assert_int_equal(ldns_pkt_ancount(r), 0);
	ldns_pkt_free(r);
	engine_done(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_rrset),
		cmocka_unit_test(test_round_robin),
		cmocka_unit_test(test_health_aware),
		cmocka_unit_test(test_cname),
		cmocka_unit_test(test_nxdomain_vs_nodata),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_edns_and_tc),
		cmocka_unit_test(test_case_and_compression),
		cmocka_unit_test(test_apex),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_badvers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
