/* render_terminal.c - the summary printed at the end of a run: verdict,
 * why the run ended, one table row per probe, each expectation with what
 * was measured, the cost. Every line fits 100 columns: strings from the
 * record are cut to their column, and control characters in them are
 * replaced (esc_term), so a record cannot drive the terminal. */
#include "report/render.h"
#include "report/esc.h"
#include "report/rdata.h"
#include "report/rfmt.h"
#include "report/rj.h"

#include <stdio.h>
#include <string.h>

#define COLS 100

struct term {
	FILE *out;
	int color;
};

static void sgr(const struct term *t, const char *code)
{
	if (t->color)
		fprintf(t->out, "\033[%sm", code);
}

static const char *verdict_sgr(const char *v)
{
	if (!strcmp(v, "pass"))
		return "1;32";
	return !strcmp(v, "fail") ? "1;31" : "1;33";
}

/* S in exactly WIDTH columns, padded on the right (LEFT) or the left. */
static void field(FILE *out, const char *s, size_t width, int left)
{
	size_t n = esc_term(NULL, s, width);

	if (!left)
		fprintf(out, "%*s", (int)(width - n), "");
	esc_term(out, s, width);
	if (left)
		fprintf(out, "%*s", (int)(width - n), "");
}

static void header(const struct term *t, json_t *run)
{
	json_t *ended = rj_obj(run, "ended");
	const char *v = rf_verdict(run), *detail = rj_str_or(ended, "detail", "");
	char verdict[16], dur[32];

	rf_upper(verdict, sizeof(verdict), v);
	fputs("zonefall: ", t->out);
	esc_term(t->out, rj_str_or(run, "scenario", "?"), 40);
	fputs(" on lab ", t->out);
	esc_term(t->out, rj_str_or(run, "lab", "?"), 24);
	fputs(": ", t->out);
	sgr(t, verdict_sgr(v));
	fputs(verdict, t->out);
	sgr(t, "0");
	rf_key_dur(dur, sizeof(dur), run, "duration_s");
	fprintf(t->out, "\n  run ");
	esc_term(t->out, rj_str_or(ended, "reason", "?"), 12);
	fprintf(t->out, " after %s", dur);
	if (*detail) {
		fputs(": ", t->out);
		esc_term(t->out, detail, COLS - 40);
	}
	fputc('\n', t->out);
}

static void probe_row(const struct term *t, json_t *p)
{
	json_t *outages = rj_arr(p, "outages"), *o, *all;
	double longest = -1, v;
	char buf[64];
	size_t i;

	all = rj_obj(rj_obj(p, "latency_ms"), "all");
	json_array_foreach(outages, i, o)
		if (rj_num(o, "duration_s", &v) && v > longest)
			longest = v;
	fputs("  ", t->out);
	field(t->out, rj_str_or(p, "name", "?"), 12, 1);
	if (rj_num(p, "availability", &v))
		rf_pct(buf, sizeof(buf), v);
	else
		snprintf(buf, sizeof(buf), "-");
	field(t->out, buf, 9, 0);
	snprintf(buf, sizeof(buf), "%zu", json_array_size(outages));
	field(t->out, buf, 8, 0);
	if (longest >= 0)
		rf_dur(buf, sizeof(buf), longest);
	else
		snprintf(buf, sizeof(buf), "-");
	field(t->out, buf, 10, 0);
	rf_key_dur(buf, sizeof(buf), p, "impact_s");
	field(t->out, buf, 10, 0);
	rf_recovery(buf, sizeof(buf), p);
	field(t->out, buf, 10, 0);
	rf_key_ms(buf, sizeof(buf), all, "p50");
	field(t->out, buf, 11, 0);
	rf_key_ms(buf, sizeof(buf), all, "p99");
	field(t->out, buf, 11, 0);
	rf_key_ms(buf, sizeof(buf), all, "max");
	field(t->out, buf, 11, 0);
	fputc('\n', t->out);
}

