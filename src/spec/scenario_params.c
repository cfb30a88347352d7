/* scenario_params.c - a scenario's parameters, their --set overrides, and
 * reading string values through "{param}" expansion: plain text, durations
 * (optionally time-scaled), numbers, integers and names. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/duration.h"
#include "spec/scenario_load.h"
#include "spec/template.h"
#include "util/log.h"
#include "util/mem.h"

#define NAMES_MAX 512         /* the parameter list quoted in messages */

/* "zone, outage" (or "none") of the declared parameters, for messages. */
static void param_names(json_t *params, char *buf, size_t len)
{
	const char *key;
	json_t *val;
	size_t pos = 0;

	buf[0] = '\0';
	json_object_foreach(params, key, val) {
		int w = snprintf(buf + pos, len - pos, "%s%s", pos ? ", " : "",
				 key);

		if (w < 0 || (size_t)w >= len - pos)
			break;
		pos += (size_t)w;
	}
	if (pos == 0)
		zf_fmt(buf, len, "none");
}

static int is_param_name(const char *s, size_t len)
{
	if (len == 0 || len > ZF_NAME_MAX ||
	    !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')
		      || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

/* One "NAME: value" of "params:". */
static int parse_param(struct zf_sl *sl, const struct zf_ynode *k,
		       const struct zf_ynode *v)
{
	json_t *str;

	if (!is_param_name(k->str, k->len))
		return zf_sc_err(&sl->sc, k->mark, "invalid parameter name "
				 "'%.64s': use lowercase letters, digits, '-' "
				 "and '_', starting with a letter or '_', at "
				 "most %d characters", k->str, ZF_NAME_MAX);
	if (v->kind != ZF_YSCALAR || zf_ynode_is_null(v))
		return zf_sc_err(&sl->sc, v->mark, "expected a value (a string "
				 "or a number) for parameter '%s', got %s",
				 k->str, zf_ynode_is_null(v) ? "nothing" :
				 zf_ynode_kind_name(v));
	if (v->len > ZF_SCN_PARAM_MAX)
		return zf_sc_err(&sl->sc, v->mark, "the value of parameter "
				 "'%s' is longer than %d bytes", k->str,
				 ZF_SCN_PARAM_MAX);
	str = json_stringn(v->str, v->len);
	if (!str)
		return zf_sc_err(&sl->sc, v->mark, "the value of parameter "
				 "'%s' is not valid UTF-8", k->str);
	json_object_set_new(sl->s->params, k->str, str);
	return 0;
}

ZF_PRINTF(4, 5)
static int set_err(struct zf_sl *sl, const char *key, size_t keylen,
		   const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!sl->sc.err || !sl->sc.errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	zf_fmt(sl->sc.err, sl->sc.errlen, "--set %.*s: %s",
	       (int)(keylen > 64 ? 64 : keylen), key, msg);
	return -EINVAL;
}

/* One --set "KEY=VALUE": KEY must be a declared parameter. */
static int apply_set(struct zf_sl *sl, const char *set)
{
	const char *eq = strchr(set, '=');
	size_t klen = eq ? (size_t)(eq - set) : strlen(set);
	char key[ZF_NAME_MAX + 1], names[NAMES_MAX];
	json_t *str;

	if (!eq || klen == 0)
		return set_err(sl, set, klen, "expected KEY=VALUE");
	param_names(sl->s->params, names, sizeof(names));
	if (klen > ZF_NAME_MAX)
		return set_err(sl, set, klen, "the scenario has no parameter "
			       "'%.*s' (it has: %s)", (int)klen, set, names);
	memcpy(key, set, klen);
	key[klen] = '\0';
	if (!json_object_get(sl->s->params, key))
		return set_err(sl, set, klen, "the scenario has no parameter "
			       "'%s' (it has: %s)", key, names);
	if (strlen(eq + 1) > ZF_SCN_PARAM_MAX)
		return set_err(sl, set, klen, "value longer than %d bytes",
			       ZF_SCN_PARAM_MAX);
	str = json_string(eq + 1);
	if (!str)
		return set_err(sl, set, klen, "value is not valid UTF-8");
	json_object_set_new(sl->s->params, key, str);
	return 0;
}

int zf_sl_params(struct zf_sl *sl, const struct zf_ynode *m,
		 char *const *sets)
{
	int rc = 0;

	sl->s->params = json_object();
	if (!zf_sc_absent(m)) {
		rc = zf_sc_mapping(&sl->sc, m, "'params'");
		if (rc == 0 && m->n > ZF_SCN_MAX_PARAMS)
			rc = zf_sc_err(&sl->sc,
				       zf_ymap_key(m, ZF_SCN_MAX_PARAMS)->mark,
				       "more than %d parameters in 'params'",
				       ZF_SCN_MAX_PARAMS);
		for (size_t i = 0; rc == 0 && i < m->n; i++)
			rc = parse_param(sl, zf_ymap_key(m, i),
					 zf_ymap_val(m, i));
	}
	for (size_t i = 0; rc == 0 && sets && sets[i]; i++)
		rc = apply_set(sl, sets[i]);
	return rc;
}

/* zf_tmpl_lookup_fn over the parameters (CTX, a JSON object); parameters
 * take no ":arg". */
static int param_lookup(void *ctx, const char *key, const char *arg,
			char *out, size_t outlen)
{
	json_t *v = arg ? NULL : json_object_get(ctx, key);
	size_t len;

	if (!v)
		return -ENOENT;
	len = json_string_length(v);
	if (len >= outlen)
		return -ENAMETOOLONG;
	memcpy(out, json_string_value(v), len + 1);
	return 0;
}

int zf_sl_text(struct zf_sl *sl, const struct zf_ynode *n, const char *what,
	       const char **out)
{
	char msg[512], names[NAMES_MAX];
	size_t off = 0;
	int rc = zf_sc_string(&sl->sc, n, what);

	if (rc < 0)
		return rc;
	if (zf_ynode_is_null(n))
		return zf_sc_err(&sl->sc, n->mark, "expected a value for %s, "
				 "got nothing", what);
	rc = zf_tmpl_expand(n->str, param_lookup, sl->s->params, sl->text,
			    ZF_SCN_TEXT_MAX + 1, msg, sizeof(msg), &off);
	if (rc == -ENOENT) {
		size_t len = strcspn(n->str + off, "}") + 1;

		param_names(sl->s->params, names, sizeof(names));
		return zf_sc_err(&sl->sc, n->mark, "unknown parameter '%.*s' "
				 "in %s (the scenario has: %s)",
				 (int)(len > 64 ? 64 : len), n->str + off, what,
				 names);
	}
	if (rc == -ENAMETOOLONG)
		return zf_sc_err(&sl->sc, n->mark, "%s is longer than %u bytes "
				 "once expanded", what, ZF_SCN_TEXT_MAX);
	if (rc < 0)
		return zf_sc_err(&sl->sc, n->mark, "%s in %s", msg, what);
	*out = sl->text;
	return 0;
}

int zf_sl_strdup(struct zf_sl *sl, const struct zf_ynode *n,
		 const char *what, char **out)
{
	const char *t;
	int rc = zf_sl_text(sl, n, what, &t);

	if (rc == 0)
		*out = zf_xstrdup(t);
	return rc;
}

/* NS divided by SCALE (>= 1), rounded; a non-zero NS stays non-zero. */
static uint64_t scale_ns(uint64_t ns, double scale)
{
	long double v;

	if (scale == 1.0 || ns == 0)
		return ns;
	v = roundl((long double)ns / (long double)scale);
	return v < 1.0L ? 1 : (uint64_t)v;
}

int zf_sl_duration(struct zf_sl *sl, const struct zf_ynode *n,
		   const char *what, int scaled, uint64_t *ns)
{
	const char *t;
	uint64_t v;
	int rc = zf_sl_text(sl, n, what, &t);

	if (rc < 0)
		return rc;
	rc = zf_duration_parse(t, &v);
	if (rc == -ERANGE)
		return zf_sc_err(&sl->sc, n->mark, "duration '%.64s' for %s is "
				 "too long", t, what);
	if (rc < 0)
		return zf_sc_err(&sl->sc, n->mark, "expected a duration like "
				 "250ms, 1.5s, 2m for %s, got '%.64s'", what, t);
	*ns = scaled ? scale_ns(v, sl->s->time_scale) : v;
	return 0;
}

int zf_sl_number(struct zf_sl *sl, const struct zf_ynode *n,
		 const char *what, double *out)
{
	const char *t;
	char *end = NULL;
	double v = 0;
	int rc = zf_sl_text(sl, n, what, &t);

	if (rc < 0)
		return rc;
	if (t[0] && strspn(t, "0123456789.eE+-") == strlen(t))
		v = strtod(t, &end);
	if (!end || *end || end == t || !isfinite(v))
		return zf_sc_err(&sl->sc, n->mark, "expected a number for %s, "
				 "got '%.64s'", what, t);
	*out = v;
	return 0;
}

int zf_sl_integer(struct zf_sl *sl, const struct zf_ynode *n,
		  const char *what, long long min, long long max,
		  long long *out)
{
	const char *t;
	long long v = 0;
	int rc = zf_sl_text(sl, n, what, &t), bad;

	if (rc < 0)
		return rc;
	bad = !t[0];
	for (const char *p = t; *p && !bad; p++) {
		int d = *p - '0';

		bad = d < 0 || d > 9 || v > (max - d) / 10;
		v = bad ? v : v * 10 + d;
	}
	if (bad || v < min || v > max)
		return zf_sc_err(&sl->sc, n->mark, "expected an integer from "
				 "%lld to %lld for %s, got '%.64s'", min, max,
				 what, t);
	*out = v;
	return 0;
}

int zf_sl_name(struct zf_sl *sl, const struct zf_ynode *n, const char *item,
	       const char *what, char out[ZF_NAME_MAX + 1])
{
	const char *t;
	size_t len;
	int rc = zf_sl_text(sl, n, what, &t);

	if (rc < 0)
		return rc;
	len = strlen(t);
	if (len == 0 || len > ZF_NAME_MAX)
		return zf_sc_err(&sl->sc, n->mark, "expected a %s name of 1 to "
				 "%d characters for %s, got '%.64s'", item,
				 ZF_NAME_MAX, what, t);
	for (size_t i = 0; i < len; i++) {
		char c = t[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (i > 0 && (c == '-' || c == '_')))
			continue;
		return zf_sc_err(&sl->sc, n->mark, "invalid %s name '%s' for "
				 "%s: use lowercase letters, digits, '-' and "
				 "'_', starting with a letter or digit", item, t,
				 what);
	}
	memcpy(out, t, len + 1);
	return 0;
}
