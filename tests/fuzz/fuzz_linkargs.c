/* fuzz_linkargs.c - libFuzzer target for the link faults' arguments: the
 * first byte picks the fault kind, the rest is the argument text. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fault/linkargs.h"
#include "lab/emu.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = { "delay", "loss", "reorder", "corrupt",
					     "duplicate", "bandwidth" };
	char text[512], err[256];
	struct zf_linkargs a;

	if (size < 1 || size > sizeof(text))
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (zf_linkargs_parse(kinds[data[0] % 6], text, &a, err, sizeof(err)) < 0) {
		if (!err[0])
			ZF_BUG("an error without a message");
		return 0;
	}
	if (a.dir < ZF_EMU_OUT || a.dir > ZF_EMU_BOTH)
		ZF_BUG("direction %d", a.dir);
	if (data[0] % 6 == 5 && (a.rate_bps < 1000 || a.rate_bps > 100000000000ull))
		ZF_BUG("rate %llu out of range", (unsigned long long)a.rate_bps);
	return 0;
}
