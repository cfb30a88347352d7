/* lab_topo.c - regions, zones, hosts and clients of a lab file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "spec/lab_load.h"
#include "util/mem.h"

#define ZONES_LISTED 10   /* zones named in an "unknown zone" message */

static void add_zone(struct zf_ld *ld, const struct zf_ynode *item,
		     size_t region)
{
	struct zf_lab *lab = ld->lab;
	struct zf_zone *z = &lab->zones[lab->n_zones++];

	memcpy(z->name, item->str, item->len + 1);
	zf_fmt(z->full, sizeof(z->full), "%s/%s", lab->regions[region].name,
	       z->name);
	z->region = (int)region;
	z->mark = item->mark;
}

/* One "NAME: { zones: [...] }" entry; region I. */
static int parse_region(struct zf_ld *ld, const struct zf_ynode *key,
			const struct zf_ynode *val, size_t i)
{
	struct zf_region *r = &ld->lab->regions[i];
	struct zf_sc_field f[] = { { .name = "zones" } };
	char what[96], list[96];
	size_t n = 0;
	int rc;

	rc = zf_sc_name(&ld->sc, key, "region", r->name);
	if (rc < 0)
		return rc;
	r->mark = key->mark;
	ld->lab->n_regions++;
	zf_fmt(what, sizeof(what), "region '%s'", r->name);
	zf_fmt(list, sizeof(list), "'zones' of region '%s'", r->name);
	rc = zf_sc_fields(&ld->sc, val, what, f, 1);
	if (rc == 0)
		rc = zf_sc_require(&ld->sc, val, what, &f[0]);
	if (rc == 0)
		rc = zf_sc_name_list(&ld->sc, f[0].val, "zone", list, 0,
				     ZF_MAX_ZONES, &n);
	for (size_t z = 0; rc == 0 && z < n; z++) {
		const struct zf_ynode *item = zf_sc_item(f[0].val, z);

		if (ld->lab->n_zones == ZF_MAX_ZONES)
			return zf_sc_err(&ld->sc, item->mark, "more than %d "
					 "zones in the lab", ZF_MAX_ZONES);
		add_zone(ld, item, i);
	}
	return rc;
}

int zf_ld_regions(struct zf_ld *ld, const struct zf_ynode *m)
{
	struct zf_lab *lab = ld->lab;
	int rc = zf_sc_mapping(&ld->sc, m, "'regions'");

	if (rc < 0)
		return rc;
	if (m->n == 0)
		return zf_sc_err(&ld->sc, m->mark, "no regions: declare at "
				 "least one, like 'r1: { zones: [a] }'");
	lab->regions = zf_xcalloc(m->n < ZF_MAX_REGIONS ? m->n :
				  ZF_MAX_REGIONS, sizeof(*lab->regions));
	lab->zones = zf_xcalloc(ZF_MAX_ZONES, sizeof(*lab->zones));
	for (size_t i = 0; rc == 0 && i < m->n; i++) {
		if (i == ZF_MAX_REGIONS)
			return zf_sc_err(&ld->sc, zf_ymap_key(m, i)->mark,
					 "more than %d regions",
					 ZF_MAX_REGIONS);
		rc = parse_region(ld, zf_ymap_key(m, i), zf_ymap_val(m, i),
				  i);
	}
	return rc;
}

static int mark_before(struct zf_mark a, struct zf_mark b)
{
	return a.line < b.line || (a.line == b.line && a.col < b.col);
}

/* Report that KEY (a client if IS_CLIENT) reuses the name of OLD, at
 * whichever of the two comes later in the file. */
static int name_clash(struct zf_ld *ld, const struct zf_host *old,
		      const struct zf_ynode *key, int is_client)
{
	int old_first = mark_before(old->mark, key->mark);
	struct zf_mark first = old_first ? old->mark : key->mark;
	struct zf_mark second = old_first ? key->mark : old->mark;
	int first_client = old_first ? old->is_client : is_client;
	int second_client = old_first ? is_client : old->is_client;

	return zf_sc_err(&ld->sc, second, "'%s' is declared twice (a %s at "
			 "line %d and a %s at line %d); hosts and clients "
			 "share one namespace", old->name,
			 first_client ? "client" : "host", first.line,
			 second_client ? "client" : "host", second.line);
}

/* Add host or client NAME declared at KEY; *OUT gets its index. Host and
 * client names share one namespace; a clash is reported at the later one. */
static int add_entry(struct zf_ld *ld, const struct zf_ynode *key,
		     int is_client, size_t *out)
{
	struct zf_lab *lab = ld->lab;
	struct zf_host *h;
	char name[ZF_NAME_MAX + 1];
	int rc, old;

	rc = zf_sc_name(&ld->sc, key, is_client ? "client" : "host", name);
	if (rc < 0)
		return rc;
	if (lab->n_hosts == ZF_MAX_HOSTS)
		return zf_sc_err(&ld->sc, key->mark, "more than %d hosts and "
				 "clients", ZF_MAX_HOSTS);
	old = zf_lab_find_host(lab, name);
	if (old >= 0)
		return name_clash(ld, &lab->hosts[old], key, is_client);
	h = &lab->hosts[lab->n_hosts];
	memcpy(h->name, name, sizeof(name));
	h->is_client = is_client;
	h->region = h->zone = -1;
	h->mark = key->mark;
	*out = lab->n_hosts++;
	return 0;
}

