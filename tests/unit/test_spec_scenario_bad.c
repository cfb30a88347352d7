/* test_spec_scenario_bad.c - every file in tests/scenarios/bad/ must fail
 * to load with the position and message its first line announces:
 *     # expect: LINE:COL: substring of the message
 * and leave the output untouched; plus the oversize file (generated here),
 * a missing file and a bad time scale. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spec/scenario.h"

#define BAD_DIR ZF_TEST_DATA "/scenarios/bad"
#define GOOD_DIR ZF_TEST_DATA "/scenarios/good"
#define MIN_BAD_FILES 12
#define UNTOUCHED ((struct zf_scenario *)(uintptr_t)0x1)

struct expect {
	int line;
	int col;
	char text[256];
};

/* Read the "# expect: L:C: text" header of PATH. */
static int read_expect(const char *path, struct expect *e)
{
	char first[512];
	FILE *f = fopen(path, "r");
	int n = 0, ok;

	if (!f)
		return -errno;
	ok = fgets(first, sizeof(first), f) != NULL;
	fclose(f);
	if (!ok || sscanf(first, "# expect: %d:%d: %n", &e->line, &e->col,
			  &n) != 2 || n == 0)
		return -EINVAL;
	snprintf(e->text, sizeof(e->text), "%s", first + n);
	e->text[strcspn(e->text, "\n")] = '\0';
	return 0;
}

/* Check one bad file; prints what went wrong and returns 0 when it fails
 * exactly as announced. */
static int check_bad_file(const char *path)
{
	struct zf_scenario *s = UNTOUCHED;
	char err[1024] = "", prefix[600];
	struct expect e;
	int rc;

	if (read_expect(path, &e) < 0) {
		print_message("%s: no '# expect: LINE:COL: text' header\n", path);
		return -1;
	}
	rc = zf_scenario_load(path, NULL, 1.0, &s, err, sizeof(err));
	snprintf(prefix, sizeof(prefix), "%s:%d:%d: ", path, e.line, e.col);
	if (rc >= 0) {
		print_message("%s: loaded, expected an error\n", path);
		zf_scenario_free(s);
		return -1;
	}
	if (rc != -EINVAL || s != UNTOUCHED ||
	    strncmp(err, prefix, strlen(prefix)) != 0 ||
	    !strstr(err + strlen(prefix), e.text)) {
		print_message("%s:\n  expected %s...%s\n  got      %s (%d)\n",
			      path, prefix, e.text, err, rc);
		return -1;
	}
	return 0;
}

static int is_yaml(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && strcmp(name + n - 5, ".yaml") == 0;
}

static void test_bad_files(void **state)
{
	DIR *d = opendir(BAD_DIR);
	struct dirent *de;
	char path[512];
	int files = 0, failed = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d))) {
		if (!is_yaml(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", BAD_DIR, de->d_name);
		files++;
		failed += check_bad_file(path) < 0;
	}
	closedir(d);
	print_message("%d bad scenario files checked\n", files);
	assert_true(files >= MIN_BAD_FILES);
	assert_int_equal(failed, 0);
}

/* Every good file loads, with and without time scaling. */
static void test_good_files(void **state)
{
	DIR *d = opendir(GOOD_DIR);
	struct dirent *de;
	char path[512], err[1024];
	int files = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d))) {
		struct zf_scenario *s = NULL;
		int rc;

		if (!is_yaml(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", GOOD_DIR, de->d_name);
		files++;
		rc = zf_scenario_load(path, NULL, 60.0, &s, err, sizeof(err));
		if (rc < 0)
			print_message("%s\n", err);
		assert_int_equal(rc, 0);
		zf_scenario_free(s);
	}
	closedir(d);
	assert_true(files >= 3);
}

/* A valid scenario padded with comments past ZF_SCN_FILE_MAX. */
static char *oversize(size_t *len)
{
	const char *head = "scenario: big\nclass: power\n";
	size_t n = ZF_SCN_FILE_MAX + 1;
	char *buf = malloc(n);

	assert_non_null(buf);
	memset(buf, '#', n);
	memcpy(buf, head, strlen(head));
	for (size_t i = 80; i < n; i += 80)
		buf[i] = '\n';
	*len = n;
	return buf;
}

static void test_oversize_file(void **state)
{
	char path[] = "/tmp/zf-test-scn-oversize-XXXXXX";
	char err[512], want[600];
	struct zf_scenario *s = UNTOUCHED;
	size_t len;
	char *buf = oversize(&len);
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	assert_int_equal(zf_scenario_load(path, NULL, 1, &s, err, sizeof(err)),
			 -EFBIG);
	assert_ptr_equal(s, UNTOUCHED);
	snprintf(want, sizeof(want), "%s: file is larger than %u bytes", path,
		 ZF_SCN_FILE_MAX);
	assert_string_equal(err, want);
	assert_int_equal(truncate(path, ZF_SCN_FILE_MAX), 0);
	assert_int_equal(zf_scenario_load(path, NULL, 1, &s, err, sizeof(err)),
			 0);
	assert_string_equal(s->name, "big");
	zf_scenario_free(s);
	s = UNTOUCHED;
	assert_int_equal(zf_scenario_load_buffer("big.yaml", buf, len, NULL, 1,
						 &s, err, sizeof(err)), -EFBIG);
	assert_string_equal(err, "big.yaml: file is larger than 1048576 bytes");
	assert_ptr_equal(s, UNTOUCHED);
	unlink(path);
	free(buf);
}

static void test_missing_file(void **state)
{
	struct zf_scenario *s = UNTOUCHED;
	char err[512];

	(void)state;
	assert_int_equal(zf_scenario_load(BAD_DIR "/no-such-file.yaml", NULL, 1,
					  &s, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, BAD_DIR "/no-such-file.yaml: cannot read: "
			    "No such file or directory");
	assert_int_equal(zf_scenario_load(BAD_DIR, NULL, 1, &s, err,
					  sizeof(err)), -EISDIR);
	assert_ptr_equal(s, UNTOUCHED);
}

static void test_time_scale(void **state)
{
	const double bad[] = { 0.5, 0.0, -3.0, NAN };
	struct zf_scenario *s = UNTOUCHED;
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		err[0] = '\0';
		assert_int_equal(zf_scenario_load(GOOD_DIR "/minimal.yaml",
						  NULL, bad[i], &s, err,
						  sizeof(err)), -EINVAL);
		assert_string_equal(err, "--time-scale must be >= 1");
		assert_int_equal(zf_scenario_load_buffer("x.yaml", "", 0, NULL,
							 bad[i], &s, err,
							 sizeof(err)),
				 -EINVAL);
		assert_string_equal(err, "--time-scale must be >= 1");
	}
	assert_int_equal(zf_scenario_load(GOOD_DIR "/minimal.yaml", NULL,
					  INFINITY, &s, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "--time-scale must be >= 1 and finite");
	assert_ptr_equal(s, UNTOUCHED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_good_files),
		cmocka_unit_test(test_oversize_file),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_time_scale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
