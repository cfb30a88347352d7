/* dns_drv.c - the DNS load driver of bench/dns-qps, and the control
 * requests tests/integration/t_dns_server.sh makes of zonefall-dns.
 *
 *   zf_dns_drv query IP PORT SECS INFLIGHT NAME...
 *       closed loop: keeps INFLIGHT A queries outstanding (cycling
 *       through the NAMEs), sends and receives in batches (sendmmsg,
 *       recvmmsg); a query unanswered after 1 s is lost and replaced.
 *       Prints "sent=N answered=N lost=N noerror=N other_rcode=N
 *       qps=N p50_us=N p99_us=N" (latency from send to receive).
 *   zf_dns_drv echo IP PORT SECS
 *       the reference server: echoes every datagram (recvmmsg,
 *       sendmmsg), the least a UDP server can do per query.
 *   zf_dns_drv ctl DIR REQUEST
 *       prints zonefall-dns's one-line answer to REQUEST (exit 1 if it
 *       could not be asked).
 *
 * Exit status 0, 1 (ctl: no answer), 2 on bad arguments, 3 on a socket
 * error. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns/dns_client.h"
#include "util/timeutil.h"

#define BATCH 64
#define BUF 1500
#define LOST_NS ZF_NS_PER_S
#define NBUCKETS 64                 /* log2 microsecond buckets */

struct drv {
	int fd;
	char **names;
	int nnames;
	unsigned inflight, max_inflight;
	uint16_t next_id;
	uint64_t sent_at[65536];        /* 0: not in flight */
	uint64_t sent, answered, lost, noerror, other;
	uint64_t hist[NBUCKETS][8];     /* 8 linear steps per power of two */
	uint8_t out[BATCH][BUF], in[BATCH][BUF];
};

static int parse_u(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || end == s || *end || *out > max ? -1 : 0;
}

/* A query for NAME with ID into BUF; its length, 0 if NAME is too long. */
static size_t build_query(uint8_t *buf, uint16_t id, const char *name)
{
	size_t o = 12;
	const char *p = name;

	memset(buf, 0, 12);
	buf[0] = (uint8_t)(id >> 8);
	buf[1] = (uint8_t)id;
	buf[5] = 1;                                 /* QDCOUNT */
	while (*p) {
		size_t n = strcspn(p, ".");

		if (n == 0 || n > 63 || o + n + 6 > 300)
			return 0;
		buf[o++] = (uint8_t)n;
		memcpy(buf + o, p, n);
		o += n;
		p += n + (p[n] == '.');
	}
	buf[o++] = 0;
	buf[o++] = 0, buf[o++] = 1;                 /* A */
	buf[o++] = 0, buf[o++] = 1;                 /* IN */
	return o;
}

static void record(struct drv *d, uint64_t ns)
{
	uint64_t us = ns / 1000 + 1;
	int b = 63 - __builtin_clzll(us), step = 0;

	if (b >= 3)
		step = (int)((us >> (b - 3)) & 7);
	d->hist[b][step]++;
}

static double quantile(const struct drv *d, double q)
{
	uint64_t total = 0, seen = 0;

	for (int b = 0; b < NBUCKETS; b++)
		for (int s = 0; s < 8; s++)
			total += d->hist[b][s];
	for (int b = 0; b < NBUCKETS; b++) {
		for (int s = 0; s < 8; s++) {
			seen += d->hist[b][s];
			if (total && (double)seen >= q * (double)total)
				return b < 3 ? (double)(1u << b)
				       : (double)(1ull << b) * (1 + s / 8.0);
		}
	}
	return 0;
}

/* Send queries until INFLIGHT are outstanding. */
static int fill(struct drv *d, uint64_t now)
{
	struct mmsghdr m[BATCH];
	struct iovec v[BATCH];
	unsigned n = 0;
	int k;

	while (d->inflight + n < d->max_inflight && n < BATCH) {
		uint16_t id = d->next_id++;

		if (d->sent_at[id])
			continue;
		v[n].iov_base = d->out[n];
		v[n].iov_len = build_query(d->out[n], id,
				d->names[(d->sent + n) % (unsigned)d->nnames]);
		memset(&m[n], 0, sizeof(m[n]));
		m[n].msg_hdr.msg_iov = &v[n];
		m[n].msg_hdr.msg_iovlen = 1;
		d->sent_at[id] = now;
		n++;
	}
	if (n == 0)
		return 0;
	k = sendmmsg(d->fd, m, n, 0);
	if (k < 0)
		k = 0;          /* ENOBUFS and the like: retried later */
	for (unsigned i = (unsigned)k; i < n; i++)
		d->sent_at[(d->out[i][0] << 8) | d->out[i][1]] = 0;
	d->sent += (uint64_t)k;
	d->inflight += (unsigned)k;
	return 0;
}

