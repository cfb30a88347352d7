/* labuse.h - which drills are using a lab, so that `zonefall down` can stop
 * them before it pulls the lab from under them.
 *
 *   /run/zonefall/<lab>/drills/<pid>   one file per running drill, held
 *                                      with an exclusive flock for as long
 *                                      as the drill runs
 *
 * A file whose lock can be taken is stale (its drill died) and is ignored.
 * Without this, a `down` during a run raced the drill's own reverts and
 * its end-of-run teardown, and left the lab "deleting". */
#ifndef ZF_LAB_LABUSE_H
#define ZF_LAB_LABUSE_H

#include <stddef.h>
#include <stdint.h>

/* Record this process as a drill using lab NAME (which is up). Returns the
 * fd that holds the claim, or a negative errno. */
int zf_labuse_claim(const char *name);

/* Give the claim FD up (after the drill's teardown; the file may be gone
 * with the lab already). FD < 0 is a no-op. */
void zf_labuse_release(const char *name, int fd);

/* Ask every other drill using lab NAME to stop (SIGTERM: it ends as
 * interrupted, reverts its faults and writes its report) and wait up to
 * TIMEOUT_NS for all of them to let go. *N_STOPPED (may be NULL) counts
 * the drills asked. 0 when none is left, -ETIMEDOUT with ERR naming the
 * pids still running, or another negative errno. */
int zf_labuse_stop_all(const char *name, uint64_t timeout_ns, size_t *n_stopped,
		       char *err, size_t errlen);

#endif
