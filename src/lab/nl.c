/* nl.c - batched rtnetlink requests through libmnl (see nl.h).
 *
 * Requests are built back to back in one growing buffer, each with
 * NLM_F_REQUEST | NLM_F_ACK and a sequence number that is its position in
 * the batch plus the batch's base. zf_nl_commit() sends them in datagrams of
 * many requests each (rtnetlink processes every message of a datagram, in
 * order, inside the sender's sendmsg()), then reads one ACK per request
 * before sending the next datagram, so the socket's receive queue never
 * holds more ACKs than one datagram produces. */
#include "lab/nl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "lab/netns.h"
#include "util/log.h"
#include "util/mem.h"

/* Room reserved per request; the largest we build (a veth pair with two
 * names) is under 200 bytes. */
#define ZF_NL_MSG_MAX 1024
/* At most this many bytes per sendmsg(). */
#define ZF_NL_CHUNK (64 * 1024)
/* Socket buffers we ask for (SO_*BUFFORCE as root, else capped by
 * net.core.[rw]mem_max). */
#define ZF_NL_SOCKBUF (4 * 1024 * 1024)
/* Receive-buffer bytes budgeted per ACK (skb truesize, generously). */
#define ZF_NL_ACK_COST 2048
/* How long commit waits for a missing ACK before giving up. */
#define ZF_NL_TIMEOUT_S 10

struct zf_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	char *buf;           /* queued requests, back to back */
	size_t len, cap;     /* bytes used / allocated in buf */
	size_t count;        /* requests queued */
	uint32_t seq0;       /* sequence number of the first queued request */
	size_t chunk_max;    /* requests per datagram the rcvbuf can ACK */
	char errmsg[256];    /* kernel's message for the last failure */
	_Alignas(struct nlmsghdr) char rbuf[16384];
};

/* Progress of one commit: ACKs are counted and the earliest failure (by
 * position in the batch) is kept. */
struct ack_state {
	uint32_t seq0;
	size_t total;
	size_t acked;
	int err;
	size_t err_pos;
};

/* Ask for big socket buffers and small ACKs with error strings; derive how
 * many requests one datagram may carry. Failures of the optional options
 * are ignored (older kernels, no privilege). */
static void tune_socket(struct zf_nl *nl)
{
	int fd = mnl_socket_get_fd(nl->sock), one = 1, sz = ZF_NL_SOCKBUF;
	socklen_t len = sizeof(sz);
	struct timeval tv = { .tv_sec = ZF_NL_TIMEOUT_S };

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, &len) < 0 || sz <= 0)
		sz = ZF_NL_ACK_COST;
	nl->chunk_max = (size_t)sz / ZF_NL_ACK_COST;
	if (nl->chunk_max == 0)
		nl->chunk_max = 1;
}

/* Create the socket in namespace NETNS_FD (-1: the current one); a netlink
 * socket stays in the namespace it was created in, whatever thread uses it
 * later. Returns 0 and the socket in *OUT, or a negative errno (no socket).
 * The calling thread ends in its original namespace. */
static int open_socket(int netns_fd, struct mnl_socket **out)
{
	struct mnl_socket *sock = NULL;
	int saved = -1, ret = 0, r;

	if (netns_fd >= 0) {
		ret = zf_netns_enter(netns_fd, &saved);
		if (ret < 0)
			goto out;
	}
	sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!sock)
		ret = -errno;
	if (saved >= 0) {
		r = zf_netns_leave(saved);
		if (r < 0 && ret == 0)
			ret = r;
	}
	if (ret == 0) {
		*out = sock;
		sock = NULL;
	}
out:
	if (sock)
		mnl_socket_close(sock);
	return ret;
}

int zf_nl_open(int netns_fd, struct zf_nl **out)
{
	struct zf_nl *nl = zf_xcalloc(1, sizeof(*nl));
	int ret;

	ret = open_socket(netns_fd, &nl->sock);
	if (ret < 0)
		goto out;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq0 = 1;
	tune_socket(nl);
	*out = nl;
	nl = NULL;
out:
	zf_nl_close(nl);
	return ret;
}

void zf_nl_close(struct zf_nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	free(nl);
}

size_t zf_nl_pending(const struct zf_nl *nl)
{
	return nl->count;
}

