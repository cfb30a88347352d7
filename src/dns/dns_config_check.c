/* dns_config_check.c - the checks between the records of a DNS config:
 * one cname per name and never beside addresses, no duplicate addresses,
 * one TTL per RRset, rrset lines naming address sets, cname chains that
 * end, faults naming declared resolvers. Records are sorted by name once,
 * so a file at the caps is checked in O(n log n). The error reported is
 * the one on the earliest line. */
#include "dns/dns_config.h"
#include "dns/dns_config_int.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_A, K_CNAME, K_RRSET };

struct entry {
	const char *name;
	enum kind kind;
	uint32_t addr;          /* K_A, network order */
	uint32_t ttl;
	unsigned line;
	size_t idx;             /* in the config's array of that kind */
};

struct checker {
	const char *file;
	char *err;
	size_t errlen;
	unsigned best;          /* line of the error kept */
	bool failed;
};

ZF_PRINTF(3, 4)
static void cerr(struct checker *c, unsigned line, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	if (c->failed && (line == 0 || (c->best != 0 && line >= c->best)))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->file && line)
		snprintf(c->err, c->errlen, "%s:%u: %s", c->file, line, msg);
	else
		snprintf(c->err, c->errlen, "%s", msg);
	c->failed = true;
	c->best = line;
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int r = strcmp(a->name, b->name);

	if (r)
		return r;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

static struct entry *collect(const struct zf_dns_config *cfg, size_t *n)
{
	size_t total = cfg->nas + cfg->ncnames + cfg->nrrsets, k = 0;
	struct entry *e = zf_xcalloc(total ? total : 1, sizeof(*e));

	for (size_t i = 0; i < cfg->nas; i++)
		e[k++] = (struct entry){ cfg->as[i].name, K_A,
					 cfg->as[i].addr.s_addr,
					 cfg->as[i].ttl, cfg->as[i].line, i };
	for (size_t i = 0; i < cfg->ncnames; i++)
		e[k++] = (struct entry){ cfg->cnames[i].name, K_CNAME, 0,
					 cfg->cnames[i].ttl,
					 cfg->cnames[i].line, i };
	for (size_t i = 0; i < cfg->nrrsets; i++)
		e[k++] = (struct entry){ cfg->rrsets[i].name, K_RRSET, 0, 0,
					 cfg->rrsets[i].line, i };
	qsort(e, total, sizeof(*e), cmp_entry);
	*n = total;
	return e;
}

