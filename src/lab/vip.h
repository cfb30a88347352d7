/* vip.h - virtual IPs: addresses that move between the hosts of a region.
 *
 * As in an on-prem keepalived deployment, a VIP lives on a stretched L2
 * segment: a bridge "v-<vip>" in its region's router (gateway address on
 * it), and on each member host a second interface "vip<k>" (the host's
 * k-th VIP in lab order, usually "vip0") plugged into that bridge, with
 * the member's own address of the segment. Addresses: addrplan.h. The
 * backbone and the internet route the VIP's /28 to its region; a member
 * answers from the VIP's addresses through the segment (a source rule and
 * table per interface), so VIP traffic never crosses the zone routers.
 * Everything lives in the lab's namespaces and goes with them.
 *
 * Who holds the address: with manager zonefall, zonefall puts it on the
 * owner's interface at `up` and moves it with the vip-move fault; with
 * keepalived, the members' keepalived does (VRRP multicast crosses the
 * bridge). A powered-off member's bridge port is down, so it answers
 * nothing on the segment though its namespace survives.
 *
 * The current placement of a zonefall VIP (owner, which of its two
 * addresses, what its DNS name answers) is kept in <state>/vip/<vip>, so
 * every process sees it; no file means the lab file's owner, the first
 * address and no stale DNS. */
#ifndef ZF_LAB_VIP_H
#define ZF_LAB_VIP_H

#include <stddef.h>
#include <stdint.h>

#include "lab/labrt.h"
#include "lab/topo.h"

/* Interface indexes (chosen at creation, like topo.h's). */
#define ZF_IF_VIP_HOST 100     /* member host: "vip<k>" is 100+k */
#define ZF_IF_VIP_BRIDGE 2000  /* region router: "v-<vip>" of VIP v, 2000+v */
#define ZF_IF_VIP_PORT 2100    /* region router: "vp<v>.<m>", member m's port,
				  2100+16v+m */

/* The host-side index of member M (index into vips[V].members) of VIP V,
 * its interface's name ("vip0"), and its bridge port's index. */
int zf_vip_host_ifindex(const struct zf_lab *lab, size_t v, size_t m);
int zf_vip_host_ifname(const struct zf_lab *lab, size_t v, size_t m, char *buf,
		       size_t len);
int zf_vip_port_ifindex(size_t v, size_t m);

/* At `up`, once the gear and hosts are configured (T holds every
 * namespace): bridges, member interfaces, addresses, rules and routes of
 * every VIP, and the address of each zonefall VIP on its owner. 0, or a
 * negative errno with ERR set. */
int zf_vip_build(const struct zf_labrt *rt, const struct zf_topo *t, char *err,
		 size_t errlen);

/* Power: the bridge ports of every member among HOSTS (n_hosts flags) go
 * down (ON=0) or up. Going down also drops the keepalived VIPs' addresses
 * from those members, as a reboot would (keepalived adds them again when
 * it wins an election); a zonefall VIP stays on its owner, which answers
 * again at power-on. 0, or a negative errno with ERR set. */
int zf_vip_power(const struct zf_labrt *rt, const struct zf_topo *t,
		 const unsigned char *hosts, int on, char *err, size_t errlen);

/* Where a zonefall VIP is. */
struct zf_vip_state {
	size_t owner;           /* index into the VIP's members */
	int second;             /* it uses its second address */
	int stale;              /* its DNS name keeps answering an old one: */
	int stale_second;       /*   the second address (1) or the first */
	uint64_t stale_until;   /*   until this wall-clock time (ns since
				     the epoch); 0: until reverted */
};

/* The placement of VIP V from <state>/vip/<vip> (TAG NULL), or the copy a
 * fault saved (<state>/vip/<vip>@<tag>). A missing current file gives the
 * lab file's placement; a missing tagged file is -ENOENT. -EINVAL when the
 * file is damaged (ERR says where). */
int zf_vip_state_load(const struct zf_labrt *rt, size_t v, const char *tag,
		      struct zf_vip_state *st, char *err, size_t errlen);

/* Write it (atomically, fsync'd). 0 or a negative errno with ERR set. */
int zf_vip_state_save(const struct zf_labrt *rt, size_t v, const char *tag,
		      const struct zf_vip_state *st, char *err, size_t errlen);

/* Remove the tagged copy TAG (absent is fine). */
int zf_vip_state_remove(const struct zf_labrt *rt, size_t v, const char *tag);

/* The address VIP V uses in state ST (host byte order). */
uint32_t zf_vip_state_addr(const struct zf_labrt *rt, size_t v,
			   const struct zf_vip_state *st);

/* Make the kernel hold VIP V as ST says: its address on the owner only,
 * its other address nowhere; then the region router and the members forget
 * their neighbour entries on the segment, so traffic follows at once. For
 * zonefall VIPs. 0, or a negative errno with ERR set. */
int zf_vip_place(const struct zf_labrt *rt, const struct zf_topo *t, size_t v,
		 const struct zf_vip_state *st, char *err, size_t errlen);

/* 0 when the kernel holds VIP V exactly as ST says; -EIO with ERR saying
 * where the address is otherwise. */
int zf_vip_check(const struct zf_labrt *rt, const struct zf_topo *t, size_t v,
		 const struct zf_vip_state *st, char *err, size_t errlen);

/* The address the DNS name of VIP V (<vip>.<domain>) must answer now
 * (host byte order): the address in use, or the old one while a stale
 * period of vip-move keep-name-stale lasts; keepalived VIPs answer their
 * first address. 0, or a negative errno (a damaged state file). */
int zf_vip_dns_addr(const struct zf_labrt *rt, size_t vip, uint32_t *ip);

/* The DNS catch-up clock of VIP V: a detached process in the lab's cgroup
 * "<lab>/vip.<vip>" (recorded in the inventory, so teardown kills it) that
 * sleeps until UNTIL (wall-clock ns) and then, if the VIP's state still
 * has that stale period, tells the lab's DNS (zf_labdns_sync). Starting one
 * stops the VIP's previous clock. 0, or a negative errno with ERR set. */
int zf_vip_clock_start(const struct zf_labrt *rt, size_t v, uint64_t until,
		       char *err, size_t errlen);

/* Stop the clock of VIP V, if any. 0 or a negative errno. */
int zf_vip_clock_stop(const struct zf_labrt *rt, size_t v);

#endif
