/* ctlclient.h - talking to a zonefall daemon (zonefall-linkem,
 * zonefall-dns) over its control socket.
 *
 * Protocol: the daemon listens on DIR/ctl.sock (AF_UNIX, SOCK_STREAM); a
 * request is one line, the response one line, both ending in '\n'; a
 * connection may carry several requests. Every daemon answers "reload"
 * (-> "ok GEN" or "error MSG"), "stats" (-> one JSON object) and "quit"
 * (-> "ok", then it exits as on SIGTERM). */
#ifndef ZF_UTIL_CTLCLIENT_H
#define ZF_UTIL_CTLCLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ZF_CTL_SOCK "ctl.sock"

/* Send REQ (one line, without '\n') to the daemon of DIR and read its
 * response line into RESP (NUL-terminated, without '\n'), all within
 * TIMEOUT_MS. Returns 0 when the daemon answered (whatever it said), or
 * -ENOENT/-ECONNREFUSED (no daemon), -ETIMEDOUT, -EMSGSIZE (the response
 * did not fit in LEN; RESP holds its start), -EPROTO (connection closed
 * before a full line), -EINVAL (REQ holds '\n'), or another negative
 * errno. */
int zf_ctl_request(const char *dir, const char *req, char *resp, size_t len,
		   int timeout_ms);

/* Same, with the response in a new buffer (*RESP, free it) of any length
 * up to 64 MiB. */
int zf_ctl_request_alloc(const char *dir, const char *req, char **resp,
			 int timeout_ms);

/* Wait until the daemon started as PID (0: do not watch a process)
 * accepts connections on DIR/ctl.sock. Returns 0, -ETIMEDOUT, or -ECHILD
 * if PID exited first (it is not reaped: the caller still waits for it). */
int zf_ctl_wait_ready(const char *dir, pid_t pid, int timeout_ms);

/* "reload": 0 and the new generation in *GEN, or -EINVAL with the
 * daemon's message (e.g. "config:3: expected ...") in ERR, or a negative
 * errno from the transport (ERR says which). */
int zf_ctl_reload(const char *dir, uint64_t *gen, char *err, size_t errlen,
		  int timeout_ms);

/* "stats": 0 and the JSON line in a new buffer (*JSON, free it); -EPROTO
 * if the answer is not a JSON object. */
int zf_ctl_stats(const char *dir, char **json, int timeout_ms);

/* "quit": 0 once the daemon said ok (it exits right after). */
int zf_ctl_quit(const char *dir, int timeout_ms);

#endif
