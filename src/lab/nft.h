/* nft.h - nftables commands inside one of the lab's namespaces, through
 * libnftables. Each call is one atomic transaction: either every command in
 * the buffer takes effect or none does. Only ever used inside namespaces the
 * lab created; the machine's own ruleset is never read or written. */
#ifndef ZF_LAB_NFT_H
#define ZF_LAB_NFT_H

#include <stddef.h>

/* Run CMDS (nft syntax, several lines allowed) inside namespace NS_FD.
 * Returns 0, or -EINVAL with libnftables' message in ERR. If OUT is not
 * NULL, the command output (e.g. of "list set") is copied there. */
int zf_nft_run(int ns_fd, const char *cmds, char *out, size_t outlen,
	       char *err, size_t errlen);

#endif
