/* write_redis.c - the Redis driver (hiredis, blocking): SADD KEY value
 * (op sadd) or SET KEY+value value (op set); the final read is SMEMBERS
 * KEY, or SCAN MATCH KEY* then MGET, on the master.
 *
 * With sentinels the master is found as the Sentinel client guidelines
 * say and redis-py's SentinelConnectionPool does: ask the sentinels in
 * order, starting with the last one that answered (SENTINEL
 * get-master-addr-by-name), connect to the address, and check with ROLE
 * that it is a master (else ask the next sentinel). Each sentinel gets
 * its share of the write's time left. A worker keeps its connection
 * until it fails: an I/O error or a timeout, or a reply saying the node
 * is no longer the master (READONLY, MASTERDOWN, LOADING); then the next
 * write discovers the master again, so the probe follows a failover.
 *
 * Outcomes (write_outcome.c): the connection or the discovery failed, so
 * nothing was sent: fail (no master known, or ROLE not master: cause
 * bad_status). The command's first write() failed: nothing was sent,
 * fail. Sent and no reply (timeout, reset, closed): unknown. A reply:
 * zf_wclass_redis. An idle connection the server has closed is replaced
 * before use, so that a write is not sent into a dead connection. */
#include <arpa/inet.h>
#include <errno.h>
#include <hiredis/hiredis.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "probe/write_int.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#define SCAN_COUNT "1000"
#define MGET_BATCH 500

struct rclient {
	const struct zf_wspec *s;
	redisContext *ctx;          /* to the master, or NULL */
	char node[ZF_WNAME_MAX + 1];
	size_t first;               /* the sentinel to ask first */
};

/* The errno behind CTX's error (hiredis keeps only its text). */
static int ctx_errno(const redisContext *ctx)
{
	static const int known[] = { ECONNREFUSED, ETIMEDOUT, EAGAIN,
				     ECONNRESET, EPIPE, EHOSTUNREACH,
				     ENETUNREACH, EHOSTDOWN, EINPROGRESS };

	if (!ctx)
		return ENOMEM;
	if (ctx->err == REDIS_ERR_EOF)
		return 0;
	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (strstr(ctx->errstr, strerror(known[i])))
			return known[i];
	return strstr(ctx->errstr, "timed out") ? ETIMEDOUT : EIO;
}

static struct timeval tv_until(uint64_t deadline)
{
	uint64_t now = zf_now_ns(), d = deadline > now ? deadline - now : 0;

	if (d < ZF_NS_PER_MS)
		d = ZF_NS_PER_MS;
	return (struct timeval){ (time_t)(d / ZF_NS_PER_S),
				 (suseconds_t)(d % ZF_NS_PER_S / 1000) };
}

/* A blocking connection to IP:PORT (host byte order) until DEADLINE, its
 * reads and writes bounded by the same: 0 and *OUT, or -errno. */
static int connect_to(uint32_t ip, int port, uint64_t deadline,
		      redisContext **out)
{
	struct in_addr a = { htonl(ip) };
	char txt[INET_ADDRSTRLEN];
	redisContext *ctx;
	int err;

	inet_ntop(AF_INET, &a, txt, sizeof(txt));
	ctx = redisConnectWithTimeout(txt, port, tv_until(deadline));
	if (!ctx || ctx->err) {
		err = ctx_errno(ctx);
		redisFree(ctx);
		return -(err ? err : EIO);
	}
	*out = ctx;
	return 0;
}

static int node_connect(const struct zf_wnode *n, uint64_t deadline,
			redisContext **out)
{
	return connect_to(ntohl(n->addr.sin_addr.s_addr), ntohs(n->addr.sin_port),
			  deadline, out);
}

/* Run ARGC/ARGV on CTX until DEADLINE: the reply, or NULL (CTX broken). */
static redisReply *command(redisContext *ctx, uint64_t deadline, int argc,
			   const char **argv, const size_t *lens)
{
	redisSetTimeout(ctx, tv_until(deadline));
	return redisCommandArgv(ctx, argc, argv, lens);
}

/* The master's address in a sentinel's reply R: 0, or -ENOENT. */
static int master_of(const struct zf_wspec *s, const redisReply *r,
		     uint32_t *ip, int *port)
{
	char host[256];
	long p;
	char *end;

	if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
	    r->element[0]->type != REDIS_REPLY_STRING ||
	    r->element[1]->type != REDIS_REPLY_STRING ||
	    r->element[0]->len >= sizeof(host))
		return -ENOENT;
	memcpy(host, r->element[0]->str, r->element[0]->len);
	host[r->element[0]->len] = '\0';
	p = strtol(r->element[1]->str, &end, 10);
	if (*end || p < 1 || p > 65535 || zf_wnode_lookup(s, host, ip) < 0)
		return -ENOENT;
	*port = (int)p;
	return 0;
}

