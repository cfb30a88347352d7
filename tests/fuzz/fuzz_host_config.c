/* fuzz_host_config - the host init's config parser (JSON -> validated
 * config) must reject anything malformed with a message, never crash. */
#include "host/host_config.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct host_config *cfg = NULL;
	char err[512];

	if (host_config_parse("fuzz.json", (const char *)data, size, &cfg, err,
			      sizeof(err)) == 0)
		host_config_free(cfg);
	return 0;
}
