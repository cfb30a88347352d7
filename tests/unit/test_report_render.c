/* test_report_render.c - the reports rendered from a run record: the
 * hand-made fixture tests/report/run-fixture.json, hostile strings, records
 * with missing and wrongly typed keys, and a run directory written and
 * loaded back. With ZF_REPORT_OUT set, the fixture's reports (or those of
 * the record in the file ZF_REPORT_IN) are written into that directory
 * instead (tests/integration/t_report_html.sh looks at them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/analysis.h"
#include "report/render.h"
#include "util/fsutil.h"

#define FIXTURE ZF_TEST_DATA "/report/run-fixture.json"

static json_t *load_fixture(void)
{
	char *buf = NULL, err[256];
	size_t len;
	json_t *run = NULL;

	assert_int_equal(zf_read_file(FIXTURE, 1 << 24, &buf, &len), 0);
	if (zf_report_parse(buf, len, &run, err, sizeof(err)) < 0)
		fail_msg("%s: %s", FIXTURE, err);
	free(buf);
	return run;
}

typedef int (*render_fn)(json_t *run, FILE *out);

static int render_term(json_t *run, FILE *out)
{
	zf_render_terminal(run, out, 1);
	return 0;
}

/* What FN renders of RUN, as a new string. (Not inlined: GCC 12 then
 * mistakes the memstream's buffer for a local and warns.) */
__attribute__((noinline)) static char *render(render_fn fn, json_t *run)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	assert_non_null(mem);
	assert_int_equal(fn(run, mem), 0);
	assert_int_equal(fclose(mem), 0);
	return buf;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0, off = 0;
	const char *p;

	while ((p = strstr(hay + off, needle)) != NULL) {
		n++;
		off = (size_t)(p - hay) + 1;
	}
	return n;
}

/* Every line of S is at most 100 characters once ANSI colours are gone. */
static void assert_fits_100(const char *s)
{
	size_t cols = 0;

	for (const char *p = s; *p; p++) {
		if (*p == '\033') {
			while (*p && *p != 'm')
				p++;
			continue;
		}
		if (*p == '\n') {
			cols = 0;
			continue;
		}
		if (((unsigned char)*p & 0xc0) != 0x80)
			cols++;
		if (cols > 100)
			fail_msg("line longer than 100 columns: %.120s", p - 100);
	}
}

static void test_fixture_terminal(void **state)
{
	json_t *run = load_fixture();
	char *s = render(render_term, run), *buf = NULL;
	size_t len;
	FILE *mem;

	(void)state;
	assert_non_null(strstr(s, "zonefall: zone-power-loss on lab demo: \033[1;31mFAIL"));
	assert_non_null(strstr(s, "run completed after 2m10s"));
	assert_non_null(strstr(s, "FAIL \033[0m web          availability >= 99.5%"));
	assert_non_null(strstr(s, "measured 51.93%"));
	assert_non_null(strstr(s, "measured 83.9 ms"));
	assert_non_null(strstr(s, "cost: USD 173.58 for 62.5 s of downtime at USD 10000/h"));
	assert_int_equal(count(s, "PASS"), 3);
	assert_int_equal(count(s, "FAIL"), 4);
	assert_fits_100(s);
	free(s);
	mem = open_memstream(&buf, &len);
	zf_render_terminal_dir(run, "/var/lib/zonefall/runs/x", mem, 0);
	fclose(mem);
	assert_null(strchr(buf, '\033'));
	assert_non_null(strstr(buf, "  reports: /var/lib/zonefall/runs/x\n"));
	assert_non_null(strstr(buf, "  web            51.93%       2    61.3 s   3.80 ms    1.20 s"));
	free(buf);
	json_decref(run);
}

