/* scenario_probe_dns.c - the "dns" kind of probe as written in a
 * scenario:
 *
 *   dns: { name: "www.lab", type: A, expect_addrs: [lb-a, lb-b],
 *          server: "198.18.255.2" }         # or expect_count: 2
 *
 * name is required; type A (default) or AAAA; at most one of expect_addrs
 * (1 to ZF_SCN_DNS_MAX_ADDRS host or DNS record names of the lab, or IP
 * literals; only IPv6 literals for AAAA, lab hosts having IPv4 addresses
 * only) and expect_count (1..1024); server is "IPV4" or "IPV4:PORT"
 * (default: the resolver of the probe host's resolv.conf, port 53). Names
 * are only checked for syntax here: the engine resolves them against the
 * lab. from, rate, timeout and slow belong to the probe, beside "dns". */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spec/scenario_load.h"
#include "util/log.h"
#include "util/mem.h"

#define DNS_NAME_MAX 253
#define DNS_LABEL_MAX 63
#define DNS_COUNT_MAX 1024
#define DNS_PORT 53
#define LABEL_CHARS "abcdefghijklmnopqrstuvwxyz" \
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"

enum { D_NAME, D_TYPE, D_ADDRS, D_COUNT, D_SERVER, D_N };

static const char *const probe_keys[] = { "from", "rate", "timeout", "slow",
					  "expect" };
#define N_PROBE_KEYS (sizeof(probe_keys) / sizeof(*probe_keys))

/* What is wrong with the DNS name S (labels of letters, digits, '-' and
 * '_', 1..63 bytes each, 253 in all, one final dot allowed); NULL if
 * nothing. */
static const char *name_problem(const char *s)
{
	size_t len = strlen(s), label = 0;

	if (len && s[len - 1] == '.')
		len--;
	if (len == 0 || len > DNS_NAME_MAX)
		return "expected a name of 1 to 253 characters";
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return "empty label (two dots, or a dot first)";
			label = 0;
			continue;
		}
		if (!strchr(LABEL_CHARS, s[i]))
			return "labels are letters, digits, '-' and '_'";
		if (++label > DNS_LABEL_MAX)
			return "a label is longer than 63 characters";
	}
	return NULL;
}

/* from, rate, timeout, slow or expect written inside "dns": say where
 * they go. */
static int misplaced(struct zf_sl *sl, const struct zf_ynode *n,
		     const char *what)
{
	if (n->kind != ZF_YMAP)
		return 0;
	for (size_t i = 0; i < n->n; i++) {
		const struct zf_ynode *k = zf_ymap_key(n, i);

		for (size_t j = 0; j < N_PROBE_KEYS; j++) {
			if (k->kind != ZF_YSCALAR || strcmp(k->str, probe_keys[j]))
				continue;
			return zf_sc_err(&sl->sc, k->mark, "'%s' belongs to %s "
					 "itself, beside 'dns', not inside "
					 "'dns'", probe_keys[j], what);
		}
	}
	return 0;
}

static int parse_name(struct zf_sl *sl, struct zf_scn_probe *p,
		      const struct zf_ynode *n, const char *what)
{
	const char *t, *why;
	char where[96];
	int rc;

	zf_fmt(where, sizeof(where), "'name' of %s", what);
	rc = zf_sl_text(sl, n, where, &t);
	if (rc < 0)
		return rc;
	why = name_problem(t);
	if (why)
		return zf_sc_err(&sl->sc, n->mark, "bad DNS name '%.64s' for "
				 "%s: %s", t, where, why);
	p->dns_name = zf_xstrdup(t);
	return 0;
}

static int parse_type(struct zf_sl *sl, struct zf_scn_probe *p,
		      const struct zf_ynode *n, const char *what)
{
	const char *t;
	char where[96];
	int rc;

	memcpy(p->dns_type, "A", 2);
	if (!n)
		return 0;
	zf_fmt(where, sizeof(where), "'type' of %s", what);
	rc = zf_sl_text(sl, n, where, &t);
	if (rc == 0 && strcasecmp(t, "A") != 0 && strcasecmp(t, "AAAA") != 0)
		rc = zf_sc_err(&sl->sc, n->mark, "expected A or AAAA for %s, "
			       "got '%.64s'", where, t);
	if (rc == 0)
		memcpy(p->dns_type, strlen(t) == 1 ? "A" : "AAAA",
		       strlen(t) + 1);
	return rc;
}

/* What is wrong with T as an expected address of a TYPE query; NULL if
 * nothing. */
static const char *addr_problem(const char *t, const char *type)
{
	unsigned char buf[16];

	if (strcmp(type, "AAAA") == 0)
		return inet_pton(AF_INET6, t, buf) == 1 ? NULL :
		       "lab hosts have IPv4 addresses only: an AAAA probe "
		       "expects IPv6 addresses";
	if (inet_pton(AF_INET, t, buf) == 1)
		return NULL;
	return name_problem(t) ? "expected a host or DNS record name of the "
				 "lab, or an IPv4 address" : NULL;
}

static int parse_addr(struct zf_sl *sl, struct zf_scn_probe *p,
		      const struct zf_ynode *n, const char *where, size_t i)
{
	const char *t, *why;
	int rc = zf_sl_text(sl, n, where, &t);

	if (rc < 0)
		return rc;
	why = addr_problem(t, p->dns_type);
	if (why)
		return zf_sc_err(&sl->sc, n->mark, "bad address '%.64s' in %s: "
				 "%s", t, where, why);
	p->dns_addrs[i] = zf_xstrdup(t);
	return 0;
}