/* Is CTX's server a master (ROLE)? */
static int is_master(redisContext *ctx, uint64_t deadline)
{
	const char *argv[] = { "ROLE" };
	size_t lens[] = { 4 };
	redisReply *r = command(ctx, deadline, 1, argv, lens);
	int yes = r && r->type == REDIS_REPLY_ARRAY && r->elements > 0 &&
		  r->element[0]->type == REDIS_REPLY_STRING &&
		  r->element[0]->len == 6 && !memcmp(r->element[0]->str, "master", 6);

	freeReplyObject(r);
	return yes;
}

/* Ask sentinel I for the master and connect to it: 0 with *OUT and NODE
 * named, -ENOENT (no master, or not a master), or -errno. */
static int ask_sentinel(const struct zf_wspec *s, size_t i, uint64_t deadline,
			redisContext **out, char *node, size_t nlen)
{
	const char *argv[] = { "SENTINEL", "get-master-addr-by-name", s->master };
	size_t lens[] = { 8, 23, strlen(s->master) };
	redisContext *sc = NULL, *mc = NULL;
	redisReply *r;
	uint32_t ip = 0;
	int port = 0, rc = node_connect(&s->nodes[i], deadline, &sc);

	if (rc < 0)
		return rc;
	r = command(sc, deadline, 3, argv, lens);
	rc = r ? master_of(s, r, &ip, &port) : -ctx_errno(sc);
	freeReplyObject(r);
	redisFree(sc);
	if (rc == 0)
		rc = connect_to(ip, port, deadline, &mc);
	if (rc == 0 && !is_master(mc, deadline))
		rc = -ENOENT;
	if (rc < 0) {
		redisFree(mc);
		return rc ? rc : -EIO;
	}
	zf_wnode_name(s, ip, port, node, nlen);
	*out = mc;
	return 0;
}

/* Find the master through the sentinels, starting with *FIRST (which
 * becomes the one that answered). 0 with *OUT, or the last error. */
static int discover(const struct zf_wspec *s, size_t *first, uint64_t deadline,
		    redisContext **out, char *node, size_t nlen)
{
	int rc = -ENOENT, nomaster = 0;

	for (size_t k = 0; k < s->n_nodes; k++) {
		size_t i = (*first + k) % s->n_nodes;

		rc = ask_sentinel(s, i, zf_wtry_deadline(deadline, s->n_nodes - k),
				  out, node, nlen);
		if (rc == 0) {
			*first = i;
			return 0;
		}
		nomaster |= rc == -ENOENT;
	}
	return nomaster ? -ENOENT : rc;
}

/* A connection to the master in *CTX (kept, or made): 0 or an error. */
static int master(const struct zf_wspec *s, size_t *first, uint64_t deadline,
		  redisContext **ctx, char *node, size_t nlen)
{
	if (!s->sentinel) {
		memcpy(node, s->nodes[0].name, ZF_WNAME_MAX + 1);
		return node_connect(&s->nodes[0], deadline, ctx);
	}
	return discover(s, first, deadline, ctx, node, nlen);
}

static int r_open(const struct zf_wspec *s, struct zf_wshared *sh,
		  void **client)
{
	struct rclient *c = zf_xcalloc(1, sizeof(*c));

	(void)sh;
	c->s = s;
	memcpy(c->node, s->sentinel ? "(no master)" : s->nodes[0].name,
	       s->sentinel ? sizeof("(no master)") : sizeof(c->node));
	*client = c;
	return 0;
}

static void drop(struct rclient *c)
{
	redisFree(c->ctx);
	c->ctx = NULL;
}

static void r_close(void *client)
{
	struct rclient *c = client;

	if (!c)
		return;
	drop(c);
	free(c);
}

/* Has the server closed the idle connection (or sent something)? */
static int stale(const redisContext *ctx)
{
	struct pollfd p = { .fd = ctx->fd, .events = POLLIN | POLLRDHUP };

	return poll(&p, 1, 0) != 0;
}

/* Send the command already appended to C's connection: 0, or the errno
 * of the failure with *SENT. */
static int send_command(struct rclient *c, int *sent)
{
	int done = 0;

	*sent = 0;
	while (!done) {
		if (redisBufferWrite(c->ctx, &done) != REDIS_OK)
			return ctx_errno(c->ctx);
		*sent = 1;
	}
	return 0;
}

