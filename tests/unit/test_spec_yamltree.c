/* test_spec_yamltree.c - the capped YAML tree: positions, aliases, caps at
 * their exact limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/yamltree.h"

static int parse(const char *s, struct zf_ydoc **doc, char *err, size_t len)
{
	*doc = NULL;
	return zf_ydoc_parse("y", s, strlen(s), doc, err, len);
}

static void expect_fail(const char *s, const char *want)
{
	struct zf_ydoc *doc;
	char err[512] = "";

	assert_int_equal(parse(s, &doc, err, sizeof(err)), -EINVAL);
	assert_null(doc);
	if (strncmp(err, want, strlen(want)) != 0)
		print_message("want '%s'\ngot  '%s'\n", want, err);
	assert_int_equal(strncmp(err, want, strlen(want)), 0);
}

static void test_tree_and_marks(void **state)
{
	const char *s = "# c\nk: v\nlist:\n  - 'a'\n  - { x: 1 }\nno: no\n";
	const struct zf_ynode *root, *list;
	struct zf_ydoc *doc;
	char err[256];

	(void)state;
	assert_int_equal(parse(s, &doc, err, sizeof(err)), 0);
	root = zf_ydoc_root(doc);
	assert_int_equal(root->kind, ZF_YMAP);
	assert_int_equal(root->n, 3);
	assert_int_equal(root->mark.line, 2);
	assert_int_equal(root->mark.col, 1);
	assert_string_equal(zf_ymap_key(root, 1)->str, "list");
	list = zf_ymap_val(root, 1);
	assert_int_equal(list->kind, ZF_YSEQ);
	assert_int_equal(list->n, 2);
	assert_string_equal(list->kids[0]->str, "a");
	assert_false(list->kids[0]->plain);
	assert_int_equal(list->kids[0]->mark.line, 4);
	assert_int_equal(list->kids[0]->mark.col, 5);
	assert_int_equal(list->kids[1]->kind, ZF_YMAP);
	assert_int_equal(list->kids[1]->mark.col, 5);
	/* YAML 1.1 would make this a boolean; we keep the text. */
	assert_string_equal(zf_ymap_val(root, 2)->str, "no");
	assert_true(zf_ymap_val(root, 2)->plain);
	assert_int_equal(root->size, 11);
	zf_ydoc_free(doc);
}

static void test_aliases_share_nodes(void **state)
{
	const char *s = "a: &x [1, 2]\nb: *x\nc: *x\n";
	const struct zf_ynode *root;
	struct zf_ydoc *doc;
	char err[256];

	(void)state;
	assert_int_equal(parse(s, &doc, err, sizeof(err)), 0);
	root = zf_ydoc_root(doc);
	assert_ptr_equal(zf_ymap_val(root, 0), zf_ymap_val(root, 1));
	assert_ptr_equal(zf_ymap_val(root, 0), zf_ymap_val(root, 2));
	assert_int_equal(root->size, 1 + 3 + 3 * 3);
	zf_ydoc_free(doc);
}

static void test_empty_and_null(void **state)
{
	struct zf_ydoc *doc;
	char err[256];

	(void)state;
	assert_int_equal(parse("# only a comment\n", &doc, err, sizeof(err)),
			 0);
	assert_null(zf_ydoc_root(doc));
	assert_int_equal(zf_ydoc_end(doc).line, 2);
	zf_ydoc_free(doc);
	assert_int_equal(parse("~\n", &doc, err, sizeof(err)), 0);
	assert_true(zf_ynode_is_null(zf_ydoc_root(doc)));
	zf_ydoc_free(doc);
	assert_int_equal(parse("'~'\n", &doc, err, sizeof(err)), 0);
	assert_false(zf_ynode_is_null(zf_ydoc_root(doc)));
	zf_ydoc_free(doc);
}

/* "[x, x, ...]" with N items: N + 1 nodes. */
static char *flat_list(size_t n)
{
	char *s = malloc(2 * n + 3);

	assert_non_null(s);
	s[0] = '[';
	for (size_t i = 0; i < n; i++) {
		s[1 + 2 * i] = 'x';
		s[2 + 2 * i] = ',';
	}
	s[2 * n] = ']';
	s[2 * n + 1] = '\0';
	return s;
}

