/* render_html.c - report.html: one self-contained page (inline CSS and
 * SVG, no script, nothing fetched): a verdict banner, a card per probe,
 * per probe a chart container (class "probe-chart", data-probe = its name)
 * with availability and latency over the run, then the timeline,
 * expectations, latency, faults and run details. Every string from the
 * record goes through esc_xml. */
#include "report/render.h"
#include "report/esc.h"
#include "report/html_chart.h"
#include "report/rdata.h"
#include "report/rfmt.h"
#include "report/rj.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char css[] =
	":root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--pass:#1a7f37;"
	"--fail:#cf222e;--warn:#9a6700;--blue:#0969da;--orange:#bc4c00}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;background:#f6f8fa;color:var(--fg);font:14px/1.45 "
	"system-ui,-apple-system,'Segoe UI','DejaVu Sans',Arial,sans-serif}\n"
	"main{max-width:1200px;margin:0 auto;padding:20px 24px 40px}\n"
	"h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:0 0 12px}"
	"h3{font-size:15px;margin:0 0 6px}h4{font-size:13px;margin:10px 0 2px;"
	"color:var(--muted);font-weight:600}\n"
	".banner{display:flex;gap:18px;align-items:center;padding:18px 22px;"
	"border-radius:10px;color:#fff;margin-bottom:16px}\n"
	".banner p{margin:0;opacity:.92}\n"
	".v-pass{background:var(--pass)}.v-fail{background:var(--fail)}"
	".v-interrupted,.v-error,.v-unknown{background:var(--warn)}\n"
	".verdict{font-size:30px;font-weight:800;letter-spacing:1px;padding:6px 16px;"
	"border:2px solid rgba(255,255,255,.8);border-radius:8px}\n"
	"section{background:#fff;border:1px solid var(--line);border-radius:10px;"
	"padding:16px 20px;margin:16px 0}\n"
	".cards{display:flex;flex-wrap:wrap;gap:12px}\n"
	".card{flex:1 1 240px;border:1px solid var(--line);border-radius:8px;padding:10px 14px}\n"
	".card .big{font-size:28px;font-weight:700}.card .sub{color:var(--muted)}\n"
	".bad{color:var(--fail)}.good{color:var(--pass)}\n"
	"table{border-collapse:collapse;width:100%}\n"
	"th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;"
	"vertical-align:top}\nth{background:#f6f8fa;font-weight:600}\n"
	"td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"td.t{font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"tr.k-fault td:first-child{border-left:4px solid var(--fail)}\n"
	"tr.k-revert td:first-child{border-left:4px solid var(--blue)}\n"
	"tr.k-outage td:first-child{border-left:4px solid var(--orange)}\n"
	"tr.k-outage td{background:#fff8f5}\n"
	"tr.k-restored td:first-child{border-left:4px solid var(--pass)}\n"
	"tr.k-run td{color:var(--muted)}\n"
	".tag{display:inline-block;padding:0 8px;border-radius:10px;color:#fff;"
	"font-weight:700;font-size:12px}\n.tag.pass{background:var(--pass)}"
	".tag.fail{background:var(--fail)}.tag.error{background:var(--warn)}\n"
	".probe-chart{margin:8px 0 20px}\n"
	"svg{width:100%;height:auto;display:block;font-family:inherit}\n"
	"svg .grid{stroke:#e4e8ec;stroke-width:1}svg .axis{stroke:#8c959f}"
	"svg .tick{stroke:#8c959f}\n"
	"svg .yl{font-size:11px;fill:var(--muted);text-anchor:end}"
	"svg .xl{font-size:11px;fill:var(--muted);text-anchor:middle}\n"
	"svg .fw{fill:#cf222e;fill-opacity:.06}svg .fwl{stroke:#cf222e;"
	"stroke-opacity:.6;stroke-dasharray:3 2}\n"
	"svg .fwt{font-size:11px;fill:#a40e26}\n"
	"svg .av{fill:none;stroke:var(--pass);stroke-width:1.8}"
	"svg .av-area{fill:var(--pass);fill-opacity:.07;stroke:none}\n"
	"svg .p50{fill:none;stroke:var(--blue);stroke-width:1.6}"
	"svg .p99{fill:none;stroke:var(--orange);stroke-width:1.6}\n"
	"svg rect.p50{fill:var(--blue);stroke:none}svg rect.p99{fill:var(--orange);stroke:none}\n"
	"svg .lg{font-size:11px;fill:var(--fg)}svg .out{fill:var(--fail)}\n"
	"svg .lane{font-size:10px;fill:var(--muted);text-anchor:end}"
	"svg .lanel{stroke:#e4e8ec}\n"
	"svg .slow{stroke:var(--warn);stroke-dasharray:5 3}"
	"svg .slowt{font-size:10px;fill:var(--warn);text-anchor:end}\n"
	"svg .none{font-size:14px;fill:var(--muted);text-anchor:middle}\n"
	"svg .w-ok{fill:#4ac26b;stroke:none}"
	"svg .w-unk{fill:#fb8f44;stroke:none}"
	"svg .w-fail{fill:#ff8182;stroke:none}\n"
	".tag.unknown{background:var(--warn)}\n"
	"footer{color:var(--muted);font-size:12px;text-align:center}\n";

/* <td CLASS>TEXT</td> with TEXT escaped. */
static void td(FILE *out, const char *cls, const char *text)
{
	if (cls)
		fprintf(out, "<td class=\"%s\">", cls);
	else
		fputs("<td>", out);
	esc_xml(out, text);
	fputs("</td>", out);
}

static void banner(FILE *out, json_t *run)
{
	const char *v = rf_verdict(run);
	json_t *ended = rj_obj(run, "ended");
	char up[16], dur[32];

	rf_upper(up, sizeof(up), v);
	rf_key_dur(dur, sizeof(dur), run, "duration_s");
	fprintf(out, "<header class=\"banner v-%s\"><div class=\"verdict\">%s</div>"
		"<div><h1>", v, up);
	esc_xml(out, rj_str_or(run, "title", rj_str_or(run, "scenario", "zonefall run")));
	fputs("</h1><p>scenario <b>", out);
	esc_xml(out, rj_str_or(run, "scenario", "?"));
	fputs("</b> on lab <b>", out);
	esc_xml(out, rj_str_or(run, "lab", "?"));
	fputs("</b> &middot; started ", out);
	esc_xml(out, rj_str_or(run, "started_at", "?"));
	fprintf(out, " &middot; %s &middot; run ", dur);
	esc_xml(out, rj_str_or(ended, "reason", "?"));
	if (*rj_str_or(ended, "detail", "")) {
		fputs(": ", out);
		esc_xml(out, rj_str_or(ended, "detail", ""));
	}
	fputs("</p></div></header>\n", out);
}

/* Longest outage and the outages' total, in seconds. */
static void outage_totals(json_t *p, double *longest, double *sum)
{
	json_t *o;
	size_t i;
	double d;

	*longest = *sum = 0;
	json_array_foreach(rj_arr(p, "outages"), i, o)
		if (rj_num(o, "duration_s", &d) && d > 0) {
			*sum += d;
			*longest = d > *longest ? d : *longest;
		}
}

static void probe_card(FILE *out, json_t *p)
{
	double a, longest, sum;
	char av[32], l[32], im[32], rec[32], p99[32];
	size_t n = json_array_size(rj_arr(p, "outages"));

	outage_totals(p, &longest, &sum);
	if (rj_num(p, "availability", &a))
		rf_pct(av, sizeof(av), a);
	else
		snprintf(av, sizeof(av), "-");
	rf_dur(l, sizeof(l), longest);
	rf_key_dur(im, sizeof(im), p, "impact_s");
	rf_recovery(rec, sizeof(rec), p);
	rf_key_ms(p99, sizeof(p99), rj_obj(rj_obj(p, "latency_ms"), "all"), "p99");
	fputs("<div class=\"card\"><h3>", out);
	esc_xml(out, rj_str_or(p, "name", "?"));
	fprintf(out, "</h3><div class=\"big %s\">%s</div><div class=\"sub\">available"
		"</div><div>%zu outage%s, longest %s</div><div>impact %s &middot; "
		"recovery %s</div><div>p99 %s</div></div>\n", n ? "bad" : "good", av, n,
		n == 1 ? "" : "s", l, im, rec, p99);
}

static void cost_card(FILE *out, json_t *run)
{
	json_t *cost = rj_obj(run, "cost");
	double amount;
	char down[32];

	if (!rj_num(cost, "amount", &amount))
		return;
	rf_key_dur(down, sizeof(down), cost, "downtime_s");
	fputs("<div class=\"card\"><h3>Cost of downtime</h3><div class=\"big\">", out);
	esc_xml(out, rj_str_or(cost, "currency", ""));
	fprintf(out, " %.2f</div><div class=\"sub\">%s of downtime at ",
		amount < 1e15 ? amount : 1e15, down);
	esc_xml(out, rj_str_or(cost, "currency", ""));
	fprintf(out, " %.0f per hour</div></div>\n", rj_num_or(cost, "per_hour", 0) < 1e15 ?
		rj_num_or(cost, "per_hour", 0) : 1e15);
}

static void summary(FILE *out, json_t *run)
{
	json_t *p;
	size_t i;

	fputs("<section><h2>Impact</h2><div class=\"cards\">\n", out);
	json_array_foreach(rj_arr(run, "probes"), i, p)
		probe_card(out, p);
	cost_card(out, run);
	if (!json_array_size(rj_arr(run, "probes")))
		fputs("<p>This run had no probes.</p>", out);
	fputs("</div></section>\n", out);
}

static void charts(FILE *out, json_t *run)
{
	json_t *p;
	size_t i;
	char rate[32];

	fputs("<section><h2>Users over the run</h2><p class=\"sub\">Shaded bands: "
	      "fault windows. Red bars under each chart: outages.</p>\n", out);
	json_array_foreach(rj_arr(run, "probes"), i, p) {
		rf_count(rate, sizeof(rate), rj_num_or(p, "rate", 0));
		fputs("<div class=\"probe-chart\" data-probe=\"", out);
		esc_xml(out, rj_str_or(p, "name", "?"));
		fputs("\"><h3>", out);
		esc_xml(out, rj_str_or(p, "name", "?"));
		fputs(" &mdash; ", out);
		esc_xml(out, rj_str_or(p, "target", ""));
		fputs(" from ", out);
		esc_xml(out, rj_str_or(p, "from", "?"));
		fprintf(out, " at %s requests/s</h3>\n<h4>Availability per second</h4>\n", rate);
		html_chart_availability(out, run, p);
		fputs("<h4>Latency per second (successful requests, log scale)</h4>\n", out);
		html_chart_latency(out, run, p);
		if (rd_is_write(p)) {
			fputs("<h4>Writes per planned second: acknowledged, unknown, "
			      "failed</h4>\n", out);
			html_chart_writes(out, run, p);
		}
		fputs("</div>\n", out);
	}
	fputs("</section>\n", out);
}

static const char *row_class(json_t *row)
{
	static const char *const kinds[] = { "run", "fault", "revert", "outage", "restored" };
	const char *k = rj_str(row, "kind");

	for (size_t i = 0; k && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(k, kinds[i]))
			return kinds[i];
	return "other";
}

static void timeline(FILE *out, json_t *run)
{
	static const char *const cols[] = { "event", "scope", "affected", "cause", "action" };
	json_t *row;
	size_t i;
	char t[32];

	fputs("<section><h2>Timeline</h2><table><tr><th>Time</th><th>Event</th>"
	      "<th>Scope</th><th>Users affected</th><th>Cause</th><th>Action</th></tr>\n",
	      out);
	json_array_foreach(rj_arr(run, "timeline"), i, row) {
		double ts;

		if (rj_num(row, "t_s", &ts))
			rf_clock(t, sizeof(t), ts);
		else
			snprintf(t, sizeof(t), "?");
		fprintf(out, "<tr class=\"k-%s\">", row_class(row));
		td(out, "t", t);
		for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
			td(out, NULL, rj_str_or(row, cols[c], ""));
		fputs("</tr>\n", out);
	}
	fputs("</table></section>\n", out);
}

/* The observed chain, the incident's beside it, and its links. */
static void chain(FILE *out, json_t *run)
{
	json_t *c = rj_obj(run, "chain"), *l;
	const char *incident = rj_str(c, "incident");
	size_t i;
	char t[32];

	if (!c)
		return;
	fputs("<section><h2>Fault chain</h2><table><tr><th>Observed in this drill</th>", out);
	td(out, NULL, rj_str_or(c, "text", ""));
	fputs("</tr>\n", out);
	if (incident) {
		fputs("<tr><th>The real incident</th>", out);
		td(out, NULL, incident);
		fputs("</tr>\n", out);
	}
	fputs("</table><table><tr><th>Time</th><th>Link</th><th>What</th></tr>\n", out);
	json_array_foreach(rj_arr(c, "observed"), i, l) {
		rf_clock(t, sizeof(t), rj_num_or(l, "at", 0));
		fputs("<tr>", out);
		td(out, "t", t);
		td(out, NULL, rj_str_or(l, "link", ""));
		td(out, NULL, rj_str_or(l, "text", ""));
		fputs("</tr>\n", out);
	}
	fputs("</table></section>\n", out);
}

static void data_row(FILE *out, json_t *p)
{
	static const char *const keys[] = { "attempted", "acknowledged", "failed",
					    "unknown", "lost", "unexpected",
					    "recovered" };
	const char *v = rd_verdict(p);
	char buf[512];

	fputs("<tr>", out);
	td(out, NULL, rj_str_or(p, "name", "?"));
	fprintf(out, "<td><span class=\"tag %s\">%s</span></td>",
		!strcmp(v, "valid") ? "pass" : !strcmp(v, "invalid") ? "fail" :
		"unknown", v);
	for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
		rd_count(buf, sizeof(buf), p, keys[k]);
		td(out, "n", buf);
	}
	rd_lost_window(buf, sizeof(buf), p);
	fputs("<td>", out);
	esc_xml(out, buf);
	rd_lost_vs_faults(buf, sizeof(buf), p);
	if (buf[0]) {
		fputs("<br>", out);
		esc_xml(out, buf);
	}
	fputs("</td>", out);
	rd_final_read(buf, sizeof(buf), p);
	td(out, NULL, buf);
	fputs("</tr>\n", out);
}

