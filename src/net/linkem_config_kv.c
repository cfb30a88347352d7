/* linkem_config_kv.c - the KEY=VALUE words of a 'link' line and the
 * number grammars they use. */
#include "net/linkem_config_int.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kv_kind { KV_QUEUE, KV_IFINDEX, KV_NS, KV_DIST, KV_PCT, KV_BURST,
	       KV_SEED };

struct kv_spec {
	const char *key;
	enum kv_kind kind;
	size_t off;          /* of the field in struct zf_lk_link_cfg */
};

#define F(field) offsetof(struct zf_lk_link_cfg, field)

static const struct kv_spec kv_specs[] = {
	{ "queue", KV_QUEUE, F(queue) },
	{ "iif", KV_IFINDEX, F(iif) },
	{ "oif", KV_IFINDEX, F(oif) },
	{ "delay", KV_NS, F(delay_ns) },
	{ "jitter", KV_NS, F(jitter_ns) },
	{ "dist", KV_DIST, F(dist) },
	{ "delay_corr", KV_PCT, F(delay_corr) },
	{ "loss", KV_PCT, F(loss) },
	{ "loss_corr", KV_PCT, F(loss_corr) },
	{ "burst", KV_BURST, F(burst) },
	{ "reorder", KV_PCT, F(reorder) },
	{ "corrupt", KV_PCT, F(corrupt) },
	{ "duplicate", KV_PCT, F(duplicate) },
	{ "seed", KV_SEED, F(seed) },
};
#define N_SPECS (sizeof(kv_specs) / sizeof(kv_specs[0]))


int zf_lk_parse_decimal(const char *s, int int_digits, double *out)
{
	size_t n_int = strspn(s, "0123456789"), n_frac = 0;
	char *end;

	if (n_int == 0 || n_int > (size_t)int_digits)
		return -EINVAL;
	if (s[n_int] == '.') {
		n_frac = strspn(s + n_int + 1, "0123456789");
		if (n_frac == 0 || n_frac > 9)
			return -EINVAL;
		n_frac++;
	}
	if (s[n_int + n_frac] != '\0')
		return -EINVAL;
	/* The grammar above is a subset of strtod's: no sign, no exponent,
	 * no hex, no inf/nan. */
	*out = strtod(s, &end);
	return *end == '\0' ? 0 : -EINVAL;
}

static const struct kv_spec *find_spec(const char *key, size_t len)
{
	for (size_t i = 0; i < N_SPECS; i++) {
		if (strlen(kv_specs[i].key) == len &&
		    memcmp(kv_specs[i].key, key, len) == 0)
			return &kv_specs[i];
	}
	return NULL;
}

static int parse_ifindex(const char *v, int32_t *out)
{
	uint64_t n;

	if (strcmp(v, "*") == 0) {
		*out = ZF_LK_IF_ANY;
		return 0;
	}
	if (zf_parse_u64(v, INT32_MAX, &n) < 0 || n == 0)
		return -EINVAL;
	*out = (int32_t)n;
	return 0;
}

/* What KIND expects, for messages. */
static const char *kind_expects(enum kv_kind kind)
{
	switch (kind) {
	case KV_QUEUE: return "a declared queue ID";
	case KV_IFINDEX: return "an interface index 1..2147483647 or '*'";
	case KV_NS: return "nanoseconds 0..3600000000000 (digits only)";
	case KV_DIST: return "uniform, normal, pareto or paretonormal";
	case KV_PCT: return "a percentage 0..100 (e.g. 2.5)";
	case KV_BURST: return "a mean burst length >= 1 (e.g. 4 or 2.5)";
	case KV_SEED: return "an unsigned 64-bit integer";
	}
	return "?";
}

static int parse_value(const struct kv_spec *sp, const char *v, void *field)
{
	uint64_t n;
	double d;

	switch (sp->kind) {
	case KV_QUEUE:
		if (zf_parse_u64(v, ZF_LK_MAX_QUEUE_ID, &n) < 0)
			return -EINVAL;
		*(uint32_t *)field = (uint32_t)n;
		return 0;
	case KV_IFINDEX:
		return parse_ifindex(v, field);
	case KV_NS:
		return zf_parse_u64(v, ZF_LK_MAX_DELAY_NS, field);
	case KV_DIST:
		return zf_lk_dist_parse(v, field);
	case KV_PCT:
		if (zf_lk_parse_decimal(v, 3, &d) < 0 || d > 100.0)
			return -EINVAL;
		*(double *)field = d;
		return 0;
	case KV_BURST:
		if (zf_lk_parse_decimal(v, 7, &d) < 0 || d < 1.0)
			return -EINVAL;
		*(double *)field = d;
		return 0;
	case KV_SEED:
		return zf_parse_u64(v, UINT64_MAX, field);
	}
	return -EINVAL;
}

int zf_lk_parse_link_kv(struct zf_lk_link_cfg *link, const char *word,
			unsigned *seen, char *err, size_t errlen)
{
	const char *eq = strchr(word, '=');
	const struct kv_spec *sp = eq ? find_spec(word, (size_t)(eq - word))
				      : NULL;
	unsigned bit;

	if (!sp) {
		snprintf(err, errlen, "link '%s': expected KEY=VALUE with KEY "
			 "one of queue, iif, oif, delay, jitter, dist, "
			 "delay_corr, loss, loss_corr, burst, reorder, corrupt, "
			 "duplicate, seed; found '%.40s'", link->name, word);
		return -EINVAL;
	}
	bit = 1u << (unsigned)(sp - kv_specs);
	if (*seen & bit) {
		snprintf(err, errlen, "link '%s': %s= given twice", link->name,
			 sp->key);
		return -EINVAL;
	}
	*seen |= bit;
	if (parse_value(sp, eq + 1, (char *)link + sp->off) < 0) {
		snprintf(err, errlen, "link '%s': %s= expects %s, found "
			 "'%.40s'", link->name, sp->key, kind_expects(sp->kind),
			 eq + 1);
		return -EINVAL;
	}
	if (sp->kind == KV_SEED)
		link->has_seed = true;
	return 0;
}

const char *zf_lk_missing_key(unsigned seen)
{
	if (!(seen & ZF_LK_KEY_QUEUE))
		return "queue=";
	if (!(seen & ZF_LK_KEY_IIF))
		return "iif=";
	return "oif=";
}
