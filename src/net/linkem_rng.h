/* linkem_rng.h - the link emulator's seeded pseudo-random numbers
 * (xoshiro256**, seeded through splitmix64), so a drill given the same seed
 * and the same packets makes the same decisions. Not for cryptography. */
#ifndef ZF_NET_LINKEM_RNG_H
#define ZF_NET_LINKEM_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct zf_lk_rng {
	uint64_t s[4];
	double spare;        /* second normal of the last Box-Muller pair */
	bool has_spare;
};

/* Any SEED (0 included) gives a valid, distinct state. */
void zf_lk_rng_seed(struct zf_lk_rng *r, uint64_t seed);
uint64_t zf_lk_rng_u64(struct zf_lk_rng *r);
/* Uniform in [0, 1), 53 bits. */
double zf_lk_rng_unit(struct zf_lk_rng *r);
/* Uniform in [0, N) without modulo bias; N must be > 0. */
uint64_t zf_lk_rng_below(struct zf_lk_rng *r, uint64_t n);
/* Standard normal (mean 0, deviation 1). */
double zf_lk_rng_normal(struct zf_lk_rng *r);

/* A seed from /dev/urandom, or from the clock and pid if that fails. */
uint64_t zf_lk_seed_random(void);

#endif
