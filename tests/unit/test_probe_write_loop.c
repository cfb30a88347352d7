/* test_probe_write_loop.c - a write probe end to end against an HTTP
 * server in this process (on loopback): the worker pool's open loop, the
 * outcome of every write in the ledger (ok, fail for a 503, unknown for a
 * 500 the server applied anyway), ids in planned order, the final read
 * and the checker's verdict (lost, recovered, foreign values); and a
 * saturated pool: writes that waited longer than the timeout are never
 * sent (not in the ledger, timeouts in the request log). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe/checker.h"
#include "probe/ledger.h"
#include "probe/probe.h"
#include "probe/write.h"
#include "util/timeutil.h"

#define MAXV 100000

/* The server: stores POSTed values; how it answers depends on the id. */
static struct server {
	int lfd;
	int port;
	pthread_mutex_t mu;
	char *values[MAXV];
	size_t n;
	int delay_ms;           /* before each answer to a write */
	int faults;             /* answers by id (below) */
	int stop;
} srv = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* The id at the end of value V ("...-123"). */
static long id_of(const char *v)
{
	const char *d = strrchr(v, '-');

	return d ? strtol(d + 1, NULL, 10) : -1;
}

/* With faults: id % 5 == 0 refused (503), id % 7 == 0 applied but 500,
 * id % 11 == 0 acknowledged but lost (absent from the collection). */
static int answer_for(long id)
{
	if (!srv.faults)
		return 201;
	if (id % 5 == 0)
		return 503;
	return id % 7 == 0 ? 500 : 201;
}

static void reply(int fd, int status, const char *body, size_t len)
{
	char head[128];
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %d X\r\nContent-Length: "
			 "%zu\r\n\r\n", status, len);

	if (send(fd, head, (size_t)n, MSG_NOSIGNAL) < 0 ||
	    (len && send(fd, body, len, MSG_NOSIGNAL) < 0))
		return;
}

static void answer_get(int fd)
{
	size_t len = 0, cap = 64;
	char *b = malloc(cap);

	pthread_mutex_lock(&srv.mu);
	for (size_t i = 0; i < srv.n; i++) {
		size_t n = strlen(srv.values[i]);

		if (srv.faults && id_of(srv.values[i]) % 11 == 0)
			continue;
		while (len + n + 32 > cap)
			b = realloc(b, cap *= 2);
		memcpy(b + len, srv.values[i], n);
		len += n;
		b[len++] = '\n';
	}
	pthread_mutex_unlock(&srv.mu);
	if (srv.faults) {
		memcpy(b + len, "stranger\n", 9);
		len += 9;
	}
	reply(fd, 200, b, len);
	free(b);
}

static void answer_post(int fd, const char *body, size_t len)
{
	char *v = strndup(body, len);
	int status = answer_for(id_of(v));

	if (srv.delay_ms)
		usleep((useconds_t)srv.delay_ms * 1000);
	pthread_mutex_lock(&srv.mu);
	if (status != 503 && srv.n < MAXV)
		srv.values[srv.n++] = v;
	else
		free(v);
	pthread_mutex_unlock(&srv.mu);
	reply(fd, status, "", 0);
}

/* One request from BUF (LEN bytes): its size when complete, else 0. */
static size_t one_request(int fd, const char *buf, size_t len)
{
	const char *end = memmem(buf, len, "\r\n\r\n", 4), *cl;
	size_t head, body = 0;

	if (!end)
		return 0;
	head = (size_t)(end - buf) + 4;
	cl = memmem(buf, head, "Content-Length: ", 16);
	if (cl)
		body = strtoul(cl + 16, NULL, 10);
	if (len < head + body)
		return 0;
	if (!strncmp(buf, "GET ", 4))
		answer_get(fd);
	else
		answer_post(fd, buf + head, body);
	return head + body;
}

static void *conn_main(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char buf[8192];
	size_t len = 0;
	ssize_t n;

	while ((n = recv(fd, buf + len, sizeof(buf) - len, 0)) > 0) {
		size_t used;

		len += (size_t)n;
		while ((used = one_request(fd, buf, len)) > 0) {
			memmove(buf, buf + used, len - used);
			len -= used;
		}
	}
	close(fd);
	return NULL;
}

static void *accept_main(void *arg)
{
	(void)arg;
	for (;;) {
		int fd = accept(srv.lfd, NULL, NULL);
		pthread_t t;

		if (fd < 0)
			return NULL;
		pthread_create(&t, NULL, conn_main, (void *)(intptr_t)fd);
		pthread_detach(t);
	}
}

