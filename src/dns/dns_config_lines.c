/* dns_config_lines.c - one line of the DNS config: its keyword, its words,
 * and the builder that takes the record. */
#include "dns/dns_config.h"
#include "dns/dns_config_int.h"
#include "dns/dns_name.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int parse_addr(const char *s, struct in_addr *out)
{
	return inet_pton(AF_INET, s, out) == 1 ? 0 : -EINVAL;
}

static int parse_ttl(struct zf_dns_parse *ps, const char *s, uint32_t *out)
{
	uint64_t v;

	if (zf_parse_u64(s, ZF_DNS_MAX_TTL, &v) < 0)
		return zf_dns_perr(ps, "expected a TTL 0..%u (seconds), found "
				   "'%.40s'", ZF_DNS_MAX_TTL, s);
	*out = (uint32_t)v;
	return 0;
}

static int parse_zone(struct zf_dns_parse *ps, char **w, int n)
{
	char msg[256];

	if (n != 2)
		return zf_dns_perr(ps, "expected 'zone DOMAIN'");
	if (ps->cfg->zone[0])
		return zf_dns_perr(ps, "expected one 'zone' line (the first "
				   "is on line %u)", ps->cfg->zone_line);
	if (zf_dns_config_set_zone(ps->cfg, w[1], msg, sizeof(msg)) < 0)
		return zf_dns_perr(ps, "%s", msg);
	ps->cfg->zone_line = ps->wf.line;
	return 0;
}

static int parse_udp_max(struct zf_dns_parse *ps, char **w, int n)
{
	uint64_t v;
	char msg[256];

	if (n != 2 || zf_parse_u64(w[1], 65535, &v) < 0)
		return zf_dns_perr(ps, "expected 'udp-max BYTES' (512..%u)",
				   ZF_DNS_UDP_MAX_LIMIT);
	if (zf_dns_config_set_udp_max(ps->cfg, (unsigned)v, msg,
				      sizeof(msg)) < 0)
		return zf_dns_perr(ps, "%s", msg);
	return 0;
}

static int parse_listen(struct zf_dns_parse *ps, char **w, int n)
{
	struct in_addr addr;
	char msg[256];

	if (n != 4)
		return zf_dns_perr(ps, "expected 'listen ID NETNS_PATH ADDR' "
				   "(%d words found)", n);
	if (parse_addr(w[3], &addr) < 0)
		return zf_dns_perr(ps, "listen %.40s: expected an IPv4 address, "
				   "found '%.40s'", w[1], w[3]);
	if (zf_dns_config_add_listen(ps->cfg, w[1], w[2], addr, msg,
				     sizeof(msg)) < 0)
		return zf_dns_perr(ps, "%s", msg);
	ps->cfg->listens[ps->cfg->nlistens - 1].line = ps->wf.line;
	return 0;
}

static int parse_a(struct zf_dns_parse *ps, char **w, int n)
{
	struct in_addr addr;
	bool down = false;
	uint32_t ttl = 0;
	char msg[256];

	if (n != 4 && n != 5)
		return zf_dns_perr(ps, "expected 'a NAME TTL ADDR "
				   "[health=up|down]' (%d words found)", n);
	if (parse_ttl(ps, w[2], &ttl) < 0)
		return -EINVAL;
	if (parse_addr(w[3], &addr) < 0)
		return zf_dns_perr(ps, "expected an IPv4 address, found "
				   "'%.40s'", w[3]);
	if (n == 5 && strcmp(w[4], "health=down") == 0)
		down = true;
	else if (n == 5 && strcmp(w[4], "health=up") != 0)
		return zf_dns_perr(ps, "expected health=up or health=down, "
				   "found '%.40s'", w[4]);
	if (zf_dns_config_add_a(ps->cfg, w[1], ttl, addr, down, msg,
				sizeof(msg)) < 0)
		return zf_dns_perr(ps, "%s", msg);
	ps->cfg->as[ps->cfg->nas - 1].line = ps->wf.line;
	return 0;
}

static int parse_cname(struct zf_dns_parse *ps, char **w, int n)
{
	uint32_t ttl = 0;
	char msg[256];

	if (n != 4)
		return zf_dns_perr(ps, "expected 'cname NAME TTL TARGET' (%d "
				   "words found)", n);
	if (parse_ttl(ps, w[2], &ttl) < 0)
		return -EINVAL;
	if (zf_dns_config_add_cname(ps->cfg, w[1], ttl, w[3], msg,
				    sizeof(msg)) < 0)
		return zf_dns_perr(ps, "%s", msg);
	ps->cfg->cnames[ps->cfg->ncnames - 1].line = ps->wf.line;
	return 0;
}

/* One KEY=VALUE word of an rrset line; SEEN holds the keys given. */
static int rrset_kv(struct zf_dns_parse *ps, const char *word, unsigned *seen,
		    bool *rr, bool *aware)
{
	static const struct { const char *word; unsigned bit; bool on; } kv[] = {
		{ "order=fixed", 1, false }, { "order=roundrobin", 1, true },
		{ "health=ignore", 2, false }, { "health=aware", 2, true },
	};

	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
		if (strcmp(word, kv[i].word) != 0)
			continue;
		if (*seen & kv[i].bit)
			return zf_dns_perr(ps, "rrset: %s given twice",
					   kv[i].bit == 1 ? "order=" : "health=");
		*seen |= kv[i].bit;
		*(kv[i].bit == 1 ? rr : aware) = kv[i].on;
		return 0;
	}
	return zf_dns_perr(ps, "rrset: expected order=fixed|roundrobin or "
			   "health=ignore|aware, found '%.40s'", word);
}

