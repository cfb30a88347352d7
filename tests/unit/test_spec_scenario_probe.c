/* test_spec_scenario_probe.c - the probes of a scenario file: the http,
 * tcp and exec kinds with their defaults and limits, and the fields every
 * probe has (from, rate, timeout, slow). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/scenario.h"

#define GOOD_DIR ZF_TEST_DATA "/scenarios/good"
#define MS 1000000ull
#define SEC 1000000000ull
#define UNTOUCHED ((struct zf_scenario *)(uintptr_t)0x1)
#define HEAD "scenario: t\nclass: network\n" \
	     "params: { host: web-a, port: \"8080\", word: \"a b\" }\n" \
	     "probes:\n  p:\n"

/* Load HEAD + BODY (the rest of probe "p"); returns the scenario. */
static struct zf_scenario *load(const char *body)
{
	struct zf_scenario *s = NULL;
	char yaml[4096], err[1024] = "";
	int rc;

	snprintf(yaml, sizeof(yaml), HEAD "%s", body);
	rc = zf_scenario_load_buffer("t.yaml", yaml, strlen(yaml), NULL, 1.0,
				     &s, err, sizeof(err));
	if (rc < 0)
		print_message("%s\n", err);
	assert_int_equal(rc, 0);
	assert_int_equal(s->n_probes, 1);
	return s;
}

/* HEAD + BODY fails at WANT = "LINE:COL: substring of the message". */
static void fails(const char *body, const char *want)
{
	struct zf_scenario *s = UNTOUCHED;
	char yaml[4096], err[2048] = "", prefix[64];
	const char *text = strstr(want, ": ");
	int rc;

	snprintf(yaml, sizeof(yaml), HEAD "%s", body);
	rc = zf_scenario_load_buffer("t.yaml", yaml, strlen(yaml), NULL, 1.0,
				     &s, err, sizeof(err));
	assert_non_null(text);
	snprintf(prefix, sizeof(prefix), "t.yaml:%.*s: ",
		 (int)(text - want), want);
	if (rc == 0)
		zf_scenario_free(s);
	if (rc != -EINVAL || strncmp(err, prefix, strlen(prefix)) != 0 ||
	    !strstr(err, text + 2))
		print_message("want %s...%s\ngot  %s\n", prefix, text + 2, err);
	assert_int_equal(rc, -EINVAL);
	assert_ptr_equal(s, UNTOUCHED);
	assert_memory_equal(err, prefix, strlen(prefix));
	assert_non_null(strstr(err, text + 2));
}

static void check_http_url(const char *url, const char *want)
{
	char body[512];
	struct zf_scenario *s;

	snprintf(body, sizeof(body), "    http: { url: \"%s\" }\n"
		 "    from: u\n    rate: 1\n", url);
	s = load(body);
	assert_string_equal(s->probes[0].url, want);
	zf_scenario_free(s);
}

static void test_http(void **state)
{
	struct zf_scenario *s = load("    http: { url: \"http://www.lab\" }\n"
				     "    from: user1\n    rate: 200\n");
	const struct zf_scn_probe *p = &s->probes[0];

	(void)state;
	assert_string_equal(p->name, "p");
	assert_int_equal(p->kind, ZF_SCN_HTTP);
	assert_string_equal(p->from, "user1");
	assert_true(p->rate == 200);
	assert_int_equal(p->timeout_ns, 2 * SEC);
	assert_int_equal(p->slow_ns, 1 * SEC);
	assert_string_equal(p->url, "http://www.lab/");
	assert_string_equal(p->method, "GET");
	assert_null(p->body);
	assert_int_equal(p->status, 200);
	assert_int_equal(p->keepalive, 1);
	assert_int_equal(p->connections, 1);
	assert_null(p->connect);
	assert_null(p->argv);
	assert_int_equal(p->n_expects, 0);
	assert_int_equal(p->mark.line, 5);
	assert_int_equal(p->mark.col, 3);
	zf_scenario_free(s);
	check_http_url("http://{host}:{port}/a/b?c=d&e", "http://web-a:8080/a/b?c=d&e");
	check_http_url("http://198.18.1.2:1", "http://198.18.1.2:1/");
	check_http_url("http://www.lab:65535/", "http://www.lab:65535/");
}

