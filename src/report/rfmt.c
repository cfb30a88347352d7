/* rfmt.c - formatting values of the run record for people. */
#include "report/rfmt.h"
#include "report/rj.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void rf_dur(char *buf, size_t len, double s)
{
	double a = fabs(s);
	const char *sign = s < 0 ? "-" : "";
	long long w;

	if (!isfinite(s)) {
		snprintf(buf, len, "?");
		return;
	}
	if (a >= 120 && a < 3.6e15) {
		w = (long long)a;
		if (w < 3600)
			snprintf(buf, len, "%s%lldm%02llds", sign, w / 60, w % 60);
		else
			snprintf(buf, len, "%s%lldh%02lldm", sign, w / 3600, w / 60 % 60);
	} else if (a >= 120) {
		snprintf(buf, len, "%s%.3g h", sign, a / 3600);
	} else if (a == 0) {
		snprintf(buf, len, "0 s");
	} else if (a < 1e-3) {
		snprintf(buf, len, "%s%.0f us", sign, a * 1e6);
	} else if (a < 1) {
		snprintf(buf, len, "%s%.*f ms", sign, a < 0.01 ? 2 : 1, a * 1e3);
	} else {
		snprintf(buf, len, "%s%.*f s", sign, a < 10 ? 2 : 1, a);
	}
}

void rf_ms(char *buf, size_t len, double ms)
{
	double a = fabs(ms);

	if (!isfinite(ms))
		snprintf(buf, len, "?");
	else if (a < 1)
		snprintf(buf, len, "%.3f ms", ms);
	else if (a < 10)
		snprintf(buf, len, "%.2f ms", ms);
	else if (a < 1000)
		snprintf(buf, len, "%.1f ms", ms);
	else
		rf_dur(buf, len, ms / 1e3);
}

void rf_pct(char *buf, size_t len, double pct)
{
	if (!isfinite(pct) || fabs(pct) > 1e12)
		snprintf(buf, len, "?");
	else if (pct == 100)
		snprintf(buf, len, "100%%");
	else
		snprintf(buf, len, "%.2f%%", floor(pct * 100) / 100);
}

void rf_clock(char *buf, size_t len, double s)
{
	long long whole;
	double frac;

	if (!isfinite(s) || s < 0 || s >= 1e12) {
		snprintf(buf, len, "?");
		return;
	}
	whole = (long long)floor(s * 10) / 10;
	frac = floor(s * 10) / 10 - (double)whole;
	if (whole < 3600)
		snprintf(buf, len, "%02lld:%04.1f", whole / 60, (double)(whole % 60) + frac);
	else
		snprintf(buf, len, "%lld:%02lld:%04.1f", whole / 3600, whole / 60 % 60,
			 (double)(whole % 60) + frac);
}

void rf_count(char *buf, size_t len, double v)
{
	if (!isfinite(v))
		snprintf(buf, len, "?");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%g", v);
}

void rf_measured(char *buf, size_t len, const json_t *e)
{
	const char *unit = rj_str_or(e, "unit", "");
	double v;

	if (!rj_num(e, "measured", &v))
		snprintf(buf, len, "%s", rj_str_or(e, "note", "nothing measured"));
	else if (!strcmp(unit, "%"))
		rf_pct(buf, len, v);
	else if (!strcmp(unit, "ms"))
		rf_ms(buf, len, v);
	else
		rf_count(buf, len, v);
}

const char *rf_verdict(const json_t *run)
{
	static const char *const known[] = { "pass", "fail", "interrupted", "error" };
	const char *v = rj_str(run, "verdict");

	for (size_t i = 0; v && i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(v, known[i]))
			return known[i];
	return "unknown";
}

void rf_upper(char *buf, size_t len, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
	if (len)
		buf[i] = '\0';
}

void rf_event_label(char *buf, size_t len, const json_t *run, const char *id)
{
	json_t *events = rj_arr(run, "events"), *e;
	size_t i;

	snprintf(buf, len, "%s", id ? id : "?");
	if (!id)
		return;
	json_array_foreach(events, i, e) {
		const char *eid = rj_str(e, "id");

		if (eid && !strcmp(eid, id)) {
			snprintf(buf, len, "%s %s", rj_str_or(e, "action", "?"),
				 rj_str_or(e, "target", ""));
			return;
		}
	}
}

void rf_params(char *buf, size_t len, const json_t *run)
{
	json_t *params = rj_obj(run, "params"), *v;
	const char *k;
	size_t used = 0;

	buf[0] = '\0';
	json_object_foreach(params, k, v) {
		char val[128];
		int n;

		if (json_is_string(v))
			snprintf(val, sizeof(val), "%s", json_string_value(v));
		else if (json_is_number(v))
			rf_count(val, sizeof(val), json_number_value(v));
		else
			snprintf(val, sizeof(val), "%s", json_is_true(v) ? "true" :
				 json_is_false(v) ? "false" : "...");
		n = snprintf(buf + used, len - used, "%s%s=%s", used ? ", " : "", k, val);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

void rf_key_dur(char *buf, size_t len, const json_t *o, const char *key)
{
	double v;

	if (rj_num(o, key, &v))
		rf_dur(buf, len, v);
	else
		snprintf(buf, len, "-");
}

void rf_key_ms(char *buf, size_t len, const json_t *o, const char *key)
{
	double v;

	if (rj_num(o, key, &v))
		rf_ms(buf, len, v);
	else
		snprintf(buf, len, "-");
}

void rf_recovery(char *buf, size_t len, const json_t *probe)
{
	if (rj_bool(probe, "recovered") == 0)
		snprintf(buf, len, "never");
	else
		rf_key_dur(buf, len, probe, "recovery_s");
}
