/* drill_dns.c - bind a dns probe of the scenario to the lab: the name as
 * the users of its host ask it, the server they ask, and the answer set
 * expected, in the lab's addresses.
 *
 * - A name without a dot gets the lab's domain ("www" -> "www.lab"), as
 *   the search line of the hosts' resolv.conf does; any other name is
 *   asked as written.
 * - The server is the scenario's, or else the first IPv4 nameserver of
 *   the host's own /etc/resolv.conf, read through its init
 *   (/proc/PID/root), so that it is the file the host's programs see.
 * - expect_addrs: an IP literal is itself; a host or client name (with or
 *   without ".DOMAIN") is its address in the address plan; a DNS record
 *   name of the lab file is the addresses of all its hosts; a VIP name is
 *   the VIP's address (its first: the one its name answers unless a fault
 *   made DNS stale). */
#include "engine/drill_int.h"
#include "lab/host.h"
#include "probe/dns_resolv.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "scenario.yaml:LINE:COL: probe NAME: message" into ERR; -EINVAL. */
__attribute__((format(printf, 5, 6)))
static int dns_err(const struct drill *d, const struct zf_scn_probe *p,
		   char *err, size_t errlen, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%d:%d: probe %s: %s", d->scn->path,
		 p->mark.line, p->mark.col, p->name, msg);
	return -EINVAL;
}

/* The name to ask: as written, or NAME.DOMAIN when it has no dot. */
static int query_name(const struct drill *d, const struct zf_scn_probe *p,
		      struct zf_probe_spec *s)
{
	char *out = s->dns_name;
	size_t len = sizeof(s->dns_name);

	if (strchr(p->dns_name, '.'))
		return zf_fmt(out, len, "%s", p->dns_name);
	return zf_fmt(out, len, "%s.%s", p->dns_name, d->rt->lab->domain);
}

/* The first IPv4 nameserver of HOST's /etc/resolv.conf into *IP. */
static int host_resolver(const struct drill *d, size_t host, uint32_t *ip)
{
	pid_t pid = zf_host_init_pid(d->rt, host);
	char path[64], *text = NULL;
	size_t len = 0;
	int rc;

	if (pid <= 0)
		return -EHOSTDOWN;
	zf_fmt(path, sizeof(path), "/proc/%d/root/etc/resolv.conf", (int)pid);
	rc = zf_read_file(path, ZF_RESOLV_MAX, &text, &len);
	if (rc == 0)
		rc = zf_dns_resolv_first(text, len, ip);
	free(text);
	return rc;
}

static int plan_server(const struct drill *d, const struct zf_scn_probe *p,
		       size_t host, struct zf_probe_spec *s, char *err,
		       size_t errlen)
{
	uint32_t ip = p->dns_server;
	int rc = 0;

	if (!ip)
		rc = host_resolver(d, host, &ip);
	if (rc == -ENOENT)
		return dns_err(d, p, err, errlen, "%s's /etc/resolv.conf names "
			       "no IPv4 nameserver; give the probe a 'server'",
			       p->from);
	if (rc < 0)
		return dns_err(d, p, err, errlen, "cannot read %s's "
			       "/etc/resolv.conf (%s); give the probe a "
			       "'server'", p->from, strerror(-rc));
	memset(&s->addr, 0, sizeof(s->addr));
	s->addr.sin_family = AF_INET;
	s->addr.sin_port = htons((uint16_t)p->dns_port);
	s->addr.sin_addr.s_addr = htonl(ip);
	return 0;
}

/* Append IP (host byte order) to A, which holds *N of at most
 * ZF_DNS_MAX_EXPECT addresses; -E2BIG when full. */
static int add_ip(struct zf_dns_addr *a, size_t *n, uint32_t ip)
{
	uint32_t be = htonl(ip);

	if (*n >= ZF_DNS_MAX_EXPECT)
		return -E2BIG;
	memset(&a[*n], 0, sizeof(a[*n]));
	memcpy(a[(*n)++].b, &be, 4);
	return 0;
}

/* NAME without ".DOMAIN" (and a final dot) into BASE; -ENOENT if too
 * long to be a lab name. */
static int base_name(const struct zf_lab *lab, const char *name,
		     char base[ZF_NAME_MAX + 1])
{
	size_t n = strlen(name), dl = strlen(lab->domain);

	if (n && name[n - 1] == '.')
		n--;
	if (n > dl + 1 && name[n - dl - 1] == '.' &&
	    !strncmp(name + n - dl, lab->domain, dl))
		n -= dl + 1;
	if (n > ZF_NAME_MAX)
		return -ENOENT;
	memcpy(base, name, n);
	base[n] = '\0';
	return 0;
}

