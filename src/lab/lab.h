/* lab.h - bringing a whole lab up and tearing it down.
 *
 * Up records every object in the inventory before creating it; any failure
 * part-way tears down what exists and leaves the machine as it was. Down and
 * recover act only on the inventory, tolerate objects already gone, and
 * verify that nothing is left; a second call is a no-op. */
#ifndef ZF_LAB_LAB_H
#define ZF_LAB_LAB_H

#include <stddef.h>
#include <stdint.h>

#include "lab/labrt.h"

struct zf_up_opts {
	int wait_ready_ms;     /* wait for services; 0: do not wait */
	int parallel;          /* threads for namespace creation; 0: auto */
};

/* Per-phase timings of the last zf_lab_up, for benchmarks and --verbose. */
struct zf_up_times {
	uint64_t state_ns, netns_ns, links_ns, config_ns, nft_ns, boot_ns, ready_ns;
};

/* Read, validate and realise the lab file PATH. On success *OUT (may be
 * NULL) gets the running lab's handle. Errors: -EINVAL spec error (ERR has
 * file:line:col), -EEXIST a lab of that name is up, others environmental. */
int zf_lab_up(const char *path, const struct zf_up_opts *opts,
	      struct zf_labrt **out, struct zf_up_times *times, char *err,
	      size_t errlen);

/* Tear down the lab NAME from its inventory, after stopping the drills that
 * use it (lab/labuse.h). KEEP_DATA keeps the hosts' data directories.
 * Returns 0 when the lab is gone, -ENOENT when there was no such lab,
 * -ETIMEDOUT when a drill would not stop, -EBUSY (ERR names what) when
 * something could not be removed. */
int zf_lab_down(const char *name, int keep_data, char *err, size_t errlen);

/* The same, for a caller that already holds the lab's lock (zf_labrt_lock). */
int zf_lab_down_locked(const char *name, int keep_data, char *err, size_t errlen);

#endif
