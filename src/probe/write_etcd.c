/* write_etcd.c - the etcd driver, over etcd's v3 JSON gateway (HTTP):
 * each write is POST /v3/kv/put of key PREFIX + value, value = value
 * (base64, etcd_json.h); the final read is a linearizable POST
 * /v3/kv/range over the prefix, in pages of ZF_ETCD_PAGE keys, from the
 * first endpoint that answers.
 *
 * Like etcd's own clients, a worker stays on one endpoint and moves to the
 * next when it fails it: when connecting fails (nothing was sent: the
 * same write is tried on the next endpoint, within its deadline, each try
 * with its share of the time left), and after an answer that says the
 * member cannot serve (no leader, 5xx, timeouts) or no answer at all (the
 * write is then unknown and is not retried: a retry could apply it
 * twice). Outcomes: write_outcome.c (zf_wclass_etcd). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probe/etcd_json.h"
#include "probe/whttp.h"
#include "probe/write_int.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/timeutil.h"

#define PUT_PATH "/v3/kv/put"
#define RANGE_PATH "/v3/kv/range"
#define ANSWER_MAX (1024u * 1024u)

struct eclient {
	const struct zf_wspec *s;
	struct zf_whttp conn;
	size_t ep;                      /* the endpoint in use */
};

static void use_endpoint(struct eclient *c, size_t ep)
{
	zf_whttp_fini(&c->conn);
	c->ep = ep % c->s->n_nodes;
	zf_whttp_init(&c->conn, &c->s->nodes[c->ep].addr);
}

static int e_open(const struct zf_wspec *s, struct zf_wshared *sh,
		  void **client)
{
	struct eclient *c = zf_xcalloc(1, sizeof(*c));

	(void)sh;
	c->s = s;
	zf_whttp_init(&c->conn, &s->nodes[0].addr);
	*client = c;
	return 0;
}

static void e_close(void *client)
{
	struct eclient *c = client;

	if (!c)
		return;
	zf_whttp_fini(&c->conn);
	free(c);
}

/* POST BODY to PATH on C's endpoint, moving on to the next endpoints
 * while nothing could be sent. 0 with the answer, or the error of the
 * last try with *SENT. */
static int post(struct eclient *c, const char *path, const char *body,
		uint64_t deadline, size_t max, struct zf_hresp *rs,
		const char **answer, int *sent)
{
	const struct zf_wspec *s = c->s;
	int rc = -ETIMEDOUT;

	for (size_t i = 0; i < s->n_nodes; i++) {
		struct zf_whttp_req rq = { "POST", s->nodes[c->ep].name, path,
					   "application/json", body,
					   strlen(body) };
		uint64_t cd = zf_wtry_deadline(deadline, s->n_nodes - i);

		rc = zf_whttp_do(&c->conn, &rq, cd, deadline, max, rs, answer,
				 sent);
		if (rc == 0 || *sent || zf_now_ns() >= deadline)
			return rc;
		use_endpoint(c, c->ep + 1);
	}
	return rc;
}

static void e_write(void *client, const char *value, size_t len,
		    uint64_t deadline, struct zf_wres *res)
{
	struct eclient *c = client;
	size_t klen = strlen(c->s->key);
	char key[ZF_WKEY_MAX + ZF_LEDGER_MAX_PREFIX + 32], error[256];
	const char *answer;
	struct zf_hresp rs;
	char *body;
	int sent = 0, rc;

	memcpy(key, c->s->key, klen);
	memcpy(key + klen, value, len);
	body = zf_etcd_put_body(key, klen + len, value, len);
	res->invoke_ns = zf_now_ns();
	rc = post(c, PUT_PATH, body, deadline, ANSWER_MAX, &rs, &answer, &sent);
	res->complete_ns = zf_now_ns();
	res->node = c->s->nodes[c->ep].name;
	free(body);
	if (rc < 0) {
		res->c = sent ? zf_wclass_no_reply(-rc) : zf_wclass_unsent(-rc);
		if (sent)
			use_endpoint(c, c->ep + 1);
		return;
	}
	if (rs.status == 200 ||
	    zf_etcd_error_text(answer, rs.body_len, error, sizeof(error)) < 0)
		error[0] = '\0';
	res->c = zf_wclass_etcd(rs.status, error[0] ? error : NULL);
	if (zf_etcd_leave_endpoint(rs.status, error[0] ? error : NULL))
		use_endpoint(c, c->ep + 1);
}

