/* linkem_drv.c - UDP sender and receiver for bench/linkem and
 * tests/integration/t_linkem.sh: measures what the link emulator
 * delivered. Every datagram carries a sequence number and its send time
 * (CLOCK_REALTIME); the receiver takes the kernel's receive timestamp
 * (SO_TIMESTAMPNS, same clock, same machine), so a one-way delay excludes
 * both programs' scheduling.
 *
 *   zf_linkem_drv send IP PORT RATE SECS [SIZE]
 *       RATE datagrams/s, open loop (0: as fast as possible), SIZE bytes
 *       of UDP payload (default 64). Prints "sent=N errors=N secs=S".
 *   zf_linkem_drv recv PORT SECS [TARGET_NS [MIN_NS]]
 *       listens SECS at most, stops 1 s after the last datagram. Prints
 *       received, reordered (arrived after a higher sequence number),
 *       one-way delay p50/p99/max, how many took >= MIN_NS ("emulated",
 *       default 0), their rate, and |delay - TARGET_NS| p50/p99/max.
 *
 * Exit status 0, 2 on bad arguments, 3 on a socket error. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util/timeutil.h"

#define MAGIC 0x7a666c6bu          /* "zflk" */
#define BATCH 64
#define MAX_SIZE 1400
#define IDLE_STOP_NS (1000 * 1000 * 1000ull)

struct wire {
	uint32_t magic, pad;
	uint64_t seq, tx_ns;
};

static int parse_num(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno || end == s || *end || *out < 0 ? -1 : 0;
}

/* The packets planned up to NOW that are not sent yet, at most BATCH. */
static unsigned due(uint64_t start, double interval, uint64_t sent,
		    uint64_t now)
{
	double planned;

	if (interval <= 0)
		return BATCH;
	planned = (double)(now - start) / interval + 1;
	if (planned <= (double)sent)
		return 0;
	return planned - (double)sent > BATCH ? BATCH
					      : (unsigned)(planned - (double)sent);
}

static void sleep_until(uint64_t start, double interval, uint64_t sent)
{
	uint64_t t = start + (uint64_t)(interval * (double)sent);
	struct timespec ts = { .tv_sec = (time_t)(t / ZF_NS_PER_S),
			       .tv_nsec = (long)(t % ZF_NS_PER_S) };

	if (interval > 20000)     /* below 50k/s: sleep; above: poll */
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

static int send_batch(int fd, uint8_t (*bufs)[MAX_SIZE], unsigned n,
		      size_t size, uint64_t *seq, uint64_t *errors)
{
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	uint64_t tx = zf_wall_ns();
	int r;

	memset(msgs, 0, sizeof(msgs));
	for (unsigned i = 0; i < n; i++) {
		struct wire w = { .magic = MAGIC, .seq = *seq + i, .tx_ns = tx };

		memcpy(bufs[i], &w, sizeof(w));
		iov[i] = (struct iovec){ .iov_base = bufs[i], .iov_len = size };
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	r = sendmmsg(fd, msgs, n, 0);
	if (r < 0) {
		if (errno != ENOBUFS && errno != EAGAIN &&
		    errno != ECONNREFUSED)
			return -errno;
		r = 0;
	}
	*errors += n - (unsigned)r;
	*seq += n;           /* a datagram not sent is a lost sequence number */
	return 0;
}

static int do_send(const char *ip, int port, double rate, double secs,
		   size_t size)
{
	static uint8_t bufs[BATCH][MAX_SIZE];
	struct sockaddr_in dst = { .sin_family = AF_INET,
				   .sin_port = htons((uint16_t)port) };
	double interval = rate > 0 ? 1e9 / rate : 0;
	uint64_t seq = 0, errors = 0, start, end;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || inet_pton(AF_INET, ip, &dst.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&dst, sizeof(dst)) < 0)
		return 3;
	start = zf_now_ns();
	end = start + (uint64_t)(secs * 1e9);
	for (uint64_t now = start; now < end; now = zf_now_ns()) {
		unsigned n = due(start, interval, seq, now);

		if (n == 0) {
			sleep_until(start, interval, seq);
			continue;
		}
		if (send_batch(fd, bufs, n, size, &seq, &errors) < 0)
			return 3;
	}
	printf("sent=%llu errors=%llu secs=%.3f\n", (unsigned long long)seq,
	       (unsigned long long)errors, (double)(zf_now_ns() - start) / 1e9);
	close(fd);
	return 0;
}

struct rx_stats {
	uint64_t *delay;           /* one-way, ns */
	size_t n, cap;
	uint64_t max_seq, reordered, first_ns, last_ns, emulated;
	uint64_t emu_first_ns, emu_last_ns;
	int started;
};

static void note(struct rx_stats *st, const struct wire *w, uint64_t rx,
		 uint64_t min_ns)
{
	uint64_t d = rx > w->tx_ns ? rx - w->tx_ns : 0;

	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 1 << 16;
		st->delay = realloc(st->delay, st->cap * sizeof(*st->delay));
		if (!st->delay)
			abort();
	}
	st->delay[st->n++] = d;
	if (st->started && w->seq < st->max_seq)
		st->reordered++;
	if (!st->started || w->seq > st->max_seq)
		st->max_seq = w->seq;
	if (!st->started)
		st->first_ns = rx;
	st->started = 1;
	st->last_ns = rx;
	if (d >= min_ns) {
		if (!st->emulated)
			st->emu_first_ns = rx;
		st->emulated++;
		st->emu_last_ns = rx;
	}
}

