/* labdns.c - the life of the lab's DNS server and the name files hosts see
 * (labdns.h has the contract). */
#include "lab/labdns_priv.h"
#include "dns/dns_client.h"
#include "lab/addrplan.h"
#include "lab/daemon.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RELOAD_MS 3000

static const struct zf_daemon_kind dns_daemon = {
	.env = "ZF_DNS", .binary = ZF_DNS_BINARY, .what = "DNS server",
};

int zf_labdns_dir(const struct zf_labrt *rt, char *buf, size_t len)
{
	return zf_fmt(buf, len, "%s/dns", rt->state) ? -ENAMETOOLONG : 0;
}

uint32_t zf_labdns_resolver(const struct zf_labrt *rt, size_t region)
{
	if (region == ZF_LABDNS_CLIENTS)
		return zf_plan_gear_id(&rt->plan, ZF_GEAR_INTERNET, 0);
	return zf_plan_gear_id(&rt->plan, ZF_GEAR_REGION, region);
}

static size_t host_region(const struct zf_lab *lab, size_t host)
{
	const struct zf_host *h = &lab->hosts[host];

	return h->is_client ? ZF_LABDNS_CLIENTS : (size_t)h->region;
}

uint32_t zf_labdns_host_resolver(const struct zf_labrt *rt, size_t host)
{
	return zf_labdns_resolver(rt, host_region(rt->lab, host));
}

int zf_labdns_resolv_path(const struct zf_labrt *rt, size_t host, char *buf,
			  size_t len)
{
	size_t r = host_region(rt->lab, host);

	if (r == ZF_LABDNS_CLIENTS)
		return zf_fmt(buf, len, "%s/resolv.public.conf", rt->state) ? -ENAMETOOLONG : 0;
	return zf_fmt(buf, len, "%s/resolv.r.%s.conf", rt->state,
		      rt->lab->regions[r].name) ? -ENAMETOOLONG : 0;
}

int zf_labdns_hosts_path(const struct zf_labrt *rt, size_t host, char *buf,
			 size_t len)
{
	return zf_labrt_host_dir(rt, host, "hosts", buf, len) ? -ENAMETOOLONG : 0;
}

/* resolv.conf naming resolver IP: one attempt, one second, and the lab's
 * domain searched so that short names ("www") resolve. */
static int write_resolv(const struct zf_labrt *rt, size_t host, char *err,
			size_t errlen)
{
	char text[512], ip[16], path[PATH_MAX];
	int rc;

	zf_ip_format(zf_labdns_host_resolver(rt, host), ip, sizeof(ip));
	zf_fmt(text, sizeof(text), "# zonefall lab %s: the lab's DNS server\n"
	       "nameserver %s\nsearch %s\noptions ndots:1 timeout:1 attempts:1\n",
	       rt->lab->name, ip, rt->lab->domain);
	zf_labdns_resolv_path(rt, host, path, sizeof(path));
	rc = zf_put_file(path, text, strlen(text), 0644);
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	return rc;
}

static int write_hosts(const struct zf_labrt *rt, size_t host, char *err,
		       size_t errlen)
{
	const struct zf_host *h = &rt->lab->hosts[host];
	char text[512], ip[16], path[PATH_MAX];
	int rc;

	zf_ip_format(rt->plan.host_ip[host], ip, sizeof(ip));
	zf_fmt(text, sizeof(text), "# zonefall lab %s: other names come from DNS\n"
	       "127.0.0.1\tlocalhost\n%s\t%s.%s %s\n", rt->lab->name, ip, h->name,
	       rt->lab->domain, h->name);
	zf_labdns_hosts_path(rt, host, path, sizeof(path));
	rc = zf_put_file(path, text, strlen(text), 0644);
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	return rc;
}

