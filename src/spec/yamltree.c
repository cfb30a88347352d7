/* yamltree.c - build a capped YAML tree from libyaml events. */
#include "spec/yamltree.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/log.h"
#include "util/mem.h"

struct zf_ydoc {
	struct zf_ynode *root;
	struct zf_mark end;
	struct zf_ynode **nodes;   /* every node, for freeing */
	size_t n_nodes;
	size_t cap_nodes;
};

struct anchor {
	char *name;
	struct zf_ynode *node;
};

/* An open sequence or mapping. */
struct frame {
	struct zf_ynode *node;
	char *anchor;              /* registered when the node is complete */
	size_t cap;                /* allocated kids */
};

struct builder {
	const char *name;
	const char *buf;
	size_t len;
	char *err;
	size_t errlen;
	struct zf_ydoc *doc;
	struct frame stack[ZF_YAML_MAX_DEPTH];
	size_t depth;
	struct anchor *anchors;
	size_t n_anchors;
	size_t cap_anchors;
	size_t count;              /* nodes so far, aliases expanded */
	size_t n_aliases;
	int n_docs;
	int done;
};

static struct zf_mark to_mark(yaml_mark_t m)
{
	struct zf_mark z = { (int)m.line + 1, (int)m.column + 1 };

	return z;
}

/* Write "name:line:col: message" into the error buffer; returns -EINVAL. */
ZF_PRINTF(3, 4)
static int b_err(struct builder *b, struct zf_mark at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (b->errlen)
		zf_fmt(b->err, b->errlen, "%s:%d:%d: %s", b->name, at.line,
		       at.col, msg);
	return -EINVAL;
}

/* Position of byte OFFSET of the input (reader errors carry no mark). */
static struct zf_mark offset_mark(const struct builder *b, size_t offset)
{
	struct zf_mark m = { 1, 1 };

	for (size_t i = 0; i < offset && i < b->len; i++) {
		if (b->buf[i] == '\n') {
			m.line++;
			m.col = 1;
		} else {
			m.col++;
		}
	}
	return m;
}

/* Turn the parser's error state into a positioned message. */
static int yaml_problem(struct builder *b, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "invalid YAML";
	struct zf_mark at;

	if (p->error == YAML_MEMORY_ERROR) {
		b_err(b, offset_mark(b, 0), "out of memory while parsing");
		return -ENOMEM;
	}
	if (p->error == YAML_READER_ERROR) {
		at = offset_mark(b, p->problem_offset);
		if (p->problem_value != -1)
			return b_err(b, at, "%s (byte 0x%02x)", problem,
				     (unsigned)p->problem_value & 0xffu);
		return b_err(b, at, "%s", problem);
	}
	at = to_mark(p->problem_mark);
	if (p->context)
		return b_err(b, at, "%s (%s started at line %d, column %d)",
			     problem, p->context, (int)p->context_mark.line + 1,
			     (int)p->context_mark.column + 1);
	return b_err(b, at, "%s", problem);
}

/* Account for ADD more nodes against the document cap. */
static int count_nodes(struct builder *b, size_t add, struct zf_mark at)
{
	if (add > ZF_YAML_MAX_NODES - b->count)
		return b_err(b, at, "document has more than %d nodes "
			     "(an alias counts as the nodes it repeats)",
			     ZF_YAML_MAX_NODES);
	b->count += add;
	return 0;
}

/* A new node owned by the document. */
static struct zf_ynode *new_node(struct builder *b, enum zf_ykind kind,
				 struct zf_mark at)
{
	struct zf_ydoc *d = b->doc;
	struct zf_ynode *n = zf_xcalloc(1, sizeof(*n));

	if (d->n_nodes == d->cap_nodes) {
		d->cap_nodes = d->cap_nodes ? 2 * d->cap_nodes : 64;
		d->nodes = zf_xrealloc(d->nodes,
				       d->cap_nodes * sizeof(*d->nodes));
	}
	d->nodes[d->n_nodes++] = n;
	n->kind = kind;
	n->mark = at;
	n->size = 1;
	return n;
}

static void add_anchor(struct builder *b, const char *name,
		       struct zf_ynode *node)
{
	if (b->n_anchors == b->cap_anchors) {
		b->cap_anchors = b->cap_anchors ? 2 * b->cap_anchors : 8;
		b->anchors = zf_xrealloc(b->anchors,
					 b->cap_anchors * sizeof(*b->anchors));
	}
	b->anchors[b->n_anchors].name = zf_xstrdup(name);
	b->anchors[b->n_anchors].node = node;
	b->n_anchors++;
}

