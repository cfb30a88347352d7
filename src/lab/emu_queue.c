/* emu_queue.c - the NFQUEUE rule and the marking sets of one router
 * namespace.
 *
 * The queue rule is an iptables rule because this is the one way to reach
 * NFQUEUE on kernels without the nft "queue" statement (the NFQUEUE target
 * through nft_compat works everywhere). iptables runs as a child that has
 * entered the namespace: argv, no shell. */
#include "lab/emu_priv.h"
#include "lab/nft.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define RULE_ARGS(op) "iptables", "-w", "5", "-t", "filter", op, "FORWARD", \
	"-m", "mark", "--mark", "0x100000/0x100000", "-m", "comment", \
	"--comment", "zonefall-linkem", "-j", "NFQUEUE", "--queue-num", "90", \
	"--queue-bypass", NULL

static int enter_ns(void *ctx)
{
	return setns(*(int *)ctx, CLONE_NEWNET) < 0 ? -errno : 0;
}

/* Run ARGV inside NS_FD; its exit code in *CODE, the start of its stderr
 * in MSG. */
static int run_in(int ns_fd, char *const *argv, int *code, char *msg, size_t len)
{
	int p[2], status, rc;
	ssize_t n;
	pid_t pid;
	struct zf_spawn_opts o = { .argv = argv, .stdin_fd = -1, .stdout_fd = -1,
				   .pre_exec = enter_ns, .pre_exec_ctx = &ns_fd };

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	o.stderr_fd = p[1];
	rc = zf_spawn(&o, &pid);
	close(p[1]);
	msg[0] = '\0';
	if (rc == 0) {
		n = read(p[0], msg, len - 1);
		msg[n > 0 ? n : 0] = '\0';
		msg[strcspn(msg, "\n")] = '\0';
		rc = zf_wait(pid, &status);
		*code = zf_exit_code(status);
	}
	close(p[0]);
	return rc;
}

int zf_emu_rule_present(int ns_fd, int *present, char *err, size_t errlen)
{
	static char *const argv[] = { RULE_ARGS("-C") };
	char msg[256];
	int code, rc = run_in(ns_fd, argv, &code, msg, sizeof(msg));

	if (rc < 0)
		snprintf(err, errlen, "iptables: %s", strerror(-rc));
	*present = rc == 0 && code == 0;
	return rc;
}

int zf_emu_rule_add(int ns_fd, char *err, size_t errlen)
{
	static char *const argv[] = { RULE_ARGS("-A") };
	char msg[256];
	int present, code, rc = zf_emu_rule_present(ns_fd, &present, err, errlen);

	if (rc < 0 || present)
		return rc;
	rc = run_in(ns_fd, argv, &code, msg, sizeof(msg));
	if (rc == 0 && code != 0)
		rc = -EIO;
	if (rc < 0)
		snprintf(err, errlen, "iptables NFQUEUE rule: %s",
			 msg[0] ? msg : strerror(-rc));
	return rc;
}

int zf_emu_rule_del(int ns_fd, char *err, size_t errlen)
{
	static char *const argv[] = { RULE_ARGS("-D") };
	char msg[256];
	int present, code, rc = zf_emu_rule_present(ns_fd, &present, err, errlen);

	while (rc == 0 && present) {
		rc = run_in(ns_fd, argv, &code, msg, sizeof(msg));
		if (rc == 0 && code != 0) {
			snprintf(err, errlen, "iptables: %s", msg);
			return -EIO;
		}
		if (rc == 0)
			rc = zf_emu_rule_present(ns_fd, &present, err, errlen);
	}
	if (rc < 0)
		return rc;
	/* iptables-nft leaves its table behind; in our gear nothing else uses
	 * it ("add" first makes the delete a no-op when it is absent). */
	return zf_nft_run(ns_fd, "add table ip filter\ndelete table ip filter\n",
			  NULL, 0, err, errlen);
}


int zf_emu_marks_set(int ns_fd, int g, size_t index, const struct zf_emu_link *links,
		     size_t n, char *err, size_t errlen)
{
	struct zf_text t = { 0 };
	int rc;

	zf_text_add(&t, "flush set inet zonefall emu_iif\n"
		    "flush set inet zonefall emu_oif\nflush set inet zonefall emu_pair\n");
	for (size_t i = 0; i < n; i++) {
		const struct zf_emu_link *l = &links[i];
		if (l->gear != g || l->index != index)
			continue;
		int iif = l->cfg.iif, oif = l->cfg.oif;
		if (iif != ZF_LK_IF_ANY && oif != ZF_LK_IF_ANY)
			zf_text_add(&t, "add element inet zonefall emu_pair "
				    "{ %d . %d }\n", iif, oif);
		else if (iif != ZF_LK_IF_ANY || oif != ZF_LK_IF_ANY)
			zf_text_add(&t, "add element inet zonefall %s { %d }\n",
				    iif != ZF_LK_IF_ANY ? "emu_iif" : "emu_oif",
				    iif != ZF_LK_IF_ANY ? iif : oif);
		else
			ZF_BUG("emulated link %s matches every packet", l->cfg.name);
	}
	rc = zf_nft_run(ns_fd, zf_text_str(&t), NULL, 0, err, errlen);
	zf_text_free(&t);
	return rc;
}
