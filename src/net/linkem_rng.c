/* linkem_rng.c - xoshiro256** (Blackman and Vigna's published algorithm)
 * with a splitmix64 seeder, and the few distributions the emulator needs. */
#include "net/linkem_rng.h"
#include "util/timeutil.h"

#include <math.h>
#include <sys/random.h>
#include <unistd.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void zf_lk_rng_seed(struct zf_lk_rng *r, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
	r->has_spare = false;
	r->spare = 0.0;
}

uint64_t zf_lk_rng_u64(struct zf_lk_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double zf_lk_rng_unit(struct zf_lk_rng *r)
{
	return (double)(zf_lk_rng_u64(r) >> 11) * 0x1.0p-53;
}

uint64_t zf_lk_rng_below(struct zf_lk_rng *r, uint64_t n)
{
	/* Reject the top sliver that would make some values likelier. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, v;

	do
		v = zf_lk_rng_u64(r);
	while (v >= limit);
	return v % n;
}

/* Box-Muller: two normals per pair of uniforms; the second is kept. */
double zf_lk_rng_normal(struct zf_lk_rng *r)
{
	double u1, u2, rad;

	if (r->has_spare) {
		r->has_spare = false;
		return r->spare;
	}
	u1 = 1.0 - zf_lk_rng_unit(r);          /* (0, 1]: log() is finite */
	u2 = zf_lk_rng_unit(r);
	rad = sqrt(-2.0 * log(u1));
	r->spare = rad * sin(2.0 * M_PI * u2);
	r->has_spare = true;
	return rad * cos(2.0 * M_PI * u2);
}

uint64_t zf_lk_seed_random(void)
{
	uint64_t seed;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) ==
	    (ssize_t)sizeof(seed))
		return seed;
	return zf_wall_ns() ^ ((uint64_t)getpid() << 32) ^ zf_now_ns();
}
