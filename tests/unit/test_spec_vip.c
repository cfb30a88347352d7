/* test_spec_vip.c - the "vips:" section loads into exactly the model it
 * describes, caps hold at the offending node, and the address plan gives
 * VIPs their own /24 without moving any other address. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/addrplan.h"
#include "lab/vip.h"
#include "spec/lab.h"

static const char head[] =
	"lab: v\n"
	"regions:\n"
	"  r1: { zones: [a, b] }\n"
	"  r2: { zones: [a] }\n"
	"clients: [user1]\n"
	"hosts:\n"
	"  db-a: { zone: r1/a }\n"
	"  db-b: { zone: r1/b }\n"
	"  lb-a: { zone: r1/a }\n"
	"  lb-b: { zone: r1/b }\n"
	"  far: { zone: r2/a }\n";

/* Load HEAD + TAIL; returns the rc, the model in *LAB, the error in ERR. */
static int load(const char *tail, struct zf_lab **lab, char *err, size_t errlen)
{
	size_t n = strlen(head) + strlen(tail) + 1;
	char *buf = malloc(n);
	int rc;

	assert_non_null(buf);
	snprintf(buf, n, "%s%s", head, tail);
	*lab = NULL;
	err[0] = '\0';
	rc = zf_lab_load_buffer("t.yaml", "/tmp", buf, strlen(buf), lab, err, errlen);
	free(buf);
	return rc;
}

static struct zf_lab *load_ok(const char *tail)
{
	struct zf_lab *lab;
	char err[512];
	int rc = load(tail, &lab, err, sizeof(err));

	if (rc < 0)
		print_message("%s\n", err);
	assert_int_equal(rc, 0);
	return lab;
}

static void assert_load_err(const char *tail, const char *want)
{
	struct zf_lab *lab;
	char err[512];
	int rc = load(tail, &lab, err, sizeof(err));

	if (rc == 0 || !strstr(err, want))
		print_message("want '%s', got rc %d: %s\n", want, rc, err);
	assert_true(rc < 0);
	assert_null(lab);
	assert_non_null(strstr(err, want));
}

static void test_model(void **state)
{
	struct zf_lab *lab = load_ok(
		"vips:\n"
		"  db: { members: [db-a, db-b], owner: db-b }\n"
		"  www: { members: [lb-a, lb-b, db-a], manager: keepalived }\n"
		"  plain: { members: [lb-b, lb-a], manager: zonefall }\n");
	(void)state;
	assert_int_equal(lab->n_vips, 3);
	assert_string_equal(lab->vips[0].name, "db");
	assert_int_equal(lab->vips[0].n_members, 2);
	assert_int_equal(lab->vips[0].members[0], zf_lab_find_host(lab, "db-a"));
	assert_int_equal(lab->vips[0].members[1], zf_lab_find_host(lab, "db-b"));
	assert_int_equal(lab->vips[0].owner, 1);
	assert_int_equal(lab->vips[0].manager, ZF_VIP_ZONEFALL);
	assert_int_equal(lab->vips[0].region, 0);
	assert_int_equal(lab->vips[0].mark.line, 13);
	assert_int_equal(lab->vips[1].manager, ZF_VIP_KEEPALIVED);
	assert_int_equal(lab->vips[1].n_members, 3);
	assert_int_equal(lab->vips[1].owner, 0);
	assert_int_equal(lab->vips[2].owner, 0);   /* default: first member */
	assert_int_equal(lab->vips[2].manager, ZF_VIP_ZONEFALL);
	assert_int_equal(zf_lab_find_vip(lab, "www"), 1);
	assert_int_equal(zf_lab_find_vip(lab, "nope"), -1);
	zf_lab_free(lab);
}

static void test_absent_and_empty(void **state)
{
	struct zf_lab *lab = load_ok("");

	(void)state;
	assert_int_equal(lab->n_vips, 0);
	zf_lab_free(lab);
	lab = load_ok("vips: {}\n");
	assert_int_equal(lab->n_vips, 0);
	zf_lab_free(lab);
	lab = load_ok("vips:\n");
	assert_int_equal(lab->n_vips, 0);
	zf_lab_free(lab);
}

static void test_caps(void **state)
{
	char buf[4096];
	size_t len = 0;

	(void)state;
	len += (size_t)snprintf(buf + len, sizeof(buf) - len, "vips:\n");
	for (int i = 0; i <= ZF_MAX_VIPS; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
					"  v%d: { members: [db-a, db-b] }\n", i);
	assert_load_err(buf, "t.yaml:29:3: more than 16 VIPs");
	assert_load_err("vips:\n  db: { members: [db-a, db-b, lb-a, lb-b, db-a] }\n",
			"listed twice");
	/* 13 characters is the longest name: "v-" + 13 = 15 */
	zf_lab_free(load_ok("vips:\n  abcdefghijklm: { members: [db-a, db-b] }\n"));
	assert_load_err("vips:\n  abcdefghijklmn: { members: [db-a, db-b] }\n",
			"t.yaml:13:3: VIP name 'abcdefghijklmn' is longer than 13");
}

