/* answer.c - the records of a response: the zone's data for the question
 * (A RRsets in round-robin order and without hosts marked down when the
 * RRset asks so, cnames chased inside the zone, the synthesised SOA, NS
 * and ns.ZONE), NXDOMAIN versus NOERROR without data, and what a fault
 * changes. Minimal responses: SOA in the authority section only when the
 * answer is negative, glue only for NS. */
#include "dns/daemon/dnsd.h"
#include "dns/dns_name.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct actx {
	struct dnsd_zone *z;
	const struct dnsd_src *src;
	const struct dnsd_query *q;
	ldns_pkt *r;
	int rcode;
	bool failed;                /* ldns could not allocate */
};

/* Add RR (taken; NULL when its creation failed) to section S. */
static void push(struct actx *a, ldns_pkt_section s, ldns_rr *rr)
{
	if (!rr) {
		a->failed = true;
		return;
	}
	if (!ldns_pkt_push_rr(a->r, s, rr)) {
		ldns_rr_free(rr);
		a->failed = true;
	}
}

static void push_clone(struct actx *a, ldns_pkt_section s, const ldns_rr *rr)
{
	if (rr)
		push(a, s, ldns_rr_clone(rr));
}

/* The addresses of N into section S: without the records marked down
 * when the RRset is health-aware, the rest rotated one step per query
 * when it is round-robin (so each address that is up leads in turn); the
 * asking listener's address for a synthesised ns.ZONE. */
static void add_addrs(struct actx *a, struct dnsd_node *n, ldns_pkt_section s)
{
	uint16_t up[ZF_DNS_MAX_RRSET];
	uint32_t nup = 0, start = 0;

	if (n->synth_ns) {
		push(a, s, dnsd_make_a(ldns_dname_new_frm_str(n->name),
				       DNSD_NS_TTL, a->src->local));
		return;
	}
	for (uint32_t i = 0; i < n->na && nup < ZF_DNS_MAX_RRSET; i++) {
		if (!(n->health_aware && n->down[i]))
			up[nup++] = (uint16_t)i;
	}
	if (nup == 0)
		return;
	if (n->roundrobin)
		start = (uint32_t)(n->turn++ % nup);
	for (uint32_t i = 0; i < nup; i++)
		push_clone(a, s, n->a[up[(start + i) % nup]]);
}

static void add_ns(struct actx *a)
{
	char glue[ZF_DNS_NAME_MAX + 8];
	struct dnsd_node *g;

	push_clone(a, LDNS_SECTION_ANSWER, a->z->ns);
	snprintf(glue, sizeof(glue), "ns.%s", a->z->name);
	g = dnsd_zone_find(a->z, glue);
	if (g && !g->cname)
		add_addrs(a, g, LDNS_SECTION_ADDITIONAL);
}

/* The data of N itself for the question's type (cnames already chased). */
static void answer_node(struct actx *a, struct dnsd_node *n)
{
	bool apex = n == a->z->apex;

	switch (a->q->qtype) {
	case LDNS_RR_TYPE_A:
		add_addrs(a, n, LDNS_SECTION_ANSWER);
		break;
	case LDNS_RR_TYPE_CNAME:
		push_clone(a, LDNS_SECTION_ANSWER, n->cname);
		break;
	case LDNS_RR_TYPE_SOA:
		if (apex)
			push_clone(a, LDNS_SECTION_ANSWER, a->z->soa);
		break;
	case LDNS_RR_TYPE_NS:
		if (apex)
			add_ns(a);
		break;
	case LDNS_RR_TYPE_ANY:      /* minimal (RFC 8482): one RRset */
		if (n->na || n->synth_ns)
			add_addrs(a, n, LDNS_SECTION_ANSWER);
		else if (apex)
			push_clone(a, LDNS_SECTION_ANSWER, a->z->soa);
		break;
	default:                    /* AAAA and the rest: no data */
		break;
	}
}

/* Answer NAME from zone Z, following cnames inside the zone. */
static void resolve(struct actx *a, const char *name)
{
	struct dnsd_node *n = dnsd_zone_find(a->z, name);
	ldns_rr_type t = a->q->qtype;

	for (int hops = 0; n; hops++) {
		if (!n->cname || t == LDNS_RR_TYPE_CNAME) {
			answer_node(a, n);
			return;
		}
		push_clone(a, LDNS_SECTION_ANSWER, n->cname);
		if (t == LDNS_RR_TYPE_ANY || !n->target_in_zone ||
		    hops >= ZF_DNS_MAX_CHAIN)
			return;
		n = n->target;
	}
	a->rcode = LDNS_RCODE_NXDOMAIN;
}

/* 'wrong': one A record, the question's name, the fault's address. */
static void answer_wrong(struct actx *a, const struct dnsd_fault *f)
{
	struct dnsd_node *n = dnsd_zone_find(a->z, a->q->name);
	uint32_t ttl = n && n->na ? ldns_rr_ttl(n->a[0]) : DNSD_WRONG_TTL;

	push(a, LDNS_SECTION_ANSWER,
	     dnsd_make_a(ldns_rdf_clone(ldns_rr_owner(a->q->question)), ttl,
			 f->cfg.wrong));
}

static void override_ttl(ldns_pkt *r, uint32_t ttl)
{
	ldns_rr_list *l = ldns_pkt_answer(r);

	for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++)
		ldns_rr_set_ttl(ldns_rr_list_rr(l, i), ttl);
}

/* The answer as the fault F (may be NULL) shapes it. */
static void answer_with(struct actx *a, const struct dnsd_fault *f)
{
	enum zf_dns_fault_mode m = f ? f->cfg.mode : ZF_DNS_FAULT_SLOW;

	if (m == ZF_DNS_FAULT_SERVFAIL) {
		a->rcode = LDNS_RCODE_SERVFAIL;
		return;
	}
	if (m == ZF_DNS_FAULT_NXDOMAIN)
		a->rcode = LDNS_RCODE_NXDOMAIN;
	else if (m == ZF_DNS_FAULT_WRONG && a->q->qtype == LDNS_RR_TYPE_A)
		answer_wrong(a, f);
	else if (m != ZF_DNS_FAULT_EMPTY)
		resolve(a, a->q->name);
	if (m == ZF_DNS_FAULT_TTL)
		override_ttl(a->r, f->cfg.ttl);
	ldns_pkt_set_aa(a->r, true);
	if (a->rcode == LDNS_RCODE_NXDOMAIN ||
	    ldns_rr_list_rr_count(ldns_pkt_answer(a->r)) == 0)
		push_clone(a, LDNS_SECTION_AUTHORITY, a->z->soa);
}

int dnsd_answer(struct dnsd_zone *z, const struct dnsd_src *src,
		const struct dnsd_query *q, const struct dnsd_fault *f,
		ldns_pkt *r)
{
	struct actx a = { .z = z, .src = src, .q = q, .r = r,
			  .rcode = LDNS_RCODE_NOERROR };

	answer_with(&a, f);
	if (a.failed)
		return -ENOMEM;
	ldns_pkt_set_rcode(r, (uint8_t)a.rcode);
	return a.rcode;
}
