/* sandbox.h - the host's private view of the machine, for PID 1 of the
 * host (already in its own mount, UTS, PID and network namespaces).
 *
 * Order matters, hence two calls: sandbox_detach() first (nothing we
 * mount may propagate back to the machine), then the caller binds the
 * control socket (its path is under /run, which sandbox_apply() hides),
 * then sandbox_apply(). Both report their own errors (the step, the path
 * and strerror) through initlog and return 0 or a negative errno. */
#ifndef ZF_HOST_SANDBOX_H
#define ZF_HOST_SANDBOX_H

#include "host/host_config.h"

/* Make the whole mount tree a recursive slave of the machine's. */
int sandbox_detach(void);

/* /etc/hosts and /etc/resolv.conf from the config's files, fresh tmpfs on
 * /tmp (1777) and /run (0755), fresh proc on /proc and sysfs on /sys,
 * hostname = the host's name. */
int sandbox_apply(const struct host_config *cfg);

#endif
