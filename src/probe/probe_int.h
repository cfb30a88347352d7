/* probe_int.h - (private to src/probe) what a probe's thread runs: the
 * stop signal it watches and the three request loops (connections, DNS
 * queries, commands). */
#ifndef ZF_PROBE_PROBE_INT_H
#define ZF_PROBE_PROBE_INT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/probe.h"
#include "probe/proto.h"
#include "probe/reqlog.h"

#define ZF_PROBE_MAX_INFLIGHT 10000   /* cap of new connections per request */

/* Written by zf_probe_stop: stop_at and grace first, then stop (release);
 * the loop reads stop (acquire) and then the times. stop_fd (an eventfd)
 * wakes the loop. */
struct zf_probe_ctl {
	int stop_fd;
	atomic_int stop;
	uint64_t stop_at;       /* CLOCK_MONOTONIC: plan nothing from here */
	uint64_t grace;         /* unfinished requests end as timeouts at
				   stop_at + grace */
};

/* 1 with *STOP_AT and *HARD_END set once a stop was asked. */
static inline int zf_probe_ctl_stopped(struct zf_probe_ctl *c,
				       uint64_t *stop_at, uint64_t *hard_end)
{
	if (!atomic_load_explicit(&c->stop, memory_order_acquire))
		return 0;
	*stop_at = c->stop_at;
	*hard_end = c->grace < UINT64_MAX - c->stop_at ? c->stop_at + c->grace
						       : UINT64_MAX;
	return 1;
}

/* Check SPEC and make *OUT the probe's copy: defaults filled in (timeout
 * 1 s, GET, "/", status 200), strings owned. 0, or -EINVAL with ERR (and
 * *OUT untouched). */
int zf_probe_spec_copy(const struct zf_probe_spec *spec,
		       struct zf_probe_spec *out, char *err, size_t errlen);
void zf_probe_spec_fini(struct zf_probe_spec *s);

struct zf_netloop;

/* The socket loop of an http or tcp probe, in the calling thread (which is
 * in the probe's network namespace already). Init makes its epoll set,
 * timer and buffers: 0 or a negative errno. Run returns when the probe
 * was stopped and every request has ended. */
int zf_netloop_new(const struct zf_probe_spec *spec,
		   const struct zf_proto *proto, struct zf_reqlog *log,
		   struct zf_probe_ctl *ctl, struct zf_netloop **out);
void zf_netloop_run(struct zf_netloop *nl);
void zf_netloop_free(struct zf_netloop *nl);

struct zf_dns_proto;
struct zf_dnsloop;

/* The UDP loop of a dns probe (dns_loop.c), like the socket loop above:
 * init makes its sockets (in the calling thread's network namespace),
 * epoll set and timer, 0 or a negative errno; run returns when the probe
 * was stopped and every query has ended. DP must outlive the loop. */
int zf_dnsloop_new(const struct zf_probe_spec *spec, struct zf_dns_proto *dp,
		   struct zf_reqlog *log, struct zf_probe_ctl *ctl,
		   struct zf_dnsloop **out);
void zf_dnsloop_run(struct zf_dnsloop *dl);
void zf_dnsloop_free(struct zf_dnsloop *dl);

/* The loop of an exec probe: runs spec->exec once per planned request, one
 * at a time, until stopped and done. */
void zf_exec_loop_run(const struct zf_probe_spec *spec, struct zf_reqlog *log,
		      struct zf_probe_ctl *ctl);

#endif