int zf_labdns_host_files(const struct zf_labrt *rt, char *err, size_t errlen)
{
	int rc = 0;

	for (size_t h = 0; rc == 0 && h < rt->lab->n_hosts; h++) {
		rc = write_hosts(rt, h, err, errlen);
		if (rc == 0)
			rc = write_resolv(rt, h, err, errlen);
	}
	return rc;
}

/* Build the config (keeping the faults of KEEP, or F[0..N) when KEEP is
 * NULL) and write it into DIR. */
static int write_config(const struct zf_labrt *rt, const char *dir, int all_up,
			const struct zf_dns_config *keep,
			const struct zf_dns_fault_cfg *f, size_t n, char *err,
			size_t errlen)
{
	struct zf_dns_config cfg;
	int rc = zf_labdns_build(rt, all_up, &cfg, err, errlen);

	if (keep) {
		f = keep->faults;
		n = keep->nfaults;
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = zf_dns_config_add_fault(&cfg, &f[i], err, errlen);
	if (rc == 0)
		rc = zf_dns_config_write(dir, &cfg, err, errlen);
	zf_dns_config_free(&cfg);
	return rc;
}

int zf_labdns_start(const struct zf_labrt *rt, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	int rc = zf_labdns_dir(rt, dir, sizeof(dir));

	if (rc == 0)
		rc = zf_mkdir_p(dir, 0700);
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(-rc));
		return rc;
	}
	rc = write_config(rt, dir, 1, NULL, NULL, 0, err, errlen);
	if (rc == 0)
		rc = zf_daemon_ensure(&dns_daemon, dir, err, errlen);
	return rc;
}

/* Rewrite and reload, with the faults of the running config (KEEP) or F. */
static int resync(const struct zf_labrt *rt, int keep_faults,
		  const struct zf_dns_fault_cfg *f, size_t n, char *err, size_t errlen)
{
	struct zf_dns_config old;
	char dir[PATH_MAX], path[PATH_MAX];
	uint64_t gen;
	int rc = zf_labdns_dir(rt, dir, sizeof(dir));

	zf_dns_config_init(&old);
	if (rc == 0 && keep_faults) {
		zf_fmt(path, sizeof(path), "%s/%s", dir, ZF_DNS_CONFIG);
		rc = zf_dns_config_load(path, &old, err, errlen);
		if (rc == -ENOENT)
			rc = 0;
	}
	if (rc == 0)
		rc = write_config(rt, dir, 0, keep_faults ? &old : NULL, f, n, err,
				  errlen);
	zf_dns_config_free(&old);
	if (rc == 0)
		rc = zf_daemon_ensure(&dns_daemon, dir, err, errlen);
	if (rc == 0)
		rc = zf_dns_reload(dir, &gen, err, errlen, RELOAD_MS);
	return rc;
}

int zf_labdns_sync(const struct zf_labrt *rt, char *err, size_t errlen)
{
	return resync(rt, 1, NULL, 0, err, errlen);
}

int zf_labdns_set_faults(const struct zf_labrt *rt,
			 const struct zf_dns_fault_cfg *f, size_t n, char *err,
			 size_t errlen)
{
	return resync(rt, 0, f, n, err, errlen);
}

int zf_labdns_restore(const struct zf_labrt *rt, int *restarted, char *err,
		      size_t errlen)
{
	char dir[PATH_MAX];
	pid_t pid;

	*restarted = 0;
	if (zf_labdns_dir(rt, dir, sizeof(dir)) < 0)
		return -ENAMETOOLONG;
	*restarted = !zf_daemon_running(dir, &pid);
	return zf_labdns_sync(rt, err, errlen);
}

int zf_labdns_stats(const struct zf_labrt *rt, char **json)
{
	char dir[PATH_MAX];
	pid_t pid;

	*json = NULL;
	if (zf_labdns_dir(rt, dir, sizeof(dir)) < 0 || !zf_daemon_running(dir, &pid))
		return -ENOENT;
	return zf_dns_stats(dir, json, RELOAD_MS);
}
