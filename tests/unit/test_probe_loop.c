/* test_probe_loop.c - probes against small servers in this process on
 * 127.0.0.1: open-loop planning, records in planned order, each outcome
 * category, keep-alive and one connection per request, latency from the
 * planned time when the server stalls (no coordinated omission), exec
 * probes, stop, live counts and bad specs. No root needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
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
	SRV_HTTP,         /* answers each request with status */
	SRV_SILENT,       /* listens, never accepts */
	SRV_RST,          /* accepts and resets */
	SRV_CLOSE_EACH,   /* answers (keep-alive headers), then closes */
	SRV_PONG,         /* answers any bytes with "+PONG\r\n" */
};

struct srv {
	int lfd, port, mode, status;
	int stall_at;             /* before answering request #stall_at... */
	uint64_t stall_ns;        /* ...sleep this long (whole server) */
	int nreq;
	atomic_int stop;
	pthread_t th;
};

#define MAX_CLIENTS 64

static void srv_answer(struct srv *s, int fd, const char *buf, ssize_t n)
{
	char out[256];
	int len;

	if (s->mode == SRV_PONG) {
		if (send(fd, "+PONG\r\n", 7, MSG_NOSIGNAL) < 0)
			return;
		return;
	}
	for (const char *p = buf; (p = memmem(p, (size_t)(buf + n - p),
					      "\r\n\r\n", 4)); p += 4) {
		if (++s->nreq == s->stall_at)
			zf_sleep_ns(s->stall_ns);
		len = snprintf(out, sizeof(out), "HTTP/1.1 %d X\r\nContent-Length:"
			       " 2\r\nConnection: keep-alive\r\n\r\nok", s->status);
		if (send(fd, out, (size_t)len, MSG_NOSIGNAL) < 0)
			return;
	}
}

static void srv_accept(struct srv *s, struct pollfd *fds, int *n)
{
	struct linger lg = { 1, 0 };
	int fd = accept(s->lfd, NULL, NULL);

	if (fd < 0)
		return;
	if (s->mode == SRV_RST) {
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fd);
		return;
	}
	if (*n >= MAX_CLIENTS) {
		close(fd);
		return;
	}
	fds[*n].fd = fd;
	fds[*n].events = POLLIN;
	fds[*n].revents = 0;
	(*n)++;
}

static void *srv_main(void *arg)
{
	struct srv *s = arg;
	struct pollfd fds[MAX_CLIENTS + 1];
	char buf[4096];
	int n = 1;

	fds[0].fd = s->lfd;
	fds[0].events = s->mode == SRV_SILENT ? 0 : POLLIN;
	while (!atomic_load(&s->stop)) {
		if (poll(fds, (nfds_t)n, 20) <= 0)
			continue;
		if (fds[0].revents & POLLIN)
			srv_accept(s, fds, &n);
		for (int i = 1; i < n; i++) {
			ssize_t r;

			if (!fds[i].revents)
				continue;
			r = recv(fds[i].fd, buf, sizeof(buf), 0);
			if (r > 0)
				srv_answer(s, fds[i].fd, buf, r);
			if (r <= 0 || s->mode == SRV_CLOSE_EACH) {
				close(fds[i].fd);
				fds[i--] = fds[--n];
			}
		}
	}
	for (int i = 1; i < n; i++)
		close(fds[i].fd);
	return NULL;
}

/* A listener on 127.0.0.1 (ephemeral port); serving unless SILENT. */
static void srv_start(struct srv *s, int mode, int status)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int one = 1;

	memset(s, 0, sizeof(*s));
	s->mode = mode;
	s->status = status;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(s->lfd >= 0);
	setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	assert_int_equal(bind(s->lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s->lfd, 128), 0);
	assert_int_equal(getsockname(s->lfd, (struct sockaddr *)&a, &len), 0);
	s->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&s->th, NULL, srv_main, s), 0);
}

static void srv_stop(struct srv *s)
{
	atomic_store(&s->stop, 1);
	pthread_join(s->th, NULL);
	close(s->lfd);
}

