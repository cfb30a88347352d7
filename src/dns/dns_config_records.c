/* dns_config_records.c - the builders of the zone's records and of the
 * faults: each checks its record alone (checks between records are in
 * dns_config_check.c). */
#include "dns/dns_config.h"
#include "dns/dns_config_int.h"
#include "dns/dns_name.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Normalise NAME into OUT and check that it lies in the zone. */
static int zone_name(const struct zf_dns_config *cfg, const char *name,
		     char *out, char *err, size_t errlen)
{
	if (!cfg->zone[0]) {
		snprintf(err, errlen, "expected 'zone DOMAIN' before the "
			 "records");
		return -EINVAL;
	}
	if (zf_dns_name_norm(name, out) < 0) {
		snprintf(err, errlen, "expected a name (labels of letters, "
			 "digits, '-', '_'), found '%.60s'", name);
		return -EINVAL;
	}
	if (!zf_dns_name_in_zone(out, cfg->zone)) {
		snprintf(err, errlen, "expected a name inside zone '%s' (such "
			 "as 'www.%s'), found '%.60s'", cfg->zone, cfg->zone,
			 name);
		return -EINVAL;
	}
	return 0;
}

static int check_record(const struct zf_dns_config *cfg, uint32_t ttl,
			char *err, size_t errlen)
{
	if (ttl > ZF_DNS_MAX_TTL) {
		snprintf(err, errlen, "expected a TTL 0..%u seconds",
			 ZF_DNS_MAX_TTL);
		return -EINVAL;
	}
	if (cfg->nas + cfg->ncnames >= ZF_DNS_MAX_RECORDS) {
		snprintf(err, errlen, "expected at most %d records",
			 ZF_DNS_MAX_RECORDS);
		return -EINVAL;
	}
	return 0;
}

int zf_dns_config_add_a(struct zf_dns_config *cfg, const char *name,
			uint32_t ttl, struct in_addr addr, bool down,
			char *err, size_t errlen)
{
	char norm[ZF_DNS_NAME_MAX + 1];
	struct zf_dns_a_cfg *a;

	if (zone_name(cfg, name, norm, err, errlen) < 0 ||
	    check_record(cfg, ttl, err, errlen) < 0)
		return -EINVAL;
	zf_dns_grow(&cfg->as, cfg->nas, sizeof(*a));
	a = &cfg->as[cfg->nas++];
	memset(a, 0, sizeof(*a));
	memcpy(a->name, norm, sizeof(norm));
	a->ttl = ttl;
	a->addr = addr;
	a->down = down;
	return 0;
}

int zf_dns_config_add_cname(struct zf_dns_config *cfg, const char *name,
			    uint32_t ttl, const char *target,
			    char *err, size_t errlen)
{
	char norm[ZF_DNS_NAME_MAX + 1], tnorm[ZF_DNS_NAME_MAX + 1];
	struct zf_dns_cname_cfg *c;

	if (zone_name(cfg, name, norm, err, errlen) < 0 ||
	    check_record(cfg, ttl, err, errlen) < 0)
		return -EINVAL;
	if (zf_dns_name_norm(target, tnorm) < 0) {
		snprintf(err, errlen, "cname %s: expected a target name, found "
			 "'%.60s'", norm, target);
		return -EINVAL;
	}
	if (strcmp(norm, cfg->zone) == 0) {
		snprintf(err, errlen, "cname %s: expected a name below the "
			 "zone (its apex has SOA and NS records)", norm);
		return -EINVAL;
	}
	zf_dns_grow(&cfg->cnames, cfg->ncnames, sizeof(*c));
	c = &cfg->cnames[cfg->ncnames++];
	memset(c, 0, sizeof(*c));
	memcpy(c->name, norm, sizeof(norm));
	c->ttl = ttl;
	memcpy(c->target, tnorm, sizeof(tnorm));
	return 0;
}

int zf_dns_config_add_rrset(struct zf_dns_config *cfg, const char *name,
			    bool roundrobin, bool health_aware,
			    char *err, size_t errlen)
{
	char norm[ZF_DNS_NAME_MAX + 1];
	struct zf_dns_rrset_cfg *r;

	if (zone_name(cfg, name, norm, err, errlen) < 0)
		return -EINVAL;
	if (cfg->nrrsets >= ZF_DNS_MAX_RECORDS) {
		snprintf(err, errlen, "expected at most %d rrset lines",
			 ZF_DNS_MAX_RECORDS);
		return -EINVAL;
	}
	zf_dns_grow(&cfg->rrsets, cfg->nrrsets, sizeof(*r));
	r = &cfg->rrsets[cfg->nrrsets++];
	memset(r, 0, sizeof(*r));
	memcpy(r->name, norm, sizeof(norm));
	r->roundrobin = roundrobin;
	r->health_aware = health_aware;
	return 0;
}

