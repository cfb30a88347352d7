/* override.c - parsing and describing a service's override. */
#include "host/override.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* NULL when S is "KEY=VALUE" with KEY from [A-Za-z0-9_], not starting with
 * a digit; else what was expected. */
static const char *check_env(const char *s)
{
	size_t k = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			  "0123456789_");

	if (k == 0 || s[k] != '=' || (s[0] >= '0' && s[0] <= '9'))
		return "\"KEY=VALUE\" entries";
	return NULL;
}

/* ARR (a JSON array of 1..max strings without NUL) into a new *OUT. */
static int take_list(json_t *arr, const char *key, int is_env, char ***out, char *err,
		     size_t errlen)
{
	size_t n = json_array_size(arr), i;
	json_t *v;
	char **list;

	if (!json_is_array(arr) || n == 0 || n > OVERRIDE_MAX_WORDS) {
		snprintf(err, errlen, "%s: expected an array of 1 to %d strings", key,
			 OVERRIDE_MAX_WORDS);
		return -EINVAL;
	}
	list = zf_xcalloc(n + 1, sizeof(*list));
	json_array_foreach(arr, i, v) {
		const char *s = json_string_value(v), *bad = NULL;
		if (!s || strlen(s) != json_string_length(v))
			bad = "strings without NUL";
		else if (is_env)
			bad = check_env(s);
		else if (i == 0 && !*s)
			bad = "a non-empty command";
		if (bad) {
			snprintf(err, errlen, "%s[%zu]: expected %s", key, i, bad);
			zf_strv_free(list);
			return -EINVAL;
		}
		list[i] = zf_xstrdup(s);
	}
	*out = list;
	return 0;
}

int override_parse(const char *text, struct svc_override *out, char *err,
		   size_t errlen)
{
	struct svc_override ov = { NULL, NULL };
	json_error_t je;
	json_t *root, *v;
	const char *key;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!*text)
		return 0;
	root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(root)) {
		snprintf(err, errlen, "expected a JSON object {\"argv\": [...], "
			 "\"env\": [...]}%s%.100s", root ? "" : ": ", root ? "" : je.text);
		json_decref(root);
		return -EINVAL;
	}
	json_object_foreach(root, key, v) {
		if (!strcmp(key, "argv"))
			rc = take_list(v, key, 0, &ov.argv, err, errlen);
		else if (!strcmp(key, "env"))
			rc = take_list(v, key, 1, &ov.env, err, errlen);
		else {
			snprintf(err, errlen, "unknown key (expected argv or env)");
			rc = -EINVAL;
		}
		if (rc < 0)
			break;
	}
	json_decref(root);
	if (rc < 0) {
		override_free(&ov);
		return rc;
	}
	*out = ov;
	return 0;
}

bool override_empty(const struct svc_override *ov)
{
	return !ov->argv && !ov->env;
}

static json_t *list_json(char **v)
{
	json_t *a = json_array();

	for (size_t i = 0; v && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

json_t *override_json(const struct svc_override *ov)
{
	json_t *o;

	if (override_empty(ov))
		return NULL;
	o = json_object();
	if (ov->argv)
		json_object_set_new(o, "argv", list_json(ov->argv));
	if (ov->env)
		json_object_set_new(o, "env", list_json(ov->env));
	return o;
}

void override_free(struct svc_override *ov)
{
	zf_strv_free(ov->argv);
	zf_strv_free(ov->env);
	ov->argv = NULL;
	ov->env = NULL;
}
