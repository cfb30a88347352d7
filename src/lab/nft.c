#include "lab/nft.h"
#include "lab/netns.h"
#include "util/log.h"

#include <errno.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>

static void copy_trimmed(char *dst, size_t len, const char *src)
{
	size_t n;

	if (!dst || !len)
		return;
	snprintf(dst, len, "%s", src ? src : "");
	n = strlen(dst);
	while (n > 0 && (dst[n - 1] == '\n' || dst[n - 1] == ' '))
		dst[--n] = '\0';
}

int zf_nft_run(int ns_fd, const char *cmds, char *out, size_t outlen,
	       char *err, size_t errlen)
{
	struct nft_ctx *ctx = NULL;
	int saved = -1, rc;

	rc = zf_netns_enter(ns_fd, &saved);
	if (rc < 0) {
		snprintf(err, errlen, "entering namespace: %s", strerror(-rc));
		return rc;
	}
	ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!ctx) {
		snprintf(err, errlen, "libnftables: cannot create context");
		rc = -ENOMEM;
		goto out;
	}
	nft_ctx_buffer_output(ctx);
	nft_ctx_buffer_error(ctx);
	if (nft_run_cmd_from_buffer(ctx, cmds) != 0) {
		copy_trimmed(err, errlen, nft_ctx_get_error_buffer(ctx));
		rc = -EINVAL;
		goto out;
	}
	copy_trimmed(out, outlen, nft_ctx_get_output_buffer(ctx));
out:
	if (ctx)
		nft_ctx_free(ctx);
	zf_netns_leave(saved);
	return rc;
}
