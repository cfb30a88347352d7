/* test_spec_scenario_write.c - the write probes of scenario files (redis,
 * etcd, sql, http-write): their fields and defaults, settle and workers,
 * templates, every broken form with its file:line:col message, and
 * data-safety expectations refused on probes that write nothing; plus a
 * whole scenario file with one probe of each kind. */
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
	     "params: { master: mymaster, db: db-a }\n" \
	     "probes:\n  p:\n"
#define TAIL "    from: user1\n    rate: 100\n"

static struct zf_scenario *load(const char *body)
{
	struct zf_scenario *s = NULL;
	char yaml[4096], err[1024] = "";
	int rc;

	snprintf(yaml, sizeof(yaml), HEAD "%s", body);
	rc = zf_scenario_load_buffer("t.yaml", yaml, strlen(yaml), NULL, 4.0,
				     &s, err, sizeof(err));
	if (rc < 0)
		fail_msg("%s", err);
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
		fail_msg("want %s...%s\ngot  %s", prefix, text + 2, err);
	assert_ptr_equal(s, UNTOUCHED);
}

static void test_redis_sentinel(void **state)
{
	struct zf_scenario *s = load(
		"    redis: { sentinels: [sentinel-a, \"sentinel-b:26380\"], "
		"master: \"{master}\", key: zf-set }\n" TAIL
		"    expect: { lost: \"== 0\", valid: \"== true\" }\n");
	const struct zf_scn_probe *p = &s->probes[0];

	(void)state;
	assert_int_equal(p->kind, ZF_SCN_REDIS);
	assert_true(zf_scn_is_write(p->kind));
	assert_non_null(p->write);
	assert_true(p->write->sentinel);
	assert_string_equal(p->write->nodes[0], "sentinel-a");
	assert_string_equal(p->write->nodes[1], "sentinel-b:26380");
	assert_null(p->write->nodes[2]);
	assert_string_equal(p->write->master, "mymaster");
	assert_string_equal(p->write->op, "sadd");
	assert_string_equal(p->write->key, "zf-set");
	/* defaults of every write probe; settle is not time-scaled */
	assert_int_equal(p->settle_ns, 5 * SEC);
	assert_int_equal(p->workers, 16);
	assert_int_equal(p->n_expects, 2);
	assert_int_equal(p->expects[0].data, ZF_DM_LOST);
	zf_scenario_free(s);
}

static void test_redis_addr(void **state)
{
	struct zf_scenario *s = load("    redis: { addr: \"redis-a:6380\", op: set }\n"
				     TAIL "    settle: 2s\n    workers: 4\n");
	const struct zf_scn_probe *p = &s->probes[0];

	(void)state;
	assert_false(p->write->sentinel);
	assert_null(p->write->master);
	assert_string_equal(p->write->nodes[0], "redis-a:6380");
	assert_string_equal(p->write->op, "set");
	assert_string_equal(p->write->key, "zf-writes:");
	assert_int_equal(p->settle_ns, 2 * SEC);
	assert_int_equal(p->workers, 4);
	zf_scenario_free(s);
	s = load("    redis: { addr: redis-a }\n" TAIL);
	assert_string_equal(s->probes[0].write->key, "zf-writes");
	zf_scenario_free(s);
}

static void test_etcd_sql_http(void **state)
{
	struct zf_scenario *s = load("    etcd: { endpoints: [etcd-a, etcd-b, etcd-c] }\n"
				     TAIL);

	(void)state;
	assert_int_equal(s->probes[0].kind, ZF_SCN_ETCD);
	assert_string_equal(s->probes[0].write->nodes[2], "etcd-c");
	assert_string_equal(s->probes[0].write->key, "/zf/");
	zf_scenario_free(s);
	s = load("    sql: { host: \"{db}\" }\n" TAIL);
	assert_int_equal(s->probes[0].kind, ZF_SCN_SQL);
	assert_string_equal(s->probes[0].write->nodes[0], "db-a");
	assert_null(s->probes[0].write->nodes[1]);
	assert_int_equal(s->probes[0].write->port, 5432);
	assert_string_equal(s->probes[0].write->conninfo,
			    "user=postgres dbname=postgres");
	assert_string_equal(s->probes[0].write->key, "zf_writes");
	zf_scenario_free(s);
	s = load("    sql: { host: [db-a, db-b], port: 5433, table: t_1,\n"
		 "           conninfo: \"dbname=zf user=postgres\" }\n" TAIL);
	assert_string_equal(s->probes[0].write->nodes[1], "db-b");
	assert_int_equal(s->probes[0].write->port, 5433);
	assert_string_equal(s->probes[0].write->key, "t_1");
	assert_string_equal(s->probes[0].write->conninfo, "dbname=zf user=postgres");
	zf_scenario_free(s);
	s = load("    http-write: { url: \"http://www.lab/items\" }\n" TAIL);
	assert_int_equal(s->probes[0].kind, ZF_SCN_HTTPW);
	assert_string_equal(s->probes[0].write->url, "http://www.lab/items");
	assert_string_equal(s->probes[0].write->read_url, "http://www.lab/items");
	assert_string_equal(s->probes[0].write->method, "POST");
	zf_scenario_free(s);
	s = load("    http-write: { url: \"http://web:8080/i/\", method: PUT,\n"
		 "                  read_url: \"http://web-b/i/\" }\n" TAIL);
	assert_string_equal(s->probes[0].write->method, "PUT");
	assert_string_equal(s->probes[0].write->read_url, "http://web-b/i/");
	zf_scenario_free(s);
}

