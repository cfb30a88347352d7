/* test_fault_net.c - the pure logic of the network faults: two-sided
 * targets, partition/block arguments, the rules they make, the edge and
 * address elements of a selection, and reading nft listings back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault/fault.h"
#include "fault/net_edge.h"
#include "fault/net_listing.h"
#include "fault/net_rules.h"
#include "lab/addrplan.h"

/* Zones: r1/a 0 (198.18.1.0/24), r1/b 1, r2/a 2, r2/b 3.
 * Hosts: a1 0 (198.18.1.10), a2 1, b1 2, c1 3 (r2/a), then clients
 * u1 4 (198.18.0.10), u2 5. */
static const char lab_yaml[] =
	"lab: net\n"
	"regions:\n"
	"  r1: { zones: [a, b] }\n"
	"  r2: { zones: [a, b] }\n"
	"clients: [u1, u2]\n"
	"hosts:\n"
	"  a1: { zone: r1/a }\n"
	"  a2: { zone: r1/a }\n"
	"  b1: { zone: r1/b }\n"
	"  c1: { zone: r2/a }\n";

struct fixture {
	struct zf_lab *lab;
	struct zf_plan plan;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char err[512];

	if (zf_lab_load_buffer("net.yaml", "/", lab_yaml, strlen(lab_yaml), &fx->lab,
			       err, sizeof(err)) < 0 ||
	    zf_plan_build(fx->lab, &fx->plan, err, sizeof(err)) < 0) {
		print_message("%s\n", err);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	zf_plan_free(&fx->plan);
	zf_lab_free(fx->lab);
	free(fx);
	return 0;
}

static void split(void **state)
{
	char a[64], b[64], err[256];

	(void)state;
	assert_int_equal(zf_fault_split("zone r1/a | zone r1/b", "|", a, sizeof(a), b,
					sizeof(b), err, sizeof(err)), 0);
	assert_string_equal(a, "zone r1/a");
	assert_string_equal(b, "zone r1/b");
	assert_int_equal(zf_fault_split("  client u1->service web in host a1 ", "->", a,
					sizeof(a), b, sizeof(b), err, sizeof(err)), 0);
	assert_string_equal(a, "client u1");
	assert_string_equal(b, "service web in host a1");
	assert_int_equal(zf_fault_split("zone r1/a", "|", a, sizeof(a), b, sizeof(b),
					err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "separated by '|'"));
	assert_int_equal(zf_fault_split("a | b | c", "|", a, sizeof(a), b, sizeof(b),
					err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_fault_split(" | zone r1/b", "|", a, sizeof(a), b, sizeof(b),
					err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "missing before '|'"));
	assert_int_equal(zf_fault_split("zone r1/a ->", "->", a, sizeof(a), b, sizeof(b),
					err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "missing after '->'"));
	assert_int_equal(zf_fault_split("zone r1/a | zone r1/b", "|", a, 4, b, sizeof(b),
					err, sizeof(err)), -ENAMETOOLONG);
}

static void partition_args(void **state)
{
	char err[256];
	int oneway = 7;

	(void)state;
	assert_int_equal(zf_partition_args("", &oneway, err, sizeof(err)), 0);
	assert_int_equal(oneway, 0);
	assert_int_equal(zf_partition_args(" oneway ", &oneway, err, sizeof(err)), 0);
	assert_int_equal(oneway, 1);
	assert_int_equal(zf_partition_args("oneway oneway", &oneway, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(zf_partition_args("both", &oneway, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'both'"));
}

static void block_ok(const char *args, const char *want)
{
	struct zf_block_args a;
	char err[256] = "", text[64];

	if (zf_block_args(args, &a, err, sizeof(err)) < 0)
		print_message("'%s': %s\n", args, err);
	assert_int_equal(zf_block_args(args, &a, err, sizeof(err)), 0);
	zf_block_describe(&a, text, sizeof(text));
	assert_string_equal(text, want);
}

static void block_bad(const char *args, const char *msg)
{
	struct zf_block_args a;
	char err[256] = "";

	assert_int_equal(zf_block_args(args, &a, err, sizeof(err)), -EINVAL);
	if (!strstr(err, msg))
		print_message("'%s': got '%s'\n", args, err);
	assert_non_null(strstr(err, msg));
}

static void block_args(void **state)
{
	(void)state;
	block_ok("", "tcp drop");
	block_ok("reject", "tcp reject");
	block_ok("udp port 53 reject", "udp port 53 reject");
	block_ok("port 80 reject tcp", "tcp port 80 reject");
	block_ok("any port 65535", "any port 65535 drop");
	block_ok("icmp", "icmp drop");
	block_bad("icmp port 3", "icmp has no ports");
	block_bad("port", "needs a number");
	block_bad("port 0", "not '0'");
	block_bad("port 65536", "not '65536'");
	block_bad("port 80x", "not '80x'");
	block_bad("tcp udp", "protocol is given twice");
	block_bad("drop reject", "action is given twice");
	block_bad("port 1 port 2", "port is given twice");
	block_bad("sctp", "unexpected argument 'sctp'");
}

static size_t lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void rules(void **state)
{
	struct zf_text t = { 0 };
	struct zf_block_args a = { .proto = ZF_PROTO_TCP, .port = 8080, .reject = 1 };

	(void)state;
	assert_int_equal(zf_rules_partition(&t, "f7", 0), 2);
	assert_string_equal(zf_text_str(&t),
		"add rule inet zonefall f7 ip saddr @f7_a ip daddr @f7_b drop\n"
		"add rule inet zonefall f7 ip saddr @f7_b ip daddr @f7_a drop\n");
	zf_text_reset(&t);
	assert_int_equal(zf_rules_partition(&t, "f7", 1), 1);
	zf_text_reset(&t);
	assert_int_equal(zf_rules_isolate(&t, "f2"), 2);
	assert_non_null(strstr(zf_text_str(&t), "ip saddr @f2_a ip daddr != @f2_a drop"));
	zf_text_reset(&t);
	assert_int_equal(zf_rules_block(&t, "f3", &a), 1);
	assert_string_equal(zf_text_str(&t), "add rule inet zonefall f3 ip saddr @f3_a "
			    "ip daddr @f3_b tcp dport 8080 reject with tcp reset\n");
	zf_text_reset(&t);
	a = (struct zf_block_args){ .proto = ZF_PROTO_ANY, .reject = 1 };
	assert_int_equal(zf_rules_block(&t, "f3", &a), 3);
	assert_int_equal(lines(zf_text_str(&t)), 3);
	assert_non_null(strstr(zf_text_str(&t), "meta l4proto udp reject with icmpx "
			       "type port-unreachable"));
	zf_text_reset(&t);
	a = (struct zf_block_args){ .proto = ZF_PROTO_ANY, .port = 53 };
	assert_int_equal(zf_rules_block(&t, "f3", &a), 2);
	assert_non_null(strstr(zf_text_str(&t), "udp dport 53 drop"));
	zf_text_reset(&t);
	a = (struct zf_block_args){ .proto = ZF_PROTO_ANY };
	assert_int_equal(zf_rules_block(&t, "f3", &a), 1);
	assert_string_equal(zf_text_str(&t), "add rule inet zonefall f3 ip saddr @f3_a "
			    "ip daddr @f3_b drop\n");
	zf_text_free(&t);
}

struct elems {
	char text[512];
};

static void collect(const char *elem, void *ctx)
{
	struct elems *e = ctx;
	size_t n = strlen(e->text);

	snprintf(e->text + n, sizeof(e->text) - n, "%s%s", n ? " " : "", elem);
}

/* The edge of TEXT as "I R0R1 Z0Z1Z2Z3" flags plus its elements. */
static void edge_of(const struct fixture *fx, const char *text, int fine,
		    const char *want_edge, const char *want_elems)
{
	struct zf_selection s;
	struct zf_edge e;
	struct elems el = { "" };
	char err[256], got[32];

	assert_int_equal(zf_selector_resolve(fx->lab, text, &s, err, sizeof(err)), 0);
	zf_edge_find(fx->lab, &s, fine, &e);
	snprintf(got, sizeof(got), "%d %d%d %d%d%d%d", e.internet, e.regions[0],
		 e.regions[1], e.zones[0], e.zones[1], e.zones[2], e.zones[3]);
	assert_string_equal(got, want_edge);
	assert_int_equal(e.count, (size_t)(e.internet + e.regions[0] + e.regions[1] +
		e.zones[0] + e.zones[1] + e.zones[2] + e.zones[3]));
	zf_edge_elements(fx->lab, &fx->plan, &s, collect, &el);
	assert_string_equal(el.text, want_elems);
	zf_edge_free(&e);
	zf_selection_free(&s);
}

static void edges(void **state)
{
	const struct fixture *fx = *state;

	edge_of(fx, "zone r1/a", 0, "0 00 1000", "198.18.1.0/24");
	edge_of(fx, "region r1", 0, "0 10 0000", "198.18.1.0/24 198.18.2.0/24");
	edge_of(fx, "region r1", 1, "0 00 1100", "198.18.1.0/24 198.18.2.0/24");
	edge_of(fx, "host a1", 0, "0 00 1000", "198.18.1.10");
	edge_of(fx, "host *", 0, "0 00 1110",
		"198.18.1.10 198.18.1.11 198.18.2.10 198.18.3.10");
	edge_of(fx, "client u1", 0, "1 00 0000", "198.18.0.10");
	edge_of(fx, "client *", 0, "1 00 0000", "198.18.0.10 198.18.0.11");
	edge_of(fx, "lab", 0, "0 11 0000",
		"198.18.1.0/24 198.18.2.0/24 198.18.3.0/24 198.18.4.0/24");
	edge_of(fx, "zone r*/b", 0, "0 00 0101", "198.18.2.0/24 198.18.4.0/24");
	/* A picked zone is its hosts, not the zone. */
	edge_of(fx, "pick 1 of zone r1/b", 0, "0 00 0100", "198.18.2.10");
}

static const char *overlap(const struct fixture *fx, const char *a, const char *b)
{
	static char name[64];
	struct zf_selection sa, sb;
	const char *o;
	char err[256];

	assert_int_equal(zf_selector_resolve(fx->lab, a, &sa, err, sizeof(err)), 0);
	assert_int_equal(zf_selector_resolve(fx->lab, b, &sb, err, sizeof(err)), 0);
	o = zf_edge_overlap(fx->lab, &sa, &sb);
	snprintf(name, sizeof(name), "%s", o ? o : "-");
	zf_selection_free(&sa);
	zf_selection_free(&sb);
	return name;
}

static void overlaps(void **state)
{
	const struct fixture *fx = *state;
	char where[64];

	assert_string_equal(overlap(fx, "zone r1/a", "zone r1/b"), "-");
	assert_string_equal(overlap(fx, "zone r1/a", "host a2"), "a2");
	assert_string_equal(overlap(fx, "region r1", "zone r1/b"), "b1");
	assert_string_equal(overlap(fx, "region r2", "zone r2/b"), "r2/b");
	assert_string_equal(overlap(fx, "lab", "client u1"), "-");
	zf_edge_gear_name(fx->lab, ZF_GEAR_ZONE, 3, where, sizeof(where));
	assert_string_equal(where, "zone r2/b");
	zf_edge_gear_name(fx->lab, ZF_GEAR_BACKBONE, 0, where, sizeof(where));
	assert_string_equal(where, "backbone");
}

static const char listing[] =
	"table inet zonefall {\n"
	"\tset dark_hosts {\n"
	"\t\ttype ipv4_addr\n"
	"\t}\n"
	"\n"
	"\tset f7_a {\n"
	"\t\ttype ipv4_addr\n"
	"\t\tflags interval\n"
	"\t\telements = { 198.18.1.0/24, 198.18.2.10,\n"
	"\t\t\t     198.18.2.11 }\n"
	"\t}\n"
	"\n"
	"\tset f70_b {\n"
	"\t\ttype ipv4_addr\n"
	"\t\tflags interval\n"
	"\t\telements = { 198.18.9.0/24 }\n"
	"\t}\n"
	"\n"
	"\tchain forward {\n"
	"\t\ttype filter hook forward priority filter - 10; policy accept;\n"
	"\t\tip daddr @dark_hosts drop\n"
	"\t}\n"
	"\n"
	"\tchain f7 {\n"
	"\t\ttype filter hook forward priority filter - 5; policy accept;\n"
	"\t\tip saddr @f7_a ip daddr @f7_b drop\n"
	"\t\tip saddr @f7_b ip daddr @f7_a drop\n"
	"\t}\n"
	"}\n";

static void listings(void **state)
{
	struct zf_listing_part p;
	int fwd = 0;

	(void)state;
	assert_int_equal(zf_listing_find(listing, "set", "f7_a", &p), 1);
	assert_int_equal(zf_listing_has_elem(&p, "198.18.1.0/24"), 1);
	assert_int_equal(zf_listing_has_elem(&p, "198.18.2.11"), 1);
	assert_int_equal(zf_listing_has_elem(&p, "198.18.2.1"), 0);
	assert_int_equal(zf_listing_has_elem(&p, "198.18.9.0/24"), 0);
	assert_int_equal(zf_listing_find(listing, "set", "f7_b", &p), 0);
	assert_int_equal(zf_listing_find(listing, "set", "f70", &p), 0);
	assert_int_equal(zf_listing_find(listing, "chain", "f7", &p), 1);
	assert_int_equal(zf_listing_rules(&p, &fwd), 2);
	assert_int_equal(fwd, 1);
	assert_int_equal(zf_listing_find(listing, "chain", "forward", &p), 1);
	assert_int_equal(zf_listing_rules(&p, &fwd), 1);
	assert_int_equal(zf_listing_has_set_prefix(listing, "f7_"), 1);
	assert_int_equal(zf_listing_has_set_prefix(listing, "f70_"), 1);
	assert_int_equal(zf_listing_has_set_prefix(listing, "f8_"), 0);
	assert_int_equal(zf_listing_find(listing, "chain", "f8", &p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(split),
		cmocka_unit_test(partition_args),
		cmocka_unit_test(block_args),
		cmocka_unit_test(rules),
		cmocka_unit_test_setup_teardown(edges, setup, teardown),
		cmocka_unit_test_setup_teardown(overlaps, setup, teardown),
		cmocka_unit_test(listings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
