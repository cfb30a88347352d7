/* test_dns_config.c - the DNS server's config file: parsing (good and bad
 * lines, with their line numbers), the checks between records, caps, the
 * builders and the writer (which must produce what the parser reads
 * back). */
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
#include <unistd.h>

#include "dns/dns_config.h"
#include "util/fsutil.h"
#include "util/mem.h"
#include "util/timeutil.h"

static struct zf_dns_config parse_ok(const char *text)
{
	struct zf_dns_config cfg;
	char err[512] = "";
	int rc = zf_dns_config_parse("config", text, strlen(text), &cfg, err,
				     sizeof(err));

	if (rc != 0)
		print_message("unexpected error: %s\n", err);
	assert_int_equal(rc, 0);
	return cfg;
}

/* TEXT must fail with a message starting "config:LINE: " holding WHAT. */
static void parse_bad(const char *text, unsigned line, const char *what)
{
	struct zf_dns_config cfg;
	char err[512] = "", prefix[32];
	int rc = zf_dns_config_parse("config", text, strlen(text), &cfg, err,
				     sizeof(err));

	snprintf(prefix, sizeof(prefix), "config:%u: ", line);
	if (rc != -EINVAL || strncmp(err, prefix, strlen(prefix)) != 0 ||
	    !strstr(err, what))
		print_message("input:\n%s\nrc %d, message '%s', wanted "
			      "'%s...%s'\n", text, rc, err, prefix, what);
	assert_int_equal(rc, -EINVAL);
	assert_memory_equal(err, prefix, strlen(prefix));
	assert_non_null(strstr(err, what));
	assert_int_equal(cfg.nas, 0);
	assert_null(cfg.as);
	assert_null(cfg.listens);
}

static uint32_t ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

#define Z "zone lab\n"
#define L "listen r1 /run/netns/zf.demo.r1 198.18.0.53\n"

static void test_good_file(void **state)
{
	struct zf_dns_config cfg;

	(void)state;
	cfg = parse_ok("# lab dns\n\nzone LAB.   # the zone\n"
		       "udp-max 4096\n" L
		       "listen public\t/run/netns/zf.demo.inet 198.18.255.53\r\n"
		       "a Web-A.lab. 30 198.18.1.10\n"
		       "a www.lab 30 198.18.1.11 health=down\n"
		       "a www.lab 30 198.18.1.12 health=up\n"
		       "cname api.lab 60 WWW.lab\n"
		       "rrset www.lab order=roundrobin health=aware\n"
		       "fault f1 r1 *.db.lab servfail\n"
		       "fault f2 * API.lab slow 200000000\n"
		       "fault f3 public x.lab wrong 10.9.9.9\n"
		       "fault f4 * y.lab ttl 0\n"
		       "fault f5 * z.lab stale\n");
	assert_string_equal(cfg.zone, "lab");
	assert_int_equal(cfg.zone_line, 3);
	assert_int_equal(cfg.udp_max, 4096);
	assert_int_equal(cfg.nlistens, 2);
	assert_string_equal(cfg.listens[1].id, "public");
	assert_string_equal(cfg.listens[1].netns, "/run/netns/zf.demo.inet");
	assert_int_equal(cfg.listens[1].addr.s_addr, ip("198.18.255.53"));
	assert_int_equal(cfg.listens[1].line, 6);
	assert_int_equal(cfg.nas, 3);
	assert_string_equal(cfg.as[0].name, "web-a.lab");
	assert_int_equal(cfg.as[0].ttl, 30);
	assert_false(cfg.as[0].down);
	assert_true(cfg.as[1].down);
	assert_false(cfg.as[2].down);
	assert_int_equal(cfg.as[2].line, 9);
	assert_int_equal(cfg.ncnames, 1);
	assert_string_equal(cfg.cnames[0].target, "www.lab");
	assert_int_equal(cfg.cnames[0].ttl, 60);
	assert_int_equal(cfg.nrrsets, 1);
	assert_true(cfg.rrsets[0].roundrobin);
	assert_true(cfg.rrsets[0].health_aware);
	assert_int_equal(cfg.nfaults, 5);
	assert_int_equal(cfg.faults[0].mode, ZF_DNS_FAULT_SERVFAIL);
	assert_string_equal(cfg.faults[1].pattern, "api.lab");
	assert_int_equal(cfg.faults[1].slow_ns, 200000000ull);
	assert_int_equal(cfg.faults[2].wrong.s_addr, ip("10.9.9.9"));
	assert_int_equal(cfg.faults[3].mode, ZF_DNS_FAULT_TTL);
	assert_int_equal(cfg.faults[4].mode, ZF_DNS_FAULT_STALE);
	assert_int_equal(cfg.faults[4].line, 16);
	zf_dns_config_free(&cfg);

	/* No zone and no record is a valid (empty) config. */
	cfg = parse_ok("# nothing yet\n" L);
	assert_string_equal(cfg.zone, "");
	assert_int_equal(cfg.udp_max, ZF_DNS_UDP_MAX_DEFAULT);
	zf_dns_config_free(&cfg);
}

