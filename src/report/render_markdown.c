/* render_markdown.c - report.md: what was run, the incident-style timeline
 * (time, event, scope, users affected, cause, action), the impact and
 * latency per probe, the expectations and the verdict. Every string from
 * the record goes through esc_md. */
#include "report/render.h"
#include "report/esc.h"
#include "report/rdata.h"
#include "report/rfmt.h"
#include "report/rj.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void md_kv(FILE *out, const char *key, const char *value)
{
	fprintf(out, "| %s | ", key);
	esc_md(out, value);
	fputs(" |\n", out);
}

static void md_head(json_t *run, FILE *out)
{
	char buf[1024], verdict[16];
	const char *v = rf_verdict(run);
	json_t *ended = rj_obj(run, "ended"), *seed = json_object_get(run, "seed");
	json_t *incident = rj_obj(run, "incident");

	rf_upper(verdict, sizeof(verdict), v);
	fputs("# Drill report: ", out);
	esc_md(out, rj_str_or(run, "title", rj_str_or(run, "scenario", "?")));
	fprintf(out, "\n\n**Verdict: %s** (the run ", verdict);
	esc_md(out, rj_str_or(ended, "reason", "?"));
	rf_key_dur(buf, sizeof(buf), run, "duration_s");
	fprintf(out, " after %s)\n\n| | |\n|---|---|\n", buf);
	md_kv(out, "Scenario", rj_str_or(run, "scenario", ""));
	md_kv(out, "Class", rj_str_or(run, "class", ""));
	md_kv(out, "Incident", rj_str_or(incident, "id", rj_str_or(incident, "title", "")));
	md_kv(out, "Lab", rj_str_or(run, "lab", ""));
	rf_params(buf, sizeof(buf), run);
	md_kv(out, "Parameters", buf);
	if (json_is_number(seed))
		rf_count(buf, sizeof(buf), json_number_value(seed));
	else
		snprintf(buf, sizeof(buf), "%s", json_is_string(seed) ? json_string_value(seed) : "");
	md_kv(out, "Seed", buf);
	rf_count(buf, sizeof(buf), rj_num_or(run, "time_scale", 1));
	md_kv(out, "Time scale", buf);
	md_kv(out, "Started", rj_str_or(run, "started_at", ""));
	md_kv(out, "Ended", rj_str_or(ended, "reason", ""));
	md_kv(out, "Detail", rj_str_or(ended, "detail", ""));
}

static void md_timeline(json_t *run, FILE *out)
{
	static const char *const cols[] = { "event", "scope", "affected", "cause", "action" };
	json_t *row;
	size_t i;
	char t[32];

	fputs("\n## Timeline\n\nTimes are from the start of the run (",
	      out);
	esc_md(out, rj_str_or(run, "started_at", "unknown"));
	fputs(").\n\n| Time | Event | Scope | Users affected | Cause | Action |\n"
	      "|---|---|---|---|---|---|\n", out);
	json_array_foreach(rj_arr(run, "timeline"), i, row) {
		double ts;

		if (rj_num(row, "t_s", &ts))
			rf_clock(t, sizeof(t), ts);
		else
			snprintf(t, sizeof(t), "?");
		fprintf(out, "| %s |", t);
		for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
			fputc(' ', out);
			esc_md(out, rj_str_or(row, cols[c], ""));
			fputs(" |", out);
		}
		fputc('\n', out);
	}
}

/* The observed chain in the catalogue's form, the incident's beside it,
 * then its links one a row. */
static void md_chain(json_t *run, FILE *out)
{
	json_t *chain = rj_obj(run, "chain"), *l;
	const char *incident = rj_str(chain, "incident");
	size_t i;
	char t[32];

	if (!chain)
		return;
	fputs("\n## Fault chain\n\nObserved in this drill:\n\n> ", out);
	esc_md(out, rj_str_or(chain, "text", ""));
	if (incident) {
		fputs("\n\nThe real incident (", out);
		esc_md(out, rj_str_or(rj_obj(run, "incident"), "id", "?"));
		fputs("), as its source states it:\n\n> ", out);
		esc_md(out, incident);
	}
	fputs("\n\n| Time | Link | What |\n|---|---|---|\n", out);
	json_array_foreach(rj_arr(chain, "observed"), i, l) {
		rf_clock(t, sizeof(t), rj_num_or(l, "at", 0));
		fprintf(out, "| %s | ", t);
		esc_md(out, rj_str_or(l, "link", ""));
		fputs(" | ", out);
		esc_md(out, rj_str_or(l, "text", ""));
		fputs(" |\n", out);
	}
}

/* "timeout 12000, refused 3" or "none". */
static void md_errors(json_t *p, FILE *out)
{
	json_t *n;
	const char *k;
	int any = 0;

	json_object_foreach(rj_obj(p, "errors"), k, n) {
		if (!json_is_integer(n) || json_integer_value(n) <= 0)
			continue;
		fputs(any ? ", " : "", out);
		esc_md(out, k);
		fprintf(out, " %lld", (long long)json_integer_value(n));
		any = 1;
	}
	if (!any)
		fputs("none", out);
}