static int setup(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	pthread_t t;

	(void)state;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	srv.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (srv.lfd < 0 || bind(srv.lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(srv.lfd, 256) < 0 ||
	    getsockname(srv.lfd, (struct sockaddr *)&a, &al) < 0)
		return -1;
	srv.port = ntohs(a.sin_port);
	pthread_create(&t, NULL, accept_main, NULL);
	pthread_detach(t);
	return 0;
}

static void reset_server(int faults, int delay_ms)
{
	pthread_mutex_lock(&srv.mu);
	for (size_t i = 0; i < srv.n; i++)
		free(srv.values[i]);
	srv.n = 0;
	srv.faults = faults;
	srv.delay_ms = delay_ms;
	pthread_mutex_unlock(&srv.mu);
}

static void make_spec(struct zf_probe_spec *s, struct zf_wspec *w,
		      double rate, uint64_t timeout, int workers)
{
	memset(s, 0, sizeof(*s));
	memset(w, 0, sizeof(*w));
	snprintf(s->name, sizeof(s->name), "wr");
	s->kind = ZF_PROBE_WRITE;
	s->rate = rate;
	s->timeout_ns = timeout;
	s->netns_fd = -1;
	s->write = w;
	w->sys = ZF_WSYS_HTTP;
	w->workers = workers;
	assert_int_equal(zf_wprefix(w->prefix, sizeof(w->prefix), zf_wall_ns(),
				    42, "wr"), 0);
	snprintf(w->client, sizeof(w->client), "user1");
	w->n_nodes = 1;
	snprintf(w->nodes[0].name, sizeof(w->nodes[0].name), "web");
	w->nodes[0].addr.sin_family = AF_INET;
	w->nodes[0].addr.sin_port = htons((uint16_t)srv.port);
	w->nodes[0].addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	w->read_node = w->nodes[0];
	snprintf(w->host_header, sizeof(w->host_header), "web");
	snprintf(w->read_host, sizeof(w->read_host), "web");
	snprintf(w->path, sizeof(w->path), "/items");
	snprintf(w->read_path, sizeof(w->read_path), "/items");
}

/* What the server makes of write ID, as the ledger should record it. */
static enum zf_wout expected(long id)
{
	int st = answer_for(id);

	return st == 201 ? ZF_W_OK : st == 503 ? ZF_W_FAIL : ZF_W_UNKNOWN;
}

static void test_outcomes_and_check(void **state)
{
	struct zf_probe_spec spec;
	struct zf_wspec ws;
	struct zf_probe *p = NULL;
	const struct zf_ledger *l;
	const struct zf_write *w;
	struct zf_probe_wstats st;
	struct zf_check c;
	uint64_t lost = 0, fail = 0, unk = 0;
	char err[256];
	size_t n;

	(void)state;
	reset_server(1, 0);
	make_spec(&spec, &ws, 400, 1000000000ull, 4);
	assert_int_equal(zf_probe_start(&spec, zf_now_ns(), &p, err, sizeof(err)), 0);
	assert_null(zf_probe_ledger(p));        /* still running */
	usleep(500000);
	zf_probe_stop(p);
	assert_int_equal(zf_probe_final_read(p), 0);
	assert_int_equal(zf_probe_final_read(p), -EALREADY);
	l = zf_probe_ledger(p);
	assert_non_null(l);
	zf_probe_write_stats(p, &st);
	assert_int_equal(st.workers, 4);
	assert_int_equal(st.not_sent, 0);
	zf_probe_records(p, &n);
	assert_int_equal(zf_ledger_count(l), n);
	assert_true(n >= 150);
	w = zf_ledger_writes(l);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(w[i].id, i);           /* planned order */
		assert_int_equal(w[i].outcome, expected((long)i));
		assert_int_equal(w[i].planned_ns, (uint64_t)((double)i * 2.5e6));
		assert_true(w[i].invoke_ns >= w[i].planned_ns);
		assert_true(w[i].complete_ns >= w[i].invoke_ns);
		assert_string_equal(zf_ledger_name(l, w[i].client), "user1");
		assert_string_equal(zf_ledger_name(l, w[i].node), "web");
		lost += w[i].outcome == ZF_W_OK && i % 11 == 0;
		fail += w[i].outcome == ZF_W_FAIL;
		unk += w[i].outcome == ZF_W_UNKNOWN;
	}
	assert_int_equal(zf_check_run(l, &c), 0);
	assert_int_equal(c.verdict, ZF_CHECK_INVALID);
	assert_int_equal(c.lost, lost);
	assert_int_equal(c.failed, fail);
	assert_int_equal(c.unknown, unk);
	assert_int_equal(c.recovered_failed, 0);
	/* the 500s were applied: present unless dropped as "lost" too */
	assert_true(c.recovered > 0 && c.recovered <= unk);
	assert_int_equal(c.unexpected, 1);              /* "stranger" */
	assert_int_equal(c.unexpected_foreign, 1);
	assert_true(c.have_lost_window);
	zf_check_free(&c);
	zf_probe_free(p);
}

