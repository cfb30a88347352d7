/* kinds.h - the fault kinds the registry knows (one file per family). */
#ifndef ZF_FAULT_KINDS_H
#define ZF_FAULT_KINDS_H

#include "fault/fault.h"

extern const struct zf_fault_kind zf_fault_power_off;   /* power.c */
extern const struct zf_fault_kind zf_fault_power_on;
extern const struct zf_fault_kind zf_fault_kill;        /* process.c */
extern const struct zf_fault_kind zf_fault_restart;
extern const struct zf_fault_kind zf_fault_pause;
extern const struct zf_fault_kind zf_fault_resume;
extern const struct zf_fault_kind zf_fault_delay;       /* link.c */
extern const struct zf_fault_kind zf_fault_loss;
extern const struct zf_fault_kind zf_fault_reorder;
extern const struct zf_fault_kind zf_fault_corrupt;
extern const struct zf_fault_kind zf_fault_duplicate;
extern const struct zf_fault_kind zf_fault_bandwidth;
extern const struct zf_fault_kind zf_fault_partition;   /* net_filter.c */
extern const struct zf_fault_kind zf_fault_isolate;
extern const struct zf_fault_kind zf_fault_block;
extern const struct zf_fault_kind zf_fault_route_withdraw; /* net_route.c */
extern const struct zf_fault_kind zf_fault_route_restore;
extern const struct zf_fault_kind zf_fault_link_down;   /* net_link.c */
extern const struct zf_fault_kind zf_fault_link_up;
extern const struct zf_fault_kind zf_fault_vip_move;    /* vip.c */
extern const struct zf_fault_kind zf_fault_dns_servfail; /* dns.c */
extern const struct zf_fault_kind zf_fault_dns_nxdomain;
extern const struct zf_fault_kind zf_fault_dns_empty;
extern const struct zf_fault_kind zf_fault_dns_timeout;
extern const struct zf_fault_kind zf_fault_dns_slow;
extern const struct zf_fault_kind zf_fault_dns_wrong;
extern const struct zf_fault_kind zf_fault_dns_stale;
extern const struct zf_fault_kind zf_fault_dns_ttl;
extern const struct zf_fault_kind zf_fault_cpu_throttle; /* res_cpu.c */
extern const struct zf_fault_kind zf_fault_cpu_hog;
extern const struct zf_fault_kind zf_fault_mem_limit;   /* res_mem.c */
extern const struct zf_fault_kind zf_fault_mem_hog;
extern const struct zf_fault_kind zf_fault_disk_fill;   /* res_disk.c */
extern const struct zf_fault_kind zf_fault_disk_slow;   /* res_diskio.c */
extern const struct zf_fault_kind zf_fault_disk_error;
extern const struct zf_fault_kind zf_fault_clock_skew;  /* res_clock.c */
extern const struct zf_fault_kind zf_fault_crash_loop;  /* svc_bad.c */
extern const struct zf_fault_kind zf_fault_bad_config;
extern const struct zf_fault_kind zf_fault_exec;        /* operator.c */

#endif
