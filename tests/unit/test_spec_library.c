/* test_spec_library.c - the scenario library (spec/library.h): ids from
 * paths and back, where the library is, listing a tree, close matches for
 * a missing name; and the scenario's optional "lab:" key that the listing
 * shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spec/library.h"
#include "spec/scenario.h"
#include "util/fsutil.h"
#include "util/log.h"

/* ---- ids ---- */

static void check_id(const char *dir, const char *path, const char *want)
{
	char id[ZF_LIB_ID_MAX + 1] = "";
	int rc = zf_library_id(dir, path, id, sizeof(id));

	if (rc != 0)
		print_message("%s in %s: %d\n", path, dir, rc);
	assert_int_equal(rc, 0);
	assert_string_equal(id, want);
}

static void test_id_from_path(void **state)
{
	char small[4], buf[64];

	(void)state;
	check_id("scenarios", "scenarios/generic/zone-power-loss.yaml",
		 "generic/zone-power-loss");
	check_id("scenarios/", "scenarios/incidents/alibaba-sg-2024-fire.yaml",
		 "incidents/alibaba-sg-2024-fire");
	check_id("/src/zonefall/scenarios", "/src/zonefall/scenarios//a.yaml",
		 "a");
	check_id("/", "/x/y.yaml", "x/y");
	/* not under the library, not a scenario file, not a valid id */
	assert_int_equal(zf_library_id("scenarios", "scenariosX/a.yaml",
				       buf, sizeof(buf)), -EINVAL);
	assert_int_equal(zf_library_id("scenarios", "other/a.yaml", buf,
				       sizeof(buf)), -EINVAL);
	assert_int_equal(zf_library_id("scenarios", "scenarios/a.yml", buf,
				       sizeof(buf)), -EINVAL);
	assert_int_equal(zf_library_id("scenarios", "scenarios/.yaml", buf,
				       sizeof(buf)), -EINVAL);
	assert_int_equal(zf_library_id("scenarios", "scenarios/.git/a.yaml",
				       buf, sizeof(buf)), -EINVAL);
	assert_int_equal(zf_library_id("scenarios", "scenarios/a//b.yaml",
				       buf, sizeof(buf)), -EINVAL);
	assert_int_equal(zf_library_id("scenarios", "scenarios/long.yaml",
				       small, sizeof(small)), -ENAMETOOLONG);
}

static void test_valid_id(void **state)
{
	char big[ZF_LIB_ID_MAX + 2];

	(void)state;
	assert_true(zf_library_valid_id("generic/zone-power-loss"));
	assert_true(zf_library_valid_id("a"));
	assert_false(zf_library_valid_id(""));
	assert_false(zf_library_valid_id("/etc/passwd"));
	assert_false(zf_library_valid_id("../x"));
	assert_false(zf_library_valid_id("a/../x"));
	assert_false(zf_library_valid_id("a/./x"));
	assert_false(zf_library_valid_id("a/"));
	assert_false(zf_library_valid_id("a//b"));
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_false(zf_library_valid_id(big));
	big[ZF_LIB_ID_MAX] = '\0';
	assert_true(zf_library_valid_id(big));
}

static void test_locate(void **state)
{
	(void)state;
	assert_string_equal(zf_library_locate("opt", "env", ZF_TEST_DATA),
			    "opt");
	assert_string_equal(zf_library_locate(NULL, "env", ZF_TEST_DATA),
			    "env");
	assert_string_equal(zf_library_locate("", "", ZF_TEST_DATA),
			    ZF_TEST_DATA);
	assert_string_equal(zf_library_locate(NULL, NULL,
					      ZF_TEST_DATA "/no-such-dir"),
			    "scenarios");
	assert_string_equal(zf_library_locate(NULL, NULL,
					      ZF_TEST_DATA "/CMakeLists.txt"),
			    "scenarios");
	assert_string_equal(zf_library_locate(NULL, NULL, NULL), "scenarios");
}

/* ---- a library on disk ---- */

static char tmp[PATH_MAX];

static void put(const char *rel, const char *text)
{
	char path[PATH_MAX + 64], dir[PATH_MAX + 64];
	char *slash;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	*slash = '\0';
	assert_int_equal(zf_mkdir_p(dir, 0755), 0);
	assert_int_equal(zf_put_file(path, text, strlen(text), 0644), 0);
}

