/* test_probe_write.c - the pieces of write probes that need no server:
 * what each system's answers mean (ok, fail, unknown: write_outcome.c),
 * the value prefix and the values of earlier runs, node names, the HTTP
 * response parser with bodies, http-write collections, etcd's JSON, and
 * the final read's collector. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/etcd_json.h"
#include "probe/wcollect.h"
#include "probe/whttp.h"
#include "probe/write_int.h"

#define OUT(c, o, k) do { struct zf_wclass c_ = (c); \
	assert_int_equal(c_.out, (o)); assert_int_equal(c_.cause, (k)); } while (0)

static void test_redis_outcomes(void **state)
{
	(void)state;
	OUT(zf_wclass_redis(ZF_RR_STATUS, "OK", 2), ZF_W_OK, ZF_OUT_OK);
	OUT(zf_wclass_redis(ZF_RR_INTEGER, NULL, 0), ZF_W_OK, ZF_OUT_OK);
	/* refused before it ran */
	OUT(zf_wclass_redis(ZF_RR_ERROR, "NOREPLICAS Not enough good replicas "
			    "to write.", 43), ZF_W_FAIL, ZF_OUT_STATUS);
	OUT(zf_wclass_redis(ZF_RR_ERROR, "READONLY You can't write against a "
			    "read only replica.", 53), ZF_W_FAIL, ZF_OUT_STATUS);
	OUT(zf_wclass_redis(ZF_RR_ERROR, "MASTERDOWN Link with MASTER is down",
			    35), ZF_W_FAIL, ZF_OUT_STATUS);
	OUT(zf_wclass_redis(ZF_RR_ERROR, "OOM command not allowed", 23),
	    ZF_W_FAIL, ZF_OUT_STATUS);
	OUT(zf_wclass_redis(ZF_RR_ERROR, "ERR unknown command", 19), ZF_W_FAIL,
	    ZF_OUT_STATUS);
	OUT(zf_wclass_redis(ZF_RR_ERROR, "ASK 3999 127.0.0.1:6381", 23),
	    ZF_W_FAIL, ZF_OUT_STATUS);
	/* codes not known to refuse, and odd replies: unknown */
	OUT(zf_wclass_redis(ZF_RR_ERROR, "ASKING?", 7), ZF_W_UNKNOWN,
	    ZF_OUT_STATUS);
	OUT(zf_wclass_redis(ZF_RR_ERROR, "NOTBUSY x", 9), ZF_W_UNKNOWN,
	    ZF_OUT_STATUS);
	OUT(zf_wclass_redis(ZF_RR_ERROR, "ERRX", 4), ZF_W_UNKNOWN, ZF_OUT_STATUS);
	OUT(zf_wclass_redis(ZF_RR_ERROR, NULL, 0), ZF_W_UNKNOWN, ZF_OUT_STATUS);
	OUT(zf_wclass_redis(ZF_RR_STATUS, "QUEUED", 6), ZF_W_UNKNOWN,
	    ZF_OUT_STATUS);
	OUT(zf_wclass_redis(ZF_RR_NIL, NULL, 0), ZF_W_UNKNOWN, ZF_OUT_STATUS);
	OUT(zf_wclass_redis(ZF_RR_ARRAY, NULL, 0), ZF_W_UNKNOWN, ZF_OUT_STATUS);
	OUT(zf_wclass_redis(ZF_RR_STRING, "OK", 2), ZF_W_UNKNOWN, ZF_OUT_STATUS);
	assert_true(zf_redis_error_rediscover("READONLY x", 10));
	assert_true(zf_redis_error_rediscover("LOADING", 7));
	assert_false(zf_redis_error_rediscover("NOREPLICAS x", 12));
	assert_false(zf_redis_error_rediscover(NULL, 0));
}

