/* proc.h - starting processes from argv arrays, never through a shell.
 *
 * Exec failure is reported to the parent through a close-on-exec pipe, so
 * "command not found" is an error of zf_spawn(), not an exit status 127. */
#ifndef ZF_UTIL_PROC_H
#define ZF_UTIL_PROC_H

#include <stddef.h>
#include <sys/types.h>

struct zf_spawn_opts {
	char *const *argv;        /* required; argv[0] is looked up in the
				     caller's PATH (not ENV's) */
	char *const *env;         /* NULL: inherit the caller's environment */
	const char *cwd;          /* NULL: inherit */
	int stdin_fd;             /* -1: /dev/null */
	int stdout_fd;            /* -1: inherit */
	int stderr_fd;            /* -1: inherit */
	int new_session;          /* setsid() in the child */
	/* Called in the child after fork, before exec; returning a negative
	 * errno aborts the spawn with that error. Must be async-signal-safe. */
	int (*pre_exec)(void *ctx);
	void *pre_exec_ctx;
};

/* Start a process. Returns 0 and its pid in *PID, or a negative errno: from
 * fork, from pre_exec, or from execvp (e.g. -ENOENT for a missing command). */
int zf_spawn(const struct zf_spawn_opts *opts, pid_t *pid);

/* Wait for PID; returns its wait status in *STATUS. Retries EINTR. */
int zf_wait(pid_t pid, int *status);

/* Spawn ARGV with inherited stdio, wait, and return 0 with its exit code in
 * *CODE (128+signal if killed), or a negative errno if it could not start. */
int zf_run(char *const *argv, int *code);

/* Exit code of a wait status: the code, or 128+signal. */
int zf_exit_code(int status);

/* The path of zonefall's helper program NAME ("zonefall-init"): $ENV when
 * set and not empty, else NAME next to the running executable when it is
 * there, else NAME itself (looked up in PATH at exec). Written into BUF. */
const char *zf_helper_binary(const char *env, const char *name, char *buf,
			     size_t len);

/* Field 22 of /proc/PID/stat, the start time, to tell a pid from its
 * reuse; 0 when the process is gone or a zombie (dead, not yet reaped). */
unsigned long long zf_proc_starttime(pid_t pid);

/* Signal number of "KILL", "SIGKILL", "kill" or "9"; -EINVAL otherwise. */
int zf_signal_parse(const char *s);

#endif