/* The argument fields MODE uses are in range, the others are zero. */
static int check_fault_args(const struct zf_dns_fault_cfg *f, char *err,
			    size_t errlen)
{
	bool slow = f->mode == ZF_DNS_FAULT_SLOW;
	bool wrong = f->mode == ZF_DNS_FAULT_WRONG;
	bool ttl = f->mode == ZF_DNS_FAULT_TTL;

	if ((!slow && f->slow_ns) || (!wrong && f->wrong.s_addr) ||
	    (!ttl && f->ttl)) {
		snprintf(err, errlen, "fault %s: an argument that mode %s does "
			 "not take", f->id, zf_dns_fault_mode_name(f->mode));
		return -EINVAL;
	}
	if (slow && f->slow_ns > ZF_DNS_MAX_SLOW_NS) {
		snprintf(err, errlen, "fault %s: expected a delay of at most "
			 "%llu ns", f->id, (unsigned long long)ZF_DNS_MAX_SLOW_NS);
		return -EINVAL;
	}
	if (ttl && f->ttl > ZF_DNS_MAX_TTL) {
		snprintf(err, errlen, "fault %s: expected a TTL 0..%u seconds",
			 f->id, ZF_DNS_MAX_TTL);
		return -EINVAL;
	}
	return 0;
}

static int check_fault(const struct zf_dns_config *cfg,
		       const struct zf_dns_fault_cfg *f, char *err,
		       size_t errlen)
{
	if (zf_dns_id_check(f->id) < 0) {
		snprintf(err, errlen, "expected a fault ID of 1..%d letters, "
			 "digits, '-', '_', '.', found '%.40s'", ZF_DNS_ID_MAX,
			 f->id);
		return -EINVAL;
	}
	if (strcmp(f->resolver, ZF_DNS_ANY_RESOLVER) != 0 &&
	    zf_dns_id_check(f->resolver) < 0) {
		snprintf(err, errlen, "fault %s: expected a listen ID or '*' "
			 "as resolver, found '%.40s'", f->id, f->resolver);
		return -EINVAL;
	}
	if ((unsigned)f->mode > ZF_DNS_FAULT_TTL) {
		snprintf(err, errlen, "fault %s: unknown mode", f->id);
		return -EINVAL;
	}
	for (size_t i = 0; i < cfg->nfaults; i++) {
		if (strcmp(cfg->faults[i].id, f->id) == 0) {
			snprintf(err, errlen, "fault %s: expected a new ID (it "
				 "is already used)", f->id);
			return -EINVAL;
		}
	}
	if (cfg->nfaults >= ZF_DNS_MAX_FAULTS) {
		snprintf(err, errlen, "expected at most %d faults",
			 ZF_DNS_MAX_FAULTS);
		return -EINVAL;
	}
	return check_fault_args(f, err, errlen);
}

int zf_dns_config_add_fault(struct zf_dns_config *cfg,
			    const struct zf_dns_fault_cfg *f,
			    char *err, size_t errlen)
{
	char pattern[ZF_DNS_PATTERN_MAX + 1];
	struct zf_dns_fault_cfg *dst;

	if (memchr(f->id, '\0', sizeof(f->id)) == NULL ||
	    memchr(f->resolver, '\0', sizeof(f->resolver)) == NULL ||
	    memchr(f->pattern, '\0', sizeof(f->pattern)) == NULL) {
		snprintf(err, errlen, "fault: unterminated field");
		return -EINVAL;
	}
	if (check_fault(cfg, f, err, errlen) < 0)
		return -EINVAL;
	if (zf_dns_pattern_norm(f->pattern, pattern) < 0) {
		snprintf(err, errlen, "fault %s: expected a name pattern of "
			 "1..%d printable characters, found '%.60s'", f->id,
			 ZF_DNS_PATTERN_MAX, f->pattern);
		return -EINVAL;
	}
	zf_dns_grow(&cfg->faults, cfg->nfaults, sizeof(*dst));
	dst = &cfg->faults[cfg->nfaults++];
	*dst = *f;
	memcpy(dst->pattern, pattern, sizeof(pattern));
	return 0;
}