static void test_bad_lines(void **state)
{
	(void)state;
	parse_bad(Z "mx lab 10 x\n", 2, "expected zone, udp-max, listen");
	parse_bad(Z "\nzone other\n", 3, "expected one 'zone' line (the "
		  "first is on line 1)");
	parse_bad("a www.lab 30 1.2.3.4\n", 1, "expected 'zone DOMAIN' "
		  "before the records");
	parse_bad(Z "a www.other 30 1.2.3.4\n", 2, "inside zone 'lab'");
	parse_bad(Z "a w_w$.lab 30 1.2.3.4\n", 2, "expected a name");
	parse_bad(Z "a www.lab 2147483648 1.2.3.4\n", 2, "expected a TTL");
	parse_bad(Z "a www.lab -1 1.2.3.4\n", 2, "expected a TTL");
	parse_bad(Z "a www.lab 30 1.2.3\n", 2, "expected an IPv4 address");
	parse_bad(Z "a www.lab 30 1.2.3.4 health=sick\n", 2, "health=up or");
	parse_bad(Z "a www.lab 30\n", 2, "expected 'a NAME TTL ADDR");
	parse_bad(Z "cname www.lab 30\n", 2, "expected 'cname NAME TTL");
	parse_bad(Z "cname lab 30 www.lab\n", 2, "below the zone");
	parse_bad(Z "rrset www.lab order=random\n", 2, "order=fixed|");
	parse_bad(Z "rrset www.lab health=aware health=aware\n", 2,
		  "health= given twice");
	parse_bad("zone\n", 1, "expected 'zone DOMAIN'");
	parse_bad("zone a..b\n", 1, "expected a domain name");
	parse_bad("udp-max 100\n", 1, "expected udp-max 512..4096");
	parse_bad("udp-max 65536\n", 1, "expected 'udp-max BYTES'");
	parse_bad("listen r1 /run/netns/x\n", 1, "expected 'listen ID");
	parse_bad("listen r1 run/netns/x 1.2.3.4\n", 1, "absolute netns");
	parse_bad("listen r/1 /run/netns/x 1.2.3.4\n", 1, "listen ID");
	parse_bad("listen r1 /x 0.0.0.0\n", 1, "not 0.0.0.0");
	parse_bad(L "listen r1 /run/netns/x 1.2.3.4\n", 2, "a new ID");
	parse_bad(L "listen r2 /run/netns/zf.demo.r1 198.18.0.53\n", 2,
		  "a new ID and address");
	parse_bad("fault f1 * x.lab explode\n", 1, "expected a mode");
	parse_bad("fault f1 * x.lab slow\n", 1, "expected 'slow DURATION_NS'");
	parse_bad("fault f1 * x.lab slow 1s\n", 1, "'slow DURATION_NS'");
	parse_bad("fault f1 * x.lab slow 600000000001\n", 1, "slow");
	parse_bad("fault f1 * x.lab wrong\n", 1, "expected 'wrong ADDR'");
	parse_bad("fault f1 * x.lab ttl 1.5\n", 1, "expected 'ttl SECONDS'");
	parse_bad("fault f1 * x.lab servfail 3\n", 1, "takes no argument");
	parse_bad("fault f1 * x.lab\n", 1, "expected 'fault ID RESOLVER");
	parse_bad("fault f1 * x.lab empty\nfault f1 * y.lab empty\n", 2,
		  "fault f1: expected a new ID");
	/* References are checked at the end, reported where they are. */
	parse_bad("fault f1 * x.lab empty\nfault f2 r9 x.lab empty\n" L, 2,
		  "fault f2: expected a listen ID or '*' as resolver");
	parse_bad("a b c d e f g h i\n", 1, "expected at most 8 words");
}

