/* http.c - the HTTP/1.1 protocol of http probes: the request, built once
 * from the spec, and replies read with http_parse. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "probe/proto.h"
#include "util/log.h"
#include "util/mem.h"

#define MAX_BODY_SEND (1024u * 1024u)

/* A growing byte buffer for building the request once. */
struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n > b->cap) {
		while (b->len + n > b->cap)
			b->cap = b->cap ? b->cap * 2 : 256;
		b->p = zf_xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

/* RFC 9110 tchar. */
static int is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Bytes that may not appear in a request line or header value. */
static int has_ctl_or_space(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return 1;
	return 0;
}

static int check_spec(const struct zf_probe_spec *s, char *err, size_t errlen)
{
	const char *m = s->method[0] ? s->method : "GET";

	for (const char *c = m; *c; c++)
		if (!is_tchar((unsigned char)*c)) {
			zf_fmt(err, errlen, "probe %s: method '%s' is not an HTTP "
			       "token", s->name, m);
			return -EINVAL;
		}
	if (has_ctl_or_space(s->path) || has_ctl_or_space(s->host_header)) {
		zf_fmt(err, errlen, "probe %s: path and host may not contain "
		       "spaces or control characters", s->name);
		return -EINVAL;
	}
	if (s->path[0] && s->path[0] != '/' && s->path[0] != '*' &&
	    !strstr(s->path, "://")) {
		zf_fmt(err, errlen, "probe %s: path '%s' must start with /",
		       s->name, s->path);
		return -EINVAL;
	}
	if (s->body && strlen(s->body) > MAX_BODY_SEND) {
		zf_fmt(err, errlen, "probe %s: body larger than %u bytes",
		       s->name, MAX_BODY_SEND);
		return -EINVAL;
	}
	return 0;
}

/* The Host header when the spec gives none: the address, with the port
 * unless it is 80. */
static void default_host(const struct zf_probe_spec *s, char *buf, size_t len)
{
	char ip[INET_ADDRSTRLEN] = "0.0.0.0";
	unsigned port = ntohs(s->addr.sin_port);

	inet_ntop(AF_INET, &s->addr.sin_addr, ip, sizeof(ip));
	if (port == 80)
		zf_fmt(buf, len, "%s", ip);
	else
		zf_fmt(buf, len, "%s:%u", ip, port);
}

static void build_request(struct sbuf *b, const struct zf_probe_spec *s)
{
	char host[300], num[32];

	sb_str(b, s->method[0] ? s->method : "GET");
	sb_put(b, " ", 1);
	sb_str(b, s->path[0] ? s->path : "/");
	sb_str(b, " HTTP/1.1\r\nHost: ");
	if (s->host_header[0])
		sb_str(b, s->host_header);
	else {
		default_host(s, host, sizeof(host));
		sb_str(b, host);
	}
	sb_put(b, "\r\n", 2);
	if (s->body) {
		zf_fmt(num, sizeof(num), "%zu", strlen(s->body));
		sb_str(b, "Content-Length: ");
		sb_str(b, num);
		sb_put(b, "\r\n", 2);
	}
	if (!s->keepalive)
		sb_str(b, "Connection: close\r\n");
	sb_put(b, "\r\n", 2);
	if (s->body)
		sb_str(b, s->body);
}

static void http_begin(const struct zf_proto *pr, union zf_proto_state *st)
{
	zf_http_resp_begin(&st->http, pr->head);
}

static void http_result(const struct zf_proto *pr, const struct zf_http_resp *r,
			int rc, struct zf_proto_res *res)
{
	if (rc < 0) {           /* malformed or oversized answer */
		res->outcome = ZF_OUT_OTHER;
		res->keep = 0;
		return;
	}
	res->outcome = r->status == pr->expect_status ? ZF_OUT_OK
						      : ZF_OUT_STATUS;
	res->keep = r->keep;
}

static int http_feed(const struct zf_proto *pr, union zf_proto_state *st,
		     const char *buf, size_t len, struct zf_proto_res *res)
{
	size_t used;
	int rc = zf_http_resp_feed(&st->http, buf, len, &used);

	if (rc == ZF_HTTP_MORE)
		return 0;
	http_result(pr, &st->http, rc, res);
	if (used != len)        /* bytes nobody asked for: do not reuse */
		res->keep = 0;
	return 1;
}

static int http_eof(const struct zf_proto *pr, union zf_proto_state *st,
		    struct zf_proto_res *res)
{
	int rc = zf_http_resp_eof(&st->http);

	if (rc == -EPIPE)
		return 0;
	http_result(pr, &st->http, rc, res);
	res->keep = 0;
	return 1;
}

static const struct zf_proto_ops http_ops = {
	.begin = http_begin,
	.feed = http_feed,
	.eof = http_eof,
};

int zf_http_proto_init(struct zf_proto *pr, const struct zf_probe_spec *spec,
		       char *err, size_t errlen)
{
	struct sbuf b = { 0 };
	int rc = check_spec(spec, err, errlen);

	if (rc < 0)
		return rc;
	memset(pr, 0, sizeof(*pr));
	build_request(&b, spec);
	pr->ops = &http_ops;
	pr->req = b.p;
	pr->req_len = b.len;
	pr->reply = 1;
	pr->reuse = spec->keepalive != 0;
	pr->expect_status = spec->expect_status ? spec->expect_status : 200;
	pr->head = strcmp(spec->method, "HEAD") == 0;
	return 0;
}
