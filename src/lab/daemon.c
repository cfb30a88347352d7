/* daemon.c - starting, finding and stopping a lab's helper daemons
 * (daemon.h has the contract). */
#include "lab/daemon.h"
#include "util/ctlclient.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/proc.h"
#include "util/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READY_MS 3000
#define STOP_MS 2000

/* Does /proc/PID/cmdline read "... --dir DIR" (and is PID not a zombie)? */
static int is_our_daemon(pid_t pid, const char *dir)
{
	char path[64], *buf = NULL, *p, *end;
	size_t len;
	int ours = 0;

	if (!zf_proc_starttime(pid))
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	if (zf_read_file(path, 8192, &buf, &len) < 0)
		return 0;
	for (p = buf, end = buf + len; p < end && !ours; p += strlen(p) + 1)
		ours = !strcmp(p, "--dir") && p + strlen(p) + 1 < end &&
		       !strcmp(p + strlen(p) + 1, dir);
	free(buf);
	return ours;
}

int zf_daemon_running(const char *dir, pid_t *pid)
{
	char path[PATH_MAX], *buf = NULL;
	size_t len;
	char *end;
	long v;

	*pid = 0;
	if (zf_fmt(path, sizeof(path), "%s/pid", dir) ||
	    zf_read_file(path, 64, &buf, &len) < 0)
		return 0;
	errno = 0;
	v = strtol(buf, &end, 10);
	if (!errno && end != buf && (*end == '\n' || !*end) && v > 0 && v <= INT_MAX &&
	    is_our_daemon((pid_t)v, dir))
		*pid = (pid_t)v;
	free(buf);
	return *pid > 0;
}

/* In the child: real-time scheduling (SCHED_FIFO, low priority), so that
 * the emulator releases held packets on time however busy the machine is:
 * with normal scheduling its wake-ups are late by milliseconds under load.
 * The kernel's RT throttling still leaves others 5% of each CPU. Best
 * effort: without the privilege it runs as a normal process. */
static int realtime(void *ctx)
{
	struct sched_param sp = { .sched_priority = 10 };

	(void)ctx;
	sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp);
	return 0;
}

static int spawn_daemon(const struct zf_daemon_kind *k, const char *dir, pid_t *pid, char *err, size_t errlen)
{
	char bin[PATH_MAX], log[PATH_MAX];
	char *argv[] = { bin, "--dir", (char *)dir, NULL };
	struct zf_spawn_opts o = { .argv = argv, .stdin_fd = -1, .new_session = 1,
				   .pre_exec = k->realtime ? realtime : NULL };
	int fd, rc;

	zf_helper_binary(k->env, k->binary, bin, sizeof(bin));
	zf_fmt(log, sizeof(log), "%s/log", dir);
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", log, strerror(errno));
		return -errno;
	}
	o.stdout_fd = o.stderr_fd = fd;
	rc = zf_spawn(&o, pid);
	close(fd);
	if (rc < 0)
		snprintf(err, errlen, "starting %s: %s", bin, strerror(-rc));
	return rc;
}

int zf_daemon_ensure(const struct zf_daemon_kind *k, const char *dir,
		     char *err, size_t errlen)
{
	char path[PATH_MAX], text[32];
	pid_t pid;
	int rc;

	if (zf_daemon_running(dir, &pid))
		return 0;
	rc = zf_mkdir_p(dir, 0700);
	if (rc == 0)
		rc = spawn_daemon(k, dir, &pid, err, errlen);
	else
		snprintf(err, errlen, "%s: %s", dir, strerror(-rc));
	if (rc < 0)
		return rc;
	zf_fmt(path, sizeof(path), "%s/pid", dir);
	snprintf(text, sizeof(text), "%d\n", (int)pid);
	rc = zf_write_file(path, text, strlen(text), 0600);
	if (rc == 0)
		rc = zf_ctl_wait_ready(dir, pid, READY_MS);
	if (rc < 0)
		snprintf(err, errlen, "%s (see %s/log) not ready: %s", k->what, dir,
			 strerror(-rc));
	return rc;
}

int zf_daemon_stop(const char *dir)
{
	pid_t pid;
	uint64_t deadline = zf_now_ns() + (uint64_t)STOP_MS * ZF_NS_PER_MS;

	if (!zf_daemon_running(dir, &pid))
		return 0;
	/* "quit" lets it release its queues in order; a signal if it cannot. */
	if (zf_ctl_quit(dir, STOP_MS / 2) < 0)
		kill(pid, SIGTERM);
	while (zf_now_ns() < deadline && is_our_daemon(pid, dir))
		zf_sleep_ns(2 * ZF_NS_PER_MS);
	if (is_our_daemon(pid, dir)) {
		kill(pid, SIGKILL);
		zf_sleep_ns(20 * ZF_NS_PER_MS);
	}
	return is_our_daemon(pid, dir) ? -EBUSY : 0;
}
