/* labdns.h - the lab's DNS: one zonefall-dns per lab, its records made
 * from the lab file and the lab's current state.
 *
 * Resolvers: one per region, at the region router's gear address inside
 * zf.<lab>.r.<region> (a region's DNS can fail alone), and a public one at
 * the internet gear's address for clients. Every host's resolv.conf names
 * its region's resolver, every client's the public one; /etc/hosts keeps
 * only the host's own name, so names are felt to come from DNS.
 *
 * Records (TTL from the lab file's dns.ttl, default 5 s): every host
 * (HOST.DOMAIN, HOST.REGION.DOMAIN, HOST.ZONE.REGION.DOMAIN), every zone
 * (ZONE.REGION.DOMAIN: its hosts) and region (REGION.DOMAIN: its hosts),
 * the dns.records service names, dns.cnames, and every VIP name. Hosts
 * that are powered off are marked down (health-aware names leave them out).
 *
 * The daemon's config file is the state: zf_labdns_sync rebuilds the
 * records and keeps the faults the current file lists, so any layer may
 * call it after it changed what the records depend on (power, a VIP). */
#ifndef ZF_LAB_LABDNS_H
#define ZF_LAB_LABDNS_H

#include <stddef.h>
#include <stdint.h>

#include "dns/dns_config.h"
#include "lab/labrt.h"

#define ZF_LABDNS_PUBLIC "public"   /* listen ID of the clients' resolver */
#define ZF_LABDNS_CLIENTS ((size_t)-1)  /* "region" of the public resolver */

/* <state>/dns, the daemon's directory. */
int zf_labdns_dir(const struct zf_labrt *rt, char *buf, size_t len);

/* The resolver address of region R, or of the public resolver when R is
 * ZF_LABDNS_CLIENTS. */
uint32_t zf_labdns_resolver(const struct zf_labrt *rt, size_t region);

/* The resolver a host uses (its region's, or the public one for clients). */
uint32_t zf_labdns_host_resolver(const struct zf_labrt *rt, size_t host);

/* The listen ID of REGION's resolver (ZF_LABDNS_CLIENTS: the public one):
 * the region's name when it fits, else "region.N". */
void zf_labdns_listen_id(const struct zf_lab *lab, size_t region, char *buf,
			 size_t len);

/* The files a host's sandbox binds as /etc/resolv.conf (its region's
 * resolver; clients: the public one) and /etc/hosts (localhost and the
 * host's own name only). */
int zf_labdns_resolv_path(const struct zf_labrt *rt, size_t host, char *buf,
			  size_t len);
int zf_labdns_hosts_path(const struct zf_labrt *rt, size_t host, char *buf,
			 size_t len);

/* Write those files for every host (at `up`, before hosts boot). */
int zf_labdns_host_files(const struct zf_labrt *rt, char *err, size_t errlen);

/* Write the config and start the daemon (at `up`, after the gear exists,
 * before hosts boot); waits until it answers. The inventory record that
 * makes teardown stop it is written by the caller (ZF_INV_DAEMON).
 * Returns 0 or a negative errno with ERR set. */
int zf_labdns_start(const struct zf_labrt *rt, char *err, size_t errlen);

/* Rebuild the records from the lab file and its state, keep the faults of
 * the running config, write and reload. Returns 0 or a negative errno. */
int zf_labdns_sync(const struct zf_labrt *rt, char *err, size_t errlen);

/* The same with the faults replaced by F[0..N). */
int zf_labdns_set_faults(const struct zf_labrt *rt,
			 const struct zf_dns_fault_cfg *f, size_t n, char *err,
			 size_t errlen);

/* Start the daemon again if it died and bring its records up to date
 * (recover); *RESTARTED says whether it had to be started. */
int zf_labdns_restore(const struct zf_labrt *rt, int *restarted, char *err,
		      size_t errlen);

/* The daemon's statistics (JSON, docs/dns.md) in a new string *JSON;
 * -ENOENT when it is not running. */
int zf_labdns_stats(const struct zf_labrt *rt, char **json);

/* Teardown stops the daemon through the inventory (lab/daemon.h). */

#endif
