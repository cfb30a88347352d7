/* fuzz_write_reply.c - libFuzzer target for what write probes read from
 * servers: HTTP responses with bodies (whttp_resp.c, fed whole and in two
 * pieces, with and without the end of the connection), http-write
 * collections (wcollect.c), etcd range and error bodies and base64
 * (etcd_json.c). The first byte picks the parser. Parsers must stay
 * within the input, keep their caps, and agree with themselves: a
 * response complete at some length stays complete with more bytes, and
 * a body lies inside the bytes it says it used. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probe/etcd_json.h"
#include "probe/wcollect.h"
#include "probe/whttp.h"
#include "util/log.h"

#define MAX_BODY 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *ctx, const char *v, size_t len)
{
	(void)v;
	if (len > MAX_BODY * 4)
		ZF_BUG("a value longer than its input");
	return ++*(size_t *)ctx > 100000 ? -1 : 0;
}

static void check_resp(const struct zf_hresp *r, size_t len)
{
	if (r->used > len || r->body_off > r->used ||
	    r->body_len > r->used - r->body_off || r->body_len > MAX_BODY ||
	    r->status < 200 || r->status > 999)
		ZF_BUG("a response outside its bytes or caps");
}

static void http(const uint8_t *data, size_t size)
{
	char *a = malloc(size + 1), *b = malloc(size + 1);
	struct zf_hresp r;
	int rc;

	for (int eof = 0; eof <= 1; eof++) {
		memcpy(a, data, size);
		rc = zf_hresp_parse(a, size, eof, MAX_BODY, &r);
		if (rc == ZF_HRESP_DONE)
			check_resp(&r, size);
		/* a prefix that is complete stays complete */
		for (size_t cut = size / 2; cut < size && cut > 0; cut = size) {
			memcpy(b, data, size);
			if (zf_hresp_parse(b, cut, 0, MAX_BODY, &r) == ZF_HRESP_DONE) {
				check_resp(&r, cut);
				memcpy(b, data, size);
				if (zf_hresp_parse(b, size, eof, MAX_BODY, &r) !=
				    ZF_HRESP_DONE)
					ZF_BUG("more bytes undid a complete response");
			}
		}
	}
	free(a);
	free(b);
}

static void etcd(const char *s, size_t n)
{
	struct zf_etcd_page pg;
	char err[256], *out = malloc(n / 4 * 3 + 1);
	size_t values = 0;
	long d;

	if (zf_etcd_range_parse(s, n, count, &values, &pg, err, sizeof(err)) == 0 &&
	    pg.n_kvs != values)
		ZF_BUG("a range parse counted its values wrong");
	free(pg.last_key);
	zf_etcd_error_text(s, n, err, sizeof(err));
	d = zf_b64_decode(s, n & ~(size_t)3, out);
	if (d > (long)(n / 4 * 3))
		ZF_BUG("base64 decoded past its output");
	if (d >= 0) {
		char *e = zf_b64_encode(out, (size_t)d);
		long back;

		back = zf_b64_decode(e, strlen(e), out);
		if (back != d)
			ZF_BUG("base64 round trip changed the length");
		free(e);
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	size_t values = 0;

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		http(data + 1, size - 1);
		break;
	case 1:
		zf_wcollect_parse((const char *)data + 1, size - 1, count, &values,
				  err, sizeof(err));
		break;
	default:
		etcd((const char *)data + 1, size - 1);
		break;
	}
	return 0;
}
