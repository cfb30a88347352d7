/* fuzz_host_override.c - libFuzzer target for the init's "override"
 * payload (JSON from the control socket). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/override.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[4097], err[256] = "";
	struct svc_override ov;
	json_t *j;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (override_parse(text, &ov, err, sizeof(err)) < 0) {
		if (!err[0] || !override_empty(&ov))
			ZF_BUG("a bad override without a message, or half parsed");
		return 0;
	}
	if (ov.argv && (!ov.argv[0] || !ov.argv[0][0]))
		ZF_BUG("an empty command");
	for (size_t i = 0; ov.env && ov.env[i]; i++)
		if (!strchr(ov.env[i], '='))
			ZF_BUG("env entry without '='");
	j = override_json(&ov);
	if (!j != override_empty(&ov))
		ZF_BUG("override_json disagrees with override_empty");
	json_decref(j);
	override_free(&ov);
	return 0;
}
