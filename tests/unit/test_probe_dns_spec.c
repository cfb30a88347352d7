/* test_probe_dns_spec.c - the "dns" probe kind of scenario files: its
 * fields and defaults, templates, and every broken form with its
 * file:line:col message; plus a whole scenario file with dns probes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/scenario.h"

#define GOOD_DIR ZF_TEST_DATA "/scenarios/good"
#define MS 1000000ull
#define UNTOUCHED ((struct zf_scenario *)(uintptr_t)0x1)
#define HEAD "scenario: t\nclass: network\n" \
	     "params: { svc: www, lb: lb-a, port: \"5353\" }\n" \
	     "probes:\n  p:\n"
#define TAIL "    from: user1\n    rate: 50\n"

/* Load HEAD + BODY (the rest of probe "p"); returns the scenario. */
static struct zf_scenario *load(const char *body)
{
	struct zf_scenario *s = NULL;
	char yaml[4096], err[1024] = "";
	int rc;

	snprintf(yaml, sizeof(yaml), HEAD "%s", body);
	rc = zf_scenario_load_buffer("t.yaml", yaml, strlen(yaml), NULL, 1.0,
				     &s, err, sizeof(err));
	if (rc < 0)
		fail_msg("%s", err);
	assert_int_equal(s->n_probes, 1);
	return s;
}

/* HEAD + BODY fails at WANT = "LINE:COL: substring of the message". */
static void fails(const char *body, const char *want)
{
	struct zf_scenario *s = UNTOUCHED;
	char yaml[4096], err[2048] = "", prefix[64];
	const char *text = strstr(want, ": ");
	int rc;

	snprintf(yaml, sizeof(yaml), HEAD "%s", body);
	rc = zf_scenario_load_buffer("t.yaml", yaml, strlen(yaml), NULL, 1.0,
				     &s, err, sizeof(err));
	assert_non_null(text);
	snprintf(prefix, sizeof(prefix), "t.yaml:%.*s: ",
		 (int)(text - want), want);
	if (rc == 0)
		zf_scenario_free(s);
	if (rc != -EINVAL || strncmp(err, prefix, strlen(prefix)) != 0 ||
	    !strstr(err, text + 2))
		fail_msg("want %s...%s\ngot  %s", prefix, text + 2, err);
	assert_ptr_equal(s, UNTOUCHED);
}

static void test_defaults(void **state)
{
	struct zf_scenario *s = load("    dns: { name: www.lab }\n" TAIL);
	const struct zf_scn_probe *p = &s->probes[0];

	(void)state;
	assert_int_equal(p->kind, ZF_SCN_DNS);
	assert_string_equal(p->dns_name, "www.lab");
	assert_string_equal(p->dns_type, "A");
	assert_null(p->dns_addrs);
	assert_int_equal(p->dns_count, 0);
	assert_int_equal(p->dns_server, 0);
	assert_int_equal(p->dns_port, 53);
	assert_string_equal(p->from, "user1");
	assert_true(p->rate == 50);
	assert_int_equal(p->timeout_ns, 2000 * MS);
	assert_null(p->url);
	assert_null(p->connect);
	assert_null(p->argv);
	zf_scenario_free(s);
}