static int parse_rrset(struct zf_dns_parse *ps, char **w, int n)
{
	bool rr = false, aware = false;
	unsigned seen = 0;
	char msg[256];

	if (n < 2 || n > 4)
		return zf_dns_perr(ps, "expected 'rrset NAME [order=fixed|"
				   "roundrobin] [health=ignore|aware]'");
	for (int i = 2; i < n; i++) {
		if (rrset_kv(ps, w[i], &seen, &rr, &aware) < 0)
			return -EINVAL;
	}
	if (zf_dns_config_add_rrset(ps->cfg, w[1], rr, aware, msg,
				    sizeof(msg)) < 0)
		return zf_dns_perr(ps, "%s", msg);
	ps->cfg->rrsets[ps->cfg->nrrsets - 1].line = ps->wf.line;
	return 0;
}

/* The argument of MODE from word ARG (NULL when absent) into F. */
static int fault_arg(struct zf_dns_parse *ps, struct zf_dns_fault_cfg *f,
		     const char *arg)
{
	bool takes = f->mode == ZF_DNS_FAULT_SLOW ||
		     f->mode == ZF_DNS_FAULT_WRONG || f->mode == ZF_DNS_FAULT_TTL;
	uint64_t v;

	if (!takes && arg)
		return zf_dns_perr(ps, "fault %s: mode %s takes no argument, "
				   "found '%.40s'", f->id,
				   zf_dns_fault_mode_name(f->mode), arg);
	if (f->mode == ZF_DNS_FAULT_SLOW) {
		if (!arg || zf_parse_u64(arg, ZF_DNS_MAX_SLOW_NS, &v) < 0)
			return zf_dns_perr(ps, "fault %s: expected 'slow "
					   "DURATION_NS' (0..%llu)", f->id,
					   (unsigned long long)ZF_DNS_MAX_SLOW_NS);
		f->slow_ns = v;
	} else if (f->mode == ZF_DNS_FAULT_WRONG) {
		if (!arg || parse_addr(arg, &f->wrong) < 0)
			return zf_dns_perr(ps, "fault %s: expected 'wrong "
					   "ADDR' (IPv4)", f->id);
	} else if (f->mode == ZF_DNS_FAULT_TTL) {
		if (!arg || zf_parse_u64(arg, ZF_DNS_MAX_TTL, &v) < 0)
			return zf_dns_perr(ps, "fault %s: expected 'ttl "
					   "SECONDS' (0..%u)", f->id,
					   ZF_DNS_MAX_TTL);
		f->ttl = (uint32_t)v;
	}
	return 0;
}

static int parse_fault(struct zf_dns_parse *ps, char **w, int n)
{
	struct zf_dns_fault_cfg f;
	char msg[256];

	memset(&f, 0, sizeof(f));
	if (n != 5 && n != 6)
		return zf_dns_perr(ps, "expected 'fault ID RESOLVER PATTERN "
				   "MODE [ARG]' (%d words found)", n);
	if (strlen(w[1]) > ZF_DNS_ID_MAX || strlen(w[2]) > ZF_DNS_ID_MAX ||
	    strlen(w[3]) > ZF_DNS_PATTERN_MAX)
		return zf_dns_perr(ps, "fault: expected an ID and a resolver "
				   "of at most %d characters and a pattern of "
				   "at most %d", ZF_DNS_ID_MAX,
				   ZF_DNS_PATTERN_MAX);
	memcpy(f.id, w[1], strlen(w[1]) + 1);
	memcpy(f.resolver, w[2], strlen(w[2]) + 1);
	memcpy(f.pattern, w[3], strlen(w[3]) + 1);
	if (zf_dns_fault_mode_parse(w[4], &f.mode) < 0)
		return zf_dns_perr(ps, "fault %s: expected a mode (servfail, "
				   "nxdomain, empty, timeout, slow, wrong, "
				   "stale, ttl), found '%.40s'", f.id, w[4]);
	if (fault_arg(ps, &f, n == 6 ? w[5] : NULL) < 0)
		return -EINVAL;
	if (zf_dns_config_add_fault(ps->cfg, &f, msg, sizeof(msg)) < 0)
		return zf_dns_perr(ps, "%s", msg);
	ps->cfg->faults[ps->cfg->nfaults - 1].line = ps->wf.line;
	return 0;
}

int zf_dns_parse_words(struct zf_dns_parse *ps, char **w, int n)
{
	static const struct {
		const char *word;
		int (*fn)(struct zf_dns_parse *, char **, int);
	} kw[] = {
		{ "zone", parse_zone }, { "udp-max", parse_udp_max },
		{ "listen", parse_listen }, { "a", parse_a },
		{ "cname", parse_cname }, { "rrset", parse_rrset },
		{ "fault", parse_fault },
	};

	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++) {
		if (strcmp(w[0], kw[i].word) == 0)
			return kw[i].fn(ps, w, n);
	}
	return zf_dns_perr(ps, "expected zone, udp-max, listen, a, cname, "
			   "rrset or fault, found '%.40s'", w[0]);
}
