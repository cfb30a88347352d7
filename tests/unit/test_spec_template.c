/* test_spec_template.c - "{key}" / "{key:arg}" placeholders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "spec/template.h"

struct calls {
	int n;
	char seen[8][64];
};

/* data -> /var/d, host -> web-a, ip:NAME -> 10.0.0.<len(NAME)>, big -> 5000
 * bytes, fail -> -EIO; everything else is unknown. */
static int lookup(void *ctx, const char *key, const char *arg, char *out,
		  size_t outlen)
{
	struct calls *c = ctx;

	if (c && c->n < 8)
		snprintf(c->seen[c->n++], sizeof(c->seen[0]), "%s|%s", key,
			 arg ? arg : "-");
	if (!arg && strcmp(key, "data") == 0)
		return snprintf(out, outlen, "/var/d") < 0 ? -EIO : 0;
	if (!arg && strcmp(key, "host") == 0)
		return snprintf(out, outlen, "web-a") < 0 ? -EIO : 0;
	if (arg && strcmp(key, "ip") == 0)
		return snprintf(out, outlen, "10.0.0.%zu", strlen(arg)) < 0 ?
		       -EIO : 0;
	if (!arg && strcmp(key, "fail") == 0)
		return -EIO;
	return -ENOENT;
}

static void expand_ok(const char *t, const char *want)
{
	char out[128], err[128] = "";
	int rc = zf_tmpl_expand(t, lookup, NULL, out, sizeof(out), err,
				sizeof(err), NULL);

	if (rc)
		print_message("'%s': %s\n", t, err);
	assert_int_equal(rc, 0);
	assert_string_equal(out, want);
}

static void test_expand(void **state)
{
	(void)state;
	expand_ok("", "");
	expand_ok("plain text", "plain text");
	expand_ok("{data}", "/var/d");
	expand_ok("-p {data}/x -h {host}", "-p /var/d/x -h web-a");
	expand_ok("{ip:db-a}:5432", "10.0.0.4:5432");
	expand_ok("{{literal}} }}{{ {{{data}}}", "{literal} }{ {/var/d}");
	expand_ok("$HOME `x` %s", "$HOME `x` %s");
}

static void expand_err(const char *t, int want_rc, size_t want_off,
		       const char *want_msg)
{
	char out[64], err[160] = "";
	size_t off = 999;
	int rc = zf_tmpl_expand(t, lookup, NULL, out, sizeof(out), err,
				sizeof(err), &off);

	assert_int_equal(rc, want_rc);
	assert_int_equal(off, want_off);
	assert_string_equal(err, want_msg);
}

static void test_errors(void **state)
{
	(void)state;
	expand_err("x {nope} y", -ENOENT, 2, "unknown placeholder '{nope}'");
	expand_err("{ip:}", -EINVAL, 0, "empty argument in '{ip:}'");
	expand_err("{data:x}", -ENOENT, 0, "unknown placeholder '{data:x}'");
	expand_err("a } b", -EINVAL, 2,
		   "lone '}' at offset 2 (write }} for a literal brace)");
	expand_err("a { b", -EINVAL, 2, "bad placeholder at offset 2: "
		   "expected a name like {data} (write {{ for a literal "
		   "brace)");
	expand_err("{Data}", -EINVAL, 0, "bad placeholder at offset 0: "
		   "expected a name like {data} (write {{ for a literal "
		   "brace)");
	expand_err("ab{data", -EINVAL, 2,
		   "placeholder '{data' at offset 2 is not closed by '}'");
	expand_err("{data x}", -EINVAL, 0,
		   "placeholder '{data' at offset 0 is not closed by '}'");
	expand_err("{ip:a{b}}", -EINVAL, 0,
		   "placeholder '{ip:a' at offset 0 is not closed by '}'");
	expand_err("{fail}", -EIO, 0,
		   "cannot expand '{fail}': Input/output error");
	expand_err("0123456789012345678901234567890123456789012345678901234"
		   "56789{data}", -ENAMETOOLONG, 60,
		   "expansion is longer than 63 bytes");
}

static void test_check_and_limits(void **state)
{
	struct calls c = { 0 };
	char key[80], out[8], err[128];
	size_t off = 0;

	(void)state;
	assert_int_equal(zf_tmpl_check("{data} {ip:web-b} {{x}}", lookup, &c,
				       err, sizeof(err), NULL), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.seen[0], "data|-");
	assert_string_equal(c.seen[1], "ip|web-b");
	assert_int_equal(zf_tmpl_check("{x-1_y}", lookup, NULL, err,
				       sizeof(err), &off), -ENOENT);
	assert_string_equal(err, "unknown placeholder '{x-1_y}'");
	memset(key, 'k', sizeof(key));
	key[0] = '{';
	key[sizeof(key) - 2] = '}';
	key[sizeof(key) - 1] = '\0';
	assert_int_equal(zf_tmpl_check(key, lookup, NULL, err, sizeof(err),
				       &off), -EINVAL);
	assert_string_equal(err, "placeholder at offset 0 is too long");
	assert_int_equal(zf_tmpl_expand("abcdefgh", lookup, NULL, out,
					sizeof(out), NULL, 0, NULL),
			 -ENAMETOOLONG);
	assert_int_equal(zf_tmpl_expand("abcdefg", lookup, NULL, out,
					sizeof(out), NULL, 0, NULL), 0);
	assert_string_equal(out, "abcdefg");
	assert_int_equal(zf_tmpl_expand("x", lookup, NULL, out, 0, NULL, 0,
					NULL), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_check_and_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
