/* fuzz_linkem_config.c - libFuzzer target for the link emulator's config
 * parser (zonefall-linkem's DIR/config): any input either fails with a
 * "config:LINE: ..." message or parses; what parses must format, and the
 * formatted text must parse back to the same text (the writer and the
 * parser agree on every file the parser accepts). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/linkem_config.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const struct zf_lk_config *cfg)
{
	struct zf_lk_config back;
	char err[512], *t1 = NULL, *t2 = NULL;
	size_t l1 = 0, l2 = 0;

	if (zf_lk_config_format(cfg, &t1, &l1, err, sizeof(err)) < 0)
		ZF_BUG("a parsed config does not format: %s", err);
	if (zf_lk_config_parse("config", t1, l1, &back, err, sizeof(err)) < 0)
		ZF_BUG("formatted text does not parse: %s\n%s", err, t1);
	if (back.nqueues != cfg->nqueues || back.nlinks != cfg->nlinks)
		ZF_BUG("round trip changed the counts");
	if (zf_lk_config_format(&back, &t2, &l2, err, sizeof(err)) < 0 ||
	    l1 != l2 || memcmp(t1, t2, l1) != 0)
		ZF_BUG("format(parse(format(x))) != format(x)");
	zf_lk_config_free(&back);
	free(t1);
	free(t2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zf_lk_config cfg;
	char err[512];

	if (zf_lk_config_parse("config", (const char *)data, size, &cfg, err,
			       sizeof(err)) < 0) {
		if (strncmp(err, "config:", 7) != 0)
			ZF_BUG("error without a position: %s", err);
		return 0;
	}
	round_trip(&cfg);
	zf_lk_config_free(&cfg);
	return 0;
}
