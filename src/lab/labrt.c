#include "lab/labrt.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int zf_labrt_new(struct zf_lab *lab, struct zf_labrt **out, char *err, size_t errlen)
{
	struct zf_labrt *rt = zf_xcalloc(1, sizeof(*rt));
	int rc;

	rt->lab = lab;
	rc = zf_plan_build(lab, &rt->plan, err, errlen);
	if (rc < 0)
		goto fail;
	rc = zf_cg_detect(&rt->cg);
	if (rc < 0) {
		snprintf(err, errlen, "no usable cgroup hierarchy (need cgroup v2, "
			 "or v1 with the freezer controller mounted)");
		goto fail;
	}
	zf_fmt(rt->state, sizeof(rt->state), ZF_RUN_ROOT "/%s", lab->name);
	zf_fmt(rt->data, sizeof(rt->data), ZF_DATA_ROOT "/%s", lab->name);
	*out = rt;
	return 0;
fail:
	zf_labrt_close(rt); /* frees LAB too: the handle owned it */
	return rc;
}

void zf_labrt_close(struct zf_labrt *rt)
{
	if (!rt)
		return;
	zf_plan_free(&rt->plan);
	zf_lab_free(rt->lab);
	free(rt);
}

int zf_labrt_open(const char *name, struct zf_labrt **out, char *err, size_t errlen)
{
	char path[PATH_MAX], *yaml = NULL, *dir = NULL;
	struct zf_lab *lab = NULL;
	size_t len;
	int rc;

	if (zf_fmt(path, sizeof(path), ZF_RUN_ROOT "/%s/labdir", name))
		return -ENAMETOOLONG;
	rc = zf_read_file(path, PATH_MAX, &dir, NULL);
	if (rc == -ENOENT) {
		snprintf(err, errlen, "no lab named '%s' is up", name);
		return rc;
	}
	if (rc < 0)
		goto io;
	dir[strcspn(dir, "\n")] = '\0';
	zf_fmt(path, sizeof(path), ZF_RUN_ROOT "/%s/lab.yaml", name);
	rc = zf_read_file(path, ZF_LAB_FILE_MAX, &yaml, &len);
	if (rc < 0)
		goto io;
	rc = zf_lab_load_buffer(path, dir, yaml, len, &lab, err, errlen);
	if (rc < 0)
		goto out;
	rc = zf_labrt_new(lab, out, err, errlen);
	if (rc == 0) {
		zf_fmt(path, sizeof(path), ZF_RUN_ROOT "/%s", name);
		rc = zf_cg_load_choice(path, &(*out)->cg);
		if (rc < 0) {
			snprintf(err, errlen, "lab %s: its cgroup hierarchy is gone", name);
			zf_labrt_close(*out);
			*out = NULL;
		}
	}
	goto out;
io:
	snprintf(err, errlen, "%s: %s", path, strerror(-rc));
out:
	free(yaml);
	free(dir);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int zf_labrt_list(char ***names, size_t *n)
{
	DIR *d = opendir(ZF_RUN_ROOT);
	struct dirent *de;
	char **v = NULL;
	size_t count = 0;

	*names = NULL;
	*n = 0;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		v = zf_xrealloc(v, (count + 2) * sizeof(*v));
		v[count++] = zf_xstrdup(de->d_name);
		v[count] = NULL;
	}
	closedir(d);
	if (count)
		qsort(v, count, sizeof(*v), cmp_str);
	*names = v;
	*n = count;
	return 0;
}

int zf_labrt_phase(const char *name, char *buf, size_t len)
{
	char path[PATH_MAX], *p = NULL;
	int rc;

	if (zf_fmt(path, sizeof(path), ZF_RUN_ROOT "/%s/phase", name))
		return -ENAMETOOLONG;
	rc = zf_read_file(path, 64, &p, NULL);
	if (rc < 0)
		return rc;
	p[strcspn(p, "\n")] = '\0';
	snprintf(buf, len, "%s", p);
	free(p);
	return 0;
}

int zf_labrt_set_phase(const struct zf_labrt *rt, const char *phase)
{
	char path[PATH_MAX], line[64];

	if (zf_fmt(path, sizeof(path), "%s/phase", rt->state))
		return -ENAMETOOLONG;
	snprintf(line, sizeof(line), "%s\n", phase);
	return zf_write_file(path, line, strlen(line), 0600);
}

