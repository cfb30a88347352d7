/* test_probe_dns_loop.c - dns probes against a small UDP server in this
 * process on 127.0.0.1: open-loop planning, every outcome over the wire
 * (ok, servfail, nxdomain, empty, wrong, timeout, refused through the ICMP
 * error queue), replies matched by ID and source (stray, duplicated and
 * foreign replies change nothing), latency from the planned time when the
 * server stalls, and stopping with queries in flight. No root needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe/probe.h"
#include "util/timeutil.h"

#define MS ZF_NS_PER_MS

enum srv_mode {
	SRV_ANSWER,       /* NOERROR with 10.0.0.1 and 10.0.0.2, rotating */
	SRV_CYCLE,        /* query i: ok, servfail, nxdomain, empty, wrong */
	SRV_SILENT,       /* reads, never answers */
	SRV_BAD_ID,       /* answers with another ID */
	SRV_FOREIGN,      /* answers from another port */
	SRV_TWICE,        /* answers every query twice */
};

struct srv {
	int fd, other, port, mode;
	int stall_at;             /* before answering query #stall_at... */
	uint64_t stall_ns;        /* ...sleep this long */
	int nq;
	atomic_int stop;
	pthread_t th;
};

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* End of the question of query Q (LEN bytes), or 0 if it has none. */
static size_t question_end(const uint8_t *q, size_t len)
{
	size_t i = 12;

	while (i < len && q[i])
		i += 1u + q[i];
	return i + 5 <= len ? i + 5 : 0;
}

/* Append an A record (name: pointer to the question) for 10.0.0.LAST. */
static size_t put_a(uint8_t *r, size_t off, uint8_t last)
{
	static const uint8_t rr[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4,
				      10, 0, 0 };

	memcpy(r + off, rr, sizeof(rr));
	r[off + sizeof(rr)] = last;
	return off + sizeof(rr) + 1;
}

/* The reply to query Q into R: RCODE and the addresses 10.0.0.L of LAST
 * (N of them). Returns its length, 0 for a query without a question. */
static size_t reply(const uint8_t *q, size_t len, uint8_t *r, int rcode,
		    const uint8_t *last, size_t n)
{
	size_t qend = question_end(q, len), off;

	if (!qend)
		return 0;
	memcpy(r, q, qend);
	r[2] = (uint8_t)(0x84 | (q[2] & 0x01));     /* QR, AA, RD as asked */
	r[3] = (uint8_t)rcode;
	put16(r + 6, (unsigned)n);
	put16(r + 8, 0);
	put16(r + 10, 0);                            /* no OPT */
	off = qend;
	for (size_t i = 0; i < n; i++)
		off = put_a(r, off, last[i]);
	return off;
}

/* What query number I of a SRV_CYCLE server gets. */
static size_t cycle_reply(const uint8_t *q, size_t len, uint8_t *r, int i)
{
	static const uint8_t ok[] = { 2, 1 }, wrong[] = { 1, 66 };

	switch (i % 5) {
	case 0: return reply(q, len, r, 0, ok, 2);
	case 1: return reply(q, len, r, 2, NULL, 0);       /* SERVFAIL */
	case 2: return reply(q, len, r, 3, NULL, 0);       /* NXDOMAIN */
	case 3: return reply(q, len, r, 0, NULL, 0);       /* empty */
	default: return reply(q, len, r, 0, wrong, 2);
	}
}

static void srv_answer(struct srv *s, const uint8_t *q, size_t len,
		       const struct sockaddr_in *to)
{
	uint8_t r[512];
	uint8_t both[2] = { (uint8_t)(1 + s->nq % 2), (uint8_t)(2 - s->nq % 2) };
	size_t n = s->mode == SRV_CYCLE ? cycle_reply(q, len, r, s->nq)
					: reply(q, len, r, 0, both, 2);
	int fd = s->mode == SRV_FOREIGN ? s->other : s->fd;

	if (!n || s->mode == SRV_SILENT)
		return;
	if (s->mode == SRV_BAD_ID)
		r[1] ^= 0x5a;
	for (int i = 0; i < (s->mode == SRV_TWICE ? 2 : 1); i++)
		if (sendto(fd, r, n, 0, (const struct sockaddr *)to,
			   sizeof(*to)) < 0)
			return;
}