/* The latest node anchored as NAME, or NULL. */
static struct zf_ynode *find_anchor(const struct builder *b, const char *name)
{
	for (size_t i = b->n_anchors; i-- > 0;)
		if (strcmp(b->anchors[i].name, name) == 0)
			return b->anchors[i].node;
	return NULL;
}

static int is_key_slot(const struct builder *b)
{
	const struct frame *f;

	if (b->depth == 0)
		return 0;
	f = &b->stack[b->depth - 1];
	return f->node->kind == ZF_YMAP && (f->node->n % 2) == 0;
}

/* Refuse a node of KIND as a mapping key when the parent expects a key.
 * N is the node when already built (scalar or alias target), else NULL. */
static int check_key(struct builder *b, const struct zf_ynode *n,
		     enum zf_ykind kind, struct zf_mark at)
{
	if (!is_key_slot(b))
		return 0;
	if (kind != ZF_YSCALAR)
		return b_err(b, at, "expected a string as mapping key, got %s",
			     kind == ZF_YMAP ? "a mapping" : "a list");
	if (n && n->plain && n->len == 0)
		return b_err(b, at, "expected a string as mapping key, "
			     "got an empty key");
	return 0;
}

/* Append a complete node to the open collection, or make it the root.
 * While a collection is open its n counts kids; it is fixed up on close. */
static void attach(struct builder *b, struct zf_ynode *n)
{
	struct frame *f;

	if (b->depth == 0) {
		b->doc->root = n;
		return;
	}
	f = &b->stack[b->depth - 1];
	if (f->node->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 4;
		f->node->kids = zf_xrealloc(f->node->kids,
					    f->cap * sizeof(*f->node->kids));
	}
	f->node->kids[f->node->n++] = n;
}

static int on_scalar(struct builder *b, const yaml_event_t *ev)
{
	struct zf_mark at = to_mark(ev->start_mark);
	const char *val = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	struct zf_ynode *n;
	int rc;

	if (len > ZF_YAML_MAX_SCALAR)
		return b_err(b, at, "string longer than %u bytes",
			     ZF_YAML_MAX_SCALAR);
	if (memchr(val, '\0', len))
		return b_err(b, at, "NUL character in string");
	rc = count_nodes(b, 1, at);
	if (rc < 0)
		return rc;
	n = new_node(b, ZF_YSCALAR, at);
	n->str = zf_xstrndup(val, len);
	n->len = len;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	rc = check_key(b, n, ZF_YSCALAR, at);
	if (rc < 0)
		return rc;
	if (ev->data.scalar.anchor)
		add_anchor(b, (const char *)ev->data.scalar.anchor, n);
	attach(b, n);
	return 0;
}

static int on_start(struct builder *b, const yaml_event_t *ev,
		    enum zf_ykind kind)
{
	struct zf_mark at = to_mark(ev->start_mark);
	const yaml_char_t *anchor = kind == ZF_YMAP ?
		ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
	struct frame *f;
	int rc;

	if (b->depth == ZF_YAML_MAX_DEPTH)
		return b_err(b, at, "nesting deeper than %d levels",
			     ZF_YAML_MAX_DEPTH);
	rc = check_key(b, NULL, kind, at);
	if (rc == 0)
		rc = count_nodes(b, 1, at);
	if (rc < 0)
		return rc;
	f = &b->stack[b->depth++];
	f->node = new_node(b, kind, at);
	f->anchor = anchor ? zf_xstrdup((const char *)anchor) : NULL;
	f->cap = 0;
	return 0;
}

struct keyref {
	const char *key;
	size_t idx;
};

static int keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Reject the first (in file order) repeated key of mapping M. */
static int check_dup_keys(struct builder *b, const struct zf_ynode *m)
{
	struct keyref *refs;
	size_t first = 0, dup = (size_t)-1, orig = 0;
	int rc = 0;

	if (m->n < 2)
		return 0;
	refs = zf_xcalloc(m->n, sizeof(*refs));
	for (size_t i = 0; i < m->n; i++) {
		refs[i].key = zf_ymap_key(m, i)->str;
		refs[i].idx = i;
	}
	qsort(refs, m->n, sizeof(*refs), keyref_cmp);
	for (size_t i = 1; i < m->n; i++) {
		if (strcmp(refs[i].key, refs[i - 1].key) != 0) {
			first = i;
			continue;
		}
		if (refs[i].idx < dup) {
			dup = refs[i].idx;
			orig = refs[first].idx;
		}
	}
	if (dup != (size_t)-1) {
		const struct zf_ynode *k = zf_ymap_key(m, dup);

		rc = b_err(b, k->mark, "duplicate key '%.64s' (first at line "
			   "%d, column %d)", k->str, zf_ymap_key(m, orig)->mark.line,
			   zf_ymap_key(m, orig)->mark.col);
	}
	free(refs);
	return rc;
}

