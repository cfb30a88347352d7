/* host.c - booting a host's init and entering a host. */
#include "lab/host.h"
#include "lab/netns.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

const char *zf_host_init_binary(void)
{
	static char path[PATH_MAX];

	if (!path[0])
		zf_helper_binary("ZF_INIT", "zonefall-init", path, sizeof(path));
	return path;
}

pid_t zf_host_init_pid(const struct zf_labrt *rt, size_t host)
{
	char path[512], *buf = NULL;
	long pid = 0;
	unsigned long long start = 0;

	if (zf_labrt_host_dir(rt, host, "init.pid", path, sizeof(path)) ||
	    zf_read_file(path, 128, &buf, NULL) < 0)
		return 0;
	if (sscanf(buf, "%ld %llu", &pid, &start) != 2 || pid <= 0)
		pid = 0;
	free(buf);
	if (pid && zf_proc_starttime((pid_t)pid) != start)
		pid = 0;
	return (pid_t)pid;
}

struct boot_args {
	int netns_fd;
	int log_fd;
	int report_fd;           /* intermediate -> parent: pid or -errno */
	const struct zf_cg *cg;
	const char *cg_rel;
	char *const *argv;
	pid_t parent;
};

/* Grandchild: PID 1 of the new PID namespace. */
static _Noreturn void boot_exec(const struct boot_args *a, int errfd)
{
	int err, devnull = open("/dev/null", O_RDONLY);

	if (devnull >= 0)
		dup2(devnull, 0);
	dup2(a->log_fd, 1);
	dup2(a->log_fd, 2);
	execv(a->argv[0], a->argv);
	err = errno;
	while (write(errfd, &err, sizeof(err)) < 0 && errno == EINTR)
		;
	_exit(127);
}

/* Intermediate child: enter the host's netns and cgroup, make the new
 * namespaces, fork the init into them and report its pid (or an errno). */
static _Noreturn void boot_intermediate(const struct boot_args *a)
{
	int pfd[2], err = 0;
	long result;
	pid_t pid;

	sigset_t all;
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	/* If zonefall dies now, so do we: no init may appear after a recover. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != a->parent) {
		result = -ECANCELED;
		goto report;
	}
	if (setns(a->netns_fd, CLONE_NEWNET) < 0 ||
	    zf_cg_join(a->cg, a->cg_rel, 0) < 0 ||
	    unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWIPC) < 0 ||
	    setsid() < 0 || pipe2(pfd, O_CLOEXEC) < 0) {
		result = -errno;
		goto report;
	}
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		boot_exec(a, pfd[1]);
	}
	close(pfd[1]);
	result = pid < 0 ? -errno : pid;
	if (pid > 0 && read(pfd[0], &err, sizeof(err)) == (ssize_t)sizeof(err))
		result = -err;
report:
	while (write(a->report_fd, &result, sizeof(result)) < 0 && errno == EINTR)
		;
	_exit(0);
}

static int record_pid(const struct zf_labrt *rt, size_t host, pid_t pid)
{
	char path[512], line[64];

	zf_labrt_host_dir(rt, host, "init.pid", path, sizeof(path));
	snprintf(line, sizeof(line), "%d %llu\n", (int)pid, zf_proc_starttime(pid));
	return zf_put_file(path, line, strlen(line), 0600);
}

static int open_boot_fds(const struct zf_labrt *rt, size_t host, int *netns_fd,
			 int *log_fd)
{
	char name[ZF_NETNS_NAME_MAX], path[512];
	int rc;

	zf_plan_ns_host(rt->lab, host, name, sizeof(name));
	rc = zf_netns_open(name, netns_fd);
	if (rc < 0)
		return rc;
	zf_fmt(path, sizeof(path), "%s/%s/log", rt->data, rt->lab->hosts[host].name);
	zf_mkdir_p(path, 0755);
	zf_fmt(path, sizeof(path), "%s/%s/log/init.log", rt->data, rt->lab->hosts[host].name);
	*log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (*log_fd < 0) {
		rc = -errno;
		close(*netns_fd);
	}
	return rc;
}

int zf_host_boot_start(const struct zf_labrt *rt, size_t host, struct zf_boot *b,
		       char *err, size_t errlen)
{
	char cfg[512], cgrel[256];
	char *argv[] = { (char *)zf_host_init_binary(), cfg, NULL };
	struct boot_args a = { .cg = &rt->cg, .cg_rel = cgrel, .argv = argv,
			       .parent = getpid() };
	int pfd[2], rc;

	b->host = host;
	b->child = -1;
	b->rfd = -1;
	if (zf_host_init_pid(rt, host))
		return -EALREADY;
	zf_labrt_host_dir(rt, host, "init.json", cfg, sizeof(cfg));
	zf_labrt_host_cg(rt, host, "init", cgrel, sizeof(cgrel));
	rc = open_boot_fds(rt, host, &a.netns_fd, &a.log_fd);
	if (rc < 0)
		goto out_msg;
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		rc = -errno;
		goto out;
	}
	a.report_fd = pfd[1];
	b->child = fork();
	if (b->child == 0)
		boot_intermediate(&a);
	if (b->child < 0)
		rc = -errno;
	close(pfd[1]);
	b->rfd = pfd[0];
	if (rc < 0) {
		close(pfd[0]);
		b->rfd = -1;
	}
out:
	close(a.netns_fd);
	close(a.log_fd);
out_msg:
	if (rc < 0)
		snprintf(err, errlen, "booting host %s: %s", rt->lab->hosts[host].name,
			 strerror(-rc));
	return rc;
}

int zf_host_boot_finish(const struct zf_labrt *rt, struct zf_boot *b, char *err,
			size_t errlen)
{
	long result = -EIO;
	int st, rc;

	if (read(b->rfd, &result, sizeof(result)) != (ssize_t)sizeof(result))
		result = -EIO;
	close(b->rfd);
	zf_wait(b->child, &st);
	rc = result < 0 ? (int)result : record_pid(rt, b->host, (pid_t)result);
	if (rc < 0)
		snprintf(err, errlen, "booting host %s (%s): %s",
			 rt->lab->hosts[b->host].name, zf_host_init_binary(), strerror(-rc));
	return rc;
}

int zf_host_boot(const struct zf_labrt *rt, size_t host, char *err, size_t errlen)
{
	struct zf_boot b;
	int rc = zf_host_boot_start(rt, host, &b, err, errlen);

	return rc < 0 ? rc : zf_host_boot_finish(rt, &b, err, errlen);
}
