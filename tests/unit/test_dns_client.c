/* test_dns_client.c - the control client zonefall uses to talk to
 * zonefall-dns: against the real daemon (no listeners, so no root):
 * readiness, reload (generation, an error keeps the running config),
 * stats, unknown requests, quit (exit 0, socket removed), SIGTERM. The
 * transport's failures are tested with util (test_util_ctlclient.c). */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_daemon_protocol),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
