/* selector.c - resolve textual fault targets ("zone r1/a") against a lab. */
#include "spec/selector.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/mem.h"

#define SEL_TEXT_MAX 1024
#define SEL_WORDS_MAX 5      /* service GLOB in KIND GLOB */
#define SEL_KINDS "host, client, zone, region, service or lab"

struct resolver {
	const struct zf_lab *lab;
	struct zf_selection *sel;
	char *err;
	size_t errlen;
};

ZF_PRINTF(2, 3)
static int r_err(const struct resolver *r, const char *fmt, ...)
{
	va_list ap;

	if (r->err && r->errlen) {
		va_start(ap, fmt);
		vsnprintf(r->err, r->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int match(const char *glob, const char *name)
{
	return fnmatch(glob, name, 0) == 0;
}

/* Flag hosts (IS_CLIENT: clients) named by GLOB into FLAGS; returns how
 * many matched. */
static size_t match_hosts(const struct zf_lab *lab, const char *glob,
			  int is_client, unsigned char *flags)
{
	size_t n = 0;

	for (size_t i = 0; i < lab->n_hosts; i++) {
		if (lab->hosts[i].is_client != is_client ||
		    !match(glob, lab->hosts[i].name))
			continue;
		if (flags)
			flags[i] = 1;
		n++;
	}
	return n;
}

/* Flag zones matching GLOB (and, with HOSTS, every host in them). */
static size_t match_zones(const struct zf_lab *lab, const char *glob,
			  unsigned char *zones, unsigned char *hosts)
{
	size_t n = 0;

	for (size_t z = 0; z < lab->n_zones; z++) {
		if (!match(glob, lab->zones[z].full))
			continue;
		zones[z] = 1;
		n++;
	}
	for (size_t i = 0; hosts && i < lab->n_hosts; i++)
		if (lab->hosts[i].zone >= 0 && zones[lab->hosts[i].zone])
			hosts[i] = 1;
	return n;
}

/* Flag regions matching GLOB, their zones and (with HOSTS) their hosts. */
static size_t match_regions(const struct zf_lab *lab, const char *glob,
			    unsigned char *regions, unsigned char *zones,
			    unsigned char *hosts)
{
	size_t n = 0;

	for (size_t g = 0; g < lab->n_regions; g++) {
		if (!match(glob, lab->regions[g].name))
			continue;
		regions[g] = 1;
		n++;
	}
	for (size_t z = 0; z < lab->n_zones; z++)
		if (regions[lab->zones[z].region])
			zones[z] = 1;
	for (size_t i = 0; hosts && i < lab->n_hosts; i++)
		if (lab->hosts[i].zone >= 0 && zones[lab->hosts[i].zone])
			hosts[i] = 1;
	return n;
}

/* "host GLOB" / "client GLOB". */
static int select_hosts(struct resolver *r, const char *glob, int is_client)
{
	const char *kind = is_client ? "client" : "host";
	const char *other = is_client ? "host" : "client";

	r->sel->kind = ZF_SEL_HOST;
	if (match_hosts(r->lab, glob, is_client, r->sel->hosts))
		return 0;
	if (match_hosts(r->lab, glob, !is_client, NULL))
		return r_err(r, "no %s matches '%s' (it names a %s: write "
			     "'%s %s')", kind, glob, other, other, glob);
	return r_err(r, "no %s matches '%s'", kind, glob);
}

static int select_zones(struct resolver *r, const char *glob)
{
	struct zf_selection *s = r->sel;

	s->kind = ZF_SEL_ZONE;
	if (match_zones(r->lab, glob, s->zones, s->hosts))
		return 0;
	if (!strchr(glob, '/'))
		return r_err(r, "no zone matches '%s' (zones are written "
			     "region/zone, like 'r1/a')", glob);
	return r_err(r, "no zone matches '%s'", glob);
}

static int select_regions(struct resolver *r, const char *glob)
{
	struct zf_selection *s = r->sel;

	s->kind = ZF_SEL_REGION;
	if (match_regions(r->lab, glob, s->regions, s->zones, s->hosts))
		return 0;
	return r_err(r, "no region matches '%s'", glob);
}

static void select_lab(struct resolver *r)
{
	const struct zf_lab *lab = r->lab;
	struct zf_selection *s = r->sel;

	s->kind = ZF_SEL_LAB;
	memset(s->regions, 1, lab->n_regions);
	memset(s->zones, 1, lab->n_zones);
	for (size_t i = 0; i < lab->n_hosts; i++)
		s->hosts[i] = !lab->hosts[i].is_client;
}

/* The hosts a "service ... in KIND GLOB" clause allows, into SCOPE. */
static int service_scope(struct resolver *r, const char *kind,
			 const char *glob, unsigned char *scope)
{
	const struct zf_lab *lab = r->lab;
	unsigned char *zones = zf_xcalloc(lab->n_zones + 1, 1);
	unsigned char *regions = zf_xcalloc(lab->n_regions + 1, 1);
	size_t n = 0;
	int rc = 0;

	if (strcmp(kind, "host") == 0 || strcmp(kind, "client") == 0)
		n = match_hosts(lab, glob, kind[0] == 'c', scope);
	else if (strcmp(kind, "zone") == 0)
		n = match_zones(lab, glob, zones, scope);
	else if (strcmp(kind, "region") == 0)
		n = match_regions(lab, glob, regions, zones, scope);
	else
		rc = r_err(r, "expected host, client, zone or region after "
			   "'in', got '%s'", kind);
	if (rc == 0 && n == 0)
		rc = r_err(r, "no %s matches '%s'", kind, glob);
	free(regions);
	free(zones);
	return rc;
}

/* Append every service matching GLOB on a host in SCOPE. */
static size_t collect_services(struct resolver *r, const char *glob,
			       const unsigned char *scope)
{
	const struct zf_lab *lab = r->lab;
	struct zf_selection *s = r->sel;

	for (size_t i = 0; i < lab->n_hosts; i++) {
		const struct zf_host *h = &lab->hosts[i];

		for (size_t j = 0; scope[i] && j < h->n_services; j++) {
			if (!match(glob, h->services[j].name))
				continue;
			s->services = zf_xrealloc(s->services,
				(s->n_services + 1) * sizeof(*s->services));
			s->services[s->n_services].host = i;
			s->services[s->n_services].service = j;
			s->n_services++;
			s->hosts[i] = 1;
		}
	}
	return s->n_services;
}

/* "service GLOB" or "service GLOB in KIND GLOB" (WORDS, N of them). */
static int select_services(struct resolver *r, char **words, size_t n)
{
	unsigned char *scope = zf_xcalloc(r->lab->n_hosts + 1, 1);
	int rc = 0;

	r->sel->kind = ZF_SEL_SERVICE;
	if (n == 2)
		memset(scope, 1, r->lab->n_hosts);
	else if (n == 5 && strcmp(words[2], "in") == 0)
		rc = service_scope(r, words[3], words[4], scope);
	else
		rc = r_err(r, "expected 'service GLOB [in host|zone|region "
			   "GLOB]'");
	if (rc == 0 && !collect_services(r, words[1], scope)) {
		if (n == 2)
			rc = r_err(r, "no service matches '%s'", words[1]);
		else
			rc = r_err(r, "no service matches '%s' in %s '%s'",
				   words[1], words[3], words[4]);
	}
	free(scope);
	return rc;
}

/* Dispatch on the first of N words. */
static int resolve_words(struct resolver *r, char **w, size_t n)
{
	const char *kind = w[0];

	if (strcmp(kind, "lab") == 0) {
		if (n != 1)
			return r_err(r, "unexpected '%s' after 'lab'", w[1]);
		select_lab(r);
		return 0;
	}
	if (strcmp(kind, "service") == 0)
		return n >= 2 ? select_services(r, w, n) :
				r_err(r, "expected a pattern after 'service'");
	if (strcmp(kind, "host") && strcmp(kind, "client") &&
	    strcmp(kind, "zone") && strcmp(kind, "region"))
		return r_err(r, "unknown selector kind '%s'; expected "
			     SEL_KINDS, kind);
	if (n < 2)
		return r_err(r, "expected a pattern after '%s'", kind);
	if (n > 2)
		return r_err(r, "unexpected '%s' after '%s %s'", w[2], kind,
			     w[1]);
	if (kind[0] == 'h' || kind[0] == 'c')
		return select_hosts(r, w[1], kind[0] == 'c');
	if (kind[0] == 'z')
		return select_zones(r, w[1]);
	return select_regions(r, w[1]);
}

/* Split TEXT (a copy in BUF) into at most SEL_WORDS_MAX words. */
static int split_words(struct resolver *r, char *buf, char **w, size_t *n)
{
	char *save = NULL;

	*n = 0;
	for (char *t = strtok_r(buf, " \t\n", &save); t;
	     t = strtok_r(NULL, " \t\n", &save)) {
		if (*n == SEL_WORDS_MAX)
			return r_err(r, "unexpected '%s' at the end of the "
				     "selector", t);
		w[(*n)++] = t;
	}
	if (*n == 0)
		return r_err(r, "empty selector; expected " SEL_KINDS);
	return 0;
}

void zf_selection_free(struct zf_selection *sel)
{
	if (!sel)
		return;
	free(sel->hosts);
	free(sel->zones);
	free(sel->regions);
	free(sel->services);
	memset(sel, 0, sizeof(*sel));
}

int zf_selector_resolve(const struct zf_lab *lab, const char *text,
			struct zf_selection *out, char *err, size_t errlen)
{
	struct zf_selection sel = { 0 };
	struct resolver r = { lab, &sel, err, errlen };
	char buf[SEL_TEXT_MAX + 1], *words[SEL_WORDS_MAX];
	size_t n;
	int rc;

	if (strlen(text) > SEL_TEXT_MAX)
		return r_err(&r, "selector longer than %d bytes",
			     SEL_TEXT_MAX);
	memcpy(buf, text, strlen(text) + 1);
	rc = split_words(&r, buf, words, &n);
	if (rc < 0)
		return rc;
	sel.hosts = zf_xcalloc(lab->n_hosts + 1, 1);
	sel.zones = zf_xcalloc(lab->n_zones + 1, 1);
	sel.regions = zf_xcalloc(lab->n_regions + 1, 1);
	rc = resolve_words(&r, words, n);
	if (rc < 0) {
		zf_selection_free(&sel);
		return rc;
	}
	for (size_t i = 0; i < lab->n_hosts; i++)
		sel.n_selected_hosts += sel.hosts[i];
	*out = sel;
	return 0;
}
