/* fuzz_split.c - libFuzzer target for the small string parsers: command
 * splitting, template expansion of every word, durations (which must round
 * trip through zf_duration_format), and selectors against a fixed lab. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spec/duration.h"
#include "spec/selector.h"
#include "spec/split.h"
#include "spec/template.h"
#include "util/log.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char lab_yaml[] =
	"lab: fz\nregions: { r1: { zones: [a, b] }, r2: { zones: [a] } }\n"
	"clients: [user1]\nhosts:\n"
	"  web-a: { zone: r1/a, services: { nginx: { run: n } } }\n"
	"  db-a: { zone: r2/a, services: { pg: { run: p }, bk: { run: b, "
	"after: pg } } }\n";

static struct zf_lab *fixed_lab(void)
{
	static struct zf_lab *lab;
	char err[256];

	if (!lab && zf_lab_load_buffer("fz.yaml", "/", lab_yaml,
				       sizeof(lab_yaml) - 1, &lab, err,
				       sizeof(err)) < 0)
		ZF_BUG("fixed lab does not load: %s", err);
	return lab;
}

/* Known: data, host, ip:ANY; "big" fills the whole output buffer. */
static int lookup(void *ctx, const char *key, const char *arg, char *out,
		  size_t outlen)
{
	(void)ctx;
	if (arg)
		return strcmp(key, "ip") == 0 ?
		       zf_fmt(out, outlen, "10.0.0.1") : -ENOENT;
	if (strcmp(key, "data") == 0)
		return zf_fmt(out, outlen, "/var/lib/x");
	if (strcmp(key, "big") == 0) {
		memset(out, 'b', outlen - 1);
		out[outlen - 1] = '\0';
		return 0;
	}
	return -ENOENT;
}

static void fuzz_words(const char *s)
{
	char **argv = NULL, err[256], out[256];
	size_t off = 0;

	if (zf_split_argv(s, 64, &argv, err, sizeof(err), &off) < 0) {
		if (off > strlen(s))
			ZF_BUG("split error offset %zu past the end", off);
		return;
	}
	for (size_t i = 0; argv[i]; i++) {
		int rc = zf_tmpl_expand(argv[i], lookup, NULL, out,
					sizeof(out), err, sizeof(err), &off);

		if (rc < 0 && off > strlen(argv[i]))
			ZF_BUG("template error offset %zu past the end", off);
		if (rc == 0 && strlen(out) >= sizeof(out))
			ZF_BUG("expansion overran");
	}
	zf_strv_free(argv);
}

static void fuzz_duration(const char *s)
{
	char buf[64];
	uint64_t ns, back;

	if (zf_duration_parse(s, &ns) < 0)
		return;
	zf_duration_format(ns, buf, sizeof(buf));
	if (zf_duration_parse(buf, &back) < 0 || back != ns)
		ZF_BUG("duration '%s' formats as '%s' which does not parse "
		       "back", s, buf);
}

static void fuzz_selector(const char *s)
{
	struct zf_selection sel;
	char err[256];

	if (zf_selector_resolve(fixed_lab(), s, &sel, err, sizeof(err)) == 0)
		zf_selection_free(&sel);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = zf_xstrndup((const char *)data, size);

	fuzz_words(s);
	fuzz_duration(s);
	fuzz_selector(s);
	free(s);
	return 0;
}
