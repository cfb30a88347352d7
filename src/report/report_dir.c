/* report_dir.c - a run directory: writing the record and its reports
 * (each file replaced atomically), and reading the record back. */
#include "report/render.h"
#include "report/rj.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/fsutil.h"
#include "util/log.h"

#define RUN_JSON_MAX (256u << 20)

typedef int (*render_fn)(json_t *run, FILE *out);

static int render_json(json_t *run, FILE *out)
{
	return json_dumpf(run, out, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) < 0 ?
	       -EIO : 0;
}

/* Render with FN into memory, then replace DIR/NAME with it. */
static int write_one(json_t *run, const char *dir, const char *name,
		     render_fn fn, char *err, size_t errlen)
{
	char path[PATH_MAX], *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int rc;

	if (zf_fmt(path, sizeof(path), "%s/%s", dir, name)) {
		snprintf(err, errlen, "%s/%s: path too long", dir, name);
		return -ENAMETOOLONG;
	}
	mem = open_memstream(&buf, &len);
	if (!mem) {
		rc = -errno;
		goto out;
	}
	rc = fn(run, mem);
	if (fn == render_json && rc == 0)
		fputc('\n', mem);
	if (fclose(mem) != 0 && rc == 0)
		rc = -EIO;
	if (rc == 0)
		rc = zf_write_file(path, buf, len, 0644);
out:
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	free(buf);
	return rc;
}

int zf_report_write_dir(json_t *run, const char *dir, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		render_fn fn;
	} files[] = {
		{ "run.json", render_json },
		{ "report.md", zf_render_markdown },
		{ "report.html", zf_render_html },
		{ "junit.xml", zf_render_junit },
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int rc = write_one(run, dir, files[i].name, files[i].fn, err, errlen);

		if (rc < 0)
			return rc;
	}
	return 0;
}

int zf_report_parse(const char *buf, size_t len, json_t **run, char *err,
		    size_t errlen)
{
	json_error_t jerr;
	json_t *root = json_loadb(buf, len, 0, &jerr);
	double version;

	if (!root) {
		snprintf(err, errlen, "line %d, column %d: %s", jerr.line,
			 jerr.column, jerr.text);
		return -EINVAL;
	}
	if (!json_is_object(root)) {
		snprintf(err, errlen, "not a run record: the top level is not an object");
		goto bad;
	}
	if (!json_is_integer(json_object_get(root, "zonefall_run")) ||
	    !rj_num(root, "zonefall_run", &version) || version != 1) {
		snprintf(err, errlen, "not a run record of this version: "
			 "\"zonefall_run\": 1 is missing");
		goto bad;
	}
	*run = root;
	return 0;
bad:
	json_decref(root);
	return -EINVAL;
}

int zf_report_load(const char *dir, json_t **run, char *err, size_t errlen)
{
	char path[PATH_MAX], msg[256], *buf = NULL;
	struct stat st;
	size_t len = 0;
	int rc;

	if (zf_fmt(path, sizeof(path), "%s/run.json", dir)) {
		snprintf(err, errlen, "%s/run.json: path too long", dir);
		return -ENAMETOOLONG;
	}
	/* a first look at the size, so an oversize file is not read at all;
	 * zf_read_file enforces the cap in any case */
	rc = stat(path, &st) < 0 ? -errno : st.st_size > RUN_JSON_MAX ? -EFBIG : 0;
	if (rc == 0)
		rc = zf_read_file(path, RUN_JSON_MAX, &buf, &len);
	if (rc == -EFBIG) {
		snprintf(err, errlen, "%s: larger than %u MiB", path, RUN_JSON_MAX >> 20);
		return rc;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = zf_report_parse(buf, len, run, msg, sizeof(msg));
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", path, msg);
	free(buf);
	return rc;
}
