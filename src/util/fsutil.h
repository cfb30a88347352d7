/* fsutil.h - small file-system helpers with the project's error contract
 * (0 or a negative errno; the caller reports, naming the path). */
#ifndef ZF_UTIL_FSUTIL_H
#define ZF_UTIL_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* mkdir -p with MODE for every directory it creates. */
int zf_mkdir_p(const char *path, mode_t mode);

/* Replace PATH atomically with DATA (temp file, fsync, rename, fsync dir). */
int zf_write_file(const char *path, const void *data, size_t len, mode_t mode);

/* Same, without fsync: for files that are rebuilt if lost (configs). */
int zf_put_file(const char *path, const void *data, size_t len, mode_t mode);

/* Read at most MAX bytes of PATH into a new NUL-terminated buffer (*BUF, free
 * it), length in *LEN. -EFBIG if the file is larger than MAX. */
int zf_read_file(const char *path, size_t max, char **buf, size_t *len);

/* Append LINE (which must end in '\n') to the open FD and fsync it. */
int zf_append_sync(int fd, const char *line, size_t len);

/* Write all of BUF to FD, retrying short writes and EINTR. */
int zf_write_all(int fd, const void *buf, size_t len);

/* rm -rf PATH without following symlinks and without crossing mount points
 * (a mount below PATH gives -EBUSY and stops). Missing PATH is success. */
int zf_remove_tree(const char *path);

/* 1 if PATH exists (lstat), 0 if not. */
int zf_exists(const char *path);

#endif
