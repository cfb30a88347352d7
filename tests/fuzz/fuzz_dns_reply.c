/* fuzz_dns_reply.c - libFuzzer target for the dns probe's reply path: the
 * bytes a server sends back, judged against a query (zf_dns_reply_outcome:
 * ldns parse, question match, rcode, answer collection, set and count
 * comparison), exactly as the probe's loop calls it for each datagram.
 *
 * Input: byte 0 chooses the probe (bits 0-1: A expecting a set of two, A
 * expecting 2 answers, A expecting anything, AAAA expecting a set); the
 * rest is the reply. Checked: no crash or sanitizer report, the outcome is
 * one a dns probe can give, and the same bytes give the same outcome. */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "probe/dns_proto.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define KINDS 4

static struct zf_dns_proto *proto(unsigned kind)
{
	static struct zf_dns_proto dp[KINDS];
	static int ready[KINDS];
	static struct zf_dns_addr a[2];
	struct zf_probe_spec s;
	char err[256];

	if (ready[kind])
		return &dp[kind];
	memset(&s, 0, sizeof(s));
	memcpy(s.name, "fz", 3);
	s.kind = ZF_PROBE_DNS;
	memcpy(s.dns_name, "www.lab", 8);
	s.dns_type = kind == 3 ? ZF_DNS_TYPE_AAAA : ZF_DNS_TYPE_A;
	if (kind == 3) {
		inet_pton(AF_INET6, "2001:db8::1", a[0].b);
		inet_pton(AF_INET6, "2001:db8::2", a[1].b);
	} else {
		inet_pton(AF_INET, "10.0.0.1", a[0].b);
		inet_pton(AF_INET, "10.0.0.2", a[1].b);
	}
	if (kind == 0 || kind == 3) {
		s.dns_expect = a;
		s.dns_n_expect = 2;
	}
	s.dns_expect_count = kind == 1 ? 2 : 0;
	if (zf_dns_proto_init(&dp[kind], &s, err, sizeof(err)) < 0)
		ZF_BUG("fuzz probe does not build: %s", err);
	ready[kind] = 1;
	return &dp[kind];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zf_dns_proto *dp;
	enum zf_outcome a, b;

	if (size < 1)
		return 0;
	dp = proto(data[0] % KINDS);
	a = zf_dns_reply_outcome(dp, data + 1, size - 1);
	b = zf_dns_reply_outcome(dp, data + 1, size - 1);
	if (a != b)
		ZF_BUG("same reply, outcomes %d and %d", (int)a, (int)b);
	switch (a) {
	case ZF_OUT_OK: case ZF_OUT_SERVFAIL: case ZF_OUT_NXDOMAIN:
	case ZF_OUT_EMPTY: case ZF_OUT_WRONG: case ZF_OUT_STATUS:
	case ZF_OUT_OTHER:
		return 0;
	default:
		ZF_BUG("outcome %d is not one of a reply", (int)a);
	}
}