static void classify_reply(struct rclient *c, redisReply *r, struct zf_wres *res)
{
	static const enum zf_redis_rtype types[] = {
		[REDIS_REPLY_STRING] = ZF_RR_STRING, [REDIS_REPLY_ARRAY] = ZF_RR_ARRAY,
		[REDIS_REPLY_INTEGER] = ZF_RR_INTEGER, [REDIS_REPLY_NIL] = ZF_RR_NIL,
		[REDIS_REPLY_STATUS] = ZF_RR_STATUS, [REDIS_REPLY_ERROR] = ZF_RR_ERROR,
	};
	enum zf_redis_rtype t = r->type >= 0 && (size_t)r->type <
				sizeof(types) / sizeof(*types) ? types[r->type]
							       : ZF_RR_OTHER;

	res->c = zf_wclass_redis(t, r->str, r->str ? r->len : 0);
	if (t == ZF_RR_ERROR && zf_redis_error_rediscover(r->str, r->len))
		drop(c);
}

static void r_write(void *client, const char *value, size_t len,
		    uint64_t deadline, struct zf_wres *res)
{
	struct rclient *c = client;
	const struct zf_wspec *s = c->s;
	char key[ZF_WKEY_MAX + ZF_LEDGER_MAX_PREFIX + 32];
	const char *argv[3] = { s->redis_set ? "SET" : "SADD", key, value };
	size_t lens[3] = { strlen(argv[0]), strlen(s->key), len };
	redisReply *r = NULL;
	int rc = 0, sent;

	memcpy(key, s->key, lens[1]);
	if (s->redis_set) {
		memcpy(key + lens[1], value, len);
		lens[1] += len;
	}
	res->invoke_ns = zf_now_ns();
	res->node = c->node;
	if (c->ctx && stale(c->ctx))
		drop(c);
	if (!c->ctx)
		rc = master(s, &c->first, deadline, &c->ctx, c->node,
			    sizeof(c->node));
	if (rc == 0 && zf_now_ns() >= deadline)
		rc = -ETIMEDOUT;        /* finding the master took it all */
	if (rc < 0) {
		res->complete_ns = zf_now_ns();
		res->c = rc == -ENOENT ? (struct zf_wclass){ ZF_W_FAIL, ZF_OUT_STATUS }
				       : zf_wclass_unsent(-rc);
		return;
	}
	res->invoke_ns = zf_now_ns();
	redisSetTimeout(c->ctx, tv_until(deadline));
	redisAppendCommandArgv(c->ctx, 3, argv, lens);
	rc = send_command(c, &sent);
	if (rc == 0 && redisGetReply(c->ctx, (void **)&r) != REDIS_OK)
		rc = ctx_errno(c->ctx);
	res->complete_ns = zf_now_ns();
	if (r)
		classify_reply(c, r, res);
	else
		res->c = sent ? zf_wclass_no_reply(rc) : zf_wclass_unsent(rc);
	if (!r)
		drop(c);
	freeReplyObject(r);
}

/* ---- the final read ------------------------------------------------------ */

/* Each string element of array reply R to RD: 0 or -E2BIG. */
static int keep_strings(const redisReply *r, struct zf_wread *rd)
{
	for (size_t i = 0; i < r->elements; i++) {
		const redisReply *e = r->element[i];
		int rc;

		if (e->type != REDIS_REPLY_STRING)
			continue;       /* MGET: nil for a key gone meanwhile */
		if ((rc = zf_wread_value(rd, e->str, e->len)) < 0)
			return rc;
	}
	return 0;
}

static int read_set(redisContext *ctx, const struct zf_wspec *s,
		    uint64_t op_ns, struct zf_wread *rd)
{
	const char *argv[] = { "SMEMBERS", s->key };
	size_t lens[] = { 8, strlen(s->key) };
	redisReply *r = command(ctx, zf_now_ns() + op_ns, 2, argv, lens);
	int rc;

	if (!r)
		return zf_wread_fail(rd, "SMEMBERS %s: %s", s->key, ctx->errstr);
	if (r->type == REDIS_REPLY_ARRAY)
		rc = keep_strings(r, rd) < 0 ?
		     zf_wread_fail(rd, "more values than a final read can hold") : 0;
	else
		rc = zf_wread_fail(rd, "SMEMBERS %s answered %.100s", s->key,
				   r->type == REDIS_REPLY_ERROR ? r->str
								: "something else");
	freeReplyObject(r);
	return rc;
}

/* KEY* as a SCAN pattern into PAT (glob characters escaped). */
static void scan_pattern(const char *key, char *pat, size_t len)
{
	size_t o = 0;

	for (; *key && o + 3 < len; key++) {
		if (strchr("*?[]\\", *key))
			pat[o++] = '\\';
		pat[o++] = *key;
	}
	pat[o++] = '*';
	pat[o] = '\0';
}

