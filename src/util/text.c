/* text.c - a growing text buffer (see text.h). */
#include "util/text.h"
#include "util/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void zf_text_add(struct zf_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		ZF_BUG("bad format '%s'", fmt);
	if (t->len + (size_t)n + 1 > t->cap) {
		t->cap = (t->len + (size_t)n + 1) * 2;
		t->s = zf_xrealloc(t->s, t->cap);
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

const char *zf_text_str(const struct zf_text *t)
{
	return t->s ? t->s : "";
}

void zf_text_reset(struct zf_text *t)
{
	t->len = 0;
	if (t->s)
		t->s[0] = '\0';
}

void zf_text_free(struct zf_text *t)
{
	free(t->s);
	t->s = NULL;
	t->len = t->cap = 0;
}