/* The full file's http probe has every field. */
static void test_http_full(void **state)
{
	struct zf_scenario *s = NULL;
	char err[1024] = "";
	const struct zf_scn_probe *p;

	(void)state;
	assert_int_equal(zf_scenario_load(GOOD_DIR "/full.yaml", NULL, 1.0, &s,
					  err, sizeof(err)), 0);
	p = &s->probes[0];
	assert_string_equal(p->url, "http://www.lab:8080/health?deep=1");
	assert_string_equal(p->method, "POST");
	assert_string_equal(p->body, "{\"ping\": \"x y\"}");
	assert_int_equal(p->status, 204);
	assert_int_equal(p->keepalive, 0);
	assert_int_equal(p->connections, 8);
	assert_true(p->rate == 50);
	assert_int_equal(p->timeout_ns, 500 * MS);
	assert_int_equal(p->slow_ns, 250 * MS);
	assert_int_equal(p->n_expects, 4);
	p = &s->probes[1];
	assert_int_equal(p->kind, ZF_SCN_TCP);
	assert_string_equal(p->send, "PING\r\n");
	p = &s->probes[3];
	assert_int_equal(p->kind, ZF_SCN_EXEC);
	assert_string_equal(p->from, "web-b");
	assert_string_equal(p->argv[2], "http://nginx.lab/a b");
	zf_scenario_free(s);
}

static void test_http_fields(void **state)
{
	const char *methods[] = { "GET", "HEAD", "POST", "PUT", "DELETE",
				  "PATCH" };
	char body[512];
	struct zf_scenario *s;

	(void)state;
	for (size_t i = 0; i < sizeof(methods) / sizeof(*methods); i++) {
		snprintf(body, sizeof(body), "    http: { url: \"http://a/\", "
			 "method: %s, status: 599, connections: 1024, "
			 "keepalive: true, body: \"\" }\n    from: u\n"
			 "    rate: 1\n", methods[i]);
		s = load(body);
		assert_string_equal(s->probes[0].method, methods[i]);
		assert_int_equal(s->probes[0].status, 599);
		assert_int_equal(s->probes[0].connections, 1024);
		assert_int_equal(s->probes[0].keepalive, 1);
		assert_string_equal(s->probes[0].body, "");
		zf_scenario_free(s);
	}
	s = load("    http: { url: \"http://a/\", status: 100 }\n"
		 "    from: u\n    rate: 1\n");
	assert_int_equal(s->probes[0].status, 100);
	zf_scenario_free(s);
}

static void test_http_errors(void **state)
{
	(void)state;
	fails("    http: { url: \"https://a/\" }\n    from: u\n    rate: 1\n",
	      "6:18: bad URL 'https://a/' for 'url' of probe 'p': https is "
	      "not supported (probes speak plain HTTP): use http://");
	fails("    http: { url: \"ftp://a/\" }\n    from: u\n    rate: 1\n",
	      "6:18: bad URL 'ftp://a/' for 'url' of probe 'p': expected a "
	      "URL like http://www.lab/ or http://web-a:8080/path");
	fails("    http: { url: \"http:///x\" }\n    from: u\n    rate: 1\n",
	      "6:18: expected a host name after http://");
	fails("    http: { url: \"http://u@a/\" }\n    from: u\n    rate: 1\n",
	      "6:18: expected a host name after http://");
	fails("    http: { url: \"http://a:0/\" }\n    from: u\n    rate: 1\n",
	      "6:18: expected a port 1..65535 after the host");
	fails("    http: { url: \"http://a:65536\" }\n    from: u\n"
	      "    rate: 1\n", "6:18: expected a port 1..65535");
	fails("    http: { url: \"http://a:/\" }\n    from: u\n    rate: 1\n",
	      "6:18: expected a port 1..65535");
	fails("    http: { url: \"http://a/{word}\" }\n    from: u\n"
	      "    rate: 1\n", "6:18: bad URL 'http://a/a b' for 'url' of "
	      "probe 'p': the path may not contain spaces or control "
	      "characters");
	fails("    http: { method: GET }\n    from: u\n    rate: 1\n",
	      "6:11: missing key 'url' in 'http' of probe 'p'");
	fails("    http: { url: \"http://a/\", method: get }\n    from: u\n"
	      "    rate: 1\n", "6:39: expected 'method' of probe 'p' to be GET, "
	      "HEAD, POST, PUT, DELETE or PATCH, got 'get'");
	fails("    http: { url: \"http://a/\", status: 99 }\n    from: u\n"
	      "    rate: 1\n", "6:39: expected an integer from 100 to 599 for "
	      "'status' of probe 'p', got '99'");
	fails("    http: { url: \"http://a/\", status: 2xx }\n    from: u\n"
	      "    rate: 1\n", "6:39: expected an integer from 100 to 599");
	fails("    http: { url: \"http://a/\", connections: 0 }\n    from: u\n"
	      "    rate: 1\n", "6:44: expected an integer from 1 to 1024 for "
	      "'connections' of probe 'p', got '0'");
	fails("    http: { url: \"http://a/\", connections: 1025 }\n"
	      "    from: u\n    rate: 1\n", "6:44: expected an integer from 1 "
	      "to 1024");
	fails("    http: { url: \"http://a/\", keepalive: yes }\n    from: u\n"
	      "    rate: 1\n", "6:42: expected true or false for 'keepalive' "
	      "of probe 'p', got 'yes'");
	fails("    http: { url: \"http://a/\", body: [x] }\n    from: u\n"
	      "    rate: 1\n", "6:37: expected a string for 'body' of probe "
	      "'p', got a list");
	fails("    http: \"http://a/\"\n    from: u\n    rate: 1\n", "6:11: "
	      "expected a mapping for 'http' of probe 'p', got a string");
}

