/* rdata.c - a write probe's data safety as text (rdata.h). */
#include "report/rdata.h"
#include "report/rfmt.h"
#include "report/rj.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int rd_is_write(const json_t *probe)
{
	return json_is_object(probe) && (json_object_get(probe, "check") ||
					 json_object_get(probe, "ledger"));
}

const char *rd_verdict(const json_t *probe)
{
	const char *v = rj_str(rj_obj(probe, "check"), "verdict");

	if (v && (!strcmp(v, "valid") || !strcmp(v, "invalid")))
		return v;
	return "unknown";
}

void rd_count(char *buf, size_t len, const json_t *probe, const char *key)
{
	double v;

	if (rj_num(rj_obj(probe, "check"), key, &v))
		rf_count(buf, len, v);
	else
		snprintf(buf, len, "-");
}

/* Which classes occurred in [ok, fail, unknown] entry E (a bit each), and
 * their counts; -1 for an entry of another shape. */
static int classes(const json_t *e, double c[3])
{
	int mask = 0;

	if (!json_is_array(e) || json_array_size(e) != 3)
		return -1;
	for (size_t k = 0; k < 3; k++) {
		if (!rj_at_num(e, k, &c[k]) || c[k] < 0)
			return -1;
		if (c[k] > 0)
			mask |= 1 << k;
	}
	return mask;
}

size_t rd_phases(const json_t *probe, struct rd_phase *out, size_t max)
{
	json_t *secs = rj_arr(rj_obj(probe, "check"), "per_second"), *e;
	size_t i, n = 0;
	int last = -1;

	json_array_foreach(secs, i, e) {
		double c[3];
		int m = classes(e, c);

		if (m <= 0)             /* nothing planned (or odd): a gap */
			continue;
		if (n < max && (n == 0 || m != last || out[n - 1].t1 != (double)i))
			out[n++] = (struct rd_phase){ (double)i, (double)i, 0, 0, 0 };
		if (n == 0)
			break;          /* MAX is 0 */
		out[n - 1].t1 = (double)i + 1;
		out[n - 1].ok += c[0];
		out[n - 1].fail += c[1];
		out[n - 1].unknown += c[2];
		last = m;
	}
	return n;
}

void rd_lost_vs_faults(char *buf, size_t len, const json_t *probe)
{
	json_t *v = rj_obj(rj_obj(probe, "write"), "lost_vs_faults");
	char a[32], b[32];
	double s, e;

	if (!rj_num(v, "start_after_on_s", &s) || !rj_num(v, "end_after_on_s", &e)) {
		snprintf(buf, len, "%s", rj_obj(rj_obj(probe, "check"), "lost_window")
			 ? "no fault took effect" : "");
		return;
	}
	rf_dur(a, sizeof(a), fabs(s));
	rf_dur(b, sizeof(b), fabs(e));
	snprintf(buf, len, "from %s %s the first fault to %s %s it: %s the "
		 "fault window", a, s < 0 ? "before" : "after", b,
		 e < 0 ? "before" : "after",
		 rj_bool(v, "inside") == 1 ? "inside" : "not inside");
}

void rd_lost_window(char *buf, size_t len, const json_t *probe)
{
	json_t *c = rj_obj(probe, "check"), *w = rj_obj(c, "lost_window");
	char a[32], b[32], span[32];
	double first, last, s;

	if (rj_bool(c, "final_read") != 1) {
		snprintf(buf, len, "not known (no final read)");
		return;
	}
	if (!rj_num(rj_obj(w, "first"), "invoke_s", &first) ||
	    !rj_num(rj_obj(w, "last"), "complete_s", &last)) {
		snprintf(buf, len, "none");
		return;
	}
	rf_clock(a, sizeof(a), first);
	rf_clock(b, sizeof(b), last);
	rf_dur(span, sizeof(span), rj_num(w, "span_s", &s) ? s : last - first);
	snprintf(buf, len, "%s to %s (%s)", a, b, span);
}

void rd_final_read(char *buf, size_t len, const json_t *probe)
{
	json_t *fr = rj_obj(rj_obj(probe, "ledger"), "final_read");
	const char *state = rj_str_or(fr, "state", "none");
	char t[32], n[32], e[48] = "";
	double ts, earlier;

	if (rj_num(fr, "t_ns", &ts))
		rf_clock(t, sizeof(t), ts / 1e9);
	else
		snprintf(t, sizeof(t), "?");
	if (!strcmp(state, "failed")) {
		snprintf(buf, len, "FAILED at %s: %s", t, rj_str_or(fr, "error", "?"));
		return;
	}
	if (strcmp(state, "done")) {
		snprintf(buf, len, "none (the run ended before it)");
		return;
	}
	rf_count(n, sizeof(n), (double)json_array_size(rj_arr(fr, "values")) +
		 rj_num_or(fr, "foreign_count", 0));
	if (rj_num(rj_obj(probe, "write"), "earlier_values", &earlier) && earlier > 0)
		snprintf(e, sizeof(e), " (%.0f of earlier runs skipped)", earlier);
	snprintf(buf, len, "from %s at %s: %s values%s",
		 rj_str_or(fr, "node", "?"), t, n, e);
}
