/* test_probe_hist.c - the latency histogram: 1% accuracy over its whole
 * range against exact quantiles, merging, and the edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "probe/hist.h"

#define LO 1000ull                      /* 1 us */
#define HI 1000000000000ull             /* 1000 s */
#define N 200000

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Log-uniform over [LO, HI]: every power of two gets its share. */
static uint64_t random_value(void)
{
	double u = (double)(rng() >> 11) / 9007199254740992.0;

	return (uint64_t)exp(log((double)LO) + u * (log((double)HI) - log((double)LO)));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The exact value of rank ceil(q * n) (at least 1) of sorted V. */
static uint64_t exact_quantile(const uint64_t *v, size_t n, double q)
{
	double r = ceil(q * (double)n);
	size_t rank = r < 1 ? 1 : (size_t)r;

	return v[(rank > n ? n : rank) - 1];
}

static void assert_close(uint64_t got, uint64_t want, double rel)
{
	double err = fabs((double)got - (double)want) / (double)want;

	if (err > rel)
		fail_msg("got %llu want %llu: relative error %.4f > %.4f",
			 (unsigned long long)got, (unsigned long long)want, err, rel);
}

static void test_accuracy(void **state)
{
	static const double qs[] = { 0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75,
				     0.9, 0.99, 0.999, 0.9999, 1 };
	uint64_t *v = malloc(N * sizeof(*v));
	struct zf_hist *h = zf_hist_new();

	(void)state;
	for (size_t i = 0; i < N; i++) {
		v[i] = random_value();
		zf_hist_add(h, v[i]);
	}
	qsort(v, N, sizeof(*v), cmp_u64);
	assert_int_equal(zf_hist_count(h), N);
	assert_int_equal(zf_hist_min(h), v[0]);
	assert_int_equal(zf_hist_max(h), v[N - 1]);
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
		assert_close(zf_hist_quantile(h, qs[i]),
			     exact_quantile(v, N, qs[i]), 0.01);
	/* Every rank, not only the usual quantiles. */
	for (size_t r = 1; r <= N; r += 997)
		assert_close(zf_hist_quantile(h, (double)r / N), v[r - 1], 0.01);
	zf_hist_free(h);
	free(v);
}

static void bucket_of_one(uint64_t value_ns, uint64_t count, void *ctx)
{
	uint64_t *out = ctx;

	assert_int_equal(count, 1);
	*out = value_ns;
}

/* Each bucket's representative is within 1% of any value it holds. */
static void test_bucket_precision(void **state)
{
	struct zf_hist *h = zf_hist_new();
	uint64_t mid;

	(void)state;
	for (double v = (double)LO; v <= (double)HI; v *= 1.0007) {
		zf_hist_reset(h);
		zf_hist_add(h, (uint64_t)v);
		mid = 0;
		zf_hist_foreach(h, bucket_of_one, &mid);
		assert_close(mid, (uint64_t)v, 0.01);
	}
	zf_hist_free(h);
}

struct collect {
	uint64_t values[64], counts[64];
	size_t n;
};

static void collect_bucket(uint64_t value_ns, uint64_t count, void *ctx)
{
	struct collect *c = ctx;

	if (c->n < 64) {
		c->values[c->n] = value_ns;
		c->counts[c->n] = count;
	}
	c->n++;
}

static void add_count(uint64_t value_ns, uint64_t count, void *ctx)
{
	(void)value_ns;
	*(uint64_t *)ctx += count;
}

static void test_merge(void **state)
{
	struct zf_hist *all = zf_hist_new(), *part[4], *merged = zf_hist_new();
	uint64_t total = 0;

	(void)state;
	for (int i = 0; i < 4; i++)
		part[i] = zf_hist_new();
	for (size_t i = 0; i < N / 4; i++) {
		uint64_t v = random_value();

		zf_hist_add(all, v);
		zf_hist_add(part[rng() % 4], v);
	}
	for (int i = 0; i < 4; i++)
		zf_hist_merge(merged, part[i]);
	assert_int_equal(zf_hist_count(merged), zf_hist_count(all));
	assert_int_equal(zf_hist_min(merged), zf_hist_min(all));
	assert_int_equal(zf_hist_max(merged), zf_hist_max(all));
	for (double q = 0; q <= 1.0; q += 0.01)
		assert_int_equal(zf_hist_quantile(merged, q),
				 zf_hist_quantile(all, q));
	zf_hist_foreach(merged, add_count, &total);
	assert_int_equal(total, N / 4);
	for (int i = 0; i < 4; i++)
		zf_hist_free(part[i]);
	zf_hist_free(all);
	zf_hist_free(merged);
}

static void test_edges(void **state)
{
	struct zf_hist *h = zf_hist_new(), *empty = zf_hist_new();
	struct collect c = { .n = 0 };

	(void)state;
	assert_int_equal(zf_hist_count(h), 0);
	assert_int_equal(zf_hist_min(h), 0);
	assert_int_equal(zf_hist_max(h), 0);
	assert_int_equal(zf_hist_quantile(h, 0.5), 0);
	zf_hist_foreach(h, collect_bucket, &c);
	assert_int_equal(c.n, 0);
	/* Clamped into [1 us, 1000 s]. */
	zf_hist_add(h, 0);
	zf_hist_add(h, 1);
	zf_hist_add(h, 999);
	zf_hist_add(h, UINT64_MAX);
	zf_hist_add(h, HI + 1);
	assert_int_equal(zf_hist_count(h), 5);
	assert_int_equal(zf_hist_min(h), LO);
	assert_int_equal(zf_hist_max(h), HI);
	assert_int_equal(zf_hist_quantile(h, 0), LO);
	assert_close(zf_hist_quantile(h, 0.5), LO, 0.01);
	assert_int_equal(zf_hist_quantile(h, 1), HI);
	assert_int_equal(zf_hist_quantile(h, 0.2), LO);     /* rank 1 */
	assert_int_equal(zf_hist_quantile(h, -3), LO);
	assert_int_equal(zf_hist_quantile(h, 7), HI);
	assert_int_equal(zf_hist_quantile(h, NAN), LO);
	zf_hist_foreach(h, collect_bucket, &c);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.counts[0], 3);
	assert_int_equal(c.counts[1], 2);
	assert_true(c.values[0] < c.values[1]);
	/* Merging an empty histogram changes nothing, into one adds all. */
	zf_hist_merge(h, empty);
	assert_int_equal(zf_hist_count(h), 5);
	zf_hist_merge(empty, h);
	assert_int_equal(zf_hist_min(empty), LO);
	assert_int_equal(zf_hist_max(empty), HI);
	/* One value: every quantile is that value exactly. */
	zf_hist_reset(h);
	zf_hist_add(h, 123456789);
	assert_int_equal(zf_hist_quantile(h, 0.01), 123456789);
	assert_int_equal(zf_hist_quantile(h, 0.99), 123456789);
	zf_hist_free(h);
	zf_hist_free(empty);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accuracy),
		cmocka_unit_test(test_bucket_precision),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
