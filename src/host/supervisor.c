/* supervisor.c - the service state machine.
 *
 * Each service has one timer whose meaning follows its state: the next
 * readiness poll (starting), the end of the back-off (backoff), or the
 * SIGKILL deadline (stopping). */
#include "host/supervisor.h"
#include "host/initlog.h"
#include "host/ready.h"
#include "host/svcproc.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum svc_state {
	ST_WAITING, ST_STARTING, ST_RUNNING, ST_UNREADY, ST_BACKOFF,
	ST_EXITED, ST_STOPPING, ST_STOPPED,
};

/* What to do once a service being stopped is gone. */
enum svc_then { THEN_NOTHING, THEN_STOP, THEN_RESTART, THEN_START };

struct svc {
	struct supervisor *sup;
	const struct hc_service *cfg;
	enum svc_state state;
	enum svc_then then;
	pid_t pid;                 /* main process, 0 when none */
	unsigned restarts;
	bool ready;
	bool released;             /* dependents may start (see header) */
	bool has_exit;             /* last_status is valid */
	int last_status;           /* wait status of the last main process */
	int spawn_err;             /* errno of the last failed start, or 0 */
	enum svcproc_step spawn_step;
	uint64_t since_ns;         /* entered the current state */
	uint64_t started_ns;       /* last start attempt */
	uint64_t backoff_ms;       /* next back-off delay */
	struct evloop_timer timer;
	struct svcproc proc;
	struct ready_probe probe;
	struct svc_override ov;    /* set by faults; empty: as configured */
};

struct supervisor {
	struct evloop *loop;
	const struct host_config *cfg;
	struct svc *svcs;
	size_t n;                  /* initialised entries of svcs */
	uint64_t boot_ns;
	bool shutting_down;
	bool in_start_waiting, start_again;
};

static void svc_launch(struct svc *s);
static void svc_ended(struct svc *s, bool spawned, int status);

static uint64_t ms_since(uint64_t ns)
{
	return (zf_now_ns() - ns) / ZF_NS_PER_MS;
}

static void set_state(struct svc *s, enum svc_state st)
{
	s->state = st;
	s->since_ns = zf_now_ns();
}

/* Signal the process group of S, or the main process alone if it left
 * the group it was started in. */
static int signal_svc(const struct svc *s, int sig)
{
	if (kill(-s->pid, sig) == 0)
		return 0;
	if (errno == ESRCH && kill(s->pid, sig) == 0)
		return 0;
	return -errno;
}

static bool deps_released(const struct svc *s)
{
	for (size_t k = 0; k < s->cfg->n_after; k++)
		if (!s->sup->svcs[s->cfg->after[k]].released)
			return false;
	return true;
}

/* Launch every waiting service whose dependencies are released. Launching
 * may release more (re-entering here): those are picked up by looping
 * instead of recursing. */
static void start_waiting(struct supervisor *sup)
{
	if (sup->shutting_down)
		return;
	if (sup->in_start_waiting) {
		sup->start_again = true;
		return;
	}
	sup->in_start_waiting = true;
	do {
		sup->start_again = false;
		for (size_t i = 0; i < sup->n; i++)
			if (sup->svcs[i].state == ST_WAITING &&
			    deps_released(&sup->svcs[i]))
				svc_launch(&sup->svcs[i]);
	} while (sup->start_again);
	sup->in_start_waiting = false;
}

static void release(struct svc *s)
{
	if (s->released)
		return;
	s->released = true;
	start_waiting(s->sup);
}

/* Readiness passed (callback of the probe). */
static void on_ready(void *ctx)
{
	struct svc *s = ctx;

	if (s->state != ST_STARTING)
		return;
	ready_cancel(&s->probe);
	evloop_timer_disarm(&s->timer);
	s->ready = true;
	set_state(s, ST_RUNNING);
	initlog(s->cfg->name, "ready after %llums",
		(unsigned long long)ms_since(s->started_ns));
	release(s);
}

/* Timer of a starting service: give up at the deadline, else poll. On
 * timeout the service is "unready" but keeps running, and dependents are
 * released anyway: a slow or wrong check must not hold the whole host
 * down, and the state makes the problem visible. */
