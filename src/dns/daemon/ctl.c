/* ctl.c - the DNS server's control socket DIR/ctl.sock (util/ctlsrv.h
 * does the socket work): "reload", "stats", "quit". */
#include "dns/daemon/server.h"
#include "dns/dns_client.h"
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
	struct srv *s = ctx;
	char msg[1200], err[1100];
	size_t len;

	if (strcmp(req, "reload") == 0) {
		if (srv_reload(s, err, sizeof(err)) == 0)
			snprintf(msg, sizeof(msg), "ok %" PRIu64, s->eng.gen);
		else
			snprintf(msg, sizeof(msg), "error %s", err);
	} else if (strcmp(req, "stats") == 0) {
		return srv_stats_json(s, &len);
	} else if (strcmp(req, "quit") == 0) {
		snprintf(msg, sizeof(msg), "ok");
		*quit = 1;
	} else {
		snprintf(msg, sizeof(msg), "error unknown request '%.40s' "
			 "(expected reload, stats or quit)", req);
	}
	return zf_xstrdup(msg);
}

int srv_ctl_listen(struct srv *s)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &s->ctl_ev };
	char path[108];
	int rc = zf_fmt(path, sizeof(path), "%s/%s", s->dir, ZF_DNS_SOCK);

	if (rc == 0)
		rc = zf_ctlsrv_open(path, handle, s, &s->ctl);
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