static uint64_t rx_time(struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			return (uint64_t)ts.tv_sec * ZF_NS_PER_S +
			       (uint64_t)ts.tv_nsec;
		}
	}
	return zf_wall_ns();
}

static int recv_batch(int fd, struct rx_stats *st, uint64_t min_ns)
{
	static uint8_t bufs[BATCH][MAX_SIZE];
	static char ctl[BATCH][CMSG_SPACE(sizeof(struct timespec)) + 64];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	int n;

	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = bufs[i],
					 .iov_len = MAX_SIZE };
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_control = ctl[i];
		msgs[i].msg_hdr.msg_controllen = sizeof(ctl[i]);
	}
	n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
	for (int i = 0; i < n; i++) {
		struct wire w;

		if (msgs[i].msg_len < sizeof(w))
			continue;
		memcpy(&w, bufs[i], sizeof(w));
		if (w.magic == MAGIC)
			note(st, &w, rx_time(&msgs[i].msg_hdr), min_ns);
	}
	return n;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t pct(const uint64_t *v, size_t n, double q)
{
	size_t i;

	if (n == 0)
		return 0;
	i = (size_t)(q * (double)(n - 1) + 0.5);
	return v[i];
}

static void report(struct rx_stats *st, uint64_t target)
{
	uint64_t *err = malloc((st->n ? st->n : 1) * sizeof(*err));
	double span = (double)(st->emu_last_ns - st->emu_first_ns) / 1e9;

	if (!err)
		abort();
	for (size_t i = 0; i < st->n; i++)
		err[i] = st->delay[i] > target ? st->delay[i] - target
					       : target - st->delay[i];
	qsort(st->delay, st->n, sizeof(*st->delay), cmp_u64);
	qsort(err, st->n, sizeof(*err), cmp_u64);
	printf("received=%zu reordered=%llu emulated=%llu emulated_pps=%.0f "
	       "delay_p50_ns=%llu delay_p99_ns=%llu delay_max_ns=%llu "
	       "error_p50_ns=%llu error_p99_ns=%llu error_max_ns=%llu\n",
	       st->n, (unsigned long long)st->reordered,
	       (unsigned long long)st->emulated,
	       span > 0 ? (double)st->emulated / span : 0.0,
	       (unsigned long long)pct(st->delay, st->n, 0.5),
	       (unsigned long long)pct(st->delay, st->n, 0.99),
	       (unsigned long long)pct(st->delay, st->n, 1.0),
	       (unsigned long long)pct(err, st->n, 0.5),
	       (unsigned long long)pct(err, st->n, 0.99),
	       (unsigned long long)pct(err, st->n, 1.0));
	free(err);
}

static int open_rx(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)port) };
	int one = 1, big = 64 << 20;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	(void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int do_recv(int port, double secs, uint64_t target, uint64_t min_ns)
{
	struct rx_stats st = { 0 };
	int fd = open_rx(port);
	uint64_t end = zf_now_ns() + (uint64_t)(secs * 1e9), last = 0;

	if (fd < 0)
		return 3;
	printf("listening\n");
	fflush(stdout);
	for (uint64_t now = zf_now_ns(); now < end; now = zf_now_ns()) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (st.started && now - last > IDLE_STOP_NS)
			break;
		if (poll(&p, 1, 100) <= 0)
			continue;
		while (recv_batch(fd, &st, min_ns) > 0)
			last = zf_now_ns();
	}
	report(&st, target);
	free(st.delay);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	double a, b, c = 0, e = 0, size = 64;

	(void)prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	if (argc >= 6 && strcmp(argv[1], "send") == 0 &&
	    parse_num(argv[3], &a) == 0 && parse_num(argv[4], &b) == 0 &&
	    parse_num(argv[5], &c) == 0 &&
	    (argc == 6 || (argc == 7 && parse_num(argv[6], &size) == 0)) &&
	    size >= sizeof(struct wire) && size <= MAX_SIZE)
		return do_send(argv[2], (int)a, b, c, (size_t)size);
	if (argc >= 4 && argc <= 6 && strcmp(argv[1], "recv") == 0 &&
	    parse_num(argv[2], &a) == 0 && parse_num(argv[3], &b) == 0 &&
	    (argc < 5 || parse_num(argv[4], &c) == 0) &&
	    (argc < 6 || parse_num(argv[5], &e) == 0))
		return do_recv((int)a, b, (uint64_t)c, (uint64_t)e);
	fprintf(stderr, "usage: zf_linkem_drv send IP PORT RATE SECS [SIZE]\n"
		"       zf_linkem_drv recv PORT SECS [TARGET_NS [MIN_NS]]\n");
	return 2;
}
