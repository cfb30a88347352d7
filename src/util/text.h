/* text.h - a growing text buffer (nftables batches, config files, JSON
 * answers). Allocation failure is fatal (util/mem.h); nothing here can
 * fail otherwise. */
#ifndef ZF_UTIL_TEXT_H
#define ZF_UTIL_TEXT_H

#include <stddef.h>

#include "util/log.h"

struct zf_text {
	char *s;        /* NUL-terminated once anything was added; may be NULL */
	size_t len, cap;
};

/* Append the formatted text. */
void zf_text_add(struct zf_text *t, const char *fmt, ...) ZF_PRINTF(2, 3);

/* The text so far ("" when empty). */
const char *zf_text_str(const struct zf_text *t);

/* Empty T, keeping its memory. */
void zf_text_reset(struct zf_text *t);

void zf_text_free(struct zf_text *t);

#endif
