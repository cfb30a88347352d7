/* wordfile.c - line-and-word config files (see wordfile.h). */
#include "util/wordfile.h"
#include "util/mem.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int zf_wordfile_err(struct zf_wordfile *wf, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(wf->err, wf->errlen, "%s:%u: %s", wf->file, wf->line, msg);
	return -EINVAL;
}

/* Split LINE (NUL-terminated, modified in place) into words; a word that
 * starts with '#' ends the line. Returns the count, or -1 if too many. */
static int split_words(char *line, char **words, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			return n;
		if (n == max)
			return -1;
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

/* Check the bytes of one line before it is split: words may only hold
 * printable ASCII; a comment may hold anything but NUL. */
static int check_line_bytes(struct zf_wordfile *wf, const char *s, size_t n)
{
	bool in_comment = false, at_word_start = true;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0')
			return zf_wordfile_err(wf, "unexpected NUL byte");
		if (in_comment)
			continue;
		if (c == '#' && at_word_start) {
			in_comment = true;
			continue;
		}
		at_word_start = c == ' ' || c == '\t';
		if (c == '\r' && i + 1 == n)
			continue;
		if (!at_word_start && (c < 0x21 || c > 0x7e))
			return zf_wordfile_err(wf, "unexpected byte 0x%02x in column %zu "
				    "(words are printable ASCII)", c, i + 1);
	}
	return 0;
}

/* LINE holds N bytes, checked by check_line_bytes(). */
static int parse_line(struct zf_wordfile *wf, char *line, size_t n,
		      zf_wordfile_fn fn, void *ctx)
{
	char *w[ZF_WORDFILE_MAX_WORDS];
	int max = wf->max_words > 0 && wf->max_words < ZF_WORDFILE_MAX_WORDS ?
		  wf->max_words : ZF_WORDFILE_MAX_WORDS, nw;

	if (n > 0 && line[n - 1] == '\r')
		line[n - 1] = '\0';
	nw = split_words(line, w, max);
	if (nw < 0)
		return zf_wordfile_err(wf, "expected at most %d words", max);
	return nw == 0 ? 0 : fn(wf, w, nw, ctx);
}

int zf_wordfile_parse(struct zf_wordfile *wf, const char *buf, size_t len,
		      zf_wordfile_fn fn, void *ctx)
{
	size_t off = 0;
	int rc = 0;

	while (off < len && rc == 0) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (buf + off)) : len - off;
		char *line;

		wf->line++;
		if (wf->line > wf->max_lines)
			return zf_wordfile_err(wf, "expected at most %u lines",
					       wf->max_lines);
		/* Bytes first: after this the line holds no NUL. */
		rc = check_line_bytes(wf, buf + off, n);
		if (rc < 0)
			return rc;
		line = zf_xstrndup(buf + off, n);
		rc = parse_line(wf, line, n, fn, ctx);
		free(line);
		off += n + 1;
	}
	return rc;
}
