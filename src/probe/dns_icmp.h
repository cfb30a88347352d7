/* dns_icmp.h - (private to src/probe) the ICMP errors that come back for a
 * dns probe's queries. Its sockets set IP_RECVERR, so the kernel queues
 * each ICMP error with the bytes of the datagram it is about: the query,
 * whose ID names the request that failed. */
#ifndef ZF_PROBE_DNS_ICMP_H
#define ZF_PROBE_DNS_ICMP_H

#include <netinet/in.h>
#include <stdint.h>

#include "probe/probe.h"

/* Turn on IP_RECVERR on FD: 0 or a negative errno. */
int zf_dns_icmp_enable(int fd);

/* Take one message off FD's error queue. Returns 1 with *ID (the query's
 * ID) and *OUT (ZF_OUT_REFUSED for port unreachable, ZF_OUT_UNREACHABLE
 * for the other destination-unreachable codes) when it is an ICMP
 * destination-unreachable error for a query that went to SERVER; 0 for
 * any other message (ignored); -EAGAIN when the queue is empty, another
 * negative errno when it cannot be read. */
int zf_dns_icmp_read(int fd, const struct sockaddr_in *server, uint16_t *id,
		     enum zf_outcome *out);

/* Clear FD's pending socket error (set along with each queued ICMP
 * error), so that the next send does not fail with an old one. */
void zf_dns_icmp_clear(int fd);

#endif
