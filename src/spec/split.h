/* split.h - split a command string into argv like a POSIX shell would split
 * words, *without* a shell: single quotes, double quotes (with \" \\ \$ \`
 * escapes), backslash escapes outside quotes, runs of blanks separate words.
 * No expansion, globbing, redirection, pipes or variables: "$", "|", ">" and
 * friends are ordinary characters. */
#ifndef ZF_SPEC_SPLIT_H
#define ZF_SPEC_SPLIT_H

#include <stddef.h>

/* On success stores a NULL-terminated argv (free with zf_strv_free) with at
 * least one word and returns 0. Returns -EINVAL for an unterminated quote or
 * trailing backslash (ERR says which, *ERR_OFFSET where), -ENODATA for an
 * empty command, -E2BIG past MAXARGS words. */
int zf_split_argv(const char *s, size_t maxargs, char ***out, char *err,
		  size_t errlen, size_t *err_offset);

#endif
