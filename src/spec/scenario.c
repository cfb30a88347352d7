/* scenario.c - load a scenario file into a validated model: the top-level
 * keys (name, title, class, cost, seed, warm-up and cool-down), the order of
 * the passes, reading the file; lookups; free. */
#include "spec/scenario.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spec/scenario_load.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"

#define SCN_NAME_MAX 63       /* sizeof(zf_scenario.name) - 1 */
#define SCN_LABS_MAX 8
#define SCN_TOP_KEYS "'scenario' and 'class'"

enum top_field { F_SCENARIO, F_TITLE, F_CLASS, F_LAB, F_INCIDENT, F_PARAMS, F_COST,
		 F_SEED, F_PROBES, F_WARMUP, F_STEPS, F_COOLDOWN, F_STOP_WHEN,
		 F_COUNT };

static const char *const classes[] = { "power", "hardware", "software",
				       "network" };

static int parse_name(struct zf_sl *sl, const struct zf_ynode *n)
{
	const char *t;
	size_t len;
	int rc = zf_sl_text(sl, n, "'scenario'", &t);

	if (rc < 0)
		return rc;
	len = strlen(t);
	if (len == 0 || len > SCN_NAME_MAX || t[0] == '-' ||
	    strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789-") != len)
		return zf_sc_err(&sl->sc, n->mark, "invalid scenario name "
				 "'%.64s': use lowercase letters, digits and "
				 "'-', starting with a letter or digit, at most "
				 "%d characters", t, SCN_NAME_MAX);
	memcpy(sl->s->name, t, len + 1);
	return 0;
}

static int parse_class(struct zf_sl *sl, const struct zf_ynode *n)
{
	const char *t;
	int rc = zf_sl_text(sl, n, "'class'", &t);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < sizeof(classes) / sizeof(*classes); i++) {
		if (strcmp(t, classes[i]) == 0) {
			memcpy(sl->s->klass, t, strlen(t) + 1);
			return 0;
		}
	}
	return zf_sc_err(&sl->sc, n->mark, "expected 'class' to be power, "
			 "hardware, software or network, got '%.64s'", t);
}

/* "cost: { per_hour: N, currency: XYZ }". */
static int parse_cost(struct zf_sl *sl, const struct zf_ynode *m)
{
	struct zf_sc_field f[] = { { .name = "per_hour" },
				   { .name = "currency" } };
	struct zf_scenario *s = sl->s;
	const char *t;
	int rc = zf_sc_fields(&sl->sc, m, "'cost'", f, 2);

	if (rc == 0)
		rc = zf_sc_require(&sl->sc, m, "'cost'", &f[0]);
	if (rc == 0)
		rc = zf_sl_number(sl, f[0].val, "'per_hour'",
				  &s->cost_per_hour);
	if (rc == 0 && s->cost_per_hour <= 0)
		rc = zf_sc_err(&sl->sc, f[0].val->mark, "'per_hour' must be "
			       "more than 0");
	if (rc < 0 || !f[1].val)
		return rc;
	rc = zf_sl_text(sl, f[1].val, "'currency'", &t);
	if (rc == 0 && (strlen(t) != 3 ||
			strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3))
		rc = zf_sc_err(&sl->sc, f[1].val->mark, "expected a 3-letter "
			       "currency code like USD or EUR for 'currency', "
			       "got '%.64s'", t);
	if (rc == 0)
		memcpy(s->currency, t, 4);
	return rc;
}

static int parse_seed(struct zf_sl *sl, const struct zf_ynode *n)
{
	long long v;
	int rc = zf_sl_integer(sl, n, "'seed'", 1, INT64_MAX, &v);

	if (rc == 0) {
		sl->s->seed = (uint64_t)v;
		sl->s->has_seed = 1;
	}
	return rc;
}

/* "lab: FILE" or "lab: [FILE, ...]" (1..SCN_LABS_MAX non-empty strings)
 * -> s->labs. Documentation only: nothing here opens the files. */