static int keep_value(void *ctx, const char *v, size_t len)
{
	return zf_wread_value(ctx, v, len);
}

/* Every page of the range over the prefix from C's endpoint into RD: 0,
 * or -EIO with RD->error. */
static int read_all(struct eclient *c, uint64_t op_ns, struct zf_wread *rd)
{
	const struct zf_wspec *s = c->s;
	size_t klen = strlen(s->key), elen;
	char end[ZF_WKEY_MAX + 1], *key = zf_xstrdup(s->key), err[200];
	int rc = 0;

	elen = zf_etcd_prefix_end(s->key, klen, end);
	if (elen == 0)
		end[elen++] = '\0';
	for (int more = 1; more && rc == 0;) {
		struct zf_whttp_req rq = { "POST", s->nodes[c->ep].name,
					   RANGE_PATH, "application/json", NULL,
					   0 };
		uint64_t deadline = zf_now_ns() + op_ns;
		struct zf_etcd_page pg;
		struct zf_hresp rs;
		const char *answer;
		char *body = zf_etcd_range_body(key, klen, end, elen,
						ZF_ETCD_PAGE);
		int sent;

		rq.body = body;
		rq.body_len = strlen(body);
		rc = zf_whttp_do(&c->conn, &rq, deadline, deadline,
				 ZF_ETCD_MAX_BODY, &rs, &answer, &sent);
		free(body);
		if (rc < 0) {
			rc = zf_wread_fail(rd, "range from %s: %s",
					   s->nodes[c->ep].name, strerror(-rc));
			break;
		}
		if (rs.status != 200) {
			if (zf_etcd_error_text(answer, rs.body_len, err, sizeof(err)))
				zf_fmt(err, sizeof(err), "HTTP %d", rs.status);
			rc = zf_wread_fail(rd, "range from %s: %s",
					   s->nodes[c->ep].name, err);
			break;
		}
		rc = zf_etcd_range_parse(answer, rs.body_len, keep_value, rd,
					 &pg, err, sizeof(err));
		if (rc < 0)
			rc = zf_wread_fail(rd, "range from %s: %s",
					   s->nodes[c->ep].name, rc == -E2BIG ?
					   "more values than a final read can "
					   "hold" : err);
		more = rc == 0 && pg.more && pg.last_key;
		if (more) {             /* the next page starts after the last key */
			free(key);
			key = zf_xmalloc(pg.last_len + 1);
			memcpy(key, pg.last_key, pg.last_len);
			key[pg.last_len] = '\0';
			klen = pg.last_len + 1;
		}
		free(pg.last_key);
	}
	free(key);
	return rc;
}

static int e_read(const struct zf_wspec *s, uint64_t op_ns,
		  struct zf_wread *rd)
{
	struct eclient c = { .s = s };
	int rc = -EIO;

	zf_whttp_init(&c.conn, &s->nodes[0].addr);
	for (size_t i = 0; i < s->n_nodes && rc < 0; i++) {
		use_endpoint(&c, i);
		zf_wread_reset(rd);
		memcpy(rd->node, s->nodes[i].name, sizeof(rd->node));
		rc = read_all(&c, op_ns, rd);
	}
	zf_whttp_fini(&c.conn);
	return rc;
}

const struct zf_wdriver zf_wdriver_etcd = {
	.name = "etcd",
	.open = e_open,
	.close = e_close,
	.write = e_write,
	.read = e_read,
};
