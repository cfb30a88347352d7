/* ready.h - readiness checks of one service.
 *
 * "tcp": a non-blocking connect to the host's ip:port succeeds.
 * "exec": a command, started like the service itself (svcproc), exits 0;
 * one still running after 10 intervals is killed (SIGKILL to its group).
 *
 * The owner drives the probe: ready_tick() once per interval starts an
 * attempt (abandoning a connect still pending from the previous tick), and
 * ready_reaped() hands it the exit status of reaped children. Success is
 * reported through the READY_FN callback, possibly from inside
 * ready_tick(); failed attempts are silent (the owner times out). The probe
 * has no timer of its own. */
#ifndef ZF_HOST_READY_H
#define ZF_HOST_READY_H

#include "util/evloop.h"
#include "host/host_config.h"
#include "host/svcproc.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

typedef void (*ready_fn)(void *ctx);

struct ready_probe {
	const struct hc_ready *cfg;
	const struct svcproc *proc;
	const char *svc;                /* name, for log lines */
	struct evloop *loop;
	ready_fn on_ready;
	void *ctx;
	struct sockaddr_storage addr;   /* ip:port for "tcp" */
	socklen_t addrlen;
	int conn_fd;                    /* pending connect, or -1 */
	struct evloop_watch conn_w;
	pid_t check_pid;                /* running "exec" check, or 0 */
	uint64_t check_started_ns;
	bool check_killed;
	bool error_logged;              /* one spawn-error line per session */
};

/* Set up P for service SVC (CFG is its "ready" object, IP the host's
 * address, already validated). Allocates nothing. */
void ready_init(struct ready_probe *p, struct evloop *loop,
		const struct hc_ready *cfg, const char *ip,
		const struct svcproc *proc, const char *svc,
		ready_fn on_ready, void *ctx);

/* A new series of attempts begins (the service was just started). */
void ready_begin(struct ready_probe *p);

/* One poll: see the header comment. */
void ready_tick(struct ready_probe *p);

/* If PID is P's running exec check, consume STATUS (reporting success if it
 * exited 0) and return true; otherwise return false. */
bool ready_reaped(struct ready_probe *p, pid_t pid, int status);

/* Abandon any attempt: close a pending connect, SIGKILL a running check
 * (whose exit is then no longer P's). No callback is made afterwards. */
void ready_cancel(struct ready_probe *p);

#endif
