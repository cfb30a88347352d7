/* opts.c - zonefall-diskfs's command line. */
#include "diskfs/diskfs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int number(const char *s, int *v)
{
	int n = 0;

	if (!*s || strlen(s) > 4)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		n = n * 10 + (*s - '0');
	}
	*v = n;
	return 0;
}

int diskfs_opts_parse(int argc, char *const *argv, struct diskfs_opts *o, char *err,
		      size_t errlen)
{
	const char *mode = NULL, *args = NULL;
	enum zf_diskio_mode m;

	memset(o, 0, sizeof(*o));
	o->ready_fd = -1;
	if (argc < 1 || argc > ZF_DISKFS_ARGC_MAX) {
		snprintf(err, errlen, "expected at most %d arguments", ZF_DISKFS_ARGC_MAX - 1);
		return -EINVAL;
	}
	for (int i = 1; i < argc; i += 2) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strnlen(k, ZF_DISKFS_ARG_MAX) >= ZF_DISKFS_ARG_MAX ||
		    (v && strnlen(v, ZF_DISKFS_ARG_MAX) >= ZF_DISKFS_ARG_MAX)) {
			snprintf(err, errlen, "argument %d is longer than %d bytes", i,
				 ZF_DISKFS_ARG_MAX - 1);
			return -EINVAL;
		}
		if (!v) {
			snprintf(err, errlen, "%.40s needs a value", k);
			return -EINVAL;
		}
		if (!strcmp(k, "--dir"))
			o->dir = v;
		else if (!strcmp(k, "--mode"))
			mode = v;
		else if (!strcmp(k, "--args"))
			args = v;
		else if (!strcmp(k, "--keep"))
			o->keep = v;
		else if (!strcmp(k, "--stats"))
			o->stats = v;
		else if (!strcmp(k, "--ready-fd")) {
			if (number(v, &o->ready_fd) < 0) {
				snprintf(err, errlen, "--ready-fd: expected a number, got '%.20s'", v);
				return -EINVAL;
			}
		} else {
			snprintf(err, errlen, "unknown option '%.40s'", k);
			return -EINVAL;
		}
	}
	if (!o->dir || o->dir[0] != '/' || !mode || !args) {
		snprintf(err, errlen, "usage: zonefall-diskfs --dir /ABSOLUTE --mode slow|error "
			 "--args TEXT [--keep NAME] [--ready-fd N] [--stats PATH]");
		return -EINVAL;
	}
	if (o->keep && (!o->keep[0] || strchr(o->keep, '/') || !strcmp(o->keep, ".") ||
			!strcmp(o->keep, ".."))) {
		snprintf(err, errlen, "--keep: expected one name in the directory, got '%.40s'",
			 o->keep);
		return -EINVAL;
	}
	if (!strcmp(mode, "slow"))
		m = ZF_DISKIO_SLOW;
	else if (!strcmp(mode, "error"))
		m = ZF_DISKIO_ERROR;
	else {
		snprintf(err, errlen, "--mode: expected slow or error, got '%.20s'", mode);
		return -EINVAL;
	}
	return zf_diskio_parse(m, args, &o->plan, err, errlen);
}
