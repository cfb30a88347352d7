/* test_fault_diskstats.c - the counters line of zonefall-diskfs: what the
 * daemon writes parses back to the same numbers, anything else is refused,
 * and the delivered text names what the fault's mode did. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fault/diskioargs.h"
#include "fault/diskstats.h"

static void test_round_trip(void **state)
{
	struct zf_diskstats in = { 18446744073709551615ull, 7, 350000, 0 }, out;
	char line[ZF_DISKSTATS_LINE_MAX];
	int n;

	(void)state;
	n = zf_diskstats_format(&in, line, sizeof(line));
	assert_true(n > 0);
	assert_int_equal(zf_diskstats_parse(line, (size_t)n, &out), 0);
	assert_memory_equal(&in, &out, sizeof(in));
	/* without the newline, and not NUL-terminated */
	assert_int_equal(zf_diskstats_parse("ops 3 delayed 2 delay_us 10 failed 1xyz", 36,
					    &out), 0);
	assert_true(out.ops == 3 && out.delayed == 2 && out.delay_us == 10 && out.failed == 1);
	assert_int_equal(zf_diskstats_format(&in, line, 20), -1);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"", "\n", "ops 1", "ops 1 delayed 2 delay_us 3",     /* partial */
		"ops 1 delayed 2 delay_us 3 failed",
		"ops 1 delayed 2 delay_us 3 failed 4 extra 5",
		"delayed 2 ops 1 delay_us 3 failed 4",              /* order */
		"ops -1 delayed 2 delay_us 3 failed 4",
		"ops 1  delayed 2 delay_us 3 failed 4",             /* spacing */
		"ops 1 delayed 2 delay_us 3 failed 4\n\n",
		"ops 18446744073709551616 delayed 2 delay_us 3 failed 4", /* > 64 bits */
		"ops 0x10 delayed 2 delay_us 3 failed 4",
		"ops 01 delayed 2 delay_us 3 failed 4",
	};
	struct zf_diskstats s;
	char big[ZF_DISKSTATS_LINE_MAX + 2];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (zf_diskstats_parse(bad[i], strlen(bad[i]), &s) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	}
	memset(big, '0', sizeof(big));
	memcpy(big, "ops ", 4);
	assert_int_equal(zf_diskstats_parse(big, sizeof(big), &s), -EINVAL);
	assert_int_equal(zf_diskstats_parse(NULL, 0, &s), -EINVAL);
}

static void test_describe(void **state)
{
	struct zf_diskstats a = { 40, 40, 2000000, 0 }, b = { 10, 0, 0, 3 };
	char buf[160];

	(void)state;
	zf_diskstats_describe(&a, ZF_DISKIO_SLOW, 1, buf, sizeof(buf));
	assert_string_equal(buf, "disk: 40 operations on 1 host, 40 delayed (+50.0 ms each)");
	zf_diskstats_add(&a, &b);
	assert_true(a.ops == 50 && a.delayed == 40 && a.delay_us == 2000000 && a.failed == 3);
	zf_diskstats_describe(&a, ZF_DISKIO_ERROR, 2, buf, sizeof(buf));
	assert_string_equal(buf, "disk: 50 operations on 2 hosts, 3 failed");
	memset(&a, 0, sizeof(a));
	zf_diskstats_describe(&a, ZF_DISKIO_SLOW, 1, buf, sizeof(buf));
	assert_string_equal(buf, "disk: 0 operations on 1 host, 0 delayed (+0.0 ms each)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_describe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
