/* dns_config_model.c - the DNS config model: builders that check one
 * record at a time (the parser and the lab side use the same ones), the
 * fault mode words, freeing. */
#include "dns/dns_config.h"
#include "dns/dns_config_int.h"
#include "dns/dns_name.h"
#include "util/mem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const mode_names[] = {
	[ZF_DNS_FAULT_SERVFAIL] = "servfail",
	[ZF_DNS_FAULT_NXDOMAIN] = "nxdomain",
	[ZF_DNS_FAULT_EMPTY] = "empty",
	[ZF_DNS_FAULT_TIMEOUT] = "timeout",
	[ZF_DNS_FAULT_SLOW] = "slow",
	[ZF_DNS_FAULT_WRONG] = "wrong",
	[ZF_DNS_FAULT_STALE] = "stale",
	[ZF_DNS_FAULT_TTL] = "ttl",
};
#define N_MODES (sizeof(mode_names) / sizeof(mode_names[0]))

const char *zf_dns_fault_mode_name(enum zf_dns_fault_mode m)
{
	return (size_t)m < N_MODES ? mode_names[m] : "?";
}

int zf_dns_fault_mode_parse(const char *s, enum zf_dns_fault_mode *out)
{
	for (size_t i = 0; i < N_MODES; i++) {
		if (strcmp(s, mode_names[i]) == 0) {
			*out = (enum zf_dns_fault_mode)i;
			return 0;
		}
	}
	return -EINVAL;
}

void zf_dns_grow(void *arr, size_t n, size_t size)
{
	void **p = arr;

	if (n >= 8 && (n & (n - 1)) != 0)
		return;
	if (n == 0 || n >= 8)
		*p = zf_xrealloc(*p, (n ? 2 * n : 8) * size);
}

void zf_dns_fault_arg(const struct zf_dns_fault_cfg *f, char *buf, size_t len)
{
	buf[0] = '\0';
	if (f->mode == ZF_DNS_FAULT_SLOW)
		snprintf(buf, len, "%" PRIu64, f->slow_ns);
	else if (f->mode == ZF_DNS_FAULT_TTL)
		snprintf(buf, len, "%" PRIu32, f->ttl);
	else if (f->mode == ZF_DNS_FAULT_WRONG)
		inet_ntop(AF_INET, &f->wrong, buf, (socklen_t)len);
}

void zf_dns_config_init(struct zf_dns_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->udp_max = ZF_DNS_UDP_MAX_DEFAULT;
}

void zf_dns_config_free(struct zf_dns_config *cfg)
{
	free(cfg->listens);
	free(cfg->as);
	free(cfg->cnames);
	free(cfg->rrsets);
	free(cfg->faults);
	zf_dns_config_init(cfg);
}

int zf_dns_config_set_zone(struct zf_dns_config *cfg, const char *domain,
			   char *err, size_t errlen)
{
	char norm[ZF_DNS_NAME_MAX + 1];

	if (cfg->zone[0]) {
		snprintf(err, errlen, "expected one zone (it is already '%s')",
			 cfg->zone);
		return -EINVAL;
	}
	if (zf_dns_name_norm(domain, norm) < 0) {
		snprintf(err, errlen, "expected a domain name (labels of "
			 "letters, digits, '-', '_'), found '%.60s'", domain);
		return -EINVAL;
	}
	memcpy(cfg->zone, norm, sizeof(norm));
	return 0;
}

int zf_dns_config_set_udp_max(struct zf_dns_config *cfg, unsigned bytes,
			      char *err, size_t errlen)
{
	if (bytes < 512 || bytes > ZF_DNS_UDP_MAX_LIMIT) {
		snprintf(err, errlen, "expected udp-max 512..%u bytes, found %u",
			 ZF_DNS_UDP_MAX_LIMIT, bytes);
		return -EINVAL;
	}
	cfg->udp_max = (uint16_t)bytes;
	return 0;
}

static int check_netns(const char *netns, char *err, size_t errlen)
{
	size_t n = strlen(netns);

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)netns[i];

		if (c < 0x21 || c > 0x7e)
			n = 0;
	}
	if (n == 0 || n > ZF_DNS_PATH_MAX || netns[0] != '/') {
		snprintf(err, errlen, "expected an absolute netns path of at "
			 "most %d printable characters, found '%.60s'",
			 ZF_DNS_PATH_MAX, netns);
		return -EINVAL;
	}
	return 0;
}

int zf_dns_config_add_listen(struct zf_dns_config *cfg, const char *id,
			     const char *netns, struct in_addr addr,
			     char *err, size_t errlen)
{
	struct zf_dns_listen_cfg *l;

	if (zf_dns_id_check(id) < 0) {
		snprintf(err, errlen, "expected a listen ID of 1..%d letters, "
			 "digits, '-', '_', '.', found '%.40s'", ZF_DNS_ID_MAX,
			 id);
		return -EINVAL;
	}
	if (check_netns(netns, err, errlen) < 0)
		return -EINVAL;
	if (addr.s_addr == htonl(INADDR_ANY)) {
		snprintf(err, errlen, "listen %s: expected a local address, "
			 "not 0.0.0.0", id);
		return -EINVAL;
	}
	for (size_t i = 0; i < cfg->nlistens; i++) {
		l = &cfg->listens[i];
		if (strcmp(l->id, id) == 0 ||
		    (l->addr.s_addr == addr.s_addr &&
		     strcmp(l->netns, netns) == 0)) {
			snprintf(err, errlen, "listen %s: expected a new ID and "
				 "address (listen %s has them)", id, l->id);
			return -EINVAL;
		}
	}
	if (cfg->nlistens >= ZF_DNS_MAX_LISTENERS) {
		snprintf(err, errlen, "expected at most %d listen lines",
			 ZF_DNS_MAX_LISTENERS);
		return -EINVAL;
	}
	zf_dns_grow(&cfg->listens, cfg->nlistens, sizeof(*l));
	l = &cfg->listens[cfg->nlistens++];
	memset(l, 0, sizeof(*l));
	snprintf(l->id, sizeof(l->id), "%s", id);
	snprintf(l->netns, sizeof(l->netns), "%s", netns);
	l->addr = addr;
	return 0;
}