static int on_end(struct builder *b)
{
	struct frame *f = &b->stack[--b->depth];
	struct zf_ynode *n = f->node;
	int rc = 0;

	if (n->kind == ZF_YMAP) {
		n->n /= 2;   /* libyaml guarantees a value for every key */
		rc = check_dup_keys(b, n);
	}
	for (size_t i = 0; i < (n->kind == ZF_YMAP ? 2 * n->n : n->n); i++)
		n->size += n->kids[i]->size;
	if (rc == 0 && f->anchor)
		add_anchor(b, f->anchor, n);
	free(f->anchor);
	f->anchor = NULL;
	if (rc == 0)
		attach(b, n);
	return rc;
}

/* An open collection anchored as NAME (an alias to its own container). */
static int is_open_anchor(const struct builder *b, const char *name)
{
	for (size_t i = 0; i < b->depth; i++)
		if (b->stack[i].anchor && strcmp(b->stack[i].anchor, name) == 0)
			return 1;
	return 0;
}

static int on_alias(struct builder *b, const yaml_event_t *ev)
{
	struct zf_mark at = to_mark(ev->start_mark);
	const char *name = (const char *)ev->data.alias.anchor;
	struct zf_ynode *target;
	int rc;

	if (++b->n_aliases > ZF_YAML_MAX_ALIASES)
		return b_err(b, at, "more than %d aliases",
			     ZF_YAML_MAX_ALIASES);
	target = find_anchor(b, name);
	if (!target && is_open_anchor(b, name))
		return b_err(b, at, "alias '*%.64s' is inside the node it "
			     "refers to", name);
	if (!target)
		return b_err(b, at, "unknown anchor '*%.64s'", name);
	rc = count_nodes(b, target->size, at);
	if (rc == 0)
		rc = check_key(b, target, target->kind, at);
	if (rc == 0)
		attach(b, target);
	return rc;
}

static int on_event(struct builder *b, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (b->n_docs++ > 0)
			return b_err(b, to_mark(ev->start_mark),
				     "only one YAML document is allowed");
		return 0;
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(b, ev, ZF_YSEQ);
	case YAML_MAPPING_START_EVENT:
		return on_start(b, ev, ZF_YMAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(b);
	case YAML_ALIAS_EVENT:
		return on_alias(b, ev);
	case YAML_STREAM_END_EVENT:
		b->doc->end = to_mark(ev->start_mark);
		b->done = 1;
		return 0;
	default:
		return 0;
	}
}

void zf_ydoc_free(struct zf_ydoc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->n_nodes; i++) {
		free(doc->nodes[i]->str);
		free(doc->nodes[i]->kids);
		free(doc->nodes[i]);
	}
	free(doc->nodes);
	free(doc);
}

static void builder_release(struct builder *b)
{
	for (size_t i = 0; i < b->depth; i++)
		free(b->stack[i].anchor);
	for (size_t i = 0; i < b->n_anchors; i++)
		free(b->anchors[i].name);
	free(b->anchors);
}

int zf_ydoc_parse(const char *name, const char *buf, size_t len,
		  struct zf_ydoc **out, char *err, size_t errlen)
{
	struct builder b = { .name = name, .buf = buf, .len = len,
			     .err = err, .errlen = errlen };
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc = 0;

	if (!yaml_parser_initialize(&parser))
		ZF_BUG("cannot initialise libyaml");
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	b.doc = zf_xcalloc(1, sizeof(*b.doc));
	while (!b.done && rc == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = yaml_problem(&b, &parser);
			break;
		}
		rc = on_event(&b, &ev);
		yaml_event_delete(&ev);
	}
	builder_release(&b);
	yaml_parser_delete(&parser);
	if (rc < 0) {
		zf_ydoc_free(b.doc);
		return rc;
	}
	*out = b.doc;
	return 0;
}

const struct zf_ynode *zf_ydoc_root(const struct zf_ydoc *doc)
{
	return doc->root;
}

struct zf_mark zf_ydoc_end(const struct zf_ydoc *doc)
{
	return doc->end;
}

int zf_ynode_is_null(const struct zf_ynode *n)
{
	if (n->kind != ZF_YSCALAR || !n->plain)
		return 0;
	return n->len == 0 || strcmp(n->str, "~") == 0 ||
	       strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0 ||
	       strcmp(n->str, "NULL") == 0;
}

const char *zf_ynode_kind_name(const struct zf_ynode *n)
{
	switch (n->kind) {
	case ZF_YMAP:
		return "a mapping";
	case ZF_YSEQ:
		return "a list";
	default:
		return zf_ynode_is_null(n) ? "nothing" : "a string";
	}
}