static void test_errno_outcomes(void **state)
{
	(void)state;
	OUT(zf_wclass_unsent(ECONNREFUSED), ZF_W_FAIL, ZF_OUT_REFUSED);
	OUT(zf_wclass_unsent(EHOSTUNREACH), ZF_W_FAIL, ZF_OUT_UNREACHABLE);
	OUT(zf_wclass_unsent(ENETUNREACH), ZF_W_FAIL, ZF_OUT_UNREACHABLE);
	OUT(zf_wclass_unsent(ETIMEDOUT), ZF_W_FAIL, ZF_OUT_TIMEOUT);
	OUT(zf_wclass_unsent(EIO), ZF_W_FAIL, ZF_OUT_OTHER);
	OUT(zf_wclass_no_reply(ETIMEDOUT), ZF_W_UNKNOWN, ZF_OUT_TIMEOUT);
	OUT(zf_wclass_no_reply(EAGAIN), ZF_W_UNKNOWN, ZF_OUT_TIMEOUT);
	OUT(zf_wclass_no_reply(ECONNRESET), ZF_W_UNKNOWN, ZF_OUT_RESET);
	OUT(zf_wclass_no_reply(0), ZF_W_UNKNOWN, ZF_OUT_RESET);
	OUT(zf_wclass_no_reply(EBADMSG), ZF_W_UNKNOWN, ZF_OUT_OTHER);
}

static void test_etcd_outcomes(void **state)
{
	(void)state;
	OUT(zf_wclass_etcd(200, NULL), ZF_W_OK, ZF_OUT_OK);
	OUT(zf_wclass_etcd(503, "etcdserver: no leader"), ZF_W_FAIL, ZF_OUT_STATUS);
	OUT(zf_wclass_etcd(429, "etcdserver: too many requests"), ZF_W_FAIL,
	    ZF_OUT_STATUS);
	OUT(zf_wclass_etcd(500, "raft proposal dropped"), ZF_W_FAIL, ZF_OUT_STATUS);
	OUT(zf_wclass_etcd(400, NULL), ZF_W_FAIL, ZF_OUT_STATUS);
	/* may commit after the answer */
	OUT(zf_wclass_etcd(503, "etcdserver: request timed out"), ZF_W_UNKNOWN,
	    ZF_OUT_STATUS);
	OUT(zf_wclass_etcd(503, "etcdserver: request timed out, possibly due to "
			   "previous leader failure"), ZF_W_UNKNOWN, ZF_OUT_STATUS);
	OUT(zf_wclass_etcd(500, "etcdserver: leader changed"), ZF_W_UNKNOWN,
	    ZF_OUT_STATUS);
	OUT(zf_wclass_etcd(504, "context deadline exceeded"), ZF_W_UNKNOWN,
	    ZF_OUT_STATUS);
	OUT(zf_wclass_etcd(500, "something new"), ZF_W_UNKNOWN, ZF_OUT_STATUS);
	OUT(zf_wclass_etcd(502, NULL), ZF_W_UNKNOWN, ZF_OUT_STATUS);
	assert_true(zf_etcd_leave_endpoint(503, "etcdserver: no leader"));
	assert_true(zf_etcd_leave_endpoint(500, NULL));
	assert_true(zf_etcd_leave_endpoint(0, NULL));
	assert_false(zf_etcd_leave_endpoint(200, NULL));
	assert_false(zf_etcd_leave_endpoint(400, "etcdserver: key is not provided"));
}

static void test_sql_outcomes(void **state)
{
	(void)state;
	OUT(zf_wclass_sql(1, NULL, NULL), ZF_W_OK, ZF_OUT_OK);
	/* an ERROR rolled the statement's transaction back */
	OUT(zf_wclass_sql(0, "ERROR", "25006"), ZF_W_FAIL, ZF_OUT_STATUS);
	OUT(zf_wclass_sql(0, "ERROR", "40001"), ZF_W_FAIL, ZF_OUT_STATUS);
	OUT(zf_wclass_sql(0, "ERROR", "57014"), ZF_W_FAIL, ZF_OUT_STATUS);
	/* FATAL may come after the local commit; no message: broken link */
	OUT(zf_wclass_sql(0, "FATAL", "57P01"), ZF_W_UNKNOWN, ZF_OUT_STATUS);
	OUT(zf_wclass_sql(0, "PANIC", "XX000"), ZF_W_UNKNOWN, ZF_OUT_STATUS);
	OUT(zf_wclass_sql(0, "ERROR", NULL), ZF_W_UNKNOWN, ZF_OUT_STATUS);
	OUT(zf_wclass_sql(0, NULL, NULL), ZF_W_UNKNOWN, ZF_OUT_RESET);
}

