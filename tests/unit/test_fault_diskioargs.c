/* test_fault_diskioargs.c - the arguments of disk-slow and disk-error, and
 * zonefall-diskfs's command line. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "diskfs/diskfs.h"
#include "fault/diskioargs.h"

static void msg_has(const char *err, const char *want)
{
	if (!strstr(err, want))
		print_message("got '%s', want '%s'\n", err, want);
	assert_non_null(strstr(err, want));
}

static void test_slow(void **state)
{
	struct zf_diskio d;
	char err[256] = "";

	(void)state;
	assert_int_equal(zf_diskio_mode_of("disk-slow"), ZF_DISKIO_SLOW);
	assert_int_equal(zf_diskio_mode_of("disk-error"), ZF_DISKIO_ERROR);
	assert_int_equal(zf_diskio_mode_of("disk-fill"), 0);
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_SLOW, "50ms", &d, err, sizeof(err)), 0);
	assert_int_equal(d.delay_us, 50000);
	assert_int_equal(d.ops, ZF_DISKIO_DEFAULT);
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_SLOW, " 2.5ms  write,fsync ", &d, err,
					 sizeof(err)), 0);
	assert_int_equal(d.delay_us, 2500);
	assert_int_equal(d.ops, ZF_DISKIO_WRITE | ZF_DISKIO_FSYNC);
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_SLOW, "1s all", &d, err, sizeof(err)), 0);
	assert_int_equal(d.delay_us, 1000000);
	assert_int_equal(d.ops, ZF_DISKIO_ALL);
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_SLOW, "200us meta,open", &d, err,
					 sizeof(err)), 0);
	assert_int_equal(d.delay_us, 200);
	assert_int_equal(d.ops, ZF_DISKIO_META | ZF_DISKIO_OPEN);
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_SLOW, "10s", &d, err, sizeof(err)), 0);

	assert_int_equal(zf_diskio_parse(ZF_DISKIO_SLOW, "", &d, err, sizeof(err)), -EINVAL);
	msg_has(err, "DELAY");
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_SLOW, "50", &d, err, sizeof(err)), -EINVAL);
	msg_has(err, "like 50ms");
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_SLOW, "11s", &d, err, sizeof(err)), -EINVAL);
	msg_has(err, "1us to 10s");
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_SLOW, "0.5us", &d, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_SLOW, "99999999s", &d, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_SLOW, "5ms scribble", &d, err, sizeof(err)),
			 -EINVAL);
	msg_has(err, "unknown operation 'scribble'");
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_SLOW, "5ms read,", &d, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_SLOW, "5ms read 3", &d, err, sizeof(err)),
			 -EINVAL);
}

static void test_error(void **state)
{
	struct zf_diskio d;
	char err[256] = "", text[128];

	(void)state;
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_ERROR, "", &d, err, sizeof(err)), 0);
	assert_int_equal(d.rate_ppm, ZF_DISKIO_RATE_FULL);
	assert_int_equal(d.error, EIO);
	assert_int_equal(d.ops, ZF_DISKIO_DEFAULT);
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_ERROR, "10%", &d, err, sizeof(err)), 0);
	assert_int_equal(d.rate_ppm, 100000);
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_ERROR, "100% write", &d, err, sizeof(err)), 0);
	assert_int_equal(d.rate_ppm, 1000000);
	assert_int_equal(d.ops, ZF_DISKIO_WRITE);
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_ERROR, "fsync ENOSPC 0.0001%", &d, err,
					 sizeof(err)), 0);
	assert_int_equal(d.rate_ppm, 1);
	assert_int_equal(d.error, ENOSPC);
	assert_int_equal(d.ops, ZF_DISKIO_FSYNC);
	zf_diskio_describe(&d, text, sizeof(text));
	assert_string_equal(text, "0.0001% of fsync fail with ENOSPC");

	assert_int_equal(zf_diskio_parse(ZF_DISKIO_ERROR, "101%", &d, err, sizeof(err)), -EINVAL);
	msg_has(err, "0.0001% to 100%");
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_ERROR, "0%", &d, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_ERROR, "10", &d, err, sizeof(err)), -EINVAL);
	msg_has(err, "unknown operation");
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_ERROR, "10% EFOO", &d, err, sizeof(err)),
			 -EINVAL);
	msg_has(err, "unknown error 'EFOO'");
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_ERROR, "10% 20%", &d, err, sizeof(err)),
			 -EINVAL);
	msg_has(err, "at most once");
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_ERROR, "1% read EIO write", &d, err,
					 sizeof(err)), -EINVAL);
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(zf_diskio_parse(ZF_DISKIO_ERROR, text, &d, err, sizeof(err)), -EINVAL);
}

static void test_opts(void **state)
{
	char *good[] = { "zonefall-diskfs", "--dir", "/var/lib/zonefall/l/h", "--mode", "slow",
			 "--args", "5ms write", "--keep", "log", "--ready-fd", "3", NULL };
	char *bad_keep[] = { "x", "--dir", "/d", "--mode", "slow", "--args", "5ms", "--keep",
			     "../etc", NULL };
	char *rel_dir[] = { "x", "--dir", "d", "--mode", "error", "--args", "", NULL };
	char *odd[] = { "x", "--dir", NULL };
	struct diskfs_opts o;
	char err[256];

	(void)state;
	assert_int_equal(diskfs_opts_parse(11, good, &o, err, sizeof(err)), 0);
	assert_string_equal(o.dir, "/var/lib/zonefall/l/h");
	assert_string_equal(o.keep, "log");
	assert_int_equal(o.ready_fd, 3);
	assert_int_equal(o.plan.mode, ZF_DISKIO_SLOW);
	assert_int_equal(o.plan.delay_us, 5000);
	assert_int_equal(diskfs_opts_parse(9, bad_keep, &o, err, sizeof(err)), -EINVAL);
	msg_has(err, "--keep");
	assert_int_equal(diskfs_opts_parse(7, rel_dir, &o, err, sizeof(err)), -EINVAL);
	msg_has(err, "usage");
	assert_int_equal(diskfs_opts_parse(2, odd, &o, err, sizeof(err)), -EINVAL);
	msg_has(err, "needs a value");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slow),
		cmocka_unit_test(test_error),
		cmocka_unit_test(test_opts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
