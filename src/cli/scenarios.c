/* scenarios.c - `zonefall scenarios [SUBDIR]` and `zonefall incidents`: the
 * scenario library as a table (or JSON), every file loaded and validated on
 * the way, so the command doubles as "every scenario validates". Also where
 * the library is (zf_cli_library), for `run NAME`. */
#include "cli/cli.h"
#include "spec/library.h"
#include "spec/scenario.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/text.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#ifdef ZF_SOURCE_DIR
#define BUILTIN_LIBRARY ZF_SOURCE_DIR "/scenarios"
#else
#define BUILTIN_LIBRARY NULL
#endif

#define INCIDENTS "incidents"
#define LAB_WIDTH_MAX 32

const char *zf_cli_library(const char *opt)
{
	return zf_library_locate(opt, getenv("ZF_SCENARIOS"), BUILTIN_LIBRARY);
}

/* One scenario file of the library, loaded or not. */
struct row {
	const char *id, *path;        /* the library's */
	struct zf_scenario *s;        /* NULL: invalid, see err */
	char err[1024];
};

struct listing {
	const char *under;            /* NULL: the whole library */
	struct zf_library lib;
	struct row *rows;
	size_t n_invalid, n_incidents;
};

/* Parse the command's own words: --library DIR, and for `scenarios` an
 * optional SUBDIR. Returns 0 or an exit code (reported). */
static int parse(const struct zf_cmd *cmd, int argc, char **argv,
		 const char **library, const char **under)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--library") && i + 1 < argc)
			*library = argv[++i];
		else if (!strncmp(a, "--library=", 10))
			*library = a + 10;
		else if (a[0] == '-')
			return zf_cli_usage(cmd, "bad option or value: '%s'", a);
		else if (*under)
			return zf_cli_usage(cmd, "one directory at a time "
					    "('%s'?)", a);
		else
			*under = a;
	}
	if (*under && !zf_library_valid_id(*under))
		return zf_cli_usage(cmd, "'%s' is not a directory of the "
				    "library (e.g. generic, incidents)", *under);
	return 0;
}

/* Load every file of L's library into its rows. */
static void load_rows(struct listing *l)
{
	l->rows = zf_xcalloc(l->lib.n + 1, sizeof(*l->rows));
	for (size_t i = 0; i < l->lib.n; i++) {
		struct row *r = &l->rows[i];

		r->id = l->lib.ids[i];
		r->path = l->lib.paths[i];
		if (zf_scenario_load(r->path, NULL, 1.0, &r->s, r->err,
				     sizeof(r->err)) < 0) {
			r->s = NULL;
			l->n_invalid++;
		} else if (r->s->incident) {
			l->n_incidents++;
		}
	}
}

static void free_listing(struct listing *l)
{
	for (size_t i = 0; l->rows && i < l->lib.n; i++)
		zf_scenario_free(l->rows[i].s);
	free(l->rows);
	zf_library_free(&l->lib);
}

/* ---- text ---- */

/* V (a value of the incident block) as text appended to T: strings as
 * they are, lists joined with " → ", anything else as compact JSON. */
static void add_value(struct zf_text *t, const json_t *v)
{
	char *js;

	if (!v) {
		zf_text_add(t, "?");
	} else if (json_is_string(v)) {
		zf_text_add(t, "%s", json_string_value(v));
	} else if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++) {
			zf_text_add(t, "%s", i ? " → " : "");
			add_value(t, json_array_get(v, i));
		}
	} else if ((js = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY))) {
		zf_text_add(t, "%s", js);
		free(js);
	}
}

/* The labs of S joined with ", " into T: its "lab:", else the incident
 * block's "lab", else "-". */
static void add_labs(struct zf_text *t, const struct zf_scenario *s)
{
	const json_t *v = s->incident ? json_object_get(s->incident, "lab") :
					NULL;

	for (size_t i = 0; s->labs && s->labs[i]; i++)
		zf_text_add(t, "%s%s", i ? ", " : "", s->labs[i]);
	if (!s->labs && v)
		add_value(t, v);
	else if (!s->labs)
		zf_text_add(t, "-");
}

/* The incident lines under a row: provider, date, real duration; chain. */
static void print_incident(const json_t *inc, int indent)
{
	struct zf_text t = { 0 };

	add_value(&t, json_object_get(inc, "provider"));
	zf_text_add(&t, ", ");
	add_value(&t, json_object_get(inc, "date"));
	zf_text_add(&t, "; lasted ");
	add_value(&t, json_object_get(inc, "duration"));
	printf("%*s%s\n", indent, "", zf_text_str(&t));
	zf_text_reset(&t);
	add_value(&t, json_object_get(inc, "chain"));
	printf("%*schain: %s\n", indent, "", zf_text_str(&t));
	zf_text_free(&t);
}

