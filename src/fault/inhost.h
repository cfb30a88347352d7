/* inhost.h - running a piece of a fault inside a lab host: a child process
 * that joins a cgroup of the host and every namespace of its init (ipc,
 * uts, net, pid, mount), as `zonefall exec` does, and calls a function
 * there. Used by the faults that act from inside a host: busy and
 * memory-eating processes, mounts over the data directory.
 *
 * The function runs in a forked child of a possibly multi-threaded
 * process: it may make system calls and use the C library's file and
 * directory calls, nothing that takes a lock another thread could hold. */
#ifndef ZF_FAULT_INHOST_H
#define ZF_FAULT_INHOST_H

#include <stddef.h>

#include "lab/labrt.h"

struct zf_inhost {
	const char *cg_rel;     /* the cgroup to join ("<lab>/<host>/x"); NULL:
				   the host's "exec" leaf */
	int detach;             /* 1: a long-lived process (see below) */
	const char *name;       /* its process name (comm), or NULL */
	/* In the host. Attached: the return value (0..255) is the exit code.
	 * Detached: runs in a new session with no other fd open than READY_FD
	 * (stdio on /dev/null); it writes one byte to READY_FD once it is set
	 * up and then keeps running; returning (or dying) before that byte is
	 * a failure. */
	int (*fn)(void *arg, int ready_fd);
	void *arg;
};

/* Run O in HOST. Attached: 0 with FN's exit code in *CODE (128 + signal if
 * it was killed). Detached: 0 once the process said it is ready (*CODE 0);
 * it outlives us, reparented to the host's init, in O->cg_rel; *CODE 1 if
 * it died first. -EHOSTDOWN when the host is powered off; other negative
 * errnos from fork or wait. ERR is set on every error. */
int zf_inhost_run(const struct zf_labrt *rt, size_t host, const struct zf_inhost *o,
		  int *code, char *err, size_t errlen);

/* Zeroed memory that a function run in a host (attached) and its caller
 * both see: where it reports back. NULL with ERR set when mmap fails.
 * Free with zf_inhost_job_free(P, SIZE). */
void *zf_inhost_job(size_t size, char *err, size_t errlen);
void zf_inhost_job_free(void *p, size_t size);

#endif
