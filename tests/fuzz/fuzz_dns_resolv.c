/* fuzz_dns_resolv.c - libFuzzer target for the resolv.conf reader that
 * finds the resolver of a dns probe's host (zf_dns_resolv_first). The
 * input is the file, not NUL-terminated (the reader must stay within its
 * length). Checked: no crash or sanitizer report; a resolver found is one
 * that is written in the text as a nameserver line's address. */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probe/dns_resolv.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1);
	char text[INET_ADDRSTRLEN];
	struct in_addr a;
	uint32_t ip = 0;
	int rc;

	if (!copy)
		return 0;
	memcpy(copy, data, size);              /* exactly SIZE bytes */
	rc = zf_dns_resolv_first(copy, size, &ip);
	if (rc != 0 && rc != -ENOENT)
		ZF_BUG("resolv reader returned %d", rc);
	if (rc == 0) {
		a.s_addr = htonl(ip);
		inet_ntop(AF_INET, &a, text, sizeof(text));
		if (!memmem(copy, size, text, strlen(text)) ||
		    !memmem(copy, size, "nameserver", 10))
			ZF_BUG("resolver %s is not in the text", text);
	}
	free(copy);
	return 0;
}
