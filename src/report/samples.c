/* samples.c - one sample per second of the run: what was sent in it (by
 * planned time), what was ok and good, and the latency of its ok requests. */
#include "report/an.h"

#include <stdlib.h>

#include "util/mem.h"

/* Seconds covered: the run's duration, or up to the last request when no
 * duration was given; capped at AN_SAMPLES_MAX. */
static uint64_t n_seconds(const struct an_probe *ap, uint64_t duration_ns)
{
	uint64_t n = duration_ns / AN_NS_PER_S + (duration_ns % AN_NS_PER_S != 0);

	if (duration_ns == 0 && ap->n)
		n = ap->req[ap->n - 1].planned_ns / AN_NS_PER_S + 1;
	return n > AN_SAMPLES_MAX ? AN_SAMPLES_MAX : n;
}

static json_t *sample_json(uint64_t sec, uint64_t sent, uint64_t ok,
			   uint64_t good, uint64_t *lat, size_t n_lat)
{
	json_t *o = json_object();
	struct an_lat l = { 0 };

	an_sort_u64(lat, n_lat);
	an_lat_of(lat, n_lat, &l);
	rj_set(o, "t", json_integer((json_int_t)sec));
	rj_set(o, "sent", json_integer((json_int_t)sent));
	rj_set(o, "ok", json_integer((json_int_t)ok));
	rj_set(o, "good", json_integer((json_int_t)good));
	rj_set(o, "errors", json_integer((json_int_t)(sent - ok)));
	rj_set(o, "availability", sent ? json_real(rj_percent(good, sent)) : json_null());
	rj_set(o, "p50_ms", n_lat ? json_real(l.p50) : json_null());
	rj_set(o, "p99_ms", n_lat ? json_real(l.p99) : json_null());
	rj_set(o, "max_ms", n_lat ? json_real(l.max) : json_null());
	return o;
}

json_t *an_samples_json(const struct an_probe *ap, uint64_t duration_ns)
{
	uint64_t n_sec = n_seconds(ap, duration_ns);
	uint64_t *lat = zf_xmalloc((ap->ok ? ap->ok : 1) * sizeof(*lat));
	json_t *a = json_array();
	size_t i = 0;

	for (uint64_t sec = 0; sec < n_sec; sec++) {
		uint64_t end = (sec + 1) * AN_NS_PER_S, sent = 0, ok = 0, good = 0;
		size_t n_lat = 0;

		for (; i < ap->n && ap->req[i].planned_ns < end; i++) {
			const struct zf_req *r = &ap->req[i];

			sent++;
			good += (uint64_t)an_req_good(ap, r);
			if (r->outcome == ZF_OUT_OK) {
				ok++;
				lat[n_lat++] = r->latency_ns;
			}
		}
		json_array_append_new(a, sample_json(sec, sent, ok, good, lat, n_lat));
	}
	free(lat);
	return a;
}
