/* etcd_json.h - (private to src/probe) the JSON of etcd's v3 gateway as
 * the etcd write probe speaks it: base64 keys and values, put and range
 * request bodies, range responses (paged) and error bodies. */
#ifndef ZF_PROBE_ETCD_JSON_H
#define ZF_PROBE_ETCD_JSON_H

#include <stddef.h>

#include "probe/write_int.h"

#define ZF_ETCD_MAX_BODY (16u * 1024u * 1024u)   /* bytes of a response */
#define ZF_ETCD_PAGE 1000u                        /* keys per range */

/* Base64 (RFC 4648, padded) of the N bytes at SRC: a new string. */
char *zf_b64_encode(const char *src, size_t n);
/* Decode the N characters at S (padded base64) into OUT, which holds at
 * least N / 4 * 3 bytes: the decoded length, or -EINVAL. */
long zf_b64_decode(const char *s, size_t n, char *out);

/* {"key":..., "value":...} of a put: a new string. */
char *zf_etcd_put_body(const char *key, size_t klen, const char *val,
		       size_t vlen);
/* {"key":..., "range_end":..., "limit":N} of a linearizable range over
 * [KEY, END): a new string. */
char *zf_etcd_range_body(const char *key, size_t klen, const char *end,
			 size_t elen, unsigned limit);
/* The range end of every key starting with PREFIX (N bytes, N <= 200)
 * into OUT (N bytes at most): its length; 0 when there is none (the
 * prefix is all 0xff bytes: the range then ends with "\0"). */
size_t zf_etcd_prefix_end(const char *prefix, size_t n, char *out);

/* One page of a range response. */
struct zf_etcd_page {
	int more;               /* more keys follow the last one */
	size_t n_kvs;
	char *last_key;         /* the last key (a new string), NULL if none */
	size_t last_len;
};

/* Each value of the range response BODY (LEN bytes, at most
 * ZF_ETCD_MAX_BODY) to FN, and the page's facts into *PG (free its
 * last_key). 0; -EBADMSG with ERR when BODY is not a range response; FN's
 * error as it returned it. */
int zf_etcd_range_parse(const char *body, size_t len, zf_wvalue_fn fn,
			void *ctx, struct zf_etcd_page *pg, char *err,
			size_t errlen);

/* The text of an error body ({"error": "...", "code": N, "message": ...})
 * into BUF: 0, or -ENOENT when BODY holds none. */
int zf_etcd_error_text(const char *body, size_t len, char *buf,
		       size_t buflen);

#endif
