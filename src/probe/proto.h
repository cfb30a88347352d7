/* proto.h - (private to src/probe) what the connection engine (netloop)
 * needs from a request/reply protocol: the bytes of one request, built once
 * per probe, and an incremental reader of one reply that decides its
 * outcome. The engine owns sockets, timing and errors; a protocol only
 * sees reply bytes. Implementations: http.c, tcp.c. */
#ifndef ZF_PROBE_PROTO_H
#define ZF_PROBE_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "probe/http_parse.h"
#include "probe/probe.h"

/* Reply state of one request, kept in its connection. */
struct zf_tcp_match {
	uint32_t matched;       /* bytes of expect matched so far (KMP) */
	uint64_t got;           /* reply bytes seen */
};

union zf_proto_state {
	struct zf_http_resp http;
	struct zf_tcp_match tcp;
};

/* How a reply ended. */
struct zf_proto_res {
	enum zf_outcome outcome;   /* ZF_OUT_OK, ZF_OUT_STATUS or ZF_OUT_OTHER */
	int keep;                  /* the connection may carry a next request */
};

struct zf_proto;

struct zf_proto_ops {
	/* A new request starts on a connection. */
	void (*begin)(const struct zf_proto *pr, union zf_proto_state *st);
	/* LEN reply bytes arrived: 0 when more are needed, 1 when the reply
	 * is complete (or malformed) with *RES set. */
	int (*feed)(const struct zf_proto *pr, union zf_proto_state *st,
		    const char *buf, size_t len, struct zf_proto_res *res);
	/* The peer closed: 1 with *RES if that completes the reply, 0 if
	 * the reply was cut short. */
	int (*eof)(const struct zf_proto *pr, union zf_proto_state *st,
		   struct zf_proto_res *res);
};

struct zf_proto {
	const struct zf_proto_ops *ops;
	char *req;              /* sent for each request (owned); may be NULL */
	size_t req_len;
	int reply;              /* a reply is read after the request */
	int reuse;              /* connections are kept between requests */
	/* http */
	int expect_status;
	int head;               /* the method is HEAD: replies have no body */
	/* tcp */
	char *expect;           /* owned */
	uint32_t expect_len;
	uint32_t *kmp;          /* failure function of expect (owned) */
};

/* Set PR up for SPEC (kind http or tcp). 0, or -EINVAL with ERR. */
int zf_http_proto_init(struct zf_proto *pr, const struct zf_probe_spec *spec,
		       char *err, size_t errlen);
int zf_tcp_proto_init(struct zf_proto *pr, const struct zf_probe_spec *spec,
		      char *err, size_t errlen);

static inline void zf_proto_fini(struct zf_proto *pr)
{
	free(pr->req);
	free(pr->expect);
	free(pr->kmp);
	pr->req = pr->expect = NULL;
	pr->kmp = NULL;
}

#endif
