/* lab.c - load a lab file into a validated model; lookups; free. */
#include "spec/lab.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spec/lab_load.h"
#include "util/log.h"
#include "util/mem.h"

#define DEFAULT_BLOCK 0xc6120000u   /* 198.18.0.0 */
#define DEFAULT_BLOCK_LEN 15

enum top_field { F_LAB, F_DOMAIN, F_NETWORK, F_REGIONS, F_LINKS, F_CLIENTS,
		 F_HOSTS, F_DNS, F_VIPS, F_COUNT };

/* Are the LEN bytes of S lowercase letters, digits or '-'? */
static int is_label(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

static int parse_lab_name(struct zf_ld *ld, const struct zf_ynode *n)
{
	int rc = zf_sc_string(&ld->sc, n, "'lab'");

	if (rc < 0)
		return rc;
	if (n->len == 0 || n->len > ZF_LAB_NAME_MAX || n->str[0] < 'a' ||
	    n->str[0] > 'z' || !is_label(n->str, n->len))
		return zf_sc_err(&ld->sc, n->mark, "invalid lab name '%.64s': "
				 "use lowercase letters, digits and '-', "
				 "starting with a letter, at most %d "
				 "characters", n->str, ZF_LAB_NAME_MAX);
	memcpy(ld->lab->name, n->str, n->len + 1);
	return 0;
}

static int parse_domain(struct zf_ld *ld, const struct zf_ynode *n)
{
	int rc = zf_sc_string(&ld->sc, n, "'domain'");

	if (rc < 0)
		return rc;
	if (n->len == 0 || n->len >= sizeof(ld->lab->domain) ||
	    n->str[0] == '-' || n->str[n->len - 1] == '-' ||
	    !is_label(n->str, n->len))
		return zf_sc_err(&ld->sc, n->mark, "invalid domain '%.64s': "
				 "expected one DNS label of lowercase letters, "
				 "digits and '-', at most 63 characters",
				 n->str);
	memcpy(ld->lab->domain, n->str, n->len + 1);
	return 0;
}

/* Split "A.B.C.D/LEN" into *ADDR (host order) and *LEN; syntax only. */
static int split_cidr(const char *s, uint32_t *addr, int *len)
{
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : 0;
	char buf[16];
	struct in_addr in;

	if (!slash || alen >= sizeof(buf) || strlen(slash + 1) < 1 ||
	    strlen(slash + 1) > 2 ||
	    strspn(slash + 1, "0123456789") != strlen(slash + 1))
		return -EINVAL;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET, buf, &in) != 1)
		return -EINVAL;
	*addr = ntohl(in.s_addr);
	*len = 0;
	for (const char *p = slash + 1; *p; p++)
		*len = *len * 10 + (*p - '0');
	return 0;
}

/* "A.B.C.D/LEN" with LEN 8..22 and no host bits -> lab->block. */
static int parse_block(struct zf_ld *ld, const struct zf_ynode *n)
{
	uint32_t a, mask;
	int len, rc = zf_sc_string(&ld->sc, n, "'block'");

	if (rc < 0)
		return rc;
	if (split_cidr(n->str, &a, &len) < 0)
		return zf_sc_err(&ld->sc, n->mark, "expected an IPv4 block like "
				 "198.18.0.0/15, got '%.64s'", n->str);
	if (len < 8 || len > 22)
		return zf_sc_err(&ld->sc, n->mark, "prefix length /%d of "
				 "'%s' is out of range: use /8 to /22", len,
				 n->str);
	mask = ~0u << (32 - len);
	if (a & ~mask)
		return zf_sc_err(&ld->sc, n->mark, "'%s' has host bits set; "
				 "did you mean %u.%u.%u.%u/%d?", n->str,
				 (a & mask) >> 24, ((a & mask) >> 16) & 0xff,
				 ((a & mask) >> 8) & 0xff, a & mask & 0xff, len);
	ld->lab->block = a;
	ld->lab->block_len = len;
	return 0;
}

static int parse_network(struct zf_ld *ld, const struct zf_ynode *n)
{
	struct zf_sc_field f[] = { { .name = "block" } };
	int rc = zf_sc_fields(&ld->sc, n, "'network'", f, 1);

	if (rc == 0 && f[0].val)
		rc = parse_block(ld, f[0].val);
	return rc;
}

