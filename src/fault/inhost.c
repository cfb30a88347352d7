/* inhost.c - a child process inside a host, for the faults that act there. */
#include "fault/inhost.h"
#include "lab/host.h"
#include "util/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* The detached process: alone in a session, no fd of ours but the pipe. */
static _Noreturn void run_detached(const struct zf_inhost *o, int wfd)
{
	int null = open("/dev/null", O_RDWR);

	setsid();
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	if (dup2(wfd, 3) < 0)
		_exit(126);
	close_range(4, ~0u, 0);
	if (o->name)
		prctl(PR_SET_NAME, o->name, 0, 0, 0);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	_exit(o->fn(o->arg, 3) & 0xff);
}

/* The first child: joins the host, forks the worker into its PID
 * namespace and reports (exit code) what became of it. */
static _Noreturn void enter_host(const struct zf_labrt *rt, const char *cg_rel,
				 int fds[ZF_HOST_NS_N], const struct zf_inhost *o)
{
	const char *which;
	int pfd[2], st;
	char byte;
	pid_t pid;

	if (zf_cg_join(&rt->cg, cg_rel, 0) < 0)
		_exit(125);
	if (zf_host_ns_enter(fds, &which) < 0)
		_exit(125);
	if (chdir("/") < 0 || pipe2(pfd, O_CLOEXEC) < 0)
		_exit(125);
	pid = fork();
	if (pid < 0)
		_exit(125);
	if (pid == 0) {
		close(pfd[0]);
		if (o->detach)
			run_detached(o, pfd[1]);
		_exit(o->fn(o->arg, pfd[1]) & 0xff);
	}
	close(pfd[1]);
	if (o->detach)   /* ready, or 1: it closed the pipe (died) first */
		_exit(read(pfd[0], &byte, 1) == 1 ? 0 : 1);
	if (zf_wait(pid, &st) < 0)
		_exit(125);
	_exit(zf_exit_code(st));
}

int zf_inhost_run(const struct zf_labrt *rt, size_t host, const struct zf_inhost *o,
		  int *code, char *err, size_t errlen)
{
	const char *name = rt->lab->hosts[host].name;
	pid_t init = zf_host_init_pid(rt, host), child;
	char cg_rel[256];
	int fds[ZF_HOST_NS_N], rc, st;

	if (!init) {
		snprintf(err, errlen, "host %s is powered off", name);
		return -EHOSTDOWN;
	}
	if (o->cg_rel)
		snprintf(cg_rel, sizeof(cg_rel), "%s", o->cg_rel);
	else
		zf_labrt_host_cg(rt, host, "exec", cg_rel, sizeof(cg_rel));
	rc = zf_host_ns_open(init, fds);
	if (rc < 0) {
		snprintf(err, errlen, "host %s: its namespaces: %s", name, strerror(-rc));
		return rc;
	}
	child = fork();
	if (child == 0)
		enter_host(rt, cg_rel, fds, o);
	zf_host_ns_close(fds);
	if (child < 0 || zf_wait(child, &st) < 0) {
		rc = -errno;
		snprintf(err, errlen, "host %s: %s: %s", name, child < 0 ? "fork" : "wait",
			 strerror(-rc));
		return rc;
	}
	*code = zf_exit_code(st);
	if (*code == 125) {
		snprintf(err, errlen, "host %s: could not enter it (cgroup %s or its "
			 "namespaces)", name, cg_rel);
		return -EIO;
	}
	return 0;
}

void *zf_inhost_job(size_t size, char *err, size_t errlen)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED) {
		snprintf(err, errlen, "mmap: %s", strerror(errno));
		return NULL;
	}
	return p;   /* anonymous mappings come zeroed */
}

void zf_inhost_job_free(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}
