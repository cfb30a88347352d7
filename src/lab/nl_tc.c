/* nl_tc.c - tbf root qdiscs through rtnetlink (see tc.h). */
#include "lab/tc.h"
#include "lab/nl_priv.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

/* psched ticks are 64 ns (PSCHED_SHIFT) on every kernel since 2.6.31. */
#define PSCHED_SHIFT 6

void zf_tbf_defaults(struct zf_tbf *t, uint64_t rate_bps)
{
	uint64_t bytes_s = rate_bps / 8;
	uint64_t burst = bytes_s / 50, limit = bytes_s / 10;

	if (burst < 2 * 1514)
		burst = 2 * 1514;
	if (burst > UINT32_MAX / 2)
		burst = UINT32_MAX / 2;
	limit += burst;
	if (limit > UINT32_MAX)
		limit = UINT32_MAX;
	t->rate_bps = rate_bps;
	t->burst = (uint32_t)burst;
	t->limit = (uint32_t)limit;
}

static void put_tbf_opts(struct nlmsghdr *nlh, const struct zf_tbf *t)
{
	uint64_t bytes_s = t->rate_bps / 8;
	struct tc_tbf_qopt q = { .limit = t->limit };
	struct nlattr *opts;

	/* A link layer other than "unaware" spares the kernel a rate table. */
	q.rate.linklayer = TC_LINKLAYER_ETHERNET;
	q.rate.rate = bytes_s >= UINT32_MAX ? UINT32_MAX : (uint32_t)bytes_s;
	q.buffer = (uint32_t)(((uint64_t)t->burst * 1000000000ull / bytes_s) >> PSCHED_SHIFT);
	mnl_attr_put_strz(nlh, TCA_KIND, "tbf");
	opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put(nlh, TCA_TBF_PARMS, sizeof(q), &q);
	if (bytes_s >= UINT32_MAX)
		mnl_attr_put_u64(nlh, TCA_TBF_RATE64, bytes_s);
	mnl_attr_put_u32(nlh, TCA_TBF_BURST, t->burst);
	mnl_attr_nest_end(nlh, opts);
}

int zf_nl_tbf(struct zf_nl *nl, int ifindex, const struct zf_tbf *t)
{
	struct nlmsghdr *nlh;
	struct tcmsg *tcm;

	if (ifindex <= 0 || t->rate_bps < 8 || t->burst == 0)
		return -EINVAL;
	nlh = zf_nl_msg_start(nl, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE,
			      sizeof(*tcm), (void **)&tcm);
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = TC_H_ROOT;
	tcm->tcm_handle = 0x5a0000;     /* "5a:" */
	put_tbf_opts(nlh, t);
	zf_nl_msg_end(nl, nlh);
	return 0;
}

int zf_nl_qdisc_del(struct zf_nl *nl, int ifindex)
{
	struct nlmsghdr *nlh;
	struct tcmsg *tcm;

	if (ifindex <= 0)
		return -EINVAL;
	nlh = zf_nl_msg_start(nl, RTM_DELQDISC, 0, sizeof(*tcm), (void **)&tcm);
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = TC_H_ROOT;
	zf_nl_msg_end(nl, nlh);
	return 0;
}

struct root_query {
	int ifindex;
	uint64_t rate_bps;
};

/* The tbf rate in the TCA_OPTIONS nest OPTS, or 0. */
static uint64_t tbf_rate(const struct nlattr *opts)
{
	const struct nlattr *a;
	uint64_t rate = 0;

	mnl_attr_for_each_nested(a, opts) {
		if (mnl_attr_get_type(a) == TCA_TBF_PARMS &&
		    mnl_attr_get_payload_len(a) >= sizeof(struct tc_tbf_qopt) && !rate)
			rate = ((const struct tc_tbf_qopt *)mnl_attr_get_payload(a))->rate.rate;
		else if (mnl_attr_get_type(a) == TCA_TBF_RATE64 &&
			 mnl_attr_validate(a, MNL_TYPE_U64) == 0)
			rate = mnl_attr_get_u64(a);
	}
	return rate * 8;
}

static int on_qdisc(const struct nlmsghdr *nlh, void *data)
{
	struct root_query *q = data;
	const struct tcmsg *tcm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *opts = NULL;
	int is_tbf = 0;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*tcm)) ||
	    tcm->tcm_ifindex != q->ifindex || tcm->tcm_parent != TC_H_ROOT)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*tcm)) {
		if (mnl_attr_get_type(a) == TCA_KIND && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			is_tbf = !strcmp(mnl_attr_get_str(a), "tbf");
		else if (mnl_attr_get_type(a) == TCA_OPTIONS)
			opts = a;
	}
	if (is_tbf && opts)
		q->rate_bps = tbf_rate(opts);
	return MNL_CB_OK;
}

int zf_tc_root_tbf(int ns_fd, int ifindex, uint64_t *rate_bps)
{
	char buf[256];
	struct root_query q = { .ifindex = ifindex };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct tcmsg *tcm;
	int rc;

	nlh->nlmsg_type = RTM_GETQDISC;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	rc = zf_nl_dump(ns_fd, nlh, on_qdisc, &q);
	*rate_bps = q.rate_bps;
	return rc;
}
