/* html_chart.c - SVG charts of a probe over the run. One frame (axes, fault
 * windows, outage lane) shared by both charts; a series is the samples'
 * values per second, merged into at most MAX_POINTS points for long runs
 * (the worst value of each group: lowest availability, highest latency). */
#include "report/html_chart.h"
#include "report/esc.h"
#include "report/rfmt.h"
#include "report/rj.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

#define W 1100.0
#define H 230.0
#define LEFT 70.0
#define RIGHT 16.0
#define TOP 40.0
#define BOTTOM 44.0
#define MAX_POINTS 1500u

struct frame {
	double t_end;            /* the x axis: 0 .. t_end seconds */
	double lo, hi;           /* the y axis (log10 of them when LOG) */
	int log;
};

struct pt {
	double t0, t1, v;
	int have;
};

static double px_x(const struct frame *f, double t)
{
	if (!(t > 0))
		t = 0;
	if (t > f->t_end)
		t = f->t_end;
	return LEFT + t / f->t_end * (W - LEFT - RIGHT);
}

static double px_y(const struct frame *f, double v)
{
	double r;

	if (f->log)
		v = v > 0 ? log10(v) : f->lo;
	r = (v - f->lo) / (f->hi - f->lo);
	if (!(r > 0))
		r = 0;
	if (r > 1)
		r = 1;
	return H - BOTTOM - r * (H - TOP - BOTTOM);
}

/* The length of the run in seconds: its duration, or its samples. */
static double run_length(json_t *run, json_t *samples)
{
	double d, t;
	size_t n = json_array_size(samples);

	if (rj_num(run, "duration_s", &d) && d >= 1 && d <= 1e9)
		return d;
	if (n && rj_num(json_array_get(samples, n - 1), "t", &t) && t >= 0 && t < 1e9)
		return t + 1;
	return 1;
}

/* The values of KEY in SAMPLES as steps, at most MAX_POINTS of them. */
static size_t series(json_t *samples, const char *key, int keep_low, struct pt **out)
{
	size_t n = json_array_size(samples), m = 0;
	size_t group = n > MAX_POINTS ? (n + MAX_POINTS - 1) / MAX_POINTS : 1;
	struct pt *v = zf_xcalloc(n / group + 1, sizeof(*v));

	for (size_t i = 0; i < n; i += group) {
		struct pt p = { INFINITY, -INFINITY, 0, 0 };

		for (size_t j = i; j < i + group && j < n; j++) {
			json_t *s = json_array_get(samples, j);
			double t, x;

			if (!rj_num(s, "t", &t) || t < 0 || t > 1e9)
				continue;
			p.t0 = t < p.t0 ? t : p.t0;
			p.t1 = t + 1 > p.t1 ? t + 1 : p.t1;
			if (!rj_num(s, key, &x))
				continue;
			if (!p.have || (keep_low ? x < p.v : x > p.v))
				p.v = x;
			p.have = 1;
		}
		if (p.t0 <= p.t1)
			v[m++] = p;
	}
	*out = v;
	return m;
}

/* A step line (or the area under it) through the points that have a
 * value, broken where there is none. */
static void draw_steps(FILE *out, const struct frame *f, const struct pt *v,
		       size_t n, const char *cls, int area)
{
	double base = H - BOTTOM;
	int open = 0;

	fprintf(out, "<path class=\"%s\" d=\"", cls);
	for (size_t i = 0; i < n; i++) {
		double x0 = px_x(f, v[i].t0), x1 = px_x(f, v[i].t1), y;

		if (!v[i].have || (open && v[i].t0 > v[i - 1].t1 + 0.5)) {
			if (open && area)
				fprintf(out, "V%.1fZ", base);
			open = 0;
			if (!v[i].have)
				continue;
		}
		y = px_y(f, v[i].v);
		if (!open && area)
			fprintf(out, "M%.1f %.1fV%.1f", x0, base, y);
		else
			fprintf(out, "%c%.1f %.1f", open ? 'L' : 'M', x0, y);
		fprintf(out, "H%.1f", x1);
		open = 1;
	}
	if (open && area)
		fprintf(out, "V%.1fZ", base);
	fputs("\"/>\n", out);
}

/* The first N characters of S (UTF-8 aware) into BUF (LEN >= 4), "..."
 * when cut. */
static void clip(char *buf, size_t len, const char *s, size_t n)
{
	size_t i = 0, chars = 0;
	uint32_t cp;

	while (s[i] && chars < n) {
		size_t k = esc_utf8_next(s + i, &cp);

		k = k ? k : 1;
		if (i + k + 4 > len)
			break;
		i += k;
		chars++;
	}
	memcpy(buf, s, i);
	snprintf(buf + i, len - i, "%s", s[i] ? "..." : "");
}

