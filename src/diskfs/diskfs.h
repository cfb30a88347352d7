/* diskfs.h - zonefall-diskfs, the FUSE pass-through that carries out the
 * disk-slow and disk-error faults inside one lab host.
 *
 * It is started by zonefall inside the host's namespaces (src/fault/
 * res_diskio.c), opens the host's data directory, mounts itself over it in
 * the host's mount namespace only and passes every operation through to
 * the directory it opened, by *at calls relative to that fd, after adding
 * the fault's delay or failing it with the fault's error. */
#ifndef ZF_DISKFS_DISKFS_H
#define ZF_DISKFS_DISKFS_H

#include <stdatomic.h>
#include <stddef.h>

#include "fault/diskioargs.h"

#define ZF_DISKFS_ARGC_MAX 16
#define ZF_DISKFS_ARG_MAX 1024

/* The command line: zonefall-diskfs --dir DATA --mode slow|error
 * --args 'TEXT' [--keep NAME] [--ready-fd N] [--stats PATH] */
struct diskfs_opts {
	const char *dir;       /* the directory to cover (absolute) */
	const char *keep;      /* a direct child of DIR left on the real disk, or NULL */
	const char *stats;     /* where to write the counters, or NULL */
	int ready_fd;          /* one byte once mounted and armed, or -1 */
	struct zf_diskio plan;
};

/* Parse ARGC/ARGV (capped: ZF_DISKFS_ARGC_MAX words of ZF_DISKFS_ARG_MAX
 * bytes) into *O, which points into ARGV. 0, or -EINVAL with ERR set. */
int diskfs_opts_parse(int argc, char *const *argv, struct diskfs_opts *o, char *err,
		      size_t errlen);

/* What the file system did, for the stats file. */
struct diskfs_stats {
	atomic_ullong ops;       /* operations of the plan's classes */
	atomic_ullong delayed;   /* of them, delayed */
	atomic_ullong delay_us;  /* delay added in all */
	atomic_ullong failed;    /* of them, failed with the plan's error */
};

/* The state of the running file system (passthru.c). */
struct diskfs {
	int root;                    /* O_DIRECTORY fd of the real directory */
	struct zf_diskio plan;
	atomic_int armed;            /* 0 while setting up: no faults yet */
	struct diskfs_stats st;
};

/* The FUSE operations (high-level API), with the struct diskfs as the
 * private data of the fuse_context. */
struct fuse_operations;
const struct fuse_operations *diskfs_operations(void);

#endif
