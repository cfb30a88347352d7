/* emu_priv.h - (private to src/lab) the parts of link emulation: the
 * daemon's life and requests (emu_daemon.c), queue rules and marking sets
 * in a router namespace (emu_queue.c). */
#ifndef ZF_LAB_EMU_PRIV_H
#define ZF_LAB_EMU_PRIV_H

#include <stddef.h>
#include <sys/types.h>

#include "lab/daemon.h"
#include "lab/emu.h"

/* The daemon's directory: <state>/linkem. */
int zf_emu_dir(const char *state, char *buf, size_t len);

/* Start the daemon of RT unless it runs; 0 or -errno with ERR set. */
int zf_emu_daemon_ensure(const struct zf_labrt *rt, char *err, size_t errlen);


/* The iptables rule handing marked forwarded packets to queue
 * ZF_EMU_QUEUE in namespace NS_FD: add (unless present), delete (with the
 * table iptables made, which nothing else in our gear uses), or check
 * (*PRESENT). 0 or -errno with ERR set. */
int zf_emu_rule_add(int ns_fd, char *err, size_t errlen);
int zf_emu_rule_del(int ns_fd, char *err, size_t errlen);
int zf_emu_rule_present(int ns_fd, int *present, char *err, size_t errlen);

/* Replace the marking sets of NS_FD's gear table with the interfaces of
 * the links of LINKS[0..N) that are in gear G/INDEX (N = 0 empties them),
 * in one transaction. */
int zf_emu_marks_set(int ns_fd, int g, size_t index, const struct zf_emu_link *links,
		     size_t n, char *err, size_t errlen);

#endif
