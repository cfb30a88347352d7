/* test_lab_nl.c - src/lab/nl.c and src/lab/netns.c.
 *
 * Argument checks run anywhere and never commit. Tests that talk to the
 * kernel need root and are skipped otherwise; they run in a private network
 * namespace of this test process (unshared once), so they touch nothing of
 * the machine's except short-lived /run/netns/zfut-PID-* entries that they
 * remove. Addresses are from 198.18.0.0/15. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab/netns.h"
#include "lab/nl.h"
#include "util/log.h"

#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static int private_ns_ready;

/* Skip unless root; the first time, move this process into a fresh network
 * namespace. */
static void need_root(void)
{
	if (geteuid() != 0)
		skip();
	if (!private_ns_ready) {
		assert_int_equal(unshare(CLONE_NEWNET), 0);
		private_ns_ready = 1;
	}
}

static void ns_name(char *buf, size_t len, const char *tag)
{
	assert_int_equal(zf_fmt(buf, len, "zfut-%d-%s", (int)getpid(), tag), 0);
}

static void test_queue_checks(void **state)
{
	struct zf_nl *nl = NULL;
	struct zf_route r = { .dst = IP4(198, 18, 1, 0), .plen = 24 };

	(void)state;
	assert_int_equal(zf_nl_open(-1, &nl), 0);
	assert_int_equal(zf_nl_veth(nl, "", 2, -1, "p", 3, -1), -EINVAL);
	assert_int_equal(zf_nl_veth(nl, "sixteen-chars-xx", 2, -1, "p", 3, -1),
			 -EINVAL);
	assert_int_equal(zf_nl_veth(nl, "a/b", 2, -1, "p", 3, -1), -EINVAL);
	assert_int_equal(zf_nl_veth(nl, "a", 2, -1, "p:1", 3, -1), -EINVAL);
	assert_int_equal(zf_nl_veth(nl, "a", -1, -1, "p", 3, -1), -EINVAL);
	assert_int_equal(zf_nl_link_set(nl, 0, 1), -EINVAL);
	assert_int_equal(zf_nl_addr(nl, 2, IP4(198, 18, 1, 1), 33), -EINVAL);
	assert_int_equal(zf_nl_route(nl, &r, 1), -EINVAL); /* no ifindex */
	r.ifindex = 2;
	r.dst = IP4(198, 18, 1, 1); /* host bits beyond /24 */
	assert_int_equal(zf_nl_route(nl, &r, 1), -EINVAL);
	r.dst = IP4(198, 18, 1, 0);
	r.type = ZF_ROUTE_UNREACHABLE; /* with an ifindex */
	assert_int_equal(zf_nl_route(nl, &r, 1), -EINVAL);
	assert_int_equal(zf_nl_pending(nl), 0);

	assert_int_equal(zf_nl_veth(nl, "fifteen-chars-x", 2, -1, "p", 3, -1),
			 0);
	assert_int_equal(zf_nl_link_set(nl, 2, 1), 0);
	r.ifindex = 0;
	assert_int_equal(zf_nl_route(nl, &r, 1), 0);
	assert_int_equal(zf_nl_pending(nl), 3);
	zf_nl_close(nl); /* drops the queue uncommitted */
	zf_nl_close(NULL);
}

static void test_netns_checks(void **state)
{
	int fd = -1;

	(void)state;
	assert_int_equal(zf_netns_create("", &fd, NULL), -EINVAL);
	assert_int_equal(zf_netns_create("a/b", &fd, NULL), -EINVAL);
	assert_int_equal(zf_netns_create("..", &fd, NULL), -EINVAL);
	assert_int_equal(zf_netns_open(".", &fd), -EINVAL);
	assert_int_equal(zf_netns_open("zfut-surely-absent", &fd), -ENOENT);
	assert_int_equal(zf_netns_sysctl(-1, "../x", "1"), -EINVAL);
	assert_int_equal(zf_netns_sysctl(-1, "/net/x", "1"), -EINVAL);
	assert_int_equal(zf_netns_sysctl(-1, "net/../x", "1"), -EINVAL);
	assert_int_equal(zf_netns_sysctl(-1, "net//x", "1"), -EINVAL);
	assert_int_equal(fd, -1);
}

/* 1 if /proc/self/mountinfo shows ZF_NETNS_DIR as a shared mount. */
static int dir_is_shared_mount(void)
{
	char line[1024];
	int found = 0;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " " ZF_NETNS_DIR " ") && strstr(line, " shared:"))
			found = 1;
	fclose(f);
	return found;
}

/* Child of test_dir_mount: on a fresh, empty /run in a private mount
 * namespace, the first create makes /run/netns a shared bind mount and
 * says so, the second does not. Exit status 0 on success. */
