/* fuzz_runjson.c - libFuzzer target for the run record reader and every
 * renderer: arbitrary bytes go through zf_report_parse (json_loadb and the
 * sanity check); when they parse (or, failing the check, are at least a
 * JSON object, which is then rendered anyway) the terminal summary,
 * report.md, report.html and junit.xml are rendered to /dev/null. Renderers
 * must treat missing and wrongly typed keys as absent, never crash. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report/render.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink(void)
{
	static FILE *null;

	if (!null)
		null = fopen("/dev/null", "w");
	if (!null)
		ZF_BUG("cannot open /dev/null");
	return null;
}

static void render_all(json_t *run)
{
	FILE *out = sink();

	zf_render_terminal(run, out, 1);
	zf_render_terminal_dir(run, "/runs/x", out, 0);
	if (zf_render_markdown(run, out) < 0 || zf_render_html(run, out) < 0 ||
	    zf_render_junit(run, out) < 0)
		ZF_BUG("a renderer failed on /dev/null");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *run = NULL;
	json_error_t jerr;
	char err[256];

	if (zf_report_parse((const char *)data, size, &run, err, sizeof(err)) == 0) {
		render_all(run);
		json_decref(run);
		return 0;
	}
	if (strlen(err) >= sizeof(err))
		ZF_BUG("unterminated error");
	/* not a run record: render whatever JSON it is all the same */
	run = json_loadb((const char *)data, size, 0, &jerr);
	if (run) {
		render_all(run);
		json_decref(run);
	}
	return 0;
}
