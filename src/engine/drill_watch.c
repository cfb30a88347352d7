/* drill_watch.c - what the lab's hosts and services did during a drill,
 * seen from outside: a thread samples every host's power and its init's
 * service list every WATCH_MS from t0 to the end of the run, and records
 * each change with the time it was seen. The report's observed fault
 * chain is built from these (report/chain.c).
 *
 * Sampling, not notification: a power change is seen up to WATCH_MS late;
 * a service's change up to SVC_EVERY * WATCH_MS plus the status round
 * trips of the hosts before it (an init in a throttled host answers late); a service
 * that dies and is back between two samples shows only as "restarted"
 * (its restart count grew). The
 * thread only reads: pid files, the freezer state, and the init's status
 * reply; it never changes the lab. */
#include "engine/drill_int.h"
#include "lab/host.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WATCH_MS 200
/* Services are asked every SVC_EVERY samples only: the init answers from
 * inside the host's cgroup, so each status costs the host CPU (a host
 * throttled to 10% of a CPU must not lose a noticeable part of it to us). */
#define SVC_EVERY 3
#define CTL_TIMEOUT_MS 300
/* A runaway service flapping for hours must not eat memory. */
#define OBS_MAX 20000

static void note(struct drill *d, size_t h, const char *svc, const char *what,
		 int degrading)
{
	struct watch *w = &d->watch;
	struct zf_run_obs *o;

	if (w->n_obs >= OBS_MAX)
		return;
	if (w->n_obs == w->cap_obs) {
		w->cap_obs = w->cap_obs ? 2 * w->cap_obs : 64;
		w->obs = zf_xrealloc(w->obs, w->cap_obs * sizeof(*w->obs));
	}
	o = &w->obs[w->n_obs++];
	memset(o, 0, sizeof(*o));
	o->t_ns = drill_now(d);
	snprintf(o->host, sizeof(o->host), "%s", d->rt->lab->hosts[h].name);
	snprintf(o->service, sizeof(o->service), "%s", svc ? svc : "");
	snprintf(o->what, sizeof(o->what), "%s", what);
	o->degrading = degrading;
}

static const char *power_now(const struct drill *d, size_t h)
{
	char rel[256];

	if (!zf_host_init_pid(d->rt, h))
		return "off";
	if (zf_labrt_host_cg(d->rt, h, NULL, rel, sizeof(rel)) == 0 &&
	    zf_cg_frozen(&d->rt->cg, rel) == 1)
		return "paused";
	return "on";
}

static void power_change(struct drill *d, size_t h, const char *was,
			 const char *now)
{
	if (!strcmp(now, "off"))
		note(d, h, NULL, "powered off", 1);
	else if (!strcmp(now, "paused"))
		note(d, h, NULL, "paused", 1);
	else if (!strcmp(was, "paused"))
		note(d, h, NULL, "resumed", 0);
	else
		note(d, h, NULL, "powered on", 0);
}

/* Running, or on its way there: anything else is a failure seen. */
static int up_state(const char *st)
{
	return !strcmp(st, "running") || !strcmp(st, "starting");
}

static json_t *find_svc(json_t *list, const char *name)
{
	size_t i;
	json_t *s;

	json_array_foreach(list, i, s) {
		const char *n = json_string_value(json_object_get(s, "name"));
		if (n && !strcmp(n, name))
			return s;
	}
	return NULL;
}

/* One service's change between two samples of a host that stayed on. */
static void svc_change(struct drill *d, size_t h, json_t *was, json_t *now)
{
	const char *name = json_string_value(json_object_get(now, "name"));
	const char *a = json_string_value(json_object_get(was, "state"));
	const char *b = json_string_value(json_object_get(now, "state"));
	json_int_t ra = json_integer_value(json_object_get(was, "restarts"));
	json_int_t rb = json_integer_value(json_object_get(now, "restarts"));

	if (!name || !a || !b)
		return;
	if (strcmp(a, b))
		note(d, h, name, b, !up_state(b));
	else if (rb > ra)
		note(d, h, name, "restarted", 1);
}

