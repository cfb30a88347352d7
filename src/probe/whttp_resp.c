/* whttp_resp.c - an HTTP/1.x response with its body, parsed from a buffer
 * that holds everything read so far (whttp.h). The caller feeds the whole
 * buffer again after each read: the head is at most ZF_HRESP_MAX_HEAD
 * bytes and the body is checked without copying until it is complete, so
 * that is cheap. Bodies: Content-Length, chunked (decoded in place once
 * complete), or delimited by the end of the connection; none for 204 and
 * 304. Interim 1xx responses are skipped. Lines end in CRLF or LF. */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "probe/whttp.h"

struct head {
	int status, minor;
	int chunked, has_len, close, keepalive;
	size_t clen;
	size_t end;             /* bytes of the head, blank line included */
};

/* The end of the line starting at P (before END): the index of its '\n',
 * or -1. */
static long line_end(const char *buf, size_t p, size_t end)
{
	const char *nl = memchr(buf + p, '\n', end - p);

	return nl ? (long)(nl - buf) : -1;
}

/* The line [P, NL) without its '\r' and surrounding blanks. */
static void trim(const char *buf, size_t *p, size_t *e)
{
	while (*e > *p && (buf[*e - 1] == '\r' || buf[*e - 1] == ' ' ||
			   buf[*e - 1] == '\t'))
		(*e)--;
	while (*p < *e && (buf[*p] == ' ' || buf[*p] == '\t'))
		(*p)++;
}

static int status_line(const char *b, size_t p, size_t e, struct head *h)
{
	if (e - p < 12 || memcmp(b + p, "HTTP/1.", 7) ||
	    (b[p + 7] != '0' && b[p + 7] != '1') || b[p + 8] != ' ')
		return -EBADMSG;
	h->minor = b[p + 7] - '0';
	h->status = 0;
	for (size_t i = p + 9; i < p + 12; i++) {
		if (b[i] < '0' || b[i] > '9')
			return -EBADMSG;
		h->status = h->status * 10 + (b[i] - '0');
	}
	if (h->status < 100 || (e - p > 12 && b[p + 12] != ' '))
		return -EBADMSG;
	return 0;
}

/* Does the header value V (N bytes) hold TOKEN in its comma list? */
static int has_token(const char *v, size_t n, const char *token)
{
	size_t t = strlen(token), i = 0;

	while (i < n) {
		size_t s = i, e;

		while (i < n && v[i] != ',')
			i++;
		e = i++;
		trim(v, &s, &e);
		if (e - s == t && !strncasecmp(v + s, token, t))
			return 1;
	}
	return 0;
}

static int content_length(const char *v, size_t n, struct head *h)
{
	size_t x = 0;

	if (n == 0 || n > 15)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -EBADMSG;
		x = x * 10 + (size_t)(v[i] - '0');
	}
	if (h->has_len && h->clen != x)
		return -EBADMSG;
	h->has_len = 1;
	h->clen = x;
	return 0;
}

/* The value of the last coding of Transfer-Encoding must be chunked. */
static int transfer_encoding(const char *v, size_t n, struct head *h)
{
	size_t s = n, e = n;

	while (s > 0 && v[s - 1] != ',')
		s--;
	trim(v, &s, &e);
	if (e - s != 7 || strncasecmp(v + s, "chunked", 7))
		return -EBADMSG;
	h->chunked = 1;
	return 0;
}

static int header_line(const char *b, size_t p, size_t e, struct head *h)
{
	const char *colon = memchr(b + p, ':', e - p);
	size_t name, vs, ve = e;

	if (!colon || colon == b + p)
		return -EBADMSG;
	name = (size_t)(colon - b) - p;
	vs = (size_t)(colon - b) + 1;
	trim(b, &vs, &ve);
	if (name == 14 && !strncasecmp(b + p, "Content-Length", 14))
		return content_length(b + vs, ve - vs, h);
	if (name == 17 && !strncasecmp(b + p, "Transfer-Encoding", 17))
		return transfer_encoding(b + vs, ve - vs, h);
	if (name == 10 && !strncasecmp(b + p, "Connection", 10)) {
		h->close |= has_token(b + vs, ve - vs, "close");
		h->keepalive |= has_token(b + vs, ve - vs, "keep-alive");
	}
	return 0;
}

/* The head starting at START: ZF_HRESP_MORE, DONE with *H, or an error. */
static int parse_head(const char *b, size_t start, size_t len, int eof,
		      struct head *h)
{
	size_t lim = len - start > ZF_HRESP_MAX_HEAD ? start + ZF_HRESP_MAX_HEAD
						      : len;
	size_t p = start;
	long nl = line_end(b, p, lim);
	int rc;

	memset(h, 0, sizeof(*h));
	if (nl < 0)
		goto short_head;
	{
		size_t e = (size_t)nl;

		if (e > p && b[e - 1] == '\r')
			e--;
		if ((rc = status_line(b, p, e, h)) < 0)
			return rc;
	}
	for (p = (size_t)nl + 1;; p = (size_t)nl + 1) {
		size_t s = p, e;

		nl = line_end(b, p, lim);
		if (nl < 0)
			goto short_head;
		e = (size_t)nl;
		if (e > s && b[e - 1] == '\r')
			e--;
		if (e == s) {
			h->end = (size_t)nl + 1 - start;
			return ZF_HRESP_DONE;
		}
		if ((rc = header_line(b, s, e, h)) < 0)
			return rc;
	}
short_head:
	if (lim < len || len - start >= ZF_HRESP_MAX_HEAD)
		return -EMSGSIZE;
	return eof ? -EBADMSG : ZF_HRESP_MORE;
}

