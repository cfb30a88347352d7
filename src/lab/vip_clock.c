/* vip_clock.c - the DNS catch-up clock of vip-move keep-name-stale (vip.h).
 *
 * The stale period must end on time whether the process that started it
 * lives on (a drill) or not (`zonefall inject`), so the clock is a process
 * of its own: forked twice (no exec; it uses the lab handle it inherits),
 * in the lab's cgroup "<lab>/vip.<vip>" — a name no host can have, listed
 * in the inventory before it is made, so teardown kills and removes it as
 * it does the hosts'. The first child joins the cgroup before it forks the
 * clock, so once zf_vip_clock_start returns the clock is where teardown
 * looks. The clock drops every inherited descriptor (namespaces, sockets,
 * the lab lock) at once and takes the lab's lock itself when it acts. */
#include "lab/daemon.h"
#include "lab/inventory.h"
#include "lab/labdns.h"
#include "lab/vip.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/proc.h"
#include "util/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static int clock_cgroup(const struct zf_labrt *rt, size_t v, char *buf, size_t len)
{
	return zf_fmt(buf, len, "%s/vip.%s", rt->lab->name, rt->lab->vips[v].name)
		       ? -ENAMETOOLONG : 0;
}

/* Is cgroup REL in the lab's inventory? */
static int recorded(const struct zf_labrt *rt, const char *rel)
{
	struct zf_inv_entry *e;
	size_t n;
	int found = 0;

	if (zf_inv_load(rt->state, &e, &n) < 0)
		return 0;
	for (size_t i = 0; i < n && !found; i++)
		found = e[i].kind == ZF_INV_CGROUP && !strcmp(e[i].name, rel);
	zf_inv_entries_free(e, n);
	return found;
}

/* Record (first) and make the clock's cgroup REL. */
static int make_cgroup(const struct zf_labrt *rt, const char *rel)
{
	struct zf_inv *inv;
	int rc = 0;

	if (!recorded(rt, rel)) {
		rc = zf_inv_open(rt->state, &inv);
		if (rc < 0)
			return rc;
		zf_inv_add(inv, ZF_INV_CGROUP, rel);
		rc = zf_inv_sync(inv);
		zf_inv_close(inv);
	}
	return rc < 0 ? rc : zf_cg_create(&rt->cg, rel, 1);
}

/* Sleep until wall-clock time UNTIL (ns), through signals. */
static void sleep_until(uint64_t until)
{
	struct timespec ts = { .tv_sec = (time_t)(until / ZF_NS_PER_S),
			       .tv_nsec = (long)(until % ZF_NS_PER_S) };

	while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* In the clock: a session of its own, no inherited descriptors, stdio on
 * /dev/null, default signals. */
static void detach(void)
{
	sigset_t none;
	int fd;

	setsid();
	prctl(PR_SET_NAME, "zf-vip-clock", 0, 0, 0);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
	close_range(3, ~0u, 0);
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static int dns_running(const struct zf_labrt *rt)
{
	char dir[512];
	pid_t pid;

	return zf_labdns_dir(rt, dir, sizeof(dir)) == 0 && zf_daemon_running(dir, &pid);
}

/* The clock of VIP V: wait, then tell the DNS if the stale period that
 * ends at UNTIL is still the VIP's. Never returns. */
static void run_clock(const struct zf_labrt *rt, size_t v, uint64_t until)
{
	struct zf_vip_state st;
	char err[512];
	int lock;

	detach();
	sleep_until(until);
	lock = zf_labrt_lock(rt->lab->name);
	if (lock < 0)
		_exit(0);   /* the lab is gone */
	/* A DNS server that is not running is left to `recover` (which
	 * answers from the state, past the deadline now): one started here
	 * would live in this cgroup and die with the next clock. */
	if (zf_vip_state_load(rt, v, NULL, &st, err, sizeof(err)) == 0 &&
	    st.stale && st.stale_until == until && dns_running(rt))
		zf_labdns_sync(rt, err, sizeof(err));
	zf_labrt_unlock(lock);
	_exit(0);
}

int zf_vip_clock_stop(const struct zf_labrt *rt, size_t v)
{
	char rel[128];

	if (clock_cgroup(rt, v, rel, sizeof(rel)) < 0)
		return -ENAMETOOLONG;
	if (zf_cg_count(&rt->cg, rel) <= 0)
		return 0;   /* none, or gone: no freezing round trip */
	return zf_cg_kill(&rt->cg, rel, 2 * ZF_NS_PER_S);
}

int zf_vip_clock_start(const struct zf_labrt *rt, size_t v, uint64_t until,
		       char *err, size_t errlen)
{
	char rel[128];
	pid_t pid;
	int rc = clock_cgroup(rt, v, rel, sizeof(rel)), status = 0;

	if (rc == 0)
		rc = zf_vip_clock_stop(rt, v);
	if (rc == 0)
		rc = make_cgroup(rt, rel);
	if (rc == 0 && (pid = fork()) < 0)
		rc = -errno;
	if (rc == 0 && pid == 0) {
		if (zf_cg_join(&rt->cg, rel, 0) < 0)
			_exit(1);
		pid = fork();
		if (pid == 0)
			run_clock(rt, v, until);
		_exit(pid < 0 ? 1 : 0);
	}
	if (rc == 0 && (zf_wait(pid, &status) < 0 || !WIFEXITED(status) ||
			WEXITSTATUS(status)))
		rc = -ECHILD;
	if (rc < 0)
		snprintf(err, errlen, "VIP %s: starting its DNS clock in cgroup %s: %s",
			 rt->lab->vips[v].name, rel, strerror(-rc));
	return rc;
}
