/* lab_dns.c - the "dns:" section of a lab file:
 *
 *   dns:
 *     ttl: 5s                          # every record's TTL (default 5 s)
 *     records:
 *       www: [lb-a]                    # a service name: its hosts' addresses
 *       app: { hosts: [web-a, web-b], ttl: 30s, health: aware, order: fixed }
 *     cnames: { api: www, ext: mirror.example }
 *
 * Record names share the lab's name space with hosts; a cname's target is
 * a lab name, or an absolute name when it contains a dot. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "spec/lab_load.h"
#include "util/mem.h"

/* A TTL duration into whole seconds (rounded down). */
static int parse_ttl(struct zf_ld *ld, const struct zf_ynode *n, const char *what,
		     uint32_t *out)
{
	uint64_t ns;
	int rc = zf_sc_duration(&ld->sc, n, what, &ns);

	if (rc < 0)
		return rc;
	if (ns / 1000000000ull > ZF_DNS_TTL_MAX)
		return zf_sc_err(&ld->sc, n->mark, "%s is longer than 7 days", what);
	*out = (uint32_t)(ns / 1000000000ull);
	return 0;
}

static int find_record(const struct zf_lab *lab, const char *name)
{
	for (size_t i = 0; i < lab->n_records; i++)
		if (!strcmp(lab->records[i].name, name))
			return (int)i;
	return -1;
}

/* The hosts of a record: N, a list of host names. */
static int parse_hosts(struct zf_ld *ld, struct zf_dns_record *r,
		       const struct zf_ynode *n, const char *what)
{
	struct zf_lab *lab = ld->lab;
	size_t count = 0;
	int rc = zf_sc_name_list(&ld->sc, n, "host", what, 1, ZF_MAX_HOSTS, &count);

	if (rc < 0)
		return rc;
	r->hosts = zf_xcalloc(count, sizeof(*r->hosts));
	for (size_t i = 0; i < count; i++) {
		const struct zf_ynode *item = zf_sc_item(n, i);
		int h = zf_lab_find_host(lab, item->str);

		if (h < 0)
			return zf_sc_err(&ld->sc, item->mark, "unknown host "
					 "'%s' in %s", item->str, what);
		r->hosts[r->n_hosts++] = (size_t)h;
	}
	return 0;
}

/* "health: aware|ignore" and "order: roundrobin|fixed". */
static int parse_word(struct zf_ld *ld, const struct zf_ynode *n, const char *what,
		      const char *yes, const char *no, bool *out)
{
	int rc = zf_sc_string(&ld->sc, n, what);

	if (rc < 0)
		return rc;
	if (strcmp(n->str, yes) && strcmp(n->str, no))
		return zf_sc_err(&ld->sc, n->mark, "%s: expected '%s' or '%s', "
				 "found '%.40s'", what, yes, no, n->str);
	*out = !strcmp(n->str, yes);
	return 0;
}

/* The long form: { hosts: [...], ttl:, health:, order: }. */
static int parse_record_map(struct zf_ld *ld, struct zf_dns_record *r,
			    const struct zf_ynode *m, const char *what)
{
	struct zf_sc_field f[] = { { .name = "hosts" }, { .name = "ttl" },
				   { .name = "health" }, { .name = "order" } };
	int rc = zf_sc_fields(&ld->sc, m, what, f, 4);

	if (rc == 0)
		rc = zf_sc_require(&ld->sc, m, what, &f[0]);
	if (rc == 0)
		rc = parse_hosts(ld, r, f[0].val, what);
	if (rc == 0 && f[1].val)
		rc = parse_ttl(ld, f[1].val, "'ttl'", &r->ttl);
	if (rc == 0 && f[2].val)
		rc = parse_word(ld, f[2].val, "'health'", "aware", "ignore",
				&r->health_aware);
	if (rc == 0 && f[3].val)
		rc = parse_word(ld, f[3].val, "'order'", "fixed", "roundrobin",
				&r->fixed_order);
	return rc;
}

