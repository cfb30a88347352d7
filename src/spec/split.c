/* split.c - split a command string into argv words, shell-like, no shell. */
#include "spec/split.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/mem.h"

struct splitter {
	const char *s;
	size_t i;              /* next byte of s */
	char *word;            /* the word being built; strlen(s) + 1 bytes */
	size_t wlen;
	int in_word;
	size_t word_start;
	char **argv;
	size_t n;
	size_t cap;
	size_t maxargs;
	char *err;
	size_t errlen;
	size_t err_offset;
};

static int sp_err(struct splitter *sp, int rc, size_t offset, const char *msg)
{
	sp->err_offset = offset;
	if (!sp->err || !sp->errlen)
		return rc;
	if (rc == -ENODATA)
		zf_fmt(sp->err, sp->errlen, "%s", msg);
	else if (rc == -E2BIG)
		zf_fmt(sp->err, sp->errlen, "%s: more than %zu (at offset %zu)",
		       msg, sp->maxargs, offset);
	else
		zf_fmt(sp->err, sp->errlen, "%s at offset %zu", msg, offset);
	return rc;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void put(struct splitter *sp, char c)
{
	sp->word[sp->wlen++] = c;
}

/* End the current word, if any, and append it to argv. */
static int end_word(struct splitter *sp)
{
	if (!sp->in_word)
		return 0;
	if (sp->n >= sp->maxargs)
		return sp_err(sp, -E2BIG, sp->word_start, "too many words");
	if (sp->n + 2 > sp->cap) {
		sp->cap = sp->cap ? 2 * sp->cap : 8;
		sp->argv = zf_xrealloc(sp->argv, sp->cap * sizeof(*sp->argv));
	}
	sp->argv[sp->n++] = zf_xstrndup(sp->word, sp->wlen);
	sp->argv[sp->n] = NULL;
	sp->wlen = 0;
	sp->in_word = 0;
	return 0;
}

/* '...': everything up to the next single quote is literal. */
static int single_quoted(struct splitter *sp)
{
	const char *end = strchr(sp->s + sp->i + 1, '\'');

	if (!end)
		return sp_err(sp, -EINVAL, sp->i, "unterminated single quote");
	for (const char *p = sp->s + sp->i + 1; p < end; p++)
		put(sp, *p);
	sp->i = (size_t)(end - sp->s) + 1;
	return 0;
}

/* "...": backslash escapes only \" \\ \$ \` and a newline. */
static int double_quoted(struct splitter *sp)
{
	size_t open = sp->i, j = sp->i + 1;
	const char *s = sp->s;

	for (;;) {
		if (s[j] == '\0')
			return sp_err(sp, -EINVAL, open,
				      "unterminated double quote");
		if (s[j] == '"')
			break;
		if (s[j] == '\\' && s[j + 1] == '\n') {
			j += 2;
		} else if (s[j] == '\\' && s[j + 1] &&
			   strchr("\"\\$`", s[j + 1])) {
			put(sp, s[j + 1]);
			j += 2;
		} else {
			put(sp, s[j++]);
		}
	}
	sp->i = j + 1;
	return 0;
}

/* One step of the scan at sp->i (not at the end of the string). */
static int step(struct splitter *sp)
{
	char c = sp->s[sp->i];

	if (is_blank(c)) {
		sp->i++;
		return end_word(sp);
	}
	if (c == '\\' && sp->s[sp->i + 1] == '\0')
		return sp_err(sp, -EINVAL, sp->i, "trailing backslash");
	if (c == '\\' && sp->s[sp->i + 1] == '\n') {
		sp->i += 2;   /* line continuation: joins, starts nothing */
		return 0;
	}
	if (!sp->in_word) {
		sp->in_word = 1;
		sp->word_start = sp->i;
	}
	if (c == '\'')
		return single_quoted(sp);
	if (c == '"')
		return double_quoted(sp);
	if (c == '\\')
		sp->i++;
	put(sp, sp->s[sp->i++]);
	return 0;
}

int zf_split_argv(const char *s, size_t maxargs, char ***out, char *err,
		  size_t errlen, size_t *err_offset)
{
	struct splitter sp = { .s = s, .maxargs = maxargs, .err = err,
			       .errlen = errlen };
	int rc = 0;

	sp.word = zf_xmalloc(strlen(s) + 1);
	while (rc == 0 && s[sp.i])
		rc = step(&sp);
	if (rc == 0)
		rc = end_word(&sp);
	if (rc == 0 && sp.n == 0)
		rc = sp_err(&sp, -ENODATA, 0, "empty command");
	if (rc < 0)
		goto out;
	*out = sp.argv;
	sp.argv = NULL;
out:
	if (rc < 0 && err_offset)
		*err_offset = sp.err_offset;
	zf_strv_free(sp.argv);
	free(sp.word);
	return rc;
}
