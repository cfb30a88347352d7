/* dnsd.h - internals of zonefall-dns, the lab's authoritative DNS server:
 * one process per lab, one epoll loop serving the UDP and TCP sockets of
 * every resolver address (each created inside its network namespace), the
 * delayed replies of 'slow' faults and the control socket.
 *
 * The query path is the "engine" (zone, faults, query, answer, engine.c):
 * bytes in, bytes out, no sockets, so the unit tests and the fuzz target
 * drive exactly what the daemon runs. docs/dns.md is the user-facing
 * description. */
#ifndef ZF_DNS_DAEMON_DNSD_H
#define ZF_DNS_DAEMON_DNSD_H

#include "dns/dns_config.h"

#include <ldns/ldns.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define DNSD_TEXT_MAX 1100          /* a query name as text, with escapes */
#define DNSD_TCP_MAX 65535          /* largest DNS message */
#define DNSD_SOA_TTL 5              /* SOA TTL and negative-caching TTL */
#define DNSD_NS_TTL 60              /* NS record and its synthesised glue */
#define DNSD_WRONG_TTL 30           /* 'wrong' answer for a name without A */

/* ---- zone.c, zone_build.c: the records of one config, built once ---- */

struct dnsd_node {
	char *name;                 /* normalised, owned */
	ldns_rr **a;                /* A records in config order */
	bool *down;                 /* health=down, per A record */
	uint32_t na;
	ldns_rr *cname;
	struct dnsd_node *target;   /* cname target if in the zone and known */
	bool target_in_zone;
	bool roundrobin, health_aware;
	bool synth_ns;              /* ns.ZONE made up: A = the listener's */
	uint64_t turn;              /* round-robin position */
	struct dnsd_node *next;     /* all nodes, for freeing */
};

struct dnsd_zone {
	unsigned refs;
	uint64_t gen;
	char name[ZF_DNS_NAME_MAX + 1];     /* "" when no zone: all REFUSED */
	ldns_rr *soa, *ns;
	struct dnsd_node *apex;
	struct dnsd_node **table;           /* open addressing, by name */
	size_t mask, nnodes;
	struct dnsd_node *nodes;
};

/* Build the records of CFG (already checked) as generation GEN. Returns 0
 * and a zone with one reference in *OUT, or -ENOMEM (ldns failed). */
int dnsd_zone_build(const struct zf_dns_config *cfg, uint64_t gen,
		    struct dnsd_zone **out);
struct dnsd_zone *dnsd_zone_ref(struct dnsd_zone *z);
void dnsd_zone_unref(struct dnsd_zone *z);
/* The node of NAME (normalised text), or NULL. */
struct dnsd_node *dnsd_zone_find(const struct dnsd_zone *z, const char *name);
/* Insert (build time only): the node of NAME, created empty if new. */
struct dnsd_node *dnsd_zone_get(struct dnsd_zone *z, const char *name);
/* An A record OWNER TTL IN A ADDR; OWNER is taken (freed on failure).
 * NULL if ldns failed. */
ldns_rr *dnsd_make_a(ldns_rdf *owner, uint32_t ttl, struct in_addr addr);

/* ---- engine.c, fault.c: the running zone, faults and the query path ---- */

struct dnsd_fault {
	struct zf_dns_fault_cfg cfg;
	uint64_t hits;
	struct dnsd_zone *snap;     /* stale: the records when it appeared */
};

struct dnsd_engine {
	struct dnsd_zone *zone;
	struct dnsd_fault *faults;
	size_t nfaults;
	uint16_t udp_max;
	uint64_t gen;
	ldns_buffer *wire;          /* reused for every answer */
};

/* Where a query came in. */
struct dnsd_src {
	const char *resolver;       /* the listener's ID */
	struct in_addr local;       /* its address (ns.ZONE glue) */
	bool tcp;
};

enum dnsd_verdict { DNSD_SEND, DNSD_DROP };

struct dnsd_result {
	enum dnsd_verdict verdict;
	size_t len;                 /* reply bytes in OUT */
	uint64_t delay_ns;          /* send this long after arrival */
	int rcode;                  /* of the reply (extended: BADVERS 16) */
	int fault;                  /* index of the fault that acted, or -1 */
	bool formerr, truncated;
};

/* An engine with no zone (everything REFUSED). Returns 0 or -ENOMEM. */
int dnsd_engine_init(struct dnsd_engine *e);
void dnsd_engine_free(struct dnsd_engine *e);
/* Make CFG's zone ZONE (its reference is taken) and faults current as
 * generation GEN. Faults keep their hit counts and 'stale' snapshots by
 * ID (a stale fault new in this config snapshots ZONE); cannot fail. */
void dnsd_engine_commit(struct dnsd_engine *e, const struct zf_dns_config *cfg,
			struct dnsd_zone *zone, uint64_t gen);
/* Forget every fault (their snapshots go). */
void dnsd_engine_drop_faults(struct dnsd_engine *e);
/* Answer the LEN bytes of query Q arriving from SRC into OUT (CAP bytes;
 * UDP callers give at least ZF_DNS_UDP_MAX_LIMIT, TCP DNSD_TCP_MAX). Never
 * fails: a malformed query gets FORMERR when its header can be read and is
 * dropped otherwise; RES says what to do. */
void dnsd_handle(struct dnsd_engine *e, const struct dnsd_src *src,
		 const uint8_t *q, size_t len, uint8_t *out, size_t cap,
		 struct dnsd_result *res);

/* The first fault matching RESOLVER and NAME (normalised text), in file
 * order, counted as a hit; NULL if none. */
struct dnsd_fault *dnsd_fault_match(struct dnsd_engine *e,
				    const char *resolver, const char *name);

/* ---- query.c: what a query asks ---- */

struct dnsd_query {
	ldns_pkt *pkt;              /* owned */
	const ldns_rr *question;
	char name[DNSD_TEXT_MAX];   /* lower case, no final dot, \DDD escapes */
	ldns_rr_type qtype;
	ldns_rr_class qclass;
	bool edns;
	uint16_t edns_size;
	uint8_t edns_version;
};

enum dnsd_qstatus { DNSD_Q_OK, DNSD_Q_DROP, DNSD_Q_FORMERR, DNSD_Q_NOTIMP };

/* Parse LEN bytes of WIRE into Q (free it with dnsd_query_free() when
 * DNSD_Q_OK). DROP: no header, or a response; FORMERR/NOTIMP: a header
 * reply is due (dnsd_header_reply). */
enum dnsd_qstatus dnsd_query_parse(const uint8_t *wire, size_t len,
				   struct dnsd_query *q);
void dnsd_query_free(struct dnsd_query *q);
/* A 12-byte reply to the header of WIRE (at least 12 bytes): its ID,
 * opcode and RD, QR set, RCODE, no records. */
void dnsd_header_reply(const uint8_t *wire, int rcode, uint8_t *out);
/* The owner name of a question as text (see struct dnsd_query). */
void dnsd_name_text(const ldns_rdf *dname, char *out);

/* ---- answer.c: the response packet ---- */

/* Fill R (header and question already set) for Q, a name inside the
 * zone, from zone Z. F is the fault that matched (NULL: none; 'timeout'
 * never comes here). Returns the RCODE set, or -ENOMEM if ldns could not
 * allocate (R is then half built: the caller answers SERVFAIL). */
int dnsd_answer(struct dnsd_zone *z, const struct dnsd_src *src,
		const struct dnsd_query *q, const struct dnsd_fault *f,
		ldns_pkt *r);

#endif
