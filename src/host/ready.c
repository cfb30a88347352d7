/* ready.c - tcp and exec readiness checks. */
#include "host/ready.h"
#include "host/initlog.h"
#include "util/timeutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

void ready_init(struct ready_probe *p, struct evloop *loop,
		const struct hc_ready *cfg, const char *ip,
		const struct svcproc *proc, const char *svc,
		ready_fn on_ready, void *ctx)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)&p->addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&p->addr;

	memset(p, 0, sizeof(*p));
	p->cfg = cfg;
	p->proc = proc;
	p->svc = svc;
	p->loop = loop;
	p->on_ready = on_ready;
	p->ctx = ctx;
	p->conn_fd = -1;
	if (inet_pton(AF_INET, ip, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)cfg->port);
		p->addrlen = sizeof(*v4);
	} else if (inet_pton(AF_INET6, ip, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)cfg->port);
		p->addrlen = sizeof(*v6);
	}
}

void ready_begin(struct ready_probe *p)
{
	ready_cancel(p);
	p->error_logged = false;
}

static void conn_close(struct ready_probe *p)
{
	if (p->conn_fd < 0)
		return;
	evloop_del(p->loop, &p->conn_w);
	close(p->conn_fd);
	p->conn_fd = -1;
}

/* The pending connect finished, one way or the other. */
static void conn_done(struct evloop_watch *w, uint32_t events)
{
	struct ready_probe *p = w->ctx;
	socklen_t len = sizeof(int);
	int err = 0;

	(void)events;
	if (getsockopt(p->conn_fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	conn_close(p);
	if (err == 0)
		p->on_ready(p->ctx);
}

static void log_once(struct ready_probe *p, const char *what, int err)
{
	if (p->error_logged)
		return;
	p->error_logged = true;
	initlog(p->svc, "readiness check: %s: %s (will keep trying)", what,
		strerror(err));
}

static void tcp_attempt(struct ready_probe *p)
{
	int fd = socket(p->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
			SOCK_CLOEXEC, 0);

	if (fd < 0) {
		log_once(p, "socket", errno);
		return;
	}
	if (connect(fd, (struct sockaddr *)&p->addr, p->addrlen) == 0) {
		close(fd);
		p->on_ready(p->ctx);
		return;
	}
	if (errno != EINPROGRESS) {     /* refused, unreachable: try later */
		close(fd);
		return;
	}
	if (evloop_add(p->loop, &p->conn_w, fd, EPOLLOUT, conn_done, p) < 0) {
		log_once(p, "epoll", errno);
		close(fd);
		return;
	}
	p->conn_fd = fd;
}

static void exec_attempt(struct ready_probe *p)
{
	enum svcproc_step step;
	pid_t pid;
	int rc = svcproc_spawn(p->proc, p->cfg->argv, &pid, &step);

	if (rc < 0) {
		log_once(p, step == SVCPROC_STEP_LOG ? p->proc->log_path :
			 p->cfg->argv[0], -rc);
		return;
	}
	p->check_pid = pid;
	p->check_started_ns = zf_now_ns();
	p->check_killed = false;
}

/* A check still running after 10 intervals is killed; its exit (reaped
 * later) then counts as a failed attempt. */
static void check_overdue(struct ready_probe *p)
{
	uint64_t limit = (uint64_t)p->cfg->interval_ms * 10 * ZF_NS_PER_MS;

	if (p->check_killed || zf_now_ns() - p->check_started_ns < limit)
		return;
	initlog(p->svc, "readiness check pid %d ran past %llums; killing it",
		(int)p->check_pid, (unsigned long long)p->cfg->interval_ms * 10);
	kill(-p->check_pid, SIGKILL);
	p->check_killed = true;
}

void ready_tick(struct ready_probe *p)
{
	conn_close(p);   /* a connect pending for a whole interval failed */
	if (p->check_pid > 0) {
		check_overdue(p);
		return;
	}
	if (p->cfg->kind == HC_READY_TCP)
		tcp_attempt(p);
	else if (p->cfg->kind == HC_READY_EXEC)
		exec_attempt(p);
}

bool ready_reaped(struct ready_probe *p, pid_t pid, int status)
{
	if (p->check_pid <= 0 || pid != p->check_pid)
		return false;
	p->check_pid = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		p->on_ready(p->ctx);
	return true;
}

void ready_cancel(struct ready_probe *p)
{
	conn_close(p);
	if (p->check_pid > 0)
		kill(-p->check_pid, SIGKILL);
	p->check_pid = 0;
}
