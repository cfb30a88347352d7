/* linkem_profile.c - delay sampling and the loss chain of one link.
 *
 * Delay: a standard normal z, AR(1)-correlated when delay_corr is set
 * (z = rho*z_prev + sqrt(1-rho^2)*e keeps z standard normal), is mapped to
 * the chosen distribution through the normal CDF (a Gaussian copula), so
 * correlation never changes the distribution's shape, mean or spread.
 *
 * Loss: a two-state Markov chain whose long-run loss rate is loss=.
 * loss_corr=C sets the lag-1 correlation: P(lose|lost) = p + C(1-p),
 * P(lose|passed) = p(1-C). burst=N is the simple Gilbert model: the bad
 * state loses every packet and lasts N packets on average, so
 * P(lose|lost) = 1 - 1/N and P(lose|passed) = p / (N(1-p)). */
#include "net/linkem_profile.h"

#include <math.h>
#include <string.h>

#define PARETO_SHAPE 3.0

static double pct(double v)
{
	return v / 100.0;
}

static void init_loss(struct zf_lk_profile *p, const struct zf_lk_link_cfg *l)
{
	double q = pct(l->loss), c = pct(l->loss_corr);

	p->p_loss = q;
	p->p_loss_after_loss = q;
	p->p_loss_after_pass = q;
	if (l->burst >= 1.0 && q > 0.0 && q < 1.0) {
		p->p_loss_after_loss = 1.0 - 1.0 / l->burst;
		p->p_loss_after_pass = q / (l->burst * (1.0 - q));
	} else if (c > 0.0) {
		p->p_loss_after_loss = q + c * (1.0 - q);
		p->p_loss_after_pass = q * (1.0 - c);
	}
}

void zf_lk_profile_init(struct zf_lk_profile *p,
			const struct zf_lk_link_cfg *link, uint64_t seed)
{
	memset(p, 0, sizeof(*p));
	p->delay_ns = link->delay_ns;
	p->jitter_ns = link->jitter_ns;
	p->dist = link->dist;
	p->rho = pct(link->delay_corr);
	p->rho_c = sqrt(1.0 - p->rho * p->rho);
	init_loss(p, link);
	p->p_reorder = pct(link->reorder);
	p->p_corrupt = pct(link->corrupt);
	p->p_dup = pct(link->duplicate);
	zf_lk_rng_seed(&p->rng, link->has_seed ? link->seed : seed);
	/* Start the chain in its stationary state. */
	p->last_lost = zf_lk_rng_unit(&p->rng) < p->p_loss;
	p->z_prev = zf_lk_rng_normal(&p->rng);
}

void zf_lk_decision_clear(struct zf_lk_decision *d)
{
	memset(d, 0, sizeof(*d));
}

static double normal_cdf(double z)
{
	return 0.5 * erfc(-z / M_SQRT2);
}

/* Pareto of shape 3 from uniform U, standardised to mean 0, deviation 1:
 * X = (1-U)^(-1/3) has mean 3/2 and variance 3/4. */
static double pareto_std(double u)
{
	double x;

	if (u > 1.0 - 1e-15)
		u = 1.0 - 1e-15;
	x = pow(1.0 - u, -1.0 / PARETO_SHAPE);
	return (x - 1.5) / sqrt(0.75);
}

/* Standardised variate of P's distribution from the standard normal Z. */
static double shape(struct zf_lk_profile *p, double z)
{
	switch (p->dist) {
	case ZF_LK_DIST_UNIFORM:
		return 2.0 * normal_cdf(z) - 1.0;     /* +-1: jitter = bound */
	case ZF_LK_DIST_NORMAL:
		return z;
	case ZF_LK_DIST_PARETO:
		return pareto_std(normal_cdf(z));
	case ZF_LK_DIST_PARETONORMAL:
		return (0.25 * pareto_std(normal_cdf(z)) +
			0.75 * zf_lk_rng_normal(&p->rng)) / sqrt(0.625);
	}
	return 0.0;
}

uint64_t zf_lk_profile_delay(struct zf_lk_profile *p)
{
	double z, d;

	if (p->jitter_ns == 0)
		return p->delay_ns;
	z = zf_lk_rng_normal(&p->rng);
	if (p->rho > 0.0)
		z = p->rho * p->z_prev + p->rho_c * z;
	p->z_prev = z;
	d = (double)p->delay_ns + (double)p->jitter_ns * shape(p, z);
	if (!(d > 0.0))
		return 0;
	if (d > 2.0 * (double)ZF_LK_MAX_DELAY_NS)
		d = 2.0 * (double)ZF_LK_MAX_DELAY_NS;
	return (uint64_t)llround(d);
}

bool zf_lk_profile_lose(struct zf_lk_profile *p)
{
	double prob = p->last_lost ? p->p_loss_after_loss
				   : p->p_loss_after_pass;

	if (p->p_loss <= 0.0)
		return false;
	p->last_lost = zf_lk_rng_unit(&p->rng) < prob;
	return p->last_lost;
}

static bool draw(struct zf_lk_profile *p, double prob)
{
	double u = zf_lk_rng_unit(&p->rng);

	return u < prob;
}

unsigned zf_lk_profile_apply(struct zf_lk_profile *p,
			     struct zf_lk_decision *d)
{
	unsigned out = 0;
	uint64_t delay = zf_lk_profile_delay(p);
	uint64_t flip = zf_lk_rng_u64(&p->rng);

	if (zf_lk_profile_lose(p))
		out |= ZF_LK_OUT_DROPPED;
	if (p->p_reorder > 0.0 && draw(p, p->p_reorder) && delay > 0) {
		out |= ZF_LK_OUT_REORDERED;    /* goes out without our delay */
		delay = 0;
	}
	if (p->p_corrupt > 0.0 && draw(p, p->p_corrupt))
		out |= ZF_LK_OUT_CORRUPTED;
	if (p->p_dup > 0.0 && draw(p, p->p_dup))
		out |= ZF_LK_OUT_DUPLICATED;
	d->drop = d->drop || (out & ZF_LK_OUT_DROPPED);
	d->reordered = d->reordered || (out & ZF_LK_OUT_REORDERED);
	d->delay_ns += delay;
	if (out & ZF_LK_OUT_CORRUPTED) {
		if (d->ncorrupt < ZF_LK_MAX_FLIPS)
			d->flip[d->ncorrupt] = flip;
		d->ncorrupt++;
	}
	if (out & ZF_LK_OUT_DUPLICATED)
		d->nduplicate++;
	return out;
}

void zf_lk_flip_position(uint64_t v, uint32_t len, uint32_t *byte,
			 unsigned *bit)
{
	uint64_t bits = (uint64_t)len * 8;
	uint64_t pos = (uint64_t)(((unsigned __int128)v * bits) >> 64);

	*byte = (uint32_t)(pos / 8);
	*bit = (unsigned)(pos % 8);
}
