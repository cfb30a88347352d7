/* jpath.h - reading a run record in unit tests: the value at a dotted
 * path ("probes.0.outages.1.start_s"), as a number or a string (failing
 * the test when it is not one). Include after cmocka.h. */
#ifndef ZF_TEST_JPATH_H
#define ZF_TEST_JPATH_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline json_t *at(json_t *j, const char *path)
{
	char buf[256], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && j; tok = strtok_r(NULL, ".", &save))
		j = json_is_array(j) ? json_array_get(j, strtoul(tok, NULL, 10))
				     : json_object_get(j, tok);
	return j;
}

static inline double num(json_t *j, const char *path)
{
	json_t *v = at(j, path);

	if (!json_is_number(v))
		fail_msg("%s is not a number", path);
	return json_number_value(v);
}

static inline const char *str(json_t *j, const char *path)
{
	json_t *v = at(j, path);

	if (!json_is_string(v))
		fail_msg("%s is not a string", path);
	return json_string_value(v);
}

#endif