static void test_tcp(void **state)
{
	struct zf_scenario *s = load("    tcp: { connect: \"{host}:{port}\" }\n"
				     "    from: user2\n    rate: 0.25\n");
	const struct zf_scn_probe *p = &s->probes[0];

	(void)state;
	assert_int_equal(p->kind, ZF_SCN_TCP);
	assert_string_equal(p->connect, "web-a:8080");
	assert_null(p->send);
	assert_null(p->expect);
	assert_null(p->url);
	assert_string_equal(p->from, "user2");
	assert_true(p->rate == 0.25);
	zf_scenario_free(s);
	s = load("    tcp: { connect: \"10.0.0.1:1\", send: \"PING\\r\\n\", "
		 "expect: \"{word}\" }\n    from: u\n    rate: 1\n");
	assert_string_equal(s->probes[0].send, "PING\r\n");
	assert_string_equal(s->probes[0].expect, "a b");
	zf_scenario_free(s);
}

static void test_tcp_errors(void **state)
{
	(void)state;
	fails("    tcp: { connect: \"a\" }\n    from: u\n    rate: 1\n",
	      "6:21: expected HOST:PORT like lb-a:80 for 'connect' of probe "
	      "'p', got 'a'");
	fails("    tcp: { connect: \":80\" }\n    from: u\n    rate: 1\n",
	      "6:21: expected HOST:PORT");
	fails("    tcp: { connect: \"a:0\" }\n    from: u\n    rate: 1\n",
	      "6:21: expected HOST:PORT");
	fails("    tcp: { connect: \"a b:80\" }\n    from: u\n    rate: 1\n",
	      "6:21: expected HOST:PORT");
	fails("    tcp: { connect: \"a:80x\" }\n    from: u\n    rate: 1\n",
	      "6:21: expected HOST:PORT");
	fails("    tcp: { send: x }\n    from: u\n    rate: 1\n",
	      "6:10: missing key 'connect' in 'tcp' of probe 'p'");
	fails("    tcp: { connect: \"a:1\", send: \"\" }\n    from: u\n"
	      "    rate: 1\n", "6:34: empty 'send' of 'tcp' of probe 'p': leave "
	      "it out to only connect");
	fails("    tcp: { connect: \"a:1\", expect: '' }\n    from: u\n"
	      "    rate: 1\n", "6:36: empty 'expect' of 'tcp' of probe 'p': "
	      "leave it out when no reply is expected");
	fails("    tcp: { connect: \"a:1\", recv: x }\n    from: u\n"
	      "    rate: 1\n", "6:28: unknown key 'recv' in 'tcp' of probe 'p'; "
	      "allowed: connect, send, expect");
}