static int parse_addrs(struct zf_sl *sl, struct zf_scn_probe *p,
		       const struct zf_ynode *n, const char *what)
{
	char where[96];
	int rc = 0;

	zf_fmt(where, sizeof(where), "'expect_addrs' of %s", what);
	if (n->kind != ZF_YSEQ || n->n == 0 || n->n > ZF_SCN_DNS_MAX_ADDRS)
		return zf_sc_err(&sl->sc, n->kind == ZF_YSEQ && n->n ?
				 n->kids[ZF_SCN_DNS_MAX_ADDRS]->mark : n->mark,
				 "expected a list of 1 to %d addresses or names "
				 "for %s", ZF_SCN_DNS_MAX_ADDRS, where);
	p->dns_addrs = zf_xcalloc(n->n + 1, sizeof(*p->dns_addrs));
	for (size_t i = 0; rc == 0 && i < n->n; i++)
		rc = parse_addr(sl, p, n->kids[i], where, i);
	return rc;
}

static int parse_count(struct zf_sl *sl, struct zf_scn_probe *p,
		       const struct zf_ynode *n, const char *what)
{
	char where[96];
	long long v;
	int rc;

	zf_fmt(where, sizeof(where), "'expect_count' of %s", what);
	rc = zf_sl_integer(sl, n, where, 1, DNS_COUNT_MAX, &v);
	if (rc == 0)
		p->dns_count = (int)v;
	return rc;
}

/* "IPV4" or "IPV4:PORT" into P's server and port; 0 or -EINVAL. */
static int server_of(const char *t, struct zf_scn_probe *p)
{
	char ip[INET_ADDRSTRLEN];
	const char *colon = strchr(t, ':');
	size_t n = colon ? (size_t)(colon - t) : strlen(t);
	struct in_addr a;
	char *end;
	long port = DNS_PORT;

	if (n == 0 || n >= sizeof(ip))
		return -EINVAL;
	memcpy(ip, t, n);
	ip[n] = '\0';
	if (inet_pton(AF_INET, ip, &a) != 1 || a.s_addr == 0)
		return -EINVAL;
	if (colon) {
		if (colon[1] < '0' || colon[1] > '9')
			return -EINVAL;
		port = strtol(colon + 1, &end, 10);
		if (*end || port < 1 || port > 65535)
			return -EINVAL;
	}
	p->dns_server = ntohl(a.s_addr);
	p->dns_port = (int)port;
	return 0;
}

static int parse_server(struct zf_sl *sl, struct zf_scn_probe *p,
			const struct zf_ynode *n, const char *what)
{
	const char *t;
	char where[96];
	int rc;

	zf_fmt(where, sizeof(where), "'server' of %s", what);
	rc = zf_sl_text(sl, n, where, &t);
	if (rc == 0 && server_of(t, p) < 0)
		rc = zf_sc_err(&sl->sc, n->mark, "expected an IPv4 address like "
			       "198.18.255.2, or 198.18.255.2:5353 with a port, "
			       "for %s, got '%.64s'", where, t);
	return rc;
}

/* The optional fields, in order: type before the addresses it checks. */
static int parse_optional(struct zf_sl *sl, struct zf_scn_probe *p,
			  const struct zf_sc_field *f, const char *what)
{
	int rc = parse_type(sl, p, f[D_TYPE].val, what);

	if (rc == 0 && f[D_ADDRS].val && f[D_COUNT].val)
		rc = zf_sc_err(&sl->sc, f[D_COUNT].key->mark, "%s has both "
			       "'expect_addrs' and 'expect_count': give the "
			       "answer set or its size, not both", what);
	if (rc == 0 && f[D_ADDRS].val)
		rc = parse_addrs(sl, p, f[D_ADDRS].val, what);
	if (rc == 0 && f[D_COUNT].val)
		rc = parse_count(sl, p, f[D_COUNT].val, what);
	if (rc == 0 && f[D_SERVER].val)
		rc = parse_server(sl, p, f[D_SERVER].val, what);
	return rc;
}

int zf_sl_dns(struct zf_sl *sl, struct zf_scn_probe *p,
	      const struct zf_ynode *n, const char *what)
{
	struct zf_sc_field f[D_N] = {
		[D_NAME] = { .name = "name" }, [D_TYPE] = { .name = "type" },
		[D_ADDRS] = { .name = "expect_addrs" },
		[D_COUNT] = { .name = "expect_count" },
		[D_SERVER] = { .name = "server" },
	};
	char where[96];
	int rc;

	p->kind = ZF_SCN_DNS;
	p->dns_port = DNS_PORT;
	zf_fmt(where, sizeof(where), "'dns' of %s", what);
	rc = misplaced(sl, n, what);
	if (rc == 0)
		rc = zf_sc_fields(&sl->sc, n, where, f, D_N);
	if (rc == 0)
		rc = zf_sc_require(&sl->sc, n, where, &f[D_NAME]);
	if (rc == 0)
		rc = parse_name(sl, p, f[D_NAME].val, what);
	if (rc == 0)
		rc = parse_optional(sl, p, f, what);
	return rc;
}
