/* test_spec_lab.c - lab files load into exactly the model they describe;
 * caps are enforced at the offending node. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/lab.h"

#define GOOD_DIR ZF_TEST_DATA "/labs/good"
#define MS 1000000ull
#define SEC 1000000000ull

static struct zf_lab *load_good(const char *name)
{
	char path[512], err[1024] = "";
	struct zf_lab *lab = NULL;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", GOOD_DIR, name);
	rc = zf_lab_load(path, &lab, err, sizeof(err));
	if (rc < 0)
		print_message("%s\n", err);
	assert_int_equal(rc, 0);
	assert_non_null(lab);
	return lab;
}

/* Check that the NULL-terminated V equals the WANT words (N of them). */
static void assert_strv(char **v, const char *const *want, size_t n)
{
	assert_non_null(v);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(v[i]);
		assert_string_equal(v[i], want[i]);
	}
	assert_null(v[n]);
}

#define ASSERT_STRV(v, ...) do { \
	static const char *const want_[] = { __VA_ARGS__ }; \
	assert_strv((v), want_, sizeof(want_) / sizeof(*want_)); \
} while (0)

static const struct zf_service *service(const struct zf_lab *lab,
					const char *host, size_t i,
					const char *name)
{
	int h = zf_lab_find_host(lab, host);

	assert_true(h >= 0);
	assert_true(i < lab->hosts[h].n_services);
	assert_string_equal(lab->hosts[h].services[i].name, name);
	return &lab->hosts[h].services[i];
}

static void check_full_topology(const struct zf_lab *lab)
{
	char dir[PATH_MAX];

	assert_string_equal(lab->name, "full-lab");
	assert_string_equal(lab->domain, "corp");
	assert_string_equal(lab->path, GOOD_DIR "/full.yaml");
	assert_non_null(realpath(GOOD_DIR, dir));
	assert_string_equal(lab->dir, dir);
	assert_int_equal(lab->block, 0x0a400000u);
	assert_int_equal(lab->block_len, 16);
	assert_int_equal(lab->cross_zone_ns, 1500000);
	assert_int_equal(lab->cross_region_ns, 40 * MS);
	assert_int_equal(lab->n_regions, 2);
	assert_string_equal(lab->regions[0].name, "east");
	assert_int_equal(lab->regions[0].mark.line, 6);
	assert_int_equal(lab->regions[0].mark.col, 3);
	assert_string_equal(lab->regions[1].name, "west");
	assert_int_equal(lab->n_zones, 3);
	assert_string_equal(lab->zones[0].full, "east/a");
	assert_string_equal(lab->zones[1].full, "east/b");
	assert_string_equal(lab->zones[2].full, "west/a");
	assert_string_equal(lab->zones[2].name, "a");
	assert_int_equal(lab->zones[2].region, 1);
	assert_int_equal(lab->zones[1].mark.line, 6);
	assert_int_equal(lab->zones[1].mark.col, 22);
}

static void check_full_hosts(const struct zf_lab *lab)
{
	static const char *const names[] = { "web-a", "web-b", "db-a",
					     "user1", "user2" };
	static const int zones[] = { 0, 1, 2, -1, -1 };
	static const int regions[] = { 0, 0, 1, -1, -1 };
	static const size_t services[] = { 3, 1, 0, 1, 0 };

	assert_int_equal(lab->n_hosts, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(lab->hosts[i].name, names[i]);
		assert_int_equal(lab->hosts[i].zone, zones[i]);
		assert_int_equal(lab->hosts[i].region, regions[i]);
		assert_int_equal(lab->hosts[i].is_client, i >= 3);
		assert_int_equal(lab->hosts[i].n_services, services[i]);
	}
	assert_int_equal(lab->hosts[0].mark.line, 16);
	assert_int_equal(lab->hosts[3].mark.line, 11);
	assert_int_equal(lab->n_records, 2);
	assert_string_equal(lab->records[0].name, "www");
	assert_int_equal(lab->records[0].n_hosts, 2);
	assert_int_equal(lab->records[0].hosts[0], 0);
	assert_int_equal(lab->records[0].hosts[1], 1);
	assert_string_equal(lab->records[1].name, "db");
	assert_int_equal(lab->records[1].n_hosts, 1);
	assert_int_equal(lab->records[1].hosts[0], 2);
}

