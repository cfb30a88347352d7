/* fuzz_scenario.c - libFuzzer target: any bytes through the scenario loader
 * (capped YAML tree, schema, parameters and --set, templates, durations and
 * time scaling, probes, expectations, steps, stop conditions, incident
 * JSON). Each input is loaded twice: as written, and with two --set values
 * and a time scale. The loader must either build a consistent model or
 * fail with a message naming the file (or the --set); never crash, leak,
 * or read outside the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spec/scenario.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_probe(const struct zf_scn_probe *p)
{
	if (p->kind == ZF_SCN_HTTP && (!p->url || strncmp(p->url, "http://", 7)))
		ZF_BUG("http probe '%s' without a URL", p->name);
	if (p->kind == ZF_SCN_TCP && !p->connect)
		ZF_BUG("tcp probe '%s' without connect", p->name);
	if (p->kind == ZF_SCN_EXEC && (!p->argv || !p->argv[0]))
		ZF_BUG("exec probe '%s' without a command", p->name);
	if (zf_scn_is_write(p->kind) != (p->write != NULL) ||
	    (p->write && p->kind != ZF_SCN_HTTPW &&
	     (!p->write->nodes || !p->write->nodes[0] || !p->write->key)) ||
	    (p->write && p->kind == ZF_SCN_HTTPW &&
	     (!p->write->url || !p->write->read_url)) ||
	    (p->write && (p->workers < 1 || p->workers > 256)))
		ZF_BUG("write probe '%s' incomplete", p->name);
	for (size_t i = 0; !zf_scn_is_write(p->kind) && i < p->n_expects; i++)
		if (p->expects[i].data != ZF_DM_NONE)
			ZF_BUG("data-safety expectation on probe '%s', which "
			       "writes nothing", p->name);
	if (!(p->rate > 0) || p->timeout_ns == 0 || p->slow_ns == 0 ||
	    p->n_expects > ZF_SCN_MAX_EXPECTS || !p->from[0])
		ZF_BUG("probe '%s' out of its limits", p->name);
}

/* Touch the model the way the engine will, checking its invariants. */
static void check(const struct zf_scenario *s)
{
	for (size_t i = 0; i < s->n_probes; i++)
		check_probe(&s->probes[i]);
	for (size_t i = 0; i < s->n_steps; i++) {
		if (!s->steps[i].target || !s->steps[i].args ||
		    !s->steps[i].action[0])
			ZF_BUG("step %zu incomplete", i);
		if (i > 0 && s->steps[i].at_ns < s->steps[i - 1].at_ns)
			ZF_BUG("steps not sorted at %zu", i);
	}
	for (size_t i = 0; i < s->n_stops; i++)
		if (zf_scenario_find_probe(s, s->stops[i].probe) < 0)
			ZF_BUG("stop condition %zu names no probe", i);
	if (!s->title || !s->name[0] || !s->klass[0] || !s->params)
		ZF_BUG("scenario head incomplete");
	free(json_dumps(s->incident ? s->incident : s->params, 0));
}

static void load(const uint8_t *data, size_t size, char *const *sets,
		 double scale)
{
	struct zf_scenario *s = NULL;
	char err[512];
	int rc;

	rc = zf_scenario_load_buffer("fuzz.yaml", (const char *)data, size,
				     sets, scale, &s, err, sizeof(err));
	if (rc == 0) {
		check(s);
		zf_scenario_free(s);
	} else if (strncmp(err, "fuzz.yaml:", 10) != 0 &&
		   strncmp(err, "--set ", 6) != 0) {
		ZF_BUG("error without the file name: %s", err);
	} else if (s) {
		ZF_BUG("output set on error");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *sets[] = { "zone=r1/b", "outage=5s", NULL };

	load(data, size, NULL, 1.0);
	load(data, size, sets, 7.5);
	return 0;
}
