/* linkem_client_ops.c - the requests zonefall makes of its link emulator
 * (readiness, reload, quit) on top of zf_linkem_request(). */
#include "net/linkem_client.h"
#include "net/linkem_config_int.h"
#include "util/log.h"
#include "util/timeutil.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define READY_POLL_NS (5 * 1000 * 1000ull)

/* 1 if PID has exited (not reaped), 0 if it runs. A PID that is not our
 * child is probed with kill(0). */
static int exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0)
		return si.si_pid == pid;
	if (errno == ECHILD)
		return kill(pid, 0) < 0 && errno == ESRCH;
	return 0;
}

/* 0 if a connection to DIR/ctl.sock is accepted, else a negative errno. */
static int probe(const char *dir)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, rc;

	rc = zf_fmt(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir,
		    ZF_LINKEM_SOCK);
	if (rc < 0)
		return rc;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

int zf_linkem_wait_ready(const char *dir, pid_t pid, int timeout_ms)
{
	uint64_t deadline = zf_now_ns() + (uint64_t)timeout_ms * 1000000ull;

	for (;;) {
		int rc = probe(dir);

		if (rc == 0)
			return 0;
		if (rc == -ENAMETOOLONG)
			return rc;
		if (pid > 0 && exited(pid))
			return -ECHILD;
		if (zf_now_ns() >= deadline)
			return -ETIMEDOUT;
		zf_sleep_ns(READY_POLL_NS);
	}
}

int zf_linkem_reload(const char *dir, uint64_t *gen, char *err,
		     size_t errlen, int timeout_ms)
{
	char resp[1024];
	int rc = zf_linkem_request(dir, "reload", resp, sizeof(resp),
				   timeout_ms);

	if (rc < 0) {
		snprintf(err, errlen, "%s/%s: %s", dir, ZF_LINKEM_SOCK,
			 strerror(-rc));
		return rc;
	}
	if (strncmp(resp, "ok ", 3) == 0 &&
	    zf_lk_parse_u64(resp + 3, UINT64_MAX, gen) == 0)
		return 0;
	if (strncmp(resp, "error ", 6) == 0)
		snprintf(err, errlen, "%s", resp + 6);
	else
		snprintf(err, errlen, "unexpected answer '%.100s'", resp);
	return -EINVAL;
}

int zf_linkem_quit(const char *dir, int timeout_ms)
{
	char resp[64];
	int rc = zf_linkem_request(dir, "quit", resp, sizeof(resp),
				   timeout_ms);

	if (rc < 0)
		return rc;
	return strcmp(resp, "ok") == 0 ? 0 : -EPROTO;
}
