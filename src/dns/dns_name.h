/* dns_name.h - the words of the DNS config: names, IDs and fault
 * patterns, checked and normalised the same way by the parser, the
 * builders and the daemon. */
#ifndef ZF_DNS_DNS_NAME_H
#define ZF_DNS_DNS_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/num.h"

/* Normalise NAME (labels of letters, digits, '-' and '_', 1..63
 * characters each, at most 253 in all, one final dot allowed) into OUT
 * (at least 254 bytes): lower case, no final dot. Returns 0 or -EINVAL
 * (OUT is then undefined). */
int zf_dns_name_norm(const char *name, char *out);

/* True if NAME is ZONE or a name below it (both normalised). */
bool zf_dns_name_in_zone(const char *name, const char *zone);

/* An ID (listen, fault): 1..31 letters, digits, '-', '_' or '.'.
 * Returns 0 or -EINVAL. */
int zf_dns_id_check(const char *id);

/* A fault pattern: 1..255 printable characters without spaces, '#' only
 * after the first character; copied lower-cased into OUT (256 bytes).
 * Returns 0 or -EINVAL. */
int zf_dns_pattern_norm(const char *pattern, char *out);

/* Numbers: zf_parse_u64() of util/num.h. */

#endif
