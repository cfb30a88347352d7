/* nft.h - nftables commands inside one of the lab's namespaces, through
 * libnftables. Each call is one atomic transaction: either every command in
 * the buffer takes effect or none does. Only ever used inside namespaces the
 * lab created; the machine's own ruleset is never read or written.
 *
 * A libnftables context opens its netlink socket when it is created, in the
 * namespace of the calling thread, and keeps it (with its ruleset cache) for
 * its whole life. zf_nft_run() makes one per call; a caller running several
 * commands in one namespace (apply, then verify) keeps a zf_nft handle
 * instead and saves the context setup and the cold cache. */
#ifndef ZF_LAB_NFT_H
#define ZF_LAB_NFT_H

#include <stddef.h>

/* Run CMDS (nft syntax, several lines allowed) inside namespace NS_FD.
 * Returns 0, or -EINVAL with libnftables' message in ERR. If OUT is not
 * NULL, the command output (e.g. of "list set") is copied there. */
int zf_nft_run(int ns_fd, const char *cmds, char *out, size_t outlen,
	       char *err, size_t errlen);

/* A libnftables context bound to one namespace. Not thread-safe. */
struct zf_nft;

/* Create a context in namespace NS_FD (the fd is duplicated: the caller
 * may close its own). Returns 0 and the handle in *OUT, or a negative errno
 * with ERR set and nothing allocated. The calling thread's namespace is
 * unchanged on return. The handle keeps the namespace alive until closed. */
int zf_nft_open(int ns_fd, struct zf_nft **out, char *err, size_t errlen);

/* Run CMDS through N, as zf_nft_run() does (the calling thread enters N's
 * namespace for the call). If OUT is not NULL, *OUT gets a malloc'd copy
 * of the output on success (free it), NULL otherwise. */
int zf_nft_exec(struct zf_nft *n, const char *cmds, char **out, char *err,
		size_t errlen);

void zf_nft_close(struct zf_nft *n);

/* Most namespaces whose contexts zf_nft_cached() keeps at once. */
#define ZF_NFT_CACHE_MAX 64

/* The context of namespace NS_FD from a process-wide cache (keyed by the
 * namespace itself, not the fd), made on first use; the handle stays
 * owned by the cache. Contexts are kept because releasing a socket right
 * after a transaction that deleted objects waits for an RCU grace period
 * (nf_tables flushes its destroy list on release: ~10 ms), which must not
 * be paid inside a fault's apply or revert. They are closed by
 * zf_nft_cache_clear(), at exit, or (least recently used first) beyond
 * ZF_NFT_CACHE_MAX namespaces; until then each keeps its namespace alive,
 * so a process that takes a lab down and lives on should clear the cache.
 * Thread-safe lookup; a handle itself is for one thread at a time.
 * Returns 0, or a negative errno with ERR set. */
int zf_nft_cached(int ns_fd, struct zf_nft **out, char *err, size_t errlen);
void zf_nft_cache_clear(void);

#endif
