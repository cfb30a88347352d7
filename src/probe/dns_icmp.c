/* dns_icmp.c - ICMP errors for a dns probe's queries, from the socket's
 * error queue (see dns_icmp.h and ip(7), IP_RECVERR). */
#include "probe/dns_icmp.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/ip_icmp.h>
#include <string.h>
#include <sys/socket.h>

#define QUOTE_MAX 512           /* bytes of the quoted query read */

int zf_dns_icmp_enable(int fd)
{
	int one = 1;

	if (setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one)) < 0)
		return -errno;
	return 0;
}

/* The extended error of MSG's control data, or NULL. */
static const struct sock_extended_err *ext_err(struct msghdr *msg)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c))
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct sock_extended_err)))
			return (const struct sock_extended_err *)CMSG_DATA(c);
	return NULL;
}

static int to_server(const struct sockaddr_in *dst, socklen_t len,
		     const struct sockaddr_in *server)
{
	return len >= sizeof(*dst) && dst->sin_family == AF_INET &&
	       dst->sin_addr.s_addr == server->sin_addr.s_addr &&
	       dst->sin_port == server->sin_port;
}

int zf_dns_icmp_read(int fd, const struct sockaddr_in *server, uint16_t *id,
		     enum zf_outcome *out)
{
	uint8_t quote[QUOTE_MAX];
	union {
		char buf[CMSG_SPACE(sizeof(struct sock_extended_err) +
				    sizeof(struct sockaddr_in))];
		struct cmsghdr align;
	} ctl;
	struct sockaddr_in dst;
	struct iovec iov = { .iov_base = quote, .iov_len = sizeof(quote) };
	struct msghdr msg = {
		.msg_name = &dst, .msg_namelen = sizeof(dst),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	const struct sock_extended_err *ee;
	ssize_t n;

	memset(&dst, 0, sizeof(dst));
	n = recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	ee = ext_err(&msg);
	if (!ee || ee->ee_origin != SO_EE_ORIGIN_ICMP ||
	    ee->ee_type != ICMP_DEST_UNREACH || n < 2 ||
	    !to_server(&dst, msg.msg_namelen, server))
		return 0;
	*id = (uint16_t)(quote[0] << 8 | quote[1]);
	*out = ee->ee_code == ICMP_PORT_UNREACH ? ZF_OUT_REFUSED
						: ZF_OUT_UNREACHABLE;
	return 1;
}

void zf_dns_icmp_clear(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	(void)getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
}
