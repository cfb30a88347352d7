/* addrplan.h - the lab's address plan and the names of its namespaces.
 *
 * From the block (default 198.18.0.0/15), carved into /24s:
 *   /24 #0          clients ("the internet"): client k = .10+k, gateway .1
 *   /24 #1..#Z      one per zone, in lab order: host k of the zone = .10+k,
 *                   the zone router answers as .1
 *   last /24        network gear ids: backbone .1, internet .2,
 *                   region r router .10+r, zone z router .100+z
 *   last /24 but one  VIPs (lab/vip.h), only when the lab declares any:
 *                   one /28 per VIP v at .16v (network), gateway .16v+1
 *                   (the segment's bridge in its region's router), the
 *                   VIP's address .16v+2, its second address .16v+3
 *                   (vip-move keep-name-stale), member m's own .16v+4+m
 * Every link is a point-to-point veth with /32 addresses and on-link routes,
 * so every packet between two hosts crosses a router namespace, where
 * zonefall's faults act. Nothing routes outside the block. */
#ifndef ZF_LAB_ADDRPLAN_H
#define ZF_LAB_ADDRPLAN_H

#include <stddef.h>
#include <stdint.h>

#include "spec/lab.h"

#define ZF_NETNS_NAME_MAX 96

enum zf_gear { ZF_GEAR_ZONE, ZF_GEAR_REGION, ZF_GEAR_BACKBONE, ZF_GEAR_INTERNET };

struct zf_plan {
	uint32_t block;
	int block_len;
	uint32_t *host_ip;     /* n_hosts entries, host byte order */
	int *host_slot;        /* index of the host within its zone (or clients) */
	size_t n_hosts;
	size_t n_zones;
	size_t n_regions;
};

/* Compute the plan; -ENOSPC with ERR set when the block is too small for the
 * zones or a zone has too many hosts. Free with zf_plan_free. */
int zf_plan_build(const struct zf_lab *lab, struct zf_plan *plan, char *err,
		  size_t errlen);
void zf_plan_free(struct zf_plan *plan);

uint32_t zf_plan_subnet(const struct zf_plan *p, size_t index24);
uint32_t zf_plan_zone_subnet(const struct zf_plan *p, size_t zone);
uint32_t zf_plan_zone_gw(const struct zf_plan *p, size_t zone);
uint32_t zf_plan_client_subnet(const struct zf_plan *p);
uint32_t zf_plan_client_gw(const struct zf_plan *p);
uint32_t zf_plan_gear_id(const struct zf_plan *p, enum zf_gear g, size_t index);

#define ZF_PLAN_VIP_PLEN 28

/* The VIPs' /24 and the addresses of VIP V (see the top of this file);
 * SECOND picks the second address. */
uint32_t zf_plan_vip_block(const struct zf_plan *p);
uint32_t zf_plan_vip_net(const struct zf_plan *p, size_t vip);
uint32_t zf_plan_vip_gw(const struct zf_plan *p, size_t vip);
uint32_t zf_plan_vip_addr(const struct zf_plan *p, size_t vip, int second);
uint32_t zf_plan_vip_member(const struct zf_plan *p, size_t vip, size_t member);

/* "198.18.1.10" */
void zf_ip_format(uint32_t ip, char *buf, size_t len);
int zf_ip_parse(const char *s, uint32_t *ip);

/* Namespace names carry the lab name, with dots (which no name may contain)
 * as separators so that two labs can never collide: zf.<lab>.h.<host>,
 * zf.<lab>.z.<region>.<zone>,
 * zf.<lab>.r.<region>, zf.<lab>.bb, zf.<lab>.inet. */
int zf_plan_ns_host(const struct zf_lab *lab, size_t host, char *buf, size_t len);
int zf_plan_ns_gear(const struct zf_lab *lab, enum zf_gear g, size_t index,
		       char *buf, size_t len);

#endif
