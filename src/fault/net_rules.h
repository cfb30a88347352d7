/* net_rules.h - the nftables rules of the filter faults (partition,
 * isolate, block) and the parsing of their arguments. Pure text: nothing
 * here touches a namespace.
 *
 * A filter fault with id ID owns, in the table "inet zonefall" of each
 * piece of gear it acts in, a base chain ID (hook forward, priority
 * ZF_FILTER_PRIORITY, policy accept) and the address sets ID_a and ID_b
 * (ipv4_addr, interval: zone /24s and host /32s). Rules match addresses
 * only through those sets, so their number does not depend on the size
 * of the lab. No mark bits are used. */
#ifndef ZF_FAULT_NET_RULES_H
#define ZF_FAULT_NET_RULES_H

#include <stddef.h>

#include "util/text.h"

/* After the power faults' "forward" chain (-10) and the link emulator's
 * marking chain (-20). */
#define ZF_FILTER_PRIORITY (-5)

enum zf_proto { ZF_PROTO_TCP, ZF_PROTO_UDP, ZF_PROTO_ICMP, ZF_PROTO_ANY };

struct zf_block_args {
	enum zf_proto proto;   /* default tcp */
	int port;              /* destination port, 0: any */
	int reject;            /* 0: drop in silence */
};

/* "" or "oneway". -EINVAL with ERR set otherwise. */
int zf_partition_args(const char *args, int *oneway, char *err, size_t errlen);

/* "[tcp|udp|icmp|any] [port N] [drop|reject]", words in any order, each at
 * most once; a port needs tcp, udp or any. -EINVAL with ERR set. */
int zf_block_args(const char *args, struct zf_block_args *out, char *err,
		  size_t errlen);

/* Append the rules to T as "add rule inet zonefall ID ..." lines and
 * return how many. Set ID_a is the first side (A, FROM, the isolated
 * target), ID_b the second. */
size_t zf_rules_partition(struct zf_text *t, const char *id, int oneway);
size_t zf_rules_isolate(struct zf_text *t, const char *id);
size_t zf_rules_block(struct zf_text *t, const char *id,
		      const struct zf_block_args *a);

/* "tcp port 80 reject" - the canonical form of A, for messages. */
void zf_block_describe(const struct zf_block_args *a, char *buf, size_t len);

#endif
