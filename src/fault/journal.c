#include "fault/journal.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JOURNAL_MAX (64u << 20)

static int clean_field(const char *s)
{
	return !s || !strpbrk(s, "\t\n");
}

int zf_journal_append(const struct zf_labrt *rt, const char *id, const char *event,
		      const char *kind, const char *target, const char *args)
{
	return zf_journal_append_seeded(rt, id, event, kind, target, args, 0);
}

int zf_journal_append_seeded(const struct zf_labrt *rt, const char *id,
			     const char *event, const char *kind,
			     const char *target, const char *args,
			     unsigned long long seed)
{
	char path[512], line[1024];
	int fd, rc, n;

	if (!clean_field(target) || !clean_field(args))
		return -EINVAL;
	zf_fmt(path, sizeof(path), "%s/journal", rt->state);
	n = snprintf(line, sizeof(line), "%llu\t%s\t%s\t%s\t%s\t%s\t%llu\n",
		     (unsigned long long)zf_wall_ns(), id, event, kind,
		     target ? target : "", args ? args : "", seed);
	if (n < 0 || (size_t)n >= sizeof(line))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	rc = zf_append_sync(fd, line, (size_t)n);
	close(fd);
	return rc;
}

struct jline {
	unsigned long long wall;
	char *f[6];  /* id, event, kind, target, args, seed (may be "") */
};

/* Split one journal line in place; 0 or -EINVAL. */
static int parse(char *line, struct jline *j)
{
	char *save = NULL, *tok = strtok_r(line, "\t", &save);

	if (!tok)
		return -EINVAL;
	j->wall = strtoull(tok, NULL, 10);
	for (int i = 0; i < 6; i++) {
		/* target/args may be empty: split by hand, not strtok */
		j->f[i] = save ? save : (char *)"";
		char *tab = save ? strchr(save, '\t') : NULL;
		if (tab) {
			*tab = '\0';
			save = tab + 1;
		} else {
			save = NULL;
		}
	}
	return 0;
}

static int load(const struct zf_labrt *rt, char **buf)
{
	char path[512];
	int rc;

	zf_fmt(path, sizeof(path), "%s/journal", rt->state);
	rc = zf_read_file(path, JOURNAL_MAX, buf, NULL);
	if (rc == -ENOENT) {
		*buf = zf_xstrdup("");
		return 0;
	}
	return rc;
}

int zf_journal_next_id(const struct zf_labrt *rt, char *id, size_t len)
{
	char *buf, *save = NULL;
	unsigned n = 0;
	int rc = load(rt, &buf);

	if (rc < 0)
		return rc;
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		struct jline j;
		if (parse(l, &j) == 0 && !strcmp(j.f[1], "begin"))
			n++;
	}
	free(buf);
	return zf_fmt(id, len, "f%u", n + 1);
}

static struct zf_fault_info *find(struct zf_fault_info *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].id, id))
			return &v[i];
	return NULL;
}

static void drop(struct zf_fault_info *v, size_t *n, struct zf_fault_info *x)
{
	size_t i = (size_t)(x - v);

	memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(*v));
	(*n)--;
}

int zf_journal_active(const struct zf_labrt *rt, struct zf_fault_info **out,
		      size_t *n)
{
	struct zf_fault_info *v = NULL, *x;
	char *buf, *save = NULL;
	size_t count = 0;
	int rc = load(rt, &buf);

	if (rc < 0)
		return rc;
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		struct jline j;
		if (parse(l, &j) < 0)
			continue;
		x = find(v, count, j.f[0]);
		if (!strcmp(j.f[1], "begin") && !x) {
			v = zf_xrealloc(v, (count + 1) * sizeof(*v));
			x = &v[count++];
			memset(x, 0, sizeof(*x));
			snprintf(x->id, sizeof(x->id), "%s", j.f[0]);
			snprintf(x->kind, sizeof(x->kind), "%s", j.f[2]);
			snprintf(x->target, sizeof(x->target), "%s", j.f[3]);
			snprintf(x->args, sizeof(x->args), "%s", j.f[4]);
			x->seed = strtoull(j.f[5], NULL, 10);
		} else if (x && !strcmp(j.f[1], "applied")) {
			x->applied_wall_ns = j.wall;
		} else if (x && (!strcmp(j.f[1], "reverted") || !strcmp(j.f[1], "failed") ||
			      !strcmp(j.f[1], "done"))) {
			drop(v, &count, x);
		}
	}
	free(buf);
	*out = v;
	*n = count;
	return 0;
}

int zf_journal_each_active(struct zf_fctx *c, int (*match)(const char *kind),
			   const char *exclude, zf_active_fn fn, void *ctx)
{
	struct zf_fault_info *v = NULL;
	size_t n = 0;
	int rc = zf_journal_active(c->rt, &v, &n);

	if (rc < 0)
		snprintf(c->err, sizeof(c->err), "the journal: %s", strerror(-rc));
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct zf_selection sel;

		if (!match(v[i].kind) || (exclude && !strcmp(v[i].id, exclude)))
			continue;
		rc = zf_selector_resolve_seeded(c->rt->lab, v[i].target, v[i].seed, &sel,
						c->err, sizeof(c->err));
		if (rc < 0)
			break;
		rc = fn(c, &v[i], &sel, ctx);
		zf_selection_free(&sel);
	}
	free(v);
	return rc;
}
