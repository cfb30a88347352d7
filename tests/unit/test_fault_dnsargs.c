/* test_fault_dnsargs.c - the arguments of the DNS faults. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fault/dnsargs.h"

static const char lab_yaml[] =
	"lab: t\nregions: { r1: { zones: [a] } }\nclients: [user1]\n"
	"hosts: { web-a: { zone: r1/a }, db-a: { zone: r1/a } }\n";

struct fix {
	struct zf_lab *lab;
	struct zf_plan plan;
};

static int setup(void **state)
{
	static struct fix f;
	char err[256];

	if (zf_lab_load_buffer("t.yaml", "/tmp", lab_yaml, strlen(lab_yaml), &f.lab,
			       err, sizeof(err)) < 0 ||
	    zf_plan_build(f.lab, &f.plan, err, sizeof(err)) < 0)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	zf_plan_free(&f->plan);
	zf_lab_free(f->lab);
	return 0;
}

static struct zf_dns_fault_cfg ok(void **state, const char *kind, const char *args)
{
	struct fix *f = *state;
	struct zf_dns_fault_cfg c;
	char err[256] = "";
	int rc = zf_dnsargs_parse(f->lab, &f->plan, kind, args, &c, err, sizeof(err));

	if (rc)
		print_message("%s '%s': %s\n", kind, args ? args : "(null)", err);
	assert_int_equal(rc, 0);
	assert_string_equal(c.id, "");
	assert_string_equal(c.resolver, "");
	return c;
}

static void bad(void **state, const char *kind, const char *args, const char *want)
{
	struct fix *f = *state;
	struct zf_dns_fault_cfg c;
	char err[256] = "";

	assert_int_equal(zf_dnsargs_parse(f->lab, &f->plan, kind, args, &c, err,
					  sizeof(err)), -EINVAL);
	if (!strstr(err, want))
		print_message("%s '%s': got '%s', want '%s'\n", kind, args, err, want);
	assert_non_null(strstr(err, want));
}

static void test_names(void **state)
{
	assert_string_equal(ok(state, "dns-empty", NULL).pattern, "*");
	assert_string_equal(ok(state, "dns-empty", "").pattern, "*");
	assert_string_equal(ok(state, "dns-empty", "www").pattern, "www.lab");
	assert_string_equal(ok(state, "dns-empty", "WWW.Lab").pattern, "www.lab");
	assert_string_equal(ok(state, "dns-servfail", "*.r1").pattern, "*.r1.lab");
	assert_string_equal(ok(state, "dns-nxdomain", "  web-?  ").pattern, "web-?.lab");
	assert_int_equal(ok(state, "dns-timeout", "x").mode, ZF_DNS_FAULT_TIMEOUT);
	assert_int_equal(ok(state, "dns-stale", "x").mode, ZF_DNS_FAULT_STALE);
	bad(state, "dns-empty", "a/b", "expected a name or glob");
	bad(state, "dns-empty", "www extra", "takes only NAMES");
}

static void test_values(void **state)
{
	struct zf_dns_fault_cfg c = ok(state, "dns-slow", "www 250ms");
	struct in_addr a;

	assert_int_equal(c.slow_ns, 250000000ull);
	assert_int_equal(ok(state, "dns-ttl", "www 3600").ttl, 3600);
	assert_int_equal(ok(state, "dns-ttl", "www 0").ttl, 0);
	c = ok(state, "dns-wrong", "www db-a");
	assert_string_equal(inet_ntoa(c.wrong), "198.18.1.11");
	c = ok(state, "dns-wrong", "www 10.1.2.3");
	assert_string_equal(inet_ntoa(c.wrong), "10.1.2.3");
	c = ok(state, "dns-wrong", "www");
	a = c.wrong;
	assert_string_equal(inet_ntoa(a), "198.18.0.9");
	bad(state, "dns-slow", "www", "NAMES DELAY");
	bad(state, "dns-slow", "www 0s", "NAMES DELAY");
	bad(state, "dns-slow", "www 11m", "NAMES DELAY");
	bad(state, "dns-ttl", "www -1", "NAMES SECONDS");
	bad(state, "dns-ttl", "www 99999999999", "NAMES SECONDS");
	bad(state, "dns-wrong", "www nohost", "IPv4 address or a host");
	bad(state, "dns-wrong", "www 1.2.3.4 x", "unexpected 'x'");
}

static void test_kinds(void **state)
{
	char long_args[400];

	assert_true(zf_dnsargs_is_dns_kind("dns-empty"));
	assert_false(zf_dnsargs_is_dns_kind("dns-bogus"));
	assert_false(zf_dnsargs_is_dns_kind("delay"));
	bad(state, "delay", "www", "unknown DNS fault");
	memset(long_args, 'a', sizeof(long_args) - 1);
	long_args[sizeof(long_args) - 1] = '\0';
	bad(state, "dns-empty", long_args, "longer than");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_kinds),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
