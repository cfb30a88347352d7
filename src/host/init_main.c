/* init_main.c - zonefall-init CONFIG.json: PID 1 of a lab host.
 *
 * config -> cgroup leaves and services prepared -> [sandbox: rslave] ->
 * control socket -> [sandbox: mounts, hostname] -> join "<cg>/init" ->
 * event loop until a graceful shutdown.
 *
 * Exit codes: 0 after a shutdown, 2 usage or config error, 3 environment
 * error (socket, mounts, cgroups), 4 internal error. */
#include "host/cgleaf.h"
#include "host/ctl.h"
#include "util/evloop.h"
#include "host/host_config.h"
#include "host/initlog.h"
#include "host/sandbox.h"
#include "host/supervisor.h"
#include "host/svcproc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXIT_USAGE 2
#define EXIT_ENV 3
#define EXIT_INTERNAL 4

struct init {
	struct host_config *cfg;
	struct evloop *loop;
	struct supervisor *sup;
	struct ctl_server *ctl;
	struct cgleaf cg_init;
	int sigfd;
	struct evloop_watch sig_w;
};

/* Fds 0-2 must be open, or files we open later would land on them and be
 * clobbered by a child's stdio setup. */
static void ensure_stdio(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int nfd = open("/dev/null", O_RDWR);

		if (nfd >= 0 && nfd != fd)
			close(nfd);
	}
}

/* Process-wide state of PID 1: SIGCHLD/SIGTERM/SIGINT only through the
 * signalfd, SIGPIPE ignored, a known umask and PATH (see SVCPROC_PATH),
 * and a cwd that keeps no file system busy. */
static int setup_process(sigset_t *mask)
{
	sigemptyset(mask);
	sigaddset(mask, SIGCHLD);
	sigaddset(mask, SIGTERM);
	sigaddset(mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, mask, NULL) < 0 ||
	    signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return -errno;
	umask(022);
	if (setenv("PATH", SVCPROC_PATH, 1) < 0 || chdir("/") < 0)
		return -errno;
	return 0;
}

static void on_signal(struct evloop_watch *w, uint32_t events)
{
	struct init *in = w->ctx;
	struct signalfd_siginfo si;

	(void)events;
	while (read(in->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			sup_reap(in->sup);
		} else {
			initlog(NULL, "received SIG%s; shutting down gracefully",
				sigabbrev_np((int)si.ssi_signo));
			sup_shutdown(in->sup);
		}
	}
}

/* Everything that must happen before the sandbox hides /run and
 * /sys/fs/cgroup: cgroup leaves, services' cgroups, the control socket. */
static int prepare(struct init *in)
{
	const struct host_config *cfg = in->cfg;
	struct ctl_socket sock;
	size_t bad = 0;
	int rc;

	rc = cgleaf_open(cfg->cgroups, cfg->n_cgroups, "init", &in->cg_init, &bad);
	if (rc < 0) {
		initlog(NULL, "cannot open cgroup %s/init: %s", cfg->cgroups[bad],
			strerror(-rc));
		return rc;
	}
	if ((rc = evloop_new(&in->loop)) < 0) {
		initlog(NULL, "epoll: %s", strerror(-rc));
		return rc;
	}
	if ((rc = sup_new(in->loop, cfg, &in->sup)) < 0)
		return rc;
	if (cfg->sandbox && (rc = sandbox_detach()) < 0)
		return rc;
	if ((rc = ctl_listen(cfg->ctl_path, &sock)) < 0) {
		initlog(NULL, "control socket %s: %s", cfg->ctl_path, strerror(-rc));
		return rc;
	}
	if ((rc = ctl_new(in->loop, in->sup, &sock, &in->ctl)) < 0)
		initlog(NULL, "control socket %s: %s", cfg->ctl_path, strerror(-rc));
	return rc;
}

/* Sandbox, cgroups, signals. */
static int enter(struct init *in, const sigset_t *mask)
{
	size_t bad = 0;
	int rc;

	if (in->cfg->sandbox && (rc = sandbox_apply(in->cfg)) < 0)
		return rc;
	if ((rc = cgleaf_join(&in->cg_init, &bad)) < 0) {
		initlog(NULL, "cannot join cgroup %s/init: %s",
			in->cfg->cgroups[bad], strerror(-rc));
		return rc;
	}
	in->sigfd = signalfd(-1, mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (in->sigfd < 0) {
		initlog(NULL, "signalfd: %s", strerror(errno));
		return -errno;
	}
	rc = evloop_add(in->loop, &in->sig_w, in->sigfd, EPOLLIN, on_signal, in);
	if (rc < 0)
		initlog(NULL, "epoll: %s", strerror(-rc));
	return rc;
}

static void teardown(struct init *in)
{
	ctl_free(in->ctl);
	sup_free(in->sup);
	if (in->sigfd >= 0) {
		evloop_del(in->loop, &in->sig_w);
		close(in->sigfd);
	}
	evloop_free(in->loop);
	cgleaf_close(&in->cg_init);
	host_config_free(in->cfg);
}

static int load_config(int argc, char **argv, struct host_config **cfg)
{
	char err[1024];

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: zonefall-init CONFIG.json\n");
		return -EINVAL;
	}
	if (host_config_load(argv[1], cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "zonefall-init: config error: %s\n", err);
		return -EINVAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct init in = { .sigfd = -1 };
	sigset_t mask;
	int code = 0, rc;

	ensure_stdio();
	if (load_config(argc, argv, &in.cfg) < 0)
		return EXIT_USAGE;
	initlog_set_host(in.cfg->host);
	if ((rc = setup_process(&mask)) < 0) {
		initlog(NULL, "process setup: %s", strerror(-rc));
		code = EXIT_INTERNAL;
		goto out;
	}
	if (prepare(&in) < 0 || enter(&in, &mask) < 0) {
		code = EXIT_ENV;
		goto out;
	}
	sup_start(in.sup);
	if ((rc = evloop_run(in.loop)) < 0) {
		initlog(NULL, "event loop: %s", strerror(-rc));
		code = EXIT_INTERNAL;
	} else {
		ctl_unlink(in.ctl);     /* graceful exit: leave no socket */
	}
out:
	teardown(&in);
	return code;
}
