/* test_spec_selector.c - textual fault targets resolved against a lab. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "spec/selector.h"

/* Hosts: web-a 0, web-b 1, db-a 2, lb-a 3, user1 4, user2 5.
 * Zones: r1/a 0, r1/b 1, r2/a 2. */
static const char lab_yaml[] =
	"lab: sel\n"
	"regions:\n"
	"  r1: { zones: [a, b] }\n"
	"  r2: { zones: [a] }\n"
	"clients:\n"
	"  user1: { services: { probe: { run: p } } }\n"
	"  user2:\n"
	"hosts:\n"
	"  web-a: { zone: r1/a, services: { nginx: { run: n }, app: { run: a } } }\n"
	"  web-b: { zone: r1/b, services: { nginx: { run: n } } }\n"
	"  db-a: { zone: r2/a, services: { redis: { run: r } } }\n"
	"  lb-a: { zone: r1/a }\n";

static int setup(void **state)
{
	struct zf_lab *lab = NULL;
	char err[512];

	if (zf_lab_load_buffer("sel.yaml", "/", lab_yaml, strlen(lab_yaml),
			       &lab, err, sizeof(err)) < 0) {
		print_message("%s\n", err);
		return -1;
	}
	*state = lab;
	return 0;
}

static int teardown(void **state)
{
	zf_lab_free(*state);
	return 0;
}

/* Resolve TEXT and compare the host flags with WANT ("110100"). */
static void resolve(const struct zf_lab *lab, const char *text,
		    enum zf_sel_kind kind, const char *want,
		    struct zf_selection *sel)
{
	char err[256] = "";
	size_t n = 0;
	int rc = zf_selector_resolve(lab, text, sel, err, sizeof(err));

	if (rc)
		print_message("'%s': %s\n", text, err);
	assert_int_equal(rc, 0);
	assert_int_equal(sel->kind, kind);
	for (size_t i = 0; i < lab->n_hosts; i++) {
		assert_int_equal(sel->hosts[i], want[i] == '1');
		n += want[i] == '1';
	}
	assert_int_equal(sel->n_selected_hosts, n);
}

static void flags(const unsigned char *f, const char *want)
{
	for (size_t i = 0; want[i]; i++)
		assert_int_equal(f[i], want[i] == '1');
}

static void test_hosts_and_clients(void **state)
{
	const struct zf_lab *lab = *state;
	struct zf_selection sel;

	resolve(lab, "host web-*", ZF_SEL_HOST, "110000", &sel);
	flags(sel.zones, "000");
	assert_int_equal(sel.n_services, 0);
	zf_selection_free(&sel);
	resolve(lab, "  host\t*-a ", ZF_SEL_HOST, "101100", &sel);
	zf_selection_free(&sel);
	resolve(lab, "host [dl]*", ZF_SEL_HOST, "001100", &sel);
	zf_selection_free(&sel);
	resolve(lab, "client *", ZF_SEL_HOST, "000011", &sel);
	zf_selection_free(&sel);
	resolve(lab, "client user?", ZF_SEL_HOST, "000011", &sel);
	zf_selection_free(&sel);
}

static void test_zones_regions_lab(void **state)
{
	const struct zf_lab *lab = *state;
	struct zf_selection sel;

	resolve(lab, "zone r1/a", ZF_SEL_ZONE, "100100", &sel);
	flags(sel.zones, "100");
	flags(sel.regions, "00");
	zf_selection_free(&sel);
	resolve(lab, "zone r1/*", ZF_SEL_ZONE, "110100", &sel);
	flags(sel.zones, "110");
	zf_selection_free(&sel);
	resolve(lab, "zone */a", ZF_SEL_ZONE, "101100", &sel);
	flags(sel.zones, "101");
	zf_selection_free(&sel);
	resolve(lab, "region r2", ZF_SEL_REGION, "001000", &sel);
	flags(sel.regions, "01");
	flags(sel.zones, "001");
	zf_selection_free(&sel);
	resolve(lab, "lab", ZF_SEL_LAB, "111100", &sel);
	flags(sel.regions, "11");
	flags(sel.zones, "111");
	zf_selection_free(&sel);
}

