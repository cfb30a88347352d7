/* dns_config.h - the lab DNS server's configuration: the model, the text
 * parser (DIR/config of zonefall-dns) and the writer the lab side uses to
 * produce that file without formatting it by hand.
 *
 * The file is text, one record per line, '#' starts a comment (at the start
 * of a line or of a word), words are separated by spaces or tabs:
 *
 *   zone DOMAIN
 *   udp-max BYTES
 *   listen ID NETNS_PATH ADDR
 *   a NAME TTL ADDR [health=up|down]
 *   cname NAME TTL TARGET
 *   rrset NAME [order=fixed|roundrobin] [health=ignore|aware]
 *   fault ID RESOLVER PATTERN MODE [ARG]
 *
 * 'zone' comes before the records (a, cname, rrset); everything else may
 * come in any order. Names are written absolute without the final dot
 * (one is accepted) and kept in lower case. docs/dns.md describes every
 * field and what the daemon does with it. */
#ifndef ZF_DNS_DNS_CONFIG_H
#define ZF_DNS_DNS_CONFIG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZF_DNS_MAX_FILE (1u << 20)        /* bytes */
#define ZF_DNS_MAX_LINES 65536
#define ZF_DNS_MAX_LISTENERS 256
#define ZF_DNS_MAX_RECORDS 65536          /* a + cname lines */
#define ZF_DNS_MAX_RRSET 1024             /* a records of one name */
#define ZF_DNS_MAX_FAULTS 1024
#define ZF_DNS_MAX_CHAIN 8                /* cnames followed in a row */
#define ZF_DNS_ID_MAX 31                  /* listen and fault IDs */
#define ZF_DNS_NAME_MAX 253               /* a name, characters */
#define ZF_DNS_PATH_MAX 255               /* netns path, characters */
#define ZF_DNS_PATTERN_MAX 255
#define ZF_DNS_MAX_TTL 2147483647u        /* RFC 2181 */
#define ZF_DNS_MAX_SLOW_NS 600000000000ull  /* ten minutes */
#define ZF_DNS_UDP_MAX_DEFAULT 1232       /* DNS flag day 2020 */
#define ZF_DNS_UDP_MAX_LIMIT 4096
#define ZF_DNS_ANY_RESOLVER "*"

enum zf_dns_fault_mode {
	ZF_DNS_FAULT_SERVFAIL,
	ZF_DNS_FAULT_NXDOMAIN,
	ZF_DNS_FAULT_EMPTY,     /* NOERROR, no answer */
	ZF_DNS_FAULT_TIMEOUT,   /* no reply at all */
	ZF_DNS_FAULT_SLOW,      /* the normal reply, SLOW_NS later */
	ZF_DNS_FAULT_WRONG,     /* A queries answered with WRONG */
	ZF_DNS_FAULT_STALE,     /* answers from a snapshot of the records */
	ZF_DNS_FAULT_TTL,       /* the normal answer with TTL overridden */
};

struct zf_dns_listen_cfg {
	char id[ZF_DNS_ID_MAX + 1];
	char netns[ZF_DNS_PATH_MAX + 1];    /* absolute path of a netns file */
	struct in_addr addr;                /* UDP and TCP port 53 here */
	unsigned line;                      /* where it was declared (0: API) */
};

struct zf_dns_a_cfg {
	char name[ZF_DNS_NAME_MAX + 1];
	uint32_t ttl;
	struct in_addr addr;
	bool down;                          /* health=down */
	unsigned line;
};

struct zf_dns_cname_cfg {
	char name[ZF_DNS_NAME_MAX + 1];
	uint32_t ttl;
	char target[ZF_DNS_NAME_MAX + 1];   /* may lie outside the zone */
	unsigned line;
};

struct zf_dns_rrset_cfg {
	char name[ZF_DNS_NAME_MAX + 1];
	bool roundrobin;                    /* order=roundrobin */
	bool health_aware;                  /* health=aware */
	unsigned line;
};

struct zf_dns_fault_cfg {
	char id[ZF_DNS_ID_MAX + 1];
	char resolver[ZF_DNS_ID_MAX + 1];   /* a listen ID or "*" */
	char pattern[ZF_DNS_PATTERN_MAX + 1];   /* fnmatch glob, lower case */
	enum zf_dns_fault_mode mode;
	uint64_t slow_ns;                   /* slow */
	struct in_addr wrong;               /* wrong */
	uint32_t ttl;                       /* ttl */
	unsigned line;
};

