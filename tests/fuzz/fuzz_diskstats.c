/* fuzz_diskstats.c - libFuzzer target for the counters line zonefall reads
 * back from zonefall-diskfs: what parses formats back to the same bytes
 * (modulo the trailing newline). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fault/diskstats.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zf_diskstats s;
	char line[ZF_DISKSTATS_LINE_MAX];
	char desc[160];
	int n;

	if (zf_diskstats_parse((const char *)data, size, &s) < 0)
		return 0;
	n = zf_diskstats_format(&s, line, sizeof(line));
	if (n < 0)
		ZF_BUG("a parsed line does not format");
	if (memcmp(line, data, size < (size_t)n ? size : (size_t)n) ||
	    (size != (size_t)n && size != (size_t)n - 1))
		ZF_BUG("formatting '%.*s' gives '%s'", (int)size, (const char *)data, line);
	zf_diskstats_describe(&s, ZF_DISKIO_SLOW, 1, desc, sizeof(desc));
	zf_diskstats_describe(&s, ZF_DISKIO_ERROR, 3, desc, sizeof(desc));
	return 0;
}
