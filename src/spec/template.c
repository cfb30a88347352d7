/* template.c - "{key}" / "{key:arg}" placeholders: check and expand. */
#include "spec/template.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/log.h"

#define TMPL_KEY_MAX 64
#define TMPL_ARG_MAX 256
#define TMPL_VALUE_MAX 4096

struct walk {
	const char *t;
	zf_tmpl_lookup_fn fn;
	void *ctx;
	char *out;             /* NULL when only checking */
	size_t outlen;
	size_t pos;            /* bytes written to out */
	char *err;
	size_t errlen;
	size_t err_offset;
};

ZF_PRINTF(4, 5)
static int w_err(struct walk *w, int rc, size_t offset, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	w->err_offset = offset;
	if (!w->err || !w->errlen)
		return rc;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	zf_fmt(w->err, w->errlen, "%s", msg);
	return rc;
}

/* Append LEN bytes of S to the output (no-op when checking). */
static int emit(struct walk *w, const char *s, size_t len, size_t at)
{
	if (!w->out)
		return 0;
	if (len >= w->outlen - w->pos)
		return w_err(w, -ENAMETOOLONG, at, "expansion is longer than "
			     "%zu bytes", w->outlen - 1);
	memcpy(w->out + w->pos, s, len);
	w->pos += len;
	w->out[w->pos] = '\0';
	return 0;
}

static int is_key_start(char c)
{
	return (c >= 'a' && c <= 'z') || c == '_';
}

static int is_key_char(char c)
{
	return is_key_start(c) || (c >= '0' && c <= '9') || c == '-';
}

/* Parse the placeholder at T[AT] == '{' into KEY and ARG; *END gets the
 * offset just past its '}'. */
static int parse_placeholder(struct walk *w, size_t at, char *key, char *arg,
			     int *has_arg, size_t *end)
{
	const char *t = w->t;
	size_t j = at + 1, k, a;

	if (!is_key_start(t[j]))
		return w_err(w, -EINVAL, at, "bad placeholder at offset %zu: "
			     "expected a name like {data} (write {{ for a "
			     "literal brace)", at);
	while (is_key_char(t[j]))
		j++;
	k = j - at - 1;
	*has_arg = t[j] == ':';
	a = *has_arg ? strcspn(t + j + 1, "{}") : 0;
	if (*has_arg)
		j += 1 + a;
	if (t[j] != '}')
		return w_err(w, -EINVAL, at, "placeholder '%.*s' at offset %zu "
			     "is not closed by '}'",
			     (int)(j - at > 40 ? 40 : j - at), t + at, at);
	if (*has_arg && a == 0)
		return w_err(w, -EINVAL, at, "empty argument in '%.*s'",
			     (int)(j - at + 1), t + at);
	if (k > TMPL_KEY_MAX || a > TMPL_ARG_MAX)
		return w_err(w, -EINVAL, at, "placeholder at offset %zu is too "
			     "long", at);
	memcpy(key, t + at + 1, k);
	key[k] = '\0';
	memcpy(arg, t + at + 2 + k, a);
	arg[a] = '\0';
	*end = j + 1;
	return 0;
}

/* Look up the placeholder at T[AT] and emit its value; *END as above. */
static int placeholder(struct walk *w, size_t at, size_t *end)
{
	char key[TMPL_KEY_MAX + 1], arg[TMPL_ARG_MAX + 1];
	char value[TMPL_VALUE_MAX + 1] = "";
	int has_arg = 0, rc;

	rc = parse_placeholder(w, at, key, arg, &has_arg, end);
	if (rc < 0)
		return rc;
	rc = w->fn(w->ctx, key, has_arg ? arg : NULL, value, sizeof(value));
	if (rc == -ENOENT)
		return w_err(w, rc, at, "unknown placeholder '%.*s'",
			     (int)(*end - at), w->t + at);
	if (rc < 0)
		return w_err(w, rc, at, "cannot expand '%.*s': %s",
			     (int)(*end - at), w->t + at, strerror(-rc));
	value[TMPL_VALUE_MAX] = '\0';
	return emit(w, value, strlen(value), at);
}

static int walk(struct walk *w)
{
	const char *t = w->t;
	size_t i = 0, end = 0;
	int rc = 0;

	if (w->out && w->outlen == 0)
		return w_err(w, -ENAMETOOLONG, 0, "no room for the expansion");
	if (w->out)
		w->out[0] = '\0';
	while (rc == 0 && t[i]) {
		if ((t[i] == '{' || t[i] == '}') && t[i + 1] == t[i]) {
			rc = emit(w, t + i, 1, i);
			i += 2;
		} else if (t[i] == '}') {
			rc = w_err(w, -EINVAL, i, "lone '}' at offset %zu "
				   "(write }} for a literal brace)", i);
		} else if (t[i] == '{') {
			rc = placeholder(w, i, &end);
			i = end;
		} else {
			size_t n = strcspn(t + i, "{}");

			rc = emit(w, t + i, n, i);
			i += n;
		}
	}
	return rc;
}

int zf_tmpl_expand(const char *tmpl, zf_tmpl_lookup_fn fn, void *ctx,
		   char *out, size_t outlen, char *err, size_t errlen,
		   size_t *err_offset)
{
	struct walk w = { .t = tmpl, .fn = fn, .ctx = ctx, .out = out,
			  .outlen = outlen, .err = err, .errlen = errlen };
	int rc = walk(&w);

	if (rc < 0 && err_offset)
		*err_offset = w.err_offset;
	return rc;
}

int zf_tmpl_check(const char *tmpl, zf_tmpl_lookup_fn fn, void *ctx,
		  char *err, size_t errlen, size_t *err_offset)
{
	struct walk w = { .t = tmpl, .fn = fn, .ctx = ctx, .err = err,
			  .errlen = errlen };
	int rc = walk(&w);

	if (rc < 0 && err_offset)
		*err_offset = w.err_offset;
	return rc;
}
