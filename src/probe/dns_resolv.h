/* dns_resolv.h - the resolver a host's users ask: the first IPv4
 * "nameserver" of a resolv.conf text (resolv.conf(5)). */
#ifndef ZF_PROBE_DNS_RESOLV_H
#define ZF_PROBE_DNS_RESOLV_H

#include <stddef.h>
#include <stdint.h>

#define ZF_RESOLV_MAX (64u * 1024u)   /* bytes of resolv.conf read */

/* The address (host byte order) of the first "nameserver" line of
 * TEXT[0..LEN) that names an IPv4 address, into *ADDR. TEXT need not be
 * NUL-terminated; only its first ZF_RESOLV_MAX bytes are read. Comments
 * (# or ; first on a line) and other keywords are skipped, and so are
 * IPv6 nameservers. 0, or -ENOENT when there is none. */
int zf_dns_resolv_first(const char *text, size_t len, uint32_t *addr);

#endif
