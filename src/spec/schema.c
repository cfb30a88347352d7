/* schema.c - typed reading of a YAML tree with positioned errors. */
#include "spec/schema.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/duration.h"

int zf_sc_err(const struct zf_schema *sc, struct zf_mark at,
	      const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!sc->err || !sc->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (at.line > 0)
		zf_fmt(sc->err, sc->errlen, "%s:%d:%d: %s", sc->file, at.line,
		       at.col, msg);
	else
		zf_fmt(sc->err, sc->errlen, "%s: %s", sc->file, msg);
	return -EINVAL;
}

int zf_sc_absent(const struct zf_ynode *n)
{
	return !n || zf_ynode_is_null(n);
}

int zf_sc_mapping(const struct zf_schema *sc, const struct zf_ynode *n,
		  const char *what)
{
	if (n->kind == ZF_YMAP)
		return 0;
	return zf_sc_err(sc, n->mark, "expected a mapping for %s, got %s",
			 what, zf_ynode_kind_name(n));
}

int zf_sc_string(const struct zf_schema *sc, const struct zf_ynode *n,
		 const char *what)
{
	if (n->kind == ZF_YSCALAR)
		return 0;
	return zf_sc_err(sc, n->mark, "expected a string for %s, got %s",
			 what, zf_ynode_kind_name(n));
}

/* "a, b, c" of the allowed keys, for messages. */
static void field_names(const struct zf_sc_field *f, size_t n, char *buf,
			size_t len)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && pos < len; i++) {
		int w = snprintf(buf + pos, len - pos, "%s%s", i ? ", " : "",
				 f[i].name);

		if (w < 0)
			break;
		pos += (size_t)w;
	}
}

int zf_sc_fields(const struct zf_schema *sc, const struct zf_ynode *m,
		 const char *what, struct zf_sc_field *fields, size_t n)
{
	char allowed[512];
	int rc = zf_sc_mapping(sc, m, what);

	for (size_t f = 0; f < n; f++)
		fields[f].key = fields[f].val = NULL;
	for (size_t i = 0; rc == 0 && i < m->n; i++) {
		const struct zf_ynode *k = zf_ymap_key(m, i);
		size_t f = 0;

		while (f < n && strcmp(fields[f].name, k->str) != 0)
			f++;
		if (f < n) {
			fields[f].key = k;
			fields[f].val = zf_ymap_val(m, i);
			continue;
		}
		field_names(fields, n, allowed, sizeof(allowed));
		rc = zf_sc_err(sc, k->mark, "unknown key '%.64s' in %s; "
			       "allowed: %s", k->str, what, allowed);
	}
	return rc;
}

int zf_sc_require(const struct zf_schema *sc, const struct zf_ynode *m,
		  const char *what, const struct zf_sc_field *f)
{
	if (f->val)
		return 0;
	return zf_sc_err(sc, m->mark, "missing key '%s' in %s", f->name,
			 what);
}

static int is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int zf_sc_name(const struct zf_schema *sc, const struct zf_ynode *n,
	       const char *what, char out[ZF_NAME_MAX + 1])
{
	int rc = zf_sc_string(sc, n, what);

	if (rc < 0)
		return rc;
	if (n->len == 0)
		return zf_sc_err(sc, n->mark, "empty %s name", what);
	if (n->len > ZF_NAME_MAX)
		return zf_sc_err(sc, n->mark, "%s name '%.64s' is longer than "
				 "%d characters", what, n->str, ZF_NAME_MAX);
	for (size_t i = 0; i < n->len; i++) {
		char c = n->str[i];

		if (is_name_start(c) || (i > 0 && (c == '-' || c == '_')))
			continue;
		return zf_sc_err(sc, n->mark, "invalid %s name '%s': use "
				 "lowercase letters, digits, '-' and '_', "
				 "starting with a letter or digit", what,
				 n->str);
	}
	memcpy(out, n->str, n->len + 1);
	return 0;
}

/* Error if item I of list N repeats an earlier one. */
static int check_repeat(const struct zf_schema *sc, const struct zf_ynode *n,
			size_t i, const char *what)
{
	const struct zf_ynode *it = zf_sc_item(n, i);

	for (size_t j = 0; j < i; j++)
		if (strcmp(zf_sc_item(n, j)->str, it->str) == 0)
			return zf_sc_err(sc, it->mark, "'%s' is listed twice "
					 "in %s", it->str, what);
	return 0;
}

int zf_sc_name_list(const struct zf_schema *sc, const struct zf_ynode *n,
		    const char *item, const char *what, int allow_one,
		    size_t max, size_t *count)
{
	char name[ZF_NAME_MAX + 1];
	size_t len;
	int rc = 0;

	if (n->kind == ZF_YMAP || (n->kind == ZF_YSCALAR &&
				   (!allow_one || zf_ynode_is_null(n))))
		return zf_sc_err(sc, n->mark, "expected a list of names for "
				 "%s, got %s", what, zf_ynode_kind_name(n));
	len = n->kind == ZF_YSEQ ? n->n : 1;
	if (len == 0)
		return zf_sc_err(sc, n->mark, "empty list for %s: expected "
				 "at least one name", what);
	for (size_t i = 0; rc == 0 && i < len; i++) {
		if (i == max)
			return zf_sc_err(sc, zf_sc_item(n, i)->mark, "more "
					 "than %zu %ss in %s", max, item, what);
		rc = zf_sc_name(sc, zf_sc_item(n, i), item, name);
		if (rc == 0)
			rc = check_repeat(sc, n, i, what);
	}
	if (rc == 0)
		*count = len;
	return rc;
}

int zf_sc_duration(const struct zf_schema *sc, const struct zf_ynode *n,
		   const char *what, uint64_t *ns)
{
	int rc = zf_sc_string(sc, n, what);

	if (rc < 0)
		return rc;
	rc = zf_duration_parse(n->str, ns);
	if (rc == -ERANGE)
		return zf_sc_err(sc, n->mark, "duration '%.64s' for %s is too "
				 "long", n->str, what);
	if (rc < 0)
		return zf_sc_err(sc, n->mark, "expected a duration like 250ms, "
				 "1.5s, 2m, got '%.64s'", n->str);
	return 0;
}

int zf_sc_port(const struct zf_schema *sc, const struct zf_ynode *n,
	       const char *what, int *port)
{
	long v = 0;
	int rc = zf_sc_string(sc, n, what);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n->len && v <= 65535; i++) {
		if (n->str[i] < '0' || n->str[i] > '9') {
			v = -1;
			break;
		}
		v = v * 10 + (n->str[i] - '0');
	}
	if (n->len == 0 || v < 1 || v > 65535)
		return zf_sc_err(sc, n->mark, "expected a port number 1..65535 "
				 "for %s, got '%.64s'", what, n->str);
	*port = (int)v;
	return 0;
}
