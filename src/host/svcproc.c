/* svcproc.c - spawning a service's processes. */
#include "host/svcproc.h"
#include "host/initlog.h"
#include "util/fsutil.h"
#include "util/mem.h"
#include "util/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A new "KEY=VALUE" string. */
static char *env_entry(const char *key, const char *value)
{
	size_t k = strlen(key), v = strlen(value);
	char *s = zf_xmalloc(k + 1 + v + 1);

	memcpy(s, key, k);
	s[k] = '=';
	memcpy(s + k + 1, value, v + 1);
	return s;
}

/* Put ENTRY (taken over) into the NULL-terminated *ENV of *N entries,
 * replacing an entry with the same key. */
static void env_put(char ***env, size_t *n, char *entry)
{
	size_t klen = strcspn(entry, "=") + 1;

	for (size_t i = 0; i < *n; i++) {
		if (!strncmp((*env)[i], entry, klen)) {
			free((*env)[i]);
			(*env)[i] = entry;
			return;
		}
	}
	*env = zf_xrealloc(*env, (*n + 2) * sizeof(**env));
	(*env)[(*n)++] = entry;
	(*env)[*n] = NULL;
}

static char **build_env(const struct host_config *cfg,
			const struct hc_service *svc, char *const *extra)
{
	char **env = NULL;
	size_t n = 0;

	env_put(&env, &n, env_entry("PATH", SVCPROC_PATH));
	env_put(&env, &n, env_entry("HOME", cfg->data_dir));
	env_put(&env, &n, env_entry("HOSTNAME", cfg->host));
	env_put(&env, &n, env_entry("ZF_LAB", cfg->lab));
	env_put(&env, &n, env_entry("ZF_HOST", cfg->host));
	env_put(&env, &n, env_entry("ZF_IP", cfg->ip));
	for (char **e = svc->env; *e; e++)
		env_put(&env, &n, zf_xstrdup(*e));
	for (size_t i = 0; extra && extra[i]; i++)
		env_put(&env, &n, zf_xstrdup(extra[i]));
	return env;
}

int svcproc_init(struct svcproc *sp, const struct host_config *cfg,
		 const struct hc_service *svc)
{
	size_t dlen = strlen(cfg->log_dir), nlen = strlen(svc->name);
	char leaf[HC_NAME_MAX + 8];
	size_t bad = 0;
	int rc;

	memset(sp, 0, sizeof(*sp));
	(void)zf_fmt(leaf, sizeof(leaf), "svc-%s", svc->name);
	rc = cgleaf_open(cfg->cgroups, cfg->n_cgroups, leaf, &sp->cg, &bad);
	if (rc < 0) {
		initlog(svc->name, "cannot open cgroup %s/%s: %s",
			cfg->cgroups[bad], leaf, strerror(-rc));
		return rc;
	}
	sp->log_path = zf_xmalloc(dlen + 1 + nlen + sizeof(".log"));
	memcpy(sp->log_path, cfg->log_dir, dlen);
	sp->log_path[dlen] = '/';
	memcpy(sp->log_path + dlen + 1, svc->name, nlen);
	memcpy(sp->log_path + dlen + 1 + nlen, ".log", sizeof(".log"));
	sp->env = build_env(cfg, svc, NULL);
	sp->log_dir = cfg->log_dir;
	sp->cwd = cfg->data_dir;
	return 0;
}

/* Child side, between fork and exec: async-signal-safe calls only. */
static int pre_exec(void *ctx)
{
	const struct svcproc *sp = ctx;
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	/* The init ignores SIGPIPE, and an ignored signal stays ignored
	 * across exec: give services the default back. */
	if (sigaction(SIGPIPE, &dfl, NULL) < 0)
		return -errno;
	return cgleaf_join(&sp->cg, NULL);
}

static int open_log(const struct svcproc *sp, int *fd)
{
	const int flags = O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY | O_CLOEXEC;
	int rc;

	*fd = open(sp->log_path, flags, 0644);
	if (*fd < 0 && errno == ENOENT) {
		rc = zf_mkdir_p(sp->log_dir, 0755);
		if (rc < 0)
			return rc;
		*fd = open(sp->log_path, flags, 0644);
	}
	return *fd < 0 ? -errno : 0;
}

int svcproc_spawn(const struct svcproc *sp, char *const *argv, pid_t *pid,
		  enum svcproc_step *step)
{
	struct zf_spawn_opts o = {
		.argv = argv, .env = sp->env, .cwd = sp->cwd,
		.stdin_fd = -1, .new_session = 1,
		.pre_exec = pre_exec, .pre_exec_ctx = (void *)sp,
	};
	int logfd, rc;

	*step = SVCPROC_STEP_LOG;
	rc = open_log(sp, &logfd);
	if (rc < 0)
		return rc;
	*step = SVCPROC_STEP_EXEC;
	o.stdout_fd = logfd;
	o.stderr_fd = logfd;
	rc = zf_spawn(&o, pid);
	close(logfd);
	return rc;
}

void svcproc_set_extra_env(struct svcproc *sp, const struct host_config *cfg,
			   const struct hc_service *svc, char *const *extra)
{
	zf_strv_free(sp->env);
	sp->env = build_env(cfg, svc, extra);
}

void svcproc_fini(struct svcproc *sp)
{
	zf_strv_free(sp->env);
	free(sp->log_path);
	cgleaf_close(&sp->cg);
	sp->env = NULL;
	sp->log_path = NULL;
}
