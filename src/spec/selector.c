/* selector.c - resolve textual fault targets ("zone r1/a") against a lab,
 * and "pick N of SELECTOR" / "pick P% of SELECTOR": a seeded, reproducible
 * choice among the services (service selectors) or hosts (every other
 * kind) that SELECTOR matches. A pick keeps the selection's kind but only
 * the picked hosts: a picked zone, region or lab selection has no zone or
 * region flags set, so a fault acts on those hosts and not on the gear. */
#include "spec/selector.h"

#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/mem.h"

#define SEL_TEXT_MAX 1024
#define SEL_WORDS_MAX 5      /* service GLOB in KIND GLOB */
#define PICK_WORDS 3         /* pick N of */
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

/* Split TEXT (a copy in BUF) into at most SEL_WORDS_MAX words, after
 * "pick N of" when it starts so. */
static int split_words(struct resolver *r, char *buf, char **w, size_t *n)
{
	char *save = NULL;

	*n = 0;
	for (char *t = strtok_r(buf, " \t\n", &save); t;
	     t = strtok_r(NULL, " \t\n", &save)) {
		size_t max = SEL_WORDS_MAX;

		if (*n > 0 && strcmp(w[0], "pick") == 0)
			max += PICK_WORDS;
		if (*n == max)
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

/* Resolve the N words W (no "pick") into a fresh R->sel; on error it is
 * freed. */
static int resolve_plain(struct resolver *r, char **w, size_t n)
{
	const struct zf_lab *lab = r->lab;
	struct zf_selection *sel = r->sel;
	int rc;

	sel->hosts = zf_xcalloc(lab->n_hosts + 1, 1);
	sel->zones = zf_xcalloc(lab->n_zones + 1, 1);
	sel->regions = zf_xcalloc(lab->n_regions + 1, 1);
	rc = resolve_words(r, w, n);
	if (rc < 0) {
		zf_selection_free(sel);
		return rc;
	}
	sel->n_selected_hosts = 0;
	for (size_t i = 0; i < lab->n_hosts; i++)
		sel->n_selected_hosts += sel->hosts[i];
	return 0;
}

/* How much "pick" takes: a count, or a percentage of what matched. */
struct pick_size {
	int percent;
	double value;
};

/* "N" (>= 1) or "P%" (0 < P <= 100) into *P. */
static int parse_pick_size(struct resolver *r, const char *word,
			   struct pick_size *p)
{
	size_t len = strlen(word), body;
	char *end = NULL;

	p->percent = len > 1 && word[len - 1] == '%';
	body = len - (size_t)p->percent;
	if (body > 0 && strspn(word, p->percent ? "0123456789." :
				     "0123456789") == body)
		p->value = strtod(word, &end);
	if (!end || end != word + body)
		return r_err(r, "expected a count like 2 or a percentage like "
			     "50%% after 'pick', got '%s'", word);
	if (p->percent && !(p->value > 0 && p->value <= 100))
		return r_err(r, "pick %s: the percentage must be more than 0%% "
			     "and at most 100%%", word);
	if (!p->percent && p->value < 1)
		return r_err(r, "pick %s: pick at least 1", word);
	return 0;
}

/* The N words W joined by single spaces into BUF (for messages and the
 * PRNG, so spacing does not change what is picked). */
static void join_words(char **w, size_t n, char *buf, size_t len)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && pos < len; i++) {
		int k = snprintf(buf + pos, len - pos, "%s%s", i ? " " : "",
				 w[i]);

		if (k < 0)
			break;
		pos += (size_t)k;
	}
}

/* splitmix64: a small, well-mixed PRNG; the same seed, the same stream. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, BOUND), BOUND > 0, without modulo bias. */
static uint64_t random_below(uint64_t *state, uint64_t bound)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % bound, x;

	do
		x = next_random(state);
	while (x >= limit);
	return x % bound;
}

/* FNV-1a of S mixed with SEED: the PRNG's starting state. */
static uint64_t pick_state(unsigned long long seed, const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h ^ (uint64_t)seed;
}

/* Keep K of the M candidates of R->sel (its services, or else its hosts,
 * in lab order), chosen by a partial Fisher-Yates shuffle from STATE: the
 * first K of one permutation, so a smaller pick is a subset of a larger
 * one. A picked zone, region or lab selection keeps its kind but loses its
 * gear flags: only the picked hosts remain. */