static void probe_table(const struct term *t, json_t *probes)
{
	json_t *p;
	size_t i;

	if (!json_array_size(probes)) {
		fputs("  no probes\n", t->out);
		return;
	}
	fprintf(t->out, "  %-12s%9s%8s%10s%10s%10s%11s%11s%11s\n", "probe", "avail",
		"outages", "longest", "impact", "recovery", "p50", "p99", "max");
	json_array_foreach(probes, i, p)
		probe_row(t, p);
}

#define TERM_PHASES 8

/* Counts KEYS[0..N) of PROBE's check as "ack 2700, failed 200". */
static void counts(FILE *out, json_t *p, const char *const *keys,
		   const char *const *shown, size_t n)
{
	char buf[32];

	for (size_t k = 0; k < n; k++) {
		rd_count(buf, sizeof(buf), p, keys[k]);
		fprintf(out, "%s%s %s", k ? ", " : "", shown[k], buf);
	}
}

/* A write probe: its verdict and counts, the lost window, the final read
 * and the phases of its outcomes, each line within COLS. */
static void data_lines(const struct term *t, json_t *p)
{
	static const char *const k1[] = { "acknowledged", "failed", "unknown" };
	static const char *const s1[] = { "ack", "failed", "unknown" };
	static const char *const k2[] = { "lost", "unexpected", "recovered" };
	const char *v = rd_verdict(p);
	struct rd_phase ph[TERM_PHASES];
	char up[16], buf[512], a[32], b[32];
	size_t n;

	rf_upper(up, sizeof(up), v);
	fputs("  ", t->out);
	field(t->out, rj_str_or(p, "name", "?"), 12, 1);
	sgr(t, !strcmp(v, "valid") ? "1;32" : !strcmp(v, "invalid") ? "1;31" : "1;33");
	fprintf(t->out, " %-8s", up);
	sgr(t, "0");
	rd_count(buf, sizeof(buf), p, "attempted");
	fprintf(t->out, " writes %s: ", buf);
	counts(t->out, p, k1, s1, 3);
	fputs("\n                ", t->out);
	counts(t->out, p, k2, k2, 3);
	fputs("\n                lost window: ", t->out);
	rd_lost_window(buf, sizeof(buf), p);
	esc_term(t->out, buf, COLS - 29);
	rd_lost_vs_faults(buf, sizeof(buf), p);
	if (buf[0]) {
		fputs("\n                ", t->out);
		esc_term(t->out, buf, COLS - 16);
	}
	fputs("\n                final read ", t->out);
	rd_final_read(buf, sizeof(buf), p);
	esc_term(t->out, buf, COLS - 27);
	fputc('\n', t->out);
	n = rd_phases(p, ph, TERM_PHASES);
	for (size_t i = 0; i < n; i++) {
		rf_clock(a, sizeof(a), ph[i].t0);
		rf_clock(b, sizeof(b), ph[i].t1);
		fprintf(t->out, "                %s to %-9s ok %-9.0f fail %-9.0f "
			"unknown %.0f\n", a, b, ph[i].ok, ph[i].fail, ph[i].unknown);
	}
}

static void data_section(const struct term *t, json_t *probes)
{
	json_t *p;
	size_t i;
	int any = 0;

	json_array_foreach(probes, i, p) {
		if (!rd_is_write(p))
			continue;
		if (!any++)
			fputs("  data safety (writes by planned second below each):\n",
			      t->out);
		data_lines(t, p);
	}
}

static void expect_line(const struct term *t, const char *probe, json_t *e)
{
	int pass = rj_bool(e, "pass") == 1, error = rj_str(e, "error") != NULL;
	int unknown = !pass && !error &&
		      !strcmp(rj_str_or(e, "result", ""), "unknown");
	char measured[64];

	fputs("  ", t->out);
	sgr(t, error || unknown ? "1;33" : pass ? "1;32" : "1;31");
	fputs(error ? "ERROR" : pass ? "PASS " : unknown ? "UNKN " : "FAIL ",
	      t->out);
	sgr(t, "0");
	fputc(' ', t->out);
	field(t->out, probe, 12, 1);
	fputc(' ', t->out);
	field(t->out, rj_str_or(e, "expr", "?"), 40, 1);
	rf_measured(measured, sizeof(measured), e);
	fputs(" measured ", t->out);
	esc_term(t->out, measured, 24);
	fputc('\n', t->out);
}

