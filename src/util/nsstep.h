/* nsstep.h - a daemon stepping into another network namespace to create
 * sockets there (a socket stays in the namespace it was created in) and
 * back to its own. */
#ifndef ZF_UTIL_NSSTEP_H
#define ZF_UTIL_NSSTEP_H

/* Enter the network namespace of the file PATH (/run/netns/NAME). 0 or
 * -errno (then the thread is where it was). */
int zf_nsstep_enter(const char *path);

/* Go back to the namespace SELF_FD (an fd of /proc/self/ns/net opened at
 * start). Not being able to return would leave every later socket in the
 * wrong namespace: the process exits with status 3. */
void zf_nsstep_return(int self_fd);

#endif
