/* linkargs.h - the arguments of the link faults (delay, loss, reorder,
 * corrupt, duplicate, bandwidth), parsed into what the emulator and tbf
 * need. Pure: no lab, no I/O, so it is unit-tested and fuzzed alone.
 *
 *   delay 20ms [jitter 5ms] [distribution normal|uniform|pareto|paretonormal]
 *              [correlation 25%] [in|out|both]
 *   loss 30% [correlation 25%] [burst 4] [in|out|both]
 *   reorder 25% [delay 10ms] [in|out|both]
 *   corrupt 1% [in|out|both]         duplicate 5% [in|out|both]
 *   bandwidth 10mbit [in|out|both]   (bit, kbit, mbit, gbit; k = 1000)
 *
 * "out" (the default) is traffic leaving the target, "in" traffic reaching
 * it, "both" each way; "direction out" may be written too. */
#ifndef ZF_FAULT_LINKARGS_H
#define ZF_FAULT_LINKARGS_H

#include <stddef.h>
#include <stdint.h>

#include "net/linkem_config.h"

#define ZF_LINKARGS_MAX 256     /* bytes of argument text */

struct zf_linkargs {
	int dir;                     /* enum zf_emu_dir bits: 1 out, 2 in */
	struct zf_lk_link_cfg cfg;   /* impairments (no name, queue or ports) */
	uint64_t rate_bps;           /* bandwidth only */
};

/* Parse ARGS of fault KIND ("delay", ...). 0, or -EINVAL with what was
 * expected in ERR; -ENOENT when KIND is not a link fault. */
int zf_linkargs_parse(const char *kind, const char *args, struct zf_linkargs *out,
		      char *err, size_t errlen);

/* 1 when KIND is one of the link faults. */
int zf_linkargs_is_link_kind(const char *kind);

#endif