static void cost_line(const struct term *t, json_t *run)
{
	json_t *cost = rj_obj(run, "cost");
	double amount, per_hour;
	char down[32];

	if (!rj_num(cost, "amount", &amount) || !rj_num(cost, "per_hour", &per_hour))
		return;
	rf_key_dur(down, sizeof(down), cost, "downtime_s");
	fputs("  cost: ", t->out);
	esc_term(t->out, rj_str_or(cost, "currency", ""), 8);
	fprintf(t->out, " %.2f for %s of downtime at ", amount < 1e15 ? amount : 1e15, down);
	esc_term(t->out, rj_str_or(cost, "currency", ""), 8);
	fprintf(t->out, " %.0f/h\n", per_hour < 1e15 ? per_hour : 1e15);
}

/* A chain "(a) → (b) → (c)" one link a line, each within COLS (cut
 * with '~'; report.md has them whole). Links are split at ") → (" only,
 * so an arrow inside a link stays. Beyond MAX_CHAIN_LINES lines the middle
 * is counted and the last link (the impact) still shown. */
#define MAX_CHAIN_LINES 12
static const char chain_sep[] = ") → (";

/* Link K of a chain, P..P+N without the separators around it (and the
 * chain's own outer parentheses), printed back in its parentheses. */
static void chain_line(const struct term *t, const char *p, size_t n, size_t k, int last)
{
	char part[COLS + 1];

	if (k == 0 && n && *p == '(') {
		p++;
		n--;
	}
	if (last && n && p[n - 1] == ')')
		n--;
	snprintf(part, sizeof(part), "(%.*s)", (int)(n < COLS ? n : COLS), p);
	fputs(k ? "    → " : "      ", t->out);
	esc_term(t->out, part, COLS - 8);
	fputc('\n', t->out);
}

static void chain_block(const struct term *t, const char *title, const char *chain)
{
	const size_t sep = strlen(chain_sep);
	size_t links = 1, k = 0;
	const char *p;

	for (p = chain; (p = strstr(p, chain_sep)); p += sep)
		links++;
	fprintf(t->out, "  %s:\n", title);
	for (p = chain; p && *p; k++) {
		const char *next = strstr(p, chain_sep);
		size_t n = next ? (size_t)(next - p) : strlen(p);
		if (links <= MAX_CHAIN_LINES || k < MAX_CHAIN_LINES - 2 || k == links - 1)
			chain_line(t, p, n, k, !next);
		else if (k == MAX_CHAIN_LINES - 2)
			fprintf(t->out, "    → ... %zu more links (report.md has them all)\n",
				links - MAX_CHAIN_LINES + 1);
		p = next ? next + sep : NULL;
	}
}

/* The observed chain and the incident's. */
static void chain_lines(const struct term *t, json_t *run)
{
	json_t *c = rj_obj(run, "chain");
	const char *incident = rj_str(c, "incident");

	if (!c)
		return;
	chain_block(t, "fault chain observed", rj_str_or(c, "text", ""));
	if (incident)
		chain_block(t, "the real incident's chain", incident);
}

void zf_render_terminal_dir(json_t *run, const char *dir, FILE *out, int color)
{
	struct term t = { out, color };
	json_t *probes = rj_arr(run, "probes"), *p, *e;
	size_t i, j;

	header(&t, run);
	probe_table(&t, probes);
	data_section(&t, probes);
	json_array_foreach(probes, i, p) {
		json_array_foreach(rj_arr(p, "expects"), j, e)
			expect_line(&t, rj_str_or(p, "name", "?"), e);
	}
	cost_line(&t, run);
	chain_lines(&t, run);
	if (dir) {
		fputs("  reports: ", out);
		esc_term(out, dir, COLS - 12);
		fputc('\n', out);
	}
}

void zf_render_terminal(json_t *run, FILE *out, int color)
{
	zf_render_terminal_dir(run, NULL, out, color);
}