const char *zf_nl_errmsg(const struct zf_nl *nl)
{
	return nl->errmsg;
}

/* Start a request at the end of the queue: header with TYPE and
 * FLAGS | NLM_F_REQUEST | NLM_F_ACK, the next sequence number, and an
 * extra header of HDRLEN zeroed bytes (returned in *HDR). The request only
 * joins the queue with msg_end(). */
static struct nlmsghdr *msg_start(struct zf_nl *nl, uint16_t type,
				  uint16_t flags, size_t hdrlen, void **hdr)
{
	struct nlmsghdr *nlh;

	if (nl->cap - nl->len < ZF_NL_MSG_MAX) {
		nl->cap = nl->cap ? nl->cap * 2 : 16 * ZF_NL_MSG_MAX;
		nl->buf = zf_xrealloc(nl->buf, nl->cap);
	}
	/* Attribute padding is not written by libmnl: zero the room so no
	 * stale heap bytes go to the kernel. */
	memset(nl->buf + nl->len, 0, ZF_NL_MSG_MAX);
	nlh = mnl_nlmsg_put_header(nl->buf + nl->len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = nl->seq0 + (uint32_t)nl->count;
	*hdr = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	return nlh;
}

static void msg_end(struct zf_nl *nl, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_len > ZF_NL_MSG_MAX)
		ZF_BUG("netlink request of %u bytes", nlh->nlmsg_len);
	nl->len += NLMSG_ALIGN(nlh->nlmsg_len);
	nl->count++;
}

/* What the kernel accepts as an interface name (dev_valid_name). */
static int check_ifname(const char *name)
{
	size_t n;

	if (!name)
		return -EINVAL;
	n = strlen(name);
	if (n == 0 || n >= IFNAMSIZ || !strcmp(name, ".") ||
	    !strcmp(name, "..") || strpbrk(name, "/: \t\n\r\v\f"))
		return -EINVAL;
	return 0;
}

/* Append IFLA_IFNAME and, when NS_FD >= 0, IFLA_NET_NS_FD. */
static void put_name_ns(struct nlmsghdr *nlh, const char *name, int ns_fd)
{
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (ns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)ns_fd);
}

int zf_nl_veth(struct zf_nl *nl, const char *name, int ifindex, int ns_fd,
	       const char *peer, int peer_ifindex, int peer_ns_fd)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm, *pifm;
	struct nlattr *info, *data, *pnest;

	if (check_ifname(name) < 0 || check_ifname(peer) < 0 ||
	    ifindex < 0 || peer_ifindex < 0)
		return -EINVAL;
	nlh = msg_start(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
			sizeof(*ifm), (void **)&ifm);
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	put_name_ns(nlh, name, ns_fd);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	pnest = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* The peer's attributes are a struct ifinfomsg, then IFLA_*. */
	pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
	pifm->ifi_family = AF_UNSPEC;
	pifm->ifi_index = peer_ifindex;
	put_name_ns(nlh, peer, peer_ns_fd);
	mnl_attr_nest_end(nlh, pnest);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	msg_end(nl, nlh);
	return 0;
}

int zf_nl_link_set(struct zf_nl *nl, int ifindex, int up)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	if (ifindex <= 0)
		return -EINVAL;
	nlh = msg_start(nl, RTM_NEWLINK, 0, sizeof(*ifm), (void **)&ifm);
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = up ? IFF_UP : 0;
	msg_end(nl, nlh);
	return 0;
}

int zf_nl_addr(struct zf_nl *nl, int ifindex, uint32_t addr, int plen)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	if (ifindex <= 0 || plen < 0 || plen > 32)
		return -EINVAL;
	nlh = msg_start(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE,
			sizeof(*ifa), (void **)&ifa);
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put_u32(nlh, IFA_LOCAL, htonl(addr));
	mnl_attr_put_u32(nlh, IFA_ADDRESS, htonl(addr));
	msg_end(nl, nlh);
	return 0;
}

/* Input checks for zf_nl_route(): prefix without host bits; a unicast
 * route needs an interface; unreachable/blackhole take neither interface
 * nor gateway. */
