/* ctl.c - the emulator's control socket DIR/ctl.sock (util/ctlsrv.h does
 * the socket work): "reload", "stats", "quit". */
#include "net/daemon/linkemd.h"
#include "net/linkem_client.h"
#include "util/ctlsrv.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

static char *handle(void *ctx, const char *req, int *quit)
{
	struct lkd *d = ctx;
	char msg[1100], err[1024];
	size_t len;

	if (strcmp(req, "reload") == 0) {
		if (lkd_reload(d, err, sizeof(err)) == 0)
			snprintf(msg, sizeof(msg), "ok %" PRIu64, d->gen);
		else
			snprintf(msg, sizeof(msg), "error %s", err);
	} else if (strcmp(req, "stats") == 0) {
		return lkd_stats_json(d, &len);
	} else if (strcmp(req, "quit") == 0) {
		snprintf(msg, sizeof(msg), "ok");
		*quit = 1;
	} else {
		snprintf(msg, sizeof(msg), "error unknown request '%.40s' "
			 "(expected reload, stats or quit)", req);
	}
	return zf_xstrdup(msg);
}

int lkd_ctl_listen(struct lkd *d)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &d->ctl_ev };
	char path[108];
	int rc = zf_fmt(path, sizeof(path), "%s/%s", d->dir, ZF_LINKEM_SOCK);

	if (rc == 0)
		rc = zf_ctlsrv_open(path, handle, d, &d->ctl);
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