static void *srv_main(void *arg)
{
	struct srv *s = arg;
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	uint8_t q[2048];
	struct sockaddr_in from;
	socklen_t flen;
	ssize_t n;

	while (!atomic_load(&s->stop)) {
		if (poll(&pfd, 1, 20) <= 0)
			continue;
		flen = sizeof(from);
		n = recvfrom(s->fd, q, sizeof(q), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &flen);
		if (n < 12)
			continue;
		if (s->stall_ns && s->nq == s->stall_at)
			zf_sleep_ns(s->stall_ns);
		srv_answer(s, q, (size_t)n, &from);
		s->nq++;
	}
	return NULL;
}

static int udp_socket(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	if (port)
		*port = ntohs(a.sin_port);
	return fd;
}

static void srv_start(struct srv *s, int mode)
{
	memset(s, 0, sizeof(*s));
	s->mode = mode;
	s->stall_at = -1;
	s->fd = udp_socket(&s->port);
	s->other = udp_socket(NULL);
	assert_int_equal(pthread_create(&s->th, NULL, srv_main, s), 0);
}

static void srv_stop(struct srv *s)
{
	atomic_store(&s->stop, 1);
	pthread_join(s->th, NULL);
	close(s->fd);
	close(s->other);
}

/* A UDP port nothing listens on: bound, then released. */
static int free_port(void)
{
	int port, fd = udp_socket(&port);

	close(fd);
	return port;
}

static const struct zf_dns_addr expect_two[2] = {
	{ { 10, 0, 0, 1 } }, { { 10, 0, 0, 2 } },
};

static struct zf_probe_spec dns_spec(int port, double rate)
{
	struct zf_probe_spec s;

	memset(&s, 0, sizeof(s));
	memcpy(s.name, "d", 2);
	s.kind = ZF_PROBE_DNS;
	s.rate = rate;
	s.timeout_ns = 500 * MS;
	s.netns_fd = -1;
	s.addr.sin_family = AF_INET;
	s.addr.sin_port = htons((uint16_t)port);
	s.addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memcpy(s.dns_name, "www.lab", 8);
	s.dns_expect = expect_two;
	s.dns_n_expect = 2;
	return s;
}

struct run {
	struct zf_probe *p;
	const struct zf_req *r;
	size_t n;
	size_t by[ZF_OUT_N];
	uint64_t lo, hi;        /* the run lasted lo..hi ns from t0 */
	uint64_t stop_ns;       /* how long stopping took */
};

/* Run SPEC for DUR ns from now, stop within GRACE, count the outcomes. */
static void run_probe(const struct zf_probe_spec *spec, uint64_t dur,
		      uint64_t grace, struct run *out)
{
	uint64_t t0 = zf_now_ns(), t;
	char err[256];

	memset(out, 0, sizeof(*out));
	if (zf_probe_start(spec, t0, &out->p, err, sizeof(err)) < 0)
		fail_msg("start: %s", err);
	zf_sleep_ns(dur);
	t = zf_now_ns();
	out->lo = t - t0;
	zf_probe_stop_within(out->p, grace);
	out->stop_ns = zf_now_ns() - t;
	out->hi = zf_now_ns() - t0;
	out->r = zf_probe_records(out->p, &out->n);
	for (size_t i = 0; i < out->n; i++) {
		assert_true(out->r[i].outcome < ZF_OUT_N);
		out->by[out->r[i].outcome]++;
	}
}