/* web-a's services are sorted cache, db-proxy, app by "after". */
static void check_full_web_a(const struct zf_lab *lab)
{
	const struct zf_service *s;

	s = service(lab, "web-a", 0, "cache");
	ASSERT_STRV(s->argv, "cache-server", "--port", "6379");
	assert_non_null(s->env);
	assert_null(s->env[0]);
	assert_int_equal(s->restart, ZF_RESTART_NO);
	assert_int_equal(s->n_after, 0);
	assert_int_equal(s->ready.kind, ZF_READY_EXEC);
	ASSERT_STRV(s->ready.argv, "cache-cli", "ping");
	assert_int_equal(s->ready.timeout_ns, 30 * SEC);
	assert_int_equal(s->ready.interval_ns, 250 * MS);
	assert_int_equal(s->mark.line, 27);
	assert_int_equal(s->mark.col, 7);

	s = service(lab, "web-a", 1, "db-proxy");
	ASSERT_STRV(s->argv, "proxy", "--label=a b", "{{literal}}");
	assert_int_equal(s->restart, ZF_RESTART_ON_FAILURE);
	assert_int_equal(s->n_after, 1);
	assert_int_equal(s->after[0], 0);
	assert_int_equal(s->ready.kind, ZF_READY_NONE);

	s = service(lab, "web-a", 2, "app");
	ASSERT_STRV(s->argv, "app", "--listen", "{ip}:8080", "--db",
		    "{ip:db-a}", "--data", "{data}/app dir");
	ASSERT_STRV(s->env, "LOG_LEVEL=debug", "APP_NAME={name}-{host}");
	assert_int_equal(s->restart, ZF_RESTART_ALWAYS);
	assert_int_equal(s->n_after, 2);
	assert_int_equal(s->after[0], 0);
	assert_int_equal(s->after[1], 1);
	assert_int_equal(s->ready.kind, ZF_READY_TCP);
	assert_int_equal(s->ready.port, 8080);
	assert_int_equal(s->ready.timeout_ns, 5 * SEC);
	assert_int_equal(s->ready.interval_ns, 100 * MS);
}

static void check_full_others(const struct zf_lab *lab)
{
	const struct zf_service *s;

	s = service(lab, "web-b", 0, "app");
	ASSERT_STRV(s->argv, "app", "--zone", "{zone}", "--region", "{region}",
		    "--domain", "{domain}", "--lab", "{lab}");
	ASSERT_STRV(s->env, "LOG_LEVEL=debug", "APP_NAME={name}-{host}");
	assert_int_equal(s->ready.kind, ZF_READY_EXEC);
	ASSERT_STRV(s->ready.argv, "check", "--host", "{host}");
	s = service(lab, "user1", 0, "probe");
	ASSERT_STRV(s->argv, "probe", "--target", "http://www.corp/",
		    "--db={ip:db-a}");
	assert_int_equal(s->restart, ZF_RESTART_ON_FAILURE);
}

static void test_full_model(void **state)
{
	struct zf_lab *lab = load_good("full.yaml");

	(void)state;
	check_full_topology(lab);
	check_full_hosts(lab);
	check_full_web_a(lab);
	check_full_others(lab);
	assert_int_equal(zf_lab_find_zone(lab, "west/a"), 2);
	assert_int_equal(zf_lab_find_zone(lab, "west/b"), -1);
	assert_int_equal(zf_lab_find_region(lab, "west"), 1);
	assert_int_equal(zf_lab_find_region(lab, "north"), -1);
	assert_int_equal(zf_lab_find_host(lab, "user2"), 4);
	assert_int_equal(zf_lab_find_host(lab, "nobody"), -1);
	assert_int_equal(zf_host_find_service(&lab->hosts[0], "app"), 2);
	assert_int_equal(zf_host_find_service(&lab->hosts[0], "web"), -1);
	zf_lab_free(lab);
}

