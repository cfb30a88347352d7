/* wordfile.h - reading the daemons' config files: one record per line,
 * words separated by blanks, a word starting with '#' comments out the rest
 * of the line, words are printable ASCII (a comment may hold any byte but
 * NUL), a final '\r' is ignored. Errors read "FILE:LINE: what was
 * expected". */
#ifndef ZF_UTIL_WORDFILE_H
#define ZF_UTIL_WORDFILE_H

#include <stddef.h>

#include "util/log.h"

#define ZF_WORDFILE_MAX_WORDS 32

struct zf_wordfile {
	const char *file;       /* name in messages */
	unsigned line;          /* the line being read, from 1 */
	unsigned max_lines;
	int max_words;          /* at most ZF_WORDFILE_MAX_WORDS */
	char *err;
	size_t errlen;
};

/* "FILE:LINE: MSG" into WF->err; returns -EINVAL. */
int zf_wordfile_err(struct zf_wordfile *wf, const char *fmt, ...) ZF_PRINTF(2, 3);

/* Called for each line with words: W[0..N), N >= 1. 0 or -EINVAL (with
 * zf_wordfile_err) to stop. */
typedef int (*zf_wordfile_fn)(struct zf_wordfile *wf, char **w, int n, void *ctx);

/* Read LEN bytes of BUF line by line (caps: WF's max_lines and max_words;
 * the caller caps the size) and hand each line's words to FN. 0, or the
 * first error. */
int zf_wordfile_parse(struct zf_wordfile *wf, const char *buf, size_t len,
		      zf_wordfile_fn fn, void *ctx);

#endif
