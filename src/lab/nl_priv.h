/* nl_priv.h - (private to src/lab) building blocks of nl.c for request
 * builders kept in their own files (nl_tc.c). */
#ifndef ZF_LAB_NL_PRIV_H
#define ZF_LAB_NL_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "lab/nl.h"

/* Start a request at the end of NL's queue: TYPE, FLAGS | NLM_F_REQUEST |
 * NLM_F_ACK, the next sequence number, HDRLEN zeroed bytes of extra header
 * (in *HDR). At most 1 KiB in all; it joins the queue with zf_nl_msg_end. */
struct nlmsghdr *zf_nl_msg_start(struct zf_nl *nl, uint16_t type, uint16_t flags,
				 size_t hdrlen, void **hdr);
void zf_nl_msg_end(struct zf_nl *nl, const struct nlmsghdr *nlh);


/* Send the dump request NLH (NLM_F_DUMP is set here) on a new socket in
 * namespace NETNS_FD and run CB on every answer until the dump is done.
 * 0 or -errno. */
int zf_nl_dump(int netns_fd, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

#endif
