/* write_sql.c - the PostgreSQL driver (libpq, asynchronous calls driven
 * with poll() so that every step stops at the write's deadline): each
 * write is INSERT INTO TABLE (v) VALUES ($1) in autocommit; the final
 * read is SELECT v FROM TABLE (row by row) on the current primary.
 *
 * The primary is the first of the probe's hosts, in order, that accepts
 * a connection and answers pg_is_in_recovery() = false (what libpq's
 * target_session_attrs=read-write does with a host list); each host gets
 * its share of the time left. A worker keeps its connection until a
 * statement fails in a way that may mean another primary (an I/O error, a
 * timeout, FATAL, or 25006 read-only transaction). The table is created
 * once per probe (CREATE TABLE IF NOT EXISTS, serialised among the
 * workers: concurrent creations of one table race in PostgreSQL), and
 * again after 42P01 (a promoted standby that lacks it). Columns: v text,
 * at timestamptz default now(); no key, so a row inserted twice reads as
 * a duplicate.
 *
 * Outcomes (write_outcome.c, zf_wclass_sql): no primary found, the table
 * not there: fail, nothing was sent; sent and no answer (timeout, reset):
 * unknown. */
#include <arpa/inet.h>
#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/write_int.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#define SQL_MAX 256

struct sclient {
	const struct zf_wspec *s;
	struct zf_wshared *sh;
	PGconn *pg;
	char node[ZF_WNAME_MAX + 1];
	char insert[SQL_MAX], create[SQL_MAX];
};

/* How one statement ended. */
struct pgr {
	int ok;                 /* COMMAND_OK or TUPLES_OK */
	int sent;               /* any of it reached the socket */
	int err;                /* errno of an I/O failure, 0 if none */
	int have_sev;
	char sev[16], state[6];
	char msg[160];
	int fn_rc;              /* the row callback's error */
};