static void test_redis_errors(void **state)
{
	(void)state;
	fails("    redis: { key: k }\n" TAIL, "6:12: 'redis' of probe 'p' needs "
	      "either 'sentinels'");
	fails("    redis: { addr: a, sentinels: [b] }\n" TAIL, "6:14: not both");
	fails("    redis: { addr: a, master: m }\n" TAIL, "6:23: 'master' of "
	      "'redis' of probe 'p' names Sentinel's master: it needs 'sentinels'");
	fails("    redis: { addr: a, op: incr }\n" TAIL, "6:27: op incr is not "
	      "supported");
	fails("    redis: { addr: a, op: get }\n" TAIL, "6:27: expected sadd or "
	      "set");
	fails("    redis: { addr: \"a:0\" }\n" TAIL, "6:20: expected HOST or "
	      "HOST:PORT");
	fails("    redis: { sentinels: [] }\n" TAIL, "6:25: expected a host or a "
	      "list of 1 to 16 hosts");
	fails("    redis: { sentinels: [a, b, c, d, e, f, g, h, i, j, k, l, m, n, "
	      "o, p, q] }\n" TAIL, "6:74: 1 to 16 hosts");
	fails("    redis: { addr: a, key: \"a b\" }\n" TAIL, "6:28: without "
	      "spaces for 'key'");
	fails("    redis: { addr: a, from: user1 }\n    rate: 1\n", "6:23: 'from' "
	      "belongs to probe 'p' itself, beside 'redis'");
	fails("    redis: { addr: a, ttl: 1 }\n" TAIL, "6:23: unknown key 'ttl'");
	fails("    redis: [a]\n" TAIL, "6:12: ");
}

static void test_other_errors(void **state)
{
	(void)state;
	fails("    etcd: { prefix: /a/ }\n" TAIL, "6:11: missing key 'endpoints'");
	fails("    etcd: { endpoints: [a], settle: 1s }\n" TAIL, "6:29: 'settle' "
	      "belongs to probe 'p' itself");
	fails("    sql: { conninfo: x }\n" TAIL, "6:10: missing key 'host'");
	fails("    sql: { host: a, table: Zf }\n" TAIL, "6:28: expected a table "
	      "name");
	fails("    sql: { host: a, table: \"x; drop\" }\n" TAIL, "6:28: expected a "
	      "table name");
	fails("    sql: { host: a, port: 0 }\n" TAIL, "6:27: expected an integer");
	fails("    http-write: { url: \"https://a/\" }\n" TAIL, "6:24: https is not "
	      "supported");
	fails("    http-write: { url: \"http://a/x\", method: PUT }\n" TAIL,
	      "6:24: must end with '/'");
	fails("    http-write: { url: \"http://a/x\", method: GET }\n" TAIL,
	      "6:46: expected POST");
	fails("    http-write: { method: POST }\n" TAIL, "6:17: missing key 'url'");
	fails("    sql: { host: a }\n    dns: { name: a }\n" TAIL, "6:5: probe 'p' "
	      "has both 'dns' and 'sql'");
}

/* settle and workers: write probes only, in range; data-safety metrics:
 * write probes only. */
static void test_probe_fields(void **state)
{
	(void)state;
	fails("    http: { url: \"http://a/\" }\n" TAIL "    settle: 1s\n",
	      "9:5: 'settle' is for write probes");
	fails("    tcp: { connect: \"a:1\" }\n" TAIL "    workers: 2\n",
	      "9:5: 'workers' is for write probes");
	fails("    redis: { addr: a }\n" TAIL "    workers: 0\n", "9:14: ");
	fails("    redis: { addr: a }\n" TAIL "    workers: 257\n", "9:14: ");
	fails("    redis: { addr: a }\n" TAIL "    settle: 2h\n", "9:13: longer than "
	      "an hour");
	fails("    http: { url: \"http://a/\" }\n" TAIL
	      "    expect: { availability: \">= 99%\", lost: \"== 0\" }\n",
	      "9:39: 'lost' is a data-safety metric, measured by write probes");
	fails("    dns: { name: a }\n" TAIL "    expect: [ \"valid == true\" ]\n",
	      "9:15: 'valid' is a data-safety metric");
	fails("    exec: { in: a, run: x }\n    rate: 1\n"
	      "    expect: { acknowledged: \">= 1\" }\n", "8:15: 'acknowledged' is "
	      "a data-safety metric");
}

/* The example file: one probe of each kind, all fields. */
static void test_file(void **state)
{
	struct zf_scenario *s = NULL;
	char err[1024] = "";

	(void)state;
	if (zf_scenario_load(GOOD_DIR "/writes.yaml", NULL, 1.0, &s, err,
			     sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_int_equal(s->n_probes, 4);
	assert_int_equal(s->probes[0].kind, ZF_SCN_REDIS);
	assert_int_equal(s->probes[1].kind, ZF_SCN_ETCD);
	assert_int_equal(s->probes[2].kind, ZF_SCN_SQL);
	assert_int_equal(s->probes[3].kind, ZF_SCN_HTTPW);
	assert_int_equal(s->probes[0].settle_ns, 5 * SEC);
	assert_int_equal(s->probes[0].timeout_ns, 1000 * MS);
	assert_int_equal(s->probes[0].n_expects, 2);
	assert_int_equal(s->probes[2].workers, 4);
	zf_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redis_sentinel),
		cmocka_unit_test(test_redis_addr),
		cmocka_unit_test(test_etcd_sql_http),
		cmocka_unit_test(test_redis_errors),
		cmocka_unit_test(test_other_errors),
		cmocka_unit_test(test_probe_fields),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
