/* chain.c - the observed fault chain of a run, in the catalogue's form
 * (cause) → (component failure) → (impact), from what the drill saw:
 * the first fault that took effect (the cause) and what it hit directly
 * (its scope), the faults after it, the hosts and services that then
 * changed state for the worse (the watcher's observations), and last the
 * probes that degraded, with measured figures. The incident's own chain
 * goes beside it. Also the record of every observation ("observed"). */
#include "report/an.h"
#include "report/rfmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

/* Caps that keep a chain readable; what is beyond is counted. */
#define MAX_FAULT_LINKS 6
#define MAX_CHANGE_LINKS 8
#define MAX_IMPACT_LINKS 8
#define MAX_NAMES 6
/* Observations of one kind this close together are one link. */
#define GROUP_NS (1000 * AN_NS_PER_MS)
#define TEXT_MAX 4096

/* Append to a bounded text; silently truncates. */
struct tbuf {
	char s[TEXT_MAX];
	size_t n;
};

__attribute__((format(printf, 2, 3)))
static void tb_add(struct tbuf *b, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (b->n >= sizeof(b->s) - 1)
		return;
	va_start(ap, fmt);
	w = vsnprintf(b->s + b->n, sizeof(b->s) - b->n, fmt, ap);
	va_end(ap);
	if (w > 0)
		b->n += (size_t)w < sizeof(b->s) - b->n ? (size_t)w : sizeof(b->s) - 1 - b->n;
}

static json_t *link_new(const char *kind, uint64_t at, const char *text)
{
	json_t *l = json_object();

	rj_set(l, "link", json_string(kind));
	rj_set(l, "at", rj_secs(at));
	rj_set(l, "text", rj_string(text));
	return l;
}

/* Steps that undo a fault (power-on after power-off): repairs, not links
 * of the chain. */
static int is_repair(const struct zf_run_event *e)
{
	static const char *const repairs[] = { "power-on", "link-up",
					       "route-restore", "resume" };

	for (size_t i = 0; i < sizeof(repairs) / sizeof(repairs[0]); i++)
		if (!strncmp(e->action, repairs[i], sizeof(e->action)))
			return 1;
	return 0;
}

/* Index of the first fault that took effect, or N. */
static size_t first_event(const struct zf_run_input *in, const struct an_faults *f)
{
	size_t best = f->n;

	for (size_t i = 0; i < f->n; i++)
		if (f->ev[i].effective && !is_repair(&in->events[i]) &&
		    (best == f->n || f->ev[i].start_ns < f->ev[best].start_ns))
			best = i;
	return best;
}

static void cause_links(const struct zf_run_input *in, const struct an_faults *f,
			size_t k, json_t *out)
{
	const struct zf_run_event *e = &in->events[k];
	char label[600];
	json_t *l;

	an_event_label(e, label, sizeof(label));
	l = link_new("cause", f->ev[k].start_ns, label);
	rj_set(l, "fault", rj_stringn(e->id, sizeof(e->id)));
	json_array_append_new(out, l);
	if (e->scope[0] && strncmp(e->scope, e->target, sizeof(e->scope))) {
		char text[600];
		snprintf(text, sizeof(text), "hit directly: %.*s", (int)sizeof(e->scope),
			 e->scope);
		json_array_append_new(out, link_new("failure", f->ev[k].start_ns, text));
	}
}

/* The faults after the first, in the order they took effect. */
static void later_fault_links(const struct zf_run_input *in,
			      const struct an_faults *f, size_t first, json_t *out)
{
	size_t shown = 0, more = 0;
	uint64_t last = f->ev[first].start_ns;

	for (size_t i = 0; i < f->n; i++) {
		char label[600];
		json_t *l;
		if (i == first || !f->ev[i].effective || is_repair(&in->events[i]))
			continue;
		if (shown == MAX_FAULT_LINKS) {
			more++;
			last = f->ev[i].start_ns > last ? f->ev[i].start_ns : last;
			continue;
		}
		an_event_label(&in->events[i], label, sizeof(label));
		l = link_new("fault", f->ev[i].start_ns, label);
		rj_set(l, "fault", rj_stringn(in->events[i].id, sizeof(in->events[i].id)));
		json_array_append_new(out, l);
		shown++;
	}
	if (more) {
		char text[64];
		snprintf(text, sizeof(text), "and %zu more faults", more);
		json_array_append_new(out, link_new("fault", last, text));
	}
}