static unsigned later(unsigned a, unsigned b)
{
	return a > b ? a : b;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

/* The line of the K-th (from 0) of E[0..N) in file order. */
static unsigned nth_line(const struct entry *e, size_t n, size_t k)
{
	unsigned *lines = zf_xmalloc(n * sizeof(*lines)), line;

	for (size_t i = 0; i < n; i++)
		lines[i] = e[i].line;
	qsort(lines, n, sizeof(*lines), cmp_uint);
	line = lines[k];
	free(lines);
	return line;
}

/* " (W1 A W2 B)" into BUF ("line 3", "lines 2 and 4"; W2 NULL: no B), or
 * "" when a record has no line (built through the API): messages then
 * name records only. */
static const char *pair(char buf[64], const char *w1, unsigned a,
			const char *w2, unsigned b)
{
	if (a == 0 || (w2 && b == 0))
		return "";
	if (w2)
		snprintf(buf, 64, " (%s%u%s%u)", w1, a, w2, b);
	else
		snprintf(buf, 64, " (%s%u)", w1, a);
	return buf;
}

/* The addresses of one name: E[0..N) sorted by address. */
static void check_addrs(struct checker *c, const struct entry *e, size_t n)
{
	const struct entry *first = &e[0];
	char buf[64];

	for (size_t i = 1; i < n; i++) {
		if (e[i].line < first->line)
			first = &e[i];
		if (e[i].addr == e[i - 1].addr)
			cerr(c, later(e[i].line, e[i - 1].line),
			     "a %s: this address is listed twice%s", e[i].name,
			     pair(buf, "lines ", e[i - 1].line, " and ",
				  e[i].line));
	}
	for (size_t i = 0; i < n; i++) {
		if (e[i].ttl != first->ttl)
			cerr(c, later(e[i].line, first->line), "a %s: expected "
			     "the TTL of the RRset, %u%s, found %u", e[i].name,
			     first->ttl, pair(buf, "line ", first->line, NULL,
					      0), e[i].ttl);
	}
	if (n > ZF_DNS_MAX_RRSET)
		cerr(c, nth_line(e, n, ZF_DNS_MAX_RRSET), "a %s: expected at "
		     "most %d addresses per name", e[0].name, ZF_DNS_MAX_RRSET);
}

/* All entries of one name: E[0..N) sorted by kind. */
static void check_name(struct checker *c, const struct entry *e, size_t n)
{
	size_t na = 0, nc = 0, nr = 0;
	char buf[64];

	while (na < n && e[na].kind == K_A)
		na++;
	while (na + nc < n && e[na + nc].kind == K_CNAME)
		nc++;
	nr = n - na - nc;
	if (na)
		check_addrs(c, e, na);
	if (nc > 1)
		cerr(c, later(e[na].line, e[na + 1].line), "cname %s: expected "
		     "one cname per name%s", e[0].name,
		     pair(buf, "lines ", e[na].line, " and ",
			  e[na + 1].line));
	if (nc && na)
		cerr(c, later(e[0].line, e[na].line), "%s: expected either a "
		     "cname or addresses%s", e[0].name,
		     pair(buf, "cname on line ", e[na].line,
			  ", a on line ", e[0].line));
	if (nr > 1)
		cerr(c, e[na + nc + 1].line, "rrset %s: expected one rrset "
		     "line per name%s", e[0].name,
		     pair(buf, "lines ", e[na + nc].line, " and ",
			  e[na + nc + 1].line));
	if (nr && !na)
		cerr(c, e[na + nc].line, "rrset %s: expected 'a' records for "
		     "this name", e[0].name);
}

/* The cname of NAME in the sorted E, or NULL. */
static const struct zf_dns_cname_cfg *
cname_of(const struct zf_dns_config *cfg, const struct entry *e, size_t n,
	 const char *name)
{
	struct entry key = { .name = name, .kind = K_CNAME };
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_entry(&e[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n || e[lo].kind != K_CNAME || strcmp(e[lo].name, name))
		return NULL;
	return &cfg->cnames[e[lo].idx];
}

static void check_chains(struct checker *c, const struct zf_dns_config *cfg,
			 const struct entry *e, size_t n)
{
	for (size_t i = 0; i < cfg->ncnames; i++) {
		const struct zf_dns_cname_cfg *cn = &cfg->cnames[i];
		int hops = 1;

		while (cn && hops <= ZF_DNS_MAX_CHAIN) {
			cn = cname_of(cfg, e, n, cn->target);
			hops += cn != NULL;
		}
		if (hops > ZF_DNS_MAX_CHAIN)
			cerr(c, cfg->cnames[i].line, "cname %s: expected a "
			     "chain of at most %d cnames ending in a name "
			     "(a loop?)", cfg->cnames[i].name,
			     ZF_DNS_MAX_CHAIN);
	}
}

static void check_faults(struct checker *c, const struct zf_dns_config *cfg)
{
	for (size_t i = 0; i < cfg->nfaults; i++) {
		const struct zf_dns_fault_cfg *f = &cfg->faults[i];
		bool found = strcmp(f->resolver, ZF_DNS_ANY_RESOLVER) == 0;

		for (size_t j = 0; j < cfg->nlistens && !found; j++)
			found = strcmp(cfg->listens[j].id, f->resolver) == 0;
		if (!found)
			cerr(c, f->line, "fault %s: expected a listen ID or "
			     "'*' as resolver, found '%s'", f->id, f->resolver);
	}
}

int zf_dns_config_check(const struct zf_dns_config *cfg, const char *file,
			char *err, size_t errlen)
{
	struct checker c = { .file = file, .err = err, .errlen = errlen };
	size_t n, start = 0;
	struct entry *e = collect(cfg, &n);

	for (size_t i = 1; i <= n; i++) {
		if (i == n || strcmp(e[i].name, e[start].name) != 0) {
			check_name(&c, e + start, i - start);
			start = i;
		}
	}
	check_chains(&c, cfg, e, n);
	check_faults(&c, cfg);
	free(e);
	return c.failed ? -EINVAL : 0;
}