static void test_http_outcomes(void **state)
{
	(void)state;
	OUT(zf_wclass_http(200), ZF_W_OK, ZF_OUT_OK);
	OUT(zf_wclass_http(201), ZF_W_OK, ZF_OUT_OK);
	OUT(zf_wclass_http(204), ZF_W_OK, ZF_OUT_OK);
	OUT(zf_wclass_http(400), ZF_W_FAIL, ZF_OUT_STATUS);
	OUT(zf_wclass_http(409), ZF_W_FAIL, ZF_OUT_STATUS);
	OUT(zf_wclass_http(429), ZF_W_FAIL, ZF_OUT_STATUS);
	OUT(zf_wclass_http(501), ZF_W_FAIL, ZF_OUT_STATUS);
	OUT(zf_wclass_http(503), ZF_W_FAIL, ZF_OUT_STATUS);
	OUT(zf_wclass_http(500), ZF_W_UNKNOWN, ZF_OUT_STATUS);
	OUT(zf_wclass_http(502), ZF_W_UNKNOWN, ZF_OUT_STATUS);
	OUT(zf_wclass_http(504), ZF_W_UNKNOWN, ZF_OUT_STATUS);
	OUT(zf_wclass_http(302), ZF_W_UNKNOWN, ZF_OUT_STATUS);
}

static void test_prefix(void **state)
{
	char p[ZF_LEDGER_MAX_PREFIX + 1], q[ZF_LEDGER_MAX_PREFIX + 1];
	char long_name[100];
	uint64_t t = 1795671600ull * 1000000000ull;   /* 2026-11-26T05:40:00Z */
	struct zf_ledger *l = NULL;
	const char *mine, *other;

	(void)state;
	assert_int_equal(zf_wprefix(p, sizeof(p), t, 0xbeef, "web_1"), 0);
	assert_string_equal(p, "zf-20261126T054000-beef-web_1-");
	assert_int_equal(zf_ledger_new(p, &l), 0);   /* a valid prefix */
	zf_ledger_free(l);
	assert_int_equal(zf_wprefix(p, sizeof(p), t, 0xbeef, ""), -EINVAL);
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_int_equal(zf_wprefix(p, sizeof(p), t, 1, long_name), 0);
	assert_int_equal(strlen(p), ZF_LEDGER_MAX_PREFIX);
	assert_int_equal(zf_wprefix(p, sizeof(p), t, 7, "w"), 0);
	/* earlier runs: the same form, another start or nonce */
	assert_int_equal(zf_wprefix(q, sizeof(q), t - 1000000000ull, 7, "w"), 0);
	mine = "zf-20261126T054000-0007-w-12";
	other = "zf-20261126T053959-0007-w-12";
	assert_false(zf_wvalue_other_run(p, mine, strlen(mine)));
	assert_true(zf_wvalue_other_run(p, other, strlen(other)));
	assert_true(zf_wvalue_other_run(p, "zf-20261126T054000-0008-w-1", 27));
	/* another probe of this run, or anything else: not skipped */
	assert_false(zf_wvalue_other_run(p, "zf-20261126T054000-0007-x-1", 27));
	assert_false(zf_wvalue_other_run(p, "hello", 5));
	assert_false(zf_wvalue_other_run(p, "zf-2026112XT041959-0007-w-1", 27));
	assert_false(zf_wvalue_other_run(p, "zf-20261126T041959", 18));
}

static void test_nodes(void **state)
{
	struct zf_wnode names[2] = { { .name = "redis-a" }, { .name = "redis-b" } };
	struct zf_wspec s = { .names = names, .n_names = 2 };
	char buf[64];
	uint32_t ip;

	(void)state;
	names[0].addr.sin_addr.s_addr = htonl(0xc6120102);
	names[1].addr.sin_addr.s_addr = htonl(0xc6120202);
	zf_wnode_name(&s, 0xc6120202, 6379, buf, sizeof(buf));
	assert_string_equal(buf, "redis-b");
	zf_wnode_name(&s, 0xc6120302, 6380, buf, sizeof(buf));
	assert_string_equal(buf, "198.18.3.2:6380");
	assert_int_equal(zf_wnode_lookup(&s, "redis-a.lab", &ip), 0);
	assert_int_equal(ip, 0xc6120102);
	assert_int_equal(zf_wnode_lookup(&s, "redis-b", &ip), 0);
	assert_int_equal(ip, 0xc6120202);
	assert_int_equal(zf_wnode_lookup(&s, "10.0.0.1", &ip), 0);
	assert_int_equal(ip, 0x0a000001);
	assert_int_equal(zf_wnode_lookup(&s, "redis", &ip), -ENOENT);
}