static void ready_poll(struct svc *s)
{
	const struct hc_ready *r = &s->cfg->ready;
	uint64_t waited = ms_since(s->started_ns), next = r->interval_ms;

	if (waited >= r->timeout_ms) {
		ready_cancel(&s->probe);
		set_state(s, ST_UNREADY);
		initlog(s->cfg->name, "not ready after %ums: readiness check "
			"timed out; starting dependents anyway", r->timeout_ms);
		release(s);
		return;
	}
	ready_tick(&s->probe);
	if (s->state != ST_STARTING)
		return;         /* became ready synchronously */
	if (next > r->timeout_ms - waited)
		next = r->timeout_ms - waited;
	evloop_timer_arm(&s->timer, next);
}

static void svc_launch(struct svc *s)
{
	pid_t pid;
	int rc;

	s->then = THEN_NOTHING;
	s->started_ns = zf_now_ns();
	rc = svcproc_spawn(&s->proc, s->ov.argv ? s->ov.argv : s->cfg->argv, &pid,
			   &s->spawn_step);
	if (rc < 0) {
		s->spawn_err = -rc;
		svc_ended(s, false, 0);
		return;
	}
	s->pid = pid;
	s->spawn_err = 0;
	initlog(s->cfg->name, "started pid %d", (int)pid);
	if (s->cfg->ready.kind == HC_READY_NONE) {
		s->ready = true;
		set_state(s, ST_RUNNING);
		release(s);
		return;
	}
	s->ready = false;
	set_state(s, ST_STARTING);
	ready_begin(&s->probe);
	evloop_timer_arm(&s->timer, s->cfg->ready.interval_ms);
}

