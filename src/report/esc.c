/* esc.c - escaping for HTML/XML, Markdown and terminals. */
#include "report/esc.h"

#include <string.h>

#include "util/mem.h"

size_t esc_utf8_next(const char *str, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2; c = s[0] & 0x1f; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3; c = s[0] & 0x0f; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4; c = s[0] & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)    /* also stops at the NUL */
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

char *esc_utf8_clean(const char *s)
{
	size_t len = strlen(s), i = 0, o = 0;
	char *r = zf_xmalloc(len + 1);
	uint32_t cp;

	while (s[i]) {
		size_t n = esc_utf8_next(s + i, &cp);

		if (n == 0) {
			r[o++] = '?';
			i++;
			continue;
		}
		memcpy(r + o, s + i, n);
		o += n;
		i += n;
	}
	r[o] = '\0';
	return r;
}

/* Characters XML 1.0 allows (the rest print as '?'). */
static int xml_char_ok(uint32_t cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\r';
	if (cp >= 0x7f && cp <= 0x9f)    /* allowed, but never meant in a report */
		return 0;
	return cp != 0xfffe && cp != 0xffff;
}

void esc_xml(FILE *out, const char *s)
{
	uint32_t cp;

	if (!s)
		return;
	while (*s) {
		size_t n = esc_utf8_next(s, &cp);

		if (n == 0 || !xml_char_ok(cp)) {
			fputc('?', out);
			s += n ? n : 1;
			continue;
		}
		switch (cp) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		case '\t': fputs("&#9;", out); break;
		case '\n': fputs("&#10;", out); break;
		case '\r': fputs("&#13;", out); break;
		default: fwrite(s, 1, n, out); break;
		}
		s += n;
	}
}

void esc_md(FILE *out, const char *s)
{
	/* what can start markup inside a table cell: emphasis, code, links,
	 * HTML, entities, strikethrough, math, the cell separator */
	static const char special[] = "\\`*_[]<>|&~$";
	uint32_t cp;

	if (!s || !*s) {
		fputc('-', out);
		return;
	}
	while (*s) {
		size_t n = esc_utf8_next(s, &cp);

		if (n == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			fputc(n == 0 ? '?' : ' ', out);
			s += n ? n : 1;
			continue;
		}
		if (cp < 0x80 && strchr(special, (int)cp))
			fputc('\\', out);
		fwrite(s, 1, n, out);
		s += n;
	}
}

size_t esc_term(FILE *out, const char *s, size_t maxcols)
{
	size_t cols = 0;
	uint32_t cp;

	if (!s || maxcols == 0)
		return 0;
	while (*s) {
		size_t n = esc_utf8_next(s, &cp);
		int bad = n == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);

		if (cols + 1 == maxcols && s[n ? n : 1] != '\0') {
			if (out)
				fputc('~', out);
			return cols + 1;
		}
		if (out && bad)
			fputc('?', out);
		else if (out)
			fwrite(s, 1, n, out);
		cols++;
		s += n ? n : 1;
	}
	return cols;
}