static void data_safety(FILE *out, json_t *run)
{
	json_t *p;
	size_t i, n = 0;

	json_array_foreach(rj_arr(run, "probes"), i, p)
		n += rd_is_write(p);
	if (!n)
		return;
	fputs("<section><h2>Data safety</h2><p class=\"sub\">Acknowledged writes "
	      "must survive: <b>lost</b> = acknowledged but absent from the final "
	      "read; <b>unexpected</b> = present but never written; "
	      "<b>recovered</b> = present though not acknowledged.</p>"
	      "<table><tr><th>Probe</th><th>Verdict</th><th>Attempted</th>"
	      "<th>Acknowledged</th><th>Failed</th><th>Unknown</th><th>Lost</th>"
	      "<th>Unexpected</th><th>Recovered</th><th>Lost window</th>"
	      "<th>Final read</th></tr>\n", out);
	json_array_foreach(rj_arr(run, "probes"), i, p)
		if (rd_is_write(p))
			data_row(out, p);
	fputs("</table></section>\n", out);
}

static void expects(FILE *out, json_t *run)
{
	json_t *p, *e;
	size_t i, j, n = 0;
	char m[64];

	fputs("<section><h2>Expectations</h2><table><tr><th>Probe</th>"
	      "<th>Expectation</th><th>Measured</th><th>Result</th></tr>\n", out);
	json_array_foreach(rj_arr(run, "probes"), i, p) {
		json_array_foreach(rj_arr(p, "expects"), j, e) {
			const char *error = rj_str(e, "error");
			int pass = rj_bool(e, "pass") == 1;
			int unknown = !pass && !error &&
				      !strcmp(rj_str_or(e, "result", ""), "unknown");

			rf_measured(m, sizeof(m), e);
			fputs("<tr>", out);
			td(out, NULL, rj_str_or(p, "name", "?"));
			td(out, NULL, rj_str_or(e, "expr", "?"));
			td(out, "n", m);
			fprintf(out, "<td><span class=\"tag %s\">%s</span> ", error ? "error" :
				pass ? "pass" : unknown ? "unknown" : "fail", error ? "ERROR" :
				pass ? "PASS" : unknown ? "UNKNOWN" : "FAIL");
			esc_xml(out, error);
			fputs("</td></tr>\n", out);
			n++;
		}
	}
	if (!n)
		fputs("<tr><td colspan=\"4\">No expectations.</td></tr>\n", out);
	fputs("</table></section>\n", out);
}

