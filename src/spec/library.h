/* library.h - the scenario library: a directory tree of scenario files
 * (scenarios/ in the source tree), each known by its id, its path under
 * the library without ".yaml": "generic/zone-power-loss",
 * "incidents/alibaba-sg-2024-fire".
 *
 * This module finds files and names; it does not load them (that is
 * spec/scenario.h); close matches are in library_match.c. Every function
 * returns 0 or a negative errno, and writes the message, naming the path,
 * into ERR where it takes one. */
#ifndef ZF_SPEC_LIBRARY_H
#define ZF_SPEC_LIBRARY_H

#include <stddef.h>

#define ZF_LIB_MAX_FILES 4096     /* scenario files in one library */
#define ZF_LIB_MAX_DEPTH 8        /* directory levels under the library */
#define ZF_LIB_ID_MAX 255         /* bytes of an id */
#define ZF_LIB_SUFFIX ".yaml"

/* The scenarios of a library, sorted by id (strcmp order). */
struct zf_library {
	char *dir;                /* as given */
	char **ids;               /* n entries */
	char **paths;             /* "DIR/ID.yaml", n entries */
	size_t n;
};

/* Where the library is: OPT (--library) if given, else ENV
 * ($ZF_SCENARIOS) if set and not empty, else BUILTIN (the source tree's
 * scenarios/, may be NULL) if it is a directory, else "scenarios" (the
 * working directory's). Returns one of its arguments or a static string;
 * never NULL. */
const char *zf_library_locate(const char *opt, const char *env,
			      const char *builtin);

/* The id of PATH in library DIR: PATH without "DIR/" (any number of
 * slashes) and without ".yaml", into OUT (LEN bytes). -EINVAL when PATH is
 * not "DIR/SOMETHING.yaml" or the id is not valid (zf_library_valid_id),
 * -ENAMETOOLONG when it does not fit. Pure: touches no file. */
int zf_library_id(const char *dir, const char *path, char *out, size_t len);

/* Is ID a well-formed id: 1..ZF_LIB_ID_MAX bytes, not starting with '/',
 * components not empty, not "." or "..", not starting with '.'. */
int zf_library_valid_id(const char *id);

/* Does ARG name a library entry rather than a file: not an existing path
 * (lstat) and no ".yaml" or ".yml" suffix? */
int zf_library_is_name(const char *arg);

/* The path of scenario ID in library DIR ("DIR/ID.yaml") into OUT (LEN
 * bytes). Returns 0 when that file exists; -EINVAL (not a valid id),
 * -ENAMETOOLONG, or -ENOENT (no such scenario: OUT still holds the path
 * that was tried). */
int zf_library_path(const char *dir, const char *id, char *out, size_t len);

/* Every "*.yaml" file under DIR/UNDER (UNDER may be NULL: the whole
 * library), following symbolic links, skipping names that start with '.',
 * at most ZF_LIB_MAX_DEPTH levels and ZF_LIB_MAX_FILES files. A missing
 * UNDER is an empty list; a missing DIR is -ENOENT. On success fills *OUT
 * (free with zf_library_free) and returns 0; on error writes "PATH:
 * message" into ERR, returns a negative errno (-E2BIG past a cap) and
 * leaves *OUT empty. */
int zf_library_list(const char *dir, const char *under,
		    struct zf_library *out, char *err, size_t errlen);

void zf_library_free(struct zf_library *l);

/* Up to MAX ids of L most like NAME, best first, into OUT (pointers into
 * L): the same last component, then ids containing NAME (or its last
 * component), then ids a few edits away. Returns how many. Pure. */
size_t zf_library_suggest(const struct zf_library *l, const char *name,
			  const char **out, size_t max);

#endif
