/* dns_config_fmt.c - the DNS config model as file text, for the lab side:
 * it builds a struct zf_dns_config and writes DIR/config with this, so the
 * daemon and the caller cannot disagree on the format. */
#include "dns/dns_config.h"
#include "dns/dns_config_int.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/text.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>



static const char *ip(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static void add_records(struct zf_text *t, const struct zf_dns_config *cfg)
{
	char a[INET_ADDRSTRLEN];

	for (size_t i = 0; i < cfg->nas; i++) {
		const struct zf_dns_a_cfg *r = &cfg->as[i];

		zf_text_add(t, "a %s %" PRIu32 " %s%s\n", r->name, r->ttl,
			 ip(r->addr, a), r->down ? " health=down" : "");
	}
	for (size_t i = 0; i < cfg->ncnames; i++) {
		const struct zf_dns_cname_cfg *c = &cfg->cnames[i];

		zf_text_add(t, "cname %s %" PRIu32 " %s\n", c->name, c->ttl,
			 c->target);
	}
	for (size_t i = 0; i < cfg->nrrsets; i++) {
		const struct zf_dns_rrset_cfg *r = &cfg->rrsets[i];

		zf_text_add(t, "rrset %s order=%s health=%s\n", r->name,
			 r->roundrobin ? "roundrobin" : "fixed",
			 r->health_aware ? "aware" : "ignore");
	}
}

static void add_all(struct zf_text *t, const struct zf_dns_config *cfg)
{
	char a[INET_ADDRSTRLEN], arg[64];

	zf_text_add(t, "# zonefall-dns config (written by zonefall)\n");
	if (cfg->zone[0])
		zf_text_add(t, "zone %s\n", cfg->zone);
	if (cfg->udp_max != ZF_DNS_UDP_MAX_DEFAULT)
		zf_text_add(t, "udp-max %u\n", (unsigned)cfg->udp_max);
	for (size_t i = 0; i < cfg->nlistens; i++) {
		const struct zf_dns_listen_cfg *l = &cfg->listens[i];

		zf_text_add(t, "listen %s %s %s\n", l->id, l->netns,
			 ip(l->addr, a));
	}
	add_records(t, cfg);
	for (size_t i = 0; i < cfg->nfaults; i++) {
		const struct zf_dns_fault_cfg *f = &cfg->faults[i];

		zf_dns_fault_arg(f, arg, sizeof(arg));
		zf_text_add(t, "fault %s %s %s %s%s%s\n", f->id, f->resolver,
			 f->pattern, zf_dns_fault_mode_name(f->mode),
			 arg[0] ? " " : "", arg);
	}
}

/* Fields written by hand into the struct (not through the builders) could
 * smuggle extra words or lines: the text must read back as many records. */
static bool same_shape(const struct zf_dns_config *a,
		       const struct zf_dns_config *b)
{
	return strcmp(a->zone, b->zone) == 0 && a->nlistens == b->nlistens &&
	       a->nas == b->nas && a->ncnames == b->ncnames &&
	       a->nrrsets == b->nrrsets && a->nfaults == b->nfaults;
}

int zf_dns_config_format(const struct zf_dns_config *cfg, char **text,
			 size_t *len, char *err, size_t errlen)
{
	struct zf_text t;
	struct zf_dns_config check;
	int rc;

	/* Checks between records first: their messages name the records,
	 * not lines of a text the caller never saw. */
	rc = zf_dns_config_check(cfg, NULL, err, errlen);
	if (rc < 0)
		return rc;
	t = (struct zf_text){ .s = zf_xmalloc(256), .cap = 256 };
	t.s[0] = '\0';
	add_all(&t, cfg);
	/* The daemon's parser is the definition of valid: it checks every
	 * record (builders' checks and those between records) on the very
	 * text the daemon will read. Its messages say "config:LINE:". */
	rc = zf_dns_config_parse("config", t.s, t.len, &check, err, errlen);
	if (rc == 0 && !same_shape(cfg, &check)) {
		snprintf(err, errlen, "a field holds a space or a line break");
		rc = -EINVAL;
	}
	zf_dns_config_free(&check);
	if (rc < 0) {
		free(t.s);
		return rc;
	}
	*text = t.s;
	*len = t.len;
	return 0;
}

int zf_dns_config_write(const char *dir, const struct zf_dns_config *cfg,
			char *err, size_t errlen)
{
	char path[4096], *text = NULL;
	size_t len = 0;
	int rc;

	rc = zf_fmt(path, sizeof(path), "%s/config", dir);
	if (rc < 0) {
		snprintf(err, errlen, "%s/config: path too long", dir);
		return rc;
	}
	rc = zf_dns_config_format(cfg, &text, &len, err, errlen);
	if (rc < 0)
		return rc;
	rc = zf_put_file(path, text, len, 0600);
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	free(text);
	return rc;
}