static void test_between_records(void **state)
{
	(void)state;
	parse_bad(Z "a www.lab 30 1.2.3.4\n\ncname www.lab 30 web.lab\n", 4,
		  "www.lab: expected either a cname or addresses (cname on "
		  "line 4, a on line 2)");
	parse_bad(Z "cname www.lab 30 a.lab\ncname www.lab 30 b.lab\n", 3,
		  "expected one cname per name (lines 2 and 3)");
	parse_bad(Z "a www.lab 30 1.2.3.4\na www.lab 30 1.2.3.5\n"
		  "a www.lab 30 1.2.3.4\n", 4, "listed twice (lines 2 and 4)");
	parse_bad(Z "a www.lab 30 1.2.3.4\na www.lab 60 1.2.3.5\n", 3,
		  "expected the TTL of the RRset, 30 (line 2), found 60");
	parse_bad(Z "rrset www.lab order=roundrobin\n", 2,
		  "expected 'a' records for this name");
	parse_bad(Z "a www.lab 30 1.2.3.4\nrrset www.lab\nrrset www.lab\n", 4,
		  "one rrset line per name");
	parse_bad(Z "cname a.lab 30 b.lab\ncname b.lab 30 c.lab\n"
		  "cname c.lab 30 a.lab\n", 2, "(a loop?)");
	/* The earliest line wins when several records are wrong. */
	parse_bad(Z "a z.lab 30 1.1.1.1\na a.lab 30 1.1.1.1\n"
		  "a z.lab 30 1.1.1.1\na a.lab 30 1.1.1.1\n", 4,
		  "z.lab: this address is listed twice");
}

/* A chain of 8 cnames is fine, 9 are not; a target outside ends one. */
static void test_chain_length(void **state)
{
	struct zf_dns_config cfg;
	char text[2048];
	size_t off = 0;

	(void)state;
	off += (size_t)snprintf(text + off, sizeof(text) - off, Z);
	for (int i = 0; i < 8; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off,
					"cname c%d.lab 30 c%d.lab\n", i, i + 1);
	snprintf(text + off, sizeof(text) - off, "a c8.lab 5 1.1.1.1\n");
	cfg = parse_ok(text);
	zf_dns_config_free(&cfg);
	snprintf(text + off, sizeof(text) - off, "cname c8.lab 30 c9.lab\n");
	parse_bad(text, 2, "a chain of at most 8 cnames");
	cfg = parse_ok(Z "cname www.lab 30 example.com\n"
		       "cname a.lab 30 www.lab\n");
	zf_dns_config_free(&cfg);
}

static void test_bytes(void **state)
{
	static const char nul[] = "zone lab\na www.lab 30 1.2.3.4\0\n";
	struct zf_dns_config cfg;
	char err[256];

	(void)state;
	assert_int_equal(zf_dns_config_parse("config", nul, sizeof(nul) - 1,
					     &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "config:2: unexpected NUL byte"));
	parse_bad(Z "a www.lab 30 1.2.3.4\xc3\xa9\n", 2, "unexpected byte 0xc3");
	/* Anything but NUL in a comment. */
	cfg = parse_ok(Z "a www.lab 30 1.2.3.4 # \xc3\xa9t\xc3\xa9\n");
	zf_dns_config_free(&cfg);
}

static void test_caps(void **state)
{
	size_t big = ZF_DNS_MAX_FILE + 1, n = 0;
	char *text = zf_xmalloc(big + 1), err[256];
	struct zf_dns_config cfg;

	(void)state;
	memset(text, '\n', big);
	assert_int_equal(zf_dns_config_parse("config", text, big, &cfg, err,
					     sizeof(err)), -EINVAL);
	assert_string_equal(err, "config: expected at most 1048576 bytes");
	/* 65,537 lines (blank ones) within the byte cap. */
	assert_int_equal(zf_dns_config_parse("config", text, 65537, &cfg, err,
					     sizeof(err)), -EINVAL);
	assert_string_equal(err, "config:65537: expected at most 65536 lines");
	/* RRset cap: 1,025 addresses for one name. */
	n += (size_t)snprintf(text, big, Z);
	for (int i = 0; i < 1025; i++)
		n += (size_t)snprintf(text + n, big - n, "a big.lab 5 10.0.%d.%d\n",
				      i / 256, i % 256);
	assert_int_equal(zf_dns_config_parse("config", text, n, &cfg, err,
					     sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "config:1026: a big.lab: expected at most "
			       "1024 addresses"));
	free(text);
}

