/* html_chart.h - the inline SVG charts of report.html (private to
 * src/report): per probe, availability and latency per second over the
 * run, with the fault windows shaded and labelled and the outages marked.
 * Drawn from the record alone; any key may be missing or odd. */
#ifndef ZF_REPORT_HTML_CHART_H
#define ZF_REPORT_HTML_CHART_H

#include <jansson.h>
#include <stdio.h>

/* Availability % per second of PROBE (an element of RUN's "probes"). */
void html_chart_availability(FILE *out, json_t *run, json_t *probe);
/* Latency p50 and p99 per second of PROBE, on a log scale. */
void html_chart_latency(FILE *out, json_t *run, json_t *probe);
/* A write probe's writes per planned second, stacked: ok, unknown, fail
 * (its check's per_second). */
void html_chart_writes(FILE *out, json_t *run, json_t *probe);

#endif
