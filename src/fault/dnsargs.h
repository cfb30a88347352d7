/* dnsargs.h - the arguments of the DNS faults: "NAMES [VALUE]".
 *
 * NAMES is an fnmatch glob of query names ("www", "*.r1", "api.lab"; the
 * lab's domain is added when it does not end the glob; default "*"),
 * VALUE the mode's parameter: dns-slow a delay (at most 10 min), dns-wrong
 * an IPv4 address or a host of the lab (default an address of the client
 * block that nobody owns), dns-ttl seconds. The other modes take NAMES
 * only. */
#ifndef ZF_FAULT_DNSARGS_H
#define ZF_FAULT_DNSARGS_H

#include "dns/dns_config.h"
#include "lab/addrplan.h"
#include "spec/lab.h"

#define ZF_DNSARGS_PREFIX "dns-"
#define ZF_DNSARGS_MAX 255        /* characters of ARGS */

/* Is KIND one of the dns-MODE faults? */
int zf_dnsargs_is_dns_kind(const char *kind);

/* KIND ("dns-slow") and ARGS (may be NULL) into *F: mode, pattern and the
 * mode's value; id and resolver are left empty. Returns 0, or -EINVAL
 * with what was expected in ERR. */
int zf_dnsargs_parse(const struct zf_lab *lab, const struct zf_plan *plan,
		     const char *kind, const char *args, struct zf_dns_fault_cfg *f,
		     char *err, size_t errlen);

#endif
