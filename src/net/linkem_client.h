/* linkem_client.h - talking to a running zonefall-linkem from zonefall:
 * readiness, reload, stats, quit over its control socket (DIR/ctl.sock;
 * util/ctlclient.h has the protocol, docs/linkem.md the requests). */
#ifndef ZF_NET_LINKEM_CLIENT_H
#define ZF_NET_LINKEM_CLIENT_H

#include "util/ctlclient.h"

#define ZF_LINKEM_SOCK ZF_CTL_SOCK
#define ZF_LINKEM_CONFIG "config"

/* The control protocol of util/ctlclient.h, under this daemon's names. */
static inline int zf_linkem_request(const char *dir, const char *req, char *resp,
				size_t len, int timeout_ms)
{
	return zf_ctl_request(dir, req, resp, len, timeout_ms);
}

static inline int zf_linkem_request_alloc(const char *dir, const char *req,
				      char **resp, int timeout_ms)
{
	return zf_ctl_request_alloc(dir, req, resp, timeout_ms);
}

static inline int zf_linkem_wait_ready(const char *dir, pid_t pid, int timeout_ms)
{
	return zf_ctl_wait_ready(dir, pid, timeout_ms);
}

static inline int zf_linkem_reload(const char *dir, uint64_t *gen, char *err,
			       size_t errlen, int timeout_ms)
{
	return zf_ctl_reload(dir, gen, err, errlen, timeout_ms);
}

static inline int zf_linkem_stats(const char *dir, char **json, int timeout_ms)
{
	return zf_ctl_stats(dir, json, timeout_ms);
}

static inline int zf_linkem_quit(const char *dir, int timeout_ms)
{
	return zf_ctl_quit(dir, timeout_ms);
}

#endif
