/* status.c - `zonefall status [LAB]`: one JSON model, rendered as text or
 * printed as is. */
#include "cli/cli.h"
#include "lab/emu.h"
#include "lab/labdns.h"
#include "fault/fault.h"
#include "lab/host.h"
#include "lab/labrt.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *power_of(const struct zf_labrt *rt, size_t h)
{
	char rel[256];

	if (!zf_host_init_pid(rt, h))
		return "off";
	zf_labrt_host_cg(rt, h, NULL, rel, sizeof(rel));
	return zf_cg_frozen(&rt->cg, rel) == 1 ? "paused" : "on";
}

/* Services as the host's init reports them; when it cannot answer (off,
 * paused), the lab file's list with state "unknown"/"off". */
static json_t *services_of(const struct zf_labrt *rt, size_t h, const char *power)
{
	const struct zf_host *host = &rt->lab->hosts[h];
	char reply[65536];
	json_t *arr;

	if (!strcmp(power, "on") &&
	    zf_host_ctl(rt, h, "status", reply, sizeof(reply), 1000) == 0) {
		json_t *j = json_loads(reply, 0, NULL);
		arr = json_incref(json_object_get(j, "services"));
		json_decref(j);
		if (arr)
			return arr;
	}
	arr = json_array();
	for (size_t s = 0; s < host->n_services; s++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:i,s:i}", "name",
			host->services[s].name, "state",
			!strcmp(power, "off") ? "off" : strcmp(power, "paused") ? "unknown" : "paused",
			"pid", 0, "restarts", 0));
	return arr;
}

static json_t *host_json(const struct zf_labrt *rt, size_t h)
{
	const struct zf_lab *lab = rt->lab;
	const struct zf_host *host = &lab->hosts[h];
	const char *power = power_of(rt, h);
	char ip[16];

	zf_ip_format(rt->plan.host_ip[h], ip, sizeof(ip));
	return json_pack("{s:s,s:b,s:s,s:s,s:s,s:s,s:o}", "name", host->name,
			 "client", host->is_client,
			 "zone", host->zone >= 0 ? lab->zones[host->zone].full : "",
			 "region", host->region >= 0 ? lab->regions[host->region].name : "",
			 "address", ip, "power", power, "services",
			 services_of(rt, h, power));
}

static json_t *faults_json(const struct zf_labrt *rt)
{
	struct zf_fault_info *v;
	size_t n;
	json_t *arr = json_array();

	if (zf_fault_list_active(rt, &v, &n) < 0)
		return arr;
	for (size_t i = 0; i < n; i++) {
		char got[256];
		int has = zf_fault_delivered(rt, v[i].kind, v[i].id, got, sizeof(got)) == 0;
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:o}", "id", v[i].id,
						     "fault", v[i].kind, "target", v[i].target,
						     "args", v[i].args, "delivered",
						     has ? json_string(got) : json_null()));
	}
	free(v);
	return arr;
}

/* The link emulator's own figures (docs/linkem.md), or null when it does
 * not run. */
static json_t *links_json(const struct zf_labrt *rt)
{
	char *text = NULL;
	json_t *o = NULL;

	if (zf_emu_stats(rt, &text) == 0)
		o = json_loads(text, 0, NULL);
	free(text);
	return o ? o : json_null();
}

/* One resolver: its ID, address and the server's counters for it. */
static json_t *resolver_json(const struct zf_labrt *rt, size_t region, json_t *stats)
{
	char id[64], ip[16];
	json_t *l, *q = NULL;
	size_t i;

	zf_labdns_listen_id(rt->lab, region, id, sizeof(id));
	zf_ip_format(zf_labdns_resolver(rt, region), ip, sizeof(ip));
	json_array_foreach(json_object_get(stats, "listeners"), i, l)
		if (!strcmp(json_string_value(json_object_get(l, "id")) ?: "", id))
			q = json_object_get(l, "queries");
	return json_pack("{s:s,s:s,s:O}", "id", id, "address", ip, "queries",
			 q ? q : json_null());
}