/* "web-1b/nginx" or "lb-1". */
static void obs_name(const struct zf_run_obs *o, char *buf, size_t len)
{
	if (o->service[0])
		snprintf(buf, len, "%.*s/%.*s", (int)sizeof(o->host), o->host,
			 (int)sizeof(o->service), o->service);
	else
		snprintf(buf, len, "%.*s", (int)sizeof(o->host), o->host);
}

static int same_kind(const struct zf_run_obs *a, const struct zf_run_obs *b)
{
	return a->degrading && b->degrading && !strncmp(a->what, b->what, sizeof(a->what)) &&
	       !a->service[0] == !b->service[0] && b->t_ns - a->t_ns <= GROUP_NS;
}

static int same_name(const struct zf_run_obs *a, const struct zf_run_obs *b)
{
	return !strncmp(a->host, b->host, sizeof(a->host)) &&
	       !strncmp(a->service, b->service, sizeof(a->service));
}

/* The names of the observations [i, j) into B, each once (at most
 * MAX_NAMES, then "and N more"); how many distinct names there are. */
static size_t names_of(const struct zf_run_obs *o, size_t i, size_t j, struct tbuf *b)
{
	size_t names = 0;

	for (size_t k = i; k < j; k++) {
		char name[140];
		size_t seen = i;
		while (seen < k && !same_name(&o[seen], &o[k]))
			seen++;
		if (seen < k || names++ >= MAX_NAMES)
			continue;
		obs_name(&o[k], name, sizeof(name));
		tb_add(b, "%s%s", names > 1 ? ", " : "", name);
	}
	if (names > MAX_NAMES)
		tb_add(b, " and %zu more", names - MAX_NAMES);
	return names;
}

/* One link for the observations [i, j) (same kind, close together): each
 * name once, and how many times in all when some changed more than once. */
static json_t *change_link(const struct zf_run_obs *o, size_t i, size_t j)
{
	struct tbuf b = { .n = 0 };
	size_t names;

	b.s[0] = '\0';
	names = names_of(o, i, j, &b);
	tb_add(&b, " %.*s", (int)sizeof(o[i].what), o[i].what);
	if (j - i > names)
		tb_add(&b, " (%zu times in all)", j - i);
	return link_new("failure", o[i].t_ns, b.s);
}

/* A service dying and coming back: what a crash loop is made of. */
static int is_flap(const struct zf_run_obs *o)
{
	static const char *const flaps[] = { "restarted", "backoff", "exited" };

	for (size_t i = 0; o->service[0] && i < sizeof(flaps) / sizeof(flaps[0]); i++)
		if (!strncmp(o->what, flaps[i], sizeof(o->what)))
			return 1;
	return 0;
}

static size_t flaps_of(const struct zf_run_obs *o, size_t n, const struct zf_run_obs *x)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += is_flap(&o[i]) && same_name(&o[i], x);
	return c;
}

/* Services that died and came back FLAP_MIN times or more are one link,
 * "crash-looping", instead of a link per round; their observations are
 * taken out of O (N updated). */
#define FLAP_MIN 3
static void crash_loop_link(struct zf_run_obs *o, size_t *n, json_t *out)
{
	struct zf_run_obs *loop = zf_xcalloc(*n + 1, sizeof(*loop));
	size_t m = 0, k = 0;
	uint64_t last = 0;

	for (size_t i = 0; i < *n; i++) {
		if (is_flap(&o[i]) && flaps_of(o, *n, &o[i]) >= FLAP_MIN) {
			loop[m++] = o[i];
			last = o[i].t_ns;
		}
	}
	for (size_t i = 0; i < *n; i++)
		if (!(is_flap(&o[i]) && flaps_of(loop, m, &o[i]) >= FLAP_MIN))
			o[k++] = o[i];
	*n = k;
	if (m) {
		struct tbuf b = { .n = 0 };
		char from[32], to[32];
		b.s[0] = '\0';
		names_of(loop, 0, m, &b);
		rf_clock(from, sizeof(from), rj_ns_to_s(loop[0].t_ns));
		rf_clock(to, sizeof(to), rj_ns_to_s(last));
		tb_add(&b, " crash-looping (%zu deaths and restarts seen, %s to %s)", m,
		       from, to);
		json_array_append_new(out, link_new("failure", loop[0].t_ns, b.s));
	}
	free(loop);
}