/* A chunk-size line at P (before LEN): the size in *N and the start of the
 * data in *DATA; MORE, DONE or -EBADMSG. */
static int chunk_size(const char *b, size_t p, size_t len, size_t *n,
		      size_t *data)
{
	long nl = line_end(b, p, len);
	size_t x = 0, i = p, digits = 0;

	if (nl < 0)
		return len - p > 1024 ? -EBADMSG : ZF_HRESP_MORE;
	for (; i < (size_t)nl; i++, digits++) {
		char c = b[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			break;
		if (digits >= 15)
			return -EBADMSG;
		x = x * 16 + (size_t)d;
	}
	if (digits == 0 || (i < (size_t)nl && b[i] != ';' && b[i] != '\r' &&
			    b[i] != ' ' && b[i] != '\t'))
		return -EBADMSG;
	*n = x;
	*data = (size_t)nl + 1;
	return ZF_HRESP_DONE;
}

/* The end of a data chunk: CRLF or LF at P; its length in *SKIP. */
static int chunk_crlf(const char *b, size_t p, size_t len, size_t *skip)
{
	if (p >= len)
		return ZF_HRESP_MORE;
	if (b[p] == '\n') {
		*skip = 1;
		return ZF_HRESP_DONE;
	}
	if (b[p] != '\r')
		return -EBADMSG;
	if (p + 1 >= len)
		return ZF_HRESP_MORE;
	*skip = 2;
	return b[p + 1] == '\n' ? ZF_HRESP_DONE : -EBADMSG;
}

/* Trailer lines after the last chunk, to the blank line: *END past it. */
static int trailers(const char *b, size_t p, size_t len, size_t *end)
{
	for (;;) {
		long nl = line_end(b, p, len);
		size_t e;

		if (nl < 0)
			return len - p > ZF_HRESP_MAX_HEAD ? -EMSGSIZE
							   : ZF_HRESP_MORE;
		e = (size_t)nl;
		if (e > p && b[e - 1] == '\r')
			e--;
		if (e == p) {
			*end = (size_t)nl + 1;
			return ZF_HRESP_DONE;
		}
		p = (size_t)nl + 1;
	}
}

/* Walk the chunks from P; when complete, decode them in place at P. */
static int chunked(char *b, size_t p, size_t len, size_t max,
		   struct zf_hresp *out)
{
	size_t q = p, total = 0, n = 0, data = 0, skip = 0, w = p;
	int rc;

	for (;;) {
		if ((rc = chunk_size(b, q, len, &n, &data)) != ZF_HRESP_DONE)
			return rc;
		if (n == 0)
			break;
		if (n > max || total + n > max)
			return -EMSGSIZE;
		if (len - data < n)
			return ZF_HRESP_MORE;
		if ((rc = chunk_crlf(b, data + n, len, &skip)) != ZF_HRESP_DONE)
			return rc;
		total += n;
		q = data + n + skip;
	}
	if ((rc = trailers(b, data, len, &out->used)) != ZF_HRESP_DONE)
		return rc;
	for (q = p; chunk_size(b, q, len, &n, &data) == ZF_HRESP_DONE && n;
	     q = data + n + skip) {
		memmove(b + w, b + data, n);
		w += n;
		chunk_crlf(b, data + n, len, &skip);
	}
	out->body_off = p;
	out->body_len = total;
	return ZF_HRESP_DONE;
}

/* The body after head H, which starts at P. */
static int body(char *b, size_t p, size_t len, int eof, size_t max,
		const struct head *h, struct zf_hresp *out)
{
	out->body_off = p;
	out->body_len = 0;
	out->used = p;
	if (h->status == 204 || h->status == 304)
		return ZF_HRESP_DONE;
	if (h->chunked)
		return chunked(b, p, len, max, out);
	if (h->has_len) {
		if (h->clen > max)
			return -EMSGSIZE;
		if (len - p < h->clen)
			return eof ? -EBADMSG : ZF_HRESP_MORE;
		out->body_len = h->clen;
		out->used = p + h->clen;
		return ZF_HRESP_DONE;
	}
	if (len - p > max)
		return -EMSGSIZE;
	if (!eof)
		return ZF_HRESP_MORE;
	out->body_len = len - p;
	out->used = len;
	out->keep = 0;
	return ZF_HRESP_DONE;
}

int zf_hresp_parse(char *buf, size_t len, int eof, size_t max_body,
		   struct zf_hresp *out)
{
	size_t start = 0;
	struct head h;
	int rc;

	for (;;) {
		rc = parse_head(buf, start, len, eof, &h);
		if (rc != ZF_HRESP_DONE)
			return rc;
		if (h.status >= 200)
			break;
		if (h.status == 101)
			return -EBADMSG;
		start += h.end;         /* an interim response: skip it */
	}
	out->status = h.status;
	out->keep = h.minor == 1 ? !h.close : h.keepalive && !h.close;
	return body(buf, start + h.end, len, eof, max_body, &h, out);
}
