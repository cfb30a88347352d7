/* disk_merge.h - folding an overlayfs upper directory back into its lower
 * directory, as if the writes made through the overlay had been made to
 * the lower one: new and changed files, directories and symlinks are
 * copied down (content, mode, owner, times), whiteouts delete what they
 * hide, opaque directories replace their lower counterpart. Sockets are
 * skipped (their servers are gone), hard links are not kept.
 *
 * Works on directory fds, one name at a time, never following a symlink,
 * so nothing outside LOWER can be reached through one. For disk-fill's
 * revert, with the overlay unmounted and the writers stopped. */
#ifndef ZF_FAULT_DISK_MERGE_H
#define ZF_FAULT_DISK_MERGE_H

#include <stddef.h>

/* Merge directory UPPER into LOWER (both open directory fds, borrowed).
 * 0, or a negative errno with the relative path that failed in WHERE. */
int zf_disk_merge(int upper, int lower, char *where, size_t wlen);

/* Remove NAME in directory DIRFD, recursively if it is a directory (never
 * following symlinks); absent is success. */
int zf_disk_remove_at(int dirfd, const char *name);

#endif
