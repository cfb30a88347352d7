/* resargs.h - the arguments of the resource and service faults, parsed
 * into numbers and word lists. Pure: no lab, no I/O, so it is unit-tested
 * and fuzzed alone.
 *
 *   cpu-throttle FACTOR   "0.25", "25%" (a quarter of one CPU), "1.5"
 *                         (one and a half CPUs): 0.01 to 64 CPUs
 *   cpu-hog [N]           1 to 64 busy processes (default 1)
 *   mem-hog SIZE          mem-limit SIZE
 *   disk-fill [SIZE|full] what is left to write (default full: nothing)
 *   clock-skew OFFSET     "+90s", "-5m", "1h30m" (a sign is optional):
 *                         whole seconds, 1 s to 366 days either way
 *   bad-config 'WORDS'    KEY=VALUE words first (environment), then the
 *                         alternative command line, split like a lab
 *                         file's commands (quotes, no shell)
 *
 * SIZE is a number with an optional fraction and unit: b, k, m, g, t (any
 * case, optionally followed by "b" or "ib"), all powers of 1024: "64M",
 * "1.5GiB", "4096". */
#ifndef ZF_FAULT_RESARGS_H
#define ZF_FAULT_RESARGS_H

#include <stddef.h>

#define ZF_RES_CPU_MIN_MILLI 10u        /* 0.01 CPU */
#define ZF_RES_CPU_MAX_MILLI 64000u     /* 64 CPUs */
#define ZF_RES_HOGS_MAX 64u
#define ZF_RES_SKEW_MAX_S (366ll * 86400)
#define ZF_RES_WORDS_MAX 64

/* Thousandths of one CPU. 0, or -EINVAL with ERR set. */
int zf_resargs_cpu(const char *s, unsigned *milli, char *err, size_t errlen);

/* N busy processes; an empty S is 1. */
int zf_resargs_hogs(const char *s, unsigned *n, char *err, size_t errlen);

/* A size in bytes, MIN to MAX. */
int zf_resargs_size(const char *s, unsigned long long min, unsigned long long max,
		    unsigned long long *bytes, char *err, size_t errlen);

/* What disk-fill leaves free: "" and "full" are 0. At most 64 GiB. */
int zf_resargs_fill(const char *s, unsigned long long *left, char *err, size_t errlen);

/* A clock offset in seconds, never 0. */
int zf_resargs_skew(const char *s, long long *seconds, char *err, size_t errlen);

/* bad-config's words: *ENV gets the leading KEY=VALUE words and *ARGV the
 * rest, each a NULL-terminated list (free with zf_strv_free; an empty list
 * when there are none); at least one of the two is not empty. */
int zf_resargs_config(const char *s, char ***argv, char ***env, char *err,
		      size_t errlen);

#endif