static int wait_sock(PGconn *pg, int for_write, uint64_t deadline)
{
	struct pollfd p = { .fd = PQsocket(pg),
			    .events = for_write ? POLLOUT : POLLIN };
	uint64_t now;
	int n;

	if (p.fd < 0)
		return -EBADF;
	for (;;) {
		now = zf_now_ns();
		if (now >= deadline)
			return -ETIMEDOUT;
		n = poll(&p, 1, (int)((deadline - now + ZF_NS_PER_MS - 1) / ZF_NS_PER_MS));
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

/* The errno a connection failure's message stands for. */
static int conn_errno(PGconn *pg)
{
	static const int known[] = { ECONNREFUSED, EHOSTUNREACH, ENETUNREACH,
				      ETIMEDOUT, ECONNRESET };
	const char *m = pg ? PQerrorMessage(pg) : "";

	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (strstr(m, strerror(known[i])))
			return known[i];
	return EIO;
}

/* Connect to host I of S until DEADLINE: 0 and *OUT, or -errno. Our
 * keywords before the user's conninfo are defaults it may change; those
 * after it (the address) override it. */
static int connect_host(const struct zf_wspec *s, size_t i, uint64_t deadline,
			PGconn **out)
{
	char ip[INET_ADDRSTRLEN], port[8];
	const char *kw[] = { "gssencmode", "application_name", "dbname",
			     "hostaddr", "host", "port", NULL };
	const char *val[] = { "disable", "zonefall", s->conninfo, ip, ip, port,
			      NULL };
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	PGconn *pg;
	int rc = 0;

	inet_ntop(AF_INET, &s->nodes[i].addr.sin_addr, ip, sizeof(ip));
	zf_fmt(port, sizeof(port), "%d", ntohs(s->nodes[i].addr.sin_port));
	pg = PQconnectStartParams(kw, val, 1);
	if (!pg || PQstatus(pg) == CONNECTION_BAD)
		rc = -conn_errno(pg);
	while (rc == 0 && st != PGRES_POLLING_OK) {
		if (st == PGRES_POLLING_FAILED)
			rc = -conn_errno(pg);
		else if ((rc = wait_sock(pg, st == PGRES_POLLING_WRITING,
					 deadline)) == 0)
			st = PQconnectPoll(pg);
	}
	if (rc == 0 && PQsetnonblocking(pg, 1) != 0)
		rc = -EIO;
	if (rc < 0) {
		PQfinish(pg);
		return rc;
	}
	*out = pg;
	return 0;
}

/* One result of the statement into R (its rows to FN). */
static void take_result(PGresult *res, zf_wvalue_fn fn, void *ctx,
			struct pgr *r)
{
	ExecStatusType st = PQresultStatus(res);
	const char *sev, *state;

	if (st == PGRES_TUPLES_OK || st == PGRES_SINGLE_TUPLE) {
		for (int i = 0; fn && r->fn_rc == 0 && i < PQntuples(res); i++)
			if (!PQgetisnull(res, i, 0))
				r->fn_rc = fn(ctx, PQgetvalue(res, i, 0),
					      (size_t)PQgetlength(res, i, 0));
		r->ok = st == PGRES_TUPLES_OK;
		return;
	}
	r->ok = st == PGRES_COMMAND_OK;
	if (r->ok)
		return;
	sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	r->have_sev = sev != NULL;
	zf_fmt(r->sev, sizeof(r->sev), "%s", sev ? sev : "");
	zf_fmt(r->state, sizeof(r->state), "%s", state ? state : "");
	zf_fmt(r->msg, sizeof(r->msg), "%s", PQresultErrorMessage(res));
}

/* Run SQL (with one text parameter PARAM, or none) on PG until DEADLINE;
 * rows of its first column to FN (one by one with SINGLE). */
static void run(PGconn *pg, const char *sql, const char *param,
		uint64_t deadline, int single, zf_wvalue_fn fn, void *ctx,
		struct pgr *r)
{
	PGresult *res;
	int f;

	memset(r, 0, sizeof(*r));
	if (!PQsendQueryParams(pg, sql, param ? 1 : 0, NULL,
			       param ? &param : NULL, NULL, NULL, 0)) {
		r->sent = PQstatus(pg) == CONNECTION_OK;
		r->err = EIO;
		return;
	}
	r->sent = 1;
	if (single)
		PQsetSingleRowMode(pg);
	while ((f = PQflush(pg)) == 1)
		if ((r->err = -wait_sock(pg, 1, deadline)) != 0)
			return;
	if (f < 0) {
		r->err = ECONNRESET;
		return;
	}
	for (;;) {
		while (PQisBusy(pg)) {
			if ((r->err = -wait_sock(pg, 0, deadline)) != 0)
				return;
			if (!PQconsumeInput(pg)) {
				r->err = ECONNRESET;
				return;
			}
		}
		if (!(res = PQgetResult(pg)))
			return;
		take_result(res, fn, ctx, r);
		PQclear(res);
	}
}

/* A row of pg_is_in_recovery(): CTX is where "t"/"f" goes. */
static int recovery_row(void *ctx, const char *v, size_t len)
{
	*(int *)ctx = len == 1 && v[0] == 't';
	return 0;
}

/* The primary: the first host that connects and is not in recovery.
 * 0 with *OUT and NODE, -ENOENT when every host that answered is a
 * standby, or the last connection error. */
static int primary(const struct zf_wspec *s, uint64_t deadline, PGconn **out,
		   char *node)
{
	int rc = -ENOENT, standby = 0;

	for (size_t i = 0; i < s->n_nodes; i++) {
		uint64_t dl = zf_wtry_deadline(deadline, s->n_nodes - i);
		int in_recovery = -1;
		PGconn *pg = NULL;
		struct pgr r;

		if ((rc = connect_host(s, i, dl, &pg)) < 0)
			continue;
		run(pg, "SELECT pg_is_in_recovery()", NULL, dl, 0, recovery_row,
		    &in_recovery, &r);
		if (r.ok && in_recovery == 0) {
			memcpy(node, s->nodes[i].name, ZF_WNAME_MAX + 1);
			*out = pg;
			return 0;
		}
		standby |= r.ok;
		rc = r.err ? -r.err : -EIO;
		PQfinish(pg);
	}
	return standby ? -ENOENT : rc;
}

static int s_open(const struct zf_wspec *s, struct zf_wshared *sh,
		  void **client)
{
	struct sclient *c;
	size_t n = strlen(s->key);

	if (n == 0 || strspn(s->key, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
		return -EINVAL;         /* the table is written into statements */
	c = zf_xcalloc(1, sizeof(*c));
	c->s = s;
	c->sh = sh;
	memcpy(c->node, s->nodes[0].name, sizeof(c->node));
	zf_fmt(c->insert, sizeof(c->insert), "INSERT INTO %s (v) VALUES ($1)",
	       s->key);
	zf_fmt(c->create, sizeof(c->create), "CREATE TABLE IF NOT EXISTS %s "
	       "(v text NOT NULL, at timestamptz NOT NULL DEFAULT now())", s->key);
	*client = c;
	return 0;
}

static void drop(struct sclient *c)
{
	PQfinish(c->pg);
	c->pg = NULL;
}

static void s_close(void *client)
{
	struct sclient *c = client;

	if (!c)
		return;
	drop(c);
	free(c);
}

/* The table exists (created once per probe): 0, or -EIO. */
static int ensure_table(struct sclient *c, uint64_t deadline)
{
	struct pgr r = { .ok = 1 };

	pthread_mutex_lock(&c->sh->mu);
	if (!c->sh->ready) {
		run(c->pg, c->create, NULL, deadline, 0, NULL, NULL, &r);
		c->sh->ready = r.ok;
	}
	pthread_mutex_unlock(&c->sh->mu);
	if (!r.ok)
		drop(c);
	return r.ok ? 0 : -EIO;
}

/* Does R mean this connection should be left (another primary)? */
static int leave(const struct pgr *r)
{
	return r->err || (r->have_sev && strcmp(r->sev, "ERROR")) ||
	       !strcmp(r->state, "25006");
}

static void s_write(void *client, const char *value, size_t len,
		    uint64_t deadline, struct zf_wres *res)
{
	struct sclient *c = client;
	struct pgr r;
	int rc = 0;

	(void)len;      /* values are text without NULs */
	res->invoke_ns = zf_now_ns();
	res->node = c->node;
	if (!c->pg)
		rc = primary(c->s, deadline, &c->pg, c->node);
	if (rc == 0)
		rc = ensure_table(c, deadline);
	if (rc == 0 && zf_now_ns() >= deadline)
		rc = -ETIMEDOUT;        /* finding the primary took it all */
	if (rc < 0) {
		res->complete_ns = zf_now_ns();
		res->c = rc == -ENOENT || rc == -EIO ?
			 (struct zf_wclass){ ZF_W_FAIL, ZF_OUT_STATUS } :
			 zf_wclass_unsent(-rc);
		return;
	}
	res->invoke_ns = zf_now_ns();
	run(c->pg, c->insert, value, deadline, 0, NULL, NULL, &r);
	res->complete_ns = zf_now_ns();
	if (r.err)
		res->c = r.sent ? zf_wclass_no_reply(r.err) : zf_wclass_unsent(r.err);
	else
		res->c = zf_wclass_sql(r.ok, r.have_sev ? r.sev : NULL,
				       r.state[0] ? r.state : NULL);
	if (!strcmp(r.state, "42P01")) {
		pthread_mutex_lock(&c->sh->mu);
		c->sh->ready = 0;
		pthread_mutex_unlock(&c->sh->mu);
	}
	if (leave(&r) || PQstatus(c->pg) != CONNECTION_OK)
		drop(c);
}

static int keep_value(void *ctx, const char *v, size_t len)
{
	return zf_wread_value(ctx, v, len);
}

static int s_read(const struct zf_wspec *s, uint64_t op_ns,
		  struct zf_wread *rd)
{
	char sql[SQL_MAX];
	PGconn *pg = NULL;
	struct pgr r;
	int rc = primary(s, zf_now_ns() + op_ns, &pg, rd->node);

	if (rc < 0) {
		rd->node[0] = '\0';
		return zf_wread_fail(rd, "%s", rc == -ENOENT ? "every host that "
				     "answered is in recovery (no primary)" :
				     strerror(-rc));
	}
	zf_fmt(sql, sizeof(sql), "SELECT v FROM %s", s->key);
	run(pg, sql, NULL, zf_now_ns() + op_ns, 1, keep_value, rd, &r);
	PQfinish(pg);
	if (!strcmp(r.state, "42P01"))
		return 0;       /* no table: nothing was ever written here */
	if (r.fn_rc < 0)
		return zf_wread_fail(rd, "more values than a final read can hold");
	if (!r.ok)
		return zf_wread_fail(rd, "%s: %s", sql, r.err ? strerror(r.err)
				     : r.msg);
	return 0;
}

const struct zf_wdriver zf_wdriver_sql = {
	.name = "sql",
	.open = s_open,
	.close = s_close,
	.write = s_write,
	.read = s_read,
};