/* Fault windows of PROBE: a shaded band each, labelled above the plot
 * (three label rows, so neighbours do not overlap). */
static void draw_windows(FILE *out, const struct frame *f, json_t *run, json_t *probe)
{
	json_t *w;
	size_t i;
	char label[256], clipped[256], from[32], to[32];

	json_array_foreach(rj_arr(probe, "windows"), i, w) {
		double a, b, x0, x1;

		if (i >= 500 || !rj_num(w, "start_s", &a))
			break;
		b = rj_num_or(w, "end_s", a);
		x0 = px_x(f, a);
		x1 = px_x(f, b);
		rf_event_label(label, sizeof(label), run, rj_str(w, "event"));
		clip(clipped, sizeof(clipped), label, 36);
		rf_clock(from, sizeof(from), a);
		rf_clock(to, sizeof(to), b);
		fprintf(out, "<rect class=\"fw\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			"height=\"%.1f\"><title>", x0, TOP, x1 - x0 > 1.5 ? x1 - x0 : 1.5,
			H - TOP - BOTTOM);
		esc_xml(out, label);
		fprintf(out, ": %s to %s</title></rect>\n", from, to);
		fprintf(out, "<line class=\"fwl\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\"/>\n<text class=\"fwt\" x=\"%.1f\" y=\"%.1f\">",
			x0, 13.0 * (double)(i % 3) + 4, x0, H - BOTTOM, x0 + 3,
			13.0 * (double)(i % 3) + 13);
		esc_xml(out, clipped);
		fputs("</text>\n", out);
	}
}

/* The outages of PROBE as red bars in a lane under the plot. */
static void draw_outages(FILE *out, const struct frame *f, json_t *probe)
{
	double y = H - BOTTOM + 24;
	json_t *o;
	size_t i;
	char d[32], at[32];

	fprintf(out, "<text class=\"lane\" x=\"%.1f\" y=\"%.1f\">outages</text>\n"
		"<line class=\"lanel\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		LEFT - 6, y + 7, LEFT, y + 4, W - RIGHT, y + 4);
	json_array_foreach(rj_arr(probe, "outages"), i, o) {
		double a, b, x0, x1;

		if (i >= 5000 || !rj_num(o, "start_s", &a))
			break;
		b = rj_num_or(o, "end_s", a);
		x0 = px_x(f, a);
		x1 = px_x(f, b);
		rf_dur(d, sizeof(d), b - a);
		rf_clock(at, sizeof(at), a);
		fprintf(out, "<rect class=\"out\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			"height=\"8\"><title>outage at %s for %s</title></rect>\n",
			x0, y, x1 - x0 > 2 ? x1 - x0 : 2, at, d);
	}
}

/* "0:40", "1:02:00" or "45s" for a tick at T seconds. */
static void tick_label(char *buf, size_t len, double t, double t_end)
{
	long long s = (long long)t;

	if (t_end <= 120)
		snprintf(buf, len, "%llds", s);
	else if (t_end < 3600)
		snprintf(buf, len, "%lld:%02lld", s / 60, s % 60);
	else
		snprintf(buf, len, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
}

/* The x axis: at most about 12 ticks at a round step. */
static void draw_x_axis(FILE *out, const struct frame *f)
{
	static const double steps[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600,
					900, 1800, 3600, 7200, 10800, 21600, 43200, 86400 };
	double step = 0, base = H - BOTTOM;
	char label[32];

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]) && !step; i++)
		if (f->t_end / steps[i] <= 12)
			step = steps[i];
	if (!step)
		step = 86400 * ceil(f->t_end / 12 / 86400);
	fprintf(out, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		LEFT, base, W - RIGHT, base);
	for (double t = 0; t <= f->t_end + 1e-9; t += step) {
		tick_label(label, sizeof(label), t, f->t_end);
		fprintf(out, "<line class=\"tick\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\"/><text class=\"xl\" x=\"%.1f\" y=\"%.1f\">%s</text>\n",
			px_x(f, t), base, px_x(f, t), base + 4, px_x(f, t), base + 15, label);
	}
}

static void svg_open(FILE *out, const char *label)
{
	fprintf(out, "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"%s\" "
		"xmlns=\"http://www.w3.org/2000/svg\">\n", W, H, label);
}

static void y_grid(FILE *out, const struct frame *f, double v, const char *label)
{
	double y = px_y(f, v);

	fprintf(out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
		"<text class=\"yl\" x=\"%.1f\" y=\"%.1f\">%s</text>\n",
		LEFT, y, W - RIGHT, y, LEFT - 6, y + 4, label);
}

