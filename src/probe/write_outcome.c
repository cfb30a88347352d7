/* write_outcome.c - what an answer means for a write: ok (acknowledged),
 * fail (definitely not applied) or unknown (maybe applied). Pure
 * functions, one per system; docs/data-safety.md lists the mappings.
 *
 * The rule everywhere: *when in doubt, unknown*. A write wrongly classed
 * as fail that later shows up in the final read is reported as the
 * system lying (recovered_failed), so "fail" is only given when the
 * system's own contract says the write was refused before it took effect:
 * nothing was sent; a Redis error reply (Redis checks a command before
 * running it; the codes listed below); an etcd error that is raised
 * before a proposal; a PostgreSQL ERROR (it rolls the statement's
 * transaction back; a FATAL may come after the commit); an HTTP status
 * that refuses the request (4xx, 501, 503, 505). */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "probe/write_int.h"

static struct zf_wclass wc(enum zf_wout out, enum zf_outcome cause)
{
	return (struct zf_wclass){ out, cause };
}

struct zf_wclass zf_wclass_unsent(int err)
{
	switch (err) {
	case ECONNREFUSED:
		return wc(ZF_W_FAIL, ZF_OUT_REFUSED);
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENETDOWN:
		return wc(ZF_W_FAIL, ZF_OUT_UNREACHABLE);
	case ETIMEDOUT:
	case EAGAIN:
	case EINPROGRESS:
		return wc(ZF_W_FAIL, ZF_OUT_TIMEOUT);
	default:
		return wc(ZF_W_FAIL, ZF_OUT_OTHER);
	}
}

struct zf_wclass zf_wclass_no_reply(int err)
{
	switch (err) {
	case ETIMEDOUT:
	case EAGAIN:
		return wc(ZF_W_UNKNOWN, ZF_OUT_TIMEOUT);
	case ECONNRESET:
	case EPIPE:
	case 0:
		return wc(ZF_W_UNKNOWN, ZF_OUT_RESET);
	default:
		return wc(ZF_W_UNKNOWN, ZF_OUT_OTHER);
	}
}

/* The LEN bytes of STR begin with the error code CODE (a whole word). */
static int has_code(const char *str, size_t len, const char *code)
{
	size_t n = strlen(code);

	return len >= n && !memcmp(str, code, n) && (len == n || str[n] == ' ');
}

/* Redis error codes of commands refused before they ran: replication
 * (NOREPLICAS: min-replicas-to-write not met; READONLY: a replica;
 * MASTERDOWN: a replica whose master link is down), state (LOADING, BUSY,
 * OOM, MISCONF), auth (NOAUTH, NOPERM), the command itself (ERR,
 * WRONGTYPE, EXECABORT) and cluster redirections (MOVED, ASK, TRYAGAIN,
 * CLUSTERDOWN, CROSSSLOT). */
static const char *const redis_refused[] = {
	"NOREPLICAS", "READONLY", "MASTERDOWN", "LOADING", "BUSY", "OOM",
	"MISCONF", "NOAUTH", "NOPERM", "ERR", "WRONGTYPE", "EXECABORT",
	"MOVED", "ASK", "TRYAGAIN", "CLUSTERDOWN", "CROSSSLOT",
};

struct zf_wclass zf_wclass_redis(enum zf_redis_rtype t, const char *str,
				 size_t len)
{
	if (t == ZF_RR_INTEGER)
		return wc(ZF_W_OK, ZF_OUT_OK);
	if (t == ZF_RR_STATUS)
		return str && len == 2 && !memcmp(str, "OK", 2) ?
		       wc(ZF_W_OK, ZF_OUT_OK) : wc(ZF_W_UNKNOWN, ZF_OUT_STATUS);
	if (t != ZF_RR_ERROR || !str)
		return wc(ZF_W_UNKNOWN, ZF_OUT_STATUS);
	for (size_t i = 0; i < sizeof(redis_refused) / sizeof(*redis_refused);
	     i++)
		if (has_code(str, len, redis_refused[i]))
			return wc(ZF_W_FAIL, ZF_OUT_STATUS);
	return wc(ZF_W_UNKNOWN, ZF_OUT_STATUS);
}

