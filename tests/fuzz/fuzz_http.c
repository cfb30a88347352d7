/* fuzz_http.c - libFuzzer target for the probes' HTTP response parser.
 * The first byte picks a piece size and whether the request was a HEAD;
 * the rest is the response, fed whole and then in pieces. Both must agree
 * (the parser is incremental: where reads split must not matter), use no
 * more bytes than given, and stay within the status and caps contract. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/http_parse.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct outcome {
	int rc, status, keep;
	size_t used;
};

static struct outcome feed(const char *s, size_t len, size_t piece, int head)
{
	struct zf_http_resp r;
	struct outcome o = { ZF_HTTP_MORE, 0, 0, 0 };
	size_t used;

	zf_http_resp_begin(&r, head);
	while (o.used < len && o.rc == ZF_HTTP_MORE) {
		size_t n = len - o.used < piece ? len - o.used : piece;

		o.rc = zf_http_resp_feed(&r, s + o.used, n, &used);
		if (used > n || (o.rc == ZF_HTTP_MORE && used != n))
			ZF_BUG("feed used %zu of %zu with rc %d", used, n, o.rc);
		o.used += used;
	}
	if (o.rc == ZF_HTTP_MORE)
		o.rc = zf_http_resp_eof(&r);
	if (o.rc == ZF_HTTP_DONE && (r.status < 100 || r.status > 999))
		ZF_BUG("done with status %d", r.status);
	if (o.rc != ZF_HTTP_DONE && o.rc != -EBADMSG && o.rc != -EMSGSIZE &&
	    o.rc != -EPIPE)
		ZF_BUG("unexpected result %d", o.rc);
	o.status = r.status;
	o.keep = r.keep;
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outcome whole, parts;
	size_t piece;
	int head;

	if (size < 1)
		return 0;
	piece = (size_t)(data[0] & 0x3f) + 1;
	head = data[0] >> 7;
	whole = feed((const char *)data + 1, size - 1, size, head);
	parts = feed((const char *)data + 1, size - 1, piece, head);
	if (whole.rc != parts.rc)
		ZF_BUG("whole %d, in pieces of %zu %d", whole.rc, piece, parts.rc);
	if (whole.rc == ZF_HTTP_DONE &&
	    (whole.used != parts.used || whole.status != parts.status ||
	     whole.keep != parts.keep))
		ZF_BUG("whole and pieces disagree");
	return 0;
}
