/* diskioargs.h - the arguments of the disk I/O faults (disk-slow,
 * disk-error), parsed into a small plan that the FUSE daemon
 * zonefall-diskfs (src/diskfs/) carries out. Pure: no lab, no I/O, only
 * libc, so the daemon compiles it in, and it is unit-tested and fuzzed
 * alone.
 *
 *   disk-slow  DELAY [OPS]           "50ms", "2.5ms write,fsync", "1s all"
 *   disk-error [RATE] [OPS] [ERRNO]  "10%", "100% write", "0.5% read EIO",
 *                                    "fsync ENOSPC"
 *
 * DELAY is a number (fraction allowed) with a unit us, ms or s: 1 us to
 * 10 s, added to every operation of OPS before it is passed through.
 * RATE is a percentage, 0.0001% to 100% (default 100%): the share of the
 * operations of OPS that fail with ERRNO (default EIO) without reaching
 * the disk. OPS is a comma-separated list of classes:
 *   read   reads of file data
 *   write  writes of file data, truncate, fallocate
 *   fsync  fsync, fdatasync (files and directories)
 *   open   open, create, opendir
 *   meta   stat, readdir, readlink, mkdir, rmdir, unlink, rename, link,
 *          symlink, mknod, chmod, chown, utimes, statfs
 *   all    every one of them
 * (default read,write,fsync). The words after DELAY, or of disk-error, may
 * come in any order, each at most once. */
#ifndef ZF_FAULT_DISKIOARGS_H
#define ZF_FAULT_DISKIOARGS_H

#include <stddef.h>

#define ZF_DISKIO_TEXT_MAX 200            /* longest argument text */
#define ZF_DISKIO_DELAY_MAX_US 10000000ull /* 10 s */
#define ZF_DISKIO_RATE_FULL 1000000u      /* parts per million: 100% */

enum zf_diskio_mode { ZF_DISKIO_SLOW = 1, ZF_DISKIO_ERROR = 2 };

enum zf_diskio_op {
	ZF_DISKIO_READ = 1u << 0,
	ZF_DISKIO_WRITE = 1u << 1,
	ZF_DISKIO_FSYNC = 1u << 2,
	ZF_DISKIO_OPEN = 1u << 3,
	ZF_DISKIO_META = 1u << 4,
	ZF_DISKIO_ALL = (1u << 5) - 1,
	ZF_DISKIO_DEFAULT = ZF_DISKIO_READ | ZF_DISKIO_WRITE | ZF_DISKIO_FSYNC,
};

struct zf_diskio {
	enum zf_diskio_mode mode;
	unsigned long long delay_us;    /* slow: 1 .. ZF_DISKIO_DELAY_MAX_US */
	unsigned rate_ppm;              /* error: 1 .. ZF_DISKIO_RATE_FULL */
	int error;                      /* error: a positive errno (EIO) */
	unsigned ops;                   /* enum zf_diskio_op bits, never 0 */
};

/* Parse S, the arguments of a fault of MODE, into *OUT. 0, or -EINVAL with
 * ERR set (saying what was expected) and *OUT unspecified. */
int zf_diskio_parse(enum zf_diskio_mode mode, const char *s, struct zf_diskio *out,
		    char *err, size_t errlen);

/* The name of one op class bit ("write"), or NULL. */
const char *zf_diskio_op_name(unsigned bit);

/* The name of an errno the parser accepts ("EIO"), or NULL. */
const char *zf_diskio_errno_name(int error);

/* The mode of fault kind KIND ("disk-slow", "disk-error"), or 0 when KIND
 * is not a disk I/O fault. */
enum zf_diskio_mode zf_diskio_mode_of(const char *kind);

/* One line describing D ("50.000 ms on read,write,fsync"; "10% of
 * write fail with EIO") into BUF. */
void zf_diskio_describe(const struct zf_diskio *d, char *buf, size_t len);

#endif
