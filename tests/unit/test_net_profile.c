/* test_net_profile.c - the link emulator's math: seeded generator, loss
 * rate and burst structure, delay distributions and their correlation,
 * reorder, composition of links, bit flips, and the delay histogram.
 * Large samples with tolerances of several standard errors: a change in
 * the math fails, chance does not (the seeds are fixed anyway). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "net/linkem_hist.h"
#include "net/linkem_profile.h"

#define N 100000
#define MS 1000000.0

static void link_of(struct zf_lk_link_cfg *l)
{
	zf_lk_link_init(l, "t", 0);
	l->seed = 12345;
	l->has_seed = true;
}

static void test_rng(void **state)
{
	struct zf_lk_rng a, b;
	double sum = 0, sq = 0;

	(void)state;
	zf_lk_rng_seed(&a, 7);
	zf_lk_rng_seed(&b, 7);
	for (int i = 0; i < 1000; i++)
		assert_true(zf_lk_rng_u64(&a) == zf_lk_rng_u64(&b));
	zf_lk_rng_seed(&b, 8);
	assert_true(zf_lk_rng_u64(&a) != zf_lk_rng_u64(&b));
	for (int i = 0; i < N; i++) {
		double u = zf_lk_rng_unit(&a);

		assert_true(u >= 0.0 && u < 1.0);
		assert_true(zf_lk_rng_below(&a, 3) < 3);
		double z = zf_lk_rng_normal(&a);

		sum += z;
		sq += z * z;
	}
	assert_true(fabs(sum / N) < 0.02);
	assert_true(fabs(sq / N - 1.0) < 0.02);
}

/* Loss rate and mean run length of losses over N packets. */
static void loss_run(const struct zf_lk_link_cfg *l, double *rate,
		     double *mean_burst, double *lag1)
{
	struct zf_lk_profile p;
	uint64_t lost = 0, bursts = 0, both = 0;
	bool prev = false;

	zf_lk_profile_init(&p, l, 1);
	for (int i = 0; i < N; i++) {
		bool x = zf_lk_profile_lose(&p);

		lost += x;
		bursts += x && !prev;
		both += x && prev;
		prev = x;
	}
	*rate = (double)lost / N;
	*mean_burst = bursts ? (double)lost / (double)bursts : 0;
	/* Lag-1 correlation of the 0/1 sequence. */
	double pl = *rate;
	*lag1 = ((double)both / N - pl * pl) / (pl * (1 - pl));
}

static void test_loss_random(void **state)
{
	struct zf_lk_link_cfg l;
	double rate, burst, lag1;

	(void)state;
	link_of(&l);
	l.loss = 30;
	loss_run(&l, &rate, &burst, &lag1);
	assert_true(fabs(rate - 0.30) < 0.01);
	assert_true(fabs(lag1) < 0.02);            /* independent */
	assert_true(fabs(burst - 1 / 0.7) < 0.05);  /* geometric runs */
	l.loss = 0;
	loss_run(&l, &rate, &burst, &lag1);
	assert_true(rate == 0.0);
	l.loss = 100;
	loss_run(&l, &rate, &burst, &lag1);
	assert_true(rate == 1.0);
}

static void test_loss_correlated(void **state)
{
	struct zf_lk_link_cfg l;
	double rate, burst, lag1;

	(void)state;
	link_of(&l);
	l.loss = 10;
	l.loss_corr = 50;
	loss_run(&l, &rate, &burst, &lag1);
	assert_true(fabs(rate - 0.10) < 0.01);      /* average kept */
	assert_true(fabs(lag1 - 0.50) < 0.03);
}

static void test_loss_burst(void **state)
{
	struct zf_lk_link_cfg l;
	double rate, burst, lag1;

	(void)state;
	link_of(&l);
	l.loss = 5;
	l.burst = 8;
	loss_run(&l, &rate, &burst, &lag1);
	assert_true(fabs(rate - 0.05) < 0.01);
	assert_true(fabs(burst - 8.0) < 0.8);
	l.loss = 50;
	l.burst = 1;              /* the shortest: p/(1-p) = 1 */
	loss_run(&l, &rate, &burst, &lag1);
	assert_true(fabs(rate - 0.50) < 0.01);
	assert_true(fabs(burst - 1.0) < 0.01);
}

struct moments {
	double mean, sd, min, lag1;
};

static struct moments delays(const struct zf_lk_link_cfg *l)
{
	struct zf_lk_profile p;
	struct moments m = { .min = 1e300 };
	double sum = 0, sq = 0, cross = 0, prev = 0;