static void assert_all(const struct run *run, enum zf_outcome o)
{
	if (run->by[o] == run->n && run->n > 0)
		return;
	fail_msg("%zu queries, %zu %s (ok %zu timeout %zu refused %zu "
		 "servfail %zu nxdomain %zu empty %zu wrong %zu other %zu)",
		 run->n, run->by[o], zf_outcome_name(o), run->by[ZF_OUT_OK],
		 run->by[ZF_OUT_TIMEOUT], run->by[ZF_OUT_REFUSED],
		 run->by[ZF_OUT_SERVFAIL], run->by[ZF_OUT_NXDOMAIN],
		 run->by[ZF_OUT_EMPTY], run->by[ZF_OUT_WRONG],
		 run->by[ZF_OUT_OTHER]);
}

/* Queries are the schedule: k planned at k / rate, for as long as the
 * probe ran. */
static void assert_schedule(const struct run *run, double rate)
{
	assert_true(run->n >= (size_t)((double)run->lo * rate / 1e9));
	assert_true(run->n <= (size_t)((double)run->hi * rate / 1e9) + 1);
	for (size_t i = 0; i < run->n; i++) {
		double want = (double)i * 1e9 / rate;

		assert_true(run->r[i].planned_ns <= (uint64_t)want + 1);
		assert_true(run->r[i].planned_ns + 1 >= (uint64_t)want);
	}
}

static void test_ok(void **state)
{
	struct zf_probe_spec spec;
	struct srv s;
	struct run run;
	uint64_t c, g, live = 0;

	(void)state;
	srv_start(&s, SRV_ANSWER);
	spec = dns_spec(s.port, 200);
	run_probe(&spec, 400 * MS, spec.timeout_ns, &run);
	srv_stop(&s);
	assert_all(&run, ZF_OUT_OK);
	assert_schedule(&run, 200);
	assert_int_equal(s.nq, (int)run.n);
	assert_int_equal(zf_hist_count(zf_probe_hist(run.p)), run.n);
	assert_true(zf_hist_quantile(zf_probe_hist(run.p), 0.5) < 50 * MS);
	for (uint64_t sec = 0; sec < 2; sec++)
		if (zf_probe_live(run.p, sec, &c, &g) == 0)
			live += c;
	assert_int_equal(live, run.n);
	zf_probe_free(run.p);
}

/* Each cause of error as the server gives it, in its turn. */
static void test_categories(void **state)
{
	struct zf_probe_spec spec;
	struct srv s;
	struct run run;

	(void)state;
	srv_start(&s, SRV_CYCLE);
	spec = dns_spec(s.port, 250);
	run_probe(&spec, 400 * MS, spec.timeout_ns, &run);
	srv_stop(&s);
	assert_true(run.n >= 100);
	for (size_t i = 0; i < run.n; i++) {
		static const enum zf_outcome want[] = {
			ZF_OUT_OK, ZF_OUT_SERVFAIL, ZF_OUT_NXDOMAIN,
			ZF_OUT_EMPTY, ZF_OUT_WRONG };

		if (run.r[i].outcome != want[i % 5])
			fail_msg("query %zu: %s, want %s", i,
				 zf_outcome_name(run.r[i].outcome),
				 zf_outcome_name(want[i % 5]));
	}
	zf_probe_free(run.p);
}

/* No reply: every query times out, its latency the timeout. */
static void test_timeout(void **state)
{
	struct zf_probe_spec spec;
	struct srv s;
	struct run run;

	(void)state;
	srv_start(&s, SRV_SILENT);
	spec = dns_spec(s.port, 100);
	spec.timeout_ns = 100 * MS;
	run_probe(&spec, 300 * MS, spec.timeout_ns, &run);
	srv_stop(&s);
	assert_all(&run, ZF_OUT_TIMEOUT);
	for (size_t i = 0; i < run.n; i++) {
		assert_true(run.r[i].latency_ns >= 100 * MS);
		assert_true(run.r[i].latency_ns < 300 * MS);
	}
	zf_probe_free(run.p);
}

