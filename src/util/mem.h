/* mem.h - allocation that treats exhaustion as fatal.
 *
 * zonefall's allocations are small and bounded by the input caps; running out
 * of memory is not a condition the tool can roll back from meaningfully, so
 * these abort with a message instead of threading ENOMEM through every layer
 * (git's xmalloc). Input errors never come through here. */
#ifndef ZF_UTIL_MEM_H
#define ZF_UTIL_MEM_H

#include <stddef.h>

void *zf_xmalloc(size_t n);
void *zf_xcalloc(size_t nmemb, size_t size);
void *zf_xrealloc(void *p, size_t n);
char *zf_xstrdup(const char *s);
char *zf_xstrndup(const char *s, size_t n);
/* Free a NULL-terminated array of strings and the array itself. */
void zf_strv_free(char **v);
size_t zf_strv_len(char *const *v);
/* Deep copy of a NULL-terminated string array (NULL gives NULL). */
char **zf_strv_dup(char *const *v);

#endif