static void describe_end(const struct svc *s, bool spawned, int status,
			 char *buf, size_t len)
{
	if (!spawned && s->spawn_step == SVCPROC_STEP_LOG)
		(void)zf_fmt(buf, len, "failed to start: cannot open log %s: %s",
			     s->proc.log_path, strerror(s->spawn_err));
	else if (!spawned)
		(void)zf_fmt(buf, len, "failed to start %s: %s",
			     s->cfg->argv[0], strerror(s->spawn_err));
	else if (WIFEXITED(status))
		(void)zf_fmt(buf, len, "exited with status %d",
			     WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		(void)zf_fmt(buf, len, "killed by signal %d", WTERMSIG(status));
	else
		(void)zf_fmt(buf, len, "ended with wait status %#x", status);
}

static bool wants_restart(enum hc_restart policy, bool spawned, int status)
{
	switch (policy) {
	case HC_RESTART_ALWAYS:
		return true;
	case HC_RESTART_ON_FAILURE:
		return !spawned || !WIFEXITED(status) || WEXITSTATUS(status);
	case HC_RESTART_NO:
		break;
	}
	return false;
}

/* The delay before the next restart: 100ms doubling to 5s, back to 100ms
 * after a run of at least 10s. */
static uint64_t next_backoff(struct svc *s)
{
	uint64_t delay;

	if (ms_since(s->started_ns) >= SUP_BACKOFF_RESET_MS)
		s->backoff_ms = SUP_BACKOFF_MIN_MS;
	delay = s->backoff_ms;
	s->backoff_ms = delay * 2 > SUP_BACKOFF_MAX_MS ? SUP_BACKOFF_MAX_MS
						       : delay * 2;
	return delay;
}

static void apply_policy(struct svc *s, bool spawned, int status,
			 const char *what)
{
	uint64_t delay;

	if (!wants_restart(s->cfg->restart, spawned, status)) {
		set_state(s, ST_EXITED);
		initlog(s->cfg->name, "%s, not restarting (restart=%s)", what,
			host_config_restart_name(s->cfg->restart));
		release(s);
		return;
	}
	delay = next_backoff(s);
	set_state(s, ST_BACKOFF);
	evloop_timer_arm(&s->timer, delay);
	initlog(s->cfg->name, "%s, restart in %llums", what,
		(unsigned long long)delay);
}

static void shutdown_next(struct supervisor *sup);

/* The main process of S was reaped with STATUS (SPAWNED), or could not be
 * started at all (!SPAWNED, cause in spawn_err). Decides what comes next:
 * the pending request of a stop/restart/start, else the restart policy. */
static void svc_ended(struct svc *s, bool spawned, int status)
{
	enum svc_then then = s->then;
	char what[512];

	describe_end(s, spawned, status, what, sizeof(what));
	if (spawned) {
		kill(-s->pid, SIGKILL);   /* leftovers of its process group */
		s->has_exit = true;
		s->last_status = status;
	}
	s->pid = 0;
	s->ready = false;
	s->then = THEN_NOTHING;
	ready_cancel(&s->probe);
	evloop_timer_disarm(&s->timer);
	if (s->sup->shutting_down) {
		set_state(s, ST_STOPPED);
		initlog(s->cfg->name, "stopped (%s)", what);
		shutdown_next(s->sup);
	} else if (then == THEN_STOP) {
		set_state(s, ST_STOPPED);
		initlog(s->cfg->name, "stopped (%s)", what);
		release(s);
	} else if (then == THEN_RESTART || then == THEN_START) {
		initlog(s->cfg->name, "%s, starting again on request", what);
		svc_launch(s);
	} else {
		apply_policy(s, spawned, status, what);
	}
}

/* SIGTERM S's group (SIGKILL after the grace period, by the timer); THEN
 * says what follows once it is gone. Already stopping: only THEN changes. */
static void svc_terminate(struct svc *s, enum svc_then then)
{
	int rc;

	s->then = then;
	if (s->state == ST_STOPPING)
		return;
	ready_cancel(&s->probe);
	s->ready = false;
	set_state(s, ST_STOPPING);
	rc = signal_svc(s, SIGTERM);
	if (rc < 0)
		initlog(s->cfg->name, "SIGTERM to pid %d: %s", (int)s->pid,
			strerror(-rc));
	else
		initlog(s->cfg->name, "stopping pid %d (SIGTERM)", (int)s->pid);
	evloop_timer_arm(&s->timer, SUP_STOP_GRACE_MS);
}

static void svc_timer(struct evloop_timer *t)
{
	struct svc *s = t->ctx;

	switch (s->state) {
	case ST_BACKOFF:
		s->restarts++;
		svc_launch(s);
		break;
	case ST_STARTING:
		ready_poll(s);
		break;
	case ST_STOPPING:
		initlog(s->cfg->name, "still running %dms after SIGTERM; "
			"sending SIGKILL", SUP_STOP_GRACE_MS);
		(void)signal_svc(s, SIGKILL);
		break;
	default:
		break;
	}
}

/* ---- shutdown and reaping ------------------------------------------ */

/* Stop the last service that still has a process, one at a time; when
 * none is left, stop the loop. A service already stopping (a stop request
 * in flight) is waited for. */
static void shutdown_next(struct supervisor *sup)
{
	for (size_t i = sup->n; i-- > 0;) {
		struct svc *s = &sup->svcs[i];

		if (s->pid <= 0)
			continue;
		if (s->state != ST_STOPPING)
			svc_terminate(s, THEN_STOP);
		return;
	}
	initlog(NULL, "all services stopped; exiting");
	evloop_stop(sup->loop);
}

void sup_shutdown(struct supervisor *sup)
{
	if (sup->shutting_down)
		return;
	sup->shutting_down = true;
	initlog(NULL, "shutting down");
	for (size_t i = 0; i < sup->n; i++) {
		struct svc *s = &sup->svcs[i];

		if (s->state == ST_WAITING || s->state == ST_BACKOFF) {
			evloop_timer_disarm(&s->timer);
			set_state(s, ST_STOPPED);
		}
	}
	shutdown_next(sup);
}

static void child_exited(struct supervisor *sup, pid_t pid, int status)
{
	for (size_t i = 0; i < sup->n; i++) {
		if (sup->svcs[i].pid == pid) {
			svc_ended(&sup->svcs[i], true, status);
			return;
		}
	}
	for (size_t i = 0; i < sup->n; i++)
		if (ready_reaped(&sup->svcs[i].probe, pid, status))
			return;
	/* An orphan PID 1 adopted, or a check abandoned by ready_cancel():
	 * reaping it was all there was to do. */
}

void sup_reap(struct supervisor *sup)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		child_exited(sup, pid, status);
}

