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
 * the name is taken, or another negative errno (nothing left behind). */
int zf_netns_create(const char *name, int *fd, int *made_dir_mount);

/* Open /run/netns/NAME; -ENOENT if absent. */
int zf_netns_open(const char *name, int *fd);

/* Unmount and unlink /run/netns/NAME. Absent is success (0). The kernel
 * frees the namespace (and every link in it) when its last user goes. */
int zf_netns_delete(const char *name);

/* Switch the calling thread into namespace FD; the previous one is returned
 * as an fd in *SAVED (restore with zf_netns_leave, which closes it). */
int zf_netns_enter(int fd, int *saved);
int zf_netns_leave(int saved);

/* Write VALUE to /proc/sys/KEY ("net/ipv4/ip_forward") as seen inside the
 * namespace FD. */
int zf_netns_sysctl(int fd, const char *key, const char *value);

#endif