static int parse_labs(struct zf_sl *sl, const struct zf_ynode *n)
{
	const struct zf_ynode *item;
	size_t count = n->kind == ZF_YSEQ ? n->n : 1;
	int rc = 0;

	if (n->kind == ZF_YMAP || count == 0 || count > SCN_LABS_MAX)
		return zf_sc_err(&sl->sc, n->kind == ZF_YSEQ && count ?
				 n->kids[SCN_LABS_MAX]->mark : n->mark,
				 "expected a lab file or a list of 1 to %d for "
				 "'lab'", SCN_LABS_MAX);
	sl->s->labs = zf_xcalloc(count + 1, sizeof(*sl->s->labs));
	for (size_t i = 0; rc == 0 && i < count; i++) {
		item = n->kind == ZF_YSEQ ? n->kids[i] : n;
		rc = zf_sl_strdup(sl, item, "'lab'", &sl->s->labs[i]);
		if (rc == 0 && sl->s->labs[i][0] == '\0')
			rc = zf_sc_err(&sl->sc, item->mark, "expected a lab "
				       "file for 'lab', got an empty string");
	}
	return rc;
}

/* Name, title, class, lab, incident, cost and seed (the parameters are known). */
static int parse_head(struct zf_sl *sl, const struct zf_sc_field *f)
{
	struct zf_scenario *s = sl->s;
	int rc = parse_name(sl, f[F_SCENARIO].val);

	if (rc == 0)
		rc = parse_class(sl, f[F_CLASS].val);
	if (rc == 0 && !zf_sc_absent(f[F_TITLE].val))
		rc = zf_sl_strdup(sl, f[F_TITLE].val, "'title'", &s->title);
	if (rc == 0 && !s->title)
		s->title = zf_xstrdup(s->name);
	if (rc == 0 && !zf_sc_absent(f[F_LAB].val))
		rc = parse_labs(sl, f[F_LAB].val);
	if (rc == 0 && !zf_sc_absent(f[F_INCIDENT].val))
		rc = zf_sl_incident(sl, f[F_INCIDENT].val);
	if (rc == 0 && !zf_sc_absent(f[F_COST].val))
		rc = parse_cost(sl, f[F_COST].val);
	if (rc == 0 && f[F_SEED].val)
		rc = parse_seed(sl, f[F_SEED].val);
	return rc;
}

/* The top-level mapping ROOT, in passes (see scenario_load.h). */
static int parse_top(struct zf_sl *sl, const struct zf_ynode *root,
		     char *const *sets)
{
	struct zf_sc_field f[F_COUNT] = {
		[F_SCENARIO] = { .name = "scenario" },
		[F_TITLE] = { .name = "title" }, [F_CLASS] = { .name = "class" },
		[F_LAB] = { .name = "lab" },
		[F_INCIDENT] = { .name = "incident" },
		[F_PARAMS] = { .name = "params" }, [F_COST] = { .name = "cost" },
		[F_SEED] = { .name = "seed" }, [F_PROBES] = { .name = "probes" },
		[F_WARMUP] = { .name = "warmup" },
		[F_STEPS] = { .name = "steps" },
		[F_COOLDOWN] = { .name = "cooldown" },
		[F_STOP_WHEN] = { .name = "stop_when" },
	};
	const char *what = "the scenario file";
	int rc = zf_sc_fields(&sl->sc, root, what, f, F_COUNT);

	if (rc == 0)
		rc = zf_sc_require(&sl->sc, root, what, &f[F_SCENARIO]);
	if (rc == 0)
		rc = zf_sc_require(&sl->sc, root, what, &f[F_CLASS]);
	if (rc == 0)
		rc = zf_sl_params(sl, f[F_PARAMS].val, sets);
	if (rc == 0)
		rc = parse_head(sl, f);
	if (rc == 0 && f[F_WARMUP].val)
		rc = zf_sl_duration(sl, f[F_WARMUP].val, "'warmup'", 1,
				    &sl->s->warmup_ns);
	if (rc == 0 && f[F_COOLDOWN].val)
		rc = zf_sl_duration(sl, f[F_COOLDOWN].val, "'cooldown'", 1,
				    &sl->s->cooldown_ns);
	if (rc == 0)
		rc = zf_sl_probes(sl, f[F_PROBES].val);
	if (rc == 0)
		rc = zf_sl_steps(sl, f[F_STEPS].val);
	if (rc == 0)
		rc = zf_sl_stops(sl, f[F_STOP_WHEN].val);
	return rc;
}

