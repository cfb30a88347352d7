/* vip_state.c - where a zonefall VIP is, kept in <state>/vip/<vip> so that
 * every process (inject, revert, recover, the DNS sync) sees the same:
 *
 *     owner db-b
 *     address second
 *     dns-stale first 1733470000000000000
 *
 * "address" is first or second (addrplan.h); "dns-stale" (optional) says
 * the DNS name keeps answering that address until the wall-clock time in
 * ns (0: until reverted). Written atomically and fsync'd. */
#include "lab/vip.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/num.h"
#include "util/timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STATE_MAX 4096

static int state_path(const struct zf_labrt *rt, size_t v, const char *tag,
		      char *buf, size_t len)
{
	if (tag)
		return zf_fmt(buf, len, "%s/vip/%s@%s", rt->state, rt->lab->vips[v].name,
			      tag) ? -ENAMETOOLONG : 0;
	return zf_fmt(buf, len, "%s/vip/%s", rt->state, rt->lab->vips[v].name)
		       ? -ENAMETOOLONG : 0;
}

static void state_default(const struct zf_labrt *rt, size_t v, struct zf_vip_state *st)
{
	memset(st, 0, sizeof(*st));
	st->owner = rt->lab->vips[v].owner;
}

static int parse_which(const char *w, int *second)
{
	if (!strcmp(w, "first"))
		*second = 0;
	else if (!strcmp(w, "second"))
		*second = 1;
	else
		return -EINVAL;
	return 0;
}

/* One line of words W[0..N) into ST. */
static int parse_line(const struct zf_vip *vip, const struct zf_lab *lab,
		      char **w, size_t n, struct zf_vip_state *st)
{
	if (n == 2 && !strcmp(w[0], "owner")) {
		for (size_t m = 0; m < vip->n_members; m++) {
			if (!strcmp(lab->hosts[vip->members[m]].name, w[1])) {
				st->owner = m;
				return 0;
			}
		}
		return -EINVAL;
	}
	if (n == 2 && !strcmp(w[0], "address"))
		return parse_which(w[1], &st->second);
	if (n == 3 && !strcmp(w[0], "dns-stale")) {
		st->stale = 1;
		if (parse_which(w[1], &st->stale_second) < 0)
			return -EINVAL;
		return zf_parse_u64(w[2], UINT64_MAX, &st->stale_until);
	}
	return -EINVAL;
}

/* BUF (the file's text) into ST; *LINE gets the line of an error. */
static int parse_state(const struct zf_labrt *rt, size_t v, char *buf,
		       struct zf_vip_state *st, int *line)
{
	char *save = NULL, *l;
	int rc = 0;

	*line = 0;
	for (l = strtok_r(buf, "\n", &save); rc == 0 && l; l = strtok_r(NULL, "\n", &save)) {
		char *w[4], *wsave = NULL;
		size_t n = 0;
		(*line)++;
		for (char *t = strtok_r(l, " \t", &wsave); t; t = strtok_r(NULL, " \t", &wsave))
			if (n < 4)
				w[n++] = t;
			else
				rc = -EINVAL;
		if (rc == 0 && n && w[0][0] != '#')
			rc = parse_line(&rt->lab->vips[v], rt->lab, w, n, st);
	}
	return rc;
}

int zf_vip_state_load(const struct zf_labrt *rt, size_t v, const char *tag,
		      struct zf_vip_state *st, char *err, size_t errlen)
{
	char path[600], *buf = NULL;
	size_t len;
	int line = 0, rc = state_path(rt, v, tag, path, sizeof(path));

	state_default(rt, v, st);
	if (rc == 0)
		rc = zf_read_file(path, STATE_MAX, &buf, &len);
	if (rc == -ENOENT && !tag)
		return 0;
	if (rc == 0 && strlen(buf) != len)
		rc = -EINVAL;
	if (rc == 0)
		rc = parse_state(rt, v, buf, st, &line);
	free(buf);
	if (rc == -EINVAL)
		snprintf(err, errlen, "%s:%d: damaged VIP state (expected 'owner "
			 "MEMBER', 'address first|second', 'dns-stale first|second "
			 "NS')", path, line);
	else if (rc < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	if (rc < 0)
		state_default(rt, v, st);
	return rc;
}

int zf_vip_state_save(const struct zf_labrt *rt, size_t v, const char *tag,
		      const struct zf_vip_state *st, char *err, size_t errlen)
{
	const struct zf_vip *vip = &rt->lab->vips[v];
	char path[600], text[256];
	int n, rc;

	n = snprintf(text, sizeof(text), "owner %s\naddress %s\n",
		     rt->lab->hosts[vip->members[st->owner]].name,
		     st->second ? "second" : "first");
	if (st->stale)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "dns-stale %s %llu\n",
			      st->stale_second ? "second" : "first",
			      (unsigned long long)st->stale_until);
	rc = zf_fmt(path, sizeof(path), "%s/vip", rt->state) ? -ENAMETOOLONG : 0;
	if (rc == 0)
		rc = zf_mkdir_p(path, 0700);
	if (rc == 0)
		rc = state_path(rt, v, tag, path, sizeof(path));
	if (rc == 0)
		rc = zf_write_file(path, text, (size_t)n, 0600);
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	return rc;
}

int zf_vip_state_remove(const struct zf_labrt *rt, size_t v, const char *tag)
{
	char path[600];

	if (state_path(rt, v, tag, path, sizeof(path)) < 0)
		return -ENAMETOOLONG;
	return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
}

uint32_t zf_vip_state_addr(const struct zf_labrt *rt, size_t v,
			   const struct zf_vip_state *st)
{
	return zf_plan_vip_addr(&rt->plan, v, st->second);
}

int zf_vip_dns_addr(const struct zf_labrt *rt, size_t vip, uint32_t *ip)
{
	struct zf_vip_state st;
	char err[256];
	int rc;

	if (vip >= rt->lab->n_vips)
		return -EINVAL;
	if (rt->lab->vips[vip].manager == ZF_VIP_KEEPALIVED) {
		*ip = zf_plan_vip_addr(&rt->plan, vip, 0);
		return 0;
	}
	rc = zf_vip_state_load(rt, vip, NULL, &st, err, sizeof(err));
	if (rc < 0)
		return rc;
	if (st.stale && (!st.stale_until || zf_wall_ns() < st.stale_until))
		*ip = zf_plan_vip_addr(&rt->plan, vip, st.stale_second);
	else
		*ip = zf_vip_state_addr(rt, vip, &st);
	return 0;
}