/* The top-level mapping ROOT, in passes (see lab_load.h). */
static int parse_top(struct zf_ld *ld, const struct zf_ynode *root)
{
	struct zf_sc_field f[F_COUNT] = {
		[F_LAB] = { .name = "lab" }, [F_DOMAIN] = { .name = "domain" },
		[F_NETWORK] = { .name = "network" },
		[F_REGIONS] = { .name = "regions" },
		[F_LINKS] = { .name = "links" },
		[F_CLIENTS] = { .name = "clients" },
		[F_HOSTS] = { .name = "hosts" }, [F_DNS] = { .name = "dns" },
		[F_VIPS] = { .name = "vips" },
	};
	const char *what = "the lab file";
	int rc = zf_sc_fields(&ld->sc, root, what, f, F_COUNT);

	if (rc == 0)
		rc = zf_sc_require(&ld->sc, root, what, &f[F_LAB]);
	if (rc == 0)
		rc = zf_sc_require(&ld->sc, root, what, &f[F_REGIONS]);
	if (rc == 0)
		rc = zf_sc_require(&ld->sc, root, what, &f[F_HOSTS]);
	if (rc == 0)
		rc = parse_lab_name(ld, f[F_LAB].val);
	if (rc == 0 && f[F_DOMAIN].val)
		rc = parse_domain(ld, f[F_DOMAIN].val);
	if (rc == 0 && f[F_NETWORK].val)
		rc = parse_network(ld, f[F_NETWORK].val);
	if (rc == 0)
		rc = zf_ld_regions(ld, f[F_REGIONS].val);
	if (rc == 0)
		rc = zf_ld_links(ld, f[F_LINKS].val);
	if (rc == 0)
		rc = zf_ld_hosts(ld, f[F_HOSTS].val, f[F_CLIENTS].val);
	for (size_t i = 0; rc == 0 && i < ld->lab->n_hosts; i++)
		rc = zf_ld_services(ld, i);
	if (rc == 0)
		rc = zf_ld_records(ld, f[F_DNS].val);
	if (rc == 0)
		rc = zf_ld_vips(ld, f[F_VIPS].val);
	return rc;
}

/* The document DOC of file NAME into LAB. */
static int parse_doc(struct zf_ld *ld, const struct zf_ydoc *doc)
{
	const struct zf_ynode *root = zf_ydoc_root(doc);

	if (!root || zf_ynode_is_null(root))
		return zf_sc_err(&ld->sc, root ? root->mark : zf_ydoc_end(doc),
				 "empty file: expected a mapping with 'lab', "
				 "'regions' and 'hosts'");
	if (root->kind != ZF_YMAP)
		return zf_sc_err(&ld->sc, root->mark, "expected a mapping with "
				 "'lab', 'regions' and 'hosts' at the top of "
				 "the file, got %s", zf_ynode_kind_name(root));
	return parse_top(ld, root);
}

static struct zf_lab *new_lab(const char *name, const char *dir)
{
	struct zf_lab *lab = zf_xcalloc(1, sizeof(*lab));

	lab->path = zf_xstrdup(name);
	lab->dir = zf_xstrdup(dir ? dir : ".");
	memcpy(lab->domain, "lab", sizeof("lab"));
	lab->dns_ttl = ZF_DNS_TTL_DEFAULT;
	lab->block = DEFAULT_BLOCK;
	lab->block_len = DEFAULT_BLOCK_LEN;
	return lab;
}

int zf_lab_load_buffer(const char *name, const char *dir, const char *buf,
		       size_t len, struct zf_lab **out, char *err, size_t errlen)
{
	struct zf_ld ld = { .sc = { name, err, errlen } };
	struct zf_ydoc *doc = NULL;
	int rc;

	if (len > ZF_LAB_FILE_MAX) {
		zf_sc_err(&ld.sc, (struct zf_mark){ 0, 0 }, "file is larger "
			  "than %u bytes", ZF_LAB_FILE_MAX);
		return -EFBIG;
	}
	rc = zf_ydoc_parse(name, buf, len, &doc, err, errlen);
	if (rc < 0)
		goto out;
	ld.lab = new_lab(name, dir);
	rc = parse_doc(&ld, doc);
	if (rc < 0)
		goto out;
	*out = ld.lab;
	ld.lab = NULL;
out:
	free(ld.zone_hosts);
	free(ld.svc_nodes);
	zf_lab_free(ld.lab);
	zf_ydoc_free(doc);
	return rc;
}

