/* host.h - one lab host's life: its init config, booting its PID-1 init in
 * fresh mount/UTS/PID namespaces inside its network namespace, finding that
 * init again, talking to it, and running commands inside the host. */
#ifndef ZF_LAB_HOST_H
#define ZF_LAB_HOST_H

#include <stddef.h>
#include <sys/types.h>

#include "lab/labrt.h"

/* Path of the zonefall-init binary: $ZF_INIT, else next to the running
 * executable, else "zonefall-init" from PATH. */
const char *zf_host_init_binary(void);

/* Write <state>/h/<host>/init.json from the model, expanding templates.
 * -EINVAL with ERR set on an expansion error. */
int zf_host_write_config(const struct zf_labrt *rt, size_t host, char *err,
			 size_t errlen);

/* Start the host's init (power on). The init runs as PID 1 of a new PID
 * namespace, in the host's network namespace and cgroup, detached from us.
 * Records its pid in init.pid. -EALREADY if it is running. */
int zf_host_boot(const struct zf_labrt *rt, size_t host, char *err, size_t errlen);

/* The same in two halves, so that many hosts boot in parallel: start forks
 * the boot and returns at once; finish waits for that host's result. Every
 * successful start must be finished. */
struct zf_boot {
	size_t host;
	pid_t child;
	int rfd;
};
int zf_host_boot_start(const struct zf_labrt *rt, size_t host, struct zf_boot *b,
		       char *err, size_t errlen);
int zf_host_boot_finish(const struct zf_labrt *rt, struct zf_boot *b, char *err,
			size_t errlen);

/* The init's pid (in our PID namespace) if it is running, else 0. Guards
 * against pid reuse with the recorded start time. */
pid_t zf_host_init_pid(const struct zf_labrt *rt, size_t host);

/* Send one request line to the host's init and read its one-line reply
 * into REPLY. -ECONNREFUSED/-ENOENT when the init is not there,
 * -ETIMEDOUT after TIMEOUT_MS (e.g. when the host is paused). */
int zf_host_ctl(const struct zf_labrt *rt, size_t host, const char *req,
		char *reply, size_t len, int timeout_ms);

/* Run ARGV inside every namespace and the cgroup of HOST, wait, and return
 * 0 with its exit code in *CODE. QUIET: no stdin, output to /dev/null
 * (probes); else the caller's stdio. Safe to call from several threads.
 * -EHOSTDOWN when the host is powered off. */
/* Joining a running host from outside (hostns.c): open the namespaces
 * (ipc, uts, net, pid, mnt) of its init INIT into FDS (O_CLOEXEC; 0, or
 * -errno with nothing left open); enter them in a child that is about to
 * fork or exec (0, or -errno with *WHICH naming the namespace); close. */
#define ZF_HOST_NS_N 5
int zf_host_ns_open(pid_t init, int fds[ZF_HOST_NS_N]);
int zf_host_ns_enter(const int fds[ZF_HOST_NS_N], const char **which);
void zf_host_ns_close(int fds[ZF_HOST_NS_N]);

int zf_host_exec(const struct zf_labrt *rt, size_t host, char *const *argv,
		 int quiet, int *code, char *err, size_t errlen);

/* Ready = every service of the host is running (or ready, or has ended by
 * itself): poll until TIMEOUT_MS. Returns 0, or -ETIMEDOUT with ERR naming a
 * service that is not. */
int zf_host_wait_ready(const struct zf_labrt *rt, size_t host, int timeout_ms,
		       char *err, size_t errlen);

#endif
