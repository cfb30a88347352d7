/* test_util_ctlclient.c - the control-socket client zonefall uses to talk
 * to its daemons (zonefall-linkem, zonefall-dns), against a scripted
 * server thread: answers, long answers, errors, silence, closed
 * connections, answers that are not what was asked, readiness. */
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

#include "util/ctlclient.h"
#include "util/fsutil.h"
#include "util/mem.h"

struct server {
	char dir[64];
	int lfd;
	pthread_t thread;
};

static void answer(int fd, const char *line)
{
	if (strcmp(line, "reload") == 0)
		dprintf(fd, "ok 5\n");
	else if (strcmp(line, "bad") == 0)
		dprintf(fd, "error config:3: expected x\n");
	else if (strcmp(line, "quit") == 0)
		dprintf(fd, "ok\n");
	else if (strcmp(line, "stats") == 0)
		dprintf(fd, "not json\n");
	else if (strcmp(line, "big") == 0) {
		char *big = zf_xmalloc(100001);

		memset(big, 'x', 100000);
		big[100000] = '\n';
		zf_write_all(fd, big, 100001);
		free(big);
	} else if (strcmp(line, "slow") == 0) {
		sleep(1);      /* longer than the client waits */
	}
	/* "close": nothing, the connection is closed */
}

/* One request per connection; "exit" ends the thread. */
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

	snprintf(s->dir, sizeof(s->dir), "/tmp/zf-test-lkc-XXXXXX");
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

	(void)zf_ctl_request(s->dir, "exit", resp, sizeof(resp), 200);
	pthread_join(s->thread, NULL);
	close(s->lfd);
	zf_remove_tree(s->dir);
	free(s);
	return 0;
}

static void test_answers(void **state)
{
	struct server *s = *state;
	char resp[64], err[128];
	uint64_t gen = 0;
	char *big = NULL;

	assert_int_equal(zf_ctl_request(s->dir, "reload", resp,
					   sizeof(resp), 1000), 0);
	assert_string_equal(resp, "ok 5");
	assert_int_equal(zf_ctl_reload(s->dir, &gen, err, sizeof(err),
					  1000), 0);
	assert_true(gen == 5);
	assert_int_equal(zf_ctl_quit(s->dir, 1000), 0);
	assert_int_equal(zf_ctl_request_alloc(s->dir, "big", &big, 1000), 0);
	assert_int_equal(strlen(big), 100000);
	free(big);
}

static void test_failures(void **state)
{
	struct server *s = *state;
	char resp[64], err[128];
	uint64_t gen = 0;

	assert_int_equal(zf_ctl_request(s->dir, "big", resp, sizeof(resp),
					   1000), -EMSGSIZE);
	assert_int_equal(strlen(resp), sizeof(resp) - 1);
	assert_int_equal(zf_ctl_request(s->dir, "close", resp, sizeof(resp),
					   1000), -EPROTO);
	assert_int_equal(zf_ctl_request(s->dir, "slow", resp, sizeof(resp),
					   100), -ETIMEDOUT);
	assert_int_equal(zf_ctl_request(s->dir, "a\nb", resp, sizeof(resp),
					   100), -EINVAL);
	/* An error answer is still an answer. */
	assert_int_equal(zf_ctl_request(s->dir, "bad", resp, sizeof(resp),
					   1000), 0);
	assert_string_equal(resp, "error config:3: expected x");
	assert_int_equal(zf_ctl_reload("/nonexistent-zf", &gen, err,
					  sizeof(err), 100), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent-zf/ctl.sock"));
}

/* Answers that are not what the request wants are errors. */
static void test_unexpected(void **state)
{
	struct server *s = *state;
	char *json = NULL;

	assert_int_equal(zf_ctl_stats(s->dir, &json, 1000), -EPROTO);
	assert_null(json);
}

static void test_wait_ready(void **state)
{
	struct server *s = *state;
	pid_t pid;
	int st;

	assert_int_equal(zf_ctl_wait_ready(s->dir, 0, 1000), 0);
	assert_int_equal(zf_ctl_wait_ready("/nonexistent-zf", 0, 50),
			 -ETIMEDOUT);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(3);
	assert_int_equal(zf_ctl_wait_ready("/nonexistent-zf", pid, 5000),
			 -ECHILD);
	/* Not reaped by the wait: the caller still gets the status. */
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(WEXITSTATUS(st), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unexpected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_ready, setup,
						teardown),
	};

	/* The fake server's "big" answer is longer than the client reads: its
	 * write may hit a closed socket. The real server sends with
	 * MSG_NOSIGNAL (ctlsrv.c); this one must not die of SIGPIPE either. */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
