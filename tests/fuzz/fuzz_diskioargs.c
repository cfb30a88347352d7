/* fuzz_diskioargs.c - libFuzzer target for the arguments of disk-slow and
 * disk-error: the first byte picks the mode, the rest is the text. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fault/diskioargs.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[512], err[256] = "", desc[128];
	struct zf_diskio d;
	enum zf_diskio_mode m;

	if (size < 1 || size > sizeof(text))
		return 0;
	m = data[0] & 1 ? ZF_DISKIO_ERROR : ZF_DISKIO_SLOW;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (zf_diskio_parse(m, text, &d, err, sizeof(err)) < 0) {
		if (!err[0])
			ZF_BUG("an error without a message");
		return 0;
	}
	if (!d.ops || d.ops > ZF_DISKIO_ALL)
		ZF_BUG("ops %#x", d.ops);
	if (m == ZF_DISKIO_SLOW && (d.delay_us < 1 || d.delay_us > ZF_DISKIO_DELAY_MAX_US))
		ZF_BUG("delay %llu out of range", d.delay_us);
	if (m == ZF_DISKIO_ERROR && (d.rate_ppm < 1 || d.rate_ppm > ZF_DISKIO_RATE_FULL ||
				     !zf_diskio_errno_name(d.error)))
		ZF_BUG("rate %u or errno %d out of range", d.rate_ppm, d.error);
	zf_diskio_describe(&d, desc, sizeof(desc));
	return 0;
}
