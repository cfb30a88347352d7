/* fuzz_resargs.c - libFuzzer target for the resource and service faults'
 * arguments: the first byte picks the parser, the rest is the text. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fault/resargs.h"
#include "util/log.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_config(const char *text, char *err, size_t errlen)
{
	char **argv = NULL, **env = NULL;

	if (zf_resargs_config(text, &argv, &env, err, errlen) < 0) {
		if (!err[0])
			ZF_BUG("an error without a message");
		return;
	}
	if (!argv || !env || (!argv[0] && !env[0]))
		ZF_BUG("bad-config parsed into nothing");
	for (size_t i = 0; env[i]; i++)
		if (!strchr(env[i], '='))
			ZF_BUG("env entry without '='");
	zf_strv_free(argv);
	zf_strv_free(env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[512], err[256] = "";
	unsigned u;
	unsigned long long b;
	long long s;
	int rc = 0;

	if (size < 1 || size > sizeof(text))
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0] % 6) {
	case 0:
		rc = zf_resargs_cpu(text, &u, err, sizeof(err));
		if (rc == 0 && (u < ZF_RES_CPU_MIN_MILLI || u > ZF_RES_CPU_MAX_MILLI))
			ZF_BUG("cpu %u out of range", u);
		break;
	case 1:
		rc = zf_resargs_hogs(text, &u, err, sizeof(err));
		if (rc == 0 && (u < 1 || u > ZF_RES_HOGS_MAX))
			ZF_BUG("hogs %u out of range", u);
		break;
	case 2:
		rc = zf_resargs_size(text, 4096, 1ull << 40, &b, err, sizeof(err));
		if (rc == 0 && (b < 4096 || b > 1ull << 40))
			ZF_BUG("size %llu out of range", b);
		break;
	case 3:
		rc = zf_resargs_fill(text, &b, err, sizeof(err));
		if (rc == 0 && b > 64ull << 30)
			ZF_BUG("fill %llu out of range", b);
		break;
	case 4:
		rc = zf_resargs_skew(text, &s, err, sizeof(err));
		if (rc == 0 && (!s || s > ZF_RES_SKEW_MAX_S || s < -ZF_RES_SKEW_MAX_S))
			ZF_BUG("skew %lld out of range", s);
		break;
	default:
		check_config(text, err, sizeof(err));
		return 0;
	}
	if (rc < 0 && !err[0])
		ZF_BUG("an error without a message");
	return 0;
}