/* The addresses NAME stands for in the lab, appended to A. -ENOENT when
 * it is no host, client, DNS record or VIP; -E2BIG past
 * ZF_DNS_MAX_EXPECT. */
static int lab_addrs(const struct zf_labrt *rt, const char *name,
		     struct zf_dns_addr *a, size_t *n)
{
	const struct zf_lab *lab = rt->lab;
	char base[ZF_NAME_MAX + 1];
	uint32_t ip;
	int h, rc = 0;

	if (zf_ip_parse(name, &ip) == 0)
		return add_ip(a, n, ip);
	if (base_name(lab, name, base) < 0)
		return -ENOENT;
	h = zf_lab_find_host(lab, base);
	if (h >= 0)
		return add_ip(a, n, rt->plan.host_ip[h]);
	for (size_t r = 0; r < lab->n_records; r++) {
		const struct zf_dns_record *rec = &lab->records[r];

		if (strcmp(rec->name, base))
			continue;
		for (size_t k = 0; rc == 0 && k < rec->n_hosts; k++)
			rc = add_ip(a, n, rt->plan.host_ip[rec->hosts[k]]);
		return rc;
	}
	h = zf_lab_find_vip(lab, base);
	if (h >= 0)
		return add_ip(a, n, zf_plan_vip_addr(&rt->plan, (size_t)h, 0));
	return -ENOENT;
}

/* One entry of expect_addrs appended to A. */
static int expect_one(const struct drill *d, const struct zf_scn_probe *p,
		      const char *name, struct zf_dns_addr *a, size_t *n,
		      char *err, size_t errlen)
{
	int rc;

	if (!strcmp(p->dns_type, "AAAA")) {
		if (*n >= ZF_DNS_MAX_EXPECT)     /* the spec caps the list */
			return -E2BIG;
		if (inet_pton(AF_INET6, name, a[*n].b) != 1)
			return dns_err(d, p, err, errlen, "'%s' in expect_addrs "
				       "is not an IPv6 address", name);
		(*n)++;
		return 0;
	}
	rc = lab_addrs(d->rt, name, a, n);
	if (rc == -E2BIG)
		return dns_err(d, p, err, errlen, "expect_addrs stands for more "
			       "than %d addresses", ZF_DNS_MAX_EXPECT);
	if (rc < 0)
		return dns_err(d, p, err, errlen, "'%s' in expect_addrs is no "
			       "host, client, DNS record or VIP of lab %s", name,
			       d->rt->lab->name);
	return 0;
}

static int plan_expect(const struct drill *d, const struct zf_scn_probe *p,
		       struct zf_probe_spec *s, char *err, size_t errlen)
{
	struct zf_dns_addr *a;
	size_t n = 0;
	int rc = 0;

	s->dns_expect_count = p->dns_count;
	if (!p->dns_addrs)
		return 0;
	a = zf_xcalloc(ZF_DNS_MAX_EXPECT, sizeof(*a));
	for (size_t i = 0; rc == 0 && p->dns_addrs[i]; i++)
		rc = expect_one(d, p, p->dns_addrs[i], a, &n, err, errlen);
	if (rc == 0 && n == 0)
		rc = dns_err(d, p, err, errlen, "expect_addrs stands for no "
			     "address");
	if (rc < 0) {
		free(a);
		return rc;
	}
	s->dns_expect = a;           /* freed by drill_plan_free */
	s->dns_n_expect = n;
	return 0;
}

int drill_plan_dns(struct drill *d, size_t i, size_t host, char *err,
		   size_t errlen)
{
	const struct zf_scn_probe *p = &d->scn->probes[i];
	struct zf_probe_spec *s = &d->specs[i];
	int rc;

	s->kind = ZF_PROBE_DNS;
	if (query_name(d, p, s) < 0)
		return dns_err(d, p, err, errlen, "the name '%s' is too long",
			       p->dns_name);
	s->dns_type = !strcmp(p->dns_type, "AAAA") ? ZF_DNS_TYPE_AAAA
						   : ZF_DNS_TYPE_A;
	rc = plan_server(d, p, host, s, err, errlen);
	if (rc == 0)
		rc = plan_expect(d, p, s, err, errlen);
	return rc;
}
