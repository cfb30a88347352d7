/* fuzz_dns_packet.c - libFuzzer target for zonefall-dns's query path, in
 * process: parse -> zone lookup -> fault -> answer -> wire, exactly what
 * the daemon runs for each datagram or TCP message (dnsd_handle), against
 * a fixed config that uses every feature (round-robin and health-aware
 * RRsets, cname chains, a large RRset for truncation, every fault mode,
 * a fault scoped to one resolver).
 *
 * Input: byte 0 chooses the transport (bit 0: TCP) and the resolver (bit
 * 1: r2), the rest is the DNS message. Checked: no crash or sanitizer
 * report; a reply is at least a header, fits the buffer and the client's
 * limit, echoes the query ID with QR set, and parses back with ldns. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns/daemon/dnsd.h"
#include "dns/dns_config.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char config_text[] =
	"zone lab\n"
	"udp-max 1232\n"
	"listen r1 /run/netns/x 198.18.0.53\n"
	"listen r2 /run/netns/y 198.18.1.53\n"
	"a web.lab 30 10.0.0.1\n"
	"a web.lab 30 10.0.0.2\n"
	"a web.lab 30 10.0.0.3 health=down\n"
	"rrset web.lab order=roundrobin health=aware\n"
	"a dead.lab 30 10.0.1.1 health=down\n"
	"rrset dead.lab health=aware\n"
	"a lab 60 10.0.2.1\n"
	"a pg.db.r1.lab 10 10.0.3.1\n"
	"cname www.lab 60 web.lab\n"
	"cname w2.lab 60 www.lab\n"
	"cname ext.lab 60 example.com\n"
	"cname gone.lab 60 missing.lab\n"
	"fault f1 * sf.lab servfail\n"
	"fault f2 * nx.lab nxdomain\n"
	"fault f3 * empty.lab empty\n"
	"fault f4 * to.lab timeout\n"
	"fault f5 * slow.lab slow 1000000\n"
	"fault f6 * wrong.lab wrong 10.6.6.6\n"
	"fault f7 * web.lab stale\n"
	"fault f8 r2 *.db.r1.lab ttl 0\n"
	"fault f9 r1 w?.lab wrong 10.7.7.7\n";

static struct dnsd_engine *engine(void)
{
	static struct dnsd_engine e;
	static int ready;
	struct zf_dns_config cfg;
	struct dnsd_zone *z;
	char err[512], *text;
	size_t n;

	if (ready)
		return &e;
	/* The config plus a 200-address RRset (past any UDP limit). */
	text = malloc(sizeof(config_text) + 200 * 40);
	n = (size_t)snprintf(text, sizeof(config_text) + 200 * 40, "%s",
			     config_text);
	for (int i = 0; i < 200; i++)
		n += (size_t)snprintf(text + n, 40, "a big.lab 5 10.9.%d.%d\n",
				      i / 100, i % 100);
	if (dnsd_engine_init(&e) < 0 ||
	    zf_dns_config_parse("config", text, n, &cfg, err, sizeof(err)) < 0 ||
	    dnsd_zone_build(&cfg, 1, &z) < 0)
		ZF_BUG("fuzz setup: %s", err);
	dnsd_engine_commit(&e, &cfg, z, 1);
	zf_dns_config_free(&cfg);
	free(text);
	ready = 1;
	return &e;
}

static void check_reply(const uint8_t *q, size_t qlen, const uint8_t *out,
			const struct dnsd_result *res, size_t cap, int tcp)
{
	ldns_pkt *p = NULL;

	if (res->len < LDNS_HEADER_SIZE || res->len > cap)
		ZF_BUG("reply of %zu bytes", res->len);
	if (!tcp && res->len > ZF_DNS_UDP_MAX_DEFAULT)
		ZF_BUG("UDP reply of %zu bytes over udp-max", res->len);
	if (qlen < 2 || out[0] != q[0] || out[1] != q[1] || !LDNS_QR_WIRE(out))
		ZF_BUG("reply without the query's ID or QR");
	if (ldns_wire2pkt(&p, out, res->len) != LDNS_STATUS_OK)
		ZF_BUG("reply does not parse back (%zu bytes)", res->len);
	ldns_pkt_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[DNSD_TCP_MAX];
	struct dnsd_engine *e = engine();
	struct dnsd_src src = { .resolver = "r1" };
	struct dnsd_result res;
	size_t cap;

	if (size < 1)
		return 0;
	src.tcp = data[0] & 1;
	if (data[0] & 2)
		src.resolver = "r2";
	src.local.s_addr = htonl(0xc6120035);
	cap = src.tcp ? DNSD_TCP_MAX : ZF_DNS_UDP_MAX_LIMIT;
	dnsd_handle(e, &src, data + 1, size - 1, out, cap, &res);
	if (res.verdict == DNSD_SEND)
		check_reply(data + 1, size - 1, out, &res, cap, src.tcp);
	return 0;
}
