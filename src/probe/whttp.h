/* whttp.h - (private to src/probe) a small blocking HTTP/1.1 client for
 * the write probes that speak HTTP (etcd's JSON gateway, http-write): one
 * connection, one request at a time, every step bounded by a deadline, the
 * response read with its body (capped). The caller's thread is in the
 * probe's network namespace; sockets are made there. */
#ifndef ZF_PROBE_WHTTP_H
#define ZF_PROBE_WHTTP_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define ZF_HRESP_MAX_HEAD (64u * 1024u)
enum { ZF_HRESP_MORE = 0, ZF_HRESP_DONE = 1 };

/* A parsed response (zf_hresp_parse). */
struct zf_hresp {
	int status;             /* 200..999 (interim 1xx are skipped) */
	int keep;               /* the connection may carry the next request */
	size_t body_off;        /* the body: BUF[body_off .. + body_len) */
	size_t body_len;
	size_t used;            /* bytes of BUF that belong to the response */
};

/* Parse the response at the start of BUF (LEN bytes so far; EOF: the peer
 * has closed, no more will come). ZF_HRESP_MORE: more bytes are needed;
 * ZF_HRESP_DONE with *OUT set (a chunked body is decoded in place, so BUF
 * is changed); -EBADMSG for a malformed response (or one cut short at
 * EOF); -EMSGSIZE when the head exceeds ZF_HRESP_MAX_HEAD or the body
 * MAX_BODY. Never reads past BUF + LEN. */
int zf_hresp_parse(char *buf, size_t len, int eof, size_t max_body,
		   struct zf_hresp *out);

/* One client connection. */
struct zf_whttp {
	int fd;                 /* -1: not connected */
	struct sockaddr_in addr;
	char *buf;              /* the response being read */
	size_t len, cap;
};

struct zf_whttp_req {
	const char *method;     /* "POST" */
	const char *host;       /* the Host header */
	const char *path;       /* "/v3/kv/put" */
	const char *ctype;      /* Content-Type, NULL: none */
	const char *body;       /* NULL: none */
	size_t body_len;
};

void zf_whttp_init(struct zf_whttp *c, const struct sockaddr_in *addr);
/* Drop the connection (the next request connects again). */
void zf_whttp_close(struct zf_whttp *c);
void zf_whttp_fini(struct zf_whttp *c);

/* Send RQ on C and read its response until DEADLINE (CLOCK_MONOTONIC):
 * connecting first (until CONNECT_DEADLINE at most) when C has no
 * connection, or when the server closed the kept-alive one meanwhile. 0
 * with *RS and *BODY (into C's buffer,
 * valid until the next request). Else a negative errno and the connection
 * is dropped: *SENT is 0 when nothing of the request was sent (connecting
 * failed: ECONNREFUSED, EHOSTUNREACH, ETIMEDOUT... — it had no effect) and
 * 1 once any byte was (ETIMEDOUT, ECONNRESET for a close before the
 * response, EBADMSG, EMSGSIZE). */
int zf_whttp_do(struct zf_whttp *c, const struct zf_whttp_req *rq,
		uint64_t connect_deadline, uint64_t deadline, size_t max_body,
		struct zf_hresp *rs, const char **body, int *sent);

#endif