int zf_labrt_host_dir(const struct zf_labrt *rt, size_t host, const char *leaf,
		      char *buf, size_t len)
{
	const char *h = rt->lab->hosts[host].name;

	if (leaf && *leaf)
		return zf_fmt(buf, len, "%s/h/%s/%s", rt->state, h, leaf);
	return zf_fmt(buf, len, "%s/h/%s", rt->state, h);
}

int zf_labrt_host_data(const struct zf_labrt *rt, size_t host, char *buf, size_t len)
{
	return zf_fmt(buf, len, "%s/%s", rt->data, rt->lab->hosts[host].name);
}

int zf_labrt_host_cg(const struct zf_labrt *rt, size_t host, const char *leaf,
		     char *buf, size_t len)
{
	const char *h = rt->lab->hosts[host].name;

	if (leaf && *leaf)
		return zf_fmt(buf, len, "%s/%s/%s", rt->lab->name, h, leaf);
	return zf_fmt(buf, len, "%s/%s", rt->lab->name, h);
}

int zf_labrt_open_default(const char *lab, struct zf_labrt **out, char *err,
			  size_t errlen)
{
	char **names;
	size_t n;
	int rc;

	if (lab)
		return zf_labrt_open(lab, out, err, errlen);
	rc = zf_labrt_list(&names, &n);
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", ZF_RUN_ROOT, strerror(-rc));
		return rc;
	}
	if (n == 1)
		rc = zf_labrt_open(names[0], out, err, errlen);
	else if (n == 0) {
		snprintf(err, errlen, "no lab is up (start one with: zonefall up LAB.yaml)");
		rc = -ENOENT;
	} else {
		snprintf(err, errlen, "%zu labs are up; say which with --lab NAME", n);
		rc = -EINVAL;
	}
	zf_strv_free(names);
	return rc;
}

/* Look for host SPEC ("name") in every running lab; exactly one must match. */
static int find_in_all(const char *spec, struct zf_labrt **out, size_t *host,
		       char *err, size_t errlen)
{
	char **names, e2[256];
	size_t n, found = 0;
	int rc;

	rc = zf_labrt_list(&names, &n);
	if (rc < 0)
		return rc;
	struct zf_labrt *first = NULL;
	for (size_t i = 0; i < n; i++) {
		struct zf_labrt *rt;
		if (zf_labrt_open(names[i], &rt, e2, sizeof(e2)) < 0)
			continue;
		int h = zf_lab_find_host(rt->lab, spec);
		if (h >= 0 && found++ == 0) {
			first = rt;
			*host = (size_t)h;
		} else {
			zf_labrt_close(rt);
		}
	}
	zf_strv_free(names);
	if (found == 1) {
		*out = first;
		return 0;
	}
	zf_labrt_close(first);
	snprintf(err, errlen, found ? "host '%s' exists in several labs; write LAB/%s"
				    : "no running lab has a host '%s'%.0s", spec, spec);
	return found ? -EINVAL : -ENOENT;
}

int zf_labrt_find_host(const char *lab, const char *spec, struct zf_labrt **out,
		       size_t *host, char *err, size_t errlen)
{
	char labname[ZF_LAB_NAME_MAX + 2];
	const char *slash = strchr(spec, '/');
	int rc, h;

	if (slash && (size_t)(slash - spec) <= ZF_LAB_NAME_MAX) {
		snprintf(labname, sizeof(labname), "%.*s", (int)(slash - spec), spec);
		lab = labname;
		spec = slash + 1;
	}
	if (!lab)
		return find_in_all(spec, out, host, err, errlen);
	rc = zf_labrt_open(lab, out, err, errlen);
	if (rc < 0)
		return rc;
	h = zf_lab_find_host((*out)->lab, spec);
	if (h < 0) {
		snprintf(err, errlen, "lab '%s' has no host '%s'", lab, spec);
		zf_labrt_close(*out);
		*out = NULL;
		return -ENOENT;
	}
	*host = (size_t)h;
	return 0;
}

int zf_labrt_lock(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (zf_fmt(path, sizeof(path), ZF_RUN_ROOT "/%s", name))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			int rc = -errno;
			close(fd);
			return rc;
		}
	}
	return fd;
}

void zf_labrt_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
