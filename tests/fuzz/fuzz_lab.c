/* fuzz_lab.c - libFuzzer target: any bytes through the lab loader (capped
 * YAML tree, schema, references, templates, start order). The loader must
 * either build a model or fail with a positioned message; never crash,
 * leak, or read outside the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spec/lab.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zf_lab *lab = NULL;
	char err[512];
	int rc;

	rc = zf_lab_load_buffer("fuzz.yaml", "/lab", (const char *)data, size,
				&lab, err, sizeof(err));
	if (rc == 0) {
		/* Touch the model the way the lab layer will. */
		for (size_t i = 0; i < lab->n_hosts; i++)
			for (size_t j = 0; j < lab->hosts[i].n_services; j++)
				if (zf_host_find_service(&lab->hosts[i],
				    lab->hosts[i].services[j].name) != (int)j)
					abort();
		zf_lab_free(lab);
	} else if (strncmp(err, "fuzz.yaml:", 10) != 0) {
		ZF_BUG("error without the file name: %s", err);
	}
	return 0;
}