static void test_names_shared(void **state)
{
	(void)state;
	assert_load_err("dns: { cnames: { api: www } }\nvips:\n"
			"  api: { members: [db-a, db-b] }\n",
			"VIP 'api' has the name of a cname");
	assert_load_err("vips:\n  user1: { members: [db-a, db-b] }\n",
			"VIP 'user1' has the name of a host");
	assert_load_err("vips:\n  db: { members: [db-a, far] }\n",
			"'far' is in region 'r2' and 'db-a' in region 'r1'");
	/* the owner is checked whatever the order of the keys */
	assert_load_err("vips:\n  db: { owner: db-a, manager: keepalived, members: [db-a, db-b] }\n",
			"managed by keepalived");
}

static void test_address_plan(void **state)
{
	struct zf_lab *plain = load_ok("");
	struct zf_lab *lab = load_ok("vips:\n"
				     "  db: { members: [db-a, db-b] }\n"
				     "  www: { members: [lb-a, db-a] }\n");
	struct zf_plan p0, p1;
	char err[256], ip[16];

	(void)state;
	assert_int_equal(zf_plan_build(plain, &p0, err, sizeof(err)), 0);
	assert_int_equal(zf_plan_build(lab, &p1, err, sizeof(err)), 0);
	for (size_t h = 0; h < lab->n_hosts; h++)
		assert_int_equal(p0.host_ip[h], p1.host_ip[h]);
	zf_ip_format(zf_plan_vip_block(&p1), ip, sizeof(ip));
	assert_string_equal(ip, "198.19.254.0");
	zf_ip_format(zf_plan_vip_gw(&p1, 1), ip, sizeof(ip));
	assert_string_equal(ip, "198.19.254.17");
	zf_ip_format(zf_plan_vip_addr(&p1, 0, 0), ip, sizeof(ip));
	assert_string_equal(ip, "198.19.254.2");
	zf_ip_format(zf_plan_vip_addr(&p1, 1, 1), ip, sizeof(ip));
	assert_string_equal(ip, "198.19.254.19");
	zf_ip_format(zf_plan_vip_member(&p1, 1, 1), ip, sizeof(ip));
	assert_string_equal(ip, "198.19.254.21");
	/* db-a is in both: vip0 for db, vip1 for www */
	assert_int_equal(zf_vip_host_ifindex(lab, 0, 0), ZF_IF_VIP_HOST);
	assert_int_equal(zf_vip_host_ifindex(lab, 1, 1), ZF_IF_VIP_HOST + 1);
	assert_int_equal(zf_vip_host_ifindex(lab, 1, 0), ZF_IF_VIP_HOST);
	zf_vip_host_ifname(lab, 1, 1, ip, sizeof(ip));
	assert_string_equal(ip, "vip1");
	zf_plan_free(&p0);
	zf_plan_free(&p1);
	zf_lab_free(plain);
	zf_lab_free(lab);
}

/* A block that holds the zones but not the VIPs' /24 too. */
static void test_block_too_small(void **state)
{
	static const char text[] =
		"lab: v\nnetwork: { block: 10.0.0.0/22 }\n"
		"regions: { r1: { zones: [a, b] } }\n"
		"hosts: { a1: { zone: r1/a }, b1: { zone: r1/b } }\n";
	struct zf_lab *lab = NULL;
	struct zf_plan p;
	char err[256], buf[512];

	(void)state;
	assert_int_equal(zf_lab_load_buffer("t.yaml", "/tmp", text, strlen(text), &lab,
					    err, sizeof(err)), 0);
	assert_int_equal(zf_plan_build(lab, &p, err, sizeof(err)), 0);
	zf_plan_free(&p);
	zf_lab_free(lab);
	snprintf(buf, sizeof(buf), "%svips: { db: { members: [a1, b1] } }\n", text);
	assert_int_equal(zf_lab_load_buffer("t.yaml", "/tmp", buf, strlen(buf), &lab,
					    err, sizeof(err)), 0);
	assert_int_equal(zf_plan_build(lab, &p, err, sizeof(err)), -ENOSPC);
	assert_non_null(strstr(err, "zones and the VIPs need 5"));
	zf_lab_free(lab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_absent_and_empty),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_names_shared),
		cmocka_unit_test(test_address_plan),
		cmocka_unit_test(test_block_too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
