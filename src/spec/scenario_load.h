/* scenario_load.h - the steps of zf_scenario_load (private to src/spec).
 *
 * Loading runs in passes over the YAML tree: the parameters and --set
 * first (every later string is expanded with them), then the top-level
 * scalars, the probes, the steps, and the stop conditions (which refer to
 * probes by name). Each step fills the scenario in place; on error the
 * caller frees the partial model with zf_scenario_free, so every step keeps
 * its counts consistent with what it has initialised.
 *
 * String values are read through zf_sl_text and friends, which expand
 * "{param}" templates before anything parses the value, and report a bad
 * or unknown placeholder at the scalar's position. */
#ifndef ZF_SPEC_SCENARIO_LOAD_H
#define ZF_SPEC_SCENARIO_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "spec/scenario.h"
#include "spec/schema.h"
#include "spec/yamltree.h"

struct zf_sl {
	struct zf_schema sc;
	struct zf_scenario *s;
	char *text;            /* expansion buffer, ZF_SCN_TEXT_MAX + 1 bytes */
};

/* "params:" (may be NULL) then SETS ("k=v", NULL-terminated, may be NULL)
 * -> s->params. A --set error is written as "--set KEY: message". */
int zf_sl_params(struct zf_sl *sl, const struct zf_ynode *params,
		 char *const *sets);

/* Expand the string node N (WHAT names it in messages) into sl->text and
 * point *OUT at it; valid until the next expansion. A null ("~", or
 * nothing after the colon) is an error: optional values are left out, not
 * written empty. */
int zf_sl_text(struct zf_sl *sl, const struct zf_ynode *n, const char *what,
	       const char **out);

/* The same into a new string *OUT (the caller frees it). */
int zf_sl_strdup(struct zf_sl *sl, const struct zf_ynode *n,
		 const char *what, char **out);

/* An expanded duration into *NS; with SCALED, divided by the time scale
 * and rounded to nanoseconds (a non-zero duration stays at least 1 ns). */
int zf_sl_duration(struct zf_sl *sl, const struct zf_ynode *n,
		   const char *what, int scaled, uint64_t *ns);

/* An expanded decimal number (strtod syntax, finite) into *OUT. */
int zf_sl_number(struct zf_sl *sl, const struct zf_ynode *n,
		 const char *what, double *out);

/* An expanded integer MIN..MAX (decimal digits only) into *OUT. */
int zf_sl_integer(struct zf_sl *sl, const struct zf_ynode *n,
		  const char *what, long long min, long long max,
		  long long *out);

/* An expanded name ([a-z0-9][a-z0-9_-]*, at most ZF_NAME_MAX) into OUT;
 * ITEM says what it names ("host"), WHAT where it is written ("'from' of
 * probe 'web'"). */
int zf_sl_name(struct zf_sl *sl, const struct zf_ynode *n, const char *item,
	       const char *what, char out[ZF_NAME_MAX + 1]);

/* "probes:" (may be NULL) -> s->probes. */
int zf_sl_probes(struct zf_sl *sl, const struct zf_ynode *probes);

/* The kind mapping N of probe P ("http: {...}", "tcp: {...}",
 * "exec: {...}", "dns: {...}"); WHAT names the probe. Sets P->kind and its
 * fields. */
int zf_sl_http(struct zf_sl *sl, struct zf_scn_probe *p,
	       const struct zf_ynode *n, const char *what);
int zf_sl_tcp(struct zf_sl *sl, struct zf_scn_probe *p,
	      const struct zf_ynode *n, const char *what);
int zf_sl_exec(struct zf_sl *sl, struct zf_scn_probe *p,
	       const struct zf_ynode *n, const char *what);
int zf_sl_dns(struct zf_sl *sl, struct zf_scn_probe *p,
	      const struct zf_ynode *n, const char *what);
/* The write kinds (scenario_probe_write.c): KIND is ZF_SCN_REDIS,
 * _ETCD, _SQL or _HTTPW; sets P->kind and P->write. */
int zf_sl_write(struct zf_sl *sl, struct zf_scn_probe *p,
		enum zf_scn_probe_kind kind, const struct zf_ynode *n,
		const char *what);
void zf_sl_write_free(struct zf_scn_write *w);

/* What is wrong with URL U ("http://HOST[:PORT][/PATH]"); NULL if
 * nothing. */
const char *zf_sl_url_problem(const char *u);
/* Is T "HOST" or "HOST:PORT": a host name or IPv4 address (syntax only)
 * and a port 1..65535? */
int zf_sl_is_host_port(const char *t);

/* "steps:" (may be NULL) -> s->steps, sorted by time (stable). */
int zf_sl_steps(struct zf_sl *sl, const struct zf_ynode *steps);

/* "stop_when:" (may be NULL) -> s->stops; needs the probes. */
int zf_sl_stops(struct zf_sl *sl, const struct zf_ynode *stops);

/* "incident:" -> s->incident, a JSON object. */
int zf_sl_incident(struct zf_sl *sl, const struct zf_ynode *incident);

/* Is NAME a metric of spec/expect.h ("availability", "p99")? */
int zf_sl_is_metric(const char *name);

/* An expectation written as the mapping entry KEY: VAL ("availability":
 * ">= 99.5%") into *OUT; errors about the metric point at KEY. */
int zf_sl_expect_pair(struct zf_sl *sl, const struct zf_ynode *key,
		      const struct zf_ynode *val, const char *what,
		      struct zf_expect *out);

/* An expectation written as one expression node N into *OUT. */
int zf_sl_expect_expr(struct zf_sl *sl, const struct zf_ynode *n,
		      const char *what, struct zf_expect *out);

#endif
