/* test_dns_client.c - the control client zonefall uses to talk to
 * zonefall-dns: against the real daemon (no listeners, so no root):
 * readiness, reload (generation, an error keeps the running config),
 * stats, unknown requests, quit (exit 0, socket removed), SIGTERM; and
 * against a scripted server for what the daemon never does (long, cut or
 * missing answers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dns/dns_client.h"
#include "dns/dns_config.h"
#include "util/fsutil.h"
#include "util/mem.h"
#include "util/proc.h"

#ifndef ZF_DNS_DAEMON
#define ZF_DNS_DAEMON "zonefall-dns"
#endif

static void put_config(const char *dir, const char *text)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, ZF_DNS_CONFIG);
	assert_int_equal(zf_put_file(path, text, strlen(text), 0600), 0);
}

static pid_t start_daemon(const char *dir)
{
	char *argv[] = { ZF_DNS_DAEMON, "--dir", (char *)dir, NULL };
	struct zf_spawn_opts o = { .argv = argv, .stdin_fd = -1,
				   .stdout_fd = -1, .stderr_fd = -1 };
	pid_t pid;

	assert_int_equal(zf_spawn(&o, &pid), 0);
	assert_int_equal(zf_dns_wait_ready(dir, pid, 5000), 0);
	return pid;
}

static int exit_code(pid_t pid)
{
	int st;

	assert_int_equal(zf_wait(pid, &st), 0);
	return zf_exit_code(st);
}

static void test_daemon_protocol(void **state)
{
	char dir[] = "/tmp/zf-test-dnsc.XXXXXX", resp[256], err[512], sock[128];
	char *json = NULL;
	uint64_t gen = 99;
	pid_t pid;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* No config file yet: it starts empty, generation 0. */
	pid = start_daemon(dir);
	assert_int_equal(zf_dns_stats(dir, &json, 1000), 0);
	assert_string_equal(json, "{\"gen\":0,\"listeners\":[],\"faults\":[],"
			    "\"held\":0}");
	free(json);
	put_config(dir, "zone lab\na www.lab 5 10.0.0.1\n"
		   "fault f1 * www.lab servfail\n");
	assert_int_equal(zf_dns_reload(dir, &gen, err, sizeof(err), 1000), 0);
	assert_true(gen == 1);
	/* A bad file: an error naming its line, the old config stays. */
	put_config(dir, "zone lab\na www.lab 5 10.0.0.1\nbogus\n");
	assert_int_equal(zf_dns_reload(dir, &gen, err, sizeof(err), 1000),
			 -EINVAL);
	assert_non_null(strstr(err, "/config:3: expected zone, udp-max"));
	assert_int_equal(zf_dns_stats(dir, &json, 1000), 0);
	assert_string_equal(json, "{\"gen\":1,\"listeners\":[],\"faults\":"
			    "[{\"id\":\"f1\",\"hits\":0}],\"held\":0}");
	free(json);
	assert_int_equal(zf_dns_request(dir, "dance", resp, sizeof(resp),
					1000), 0);
	assert_non_null(strstr(resp, "error unknown request 'dance'"));
	assert_int_equal(zf_dns_quit(dir, 1000), 0);
	assert_int_equal(exit_code(pid), 0);
	snprintf(sock, sizeof(sock), "%s/%s", dir, ZF_DNS_SOCK);
	assert_false(zf_exists(sock));
	/* SIGTERM: the same clean exit; a bad initial config: exit 2. */
	put_config(dir, "zone lab\n");
	pid = start_daemon(dir);
	kill(pid, SIGTERM);
	assert_int_equal(exit_code(pid), 0);
	assert_false(zf_exists(sock));
	put_config(dir, "zone\n");
	{
		char *argv[] = { ZF_DNS_DAEMON, "--dir", dir, NULL };
		struct zf_spawn_opts o = { .argv = argv, .stdin_fd = -1,
					   .stdout_fd = -1, .stderr_fd = -1 };

		assert_int_equal(zf_spawn(&o, &pid), 0);
		assert_int_equal(zf_dns_wait_ready(dir, pid, 5000), -ECHILD);
		assert_int_equal(exit_code(pid), 2);
	}
	zf_remove_tree(dir);
}

/* ---- a scripted server for the failures the daemon never shows ---- */

struct server {
	char dir[64];
	int lfd;
	pthread_t thread;
};

static void answer(int fd, const char *line)
{
	if (strcmp(line, "reload") == 0) {
		dprintf(fd, "ok 12\n");
	} else if (strcmp(line, "weird") == 0) {
		dprintf(fd, "maybe\n");
	} else if (strcmp(line, "stats") == 0) {
		dprintf(fd, "not json\n");
	} else if (strcmp(line, "big") == 0) {
		char *big = zf_xmalloc(100001);

		memset(big, 'x', 100000);
		big[100000] = '\n';
		zf_write_all(fd, big, 100001);
		free(big);
	} else if (strcmp(line, "slow") == 0) {
		sleep(1);
	}
	/* "close": nothing, the connection is closed */
}

static void *serve(void *arg)
{
	struct server *s = arg;

	for (;;) {
		char line[256];
		size_t n = 0;
		int fd = accept(s->lfd, NULL, NULL);

		if (fd < 0)
			return NULL;
		while (n < sizeof(line) - 1 && read(fd, line + n, 1) == 1 &&
		       line[n] != '\n')
			n++;
		line[n] = '\0';
		if (strcmp(line, "exit") == 0) {
			close(fd);
			return NULL;
		}
		answer(fd, line);
		close(fd);
	}
}

static int setup(void **state)
{
	struct server *s = zf_xcalloc(1, sizeof(*s));
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	snprintf(s->dir, sizeof(s->dir), "/tmp/zf-test-dnss-XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/ctl.sock", s->dir);
	s->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(s->lfd >= 0);
	assert_int_equal(bind(s->lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(s->lfd, 8), 0);
	assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct server *s = *state;
	char resp[8];

	(void)zf_dns_request(s->dir, "exit", resp, sizeof(resp), 200);
	pthread_join(s->thread, NULL);
	close(s->lfd);
	zf_remove_tree(s->dir);
	free(s);
	return 0;
}

static void test_failures(void **state)
{
	struct server *s = *state;
	char resp[64], err[128], *big = NULL, *json = NULL;
	uint64_t gen = 0;

	assert_int_equal(zf_dns_reload(s->dir, &gen, err, sizeof(err), 1000),
			 0);
	assert_true(gen == 12);
	assert_int_equal(zf_dns_request_alloc(s->dir, "big", &big, 1000), 0);
	assert_int_equal(strlen(big), 100000);
	free(big);
	assert_int_equal(zf_dns_request(s->dir, "big", resp, sizeof(resp),
					1000), -EMSGSIZE);
	assert_int_equal(zf_dns_request(s->dir, "close", resp, sizeof(resp),
					1000), -EPROTO);
	assert_int_equal(zf_dns_request(s->dir, "slow", resp, sizeof(resp),
					100), -ETIMEDOUT);
	assert_int_equal(zf_dns_request(s->dir, "a\nb", resp, sizeof(resp),
					100), -EINVAL);
	assert_int_equal(zf_dns_stats(s->dir, &json, 1000), -EPROTO);
	assert_null(json);
	assert_int_equal(zf_dns_quit(s->dir, 1000), -EPROTO);
	assert_int_equal(zf_dns_reload("/nonexistent-zf", &gen, err,
				       sizeof(err), 100), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent-zf/ctl.sock"));
	assert_int_equal(zf_dns_wait_ready("/nonexistent-zf", 0, 50),
			 -ETIMEDOUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_daemon_protocol),
		cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
