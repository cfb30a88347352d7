/* scenario_incident.c - a scenario's "incident" block, converted from the
 * YAML tree to JSON as written: mappings, lists, and scalars as numbers
 * (plain JSON numbers), true/false/null (plain words) or strings. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spec/scenario_load.h"

/* Is S (plain) a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int is_json_number(const char *s)
{
	size_t i = s[0] == '-', d;

	d = strspn(s + i, "0123456789");
	if (d == 0 || (d > 1 && s[i] == '0'))
		return 0;
	i += d;
	if (s[i] == '.') {
		d = strspn(s + i + 1, "0123456789");
		if (d == 0)
			return 0;
		i += 1 + d;
	}
	if (s[i] == 'e' || s[i] == 'E') {
		i += 1 + (s[i + 1] == '+' || s[i + 1] == '-');
		d = strspn(s + i, "0123456789");
		if (d == 0)
			return 0;
		i += d;
	}
	return s[i] == '\0';
}

/* A JSON number for S (is_json_number), or NULL when it does not fit. */
static json_t *number(const char *s)
{
	char *end;
	double d;

	if (!strpbrk(s, ".eE")) {
		long long v;

		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno == 0 && *end == '\0')
			return json_integer(v);
	}
	d = strtod(s, &end);
	return isfinite(d) ? json_real(d) : NULL;
}

/* The JSON value of scalar N, or NULL if its text is not valid UTF-8. */
static json_t *scalar(const struct zf_ynode *n)
{
	json_t *v = NULL;

	if (n->plain && zf_ynode_is_null(n))
		return json_null();
	if (n->plain && strcmp(n->str, "true") == 0)
		return json_true();
	if (n->plain && strcmp(n->str, "false") == 0)
		return json_false();
	if (n->plain && is_json_number(n->str))
		v = number(n->str);
	return v ? v : json_stringn(n->str, n->len);
}

/* N and everything under it into a new *OUT (depth is capped by the YAML
 * tree). */
static int to_json(struct zf_sl *sl, const struct zf_ynode *n, json_t **out)
{
	json_t *v, *kid = NULL;
	int rc = 0;

	if (n->kind == ZF_YSCALAR) {
		*out = scalar(n);
		return *out ? 0 : zf_sc_err(&sl->sc, n->mark, "text in "
					    "'incident' is not valid UTF-8");
	}
	v = n->kind == ZF_YMAP ? json_object() : json_array();
	for (size_t i = 0; rc == 0 && i < n->n; i++) {
		const struct zf_ynode *k = n->kind == ZF_YMAP ?
					   zf_ymap_key(n, i) : NULL;

		rc = to_json(sl, k ? zf_ymap_val(n, i) : n->kids[i], &kid);
		if (rc == 0 && !k)
			json_array_append_new(v, kid);
		else if (rc == 0 && json_object_set_new(v, k->str, kid) < 0)
			rc = zf_sc_err(&sl->sc, k->mark, "key in 'incident' is "
				       "not valid UTF-8");
	}
	if (rc < 0)
		json_decref(v);
	else
		*out = v;
	return rc;
}

int zf_sl_incident(struct zf_sl *sl, const struct zf_ynode *n)
{
	int rc = zf_sc_mapping(&sl->sc, n, "'incident'");

	if (rc == 0)
		rc = to_json(sl, n, &sl->s->incident);
	return rc;
}
