/* override.h - a service's override: an alternative command line and extra
 * environment entries, set on the control socket by faults (crash-loop,
 * bad-config, clock-skew) and cleared by their revert. It takes effect at
 * the service's next start (the fault asks for a restart); the configured
 * command and environment stay as they were underneath.
 *
 * Wire form, one JSON object: {"argv": ["cmd", "arg"...], "env": ["K=V"...]},
 * both optional; {} (or nothing) clears the override. */
#ifndef ZF_HOST_OVERRIDE_H
#define ZF_HOST_OVERRIDE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define OVERRIDE_MAX_WORDS 256

struct svc_override {
	char **argv;   /* NULL-terminated, non-empty; NULL: the configured one */
	char **env;    /* NULL-terminated "KEY=VALUE"; NULL: nothing extra */
};

/* Parse TEXT (NUL-terminated; empty clears). 0 with *OUT filled (free with
 * override_free), or -EINVAL with what was expected in ERR and nothing
 * allocated. */
int override_parse(const char *text, struct svc_override *out, char *err,
		   size_t errlen);

/* true when OV changes nothing. */
bool override_empty(const struct svc_override *ov);

/* {"argv":[..],"env":[..]} of what is set, or NULL when empty. */
json_t *override_json(const struct svc_override *ov);

void override_free(struct svc_override *ov);

#endif