/* A port nothing listens on: bound, then released. */
static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static struct zf_probe_spec http_spec(int port, double rate, int keepalive)
{
	struct zf_probe_spec s;

	memset(&s, 0, sizeof(s));
	memcpy(s.name, "t", 2);
	s.kind = ZF_PROBE_HTTP;
	s.rate = rate;
	s.netns_fd = -1;
	s.keepalive = keepalive;
	s.addr.sin_family = AF_INET;
	s.addr.sin_port = htons((uint16_t)port);
	s.addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memcpy(s.host_header, "test", 5);
	return s;
}

struct run {
	struct zf_probe *p;
	const struct zf_req *r;
	size_t n;
	size_t by[ZF_OUT_N];
	uint64_t lo, hi;        /* the run lasted lo..hi ns from t0 */
};

/* Run SPEC for DUR ns from now, stop, count the outcomes. */
static void run_probe(const struct zf_probe_spec *spec, uint64_t dur,
		      struct run *out)
{
	uint64_t t0 = zf_now_ns();
	char err[256];

	memset(out, 0, sizeof(*out));
	if (zf_probe_start(spec, t0, &out->p, err, sizeof(err)) < 0)
		fail_msg("start: %s", err);
	zf_sleep_ns(dur);
	out->lo = zf_now_ns() - t0;
	zf_probe_stop(out->p);
	out->hi = zf_now_ns() - t0;
	out->r = zf_probe_records(out->p, &out->n);
	for (size_t i = 0; i < out->n; i++) {
		assert_true(out->r[i].outcome < ZF_OUT_N);
		out->by[out->r[i].outcome]++;
	}
}

/* Requests are the schedule: k planned at k / rate, in order, for as long
 * as the probe ran. */
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

static void assert_all(const struct run *run, enum zf_outcome o)
{
	if (run->by[o] != run->n || run->n == 0)
		fail_msg("%zu requests, %zu %s (ok %zu refused %zu timeout %zu "
			 "reset %zu status %zu other %zu)", run->n, run->by[o],
			 zf_outcome_name(o), run->by[ZF_OUT_OK],
			 run->by[ZF_OUT_REFUSED], run->by[ZF_OUT_TIMEOUT],
			 run->by[ZF_OUT_RESET], run->by[ZF_OUT_STATUS],
			 run->by[ZF_OUT_OTHER]);
}

static void test_http_keepalive(void **state)
{
	struct zf_probe_spec spec;
	struct srv s;
	struct run run;
	uint64_t live = 0, good = 0, c, g;

	(void)state;
	srv_start(&s, SRV_HTTP, 200);
	spec = http_spec(s.port, 200, 1);
	run_probe(&spec, 500 * MS, &run);
	srv_stop(&s);
	assert_all(&run, ZF_OUT_OK);
	assert_schedule(&run, 200);
	assert_int_equal(zf_hist_count(zf_probe_hist(run.p)), run.n);
	assert_true(zf_hist_quantile(zf_probe_hist(run.p), 0.5) < 50 * MS);
	for (uint64_t sec = 0; sec < 3; sec++) {
		assert_int_equal(zf_probe_live(run.p, sec, &c, &g), 0);
		live += c;
		good += g;
	}
	assert_int_equal(live, run.n);
	assert_int_equal(good, run.n);
	assert_int_equal(zf_probe_get_spec(run.p)->timeout_ns, ZF_NS_PER_S);
	zf_probe_free(run.p);
}

static void test_http_new_connections(void **state)
{
	struct zf_probe_spec spec;
	struct srv s;
	struct run run;

	(void)state;
	srv_start(&s, SRV_HTTP, 200);
	spec = http_spec(s.port, 300, 0);
	run_probe(&spec, 300 * MS, &run);
	srv_stop(&s);
	assert_all(&run, ZF_OUT_OK);
	assert_schedule(&run, 300);
	zf_probe_free(run.p);
}

