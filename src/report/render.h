/* render.h - the reports of a run, all rendered from its run record
 * (run.json; docs/run-json.md), never from live state. */
#ifndef ZF_REPORT_RENDER_H
#define ZF_REPORT_RENDER_H

#include <jansson.h>
#include <stdio.h>

/* The terminal summary: verdict, why the run ended, per probe availability,
 * outages, impact/recovery, latency, each expectation with its measured
 * value, and where the reports are. COLOR enables ANSI colours. */
void zf_render_terminal(json_t *run, FILE *out, int color);
/* The same, ending with a line naming DIR, where the reports were written
 * (NULL: no such line). */
void zf_render_terminal_dir(json_t *run, const char *dir, FILE *out,
			    int color);

/* report.md: the incident-style timeline table (time, event, scope,
 * affected, cause, action), then impact and verdicts. */
int zf_render_markdown(json_t *run, FILE *out);

/* report.html: one self-contained page, inline SVG charts (availability and
 * latency over time per probe, fault windows shaded), no external assets. */
int zf_render_html(json_t *run, FILE *out);

/* junit.xml: one testsuite per probe, one testcase per expectation. */
int zf_render_junit(json_t *run, FILE *out);

/* Write run.json and every report into DIR (which must exist). 0 or a
 * negative errno with ERR naming the file. */
int zf_report_write_dir(json_t *run, const char *dir, char *err, size_t errlen);

/* Load DIR/run.json (capped at 256 MiB); 0 or negative errno with ERR. */
int zf_report_load(const char *dir, json_t **run, char *err, size_t errlen);

/* Parse a run record from BUF (LEN bytes) and check it is one: a JSON
 * object with "zonefall_run": 1. 0 and a new reference in *RUN, or -EINVAL
 * with ERR ("line L, column C: what"). Nothing else of the record is
 * checked: renderers treat missing or odd keys as absent. */
int zf_report_parse(const char *buf, size_t len, json_t **run, char *err,
		    size_t errlen);

#endif