static void latency_rows(FILE *out, json_t *p)
{
	static const char *const parts[] = { "before", "during", "after", "all" };
	static const char *const keys[] = { "p50", "p90", "p99", "p999", "max" };
	json_t *lat = rj_obj(p, "latency_ms");
	char buf[32];

	for (size_t k = 0; k < 4; k++) {
		json_t *l = rj_obj(lat, parts[k]);

		fputs("<tr>", out);
		td(out, NULL, k ? "" : rj_str_or(p, "name", "?"));
		td(out, NULL, parts[k]);
		rf_count(buf, sizeof(buf), rj_num_or(l, "count", 0));
		td(out, "n", buf);
		for (size_t j = 0; j < 5; j++) {
			rf_key_ms(buf, sizeof(buf), l, keys[j]);
			td(out, "n", buf);
		}
		fputs("</tr>\n", out);
	}
}

static void latency(FILE *out, json_t *run)
{
	json_t *p;
	size_t i;

	fputs("<section><h2>Latency of successful requests</h2><table><tr>"
	      "<th>Probe</th><th>Part of the run</th><th>Count</th><th>p50</th>"
	      "<th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>\n", out);
	json_array_foreach(rj_arr(run, "probes"), i, p)
		latency_rows(out, p);
	fputs("</table></section>\n", out);
}

