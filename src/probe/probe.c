/* probe.c - a probe's life: spec and protocol set up in the caller, one
 * thread that enters the network namespace and runs the request loop,
 * stop and join, then the records. See probe.h. */
#include "probe/probe.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "probe/dns_proto.h"
#include "probe/probe_int.h"
#include "probe/write_int.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

struct zf_probe {
	struct zf_probe_spec spec;      /* our copy, strings owned */
	struct zf_proto proto;
	struct zf_dns_proto dns;        /* dns probes */
	struct zf_reqlog log;
	struct zf_probe_ctl ctl;
	struct zf_wpool *wpool;         /* write probes */
	int read_done;                  /* write probes: final read made */
	uint64_t earlier;               /* values of earlier runs skipped */
	pthread_t thread;
	int running;                    /* thread started and not joined */
	/* start-up handshake with the thread */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int ready;
	int start_rc;
	const char *start_what;
};

const char *zf_outcome_name(enum zf_outcome o)
{
	static const char *const names[ZF_OUT_N] = {
		[ZF_OUT_OK] = "ok",
		[ZF_OUT_REFUSED] = "refused",
		[ZF_OUT_TIMEOUT] = "timeout",
		[ZF_OUT_RESET] = "reset",
		[ZF_OUT_UNREACHABLE] = "unreachable",
		[ZF_OUT_DNS] = "dns",
		[ZF_OUT_STATUS] = "bad_status",
		[ZF_OUT_SERVFAIL] = "servfail",
		[ZF_OUT_NXDOMAIN] = "nxdomain",
		[ZF_OUT_EMPTY] = "empty",
		[ZF_OUT_WRONG] = "wrong",
		[ZF_OUT_OTHER] = "other",
	};

	return (unsigned)o < ZF_OUT_N ? names[o] : "other";
}