static void test_demo_and_defaults(void **state)
{
	struct zf_lab *lab = load_good("demo.yaml");
	const struct zf_service *s;

	(void)state;
	assert_string_equal(lab->name, "demo");
	assert_string_equal(lab->domain, "lab");
	assert_int_equal(lab->block, 0xc6120000u);
	assert_int_equal(lab->block_len, 15);
	assert_int_equal(lab->n_hosts, 4);
	assert_string_equal(lab->hosts[3].name, "user1");
	assert_true(lab->hosts[3].is_client);
	assert_int_equal(lab->hosts[3].n_services, 0);
	s = service(lab, "web-b", 0, "nginx");
	ASSERT_STRV(s->argv, "nginx", "-p", "{data}", "-c", "{lab}/nginx.conf");
	assert_int_equal(s->restart, ZF_RESTART_ALWAYS);
	s = service(lab, "lb-a", 0, "haproxy");
	assert_int_equal(s->restart, ZF_RESTART_ON_FAILURE);
	assert_int_equal(lab->records[0].hosts[0], 2);
	zf_lab_free(lab);

	lab = load_good("minimal.yaml");
	assert_int_equal(lab->n_hosts, 1);
	assert_int_equal(lab->cross_zone_ns, 0);
	assert_int_equal(lab->cross_region_ns, 0);
	assert_int_equal(lab->n_records, 0);
	assert_int_equal(lab->hosts[0].n_services, 0);
	zf_lab_free(lab);
}

/* Load BUF; returns the status and leaves the message in ERR. */
static int load_str(const char *buf, struct zf_lab **lab, char *err,
		    size_t errlen)
{
	*lab = NULL;
	return zf_lab_load_buffer("t.yaml", "/srv/labs", buf, strlen(buf),
				  lab, err, errlen);
}

static void test_buffer_and_order(void **state)
{
	const char *y =
		"lab: order\nregions: { r: { zones: [z] } }\nhosts:\n"
		"  h: { zone: r/z, services: {\n"
		"    e: { run: e, after: [d, b] }, d: { run: d },\n"
		"    c: { run: \"c --q='x y'\", restart: \"no\" },\n"
		"    b: { run: b, after: c }, a: { run: a, after: e } } }\n";
	static const char *const order[] = { "d", "c", "b", "e", "a" };
	struct zf_lab *lab;
	char err[512] = "";
	const struct zf_host *h;

	(void)state;
	assert_int_equal(load_str(y, &lab, err, sizeof(err)), 0);
	assert_string_equal(lab->path, "t.yaml");
	assert_string_equal(lab->dir, "/srv/labs");
	h = &lab->hosts[0];
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(h->services[i].name, order[i]);
	assert_int_equal(h->services[1].restart, ZF_RESTART_NO);
	ASSERT_STRV(h->services[1].argv, "c", "--q=x y");
	assert_int_equal(h->services[2].after[0], 1);     /* b after c */
	assert_int_equal(h->services[3].n_after, 2);      /* e after d, b */
	assert_int_equal(h->services[3].after[0], 0);
	assert_int_equal(h->services[3].after[1], 2);
	assert_int_equal(h->services[4].after[0], 3);     /* a after e */
	zf_lab_free(lab);
}

/* A lab with one host whose services mapping is MIDDLE (already indented
 * to sit under "services:"), printed into a new buffer. */
