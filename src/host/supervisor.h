/* supervisor.h - the services of one host: start order, restart policy
 * with back-off, readiness, and the commands of the control socket.
 *
 * States, as reported by sup_status():
 *   waiting   for its "after" dependencies
 *   starting  started, readiness check not passed yet
 *   running   ready (check passed, or no check)
 *   unready   check timed out; still running (dependents start anyway)
 *   backoff   waiting to restart
 *   exited    ended and will not restart by itself
 *   stopping  SIGTERM sent on request (stop/restart/shutdown), not gone yet
 *   stopped   stopped on request
 *
 * A service in "waiting" starts once each dependency is *released*: it
 * became ready, its readiness check timed out, or it ended for good
 * (exited/stopped). When a main process ends, whatever is left of its
 * process group is SIGKILLed, so a restart never races its leftovers.
 *
 * Everything runs inside the event loop; nothing here blocks. */
#ifndef ZF_HOST_SUPERVISOR_H
#define ZF_HOST_SUPERVISOR_H

#include "util/evloop.h"
#include "host/host_config.h"
#include "host/override.h"

#include <jansson.h>
#include <stdbool.h>

#define SUP_STOP_GRACE_MS 5000     /* SIGTERM -> SIGKILL */
#define SUP_BACKOFF_MIN_MS 100
#define SUP_BACKOFF_MAX_MS 5000
#define SUP_BACKOFF_RESET_MS 10000 /* a run this long resets the back-off */

struct supervisor;

/* Prepare the services of CFG (borrowed; must outlive the supervisor):
 * open their cgroup leaves (before the sandbox hides /sys/fs/cgroup),
 * create their timers. Starts nothing. Returns 0, or a negative errno after
 * logging the cause. */
int sup_new(struct evloop *loop, const struct host_config *cfg,
	    struct supervisor **out);

/* Frees everything; kills nothing (PID 1 exiting takes the namespace). */
void sup_free(struct supervisor *sup);

/* Start every service whose dependencies allow it. */
void sup_start(struct supervisor *sup);

/* Reap every exited child (call on SIGCHLD): services' main processes,
 * readiness checks, and orphans PID 1 inherited (ignored). */
void sup_reap(struct supervisor *sup);

/* Graceful shutdown: stop the services one by one in reverse order
 * (SIGTERM, SIGKILL after SUP_STOP_GRACE_MS), then evloop_stop(). A second
 * call does nothing. */
void sup_shutdown(struct supervisor *sup);

/* {"host":..,"pid":..,"uptime_ms":..,"services":[..]}; NULL if out of
 * memory. */
json_t *sup_status(const struct supervisor *sup);

/* The commands. kill signals the process group; what follows is up to the
 * restart policy. restart (counted in "restarts") and stop SIGTERM the
 * group, SIGKILL after SUP_STOP_GRACE_MS; restart then starts it again at
 * once, without back-off. start starts a service that has no process now
 * (also one in back-off or still waiting: "after" is not consulted for an
 * explicit request). Each returns 0, or:
 *   -ENOENT    no service NAME
 *   -ESRCH     not running (kill)
 *   -EALREADY  already running (start)
 *   -ECANCELED the host is shutting down
 *   another negative errno from kill(2). */
int sup_kill(struct supervisor *sup, const char *name, int sig);
int sup_restart(struct supervisor *sup, const char *name);
int sup_stop(struct supervisor *sup, const char *name);
int sup_start_service(struct supervisor *sup, const char *name);

/* Replace the override of service NAME with OV (taken over, also on error;
 * an empty one clears it). It applies from the service's next start;
 * status shows it. 0, -ENOENT or -ECANCELED. */
int sup_override(struct supervisor *sup, const char *name, struct svc_override *ov);

#endif
