/* test_spec_split.c - shell-like word splitting without a shell. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "spec/split.h"
#include "util/mem.h"

static void check_split(const char *s, const char *const *want, size_t n)
{
	char **argv = NULL, err[128] = "";
	size_t off = 999;
	int rc = zf_split_argv(s, 16, &argv, err, sizeof(err), &off);

	if (rc != 0)
		print_message("'%s': %s\n", s, err);
	assert_int_equal(rc, 0);
	assert_int_equal(zf_strv_len(argv), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(argv[i], want[i]);
	assert_null(argv[n]);
	assert_int_equal(off, 999);
	zf_strv_free(argv);
}

#define SPLIT(s, ...) do { \
	static const char *const want_[] = { __VA_ARGS__ }; \
	check_split((s), want_, sizeof(want_) / sizeof(*want_)); \
} while (0)

static void test_words(void **state)
{
	(void)state;
	SPLIT("nginx -p {data} -c {lab}/nginx.conf", "nginx", "-p", "{data}",
	      "-c", "{lab}/nginx.conf");
	SPLIT("  a \t b\n c  ", "a", "b", "c");
	SPLIT("one", "one");
	SPLIT("echo $HOME | cat > out; `x` &", "echo", "$HOME", "|", "cat",
	      ">", "out;", "`x`", "&");
	SPLIT("*.c ~ {a,b}", "*.c", "~", "{a,b}");
}

static void test_quotes(void **state)
{
	(void)state;
	SPLIT("a 'b c' d", "a", "b c", "d");
	SPLIT("'it''s'", "its");
	SPLIT("'a\\b \"c\"'", "a\\b \"c\"");
	SPLIT("\"a b\" \"c\\\"d\" \"e\\\\f\" \"g\\$h\" \"i\\`j\"", "a b",
	      "c\"d", "e\\f", "g$h", "i`j");
	SPLIT("\"a\\nb\" \"\\x\"", "a\\nb", "\\x");
	SPLIT("x'y'\"z\"w", "xyzw");
	SPLIT("'' \"\" a", "", "", "a");
	SPLIT("--label='a b'", "--label=a b");
	SPLIT("\"line\\\none\"", "lineone");
}

static void test_backslashes(void **state)
{
	(void)state;
	SPLIT("a\\ b c", "a b", "c");
	SPLIT("\\'x \\\"y \\\\z", "'x", "\"y", "\\z");
	SPLIT("a \\\n b", "a", "b");
	SPLIT("a\\\nb", "ab");
	SPLIT("\\\n a", "a");
}

static void check_error(const char *s, int want_rc, size_t want_off,
			const char *want_msg)
{
	char **argv = NULL, err[128] = "";
	size_t off = 999;
	int rc = zf_split_argv(s, 4, &argv, err, sizeof(err), &off);

	assert_int_equal(rc, want_rc);
	assert_null(argv);
	assert_string_equal(err, want_msg);
	if (want_off != (size_t)-1)
		assert_int_equal(off, want_off);
}

static void test_errors(void **state)
{
	char **argv = NULL;

	(void)state;
	check_error("echo 'abc", -EINVAL, 5,
		    "unterminated single quote at offset 5");
	check_error("a \"b\\\"", -EINVAL, 2,
		    "unterminated double quote at offset 2");
	check_error("a b\\", -EINVAL, 3, "trailing backslash at offset 3");
	check_error("", -ENODATA, 0, "empty command");
	check_error(" \t\n ", -ENODATA, 0, "empty command");
	check_error("\\\n", -ENODATA, 0, "empty command");
	check_error("1 2 3 4 5", -E2BIG, 8,
		    "too many words: more than 4 (at offset 8)");
	assert_int_equal(zf_split_argv("1 2 3 4", 4, &argv, NULL, 0, NULL), 0);
	assert_int_equal(zf_strv_len(argv), 4);
	zf_strv_free(argv);
	assert_int_equal(zf_split_argv("'", 4, &argv, NULL, 0, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_backslashes),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
