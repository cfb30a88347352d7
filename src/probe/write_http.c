/* write_http.c - the http-write driver: each write POSTs its value (the
 * body, text/plain) to the URL, or PUTs it to the URL + value; the final
 * read GETs the collection (wcollect.h). One kept-alive connection per
 * worker. Outcomes: write_outcome.c (zf_wclass_http); nothing sent (the
 * connection could not be made): fail; sent and no complete answer:
 * unknown. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probe/wcollect.h"
#include "probe/whttp.h"
#include "probe/write_int.h"
#include "util/mem.h"
#include "util/timeutil.h"

#define WRITE_MAX_BODY (1024u * 1024u)   /* an answer to a write */

struct hclient {
	const struct zf_wspec *s;
	struct zf_whttp conn;
	char path[sizeof(((struct zf_wspec *)0)->path) + ZF_LEDGER_MAX_PREFIX + 24];
};

static int h_open(const struct zf_wspec *s, struct zf_wshared *sh,
		  void **client)
{
	struct hclient *c = zf_xcalloc(1, sizeof(*c));

	(void)sh;
	c->s = s;
	zf_whttp_init(&c->conn, &s->nodes[0].addr);
	*client = c;
	return 0;
}

static void h_close(void *client)
{
	struct hclient *c = client;

	if (!c)
		return;
	zf_whttp_fini(&c->conn);
	free(c);
}

static void h_write(void *client, const char *value, size_t len,
		    uint64_t deadline, struct zf_wres *res)
{
	struct hclient *c = client;
	const struct zf_wspec *s = c->s;
	struct zf_whttp_req rq = { s->put ? "PUT" : "POST", s->host_header,
				   s->path, "text/plain", value, len };
	struct zf_hresp rs;
	const char *body;
	int sent = 0, rc;

	if (s->put) {
		size_t pl = strlen(s->path);

		memcpy(c->path, s->path, pl);
		memcpy(c->path + pl, value, len);
		c->path[pl + len] = '\0';
		rq.path = c->path;
	}
	res->node = s->nodes[0].name;
	res->invoke_ns = zf_now_ns();
	rc = zf_whttp_do(&c->conn, &rq, deadline, deadline, WRITE_MAX_BODY,
			 &rs, &body, &sent);
	res->complete_ns = zf_now_ns();
	if (rc < 0)
		res->c = sent ? zf_wclass_no_reply(-rc) : zf_wclass_unsent(-rc);
	else
		res->c = zf_wclass_http(rs.status);
}

static int keep_value(void *ctx, const char *v, size_t len)
{
	return zf_wread_value(ctx, v, len);
}

static int h_read(const struct zf_wspec *s, uint64_t op_ns,
		  struct zf_wread *rd)
{
	struct zf_whttp_req rq = { "GET", s->read_host, s->read_path, NULL,
				   NULL, 0 };
	uint64_t deadline = zf_now_ns() + op_ns;
	struct zf_whttp conn;
	struct zf_hresp rs;
	const char *body;
	char err[200];
	int sent, rc;

	memcpy(rd->node, s->read_node.name, sizeof(rd->node));
	zf_whttp_init(&conn, &s->read_node.addr);
	rc = zf_whttp_do(&conn, &rq, deadline, deadline, ZF_WCOLLECT_MAX, &rs,
			 &body, &sent);
	if (rc < 0)
		rc = zf_wread_fail(rd, "GET %s%s: %s", s->read_host, s->read_path,
				   strerror(-rc));
	else if (rs.status != 200)
		rc = zf_wread_fail(rd, "GET %s%s answered %d", s->read_host,
				   s->read_path, rs.status);
	else if ((rc = zf_wcollect_parse(body, rs.body_len, keep_value, rd,
					 err, sizeof(err))) < 0)
		rc = zf_wread_fail(rd, "%s", rc == -E2BIG ? "more values than "
				   "a final read can hold" : err);
	zf_whttp_fini(&conn);
	return rc;
}

const struct zf_wdriver zf_wdriver_http = {
	.name = "http-write",
	.open = h_open,
	.close = h_close,
	.write = h_write,
	.read = h_read,
};
