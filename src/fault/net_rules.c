/* net_rules.c - rules and arguments of the filter faults (see
 * net_rules.h). */
#include "fault/net_rules.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARGS_MAX 256

static const char *const proto_names[] = { "tcp", "udp", "icmp", "any" };

int zf_partition_args(const char *args, int *oneway, char *err, size_t errlen)
{
	char buf[ARGS_MAX], *save = NULL, *w;

	*oneway = 0;
	snprintf(buf, sizeof(buf), "%s", args ? args : "");
	for (w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (strcmp(w, "oneway") || *oneway) {
			snprintf(err, errlen, "unexpected argument '%s' (partition takes "
				 "only 'oneway')", w);
			return -EINVAL;
		}
		*oneway = 1;
	}
	return 0;
}

/* A port number 1..65535 from W; -1 if it is not one. */
static int parse_port(const char *w)
{
	char *end;
	long v;

	if (!w || *w < '0' || *w > '9')
		return -1;
	v = strtol(w, &end, 10);
	return *end || v < 1 || v > 65535 ? -1 : (int)v;
}

static int proto_of(const char *w)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(w, proto_names[i]))
			return i;
	return -1;
}

enum { SEEN_PROTO = 1, SEEN_PORT = 2, SEEN_ACTION = 4 };

/* Which part of the block arguments word W is; 0 for none. */
static int word_kind(const char *w)
{
	if (proto_of(w) >= 0)
		return SEEN_PROTO;
	if (!strcmp(w, "port"))
		return SEEN_PORT;
	if (!strcmp(w, "drop") || !strcmp(w, "reject"))
		return SEEN_ACTION;
	return 0;
}

/* One word W of the block arguments (with the number after "port", taken
 * from the strtok_r state SAVE) into A; SEEN collects the parts given. */
static int block_word(char *w, char **save, struct zf_block_args *a, int *seen,
		      char *err, size_t errlen)
{
	int kind = word_kind(w);
	char *num;

	if (!kind) {
		snprintf(err, errlen, "unexpected argument '%s'; expected "
			 "[tcp|udp|icmp|any] [port N] [drop|reject]", w);
		return -EINVAL;
	}
	if (*seen & kind) {
		snprintf(err, errlen, "'%s': the %s is given twice", w,
			 kind == SEEN_PROTO ? "protocol" : kind == SEEN_PORT ? "port" :
			 "action");
		return -EINVAL;
	}
	*seen |= kind;
	if (kind == SEEN_PROTO) {
		a->proto = (enum zf_proto)proto_of(w);
	} else if (kind == SEEN_ACTION) {
		a->reject = !strcmp(w, "reject");
	} else {
		num = strtok_r(NULL, " \t", save);
		a->port = parse_port(num);
		if (a->port < 0) {
			snprintf(err, errlen, "'port' needs a number from 1 to 65535%s%s%s",
				 num ? ", not '" : "", num ? num : "", num ? "'" : "");
			return -EINVAL;
		}
	}
	return 0;
}

int zf_block_args(const char *args, struct zf_block_args *out, char *err,
		  size_t errlen)
{
	struct zf_block_args a = { .proto = ZF_PROTO_TCP };
	char buf[ARGS_MAX], *save = NULL, *w;
	int seen = 0, rc = 0;

	snprintf(buf, sizeof(buf), "%s", args ? args : "");
	for (w = strtok_r(buf, " \t", &save); w && rc == 0;
	     w = strtok_r(NULL, " \t", &save))
		rc = block_word(w, &save, &a, &seen, err, errlen);
	if (rc == 0 && a.port && a.proto == ZF_PROTO_ICMP) {
		snprintf(err, errlen, "icmp has no ports: drop 'port %d' or use tcp, "
			 "udp or any", a.port);
		rc = -EINVAL;
	}
	if (rc == 0)
		*out = a;
	return rc;
}

void zf_block_describe(const struct zf_block_args *a, char *buf, size_t len)
{
	char port[16] = "";

	if (a->port)
		snprintf(port, sizeof(port), " port %d", a->port);
	snprintf(buf, len, "%s%s %s", proto_names[a->proto], port,
		 a->reject ? "reject" : "drop");
}

size_t zf_rules_partition(struct zf_text *t, const char *id, int oneway)
{
	zf_text_add(t, "add rule inet zonefall %s ip saddr @%s_a ip daddr @%s_b drop\n",
		    id, id, id);
	if (oneway)
		return 1;
	zf_text_add(t, "add rule inet zonefall %s ip saddr @%s_b ip daddr @%s_a drop\n",
		    id, id, id);
	return 2;
}

size_t zf_rules_isolate(struct zf_text *t, const char *id)
{
	zf_text_add(t, "add rule inet zonefall %s ip saddr @%s_a ip daddr != @%s_a drop\n",
		    id, id, id);
	zf_text_add(t, "add rule inet zonefall %s ip daddr @%s_a ip saddr != @%s_a drop\n",
		    id, id, id);
	return 2;
}

/* The verdict for protocol P: silence, or the refusal a real host or
 * firewall sends (a TCP reset on behalf of the destination, ICMP port
 * unreachable for UDP, administratively prohibited for the rest). */
static const char *verdict(enum zf_proto p, int reject)
{
	if (!reject)
		return "drop";
	if (p == ZF_PROTO_TCP)
		return "reject with tcp reset";
	if (p == ZF_PROTO_UDP)
		return "reject with icmpx type port-unreachable";
	return "reject with icmpx type admin-prohibited";
}

/* One rule for protocol P (never ANY) with the port of A. */
static void block_rule(struct zf_text *t, const char *id, enum zf_proto p,
		       const struct zf_block_args *a)
{
	zf_text_add(t, "add rule inet zonefall %s ip saddr @%s_a ip daddr @%s_b ", id,
		    id, id);
	if (a->port)
		zf_text_add(t, "%s dport %d", proto_names[p], a->port);
	else
		zf_text_add(t, "meta l4proto %s", proto_names[p]);
	zf_text_add(t, " %s\n", verdict(p, a->reject));
}

size_t zf_rules_block(struct zf_text *t, const char *id,
		      const struct zf_block_args *a)
{
	if (a->proto != ZF_PROTO_ANY) {
		block_rule(t, id, a->proto, a);
		return 1;
	}
	if (!a->reject && !a->port) {
		zf_text_add(t, "add rule inet zonefall %s ip saddr @%s_a ip daddr @%s_b "
			    "drop\n", id, id, id);
		return 1;
	}
	block_rule(t, id, ZF_PROTO_TCP, a);
	block_rule(t, id, ZF_PROTO_UDP, a);
	if (a->port)
		return 2;
	/* Everything else (icmp, sctp, ...): the catch-all refusal. */
	zf_text_add(t, "add rule inet zonefall %s ip saddr @%s_a ip daddr @%s_b %s\n",
		    id, id, id, verdict(ZF_PROTO_ICMP, 1));
	return 3;
}
