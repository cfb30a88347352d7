/* test_fault_linkargs.c - the arguments of the link faults. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fault/linkargs.h"
#include "lab/emu.h"

#define MS 1000000ull

static struct zf_linkargs parse_ok(const char *kind, const char *args)
{
	struct zf_linkargs a;
	char err[256] = "";
	int rc = zf_linkargs_parse(kind, args, &a, err, sizeof(err));

	if (rc != 0)
		print_message("%s '%s': %s\n", kind, args, err);
	assert_int_equal(rc, 0);
	return a;
}

/* Fails, and the message contains WANT. */
static void parse_bad(const char *kind, const char *args, const char *want)
{
	struct zf_linkargs a;
	char err[256] = "";

	assert_int_equal(zf_linkargs_parse(kind, args, &a, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want))
		print_message("%s '%s': got '%s', want '%s'\n", kind, args, err, want);
	assert_non_null(strstr(err, want));
}

static void test_delay(void **state)
{
	struct zf_linkargs a = parse_ok("delay", "20ms");

	(void)state;
	assert_int_equal(a.cfg.delay_ns, 20 * MS);
	assert_int_equal(a.dir, ZF_EMU_OUT);
	a = parse_ok("delay", "1.5s jitter 5ms distribution normal correlation 25% both");
	assert_int_equal(a.cfg.delay_ns, 1500 * MS);
	assert_int_equal(a.cfg.jitter_ns, 5 * MS);
	assert_int_equal(a.cfg.dist, ZF_LK_DIST_NORMAL);
	assert_true(a.cfg.delay_corr == 25);
	assert_int_equal(a.dir, ZF_EMU_BOTH);
	a = parse_ok("delay", "5ms direction in");
	assert_int_equal(a.dir, ZF_EMU_IN);
	parse_bad("delay", "", "delay needs arguments");
	parse_bad("delay", "0ms", "above 0");
	parse_bad("delay", "61s", "at most 60s");
	parse_bad("delay", "20", "expected a duration");
	parse_bad("delay", "20ms jitter", "'jitter' needs a value");
	parse_bad("delay", "20ms distribution gauss", "distribution is uniform");
	parse_bad("delay", "20ms burst 3", "unexpected 'burst'");
	parse_bad("delay", "20ms direction sideways", "direction is in, out or both");
}

static void test_loss_and_friends(void **state)
{
	struct zf_linkargs a = parse_ok("loss", "30%");

	(void)state;
	assert_true(a.cfg.loss == 30);
	a = parse_ok("loss", "2.5 correlation 50% in");
	assert_true(a.cfg.loss == 2.5 && a.cfg.loss_corr == 50);
	assert_int_equal(a.dir, ZF_EMU_IN);
	a = parse_ok("loss", "5% burst 4");
	assert_true(a.cfg.loss == 5 && a.cfg.burst == 4);
	parse_bad("loss", "5% burst 4 correlation 10%", "only one of them");
	a = parse_ok("reorder", "25%");
	assert_true(a.cfg.reorder == 25);
	assert_int_equal(a.cfg.delay_ns, 10 * MS);
	a = parse_ok("reorder", "25% delay 3ms");
	assert_int_equal(a.cfg.delay_ns, 3 * MS);
	a = parse_ok("corrupt", "1%");
	assert_true(a.cfg.corrupt == 1);
	a = parse_ok("duplicate", "100%");
	assert_true(a.cfg.duplicate == 100);
	parse_bad("loss", "0%", "above 0");
	parse_bad("loss", "101%", "at most 100");
	parse_bad("loss", "30%% ", "expected a percentage");
	parse_bad("loss", "30% burst 0", "burst is a mean burst length");
	parse_bad("corrupt", "1% jitter 2ms", "unexpected 'jitter'");
}

static void test_bandwidth(void **state)
{
	struct zf_linkargs a = parse_ok("bandwidth", "10mbit");

	(void)state;
	assert_int_equal(a.rate_bps, 10000000);
	a = parse_ok("bandwidth", "1.5Gbit both");
	assert_int_equal(a.rate_bps, 1500000000);
	assert_int_equal(a.dir, ZF_EMU_BOTH);
	a = parse_ok("bandwidth", "64kbit");
	assert_int_equal(a.rate_bps, 64000);
	parse_bad("bandwidth", "10mbps", "bps would be bytes per second");
	parse_bad("bandwidth", "10", "expected a rate");
	parse_bad("bandwidth", "10bit", "1kbit to 100gbit");
	parse_bad("bandwidth", "200gbit", "1kbit to 100gbit");
}

static void test_limits(void **state)
{
	struct zf_linkargs a;
	char err[256], big[400];

	(void)state;
	assert_int_equal(zf_linkargs_parse("power-off", "", &a, err, sizeof(err)), -ENOENT);
	assert_true(zf_linkargs_is_link_kind("loss"));
	assert_false(zf_linkargs_is_link_kind("partition"));
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	parse_bad("delay", big, "longer than");
	parse_bad("delay", "1ms in in in in in in in in in in in in in in in in in", "more than 16 words");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delay),
		cmocka_unit_test(test_loss_and_friends),
		cmocka_unit_test(test_bandwidth),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
