/* emu.h - link emulation of a lab: its base latencies (links: in the lab
 * file) and the link faults active on it, made real.
 *
 * Delay, jitter, loss, reordering, corruption and duplication are done by
 * the lab's link emulator daemon (zonefall-linkem, src/net/), which reads
 * NFQUEUE queues in router namespaces: it sees a packet only when the
 * gear's `emu` chain marked it (ZF_EMU_MARK, for packets crossing the
 * interfaces in the sets emu_iif / emu_oif / emu_pair) and the namespace's
 * iptables NFQUEUE rule (with --queue-bypass: if the daemon dies, packets
 * flow unharmed) handed it over. Held packets are on the router's forward
 * path, never on a sender's own output path. Bandwidth limits are tbf root
 * qdiscs on the egress interface.
 *
 * zf_emu_sync() makes all of that equal to one desired list (the base links
 * plus the caller's), so faults on one link compose and reverting one
 * leaves the others. What exists is remembered in <state>/emu, written
 * (with the union of old and new) *before* anything changes, so that a
 * sync killed half-way is finished or undone by the next one. */
#ifndef ZF_LAB_EMU_H
#define ZF_LAB_EMU_H

#include <stddef.h>
#include <stdint.h>

#include "lab/labrt.h"
#include "lab/topo.h"
#include "net/linkem_config.h"

#define ZF_EMU_MARK 0x100000u
#define ZF_EMU_QUEUE 90          /* NFQUEUE number in every router namespace */

/* A link as the emulator sees it: packets forwarded in gear namespace
 * GEAR/INDEX (enum zf_gear) that match CFG (its iif/oif, not both "any").
 * CFG holds the name ("base:r1>r2", "f7:web-a:in") and what is done to the
 * packets; its queue is filled in by zf_emu_sync. */
struct zf_emu_link {
	int gear;
	size_t index;
	struct zf_lk_link_cfg cfg;
};

/* A bandwidth limit on the egress of interface IFINDEX in gear namespace
 * GEAR/INDEX, or (GEAR = -1) in host INDEX's namespace. */
struct zf_emu_rate {
	int gear;
	size_t index;
	int ifindex;
	uint64_t rate_bps;
};

enum zf_emu_dir { ZF_EMU_OUT = 1, ZF_EMU_IN = 2, ZF_EMU_BOTH = 3 };

/* The link classes a fault can act on: a host's or client's access link,
 * a zone's uplink to its region router, a region's uplinks (backbone and
 * internet). */
enum zf_emu_class { ZF_EMU_HOST, ZF_EMU_ZONE, ZF_EMU_REGION };

#define ZF_EMU_PER_TARGET 4   /* most links or rates one target has */

/* Where the traffic of class C / INDEX in direction DIR ("out" leaves the
 * target) is seen by the emulator: fills OUT (gear, index, cfg.iif and
 * cfg.oif; no name, no impairment) and returns how many. */
size_t zf_emu_target_links(const struct zf_labrt *rt, enum zf_emu_class c,
			   size_t index, int dir,
			   struct zf_emu_link out[ZF_EMU_PER_TARGET]);

/* Where a bandwidth limit of C / INDEX in direction DIR goes: the egress
 * interfaces that traffic leaves by (rate left 0). */
size_t zf_emu_target_rates(const struct zf_labrt *rt, enum zf_emu_class c,
			   size_t index, int dir,
			   struct zf_emu_rate out[ZF_EMU_PER_TARGET]);

/* The links of the lab file's base latencies (cross_zone between the zone
 * ports of each region router, cross_region between the region ports of
 * the backbone, internet between the client and region ports of the
 * internet namespace). *OUT is malloc'd (NULL when none). */
void zf_emu_base_links(const struct zf_labrt *rt, struct zf_emu_link **out,
		       size_t *n);

/* Make the lab's emulation equal to the base links plus LINKS, and its
 * bandwidth limits equal to RATES (the lowest rate wins on one interface):
 * starts the daemon when it is needed and not running, reloads its config,
 * installs or removes queue rules and marking sets, replaces or deletes
 * qdiscs. T holds the lab's namespaces. 0, or -errno with ERR set; on error
 * the state file still lists everything that may exist, so a later sync
 * (or teardown) cleans up. */
int zf_emu_sync(const struct zf_labrt *rt, const struct zf_topo *t,
		const struct zf_emu_link *links, size_t n_links,
		const struct zf_emu_rate *rates, size_t n_rates, char *err,
		size_t errlen);

/* Check that the lab's emulation is the base links plus LINKS and RATES,
 * as zf_emu_sync made it: the daemon has exactly those links, each of their
 * namespaces has its queue rule, each interface its rate. (What a sync
 * removes it checks itself: rules and qdiscs must be gone.) 0 or -errno
 * with ERR set. */
int zf_emu_verify(const struct zf_labrt *rt, const struct zf_topo *t,
		  const struct zf_emu_link *links, size_t n_links,
		  const struct zf_emu_rate *rates, size_t n_rates, char *err,
		  size_t errlen);

/* After a crash, with no link fault active any more: the base links only,
 * the daemon restarted if it died (*RESTARTED = 1). 0 or -errno, ERR set. */
int zf_emu_restore(const struct zf_labrt *rt, int *restarted, char *err,
		   size_t errlen);

/* The daemon's statistics (one JSON object, docs/linkem.md) in a new
 * string *JSON (free it); -ENOENT when it is not running. */
int zf_emu_stats(const struct zf_labrt *rt, char **json);

#endif
