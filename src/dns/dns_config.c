/* dns_config.c - reading the DNS config file (see dns_config.h for the
 * grammar): caps, lines, words, then the checks between records. Every
 * error names FILE:LINE and what was expected; nothing is kept from a file
 * with an error. */
#include "dns/dns_config.h"
#include "dns/dns_config_int.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int zf_dns_perr(struct zf_dns_parse *ps, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "%s:%u: %s", ps->file, ps->line, msg);
	return -EINVAL;
}

/* Split LINE (NUL-terminated, modified in place) into words; a word that
 * starts with '#' ends the line. Returns the count, or -1 if too many. */
static int split_words(char *line, char **words)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			return n;
		if (n == ZF_DNS_MAX_WORDS)
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
static int check_line_bytes(struct zf_dns_parse *ps, const char *s, size_t n)
{
	bool in_comment = false, at_word_start = true;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0')
			return zf_dns_perr(ps, "unexpected NUL byte");
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
			return zf_dns_perr(ps, "unexpected byte 0x%02x in "
					   "column %zu (words are printable "
					   "ASCII)", c, i + 1);
	}
	return 0;
}

/* LINE holds N bytes, checked by check_line_bytes(). */
static int parse_line(struct zf_dns_parse *ps, char *line, size_t n)
{
	char *w[ZF_DNS_MAX_WORDS];
	int nw;

	if (n > 0 && line[n - 1] == '\r')
		line[n - 1] = '\0';
	nw = split_words(line, w);
	if (nw < 0)
		return zf_dns_perr(ps, "expected at most %d words",
				   ZF_DNS_MAX_WORDS);
	return nw == 0 ? 0 : zf_dns_parse_words(ps, w, nw);
}

static int parse_all(struct zf_dns_parse *ps, const char *buf, size_t len)
{
	size_t off = 0;
	int rc = 0;

	while (off < len && rc == 0) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (buf + off)) : len - off;
		char *line;

		ps->line++;
		if (ps->line > ZF_DNS_MAX_LINES)
			return zf_dns_perr(ps, "expected at most %d lines",
					   ZF_DNS_MAX_LINES);
		/* Bytes first: after this the line holds no NUL. */
		rc = check_line_bytes(ps, buf + off, n);
		if (rc < 0)
			return rc;
		line = zf_xstrndup(buf + off, n);
		rc = parse_line(ps, line, n);
		free(line);
		off += n + 1;
	}
	return rc;
}

int zf_dns_config_parse(const char *file, const char *buf, size_t len,
			struct zf_dns_config *out, char *err, size_t errlen)
{
	struct zf_dns_parse ps = {
		.file = file, .cfg = out, .err = err, .errlen = errlen,
	};
	int rc;

	zf_dns_config_init(out);
	if (len > ZF_DNS_MAX_FILE) {
		snprintf(err, errlen, "%s: expected at most %u bytes", file,
			 ZF_DNS_MAX_FILE);
		return -EINVAL;
	}
	rc = parse_all(&ps, buf, len);
	if (rc == 0)
		rc = zf_dns_config_check(out, file, err, errlen);
	if (rc < 0)
		zf_dns_config_free(out);
	return rc;
}

int zf_dns_config_load(const char *path, struct zf_dns_config *out,
		       char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	zf_dns_config_init(out);
	rc = zf_read_file(path, ZF_DNS_MAX_FILE, &buf, &len);
	if (rc == -EFBIG) {
		snprintf(err, errlen, "%s: expected at most %u bytes", path,
			 ZF_DNS_MAX_FILE);
		return -EINVAL;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = zf_dns_config_parse(path, buf, len, out, err, errlen);
	free(buf);
	return rc;
}
