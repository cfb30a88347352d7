/* final_read.c - the final read of a write probe: after the run, in a
 * thread of its own that enters the probe's network namespace, its driver
 * reads every value present from the authoritative node; the values are
 * kept (zf_wread) until the read is over, then recorded in the ledger
 * with the node and the time the read completed (zf_ledger_final_*) — or
 * the read's failure, so that the checker's verdict is "unknown". */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/write_int.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#define WREAD_MAX_BYTES (256u * 1024u * 1024u)

int zf_wread_value(struct zf_wread *rd, const char *v, size_t len)
{
	uint32_t n32 = (uint32_t)len;

	if (rd->prefix && zf_wvalue_other_run(rd->prefix, v, len)) {
		rd->earlier++;
		return 0;
	}
	if (rd->n >= ZF_LEDGER_MAX_READ || len > WREAD_MAX_BYTES ||
	    rd->len + 4 + len > WREAD_MAX_BYTES)
		return -E2BIG;
	if (rd->len + 4 + len > rd->cap) {
		size_t cap = rd->cap ? rd->cap : 4096;

		while (cap < rd->len + 4 + len)
			cap *= 2;
		rd->buf = zf_xrealloc(rd->buf, cap);
		rd->cap = cap;
	}
	memcpy(rd->buf + rd->len, &n32, 4);
	memcpy(rd->buf + rd->len + 4, v, len);
	rd->len += 4 + len;
	rd->n++;
	return 0;
}

void zf_wread_reset(struct zf_wread *rd)
{
	rd->len = 0;
	rd->n = 0;
	rd->earlier = 0;
}

int zf_wread_fail(struct zf_wread *rd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rd->error, sizeof(rd->error), fmt, ap);
	va_end(ap);
	return -EIO;
}

void zf_wread_fini(struct zf_wread *rd)
{
	free(rd->buf);
	rd->buf = NULL;
	rd->len = rd->cap = rd->n = 0;
}

/* The read as one job for its thread. */
struct job {
	const struct zf_probe_spec *spec;
	const struct zf_wdriver *drv;
	struct zf_wread rd;
	int rc;
};

static void *read_main(void *arg)
{
	struct job *j = arg;
	uint64_t op = j->spec->timeout_ns;

	if (op < ZF_WREAD_OP_MIN_NS)
		op = ZF_WREAD_OP_MIN_NS;
	if (j->spec->netns_fd >= 0 &&
	    setns(j->spec->netns_fd, CLONE_NEWNET) < 0) {
		j->rc = zf_wread_fail(&j->rd, "cannot enter the network "
				      "namespace of %s: %s", j->spec->write->client,
				      strerror(errno));
		return NULL;
	}
	j->rc = j->drv->read(j->spec->write, op, &j->rd);
	if (j->rc < 0 && !j->rd.error[0])
		zf_wread_fail(&j->rd, "%s", strerror(-j->rc));
	return NULL;
}

/* Record J's outcome in L at T_NS (since t0). */
static int record(struct zf_ledger *l, struct job *j, uint64_t t_ns)
{
	const char *node = j->rd.node[0] ? j->rd.node : NULL;
	size_t off = 0;
	int rc;

	if (j->rc < 0)
		return zf_ledger_final_fail(l, node, 1, t_ns, j->rd.error);
	rc = zf_ledger_final_begin(l, node, t_ns);
	for (size_t i = 0; rc == 0 && i < j->rd.n; i++) {
		uint32_t n;

		memcpy(&n, j->rd.buf + off, 4);
		rc = zf_ledger_final_value(l, j->rd.buf + off + 4, n);
		off += 4 + n;
	}
	if (rc < 0)
		return zf_ledger_final_fail(l, node, 1, t_ns, "the final read "
					    "holds more values than a ledger "
					    "can take");
	return 0;
}

int zf_write_final_read(const struct zf_probe_spec *spec, uint64_t t0,
			struct zf_ledger *l, uint64_t *earlier)
{
	struct job j = { .spec = spec, .drv = zf_wdriver_of(spec->write->sys) };
	sigset_t all, old;
	pthread_t th;
	uint64_t now;
	int rc;

	j.rd.prefix = zf_ledger_prefix(l);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = -pthread_create(&th, NULL, read_main, &j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc < 0)
		return zf_ledger_final_fail(l, NULL, 0, 0, "cannot start the "
					    "final read's thread");
	pthread_join(th, NULL);
	now = zf_now_ns();
	rc = record(l, &j, now > t0 ? now - t0 : 0);
	*earlier = j.rd.earlier;
	zf_wread_fini(&j.rd);
	return rc;
}