/* One "NAME: [host, ...]" or "NAME: { hosts: ... }" record. */
static int parse_record(struct zf_ld *ld, const struct zf_ynode *key,
			const struct zf_ynode *val)
{
	struct zf_lab *lab = ld->lab;
	struct zf_dns_record *r = &lab->records[lab->n_records];
	char what[64];
	int rc;

	rc = zf_sc_name(&ld->sc, key, "dns record", r->name);
	if (rc < 0)
		return rc;
	if (zf_lab_find_host(lab, r->name) >= 0)
		return zf_sc_err(&ld->sc, key->mark, "dns record '%s' has the "
				 "name of a host; the host's own name already "
				 "answers", r->name);
	r->mark = key->mark;
	r->ttl = lab->dns_ttl;
	lab->n_records++;
	zf_fmt(what, sizeof(what), "dns record '%s'", r->name);
	if (val && val->kind == ZF_YMAP)
		return parse_record_map(ld, r, val, what);
	return parse_hosts(ld, r, val, what);
}

/* Is S a domain name: labels of letters, digits, '-' and '_' between
 * single dots? */
static int domain_name(const char *s, size_t len)
{
	if (len == 0 || len >= 254 || s[0] == '.' || strstr(s, ".."))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!isalnum(ch) && ch != '-' && ch != '_' && ch != '.')
			return 0;
	}
	return 1;
}

/* A cname target: a lab name, or an absolute name with a dot. */
static int parse_target(struct zf_ld *ld, struct zf_dns_cname *c,
			const struct zf_ynode *n)
{
	int rc = zf_sc_string(&ld->sc, n, "cname target");

	if (rc < 0)
		return rc;
	if (!strchr(n->str, '.'))
		return zf_sc_name(&ld->sc, n, "cname target", c->target);
	if (!domain_name(n->str, n->len))
		return zf_sc_err(&ld->sc, n->mark, "cname '%s': expected a lab "
				 "name or a domain name as target, found '%.60s'",
				 c->name, n->str);
	memcpy(c->target, n->str, n->len + 1);
	return 0;
}

static int parse_cname(struct zf_ld *ld, const struct zf_ynode *key,
		       const struct zf_ynode *val)
{
	struct zf_lab *lab = ld->lab;
	struct zf_dns_cname *c = &lab->cnames[lab->n_cnames];
	int rc = zf_sc_name(&ld->sc, key, "cname", c->name);

	if (rc < 0)
		return rc;
	c->mark = key->mark;
	if (zf_lab_find_host(lab, c->name) >= 0 || find_record(lab, c->name) >= 0)
		return zf_sc_err(&ld->sc, key->mark, "cname '%s' has the name of "
				 "a host or dns record", c->name);
	for (size_t i = 0; i < lab->n_cnames; i++)
		if (!strcmp(lab->cnames[i].name, c->name))
			return zf_sc_err(&ld->sc, key->mark, "cname '%s' is "
					 "declared twice", c->name);
	lab->n_cnames++;
	return parse_target(ld, c, val);
}

/* Every pair of mapping M through FN, into ARR (M->n entries). */
static int parse_each(struct zf_ld *ld, const struct zf_ynode *m, const char *what,
		      int (*fn)(struct zf_ld *, const struct zf_ynode *,
				const struct zf_ynode *))
{
	int rc = zf_sc_mapping(&ld->sc, m, what);

	for (size_t i = 0; rc == 0 && i < m->n; i++)
		rc = fn(ld, zf_ymap_key(m, i), zf_ymap_val(m, i));
	return rc;
}

int zf_ld_records(struct zf_ld *ld, const struct zf_ynode *dns)
{
	struct zf_sc_field f[] = { { .name = "ttl" }, { .name = "records" },
				   { .name = "cnames" } };
	struct zf_lab *lab = ld->lab;
	int rc;

	if (zf_sc_absent(dns))
		return 0;
	rc = zf_sc_fields(&ld->sc, dns, "'dns'", f, 3);
	if (rc == 0 && f[0].val)
		rc = parse_ttl(ld, f[0].val, "'dns.ttl'", &lab->dns_ttl);
	if (rc == 0 && !zf_sc_absent(f[1].val)) {
		lab->records = zf_xcalloc(f[1].val->kind == ZF_YMAP ? f[1].val->n : 1,
					  sizeof(*lab->records));
		rc = parse_each(ld, f[1].val, "'records'", parse_record);
	}
	if (rc == 0 && !zf_sc_absent(f[2].val)) {
		lab->cnames = zf_xcalloc(f[2].val->kind == ZF_YMAP ? f[2].val->n : 1,
					 sizeof(*lab->cnames));
		rc = parse_each(ld, f[2].val, "'cnames'", parse_cname);
	}
	return rc;
}