static void test_exec(void **state)
{
	struct zf_scenario *s = load("    exec: { in: \"{host}\", run: \"curl "
				     "-sf 'http://x/{word}' {word}\" }\n"
				     "    rate: 2\n    timeout: 5s\n"
				     "    slow: 100ms\n");
	const struct zf_scn_probe *p = &s->probes[0];

	(void)state;
	assert_int_equal(p->kind, ZF_SCN_EXEC);
	assert_string_equal(p->from, "web-a");
	assert_non_null(p->argv);
	assert_string_equal(p->argv[0], "curl");
	assert_string_equal(p->argv[1], "-sf");
	assert_string_equal(p->argv[2], "http://x/a b");
	assert_string_equal(p->argv[3], "a");
	assert_string_equal(p->argv[4], "b");
	assert_null(p->argv[5]);
	assert_int_equal(p->timeout_ns, 5 * SEC);
	assert_int_equal(p->slow_ns, 100 * MS);
	zf_scenario_free(s);
	s = load("    exec: { in: db, run: [\"{word}\", \"$HOME|x\", \"\"] }\n"
		 "    rate: 1\n");
	p = &s->probes[0];
	assert_string_equal(p->argv[0], "a b");
	assert_string_equal(p->argv[1], "$HOME|x");
	assert_string_equal(p->argv[2], "");
	assert_null(p->argv[3]);
	zf_scenario_free(s);
}

static void test_exec_errors(void **state)
{
	char body[8192];
	size_t n;

	(void)state;
	fails("    exec: { run: x }\n    rate: 1\n", "6:11: missing key 'in' "
	      "in 'exec' of probe 'p'");
	fails("    exec: { in: a }\n    rate: 1\n", "6:11: missing key 'run' "
	      "in 'exec' of probe 'p'");
	fails("    exec: { in: a, run: \"\" }\n    rate: 1\n", "6:25: empty "
	      "command in 'run' of probe 'p'");
	fails("    exec: { in: a, run: [] }\n    rate: 1\n", "6:25: expected 1 "
	      "to 256 words in 'run' of probe 'p'");
	fails("    exec: { in: a, run: [\"\", x] }\n    rate: 1\n", "6:26: "
	      "empty program name in 'run' of probe 'p'");
	fails("    exec: { in: a, run: { x: y } }\n    rate: 1\n", "6:25: "
	      "expected a command (a string or a list of words) for 'run' of "
	      "probe 'p', got a mapping");
	fails("    exec: { in: a, run: \"echo \\\"x\" }\n    rate: 1\n",
	      "6:25: bad command in 'run' of probe 'p': unterminated double "
	      "quote");
	fails("    exec: { in: a, run: \"{nope}\" }\n    rate: 1\n", "6:25: "
	      "unknown parameter '{nope}' in 'run' of probe 'p' (the scenario "
	      "has: host, port, word)");
	fails("    exec: { in: A, run: x }\n    rate: 1\n", "6:17: invalid host "
	      "name 'A' for 'in' of probe 'p'");
	fails("    exec: { in: a, run: x }\n    from: u\n    rate: 1\n",
	      "7:5: probe 'p' runs its command in the host named by 'in' of "
	      "'exec'; 'from' is for http, tcp, dns and write probes");
	n = (size_t)snprintf(body, sizeof(body), "    exec: { in: a, run: \"");
	for (int i = 0; i <= ZF_MAX_ARGS; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "w ");
	snprintf(body + n, sizeof(body) - n, "\" }\n    rate: 1\n");
	fails(body, "6:25: more than 256 words in 'run' of probe 'p'");
}

static void test_common_fields(void **state)
{
	struct zf_scenario *s = load("    tcp: { connect: \"a:1\" }\n"
				     "    from: \"{host}\"\n    rate: 1e6\n"
				     "    timeout: 1ns\n    slow: 1h\n");

	(void)state;
	assert_string_equal(s->probes[0].from, "web-a");
	assert_true(s->probes[0].rate == 1e6);
	assert_int_equal(s->probes[0].timeout_ns, 1);
	assert_int_equal(s->probes[0].slow_ns, 3600 * SEC);
	zf_scenario_free(s);
}

