/* linkem_config.c - parsing the link emulator's config file (see
 * linkem_config.h for the grammar). Every error names FILE:LINE and what
 * was expected; nothing is kept from a file with an error. */
#include "net/linkem_config.h"
#include "net/linkem_config_int.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/wordfile.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 32

struct parse_state {
	struct zf_wordfile wf;         /* first: the line callback gets &wf */
	struct zf_lk_config *cfg;
};

#define perr(ps, ...) zf_wordfile_err(&(ps)->wf, __VA_ARGS__)




static int parse_queue(struct parse_state *ps, char **w, int n)
{
	uint64_t id, num;
	char msg[256];

	if (n != 4)
		return perr(ps, "expected 'queue ID NETNS_PATH NUM' (%d words "
			    "found)", n);
	if (zf_parse_u64(w[1], ZF_LK_MAX_QUEUE_ID, &id) < 0)
		return perr(ps, "expected a queue ID 0..%u, found '%.40s'",
			    ZF_LK_MAX_QUEUE_ID, w[1]);
	if (zf_parse_u64(w[3], 65535, &num) < 0)
		return perr(ps, "expected a queue number 0..65535, found "
			    "'%.40s'", w[3]);
	if (zf_lk_config_add_queue(ps->cfg, (uint32_t)id, w[2], (uint16_t)num,
				   msg, sizeof(msg)) < 0)
		return perr(ps, "%s", msg);
	ps->cfg->queues[ps->cfg->nqueues - 1].line = ps->wf.line;
	return 0;
}

static int parse_link(struct parse_state *ps, char **w, int n)
{
	struct zf_lk_link_cfg link;
	unsigned seen = 0;
	char msg[256];

	if (n < 2)
		return perr(ps, "expected 'link NAME queue=ID iif=IFINDEX|* "
			    "oif=IFINDEX|* ...'");
	if (strlen(w[1]) > ZF_LK_NAME_MAX || strchr(w[1], '='))
		return perr(ps, "expected a link name of at most %d characters "
			    "without '=', found '%.40s'", ZF_LK_NAME_MAX, w[1]);
	(void)zf_lk_link_init(&link, w[1], 0);   /* length checked above */
	link.line = ps->wf.line;
	for (int i = 2; i < n; i++) {
		if (zf_lk_parse_link_kv(&link, w[i], &seen, msg,
					sizeof(msg)) < 0)
			return perr(ps, "%s", msg);
	}
	if ((seen & ZF_LK_REQUIRED_KEYS) != ZF_LK_REQUIRED_KEYS)
		return perr(ps, "link '%s': expected queue=, iif= and oif= "
			    "(missing %s)", link.name,
			    zf_lk_missing_key(seen));
	if (zf_lk_config_add_link(ps->cfg, &link, msg, sizeof(msg)) < 0)
		return perr(ps, "%s", msg);
	return 0;
}

/* One line's words (N >= 1). */
static int parse_words(struct zf_wordfile *wf, char **w, int n, void *ctx)
{
	struct parse_state *ps = ctx;

	(void)wf;
	if (strcmp(w[0], "queue") == 0)
		return parse_queue(ps, w, n);
	if (strcmp(w[0], "link") == 0)
		return parse_link(ps, w, n);
	return perr(ps, "expected 'queue' or 'link', found '%.40s'", w[0]);
}

int zf_lk_config_parse(const char *file, const char *buf, size_t len,
		       struct zf_lk_config *out, char *err, size_t errlen)
{
	struct parse_state ps = {
		.wf = { .file = file, .max_lines = ZF_LK_MAX_LINES,
			.max_words = MAX_WORDS, .err = err, .errlen = errlen },
		.cfg = out,
	};
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > ZF_LK_MAX_FILE) {
		snprintf(err, errlen, "%s: expected at most %u bytes", file,
			 ZF_LK_MAX_FILE);
		return -EINVAL;
	}
	rc = zf_wordfile_parse(&ps.wf, buf, len, parse_words, &ps);
	if (rc < 0)
		zf_lk_config_free(out);
	return rc;
}

int zf_lk_config_load(const char *path, struct zf_lk_config *out,
		      char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = zf_read_file(path, ZF_LK_MAX_FILE, &buf, &len);
	if (rc == -EFBIG) {
		snprintf(err, errlen, "%s: expected at most %u bytes", path,
			 ZF_LK_MAX_FILE);
		return -EINVAL;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = zf_lk_config_parse(path, buf, len, out, err, errlen);
	free(buf);
	return rc;
}
