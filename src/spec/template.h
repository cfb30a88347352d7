/* template.h - "{key}" and "{key:arg}" templates in lab and scenario strings.
 *
 * Syntax: "{name}" or "{name:arg}" where name is [a-z_][a-z0-9_-]*; "{{" and
 * "}}" are literal braces. A lone "{" or "}" is an error. Nothing else is
 * special: no shell, no environment expansion. */
#ifndef ZF_SPEC_TEMPLATE_H
#define ZF_SPEC_TEMPLATE_H

#include <stddef.h>

/* Called for each placeholder; ARG is NULL for "{key}". Writes the value into
 * OUT (OUTLEN bytes, NUL-terminated) and returns 0, or returns -ENOENT for an
 * unknown key/arg (expansion then fails) or another negative errno. */
typedef int (*zf_tmpl_lookup_fn)(void *ctx, const char *key, const char *arg,
				 char *out, size_t outlen);

/* Expand TMPL into OUT. Returns 0; -EINVAL on bad syntax, -ENOENT for an
 * unknown placeholder, -ENAMETOOLONG if OUT is too small. On error, ERR gets
 * a message naming the placeholder and *ERR_OFFSET (if not NULL) the byte
 * offset in TMPL where the problem starts. */
int zf_tmpl_expand(const char *tmpl, zf_tmpl_lookup_fn fn, void *ctx,
		   char *out, size_t outlen, char *err, size_t errlen,
		   size_t *err_offset);

/* Call FN for each placeholder of TMPL without expanding (OUT of FN is a
 * scratch buffer): used to validate references at load time. Same returns. */
int zf_tmpl_check(const char *tmpl, zf_tmpl_lookup_fn fn, void *ctx,
		  char *err, size_t errlen, size_t *err_offset);

#endif
