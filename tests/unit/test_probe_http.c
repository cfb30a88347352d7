/* test_probe_http.c - the HTTP response parser of the probes: framing
 * (Content-Length, chunked, until close, no body), connection reuse,
 * interim responses, caps and malformed input, each fed whole and in
 * pieces of every size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/http_parse.h"

struct result {
	int rc;
	size_t used;            /* bytes of the input the response took */
	int status, keep;
};

/* Feed S (LEN bytes) in pieces of PIECE bytes (0: whole); then, if the
 * parser still wants more and AT_EOF, tell it the stream ended. */
static struct result parse(const char *s, size_t len, size_t piece, int head,
			   int at_eof)
{
	struct zf_http_resp r;
	struct result res = { ZF_HTTP_MORE, 0, 0, 0 };
	size_t off = 0, used;

	zf_http_resp_begin(&r, head);
	while (off < len && res.rc == ZF_HTTP_MORE) {
		size_t n = piece && len - off > piece ? piece : len - off;

		res.rc = zf_http_resp_feed(&r, s + off, n, &used);
		assert_true(used <= n);
		if (res.rc == ZF_HTTP_MORE)
			assert_int_equal(used, n);
		off += used;
	}
	if (res.rc == ZF_HTTP_MORE && at_eof)
		res.rc = zf_http_resp_eof(&r);
	res.used = off;
	res.status = r.status;
	res.keep = r.keep;
	return res;
}

/* The same result whatever the pieces. */
static struct result parse_all_ways(const char *s, size_t len, int head,
				    int at_eof)
{
	struct result whole = parse(s, len, 0, head, at_eof);

	for (size_t piece = 1; piece <= len && piece < 64; piece++) {
		struct result p = parse(s, len, piece, head, at_eof);

		assert_int_equal(p.rc, whole.rc);
		if (whole.rc == ZF_HTTP_DONE) {
			assert_int_equal(p.used, whole.used);
			assert_int_equal(p.status, whole.status);
			assert_int_equal(p.keep, whole.keep);
		}
	}
	return whole;
}

static struct result ok(const char *s, int head, int at_eof)
{
	struct result r = parse_all_ways(s, strlen(s), head, at_eof);

	if (r.rc != ZF_HTTP_DONE)
		fail_msg("not complete (%d): %s", r.rc, s);
	return r;
}

static void bad(const char *s, int err)
{
	struct result r = parse_all_ways(s, strlen(s), 0, 1);

	if (r.rc != err)
		fail_msg("%d instead of %d for: %s", r.rc, err, s);
}

