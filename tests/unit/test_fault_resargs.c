/* test_fault_resargs.c - the arguments of the resource and service faults. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fault/resargs.h"
#include "util/mem.h"

#define MiB (1ull << 20)

/* The error message of a failed parse contains WANT. */
static void msg_has(const char *err, const char *want)
{
	if (!strstr(err, want))
		print_message("got '%s', want '%s'\n", err, want);
	assert_non_null(strstr(err, want));
}

static void test_cpu(void **state)
{
	char err[256] = "";
	unsigned m = 0;

	(void)state;
	assert_int_equal(zf_resargs_cpu("0.25", &m, err, sizeof(err)), 0);
	assert_int_equal(m, 250);
	assert_int_equal(zf_resargs_cpu("25%", &m, err, sizeof(err)), 0);
	assert_int_equal(m, 250);
	assert_int_equal(zf_resargs_cpu("1.5", &m, err, sizeof(err)), 0);
	assert_int_equal(m, 1500);
	assert_int_equal(zf_resargs_cpu("1%", &m, err, sizeof(err)), 0);
	assert_int_equal(m, 10);
	assert_int_equal(zf_resargs_cpu("64", &m, err, sizeof(err)), 0);
	assert_int_equal(m, 64000);
	assert_int_equal(zf_resargs_cpu("0", &m, err, sizeof(err)), -EINVAL);
	msg_has(err, "from 0.01");
	assert_int_equal(zf_resargs_cpu("0.001", &m, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_cpu("65", &m, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_cpu("", &m, err, sizeof(err)), -EINVAL);
	msg_has(err, "like 0.25 or 25%");
	assert_int_equal(zf_resargs_cpu("fast", &m, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_cpu("25 %", &m, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_cpu("-0.5", &m, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_cpu(".", &m, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_cpu("0.25%%", &m, err, sizeof(err)), -EINVAL);
}

static void test_hogs(void **state)
{
	char err[256] = "";
	unsigned n = 0;

	(void)state;
	assert_int_equal(zf_resargs_hogs("", &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_int_equal(zf_resargs_hogs("4", &n, err, sizeof(err)), 0);
	assert_int_equal(n, 4);
	assert_int_equal(zf_resargs_hogs("0", &n, err, sizeof(err)), -EINVAL);
	msg_has(err, "from 1 to 64");
	assert_int_equal(zf_resargs_hogs("65", &n, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_hogs("1.5", &n, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_hogs("two", &n, err, sizeof(err)), -EINVAL);
}

static void test_size(void **state)
{
	char err[256] = "";
	unsigned long long b = 0;

	(void)state;
	assert_int_equal(zf_resargs_size("64M", 1, 1ull << 40, &b, err, sizeof(err)), 0);
	assert_true(b == 64 * MiB);
	assert_int_equal(zf_resargs_size("1.5GiB", 1, 1ull << 40, &b, err, sizeof(err)), 0);
	assert_true(b == 1536 * MiB);
	assert_int_equal(zf_resargs_size("512kb", 1, 1ull << 40, &b, err, sizeof(err)), 0);
	assert_true(b == 512 * 1024);
	assert_int_equal(zf_resargs_size("4096", 1, 1ull << 40, &b, err, sizeof(err)), 0);
	assert_true(b == 4096);
	assert_int_equal(zf_resargs_size("100b", 1, 1ull << 40, &b, err, sizeof(err)), 0);
	assert_true(b == 100);
	assert_int_equal(zf_resargs_size("1T", 1, 1ull << 40, &b, err, sizeof(err)), 0);
	assert_true(b == 1ull << 40);
	assert_int_equal(zf_resargs_size("2T", 1, 1ull << 40, &b, err, sizeof(err)), -EINVAL);
	msg_has(err, "from 1 to");
	assert_int_equal(zf_resargs_size("64X", 1, 1ull << 40, &b, err, sizeof(err)), -EINVAL);
	msg_has(err, "like 64M");
	assert_int_equal(zf_resargs_size("64Mi", 1, 1ull << 40, &b, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_size("64bb", 1, 1ull << 40, &b, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_size("", 1, 1ull << 40, &b, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_size("M", 1, 1ull << 40, &b, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_size("99999999999999999999999999G", 1, 1ull << 40, &b,
					 err, sizeof(err)), -EINVAL);
}

static void test_fill(void **state)
{
	char err[256] = "";
	unsigned long long b = 1;

	(void)state;
	assert_int_equal(zf_resargs_fill("", &b, err, sizeof(err)), 0);
	assert_true(b == 0);
	assert_int_equal(zf_resargs_fill("full", &b, err, sizeof(err)), 0);
	assert_true(b == 0);
	assert_int_equal(zf_resargs_fill("10M", &b, err, sizeof(err)), 0);
	assert_true(b == 10 * MiB);
	assert_int_equal(zf_resargs_fill("0", &b, err, sizeof(err)), 0);
	assert_true(b == 0);
	assert_int_equal(zf_resargs_fill("65G", &b, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_fill("half", &b, err, sizeof(err)), -EINVAL);
}

static void test_skew(void **state)
{
	char err[256] = "";
	long long s = 0;

	(void)state;
	assert_int_equal(zf_resargs_skew("+90s", &s, err, sizeof(err)), 0);
	assert_int_equal(s, 90);
	assert_int_equal(zf_resargs_skew("-5m", &s, err, sizeof(err)), 0);
	assert_int_equal(s, -300);
	assert_int_equal(zf_resargs_skew("1h30m", &s, err, sizeof(err)), 0);
	assert_int_equal(s, 5400);
	assert_int_equal(zf_resargs_skew("-366h", &s, err, sizeof(err)), 0);
	assert_int_equal(zf_resargs_skew("+0s", &s, err, sizeof(err)), -EINVAL);
	msg_has(err, "whole seconds");
	assert_int_equal(zf_resargs_skew("+1.5s", &s, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_skew("+90", &s, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_skew("+9000h", &s, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_skew("--5m", &s, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_resargs_skew("", &s, err, sizeof(err)), -EINVAL);
}

static void test_config(void **state)
{
	char err[256] = "", **argv = NULL, **env = NULL;

	(void)state;
	assert_int_equal(zf_resargs_config("PORT=1 DEBUG=yes", &argv, &env, err, sizeof(err)), 0);
	assert_null(argv[0]);
	assert_string_equal(env[0], "PORT=1");
	assert_string_equal(env[1], "DEBUG=yes");
	assert_null(env[2]);
	zf_strv_free(argv);
	zf_strv_free(env);
	assert_int_equal(zf_resargs_config("A=1 api --port 'x y' B=2", &argv, &env, err,
					   sizeof(err)), 0);
	assert_string_equal(env[0], "A=1");
	assert_null(env[1]);
	assert_string_equal(argv[0], "api");
	assert_string_equal(argv[2], "x y");
	assert_string_equal(argv[3], "B=2");   /* after the command: an argument */
	zf_strv_free(argv);
	zf_strv_free(env);
	assert_int_equal(zf_resargs_config("1A=2 cmd", &argv, &env, err, sizeof(err)), 0);
	assert_null(env[0]);
	assert_string_equal(argv[0], "1A=2");
	zf_strv_free(argv);
	zf_strv_free(env);
	assert_int_equal(zf_resargs_config("", &argv, &env, err, sizeof(err)), -EINVAL);
	msg_has(err, "bad-config needs");
	assert_int_equal(zf_resargs_config("cmd 'open", &argv, &env, err, sizeof(err)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu),   cmocka_unit_test(test_hogs),
		cmocka_unit_test(test_size),  cmocka_unit_test(test_fill),
		cmocka_unit_test(test_skew),  cmocka_unit_test(test_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
