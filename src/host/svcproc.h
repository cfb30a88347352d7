/* svcproc.h - how the processes of one service are started: environment,
 * working directory, log file, session and cgroups. Used for the service's
 * main process and for its "exec" readiness checks alike. */
#ifndef ZF_HOST_SVCPROC_H
#define ZF_HOST_SVCPROC_H

#include "host/cgleaf.h"
#include "host/host_config.h"

#include <sys/types.h>

/* The search path of services. The init sets its own PATH to it too, since
 * execvpe() looks commands up in the caller's PATH, not the child's. */
#define SVCPROC_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

enum svcproc_step { SVCPROC_STEP_LOG, SVCPROC_STEP_EXEC };

struct svcproc {
	char **env;          /* owned: the environment (see svcproc_init) */
	char *log_path;      /* owned: "<log_dir>/<name>.log" */
	const char *log_dir; /* borrowed from the config */
	const char *cwd;     /* borrowed: data_dir */
	struct cgleaf cg;    /* owned: "<cg>/svc-<name>" for every cgroup */
};

/* Prepare SP for service SVC of CFG, opening its cgroup leaves (do it
 * before the sandbox hides /sys/fs/cgroup). The environment is PATH, HOME
 * (data_dir), HOSTNAME, ZF_LAB, ZF_HOST, ZF_IP, then SVC's own entries,
 * which override. Returns 0, or a negative errno after logging which
 * cgroup directory could not be opened. */
int svcproc_init(struct svcproc *sp, const struct host_config *cfg,
		 const struct hc_service *svc);

/* Start ARGV as a new session (so its pid is also its process-group id)
 * in the service's cgroups, cwd data_dir, stdin /dev/null, stdout and
 * stderr appended to the service log (log_dir is created if missing),
 * SIGPIPE back to default. Returns 0 with the pid in *PID, or a negative
 * errno with the failed step in *STEP: SVCPROC_STEP_LOG (opening the log
 * file) or SVCPROC_STEP_EXEC (anything zf_spawn() reports: exec failure,
 * chdir, joining a cgroup). Logs nothing. */
int svcproc_spawn(const struct svcproc *sp, char *const *argv, pid_t *pid,
		  enum svcproc_step *step);

/* Rebuild SP's environment as svcproc_init does, then EXTRA ("KEY=VALUE"
 * entries, may be NULL) on top, overriding entries with the same key. */
void svcproc_set_extra_env(struct svcproc *sp, const struct host_config *cfg,
			   const struct hc_service *svc, char *const *extra);

void svcproc_fini(struct svcproc *sp);

#endif
