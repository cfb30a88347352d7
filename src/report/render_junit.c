/* render_junit.c - junit.xml for CI: one testsuite per probe (named after
 * it), one testcase per expectation (classname = scenario, name = the
 * expression), failed with the measured value; and a last testsuite "(run)"
 * whose testcase "run completed" fails when the run was stopped,
 * interrupted or ended in an error. Strings are escaped by esc_xml. */
#include "report/render.h"
#include "report/esc.h"
#include "report/rfmt.h"
#include "report/rj.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The run's duration as an xs:decimal ("100.200"). */
static void secs_attr(char *buf, size_t len, const json_t *run)
{
	double d = rj_num_or(run, "duration_s", 0);

	snprintf(buf, len, "%.3f", d > 0 && d < 1e12 ? d : 0.0);
}

static void counts(json_t *p, size_t *tests, size_t *failures, size_t *errors)
{
	json_t *e;
	size_t i;

	*tests = *failures = *errors = 0;
	json_array_foreach(rj_arr(p, "expects"), i, e) {
		(*tests)++;
		if (rj_str(e, "error"))
			(*errors)++;
		else if (rj_bool(e, "pass") != 1)
			(*failures)++;
	}
}

static void testcase(FILE *out, const char *classname, json_t *e)
{
	const char *error = rj_str(e, "error");
	char m[64];

	fputs("    <testcase classname=\"", out);
	esc_xml(out, classname);
	fputs("\" name=\"", out);
	esc_xml(out, rj_str_or(e, "expr", "?"));
	fputs("\" time=\"0\"", out);
	rf_measured(m, sizeof(m), e);
	if (error) {
		fputs(">\n      <error message=\"", out);
		esc_xml(out, error);
		fputs("\"/>\n    </testcase>\n", out);
	} else if (rj_bool(e, "pass") != 1 &&
		   !strcmp(rj_str_or(e, "result", ""), "unknown")) {
		/* a data-safety expectation without a final read */
		fputs(">\n      <failure message=\"unknown: ", out);
		esc_xml(out, m);
		fputs("\">not measurable (", out);
		esc_xml(out, m);
		fputs("): not a pass</failure>\n    </testcase>\n", out);
	} else if (rj_bool(e, "pass") != 1) {
		fputs(">\n      <failure message=\"measured ", out);
		esc_xml(out, m);
		fputs("\">measured ", out);
		esc_xml(out, m);
		fputs(", expected ", out);
		esc_xml(out, rj_str_or(e, "expr", "?"));
		fputs("</failure>\n    </testcase>\n", out);
	} else {
		fputs("/>\n", out);
	}
}

static void probe_suite(FILE *out, json_t *run, json_t *p, const char *time)
{
	const char *scenario = rj_str_or(run, "scenario", "zonefall");
	size_t tests, failures, errors, i;
	json_t *e;

	counts(p, &tests, &failures, &errors);
	fputs("  <testsuite name=\"", out);
	esc_xml(out, rj_str_or(p, "name", "?"));
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%s\">\n",
		tests, failures, errors, time);
	json_array_foreach(rj_arr(p, "expects"), i, e)
		testcase(out, scenario, e);
	fputs("  </testsuite>\n", out);
}

/* The "run completed" case: it fails unless the run completed. */
static void run_suite(FILE *out, json_t *run, const char *time)
{
	json_t *ended = rj_obj(run, "ended");
	const char *reason = rj_str_or(ended, "reason", "unknown");
	int failed = strcmp(reason, "completed") != 0;

	fprintf(out, "  <testsuite name=\"(run)\" tests=\"1\" failures=\"%d\" "
		"errors=\"0\" time=\"%s\">\n    <testcase classname=\"", failed, time);
	esc_xml(out, rj_str_or(run, "scenario", "zonefall"));
	fprintf(out, "\" name=\"run completed\" time=\"%s\"", time);
	if (!failed) {
		fputs("/>\n  </testsuite>\n", out);
		return;
	}
	fputs(">\n      <failure message=\"run ", out);
	esc_xml(out, reason);
	fputs("\">", out);
	esc_xml(out, rj_str_or(ended, "detail", ""));
	fputs("</failure>\n    </testcase>\n  </testsuite>\n", out);
}

int zf_render_junit(json_t *run, FILE *out)
{
	json_t *probes = rj_arr(run, "probes"), *p;
	size_t tests = 1, failures = 0, errors = 0, i;
	char time[48];

	secs_attr(time, sizeof(time), run);
	json_array_foreach(probes, i, p) {
		size_t t, f, e;

		counts(p, &t, &f, &e);
		tests += t;
		failures += f;
		errors += e;
	}
	failures += strcmp(rj_str_or(rj_obj(run, "ended"), "reason", ""), "completed") != 0;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"zonefall ", out);
	esc_xml(out, rj_str_or(run, "scenario", "?"));
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%s\">\n",
		tests, failures, errors, time);
	json_array_foreach(probes, i, p)
		probe_suite(out, run, p, time);
	run_suite(out, run, time);
	fputs("</testsuites>\n", out);
	return ferror(out) ? -EIO : 0;
}