void html_chart_availability(FILE *out, json_t *run, json_t *probe)
{
	json_t *samples = rj_arr(probe, "samples");
	struct frame f = { run_length(run, samples), 0, 100, 0 };
	struct pt *v;
	size_t n = series(samples, "availability", 1, &v);
	static const char *const labels[] = { "0%", "25%", "50%", "75%", "100%" };

	svg_open(out, "availability per second");
	for (int k = 0; k <= 4; k++)
		y_grid(out, &f, 25.0 * k, labels[k]);
	draw_windows(out, &f, run, probe);
	draw_steps(out, &f, v, n, "av-area", 1);
	draw_steps(out, &f, v, n, "av", 0);
	draw_x_axis(out, &f);
	draw_outages(out, &f, probe);
	if (!n)
		fprintf(out, "<text class=\"none\" x=\"%.1f\" y=\"%.1f\">no samples</text>\n",
			W / 2, H / 2);
	fputs("</svg>\n", out);
	free(v);
}

/* A write probe's outcomes per planned second, stacked: LAYER 0 is ok,
 * 1 ok + unknown, 2 ok + unknown + fail; groups of seconds (long runs)
 * are averaged. *MAX gets the largest total. */
static size_t write_series(json_t *probe, int layer, struct pt **out, double *max)
{
	json_t *secs = rj_arr(rj_obj(probe, "check"), "per_second");
	size_t n = json_array_size(secs), m = 0;
	size_t group = n > MAX_POINTS ? (n + MAX_POINTS - 1) / MAX_POINTS : 1;
	struct pt *v = zf_xcalloc(n / group + 1, sizeof(*v));

	for (size_t i = 0; i < n; i += group) {
		struct pt p = { (double)i, (double)i, 0, 0 };
		size_t k = 0;

		for (size_t j = i; j < i + group && j < n; j++, k++) {
			json_t *e = json_array_get(secs, j);
			double ok = 0, fail = 0, unk = 0;

			rj_at_num(e, 0, &ok);
			rj_at_num(e, 1, &fail);
			rj_at_num(e, 2, &unk);
			p.v += ok + (layer >= 1 ? unk : 0) + (layer >= 2 ? fail : 0);
			p.t1 = (double)j + 1;
		}
		p.v /= (double)(k ? k : 1);
		p.have = 1;
		if (layer == 2 && p.v > *max)
			*max = p.v;
		v[m++] = p;
	}
	*out = v;
	return m;
}

/* The smallest of 1, 2, 2.5, 5 times a power of ten at or above V (1 for
 * V <= 1). */
static double nice_ceil(double v)
{
	static const double m[] = { 1, 2, 2.5, 5, 10 };
	double p;

	if (!(v > 1) || !isfinite(v))
		return 1;
	p = pow(10, floor(log10(v)));
	for (size_t i = 0; i < sizeof(m) / sizeof(*m); i++)
		if (m[i] * p >= v)
			return m[i] * p;
	return 10 * p;
}

