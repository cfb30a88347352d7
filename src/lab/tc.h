/* tc.h - bandwidth limits: a tbf qdisc as the root of an interface, through
 * rtnetlink (the same batches as nl.h). Only ever used on interfaces of the
 * lab's own namespaces. */
#ifndef ZF_LAB_TC_H
#define ZF_LAB_TC_H

#include <stdint.h>

#include "lab/nl.h"

struct zf_tbf {
	uint64_t rate_bps;     /* bits per second, > 0 */
	uint32_t burst;        /* bytes sent back to back at line speed */
	uint32_t limit;        /* bytes that may wait in the queue */
};

/* Fill T for RATE_BPS with zonefall's defaults: a burst of 20 ms at that
 * rate (at least two full frames) and a queue of 100 ms, so a TCP flow
 * settles at the rate instead of sawing below it. */
void zf_tbf_defaults(struct zf_tbf *t, uint64_t rate_bps);

/* Queue "IFINDEX's root qdisc is tbf T" (created or replaced) in NL's
 * namespace. -EINVAL for a zero rate or burst. */
int zf_nl_tbf(struct zf_nl *nl, int ifindex, const struct zf_tbf *t);

/* Queue deleting IFINDEX's root qdisc (the device default comes back; for
 * a veth, none). Commit fails with -ENOENT/-EINVAL if there was none. */
int zf_nl_qdisc_del(struct zf_nl *nl, int ifindex);

/* The rate of IFINDEX's root qdisc in namespace NS_FD when it is a tbf
 * (*RATE_BPS), or 0 when it is anything else. 0 or -errno. */
int zf_tc_root_tbf(int ns_fd, int ifindex, uint64_t *rate_bps);

#endif
