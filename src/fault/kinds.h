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

#endif
