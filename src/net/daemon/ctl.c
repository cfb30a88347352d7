/* ctl.c - the emulator's control socket DIR/ctl.sock (util/ctlsrv.h does
 * the socket work): "reload", "stats", "quit". */
#include "net/daemon/linkemd.h"
#include "net/linkem_client.h"
#include "util/ctlsrv.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

static int reload(void *ctx, uint64_t *gen, char *err, size_t errlen)
{
	struct lkd *d = ctx;
	int rc = lkd_reload(d, err, errlen);

	*gen = d->gen;
	return rc;
}

static char *stats(void *ctx)
{
	size_t len;

	return lkd_stats_json(ctx, &len);
}

static const struct zf_ctl_ops ops = { .reload = reload, .stats = stats };

int lkd_ctl_listen(struct lkd *d)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &d->ctl_ev };
	char path[108];
	int rc = zf_fmt(path, sizeof(path), "%s/%s", d->dir, ZF_LINKEM_SOCK);

	if (rc == 0)
		rc = zf_ctlsrv_open(path, &ops, d, &d->ctl);
	d->ctl_ev = (struct lkd_ev){ .kind = LKD_EV_CTL, .obj = NULL };
	if (rc == 0 && epoll_ctl(d->epfd, EPOLL_CTL_ADD, zf_ctlsrv_fd(d->ctl), &ev) < 0)
		rc = -errno;
	return rc;
}

void lkd_ctl_event(struct lkd *d)
{
	if (zf_ctlsrv_run(d->ctl))
		d->stop = true;
}

void lkd_ctl_close_all(struct lkd *d)
{
	zf_ctlsrv_close(d->ctl);
	d->ctl = NULL;
}
