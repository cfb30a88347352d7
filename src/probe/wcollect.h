/* wcollect.h - (private to src/probe) the values of an http-write
 * collection, as a GET of the probe's read_url returns them. */
#ifndef ZF_PROBE_WCOLLECT_H
#define ZF_PROBE_WCOLLECT_H

#include <stddef.h>

#include "probe/write_int.h"

#define ZF_WCOLLECT_MAX (64u * 1024u * 1024u)   /* bytes of a body */

/* Each value of BODY (LEN bytes, at most ZF_WCOLLECT_MAX) to FN, in
 * order. A body whose first non-blank byte is '[' is a JSON array: each
 * element a string (the value), or an object whose "value" member, else
 * "name" member, is the value (nginx's autoindex_format json; entries
 * with "type": "directory" are skipped). Any other body is one value per
 * line (LF or CRLF; empty lines skipped). 0; -EBADMSG with ERR for JSON
 * that does not parse or an element of another shape; -EMSGSIZE past the
 * cap; FN's error as it returned it. */
int zf_wcollect_parse(const char *body, size_t len, zf_wvalue_fn fn,
		      void *ctx, char *err, size_t errlen);

#endif