static int setup_tree(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/zf-test-library.XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	put("generic/zone-power-loss.yaml", "x");
	put("generic/dns-empty-answer.yaml", "x");
	put("incidents/alibaba-sg-2024-fire.yaml", "x");
	put("incidents/aws-use1-2021-network.yaml", "x");
	put("top.yaml", "x");
	put("generic/README.md", "not a scenario");
	put("generic/.draft.yaml", "hidden");
	put(".git/objects.yaml", "hidden");
	put("generic/old.yml", "not .yaml");
	return 0;
}

static int teardown_tree(void **state)
{
	(void)state;
	return zf_remove_tree(tmp) == 0 ? 0 : -1;
}

static void check_list(const char *under, const char *const *want, size_t n)
{
	struct zf_library l;
	char err[512] = "", path[PATH_MAX + 300];
	int rc = zf_library_list(tmp, under, &l, err, sizeof(err));

	if (rc < 0)
		print_message("%s\n", err);
	assert_int_equal(rc, 0);
	assert_int_equal(l.n, n);
	assert_string_equal(l.dir, tmp);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(l.ids[i], want[i]);
		snprintf(path, sizeof(path), "%s/%s.yaml", tmp, want[i]);
		assert_string_equal(l.paths[i], path);
	}
	zf_library_free(&l);
}

static void test_list(void **state)
{
	static const char *const all[] = {
		"generic/dns-empty-answer", "generic/zone-power-loss",
		"incidents/alibaba-sg-2024-fire",
		"incidents/aws-use1-2021-network", "top",
	};
	static const char *const incidents[] = {
		"incidents/alibaba-sg-2024-fire",
		"incidents/aws-use1-2021-network",
	};
	struct zf_library l;
	char err[512] = "", missing[PATH_MAX + 16];

	(void)state;
	check_list(NULL, all, 5);
	check_list("incidents", incidents, 2);
	check_list("nothing-here", NULL, 0);
	snprintf(missing, sizeof(missing), "%s/none", tmp);
	assert_int_equal(zf_library_list(missing, NULL, &l, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, missing));
	assert_int_equal(l.n, 0);
	assert_int_equal(zf_library_list(tmp, "../etc", &l, err, sizeof(err)),
			 -EINVAL);
}

static void test_path_and_name(void **state)
{
	char path[PATH_MAX], want[PATH_MAX + 64], slashed[PATH_MAX + 4];

	(void)state;
	assert_int_equal(zf_library_path(tmp, "incidents/alibaba-sg-2024-fire",
					 path, sizeof(path)), 0);
	snprintf(want, sizeof(want), "%s/incidents/alibaba-sg-2024-fire.yaml",
		 tmp);
	assert_string_equal(path, want);
	snprintf(slashed, sizeof(slashed), "%s//", tmp);
	assert_int_equal(zf_library_path(slashed, "top", path, sizeof(path)),
			 0);
	snprintf(want, sizeof(want), "%s/top.yaml", tmp);
	assert_string_equal(path, want);
	assert_int_equal(zf_library_path(tmp, "incidents/nope", path,
					 sizeof(path)), -ENOENT);
	assert_int_equal(zf_library_path(tmp, "../etc/passwd", path,
					 sizeof(path)), -EINVAL);
	assert_int_equal(zf_library_path(tmp, "top", path, 8), -ENAMETOOLONG);

	assert_true(zf_library_is_name("incidents/alibaba-sg-2024-fire"));
	assert_true(zf_library_is_name("zone-power-loss"));
	assert_false(zf_library_is_name("missing.yaml"));
	assert_false(zf_library_is_name("missing.yml"));
	assert_false(zf_library_is_name(tmp));   /* exists */
	assert_false(zf_library_is_name(want));  /* exists */
}

static void check_suggest(const char *name, const char *first, size_t min)
{
	struct zf_library l;
	const char *near[5] = { 0 };
	char err[512];
	size_t n;

	assert_int_equal(zf_library_list(tmp, NULL, &l, err, sizeof(err)), 0);
	n = zf_library_suggest(&l, name, near, 5);
	if (n < min || (first && n && strcmp(near[0], first)))
		print_message("'%s': %zu matches, first %s\n", name, n,
			      n ? near[0] : "-");
	assert_true(n >= min);
	if (first)
		assert_string_equal(near[0], first);
	zf_library_free(&l);
}