static void test_content_length(void **state)
{
	const char *nginx = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
		"Date: Sun, 22 Nov 2026 04:04:05 GMT\r\n"
		"Content-Type: text/plain\r\nContent-Length: 2\r\n"
		"Connection: keep-alive\r\n\r\nok";
	struct result r;

	(void)state;
	r = ok(nginx, 0, 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.keep, 1);
	assert_int_equal(r.used, strlen(nginx));
	r = ok("HTTP/1.1 503 Service Unavailable\r\ncontent-LENGTH:  5 \r\n"
	       "\r\nhello", 0, 0);
	assert_int_equal(r.status, 503);
	assert_int_equal(r.keep, 1);
	r = ok("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 0);
	assert_int_equal(r.status, 200);
	/* Repeated identical lengths are one length. */
	ok("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
	   0, 0);
	/* Bare LF line ends; no reason phrase. */
	r = ok("HTTP/1.1 404\nContent-Length: 1\n\nx", 0, 0);
	assert_int_equal(r.status, 404);
	/* Bytes after the response are not its own. */
	r = ok("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 200", 0, 0);
	assert_int_equal(r.used, strlen("HTTP/1.1 200 OK\r\nContent-Length: "
					"1\r\n\r\nx"));
}

static void test_keep(void **state)
{
	(void)state;
	assert_int_equal(ok("HTTP/1.1 200 OK\r\nConnection: close\r\n"
			    "Content-Length: 0\r\n\r\n", 0, 0).keep, 0);
	assert_int_equal(ok("HTTP/1.1 200 OK\r\nConnection: foo, CLOSE\r\n"
			    "Content-Length: 0\r\n\r\n", 0, 0).keep, 0);
	assert_int_equal(ok("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
			    0, 0).keep, 0);
	assert_int_equal(ok("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\n"
			    "Content-Length: 0\r\n\r\n", 0, 0).keep, 1);
}

static void test_chunked(void **state)
{
	struct result r;

	(void)state;
	r = ok("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	       "5\r\nhello\r\nA;name=value\r\n0123456789\r\n0\r\n\r\n", 0, 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.keep, 1);
	/* Trailers, upper-case hex, a coding list ending in chunked. */
	r = ok("HTTP/1.1 201 Created\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
	       "1F\r\n0123456789012345678901234567890\r\n0\r\nX-Sum: 1\r\n"
	       "X-More: 2\r\n\r\n", 0, 0);
	assert_int_equal(r.status, 201);
	/* Transfer-Encoding wins over Content-Length; no reuse then. */
	r = ok("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n"
	       "Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n", 0, 0);
	assert_int_equal(r.keep, 0);
	bad("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
	    -EBADMSG);
	bad("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
	    -EBADMSG);
	bad("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n",
	    -EBADMSG);
	bad("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "100001\r\n", -EMSGSIZE);
	bad("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "ffffffffffffffffffff\r\n", -EMSGSIZE);
}

static void test_no_body(void **state)
{
	struct result r;

	(void)state;
	r = ok("HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n", 0, 0);
	assert_int_equal(r.status, 204);
	ok("HTTP/1.1 304 Not Modified\r\n\r\n", 0, 0);
	r = ok("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", 1, 0);
	assert_int_equal(r.keep, 1);
	/* Interim responses are skipped. */
	r = ok("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
	       "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 0, 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.keep, 1);
}

static void test_until_close(void **state)
{
	const char *s = "HTTP/1.1 200 OK\r\nServer: x\r\n\r\nbody bytes";
	struct result r = parse_all_ways(s, strlen(s), 0, 0);

	(void)state;
	assert_int_equal(r.rc, ZF_HTTP_MORE);
	r = ok(s, 0, 1);
	assert_int_equal(r.keep, 0);
	r = ok("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz", 0, 1);
	assert_int_equal(r.keep, 0);
	/* Cut short: -EPIPE at the end of the stream. */
	bad("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", -EPIPE);
	bad("HTTP/1.1 200 OK\r\nContent-Le", -EPIPE);
	bad("", -EPIPE);
	bad("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
	    -EPIPE);
}

static void test_malformed(void **state)
{
	(void)state;
	bad("FOO/1.1 200 OK\r\n\r\n", -EBADMSG);
	bad("HTTP/2 200 OK\r\n\r\n", -EBADMSG);
	bad("HTTP/1.1  200 OK\r\n\r\n", -EBADMSG);
	bad("HTTP/1.1 20 OK\r\n\r\n", -EBADMSG);
	bad("HTTP/1.1 020 OK\r\n\r\n", -EBADMSG);
	bad("HTTP/1.1 2000 OK\r\n\r\n", -EBADMSG);
	bad("HTTP/1.1 abc OK\r\n\r\n", -EBADMSG);
	bad("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", -EBADMSG);
	bad("HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n", -EBADMSG);
	bad("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", -EBADMSG);
	bad("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
	    -EBADMSG);
	bad("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", -EBADMSG);
	bad("HTTP/1.1 200 OK\r\n: x\r\n\r\n", -EBADMSG);
	/* A stray CR inside a value we skip is tolerated. */
	assert_int_equal(ok("HTTP/1.1 200 OK\r\nX: y\rz\r\n\r\n", 0, 1).status,
			 200);
	bad("HTTP/1.1 200\r\r\n\r\n", -EBADMSG);
	bad("HTTP/1.1 200 OK\r\nX: 1\r\n\rx", -EBADMSG);
}

static void test_caps(void **state)
{
	size_t big = ZF_HTTP_MAX_HEAD + 100, n;
	char *s = malloc(big + 64);
	char cl[80];

	(void)state;
	/* 1 MiB of body is fine, a byte more is not. */
	snprintf(cl, sizeof(cl), "HTTP/1.1 200 OK\r\nContent-Length: %u\r\n\r\n",
		 ZF_HTTP_MAX_BODY);
	assert_int_equal(parse(cl, strlen(cl), 0, 0, 0).rc, ZF_HTTP_MORE);
	snprintf(cl, sizeof(cl), "HTTP/1.1 200 OK\r\nContent-Length: %u\r\n\r\n",
		 ZF_HTTP_MAX_BODY + 1);
	assert_int_equal(parse(cl, strlen(cl), 0, 0, 0).rc, -EMSGSIZE);
	bad("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
	    -EMSGSIZE);
	/* A head of more than 64 KiB. */
	n = (size_t)snprintf(s, big, "HTTP/1.1 200 OK\r\nX-Big: ");
	memset(s + n, 'a', big - n);
	memcpy(s + big, "\r\n\r\n", 5);
	assert_int_equal(parse(s, big + 4, 0, 0, 1).rc, -EMSGSIZE);
	assert_int_equal(parse(s, big + 4, 4096, 0, 1).rc, -EMSGSIZE);
	free(s);
}

static void test_sticky(void **state)
{
	struct zf_http_resp r;
	size_t used;

	(void)state;
	zf_http_resp_begin(&r, 0);
	assert_int_equal(zf_http_resp_feed(&r, "XTTP", 4, &used), -EBADMSG);
	assert_int_equal(zf_http_resp_feed(&r, "HTTP", 4, &used), -EBADMSG);
	assert_int_equal(used, 0);
	assert_int_equal(zf_http_resp_eof(&r), -EBADMSG);
	zf_http_resp_begin(&r, 0);
	assert_int_equal(zf_http_resp_feed(&r, "HTTP/1.1 200 OK\r\n\r\n", 19,
					   &used), ZF_HTTP_MORE);
	assert_int_equal(zf_http_resp_eof(&r), ZF_HTTP_DONE);
	assert_int_equal(zf_http_resp_feed(&r, "x", 1, &used), ZF_HTTP_DONE);
	assert_int_equal(used, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_keep),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_no_body),
		cmocka_unit_test(test_until_close),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_sticky),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
