/* test_dns_fault.c - the DNS fault modes as the query path decides them:
 * servfail, nxdomain, empty, timeout (no reply), slow (the reply and its
 * delay), wrong, ttl, stale (a snapshot that survives reloads changing
 * the records, dropped with its fault), first match in file order, the
 * resolver scope, patterns, hit counts, and names outside the zone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/daemon/dnsd.h"
#include "dns/dns_config.h"

#define BASE "zone lab\n" \
	"listen r1 /run/netns/x 198.18.0.53\n" \
	"listen r2 /run/netns/x 198.18.0.54\n" \
	"a api.lab 30 10.0.0.1\n" \
	"a api.lab 30 10.0.0.2\n" \
	"a pg.db.lab 30 10.1.0.1\n" \
	"a db.lab 30 10.1.0.9\n" \
	"cname www.lab 60 api.lab\n"

/* Make TEXT the engine's config as a reload would (generation GEN). */
static void load(struct dnsd_engine *e, const char *text, uint64_t gen)
{
	struct zf_dns_config cfg;
	struct dnsd_zone *z;
	char err[256];

	if (zf_dns_config_parse("config", text, strlen(text), &cfg, err,
				sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_int_equal(dnsd_zone_build(&cfg, gen, &z), 0);
	dnsd_engine_commit(e, &cfg, z, gen);
	zf_dns_config_free(&cfg);
}

static struct dnsd_engine *engine(const char *text)
{
	struct dnsd_engine *e = calloc(1, sizeof(*e));

	assert_int_equal(dnsd_engine_init(e), 0);
	load(e, text, 0);
	return e;
}

static void done(struct dnsd_engine *e)
{
	dnsd_engine_free(e);
	free(e);
}

/* Ask RESOLVER for NAME/TYPE; NULL when no reply is due (RES says). */
static ldns_pkt *ask(struct dnsd_engine *e, const char *resolver,
		     const char *name, ldns_rr_type type,
		     struct dnsd_result *res)
{
	static uint8_t out[4096];
	struct dnsd_src src = { .resolver = resolver };
	ldns_pkt *p = NULL, *r = NULL;
	uint8_t *wire = NULL;
	size_t len = 0;

	ldns_pkt_query_new_frm_str(&p, name, type, LDNS_RR_CLASS_IN, LDNS_RD);
	ldns_pkt2wire(&wire, p, &len);
	ldns_pkt_free(p);
	dnsd_handle(e, &src, wire, len, out, sizeof(out), res);
	free(wire);
	if (res->verdict == DNSD_DROP)
		return NULL;
	assert_int_equal(ldns_wire2pkt(&r, out, res->len), LDNS_STATUS_OK);
	return r;
}

static const char *answer(const ldns_pkt *p)
{
	static char out[1024];
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ldns_rr_list_rr_count(ldns_pkt_answer(p)); i++) {
		ldns_rr *rr = ldns_rr_list_rr(ldns_pkt_answer(p), i);
		char *t = ldns_rdf2str(ldns_rr_rdf(rr, 0));

		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s/%u",
				      i ? " " : "", t, ldns_rr_ttl(rr));
		free(t);
	}
	return out;
}

/* One query under FAULT_LINE; the rcode and "rdata/ttl ..." checked. */
static void expect(const char *fault_line, const char *name, ldns_rr_type t,
		   int rcode, const char *want)
{
	char text[1024];
	struct dnsd_engine *e;
	struct dnsd_result res;
	ldns_pkt *r;

	snprintf(text, sizeof(text), BASE "%s\n", fault_line);
	e = engine(text);
	r = ask(e, "r1", name, t, &res);
	assert_non_null(r);
	if ((int)ldns_pkt_get_rcode(r) != rcode || strcmp(answer(r), want))
		print_message("%s: %s -> rcode %d '%s'\n", fault_line, name,
			      ldns_pkt_get_rcode(r), answer(r));
	assert_int_equal(ldns_pkt_get_rcode(r), rcode);
	assert_string_equal(answer(r), want);
	assert_int_equal(res.fault, 0);
	assert_int_equal(e->faults[0].hits, 1);
	ldns_pkt_free(r);
	done(e);
}