static void test_services(void **state)
{
	const struct zf_lab *lab = *state;
	struct zf_selection sel;

	resolve(lab, "service nginx", ZF_SEL_SERVICE, "110000", &sel);
	assert_int_equal(sel.n_services, 2);
	assert_int_equal(sel.services[0].host, 0);
	assert_int_equal(sel.services[0].service, 0);
	assert_int_equal(sel.services[1].host, 1);
	assert_int_equal(sel.services[1].service, 0);
	zf_selection_free(&sel);
	resolve(lab, "service nginx in zone r1/b", ZF_SEL_SERVICE, "010000",
		&sel);
	assert_int_equal(sel.n_services, 1);
	zf_selection_free(&sel);
	resolve(lab, "service * in host web-a", ZF_SEL_SERVICE, "100000",
		&sel);
	assert_int_equal(sel.n_services, 2);
	assert_int_equal(sel.services[1].service, 1);
	zf_selection_free(&sel);
	resolve(lab, "service * in region r2", ZF_SEL_SERVICE, "001000", &sel);
	zf_selection_free(&sel);
	resolve(lab, "service p* in client *", ZF_SEL_SERVICE, "000010", &sel);
	assert_int_equal(sel.services[0].host, 4);
	zf_selection_free(&sel);
	resolve(lab, "service probe", ZF_SEL_SERVICE, "000010", &sel);
	zf_selection_free(&sel);
}

static void expect_error(const struct zf_lab *lab, const char *text,
			 const char *want)
{
	struct zf_selection sel = { .n_services = 4242 };
	char err[256] = "";

	assert_int_equal(zf_selector_resolve(lab, text, &sel, err,
					     sizeof(err)), -EINVAL);
	assert_string_equal(err, want);
	assert_int_equal(sel.n_services, 4242);   /* untouched */
	assert_null(sel.hosts);
}