/* Parse the whole of S (copied: chunked bodies are decoded in place). */
static int parse(const char *s, int eof, size_t max, struct zf_hresp *r,
		 char *copy)
{
	size_t n = strlen(s);

	memcpy(copy, s, n + 1);
	return zf_hresp_parse(copy, n, eof, max, r);
}

static void test_hresp(void **state)
{
	static const char cl[] = "HTTP/1.1 201 Created\r\nContent-Length: 5\r\n"
				 "Connection: keep-alive\r\n\r\nhello";
	static const char chunked[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
				      "chunked\r\n\r\n5;x=1\r\nhello\r\n1\r\n,\r\n"
				      "6\r\n world\r\n0\r\nTrailer: 1\r\n\r\n";
	struct zf_hresp r;
	char copy[512];

	(void)state;
	assert_int_equal(parse(cl, 0, 100, &r, copy), ZF_HRESP_DONE);
	assert_int_equal(r.status, 201);
	assert_int_equal(r.keep, 1);
	assert_int_equal(r.body_len, 5);
	assert_memory_equal(copy + r.body_off, "hello", 5);
	assert_int_equal(r.used, strlen(cl));
	/* every prefix of a response needs more */
	for (size_t n = 0; n < strlen(cl); n++) {
		memcpy(copy, cl, n);
		assert_int_equal(zf_hresp_parse(copy, n, 0, 100, &r), ZF_HRESP_MORE);
	}
	for (size_t n = 0; n < strlen(chunked); n++) {
		memcpy(copy, chunked, n);
		assert_int_equal(zf_hresp_parse(copy, n, 0, 100, &r), ZF_HRESP_MORE);
	}
	assert_int_equal(parse(chunked, 0, 100, &r, copy), ZF_HRESP_DONE);
	assert_int_equal(r.body_len, 12);
	assert_memory_equal(copy + r.body_off, "hello, world", 12);
	assert_int_equal(r.used, strlen(chunked));
	assert_int_equal(parse(chunked, 0, 11, &r, copy), -EMSGSIZE);
	/* interim response, bare LF, close-delimited body, HTTP/1.0 */
	assert_int_equal(parse("HTTP/1.1 100 Continue\n\nHTTP/1.0 200 OK\nX: y\n\nab",
			       0, 100, &r, copy), ZF_HRESP_MORE);
	assert_int_equal(parse("HTTP/1.1 100 Continue\n\nHTTP/1.0 200 OK\nX: y\n\nab",
			       1, 100, &r, copy), ZF_HRESP_DONE);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.keep, 0);
	assert_int_equal(r.body_len, 2);
	assert_int_equal(parse("HTTP/1.1 204 No Content\r\n\r\n", 0, 0, &r, copy),
			 ZF_HRESP_DONE);
	assert_int_equal(r.body_len, 0);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nConnection: close\r\n"
			       "Content-Length: 0\r\n\r\n", 0, 0, &r, copy),
			 ZF_HRESP_DONE);
	assert_int_equal(r.keep, 0);
	/* broken */
	assert_int_equal(parse("HTTP/2 200 OK\r\n\r\n", 0, 9, &r, copy), -EBADMSG);
	assert_int_equal(parse("HTTP/1.1 20 OK\r\n\r\n", 0, 9, &r, copy), -EBADMSG);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
			       "Content-Length: 2\r\n\r\nab", 0, 9, &r, copy),
			 -EBADMSG);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
			       0, 9, &r, copy), -EBADMSG);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
			       0, 9, &r, copy), -EBADMSG);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab",
			       1, 9, &r, copy), -EBADMSG);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n",
			       0, 9, &r, copy), -EMSGSIZE);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
			       "\r\nzz\r\n", 0, 9, &r, copy), -EBADMSG);
	assert_int_equal(parse("HTTP/1.1 101 Switching\r\n\r\n", 0, 9, &r, copy),
			 -EBADMSG);
	assert_int_equal(parse("garbage", 1, 9, &r, copy), -EBADMSG);
}

