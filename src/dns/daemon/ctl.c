/* ctl.c - the DNS server's control socket DIR/ctl.sock (util/ctlsrv.h
 * does the socket work): "reload", "stats", "quit". */
#include "dns/daemon/server.h"
#include "dns/dns_client.h"
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
	struct srv *d = ctx;
	int rc = srv_reload(d, err, errlen);

	*gen = d->eng.gen;
	return rc;
}

static char *stats(void *ctx)
{
	size_t len;

	return srv_stats_json(ctx, &len);
}

static const struct zf_ctl_ops ops = { .reload = reload, .stats = stats };

int srv_ctl_listen(struct srv *s)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &s->ctl_ev };
	char path[108];
	int rc = zf_fmt(path, sizeof(path), "%s/%s", s->dir, ZF_DNS_SOCK);

	if (rc == 0)
		rc = zf_ctlsrv_open(path, &ops, s, &s->ctl);
	s->ctl_ev = (struct srv_ev){ .kind = SRV_EV_CTL, .obj = NULL };
	if (rc == 0 && epoll_ctl(s->epfd, EPOLL_CTL_ADD, zf_ctlsrv_fd(s->ctl), &ev) < 0)
		rc = -errno;
	return rc;
}

void srv_ctl_event(struct srv *s)
{
	if (zf_ctlsrv_run(s->ctl))
		s->stop = true;
}

void srv_ctl_close_all(struct srv *s)
{
	zf_ctlsrv_close(s->ctl);
	s->ctl = NULL;
}