/* ---- commands ------------------------------------------------------ */

static int lookup(struct supervisor *sup, const char *name, struct svc **s)
{
	long i;

	if (sup->shutting_down)
		return -ECANCELED;
	i = host_config_find(sup->cfg, name);
	if (i < 0)
		return -ENOENT;
	*s = &sup->svcs[i];
	return 0;
}

int sup_kill(struct supervisor *sup, const char *name, int sig)
{
	struct svc *s;
	int rc = lookup(sup, name, &s);

	if (rc < 0)
		return rc;
	if (s->pid <= 0)
		return -ESRCH;
	rc = signal_svc(s, sig);
	if (rc == 0)
		initlog(s->cfg->name, "sent signal %d to pid %d on request", sig,
			(int)s->pid);
	return rc;
}

int sup_restart(struct supervisor *sup, const char *name)
{
	struct svc *s;
	int rc = lookup(sup, name, &s);

	if (rc < 0)
		return rc;
	s->restarts++;
	initlog(s->cfg->name, "restart requested");
	if (s->pid > 0) {
		svc_terminate(s, THEN_RESTART);
		return 0;
	}
	evloop_timer_disarm(&s->timer);
	svc_launch(s);
	return 0;
}

int sup_stop(struct supervisor *sup, const char *name)
{
	struct svc *s;
	int rc = lookup(sup, name, &s);

	if (rc < 0)
		return rc;
	initlog(s->cfg->name, "stop requested");
	if (s->pid > 0) {
		svc_terminate(s, THEN_STOP);
	} else if (s->state != ST_STOPPED) {
		evloop_timer_disarm(&s->timer);
		set_state(s, ST_STOPPED);
		release(s);
	}
	return 0;
}

int sup_start_service(struct supervisor *sup, const char *name)
{
	struct svc *s;
	int rc = lookup(sup, name, &s);

	if (rc < 0)
		return rc;
	if (s->state == ST_STOPPING) {   /* start again once it is gone */
		if (s->then == THEN_STOP)
			s->then = THEN_START;
		return 0;
	}
	if (s->pid > 0)
		return -EALREADY;
	initlog(s->cfg->name, "start requested");
	evloop_timer_disarm(&s->timer);
	svc_launch(s);
	return 0;
}

int sup_override(struct supervisor *sup, const char *name, struct svc_override *ov)
{
	struct svc *s;
	int rc = lookup(sup, name, &s);

	if (rc < 0) {
		override_free(ov);
		return rc;
	}
	override_free(&s->ov);
	s->ov = *ov;
	svcproc_set_extra_env(&s->proc, sup->cfg, s->cfg, s->ov.env);
	if (override_empty(&s->ov))
		initlog(s->cfg->name, "override cleared: configured command and "
			"environment from the next start");
	else
		initlog(s->cfg->name, "override set (%s%s): applies from the next start",
			s->ov.argv ? "command " : "", s->ov.env ? "environment" : "");
	return 0;
}

/* ---- status -------------------------------------------------------- */

static const char *state_name(enum svc_state st)
{
	static const char *const names[] = {
		[ST_WAITING] = "waiting", [ST_STARTING] = "starting",
		[ST_RUNNING] = "running", [ST_UNREADY] = "unready",
		[ST_BACKOFF] = "backoff", [ST_EXITED] = "exited",
		[ST_STOPPING] = "stopping", [ST_STOPPED] = "stopped",
	};

	return names[st];
}