/* What changed for the worse once the first fault took effect (AT ON). */
static void change_links(const struct zf_run_input *in, uint64_t on, json_t *out)
{
	struct zf_run_obs *o = zf_xcalloc(in->n_obs + 1, sizeof(*o));
	size_t n = 0, links = 0, more = 0;

	for (size_t i = 0; in->obs && i < in->n_obs; i++)
		if (in->obs[i].degrading && in->obs[i].t_ns >= on)
			o[n++] = in->obs[i];
	crash_loop_link(o, &n, out);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && same_kind(&o[i], &o[j]); j++)
			;
		if (links++ < MAX_CHANGE_LINKS)
			json_array_append_new(out, change_link(o, i, j));
		else
			more++;
	}
	if (more) {
		char text[64];
		snprintf(text, sizeof(text), "and %zu more changes", more);
		json_array_append_new(out, link_new("failure", o[n - 1].t_ns, text));
	}
	free(o);
}

/* One probe's degradation once the faults began. */
struct impact {
	size_t probe;
	uint64_t at;              /* the first bad request, or lost write */
	uint64_t requests, good;  /* planned while the faults were on */
	uint64_t outage_ns;       /* outages that began with the faults */
	size_t outages;
	uint64_t lost;
	int have_lost;
};

static void outages_after(const struct an_probe *ap, uint64_t from, struct impact *im)
{
	for (size_t k = 0; k < ap->n_out; k++) {
		const struct an_outage *o = &ap->out[k];
		if (o->start_ns < from)
			continue;
		if (!im->outages++)
			im->at = o->start_ns;
		im->outage_ns = an_add(im->outage_ns, o->end_ns - o->start_ns);
	}
}

/* Did probe AP degrade once the faults began? Outages that began before
 * (by more than a request timeout, which a request sent just before the
 * fault may still run into) are not the fault's doing. */
static int probe_impact(const struct an_probe *ap, const struct an_faults *f,
			struct impact *im)
{
	const struct zf_check *c = ap->p->check;
	uint64_t a = f->on_ns, b = f->off_ns < f->end_ns ? f->off_ns : f->end_ns;
	uint64_t from = a > ap->p->timeout_ns ? a - ap->p->timeout_ns : 0;

	if (b <= a)
		b = f->end_ns;
	an_range(ap, a, b, &im->requests, &im->good);
	outages_after(ap, from, im);
	if (c && c->have_read && c->lost) {
		im->have_lost = 1;
		im->lost = c->lost;
		if (!im->outages || (c->have_lost_window && c->first_lost.invoke_ns < im->at))
			im->at = c->have_lost_window ? c->first_lost.invoke_ns : a;
	}
	return im->outages > 0 || im->have_lost;
}

static json_t *impact_link(const struct an_probe *ap, const struct impact *im)
{
	struct tbuf b = { .n = 0 };
	char clock[32], dur[32];
	double avail = rj_percent(im->good, im->requests);
	json_t *l;

	size_t head;

	tb_add(&b, "%s: ", ap->p->name);
	head = b.n;
	if (im->outages) {
		rf_clock(clock, sizeof(clock), rj_ns_to_s(im->at));
		rf_dur(dur, sizeof(dur), rj_ns_to_s(im->outage_ns));
		tb_add(&b, "out from %s, %s in all", clock, dur);
		if (im->outages > 1)
			tb_add(&b, " (%zu outages)", im->outages);
	}
	if (im->requests) {
		rf_pct(clock, sizeof(clock), avail);
		tb_add(&b, "%s%s available during the faults", im->outages ? "; " : "", clock);
	}
	if (im->have_lost)
		tb_add(&b, "%s%llu acknowledged writes lost", b.n > head ? "; " : "",
		       (unsigned long long)im->lost);
	l = link_new("impact", im->at, b.s);
	rj_set(l, "probe", rj_string(ap->p->name));
	rj_set(l, "availability", im->requests ? json_real(rj_round(avail, 3)) : json_null());
	rj_set(l, "outage_s", im->outages ? rj_secs(im->outage_ns) : json_null());
	rj_set(l, "lost", im->have_lost ? json_integer((json_int_t)im->lost) : json_null());
	return l;
}

static int by_at(const void *a, const void *b)
{
	const struct impact *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->probe < y->probe ? -1 : x->probe > y->probe;
}

