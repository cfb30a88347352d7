#include "util/proc.h"
#include "util/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Child side: set up stdio, session, cwd, hook; then exec. On any failure the
 * errno goes down ERRFD (close-on-exec, so success closes it silently). */
static _Noreturn void child_exec(const struct zf_spawn_opts *o, int errfd)
{
	int err = 0, devnull;

	sigset_t all;
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	/* An ignored SIGPIPE survives exec; the new program expects default. */
	signal(SIGPIPE, SIG_DFL);
	if (o->stdin_fd < 0) {
		devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0 && devnull != 0) {
			dup2(devnull, 0);
			close(devnull);
		}
	} else if (o->stdin_fd != 0) {
		dup2(o->stdin_fd, 0);
	}
	if (o->stdout_fd >= 0 && o->stdout_fd != 1)
		dup2(o->stdout_fd, 1);
	if (o->stderr_fd >= 0 && o->stderr_fd != 2)
		dup2(o->stderr_fd, 2);
	if (o->new_session && setsid() < 0)
		err = errno;
	if (!err && o->cwd && chdir(o->cwd) < 0)
		err = errno;
	if (!err && o->pre_exec) {
		int rc = o->pre_exec(o->pre_exec_ctx);
		if (rc < 0)
			err = -rc;
	}
	if (!err) {
		if (o->env)
			execvpe(o->argv[0], o->argv, o->env);
		else
			execvp(o->argv[0], o->argv);
		err = errno;
	}
	while (write(errfd, &err, sizeof(err)) < 0 && errno == EINTR)
		;
	_exit(127);
}

int zf_spawn(const struct zf_spawn_opts *o, pid_t *pid)
{
	int pfd[2], err = 0;
	ssize_t n;
	pid_t child;

	if (!o->argv || !o->argv[0])
		return -EINVAL;
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	child = fork();
	if (child < 0) {
		err = errno;
		close(pfd[0]);
		close(pfd[1]);
		return -err;
	}
	if (child == 0) {
		close(pfd[0]);
		child_exec(o, pfd[1]);
	}
	close(pfd[1]);
	do
		n = read(pfd[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(pfd[0]);
	if (n == (ssize_t)sizeof(err)) {
		int st;
		zf_wait(child, &st);
		return -err;
	}
	*pid = child;
	return 0;
}

int zf_wait(pid_t pid, int *status)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	if (status)
		*status = st;
	return 0;
}

int zf_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

int zf_run(char *const *argv, int *code)
{
	struct zf_spawn_opts o = { .argv = argv, .stdin_fd = -1,
				   .stdout_fd = -1, .stderr_fd = -1 };
	pid_t pid;
	int st, rc = zf_spawn(&o, &pid);

	if (rc < 0)
		return rc;
	rc = zf_wait(pid, &st);
	if (rc == 0 && code)
		*code = zf_exit_code(st);
	return rc;
}

int zf_signal_parse(const char *s)
{
	char *end;
	long n;

	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	n = strtol(s, &end, 10);
	if (end != s && !*end)
		return n > 0 && n < NSIG ? (int)n : -EINVAL;
	for (int sig = 1; sig < NSIG; sig++) {
		const char *name = sigabbrev_np(sig);
		if (name && !strcasecmp(name, s))
			return sig;
	}
	return -EINVAL;
}

const char *zf_helper_binary(const char *env, const char *name, char *buf,
			     size_t len)
{
	const char *v = getenv(env);
	ssize_t n;
	char *slash;

	if (v && *v) {
		snprintf(buf, len, "%s", v);
		return buf;
	}
	n = readlink("/proc/self/exe", buf, len - 1);
	if (n > 0) {
		buf[n] = '\0';
		slash = strrchr(buf, '/');
		if (slash && (size_t)(slash + 1 - buf) + strlen(name) < len) {
			memcpy(slash + 1, name, strlen(name) + 1);
			if (access(buf, X_OK) == 0)
				return buf;
		}
	}
	snprintf(buf, len, "%s", name);
	return buf;
}

unsigned long long zf_proc_starttime(pid_t pid)
{
	char path[64], *buf = NULL, *p;
	unsigned long long t = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (zf_read_file(path, 4096, &buf, NULL) < 0)
		return 0;
	p = strrchr(buf, ')');
	if (p && (p[1] != ' ' || p[2] == 'Z' || p[2] == 'X'))
		p = NULL;
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		t = strtoull(p + 1, NULL, 10);
	free(buf);
	return t;
}
