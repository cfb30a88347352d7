/* test_net_config.c - the link emulator's config file: parsing (good and
 * bad lines, with their line numbers), caps, the builder and the writer
 * (which must produce what the parser reads back). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/linkem_config.h"
#include "util/fsutil.h"
#include "util/mem.h"

static struct zf_lk_config parse_ok(const char *text)
{
	struct zf_lk_config cfg;
	char err[512] = "";
	int rc = zf_lk_config_parse("config", text, strlen(text), &cfg, err,
				    sizeof(err));

	if (rc != 0)
		print_message("unexpected error: %s\n", err);
	assert_int_equal(rc, 0);
	return cfg;
}

/* TEXT must fail with a message starting "config:LINE: " and holding
 * WHAT. */
static void parse_bad(const char *text, unsigned line, const char *what)
{
	struct zf_lk_config cfg;
	char err[512] = "", prefix[32];
	int rc = zf_lk_config_parse("config", text, strlen(text), &cfg, err,
				    sizeof(err));

	snprintf(prefix, sizeof(prefix), "config:%u: ", line);
	if (rc != -EINVAL || strncmp(err, prefix, strlen(prefix)) != 0 ||
	    !strstr(err, what))
		print_message("input:\n%s\nrc %d, message '%s', wanted '%s...%s'"
			      "\n", text, rc, err, prefix, what);
	assert_int_equal(rc, -EINVAL);
	assert_memory_equal(err, prefix, strlen(prefix));
	assert_non_null(strstr(err, what));
	assert_int_equal(cfg.nqueues, 0);
	assert_null(cfg.links);
}

#define Q "queue 1 /run/netns/zf.demo.bb 7\n"

static void test_good_file(void **state)
{
	struct zf_lk_config cfg;
	const struct zf_lk_link_cfg *l;

	(void)state;
	cfg = parse_ok("# a comment\n\n" Q
		       "queue 2\t/run/netns/zf.demo.r1  0   # trailing\n"
		       "link r1-r2 queue=1 iif=3 oif=* delay=40000000 "
		       "jitter=2000000 dist=normal delay_corr=25 loss=0.5 "
		       "loss_corr=10 reorder=1.25 corrupt=0.1 duplicate=2 "
		       "seed=18446744073709551615\r\n"
		       "link any queue=2 iif=* oif=12 loss=30 burst=4\n"
		       "   link   plain   queue=1 iif=* oif=*");
	assert_int_equal(cfg.nqueues, 2);
	assert_int_equal(cfg.queues[0].id, 1);
	assert_string_equal(cfg.queues[0].netns, "/run/netns/zf.demo.bb");
	assert_int_equal(cfg.queues[0].num, 7);
	assert_int_equal(cfg.queues[0].line, 3);
	assert_int_equal(cfg.queues[1].num, 0);
	assert_int_equal(cfg.nlinks, 3);
	l = &cfg.links[0];
	assert_string_equal(l->name, "r1-r2");
	assert_int_equal(l->queue, 1);
	assert_int_equal(l->iif, 3);
	assert_int_equal(l->oif, ZF_LK_IF_ANY);
	assert_int_equal(l->delay_ns, 40000000);
	assert_int_equal(l->jitter_ns, 2000000);
	assert_int_equal(l->dist, ZF_LK_DIST_NORMAL);
	assert_true(l->delay_corr == 25.0 && l->loss == 0.5);
	assert_true(l->loss_corr == 10.0 && l->reorder == 1.25);
	assert_true(l->corrupt == 0.1 && l->duplicate == 2.0);
	assert_true(l->has_seed);
	assert_true(l->seed == UINT64_MAX);
	assert_int_equal(l->line, 5);
	l = &cfg.links[1];
	assert_int_equal(l->iif, ZF_LK_IF_ANY);
	assert_int_equal(l->oif, 12);
	assert_true(l->loss == 30.0 && l->burst == 4.0);
	assert_false(l->has_seed);
	assert_int_equal(l->dist, ZF_LK_DIST_UNIFORM);
	assert_int_equal(cfg.links[2].delay_ns, 0);
	zf_lk_config_free(&cfg);
	cfg = parse_ok("");
	assert_int_equal(cfg.nqueues + cfg.nlinks, 0);
	zf_lk_config_free(&cfg);
}