/* Read at most ZF_LAB_FILE_MAX + 1 bytes of FD into a new *BUF. */
static int read_capped(int fd, char **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *b = zf_xmalloc(cap);
	ssize_t r;

	for (;;) {
		if (n == cap) {
			if (cap > ZF_LAB_FILE_MAX)
				break;
			cap = 2 * cap > ZF_LAB_FILE_MAX ? ZF_LAB_FILE_MAX + 1 :
							  2 * cap;
			b = zf_xrealloc(b, cap);
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(b);
			return -e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*buf = b;
	*len = n;
	return 0;
}

/* The absolute directory of PATH into a new *DIR. */
static int lab_dir(const char *path, char **dir)
{
	char *copy = zf_xstrdup(path);
	char *abs = realpath(dirname(copy), NULL);
	int rc = abs ? 0 : -errno;

	free(copy);
	*dir = abs;
	return rc;
}

int zf_lab_load(const char *path, struct zf_lab **out, char *err,
		size_t errlen)
{
	struct zf_schema sc = { path, err, errlen };
	char *buf = NULL, *dir = NULL;
	size_t len = 0;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		zf_sc_err(&sc, (struct zf_mark){ 0, 0 }, "cannot open: %s",
			  strerror(-rc));
		goto out;
	}
	rc = read_capped(fd, &buf, &len);
	close(fd);
	if (rc < 0) {
		zf_sc_err(&sc, (struct zf_mark){ 0, 0 }, "cannot read: %s",
			  strerror(-rc));
		goto out;
	}
	rc = lab_dir(path, &dir);
	if (rc < 0) {
		zf_sc_err(&sc, (struct zf_mark){ 0, 0 }, "cannot resolve its "
			  "directory: %s", strerror(-rc));
		goto out;
	}
	rc = zf_lab_load_buffer(path, dir, buf, len, out, err, errlen);
out:
	free(dir);
	free(buf);
	return rc;
}

static void free_service(struct zf_service *s)
{
	zf_strv_free(s->argv);
	zf_strv_free(s->env);
	free(s->after);
	zf_strv_free(s->ready.argv);
}

void zf_lab_free(struct zf_lab *lab)
{
	if (!lab)
		return;
	for (size_t i = 0; i < lab->n_hosts; i++) {
		for (size_t j = 0; j < lab->hosts[i].n_services; j++)
			free_service(&lab->hosts[i].services[j]);
		free(lab->hosts[i].services);
	}
	for (size_t i = 0; i < lab->n_records; i++)
		free(lab->records[i].hosts);
	free(lab->records);
	free(lab->vips);
	free(lab->cnames);
	free(lab->pairs);
	free(lab->hosts);
	free(lab->zones);
	free(lab->regions);
	free(lab->dir);
	free(lab->path);
	free(lab);
}

int zf_lab_find_host(const struct zf_lab *lab, const char *name)
{
	for (size_t i = 0; i < lab->n_hosts; i++)
		if (strcmp(lab->hosts[i].name, name) == 0)
			return (int)i;
	return -1;
}

int zf_lab_find_zone(const struct zf_lab *lab, const char *full)
{
	for (size_t i = 0; i < lab->n_zones; i++)
		if (strcmp(lab->zones[i].full, full) == 0)
			return (int)i;
	return -1;
}

int zf_lab_find_region(const struct zf_lab *lab, const char *name)
{
	for (size_t i = 0; i < lab->n_regions; i++)
		if (strcmp(lab->regions[i].name, name) == 0)
			return (int)i;
	return -1;
}

int zf_host_find_service(const struct zf_host *host, const char *name)
{
	for (size_t i = 0; i < host->n_services; i++)
		if (strcmp(host->services[i].name, name) == 0)
			return (int)i;
	return -1;
}