/* A server that closes kept-alive connections: every request still ok. */
static void test_http_server_closes(void **state)
{
	struct zf_probe_spec spec;
	struct srv s;
	struct run run;

	(void)state;
	srv_start(&s, SRV_CLOSE_EACH, 200);
	spec = http_spec(s.port, 200, 1);
	run_probe(&spec, 300 * MS, &run);
	srv_stop(&s);
	assert_all(&run, ZF_OUT_OK);
	zf_probe_free(run.p);
}

static void test_outcomes(void **state)
{
	static const struct { int mode, status; enum zf_outcome want; } cases[] = {
		{ SRV_HTTP, 503, ZF_OUT_STATUS },
		{ SRV_RST, 0, ZF_OUT_RESET },
		{ SRV_SILENT, 0, ZF_OUT_TIMEOUT },
	};
	struct zf_probe_spec spec;
	struct srv s;
	struct run run;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		srv_start(&s, cases[i].mode, cases[i].status);
		spec = http_spec(s.port, 100, 1);
		spec.timeout_ns = 100 * MS;
		run_probe(&spec, 200 * MS, &run);
		srv_stop(&s);
		assert_all(&run, cases[i].want);
		assert_int_equal(zf_hist_count(zf_probe_hist(run.p)), 0);
		if (cases[i].want == ZF_OUT_TIMEOUT)
			for (size_t k = 0; k < run.n; k++)
				assert_true(run.r[k].latency_ns >= 100 * MS);
		zf_probe_free(run.p);
	}
	spec = http_spec(free_port(), 100, 1);
	run_probe(&spec, 200 * MS, &run);
	assert_all(&run, ZF_OUT_REFUSED);
	zf_probe_free(run.p);
	spec.resolve_failed = 1;
	run_probe(&spec, 200 * MS, &run);
	assert_all(&run, ZF_OUT_DNS);
	for (size_t k = 0; k < run.n; k++)
		assert_true(run.r[k].latency_ns < 50 * MS);
	zf_probe_free(run.p);
}

/* The server stalls 300 ms before answering request 10: the requests
 * planned meanwhile wait, and their latency runs from their planned
 * time: about (end of stall - planned). */
static void test_no_coordinated_omission(void **state)
{
	struct zf_probe_spec spec;
	struct srv s;
	struct run run;
	uint64_t end;

	(void)state;
	srv_start(&s, SRV_HTTP, 200);
	s.stall_at = 10;
	s.stall_ns = 300 * MS;
	spec = http_spec(s.port, 100, 1);
	run_probe(&spec, 700 * MS, &run);
	srv_stop(&s);
	assert_all(&run, ZF_OUT_OK);
	/* Request 9 (planned at 90 ms) waited the whole stall. */
	assert_true(run.r[9].latency_ns >= 290 * MS);
	end = run.r[9].planned_ns + run.r[9].latency_ns;
	for (size_t k = 10; k < 35; k++) {
		uint64_t want = end > run.r[k].planned_ns ? end - run.r[k].planned_ns : 0;
		uint64_t got = run.r[k].latency_ns;

		if (got + 15 * MS < want || got > want + 15 * MS)
			fail_msg("request %zu: latency %llu ms, expected ~%llu ms",
				 k, (unsigned long long)(got / MS),
				 (unsigned long long)(want / MS));
	}
	assert_true(zf_hist_quantile(zf_probe_hist(run.p), 0.9) >= 100 * MS);
	zf_probe_free(run.p);
}

