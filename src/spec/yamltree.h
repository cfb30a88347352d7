/* yamltree.h - a small, capped YAML document tree (private to src/spec).
 *
 * Built from libyaml's event API so that every cap is enforced while the
 * input is read, before anything large is allocated: nesting depth, node
 * count (an alias counts as the whole subtree it names, so "billion laughs"
 * documents are rejected), alias count, scalar length, and exactly one
 * document. Mapping keys must be non-empty strings and unique. Every node
 * keeps the 1-based position where it starts.
 *
 * Scalars are kept as text: no YAML 1.1 typing ("no" stays the string "no").
 * Aliases share the anchored node, so the tree is a DAG; the document owns
 * every node and frees them all at once.
 */
#ifndef ZF_SPEC_YAMLTREE_H
#define ZF_SPEC_YAMLTREE_H

#include <stddef.h>

#include "spec/lab.h"

#define ZF_YAML_MAX_DEPTH 32
#define ZF_YAML_MAX_NODES 100000
#define ZF_YAML_MAX_ALIASES 64
#define ZF_YAML_MAX_SCALAR (64u * 1024)

enum zf_ykind { ZF_YSCALAR, ZF_YSEQ, ZF_YMAP };

struct zf_ynode {
	enum zf_ykind kind;
	struct zf_mark mark;
	char *str;               /* ZF_YSCALAR: text, NUL-terminated, no NULs */
	size_t len;
	int plain;               /* ZF_YSCALAR: written without quotes */
	struct zf_ynode **kids;  /* ZF_YSEQ: items; ZF_YMAP: key, value, ... */
	size_t n;                /* ZF_YSEQ: items; ZF_YMAP: pairs */
	size_t size;             /* nodes in this subtree, aliases expanded */
};

struct zf_ydoc;

/* Parse BUF (LEN bytes, need not be NUL-terminated) as one YAML document.
 * NAME is the file name used in messages. On success stores a new document
 * in *OUT (free with zf_ydoc_free) and returns 0; an empty stream gives a
 * document whose root is NULL. On error returns -EINVAL (or -ENOMEM from
 * libyaml), writes "NAME:line:col: problem" into ERR and *OUT is untouched. */
int zf_ydoc_parse(const char *name, const char *buf, size_t len,
		  struct zf_ydoc **out, char *err, size_t errlen);

/* The root node, or NULL for a stream without a document. */
const struct zf_ynode *zf_ydoc_root(const struct zf_ydoc *doc);

/* Where the stream ended (for errors about an empty document). */
struct zf_mark zf_ydoc_end(const struct zf_ydoc *doc);

void zf_ydoc_free(struct zf_ydoc *doc);

/* Mapping accessors; I < n. */
static inline const struct zf_ynode *zf_ymap_key(const struct zf_ynode *m,
						 size_t i)
{
	return m->kids[2 * i];
}

static inline const struct zf_ynode *zf_ymap_val(const struct zf_ynode *m,
						 size_t i)
{
	return m->kids[2 * i + 1];
}

/* Is N a YAML null: an empty plain scalar, "~" or "null"? */
int zf_ynode_is_null(const struct zf_ynode *n);

/* "a mapping", "a list" or "a string": for messages. */
const char *zf_ynode_kind_name(const struct zf_ynode *n);

#endif
