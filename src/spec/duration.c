/* duration.c - parse and format durations ("250ms", "1.5s", "1m30s"). */
#include "spec/duration.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define NS_PER_US 1000ull
#define NS_PER_MS 1000000ull
#define NS_PER_S 1000000000ull
#define NS_PER_M (60ull * NS_PER_S)
#define NS_PER_H (60ull * NS_PER_M)
#define DURATION_MAX 9223372036854775807ull   /* INT64_MAX: ~292 years */

struct unit {
	const char *name;
	uint64_t ns;
};

static const struct unit units[] = {
	{ "ns", 1 }, { "us", NS_PER_US }, { "ms", NS_PER_MS },
	{ "s", NS_PER_S }, { "m", NS_PER_M }, { "h", NS_PER_H },
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The unit spelled by the letters at *S (advanced past them), or 0. */
static uint64_t parse_unit(const char **s)
{
	const char *p = *s;
	size_t n = 0;

	while (p[n] >= 'a' && p[n] <= 'z')
		n++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strlen(units[i].name) == n &&
		    strncmp(units[i].name, p, n) == 0) {
			*s = p + n;
			return units[i].ns;
		}
	}
	return 0;
}

/* Integer digits at *S times UNIT, checking the cap. */
static int scale_int(const char *digits, size_t n, uint64_t unit,
		     uint64_t *out)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t d = (uint64_t)(digits[i] - '0');

		if (v > (DURATION_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (unit && v > DURATION_MAX / unit)
		return -ERANGE;
	*out = v * unit;
	return 0;
}

/* Fraction digits times UNIT, truncated to whole nanoseconds. */
static uint64_t scale_frac(const char *digits, size_t n, uint64_t unit)
{
	uint64_t v = 0, place = unit;

	for (size_t i = 0; i < n && place; i++) {
		place /= 10;
		v += (uint64_t)(digits[i] - '0') * place;
	}
	return v;
}

/* One <number><unit> part at *S; adds it to *TOTAL. */
static int parse_part(const char **s, uint64_t *total)
{
	const char *p = *s, *ip = p, *fp = NULL;
	size_t ni = 0, nf = 0;
	uint64_t unit, v;
	int rc;

	while (is_digit(p[ni]))
		ni++;
	p += ni;
	if (*p == '.') {
		fp = ++p;
		while (is_digit(p[nf]))
			nf++;
		p += nf;
		if (nf == 0)
			return -EINVAL;
	}
	if (ni == 0)
		return -EINVAL;
	unit = parse_unit(&p);
	if (!unit)
		return -EINVAL;
	rc = scale_int(ip, ni, unit, &v);
	if (rc < 0)
		return rc;
	v += fp ? scale_frac(fp, nf, unit) : 0;
	if (v > DURATION_MAX || v > DURATION_MAX - *total)
		return -ERANGE;
	*total += v;
	*s = p;
	return 0;
}

int zf_duration_parse(const char *s, uint64_t *ns)
{
	uint64_t total = 0;
	int rc;

	if (!s || !*s)
		return -EINVAL;
	if (strcmp(s, "0") == 0) {
		*ns = 0;
		return 0;
	}
	while (*s) {
		rc = parse_part(&s, &total);
		if (rc < 0)
			return rc;
	}
	*ns = total;
	return 0;
}

/* Append V/UNIT with its exact decimal fraction and SUFFIX at BUF+*POS. */
static void put_scaled(char *buf, size_t len, size_t *pos, uint64_t v,
		       uint64_t unit, const char *suffix)
{
	char frac[24] = "";
	uint64_t rem = v % unit;
	int n;

	if (rem) {
		size_t k = 0;

		for (uint64_t place = unit / 10; place && rem; place /= 10) {
			frac[k++] = (char)('0' + rem / place);
			rem %= place;
		}
		frac[k] = '\0';
	}
	n = snprintf(buf + *pos, len - *pos, "%llu%s%s%s",
		     (unsigned long long)(v / unit), frac[0] ? "." : "", frac,
		     suffix);
	if (n > 0)
		*pos += (size_t)n < len - *pos ? (size_t)n : len - *pos - 1;
}

void zf_duration_format(uint64_t ns, char *buf, size_t len)
{
	size_t pos = 0;

	if (!buf || len == 0)
		return;
	buf[0] = '\0';
	if (ns == 0) {
		snprintf(buf, len, "0s");
	} else if (ns < NS_PER_US) {
		put_scaled(buf, len, &pos, ns, 1, "ns");
	} else if (ns < NS_PER_MS) {
		put_scaled(buf, len, &pos, ns, NS_PER_US, "us");
	} else if (ns < NS_PER_S) {
		put_scaled(buf, len, &pos, ns, NS_PER_MS, "ms");
	} else if (ns < NS_PER_M) {
		put_scaled(buf, len, &pos, ns, NS_PER_S, "s");
	} else {
		if (ns >= NS_PER_H)
			put_scaled(buf, len, &pos, ns - ns % NS_PER_H,
				   NS_PER_H, "h");
		if (ns % NS_PER_H >= NS_PER_M)
			put_scaled(buf, len, &pos, ns % NS_PER_H -
				   ns % NS_PER_M, NS_PER_M, "m");
		if (ns % NS_PER_M)
			put_scaled(buf, len, &pos, ns % NS_PER_M, NS_PER_S,
				   "s");
	}
}