static void impact_links(const struct an_faults *f, const struct an_probe *aps,
			 size_t n, json_t *out)
{
	struct impact *im = zf_xcalloc(n + 1, sizeof(*im));
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		memset(&im[m], 0, sizeof(im[m]));
		im[m].probe = i;
		if (probe_impact(&aps[i], f, &im[m]))
			m++;
	}
	qsort(im, m, sizeof(*im), by_at);
	for (size_t k = 0; k < m && k < MAX_IMPACT_LINKS; k++)
		json_array_append_new(out, impact_link(&aps[im[k].probe], &im[k]));
	if (m > MAX_IMPACT_LINKS) {
		char text[64];
		snprintf(text, sizeof(text), "and %zu more probes degraded", m - MAX_IMPACT_LINKS);
		json_array_append_new(out, link_new("impact", im[m - 1].at, text));
	}
	if (!m)
		json_array_append_new(out, link_new("none", f->end_ns, "no probe degraded"));
	free(im);
}

/* Links between the cause and the impacts, in time order; links at the
 * same time keep the order they were added in (an insertion sort: stable,
 * and the chains are short). */
static void sort_middle(json_t *mid)
{
	size_t n = json_array_size(mid);

	for (size_t i = 1; i < n; i++) {
		json_t *l = json_incref(json_array_get(mid, i));
		double t = rj_num_or(l, "at", 0);
		size_t k = i;
		while (k > 0 && rj_num_or(json_array_get(mid, k - 1), "at", 0) > t)
			k--;
		json_array_remove(mid, i);
		json_array_insert_new(mid, k, l);
	}
}

/* "(A at 00:10.0) → (B at 00:10.0) → (C; D)": the impacts share the last
 * link's parentheses. */
static json_t *chain_text(const json_t *links)
{
	struct tbuf b = { .n = 0 };
	size_t i;
	json_t *l;
	int in_impacts = 0;

	b.s[0] = '\0';
	json_array_foreach(links, i, l) {
		const char *kind = rj_str_or(l, "link", "");
		int impact = !strcmp(kind, "impact") || !strcmp(kind, "none");
		char clock[32];
		if (impact && in_impacts) {
			tb_add(&b, "; %s", rj_str_or(l, "text", ""));
			continue;
		}
		if (i)
			tb_add(&b, ") → ");
		tb_add(&b, "(%s", rj_str_or(l, "text", ""));
		if (!impact) {
			rf_clock(clock, sizeof(clock), rj_num_or(l, "at", 0));
			tb_add(&b, " at %s", clock);
		}
		in_impacts = impact;
	}
	if (b.n)
		tb_add(&b, ")");
	return json_string(b.s);
}

static json_t *incident_chain(const struct zf_run_input *in)
{
	const char *s = json_string_value(json_object_get(in->incident, "chain"));

	return s ? rj_string(s) : json_null();
}

json_t *an_chain_json(const struct zf_run_input *in, const struct an_faults *f,
		      const struct an_probe *aps, size_t n)
{
	json_t *chain = json_object(), *links = json_array(), *mid = json_array();
	size_t first = first_event(in, f);

	if (first < f->n) {
		cause_links(in, f, first, links);
		later_fault_links(in, f, first, mid);
		change_links(in, f->ev[first].start_ns, mid);
		sort_middle(mid);
		json_array_extend(links, mid);
		impact_links(f, aps, n, links);
	}
	json_decref(mid);
	rj_set(chain, "text", first < f->n ? chain_text(links)
					    : json_string("no fault took effect"));
	rj_set(chain, "observed", links);
	rj_set(chain, "incident", incident_chain(in));
	return chain;
}

/* Every change the watcher saw, as the record keeps it. */
json_t *an_observed_json(const struct zf_run_input *in)
{
	json_t *arr = json_array();

	for (size_t i = 0; in->obs && i < in->n_obs; i++) {
		const struct zf_run_obs *o = &in->obs[i];
		json_t *j = json_object();
		rj_set(j, "t_s", rj_secs(o->t_ns));
		rj_set(j, "host", rj_stringn(o->host, sizeof(o->host)));
		rj_set(j, "service", o->service[0] ? rj_stringn(o->service, sizeof(o->service))
						   : json_null());
		rj_set(j, "what", rj_stringn(o->what, sizeof(o->what)));
		rj_set(j, "degrading", json_boolean(o->degrading));
		json_array_append_new(arr, j);
	}
	return arr;
}