static void test_tcp(void **state)
{
	struct zf_probe_spec spec;
	struct srv s;
	struct run run;

	(void)state;
	srv_start(&s, SRV_PONG, 0);
	spec = http_spec(s.port, 100, 0);
	spec.kind = ZF_PROBE_TCP;
	spec.send = "PING\r\n";
	spec.expect = "PONG";
	run_probe(&spec, 200 * MS, &run);
	assert_all(&run, ZF_OUT_OK);
	zf_probe_free(run.p);
	/* Connect only. */
	spec.send = spec.expect = NULL;
	run_probe(&spec, 200 * MS, &run);
	assert_all(&run, ZF_OUT_OK);
	zf_probe_free(run.p);
	/* A reply without the expected bytes: wait for them until the
	 * timeout (over kept-alive connections: requests have a payload). */
	spec.send = "PING\r\n";
	spec.expect = "PANG";
	spec.timeout_ns = 100 * MS;
	spec.keepalive = 1;
	run_probe(&spec, 200 * MS, &run);
	srv_stop(&s);
	assert_all(&run, ZF_OUT_TIMEOUT);
	zf_probe_free(run.p);
	/* A reply without them, then the end of the stream: a bad answer. */
	srv_start(&s, SRV_CLOSE_EACH, 200);
	spec.addr.sin_port = htons((uint16_t)s.port);
	spec.send = "GET / HTTP/1.1\r\n\r\n";
	run_probe(&spec, 200 * MS, &run);
	srv_stop(&s);
	assert_all(&run, ZF_OUT_STATUS);
	zf_probe_free(run.p);
}

struct exec_ctx {
	atomic_int calls;
	int code, rc;
	uint64_t sleep_ns;
};

static int exec_fn(void *vctx, int *code)
{
	struct exec_ctx *c = vctx;

	atomic_fetch_add(&c->calls, 1);
	if (c->sleep_ns)
		zf_sleep_ns(c->sleep_ns);
	*code = c->code;
	return c->rc;
}

static struct zf_probe_spec exec_spec(struct exec_ctx *ctx, double rate)
{
	struct zf_probe_spec s;

	memset(&s, 0, sizeof(s));
	memcpy(s.name, "e", 2);
	s.kind = ZF_PROBE_EXEC;
	s.rate = rate;
	s.netns_fd = -1;
	s.exec = exec_fn;
	s.exec_ctx = ctx;
	return s;
}

static void test_exec(void **state)
{
	struct exec_ctx ctx = { 0 };
	struct zf_probe_spec spec = exec_spec(&ctx, 100);
	struct run run;

	(void)state;
	run_probe(&spec, 300 * MS, &run);
	assert_all(&run, ZF_OUT_OK);
	assert_int_equal((size_t)atomic_load(&ctx.calls), run.n);
	assert_schedule(&run, 100);
	zf_probe_free(run.p);
	ctx.code = 3;
	run_probe(&spec, 100 * MS, &run);
	assert_all(&run, ZF_OUT_STATUS);
	zf_probe_free(run.p);
	ctx.rc = -ENOENT;
	run_probe(&spec, 100 * MS, &run);
	assert_all(&run, ZF_OUT_OTHER);
	zf_probe_free(run.p);
}

/* Commands of 30 ms at 100/s: each delays the next, and the delay is
 * latency; requests queued past the timeout end as timeouts unrun. */
static void test_exec_slow(void **state)
{
	struct exec_ctx ctx = { .sleep_ns = 30 * MS };
	struct zf_probe_spec spec = exec_spec(&ctx, 100);
	struct run run;

	(void)state;
	spec.timeout_ns = 200 * MS;
	run_probe(&spec, 600 * MS, &run);
	assert_true(run.by[ZF_OUT_OK] > 5);
	assert_true(run.by[ZF_OUT_TIMEOUT] > 10);
	assert_int_equal(run.by[ZF_OUT_OK] + run.by[ZF_OUT_TIMEOUT], run.n);
	assert_true((size_t)atomic_load(&ctx.calls) < run.n);
	assert_true(run.r[5].latency_ns >= 100 * MS);    /* 5 * 20 ms behind */
	zf_probe_free(run.p);
}

/* Stopping with no grace ends what is queued or in flight at once. */
static void test_stop_within(void **state)
{
	struct zf_probe_spec spec;
	struct zf_probe *p;
	struct srv s;
	const struct zf_req *r;
	char err[256];
	uint64_t t0 = zf_now_ns(), took;
	size_t n;

	(void)state;
	srv_start(&s, SRV_SILENT, 0);
	spec = http_spec(s.port, 1000, 1);
	spec.timeout_ns = 10 * ZF_NS_PER_S;
	assert_int_equal(zf_probe_start(&spec, t0, &p, err, sizeof(err)), 0);
	zf_sleep_ns(200 * MS);
	zf_probe_stop_within(p, 0);
	took = zf_now_ns() - t0;
	srv_stop(&s);
	assert_true(took < 1000 * MS);
	r = zf_probe_records(p, &n);
	assert_true(n >= 150 && n <= 260);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(r[i].outcome, ZF_OUT_TIMEOUT);
	zf_probe_stop(p);               /* a second stop: nothing */
	zf_probe_free(p);
}

