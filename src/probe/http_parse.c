/* http_parse.c - incremental HTTP/1.x response parser (see http_parse.h).
 *
 * A state machine over bytes. Line-oriented states end in end_line(), which
 * acts on the kind of line that ended (r->line). Runs of bytes the parser
 * does not need (reason phrase, unknown headers, chunk extensions,
 * trailers, bodies) are skipped with memchr or by length, not byte by
 * byte. Every byte consumed is charged to the head, the chunk framing or
 * the body, each with its cap. */
#include "probe/http_parse.h"

#include <errno.h>
#include <string.h>

enum state {
	/* head */
	ST_VER, ST_SP, ST_CODE, ST_REASON, ST_LINE, ST_NAME, ST_VALUE, ST_SKIP,
	ST_HCR,
	/* chunk framing */
	ST_CHUNK_SIZE, ST_CHUNK_EXT, ST_CHUNK_END, ST_TRAILER, ST_TRAILER_SKIP,
	ST_FCR,
	/* body */
	ST_BODY, ST_CHUNK_DATA, ST_EOF_BODY,
	ST_DONE, ST_ERR
};

enum line {
	L_STATUS, L_HEADER, L_SKIP, L_HEAD_END,
	L_CHUNK_SIZE, L_CHUNK_END, L_TRAILER, L_TRAILER_END
};

enum hdr { H_OTHER, H_CL, H_TE, H_CONN };

enum flag {
	F_CL = 1, F_TE = 2, F_CHUNKED = 4, F_CLOSE = 8, F_KEEPALIVE = 16
};

#define MAX_CL_DIGITS 16        /* more is nonsense: > 1 PB */

static const char version[] = "HTTP/1.";

