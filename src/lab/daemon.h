/* daemon.h - the life of a lab's helper daemons (zonefall-linkem,
 * zonefall-dns): one per lab and kind, in its own directory DIR under the
 * lab's state dir, started detached (own session, stdout and stderr to
 * DIR/log), its pid in DIR/pid, ready when DIR/ctl.sock accepts
 * connections (util/ctlclient.h), stopped with "quit" (a signal if it does
 * not answer). Teardown stops every one through the inventory record
 * "daemon DIR".
 *
 * A pid read from DIR/pid is only acted on when /proc shows a live process
 * whose argv holds "--dir DIR", so a reused pid is never signalled. */
#ifndef ZF_LAB_DAEMON_H
#define ZF_LAB_DAEMON_H

#include <stddef.h>
#include <sys/types.h>

struct zf_daemon_kind {
	const char *env;       /* variable overriding the binary: "ZF_DNS" */
	const char *binary;    /* "zonefall-dns" (found by zf_helper_binary) */
	const char *what;      /* "DNS server", for messages */
	int realtime;          /* run it SCHED_FIFO (best effort) */
};

/* 1 when the daemon of DIR runs (its pid in *PID), 0 if not. */
int zf_daemon_running(const char *dir, pid_t *pid);

/* Start K's daemon in DIR (made 0700 if missing) unless it runs, and wait
 * until it is ready. 0, or a negative errno with ERR naming DIR/log. */
int zf_daemon_ensure(const struct zf_daemon_kind *k, const char *dir,
		     char *err, size_t errlen);

/* Stop the daemon of DIR if it runs. 0, or -EBUSY if it would not die. */
int zf_daemon_stop(const char *dir);

#endif