static void test_suggest(void **state)
{
	(void)state;
	/* the id without its directory */
	check_suggest("alibaba-sg-2024-fire", "incidents/alibaba-sg-2024-fire",
		      1);
	/* the wrong directory */
	check_suggest("generic/alibaba-sg-2024-fire",
		      "incidents/alibaba-sg-2024-fire", 1);
	/* a part of the name */
	check_suggest("alibaba", "incidents/alibaba-sg-2024-fire", 1);
	/* typos */
	check_suggest("generic/zone-powr-los", "generic/zone-power-loss", 1);
	check_suggest("incidents/alibaba-sg-2042-fire",
		      "incidents/alibaba-sg-2024-fire", 1);
	check_suggest("incidents", NULL, 2);
	/* nothing like it */
	check_suggest("kubernetes-etcd-quorum", NULL, 0);
	{
		struct zf_library l;
		const char *near[5];
		char err[512];

		assert_int_equal(zf_library_list(tmp, NULL, &l, err,
						 sizeof(err)), 0);
		assert_int_equal(zf_library_suggest(&l, "qqqqqqqqqqqq", near,
						    5), 0);
		assert_int_equal(zf_library_suggest(&l, "top", near, 0), 0);
		zf_library_free(&l);
	}
}

/* ---- the scenario's "lab:" key ---- */

#define HEAD "scenario: t\nclass: power\n"

static struct zf_scenario *load(const char *yaml, char *err, size_t len,
				int *rc)
{
	struct zf_scenario *s = NULL;

	*rc = zf_scenario_load_buffer("t.yaml", yaml, strlen(yaml), NULL, 1.0,
				      &s, err, len);
	return s;
}

static void test_lab_key(void **state)
{
	char err[512] = "";
	struct zf_scenario *s;
	int rc;

	(void)state;
	s = load(HEAD, err, sizeof(err), &rc);
	assert_int_equal(rc, 0);
	assert_null(s->labs);
	zf_scenario_free(s);

	s = load(HEAD "lab: labs/demo.yaml\n", err, sizeof(err), &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s->labs[0], "labs/demo.yaml");
	assert_null(s->labs[1]);
	zf_scenario_free(s);

	s = load(HEAD "params: { v: minrep }\n"
		 "lab: [labs/redis.yaml, \"labs/redis-{v}.yaml\"]\n", err,
		 sizeof(err), &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s->labs[0], "labs/redis.yaml");
	assert_string_equal(s->labs[1], "labs/redis-minrep.yaml");
	assert_null(s->labs[2]);
	zf_scenario_free(s);
}

static void check_bad_lab(const char *yaml, const char *want)
{
	char err[512] = "";
	int rc;
	struct zf_scenario *s = load(yaml, err, sizeof(err), &rc);

	assert_int_equal(rc, -EINVAL);
	assert_null(s);
	if (!strstr(err, want))
		print_message("want '%s', got '%s'\n", want, err);
	assert_non_null(strstr(err, want));
}

static void test_lab_key_bad(void **state)
{
	(void)state;
	check_bad_lab(HEAD "lab: { f: x }\n", "t.yaml:3:6: expected a lab "
		      "file or a list of 1 to 8 for 'lab'");
	check_bad_lab(HEAD "lab: []\n", "t.yaml:3:6: expected a lab file");
	check_bad_lab(HEAD "lab: [a, b, c, d, e, f, g, h, i]\n",
		      "t.yaml:3:31: expected a lab file");
	check_bad_lab(HEAD "lab: \"\"\n", "t.yaml:3:6: expected a lab file "
		      "for 'lab', got an empty string");
	check_bad_lab(HEAD "lab: [a, [b]]\n", "t.yaml:3:10:");
	check_bad_lab(HEAD "lab: \"{nope}\"\n", "unknown parameter");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_from_path),
		cmocka_unit_test(test_valid_id),
		cmocka_unit_test(test_locate),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_path_and_name),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_lab_key),
		cmocka_unit_test(test_lab_key_bad),
	};

	return cmocka_run_group_tests(tests, setup_tree, teardown_tree);
}