static void test_common_errors(void **state)
{
	(void)state;
	fails("    tcp: { connect: \"a:1\" }\n    from: u\n    rate: 1000001\n",
	      "8:11: 'rate' of probe 'p' must be more than 0 and at most "
	      "1000000 requests per second, got 1e+06");
	fails("    tcp: { connect: \"a:1\" }\n    from: u\n    rate: -1\n",
	      "8:11: 'rate' of probe 'p' must be more than 0");
	fails("    tcp: { connect: \"a:1\" }\n    from: u\n    rate: 10/s\n",
	      "8:11: expected a number for 'rate' of probe 'p', got '10/s'");
	fails("    tcp: { connect: \"a:1\" }\n    from: u\n    rate: nan\n",
	      "8:11: expected a number for 'rate'");
	fails("    tcp: { connect: \"a:1\" }\n    from: u\n    rate: 1e999\n",
	      "8:11: expected a number for 'rate'");
	fails("    tcp: { connect: \"a:1\" }\n    from: u\n", "6:5: missing "
	      "key 'rate' in probe 'p'");
	fails("    tcp: { connect: \"a:1\" }\n    from: u\n    rate: 1\n"
	      "    slow: 0s\n", "9:11: 'slow' of probe 'p' must be longer than "
	      "0");
	fails("    tcp: { connect: \"a:1\" }\n    from: u\n    rate: 1\n"
	      "    timeout: 2\n", "9:14: expected a duration like 250ms, 1.5s, "
	      "2m for 'timeout' of probe 'p', got '2'");
	fails("    tcp: { connect: \"a:1\" }\n    from: \"-u\"\n    rate: 1\n",
	      "7:11: invalid host or client name '-u' for 'from' of probe "
	      "'p'");
	fails("    tcp: { connect: \"a:1\" }\n    from: \"\"\n    rate: 1\n",
	      "7:11: expected a host or client name of 1 to 32 characters for "
	      "'from' of probe 'p', got ''");
	fails("    tcp: { connect: \"a:1\" }\n    exec: { in: a, run: b }\n"
	      "    rate: 1\n", "7:5: probe 'p' has both 'tcp' and 'exec': a "
	      "probe is one of http, tcp, exec, dns");
	fails("    rate: 1\n", "6:5: probe 'p' needs one of 'http', 'tcp', "
	      "'exec', 'dns', 'redis', 'etcd', 'sql' or 'http-write'");
	fails("    tcp: { connect: \"a:1\" }\n    from: u\n    rate: 1\n"
	      "    every: 1s\n", "9:5: unknown key 'every' in probe 'p'; "
	      "allowed: http, tcp, exec, dns, redis, etcd, sql, http-write, "
	      "from, rate, timeout, slow, settle, workers, expect");
}

static void test_probe_caps(void **state)
{
	char yaml[8192], err[512] = "";
	struct zf_scenario *s = UNTOUCHED;
	size_t n = (size_t)snprintf(yaml, sizeof(yaml), "scenario: t\n"
				    "class: power\nprobes:\n");

	(void)state;
	for (int i = 0; i <= ZF_SCN_MAX_PROBES; i++)
		n += (size_t)snprintf(yaml + n, sizeof(yaml) - n, "  p%d: { tcp: "
				      "{ connect: \"a:1\" }, from: u, rate: 1 }\n",
				      i);
	assert_int_equal(zf_scenario_load_buffer("t.yaml", yaml, n, NULL, 1,
						 &s, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "t.yaml:36:3: more than 32 probes in "
			    "'probes'");
	assert_ptr_equal(s, UNTOUCHED);
	fails("    tcp: { connect: \"a:1\" }\n    from: u\n    rate: 1\n"
	      "  abcdefghijabcdefghijabcdefghijabc: { tcp: { connect: \"a:1\" },"
	      " from: u, rate: 1 }\n", "9:3: probe name "
	      "'abcdefghijabcdefghijabcdefghijabc' is longer than 32 "
	      "characters");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_http_full),
		cmocka_unit_test(test_http_fields),
		cmocka_unit_test(test_http_errors),
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_tcp_errors),
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_exec_errors),
		cmocka_unit_test(test_common_fields),
		cmocka_unit_test(test_common_errors),
		cmocka_unit_test(test_probe_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
