/* dns_config.c - reading the DNS config file (see dns_config.h for the
 * grammar): caps, lines, words, then the checks between records. Every
 * error names FILE:LINE and what was expected; nothing is kept from a file
 * with an error. */
#include "dns/dns_config.h"
#include "dns/dns_config_int.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_words(struct zf_wordfile *wf, char **w, int n, void *ctx)
{
	(void)wf;
	return zf_dns_parse_words(ctx, w, n);
}

int zf_dns_config_parse(const char *file, const char *buf, size_t len,
			struct zf_dns_config *out, char *err, size_t errlen)
{
	struct zf_dns_parse ps = {
		.wf = { .file = file, .max_lines = ZF_DNS_MAX_LINES,
			.max_words = ZF_DNS_MAX_WORDS, .err = err, .errlen = errlen },
		.cfg = out,
	};
	int rc;

	zf_dns_config_init(out);
	if (len > ZF_DNS_MAX_FILE) {
		snprintf(err, errlen, "%s: expected at most %u bytes", file,
			 ZF_DNS_MAX_FILE);
		return -EINVAL;
	}
	rc = zf_wordfile_parse(&ps.wf, buf, len, parse_words, &ps);
	if (rc == 0)
		rc = zf_dns_config_check(out, file, err, errlen);
	if (rc < 0)
		zf_dns_config_free(out);
	return rc;
}

int zf_dns_config_load(const char *path, struct zf_dns_config *out,
		       char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	zf_dns_config_init(out);
	rc = zf_read_file(path, ZF_DNS_MAX_FILE, &buf, &len);
	if (rc == -EFBIG) {
		snprintf(err, errlen, "%s: expected at most %u bytes", path,
			 ZF_DNS_MAX_FILE);
		return -EINVAL;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = zf_dns_config_parse(path, buf, len, out, err, errlen);
	free(buf);
	return rc;
}