	zf_lk_profile_init(&p, l, 1);
	for (int i = 0; i < N; i++) {
		double d = (double)zf_lk_profile_delay(&p);

		sum += d;
		sq += d * d;
		cross += d * prev;
		prev = d;
		if (d < m.min)
			m.min = d;
	}
	m.mean = sum / N;
	m.sd = sqrt(sq / N - m.mean * m.mean);
	m.lag1 = (cross / N - m.mean * m.mean) / (m.sd * m.sd);
	return m;
}

static void test_delay_distributions(void **state)
{
	struct zf_lk_link_cfg l;
	struct moments m;

	(void)state;
	link_of(&l);
	l.delay_ns = 20000000;
	m = delays(&l);
	assert_true(m.mean == 20 * MS && m.sd == 0.0);   /* no jitter */
	l.jitter_ns = 1000000;
	l.dist = ZF_LK_DIST_NORMAL;
	m = delays(&l);
	assert_true(fabs(m.mean - 20 * MS) < 0.02 * MS);
	assert_true(fabs(m.sd - 1 * MS) < 0.02 * MS);
	assert_true(fabs(m.lag1) < 0.02);
	l.dist = ZF_LK_DIST_UNIFORM;
	m = delays(&l);
	assert_true(fabs(m.mean - 20 * MS) < 0.02 * MS);
	assert_true(fabs(m.sd - MS / sqrt(3.0)) < 0.02 * MS);
	assert_true(m.min >= 19 * MS);
	l.dist = ZF_LK_DIST_PARETO;
	m = delays(&l);
	assert_true(fabs(m.mean - 20 * MS) < 0.03 * MS);
	assert_true(m.min >= 20 * MS - 0.578 * MS);      /* bounded left */
	l.dist = ZF_LK_DIST_PARETONORMAL;
	m = delays(&l);
	assert_true(fabs(m.mean - 20 * MS) < 0.03 * MS);
	assert_true(fabs(m.sd - 1 * MS) < 0.1 * MS);
}

static void test_delay_correlation_and_clamp(void **state)
{
	struct zf_lk_link_cfg l;
	struct moments m;

	(void)state;
	link_of(&l);
	l.delay_ns = 20000000;
	l.jitter_ns = 1000000;
	l.dist = ZF_LK_DIST_NORMAL;
	l.delay_corr = 75;
	m = delays(&l);
	assert_true(fabs(m.lag1 - 0.75) < 0.03);
	assert_true(fabs(m.mean - 20 * MS) < 0.1 * MS);  /* shape kept */
	assert_true(fabs(m.sd - 1 * MS) < 0.1 * MS);
	l.delay_corr = 0;
	l.delay_ns = 0;                 /* half the samples are negative */
	m = delays(&l);
	assert_true(m.min == 0.0);
}

static void test_reorder_corrupt_duplicate(void **state)
{
	struct zf_lk_link_cfg l;
	struct zf_lk_profile p;
	unsigned reord = 0, corr = 0, dup = 0;

	(void)state;
	link_of(&l);
	l.delay_ns = 10000000;
	l.reorder = 25;
	l.corrupt = 10;
	l.duplicate = 5;
	zf_lk_profile_init(&p, &l, 1);
	for (int i = 0; i < N; i++) {
		struct zf_lk_decision d;
		unsigned out;

		zf_lk_decision_clear(&d);
		out = zf_lk_profile_apply(&p, &d);
		assert_false(d.drop);
		if (out & ZF_LK_OUT_REORDERED) {
			reord++;
			assert_true(d.delay_ns == 0 && d.reordered);
		} else {
			assert_true(d.delay_ns == 10000000);
		}
		corr += d.ncorrupt;
		dup += d.nduplicate;
		assert_int_equal(d.ncorrupt, !!(out & ZF_LK_OUT_CORRUPTED));
	}
	assert_true(fabs(reord / (double)N - 0.25) < 0.01);
	assert_true(fabs(corr / (double)N - 0.10) < 0.01);
	assert_true(fabs(dup / (double)N - 0.05) < 0.01);
}

