/* nft.c - libnftables inside the lab's namespaces (see nft.h). */
#include "lab/nft.h"
#include "lab/netns.h"
#include "util/log.h"
#include "util/mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <nftables/libnftables.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

struct zf_nft {
	struct nft_ctx *ctx;
	int ns_fd;           /* our own duplicate */
};

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

/* Is FD a netlink socket of protocol NETLINK_NETFILTER? */
static int is_nfnetlink(int fd)
{
	int dom = 0, proto = 0;
	socklen_t len = sizeof(dom);
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode) ||
	    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &len) < 0 || dom != AF_NETLINK)
		return 0;
	len = sizeof(proto);
	return getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) == 0 &&
	       proto == NETLINK_NETFILTER;
}

/* libnftables opens its netlink socket without close-on-exec (and does
 * not expose it): mark every nfnetlink socket of the process so, so that
 * none leaks into the hosts' inits and services started later. */
static void cloexec_nfnetlink(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int fd, fl;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		fd = (int)strtol(e->d_name, NULL, 10);
		if (fd == dirfd(d) || !is_nfnetlink(fd) || (fl = fcntl(fd, F_GETFD)) < 0)
			continue;
		if (!(fl & FD_CLOEXEC))
			fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
	}
	if (d)
		closedir(d);
}

int zf_nft_open(int ns_fd, struct zf_nft **out, char *err, size_t errlen)
{
	struct zf_nft *n = zf_xcalloc(1, sizeof(*n));
	int saved = -1, rc;

	n->ns_fd = fcntl(ns_fd, F_DUPFD_CLOEXEC, 3);
	if (n->ns_fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "namespace fd: %s", strerror(-rc));
		goto out;
	}
	rc = zf_netns_enter(ns_fd, &saved);
	if (rc < 0) {
		snprintf(err, errlen, "entering namespace: %s", strerror(-rc));
		goto out;
	}
	/* The context's netlink socket is made here, in NS_FD. */
	n->ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	zf_netns_leave(saved);
	cloexec_nfnetlink();
	if (!n->ctx) {
		snprintf(err, errlen, "libnftables: cannot create context");
		rc = -ENOMEM;
		goto out;
	}
	nft_ctx_buffer_output(n->ctx);
	nft_ctx_buffer_error(n->ctx);
	*out = n;
	n = NULL;
out:
	zf_nft_close(n);
	return rc;
}

void zf_nft_close(struct zf_nft *n)
{
	if (!n)
		return;
	if (n->ctx)
		nft_ctx_free(n->ctx);
	if (n->ns_fd >= 0)
		close(n->ns_fd);
	free(n);
}

int zf_nft_exec(struct zf_nft *n, const char *cmds, char **out, char *err,
		size_t errlen)
{
	int saved = -1, rc = zf_netns_enter(n->ns_fd, &saved);

	if (out)
		*out = NULL;
	if (rc < 0) {
		snprintf(err, errlen, "entering namespace: %s", strerror(-rc));
		return rc;
	}
	/* Reading a buffer also empties it for the next command, so both are
	 * read every time. */
	if (nft_run_cmd_from_buffer(n->ctx, cmds) != 0) {
		copy_trimmed(err, errlen, nft_ctx_get_error_buffer(n->ctx));
		rc = -EINVAL;
	} else {
		nft_ctx_get_error_buffer(n->ctx);
	}
	const char *o = nft_ctx_get_output_buffer(n->ctx);
	if (rc == 0 && out)
		*out = zf_xstrdup(o ? o : "");
	zf_netns_leave(saved);
	return rc;
}

int zf_nft_run(int ns_fd, const char *cmds, char *out, size_t outlen,
	       char *err, size_t errlen)
{
	struct zf_nft *n;
	char *text = NULL;
	int rc = zf_nft_open(ns_fd, &n, err, errlen);

	if (rc < 0)
		return rc;
	rc = zf_nft_exec(n, cmds, out ? &text : NULL, err, errlen);
	if (rc == 0)
		copy_trimmed(out, outlen, text);
	free(text);
	zf_nft_close(n);
	return rc;
}

/* The process-wide cache: namespaces (device, inode) and their contexts,
 * most recently used last. */
struct cache_entry {
	dev_t dev;
	ino_t ino;
	struct zf_nft *nft;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cache_entry cache[ZF_NFT_CACHE_MAX];
static size_t cache_n;      /* guarded by cache_lock */
static int cache_atexit;

/* Move entry I to the end (most recently used); returns its new index. */
static size_t cache_touch(size_t i)
{
	struct cache_entry e = cache[i];

	memmove(&cache[i], &cache[i + 1], (cache_n - i - 1) * sizeof(e));
	cache[cache_n - 1] = e;
	return cache_n - 1;
}

/* Add NFT for namespace ST at the end, closing the oldest when full. */
static void cache_put(const struct stat *st, struct zf_nft *nft)
{
	if (cache_n == ZF_NFT_CACHE_MAX) {
		zf_nft_close(cache[0].nft);
		memmove(&cache[0], &cache[1], (cache_n - 1) * sizeof(cache[0]));
		cache_n--;
	}
	cache[cache_n++] = (struct cache_entry){ st->st_dev, st->st_ino, nft };
	if (!cache_atexit && atexit(zf_nft_cache_clear) == 0)
		cache_atexit = 1;
}

int zf_nft_cached(int ns_fd, struct zf_nft **out, char *err, size_t errlen)
{
	struct zf_nft *nft = NULL;
	struct stat st;
	int rc = 0;

	if (fstat(ns_fd, &st) < 0) {
		rc = -errno;
		snprintf(err, errlen, "namespace fd: %s", strerror(-rc));
		return rc;
	}
	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < cache_n && !nft; i++)
		if (cache[i].dev == st.st_dev && cache[i].ino == st.st_ino)
			nft = cache[cache_touch(i)].nft;
	if (!nft) {
		rc = zf_nft_open(ns_fd, &nft, err, errlen);
		if (rc == 0)
			cache_put(&st, nft);
	}
	pthread_mutex_unlock(&cache_lock);
	if (rc == 0)
		*out = nft;
	return rc;
}

void zf_nft_cache_clear(void)
{
	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < cache_n; i++)
		zf_nft_close(cache[i].nft);
	cache_n = 0;
	pthread_mutex_unlock(&cache_lock);
}