/* Nothing listens: the ICMP port unreachable ends each query at once. */
static void test_refused(void **state)
{
	struct zf_probe_spec spec = dns_spec(free_port(), 100);
	struct run run;

	(void)state;
	spec.timeout_ns = 2000 * MS;
	run_probe(&spec, 300 * MS, spec.timeout_ns, &run);
	assert_all(&run, ZF_OUT_REFUSED);
	for (size_t i = 0; i < run.n; i++)
		assert_true(run.r[i].latency_ns < 200 * MS);
	assert_true(run.stop_ns < 500 * MS);
	zf_probe_free(run.p);
}

/* A reply with another ID or from another port is no answer. */
static void test_stray_replies(void **state)
{
	int modes[] = { SRV_BAD_ID, SRV_FOREIGN };

	(void)state;
	for (size_t m = 0; m < 2; m++) {
		struct zf_probe_spec spec;
		struct srv s;
		struct run run;

		srv_start(&s, modes[m]);
		spec = dns_spec(s.port, 100);
		spec.timeout_ns = 100 * MS;
		run_probe(&spec, 250 * MS, spec.timeout_ns, &run);
		srv_stop(&s);
		assert_all(&run, ZF_OUT_TIMEOUT);
		assert_int_equal(s.nq, (int)run.n);
		zf_probe_free(run.p);
	}
}

/* A repeated reply ends its query once. */
static void test_twice(void **state)
{
	struct zf_probe_spec spec;
	struct srv s;
	struct run run;

	(void)state;
	srv_start(&s, SRV_TWICE);
	spec = dns_spec(s.port, 200);
	spec.dns_expect = NULL;
	spec.dns_expect_count = 2;
	run_probe(&spec, 300 * MS, spec.timeout_ns, &run);
	srv_stop(&s);
	assert_all(&run, ZF_OUT_OK);
	assert_int_equal(zf_hist_count(zf_probe_hist(run.p)), run.n);
	zf_probe_free(run.p);
}

/* The server stalls 200 ms: the queries planned meanwhile are still sent
 * on time, and their latency counts from their planned time. */
static void test_no_coordinated_omission(void **state)
{
	struct zf_probe_spec spec;
	struct srv s;
	struct run run;
	uint64_t worst = 0;
	size_t slow = 0;

	(void)state;
	srv_start(&s, SRV_ANSWER);
	s.stall_at = 20;
	s.stall_ns = 200 * MS;
	spec = dns_spec(s.port, 200);
	run_probe(&spec, 600 * MS, spec.timeout_ns, &run);
	srv_stop(&s);
	assert_all(&run, ZF_OUT_OK);
	for (size_t i = 0; i < run.n; i++) {
		worst = run.r[i].latency_ns > worst ? run.r[i].latency_ns : worst;
		slow += run.r[i].latency_ns >= 50 * MS;
	}
	assert_true(worst >= 150 * MS);
	assert_true(slow >= 25);        /* ~40 planned during the stall */
	zf_probe_free(run.p);
}

/* Stopping ends the queries in flight as timeouts after the grace, not
 * after their (long) timeout. */
static void test_stop_inflight(void **state)
{
	struct zf_probe_spec spec;
	struct srv s;
	struct run run;

	(void)state;
	srv_start(&s, SRV_SILENT);
	spec = dns_spec(s.port, 100);
	spec.timeout_ns = 30 * ZF_NS_PER_S;
	run_probe(&spec, 200 * MS, 50 * MS, &run);
	srv_stop(&s);
	assert_all(&run, ZF_OUT_TIMEOUT);
	assert_true(run.stop_ns < 1000 * MS);
	zf_probe_free(run.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok),
		cmocka_unit_test(test_categories),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_stray_replies),
		cmocka_unit_test(test_twice),
		cmocka_unit_test(test_no_coordinated_omission),
		cmocka_unit_test(test_stop_inflight),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