static void test_answer_modes(void **state)
{
	(void)state;
	expect("fault f * api.lab servfail", "api.lab", LDNS_RR_TYPE_A,
	       LDNS_RCODE_SERVFAIL, "");
	expect("fault f * api.lab nxdomain", "api.lab", LDNS_RR_TYPE_A,
	       LDNS_RCODE_NXDOMAIN, "");
	expect("fault f * api.lab empty", "api.lab", LDNS_RR_TYPE_A,
	       LDNS_RCODE_NOERROR, "");
	expect("fault f * api.lab wrong 10.6.6.6", "api.lab", LDNS_RR_TYPE_A,
	       LDNS_RCODE_NOERROR, "10.6.6.6/30");
	/* A name without addresses gets the wrong one too; other types are
	 * answered as usual. */
	expect("fault f * new.lab wrong 10.6.6.6", "new.lab", LDNS_RR_TYPE_A,
	       LDNS_RCODE_NOERROR, "10.6.6.6/30");
	expect("fault f * www.lab wrong 10.6.6.6", "www.lab",
	       LDNS_RR_TYPE_CNAME, LDNS_RCODE_NOERROR, "api.lab./60");
	expect("fault f * www.lab ttl 0", "www.lab", LDNS_RR_TYPE_A,
	       LDNS_RCODE_NOERROR, "api.lab./0 10.0.0.1/0 10.0.0.2/0");
	expect("fault f * api.lab ttl 86400", "api.lab", LDNS_RR_TYPE_A,
	       LDNS_RCODE_NOERROR, "10.0.0.1/86400 10.0.0.2/86400");
	/* Patterns are globs on the lower-case name. */
	expect("fault f * *.DB.lab servfail", "PG.db.lab", LDNS_RR_TYPE_A,
	       LDNS_RCODE_SERVFAIL, "");
}