static json_t *svc_json(const struct svc *s)
{
	char exit_buf[32], err_buf[160];
	const char *last_exit = NULL, *last_error = NULL;

	if (s->has_exit && WIFSIGNALED(s->last_status))
		(void)zf_fmt(exit_buf, sizeof(exit_buf), "signal %d",
			     WTERMSIG(s->last_status));
	else if (s->has_exit)
		(void)zf_fmt(exit_buf, sizeof(exit_buf), "exit %d",
			     WEXITSTATUS(s->last_status));
	if (s->has_exit)
		last_exit = exit_buf;
	if (s->spawn_err) {
		(void)zf_fmt(err_buf, sizeof(err_buf), "%s: %s",
			     s->spawn_step == SVCPROC_STEP_LOG ? "open log"
							       : "exec",
			     strerror(s->spawn_err));
		last_error = err_buf;
	}
	return json_pack("{s:s, s:s, s:i, s:I, s:b, s:s?, s:s?, s:I, s:o?}",
			 "name", s->cfg->name, "state", state_name(s->state),
			 "pid", (int)s->pid, "restarts", (json_int_t)s->restarts,
			 "ready", (int)s->ready, "last_exit", last_exit,
			 "last_error", last_error,
			 "since_ms", (json_int_t)ms_since(s->since_ns),
			 "override", override_json(&s->ov));
}

json_t *sup_status(const struct supervisor *sup)
{
	json_t *list = json_array();

	if (!list)
		return NULL;
	for (size_t i = 0; i < sup->n; i++) {
		if (json_array_append_new(list, svc_json(&sup->svcs[i])) < 0) {
			json_decref(list);
			return NULL;
		}
	}
	return json_pack("{s:s, s:i, s:I, s:o}", "host", sup->cfg->host,
			 "pid", (int)getpid(),
			 "uptime_ms", (json_int_t)ms_since(sup->boot_ns),
			 "services", list);
}

/* ---- life cycle ---------------------------------------------------- */

static int svc_init(struct supervisor *sup, struct svc *s,
		    const struct hc_service *cfg)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->sup = sup;
	s->cfg = cfg;
	s->backoff_ms = SUP_BACKOFF_MIN_MS;
	set_state(s, ST_WAITING);
	rc = svcproc_init(&s->proc, sup->cfg, cfg);
	if (rc < 0)
		return rc;
	rc = evloop_timer_init(sup->loop, &s->timer, svc_timer, s);
	if (rc < 0) {
		initlog(cfg->name, "timerfd: %s", strerror(-rc));
		svcproc_fini(&s->proc);
		return rc;
	}
	ready_init(&s->probe, sup->loop, &cfg->ready, sup->cfg->ip, &s->proc,
		   cfg->name, on_ready, s);
	return 0;
}

int sup_new(struct evloop *loop, const struct host_config *cfg,
	    struct supervisor **out)
{
	struct supervisor *sup = zf_xcalloc(1, sizeof(*sup));
	int rc = 0;

	sup->loop = loop;
	sup->cfg = cfg;
	sup->boot_ns = zf_now_ns();
	sup->svcs = zf_xcalloc(cfg->n_services, sizeof(*sup->svcs));
	for (size_t i = 0; i < cfg->n_services; i++) {
		rc = svc_init(sup, &sup->svcs[i], &cfg->services[i]);
		if (rc < 0)
			goto out;
		sup->n++;
	}
	*out = sup;
	sup = NULL;
out:
	sup_free(sup);
	return rc;
}

void sup_free(struct supervisor *sup)
{
	if (!sup)
		return;
	for (size_t i = 0; i < sup->n; i++) {
		ready_cancel(&sup->svcs[i].probe);
		evloop_timer_close(&sup->svcs[i].timer);
		svcproc_fini(&sup->svcs[i].proc);
		override_free(&sup->svcs[i].ov);
	}
	free(sup->svcs);
	free(sup);
}

void sup_start(struct supervisor *sup)
{
	initlog(NULL, "init started as pid %d with %zu services",
		(int)getpid(), sup->n);
	for (size_t i = 0; i < sup->n; i++)
		if (!deps_released(&sup->svcs[i]))
			initlog(sup->svcs[i].cfg->name, "waiting for its "
				"\"after\" dependencies");
	start_waiting(sup);
}