static void test_hresp_caps(void **state)
{
	size_t n = ZF_HRESP_MAX_HEAD + 100;
	char *big = malloc(n + 1);
	struct zf_hresp r;

	(void)state;
	memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
	memset(big + 20, 'a', n - 20);
	assert_int_equal(zf_hresp_parse(big, n, 0, 9, &r), -EMSGSIZE);
	free(big);
}

struct values {
	char v[16][64];
	size_t n;
	int refuse_at;
};

static int collect(void *ctx, const char *v, size_t len)
{
	struct values *vs = ctx;

	if ((int)vs->n == vs->refuse_at)
		return -E2BIG;
	assert_true(vs->n < 16 && len < 64);
	memcpy(vs->v[vs->n], v, len);
	vs->v[vs->n++][len] = '\0';
	return 0;
}

static void test_collection(void **state)
{
	static const char lines[] = "a1\r\n\r\nb2\nc3";
	static const char strs[] = " \n [\"x\", \"y\"]";
	static const char nginx[] = "[\n{ \"name\":\"sub\", \"type\":\"directory\" },\n"
				    "{ \"name\":\"zf-1\", \"type\":\"file\", \"size\":4 },\n"
				    "{ \"value\":\"v\", \"name\":\"n\" }\n]\n";
	struct values vs = { .refuse_at = -1 };
	char err[200] = "";

	(void)state;
	assert_int_equal(zf_wcollect_parse(lines, strlen(lines), collect, &vs, err,
					   sizeof(err)), 0);
	assert_int_equal(vs.n, 3);
	assert_string_equal(vs.v[0], "a1");
	assert_string_equal(vs.v[2], "c3");
	vs.n = 0;
	assert_int_equal(zf_wcollect_parse(strs, strlen(strs), collect, &vs, err,
					   sizeof(err)), 0);
	assert_int_equal(vs.n, 2);
	assert_string_equal(vs.v[1], "y");
	vs.n = 0;
	assert_int_equal(zf_wcollect_parse(nginx, strlen(nginx), collect, &vs, err,
					   sizeof(err)), 0);
	assert_int_equal(vs.n, 2);
	assert_string_equal(vs.v[0], "zf-1");
	assert_string_equal(vs.v[1], "v");
	vs.n = 0;
	assert_int_equal(zf_wcollect_parse("[1]", 3, collect, &vs, err, sizeof(err)),
			 -EBADMSG);
	assert_non_null(strstr(err, "element 0"));
	assert_int_equal(zf_wcollect_parse("[\"a\"", 4, collect, &vs, err,
					   sizeof(err)), -EBADMSG);
	vs.refuse_at = 1;
	assert_int_equal(zf_wcollect_parse("a\nb\nc", 5, collect, &vs, err,
					   sizeof(err)), -E2BIG);
	assert_int_equal(zf_wcollect_parse("", 0, collect, &vs, err, sizeof(err)), 0);
}

