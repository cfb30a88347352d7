/* cgroup.h - the lab's cgroups, on cgroup v1 (one directory per hierarchy:
 * freezer, cpu, memory, pids) or v2 (one unified directory).
 *
 * Paths are given relative to zonefall's own top ("<lab>/<host>/svc-x");
 * nothing outside ".../zonefall/" is ever created or written, except that on
 * v2 our own subtree gets controllers enabled where the parent allows. */
#ifndef ZF_LAB_CGROUP_H
#define ZF_LAB_CGROUP_H

#include <stddef.h>
#include <sys/types.h>

#define ZF_CG_MAX_HIER 4

enum zf_cg_ctrl { ZF_CG_FREEZER, ZF_CG_CPU, ZF_CG_MEMORY, ZF_CG_PIDS };

struct zf_cg {
	int version;                          /* 1 or 2 */
	size_t n;                             /* hierarchies in use */
	char top[ZF_CG_MAX_HIER][128];        /* ".../zonefall" per hierarchy */
	enum zf_cg_ctrl ctrl[ZF_CG_MAX_HIER]; /* v1: which controller each is */
};

/* Find the mounted hierarchies: $ZF_CGROUP2_ROOT if set (a v2 hierarchy
 * mounted elsewhere, as on hybrid machines), else /sys/fs/cgroup if it is
 * v2, else the v1 hierarchies under it. -ENOTSUP when none is usable (no v2
 * root and no v1 freezer: the machine cannot pause hosts). */
int zf_cg_detect(struct zf_cg *cg);
/* The same with an explicit v2 root (NULL or "": look as usual). */
int zf_cg_detect_root(struct zf_cg *cg, const char *v2root);

/* A lab keeps the choice made at `up` in its state dir (file "cgroup2root",
 * present only when a v2 root was given), so that every later command acts
 * on the same hierarchies whatever its environment. */
int zf_cg_save_choice(const char *state_dir);
int zf_cg_load_choice(const char *state_dir, struct zf_cg *cg);

/* Absolute path of REL in hierarchy I (0..n-1). */
int zf_cg_path(const struct zf_cg *cg, size_t i, const char *rel, char *buf,
	       size_t len);

/* mkdir REL in every hierarchy (parents must exist; EEXIST is fine). On v1
 * a LEAF is made in the freezer hierarchy only. On v2 a non-LEAF directory
 * also gets the cpu, memory and pids controllers enabled for its children
 * (leaves hold the processes). */
int zf_cg_create(const struct zf_cg *cg, const char *rel, int leaf);
/* rmdir REL in every hierarchy; absent is success; -EBUSY if in use. */
int zf_cg_remove(const struct zf_cg *cg, const char *rel);

/* Move process PID (0: the caller) into REL in every hierarchy (on v1, a
 * hierarchy without that leaf gets its parent). Only uses open/write/close,
 * so it is safe between fork and exec. */
int zf_cg_join(const struct zf_cg *cg, const char *rel, pid_t pid);

/* Number of processes in REL and below it (0 if REL is gone). */
int zf_cg_count(const struct zf_cg *cg, const char *rel);

/* SIGKILL every process in REL and below, thawing it so frozen tasks can
 * die; then wait up to TIMEOUT_NS for it to be empty. -ETIMEDOUT if not. */
int zf_cg_kill(const struct zf_cg *cg, const char *rel, unsigned long long timeout_ns);

/* Freeze (1) or thaw (0) REL and wait until the kernel reports the state. */
int zf_cg_freeze(const struct zf_cg *cg, const char *rel, int freeze);
/* 1 frozen, 0 not, negative errno. */
int zf_cg_frozen(const struct zf_cg *cg, const char *rel);

/* Set the CPU quota of REL to PERCENT of one CPU (0: unlimited). */
int zf_cg_cpu_quota(const struct zf_cg *cg, const char *rel, unsigned percent);

/* CPU bandwidth of REL: QUOTA_US of CPU time in every PERIOD_US (v1
 * cpu.cfs_period_us + cpu.cfs_quota_us, v2 cpu.max); QUOTA_US 0 means
 * unlimited. -ENOTSUP when no hierarchy has the cpu controller, -EINVAL
 * when the kernel refuses the numbers (quota below 1 ms). */
int zf_cg_cpu_max(const struct zf_cg *cg, const char *rel, unsigned long long quota_us,
		  unsigned long long period_us);
/* Read it back: *QUOTA_US 0 when unlimited. */
int zf_cg_cpu_max_get(const struct zf_cg *cg, const char *rel,
		      unsigned long long *quota_us, unsigned long long *period_us);

/* Memory limit of REL in bytes (v1 memory.limit_in_bytes, v2 memory.max);
 * 0 means unlimited. -EBUSY (v1) when the kernel cannot reclaim enough to
 * go below the current usage; -ENOTSUP without the memory controller. */
int zf_cg_mem_max(const struct zf_cg *cg, const char *rel, unsigned long long bytes);
/* Read it back (0: unlimited); *USAGE (may be NULL) gets the current usage. */
int zf_cg_mem_max_get(const struct zf_cg *cg, const char *rel,
		      unsigned long long *bytes, unsigned long long *usage);

#endif
