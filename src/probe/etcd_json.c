/* etcd_json.c - the etcd v3 gateway's JSON (etcd_json.h). Requests are
 * built with jansson; responses are parsed with it (capped) and every
 * field is checked before use: a range response's "kvs" is a list of
 * objects whose "key" and "value" are base64 strings ("value" absent for
 * an empty value), "more" a boolean, absent when false. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "probe/etcd_json.h"
#include "util/log.h"
#include "util/mem.h"

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *zf_b64_encode(const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	char *out = zf_xmalloc((n + 2) / 3 * 4 + 1), *o = out;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;

		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		*o++ = b64[v >> 18 & 63];
		*o++ = b64[v >> 12 & 63];
		*o++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
		*o++ = i + 2 < n ? b64[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

static int b64_val(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;

	return p ? (int)(p - b64) : -1;
}

long zf_b64_decode(const char *s, size_t n, char *out)
{
	size_t o = 0;

	if (n % 4)
		return -EINVAL;
	for (size_t i = 0; i < n; i += 4) {
		int a = b64_val(s[i]), b = b64_val(s[i + 1]);
		int c = s[i + 2] == '=' ? -2 : b64_val(s[i + 2]);
		int d = s[i + 3] == '=' ? -2 : b64_val(s[i + 3]);
		unsigned v;

		if (a < 0 || b < 0 || c == -1 || d == -1 ||
		    (c == -2 && d != -2) || ((c == -2 || d == -2) && i + 4 != n))
			return -EINVAL;
		v = (unsigned)a << 18 | (unsigned)b << 12 |
		    (unsigned)(c < 0 ? 0 : c) << 6 | (unsigned)(d < 0 ? 0 : d);
		out[o++] = (char)(v >> 16);
		if (c >= 0)
			out[o++] = (char)(v >> 8 & 255);
		if (d >= 0)
			out[o++] = (char)(v & 255);
	}
	return (long)o;
}

/* Set KEY of O to the base64 of the N bytes at V. */
static void set_b64(json_t *o, const char *key, const char *v, size_t n)
{
	char *e = zf_b64_encode(v, n);

	json_object_set_new(o, key, json_string(e));
	free(e);
}

static char *dump(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);

	json_decref(o);
	if (!s)
		ZF_BUG("cannot write a JSON request");
	return s;
}

char *zf_etcd_put_body(const char *key, size_t klen, const char *val,
		       size_t vlen)
{
	json_t *o = json_object();

	set_b64(o, "key", key, klen);
	set_b64(o, "value", val, vlen);
	return dump(o);
}

char *zf_etcd_range_body(const char *key, size_t klen, const char *end,
			 size_t elen, unsigned limit)
{
	json_t *o = json_object();

	set_b64(o, "key", key, klen);
	set_b64(o, "range_end", end, elen);
	json_object_set_new(o, "limit", json_integer(limit));
	return dump(o);
}

size_t zf_etcd_prefix_end(const char *prefix, size_t n, char *out)
{
	memcpy(out, prefix, n);
	while (n > 0) {
		unsigned char c = (unsigned char)out[n - 1];

		if (c < 0xff) {
			out[n - 1] = (char)(c + 1);
			return n;
		}
		n--;
	}
	return 0;
}

/* Decode base64 string J into a new buffer *OUT of *N bytes: 0, or
 * -EBADMSG. */
static int decode(json_t *j, char **out, size_t *n)
{
	const char *s = json_string_value(j);
	size_t len = json_string_length(j);
	long d;

	*out = zf_xmalloc(len / 4 * 3 + 1);
	d = zf_b64_decode(s, len, *out);
	if (d < 0) {
		free(*out);
		*out = NULL;
		return -EBADMSG;
	}
	*n = (size_t)d;
	return 0;
}

/* One element KV of "kvs": its value to FN, its key kept as the last. */
static int one_kv(json_t *kv, size_t i, zf_wvalue_fn fn, void *ctx,
		  struct zf_etcd_page *pg, char *err, size_t errlen)
{
	json_t *k = json_object_get(kv, "key"), *v = json_object_get(kv, "value");
	char *key = NULL, *val = NULL;
	size_t kn = 0, vn = 0;
	int rc = 0;

	if (!json_is_string(k) || (v && !json_is_string(v)) ||
	    decode(k, &key, &kn) < 0 || (v && decode(v, &val, &vn) < 0)) {
		zf_fmt(err, errlen, "kvs[%zu] of a range response is not an "
		       "object with base64 \"key\" and \"value\"", i);
		free(key);
		return -EBADMSG;
	}
	rc = fn(ctx, val ? val : "", vn);
	free(val);
	free(pg->last_key);
	pg->last_key = key;
	pg->last_len = kn;
	return rc;
}

int zf_etcd_range_parse(const char *body, size_t len, zf_wvalue_fn fn,
			void *ctx, struct zf_etcd_page *pg, char *err,
			size_t errlen)
{
	json_t *o, *kvs, *more, *kv;
	size_t i;
	int rc = 0;

	memset(pg, 0, sizeof(*pg));
	o = len <= ZF_ETCD_MAX_BODY ? json_loadb(body, len, 0, NULL) : NULL;
	kvs = json_object_get(o, "kvs");
	more = json_object_get(o, "more");
	if (!json_is_object(o) || !json_is_object(json_object_get(o, "header")) ||
	    (kvs && !json_is_array(kvs)) || (more && !json_is_boolean(more))) {
		zf_fmt(err, errlen, "not a range response of etcd's JSON "
		       "gateway");
		json_decref(o);
		return -EBADMSG;
	}
	pg->more = json_is_true(more);
	json_array_foreach(kvs, i, kv) {
		rc = json_is_object(kv) ? one_kv(kv, i, fn, ctx, pg, err, errlen)
					: -EBADMSG;
		if (rc == -EBADMSG && !json_is_object(kv))
			zf_fmt(err, errlen, "kvs[%zu] of a range response is "
			       "not an object", i);
		if (rc < 0)
			break;
		pg->n_kvs++;
	}
	json_decref(o);
	return rc;
}

int zf_etcd_error_text(const char *body, size_t len, char *buf,
		       size_t buflen)
{
	json_t *o = len <= ZF_ETCD_MAX_BODY ? json_loadb(body, len, 0, NULL)
					     : NULL;
	const char *e = json_string_value(json_object_get(o, "error"));

	if (!e)
		e = json_string_value(json_object_get(o, "message"));
	if (e)
		zf_fmt(buf, buflen, "%s", e);
	json_decref(o);
	return e ? 0 : -ENOENT;
}