static int id_width(const struct listing *l)
{
	size_t w = 2;

	for (size_t i = 0; i < l->lib.n; i++)
		if (strlen(l->rows[i].id) > w)
			w = strlen(l->rows[i].id);
	return (int)w;
}

/* The widest lab text of L's valid rows, 3..LAB_WIDTH_MAX (a longer one
 * pushes its own row's title to the right). */
static int lab_width(const struct listing *l)
{
	struct zf_text t = { 0 };
	size_t w = 3;

	for (size_t i = 0; i < l->lib.n; i++) {
		if (!l->rows[i].s)
			continue;
		zf_text_reset(&t);
		add_labs(&t, l->rows[i].s);
		if (t.len > w)
			w = t.len < LAB_WIDTH_MAX ? t.len : LAB_WIDTH_MAX;
	}
	zf_text_free(&t);
	return (int)w;
}

static void print_row(const struct row *r, int idw, int labw)
{
	struct zf_text t = { 0 };

	if (!r->s) {
		printf("%-*s  %-8s  %s\n", idw, r->id, "INVALID", r->err);
		return;
	}
	add_labs(&t, r->s);
	printf("%-*s  %-8s  %-*s  %s\n", idw, r->id, r->s->klass, labw,
	       zf_text_str(&t), r->s->title);
	zf_text_free(&t);
	if (r->s->incident)
		print_incident(r->s->incident, idw + 2);
}

static void print_table(const struct listing *l)
{
	int idw = id_width(l), labw = lab_width(l);

	if (l->lib.n == 0) {
		printf("no scenarios in %s%s%s\n", l->lib.dir,
		       l->under ? "/" : "", l->under ? l->under : "");
		return;
	}
	printf("%-*s  %-8s  %-*s  %s\n", idw, "ID", "CLASS", labw, "LAB",
	       "TITLE");
	for (size_t i = 0; i < l->lib.n; i++)
		print_row(&l->rows[i], idw, labw);
	printf("\n%zu scenario%s (%zu from the incident catalogue) in %s",
	       l->lib.n, l->lib.n == 1 ? "" : "s", l->n_incidents, l->lib.dir);
	if (l->n_invalid)
		printf("; %zu INVALID", l->n_invalid);
	printf("\n");
}

/* ---- JSON ---- */

/* A JSON string, or null when S is NULL or not UTF-8. */
static json_t *jstr(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;

	return v ? v : json_null();
}

static json_t *labs_json(const struct zf_scenario *s)
{
	json_t *a = json_array();
	const json_t *v = s->incident ? json_object_get(s->incident, "lab") :
					NULL;

	for (size_t i = 0; s->labs && s->labs[i]; i++)
		json_array_append_new(a, jstr(s->labs[i]));
	if (!s->labs && json_is_string(v))
		json_array_append_new(a, json_incref((json_t *)v));
	return a;
}

static json_t *row_json(const struct row *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", jstr(r->id));
	json_object_set_new(o, "path", jstr(r->path));
	json_object_set_new(o, "valid", json_boolean(r->s != NULL));
	if (!r->s) {
		json_object_set_new(o, "error", jstr(r->err));
		return o;
	}
	json_object_set_new(o, "name", jstr(r->s->name));
	json_object_set_new(o, "class", jstr(r->s->klass));
	json_object_set_new(o, "title", jstr(r->s->title));
	json_object_set_new(o, "labs", labs_json(r->s));
	json_object_set_new(o, "incident", r->s->incident ?
			    json_incref(r->s->incident) : json_null());
	return o;
}