/* The host's services now; NULL when its init does not answer. */
static json_t *services_now(const struct drill *d, size_t h)
{
	char reply[65536];
	json_t *j, *list;

	if (zf_host_ctl(d->rt, h, "status", reply, sizeof(reply), CTL_TIMEOUT_MS) < 0)
		return NULL;
	j = json_loads(reply, 0, NULL);
	list = json_incref(json_object_get(j, "services"));
	json_decref(j);
	return json_is_array(list) ? list : (json_decref(list), NULL);
}

/* Power first, for every host: it is cheap (a pid file, the freezer
 * state), while a busy host's init may answer its status late (it runs in
 * the host's CPU quota), which must not delay seeing other hosts go off. */
static void sample_power(struct drill *d, char (*now)[8], int first)
{
	struct watch *w = &d->watch;

	for (size_t h = 0; h < d->rt->lab->n_hosts; h++) {
		snprintf(now[h], sizeof(now[h]), "%s", power_now(d, h));
		if (!first && strcmp(w->power[h], now[h]))
			power_change(d, h, w->power[h], now[h]);
	}
}

/* Then the services of a host that was and is on: compare them; else
 * start afresh (a host coming back starts all its services: that is the
 * power change). */
static void sample_services(struct drill *d, size_t h, const char *p)
{
	struct watch *w = &d->watch;
	json_t *now = NULL, *s;
	size_t i;

	if (!strcmp(p, "on"))
		now = services_now(d, h);
	if (now && w->last[h] && !strcmp(w->power[h], "on")) {
		json_array_foreach(now, i, s) {
			json_t *was = find_svc(w->last[h],
				json_string_value(json_object_get(s, "name")));
			if (was)
				svc_change(d, h, was, s);
		}
	}
	snprintf(w->power[h], sizeof(w->power[h]), "%s", p);
	if (now || strcmp(p, "on")) {
		json_decref(w->last[h]);
		w->last[h] = now;
	}
}

/* Power every time; services every SVC_EVERY-th time, or when the host's
 * power changed (a host that stops or comes back starts afresh). */
static void sample(struct drill *d, char (*power)[8], unsigned long round)
{
	struct watch *w = &d->watch;

	sample_power(d, power, round == 0);
	for (size_t h = 0; h < d->rt->lab->n_hosts; h++)
		if (round % SVC_EVERY == 0 || strcmp(w->power[h], power[h]))
			sample_services(d, h, power[h]);
}

static void *watch_main(void *arg)
{
	struct drill *d = arg;
	struct watch *w = &d->watch;
	struct timespec until;
	char (*power)[8] = zf_xcalloc(d->rt->lab->n_hosts + 1, sizeof(*power));
	unsigned long round = 0;

	clock_gettime(CLOCK_MONOTONIC, &until);
	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		pthread_mutex_unlock(&w->mu);
		sample(d, power, round++);
		until.tv_nsec += WATCH_MS * 1000000L;
		while (until.tv_nsec >= 1000000000L) {
			until.tv_nsec -= 1000000000L;
			until.tv_sec++;
		}
		pthread_mutex_lock(&w->mu);
		while (!w->stop &&
		       pthread_cond_timedwait(&w->cv, &w->mu, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&w->mu);
	free(power);
	return NULL;
}

void drill_watch_start(struct drill *d)
{
	struct watch *w = &d->watch;
	pthread_condattr_t ca;
	size_t n = d->rt->lab->n_hosts;

	w->last = zf_xcalloc(n + 1, sizeof(*w->last));
	w->power = zf_xcalloc(n + 1, sizeof(*w->power));
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);
	w->running = pthread_create(&w->thr, NULL, watch_main, d) == 0;
}

void drill_watch_stop(struct drill *d)
{
	struct watch *w = &d->watch;

	if (!w->running)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thr, NULL);
	w->running = 0;
}

void drill_watch_free(struct drill *d)
{
	struct watch *w = &d->watch;

	drill_watch_stop(d);
	if (w->last) {
		for (size_t h = 0; h < d->rt->lab->n_hosts; h++)
			json_decref(w->last[h]);
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
	}
	free(w->last);
	free(w->power);
	free(w->obs);
	memset(w, 0, sizeof(*w));
}
