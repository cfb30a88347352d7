/* host_config.h - the configuration of one host's init.
 *
 * The lab layer writes it as JSON; host_config_load() reads it (at most
 * HC_MAX_FILE bytes), checks every field and every key, and returns a plain
 * struct. Nothing in the struct needs checking again: names are safe to use
 * in paths and on the control protocol, paths are absolute, "after" refers
 * only to services earlier in the list (so the list is a valid start order).
 *
 * Optional fields and their defaults: services[].env and services[].after
 * ([]), services[].ready (no check), ready.timeout_ms (30000) and
 * ready.interval_ms (100). Unknown keys are errors. */
#ifndef ZF_HOST_HOST_CONFIG_H
#define ZF_HOST_HOST_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define HC_MAX_FILE (1u << 20)
#define HC_MAX_SERVICES 64
#define HC_MAX_CGROUPS 16
#define HC_MAX_ARGV 256
#define HC_MAX_ENV 256
#define HC_NAME_MAX 63

enum hc_restart { HC_RESTART_NO, HC_RESTART_ON_FAILURE, HC_RESTART_ALWAYS };
enum hc_ready_kind { HC_READY_NONE, HC_READY_TCP, HC_READY_EXEC };

struct hc_ready {
	enum hc_ready_kind kind;
	unsigned port;          /* HC_READY_TCP: 1..65535 */
	char **argv;            /* HC_READY_EXEC: NULL-terminated, non-empty */
	unsigned timeout_ms;    /* give up (state "unready") after this */
	unsigned interval_ms;   /* time between two attempts */
};

struct hc_service {
	char *name;             /* [A-Za-z0-9][A-Za-z0-9_.-]*, unique */
	char **argv;            /* NULL-terminated, non-empty */
	char **env;             /* NULL-terminated "KEY=VALUE" entries */
	size_t *after;          /* indexes of earlier services */
	size_t n_after;
	enum hc_restart restart;
	struct hc_ready ready;
};

struct host_config {
	char *lab, *host, *domain, *ip;
	char *data_dir, *log_dir, *ctl_path, *hosts_file, *resolv_file;
	bool sandbox;
	char **cgroups;         /* NULL-terminated absolute directories */
	size_t n_cgroups;
	char **keep;            /* NULL-terminated directories that must stay
				   visible although under /tmp or /run */
	struct hc_service *services;
	size_t n_services;
};

/* Read and validate PATH. Returns 0 and a new config in *OUT (free with
 * host_config_free), or a negative errno with a one-line message naming the
 * file and the field ("cfg.json: services[1].ready.tcp: expected ...") in
 * ERR; on error nothing is allocated. */
int host_config_load(const char *path, struct host_config **out, char *err,
		     size_t errlen);

/* The same from a buffer of LEN bytes; NAME is used in messages. */
int host_config_parse(const char *name, const char *buf, size_t len,
		      struct host_config **out, char *err, size_t errlen);

void host_config_free(struct host_config *cfg);

/* Index of the service called NAME, or -1. */
long host_config_find(const struct host_config *cfg, const char *name);

/* "always", "on-failure" or "no". */
const char *host_config_restart_name(enum hc_restart r);

#endif
