/* dns_client.h - talking to a running zonefall-dns from zonefall:
 * readiness, reload, stats, quit over its control socket (DIR/ctl.sock;
 * util/ctlclient.h has the protocol, docs/dns.md the requests). */
#ifndef ZF_DNS_DNS_CLIENT_H
#define ZF_DNS_DNS_CLIENT_H

#include "util/ctlclient.h"

#define ZF_DNS_SOCK ZF_CTL_SOCK
#define ZF_DNS_CONFIG "config"
#define ZF_DNS_BINARY "zonefall-dns"

/* The control protocol of util/ctlclient.h, under this daemon's names. */
static inline int zf_dns_request(const char *dir, const char *req, char *resp,
				size_t len, int timeout_ms)
{
	return zf_ctl_request(dir, req, resp, len, timeout_ms);
}

static inline int zf_dns_request_alloc(const char *dir, const char *req,
				      char **resp, int timeout_ms)
{
	return zf_ctl_request_alloc(dir, req, resp, timeout_ms);
}

static inline int zf_dns_wait_ready(const char *dir, pid_t pid, int timeout_ms)
{
	return zf_ctl_wait_ready(dir, pid, timeout_ms);
}

static inline int zf_dns_reload(const char *dir, uint64_t *gen, char *err,
			       size_t errlen, int timeout_ms)
{
	return zf_ctl_reload(dir, gen, err, errlen, timeout_ms);
}

static inline int zf_dns_stats(const char *dir, char **json, int timeout_ms)
{
	return zf_ctl_stats(dir, json, timeout_ms);
}

static inline int zf_dns_quit(const char *dir, int timeout_ms)
{
	return zf_ctl_quit(dir, timeout_ms);
}

#endif
