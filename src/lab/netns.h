/* netns.h - named network namespaces, compatible with iproute2's
 * /run/netns/<name> convention (so `ip netns list` shows ours and
 * `ip netns exec` works on them). */
#ifndef ZF_LAB_NETNS_H
#define ZF_LAB_NETNS_H

#include <stddef.h>

#define ZF_NETNS_DIR "/run/netns"

/* Create a new, empty network namespace bound at /run/netns/NAME (making
 * /run/netns a shared bind mount first if it is not a mount point yet, as
 * iproute2 does, and reporting that in *MADE_DIR_MOUNT when not NULL). The
 * calling thread's namespace is unchanged on return. Returns 0 and an
 * O_CLOEXEC fd on the namespace in *FD (if FD is not NULL), or -EEXIST if
 * the name is taken, or another negative errno (nothing left behind but
 * the /run/netns mount, which *MADE_DIR_MOUNT reports even then). NAME is
 * one path component (-EINVAL otherwise). The directory mount is set up
 * once per process, under a lock; otherwise only the calling thread is
 * affected, so threads may create different namespaces concurrently. */
int zf_netns_create(const char *name, int *fd, int *made_dir_mount);

/* 1 if /run/netns is already a mount point (made by iproute2 or another
 * lab): then creating a namespace will not make one. */
int zf_netns_dir_mounted(void);

/* Open /run/netns/NAME (O_CLOEXEC) into *FD; -ENOENT if absent, -EINVAL
 * if the file is not a mounted namespace (a placeholder left by a creator
 * that was killed). */
int zf_netns_open(const char *name, int *fd);

/* Unmount and unlink /run/netns/NAME. Absent is success (0), and so is a
 * placeholder file that was never mounted. The kernel frees the namespace
 * (and every link in it) asynchronously, once its last user - an open fd, a
 * process, a socket made in it - is gone. */
int zf_netns_delete(const char *name);

/* Switch the calling thread into namespace FD; the previous one is returned
 * as an fd in *SAVED (restore with zf_netns_leave, which closes it). */
int zf_netns_enter(int fd, int *saved);
int zf_netns_leave(int saved);

/* Write VALUE to /proc/sys/KEY ("net/ipv4/ip_forward") as seen inside the
 * namespace FD; the calling thread's namespace is unchanged on return. KEY
 * must be relative without "." or ".." components (-EINVAL). */
int zf_netns_sysctl(int fd, const char *key, const char *value);

#endif