struct zf_dns_config {
	char zone[ZF_DNS_NAME_MAX + 1];     /* "" until set */
	unsigned zone_line;
	uint16_t udp_max;                   /* largest UDP answer we send */
	struct zf_dns_listen_cfg *listens;
	size_t nlistens;
	struct zf_dns_a_cfg *as;
	size_t nas;
	struct zf_dns_cname_cfg *cnames;
	size_t ncnames;
	struct zf_dns_rrset_cfg *rrsets;
	size_t nrrsets;
	struct zf_dns_fault_cfg *faults;
	size_t nfaults;
};

/* An empty config (no zone, udp-max 1232). Free it with
 * zf_dns_config_free() once records were added. */
void zf_dns_config_init(struct zf_dns_config *cfg);
void zf_dns_config_free(struct zf_dns_config *cfg);

/* Parse LEN bytes of BUF (need not be NUL-terminated) into *OUT, which the
 * caller frees with zf_dns_config_free(). FILE names the input in
 * messages. Returns 0, or -EINVAL with "FILE:LINE: what was expected" in
 * ERR (then *OUT is empty and nothing is allocated). Caps: ZF_DNS_MAX_*. */
int zf_dns_config_parse(const char *file, const char *buf, size_t len,
			struct zf_dns_config *out, char *err, size_t errlen);

/* Read and parse PATH. A missing file is -ENOENT (ERR says so); other
 * errors as zf_dns_config_parse(), or a negative errno from reading. */
int zf_dns_config_load(const char *path, struct zf_dns_config *out,
		       char *err, size_t errlen);

/* Builders for the lab side. Each checks its record alone (syntax, ranges,
 * the name inside the zone, IDs unique) and appends a copy; names are
 * lower-cased. Returns 0, or -EINVAL with what was expected in ERR (nothing
 * is added). Checks between records (a name with both a cname and
 * addresses, cname loops, a fault naming an unknown resolver, ...) are
 * made by zf_dns_config_check(), which the parser and the writer run. */
int zf_dns_config_set_zone(struct zf_dns_config *cfg, const char *domain,
			   char *err, size_t errlen);
int zf_dns_config_set_udp_max(struct zf_dns_config *cfg, unsigned bytes,
			      char *err, size_t errlen);
int zf_dns_config_add_listen(struct zf_dns_config *cfg, const char *id,
			     const char *netns, struct in_addr addr,
			     char *err, size_t errlen);
int zf_dns_config_add_a(struct zf_dns_config *cfg, const char *name,
			uint32_t ttl, struct in_addr addr, bool down,
			char *err, size_t errlen);
int zf_dns_config_add_cname(struct zf_dns_config *cfg, const char *name,
			    uint32_t ttl, const char *target,
			    char *err, size_t errlen);
int zf_dns_config_add_rrset(struct zf_dns_config *cfg, const char *name,
			    bool roundrobin, bool health_aware,
			    char *err, size_t errlen);
/* F->line is kept; the other fields as in struct zf_dns_fault_cfg (the
 * argument fields that MODE does not use must be zero). */
int zf_dns_config_add_fault(struct zf_dns_config *cfg,
			    const struct zf_dns_fault_cfg *f,
			    char *err, size_t errlen);

/* The checks between records. Returns 0, or -EINVAL with the first
 * problem (by line) in ERR, as "FILE:LINE: ..." when FILE is not NULL and
 * the record has a line, else without a position. */
int zf_dns_config_check(const struct zf_dns_config *cfg, const char *file,
			char *err, size_t errlen);

/* Render CFG as file text into a new NUL-terminated buffer (*TEXT, free
 * it; length in *LEN). Returns 0, or -EINVAL with ERR if CFG is not valid
 * (the daemon's parser reads the text back before it is returned). */
int zf_dns_config_format(const struct zf_dns_config *cfg, char **text,
			 size_t *len, char *err, size_t errlen);

/* Format CFG and replace DIR/config atomically (rename). Returns 0 or a
 * negative errno (-EINVAL: invalid CFG, message in ERR). */
int zf_dns_config_write(const char *dir, const struct zf_dns_config *cfg,
			char *err, size_t errlen);

/* Words of the enum, and back; -EINVAL for an unknown word. */
const char *zf_dns_fault_mode_name(enum zf_dns_fault_mode m);
int zf_dns_fault_mode_parse(const char *s, enum zf_dns_fault_mode *out);

#endif