static void test_nxdomain_has_soa(void **state)
{
	struct dnsd_engine *e = engine(BASE "fault f * api.lab nxdomain\n"
				       "fault g * pg.db.lab empty\n");
	struct dnsd_result res;
	ldns_pkt *r;

	(void)state;
	r = ask(e, "r1", "api.lab", LDNS_RR_TYPE_A, &res);
	assert_true(ldns_pkt_aa(r));
	assert_int_equal(ldns_pkt_nscount(r), 1);
	ldns_pkt_free(r);
	r = ask(e, "r1", "pg.db.lab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_NOERROR);
	assert_int_equal(ldns_pkt_ancount(r), 0);
	assert_int_equal(ldns_pkt_nscount(r), 1);
	ldns_pkt_free(r);
	done(e);
}

static void test_timeout_and_slow(void **state)
{
	struct dnsd_engine *e = engine(BASE "fault t * api.lab timeout\n"
				       "fault s * www.lab slow 200000000\n");
	struct dnsd_result res;
	ldns_pkt *r;

	(void)state;
	assert_null(ask(e, "r1", "api.lab", LDNS_RR_TYPE_A, &res));
	assert_int_equal(res.verdict, DNSD_DROP);
	assert_int_equal(res.fault, 0);
	assert_null(ask(e, "r2", "api.lab", LDNS_RR_TYPE_AAAA, &res));
	assert_int_equal(e->faults[0].hits, 2);
	r = ask(e, "r1", "www.lab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(res.delay_ns, 200000000ull);
	assert_int_equal(res.fault, 1);
	assert_string_equal(answer(r), "api.lab./60 10.0.0.1/30 10.0.0.2/30");
	ldns_pkt_free(r);
	/* No fault: no delay. */
	r = ask(e, "r1", "pg.db.lab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(res.delay_ns, 0);
	assert_int_equal(res.fault, -1);
	ldns_pkt_free(r);
	done(e);
}

static void test_first_match_and_scope(void **state)
{
	struct dnsd_engine *e = engine(BASE
				       "fault a r1 *.db.lab servfail\n"
				       "fault b * pg.db.lab nxdomain\n"
				       "fault c r2 db.lab empty\n");
	struct dnsd_result res;
	ldns_pkt *r;

	(void)state;
	/* r1: the first line matches; r2: it is out of scope, the second
	 * matches. */
	r = ask(e, "r1", "pg.db.lab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_SERVFAIL);
	ldns_pkt_free(r);
	r = ask(e, "r2", "pg.db.lab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_NXDOMAIN);
	ldns_pkt_free(r);
	/* "*.db.lab" does not match db.lab itself; r1 is not c's. */
	r = ask(e, "r1", "db.lab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_NOERROR);
	assert_string_equal(answer(r), "10.1.0.9/30");
	ldns_pkt_free(r);
	r = ask(e, "r2", "db.lab", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_ancount(r), 0);
	ldns_pkt_free(r);
	assert_int_equal(e->faults[0].hits, 1);
	assert_int_equal(e->faults[1].hits, 1);
	assert_int_equal(e->faults[2].hits, 1);
	/* Outside the zone no fault applies: REFUSED, no hit. */
	load(e, BASE "fault all * * servfail\n", 1);
	r = ask(e, "r1", "example.com", LDNS_RR_TYPE_A, &res);
	assert_int_equal(ldns_pkt_get_rcode(r), LDNS_RCODE_REFUSED);
	assert_int_equal(e->faults[0].hits, 0);
	ldns_pkt_free(r);
	done(e);
}

static const char *ask_a(struct dnsd_engine *e, const char *name)
{
	static char out[1024];
	struct dnsd_result res;
	ldns_pkt *r = ask(e, "r1", name, LDNS_RR_TYPE_A, &res);

	snprintf(out, sizeof(out), "%s", answer(r));
	ldns_pkt_free(r);
	return out;
}

#define STALE "fault old * api.lab stale\n"
#define MOVED "zone lab\n" \
	"listen r1 /run/netns/x 198.18.0.53\n" \
	"a api.lab 30 10.9.0.1\n" \
	"a pg.db.lab 30 10.9.1.1\n"

static void test_stale_survives_reload(void **state)
{
	struct dnsd_engine *e = engine(BASE);

	(void)state;
	/* The fault appears: its snapshot is the records of that reload. */
	load(e, BASE STALE, 1);
	assert_string_equal(ask_a(e, "api.lab"), "10.0.0.1/30 10.0.0.2/30");
	/* The records move; the stale name keeps the old ones, the others
	 * see the new ones. */
	load(e, MOVED STALE, 2);
	assert_string_equal(ask_a(e, "api.lab"), "10.0.0.1/30 10.0.0.2/30");
	assert_string_equal(ask_a(e, "pg.db.lab"), "10.9.1.1/30");
	/* Reloads keep it while the fault stays, with the hit count. */
	load(e, MOVED "fault x * nothing.lab empty\n" STALE, 3);
	assert_string_equal(ask_a(e, "api.lab"), "10.0.0.1/30 10.0.0.2/30");
	assert_int_equal(e->faults[1].hits, 3);
	/* The fault goes: current records; it comes back: a new snapshot. */
	load(e, MOVED, 4);
	assert_string_equal(ask_a(e, "api.lab"), "10.9.0.1/30");
	load(e, MOVED STALE, 5);
	assert_string_equal(ask_a(e, "api.lab"), "10.9.0.1/30");
	load(e, BASE STALE, 6);
	assert_string_equal(ask_a(e, "api.lab"), "10.9.0.1/30");
	/* A fault that changes mode loses its snapshot. */
	load(e, BASE "fault old * api.lab ttl 5\n", 7);
	load(e, MOVED STALE, 8);
	assert_string_equal(ask_a(e, "api.lab"), "10.9.0.1/30");
	done(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_modes),
		cmocka_unit_test(test_nxdomain_has_soa),
		cmocka_unit_test(test_timeout_and_slow),
		cmocka_unit_test(test_first_match_and_scope),
		cmocka_unit_test(test_stale_survives_reload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
