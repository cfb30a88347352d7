#include "util/mem.h"
#include "util/log.h"

#include <stdlib.h>
#include <string.h>

void *zf_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		ZF_BUG("out of memory allocating %zu bytes", n);
	return p;
}

void *zf_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		ZF_BUG("out of memory allocating %zu x %zu bytes", nmemb, size);
	return p;
}

void *zf_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		ZF_BUG("out of memory reallocating %zu bytes", n);
	return q;
}

char *zf_xstrdup(const char *s)
{
	return zf_xstrndup(s, strlen(s));
}

char *zf_xstrndup(const char *s, size_t n)
{
	char *p = zf_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void zf_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

size_t zf_strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

char **zf_strv_dup(char *const *v)
{
	size_t n = zf_strv_len(v);
	char **out;

	if (!v)
		return NULL;
	out = zf_xcalloc(n + 1, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i] = zf_xstrdup(v[i]);
	return out;
}
