/* linkargs.c - parsing the link faults' arguments (see linkargs.h). */
#include "fault/linkargs.h"
#include "lab/emu.h"
#include "spec/duration.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_WORDS 16
#define MAX_FAULT_DELAY_NS (60ull * 1000000000ull)

static const char *const kinds[] = {
	"delay", "loss", "reorder", "corrupt", "duplicate", "bandwidth", NULL,
};

int zf_linkargs_is_link_kind(const char *kind)
{
	for (size_t i = 0; kinds[i]; i++)
		if (!strcmp(kinds[i], kind))
			return 1;
	return 0;
}

struct words {
	char buf[ZF_LINKARGS_MAX + 1];
	char *w[MAX_WORDS];
	size_t n, at;
};

static int split(const char *args, struct words *ws, char *err, size_t errlen)
{
	char *save = NULL, *t;

	if (strlen(args) > ZF_LINKARGS_MAX) {
		snprintf(err, errlen, "arguments longer than %d bytes", ZF_LINKARGS_MAX);
		return -EINVAL;
	}
	memcpy(ws->buf, args, strlen(args) + 1);
	ws->n = ws->at = 0;
	for (t = strtok_r(ws->buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (ws->n == MAX_WORDS) {
			snprintf(err, errlen, "more than %d words of arguments", MAX_WORDS);
			return -EINVAL;
		}
		ws->w[ws->n++] = t;
	}
	return 0;
}

/* "30%", "30" or "2.5%": 0..100 (above 0 when POSITIVE). */
static int percent(const char *s, int positive, double *out, char *err, size_t errlen)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (*end == '%')
		end++;
	if (errno || end == s || *end || !isfinite(v) || v < 0 || v > 100 ||
	    (positive && v == 0)) {
		snprintf(err, errlen, "expected a percentage like 30%% (%s100%%), got '%s'",
			 positive ? "above 0, at most " : "0 to ", s);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int duration(const char *s, int positive, uint64_t *ns, char *err, size_t errlen)
{
	if (zf_duration_parse(s, ns) < 0 || *ns > MAX_FAULT_DELAY_NS ||
	    (positive && *ns == 0)) {
		snprintf(err, errlen, "expected a duration like 20ms or 1.5s (at most 60s%s), "
			 "got '%s'", positive ? ", above 0" : "", s);
		return -EINVAL;
	}
	return 0;
}

/* "10mbit": bit, kbit, mbit, gbit (powers of 1000); 1 kbit .. 100 gbit. */
static int rate(const char *s, uint64_t *bps, char *err, size_t errlen)
{
	static const struct { const char *unit; double mult; } units[] = {
		{ "bit", 1 }, { "kbit", 1e3 }, { "mbit", 1e6 }, { "gbit", 1e9 },
	};
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	for (size_t i = 0; !errno && end != s && isfinite(v) && i < 4; i++) {
		double b = v * units[i].mult;
		if (strcasecmp(end, units[i].unit) || b < 1e3 || b > 1e11)
			continue;
		*bps = (uint64_t)b;
		return 0;
	}
	snprintf(err, errlen, "expected a rate like 10mbit (bit, kbit, mbit or gbit; "
		 "1kbit to 100gbit), got '%s'%s", s,
		 strcasestr(s, "bps") ? ": bps would be bytes per second, write mbit" : "");
	return -EINVAL;
}

static const char *next(struct words *ws)
{
	return ws->at < ws->n ? ws->w[ws->at++] : NULL;
}

/* The value after option word OPT, or an error. */
static const char *value(struct words *ws, const char *opt, char *err, size_t errlen)
{
	const char *v = next(ws);

	if (!v)
		snprintf(err, errlen, "'%s' needs a value", opt);
	return v;
}

static int direction(const char *w, int *dir)
{
	if (!strcmp(w, "out"))
		*dir = ZF_EMU_OUT;
	else if (!strcmp(w, "in"))
		*dir = ZF_EMU_IN;
	else if (!strcmp(w, "both"))
		*dir = ZF_EMU_BOTH;
	else
		return -EINVAL;
	return 0;
}

/* Option word W of KIND (and its value, from WS). */
static int option(const char *kind, const char *w, struct words *ws,
		  struct zf_linkargs *a, char *err, size_t errlen)
{
	struct zf_lk_link_cfg *c = &a->cfg;
	const char *v;
	char *end;

	if (direction(w, &a->dir) == 0)
		return 0;
	if (!strcmp(w, "direction") && (v = value(ws, w, err, errlen)))
		return direction(v, &a->dir) == 0 ? 0 :
		       (snprintf(err, errlen, "direction is in, out or both, not '%s'", v),
			-EINVAL);
	if (!strcmp(kind, "delay") && !strcmp(w, "jitter") && (v = value(ws, w, err, errlen)))
		return duration(v, 0, &c->jitter_ns, err, errlen);
	if (!strcmp(kind, "delay") && (!strcmp(w, "distribution") || !strcmp(w, "dist")) &&
	    (v = value(ws, w, err, errlen)))
		return zf_lk_dist_parse(v, &c->dist) == 0 ? 0 :
		       (snprintf(err, errlen, "distribution is uniform, normal, pareto or "
				 "paretonormal, not '%s'", v), -EINVAL);
	if (!strcmp(w, "correlation") && (!strcmp(kind, "delay") || !strcmp(kind, "loss")) &&
	    (v = value(ws, w, err, errlen)))
		return percent(v, 0, !strcmp(kind, "delay") ? &c->delay_corr : &c->loss_corr,
			       err, errlen);
	if (!strcmp(kind, "loss") && !strcmp(w, "burst") && (v = value(ws, w, err, errlen))) {
		errno = 0;
		c->burst = strtod(v, &end);
		if (!errno && end != v && !*end && c->burst >= 1 && c->burst <= 1000)
			return 0;
		snprintf(err, errlen, "burst is a mean burst length from 1 to 1000, not '%s'", v);
		return -EINVAL;
	}
	if (!strcmp(kind, "reorder") && !strcmp(w, "delay") && (v = value(ws, w, err, errlen)))
		return duration(v, 1, &c->delay_ns, err, errlen);
	if (!err[0])
		snprintf(err, errlen, "unexpected '%s' in the arguments of %s", w, kind);
	return -EINVAL;
}

/* The first word: what the fault is about. */
static int main_value(const char *kind, const char *w, struct zf_linkargs *a,
		      char *err, size_t errlen)
{
	struct zf_lk_link_cfg *c = &a->cfg;

	if (!strcmp(kind, "delay"))
		return duration(w, 1, &c->delay_ns, err, errlen);
	if (!strcmp(kind, "loss"))
		return percent(w, 1, &c->loss, err, errlen);
	if (!strcmp(kind, "reorder"))
		return percent(w, 1, &c->reorder, err, errlen);
	if (!strcmp(kind, "corrupt"))
		return percent(w, 1, &c->corrupt, err, errlen);
	if (!strcmp(kind, "duplicate"))
		return percent(w, 1, &c->duplicate, err, errlen);
	return rate(w, &a->rate_bps, err, errlen);
}

static const char *const usage[] = {
	"DELAY [jitter J] [distribution D] [correlation P%]", "P% [correlation P%] [burst N]",
	"P% [delay D]", "P%", "P%", "RATE",
};

int zf_linkargs_parse(const char *kind, const char *args, struct zf_linkargs *out,
		      char *err, size_t errlen)
{
	struct words ws;
	const char *w;
	size_t k = 0;
	int rc;

	while (kinds[k] && strcmp(kinds[k], kind))
		k++;
	if (!kinds[k])
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	zf_lk_link_init(&out->cfg, "args", 0);   /* named by the caller */
	out->dir = ZF_EMU_OUT;
	err[0] = '\0';
	rc = split(args ? args : "", &ws, err, errlen);
	if (rc == 0 && !(w = next(&ws))) {
		snprintf(err, errlen, "%s needs arguments: %s [in|out|both]", kind, usage[k]);
		return -EINVAL;
	}
	if (rc == 0)
		rc = main_value(kind, w, out, err, errlen);
	while (rc == 0 && (w = next(&ws)))
		rc = option(kind, w, &ws, out, err, errlen);
	if (rc == 0 && !strcmp(kind, "reorder") && !out->cfg.delay_ns)
		out->cfg.delay_ns = 10 * 1000000ull;   /* the others wait 10 ms */
	if (rc == 0 && zf_lk_link_validate(&out->cfg, err, errlen) < 0)
		rc = -EINVAL;
	return rc;
}
