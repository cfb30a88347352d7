/* linkem_profile.h - what one emulated link does to one packet: the delay
 * it samples, whether it loses, reorders, corrupts or duplicates it. Pure
 * math on a seeded generator, so it is tested without any packet.
 *
 * A packet that several links match goes through each of them
 * (zf_lk_profile_apply() on each, into one struct zf_lk_decision): delays
 * add, and each link's loss/reorder/corrupt/duplicate draw is its own. */
#ifndef ZF_NET_LINKEM_PROFILE_H
#define ZF_NET_LINKEM_PROFILE_H

#include "net/linkem_config.h"
#include "net/linkem_rng.h"

#include <stdbool.h>
#include <stdint.h>

#define ZF_LK_MAX_FLIPS 8     /* corrupted bits remembered per packet */

struct zf_lk_profile {
	uint64_t delay_ns, jitter_ns;
	enum zf_lk_dist dist;
	double rho, rho_c;           /* delay correlation, sqrt(1 - rho^2) */
	double p_loss;               /* long-run loss probability */
	double p_loss_after_loss;    /* Markov chain; both = p_loss if none */
	double p_loss_after_pass;
	double p_reorder, p_corrupt, p_dup;
	struct zf_lk_rng rng;
	double z_prev;               /* last delay variate (correlation) */
	bool last_lost;
};

/* The combined fate of one packet. */
struct zf_lk_decision {
	bool drop;
	bool reordered;
	unsigned ncorrupt;                   /* bits to flip */
	unsigned nduplicate;                 /* extra copies to send */
	uint64_t delay_ns;                   /* target added delay */
	uint64_t flip[ZF_LK_MAX_FLIPS];      /* random values, one per flip */
};

/* What one link did, for its counters (bits of zf_lk_profile_apply()). */
#define ZF_LK_OUT_DROPPED (1u << 0)
#define ZF_LK_OUT_REORDERED (1u << 1)
#define ZF_LK_OUT_CORRUPTED (1u << 2)
#define ZF_LK_OUT_DUPLICATED (1u << 3)

/* Set P up for LINK (assumed valid: zf_lk_link_validate()) with the
 * link's seed if it has one, else SEED. */
void zf_lk_profile_init(struct zf_lk_profile *p,
			const struct zf_lk_link_cfg *link, uint64_t seed);

void zf_lk_decision_clear(struct zf_lk_decision *d);

/* Draw this link's fate for the next packet and add it to D. Returns the
 * ZF_LK_OUT_* bits of this link alone. Every call draws the same number of
 * values whatever other links decided, so a seed replays exactly. */
unsigned zf_lk_profile_apply(struct zf_lk_profile *p,
			     struct zf_lk_decision *d);

/* The pieces, exposed for tests: the next delay sample (ns, >= 0) and the
 * next loss decision of the chain. */
uint64_t zf_lk_profile_delay(struct zf_lk_profile *p);
bool zf_lk_profile_lose(struct zf_lk_profile *p);

/* Where flip value V lands in a packet of LEN bytes (LEN > 0). */
void zf_lk_flip_position(uint64_t v, uint32_t len, uint32_t *byte,
			 unsigned *bit);

#endif