int zf_redis_error_rediscover(const char *str, size_t len)
{
	return str && (has_code(str, len, "READONLY") ||
		       has_code(str, len, "MASTERDOWN") ||
		       has_code(str, len, "LOADING"));
}

/* etcd errors raised before the request is proposed to raft: it cannot
 * commit later. */
static const char *const etcd_refused[] = {
	"etcdserver: no leader",           /* the member's interceptor */
	"etcdserver: too many requests",   /* before proposing */
	"etcdserver: request is too large",
	"etcdserver: key is not provided",
	"etcdserver: not capable",
	"etcdserver: permission denied",
	"etcdserver: invalid auth token",
	"etcdserver: user name is empty",
	"etcdserver: authentication failed",
	"raft proposal dropped",           /* raft refused to propose it */
};

static int etcd_is_refusal(const char *error)
{
	for (size_t i = 0; error && i < sizeof(etcd_refused) / sizeof(*etcd_refused);
	     i++)
		if (!strncmp(error, etcd_refused[i], strlen(etcd_refused[i])))
			return 1;
	return 0;
}

/* etcd errors that say the outcome is open: the proposal may commit
 * after the answer (timeouts, a leader change, the server stopping). */
static int etcd_is_ambiguous(const char *error)
{
	return error && (strstr(error, "timed out") ||
			 strstr(error, "leader changed") ||
			 strstr(error, "server stopped") ||
			 strstr(error, "context deadline exceeded") ||
			 strstr(error, "context canceled"));
}

struct zf_wclass zf_wclass_etcd(int status, const char *error)
{
	if (status >= 200 && status < 300)
		return wc(ZF_W_OK, ZF_OUT_OK);
	if (etcd_is_refusal(error))
		return wc(ZF_W_FAIL, ZF_OUT_STATUS);
	if (etcd_is_ambiguous(error))
		return wc(ZF_W_UNKNOWN, ZF_OUT_STATUS);
	/* the gateway's 4xx: an invalid request, never proposed */
	if (status >= 400 && status < 500)
		return wc(ZF_W_FAIL, ZF_OUT_STATUS);
	return wc(ZF_W_UNKNOWN, ZF_OUT_STATUS);
}

int zf_etcd_leave_endpoint(int status, const char *error)
{
	if (status >= 200 && status < 300)
		return 0;
	return status >= 500 || status == 0 || etcd_is_ambiguous(error) ||
	       (error && (strstr(error, "no leader") ||
			  strstr(error, "proposal dropped") ||
			  strstr(error, "too many requests")));
}

struct zf_wclass zf_wclass_sql(int ok, const char *severity,
			       const char *sqlstate)
{
	if (ok)
		return wc(ZF_W_OK, ZF_OUT_OK);
	/* An ERROR aborts the statement's transaction: nothing of it is
	 * applied (a synchronous-replication wait cancelled after the local
	 * commit is a WARNING with success, not an ERROR). FATAL and PANIC
	 * end the session, possibly after the commit (terminated while
	 * waiting for a synchronous standby). No server message: the
	 * connection broke after the statement was sent. */
	if (severity && sqlstate && !strcasecmp(severity, "ERROR"))
		return wc(ZF_W_FAIL, ZF_OUT_STATUS);
	if (severity)
		return wc(ZF_W_UNKNOWN, ZF_OUT_STATUS);
	return wc(ZF_W_UNKNOWN, ZF_OUT_RESET);
}

struct zf_wclass zf_wclass_http(int status)
{
	if (status >= 200 && status < 300)
		return wc(ZF_W_OK, ZF_OUT_OK);
	/* 4xx: the request was refused; 501 not implemented, 503 not
	 * served (a proxy with no backend, an overloaded server), 505
	 * version: refused before processing. 500, 502, 504 and the rest
	 * may come after the write took effect (a backend that failed
	 * after committing, a gateway that timed out waiting for it). */
	if ((status >= 400 && status < 500) || status == 501 ||
	    status == 503 || status == 505)
		return wc(ZF_W_FAIL, ZF_OUT_STATUS);
	return wc(ZF_W_UNKNOWN, ZF_OUT_STATUS);
}
