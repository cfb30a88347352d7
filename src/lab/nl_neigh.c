/* nl_neigh.c - forgetting an interface's IPv4 neighbours (see nl.h). */
#include "lab/nl_priv.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#define NEIGH_MAX 256

struct neigh_list {
	int ifindex;
	uint32_t dst[NEIGH_MAX];
	size_t n;
};

static int on_neigh(const struct nlmsghdr *nlh, void *data)
{
	struct neigh_list *l = data;
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ndm)) || ndm->ndm_family != AF_INET ||
	    ndm->ndm_ifindex != l->ifindex || (ndm->ndm_state & (NUD_PERMANENT | NUD_NOARP)))
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ndm))
		if (mnl_attr_get_type(a) == NDA_DST && mnl_attr_get_payload_len(a) == 4 &&
		    l->n < NEIGH_MAX)
			memcpy(&l->dst[l->n++], mnl_attr_get_payload(a), 4);
	return MNL_CB_OK;
}

int zf_nl_neigh_flush(int ns_fd, int ifindex)
{
	struct neigh_list l = { .ifindex = ifindex };
	char buf[256];
	struct nlmsghdr *req = mnl_nlmsg_put_header(buf);
	struct ndmsg *q;
	struct zf_nl *nl = NULL;
	int rc;

	req->nlmsg_type = RTM_GETNEIGH;
	q = mnl_nlmsg_put_extra_header(req, sizeof(*q));
	q->ndm_family = AF_INET;
	rc = zf_nl_dump(ns_fd, req, on_neigh, &l);
	if (rc == 0 && l.n)
		rc = zf_nl_open(ns_fd, &nl);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		struct ndmsg *ndm;
		struct nlmsghdr *nlh = zf_nl_msg_start(nl, RTM_DELNEIGH, 0, sizeof(*ndm),
						       (void **)&ndm);
		ndm->ndm_family = AF_INET;
		ndm->ndm_ifindex = ifindex;
		mnl_attr_put(nlh, NDA_DST, 4, &l.dst[i]);
		zf_nl_msg_end(nl, nlh);
	}
	if (nl)
		rc = zf_nl_commit(nl, NULL);
	/* an entry the kernel dropped meanwhile is forgotten all the same */
	if (rc == -ENOENT)
		rc = 0;
	zf_nl_close(nl);
	return rc;
}