/* A file at the caps parses in well under a second (the checks between
 * records sort once: no quadratic pass). */
static void test_large_file(void **state)
{
	size_t cap = ZF_DNS_MAX_FILE, n = 0;
	char *text = zf_xmalloc(cap);
	struct zf_dns_config cfg;
	uint64_t t0;
	int i = 0;

	(void)state;
	n += (size_t)snprintf(text, cap, Z);
	while (n + 64 < cap && i < 30000) {
		n += (size_t)snprintf(text + n, cap - n, "a h%d.r%d.lab 5 "
				      "10.%d.%d.1\n", i, i % 7, i / 250,
				      i % 250);
		i++;
	}
	for (int k = 0; k < 1000; k++)
		n += (size_t)snprintf(text + n, cap - n, "cname c%d.lab 5 "
				      "h%d.r%d.lab\n", k, k, k % 7);
	t0 = zf_now_ns();
	cfg = parse_ok(text);
	assert_true(zf_now_ns() - t0 < ZF_NS_PER_S);
	assert_int_equal(cfg.nas, 30000);
	assert_int_equal(cfg.ncnames, 1000);
	zf_dns_config_free(&cfg);
	free(text);
}

static void build(struct zf_dns_config *cfg)
{
	struct zf_dns_fault_cfg f = { .id = "f1", .resolver = "r1",
				      .pattern = "*.DB.lab",
				      .mode = ZF_DNS_FAULT_SLOW,
				      .slow_ns = 5000000 };
	struct in_addr a = { .s_addr = ip("198.18.0.53") };
	char err[256];

	zf_dns_config_init(cfg);
	assert_int_equal(zf_dns_config_set_zone(cfg, "Lab", err, sizeof(err)),
			 0);
	assert_int_equal(zf_dns_config_set_udp_max(cfg, 4096, err,
						   sizeof(err)), 0);
	assert_int_equal(zf_dns_config_add_listen(cfg, "r1", "/run/netns/x", a,
						  err, sizeof(err)), 0);
	a.s_addr = ip("10.0.0.1");
	assert_int_equal(zf_dns_config_add_a(cfg, "pg.db.lab", 30, a, false,
					     err, sizeof(err)), 0);
	a.s_addr = ip("10.0.0.2");
	assert_int_equal(zf_dns_config_add_a(cfg, "pg.db.lab", 30, a, true,
					     err, sizeof(err)), 0);
	assert_int_equal(zf_dns_config_add_rrset(cfg, "pg.db.lab", true, true,
						 err, sizeof(err)), 0);
	assert_int_equal(zf_dns_config_add_cname(cfg, "db.lab", 60,
						 "pg.db.lab", err, sizeof(err)),
			 0);
	assert_int_equal(zf_dns_config_add_fault(cfg, &f, err, sizeof(err)), 0);
	f = (struct zf_dns_fault_cfg){ .id = "f2", .resolver = "*",
				       .pattern = "x.lab",
				       .mode = ZF_DNS_FAULT_WRONG };
	f.wrong.s_addr = ip("10.6.6.6");
	assert_int_equal(zf_dns_config_add_fault(cfg, &f, err, sizeof(err)), 0);
}

static const char expected_text[] =
	"# zonefall-dns config (written by zonefall)\n"
	"zone lab\n"
	"udp-max 4096\n"
	"listen r1 /run/netns/x 198.18.0.53\n"
	"a pg.db.lab 30 10.0.0.1\n"
	"a pg.db.lab 30 10.0.0.2 health=down\n"
	"cname db.lab 60 pg.db.lab\n"
	"rrset pg.db.lab order=roundrobin health=aware\n"
	"fault f1 r1 *.db.lab slow 5000000\n"
	"fault f2 * x.lab wrong 10.6.6.6\n";