static char *lab_with(const char *head, const char *middle)
{
#define LAB_WITH "lab: caps\nregions: { r: { zones: [z] } }\n%s" \
		 "hosts:\n  h:\n    zone: r/z\n%s"
	size_t n = strlen(LAB_WITH) + strlen(head) + strlen(middle) + 1;
	char *buf = malloc(n);

	assert_non_null(buf);
	snprintf(buf, n, LAB_WITH, head, middle);
	return buf;
}

/* Append to a growing buffer (tests only). */
__attribute__((format(printf, 3, 4)))
static void cat(char **buf, size_t *len, const char *fmt, ...)
{
	char piece[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(piece, sizeof(piece), fmt, ap);
	va_end(ap);
	*buf = realloc(*buf, *len + (size_t)n + 1);
	assert_non_null(*buf);
	memcpy(*buf + *len, piece, (size_t)n + 1);
	*len += (size_t)n;
}

static void expect_error(const char *y, const char *want)
{
	struct zf_lab *lab;
	char err[1024] = "";

	assert_int_equal(load_str(y, &lab, err, sizeof(err)), -EINVAL);
	assert_null(lab);
	if (!strstr(err, want))
		print_message("want '%s'\ngot  '%s'\n", want, err);
	assert_non_null(strstr(err, want));
}

/* links: defaults, per-region overrides, symmetric region pairs. */
/* dns: ttl, the short and long record forms, cnames. */
static void test_dns_section(void **state)
{
	const char *y =
		"lab: d\nregions: { r1: { zones: [a, b] } }\n"
		"hosts: { w1: { zone: r1/a }, w2: { zone: r1/b } }\n"
		"dns:\n  ttl: 9s\n  records:\n    www: [w1, w2]\n"
		"    app: { hosts: w2, ttl: 1m, health: aware, order: fixed }\n"
		"  cnames: { api: app, ext: Mirror.example }\n";
	struct zf_lab *lab;
	char err[512] = "";

	(void)state;
	assert_int_equal(load_str(y, &lab, err, sizeof(err)), 0);
	assert_int_equal(lab->dns_ttl, 9);
	assert_int_equal(lab->n_records, 2);
	assert_int_equal(lab->records[0].ttl, 9);
	assert_false(lab->records[0].health_aware);
	assert_false(lab->records[0].fixed_order);
	assert_int_equal(lab->records[1].ttl, 60);
	assert_true(lab->records[1].health_aware);
	assert_true(lab->records[1].fixed_order);
	assert_int_equal(lab->records[1].n_hosts, 1);
	assert_int_equal(lab->records[1].hosts[0], 1);
	assert_int_equal(lab->n_cnames, 2);
	assert_string_equal(lab->cnames[0].name, "api");
	assert_string_equal(lab->cnames[0].target, "app");
	assert_string_equal(lab->cnames[1].target, "Mirror.example");
	zf_lab_free(lab);
	/* without a dns section: the default TTL */
	assert_int_equal(load_str("lab: d\nregions: { r1: { zones: [a] } }\n"
				  "hosts: { w1: { zone: r1/a } }\n", &lab, err,
				  sizeof(err)), 0);
	assert_int_equal(lab->dns_ttl, ZF_DNS_TTL_DEFAULT);
	assert_int_equal(lab->n_cnames, 0);
	zf_lab_free(lab);
}

static void test_links(void **state)
{
	const char *y =
		"lab: links\nregions: { r1: { zones: [a, b] }, r2: { zones: [a] },"
		" r3: { zones: [a] } }\n"
		"links: { cross_zone: 1ms, cross_region: 40ms, internet: 5ms,\n"
		"  regions: { r2: { cross_zone: 3ms } },\n"
		"  pairs: [ { between: [r3, r1], latency: 70ms } ] }\n"
		"hosts: { h: { zone: r1/a } }\n";
	struct zf_lab *lab;
	char err[512] = "";

	(void)state;
	assert_int_equal(load_str(y, &lab, err, sizeof(err)), 0);
	assert_int_equal(lab->internet_ns, 5 * MS);
	assert_int_equal(lab->regions[0].cross_zone_ns, 1 * MS);
	assert_int_equal(lab->regions[1].cross_zone_ns, 3 * MS);
	assert_int_equal(lab->regions[2].cross_zone_ns, 1 * MS);
	assert_int_equal(zf_lab_region_latency(lab, 0, 1), 40 * MS);
	assert_int_equal(zf_lab_region_latency(lab, 0, 2), 70 * MS);
	assert_int_equal(zf_lab_region_latency(lab, 2, 0), 70 * MS);
	assert_int_equal(zf_lab_region_latency(lab, 1, 2), 40 * MS);
	zf_lab_free(lab);
}

static void test_cap_services_env_args(void **state)
{
	char *b = NULL, *y;
	size_t len = 0;

	(void)state;
	cat(&b, &len, "    services:\n");
	for (int i = 0; i <= ZF_MAX_SERVICES; i++)
		cat(&b, &len, "      s%d: { run: x }\n", i);
	y = lab_with("", b);
	expect_error(y, "t.yaml:39:7: more than 32 services in 'services' "
		     "of host 'h'");
	free(y);
	free(b);
	b = NULL;
	len = 0;
	cat(&b, &len, "    services:\n      s: { run: x, env: {");
	for (int i = 0; i <= ZF_MAX_ENV; i++)
		cat(&b, &len, "%sV%d: x", i ? ", " : "", i);
	cat(&b, &len, "} }\n");
	y = lab_with("", b);
	expect_error(y, "more than 128 variables in 'env' of service 's'");
	free(y);
	free(b);
	b = NULL;
	len = 0;
	cat(&b, &len, "    services:\n      s: { run: \"x");
	for (int i = 0; i < ZF_MAX_ARGS; i++)
		cat(&b, &len, " a");
	cat(&b, &len, "\" }\n");
	y = lab_with("", b);
	expect_error(y, "t.yaml:7:17: bad command in 'run' of service 's' of "
		     "host 'h': too many words: more than 256 (at offset 512)");
	free(y);
	y = lab_with("", "    services:\n      s: { run: [] }\n");
	expect_error(y, "t.yaml:7:17: expected 1 to 256 words in 'run'");
	free(y);
	free(b);
}

/* HOSTS hosts in zone r/z, then "clients:" with CLIENTS names. */
static char *many_hosts(int regions, int hosts, int clients)
{
	char *b = NULL;
	size_t len = 0;

	cat(&b, &len, "lab: caps\nregions:\n  r: { zones: [z] }\n");
	for (int i = 1; i < regions; i++)
		cat(&b, &len, "  r%d: { zones: [z] }\n", i);
	cat(&b, &len, "hosts:\n");
	for (int i = 0; i < hosts; i++)
		cat(&b, &len, "  h%d: { zone: r/z }\n", i);
	if (clients)
		cat(&b, &len, "clients:\n");
	for (int i = 0; i < clients; i++)
		cat(&b, &len, "  - c%d\n", i);
	return b;
}

static void test_cap_hosts_regions(void **state)
{
	char *y;

	(void)state;
	y = many_hosts(ZF_MAX_REGIONS + 1, 1, 0);
	expect_error(y, "t.yaml:19:3: more than 16 regions");
	free(y);
	y = many_hosts(1, ZF_MAX_HOSTS_PER_ZONE + 1, 0);
	expect_error(y, "t.yaml:245:17: more than 240 hosts in zone 'r/z'");
	free(y);
	y = many_hosts(1, 1, ZF_MAX_CLIENTS + 1);
	expect_error(y, "t.yaml:71:5: more than 64 clients in 'clients'");
	free(y);
	y = many_hosts(1, ZF_MAX_HOSTS_PER_ZONE, ZF_MAX_CLIENTS);
	{
		struct zf_lab *lab;
		char err[512] = "";

		assert_int_equal(load_str(y, &lab, err, sizeof(err)), 0);
		assert_int_equal(lab->n_hosts, 304);
		zf_lab_free(lab);
	}
	free(y);
}

/* More than ZF_MAX_HOSTS hosts spread over many zones. */
static void test_cap_total_hosts(void **state)
{
	char *b = NULL;
	size_t len = 0;
	int zones = 5;

	(void)state;
	cat(&b, &len, "lab: caps\nregions:\n  r: { zones: [a, b, c, d, e] }\n"
		      "hosts:\n");
	for (int i = 0; i <= ZF_MAX_HOSTS; i++)
		cat(&b, &len, "  h%d: { zone: r/%c }\n", i, 'a' + i % zones);
	expect_error(b, "t.yaml:1029:3: more than 1024 hosts and clients");
	free(b);
	b = NULL;
	len = 0;
	cat(&b, &len, "lab: caps\nregions:\n");
	for (int r = 0; r < 2; r++) {
		cat(&b, &len, "  r%d: { zones: [", r);
		for (int z = 0; z < 65; z++)
			cat(&b, &len, "%sz%d", z ? ", " : "", z);
		cat(&b, &len, "] }\n");
	}
	cat(&b, &len, "hosts: { h: { zone: r0/z0 } }\n");
	expect_error(b, "t.yaml:4:");
	expect_error(b, "more than 128 zones in the lab");
	free(b);
}

static void test_misc_errors(void **state)
{
	char *big = malloc(70000);
	struct zf_lab *lab;
	size_t pos;
	char tiny[16];

	(void)state;
	assert_non_null(big);
	snprintf(big, 70000, "lab: x\nregions: { r: { zones: [z] } }\n"
		 "hosts: { h: { zone: r/z } }\nnote: \"");
	pos = strlen(big);
	memset(big + pos, 'x', 66000);
	memcpy(big + pos + 66000, "\"\n", 3);
	expect_error(big, "t.yaml:4:7: string longer than 65536 bytes");
	free(big);
	/* A short error buffer is truncated, never overrun; none is fine. */
	assert_int_equal(load_str("lab: [", &lab, tiny, sizeof(tiny)),
			 -EINVAL);
	assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
	assert_int_equal(load_str("lab: [", &lab, NULL, 0), -EINVAL);
	assert_int_equal(load_str("lab: x\n", &lab, NULL, 0), -EINVAL);
	expect_error("lab: x\nregions: { r: { zones: [z] } }\nhosts: { h: "
		     "{ zone: r/z, services: { s: { run: x, ready: { exec: y, "
		     "interval: 0 } } } } }\n", "'interval' must be longer "
		     "than 0");
	expect_error("lab: x\nregions: { r: { zones: [z] } }\nhosts: { h: "
		     "{ zone: r/z, services: { s: { run: x, after: s } } } }\n",
		     "t.yaml:3:58: services of host 'h' wait for each other in "
		     "'after': s -> s");
	expect_error("lab: x\nregions: { r: { zones: [z] } }\nhosts: { h: "
		     "{ zone: r/z, services: { s: { run: [\"\"] } } } }\n",
		     "empty program name");
	assert_int_equal(load_str("lab: x\nregions: { r: { zones: [z] } }\n"
				  "hosts: { h: { zone: r/z } }\nclients: []\n",
				  &lab, NULL, 0), 0);
	assert_int_equal(lab->n_hosts, 1);
	zf_lab_free(lab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_model),
		cmocka_unit_test(test_demo_and_defaults),
		cmocka_unit_test(test_buffer_and_order),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_dns_section),
		cmocka_unit_test(test_cap_services_env_args),
		cmocka_unit_test(test_cap_hosts_regions),
		cmocka_unit_test(test_cap_total_hosts),
		cmocka_unit_test(test_misc_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