static void test_fields(void **state)
{
	struct zf_scenario *s = load(
		"    dns:\n"
		"      name: \"{svc}.lab.\"\n"
		"      type: a\n"
		"      expect_addrs: [\"{lb}\", lb-b.lab, 198.18.1.10, www]\n"
		"      server: \"198.18.255.2:{port}\"\n"
		TAIL "    timeout: 1s\n"
		"    expect: { availability: \">= 99%\" }\n");
	const struct zf_scn_probe *p = &s->probes[0];

	(void)state;
	assert_string_equal(p->dns_name, "www.lab.");
	assert_string_equal(p->dns_type, "A");
	assert_string_equal(p->dns_addrs[0], "lb-a");
	assert_string_equal(p->dns_addrs[1], "lb-b.lab");
	assert_string_equal(p->dns_addrs[2], "198.18.1.10");
	assert_string_equal(p->dns_addrs[3], "www");
	assert_null(p->dns_addrs[4]);
	assert_int_equal(p->dns_server, 0xc612ff02);
	assert_int_equal(p->dns_port, 5353);
	assert_int_equal(p->timeout_ns, 1000 * MS);
	assert_int_equal(p->n_expects, 1);
	zf_scenario_free(s);
	s = load("    dns: { name: web-a, type: AAAA, expect_count: 1024, "
		 "server: 10.0.0.1 }\n" TAIL);
	p = &s->probes[0];
	assert_string_equal(p->dns_type, "AAAA");
	assert_int_equal(p->dns_count, 1024);
	assert_int_equal(p->dns_server, 0x0a000001);
	assert_int_equal(p->dns_port, 53);
	zf_scenario_free(s);
	s = load("    dns: { name: x, type: aaaa, "
		 "expect_addrs: [\"2001:db8::1\"] }\n" TAIL);
	assert_string_equal(s->probes[0].dns_type, "AAAA");
	assert_string_equal(s->probes[0].dns_addrs[0], "2001:db8::1");
	zf_scenario_free(s);
}

static void test_name_errors(void **state)
{
	char body[1024], label[80];

	(void)state;
	fails("    dns: { type: A }\n" TAIL, "6:10: missing key 'name' in "
	      "'dns' of probe 'p'");
	fails("    dns: { name: \"a..lab\" }\n" TAIL, "6:18: bad DNS name "
	      "'a..lab' for 'name' of probe 'p': empty label");
	fails("    dns: { name: \".lab\" }\n" TAIL, "6:18: bad DNS name");
	fails("    dns: { name: \"a b\" }\n" TAIL, "6:18: bad DNS name 'a b' "
	      "for 'name' of probe 'p': labels are letters, digits, '-' and "
	      "'_'");
	fails("    dns: { name: \".\" }\n" TAIL, "6:18: bad DNS name '.' for "
	      "'name' of probe 'p': expected a name of 1 to 253 characters");
	fails("    dns: { name: \"\" }\n" TAIL, "6:18: bad DNS name");
	fails("    dns: { name: [a] }\n" TAIL, "6:18: expected a string for "
	      "'name' of probe 'p', got a list");
	fails("    dns: { name: \"{nope}\" }\n" TAIL, "6:18: unknown parameter "
	      "'{nope}'");
	memset(label, 'a', 64);
	label[64] = '\0';
	snprintf(body, sizeof(body), "    dns: { name: %s.lab }\n" TAIL, label);
	fails(body, "6:18: bad DNS name 'aaaa");
	fails(body, "6:18: a label is longer than 63 characters");
}

