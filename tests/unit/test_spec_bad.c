/* test_spec_bad.c - every file in tests/labs/bad/ must fail to load with the
 * position and message its first line announces:
 *     # expect: LINE:COL: substring of the message
 * plus the oversize file, which is generated here rather than committed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spec/lab.h"

#define BAD_DIR ZF_TEST_DATA "/labs/bad"
#define MIN_BAD_FILES 16

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
	struct zf_lab *lab = (struct zf_lab *)(uintptr_t)0x1;   /* untouched */
	char err[1024] = "", prefix[600];
	struct expect e;
	int rc;

	if (read_expect(path, &e) < 0) {
		print_message("%s: no '# expect: LINE:COL: text' header\n", path);
		return -1;
	}
	rc = zf_lab_load(path, &lab, err, sizeof(err));
	snprintf(prefix, sizeof(prefix), "%s:%d:%d: ", path, e.line, e.col);
	if (rc >= 0) {
		print_message("%s: loaded, expected an error\n", path);
		zf_lab_free(lab);
		return -1;
	}
	if (lab != (struct zf_lab *)(uintptr_t)0x1 ||
	    strncmp(err, prefix, strlen(prefix)) != 0 ||
	    !strstr(err + strlen(prefix), e.text)) {
		print_message("%s:\n  expected %s...%s\n  got      %s\n", path,
			      prefix, e.text, err);
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
	print_message("%d bad lab files checked\n", files);
	assert_true(files >= MIN_BAD_FILES);
	assert_int_equal(failed, 0);
}

/* A valid lab padded with comments past ZF_LAB_FILE_MAX. */
static char *oversize_lab(size_t *len)
{
	const char *head = "lab: big\nregions:\n  r1: { zones: [a] }\n"
			   "hosts: { web-a: { zone: r1/a } }\n";
	size_t n = ZF_LAB_FILE_MAX + 1;
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
	char path[] = "/tmp/zf-test-oversize-XXXXXX";
	char err[512], want[600];
	struct zf_lab *lab = NULL;
	size_t len;
	char *buf = oversize_lab(&len);
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	assert_int_equal(zf_lab_load(path, &lab, err, sizeof(err)), -EFBIG);
	assert_null(lab);
	snprintf(want, sizeof(want), "%s: file is larger than %u bytes", path,
		 ZF_LAB_FILE_MAX);
	assert_string_equal(err, want);
	/* One byte less is fine (it is a valid lab with comments). */
	assert_int_equal(truncate(path, ZF_LAB_FILE_MAX), 0);
	assert_int_equal(zf_lab_load(path, &lab, err, sizeof(err)), 0);
	zf_lab_free(lab);
	lab = NULL;
	assert_int_equal(zf_lab_load_buffer("big.yaml", "/", buf, len, &lab,
					    err, sizeof(err)), -EFBIG);
	assert_string_equal(err, "big.yaml: file is larger than 1048576 bytes");
	unlink(path);
	free(buf);
}

static void test_missing_file(void **state)
{
	struct zf_lab *lab = NULL;
	char err[512];

	(void)state;
	assert_int_equal(zf_lab_load(BAD_DIR "/no-such-file.yaml", &lab, err,
				     sizeof(err)), -ENOENT);
	assert_string_equal(err, BAD_DIR "/no-such-file.yaml: cannot open: "
			    "No such file or directory");
	assert_int_equal(zf_lab_load(BAD_DIR, &lab, err, sizeof(err)),
			 -EISDIR);
	assert_null(lab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_oversize_file),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