static int check_route(const struct zf_route *r)
{
	uint32_t mask;

	if (r->plen < 0 || r->plen > 32)
		return -EINVAL;
	mask = r->plen ? ~0u << (32 - r->plen) : 0;
	if (r->dst & ~mask)
		return -EINVAL;
	switch (r->type) {
	case ZF_ROUTE_UNICAST:
		return r->ifindex > 0 ? 0 : -EINVAL;
	case ZF_ROUTE_UNREACHABLE:
	case ZF_ROUTE_BLACKHOLE:
		return r->ifindex == 0 && r->gw == 0 ? 0 : -EINVAL;
	}
	return -EINVAL;
}

static unsigned char route_rtn(enum zf_route_type t)
{
	switch (t) {
	case ZF_ROUTE_UNREACHABLE:
		return RTN_UNREACHABLE;
	case ZF_ROUTE_BLACKHOLE:
		return RTN_BLACKHOLE;
	case ZF_ROUTE_UNICAST:
		break;
	}
	return RTN_UNICAST;
}

/* Deleting matches any scope (RT_SCOPE_NOWHERE is the kernel's wildcard)
 * but only routes of our protocol; adding sets scope link for a directly
 * connected unicast route and universe otherwise. */
/* Destination, gateway, interface and source of R, those that are set. */
static void put_route_attrs(struct nlmsghdr *nlh, const struct zf_route *r)
{
	if (r->plen)
		mnl_attr_put_u32(nlh, RTA_DST, htonl(r->dst));
	if (r->gw)
		mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(r->gw));
	if (r->ifindex)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)r->ifindex);
	if (r->src)
		mnl_attr_put_u32(nlh, RTA_PREFSRC, htonl(r->src));
}

static void fill_rtmsg(struct rtmsg *rtm, const struct zf_route *r, int add)
{
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = (unsigned char)r->plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = ZF_RTPROT;
	rtm->rtm_type = route_rtn(r->type);
	if (!add)
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
	else if (r->type == ZF_ROUTE_UNICAST && r->gw == 0)
		rtm->rtm_scope = RT_SCOPE_LINK;
	else
		rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	if (add && r->gw)
		rtm->rtm_flags = RTNH_F_ONLINK;
}

int zf_nl_route(struct zf_nl *nl, const struct zf_route *r, int add)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int ret;

	ret = check_route(r);
	if (ret < 0)
		return ret;
	nlh = msg_start(nl, add ? RTM_NEWROUTE : RTM_DELROUTE,
			add ? NLM_F_CREATE | NLM_F_EXCL : 0, sizeof(*rtm),
			(void **)&rtm);
	fill_rtmsg(rtm, r, add);
	put_route_attrs(nlh, r);
	msg_end(nl, nlh);
	return 0;
}

/* Copy the kernel's extended-ACK message (NLMSGERR_ATTR_MSG), if any, of
 * the error NLH into NL->errmsg. */
static void save_errmsg(struct zf_nl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	size_t off = sizeof(*e);

	nl->errmsg[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	mnl_attr_for_each(a, nlh, off) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0) {
			zf_fmt(nl->errmsg, sizeof(nl->errmsg), "%s",
			       mnl_attr_get_str(a));
			break;
		}
	}
}

/* Account for one NLMSG_ERROR (an ACK when its error is 0). Messages that
 * are not ours or not of this batch (late ACKs of an aborted commit) are
 * ignored. */
static void on_ack(struct zf_nl *nl, struct ack_state *st,
		   const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e;
	size_t pos = nlh->nlmsg_seq - st->seq0;

	if (nlh->nlmsg_pid != nl->portid || pos >= st->total ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
		return;
	e = mnl_nlmsg_get_payload(nlh);
	st->acked++;
	if (e->error >= 0 || (st->err && pos >= st->err_pos))
		return;
	st->err = e->error;
	st->err_pos = pos;
	save_errmsg(nl, nlh);
}

/* Receive until ST->acked reaches TARGET. Returns 0, -ETIMEDOUT when no
 * ACK came for ZF_NL_TIMEOUT_S, or the socket's error (-ENOBUFS: ACKs were
 * lost, the outcome of the requests is unknown). */
static int wait_acks(struct zf_nl *nl, struct ack_state *st, size_t target)
{
	int ret = 0;

	while (ret == 0 && st->acked < target) {
		const struct nlmsghdr *nlh = (const void *)nl->rbuf;
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->rbuf,
						sizeof(nl->rbuf));
		int left = (int)n;

		if (n < 0) {
			if (errno != EINTR)
				ret = errno == EAGAIN ? -ETIMEDOUT : -errno;
			continue;
		}
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
			if (nlh->nlmsg_type == NLMSG_ERROR)
				on_ack(nl, st, nlh);
	}
	return ret;
}

