/* lab_vip.c - the "vips:" section of a lab file:
 *
 *   vips:
 *     db:  { members: [db-a, db-b], owner: db-a }          # manager: zonefall
 *     www: { members: [lb-a, lb-b], manager: keepalived }
 *
 * A VIP's members are 2..ZF_VIP_MEMBERS_MAX distinct hosts (not clients) of
 * one region. With manager zonefall (the default) the owner at `up` is
 * `owner` (default: the first member); keepalived elects its own, so
 * `owner` is refused there. The name shares the lab's name space with
 * hosts, DNS records and cnames. */
#include <errno.h>
#include <string.h>

#include "spec/lab_load.h"
#include "util/mem.h"

enum vip_field { V_MEMBERS, V_OWNER, V_MANAGER, V_COUNT };

/* Does NAME already name a host, client, DNS record or cname? What it
 * names goes to *WHAT. */
static int name_taken(const struct zf_lab *lab, const char *name,
		      const char **what)
{
	*what = "a host";
	if (zf_lab_find_host(lab, name) >= 0)
		return 1;
	*what = "a dns record";
	for (size_t i = 0; i < lab->n_records; i++)
		if (!strcmp(lab->records[i].name, name))
			return 1;
	*what = "a cname";
	for (size_t i = 0; i < lab->n_cnames; i++)
		if (!strcmp(lab->cnames[i].name, name))
			return 1;
	return 0;
}

/* The VIP's name from KEY into V, checked against every other name. */
static int parse_name(struct zf_ld *ld, const struct zf_ynode *key,
		      struct zf_vip *v)
{
	char name[ZF_NAME_MAX + 1];
	const char *what;
	int rc = zf_sc_name(&ld->sc, key, "VIP", name);

	if (rc < 0)
		return rc;
	if (strlen(name) > ZF_VIP_NAME_MAX)
		return zf_sc_err(&ld->sc, key->mark, "VIP name '%s' is longer "
				 "than %d characters (its L2 segment is the "
				 "interface 'v-%s', at most 15)", name,
				 ZF_VIP_NAME_MAX, name);
	if (name_taken(ld->lab, name, &what))
		return zf_sc_err(&ld->sc, key->mark, "VIP '%s' has the name of "
				 "%s; hosts, DNS names and VIPs share one name "
				 "space", name, what);
	memcpy(v->name, name, strlen(name) + 1);
	v->mark = key->mark;
	return 0;
}

/* One member ITEM (member I of V): a host of the first member's region. */
static int add_member(struct zf_ld *ld, struct zf_vip *v,
		      const struct zf_ynode *item, const char *what)
{
	const struct zf_lab *lab = ld->lab;
	int h = zf_lab_find_host(lab, item->str);

	if (h < 0)
		return zf_sc_err(&ld->sc, item->mark, "unknown host '%s' in %s",
				 item->str, what);
	if (lab->hosts[h].is_client)
		return zf_sc_err(&ld->sc, item->mark, "'%s' is a client; the "
				 "members of %s are hosts of one region",
				 item->str, what);
	if (v->n_members && (size_t)lab->hosts[h].region != v->region)
		return zf_sc_err(&ld->sc, item->mark, "'%s' is in region '%s' "
				 "and '%s' in region '%s': the members of %s "
				 "share one region (their L2 segment lives in "
				 "its router)", item->str,
				 lab->regions[lab->hosts[h].region].name,
				 lab->hosts[v->members[0]].name,
				 lab->regions[v->region].name, what);
	v->region = (size_t)lab->hosts[h].region;
	v->members[v->n_members++] = (size_t)h;
	return 0;
}

static int parse_members(struct zf_ld *ld, struct zf_vip *v,
			 const struct zf_ynode *n, const char *what)
{
	char list[64];
	size_t count = 0;
	int rc;

	zf_fmt(list, sizeof(list), "'members' of %s", what);
	rc = zf_sc_name_list(&ld->sc, n, "member", list, 0,
			     ZF_VIP_MEMBERS_MAX, &count);
	if (rc == 0 && count < 2)
		return zf_sc_err(&ld->sc, n->mark, "%s has one member: a VIP "
				 "needs at least 2 to move between", what);
	for (size_t i = 0; rc == 0 && i < count; i++)
		rc = add_member(ld, v, zf_sc_item(n, i), what);
	return rc;
}

