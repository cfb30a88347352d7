/* vip_priv.h - (private to src/lab/vip*.c) the netlink requests the VIP
 * segments need beyond nl.h: bridges, bridge ports, address removal,
 * source rules with their own routing tables, and reading a link's
 * addresses back. Queueing functions go through NL's batch like nl.h's
 * and return -EINVAL for bad arguments (nothing queued). */
#ifndef ZF_LAB_VIP_PRIV_H
#define ZF_LAB_VIP_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "lab/nl.h"

/* Routing table and rule priority of a member's k-th VIP interface. */
#define ZF_VIP_TABLE_BASE 100
#define ZF_VIP_RULE_PRIO_BASE 100
#define ZF_VIP_ADDRS_MAX 64

/* Queue creating bridge NAME with index IFINDEX in NL's namespace (STP
 * off, as the kernel makes it). */
int zf_vipnl_bridge(struct zf_nl *nl, const char *name, int ifindex);

/* Queue "link IFINDEX master MASTER up". */
int zf_vipnl_enslave(struct zf_nl *nl, int ifindex, int master);

/* Queue removing ADDR/PLEN from IFINDEX. */
int zf_vipnl_addr_del(struct zf_nl *nl, int ifindex, uint32_t addr, int plen);

/* Queue the rule "from SRC/PLEN lookup TABLE" at priority PRIO. */
int zf_vipnl_rule(struct zf_nl *nl, uint32_t src, int plen, uint32_t table,
		  uint32_t prio);

/* Queue the route DST/PLEN via GW dev OIF in table TABLE (protocol
 * ZF_RTPROT; GW must be on the link's subnet). */
int zf_vipnl_table_route(struct zf_nl *nl, uint32_t dst, int plen, uint32_t gw,
			 int oif, uint32_t table);

/* The IPv4 addresses on link IFINDEX of namespace NS_FD into OUT (at most
 * MAX; host byte order), their number in *N. 0 or a negative errno. */
int zf_vipnl_addrs(int ns_fd, int ifindex, uint32_t *out, size_t max, size_t *n);

#endif