/* End of the datagram that starts at OFF: as many whole requests as fit in
 * ZF_NL_CHUNK bytes and NL->chunk_max requests (at least one). Their number
 * goes to *N. */
static size_t chunk_end(const struct zf_nl *nl, size_t off, size_t *n)
{
	size_t end = off;

	*n = 0;
	while (end < nl->len) {
		const struct nlmsghdr *nlh = (const void *)(nl->buf + end);
		size_t l = NLMSG_ALIGN(nlh->nlmsg_len);

		if (*n && (end - off + l > ZF_NL_CHUNK || *n >= nl->chunk_max))
			break;
		end += l;
		(*n)++;
	}
	return end;
}

int zf_nl_commit(struct zf_nl *nl, size_t *failed_seq)
{
	struct ack_state st = { .seq0 = nl->seq0, .total = nl->count };
	size_t off = 0, sent = 0, n, end;
	int ret = 0;

	nl->errmsg[0] = '\0';
	while (off < nl->len) {
		end = chunk_end(nl, off, &n);
		if (mnl_socket_sendto(nl->sock, nl->buf + off, end - off) < 0) {
			ret = -errno;
			goto out;
		}
		sent += n;
		ret = wait_acks(nl, &st, sent);
		if (ret < 0)
			goto out;
		off = end;
	}
out:
	/* A kernel error comes first; else the transport error, blamed on the
	 * first request whose fate is unknown. */
	if (st.err) {
		ret = st.err;
		if (failed_seq)
			*failed_seq = st.err_pos;
	} else if (ret < 0 && failed_seq) {
		*failed_seq = st.acked;
	}
	nl->seq0 += (uint32_t)nl->count;
	nl->len = 0;
	nl->count = 0;
	return ret;
}

/* For request builders in other files of src/lab (nl_priv.h). */
struct nlmsghdr *zf_nl_msg_start(struct zf_nl *nl, uint16_t type, uint16_t flags,
				 size_t hdrlen, void **hdr)
{
	return msg_start(nl, type, flags, hdrlen, hdr);
}

void zf_nl_msg_end(struct zf_nl *nl, const struct nlmsghdr *nlh)
{
	msg_end(nl, nlh);
}


int zf_nl_route_replace(struct zf_nl *nl, const struct zf_route *r)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int ret = check_route(r);

	if (ret < 0)
		return ret;
	nlh = msg_start(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE,
			sizeof(*rtm), (void **)&rtm);
	fill_rtmsg(rtm, r, 1);
	put_route_attrs(nlh, r);
	msg_end(nl, nlh);
	return 0;
}

/* Handler of one answer message of a query; returns 0 to go on, 1 when
 * the query is complete, or a negative errno. */
typedef int (*query_fn)(const struct nlmsghdr *nlh, void *data);

/* Handle the messages of one datagram of the answer to query SEQ: 0 to
 * read more, 1 when complete (NLMSG_DONE, an ACK, or FN said so), or a
 * negative errno (the kernel's error). Stray messages (other sequence
 * numbers: late ACKs of an aborted commit) are skipped. */
static int query_datagram(struct zf_nl *nl, int len, uint32_t seq, query_fn fn,
			  void *data)
{
	const struct nlmsghdr *nlh = (const void *)nl->rbuf;
	int ret = 0;

	for (; ret == 0 && mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != nl->portid)
			continue;
		if (nlh->nlmsg_type == NLMSG_DONE)
			return 1;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
				return -EPROTO;
			return e->error < 0 ? e->error : 1;
		}
		ret = fn(nlh, data);
	}
	return ret;
}

/* Send the request NLH (built by the caller in NL's buffer, which must
 * hold nothing queued) and feed the answer to FN. 0 or a negative errno. */