static void test_etcd_json(void **state)
{
	static const char page[] = "{\"header\":{\"revision\":\"9\"},\"kvs\":["
		"{\"key\":\"L3pmL2E=\",\"value\":\"YQ==\"},"
		"{\"key\":\"L3pmL2I=\",\"create_revision\":\"3\"},"
		"{\"key\":\"L3pmL2Nj\",\"value\":\"Y2M=\"}],\"more\":true,\"count\":\"5\"}";
	struct values vs = { .refuse_at = -1 };
	struct zf_etcd_page pg;
	char out[16], err[200], *s;
	long n;

	(void)state;
	s = zf_b64_encode("/zf/a", 5);
	assert_string_equal(s, "L3pmL2E=");
	free(s);
	s = zf_b64_encode("", 0);
	assert_string_equal(s, "");
	free(s);
	n = zf_b64_decode("L3pmL2Nj", 8, out);
	assert_int_equal(n, 6);
	assert_memory_equal(out, "/zf/cc", 6);
	assert_int_equal(zf_b64_decode("L3pm=2E=", 8, out), -EINVAL);
	assert_int_equal(zf_b64_decode("L3p", 3, out), -EINVAL);
	assert_int_equal(zf_b64_decode("YQ==YQ==", 8, out), -EINVAL);
	assert_int_equal(zf_etcd_prefix_end("/zf/", 4, out), 4);
	assert_memory_equal(out, "/zf0", 4);
	assert_int_equal(zf_etcd_prefix_end("a\xff", 2, out), 1);
	assert_int_equal(out[0], 'b');
	assert_int_equal(zf_etcd_prefix_end("\xff\xff", 2, out), 0);
	s = zf_etcd_put_body("/zf/a", 5, "a", 1);
	assert_string_equal(s, "{\"key\":\"L3pmL2E=\",\"value\":\"YQ==\"}");
	free(s);
	assert_int_equal(zf_etcd_range_parse(page, strlen(page), collect, &vs, &pg,
					     err, sizeof(err)), 0);
	assert_int_equal(vs.n, 3);
	assert_string_equal(vs.v[0], "a");
	assert_string_equal(vs.v[1], "");
	assert_string_equal(vs.v[2], "cc");
	assert_true(pg.more);
	assert_int_equal(pg.n_kvs, 3);
	assert_int_equal(pg.last_len, 6);
	assert_memory_equal(pg.last_key, "/zf/cc", 6);
	free(pg.last_key);
	/* an empty range: no kvs, no more */
	assert_int_equal(zf_etcd_range_parse("{\"header\":{}}", 13, collect, &vs,
					     &pg, err, sizeof(err)), 0);
	assert_false(pg.more);
	assert_null(pg.last_key);
	assert_int_equal(zf_etcd_range_parse("{\"kvs\":[]}", 10, collect, &vs, &pg,
					     err, sizeof(err)), -EBADMSG);
	assert_int_equal(zf_etcd_range_parse("{\"header\":{},\"kvs\":[{\"key\":1}]}",
					     31, collect, &vs, &pg, err,
					     sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "kvs[0]"));
	free(pg.last_key);
	s = "{\"error\":\"etcdserver: no leader\",\"code\":14}";
	assert_int_equal(zf_etcd_error_text(s, strlen(s), err, sizeof(err)), 0);
	assert_string_equal(err, "etcdserver: no leader");
	assert_int_equal(zf_etcd_error_text("{\"message\":\"m\"}", 15, err,
					    sizeof(err)), 0);
	assert_string_equal(err, "m");
	assert_int_equal(zf_etcd_error_text("nope", 4, err, sizeof(err)), -ENOENT);
}

static void test_wread(void **state)
{
	struct zf_wread rd = { .prefix = "zf-20261126T042000-0007-w-" };
	uint32_t len;

	(void)state;
	assert_int_equal(zf_wread_value(&rd, "zf-20261126T042000-0007-w-1", 27), 0);
	assert_int_equal(zf_wread_value(&rd, "zf-20251126T042000-0007-w-1", 27), 0);
	assert_int_equal(zf_wread_value(&rd, "other\0x", 7), 0);
	assert_int_equal(rd.n, 2);
	assert_int_equal(rd.earlier, 1);
	memcpy(&len, rd.buf + 4 + 27, 4);
	assert_int_equal(len, 7);
	assert_memory_equal(rd.buf + 4 + 27 + 4, "other\0x", 7);
	zf_wread_reset(&rd);
	assert_int_equal(rd.n, 0);
	assert_int_equal(zf_wread_fail(&rd, "no %s", "master"), -EIO);
	assert_string_equal(rd.error, "no master");
	zf_wread_fini(&rd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redis_outcomes),
		cmocka_unit_test(test_errno_outcomes),
		cmocka_unit_test(test_etcd_outcomes),
		cmocka_unit_test(test_sql_outcomes),
		cmocka_unit_test(test_http_outcomes),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_nodes),
		cmocka_unit_test(test_hresp),
		cmocka_unit_test(test_hresp_caps),
		cmocka_unit_test(test_collection),
		cmocka_unit_test(test_etcd_json),
		cmocka_unit_test(test_wread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