static void test_bad_lines(void **state)
{
	(void)state;
	parse_bad("frobnicate 1\n", 1, "expected 'queue' or 'link'");
	parse_bad("\n\nqueue 1 /x\n", 3, "expected 'queue ID NETNS_PATH NUM'");
	parse_bad("queue x /x 1\n", 1, "queue ID");
	parse_bad("queue 1 /x 65536\n", 1, "queue number 0..65535");
	parse_bad("queue 1 /x -1\n", 1, "queue number");
	parse_bad("queue 1 relative 1\n", 1, "absolute netns path");
	parse_bad(Q "queue 1 /y 1\n", 2, "ID already declared");
	parse_bad(Q "queue 2 /run/netns/zf.demo.bb 7\n", 2, "already queue 1");
	parse_bad(Q "link a queue=1 iif=* oif=* delay=5ms\n", 2,
		  "delay= expects nanoseconds");
	parse_bad(Q "link a queue=1 iif=* oif=* loss=100.5\n", 2,
		  "loss= expects a percentage");
	parse_bad(Q "link a queue=1 iif=* oif=* loss=1e1\n", 2, "percentage");
	parse_bad(Q "link a queue=1 iif=* oif=* loss=-1\n", 2, "percentage");
	parse_bad(Q "link a queue=1 iif=* oif=* loss=.5\n", 2, "percentage");
	parse_bad(Q "link a queue=1 iif=* oif=* loss=nan\n", 2, "percentage");
	parse_bad(Q "link a queue=1 iif=0 oif=*\n", 2, "interface index");
	parse_bad(Q "link a queue=1 iif=* oif=2147483648\n", 2,
		  "interface index");
	parse_bad(Q "link a queue=1 iif=*\n", 2, "missing oif=");
	parse_bad(Q "link a iif=* oif=*\n", 2, "missing queue=");
	parse_bad(Q "link a queue=2 iif=* oif=*\n", 2, "queue=2 expects a queue");
	parse_bad(Q "link a queue=1 iif=* oif=* dist=gamma\n", 2,
		  "uniform, normal, pareto or paretonormal");
	parse_bad(Q "link a queue=1 iif=* oif=* colour=red\n", 2,
		  "expected KEY=VALUE");
	parse_bad(Q "link a queue=1 iif=* oif=* loss=1 loss=2\n", 2,
		  "loss= given twice");
	parse_bad(Q "link a queue=1 iif=* oif=*\nlink a queue=1 iif=* oif=*\n",
		  3, "name already used");
	parse_bad(Q "link a=b queue=1 iif=* oif=*\n", 2, "link name");
	parse_bad(Q "link\n", 2, "expected 'link NAME");
	parse_bad(Q "link a queue=1 iif=* oif=* seed=18446744073709551616\n",
		  2, "seed= expects");
	parse_bad(Q "link a queue=1 iif=* oif=* delay=3600000000001\n", 2,
		  "delay= expects");
}

static void test_loss_model_rules(void **state)
{
	(void)state;
	parse_bad(Q "link a queue=1 iif=* oif=* burst=4\n", 2,
		  "burst= expects loss= above 0");
	parse_bad(Q "link a queue=1 iif=* oif=* loss=100 burst=4\n", 2,
		  "burst= expects loss= above 0 and below 100");
	parse_bad(Q "link a queue=1 iif=* oif=* loss=10 burst=0.5\n", 2,
		  "burst= expects a mean burst length");
	parse_bad(Q "link a queue=1 iif=* oif=* loss=10 burst=3 loss_corr=5\n",
		  2, "only one of them");
	/* loss 80%: the bad state must last >= 4 packets on average. */
	parse_bad(Q "link a queue=1 iif=* oif=* loss=80 burst=3\n", 2,
		  "too short");
	struct zf_lk_config cfg = parse_ok(Q "link a queue=1 iif=* oif=* "
					   "loss=80 burst=4\n");
	zf_lk_config_free(&cfg);
}

static void test_bytes(void **state)
{
	static const char nul[] = Q "link a queue=1 iif=* oif=*\0\n";
	struct zf_lk_config cfg;
	char err[256];

	(void)state;
	assert_int_equal(zf_lk_config_parse("config", nul, sizeof(nul) - 1,
					    &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "config:2: unexpected NUL byte"));
	parse_bad(Q "link \x01 queue=1\n", 2, "unexpected byte 0x01");
	parse_bad(Q "link caf\xc3\xa9 queue=1\n", 2, "unexpected byte 0xc3");
	cfg = parse_ok(Q "# caf\xc3\xa9 \x01 is fine in a comment\n");
	zf_lk_config_free(&cfg);
}

static void test_caps(void **state)
{
	size_t cap = 2u << 20, len = 0;
	char *big = zf_xmalloc(cap), err[256];
	struct zf_lk_config cfg;

	(void)state;
	for (int i = 0; i <= ZF_LK_MAX_LINES; i++)
		len += (size_t)snprintf(big + len, cap - len, "#\n");
	assert_int_equal(zf_lk_config_parse("config", big, len, &cfg, err,
					    sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "config:4097: expected at most 4096"));
	len = 0;
	for (int i = 0; i <= ZF_LK_MAX_QUEUES; i++)
		len += (size_t)snprintf(big + len, cap - len,
					"queue %d /n %d\n", i, i);
	assert_int_equal(zf_lk_config_parse("config", big, len, &cfg, err,
					    sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "config:257: expected at most 256 queues"));
	memset(big, '#', cap);
	assert_int_equal(zf_lk_config_parse("config", big, ZF_LK_MAX_FILE + 1,
					    &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "expected at most 1048576 bytes"));
	free(big);
}