static int query(struct zf_nl *nl, struct nlmsghdr *nlh, query_fn fn, void *data)
{
	uint32_t seq = nl->seq0++;
	int ret = 0;

	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	while (ret == 0) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->rbuf, sizeof(nl->rbuf));
		if (n < 0) {
			if (errno != EINTR)
				ret = errno == EAGAIN ? -ETIMEDOUT : -errno;
			continue;
		}
		ret = query_datagram(nl, (int)n, seq, fn, data);
	}
	return ret < 0 ? ret : 0;
}

struct route_list {
	struct zf_route_entry *v;
	size_t n;
};

static int route_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type <= RTA_MAX && mnl_attr_get_payload_len(a) >= sizeof(uint32_t))
		tb[type] = a;
	return MNL_CB_OK;
}

static uint32_t attr_ip(const struct nlattr *a)
{
	return a ? ntohl(mnl_attr_get_u32(a)) : 0;
}

/* One RTM_NEWROUTE of the dump into the list, if it is a main-table
 * route of a type we know. */
static int on_route(const struct nlmsghdr *nlh, void *data)
{
	struct route_list *l = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	struct zf_route_entry *e;
	uint32_t table;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_family != AF_INET ||
	    mnl_attr_parse(nlh, sizeof(*rtm), route_attr, tb) < 0)
		return 0;
	table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if (table != RT_TABLE_MAIN || (rtm->rtm_type != RTN_UNICAST &&
	    rtm->rtm_type != RTN_UNREACHABLE && rtm->rtm_type != RTN_BLACKHOLE))
		return 0;
	l->v = zf_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->route.type = rtm->rtm_type == RTN_UNICAST ? ZF_ROUTE_UNICAST :
			rtm->rtm_type == RTN_UNREACHABLE ? ZF_ROUTE_UNREACHABLE :
			ZF_ROUTE_BLACKHOLE;
	e->route.dst = attr_ip(tb[RTA_DST]);
	e->route.plen = rtm->rtm_dst_len;
	e->route.gw = attr_ip(tb[RTA_GATEWAY]);
	e->route.src = attr_ip(tb[RTA_PREFSRC]);
	e->route.ifindex = tb[RTA_OIF] ? (int)mnl_attr_get_u32(tb[RTA_OIF]) : 0;
	e->protocol = rtm->rtm_protocol;
	e->scope = rtm->rtm_scope;
	e->flags = rtm->rtm_flags;
	return 0;
}

int zf_nl_route_dump(struct zf_nl *nl, struct zf_route_entry **out, size_t *n)
{
	struct route_list l = { 0 };
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int ret;

	if (nl->count)
		return -EBUSY;
	nlh = msg_start(nl, RTM_GETROUTE, NLM_F_DUMP, sizeof(*rtm), (void **)&rtm);
	nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
	rtm->rtm_family = AF_INET;
	ret = query(nl, nlh, on_route, &l);
	if (ret < 0) {
		free(l.v);
		return ret;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}

static int on_link(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifm))
		return 0;
	*(unsigned int *)data = ifm->ifi_flags;
	return 1;
}

int zf_nl_link_flags(struct zf_nl *nl, int ifindex, unsigned int *flags)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	if (nl->count)
		return -EBUSY;
	if (ifindex <= 0)
		return -EINVAL;
	nlh = msg_start(nl, RTM_GETLINK, 0, sizeof(*ifm), (void **)&ifm);
	nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	return query(nl, nlh, on_link, flags);
}

int zf_nl_dump(int netns_fd, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[16384];
	struct mnl_socket *sock = NULL;
	unsigned int portid;
	ssize_t n;
	int rc = open_socket(netns_fd, &sock);

	if (rc == 0 && mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0)
		rc = -errno;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	if (rc == 0 && mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) < 0)
		rc = -errno;
	portid = rc == 0 ? mnl_socket_get_portid(sock) : 0;
	while (rc == 0) {
		n = mnl_socket_recvfrom(sock, buf, sizeof(buf));
		if (n < 0) {
			rc = -errno;
			break;
		}
		rc = mnl_cb_run(buf, (size_t)n, 1, portid, cb, data);
		if (rc <= MNL_CB_STOP) {
			rc = rc < 0 ? -errno : 0;
			break;
		}
		rc = 0;
	}
	if (sock)
		mnl_socket_close(sock);
	return rc;
}
