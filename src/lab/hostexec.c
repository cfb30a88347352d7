/* hostexec.c - run a command inside a host: all its namespaces and cgroup. */
#include "lab/host.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Our environment with the KEY=VALUE lines of the host's fault.env (what
 * faults such as clock-skew give every process of the host) on top, or
 * NULL (inherit ours) when there is none. */
static char **fault_env(const struct zf_labrt *rt, size_t host)
{
	char path[512], *text = NULL, **env, *save = NULL;
	size_t n = 0, k = 0, m;

	zf_labrt_host_dir(rt, host, "fault.env", path, sizeof(path));
	if (zf_read_file(path, 16384, &text, NULL) < 0)
		return NULL;
	while (environ[n])
		n++;
	env = zf_xcalloc(n + 64 + 1, sizeof(*env));
	for (char *l = strtok_r(text, "\n", &save); l && k < 64; l = strtok_r(NULL, "\n", &save))
		if (strchr(l, '='))
			env[k++] = zf_xstrdup(l);
	m = k;
	for (size_t i = 0; i < n; i++) {
		size_t key = strcspn(environ[i], "="), j = 0;
		while (j < k && strncmp(env[j], environ[i], key + 1))
			j++;
		if (j == k)   /* not overridden */
			env[m++] = zf_xstrdup(environ[i]);
	}
	free(text);
	return env;
}

/* Child: join the host, then fork so the command is inside its PID
 * namespace; relay the command's exit status as our own. */
static _Noreturn void exec_child(const struct zf_labrt *rt, const char *cg_rel,
				 int fds[ZF_HOST_NS_N], char *const *argv, int quiet,
				 char *const *env)
{
	int null = quiet ? open("/dev/null", O_RDWR | O_CLOEXEC) : -1;
	struct zf_spawn_opts o = { .argv = argv, .env = env, .stdin_fd = quiet ? -1 : 0,
				   .stdout_fd = quiet ? null : 1,
				   .stderr_fd = quiet ? null : 2 };
	const char *which;
	pid_t pid;
	int st, rc;

	/* The cgroup first: inside the host, /sys is the host's own sysfs and
	 * the cgroup hierarchies are not mounted. */
	if (zf_cg_join(&rt->cg, cg_rel, 0) < 0) {
		fprintf(stderr, "zonefall: error: joining the host's cgroup: %s\n",
			strerror(errno));
		_exit(126);
	}
	if ((rc = zf_host_ns_enter(fds, &which)) < 0) {
		fprintf(stderr, "zonefall: error: entering %s namespace: %s\n", which,
			strerror(-rc));
		_exit(126);
	}
	if (chdir("/") < 0) {
		fprintf(stderr, "zonefall: error: chdir /: %s\n", strerror(errno));
		_exit(126);
	}
	rc = zf_spawn(&o, &pid);
	if (rc < 0) {
		fprintf(stderr, "zonefall: error: %s: %s\n", argv[0], strerror(-rc));
		_exit(rc == -ENOENT ? 127 : 126);
	}
	signal(SIGINT, SIG_IGN);   /* the command gets the terminal's ^C */
	zf_wait(pid, &st);
	_exit(zf_exit_code(st));
}

int zf_host_exec(const struct zf_labrt *rt, size_t host, char *const *argv,
		 int quiet, int *code, char *err, size_t errlen)
{
	pid_t init = zf_host_init_pid(rt, host), child;
	char cg_rel[256], **env;
	int fds[ZF_HOST_NS_N], rc, st;

	if (!init) {
		snprintf(err, errlen, "host %s is powered off", rt->lab->hosts[host].name);
		return -EHOSTDOWN;
	}
	zf_labrt_host_cg(rt, host, "exec", cg_rel, sizeof(cg_rel));
	rc = zf_host_ns_open(init, fds);
	if (rc < 0) {
		snprintf(err, errlen, "host %s: %s", rt->lab->hosts[host].name, strerror(-rc));
		return rc;
	}
	env = fault_env(rt, host);
	child = fork();
	if (child == 0)
		exec_child(rt, cg_rel, fds, argv, quiet, env);
	zf_host_ns_close(fds);
	zf_strv_free(env);
	if (child < 0) {
		rc = -errno;
		snprintf(err, errlen, "fork: %s", strerror(-rc));
		return rc;
	}
	rc = zf_wait(child, &st);
	if (rc == 0)
		*code = zf_exit_code(st);
	return rc;
}
