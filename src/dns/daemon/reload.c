/* reload.c - applying DIR/config: parse it whole, build its zone, open
 * the listeners that are new, keep the ones still listed (same namespace
 * and address: their sockets, connections and counters stay), close the
 * ones gone, then swap the zone and faults. All or nothing: a parse error
 * or a listener that cannot bind leaves the running config as it was. */
#include "dns/daemon/server.h"
#include "dns/dns_client.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv_listener *find_running(struct srv *s,
					 const struct zf_dns_listen_cfg *lc)
{
	for (size_t i = 0; i < s->nls; i++) {
		struct srv_listener *l = s->ls[i];

		if (l->addr.s_addr == lc->addr.s_addr &&
		    strcmp(l->netns, lc->netns) == 0)
			return l;
	}
	return NULL;
}

/* Close the listeners of NEWL[0..N) opened for this config (not kept). */
static void undo_opened(struct srv *s, struct srv_listener **newl, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (newl[i] && !newl[i]->keep)
			srv_listener_close(s, newl[i]);
	}
	for (size_t i = 0; i < s->nls; i++)
		s->ls[i]->keep = false;
}

static int open_listeners(struct srv *s, const char *path,
			  const struct zf_dns_config *cfg,
			  struct srv_listener **newl, char *err, size_t errlen)
{
	char msg[768];

	for (size_t i = 0; i < s->nls; i++)
		s->ls[i]->keep = false;
	for (size_t i = 0; i < cfg->nlistens; i++) {
		const struct zf_dns_listen_cfg *lc = &cfg->listens[i];
		int rc;

		newl[i] = find_running(s, lc);
		if (newl[i]) {
			newl[i]->keep = true;
			continue;
		}
		rc = srv_listener_open(s, lc, &newl[i], msg, sizeof(msg));
		if (rc < 0) {
			snprintf(err, errlen, "%s:%u: %s", path, lc->line, msg);
			undo_opened(s, newl, i);
			return rc;
		}
	}
	return 0;
}

static void commit_listeners(struct srv *s, const struct zf_dns_config *cfg,
			     struct srv_listener **newl)
{
	for (size_t i = 0; i < s->nls; i++) {
		if (!s->ls[i]->keep)
			srv_listener_close(s, s->ls[i]);
	}
	for (size_t i = 0; i < cfg->nlistens; i++) {
		newl[i]->keep = false;
		memcpy(newl[i]->id, cfg->listens[i].id, sizeof(newl[i]->id));
	}
	free(s->ls);
	s->ls = newl;
	s->nls = cfg->nlistens;
}

static int apply(struct srv *s, const char *path, struct zf_dns_config *cfg,
		 char *err, size_t errlen)
{
	uint64_t gen = s->loaded ? s->eng.gen + 1 : 0;
	struct srv_listener **newl;
	struct dnsd_zone *zone;
	int rc = dnsd_zone_build(cfg, gen, &zone);

	if (rc < 0) {
		snprintf(err, errlen, "%s: cannot build the zone: %s", path,
			 strerror(-rc));
		return rc;
	}
	newl = zf_xcalloc(cfg->nlistens ? cfg->nlistens : 1, sizeof(*newl));
	rc = open_listeners(s, path, cfg, newl, err, errlen);
	if (rc < 0) {
		free(newl);
		dnsd_zone_unref(zone);
		return rc;
	}
	commit_listeners(s, cfg, newl);
	dnsd_engine_commit(&s->eng, cfg, zone, gen);
	s->loaded = true;
	return 0;
}

int srv_reload(struct srv *s, char *err, size_t errlen)
{
	struct zf_dns_config cfg;
	char path[4096];
	int rc;

	if (zf_fmt(path, sizeof(path), "%s/%s", s->dir, ZF_DNS_CONFIG) < 0) {
		snprintf(err, errlen, "%s: path too long", s->dir);
		return -ENAMETOOLONG;
	}
	rc = zf_dns_config_load(path, &cfg, err, errlen);
	if (rc == -ENOENT && !s->loaded)
		zf_dns_config_init(&cfg);   /* no file yet: serve nothing */
	else if (rc < 0)
		return rc;
	rc = apply(s, path, &cfg, err, errlen);
	zf_dns_config_free(&cfg);
	return rc;
}

void srv_listeners_close_all(struct srv *s)
{
	for (size_t i = 0; i < s->nls; i++)
		srv_listener_close(s, s->ls[i]);
	free(s->ls);
	s->ls = NULL;
	s->nls = 0;
}
