/* emu_daemon.c - the life of a lab's link emulator daemon.
 *
 * One zonefall-linkem per lab, in <state>/linkem: started detached (its own
 * session, stdout and stderr to <dir>/log) the first time the lab needs
 * emulation, its pid in <dir>/pid, stopped by teardown through the
 * inventory record ("daemon <dir>") written at `up`. A pid from the file is
 * only acted on when /proc shows zonefall-linkem with that very dir, so a
 * reused pid is never signalled. */
#include "lab/emu_priv.h"
#include "net/linkem_client.h"
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

int zf_emu_dir(const char *state, char *buf, size_t len)
{
	return zf_fmt(buf, len, "%s/linkem", state) ? -ENAMETOOLONG : 0;
}

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

int zf_emu_daemon_running(const char *dir, pid_t *pid)
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

static int spawn_daemon(const char *dir, pid_t *pid, char *err, size_t errlen)
{
	char bin[PATH_MAX], log[PATH_MAX];
	char *argv[] = { bin, "--dir", (char *)dir, NULL };
	struct zf_spawn_opts o = { .argv = argv, .stdin_fd = -1, .new_session = 1,
				   .pre_exec = realtime };
	int fd, rc;

	zf_helper_binary("ZF_LINKEM", "zonefall-linkem", bin, sizeof(bin));
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

int zf_emu_daemon_ensure(const struct zf_labrt *rt, char *err, size_t errlen)
{
	char dir[PATH_MAX], path[PATH_MAX], text[32];
	pid_t pid;
	int rc = zf_emu_dir(rt->state, dir, sizeof(dir));

	if (rc == 0 && zf_emu_daemon_running(dir, &pid))
		return 0;
	if (rc == 0)
		rc = zf_mkdir_p(dir, 0700);
	if (rc == 0)
		rc = spawn_daemon(dir, &pid, err, errlen);
	else
		snprintf(err, errlen, "%s: %s", dir, strerror(-rc));
	if (rc < 0)
		return rc;
	zf_fmt(path, sizeof(path), "%s/pid", dir);
	snprintf(text, sizeof(text), "%d\n", (int)pid);
	rc = zf_write_file(path, text, strlen(text), 0600);
	if (rc == 0)
		rc = zf_linkem_wait_ready(dir, pid, READY_MS);
	if (rc < 0)
		snprintf(err, errlen, "link emulator (see %s/log) not ready: %s", dir,
			 strerror(-rc));
	return rc;
}

int zf_emu_stop(const char *dir)
{
	pid_t pid;
	uint64_t deadline = zf_now_ns() + (uint64_t)STOP_MS * ZF_NS_PER_MS;

	if (!zf_emu_daemon_running(dir, &pid))
		return 0;
	/* "quit" lets it release its queues in order; a signal if it cannot. */
	if (zf_linkem_quit(dir, STOP_MS / 2) < 0)
		kill(pid, SIGTERM);
	while (zf_now_ns() < deadline && is_our_daemon(pid, dir))
		zf_sleep_ns(2 * ZF_NS_PER_MS);
	if (is_our_daemon(pid, dir)) {
		kill(pid, SIGKILL);
		zf_sleep_ns(20 * ZF_NS_PER_MS);
	}
	return is_our_daemon(pid, dir) ? -EBUSY : 0;
}
