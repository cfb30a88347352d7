/* linkem_config.c - parsing the link emulator's config file (see
 * linkem_config.h for the grammar). Every error names FILE:LINE and what
 * was expected; nothing is kept from a file with an error. */
#include "net/linkem_config.h"
#include "net/linkem_config_int.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 32

struct parse_state {
	const char *file;
	unsigned line;
	struct zf_lk_config *cfg;
	char *err;
	size_t errlen;
};

ZF_PRINTF(2, 3)
static int perr(struct parse_state *ps, const char *fmt, ...)
{
	char msg[256];
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
		if (n == MAX_WORDS)
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
static int check_line_bytes(struct parse_state *ps, const char *s, size_t n)
{
	bool in_comment = false, at_word_start = true;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0')
			return perr(ps, "unexpected NUL byte");
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
			return perr(ps, "unexpected byte 0x%02x in column %zu "
				    "(words are printable ASCII)", c, i + 1);
	}
	return 0;
}

static int parse_queue(struct parse_state *ps, char **w, int n)
{
	uint64_t id, num;
	char msg[256];

	if (n != 4)
		return perr(ps, "expected 'queue ID NETNS_PATH NUM' (%d words "
			    "found)", n);
	if (zf_lk_parse_u64(w[1], ZF_LK_MAX_QUEUE_ID, &id) < 0)
		return perr(ps, "expected a queue ID 0..%u, found '%.40s'",
			    ZF_LK_MAX_QUEUE_ID, w[1]);
	if (zf_lk_parse_u64(w[3], 65535, &num) < 0)
		return perr(ps, "expected a queue number 0..65535, found "
			    "'%.40s'", w[3]);
	if (zf_lk_config_add_queue(ps->cfg, (uint32_t)id, w[2], (uint16_t)num,
				   msg, sizeof(msg)) < 0)
		return perr(ps, "%s", msg);
	ps->cfg->queues[ps->cfg->nqueues - 1].line = ps->line;
	return 0;
}

static int parse_link(struct parse_state *ps, char **w, int n)
{
	struct zf_lk_link_cfg link;
	unsigned seen = 0;
	char msg[256];

	if (n < 2)
		return perr(ps, "expected 'link NAME queue=ID iif=IFINDEX|* "
			    "oif=IFINDEX|* ...'");
	if (strlen(w[1]) > ZF_LK_NAME_MAX || strchr(w[1], '='))
		return perr(ps, "expected a link name of at most %d characters "
			    "without '=', found '%.40s'", ZF_LK_NAME_MAX, w[1]);
	(void)zf_lk_link_init(&link, w[1], 0);   /* length checked above */
	link.line = ps->line;
	for (int i = 2; i < n; i++) {
		if (zf_lk_parse_link_kv(&link, w[i], &seen, msg,
					sizeof(msg)) < 0)
			return perr(ps, "%s", msg);
	}
	if ((seen & ZF_LK_REQUIRED_KEYS) != ZF_LK_REQUIRED_KEYS)
		return perr(ps, "link '%s': expected queue=, iif= and oif= "
			    "(missing %s)", link.name,
			    zf_lk_missing_key(seen));
	if (zf_lk_config_add_link(ps->cfg, &link, msg, sizeof(msg)) < 0)
		return perr(ps, "%s", msg);
	return 0;
}

/* LINE holds N bytes, checked by check_line_bytes(). */
static int parse_line(struct parse_state *ps, char *line, size_t n)
{
	char *w[MAX_WORDS];
	int nw;

	if (n > 0 && line[n - 1] == '\r')
		line[n - 1] = '\0';
	nw = split_words(line, w);
	if (nw < 0)
		return perr(ps, "expected at most %d words", MAX_WORDS);
	if (nw == 0)
		return 0;
	if (strcmp(w[0], "queue") == 0)
		return parse_queue(ps, w, nw);
	if (strcmp(w[0], "link") == 0)
		return parse_link(ps, w, nw);
	return perr(ps, "expected 'queue' or 'link', found '%.40s'", w[0]);
}

static int parse_all(struct parse_state *ps, const char *buf, size_t len)
{
	size_t off = 0;
	int rc = 0;

	while (off < len && rc == 0) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (buf + off)) : len - off;
		char *line;

		ps->line++;
		if (ps->line > ZF_LK_MAX_LINES)
			return perr(ps, "expected at most %d lines",
				    ZF_LK_MAX_LINES);
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

int zf_lk_config_parse(const char *file, const char *buf, size_t len,
		       struct zf_lk_config *out, char *err, size_t errlen)
{
	struct parse_state ps = {
		.file = file, .cfg = out, .err = err, .errlen = errlen,
	};
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > ZF_LK_MAX_FILE) {
		snprintf(err, errlen, "%s: expected at most %u bytes", file,
			 ZF_LK_MAX_FILE);
		return -EINVAL;
	}
	rc = parse_all(&ps, buf, len);
	if (rc < 0)
		zf_lk_config_free(out);
	return rc;
}

int zf_lk_config_load(const char *path, struct zf_lk_config *out,
		      char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = zf_read_file(path, ZF_LK_MAX_FILE, &buf, &len);
	if (rc == -EFBIG) {
		snprintf(err, errlen, "%s: expected at most %u bytes", path,
			 ZF_LK_MAX_FILE);
		return -EINVAL;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = zf_lk_config_parse(path, buf, len, out, err, errlen);
	free(buf);
	return rc;
}
