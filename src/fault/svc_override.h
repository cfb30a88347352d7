/* svc_override.h - what the service faults (clock-skew, crash-loop,
 * bad-config) want of each service, computed from the journal, and making
 * the hosts' inits run it.
 *
 * A service's override (src/host/override.h) is an alternative command
 * line and extra environment entries that its init uses from the next
 * start. Which one a service should have follows from every active service
 * fault covering it, oldest first (like the link faults, so faults compose
 * and reverting one leaves the others):
 *   clock-skew   offsets add up; the sum becomes LD_PRELOAD=libfaketime
 *                and FAKETIME=+-SECONDS (libfaketime shifts the monotonic
 *                clock by as much, which leaves durations alone; keeping
 *                it unshifted breaks clock_nanosleep in libfaketime 0.9.10)
 *   bad-config   its KEY=VALUE entries (later ones win), its command line
 *                (the latest wins)
 *   crash-loop   the command line becomes `false` (exits 1 at once)
 * A host-wide clock-skew (a host, zone, region or lab target) also goes
 * into <state>/h/<host>/fault.env, which `zonefall exec` adds to the
 * environment of commands run in the host.
 *
 * Syncing sets each covered service's override through its host's init
 * and restarts the service, when (and only when) the override changes;
 * services of hosts that are powered off are skipped (a host boots from
 * its lab file: a power cycle ends its services' overrides). */
#ifndef ZF_FAULT_SVC_OVERRIDE_H
#define ZF_FAULT_SVC_OVERRIDE_H

#include <jansson.h>

#include "fault/fault.h"

/* Path of libfaketime's library, or NULL when it is not installed
 * ($ZF_FAKETIME_LIB first, then the usual places). */
const char *zf_svc_faketime_lib(void);

/* Make the services F covers (and F's hosts' exec environment) what the
 * journal asks for, leaving out fault EXCLUDE (NULL: none). 0, or a
 * negative errno with c->err set. */
int zf_svc_sync(struct zf_fctx *c, const struct zf_fault *f, const char *exclude);

/* 0 when the services F covers have what the journal asks for (APPLIED=0:
 * without F); -EIO with c->err naming one that does not. */
int zf_svc_verify(struct zf_fctx *c, const struct zf_fault *f, int applied);

/* Send REQ ("restart nginx") to host H's init: 0 when it answered
 * {"ok":true}, else a negative errno with c->err set. */
int zf_svc_ctl(struct zf_fctx *c, size_t h, const char *req);

/* The init's status of host H, or NULL with c->err set. */
json_t *zf_svc_status(struct zf_fctx *c, size_t h);

/* The services of host H that have a process now, one name a line, into
 * BUF: 0, -EIO (no status), -E2BIG (BUF too small). */
int zf_svc_running(struct zf_fctx *c, size_t h, char *buf, size_t len);

/* Send "VERB NAME" to H's init for every name of the list NAMES (one a
 * line), stopping at the first error unless TOLERANT. */
int zf_svc_each(struct zf_fctx *c, size_t h, const char *verb, const char *names,
		int tolerant);

#endif