static void signal_ready(struct zf_probe *p, int rc, const char *what)
{
	pthread_mutex_lock(&p->mu);
	p->ready = 1;
	p->start_rc = rc;
	p->start_what = what;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* Run the loop of P's kind in this thread (in its namespace already);
 * signals the start-up result first. */
static void run_loop(struct zf_probe *p)
{
	struct zf_netloop *nl = NULL;
	struct zf_dnsloop *dl = NULL;
	int rc = 0;

	if (p->spec.kind == ZF_PROBE_DNS)
		rc = zf_dnsloop_new(&p->spec, &p->dns, &p->log, &p->ctl, &dl);
	else if (p->spec.kind != ZF_PROBE_EXEC &&
		 p->spec.kind != ZF_PROBE_WRITE)
		rc = zf_netloop_new(&p->spec, &p->proto, &p->log, &p->ctl, &nl);
	if (rc < 0) {
		signal_ready(p, rc, "cannot set up its event loop");
		return;
	}
	signal_ready(p, 0, NULL);
	if (dl) {
		zf_dnsloop_run(dl);
		zf_dnsloop_free(dl);
	} else if (nl) {
		zf_netloop_run(nl);
		zf_netloop_free(nl);
	} else if (p->wpool) {
		zf_wpool_run(p->wpool);
	} else {
		zf_exec_loop_run(&p->spec, &p->log, &p->ctl);
	}
}

/* The probe's thread: its namespace first, so that every socket it makes
 * lives there; then its loop until stopped. */
static void *probe_main(void *arg)
{
	struct zf_probe *p = arg;

	/* Wake-ups on time: latencies are measured from planned times. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	if (p->spec.netns_fd >= 0 && setns(p->spec.netns_fd, CLONE_NEWNET) < 0) {
		signal_ready(p, -errno, "cannot enter its network namespace");
		return NULL;
	}
	run_loop(p);
	return NULL;
}

/* Start the thread with every signal blocked (it must never take the
 * process's signals) and wait until it is set up. */
static int start_thread(struct zf_probe *p, char *err, size_t errlen)
{
	sigset_t all, old;
	char tname[16];
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = -pthread_create(&p->thread, NULL, probe_main, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc < 0) {
		zf_fmt(err, errlen, "probe %s: cannot start its thread: %s",
		       p->spec.name, strerror(-rc));
		return rc;
	}
	zf_fmt(tname, sizeof(tname), "zfp-%s", p->spec.name);  /* cut */
	pthread_setname_np(p->thread, tname);
	pthread_mutex_lock(&p->mu);
	while (!p->ready)
		pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
	if (p->start_rc < 0) {
		pthread_join(p->thread, NULL);
		zf_fmt(err, errlen, "probe %s: %s: %s", p->spec.name,
		       p->start_what, strerror(-p->start_rc));
		return p->start_rc;
	}
	p->running = 1;
	return 0;
}

static int init_proto(struct zf_probe *p, char *err, size_t errlen)
{
	if (p->spec.kind == ZF_PROBE_HTTP)
		return zf_http_proto_init(&p->proto, &p->spec, err, errlen);
	if (p->spec.kind == ZF_PROBE_TCP)
		return zf_tcp_proto_init(&p->proto, &p->spec, err, errlen);
	if (p->spec.kind == ZF_PROBE_DNS)
		return zf_dns_proto_init(&p->dns, &p->spec, err, errlen);
	if (p->spec.kind == ZF_PROBE_WRITE &&
	    zf_wpool_new(&p->spec, zf_wdriver_of(p->spec.write->sys), &p->log,
			 &p->ctl, &p->wpool) < 0) {
		zf_fmt(err, errlen, "probe %s: bad ledger prefix or client name",
		       p->spec.name);
		return -EINVAL;
	}
	return 0;
}

static void destroy(struct zf_probe *p)
{
	zf_wpool_free(p->wpool);
	zf_reqlog_fini(&p->log);
	zf_proto_fini(&p->proto);
	zf_dns_proto_fini(&p->dns);
	zf_probe_spec_fini(&p->spec);
	if (p->ctl.stop_fd >= 0)
		close(p->ctl.stop_fd);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

int zf_probe_start(const struct zf_probe_spec *spec, uint64_t t0_ns,
		   struct zf_probe **out, char *err, size_t errlen)
{
	struct zf_probe *p = zf_xcalloc(1, sizeof(*p));
	int rc;

	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->ctl.stop_fd = -1;
	atomic_init(&p->ctl.stop, 0);
	rc = zf_probe_spec_copy(spec, &p->spec, err, errlen);
	if (rc < 0)
		goto fail;
	zf_reqlog_init(&p->log, t0_ns, p->spec.rate, p->spec.timeout_ns,
		       p->spec.slow_ns);
	rc = init_proto(p, err, errlen);
	if (rc < 0)
		goto fail;
	p->ctl.stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (p->ctl.stop_fd < 0) {
		rc = -errno;
		zf_fmt(err, errlen, "probe %s: eventfd: %s", p->spec.name,
		       strerror(errno));
		goto fail;
	}
	rc = start_thread(p, err, errlen);
	if (rc < 0)
		goto fail;
	*out = p;
	return 0;
fail:
	destroy(p);
	return rc;
}

void zf_probe_stop_within(struct zf_probe *p, uint64_t grace_ns)
{
	uint64_t one = 1;

	if (!p || !p->running)
		return;
	p->ctl.stop_at = zf_now_ns();
	p->ctl.grace = grace_ns;
	atomic_store_explicit(&p->ctl.stop, 1, memory_order_release);
	while (write(p->ctl.stop_fd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
	pthread_join(p->thread, NULL);
	p->running = 0;
}

void zf_probe_stop(struct zf_probe *p)
{
	if (p)
		zf_probe_stop_within(p, p->spec.timeout_ns);
}

const struct zf_req *zf_probe_records(const struct zf_probe *p, size_t *n)
{
	if (p->running) {
		*n = 0;
		return NULL;
	}
	*n = (size_t)p->log.planned;
	return p->log.recs;
}

const struct zf_hist *zf_probe_hist(const struct zf_probe *p)
{
	return p->log.hist;
}

const struct zf_probe_spec *zf_probe_get_spec(const struct zf_probe *p)
{
	return &p->spec;
}

int zf_probe_live(const struct zf_probe *p, uint64_t sec, uint64_t *completed,
		  uint64_t *good)
{
	return zf_reqlog_live(&p->log, sec, zf_now_ns(), completed, good);
}

int zf_probe_final_read(struct zf_probe *p)
{
	if (!p || !p->wpool || p->running)
		return -EINVAL;
	if (p->read_done)
		return -EALREADY;
	p->read_done = 1;
	return zf_write_final_read(&p->spec, p->log.t0,
				   zf_wpool_ledger(p->wpool), &p->earlier);
}

const struct zf_ledger *zf_probe_ledger(const struct zf_probe *p)
{
	return p && p->wpool && !p->running ? zf_wpool_ledger(p->wpool) : NULL;
}

void zf_probe_write_stats(const struct zf_probe *p, struct zf_probe_wstats *out)
{
	memset(out, 0, sizeof(*out));
	if (!p || !p->wpool)
		return;
	out->workers = zf_wpool_workers(p->wpool);
	out->not_sent = zf_wpool_not_sent(p->wpool);
	out->earlier = p->earlier;
}

void zf_probe_free(struct zf_probe *p)
{
	if (!p)
		return;
	zf_probe_stop(p);
	destroy(p);
}