static int fail(struct zf_http_resp *r, int err)
{
	r->state = ST_ERR;
	r->err = err;
	return err;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int is_ows(char c) { return c == ' ' || c == '\t'; }

static int tok_is(const struct zf_http_resp *r, const char *s)
{
	size_t n = strlen(s);

	return r->toklen == n && memcmp(r->tok, s, n) == 0;
}

void zf_http_resp_begin(struct zf_http_resp *r, int head_request)
{
	memset(r, 0, sizeof(*r));
	r->state = ST_VER;
	r->line = L_STATUS;
	r->head_req = (uint8_t)(head_request != 0);
}

/* A token of Transfer-Encoding or Connection ended. */
static void token_done(struct zf_http_resp *r)
{
	if (!r->toklen)
		return;
	if (r->hdr == H_TE) {
		r->flags |= F_TE;
		if (tok_is(r, "chunked"))
			r->flags |= F_CHUNKED;
		else
			r->flags &= (uint8_t)~F_CHUNKED;
	} else if (tok_is(r, "close")) {
		r->flags |= F_CLOSE;
	} else if (tok_is(r, "keep-alive")) {
		r->flags |= F_KEEPALIVE;
	}
	r->toklen = 0;
}

/* One byte of the value of a header we interpret. */
static int value_byte(struct zf_http_resp *r, char c)
{
	if (r->hdr != H_CL) {
		if (c == ',')
			token_done(r);
		else if (!is_ows(c) && r->toklen < sizeof(r->tok))
			r->tok[r->toklen++] = lower(c);
		else if (!is_ows(c))
			r->toklen = 0xff;       /* too long: matches nothing */
		return 0;
	}
	if (c >= '0' && c <= '9' && r->vstate < 2) {
		if (++r->pos > MAX_CL_DIGITS)
			return fail(r, -EMSGSIZE);
		r->num = r->num * 10 + (uint64_t)(c - '0');
		r->vstate = 1;
		return 0;
	}
	if (is_ows(c)) {
		if (r->vstate == 1)
			r->vstate = 2;
		return 0;
	}
	return fail(r, -EBADMSG);
}

/* The value of a header we interpret is complete. */
static int value_done(struct zf_http_resp *r)
{
	if (r->hdr != H_CL) {
		token_done(r);
		return 0;
	}
	if (r->vstate == 0)
		return fail(r, -EBADMSG);
	if ((r->flags & F_CL) && r->content_length != r->num)
		return fail(r, -EBADMSG);
	r->flags |= F_CL;
	r->content_length = r->num;
	return 0;
}

/* A header name ended at ':': decide how its value is read. */
static void name_done(struct zf_http_resp *r)
{
	r->hdr = tok_is(r, "content-length") ? H_CL :
		 tok_is(r, "transfer-encoding") ? H_TE :
		 tok_is(r, "connection") ? H_CONN : H_OTHER;
	r->toklen = 0;
	r->num = 0;
	r->pos = 0;
	r->vstate = 0;
	if (r->hdr == H_OTHER) {
		r->state = ST_SKIP;
		r->line = L_SKIP;
	} else {
		r->state = ST_VALUE;
		r->line = L_HEADER;
	}
}

/* The head ended: interim responses start over; otherwise choose how the
 * body is delimited (RFC 9112 section 6.3). */
static int head_done(struct zf_http_resp *r)
{
	int s = r->status;

	if (s / 100 == 1 && s != 101) {
		r->state = ST_VER;
		r->line = L_STATUS;
		r->pos = 0;
		r->flags = 0;
		r->status = 0;
		return ZF_HTTP_MORE;
	}
	r->keep = !(r->flags & F_CLOSE) &&
		  (r->minor >= 1 || (r->flags & F_KEEPALIVE));
	if (r->head_req || s == 204 || s == 304 || s == 101) {
		r->keep = r->keep && s != 101;
		r->state = ST_DONE;
		return ZF_HTTP_DONE;
	}
	if (r->flags & F_TE) {
		r->keep = r->keep && (r->flags & F_CHUNKED) && !(r->flags & F_CL);
		r->state = (r->flags & F_CHUNKED) ? ST_CHUNK_SIZE : ST_EOF_BODY;
		r->line = L_CHUNK_SIZE;
		r->num = 0;
		r->pos = 0;
		return ZF_HTTP_MORE;
	}
	if (!(r->flags & F_CL)) {
		r->keep = 0;
		r->state = ST_EOF_BODY;
		return ZF_HTTP_MORE;
	}
	if (r->content_length > ZF_HTTP_MAX_BODY)
		return fail(r, -EMSGSIZE);
	r->body_bytes = r->remaining = r->content_length;
	r->state = r->remaining ? ST_BODY : ST_DONE;
	return r->remaining ? ZF_HTTP_MORE : ZF_HTTP_DONE;
}

/* A chunk-size line ended. */
static int chunk_size_done(struct zf_http_resp *r)
{
	if (r->pos == 0)
		return fail(r, -EBADMSG);
	if (r->num == 0) {
		r->state = ST_TRAILER;
		r->line = L_TRAILER_END;
		return ZF_HTTP_MORE;
	}
	r->body_bytes += r->num;
	if (r->body_bytes > ZF_HTTP_MAX_BODY)
		return fail(r, -EMSGSIZE);
	r->remaining = r->num;
	r->state = ST_CHUNK_DATA;
	return ZF_HTTP_MORE;
}

/* A line of kind r->line ended (its LF was consumed). */
static int end_line(struct zf_http_resp *r)
{
	switch (r->line) {
	case L_HEADER:
		if (value_done(r) < 0)
			return r->err;
		/* fall through */
	case L_STATUS:
	case L_SKIP:
		r->state = ST_LINE;
		r->line = L_HEAD_END;
		return ZF_HTTP_MORE;
	case L_HEAD_END:
		return head_done(r);
	case L_CHUNK_SIZE:
		return chunk_size_done(r);
	case L_CHUNK_END:
		r->state = ST_CHUNK_SIZE;
		r->line = L_CHUNK_SIZE;
		r->num = 0;
		r->pos = 0;
		return ZF_HTTP_MORE;
	case L_TRAILER:
		r->state = ST_TRAILER;
		r->line = L_TRAILER_END;
		return ZF_HTTP_MORE;
	default:                /* L_TRAILER_END */
		r->state = ST_DONE;
		return ZF_HTTP_DONE;
	}
}

/* CR or LF where a line may end; anything else is -EBADMSG. */
static int line_end_byte(struct zf_http_resp *r, char c)
{
	if (c == '\n')
		return end_line(r);
	if (c != '\r')
		return fail(r, -EBADMSG);
	r->state = r->state < ST_CHUNK_SIZE ? ST_HCR : ST_FCR;
	return ZF_HTTP_MORE;
}

/* The status line up to its reason phrase: "HTTP/1.x ddd". */
static int status_byte(struct zf_http_resp *r, char c)
{
	if (r->state == ST_VER) {
		if (r->pos < sizeof(version) - 1) {
			if (c != version[r->pos++])
				return fail(r, -EBADMSG);
			return ZF_HTTP_MORE;
		}
		if (c < '0' || c > '9')
			return fail(r, -EBADMSG);
		r->minor = (uint8_t)(c - '0');
		r->state = ST_SP;
		return ZF_HTTP_MORE;
	}
	if (r->state == ST_SP) {
		if (c != ' ')
			return fail(r, -EBADMSG);
		r->state = ST_CODE;
		r->pos = 0;
		return ZF_HTTP_MORE;
	}
	if (r->pos < 3) {
		if (c < '0' || c > '9' || (r->pos == 0 && c == '0'))
			return fail(r, -EBADMSG);
		r->status = r->status * 10 + (c - '0');
		r->pos++;
		return ZF_HTTP_MORE;
	}
	if (c == ' ') {
		r->state = ST_REASON;
		return ZF_HTTP_MORE;
	}
	return line_end_byte(r, c);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The start of a header line, or the empty line that ends the head. */
static int line_start_byte(struct zf_http_resp *r, char c)
{
	if (c == '\r' || c == '\n')
		return line_end_byte(r, c);
	if (is_ows(c)) {                /* obsolete line folding: ignored */
		r->state = ST_SKIP;
		r->line = L_SKIP;
		return ZF_HTTP_MORE;
	}
	if (c == ':' || (unsigned char)c < ' ' || c == 0x7f)
		return fail(r, -EBADMSG);
	r->state = ST_NAME;
	r->tok[0] = lower(c);
	r->toklen = 1;
	return ZF_HTTP_MORE;
}

/* A byte of a header name: kept (lower case) while short enough to be
 * one we interpret. */
static int name_byte(struct zf_http_resp *r, char c)
{
	if (c == ':') {
		name_done(r);
		return ZF_HTTP_MORE;
	}
	if ((unsigned char)c <= ' ' || c == 0x7f)
		return fail(r, -EBADMSG);
	if (r->toklen < sizeof(r->tok))
		r->tok[r->toklen++] = lower(c);
	else
		r->toklen = 0xff;       /* too long for a name we know */
	return ZF_HTTP_MORE;
}

/* A byte of a chunk-size line: hex digits (capped at the body cap), then
 * extensions or the line end. */
static int chunk_size_byte(struct zf_http_resp *r, char c)
{
	int d = hexval(c);

	if (d >= 0) {
		r->num = r->num * 16 + (uint64_t)d;
		r->pos++;
		return r->num > ZF_HTTP_MAX_BODY ? fail(r, -EMSGSIZE)
						  : ZF_HTTP_MORE;
	}
	if (c == ';' || is_ows(c)) {
		if (r->pos == 0)
			return fail(r, -EBADMSG);
		r->state = ST_CHUNK_EXT;
		return ZF_HTTP_MORE;
	}
	return line_end_byte(r, c);
}

/* One byte in a state that looks at every byte. */
static int byte_step(struct zf_http_resp *r, char c)
{
	switch (r->state) {
	case ST_VER:
	case ST_SP:
	case ST_CODE:
		return status_byte(r, c);
	case ST_LINE:
		return line_start_byte(r, c);
	case ST_NAME:
		return name_byte(r, c);
	case ST_VALUE:
		if (c == '\r' || c == '\n')
			return line_end_byte(r, c);
		return value_byte(r, c);
	case ST_HCR:
	case ST_FCR:
		return c == '\n' ? end_line(r) : fail(r, -EBADMSG);
	case ST_CHUNK_SIZE:
		return chunk_size_byte(r, c);
	case ST_CHUNK_END:
		return line_end_byte(r, c);
	default:                /* ST_TRAILER */
		if (c == '\r' || c == '\n')
			return line_end_byte(r, c);
		r->state = ST_TRAILER_SKIP;
		r->line = L_TRAILER;
		return ZF_HTTP_MORE;
	}
}

/* 0 head, 1 chunk framing, 2 body (charged by length elsewhere). */
static int class_of(uint8_t st)
{
	return st < ST_CHUNK_SIZE ? 0 : st < ST_BODY ? 1 : 2;
}

static int is_skip(uint8_t st)
{
	return st == ST_REASON || st == ST_SKIP || st == ST_CHUNK_EXT ||
	       st == ST_TRAILER_SKIP;
}

/* Consume bytes from *I on while the state stays of one kind. */
static int run(struct zf_http_resp *r, const char *buf, size_t len,
	       size_t *i)
{
	uint8_t st = r->state;
	size_t take = len - *i;
	const char *nl;
	int rc = ZF_HTTP_MORE;

	if (st == ST_BODY || st == ST_CHUNK_DATA) {
		if (take > r->remaining)
			take = (size_t)r->remaining;
		*i += take;
		r->remaining -= take;
		if (r->remaining)
			return ZF_HTTP_MORE;
		r->state = st == ST_BODY ? ST_DONE : ST_CHUNK_END;
		r->line = L_CHUNK_END;
		return st == ST_BODY ? ZF_HTTP_DONE : ZF_HTTP_MORE;
	}
	if (st == ST_EOF_BODY) {
		*i = len;
		r->body_bytes += take;
		return r->body_bytes > ZF_HTTP_MAX_BODY ? fail(r, -EMSGSIZE)
							 : ZF_HTTP_MORE;
	}
	if (is_skip(st)) {
		nl = memchr(buf + *i, '\n', take);
		if (!nl) {
			*i = len;
			return ZF_HTTP_MORE;
		}
		*i = (size_t)(nl - buf) + 1;
		return end_line(r);
	}
	while (*i < len && rc == ZF_HTTP_MORE && r->state == st)
		rc = byte_step(r, buf[(*i)++]);
	return rc;
}

int zf_http_resp_feed(struct zf_http_resp *r, const char *buf, size_t len,
		      size_t *used)
{
	size_t i = 0, start;
	int rc = ZF_HTTP_MORE, cls;

	while (i < len && rc == ZF_HTTP_MORE && r->state < ST_DONE) {
		start = i;
		cls = class_of(r->state);
		rc = run(r, buf, len, &i);
		if (cls == 0)
			r->head_bytes += i - start;
		else if (cls == 1)
			r->frame_bytes += i - start;
		if (r->head_bytes > ZF_HTTP_MAX_HEAD ||
		    r->frame_bytes > ZF_HTTP_MAX_HEAD)
			rc = fail(r, -EMSGSIZE);
	}
	*used = i;
	if (r->state == ST_DONE)
		return ZF_HTTP_DONE;
	return r->state == ST_ERR ? r->err : rc;
}

int zf_http_resp_eof(struct zf_http_resp *r)
{
	if (r->state == ST_EOF_BODY)
		r->state = ST_DONE;
	if (r->state == ST_DONE)
		return ZF_HTTP_DONE;
	return r->state == ST_ERR ? r->err : -EPIPE;
}