static void drain(struct drv *d)
{
	struct mmsghdr m[BATCH];
	struct iovec v[BATCH];
	uint64_t now;
	int n;

	for (int i = 0; i < BATCH; i++) {
		v[i] = (struct iovec){ .iov_base = d->in[i], .iov_len = BUF };
		memset(&m[i], 0, sizeof(m[i]));
		m[i].msg_hdr.msg_iov = &v[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	n = recvmmsg(d->fd, m, BATCH, MSG_DONTWAIT, NULL);
	now = zf_now_ns();
	for (int i = 0; i < n; i++) {
		const uint8_t *p = d->in[i];
		uint16_t id;

		if (m[i].msg_len < 12)
			continue;
		id = (uint16_t)((p[0] << 8) | p[1]);
		if (!d->sent_at[id])
			continue;       /* late: already counted lost */
		record(d, now - d->sent_at[id]);
		d->sent_at[id] = 0;
		d->inflight--;
		d->answered++;
		if ((p[3] & 0x0f) == 0)
			d->noerror++;
		else
			d->other++;
	}
}

static void expire(struct drv *d, uint64_t now)
{
	for (unsigned id = 0; id < 65536; id++) {
		if (d->sent_at[id] && now - d->sent_at[id] > LOST_NS) {
			d->sent_at[id] = 0;
			d->inflight--;
			d->lost++;
		}
	}
}

static int open_udp(const char *ip, unsigned long port, bool do_bind)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)port) };
	int fd, big = 8 << 20;

	if (inet_pton(AF_INET, ip, &sa.sin_addr) != 1)
		return -EINVAL;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
	if ((do_bind ? bind(fd, (struct sockaddr *)&sa, sizeof(sa))
		     : connect(fd, (struct sockaddr *)&sa, sizeof(sa))) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

static void report(const struct drv *d, uint64_t ns)
{
	double secs = (double)ns / 1e9;

	printf("sent=%llu answered=%llu lost=%llu noerror=%llu other_rcode=%llu "
	       "qps=%.0f p50_us=%.0f p99_us=%.0f\n",
	       (unsigned long long)d->sent, (unsigned long long)d->answered,
	       (unsigned long long)d->lost, (unsigned long long)d->noerror,
	       (unsigned long long)d->other, (double)d->answered / secs,
	       quantile(d, 0.5), quantile(d, 0.99));
}

static int run_query(int argc, char **argv)
{
	unsigned long port, secs, inflight;
	static struct drv d;
	uint64_t start, end, last_expire;
	struct pollfd p;

	if (argc < 7 || parse_u(argv[3], 65535, &port) < 0 ||
	    parse_u(argv[4], 3600, &secs) < 0 ||
	    parse_u(argv[5], 30000, &inflight) < 0 || inflight == 0)
		return 2;
	d.fd = open_udp(argv[2], port, false);
	if (d.fd < 0)
		return 3;
	d.names = argv + 6;
	d.nnames = argc - 6;
	for (int i = 0; i < d.nnames; i++) {
		if (build_query(d.out[0], 0, d.names[i]) == 0)
			return 2;
	}
	d.max_inflight = (unsigned)inflight;
	start = last_expire = zf_now_ns();
	end = start + secs * ZF_NS_PER_S;
	p = (struct pollfd){ .fd = d.fd, .events = POLLIN };
	for (uint64_t now = start; now < end; now = zf_now_ns()) {
		fill(&d, now);
		if (poll(&p, 1, 10) > 0)
			drain(&d);
		if (now - last_expire > 100 * ZF_NS_PER_MS) {
			expire(&d, now);
			last_expire = now;
		}
	}
	report(&d, zf_now_ns() - start);
	return 0;
}

static int run_echo(int argc, char **argv)
{
	unsigned long port, secs;
	static uint8_t bufs[BATCH][BUF];
	struct sockaddr_in peers[BATCH];
	struct mmsghdr m[BATCH];
	struct iovec v[BATCH];
	uint64_t end;
	struct pollfd p;
	int fd;

	if (argc != 5 || parse_u(argv[3], 65535, &port) < 0 ||
	    parse_u(argv[4], 3600, &secs) < 0)
		return 2;
	fd = open_udp(argv[2], port, true);
	if (fd < 0)
		return 3;
	printf("listening\n");
	fflush(stdout);
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	end = zf_now_ns() + secs * ZF_NS_PER_S;
	while (zf_now_ns() < end) {
		int n;

		for (int i = 0; i < BATCH; i++) {
			v[i] = (struct iovec){ .iov_base = bufs[i],
					       .iov_len = BUF };
			memset(&m[i], 0, sizeof(m[i]));
			m[i].msg_hdr.msg_iov = &v[i];
			m[i].msg_hdr.msg_iovlen = 1;
			m[i].msg_hdr.msg_name = &peers[i];
			m[i].msg_hdr.msg_namelen = sizeof(peers[i]);
		}
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = recvmmsg(fd, m, BATCH, MSG_DONTWAIT, NULL);
		for (int i = 0; i < n; i++)
			v[i].iov_len = m[i].msg_len;
		if (n > 0)
			(void)sendmmsg(fd, m, (unsigned)n, 0);
	}
	close(fd);
	return 0;
}

static int run_ctl(int argc, char **argv)
{
	char *resp = NULL;
	int rc;

	if (argc != 4)
		return 2;
	rc = zf_dns_request_alloc(argv[2], argv[3], &resp, 10000);
	if (rc < 0) {
		fprintf(stderr, "zf_dns_drv: %s: %s\n", argv[2], strerror(-rc));
		return 1;
	}
	printf("%s\n", resp);
	free(resp);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 2;

	if (argc >= 2 && strcmp(argv[1], "query") == 0)
		rc = run_query(argc, argv);
	else if (argc >= 2 && strcmp(argv[1], "echo") == 0)
		rc = run_echo(argc, argv);
	else if (argc >= 2 && strcmp(argv[1], "ctl") == 0)
		rc = run_ctl(argc, argv);
	if (rc == 2)
		fprintf(stderr, "usage: zf_dns_drv query IP PORT SECS INFLIGHT "
			"NAME... | echo IP PORT SECS | ctl DIR REQUEST\n");
	return rc;
}
