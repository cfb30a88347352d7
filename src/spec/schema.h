/* schema.h - typed reading of a YAML tree with positioned errors (private
 * to src/spec).
 *
 * Every checker takes the context that knows the file name and the error
 * buffer, and on a mismatch writes "file:line:col: what was expected, got
 * what" at the offending node and returns -EINVAL. */
#ifndef ZF_SPEC_SCHEMA_H
#define ZF_SPEC_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "spec/lab.h"
#include "spec/yamltree.h"
#include "util/log.h"

struct zf_schema {
	const char *file;      /* name used in messages */
	char *err;
	size_t errlen;
};

/* Write "file:line:col: message" (or "file: message" when AT has no line)
 * into the context's error buffer. Always returns -EINVAL. */
int zf_sc_err(const struct zf_schema *sc, struct zf_mark at,
	      const char *fmt, ...) ZF_PRINTF(3, 4);

/* One allowed key of a mapping; VAL and KEY are filled by zf_sc_fields. */
struct zf_sc_field {
	const char *name;
	const struct zf_ynode *key;   /* NULL when absent */
	const struct zf_ynode *val;
};

/* Check that M is a mapping whose keys are all among FIELDS (N of them) and
 * fill their KEY/VAL. WHAT names the mapping in messages ("host 'web-a'").
 * An unknown key is an error naming it and listing the allowed ones. */
int zf_sc_fields(const struct zf_schema *sc, const struct zf_ynode *m,
		 const char *what, struct zf_sc_field *fields, size_t n);

/* Error unless field F is present: "missing key 'F' in WHAT" at M. */
int zf_sc_require(const struct zf_schema *sc, const struct zf_ynode *m,
		  const char *what, const struct zf_sc_field *f);

/* Error unless N is a mapping / a string (WHAT names the value). */
int zf_sc_mapping(const struct zf_schema *sc, const struct zf_ynode *n,
		  const char *what);
int zf_sc_string(const struct zf_schema *sc, const struct zf_ynode *n,
		 const char *what);

/* Check that N is a name ([a-z0-9][a-z0-9_-]*, at most ZF_NAME_MAX) and
 * copy it into OUT. WHAT says what it names ("host"). */
int zf_sc_name(const struct zf_schema *sc, const struct zf_ynode *n,
	       const char *what, char out[ZF_NAME_MAX + 1]);

/* Check that N is a list of distinct names (or, with ALLOW_ONE, a single
 * name) with 1..MAX entries; *COUNT gets the number of entries, read them
 * with zf_sc_item. ITEM says what the names name ("zone"), WHAT names the
 * list ("'zones' of region 'r1'"). */
int zf_sc_name_list(const struct zf_schema *sc, const struct zf_ynode *n,
		    const char *item, const char *what, int allow_one,
		    size_t max, size_t *count);

/* Entry I of a list accepted by zf_sc_name_list. */
static inline const struct zf_ynode *zf_sc_item(const struct zf_ynode *n,
						size_t i)
{
	return n->kind == ZF_YSEQ ? n->kids[i] : n;
}

/* A duration string (spec/duration.h) into *NS. */
int zf_sc_duration(const struct zf_schema *sc, const struct zf_ynode *n,
		   const char *what, uint64_t *ns);

/* A decimal TCP/UDP port 1..65535 into *PORT. */
int zf_sc_port(const struct zf_schema *sc, const struct zf_ynode *n,
	       const char *what, int *port);

/* Is N null or absent (NULL)? Optional collections may be written empty. */
int zf_sc_absent(const struct zf_ynode *n);

#endif
