/* write_nodes.c - names for write probes: the value prefix of a run, the
 * values of earlier runs, the lab names of the nodes a client is sent to,
 * the budget of one attempt among several, the driver of a system. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "probe/write_int.h"
#include "util/log.h"
#include "util/timeutil.h"

#define STAMP_LEN 15            /* YYYYmmddTHHMMSS */
#define RUN_PART (3 + STAMP_LEN + 1 + 4 + 1)   /* "zf-" stamp "-" nonce "-" */

int zf_wprefix(char *buf, size_t len, uint64_t wall_ns, unsigned nonce,
	       const char *probe)
{
	time_t secs = (time_t)(wall_ns / ZF_NS_PER_S);
	char stamp[32];
	size_t room;
	struct tm tm;

	if (!probe[0] || len < ZF_LEDGER_MAX_PREFIX + 1)
		return -EINVAL;
	gmtime_r(&secs, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	room = ZF_LEDGER_MAX_PREFIX - RUN_PART - 1;
	return zf_fmt(buf, len, "zf-%s-%04x-%.*s-", stamp, nonce & 0xffffu,
		      (int)room, probe);
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int zf_wvalue_other_run(const char *prefix, const char *v, size_t len)
{
	if (len < RUN_PART || memcmp(v, "zf-", 3) != 0 ||
	    !all_digits(v + 3, 8) || v[11] != 'T' || !all_digits(v + 12, 6) ||
	    v[18] != '-' || v[23] != '-')
		return 0;
	return strlen(prefix) < RUN_PART || memcmp(v, prefix, RUN_PART) != 0;
}

void zf_wnode_name(const struct zf_wspec *s, uint32_t ip, int port,
		   char *buf, size_t len)
{
	struct in_addr a = { htonl(ip) };
	char txt[INET_ADDRSTRLEN] = "?";

	for (size_t i = 0; i < s->n_names; i++)
		if (ntohl(s->names[i].addr.sin_addr.s_addr) == ip) {
			zf_fmt(buf, len, "%s", s->names[i].name);
			return;
		}
	inet_ntop(AF_INET, &a, txt, sizeof(txt));
	zf_fmt(buf, len, "%s:%d", txt, port);
}

int zf_wnode_lookup(const struct zf_wspec *s, const char *host, uint32_t *ip)
{
	struct in_addr a;
	size_t n;

	if (inet_pton(AF_INET, host, &a) == 1) {
		*ip = ntohl(a.s_addr);
		return 0;
	}
	n = strcspn(host, ".");         /* "redis-a.lab" is redis-a */
	for (size_t i = 0; i < s->n_names; i++) {
		const char *name = s->names[i].name;

		if (!strcmp(name, host) ||
		    (strlen(name) == n && !strncmp(name, host, n))) {
			*ip = ntohl(s->names[i].addr.sin_addr.s_addr);
			return 0;
		}
	}
	return -ENOENT;
}

uint64_t zf_wtry_deadline(uint64_t deadline, size_t left)
{
	uint64_t now = zf_now_ns(), share;

	if (deadline <= now)
		return deadline;
	share = (deadline - now) / (left ? left : 1);
	if (share < ZF_WTRY_MIN_NS)
		share = ZF_WTRY_MIN_NS;
	return now + share < deadline ? now + share : deadline;
}

const struct zf_wdriver *zf_wdriver_of(enum zf_wsys sys)
{
	switch (sys) {
	case ZF_WSYS_REDIS: return &zf_wdriver_redis;
	case ZF_WSYS_ETCD: return &zf_wdriver_etcd;
	case ZF_WSYS_SQL: return &zf_wdriver_sql;
	case ZF_WSYS_HTTP: return &zf_wdriver_http;
	}
	return NULL;
}