static void test_errors(void **state)
{
	const struct zf_lab *lab = *state;
	char big[1100];

	expect_error(lab, "hots web-a", "unknown selector kind 'hots'; "
		     "expected host, client, zone, region, service or lab");
	expect_error(lab, "", "empty selector; expected host, client, zone, "
		     "region, service or lab");
	expect_error(lab, "host", "expected a pattern after 'host'");
	expect_error(lab, "host a b", "unexpected 'b' after 'host a'");
	expect_error(lab, "lab r1", "unexpected 'r1' after 'lab'");
	expect_error(lab, "host web-c", "no host matches 'web-c'");
	expect_error(lab, "host user1", "no host matches 'user1' (it names a "
		     "client: write 'client user1')");
	expect_error(lab, "client web-a", "no client matches 'web-a' (it "
		     "names a host: write 'host web-a')");
	expect_error(lab, "host [", "no host matches '['");
	expect_error(lab, "zone a", "no zone matches 'a' (zones are written "
		     "region/zone, like 'r1/a')");
	expect_error(lab, "zone r3/*", "no zone matches 'r3/*'");
	expect_error(lab, "region r3", "no region matches 'r3'");
	expect_error(lab, "service", "expected a pattern after 'service'");
	expect_error(lab, "service nope", "no service matches 'nope'");
	expect_error(lab, "service nginx in zone r2/*", "no service matches "
		     "'nginx' in zone 'r2/*'");
	expect_error(lab, "service x in zone r9", "no zone matches 'r9'");
	expect_error(lab, "service x on host y", "expected 'service GLOB [in "
		     "host|zone|region GLOB]'");
	expect_error(lab, "service x in rack y", "expected host, client, zone "
		     "or region after 'in', got 'rack'");
	expect_error(lab, "service a in zone r1/a extra", "unexpected 'extra' "
		     "at the end of the selector");
	memset(big, 'h', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	expect_error(lab, big, "selector longer than 1024 bytes");
}

/* Resolve TEXT with SEED; fails the test on error. */
static void pick(const struct zf_lab *lab, const char *text,
		 unsigned long long seed, struct zf_selection *sel)
{
	char err[256] = "";
	int rc = zf_selector_resolve_seeded(lab, text, seed, sel, err,
					    sizeof(err));

	if (rc)
		print_message("'%s': %s\n", text, err);
	assert_int_equal(rc, 0);
}

static size_t count(const unsigned char *f, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += f[i];
	return c;
}

static void test_pick(void **state)
{
	const struct zf_lab *lab = *state;
	struct zf_selection sel;

	pick(lab, "pick 1 of host web-*", 7, &sel);
	assert_int_equal(sel.kind, ZF_SEL_HOST);
	assert_int_equal(sel.n_selected_hosts, 1);
	assert_int_equal(sel.hosts[0] + sel.hosts[1], 1);
	assert_int_equal(count(sel.hosts, lab->n_hosts), 1);
	zf_selection_free(&sel);
	resolve(lab, "pick 2 of host web-*", ZF_SEL_HOST, "110000", &sel);
	zf_selection_free(&sel);
	resolve(lab, "pick 100% of lab", ZF_SEL_LAB, "111100", &sel);
	flags(sel.zones, "000");         /* picked hosts only, not the gear */
	flags(sel.regions, "00");
	zf_selection_free(&sel);
	resolve(lab, "pick 2 of client *", ZF_SEL_HOST, "000011", &sel);
	zf_selection_free(&sel);
	/* Zone r1/a holds web-a and lb-a: 50% of 2 is 1 host, no gear. */
	pick(lab, "pick 50% of zone r1/a", 3, &sel);
	assert_int_equal(sel.kind, ZF_SEL_ZONE);
	assert_int_equal(sel.n_selected_hosts, 1);
	assert_int_equal(sel.hosts[0] + sel.hosts[3], 1);
	flags(sel.zones, "000");
	zf_selection_free(&sel);
	/* A percentage rounds up, and picks at least one. */
	pick(lab, "pick 1% of lab", 3, &sel);
	assert_int_equal(sel.n_selected_hosts, 1);
	zf_selection_free(&sel);
	pick(lab, "pick 51% of lab", 3, &sel);
	assert_int_equal(sel.n_selected_hosts, 3);
	zf_selection_free(&sel);
	pick(lab, "pick 12.5% of region r1", 3, &sel);
	assert_int_equal(sel.kind, ZF_SEL_REGION);
	assert_int_equal(sel.n_selected_hosts, 1);
	flags(sel.regions, "00");
	zf_selection_free(&sel);
}

static void test_pick_services(void **state)
{
	const struct zf_lab *lab = *state;
	struct zf_selection sel;

	pick(lab, "pick 1 of service nginx", 5, &sel);
	assert_int_equal(sel.kind, ZF_SEL_SERVICE);
	assert_int_equal(sel.n_services, 1);
	assert_int_equal(sel.services[0].service, 0);
	assert_true(sel.services[0].host <= 1);
	assert_int_equal(sel.n_selected_hosts, 1);
	assert_int_equal(sel.hosts[sel.services[0].host], 1);
	zf_selection_free(&sel);
	/* Two services of one host: one host selected. */
	resolve(lab, "pick 2 of service * in host web-a", ZF_SEL_SERVICE,
		"100000", &sel);
	assert_int_equal(sel.n_services, 2);
	assert_int_equal(sel.services[0].service, 0);   /* in lab order */
	assert_int_equal(sel.services[1].service, 1);
	zf_selection_free(&sel);
	pick(lab, "pick 50% of service *", 5, &sel);
	assert_int_equal(sel.n_services, 3);            /* ceil(5 / 2) */
	zf_selection_free(&sel);
}

/* Same seed and text, same pick; spacing does not matter; plain resolve
 * is seed 0; a smaller pick is inside a larger one. */
static void test_pick_deterministic(void **state)
{
	const struct zf_lab *lab = *state;
	struct zf_selection a, b, c;
	int differ = 0;

	for (unsigned long long seed = 0; seed < 64; seed++) {
		pick(lab, "pick 2 of lab", seed, &a);
		pick(lab, "  pick\t2 of   lab ", seed, &b);
		assert_memory_equal(a.hosts, b.hosts, lab->n_hosts);
		pick(lab, "pick 1 of lab", seed, &c);
		for (size_t i = 0; i < lab->n_hosts; i++)
			assert_true(!c.hosts[i] || a.hosts[i]);
		zf_selection_free(&c);
		pick(lab, "pick 3 of lab", seed, &c);
		for (size_t i = 0; i < lab->n_hosts; i++)
			assert_true(!a.hosts[i] || c.hosts[i]);
		zf_selection_free(&c);
		if (seed == 0) {
			assert_int_equal(zf_selector_resolve(lab, "pick 2 of lab",
							     &c, NULL, 0), 0);
			assert_memory_equal(a.hosts, c.hosts, lab->n_hosts);
			zf_selection_free(&c);
		}
		zf_selection_free(&b);
		pick(lab, "pick 2 of lab", seed + 1, &b);
		differ += memcmp(a.hosts, b.hosts, lab->n_hosts) != 0;
		zf_selection_free(&b);
		zf_selection_free(&a);
	}
	assert_true(differ > 32);
}

/* Over many seeds every candidate is picked about as often as the
 * others. */
static void test_pick_distribution(void **state)
{
	static const char big[] =
		"lab: big\nregions: { r1: { zones: [a, b] } }\n"
		"hosts:\n"
		"  h1: { zone: r1/a }\n  h2: { zone: r1/a }\n"
		"  h3: { zone: r1/a }\n  h4: { zone: r1/a }\n"
		"  h5: { zone: r1/b }\n  h6: { zone: r1/b }\n"
		"  h7: { zone: r1/b }\n  h8: { zone: r1/b }\n";
	const unsigned rounds = 8000;
	unsigned one[8] = { 0 }, three[8] = { 0 };
	struct zf_lab *lab = NULL;
	struct zf_selection sel;
	char err[256];

	(void)state;
	assert_int_equal(zf_lab_load_buffer("big.yaml", "/", big, strlen(big),
					    &lab, err, sizeof(err)), 0);
	for (unsigned long long seed = 1; seed <= rounds; seed++) {
		pick(lab, "pick 1 of host h*", seed, &sel);
		for (size_t i = 0; i < 8; i++)
			one[i] += sel.hosts[i];
		zf_selection_free(&sel);
		pick(lab, "pick 3 of zone r1/*", seed, &sel);
		assert_int_equal(sel.n_selected_hosts, 3);
		for (size_t i = 0; i < 8; i++)
			three[i] += sel.hosts[i];
		zf_selection_free(&sel);
	}
	/* Expected 1000 and 3000; the bounds are about 7 standard
	 * deviations away, and the PRNG is deterministic anyway. */
	for (size_t i = 0; i < 8; i++) {
		print_message("host %zu: %u of 1, %u of 3\n", i + 1, one[i],
			      three[i]);
		assert_in_range(one[i], 800, 1200);
		assert_in_range(three[i], 2700, 3300);
	}
	zf_lab_free(lab);
}

static void test_pick_errors(void **state)
{
	const struct zf_lab *lab = *state;

	expect_error(lab, "pick 5 of host web-*", "pick 5 of host web-*: only "
		     "2 hosts match");
	expect_error(lab, "pick  2 of  host lb-a", "pick 2 of host lb-a: only 1 "
		     "host matches");
	expect_error(lab, "pick 3 of service nginx", "pick 3 of service nginx: "
		     "only 2 services match");
	expect_error(lab, "pick 99999999999999999999 of lab", "pick "
		     "99999999999999999999 of lab: only 4 hosts match");
	expect_error(lab, "pick 0 of host web-*", "pick 0: pick at least 1");
	expect_error(lab, "pick 0% of lab", "pick 0%: the percentage must be "
		     "more than 0% and at most 100%");
	expect_error(lab, "pick 100.5% of lab", "pick 100.5%: the percentage "
		     "must be more than 0% and at most 100%");
	expect_error(lab, "pick x of lab", "expected a count like 2 or a "
		     "percentage like 50% after 'pick', got 'x'");
	expect_error(lab, "pick 1.5 of lab", "expected a count like 2 or a "
		     "percentage like 50% after 'pick', got '1.5'");
	expect_error(lab, "pick -1 of lab", "expected a count like 2 or a "
		     "percentage like 50% after 'pick', got '-1'");
	expect_error(lab, "pick % of lab", "expected a count like 2 or a "
		     "percentage like 50% after 'pick', got '%'");
	expect_error(lab, "pick 1.2.3% of lab", "expected a count like 2 or a "
		     "percentage like 50% after 'pick', got '1.2.3%'");
	expect_error(lab, "pick 2 host web-*", "expected 'pick N of SELECTOR' "
		     "or 'pick P% of SELECTOR'");
	expect_error(lab, "pick 2 of", "expected 'pick N of SELECTOR' or "
		     "'pick P% of SELECTOR'");
	expect_error(lab, "pick", "expected 'pick N of SELECTOR' or 'pick P% "
		     "of SELECTOR'");
	expect_error(lab, "pick 2 of host nope", "no host matches 'nope'");
	expect_error(lab, "pick 1 of pick 1 of lab", "unknown selector kind "
		     "'pick'; expected host, client, zone, region, service or "
		     "lab");
	expect_error(lab, "pick 1 of service a in zone r1/a extra",
		     "unexpected 'extra' at the end of the selector");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hosts_and_clients),
		cmocka_unit_test(test_zones_regions_lab),
		cmocka_unit_test(test_services),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_pick_services),
		cmocka_unit_test(test_pick_deterministic),
		cmocka_unit_test(test_pick_distribution),
		cmocka_unit_test(test_pick_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