/* A batch of MGET: its ARGC - 1 keys' values to RD. */
static int mget(redisContext *ctx, int argc, const char **argv,
		const size_t *lens, uint64_t op_ns, struct zf_wread *rd)
{
	redisReply *r = command(ctx, zf_now_ns() + op_ns, argc, argv, lens);
	int rc;

	if (!r || r->type != REDIS_REPLY_ARRAY)
		rc = zf_wread_fail(rd, "MGET: %s", r ? "not an array" : ctx->errstr);
	else if (keep_strings(r, rd) < 0)
		rc = zf_wread_fail(rd, "more values than a final read can hold");
	else
		rc = 0;
	freeReplyObject(r);
	return rc;
}

/* The values of the keys in SCAN's NPAGES replies, MGET_BATCH at a time. */
static int mget_all(redisContext *ctx, redisReply **pages, size_t npages,
		    uint64_t op_ns, struct zf_wread *rd)
{
	const char *argv[MGET_BATCH + 1] = { "MGET" };
	size_t lens[MGET_BATCH + 1] = { 4 };
	int argc = 1, rc = 0;

	for (size_t p = 0; p < npages && rc == 0; p++) {
		const redisReply *keys = pages[p]->element[1];

		for (size_t i = 0; i < keys->elements && rc == 0; i++) {
			argv[argc] = keys->element[i]->str;
			lens[argc++] = keys->element[i]->len;
			if (argc == MGET_BATCH + 1) {
				rc = mget(ctx, argc, argv, lens, op_ns, rd);
				argc = 1;
			}
		}
	}
	if (rc == 0 && argc > 1)
		rc = mget(ctx, argc, argv, lens, op_ns, rd);
	return rc;
}

/* Is R a SCAN reply: [cursor, [keys...]] with string keys? */
static int scan_reply(const redisReply *r)
{
	if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
	    r->element[0]->type != REDIS_REPLY_STRING ||
	    r->element[1]->type != REDIS_REPLY_ARRAY)
		return 0;
	for (size_t i = 0; i < r->element[1]->elements; i++)
		if (r->element[1]->element[i]->type != REDIS_REPLY_STRING)
			return 0;
	return 1;
}

/* SCAN's pages (a key may be in several: MGET reads it twice, the checker
 * counts the copy as a duplicate; with no rehash during the read there is
 * none), then their values. */
static int read_keys(redisContext *ctx, const struct zf_wspec *s,
		     uint64_t op_ns, struct zf_wread *rd)
{
	char pat[2 * ZF_WKEY_MAX + 4], cursor[32] = "0";
	const char *argv[] = { "SCAN", cursor, "MATCH", pat, "COUNT", SCAN_COUNT };
	size_t lens[6] = { 4, 1, 5, 0, 5, strlen(SCAN_COUNT) };
	redisReply **pages = NULL;
	size_t n = 0, keys = 0;
	int rc = 0;

	scan_pattern(s->key, pat, sizeof(pat));
	lens[3] = strlen(pat);
	do {
		redisReply *r = command(ctx, zf_now_ns() + op_ns, 6, argv, lens);

		if (!scan_reply(r) || r->element[0]->len >= sizeof(cursor) ||
		    (keys += r->element[1]->elements) > ZF_LEDGER_MAX_READ) {
			rc = zf_wread_fail(rd, "SCAN: %s", r ? "an odd reply, or "
					   "too many keys" : ctx->errstr);
			freeReplyObject(r);
			break;
		}
		memcpy(cursor, r->element[0]->str, r->element[0]->len);
		cursor[r->element[0]->len] = '\0';
		lens[1] = r->element[0]->len;
		pages = zf_xrealloc(pages, (n + 1) * sizeof(*pages));
		pages[n++] = r;
	} while (strcmp(cursor, "0"));
	if (rc == 0)
		rc = mget_all(ctx, pages, n, op_ns, rd);
	for (size_t i = 0; i < n; i++)
		freeReplyObject(pages[i]);
	free(pages);
	return rc;
}

static int r_read(const struct zf_wspec *s, uint64_t op_ns,
		  struct zf_wread *rd)
{
	redisContext *ctx = NULL;
	size_t first = 0;
	int rc = master(s, &first, zf_now_ns() + op_ns, &ctx, rd->node,
			sizeof(rd->node));

	if (rc < 0) {
		rd->node[0] = '\0';
		return zf_wread_fail(rd, "%s", rc == -ENOENT ? "no sentinel named "
				     "a master that ROLE confirms" :
				     strerror(-rc));
	}
	rc = s->redis_set ? read_keys(ctx, s, op_ns, rd)
			  : read_set(ctx, s, op_ns, rd);
	redisFree(ctx);
	return rc;
}

const struct zf_wdriver zf_wdriver_redis = {
	.name = "redis",
	.open = r_open,
	.close = r_close,
	.write = r_write,
	.read = r_read,
};
