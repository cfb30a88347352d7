/* test_spec_duration.c - duration parsing and compact formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>

#include "spec/duration.h"

#define US 1000ull
#define MS 1000000ull
#define SEC 1000000000ull
#define MIN (60 * SEC)
#define HOUR (60 * MIN)

static uint64_t parse_ok(const char *s)
{
	uint64_t ns = 12345;
	int rc = zf_duration_parse(s, &ns);

	if (rc != 0)
		print_message("'%s' -> %d\n", s, rc);
	assert_int_equal(rc, 0);
	return ns;
}

static void test_parse(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("0"), 0);
	assert_int_equal(parse_ok("0s"), 0);
	assert_int_equal(parse_ok("250ms"), 250 * MS);
	assert_int_equal(parse_ok("1.5s"), 1500 * MS);
	assert_int_equal(parse_ok("2m"), 2 * MIN);
	assert_int_equal(parse_ok("1m30s"), 90 * SEC);
	assert_int_equal(parse_ok("2h"), 2 * HOUR);
	assert_int_equal(parse_ok("1h2m3s4ms5us6ns"),
			 HOUR + 2 * MIN + 3 * SEC + 4 * MS + 5 * US + 6);
	assert_int_equal(parse_ok("1.5m"), 90 * SEC);
	assert_int_equal(parse_ok("0.25h"), 15 * MIN);
	assert_int_equal(parse_ok("40us"), 40 * US);
	assert_int_equal(parse_ok("7ns"), 7);
	assert_int_equal(parse_ok("0.000000001s"), 1);
	assert_int_equal(parse_ok("0.0000000019s"), 1);   /* truncated */
	assert_int_equal(parse_ok("007ms"), 7 * MS);
	assert_int_equal(parse_ok("9223372036854775807ns"), INT64_MAX);
}

static void test_parse_errors(void **state)
{
	static const char *const bad[] = {
		"", "5", "1", "ms", "-1s", "+1s", "1 s", " 1s", "1s ", "1.s",
		".5s", "1.5", "1x", "1sec", "1S", "1mss", "1m30", "1e3s",
		"1,5s", "s1", "10d", "0x10s", "1..5s",
	};
	uint64_t ns = 77;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		int rc = zf_duration_parse(bad[i], &ns);

		if (rc != -EINVAL)
			print_message("'%s' -> %d\n", bad[i], rc);
		assert_int_equal(rc, -EINVAL);
	}
	assert_int_equal(ns, 77);
	assert_int_equal(zf_duration_parse(NULL, &ns), -EINVAL);
	assert_int_equal(zf_duration_parse("9223372036854775808ns", &ns),
			 -ERANGE);
	assert_int_equal(zf_duration_parse("2562048h", &ns), -ERANGE);
	assert_int_equal(zf_duration_parse("2562047h48m", &ns), -ERANGE);
	assert_int_equal(zf_duration_parse("99999999999999999999999s", &ns),
			 -ERANGE);
	assert_int_equal(zf_duration_parse("2562047h47m16.854775807s", &ns),
			 0);
	assert_int_equal(ns, INT64_MAX);
	assert_int_equal(zf_duration_parse("2562047h47m16.854775808s", &ns),
			 -ERANGE);
}

static void check_format(uint64_t ns, const char *want)
{
	char buf[64];
	uint64_t back = 0;

	zf_duration_format(ns, buf, sizeof(buf));
	assert_string_equal(buf, want);
	assert_int_equal(zf_duration_parse(buf, &back), 0);
	assert_int_equal(back, ns);
}

static void test_format(void **state)
{
	char small[4];

	(void)state;
	check_format(0, "0s");
	check_format(7, "7ns");
	check_format(1500, "1.5us");
	check_format(40 * MS, "40ms");
	check_format(1500 * US, "1.5ms");
	check_format(1500 * MS, "1.5s");
	check_format(59 * SEC, "59s");
	check_format(90 * SEC, "1m30s");
	check_format(150 * SEC, "2m30s");
	check_format(2 * HOUR, "2h");
	check_format(HOUR + 5 * SEC, "1h5s");
	check_format(HOUR + 1, "1h0.000000001s");
	check_format(2 * MIN + 30 * SEC + 500 * MS, "2m30.5s");
	check_format(INT64_MAX, "2562047h47m16.854775807s");
	zf_duration_format(150 * SEC, small, sizeof(small));
	assert_string_equal(small, "2m3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
