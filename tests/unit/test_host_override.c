/* test_host_override.c - the init's "override" payload. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "host/override.h"

static void test_parse(void **state)
{
	struct svc_override ov;
	char err[256] = "";
	json_t *j;
	char *text;

	(void)state;
	assert_int_equal(override_parse("", &ov, err, sizeof(err)), 0);
	assert_true(override_empty(&ov));
	assert_null(override_json(&ov));
	assert_int_equal(override_parse("{}", &ov, err, sizeof(err)), 0);
	assert_true(override_empty(&ov));
	assert_int_equal(override_parse("{\"argv\":[\"false\"],\"env\":[\"A=1\",\"B_2=x y\"]}",
					&ov, err, sizeof(err)), 0);
	assert_string_equal(ov.argv[0], "false");
	assert_null(ov.argv[1]);
	assert_string_equal(ov.env[1], "B_2=x y");
	j = override_json(&ov);
	text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "{\"argv\":[\"false\"],\"env\":[\"A=1\",\"B_2=x y\"]}");
	free(text);
	json_decref(j);
	override_free(&ov);
	assert_int_equal(override_parse("{\"env\":[\"A=1\"]}", &ov, err, sizeof(err)), 0);
	assert_null(ov.argv);
	override_free(&ov);
}

static void bad(const char *text, const char *want)
{
	struct svc_override ov;
	char err[256] = "";

	assert_int_equal(override_parse(text, &ov, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want))
		print_message("'%s': got '%s', want '%s'\n", text, err, want);
	assert_non_null(strstr(err, want));
	assert_true(override_empty(&ov));
}

static void test_bad(void **state)
{
	(void)state;
	bad("[]", "expected a JSON object");
	bad("{", "expected a JSON object");
	bad("{\"argv\":[]}", "argv: expected an array of 1 to");
	bad("{\"argv\":\"false\"}", "argv: expected an array");
	bad("{\"argv\":[\"\"]}", "argv[0]: expected a non-empty command");
	bad("{\"argv\":[\"a\",1]}", "argv[1]: expected strings");
	bad("{\"argv\":[\"a\\u0000b\"]}", "not allowed");
	bad("{\"env\":[\"NOEQUALS\"]}", "env[0]: expected \"KEY=VALUE\"");
	bad("{\"env\":[\"1A=x\"]}", "env[0]");
	bad("{\"env\":[\"A-B=x\"]}", "env[0]");
	bad("{\"argv\":[\"a\"],\"cmd\":1}", "unknown key");
	bad("{\"argv\":[\"a\"],\"argv\":[\"b\"]}", "expected a JSON object");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