/* The lines of the Markdown table that follows HEADING. */
static size_t table_rows(const char *md, const char *heading)
{
	const char *p = strstr(md, heading);
	size_t n = 0;

	assert_non_null(p);
	p = strstr(p, "\n|");
	while (p && p[1] == '|') {
		n++;
		p = strchr(p + 1, '\n');
	}
	return n - 2;     /* header and rule */
}

static void test_fixture_markdown(void **state)
{
	json_t *run = load_fixture();
	char *s = render(zf_render_markdown, run);

	(void)state;
	assert_non_null(strstr(s, "# Drill report: A zone loses power while a region is slow\n"));
	assert_non_null(strstr(s, "**Verdict: FAIL**"));
	assert_non_null(strstr(s, "| Parameters | zone=r1/a, outage=60s, delay=40ms |"));
	assert_non_null(strstr(s, "| Time | Event | Scope | Users affected | Cause | Action |"));
	assert_int_equal(table_rows(s, "## Timeline"),
			 json_array_size(json_object_get(run, "timeline")));
	assert_non_null(strstr(s, "| 00:10.0 | power-off zone r1/a | zone r1/a: web-a, lb-a | "
			       "web: availability 0.0%; api: availability 100.0% | "
			       "injected (step 1) | reverted at 70.001s |"));
	assert_int_equal(table_rows(s, "## Impact"), 2);
	assert_non_null(strstr(s, "| web | http://www.lab/ | 26000 | 51.93% | 2 | 61.3 s | 62.5 s | "
			       "3.80 ms | 1.20 s | refused 239, timeout 12259 |"));
	assert_int_equal(table_rows(s, "## Latency"), 8);
	assert_int_equal(table_rows(s, "## Expectations"), 6);
	assert_non_null(strstr(s, "| web | availability \\>= 99.5% | 51.93% | **FAIL** |"));
	assert_non_null(strstr(s, "## Cost of downtime\n\nUSD 173.58"));
	assert_non_null(strstr(s, "## Verdict\n\n**FAIL**"));
	free(s);
	json_decref(run);
}

static void test_fixture_html(void **state)
{
	json_t *run = load_fixture();
	char *s = render(zf_render_html, run);

	(void)state;
	assert_true(strncmp(s, "<!DOCTYPE html>", 15) == 0);
	assert_non_null(strstr(s, "</html>\n"));
	assert_int_equal(count(s, "class=\"probe-chart\""), 2);
	assert_int_equal(count(s, "data-probe="), 2);
	assert_non_null(strstr(s, "<div class=\"probe-chart\" data-probe=\"web\">"));
	assert_non_null(strstr(s, "<div class=\"probe-chart\" data-probe=\"api\">"));
	assert_int_equal(count(s, "<svg "), 4);
	/* three fault windows in each of the four charts; web's two outages
	 * in its two charts */
	assert_int_equal(count(s, "<rect class=\"fw\""), 12);
	assert_int_equal(count(s, "<rect class=\"out\""), 4);
	assert_int_equal(count(s, "<tr class=\"k-"),
			 json_array_size(json_object_get(run, "timeline")));
	assert_non_null(strstr(s, "<text class=\"fwt\""));
	assert_non_null(strstr(s, "power-off zone r1/a"));
	/* self-contained: nothing fetched, no script */
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "src="));
	assert_null(strstr(s, "href="));
	assert_null(strstr(s, "url("));
	assert_null(strstr(s, "@import"));
	free(s);
	json_decref(run);
}