/* N nested flow sequences. */
static char *nested(size_t n)
{
	char *s = malloc(2 * n + 1);

	assert_non_null(s);
	memset(s, '[', n);
	memset(s + n, ']', n);
	s[2 * n] = '\0';
	return s;
}

static void test_caps_at_limits(void **state)
{
	struct zf_ydoc *doc;
	char err[256], *s;

	(void)state;
	s = flat_list(ZF_YAML_MAX_NODES - 1);
	assert_int_equal(parse(s, &doc, err, sizeof(err)), 0);
	zf_ydoc_free(doc);
	free(s);
	s = flat_list(ZF_YAML_MAX_NODES);
	expect_fail(s, "y:1:200000: document has more than 100000 nodes");
	free(s);
	s = nested(ZF_YAML_MAX_DEPTH);
	assert_int_equal(parse(s, &doc, err, sizeof(err)), 0);
	zf_ydoc_free(doc);
	free(s);
	s = nested(ZF_YAML_MAX_DEPTH + 1);
	expect_fail(s, "y:1:33: nesting deeper than 32 levels");
	free(s);
	s = malloc(ZF_YAML_MAX_SCALAR + 2);
	assert_non_null(s);
	memset(s, 'a', ZF_YAML_MAX_SCALAR);
	s[ZF_YAML_MAX_SCALAR] = '\0';
	assert_int_equal(parse(s, &doc, err, sizeof(err)), 0);
	zf_ydoc_free(doc);
	s[ZF_YAML_MAX_SCALAR] = 'a';
	s[ZF_YAML_MAX_SCALAR + 1] = '\0';
	expect_fail(s, "y:1:1: string longer than 65536 bytes");
	free(s);
}

static void test_alias_cap(void **state)
{
	char buf[1024] = "a: &a x\nl: [";
	struct zf_ydoc *doc;
	char err[256];

	(void)state;
	for (int i = 0; i < ZF_YAML_MAX_ALIASES; i++)
		strncat(buf, i ? ", *a" : "*a", sizeof(buf) - strlen(buf) - 1);
	strncat(buf, "]\n", sizeof(buf) - strlen(buf) - 1);
	assert_int_equal(parse(buf, &doc, err, sizeof(err)), 0);
	zf_ydoc_free(doc);
	buf[strlen(buf) - 2] = '\0';
	strncat(buf, ", *a]\n", sizeof(buf) - strlen(buf) - 1);
	expect_fail(buf, "y:2:");
	expect_fail(buf, "y:2:261: more than 64 aliases");
}

static void test_structure_errors(void **state)
{
	(void)state;
	expect_fail("a: 1\nb: 2\na: 3\n", "y:3:1: duplicate key 'a' (first "
		    "at line 1, column 1)");
	expect_fail("x: { b: 1, a: 2, b: 3, a: 4 }",
		    "y:1:18: duplicate key 'b'");
	expect_fail("a: 1\n---\nb: 2\n", "y:2:1: only one YAML document");
	expect_fail("{ [1]: 2 }", "y:1:3: expected a string as mapping key, "
		    "got a list");
	expect_fail("a: &k { b: 1 }\n*k : 2\n", "y:2:1: expected a string as "
		    "mapping key, got a mapping");
	expect_fail("a: *k\n", "y:1:4: unknown anchor '*k'");
	expect_fail("a: [1, 2\n", "y:2:1: did not find expected ',' or ']'");
	expect_fail("a: \"\\0\"\n", "y:1:4: NUL character in string");
	expect_fail("a: \"x\n", "y:2:1: found unexpected end of stream");
	expect_fail("\t- a\n", "y:1:1: found character that cannot start any "
		    "token");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_and_marks),
		cmocka_unit_test(test_aliases_share_nodes),
		cmocka_unit_test(test_empty_and_null),
		cmocka_unit_test(test_caps_at_limits),
		cmocka_unit_test(test_alias_cap),
		cmocka_unit_test(test_structure_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