/* The lost window of a write probe as a bar in a lane under the plot. */
static void draw_lost(FILE *out, const struct frame *f, json_t *probe)
{
	json_t *w = rj_obj(rj_obj(probe, "check"), "lost_window");
	double y = H - BOTTOM + 24, a, b, n;
	char from[32], to[32];

	fprintf(out, "<text class=\"lane\" x=\"%.1f\" y=\"%.1f\">lost</text>\n"
		"<line class=\"lanel\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		LEFT - 6, y + 7, LEFT, y + 4, W - RIGHT, y + 4);
	if (!rj_num(rj_obj(w, "first"), "invoke_s", &a) ||
	    !rj_num(rj_obj(w, "last"), "complete_s", &b))
		return;
	n = rj_num_or(rj_obj(probe, "check"), "lost", 0);
	rf_clock(from, sizeof(from), a);
	rf_clock(to, sizeof(to), b);
	fprintf(out, "<rect class=\"out\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		"height=\"8\"><title>%.0f acknowledged writes lost, invoked from %s "
		"to %s</title></rect>\n", px_x(f, a), y,
		px_x(f, b) - px_x(f, a) > 2 ? px_x(f, b) - px_x(f, a) : 2, n, from, to);
}

void html_chart_writes(FILE *out, json_t *run, json_t *probe)
{
	struct frame f = { run_length(run, rj_arr(probe, "samples")), 0, 1, 0 };
	struct pt *layer[3];
	size_t n[3];
	double max = 0;
	char label[32];
	static const char *const cls[] = { "w-ok", "w-unk", "w-fail" };

	for (int k = 2; k >= 0; k--)
		n[k] = write_series(probe, k, &layer[k], &max);
	f.hi = nice_ceil(max);
	svg_open(out, "writes per planned second: ok, unknown, fail");
	draw_windows(out, &f, run, probe);
	for (int k = 2; k >= 0; k--)
		draw_steps(out, &f, layer[k], n[k], cls[k], 1);
	for (int k = 0; k <= 4; k++) {
		rf_count(label, sizeof(label), round(f.hi * k / 4));
		y_grid(out, &f, f.hi * k / 4, label);
	}
	draw_x_axis(out, &f);
	draw_lost(out, &f, probe);
	fprintf(out, "<rect class=\"w-ok\" x=\"%.1f\" y=\"3\" width=\"10\" "
		"height=\"8\"/><text class=\"lg\" x=\"%.1f\" y=\"10\">ok</text>"
		"<rect class=\"w-unk\" x=\"%.1f\" y=\"3\" width=\"10\" height=\"8\"/>"
		"<text class=\"lg\" x=\"%.1f\" y=\"10\">unknown</text>"
		"<rect class=\"w-fail\" x=\"%.1f\" y=\"3\" width=\"10\" height=\"8\"/>"
		"<text class=\"lg\" x=\"%.1f\" y=\"10\">fail</text>\n",
		W - RIGHT - 190, W - RIGHT - 176, W - RIGHT - 145, W - RIGHT - 131,
		W - RIGHT - 70, W - RIGHT - 56);
	if (!n[2])
		fprintf(out, "<text class=\"none\" x=\"%.1f\" y=\"%.1f\">no writes"
			"</text>\n", W / 2, H / 2);
	fputs("</svg>\n", out);
	for (int k = 0; k < 3; k++)
		free(layer[k]);
}

/* The log scale of the latency chart: whole decades around the values,
 * at least one, at most ten, within 1 us .. 10^7 ms. */
static void log_range(const struct pt *a, size_t na, const struct pt *b,
		      size_t nb, double *lo, double *hi)
{
	double mn = INFINITY, mx = -INFINITY;

	for (size_t i = 0; i < na + nb; i++) {
		const struct pt *p = i < na ? &a[i] : &b[i - na];

		if (!p->have || !(p->v > 0))
			continue;
		mn = p->v < mn ? p->v : mn;
		mx = p->v > mx ? p->v : mx;
	}
	if (mn > mx) {
		mn = 0.1;
		mx = 100;
	}
	*lo = floor(log10(mn > 1e-3 ? mn : 1e-3));
	*hi = ceil(log10(mx < 1e7 ? mx : 1e7));
	if (*hi <= *lo)
		*hi = *lo + 1;
	if (*hi - *lo > 10)
		*lo = *hi - 10;
}

static void decade_label(char *buf, size_t len, int k)
{
	if (k < 3)
		snprintf(buf, len, "%g ms", pow(10, k));
	else
		snprintf(buf, len, "%g s", pow(10, k - 3));
}

static void latency_legend(FILE *out, const struct frame *f, json_t *probe)
{
	double slow;

	if (rj_num(probe, "slow_ms", &slow) && slow > 0 &&
	    log10(slow) >= f->lo && log10(slow) <= f->hi)
		fprintf(out, "<line class=\"slow\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\"/><text class=\"slowt\" x=\"%.1f\" y=\"%.1f\">slow</text>\n",
			LEFT, px_y(f, slow), W - RIGHT, px_y(f, slow), W - RIGHT - 4,
			px_y(f, slow) - 3);
	fprintf(out, "<rect class=\"p50\" x=\"%.1f\" y=\"4\" width=\"14\" height=\"3\"/>"
		"<text class=\"lg\" x=\"%.1f\" y=\"10\">p50</text>"
		"<rect class=\"p99\" x=\"%.1f\" y=\"4\" width=\"14\" height=\"3\"/>"
		"<text class=\"lg\" x=\"%.1f\" y=\"10\">p99</text>\n",
		W - RIGHT - 110, W - RIGHT - 92, W - RIGHT - 55, W - RIGHT - 37);
}

void html_chart_latency(FILE *out, json_t *run, json_t *probe)
{
	json_t *samples = rj_arr(probe, "samples");
	struct frame f = { run_length(run, samples), 0, 1, 1 };
	struct pt *p50, *p99;
	size_t n50 = series(samples, "p50_ms", 0, &p50);
	size_t n99 = series(samples, "p99_ms", 0, &p99);
	char label[32];

	log_range(p50, n50, p99, n99, &f.lo, &f.hi);
	svg_open(out, "latency per second, log scale");
	for (int k = (int)f.lo; k <= (int)f.hi; k++) {
		decade_label(label, sizeof(label), k);
		y_grid(out, &f, pow(10, k), label);
	}
	draw_windows(out, &f, run, probe);
	draw_steps(out, &f, p99, n99, "p99", 0);
	draw_steps(out, &f, p50, n50, "p50", 0);
	draw_x_axis(out, &f);
	draw_outages(out, &f, probe);
	latency_legend(out, &f, probe);
	fputs("</svg>\n", out);
	free(p50);
	free(p99);
}
