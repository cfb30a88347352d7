/* library.c - the scenario library: where it is, ids from paths and back,
 * listing its files, and close matches for a name that is not there. */
#include "spec/library.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"

static int is_dir(const char *path)
{
	struct stat st;

	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Length of DIR without its trailing slashes ("/" keeps none). */
static size_t dir_len(const char *dir)
{
	size_t n = strlen(dir);

	while (n > 0 && dir[n - 1] == '/')
		n--;
	return n;
}

const char *zf_library_locate(const char *opt, const char *env,
			      const char *builtin)
{
	if (opt && *opt)
		return opt;
	if (env && *env)
		return env;
	if (is_dir(builtin))
		return builtin;
	return "scenarios";
}

int zf_library_valid_id(const char *id)
{
	size_t len = strlen(id);
	const char *p = id;

	if (len == 0 || len > ZF_LIB_ID_MAX)
		return 0;
	for (;;) {
		size_t c = strcspn(p, "/");

		if (c == 0 || p[0] == '.')
			return 0;
		if (p[c] == '\0')
			return 1;
		p += c + 1;
	}
}

int zf_library_id(const char *dir, const char *path, char *out, size_t len)
{
	size_t dl = dir_len(dir), sl = strlen(ZF_LIB_SUFFIX), n;
	const char *rest;

	if (strncmp(path, dir, dl) != 0 || path[dl] != '/')
		return -EINVAL;
	rest = path + dl + strspn(path + dl, "/");
	n = strlen(rest);
	if (n <= sl || !has_suffix(rest, ZF_LIB_SUFFIX))
		return -EINVAL;
	n -= sl;
	if (n > ZF_LIB_ID_MAX)
		return -EINVAL;
	if (n + 1 > len)
		return -ENAMETOOLONG;
	memcpy(out, rest, n);
	out[n] = '\0';
	return zf_library_valid_id(out) ? 0 : -EINVAL;
}

int zf_library_is_name(const char *arg)
{
	return !zf_exists(arg) && !has_suffix(arg, ".yaml") &&
	       !has_suffix(arg, ".yml");
}

int zf_library_path(const char *dir, const char *id, char *out, size_t len)
{
	struct stat st;
	int rc;

	if (!zf_library_valid_id(id))
		return -EINVAL;
	rc = zf_fmt(out, len, "%.*s/%s%s", (int)dir_len(dir), dir, id,
		    ZF_LIB_SUFFIX);
	if (rc < 0)
		return rc;
	return stat(out, &st) == 0 ? 0 : -errno;
}

/* Listing: a depth-first walk collecting (id, path) pairs. */
struct entry {
	char *id, *path;
};

struct walk {
	const char *dir;
	struct entry *e;
	size_t n, cap;
	char *err;
	size_t errlen;
};

static int walk_err(struct walk *w, const char *path, int rc)
{
	if (w->err && w->errlen)
		zf_fmt(w->err, w->errlen, "%s: %s", path, rc == -E2BIG ?
		       "too many files or directory levels in the scenario "
		       "library" : strerror(-rc));
	return rc;
}

static int add_file(struct walk *w, const char *path)
{
	char id[ZF_LIB_ID_MAX + 1];
	int rc = zf_library_id(w->dir, path, id, sizeof(id));

	if (rc < 0)
		return walk_err(w, path, rc == -EINVAL ? -ENAMETOOLONG : rc);
	if (w->n == ZF_LIB_MAX_FILES)
		return walk_err(w, path, -E2BIG);
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 32;
		w->e = zf_xrealloc(w->e, w->cap * sizeof(*w->e));
	}
	w->e[w->n].id = zf_xstrdup(id);
	w->e[w->n].path = zf_xstrdup(path);
	w->n++;
	return 0;
}

static int walk_dir(struct walk *w, const char *path, int depth);

/* One directory entry NAME of directory PATH. */
static int walk_entry(struct walk *w, const char *path, const char *name,
		      int depth)
{
	char child[PATH_MAX];
	struct stat st;
	int rc;

	if (name[0] == '.')
		return 0;
	rc = zf_fmt(child, sizeof(child), "%s/%s", path, name);
	if (rc < 0)
		return walk_err(w, path, rc);
	if (stat(child, &st) < 0)
		return walk_err(w, child, -errno);
	if (S_ISDIR(st.st_mode))
		return depth >= ZF_LIB_MAX_DEPTH ? walk_err(w, child, -E2BIG) :
		       walk_dir(w, child, depth + 1);
	if (S_ISREG(st.st_mode) && has_suffix(name, ZF_LIB_SUFFIX) &&
	    strlen(name) > strlen(ZF_LIB_SUFFIX))
		return add_file(w, child);
	return 0;
}

static int walk_dir(struct walk *w, const char *path, int depth)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int rc = 0;

	if (!d)
		return walk_err(w, path, -errno);
	while (rc == 0) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			rc = errno ? walk_err(w, path, -errno) : 0;
			break;
		}
		rc = walk_entry(w, path, de->d_name, depth);
	}
	closedir(d);
	return rc;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->id,
		      ((const struct entry *)b)->id);
}

/* W's entries, sorted, into L (which takes their strings). */
static void take_entries(struct walk *w, struct zf_library *l)
{
	if (w->n > 1)
		qsort(w->e, w->n, sizeof(*w->e), cmp_entry);
	l->ids = zf_xcalloc(w->n + 1, sizeof(*l->ids));
	l->paths = zf_xcalloc(w->n + 1, sizeof(*l->paths));
	for (size_t i = 0; i < w->n; i++) {
		l->ids[i] = w->e[i].id;
		l->paths[i] = w->e[i].path;
	}
	l->n = w->n;
}

/* The top of the walk: "DIR" or "DIR/UNDER" into TOP. */
static int walk_top(struct walk *w, const char *under, char *top, size_t len)
{
	int rc;

	if (!under || !*under)
		rc = zf_fmt(top, len, "%.*s", (int)dir_len(w->dir), w->dir);
	else if (!zf_library_valid_id(under))
		rc = -EINVAL;
	else
		rc = zf_fmt(top, len, "%.*s/%s", (int)dir_len(w->dir), w->dir,
			    under);
	return rc < 0 ? walk_err(w, under ? under : w->dir, rc) : 0;
}

int zf_library_list(const char *dir, const char *under,
		    struct zf_library *out, char *err, size_t errlen)
{
	struct walk w = { .dir = dir, .err = err, .errlen = errlen };
	char top[PATH_MAX];
	int rc;

	memset(out, 0, sizeof(*out));
	if (!is_dir(dir))
		return walk_err(&w, dir, zf_exists(dir) ? -ENOTDIR : -ENOENT);
	rc = walk_top(&w, under, top, sizeof(top));
	if (rc == 0 && (!under || !*under || zf_exists(top)))
		rc = walk_dir(&w, top, 0);
	if (rc == 0) {
		take_entries(&w, out);
		out->dir = zf_xstrdup(dir);
	}
	for (size_t i = 0; rc < 0 && i < w.n; i++) {
		free(w.e[i].id);
		free(w.e[i].path);
	}
	free(w.e);
	return rc;
}

void zf_library_free(struct zf_library *l)
{
	if (!l)
		return;
	zf_strv_free(l->ids);
	zf_strv_free(l->paths);
	free(l->dir);
	memset(l, 0, sizeof(*l));
}
