#include "lab/inventory.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

#define INV_MAX (16u << 20)

struct zf_inv {
	int fd;
	char *buf;
	size_t len, cap;
};

static const char *const kind_names[] = {
	[ZF_INV_DIR] = "dir",
	[ZF_INV_NETNS] = "netns",
	[ZF_INV_NETNS_MOUNT] = "netns-mount",
	[ZF_INV_CGROUP] = "cgroup",
	[ZF_INV_DAEMON] = "daemon",
};

int zf_inv_open(const char *dir, struct zf_inv **out)
{
	char path[512];
	struct zf_inv *inv;
	int fd;

	if (zf_fmt(path, sizeof(path), "%s/inventory", dir))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	inv = zf_xcalloc(1, sizeof(*inv));
	inv->fd = fd;
	*out = inv;
	return 0;
}

void zf_inv_add(struct zf_inv *inv, enum zf_inv_kind kind, const char *name)
{
	const char *k = kind_names[kind];
	size_t need = strlen(k) + strlen(name) + 2;

	if (inv->len + need + 1 > inv->cap) {
		inv->cap = (inv->len + need + 1) * 2;
		inv->buf = zf_xrealloc(inv->buf, inv->cap);
	}
	inv->len += (size_t)snprintf(inv->buf + inv->len, inv->cap - inv->len,
				     "%s %s\n", k, name);
}

int zf_inv_sync(struct zf_inv *inv)
{
	int rc;

	if (inv->len == 0)
		return 0;
	rc = zf_append_sync(inv->fd, inv->buf, inv->len);
	inv->len = 0;
	return rc;
}

void zf_inv_close(struct zf_inv *inv)
{
	if (!inv)
		return;
	close(inv->fd);
	free(inv->buf);
	free(inv);
}

static int parse_line(char *line, struct zf_inv_entry *e)
{
	char *sp = strchr(line, ' ');

	if (!sp || !sp[1])
		return -EINVAL;
	*sp = '\0';
	for (size_t k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++) {
		if (!strcmp(line, kind_names[k])) {
			e->kind = (enum zf_inv_kind)k;
			e->name = zf_xstrdup(sp + 1);
			return 0;
		}
	}
	return -EINVAL;
}

int zf_inv_load(const char *dir, struct zf_inv_entry **out, size_t *n)
{
	char path[512], *buf = NULL, *save = NULL;
	struct zf_inv_entry *e = NULL;
	size_t count = 0, len;
	int rc;

	*out = NULL;
	*n = 0;
	if (zf_fmt(path, sizeof(path), "%s/inventory", dir))
		return -ENAMETOOLONG;
	rc = zf_read_file(path, INV_MAX, &buf, &len);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	for (char *line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		e = zf_xrealloc(e, (count + 1) * sizeof(*e));
		if (parse_line(line, &e[count]) < 0) {
			zf_warn("%s: skipping unknown record '%s'", path, line);
			continue;
		}
		count++;
	}
	free(buf);
	*out = e;
	*n = count;
	return 0;
}

void zf_inv_entries_free(struct zf_inv_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(e[i].name);
	free(e);
}