/* Two links on one packet: delays add, drop decisions are independent. */
static void test_composition(void **state)
{
	struct zf_lk_link_cfg a, b;
	struct zf_lk_profile pa, pb;
	unsigned drops = 0, both = 0;

	(void)state;
	link_of(&a);
	link_of(&b);
	b.seed = 999;
	a.delay_ns = 5000000;
	b.delay_ns = 7000000;
	a.loss = 20;
	b.loss = 30;
	zf_lk_profile_init(&pa, &a, 1);
	zf_lk_profile_init(&pb, &b, 1);
	for (int i = 0; i < N; i++) {
		struct zf_lk_decision d;
		unsigned oa, ob;

		zf_lk_decision_clear(&d);
		oa = zf_lk_profile_apply(&pa, &d);
		ob = zf_lk_profile_apply(&pb, &d);
		assert_true(d.delay_ns == 12000000);
		assert_int_equal(d.drop, (oa | ob) & ZF_LK_OUT_DROPPED ? 1 : 0);
		drops += d.drop;
		both += (oa & ob & ZF_LK_OUT_DROPPED) != 0;
	}
	assert_true(fabs(drops / (double)N - (1 - 0.8 * 0.7)) < 0.01);
	assert_true(fabs(both / (double)N - 0.2 * 0.3) < 0.01);
}

/* The same seed and the same packets make the same decisions. */
static void test_replay(void **state)
{
	struct zf_lk_link_cfg l;
	struct zf_lk_profile p1, p2;

	(void)state;
	link_of(&l);
	l.delay_ns = 1000000;
	l.jitter_ns = 300000;
	l.dist = ZF_LK_DIST_PARETONORMAL;
	l.loss = 10;
	l.burst = 3;
	l.reorder = 5;
	l.corrupt = 5;
	zf_lk_profile_init(&p1, &l, 1);
	zf_lk_profile_init(&p2, &l, 2);    /* seed= wins over the default */
	for (int i = 0; i < 10000; i++) {
		struct zf_lk_decision d1, d2;

		zf_lk_decision_clear(&d1);
		zf_lk_decision_clear(&d2);
		assert_int_equal(zf_lk_profile_apply(&p1, &d1),
				 zf_lk_profile_apply(&p2, &d2));
		assert_memory_equal(&d1, &d2, sizeof(d1));
	}
}

static void test_flip_position(void **state)
{
	struct zf_lk_rng r;
	unsigned hits[40 * 8] = { 0 };

	(void)state;
	zf_lk_rng_seed(&r, 3);
	for (int i = 0; i < N; i++) {
		uint32_t byte;
		unsigned bit;

		zf_lk_flip_position(zf_lk_rng_u64(&r), 40, &byte, &bit);
		assert_true(byte < 40 && bit < 8);
		hits[byte * 8 + bit]++;
	}
	for (int i = 0; i < 40 * 8; i++)                  /* ~312 each */
		assert_true(hits[i] > 200 && hits[i] < 450);
	uint32_t byte;
	unsigned bit;

	zf_lk_flip_position(UINT64_MAX, 1, &byte, &bit);
	assert_true(byte == 0 && bit == 7);
}

static void test_hist(void **state)
{
	struct zf_lk_hist *h = zf_lk_hist_new();

	(void)state;
	assert_true(zf_lk_hist_quantile(h, 0.5) == 0);
	assert_true(zf_lk_hist_quantile(NULL, 0.5) == 0);
	for (int i = 0; i < 1000; i++)
		zf_lk_hist_add(h, 20000123);         /* one value: exact */
	assert_true(zf_lk_hist_quantile(h, 0.5) == 20000123);
	assert_true(zf_lk_hist_quantile(h, 0.99) == 20000123);
	free(h);
	h = zf_lk_hist_new();
	for (uint64_t v = 1; v <= 100000; v++)
		zf_lk_hist_add(h, v * 1000);          /* 1 us .. 100 ms */
	double p50 = (double)zf_lk_hist_quantile(h, 0.5);
	double p99 = (double)zf_lk_hist_quantile(h, 0.99);

	assert_true(fabs(p50 - 50e6) / 50e6 < 0.008);
	assert_true(fabs(p99 - 99e6) / 99e6 < 0.008);
	assert_true(zf_lk_hist_quantile(h, 1.0) == 100000000);
	assert_true(fabs(zf_lk_hist_mean(h) - 50000500) < 1);
	zf_lk_hist_add(h, UINT64_MAX);               /* top bucket */
	assert_true(h->max == UINT64_MAX);
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng),
		cmocka_unit_test(test_loss_random),
		cmocka_unit_test(test_loss_correlated),
		cmocka_unit_test(test_loss_burst),
		cmocka_unit_test(test_delay_distributions),
		cmocka_unit_test(test_delay_correlation_and_clamp),
		cmocka_unit_test(test_reorder_corrupt_duplicate),
		cmocka_unit_test(test_composition),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_flip_position),
		cmocka_unit_test(test_hist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
