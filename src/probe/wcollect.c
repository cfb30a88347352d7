/* wcollect.c - an http-write collection into values (wcollect.h): a JSON
 * array read with jansson, or lines. */
#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "probe/wcollect.h"
#include "util/log.h"

/* The value of element E of the array: 1 with *V and *N, 0 to skip it,
 * -EBADMSG for another shape. */
static int element(json_t *e, const char **v, size_t *n)
{
	json_t *s = e;

	if (json_is_object(e)) {
		const char *type = json_string_value(json_object_get(e, "type"));

		if (type && !strcmp(type, "directory"))
			return 0;
		s = json_object_get(e, "value");
		if (!json_is_string(s))
			s = json_object_get(e, "name");
	}
	if (!json_is_string(s))
		return -EBADMSG;
	*v = json_string_value(s);
	*n = json_string_length(s);
	return 1;
}

static int from_json(const char *body, size_t len, zf_wvalue_fn fn,
		     void *ctx, char *err, size_t errlen)
{
	json_error_t je;
	json_t *a = json_loadb(body, len, JSON_ALLOW_NUL, &je), *e;
	size_t i;
	int rc = 0;

	if (!a || !json_is_array(a)) {
		zf_fmt(err, errlen, "the collection is not a JSON array: %s "
		       "(line %d, column %d)", a ? "another value" : je.text,
		       je.line, je.column);
		json_decref(a);
		return -EBADMSG;
	}
	json_array_foreach(a, i, e) {
		const char *v;
		size_t n;
		int k = element(e, &v, &n);

		if (k < 0) {
			zf_fmt(err, errlen, "element %zu of the collection is "
			       "neither a string nor an object with a string "
			       "\"value\" or \"name\"", i);
			rc = k;
		} else if (k > 0) {
			rc = fn(ctx, v, n);
		}
		if (rc < 0)
			break;
	}
	json_decref(a);
	return rc;
}

static int from_lines(const char *body, size_t len, zf_wvalue_fn fn,
		      void *ctx)
{
	const char *p = body, *end = body + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		int rc;

		if (n && p[n - 1] == '\r')
			n--;
		if (n && (rc = fn(ctx, p, n)) < 0)
			return rc;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

int zf_wcollect_parse(const char *body, size_t len, zf_wvalue_fn fn,
		      void *ctx, char *err, size_t errlen)
{
	size_t i = 0;

	if (len > ZF_WCOLLECT_MAX) {
		zf_fmt(err, errlen, "the collection is larger than %u bytes",
		       ZF_WCOLLECT_MAX);
		return -EMSGSIZE;
	}
	while (i < len && strchr(" \t\r\n", body[i]) && body[i])
		i++;
	if (i < len && body[i] == '[')
		return from_json(body, len, fn, ctx, err, errlen);
	return from_lines(body, len, fn, ctx);
}