static void event_row(FILE *out, json_t *e)
{
	static const char *const keys[] = { "t_planned_s", "t_actual_s", "revert_actual_s" };
	char buf[64];
	double v;

	fputs("<tr>", out);
	td(out, NULL, rj_str_or(e, "id", ""));
	td(out, NULL, rj_str_or(e, "action", ""));
	td(out, NULL, rj_str_or(e, "target", ""));
	td(out, NULL, rj_str_or(e, "scope", ""));
	td(out, NULL, rj_str_or(e, "status", ""));
	for (size_t k = 0; k < 3; k++) {
		if (rj_num(e, keys[k], &v))
			rf_clock(buf, sizeof(buf), v);
		else
			snprintf(buf, sizeof(buf), "-");
		td(out, "t", buf);
	}
	rf_key_ms(buf, sizeof(buf), e, "delay_ms");
	td(out, "n", buf);
	rf_key_ms(buf, sizeof(buf), e, "apply_ms");
	td(out, "n", buf);
	td(out, NULL, rj_str_or(e, "error", ""));
	fputs("</tr>\n", out);
}

static void faults(FILE *out, json_t *run)
{
	json_t *e;
	size_t i;

	fputs("<section><h2>Faults</h2><table><tr><th>Id</th><th>Action</th>"
	      "<th>Target</th><th>Scope</th><th>Status</th><th>Planned</th>"
	      "<th>Took effect</th><th>Reverted</th><th>Delay</th><th>Apply</th>"
	      "<th>Error</th></tr>\n", out);
	json_array_foreach(rj_arr(run, "events"), i, e)
		event_row(out, e);
	if (!json_array_size(rj_arr(run, "events")))
		fputs("<tr><td colspan=\"11\">No fault steps.</td></tr>\n", out);
	fputs("</table></section>\n", out);
}

