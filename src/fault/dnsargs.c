/* dnsargs.c - the arguments of the DNS faults (dnsargs.h). */
#include "fault/dnsargs.h"
#include "util/log.h"
#include "util/num.h"
#include "spec/duration.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int zf_dnsargs_is_dns_kind(const char *kind)
{
	enum zf_dns_fault_mode m;

	return !strncmp(kind, ZF_DNSARGS_PREFIX, strlen(ZF_DNSARGS_PREFIX)) &&
	       zf_dns_fault_mode_parse(kind + strlen(ZF_DNSARGS_PREFIX), &m) == 0;
}

/* NAMES into a lower-case glob inside the lab's domain. */
static int parse_names(const struct zf_lab *lab, const char *word, char *out,
		       size_t len, char *err, size_t errlen)
{
	size_t n = strlen(word), d = strlen(lab->domain);
	int full = !strcmp(word, "*") ||
		   (n > d && word[n - d - 1] == '.' && !strcasecmp(word + n - d, lab->domain));

	if (n == 0 || strpbrk(word, "/\\") ||
	    zf_fmt(out, len, full ? "%s" : "%s.%s", word, lab->domain)) {
		snprintf(err, errlen, "expected a name or glob of names ('www', "
			 "'*.r1', 'api.%s'), found '%.60s'", lab->domain, word);
		return -EINVAL;
	}
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return 0;
}

/* WRONG's address: an IPv4 address or a host of the lab; none gives an
 * address of the lab's block that nothing owns. */
static int parse_wrong(const struct zf_lab *lab, const struct zf_plan *plan,
		       const char *word,
		       struct in_addr *out, char *err, size_t errlen)
{
	uint32_t ip;
	int h;

	if (!word) {
		ip = zf_plan_client_subnet(plan) | 9u;   /* below every client */
	} else if ((h = zf_lab_find_host(lab, word)) >= 0) {
		ip = plan->host_ip[h];
	} else if (zf_ip_parse(word, &ip) < 0) {
		snprintf(err, errlen, "wrong: expected an IPv4 address or a host, "
			 "found '%.60s'", word);
		return -EINVAL;
	}
	out->s_addr = htonl(ip);
	return 0;
}

/* The value word of MODE into F. */
static int parse_value(const struct zf_lab *lab, const struct zf_plan *plan,
		       struct zf_dns_fault_cfg *f, const char *word, char *err,
		       size_t errlen)
{
	uint64_t v;

	if (f->mode == ZF_DNS_FAULT_WRONG)
		return parse_wrong(lab, plan, word, &f->wrong, err, errlen);
	if (f->mode == ZF_DNS_FAULT_SLOW && word && zf_duration_parse(word, &f->slow_ns) == 0 &&
	    f->slow_ns > 0 && f->slow_ns <= ZF_DNS_MAX_SLOW_NS)
		return 0;
	if (f->mode == ZF_DNS_FAULT_TTL && word && zf_parse_u64(word, ZF_DNS_MAX_TTL, &v) == 0) {
		f->ttl = (uint32_t)v;
		return 0;
	}
	if (f->mode == ZF_DNS_FAULT_SLOW || f->mode == ZF_DNS_FAULT_TTL) {
		snprintf(err, errlen, "expected 'NAMES %s'", f->mode == ZF_DNS_FAULT_SLOW ?
			 "DELAY' (e.g. 'www 200ms', at most 10m)" : "SECONDS' (e.g. 'www 3600')");
		return -EINVAL;
	}
	if (word) {
		snprintf(err, errlen, "dns-%s takes only NAMES, found '%.40s' after them",
			 zf_dns_fault_mode_name(f->mode), word);
		return -EINVAL;
	}
	return 0;
}

int zf_dnsargs_parse(const struct zf_lab *lab, const struct zf_plan *plan,
		     const char *kind, const char *args, struct zf_dns_fault_cfg *f,
		     char *err, size_t errlen)
{
	char buf[ZF_DNSARGS_MAX + 1], *save = NULL, *names, *value, *extra;

	memset(f, 0, sizeof(*f));
	if (!zf_dnsargs_is_dns_kind(kind) ||
	    zf_dns_fault_mode_parse(kind + strlen(ZF_DNSARGS_PREFIX), &f->mode) < 0) {
		snprintf(err, errlen, "unknown DNS fault '%s'", kind);
		return -EINVAL;
	}
	if (zf_fmt(buf, sizeof(buf), "%s", args ? args : "")) {
		snprintf(err, errlen, "arguments longer than %d characters", ZF_DNSARGS_MAX);
		return -EINVAL;
	}
	names = strtok_r(buf, " \t", &save);
	value = names ? strtok_r(NULL, " \t", &save) : NULL;
	extra = value ? strtok_r(NULL, " \t", &save) : NULL;
	if (extra) {
		snprintf(err, errlen, "unexpected '%.40s' after the arguments", extra);
		return -EINVAL;
	}
	int rc = parse_names(lab, names ? names : "*", f->pattern, sizeof(f->pattern),
			     err, errlen);
	return rc < 0 ? rc : parse_value(lab, plan, f, value, err, errlen);
}