static void md_impact_row(json_t *p, FILE *out)
{
	json_t *outages = rj_arr(p, "outages"), *o;
	double v, longest = -1, sum = 0;
	char a[32], l[32], s[32], im[32], rec[32], req[32];
	size_t i;

	json_array_foreach(outages, i, o)
		if (rj_num(o, "duration_s", &v)) {
			sum += v;
			longest = v > longest ? v : longest;
		}
	if (rj_num(p, "availability", &v))
		rf_pct(a, sizeof(a), v);
	else
		snprintf(a, sizeof(a), "-");
	rf_dur(l, sizeof(l), longest < 0 ? 0 : longest);
	rf_dur(s, sizeof(s), sum);
	rf_key_dur(im, sizeof(im), p, "impact_s");
	rf_recovery(rec, sizeof(rec), p);
	rf_count(req, sizeof(req), rj_num_or(p, "requests", 0));
	fputs("| ", out);
	esc_md(out, rj_str_or(p, "name", "?"));
	fputs(" | ", out);
	esc_md(out, rj_str_or(p, "target", ""));
	fprintf(out, " | %s | %s | %zu | %s | %s | %s | %s | ", req, a,
		json_array_size(outages), l, s, im, rec);
	md_errors(p, out);
	fputs(" |\n", out);
}

static void md_impact(json_t *run, FILE *out)
{
	json_t *p;
	size_t i;

	fputs("\n## Impact\n\n| Probe | Target | Requests | Availability | Outages | "
	      "Longest | Downtime | Impact | Recovery | Errors |\n"
	      "|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n", out);
	json_array_foreach(rj_arr(run, "probes"), i, p)
		md_impact_row(p, out);
}

static void md_latency(json_t *run, FILE *out)
{
	static const char *const parts[] = { "before", "during", "after", "all" };
	static const char *const keys[] = { "p50", "p90", "p99", "p999", "max" };
	json_t *p;
	size_t i;

	fputs("\n## Latency of successful requests\n\n| Probe | Part of the run | "
	      "Count | p50 | p90 | p99 | p99.9 | max |\n"
	      "|---|---|---:|---:|---:|---:|---:|---:|\n", out);
	json_array_foreach(rj_arr(run, "probes"), i, p) {
		json_t *lat = rj_obj(p, "latency_ms");

		for (size_t k = 0; k < 4; k++) {
			json_t *l = rj_obj(lat, parts[k]);
			char buf[32];

			fputs("| ", out);
			esc_md(out, rj_str_or(p, "name", "?"));
			rf_count(buf, sizeof(buf), rj_num_or(l, "count", 0));
			fprintf(out, " | %s | %s |", parts[k], buf);
			for (size_t j = 0; j < 5; j++) {
				rf_key_ms(buf, sizeof(buf), l, keys[j]);
				fprintf(out, " %s |", buf);
			}
			fputc('\n', out);
		}
	}
}

#define MD_PHASES 40

static void md_data_row(json_t *p, FILE *out)
{
	static const char *const keys[] = { "attempted", "acknowledged", "failed",
					    "unknown", "lost", "unexpected",
					    "recovered" };
	char up[16], buf[32];

	rf_upper(up, sizeof(up), rd_verdict(p));
	fputs("| ", out);
	esc_md(out, rj_str_or(p, "name", "?"));
	fputs(" | ", out);
	esc_md(out, rj_str_or(p, "target", ""));
	fprintf(out, " | %s%s%s |", strcmp(up, "VALID") ? "**" : "", up,
		strcmp(up, "VALID") ? "**" : "");
	for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
		rd_count(buf, sizeof(buf), p, keys[k]);
		fprintf(out, " %s |", buf);
	}
	fputc('\n', out);
}

/* The phases of a write probe's outcomes per planned second. */
static void md_data_phases(json_t *p, FILE *out)
{
	struct rd_phase ph[MD_PHASES];
	size_t n = rd_phases(p, ph, MD_PHASES);
	char a[32], b[32];

	if (!n)
		return;
	fputs("\nWrites by planned second (runs of seconds with the same kinds "
	      "of outcome):\n\n| From | To | ok | fail | unknown |\n"
	      "|---|---|---:|---:|---:|\n", out);
	for (size_t i = 0; i < n; i++) {
		rf_clock(a, sizeof(a), ph[i].t0);
		rf_clock(b, sizeof(b), ph[i].t1);
		fprintf(out, "| %s | %s | %.0f | %.0f | %.0f |\n", a, b, ph[i].ok,
			ph[i].fail, ph[i].unknown);
	}
}