static int parse_doc(struct zf_sl *sl, const struct zf_ydoc *doc,
		     char *const *sets)
{
	const struct zf_ynode *root = zf_ydoc_root(doc);

	if (!root || zf_ynode_is_null(root))
		return zf_sc_err(&sl->sc, root ? root->mark : zf_ydoc_end(doc),
				 "empty file: expected a mapping with "
				 SCN_TOP_KEYS);
	if (root->kind != ZF_YMAP)
		return zf_sc_err(&sl->sc, root->mark, "expected a mapping with "
				 SCN_TOP_KEYS " at the top of the file, got %s",
				 zf_ynode_kind_name(root));
	return parse_top(sl, root, sets);
}

static struct zf_scenario *new_scenario(const char *name, double time_scale)
{
	struct zf_scenario *s = zf_xcalloc(1, sizeof(*s));

	s->path = zf_xstrdup(name);
	s->time_scale = time_scale;
	memcpy(s->currency, "USD", sizeof("USD"));
	return s;
}

/* Error unless TIME_SCALE is a finite number >= 1. */
static int check_scale(double time_scale, char *err, size_t errlen)
{
	if (time_scale >= 1.0 && isfinite(time_scale))
		return 0;
	if (err && errlen)
		zf_fmt(err, errlen, "--time-scale must be >= 1%s",
		       time_scale >= 1.0 ? " and finite" : "");
	return -EINVAL;
}

int zf_scenario_load_buffer(const char *name, const char *buf, size_t len,
			    char *const *sets, double time_scale,
			    struct zf_scenario **out, char *err, size_t errlen)
{
	struct zf_sl sl = { .sc = { name, err, errlen } };
	struct zf_ydoc *doc = NULL;
	int rc = check_scale(time_scale, err, errlen);

	if (rc < 0)
		return rc;
	if (len > ZF_SCN_FILE_MAX) {
		zf_sc_err(&sl.sc, (struct zf_mark){ 0, 0 }, "file is larger "
			  "than %u bytes", ZF_SCN_FILE_MAX);
		return -EFBIG;
	}
	rc = zf_ydoc_parse(name, buf, len, &doc, err, errlen);
	if (rc < 0)
		goto out;
	sl.s = new_scenario(name, time_scale);
	sl.text = zf_xmalloc(ZF_SCN_TEXT_MAX + 1);
	rc = parse_doc(&sl, doc, sets);
	if (rc < 0)
		goto out;
	*out = sl.s;
	sl.s = NULL;
out:
	free(sl.text);
	zf_scenario_free(sl.s);
	zf_ydoc_free(doc);
	return rc;
}

int zf_scenario_load(const char *path, char *const *sets, double time_scale,
		     struct zf_scenario **out, char *err, size_t errlen)
{
	struct zf_schema sc = { path, err, errlen };
	char *buf = NULL;
	size_t len = 0;
	int rc = check_scale(time_scale, err, errlen);

	if (rc < 0)
		return rc;
	rc = zf_read_file(path, ZF_SCN_FILE_MAX, &buf, &len);
	if (rc == -EFBIG)
		zf_sc_err(&sc, (struct zf_mark){ 0, 0 }, "file is larger than "
			  "%u bytes", ZF_SCN_FILE_MAX);
	else if (rc < 0)
		zf_sc_err(&sc, (struct zf_mark){ 0, 0 }, "cannot read: %s",
			  strerror(-rc));
	if (rc == 0)
		rc = zf_scenario_load_buffer(path, buf, len, sets, time_scale,
					     out, err, errlen);
	free(buf);
	return rc;
}

static void free_probe(struct zf_scn_probe *p)
{
	free(p->url);
	free(p->body);
	free(p->connect);
	free(p->send);
	free(p->expect);
	zf_strv_free(p->argv);
	free(p->dns_name);
	zf_strv_free(p->dns_addrs);
	zf_sl_write_free(p->write);
	free(p->expects);
}

void zf_scenario_free(struct zf_scenario *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_probes; i++)
		free_probe(&s->probes[i]);
	for (size_t i = 0; i < s->n_steps; i++) {
		free(s->steps[i].target);
		free(s->steps[i].args);
	}
	free(s->stops);
	free(s->steps);
	free(s->probes);
	zf_strv_free(s->labs);
	json_decref(s->incident);
	json_decref(s->params);
	free(s->title);
	free(s->path);
	free(s);
}

int zf_scenario_find_probe(const struct zf_scenario *s, const char *name)
{
	for (size_t i = 0; i < s->n_probes; i++)
		if (strcmp(s->probes[i].name, name) == 0)
			return (int)i;
	return -1;
}