/* A probe planned to start later sends nothing before its t0. */
static void test_future_t0(void **state)
{
	struct exec_ctx ctx = { 0 };
	struct zf_probe_spec spec = exec_spec(&ctx, 1000);
	struct zf_probe *p;
	char err[256];
	size_t n;
	uint64_t c, g;

	(void)state;
	assert_int_equal(zf_probe_start(&spec, zf_now_ns() + 5 * ZF_NS_PER_S, &p,
					 err, sizeof(err)), 0);
	zf_sleep_ns(50 * MS);
	assert_int_equal(atomic_load(&ctx.calls), 0);
	assert_int_equal(zf_probe_live(p, 0, &c, &g), 0);
	assert_int_equal(c, 0);
	assert_null(zf_probe_records(p, &n));
	zf_probe_stop(p);
	zf_probe_records(p, &n);
	assert_int_equal(n, 0);
	zf_probe_free(p);
}

static void start_fails(const struct zf_probe_spec *spec, const char *what)
{
	struct zf_probe *p = NULL;
	char err[256] = "";

	assert_int_equal(zf_probe_start(spec, zf_now_ns(), &p, err, sizeof(err)),
			 -EINVAL);
	assert_null(p);
	if (!strstr(err, what))
		fail_msg("error '%s' does not mention '%s'", err, what);
}

static void test_bad_specs(void **state)
{
	struct zf_probe_spec s = http_spec(80, 10, 1), b;

	(void)state;
	b = s, b.rate = 0;
	start_fails(&b, "rate");
	b = s, b.rate = 1.0 / 0.0;
	start_fails(&b, "rate");
	b = s, b.timeout_ns = UINT64_MAX;
	start_fails(&b, "timeout");
	b = s, b.connections = -1;
	start_fails(&b, "connections");
	b = s, b.addr.sin_port = 0;
	start_fails(&b, "address");
	b = s, b.expect_status = 42;
	start_fails(&b, "status");
	b = s;
	memcpy(b.path, "/a b", 5);
	start_fails(&b, "path");
	b = s;
	memcpy(b.method, "G T", 4);
	start_fails(&b, "method");
	b = s, b.kind = ZF_PROBE_EXEC;
	start_fails(&b, "command");
	b = s, b.kind = (enum zf_probe_kind)9;
	start_fails(&b, "kind");
}

/* The thread cannot enter what is not a network namespace: the start
 * fails, saying so. */
static void test_bad_netns(void **state)
{
	struct zf_probe_spec s = http_spec(80, 10, 1);
	struct zf_probe *p = NULL;
	char err[256] = "";
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	(void)state;
	s.netns_fd = fd;
	assert_true(zf_probe_start(&s, zf_now_ns(), &p, err, sizeof(err)) < 0);
	assert_null(p);
	assert_non_null(strstr(err, "network namespace"));
	close(fd);
}

static void test_outcome_names(void **state)
{
	(void)state;
	assert_string_equal(zf_outcome_name(ZF_OUT_OK), "ok");
	assert_string_equal(zf_outcome_name(ZF_OUT_STATUS), "bad_status");
	assert_string_equal(zf_outcome_name(ZF_OUT_UNREACHABLE), "unreachable");
	assert_string_equal(zf_outcome_name((enum zf_outcome)77), "other");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_keepalive),
		cmocka_unit_test(test_http_new_connections),
		cmocka_unit_test(test_http_server_closes),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_no_coordinated_omission),
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_exec_slow),
		cmocka_unit_test(test_stop_within),
		cmocka_unit_test(test_future_t0),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_bad_netns),
		cmocka_unit_test(test_outcome_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