static void details(FILE *out, json_t *run)
{
	json_t *seed = json_object_get(run, "seed"), *incident = rj_obj(run, "incident");
	char buf[1024];

	fputs("<section><h2>Run</h2><table>\n<tr><th>Class</th>", out);
	td(out, NULL, rj_str_or(run, "class", "-"));
	fputs("</tr>\n<tr><th>Incident</th>", out);
	td(out, NULL, rj_str_or(incident, "title", rj_str_or(incident, "id", "-")));
	rf_params(buf, sizeof(buf), run);
	fputs("</tr>\n<tr><th>Parameters</th>", out);
	td(out, NULL, buf[0] ? buf : "-");
	if (json_is_number(seed))
		rf_count(buf, sizeof(buf), json_number_value(seed));
	else
		snprintf(buf, sizeof(buf), "%s", json_is_string(seed) ? json_string_value(seed) : "-");
	fputs("</tr>\n<tr><th>Seed</th>", out);
	td(out, NULL, buf);
	rf_count(buf, sizeof(buf), rj_num_or(run, "time_scale", 1));
	fputs("</tr>\n<tr><th>Time scale</th>", out);
	td(out, NULL, buf);
	fputs("</tr>\n</table></section>\n", out);
}

int zf_render_html(json_t *run, FILE *out)
{
	char up[16];

	rf_upper(up, sizeof(up), rf_verdict(run));
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>", out);
	esc_xml(out, rj_str_or(run, "scenario", "zonefall run"));
	fprintf(out, ": %s</title>\n<style>\n%s</style></head>\n<body><main>\n", up, css);
	banner(out, run);
	summary(out, run);
	charts(out, run);
	timeline(out, run);
	chain(out, run);
	data_safety(out, run);
	expects(out, run);
	latency(out, run);
	faults(out, run);
	details(out, run);
	fputs("<footer>Rendered by zonefall from run.json.</footer>\n</main></body></html>\n",
	      out);
	return ferror(out) ? -EIO : 0;
}