static void print_json(const struct listing *l)
{
	json_t *o = json_object(), *a = json_array();

	for (size_t i = 0; i < l->lib.n; i++)
		json_array_append_new(a, row_json(&l->rows[i]));
	json_object_set_new(o, "library", jstr(l->lib.dir));
	json_object_set_new(o, "under", jstr(l->under));
	json_object_set_new(o, "count", json_integer((json_int_t)l->lib.n));
	json_object_set_new(o, "incidents",
			    json_integer((json_int_t)l->n_incidents));
	json_object_set_new(o, "invalid",
			    json_integer((json_int_t)l->n_invalid));
	json_object_set_new(o, "scenarios", a);
	json_dumpf(o, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(o);
}

/* ---- the commands ---- */

static int list(struct zf_cli *cli, const char *dir, const char *under)
{
	struct listing l = { .under = under };
	char err[1024];
	int rc = zf_library_list(dir, under, &l.lib, err, sizeof(err));

	if (rc == -ENOENT || rc == -ENOTDIR) {
		zf_error("no scenario library at %s: give --library DIR or set "
			 "ZF_SCENARIOS", dir);
		return ZF_EXIT_USAGE;
	}
	if (rc < 0) {
		zf_error("%s", err);
		return zf_cli_exit(rc);
	}
	load_rows(&l);
	if (cli->json)
		print_json(&l);
	else
		print_table(&l);
	for (size_t i = 0; i < l.lib.n; i++)
		if (!l.rows[i].s)
			zf_error("%s", l.rows[i].err);
	rc = l.n_invalid ? ZF_EXIT_USAGE : ZF_EXIT_OK;
	free_listing(&l);
	return rc;
}

static int run_scenarios(struct zf_cli *cli, int argc, char **argv)
{
	const char *library = NULL, *under = NULL;
	int rc = parse(&zf_cmd_scenarios, argc, argv, &library, &under);
	char sub[PATH_MAX];

	if (rc)
		return rc;
	library = zf_cli_library(library);
	if (under && zf_fmt(sub, sizeof(sub), "%s/%s", library, under) == 0 &&
	    zf_exists(library) && !zf_exists(sub))
		return zf_cli_usage(&zf_cmd_scenarios, "no directory '%s' in "
				    "the library %s", under, library);
	return list(cli, library, under);
}

static int run_incidents(struct zf_cli *cli, int argc, char **argv)
{
	const char *library = NULL, *under = NULL;
	int rc = parse(&zf_cmd_incidents, argc, argv, &library, &under);

	if (rc == 0 && under)
		rc = zf_cli_usage(&zf_cmd_incidents, "no directory here: "
				  "incidents lists %s/ ('%s'?)", INCIDENTS,
				  under);
	return rc ? rc : list(cli, zf_cli_library(library), INCIDENTS);
}

#define LIBRARY_HELP \
	"The library is --library DIR, else $ZF_SCENARIOS, else the scenarios/\n" \
	"directory of the source tree zonefall was built from (when it is\n" \
	"there), else ./scenarios. A scenario's id is its path in the library\n" \
	"without .yaml; `zonefall run ID --lab LAB` runs it by that id.\n"

const struct zf_cmd zf_cmd_scenarios = {
	.name = "scenarios",
	.run = run_scenarios,
	.summary = "list the scenario library, validating every file",
	.help =
	"usage: zonefall scenarios [SUBDIR] [--library DIR] [--json]\n\n"
	"Lists every scenario file of the library (or of its SUBDIR, e.g.\n"
	"generic): id, class, the example lab it is written for (its 'lab:'\n"
	"key) and title; for a scenario from the incident catalogue also the\n"
	"provider, date, real duration and fault chain of its 'incident:'\n"
	"block. Every file is loaded as `run` would load it (without a lab):\n"
	"a file that does not validate is listed as INVALID with its\n"
	"FILE:LINE:COL error and the command exits 2, so it doubles as a check\n"
	"that the whole library validates.\n\n"
	LIBRARY_HELP "\n"
	"  --library DIR   the library's directory\n"
	"  --json          {library, count, incidents, invalid, scenarios: [{id,\n"
	"                  path, valid, error | name, class, title, labs,\n"
	"                  incident}]}\n\n"
	"Examples:\n"
	"  zonefall scenarios                      the whole library\n"
	"  zonefall scenarios generic              only generic/\n"
	"  zonefall scenarios --library ~/drills   your own library\n"
	"  zonefall scenarios --json | jq -r '.scenarios[].id'\n"
	"  zonefall run generic/zone-power-loss --lab labs/demo.yaml\n\n"
	"Exit: 0 every scenario validates, 2 one does not (or no library).\n",
};

const struct zf_cmd zf_cmd_incidents = {
	.name = "incidents",
	.run = run_incidents,
	.summary = "list the incident library (scenarios/incidents/)",
	.help =
	"usage: zonefall incidents [--library DIR] [--json]\n\n"
	"`zonefall scenarios incidents`: the scenarios that replay a real\n"
	"outage of the catalogue, each with its provider, date, real duration\n"
	"and fault chain as the source states it, and the example lab it runs\n"
	"on. Real durations are kept in the files; compress them with\n"
	"`run --time-scale N`.\n\n"
	LIBRARY_HELP "\n"
	"  --library DIR   the library's directory\n"
	"  --json          as `zonefall scenarios --json`\n\n"
	"Examples:\n"
	"  zonefall incidents\n"
	"  zonefall run incidents/alibaba-sg-2024-fire --lab LAB \\\n"
	"      --set zone=r1/a --time-scale 60\n\n"
	"Exit: 0 every incident scenario validates, 2 one does not.\n",
};
