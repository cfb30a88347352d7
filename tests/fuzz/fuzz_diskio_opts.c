/* fuzz_diskio_opts.c - libFuzzer target for zonefall-diskfs's command
 * line: the input is split at NUL bytes into argv words. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "diskfs/diskfs.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[4096], err[256] = "";
	char *argv[ZF_DISKFS_ARGC_MAX + 8];
	struct diskfs_opts o;
	int argc = 0;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	argv[argc++] = "zonefall-diskfs";
	for (size_t i = 0; i < size && argc < ZF_DISKFS_ARGC_MAX + 6;) {
		argv[argc++] = text + i;
		i += strlen(text + i) + 1;
	}
	argv[argc] = NULL;
	if (diskfs_opts_parse(argc, argv, &o, err, sizeof(err)) < 0) {
		if (!err[0])
			ZF_BUG("an error without a message");
		return 0;
	}
	if (!o.dir || o.dir[0] != '/' || (o.keep && strchr(o.keep, '/')))
		ZF_BUG("accepted a bad directory or keep name");
	return 0;
}