static int dir_mount_child(void)
{
	int made = -1, made2 = -1;

	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("none", "/run", "tmpfs", 0, NULL) < 0)
		return 10;
	if (zf_netns_create("dm1", NULL, &made) < 0 || made != 1)
		return 11;
	if (zf_netns_create("dm2", NULL, &made2) < 0 || made2 != 0)
		return 12;
	if (!dir_is_shared_mount())
		return 13;
	if (zf_netns_delete("dm1") < 0 || zf_netns_delete("dm2") < 0)
		return 14;
	return 0;
}

/* Runs in a child so that this process's one-time /run/netns setup and its
 * mounts stay untouched. Must run before any other zf_netns_create here. */
static void test_dir_mount(void **state)
{
	pid_t pid;
	int status = 0;

	(void)state;
	need_root();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(dir_mount_child());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* A failing request in the middle: the rest of the batch still applies and
 * the failure is reported with its position. */
static void test_commit_error_position(void **state)
{
	struct zf_nl *nl = NULL;
	const struct zf_route bad = { .gw = IP4(198, 18, 0, 1), .ifindex = 99 };
	const struct zf_route net = { .dst = IP4(198, 18, 6, 0), .plen = 24,
				      .ifindex = 1,
				      .src = IP4(198, 18, 5, 5) };
	size_t pos = 1234;

	(void)state;
	need_root();
	assert_int_equal(zf_nl_open(-1, &nl), 0);
	assert_int_equal(zf_nl_link_set(nl, 1, 1), 0);
	assert_int_equal(zf_nl_route(nl, &bad, 1), 0);
	assert_int_equal(zf_nl_addr(nl, 1, IP4(198, 18, 5, 5), 32), 0);
	assert_int_equal(zf_nl_route(nl, &net, 1), 0);
	assert_int_equal(zf_nl_commit(nl, &pos), -ENODEV);
	assert_int_equal(pos, 1);
	assert_true(zf_nl_errmsg(nl)[0] != '\0'); /* kernel's extended ACK */
	assert_int_equal(zf_nl_pending(nl), 0);

	/* Requests 2 and 3 took effect: the route exists now. */
	assert_int_equal(zf_nl_route(nl, &net, 1), 0);
	assert_int_equal(zf_nl_commit(nl, &pos), -EEXIST);
	assert_int_equal(pos, 0);
	assert_int_equal(zf_nl_route(nl, &net, 0), 0);
	assert_int_equal(zf_nl_commit(nl, NULL), 0);
	assert_int_equal(zf_nl_route(nl, &net, 0), 0);
	assert_int_equal(zf_nl_commit(nl, &pos), -ESRCH);
	assert_int_equal(zf_nl_commit(nl, &pos), 0); /* empty batch */
	zf_nl_close(nl);
}

/* Thousands of requests span several datagrams; the first error is found
 * by position even in a later datagram. */
static void test_big_batch(void **state)
{
	struct zf_nl *nl = NULL;
	struct zf_route r = { .plen = 32, .ifindex = 1 };
	size_t i, pos = 0;
	const size_t n = 3000;

	(void)state;
	need_root();
	assert_int_equal(zf_nl_open(-1, &nl), 0);
	assert_int_equal(zf_nl_link_set(nl, 1, 1), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(zf_nl_addr(nl, 1, IP4(198, 19, 0, 0) +
					    (uint32_t)i, 32), 0);
	assert_int_equal(zf_nl_commit(nl, &pos), 0);
	for (i = 0; i < n; i++) {
		r.dst = IP4(198, 19, 128, 0) + (uint32_t)(i == 2500 ? 10 : i);
		assert_int_equal(zf_nl_route(nl, &r, 1), 0);
	}
	assert_int_equal(zf_nl_pending(nl), n);
	assert_int_equal(zf_nl_commit(nl, &pos), -EEXIST);
	assert_int_equal(pos, 2500);
	assert_int_equal(zf_nl_pending(nl), 0);
	zf_nl_close(nl);
}

/* Read /proc/sys/net/ipv4/ip_forward in the calling thread's namespace. */
static int read_forward(void)
{
	char c = 0;
	int fd = open("/proc/sys/net/ipv4/ip_forward", O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(read(fd, &c, 1), 1);
	close(fd);
	return c - '0';
}

static void test_netns_lifecycle(void **state)
{
	char name[64], path[128];
	int fd = -1, fd2 = -1, saved = -1;

	(void)state;
	need_root();
	ns_name(name, sizeof(name), "life");
	assert_int_equal(zf_netns_create(name, &fd, NULL), 0);
	assert_int_equal(zf_netns_create(name, NULL, NULL), -EEXIST);
	assert_int_equal(zf_netns_open(name, &fd2), 0);
	assert_int_equal(zf_netns_sysctl(fd2, "net/ipv4/ip_forward", "1"), 0);
	assert_int_equal(read_forward(), 0); /* ours untouched */
	assert_int_equal(zf_netns_enter(fd, &saved), 0);
	assert_int_equal(read_forward(), 1);
	assert_int_equal(zf_netns_leave(saved), 0);
	close(fd2);
	close(fd);
	assert_int_equal(zf_netns_delete(name), 0);
	assert_int_equal(zf_netns_delete(name), 0);
	assert_int_equal(zf_netns_open(name, &fd), -ENOENT);

	/* A placeholder left by a killed creator: not a namespace. */
	assert_int_equal(zf_fmt(path, sizeof(path), "%s/%s", ZF_NETNS_DIR,
				name), 0);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(zf_netns_open(name, &fd), -EINVAL);
	assert_int_equal(zf_netns_delete(name), 0);
	assert_int_equal(access(path, F_OK), -1);
}

/* A veth pair from this namespace's socket, both ends elsewhere, with the
 * requested indexes; nothing appears here. */
static void test_veth_elsewhere(void **state)
{
	char a[64], b[64];
	int fa = -1, fb = -1;
	struct zf_nl *nl = NULL, *nla = NULL;
	size_t pos = 0;

	(void)state;
	need_root();
	ns_name(a, sizeof(a), "va");
	ns_name(b, sizeof(b), "vb");
	assert_int_equal(zf_netns_create(a, &fa, NULL), 0);
	assert_int_equal(zf_netns_create(b, &fb, NULL), 0);
	assert_int_equal(zf_nl_open(-1, &nl), 0);
	assert_int_equal(zf_nl_veth(nl, "x0", 7, fa, "y0", 9, fb), 0);
	assert_int_equal(zf_nl_commit(nl, &pos), 0);
	assert_int_equal(zf_nl_veth(nl, "x1", 7, fa, "y1", 10, fb), 0);
	assert_int_equal(zf_nl_commit(nl, &pos), -EEXIST); /* index 7 taken */
	/* Index 7 exists in A, not here. */
	assert_int_equal(zf_nl_link_set(nl, 7, 1), 0);
	assert_int_equal(zf_nl_commit(nl, &pos), -ENODEV);
	assert_int_equal(zf_nl_open(fa, &nla), 0);
	assert_int_equal(zf_nl_link_set(nla, 7, 1), 0);
	assert_int_equal(zf_nl_commit(nla, &pos), 0);
	zf_nl_close(nla);
	zf_nl_close(nl);
	close(fa);
	close(fb);
	assert_int_equal(zf_netns_delete(a), 0);
	assert_int_equal(zf_netns_delete(b), 0);
}

/* Teardown: remove every name a test may have left by failing midway. */
static int remove_names(void **state)
{
	static const char *const tags[] = { "life", "va", "vb" };
	char name[64], tag[32];
	size_t i;
	int t, k;

	(void)state;
	if (geteuid() != 0)
		return 0;
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		ns_name(name, sizeof(name), tags[i]);
		zf_netns_delete(name);
	}
	for (t = 0; t < 8; t++)
		for (k = 0; k < 10; k++) {
			zf_fmt(tag, sizeof(tag), "t%d-%d", t, k);
			ns_name(name, sizeof(name), tag);
			zf_netns_delete(name);
		}
	return 0;
}

struct churn {
	int id;
	int ret;
};

/* Create, configure and delete namespaces from one thread. */
static void *churn_main(void *arg)
{
	struct churn *c = arg;
	char name[64], tag[32];
	int i, fd = -1;

	for (i = 0; i < 10 && c->ret == 0; i++) {
		zf_fmt(tag, sizeof(tag), "t%d-%d", c->id, i);
		ns_name(name, sizeof(name), tag);
		c->ret = zf_netns_create(name, &fd, NULL);
		if (c->ret < 0)
			break;
		c->ret = zf_netns_sysctl(fd, "net/ipv4/ip_forward", "1");
		close(fd);
		if (c->ret == 0)
			c->ret = zf_netns_delete(name);
	}
	return NULL;
}

static void test_threads(void **state)
{
	pthread_t th[8];
	struct churn c[8];
	struct stat before, after;
	int i;

	(void)state;
	need_root();
	assert_int_equal(stat("/proc/thread-self/ns/net", &before), 0);
	for (i = 0; i < 8; i++) {
		c[i].id = i;
		c[i].ret = 0;
		assert_int_equal(pthread_create(&th[i], NULL, churn_main, &c[i]),
				 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(c[i].ret, 0);
	}
	assert_int_equal(stat("/proc/thread-self/ns/net", &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(read_forward(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_checks),
		cmocka_unit_test(test_netns_checks),
		cmocka_unit_test(test_dir_mount),
		cmocka_unit_test(test_commit_error_position),
		cmocka_unit_test(test_big_batch),
		cmocka_unit_test_teardown(test_netns_lifecycle, remove_names),
		cmocka_unit_test_teardown(test_veth_elsewhere, remove_names),
		cmocka_unit_test_teardown(test_threads, remove_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