static void test_clean_run_is_valid(void **state)
{
	struct zf_probe_spec spec;
	struct zf_wspec ws;
	struct zf_probe *p = NULL;
	struct zf_final_read fr;
	struct zf_check c;
	char err[256];

	(void)state;
	reset_server(0, 0);
	make_spec(&spec, &ws, 200, 1000000000ull, 2);
	assert_int_equal(zf_probe_start(&spec, zf_now_ns(), &p, err, sizeof(err)), 0);
	usleep(300000);
	zf_probe_stop(p);
	assert_int_equal(zf_probe_final_read(p), 0);
	zf_ledger_final(zf_probe_ledger(p), &fr);
	assert_int_equal(fr.state, ZF_FREAD_DONE);
	assert_string_equal(zf_ledger_name(zf_probe_ledger(p), fr.node), "web");
	assert_int_equal(zf_check_run(zf_probe_ledger(p), &c), 0);
	assert_int_equal(c.verdict, ZF_CHECK_VALID);
	assert_true(c.acknowledged >= 50);
	assert_int_equal(c.lost + c.unexpected + c.failed + c.unknown, 0);
	zf_check_free(&c);
	zf_probe_free(p);
}

/* A server that answers after 300 ms, 2 workers, 100 writes/s, 200 ms
 * timeout: each worker sends one write every 200 ms (it times out:
 * unknown); the rest wait, expire and are never sent. */
static void test_saturated_pool(void **state)
{
	struct zf_probe_spec spec;
	struct zf_wspec ws;
	struct zf_probe *p = NULL;
	struct zf_probe_wstats st;
	const struct zf_req *r;
	struct zf_check c;
	uint64_t t0, stopped;
	size_t n, timeouts = 0;
	char err[256];

	(void)state;
	reset_server(0, 300);
	make_spec(&spec, &ws, 100, 200000000ull, 2);
	t0 = zf_now_ns();
	assert_int_equal(zf_probe_start(&spec, t0, &p, err, sizeof(err)), 0);
	usleep(1000000);
	stopped = zf_now_ns();
	zf_probe_stop(p);
	/* stopping waits for the writes in flight: at most their timeout */
	assert_true(zf_now_ns() - stopped < 600000000ull);
	zf_probe_write_stats(p, &st);
	r = zf_probe_records(p, &n);
	assert_true(n >= 90);
	for (size_t i = 0; i < n; i++)
		timeouts += r[i].outcome == ZF_OUT_TIMEOUT;
	assert_int_equal(timeouts, n);
	assert_true(st.not_sent >= n / 2);
	assert_int_equal(zf_ledger_count(zf_probe_ledger(p)) + st.not_sent, n);
	assert_int_equal(zf_check_run(zf_probe_ledger(p), &c), 0);
	assert_int_equal(c.unknown, c.attempted);       /* every sent one */
	assert_int_equal(c.verdict, ZF_CHECK_UNKNOWN);  /* no final read */
	zf_check_free(&c);
	zf_probe_free(p);
	reset_server(0, 0);
}

/* Nothing listens: every write fails (refused, nothing sent), and the
 * final read fails: the verdict is unknown. */
static void test_refused(void **state)
{
	struct zf_probe_spec spec;
	struct zf_wspec ws;
	struct zf_probe *p = NULL;
	struct zf_final_read fr;
	struct zf_check c;
	char err[256];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);

	(void)state;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	make_spec(&spec, &ws, 100, 200000000ull, 2);
	ws.nodes[0].addr.sin_port = a.sin_port;         /* bound, not listening */
	ws.read_node = ws.nodes[0];
	assert_int_equal(zf_probe_start(&spec, zf_now_ns(), &p, err, sizeof(err)), 0);
	usleep(200000);
	zf_probe_stop(p);
	assert_int_equal(zf_probe_final_read(p), 0);
	zf_ledger_final(zf_probe_ledger(p), &fr);
	assert_int_equal(fr.state, ZF_FREAD_FAILED);
	assert_non_null(strstr(fr.error, "refused"));
	assert_int_equal(zf_check_run(zf_probe_ledger(p), &c), 0);
	assert_true(c.attempted > 0);
	assert_int_equal(c.failed, c.attempted);
	assert_int_equal(c.verdict, ZF_CHECK_UNKNOWN);
	zf_check_free(&c);
	zf_probe_free(p);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outcomes_and_check),
		cmocka_unit_test(test_clean_run_is_valid),
		cmocka_unit_test(test_saturated_pool),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