static void keep_picked(struct resolver *r, size_t k, size_t m,
			uint64_t state)
{
	struct zf_selection *sel = r->sel;
	const struct zf_lab *lab = r->lab;
	size_t *idx = zf_xcalloc(m, sizeof(*idx)), c = 0;
	unsigned char *keep = zf_xcalloc(m, 1);

	for (size_t i = 0; i < m; i++)
		idx[i] = i;
	for (size_t i = 0; i < k; i++) {
		size_t j = i + (size_t)random_below(&state, m - i), t = idx[i];

		idx[i] = idx[j];
		idx[j] = t;
		keep[idx[i]] = 1;
	}
	if (sel->kind == ZF_SEL_SERVICE) {
		memset(sel->hosts, 0, lab->n_hosts);
		for (size_t i = 0; i < m; i++) {
			if (!keep[i])
				continue;
			sel->services[c++] = sel->services[i];
			sel->hosts[sel->services[i].host] = 1;
		}
		sel->n_services = c;
	}
	for (size_t h = 0; sel->kind != ZF_SEL_SERVICE && h < lab->n_hosts; h++)
		if (sel->hosts[h])
			sel->hosts[h] = keep[c++];
	memset(sel->zones, 0, lab->n_zones);
	memset(sel->regions, 0, lab->n_regions);
	free(keep);
	free(idx);
}

/* "pick N of SELECTOR" / "pick P% of SELECTOR" (the N words W). */
static int resolve_pick(struct resolver *r, char **w, size_t n,
			unsigned long long seed)
{
	char text[SEL_TEXT_MAX + 1], inner[SEL_TEXT_MAX + 1];
	struct zf_selection *sel = r->sel;
	struct pick_size size = { 0, 0 };
	size_t m, k;
	int rc;

	if (n < PICK_WORDS + 1 || strcmp(w[2], "of") != 0)
		return r_err(r, "expected 'pick N of SELECTOR' or 'pick P%% of "
			     "SELECTOR'");
	rc = parse_pick_size(r, w[1], &size);
	if (rc == 0)
		rc = resolve_plain(r, w + PICK_WORDS, n - PICK_WORDS);
	if (rc < 0)
		return rc;
	m = sel->kind == ZF_SEL_SERVICE ? sel->n_services :
					 sel->n_selected_hosts;
	join_words(w, n, text, sizeof(text));
	if (!size.percent && size.value > (double)m) {
		rc = r_err(r, "%s: only %zu %s%s match%s", text, m,
			   sel->kind == ZF_SEL_SERVICE ? "service" : "host",
			   m == 1 ? "" : "s", m == 1 ? "es" : "");
		zf_selection_free(sel);
		return rc;
	}
	k = size.percent ? (size_t)ceil(size.value * (double)m / 100.0 - 1e-9) :
			   (size_t)size.value;
	k = k < 1 ? 1 : k > m ? m : k;
	join_words(w + PICK_WORDS, n - PICK_WORDS, inner, sizeof(inner));
	keep_picked(r, k, m, pick_state(seed, inner));
	sel->n_selected_hosts = 0;
	for (size_t i = 0; i < r->lab->n_hosts; i++)
		sel->n_selected_hosts += sel->hosts[i];
	return 0;
}

int zf_selector_resolve_seeded(const struct zf_lab *lab, const char *text,
			       unsigned long long seed, struct zf_selection *out,
			       char *err, size_t errlen)
{
	struct zf_selection sel = { 0 };
	struct resolver r = { lab, &sel, err, errlen };
	char buf[SEL_TEXT_MAX + 1], *words[SEL_WORDS_MAX + PICK_WORDS];
	size_t n;
	int rc;

	if (strlen(text) > SEL_TEXT_MAX)
		return r_err(&r, "selector longer than %d bytes",
			     SEL_TEXT_MAX);
	memcpy(buf, text, strlen(text) + 1);
	rc = split_words(&r, buf, words, &n);
	if (rc < 0)
		return rc;
	if (strcmp(words[0], "pick") == 0)
		rc = resolve_pick(&r, words, n, seed);
	else
		rc = resolve_plain(&r, words, n);
	if (rc == 0)
		*out = sel;
	return rc;
}

int zf_selector_resolve(const struct zf_lab *lab, const char *text,
			struct zf_selection *out, char *err, size_t errlen)
{
	return zf_selector_resolve_seeded(lab, text, 0, out, err, errlen);
}
