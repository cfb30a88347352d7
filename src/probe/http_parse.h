/* http_parse.h - (private to src/probe) an incremental, bounds-checked
 * parser of one HTTP/1.x response, as a client reads it.
 *
 * Bytes are fed as they arrive, in pieces of any size; the parser keeps no
 * copy of them (a few bytes of a header name or token at most), so a
 * response costs no allocation. It reads the status line and headers
 * (at most ZF_HTTP_MAX_HEAD bytes, 1xx interim responses included), then
 * skips a body delimited by Content-Length, by chunked coding (chunk
 * framing and trailers: at most ZF_HTTP_MAX_HEAD bytes) or by the end of
 * the connection, of at most ZF_HTTP_MAX_BODY bytes. Lines may end in
 * CRLF or a bare LF. */
#ifndef ZF_PROBE_HTTP_PARSE_H
#define ZF_PROBE_HTTP_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define ZF_HTTP_MAX_HEAD (64u * 1024u)
#define ZF_HTTP_MAX_BODY (1024u * 1024u)

enum { ZF_HTTP_MORE = 0, ZF_HTTP_DONE = 1 };

struct zf_http_resp {
	/* Results, once ZF_HTTP_DONE was returned. */
	int status;             /* 100..999 */
	int keep;               /* the connection may carry a next request */
	/* Parser state: opaque to callers. */
	int err;                /* sticky error, 0 none */
	uint8_t state, line, hdr, vstate;
	uint8_t head_req, minor, flags, toklen;
	uint32_t pos;
	uint64_t head_bytes, frame_bytes;
	uint64_t num, remaining, content_length, body_bytes;
	char tok[20];
};

/* Start a response; HEAD_REQUEST: it answers a HEAD (never has a body). */
void zf_http_resp_begin(struct zf_http_resp *r, int head_request);

/* Feed LEN bytes of BUF. Returns ZF_HTTP_MORE when all were used and more
 * are needed, ZF_HTTP_DONE when the response is complete (*USED bytes of
 * BUF belong to it; any rest does not), or a negative errno: -EBADMSG for
 * a malformed response, -EMSGSIZE when a cap is exceeded. After DONE or an
 * error, further calls return the same without using any byte. */
int zf_http_resp_feed(struct zf_http_resp *r, const char *buf, size_t len,
		      size_t *used);

/* The peer closed the connection: ZF_HTTP_DONE if that completes the
 * response (a body delimited by the close, or one already complete),
 * -EPIPE if the response is cut short, or the sticky error. */
int zf_http_resp_eof(struct zf_http_resp *r);

#endif
