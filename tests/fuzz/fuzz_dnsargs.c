/* fuzz_dnsargs.c - libFuzzer target for the DNS faults' arguments: the
 * first byte picks the fault kind, the rest is the argument text, parsed
 * against a small lab. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fault/dnsargs.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char lab_yaml[] =
	"lab: f\nregions: { r1: { zones: [a] } }\nclients: [user1]\n"
	"hosts: { web-a: { zone: r1/a } }\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = { "dns-servfail", "dns-nxdomain",
		"dns-empty", "dns-timeout", "dns-slow", "dns-wrong", "dns-stale",
		"dns-ttl", "dns-bogus" };
	static struct zf_lab *lab;
	static struct zf_plan plan;
	struct zf_dns_fault_cfg f;
	char text[512], err[256] = "";

	if (!lab && (zf_lab_load_buffer("f.yaml", "/tmp", lab_yaml, strlen(lab_yaml),
					&lab, err, sizeof(err)) < 0 ||
		     zf_plan_build(lab, &plan, err, sizeof(err)) < 0))
		ZF_BUG("fixture: %s", err);
	if (size < 1 || size > sizeof(text))
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (zf_dnsargs_parse(lab, &plan, kinds[data[0] % 9], text, &f, err,
			     sizeof(err)) < 0) {
		if (!err[0])
			ZF_BUG("an error without a message");
		return 0;
	}
	if (!memchr(f.pattern, '\0', sizeof(f.pattern)) || !f.pattern[0])
		ZF_BUG("pattern not a string");
	if (f.mode == ZF_DNS_FAULT_SLOW && (!f.slow_ns || f.slow_ns > ZF_DNS_MAX_SLOW_NS))
		ZF_BUG("slow %llu", (unsigned long long)f.slow_ns);
	return 0;
}
