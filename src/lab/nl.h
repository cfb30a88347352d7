/* nl.h - rtnetlink requests through libmnl, batched per namespace.
 *
 * A zf_nl is a NETLINK_ROUTE socket that lives in one network namespace.
 * Requests are queued into a buffer and sent together by zf_nl_commit(), in
 * as few sendmsg() calls as fit; every request asks for an ACK and commit
 * returns the first error. This is how a lab with hundreds of links is built
 * without one `ip` process (or one round trip) per object.
 *
 * Interface indexes are chosen by the caller (the kernel honours a requested
 * ifindex at creation), so later requests in the same batch can refer to
 * links created earlier in it. Index 1 is always "lo".
 *
 * Resources: each zf_nl holds one file descriptor (its socket, O_CLOEXEC)
 * for as long as it is open, and a reference on its namespace (the kernel
 * keeps the namespace alive while the socket exists). A lab that keeps one
 * zf_nl per host open needs RLIMIT_NOFILE above the number of hosts.
 *
 * A zf_nl is not thread-safe; use one per thread. Queueing functions return
 * -EINVAL for bad arguments and then queue nothing. */
#ifndef ZF_LAB_NL_H
#define ZF_LAB_NL_H

#include <stddef.h>
#include <stdint.h>

/* rtm_protocol of every route we add ('Z'), so `ip route show proto 90`
 * lists them; deleting only matches routes of this protocol. */
#define ZF_RTPROT 0x5a

struct zf_nl;

/* Open a route socket inside the namespace NETNS_FD (-1: the caller's own).
 * The calling thread's namespace is unchanged on return. Returns 0 and the
 * handle in *OUT, or a negative errno (nothing allocated). */
int zf_nl_open(int netns_fd, struct zf_nl **out);
void zf_nl_close(struct zf_nl *nl);

/* Queue creation of a veth pair: NAME with index IFINDEX in namespace NS_FD,
 * PEER with index PEER_IFINDEX in namespace PEER_NS_FD. Both ends are created
 * directly in their namespaces (never in the caller's). The request goes
 * through NL, whose namespace does not matter. An ns fd of -1 means NL's
 * own namespace; an index of 0 lets the kernel choose (and the kernel only
 * honours PEER_IFINDEX when IFINDEX is not 0). Names must be valid interface
 * names (1..15 bytes, no '/', ':' or blanks). The fds must stay open until
 * the commit. Fails at commit with -EEXIST if a name or index is taken. */
int zf_nl_veth(struct zf_nl *nl, const char *name, int ifindex, int ns_fd,
	       const char *peer, int peer_ifindex, int peer_ns_fd);

/* Queue "link IFINDEX up" (or down) in NL's namespace. */
int zf_nl_link_set(struct zf_nl *nl, int ifindex, int up);

/* Queue an IPv4 address ADDR/PLEN (host byte order) on IFINDEX in NL's
 * namespace (NLM_F_REPLACE: re-adding the same address is not an error). A
 * /32 adds no prefix route. */
int zf_nl_addr(struct zf_nl *nl, int ifindex, uint32_t addr, int plen);

enum zf_route_type { ZF_ROUTE_UNICAST, ZF_ROUTE_UNREACHABLE, ZF_ROUTE_BLACKHOLE };

struct zf_route {
	uint32_t dst;          /* host byte order */
	int plen;
	uint32_t gw;           /* 0: directly connected (scope link) */
	int ifindex;           /* 0 for unreachable/blackhole */
	uint32_t src;          /* preferred source, 0: none */
	enum zf_route_type type;
};

/* Queue adding (ADD=1) or deleting a route in the main table of NL's
 * namespace, with protocol ZF_RTPROT. A gateway is always added with
 * RTNH_F_ONLINK (our links are /32 point-to-point); a route without gateway
 * has scope link. Adding an existing route fails with -EEXIST at commit;
 * deleting matches any scope, and the gateway/interface/type when given.
 * -EINVAL now if DST has bits beyond PLEN, if a unicast route has no
 * IFINDEX, or if an unreachable/blackhole route has an IFINDEX or GW. */
int zf_nl_route(struct zf_nl *nl, const struct zf_route *r, int add);

/* Queue replacing the main-table route to R->dst/R->plen (creating it if
 * there is none) by R, with protocol ZF_RTPROT: whatever its type, gateway
 * or interface were, they become R's (e.g. a unicast route becomes
 * unreachable, and back). Routes differing in TOS or metric are other
 * routes; ours have neither. Same argument checks as zf_nl_route(). */
int zf_nl_route_replace(struct zf_nl *nl, const struct zf_route *r);

/* One route read back from the kernel. */
struct zf_route_entry {
	struct zf_route route;
	unsigned char protocol;   /* rtm_protocol: ZF_RTPROT for ours */
	unsigned char scope;      /* rtm_scope */
	unsigned int flags;       /* rtm_flags, e.g. RTNH_F_ONLINK */
};

/* Read the IPv4 unicast, unreachable and blackhole routes of the main table
 * of NL's namespace (other types are skipped). Synchronous; nothing may be
 * queued (-EBUSY). Returns 0 with a malloc'd array in *OUT (NULL when
 * empty; free it) and its length in *N, or a negative errno (-ETIMEDOUT
 * after 10 s without an answer) and *OUT untouched. */
int zf_nl_route_dump(struct zf_nl *nl, struct zf_route_entry **out, size_t *n);

/* The flags of link IFINDEX of NL's namespace (IFF_UP, IFF_LOWER_UP, ...)
 * into *FLAGS. Synchronous; nothing may be queued (-EBUSY). Returns 0,
 * -ENODEV when there is no such link, or another negative errno. */
int zf_nl_link_flags(struct zf_nl *nl, int ifindex, unsigned int *flags);

/* Forget the IPv4 neighbours (ARP entries, except permanent ones) of
 * interface IFINDEX in namespace NS_FD, at once (not through NL's queue).
 * A link whose peer was dark keeps half-resolved entries that the kernel
 * retries only every second; forgetting them makes the next packet ask
 * again at once. 0 or -errno. */
int zf_nl_neigh_flush(int ns_fd, int ifindex);

/* Send everything queued, wait for every ACK. Returns 0 or the first
 * negative errno the kernel reported; *FAILED_SEQ (if not NULL) gets the
 * 0-based position of that request in the batch. The queue is empty after.
 *
 * Every request is sent and answered even after one failed (the kernel goes
 * on with the rest of a datagram anyway, so stopping early would not make
 * the outcome more predictable): the failed request had no effect, the
 * others did. Transport errors are returned too, with *FAILED_SEQ the first
 * request whose outcome is unknown: -ETIMEDOUT if no ACK came for 10 s,
 * -ENOBUFS if ACKs were lost. */
int zf_nl_commit(struct zf_nl *nl, size_t *failed_seq);

/* The kernel's explanation of the error the last commit returned (its
 * extended ACK, e.g. "Nexthop device required for onlink"), or "" when it
 * gave none. Valid until the next commit. */
const char *zf_nl_errmsg(const struct zf_nl *nl);

/* Number of requests queued and not yet committed. */
size_t zf_nl_pending(const struct zf_nl *nl);

#endif