static void test_field_errors(void **state)
{
	(void)state;
	fails("    dns: { name: a, type: MX }\n" TAIL, "6:27: expected A or "
	      "AAAA for 'type' of probe 'p', got 'MX'");
	fails("    dns: { name: a, expect_addrs: lb-a }\n" TAIL, "6:35: "
	      "expected a list of 1 to 64 addresses or names for "
	      "'expect_addrs' of probe 'p'");
	fails("    dns: { name: a, expect_addrs: [] }\n" TAIL, "6:35: expected "
	      "a list of 1 to 64");
	fails("    dns: { name: a, expect_addrs: [\"lb a\"] }\n" TAIL, "6:36: "
	      "bad address 'lb a' in 'expect_addrs' of probe 'p': expected a "
	      "host or DNS record name of the lab, or an IPv4 address");
	fails("    dns: { name: a, type: AAAA, expect_addrs: [lb-a] }\n" TAIL,
	      "6:48: bad address 'lb-a' in 'expect_addrs' of probe 'p': lab "
	      "hosts have IPv4 addresses only");
	fails("    dns: { name: a, expect_count: 0 }\n" TAIL, "6:35: expected "
	      "an integer from 1 to 1024 for 'expect_count' of probe 'p', got "
	      "'0'");
	fails("    dns: { name: a, expect_count: two }\n" TAIL, "6:35: "
	      "expected an integer from 1 to 1024");
	fails("    dns: { name: a, expect_addrs: [lb-a], expect_count: 1 }\n"
	      TAIL, "6:43: probe 'p' has both 'expect_addrs' and "
	      "'expect_count': give the answer set or its size, not both");
	fails("    dns: { name: a, server: lb-a }\n" TAIL, "6:29: expected an "
	      "IPv4 address like 198.18.255.2, or 198.18.255.2:5353 with a "
	      "port, for 'server' of probe 'p', got 'lb-a'");
	fails("    dns: { name: a, server: \"10.0.0.1:0\" }\n" TAIL, "6:29: "
	      "expected an IPv4 address like");
	fails("    dns: { name: a, server: \"10.0.0.1:\" }\n" TAIL, "6:29: "
	      "expected an IPv4 address like");
	fails("    dns: { name: a, server: \"10.0.0.1:+53\" }\n" TAIL, "6:29: "
	      "expected an IPv4 address like");
	fails("    dns: { name: a, server: \"10.0.0.1:65536\" }\n" TAIL,
	      "6:29: expected an IPv4 address like");
	fails("    dns: { name: a, server: 0.0.0.0 }\n" TAIL, "6:29: expected "
	      "an IPv4 address like");
	fails("    dns: { name: a, server: \"::1\" }\n" TAIL, "6:29: expected "
	      "an IPv4 address like");
	fails("    dns: { name: a, ttl: 5 }\n" TAIL, "6:21: unknown key 'ttl' "
	      "in 'dns' of probe 'p'; allowed: name, type, expect_addrs, "
	      "expect_count, server");
	fails("    dns: www.lab\n" TAIL, "6:10: expected a mapping for 'dns' of "
	      "probe 'p', got a string");
}

/* from, rate, timeout... written inside "dns" (as one might from the
 * shape of other tools) are pointed to where they belong. */
static void test_misplaced(void **state)
{
	(void)state;
	fails("    dns: { name: a, rate: 50, from: user1 }\n    expect: {}\n",
	      "6:21: 'rate' belongs to probe 'p' itself, beside 'dns', not "
	      "inside 'dns'");
	fails("    dns: { name: a, from: user1 }\n    rate: 1\n", "6:21: 'from' "
	      "belongs to probe 'p' itself");
	fails("    dns: { name: a, timeout: 1s }\n" TAIL, "6:21: 'timeout' "
	      "belongs to probe 'p' itself");
	fails("    dns: { name: a }\n    rate: 1\n", "6:5: missing key 'from' "
	      "in probe 'p'");
	fails("    dns: { name: a }\n    http: { url: \"http://a/\" }\n" TAIL,
	      "6:5: probe 'p' has both 'http' and 'dns': a probe is one of "
	      "http, tcp, exec, dns, redis, etcd, sql or http-write");
}

/* The good scenario file with dns probes loads. */
static void test_file(void **state)
{
	struct zf_scenario *s = NULL;
	char err[1024] = "";
	int i;

	(void)state;
	if (zf_scenario_load(GOOD_DIR "/dns.yaml", NULL, 1.0, &s, err,
			     sizeof(err)) < 0)
		fail_msg("%s", err);
	i = zf_scenario_find_probe(s, "names");
	assert_true(i >= 0);
	assert_int_equal(s->probes[i].kind, ZF_SCN_DNS);
	assert_string_equal(s->probes[i].dns_addrs[0], "lb-a");
	i = zf_scenario_find_probe(s, "count");
	assert_true(i >= 0);
	assert_int_equal(s->probes[i].dns_count, 3);
	zf_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_name_errors),
		cmocka_unit_test(test_field_errors),
		cmocka_unit_test(test_misplaced),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