static int parse_manager(struct zf_ld *ld, struct zf_vip *v,
			 const struct zf_ynode *n, const char *what)
{
	char field[64];
	int rc;

	zf_fmt(field, sizeof(field), "'manager' of %s", what);
	rc = zf_sc_string(&ld->sc, n, field);
	if (rc < 0)
		return rc;
	if (!strcmp(n->str, "zonefall"))
		v->manager = ZF_VIP_ZONEFALL;
	else if (!strcmp(n->str, "keepalived"))
		v->manager = ZF_VIP_KEEPALIVED;
	else
		return zf_sc_err(&ld->sc, n->mark, "unknown manager '%.64s' of "
				 "%s: expected zonefall or keepalived", n->str,
				 what);
	return 0;
}

static int parse_owner(struct zf_ld *ld, struct zf_vip *v,
		       const struct zf_ynode *n, const char *what)
{
	char field[64];
	int rc;

	if (v->manager == ZF_VIP_KEEPALIVED)
		return zf_sc_err(&ld->sc, n->mark, "%s is managed by keepalived, "
				 "which elects the owner: give the master the "
				 "highest priority in its keepalived config "
				 "instead of 'owner'", what);
	zf_fmt(field, sizeof(field), "'owner' of %s", what);
	rc = zf_sc_string(&ld->sc, n, field);
	for (size_t i = 0; rc == 0 && i < v->n_members; i++) {
		if (!strcmp(ld->lab->hosts[v->members[i]].name, n->str)) {
			v->owner = i;
			return 0;
		}
	}
	return rc < 0 ? rc : zf_sc_err(&ld->sc, n->mark, "owner '%.64s' of %s "
				       "is not one of its members", n->str, what);
}

/* One "NAME: { members: [...], owner: H, manager: M }" entry. */
static int parse_vip(struct zf_ld *ld, const struct zf_ynode *key,
		     const struct zf_ynode *val)
{
	struct zf_lab *lab = ld->lab;
	struct zf_vip *v = &lab->vips[lab->n_vips];
	struct zf_sc_field f[V_COUNT] = {
		[V_MEMBERS] = { .name = "members" },
		[V_OWNER] = { .name = "owner" },
		[V_MANAGER] = { .name = "manager" },
	};
	char what[64];
	int rc = parse_name(ld, key, v);

	if (rc < 0)
		return rc;
	lab->n_vips++;
	zf_fmt(what, sizeof(what), "VIP '%s'", v->name);
	rc = zf_sc_fields(&ld->sc, val, what, f, V_COUNT);
	if (rc == 0)
		rc = zf_sc_require(&ld->sc, val, what, &f[V_MEMBERS]);
	if (rc == 0)
		rc = parse_members(ld, v, f[V_MEMBERS].val, what);
	if (rc == 0 && f[V_MANAGER].val)
		rc = parse_manager(ld, v, f[V_MANAGER].val, what);
	if (rc == 0 && f[V_OWNER].val)
		rc = parse_owner(ld, v, f[V_OWNER].val, what);
	return rc;
}

int zf_ld_vips(struct zf_ld *ld, const struct zf_ynode *m)
{
	struct zf_lab *lab = ld->lab;
	int rc;

	if (zf_sc_absent(m))
		return 0;
	rc = zf_sc_mapping(&ld->sc, m, "'vips'");
	if (rc < 0)
		return rc;
	if (m->n > ZF_MAX_VIPS)
		return zf_sc_err(&ld->sc, zf_ymap_key(m, ZF_MAX_VIPS)->mark,
				 "more than %d VIPs", ZF_MAX_VIPS);
	lab->vips = zf_xcalloc(m->n ? m->n : 1, sizeof(*lab->vips));
	for (size_t i = 0; rc == 0 && i < m->n; i++)
		rc = parse_vip(ld, zf_ymap_key(m, i), zf_ymap_val(m, i));
	return rc;
}

int zf_lab_find_vip(const struct zf_lab *lab, const char *name)
{
	for (size_t i = 0; i < lab->n_vips; i++)
		if (!strcmp(lab->vips[i].name, name))
			return (int)i;
	return -1;
}