/* The line cap keeps a file below the link cap; the builder has its own. */
static void test_links_cap(void **state)
{
	struct zf_lk_config cfg = { 0 };
	struct zf_lk_link_cfg l;
	char err[256], name[16];

	(void)state;
	assert_int_equal(zf_lk_config_add_queue(&cfg, 1, "/n", 1, err,
						sizeof(err)), 0);
	for (int i = 0; i < ZF_LK_MAX_LINKS; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		zf_lk_link_init(&l, name, 1);
		assert_int_equal(zf_lk_config_add_link(&cfg, &l, err,
						       sizeof(err)), 0);
	}
	zf_lk_link_init(&l, "one-more", 1);
	assert_int_equal(zf_lk_config_add_link(&cfg, &l, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "expected at most 4096 links"));
	zf_lk_config_free(&cfg);
}

static void test_builder_and_writer(void **state)
{
	struct zf_lk_config cfg = { 0 }, back;
	struct zf_lk_link_cfg l;
	char err[256], *text = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(zf_lk_config_add_queue(&cfg, 3, "/run/netns/zf.x.r", 9,
						err, sizeof(err)), 0);
	assert_int_equal(zf_lk_link_init(&l, "x-to-y", 3), 0);
	l.iif = 4;
	l.delay_ns = 20000000;
	l.jitter_ns = 1000;
	l.dist = ZF_LK_DIST_PARETONORMAL;
	l.loss = 33.3333333;      /* written with 6 decimals */
	l.burst = 2.5;
	l.duplicate = 100;
	l.seed = 42;
	l.has_seed = true;
	assert_int_equal(zf_lk_config_add_link(&cfg, &l, err, sizeof(err)), 0);
	assert_int_equal(zf_lk_config_format(&cfg, &text, &len, err,
					     sizeof(err)), 0);
	assert_non_null(strstr(text, "queue 3 /run/netns/zf.x.r 9\n"));
	assert_non_null(strstr(text, "link x-to-y queue=3 iif=4 oif=* "
			       "delay=20000000 jitter=1000 dist=paretonormal "
			       "loss=33.333333 burst=2.5 duplicate=100 "
			       "seed=42\n"));
	back = parse_ok(text);
	assert_int_equal(back.nlinks, 1);
	assert_true(back.links[0].burst == 2.5);
	assert_int_equal(back.links[0].dist, ZF_LK_DIST_PARETONORMAL);
	zf_lk_config_free(&back);
	free(text);
	zf_lk_config_free(&cfg);
}

static void test_builder_rejects(void **state)
{
	struct zf_lk_config cfg = { 0 };
	struct zf_lk_link_cfg l;
	char err[256], name[80];

	(void)state;
	assert_int_equal(zf_lk_config_add_queue(&cfg, 1, "/a b", 1, err,
						sizeof(err)), -EINVAL);
	assert_int_equal(zf_lk_config_add_queue(&cfg, 1, "/a\nqueue 2 /b",
						1, err, sizeof(err)), -EINVAL);
	assert_int_equal(zf_lk_config_add_queue(&cfg, 1, "/a", 1, err,
						sizeof(err)), 0);
	zf_lk_link_init(&l, "with space", 1);
	assert_int_equal(zf_lk_config_add_link(&cfg, &l, err, sizeof(err)),
			 -EINVAL);
	zf_lk_link_init(&l, "nl\nlink", 1);
	assert_int_equal(zf_lk_config_add_link(&cfg, &l, err, sizeof(err)),
			 -EINVAL);
	memset(name, 'n', sizeof(name));
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(zf_lk_link_init(&l, name, 1), -ENAMETOOLONG);
	zf_lk_link_init(&l, "ok", 2);
	assert_int_equal(zf_lk_config_add_link(&cfg, &l, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "queue=2"));
	zf_lk_link_init(&l, "ok", 1);
	l.loss = 101;
	assert_int_equal(zf_lk_config_add_link(&cfg, &l, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(cfg.nlinks, 0);
	zf_lk_config_free(&cfg);
}

static void test_write_and_load(void **state)
{
	char dir[] = "/tmp/zf-test-net-XXXXXX", err[256], path[64];
	struct zf_lk_config cfg = { 0 }, back;
	struct zf_lk_link_cfg l;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/config", dir);
	assert_int_equal(zf_lk_config_load(path, &back, err, sizeof(err)),
			 -ENOENT);
	zf_lk_config_add_queue(&cfg, 1, "/run/netns/n", 1, err, sizeof(err));
	zf_lk_link_init(&l, "a", 1);
	l.loss = 30;
	zf_lk_config_add_link(&cfg, &l, err, sizeof(err));
	assert_int_equal(zf_lk_config_write(dir, &cfg, err, sizeof(err)), 0);
	assert_int_equal(zf_lk_config_load(path, &back, err, sizeof(err)), 0);
	assert_int_equal(back.nlinks, 1);
	assert_true(back.links[0].loss == 30.0);
	zf_lk_config_free(&back);
	zf_lk_config_free(&cfg);
	assert_int_equal(zf_remove_tree(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_loss_model_rules),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_links_cap),
		cmocka_unit_test(test_builder_and_writer),
		cmocka_unit_test(test_builder_rejects),
		cmocka_unit_test(test_write_and_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
