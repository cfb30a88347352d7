/* fuzz_dns_config.c - libFuzzer target for zonefall-dns's config parser
 * (DIR/config): any input either fails with a "config:LINE: ..." message
 * or parses; what parses must format, the formatted text must parse back
 * to the same text (writer and parser agree on every file the parser
 * accepts), and the daemon must build its zone from it and answer a query
 * for its first names (the reload path after parsing). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns/daemon/dnsd.h"
#include "dns/dns_config.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const struct zf_dns_config *cfg)
{
	struct zf_dns_config back;
	char err[512], *t1 = NULL, *t2 = NULL;
	size_t l1 = 0, l2 = 0;

	if (zf_dns_config_format(cfg, &t1, &l1, err, sizeof(err)) < 0)
		ZF_BUG("a parsed config does not format: %s", err);
	if (zf_dns_config_parse("config", t1, l1, &back, err, sizeof(err)) < 0)
		ZF_BUG("formatted text does not parse: %s\n%s", err, t1);
	if (back.nas != cfg->nas || back.ncnames != cfg->ncnames ||
	    back.nfaults != cfg->nfaults || back.nlistens != cfg->nlistens)
		ZF_BUG("round trip changed the counts");
	if (zf_dns_config_format(&back, &t2, &l2, err, sizeof(err)) < 0 ||
	    l1 != l2 || memcmp(t1, t2, l1) != 0)
		ZF_BUG("format(parse(format(x))) != format(x)");
	zf_dns_config_free(&back);
	free(t1);
	free(t2);
}

/* A query for NAME/TYPE, by hand (NAME is a normalised config name). */
static size_t query(uint8_t *buf, const char *name, uint16_t type)
{
	size_t o = 12;

	memset(buf, 0, 12);
	buf[5] = 1;
	for (const char *p = name; *p;) {
		size_t n = strcspn(p, ".");

		buf[o++] = (uint8_t)n;
		memcpy(buf + o, p, n);
		o += n;
		p += n + (p[n] == '.');
	}
	buf[o++] = 0;
	buf[o++] = (uint8_t)(type >> 8);
	buf[o++] = (uint8_t)type;
	buf[o++] = 0;
	buf[o++] = 1;
	return o;
}

static void serve(const struct zf_dns_config *cfg)
{
	static uint8_t out[DNSD_TCP_MAX];
	struct dnsd_src src = { .resolver = "r1" };
	struct dnsd_engine e;
	struct dnsd_result res;
	struct dnsd_zone *z;
	uint8_t q[300];

	if (dnsd_engine_init(&e) < 0 || dnsd_zone_build(cfg, 0, &z) < 0)
		ZF_BUG("a parsed config does not build");
	dnsd_engine_commit(&e, cfg, z, 0);
	for (size_t i = 0; i < cfg->nas && i < 2; i++)
		dnsd_handle(&e, &src, q, query(q, cfg->as[i].name, 1), out,
			    sizeof(out), &res);
	for (size_t i = 0; i < cfg->ncnames && i < 2; i++)
		dnsd_handle(&e, &src, q, query(q, cfg->cnames[i].name, 255),
			    out, sizeof(out), &res);
	dnsd_engine_commit(&e, cfg, dnsd_zone_ref(e.zone), 1);   /* reload */
	dnsd_engine_free(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zf_dns_config cfg;
	char err[512];

	if (zf_dns_config_parse("config", (const char *)data, size, &cfg, err,
				sizeof(err)) < 0) {
		if (strncmp(err, "config:", 7) != 0)
			ZF_BUG("error without a position: %s", err);
		return 0;
	}
	round_trip(&cfg);
	serve(&cfg);
	zf_dns_config_free(&cfg);
	return 0;
}
