/* lab_dns.c - the "dns:" section of a lab file. */
#include <errno.h>
#include <string.h>

#include "spec/lab_load.h"
#include "util/mem.h"

/* One "NAME: [host, ...]" record; the next entry of lab->records. */
static int parse_record(struct zf_ld *ld, const struct zf_ynode *key,
			const struct zf_ynode *val)
{
	struct zf_lab *lab = ld->lab;
	struct zf_dns_record *r = &lab->records[lab->n_records];
	char what[64];
	size_t n = 0;
	int rc;

	rc = zf_sc_name(&ld->sc, key, "dns record", r->name);
	if (rc < 0)
		return rc;
	if (zf_lab_find_host(lab, r->name) >= 0)
		return zf_sc_err(&ld->sc, key->mark, "dns record '%s' has the "
				 "name of a host; the host's own name already "
				 "answers", r->name);
	r->mark = key->mark;
	lab->n_records++;
	zf_fmt(what, sizeof(what), "dns record '%s'", r->name);
	rc = zf_sc_name_list(&ld->sc, val, "host", what, 1, ZF_MAX_HOSTS, &n);
	if (rc < 0)
		return rc;
	r->hosts = zf_xcalloc(n, sizeof(*r->hosts));
	for (size_t i = 0; i < n; i++) {
		const struct zf_ynode *item = zf_sc_item(val, i);
		int h = zf_lab_find_host(lab, item->str);

		if (h < 0)
			return zf_sc_err(&ld->sc, item->mark, "unknown host "
					 "'%s' in %s", item->str, what);
		r->hosts[r->n_hosts++] = (size_t)h;
	}
	return 0;
}

int zf_ld_records(struct zf_ld *ld, const struct zf_ynode *dns)
{
	struct zf_sc_field f[] = { { .name = "records" } };
	const struct zf_ynode *m;
	int rc;

	if (zf_sc_absent(dns))
		return 0;
	rc = zf_sc_fields(&ld->sc, dns, "'dns'", f, 1);
	if (rc < 0 || zf_sc_absent(f[0].val))
		return rc;
	m = f[0].val;
	rc = zf_sc_mapping(&ld->sc, m, "'records'");
	if (rc < 0)
		return rc;
	ld->lab->records = zf_xcalloc(m->n, sizeof(*ld->lab->records));
	for (size_t i = 0; rc == 0 && i < m->n; i++)
		rc = parse_record(ld, zf_ymap_key(m, i), zf_ymap_val(m, i));
	return rc;
}
