/* lab.h - the validated in-memory model of a lab file.
 *
 * zf_lab_load() is the only way to build one: it reads a YAML lab file, checks
 * every key, name, reference and cap, and either returns a complete model or
 * fails with a "file:line:col: what was expected" message and builds nothing.
 *
 * Service argv strings are kept as *templates* ("{data}", "{ip:web-b}", ...):
 * their syntax and references are validated here, but they are expanded by the
 * lab layer, which owns the address plan (see spec/template.h).
 */
#ifndef ZF_SPEC_LAB_H
#define ZF_SPEC_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZF_LAB_NAME_MAX 16     /* lab names: [a-z0-9-], start with a letter */
#define ZF_NAME_MAX 32         /* region, zone, host, client, service names */
#define ZF_ZONE_FULL_MAX (2 * ZF_NAME_MAX + 1)   /* "region/zone" */
#define ZF_LAB_FILE_MAX (1u << 20)  /* 1 MiB */
#define ZF_MAX_REGIONS 16
#define ZF_MAX_ZONES 128       /* in the whole lab */
#define ZF_MAX_HOSTS 1024      /* hosts + clients */
#define ZF_MAX_HOSTS_PER_ZONE 240
#define ZF_MAX_CLIENTS 64
#define ZF_MAX_SERVICES 32     /* per host */
#define ZF_MAX_ARGS 256        /* per command */
#define ZF_MAX_ENV 128         /* per service */

struct zf_mark {
	int line; /* 1-based; 0 when unknown */
	int col;  /* 1-based */
};

enum zf_restart { ZF_RESTART_NO, ZF_RESTART_ON_FAILURE, ZF_RESTART_ALWAYS };

enum zf_ready_kind { ZF_READY_NONE, ZF_READY_TCP, ZF_READY_EXEC };

struct zf_ready {
	enum zf_ready_kind kind;
	int port;              /* ZF_READY_TCP: port on the host's own address */
	char **argv;           /* ZF_READY_EXEC: NULL-terminated template argv */
	uint64_t timeout_ns;   /* give up waiting after this; default 30 s */
	uint64_t interval_ns;  /* poll interval; default 100 ms */
};

struct zf_service {
	char name[ZF_NAME_MAX + 1];
	char **argv;           /* NULL-terminated, templates not yet expanded */
	char **env;            /* NULL-terminated "KEY=template" strings; may be empty */
	enum zf_restart restart;       /* default ZF_RESTART_ON_FAILURE */
	size_t *after;         /* indexes into the same host's services[] */
	size_t n_after;
	struct zf_ready ready;
	struct zf_mark mark;
};

struct zf_host {
	char name[ZF_NAME_MAX + 1];
	int is_client;         /* clients live outside every region */
	int region;            /* index into lab->regions, -1 for clients */
	int zone;              /* index into lab->zones, -1 for clients */
	struct zf_service *services;   /* sorted in a valid start order */
	size_t n_services;
	struct zf_mark mark;
};

struct zf_zone {
	char name[ZF_NAME_MAX + 1];         /* "a" */
	char full[ZF_ZONE_FULL_MAX + 1];    /* "r1/a" */
	int region;
	struct zf_mark mark;
};

struct zf_region {
	char name[ZF_NAME_MAX + 1];
	struct zf_mark mark;
	uint64_t cross_zone_ns;   /* one-way latency between its zones: the
				     lab's cross_zone unless overridden */
};

/* "links: { pairs: [ { between: [r1, r2], latency: 70ms } ] }": the one-way
 * latency between two regions, instead of cross_region. */
struct zf_link_pair {
	size_t a, b;              /* region indexes, a != b */
	uint64_t ns;
	struct zf_mark mark;
};

#define ZF_LINK_LATENCY_MAX (10ull * 1000000000ull)  /* 10 s */

/* A name in the lab's DNS answering with the addresses of several hosts
 * ("www: [lb-a, lb-b]"). */
struct zf_dns_record {
	char name[ZF_NAME_MAX + 1];
	size_t *hosts;         /* indexes into lab->hosts */
	size_t n_hosts;
	uint32_t ttl;          /* seconds; the lab's dns.ttl unless given */
	bool health_aware;     /* health: aware - powered-off hosts leave */
	bool fixed_order;      /* order: fixed (default round robin) */
	struct zf_mark mark;
};

