/* writes.c - a write probe's part of the run record (docs/run-json.md,
 * "Write ledger" and "Data-safety check"): its ledger and final read, the
 * check, and the facts of the probe itself ("write"): its workers, the
 * writes never sent, the values of earlier runs skipped, the settle time
 * and where the lost writes sit against the faults. */
#include "report/an.h"

/* The lost window against the faults' span F: null when nothing was lost
 * or no fault took effect. */
static json_t *lost_vs_faults(const struct zf_check *c, const struct an_faults *f)
{
	json_t *o;
	uint64_t first, last, off;

	if (!c || !c->have_lost_window || !f->have)
		return json_null();
	first = c->first_lost.invoke_ns;
	last = c->last_lost.complete_ns;
	off = f->off_ns < f->end_ns ? f->off_ns : f->end_ns;
	o = json_object();
	rj_set(o, "faults_on_s", rj_secs(f->on_ns));
	rj_set(o, "faults_off_s", rj_secs(off));
	rj_set(o, "start_after_on_s", json_real(rj_round(
		((double)first - (double)f->on_ns) / 1e9, 6)));
	rj_set(o, "end_after_on_s", json_real(rj_round(
		((double)last - (double)f->on_ns) / 1e9, 6)));
	rj_set(o, "inside", json_boolean(first >= f->on_ns && last <= off));
	return o;
}

json_t *an_write_json(const struct zf_run_probe *p, const struct an_faults *f)
{
	json_t *o = json_object();

	rj_set(o, "workers", json_integer(p->workers));
	rj_set(o, "not_sent", json_integer((json_int_t)p->not_sent));
	rj_set(o, "earlier_values", json_integer((json_int_t)p->earlier));
	rj_set(o, "settle_s", rj_secs(p->settle_ns));
	rj_set(o, "lost_vs_faults", lost_vs_faults(p->check, f));
	return o;
}

void an_write_keys(json_t *probe, const struct zf_run_probe *p,
		   const struct an_faults *f)
{
	if (!p->write)
		return;
	rj_set(probe, "write", an_write_json(p, f));
	rj_set(probe, "ledger", p->ledger ? zf_ledger_to_json(p->ledger) : json_null());
	rj_set(probe, "check", p->check ? zf_check_to_json(p->check) : json_null());
}