static void test_fixture_junit(void **state)
{
	json_t *run = load_fixture();
	char *s = render(zf_render_junit, run);

	(void)state;
	assert_true(strncmp(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites ", 50) == 0);
	assert_non_null(strstr(s, "tests=\"7\" failures=\"3\" errors=\"0\" time=\"130.000\">"));
	assert_non_null(strstr(s, "<testsuite name=\"web\" tests=\"4\" failures=\"2\" errors=\"0\""));
	assert_non_null(strstr(s, "<testsuite name=\"api\" tests=\"2\" failures=\"1\" errors=\"0\""));
	assert_non_null(strstr(s, "<testcase classname=\"zone-power-loss\" name=\"availability &gt;= 99.5%\""));
	assert_non_null(strstr(s, "<failure message=\"measured 51.93%\">"));
	assert_non_null(strstr(s, "<failure message=\"measured 83.9 ms\">"));
	assert_non_null(strstr(s, "<testsuite name=\"(run)\" tests=\"1\" failures=\"0\""));
	assert_non_null(strstr(s, "name=\"run completed\""));
	assert_int_equal(count(s, "<testcase "), 7);
	assert_int_equal(count(s, "<failure "), 3);
	free(s);
	json_decref(run);
}

/* Strings from the record never become markup or terminal controls. */
static void test_hostile_strings(void **state)
{
	json_t *run = load_fixture(), *probe, *row;
	char *s;

	(void)state;
	json_object_set_new(run, "title", json_string("<script>alert('x')</script> & \"q\""));
	json_object_set_new(run, "scenario", json_string("s\"><b>x</b>"));
	json_object_set_new(json_object_get(run, "ended"), "detail",
			    json_string("\033[31mred\033]0;title\007 | *bold*"));
	probe = json_array_get(json_object_get(run, "probes"), 0);
	json_object_set_new(probe, "name", json_string("a\"b<c>'d\x01"));
	json_object_set_new(json_array_get(json_object_get(probe, "expects"), 0), "expr",
			    json_string("]]><x/> |`code`| \x02\xef\xbf\xbf"));
	row = json_array_get(json_object_get(run, "timeline"), 3);
	json_object_set_new(row, "event", json_string("<img src=x onerror=alert(1)>\n# h"));

	s = render(zf_render_html, run);
	assert_null(strstr(s, "<script>"));
	assert_null(strstr(s, "<img"));
	assert_null(strstr(s, "<b>x"));
	assert_null(strstr(s, "<c>"));
	assert_null(strchr(s, '\x01'));
	assert_null(strstr(s, "\xef\xbf\xbf"));
	assert_non_null(strstr(s, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"));
	assert_non_null(strstr(s, "data-probe=\"a&quot;b&lt;c&gt;&#39;d?\""));
	free(s);

	s = render(zf_render_junit, run);
	assert_null(strstr(s, "<x/>"));
	assert_null(strchr(s, '\x02'));
	assert_non_null(strstr(s, "<testsuite name=\"a&quot;b&lt;c&gt;&#39;d?\""));
	assert_non_null(strstr(s, "classname=\"s&quot;&gt;&lt;b&gt;x&lt;/b&gt;\""));
	free(s);

	s = render(zf_render_markdown, run);
	for (const char *lt = strchr(s, '<'); lt; lt = strchr(lt + 1, '<'))
		assert_int_equal(lt[-1], '\\');      /* a literal '<' in Markdown */
	assert_non_null(strstr(s, "\\<img src=x onerror=alert(1)\\> # h"));
	assert_non_null(strstr(s, "\\]\\]\\>\\<x/\\> \\|\\`code\\`\\|"));
	free(s);

	s = render(render_term, run);
	assert_null(strstr(s, "\033[31m"));
	assert_null(strstr(s, "\033]0"));
	assert_null(strchr(s, '\007'));
	assert_non_null(strstr(s, "?[31mred?]0;title? | *bold*"));
	assert_fits_100(s);
	free(s);
	json_decref(run);
}

/* Records with keys missing or of the wrong type: every renderer copes. */
static void test_odd_records(void **state)
{
	static const char *const docs[] = {
		"{\"zonefall_run\":1}",
		"{\"zonefall_run\":1,\"probes\":5,\"events\":\"x\",\"timeline\":[1,null,"
		"{\"t_s\":\"x\",\"kind\":7},{\"t_s\":-1e300},{\"t_s\":1e300,\"kind\":\"fault\"}],"
		"\"ended\":[],\"verdict\":{},\"cost\":{\"amount\":\"1\"},\"params\":[1]}",
		"{\"zonefall_run\":1,\"duration_s\":-3,\"probes\":[1,\"x\",null,{\"name\":5,"
		"\"samples\":[{\"t\":-5,\"availability\":\"x\"},{\"t\":1e300,\"p50_ms\":-1},"
		"{\"t\":3,\"p50_ms\":1e308,\"p99_ms\":0},7,{\"t\":2,\"availability\":1e308}],"
		"\"windows\":[{\"start_s\":-1e308,\"end_s\":1e308,\"event\":7},{\"start_s\":1}],"
		"\"outages\":[{\"start_s\":5,\"end_s\":1},{\"duration_s\":-1e308}],"
		"\"expects\":[{\"pass\":\"yes\",\"measured\":\"x\",\"unit\":5},5,"
		"{\"measured\":1e308,\"unit\":\"ms\"},{\"measured\":-1e308,\"unit\":\"%\"}],"
		"\"latency_ms\":{\"all\":[]},\"availability\":-1e308,\"impact_s\":1e308,"
		"\"rate\":1e308,\"slow_ms\":1e-300}],\"cost\":{\"amount\":1e300,\"per_hour\":-1},"
		"\"params\":{\"a\":[1],\"b\":null,\"c\":1.5,\"d\":true},\"seed\":-1,"
		"\"time_scale\":\"x\",\"events\":[{\"id\":7},{\"t_actual_s\":1e300}]}",
		("{\"zonefall_run\":1,\"duration_s\":1e9,\"probes\":[{\"name\":\"long\","
		 "\"samples\":[{\"t\":0,\"p50_ms\":1e-9,\"p99_ms\":1e12}]}]}"),
	};
	FILE *null = fopen("/dev/null", "w");

	(void)state;
	assert_non_null(null);
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		json_t *run = NULL;
		char err[256], *s;

		if (zf_report_parse(docs[i], strlen(docs[i]), &run, err, sizeof(err)) < 0)
			fail_msg("doc %zu: %s", i, err);
		assert_int_equal(zf_render_markdown(run, null), 0);
		assert_int_equal(zf_render_html(run, null), 0);
		assert_int_equal(zf_render_junit(run, null), 0);
		s = render(render_term, run);
		assert_fits_100(s);
		free(s);
		json_decref(run);
	}
	fclose(null);
}

static void test_parse_errors(void **state)
{
	static const char *const bad[] = {
		"", "[]", "{}", "{\"zonefall_run\":2}", "{\"zonefall_run\":\"1\"}",
		"{\"zonefall_run\":1.0}", "{\"zonefall_run\":1,", "nul\0l",
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *run = NULL;

		err[0] = '\0';
		assert_int_equal(zf_report_parse(bad[i], strlen(bad[i]) + (i == 7 ? 2 : 0),
						 &run, err, sizeof(err)), -EINVAL);
		assert_null(run);
		assert_true(err[0] != '\0');
	}
	zf_report_parse("{\"zonefall_run\":1,\n  \"x\": ]}", 26, &(json_t *){ NULL },
			err, sizeof(err));
	assert_non_null(strstr(err, "line 2, column"));
}

static void test_write_dir_and_load(void **state)
{
	char dir[] = "/tmp/zf-report-test.XXXXXX", path[512], err[512];
	json_t *run = load_fixture(), *back = NULL;
	static const char *const files[] = { "run.json", "report.md", "report.html",
					     "junit.xml" };
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(zf_report_write_dir(run, dir, err, sizeof(err)), 0);
	for (size_t i = 0; i < 4; i++) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		assert_int_equal(stat(path, &st), 0);
		assert_true(st.st_size > 1000);
		assert_int_equal(st.st_mode & 0777, 0644);
	}
	assert_int_equal(zf_report_load(dir, &back, err, sizeof(err)), 0);
	assert_true(json_equal(run, back));
	json_decref(back);

	/* not a run record; too large (a sparse file); no such directory */
	snprintf(path, sizeof(path), "%s/run.json", dir);
	assert_int_equal(zf_write_file(path, "[1]", 3, 0644), 0);
	assert_int_equal(zf_report_load(dir, &back, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "run.json: not a run record"));
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)(257u << 20)), 0);
	close(fd);
	assert_int_equal(zf_report_load(dir, &back, err, sizeof(err)), -EFBIG);
	assert_non_null(strstr(err, "larger than 256 MiB"));
	assert_int_equal(zf_remove_tree(dir), 0);
	assert_int_equal(zf_report_load(dir, &back, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/run.json: No such file"));
	assert_int_equal(zf_report_write_dir(run, dir, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/run.json: No such file"));
	json_decref(run);
}

/* From requests to reports: an analysed run renders, and a clean one
 * passes in junit. */
static void test_analysis_to_reports(void **state)
{
	struct zf_req r[1000];
	struct zf_expect e;
	struct zf_run_probe p = { .name = "web", .kind = "http", .from = "user1",
		.target = "http://www.lab/", .rate = 100, .timeout_ns = 2000000000,
		.slow_ns = 1000000000, .reqs = r, .n_reqs = 1000, .expects = &e,
		.n_expects = 1 };
	struct zf_run_input in = { .scenario = "clean", .lab = "demo", .time_scale = 1,
		.duration_ns = 10000000000ull, .end_reason = "completed",
		.probes = &p, .n_probes = 1 };
	json_t *run;
	char err[128], *s;

	(void)state;
	assert_int_equal(zf_expect_parse("errors == 0", &e, err, sizeof(err)), 0);
	for (size_t i = 0; i < 1000; i++)
		r[i] = (struct zf_req){ i * 10000000ull, 500000 + i * 100, ZF_OUT_OK };
	run = zf_analyse(&in);
	s = render(zf_render_junit, run);
	assert_non_null(strstr(s, "tests=\"2\" failures=\"0\" errors=\"0\" time=\"10.000\""));
	assert_null(strstr(s, "<failure"));
	free(s);
	s = render(zf_render_html, run);
	assert_int_equal(count(s, "class=\"probe-chart\""), 1);
	assert_non_null(strstr(s, "class=\"banner v-pass\""));
	free(s);
	s = render(render_term, run);
	assert_non_null(strstr(s, "PASS"));
	assert_fits_100(s);
	free(s);
	json_decref(run);
}

/* ZF_REPORT_OUT=DIR: write the reports of the fixture (or of the run
 * record in the file ZF_REPORT_IN) into DIR. */
static int write_out(const char *dir, const char *in)
{
	json_t *run = NULL;
	char err[512], *buf = NULL;
	size_t len;
	int rc = 0;

	if (!in) {
		run = load_fixture();
	} else {
		rc = zf_read_file(in, 1 << 28, &buf, &len);
		if (rc < 0)
			snprintf(err, sizeof(err), "%s", strerror(-rc));
		else
			rc = zf_report_parse(buf, len, &run, err, sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "test_report_render: %s: %s\n", in, err);
			goto out;
		}
	}
	rc = zf_report_write_dir(run, dir, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "test_report_render: %s\n", err);
out:
	free(buf);
	json_decref(run);
	return rc < 0 ? 1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_terminal),
		cmocka_unit_test(test_fixture_markdown),
		cmocka_unit_test(test_fixture_html),
		cmocka_unit_test(test_fixture_junit),
		cmocka_unit_test(test_hostile_strings),
		cmocka_unit_test(test_odd_records),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_write_dir_and_load),
		cmocka_unit_test(test_analysis_to_reports),
	};
	const char *out = getenv("ZF_REPORT_OUT");

	if (out && *out)
		return write_out(out, getenv("ZF_REPORT_IN"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