static void md_data_detail(json_t *p, FILE *out)
{
	json_t *c = rj_obj(p, "check"), *w = rj_obj(p, "write");
	char buf[512];
	double v;

	fputs("\n**", out);
	esc_md(out, rj_str_or(p, "name", "?"));
	fputs("**: final read ", out);
	rd_final_read(buf, sizeof(buf), p);
	esc_md(out, buf);
	fputs(". Lost writes: ", out);
	rd_lost_window(buf, sizeof(buf), p);
	esc_md(out, buf);
	rd_lost_vs_faults(buf, sizeof(buf), p);
	if (buf[0]) {
		fputs("; ", out);
		esc_md(out, buf);
	}
	fputc('.', out);
	if (rj_num(c, "recovered_failed", &v) && v > 0)
		fprintf(out, " **%.0f failed writes were applied anyway** (the "
			"system reported a failure for writes it kept).", v);
	if (rj_num(c, "duplicates", &v) && v > 0)
		fprintf(out, " %.0f values were read more than once.", v);
	if (rj_num(w, "not_sent", &v) && v > 0)
		fprintf(out, " %.0f writes were never sent (no free worker of %.0f "
			"within the timeout).", v, rj_num_or(w, "workers", 0));
	fputc('\n', out);
	md_data_phases(p, out);
}

static void md_data(json_t *run, FILE *out)
{
	json_t *p;
	size_t i, n = 0;

	json_array_foreach(rj_arr(run, "probes"), i, p)
		n += rd_is_write(p);
	if (!n)
		return;
	fputs("\n## Data safety\n\n| Probe | Target | Verdict | Attempted | "
	      "Acknowledged | Failed | Unknown | Lost | Unexpected | Recovered |\n"
	      "|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n", out);
	json_array_foreach(rj_arr(run, "probes"), i, p)
		if (rd_is_write(p))
			md_data_row(p, out);
	json_array_foreach(rj_arr(run, "probes"), i, p)
		if (rd_is_write(p))
			md_data_detail(p, out);
}

static void md_expects(json_t *run, FILE *out)
{
	json_t *p, *e;
	size_t i, j, n = 0;

	fputs("\n## Expectations\n\n| Probe | Expectation | Measured | Result |\n"
	      "|---|---|---:|---|\n", out);
	json_array_foreach(rj_arr(run, "probes"), i, p) {
		json_array_foreach(rj_arr(p, "expects"), j, e) {
			char m[64];
			const char *error = rj_str(e, "error");

			rf_measured(m, sizeof(m), e);
			fputs("| ", out);
			esc_md(out, rj_str_or(p, "name", "?"));
			fputs(" | ", out);
			esc_md(out, rj_str_or(e, "expr", "?"));
			fprintf(out, " | %s | %s", m, error ? "**ERROR**: " :
				rj_bool(e, "pass") == 1 ? "PASS" :
				!strcmp(rj_str_or(e, "result", ""), "unknown") ?
				"**UNKNOWN**" : "**FAIL**");
			if (error)
				esc_md(out, error);
			fputs(" |\n", out);
			n++;
		}
	}
	if (!n)
		fputs("| - | no expectations | - | - |\n", out);
}

static void md_cost(json_t *run, FILE *out)
{
	json_t *cost = rj_obj(run, "cost");
	double amount, per_hour;
	char down[32];

	if (!rj_num(cost, "amount", &amount) || !rj_num(cost, "per_hour", &per_hour))
		return;
	rf_key_dur(down, sizeof(down), cost, "downtime_s");
	fputs("\n## Cost of downtime\n\n", out);
	esc_md(out, rj_str_or(cost, "currency", ""));
	fprintf(out, " %.2f: %s of downtime (the worst probe's outages added up) at ",
		amount < 1e15 ? amount : 1e15, down);
	esc_md(out, rj_str_or(cost, "currency", ""));
	fprintf(out, " %.2f per hour.\n", per_hour < 1e15 ? per_hour : 1e15);
}

static void md_verdict(json_t *run, FILE *out)
{
	static const struct {
		const char *verdict, *text;
	} why[] = {
		{ "pass", "the run completed and every expectation of every probe passed." },
		{ "fail", "an expectation failed, or a stop condition ended the run." },
		{ "interrupted", "the run was interrupted before it completed." },
		{ "error", "the run ended in an error; its measurements are incomplete." },
		{ "unknown", "the record holds no verdict this version knows." },
	};
	const char *v = rf_verdict(run);
	char up[16];

	rf_upper(up, sizeof(up), v);
	for (size_t i = 0; i < sizeof(why) / sizeof(why[0]); i++)
		if (!strcmp(v, why[i].verdict))
			fprintf(out, "\n## Verdict\n\n**%s**: %s\n", up, why[i].text);
}

int zf_render_markdown(json_t *run, FILE *out)
{
	md_head(run, out);
	md_timeline(run, out);
	md_chain(run, out);
	md_impact(run, out);
	md_latency(run, out);
	md_data(run, out);
	md_expects(run, out);
	md_cost(run, out);
	md_verdict(run, out);
	return ferror(out) ? -EIO : 0;
}