/* "api: www" - NAME is an alias of TARGET (a lab name, or an absolute
 * name when it has a dot). */
struct zf_dns_cname {
	char name[ZF_NAME_MAX + 1];
	char target[254];
	struct zf_mark mark;
};

#define ZF_DNS_TTL_DEFAULT 5u              /* seconds */
#define ZF_DNS_TTL_MAX (7u * 86400u)

/* "vips: { db: { members: [db-a, db-b], owner: db-a } }": a virtual IP
 * shared by hosts of one region on a stretched L2 segment (lab/vip.h has
 * how it is built). The name is also a DNS name; it names the segment's
 * bridge "v-<name>", hence the shorter cap. */
#define ZF_MAX_VIPS 16
#define ZF_VIP_MEMBERS_MAX 10
#define ZF_VIP_NAME_MAX 13

enum zf_vip_manager {
	ZF_VIP_ZONEFALL,       /* zonefall places the address (vip-move) */
	ZF_VIP_KEEPALIVED,     /* the members' keepalived does (VRRP) */
};

struct zf_vip {
	char name[ZF_VIP_NAME_MAX + 1];
	size_t members[ZF_VIP_MEMBERS_MAX];   /* indexes into lab->hosts */
	size_t n_members;                     /* 2..ZF_VIP_MEMBERS_MAX */
	size_t owner;          /* index into members[] of the owner at `up`
				  (zonefall; 0 for keepalived) */
	size_t region;         /* the members' region */
	enum zf_vip_manager manager;
	struct zf_mark mark;
};

struct zf_lab {
	char name[ZF_LAB_NAME_MAX + 1];
	char *path;            /* the file as given */
	char *dir;             /* absolute directory of the file: "{lab}" */
	char domain[64];       /* DNS domain, default "lab" */
	uint32_t block;        /* address block, host byte order; default 198.18.0.0 */
	int block_len;         /* prefix length, 8..22; default 15 */
	uint64_t cross_zone_ns;    /* one-way base latency; 0 if unset */
	uint64_t cross_region_ns;
	uint64_t internet_ns;      /* clients <-> every region's edge */
	struct zf_link_pair *pairs;
	size_t n_pairs;
	struct zf_region *regions;
	size_t n_regions;
	struct zf_zone *zones;     /* grouped by region, in file order */
	size_t n_zones;
	struct zf_host *hosts;     /* hosts in file order, then clients */
	size_t n_hosts;
	struct zf_dns_record *records;
	size_t n_records;
	struct zf_dns_cname *cnames;
	size_t n_cnames;
	uint32_t dns_ttl;          /* seconds, default ZF_DNS_TTL_DEFAULT */
	struct zf_vip *vips;
	size_t n_vips;
};

/* One-way base latency of traffic from region A to region B (A != B). */
uint64_t zf_lab_region_latency(const struct zf_lab *lab, size_t a, size_t b);

/* Parse and validate the lab file at PATH (at most ZF_LAB_FILE_MAX bytes).
 * On success stores a new model in *OUT (free with zf_lab_free) and returns 0.
 * On error returns a negative errno, writes "file:line:col: message" (or
 * "file: message" when there is no position) into ERR, and *OUT is untouched. */
int zf_lab_load(const char *path, struct zf_lab **out, char *err, size_t errlen);

/* Same, from a buffer; NAME is used as the file name in messages and DIR as
 * "{lab}". */
int zf_lab_load_buffer(const char *name, const char *dir, const char *buf,
		       size_t len, struct zf_lab **out, char *err, size_t errlen);

void zf_lab_free(struct zf_lab *lab);

/* Lookups; return the index or -1. */
int zf_lab_find_host(const struct zf_lab *lab, const char *name);
int zf_lab_find_zone(const struct zf_lab *lab, const char *full);
int zf_lab_find_region(const struct zf_lab *lab, const char *name);
int zf_lab_find_vip(const struct zf_lab *lab, const char *name);
int zf_host_find_service(const struct zf_host *host, const char *name);

#endif