/* The lab's DNS server: running or not, and each resolver. */
static json_t *dns_json(const struct zf_labrt *rt)
{
	char *text = NULL;
	json_t *stats = NULL, *arr = json_array();

	if (zf_labdns_stats(rt, &text) == 0)
		stats = json_loads(text, 0, NULL);
	free(text);
	for (size_t r = 0; r < rt->lab->n_regions; r++)
		json_array_append_new(arr, resolver_json(rt, r, stats));
	json_array_append_new(arr, resolver_json(rt, ZF_LABDNS_CLIENTS, stats));
	json_t *o = json_pack("{s:b,s:o}", "running", stats != NULL, "resolvers", arr);
	json_decref(stats);
	return o;
}

static json_t *lab_json(const char *name)
{
	struct zf_labrt *rt;
	char err[512], phase[32] = "unknown", block[16];
	json_t *hosts, *o;

	zf_labrt_phase(name, phase, sizeof(phase));
	if (zf_labrt_open(name, &rt, err, sizeof(err)) < 0)
		return json_pack("{s:s,s:s,s:s}", "name", name, "phase", phase, "error", err);
	hosts = json_array();
	for (size_t h = 0; h < rt->lab->n_hosts; h++)
		json_array_append_new(hosts, host_json(rt, h));
	zf_ip_format(rt->plan.block, block, sizeof(block));
	o = json_pack("{s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:o,s:o,s:o}", "name", name,
		      "phase", phase, "domain", rt->lab->domain, "block", block,
		      "block_len", rt->plan.block_len, "regions", (int)rt->lab->n_regions,
		      "zones", (int)rt->lab->n_zones, "hosts", hosts, "faults",
		      faults_json(rt), "linkem", links_json(rt));
	json_object_set_new(o, "dns", dns_json(rt));
	zf_labrt_close(rt);
	return o;
}

static void print_services(json_t *svcs)
{
	json_t *s;
	size_t i;

	json_array_foreach(svcs, i, s) {
		printf("%s%s:%s", i ? ", " : "", json_string_value(json_object_get(s, "name")),
		       json_string_value(json_object_get(s, "state")));
		json_int_t pid = json_integer_value(json_object_get(s, "pid"));
		json_int_t restarts = json_integer_value(json_object_get(s, "restarts"));
		if (pid)
			printf("(pid %lld", (long long)pid);
		if (pid && restarts)
			printf(", %lld restarts", (long long)restarts);
		if (pid)
			putchar(')');
	}
}

static double ms_of(json_t *o, const char *obj, const char *key)
{
	return (double)json_integer_value(json_object_get(json_object_get(o, obj), key)) / 1e6;
}

/* One line per emulated link: what was asked and what was delivered. */
static void print_links(json_t *em)
{
	json_t *l;
	size_t i;

	json_array_foreach(json_object_get(em, "links"), i, l)
		printf("  link %-28s %7lld packets, %lld dropped; delay asked %.3f ms, "
		       "added p50 %.3f p99 %.3f ms\n",
		       json_string_value(json_object_get(l, "name")),
		       (long long)json_integer_value(json_object_get(l, "packets")),
		       (long long)json_integer_value(json_object_get(l, "dropped")),
		       json_number_value(json_object_get(l, "delay_target_ns_mean")) / 1e6,
		       ms_of(l, "delay_added", "p50_ns"), ms_of(l, "delay_added", "p99_ns"));
}

/* "  dns: r1 198.19.255.10 (12 queries), public 198.19.255.2 (3 queries)" */
static void print_dns(json_t *dns)
{
	json_t *r;
	size_t i;

	if (!json_is_true(json_object_get(dns, "running"))) {
		printf("  dns: the lab's DNS server is not running (zonefall recover starts it)\n");
		return;
	}
	printf("  dns:");
	json_array_foreach(json_object_get(dns, "resolvers"), i, r)
		printf("%s %s %s (%lld queries)", i ? "," : "",
		       json_string_value(json_object_get(r, "id")),
		       json_string_value(json_object_get(r, "address")),
		       (long long)json_integer_value(json_object_get(r, "queries")));
	putchar('\n');
}

