/* diskstats.h - the counters zonefall-diskfs keeps for a disk fault, and
 * the one-line file it rewrites every 200 ms inside its host
 * (/run/zonefall-diskfs.<fault id>, the host's private /run):
 *
 *   ops N delayed N delay_us N failed N\n
 *
 * ops counts the operations of the fault's classes; delayed and delay_us
 * what disk-slow added to them; failed what disk-error failed. The daemon
 * formats the line and zonefall parses it back for the report's
 * `delivered` and `zonefall status`; both ends compile this file. Pure:
 * libc only, unit-tested and fuzzed. */
#ifndef ZF_FAULT_DISKSTATS_H
#define ZF_FAULT_DISKSTATS_H

#include <stddef.h>

#include "fault/diskioargs.h"

#define ZF_DISKSTATS_LINE_MAX 160   /* a longer file is not ours */

struct zf_diskstats {
	unsigned long long ops, delayed, delay_us, failed;
};

/* Write the line for S into BUF; its length, or -1 when LEN is too small. */
int zf_diskstats_format(const struct zf_diskstats *s, char *buf, size_t len);

/* Parse TEXT (LEN bytes, not necessarily terminated) into *S: the four
 * keys in that order, decimal values, one optional trailing newline.
 * 0, or -EINVAL for anything else (a partial file, another format). */
int zf_diskstats_parse(const char *text, size_t len, struct zf_diskstats *s);

/* Add B to A (the counters of several hosts of one fault). */
void zf_diskstats_add(struct zf_diskstats *a, const struct zf_diskstats *b);

/* "disk: N operations on H hosts, D delayed (+X ms each)" for disk-slow,
 * "..., F failed" for disk-error. */
void zf_diskstats_describe(const struct zf_diskstats *s, enum zf_diskio_mode mode,
			   size_t hosts, char *buf, size_t len);

#endif