static void test_builder_and_writer(void **state)
{
	struct zf_dns_config cfg, back;
	char err[256], *text = NULL, *text2 = NULL;
	size_t len = 0, len2 = 0;

	(void)state;
	build(&cfg);
	assert_int_equal(zf_dns_config_format(&cfg, &text, &len, err,
					      sizeof(err)), 0);
	assert_string_equal(text, expected_text);
	assert_int_equal(len, strlen(expected_text));
	back = parse_ok(text);
	assert_int_equal(zf_dns_config_format(&back, &text2, &len2, err,
					      sizeof(err)), 0);
	assert_string_equal(text, text2);
	free(text);
	free(text2);
	zf_dns_config_free(&back);
	zf_dns_config_free(&cfg);
}

static void test_builder_rejects(void **state)
{
	struct zf_dns_fault_cfg f = { .id = "f9", .resolver = "nowhere",
				      .pattern = "x", .mode = ZF_DNS_FAULT_EMPTY };
	struct in_addr a = { .s_addr = ip("10.0.0.1") };
	struct zf_dns_config cfg;
	char err[256], *text = NULL;
	size_t len;

	(void)state;
	zf_dns_config_init(&cfg);
	assert_int_equal(zf_dns_config_add_a(&cfg, "www.lab", 5, a, false, err,
					     sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "before the records"));
	build(&cfg);
	assert_int_equal(zf_dns_config_set_zone(&cfg, "other", err,
						sizeof(err)), -EINVAL);
	assert_int_equal(zf_dns_config_add_a(&cfg, "www.lab", 5, a, false, err,
					     sizeof(err)), 0);
	/* A cname beside addresses passes the builder, not the writer. */
	assert_int_equal(zf_dns_config_add_cname(&cfg, "www.lab", 5, "x.lab",
						 err, sizeof(err)), 0);
	assert_int_equal(zf_dns_config_format(&cfg, &text, &len, err,
					      sizeof(err)), -EINVAL);
	assert_null(text);
	/* Records built through the API have no line: none in messages. */
	assert_string_equal(err, "www.lab: expected either a cname or "
			    "addresses");
	cfg.ncnames--;
	/* Unknown resolver, an argument a mode does not take. */
	assert_int_equal(zf_dns_config_add_fault(&cfg, &f, err, sizeof(err)),
			 0);
	assert_int_equal(zf_dns_config_format(&cfg, &text, &len, err,
					      sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "fault f9: expected a listen ID"));
	cfg.nfaults--;
	f = (struct zf_dns_fault_cfg){ .id = "f8", .resolver = "*",
				       .pattern = "x", .mode = ZF_DNS_FAULT_EMPTY,
				       .ttl = 5 };
	assert_int_equal(zf_dns_config_add_fault(&cfg, &f, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "an argument that mode empty does not"));
	/* A field filled by hand with a line break cannot smuggle records. */
	snprintf(cfg.as[0].name, sizeof(cfg.as[0].name),
		 "pg.db.lab 30 1.1.1.1\na evil.lab");
	assert_int_equal(zf_dns_config_format(&cfg, &text, &len, err,
					      sizeof(err)), -EINVAL);
	assert_null(text);
	zf_dns_config_free(&cfg);
}

static void test_write_and_load(void **state)
{
	char dir[] = "/tmp/zf-dns-cfg.XXXXXX", path[64], err[256];
	struct zf_dns_config cfg, back;

	(void)state;
	assert_non_null(mkdtemp(dir));
	build(&cfg);
	assert_int_equal(zf_dns_config_write(dir, &cfg, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/config", dir);
	assert_int_equal(zf_dns_config_load(path, &back, err, sizeof(err)), 0);
	assert_int_equal(back.nas, 2);
	assert_int_equal(back.faults[0].slow_ns, 5000000);
	zf_dns_config_free(&back);
	unlink(path);
	assert_int_equal(zf_dns_config_load(path, &back, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "No such file"));
	rmdir(dir);
	zf_dns_config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_between_records),
		cmocka_unit_test(test_chain_length),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_large_file),
		cmocka_unit_test(test_builder_and_writer),
		cmocka_unit_test(test_builder_rejects),
		cmocka_unit_test(test_write_and_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
