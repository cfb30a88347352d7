/* rj.c - defensive accessors and constructors for the run record. */
#include "report/rj.h"
#include "report/esc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

const char *rj_str(const json_t *o, const char *key)
{
	const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *rj_str_or(const json_t *o, const char *key, const char *def)
{
	const char *s = rj_str(o, key);

	return s ? s : def;
}

int rj_num(const json_t *o, const char *key, double *v)
{
	const json_t *j = json_is_object(o) ? json_object_get(o, key) : NULL;
	double d;

	if (!json_is_number(j))
		return 0;
	d = json_number_value(j);
	if (!isfinite(d))
		return 0;
	*v = d;
	return 1;
}

double rj_num_or(const json_t *o, const char *key, double def)
{
	double v;

	return rj_num(o, key, &v) ? v : def;
}

json_t *rj_arr(const json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return json_is_array(v) ? v : NULL;
}

json_t *rj_obj(const json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return json_is_object(v) ? v : NULL;
}

int rj_bool(const json_t *o, const char *key)
{
	const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	if (!json_is_boolean(v))
		return -1;
	return json_is_true(v);
}

int rj_at_num(const json_t *a, size_t i, double *v)
{
	const json_t *j = json_is_array(a) ? json_array_get(a, i) : NULL;
	double d;

	if (!json_is_number(j))
		return 0;
	d = json_number_value(j);
	if (!isfinite(d))
		return 0;
	*v = d;
	return 1;
}

json_t *rj_string(const char *s)
{
	json_t *j;
	char *clean;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	clean = esc_utf8_clean(s);
	j = json_string(clean);
	free(clean);
	return j ? j : json_string("?");
}

json_t *rj_stringn(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	char *copy = zf_xstrndup(s, n);
	json_t *j = rj_string(copy);

	free(copy);
	return j;
}

json_t *rj_string_or_null(const char *s)
{
	return s && *s ? rj_string(s) : json_null();
}

double rj_ns_to_s(uint64_t ns)
{
	return (double)((ns + 500) / 1000) / 1e6;
}

double rj_ns_to_ms(uint64_t ns)
{
	return (double)((ns + 500) / 1000) / 1e3;
}

json_t *rj_secs(uint64_t ns)
{
	return json_real(rj_ns_to_s(ns));
}

double rj_round(double v, int decimals)
{
	static const double scale[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
					1e7, 1e8, 1e9 };
	double m;

	if (!isfinite(v) || decimals < 0 || decimals > 9)
		return v;
	m = scale[decimals];
	if (fabs(v) * m >= 9e15)       /* beyond exact integers: as it is */
		return v;
	return round(v * m) / m;
}

double rj_percent(uint64_t good, uint64_t n)
{
	if (n == 0)
		return 0;
	if (good > UINT64_MAX / 1000000u)   /* would overflow: use floating point */
		return floor((double)good / (double)n * 1e6) / 1e4;
	return (double)(good * 1000000u / n) / 1e4;
}

void rj_set(json_t *o, const char *key, json_t *v)
{
	if (v)
		json_object_set_new(o, key, v);
}