/* "r1/a, r1/b, ..." for an unknown-zone message. */
static void zone_names(const struct zf_lab *lab, char *buf, size_t len)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < lab->n_zones && pos < len; i++) {
		int w = snprintf(buf + pos, len - pos, "%s%s", i ? ", " : "",
				 i == ZONES_LISTED ? "..." : lab->zones[i].full);

		if (w < 0 || i == ZONES_LISTED)
			break;
		pos += (size_t)w;
	}
}

/* Place host H in the zone named by N ("r1/a"). */
static int place_host(struct zf_ld *ld, struct zf_host *h,
		      const struct zf_ynode *n)
{
	char zones[512];
	int z, rc = zf_sc_string(&ld->sc, n, "'zone'");

	if (rc < 0)
		return rc;
	z = zf_lab_find_zone(ld->lab, n->str);
	if (z < 0) {
		zone_names(ld->lab, zones, sizeof(zones));
		return zf_sc_err(&ld->sc, n->mark, "unknown zone '%.64s'; "
				 "zones are %s", n->str, zones);
	}
	if (ld->zone_hosts[z] == ZF_MAX_HOSTS_PER_ZONE)
		return zf_sc_err(&ld->sc, n->mark, "more than %d hosts in "
				 "zone '%s'", ZF_MAX_HOSTS_PER_ZONE, n->str);
	ld->zone_hosts[z]++;
	h->zone = z;
	h->region = ld->lab->zones[z].region;
	return 0;
}

/* One "NAME: { zone: ..., services: ... }" entry of "hosts:". */
static int parse_host(struct zf_ld *ld, const struct zf_ynode *key,
		      const struct zf_ynode *val)
{
	struct zf_sc_field f[] = { { .name = "zone" }, { .name = "services" } };
	char what[64];
	size_t i;
	int rc;

	rc = add_entry(ld, key, 0, &i);
	if (rc < 0)
		return rc;
	zf_fmt(what, sizeof(what), "host '%s'", key->str);
	rc = zf_sc_fields(&ld->sc, val, what, f, 2);
	if (rc == 0)
		rc = zf_sc_require(&ld->sc, val, what, &f[0]);
	if (rc == 0)
		rc = place_host(ld, &ld->lab->hosts[i], f[0].val);
	ld->svc_nodes[i] = f[1].val;
	return rc;
}

/* One "NAME: { services: ... }" (or "NAME:") entry of a clients mapping. */
static int parse_client(struct zf_ld *ld, const struct zf_ynode *key,
			const struct zf_ynode *val)
{
	struct zf_sc_field f[] = { { .name = "services" } };
	char what[64];
	size_t i;
	int rc;

	rc = add_entry(ld, key, 1, &i);
	if (rc < 0 || zf_sc_absent(val))
		return rc;
	zf_fmt(what, sizeof(what), "client '%s'", key->str);
	rc = zf_sc_fields(&ld->sc, val, what, f, 1);
	ld->svc_nodes[i] = f[0].val;
	return rc;
}

static size_t count_clients(const struct zf_ynode *c)
{
	if (zf_sc_absent(c) || c->kind == ZF_YSCALAR)
		return 0;
	return c->n;
}

static int parse_clients(struct zf_ld *ld, const struct zf_ynode *c)
{
	size_t n = 0, idx;
	int rc = 0;

	if (zf_sc_absent(c) || (c->kind != ZF_YSCALAR && c->n == 0))
		return 0;   /* no clients: absent, "[]" or "{}" */
	if (c->kind == ZF_YSCALAR)
		return zf_sc_err(&ld->sc, c->mark, "expected a list of names "
				 "or a mapping for 'clients', got a string");
	if (c->kind == ZF_YSEQ)
		rc = zf_sc_name_list(&ld->sc, c, "client", "'clients'", 0,
				     ZF_MAX_CLIENTS, &n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = add_entry(ld, c->kids[i], 1, &idx);
	for (size_t i = 0; c->kind == ZF_YMAP && rc == 0 && i < c->n; i++) {
		if (i == ZF_MAX_CLIENTS)
			return zf_sc_err(&ld->sc, zf_ymap_key(c, i)->mark,
					 "more than %d clients",
					 ZF_MAX_CLIENTS);
		rc = parse_client(ld, zf_ymap_key(c, i), zf_ymap_val(c, i));
	}
	return rc;
}

int zf_ld_hosts(struct zf_ld *ld, const struct zf_ynode *hosts,
		const struct zf_ynode *clients)
{
	struct zf_lab *lab = ld->lab;
	size_t total;
	int rc = zf_sc_mapping(&ld->sc, hosts, "'hosts'");

	if (rc < 0)
		return rc;
	if (hosts->n == 0)
		return zf_sc_err(&ld->sc, hosts->mark, "no hosts: declare at "
				 "least one, like 'web-a: { zone: r1/a }'");
	total = hosts->n + count_clients(clients);
	if (total > ZF_MAX_HOSTS)
		total = ZF_MAX_HOSTS;
	lab->hosts = zf_xcalloc(total, sizeof(*lab->hosts));
	ld->svc_nodes = zf_xcalloc(total, sizeof(*ld->svc_nodes));
	ld->zone_hosts = zf_xcalloc(lab->n_zones, sizeof(*ld->zone_hosts));
	for (size_t i = 0; rc == 0 && i < hosts->n; i++)
		rc = parse_host(ld, zf_ymap_key(hosts, i),
				zf_ymap_val(hosts, i));
	if (rc == 0)
		rc = parse_clients(ld, clients);
	return rc;
}