static void print_lab(json_t *lab)
{
	json_t *h, *f;
	size_t i;

	printf("lab %s (%s)", json_string_value(json_object_get(lab, "name")),
	       json_string_value(json_object_get(lab, "phase")));
	if (json_object_get(lab, "error")) {
		printf(": %s\n", json_string_value(json_object_get(lab, "error")));
		return;
	}
	printf(": %lld region(s), %lld zone(s), block %s/%lld, domain %s\n",
	       (long long)json_integer_value(json_object_get(lab, "regions")),
	       (long long)json_integer_value(json_object_get(lab, "zones")),
	       json_string_value(json_object_get(lab, "block")),
	       (long long)json_integer_value(json_object_get(lab, "block_len")),
	       json_string_value(json_object_get(lab, "domain")));
	printf("  %-16s %-10s %-15s %-7s %s\n", "HOST", "ZONE", "ADDRESS", "POWER", "SERVICES");
	json_array_foreach(json_object_get(lab, "hosts"), i, h) {
		const char *zone = json_string_value(json_object_get(h, "zone"));
		printf("  %-16s %-10s %-15s %-7s ", json_string_value(json_object_get(h, "name")),
		       *zone ? zone : "(client)", json_string_value(json_object_get(h, "address")),
		       json_string_value(json_object_get(h, "power")));
		print_services(json_object_get(h, "services"));
		putchar('\n');
	}
	json_array_foreach(json_object_get(lab, "faults"), i, f) {
		const char *got = json_string_value(json_object_get(f, "delivered"));
		printf("  fault %s: %s %s %s\n", json_string_value(json_object_get(f, "id")),
		       json_string_value(json_object_get(f, "fault")),
		       json_string_value(json_object_get(f, "target")),
		       json_string_value(json_object_get(f, "args")));
		if (got)
			printf("    delivered: %s\n", got);
	}
	print_links(json_object_get(lab, "linkem"));
	print_dns(json_object_get(lab, "dns"));
}

static int run(struct zf_cli *cli, int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : cli->lab;
	json_t *labs = json_array(), *l;
	char **names;
	size_t n, i;
	int rc;

	if (argc > 2)
		return zf_cli_usage(&zf_cmd_status, "at most one lab");
	rc = zf_labrt_list(&names, &n);
	if (rc < 0) {
		zf_error("%s: %s", ZF_RUN_ROOT, strerror(-rc));
		return ZF_EXIT_ENV;
	}
	for (i = 0; i < n; i++)
		if (!only || !strcmp(only, names[i]))
			json_array_append_new(labs, lab_json(names[i]));
	zf_strv_free(names);
	if (only && json_array_size(labs) == 0) {
		zf_error("no lab named '%s' is up", only);
		json_decref(labs);
		return ZF_EXIT_USAGE;
	}
	if (cli->json) {
		json_t *o = json_pack("{s:o}", "labs", labs);
		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
		return ZF_EXIT_OK;
	}
	if (json_array_size(labs) == 0)
		printf("no lab is up\n");
	json_array_foreach(labs, i, l)
		print_lab(l);
	json_decref(labs);
	return ZF_EXIT_OK;
}

const struct zf_cmd zf_cmd_status = {
	.name = "status",
	.run = run,
	.summary = "show labs, hosts (zone, address, power) and services",
	.help =
	"usage: zonefall status [LAB] [--json]\n\n"
	"For every running lab (or just LAB): each host and client with its zone,\n"
	"address and power state (on, off, paused), each service with its state\n"
	"(waiting, starting, running, unready, backoff, exited, stopped), pid\n"
	"inside the host and restart count, and the faults still applied with,\n"
	"for those a helper daemon carries out (link emulator, DNS server, disk\n"
	"daemon), what it has delivered so far: packets delayed or dropped,\n"
	"queries answered, disk operations delayed or failed.\n",
};
