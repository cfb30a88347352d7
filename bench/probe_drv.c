/* probe_drv.c - run one probe of the probe layer from the command line and
 * print what it measured: the driver of bench/probe-vs-wrk and of the
 * integration test t_probe.sh.
 *
 *   zf_probe_drv [options] http://IP[:PORT][/PATH] | IP:PORT
 *     --tcp               a tcp probe (target IP:PORT), else http
 *     --rate R            requests per second (default 100)
 *     --duration S        seconds to plan requests for (default 3)
 *     --connections N     concurrent connections (probe.h default)
 *     --no-keepalive      a new connection per request
 *     --timeout S         per-request timeout in seconds (default 1)
 *     --grace S           after the stop, wait this long (default: timeout)
 *     --netns PATH        make the sockets in this network namespace
 *     --method M --host H --body B --status N       http
 *     --send S --expect E                           tcp
 *     --resolve-failed    as if the name did not resolve
 *     --records FILE      write "planned_ns latency_ns outcome" per request
 *     --json              one JSON object instead of text
 *
 * Exit status 0 when the probe ran (whatever its outcomes), 2 on bad
 * arguments, 3 when the probe could not start. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe/probe.h"
#include "util/timeutil.h"

struct opts {
	struct zf_probe_spec spec;
	double duration, grace;   /* grace < 0: the timeout */
	const char *netns, *records;
	int json;
};

static int parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno || end == s || *end || !isfinite(*out) || *out < 0 ? -EINVAL
								      : 0;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/* IP[:PORT] at S (up to '/' or the end) into ADDR; DEFPORT if none. */
static int parse_hostport(const char *s, size_t n, int defport,
			  struct sockaddr_in *addr)
{
	char buf[64], *colon;
	int port = defport;

	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	colon = strchr(buf, ':');
	if (colon) {
		*colon = '\0';
		if (parse_int(colon + 1, 1, 65535, &port) < 0)
			return -EINVAL;
	}
	if (port <= 0)
		return -EINVAL;
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, buf, &addr->sin_addr) == 1 ? 0 : -EINVAL;
}

static int parse_target(struct zf_probe_spec *s, const char *t)
{
	const char *rest, *slash;

	if (s->kind == ZF_PROBE_TCP)
		return parse_hostport(t, strlen(t), 0, &s->addr);
	if (strncmp(t, "http://", 7) != 0)
		return -EINVAL;
	rest = t + 7;
	slash = strchr(rest, '/');
	if (parse_hostport(rest, slash ? (size_t)(slash - rest) : strlen(rest),
			   80, &s->addr) < 0)
		return -EINVAL;
	if (slash && strlen(slash) >= sizeof(s->path))
		return -EINVAL;
	if (slash)
		memcpy(s->path, slash, strlen(slash) + 1);
	return 0;
}

static int copy_field(char *dst, size_t len, const char *src)
{
	if (strlen(src) >= len)
		return -EINVAL;
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

enum {
	O_TCP = 256, O_RATE, O_DURATION, O_CONNS, O_NOKA, O_TIMEOUT, O_GRACE,
	O_NETNS, O_METHOD, O_HOST, O_BODY, O_STATUS, O_SEND, O_EXPECT,
	O_RESOLVE, O_RECORDS, O_JSON
};

static const struct option long_opts[] = {
	{ "tcp", no_argument, NULL, O_TCP },
	{ "rate", required_argument, NULL, O_RATE },
	{ "duration", required_argument, NULL, O_DURATION },
	{ "connections", required_argument, NULL, O_CONNS },
	{ "no-keepalive", no_argument, NULL, O_NOKA },
	{ "timeout", required_argument, NULL, O_TIMEOUT },
	{ "grace", required_argument, NULL, O_GRACE },
	{ "netns", required_argument, NULL, O_NETNS },
	{ "method", required_argument, NULL, O_METHOD },
	{ "host", required_argument, NULL, O_HOST },
	{ "body", required_argument, NULL, O_BODY },
	{ "status", required_argument, NULL, O_STATUS },
	{ "send", required_argument, NULL, O_SEND },
	{ "expect", required_argument, NULL, O_EXPECT },
	{ "resolve-failed", no_argument, NULL, O_RESOLVE },
	{ "records", required_argument, NULL, O_RECORDS },
	{ "json", no_argument, NULL, O_JSON },
	{ NULL, 0, NULL, 0 },
};

/* One option; 0 or -EINVAL. */
static int apply_opt(struct opts *o, int c, const char *arg)
{
	struct zf_probe_spec *s = &o->spec;
	double d;

	switch (c) {
	case O_TCP: s->kind = ZF_PROBE_TCP; s->keepalive = 0; return 0;
	case O_RATE: return parse_double(arg, &s->rate);
	case O_DURATION: return parse_double(arg, &o->duration);
	case O_CONNS: return parse_int(arg, 0, 10000, &s->connections);
	case O_NOKA: s->keepalive = 0; return 0;
	case O_TIMEOUT:
		if (parse_double(arg, &d) < 0 || d <= 0)
			return -EINVAL;
		s->timeout_ns = (uint64_t)(d * 1e9);
		return 0;
	case O_GRACE: return parse_double(arg, &o->grace);
	case O_NETNS: o->netns = arg; return 0;
	case O_METHOD: return copy_field(s->method, sizeof(s->method), arg);
	case O_HOST: return copy_field(s->host_header, sizeof(s->host_header), arg);
	case O_BODY: s->body = (char *)arg; return 0;
	case O_STATUS: return parse_int(arg, 100, 999, &s->expect_status);
	case O_SEND: s->send = (char *)arg; return 0;
	case O_EXPECT: s->expect = (char *)arg; return 0;
	case O_RESOLVE: s->resolve_failed = 1; return 0;
	case O_RECORDS: o->records = arg; return 0;
	case O_JSON: o->json = 1; return 0;
	default: return -EINVAL;
	}
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->spec.kind = ZF_PROBE_HTTP;
	o->spec.keepalive = 1;
	o->spec.rate = 100;
	o->spec.netns_fd = -1;
	memcpy(o->spec.name, "drv", 4);
	o->duration = 3;
	o->grace = -1;
	while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1)
		if (apply_opt(o, c, optarg) < 0) {
			fprintf(stderr, "zf_probe_drv: bad option or value "
				"(see the head of bench/probe_drv.c)\n");
			return -EINVAL;
		}
	if (optind != argc - 1 || parse_target(&o->spec, argv[optind]) < 0) {
		fprintf(stderr, "zf_probe_drv: one target: http://IP[:PORT]"
			"[/PATH] or, with --tcp, IP:PORT\n");
		return -EINVAL;
	}
	return 0;
}

struct summary {
	uint64_t n, by[ZF_OUT_N];
};

static void summarise(const struct zf_req *r, size_t n, struct summary *s)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	for (size_t i = 0; i < n; i++)
		s->by[r[i].outcome < ZF_OUT_N ? r[i].outcome : ZF_OUT_OTHER]++;
}

static int write_records(const char *path, const struct zf_req *r, size_t n)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%llu %llu %s\n", (unsigned long long)r[i].planned_ns,
			(unsigned long long)r[i].latency_ns,
			zf_outcome_name((enum zf_outcome)r[i].outcome));
	return fclose(f) == 0 ? 0 : -EIO;
}

static double us(uint64_t ns) { return (double)ns / 1e3; }

static void print_json(const struct opts *o, const struct summary *s,
		       const struct zf_hist *h, uint64_t wall0)
{
	uint64_t done = s->by[ZF_OUT_OK] + s->by[ZF_OUT_STATUS];

	printf("{\"t0_wall_ns\": %llu, \"duration_s\": %.3f, \"requests\": %llu,"
	       " \"ok_per_s\": %.1f, \"answered_per_s\": %.1f, "
	       "\"availability\": %.3f, \"outcomes\": {",
	       (unsigned long long)wall0, o->duration, (unsigned long long)s->n,
	       (double)s->by[ZF_OUT_OK] / o->duration,
	       (double)done / o->duration,
	       s->n ? 100.0 * (double)s->by[ZF_OUT_OK] / (double)s->n : 0.0);
	for (int i = 0; i < ZF_OUT_N; i++)
		printf("%s\"%s\": %llu", i ? ", " : "",
		       zf_outcome_name((enum zf_outcome)i),
		       (unsigned long long)s->by[i]);
	printf("}, \"ok_latency_us\": {\"min\": %.1f, \"p50\": %.1f, "
	       "\"p90\": %.1f, \"p99\": %.1f, \"p999\": %.1f, \"max\": %.1f}}\n",
	       us(zf_hist_min(h)), us(zf_hist_quantile(h, 0.5)),
	       us(zf_hist_quantile(h, 0.9)), us(zf_hist_quantile(h, 0.99)),
	       us(zf_hist_quantile(h, 0.999)), us(zf_hist_max(h)));
}

static void print_text(const struct opts *o, const struct summary *s,
		       const struct zf_hist *h)
{
	printf("requests %llu in %.1f s: %.1f ok/s\n", (unsigned long long)s->n,
	       o->duration, (double)s->by[ZF_OUT_OK] / o->duration);
	for (int i = 0; i < ZF_OUT_N; i++)
		if (s->by[i])
			printf("  %-12s %llu\n", zf_outcome_name((enum zf_outcome)i),
			       (unsigned long long)s->by[i]);
	printf("ok latency us: p50 %.1f  p99 %.1f  max %.1f\n",
	       us(zf_hist_quantile(h, 0.5)), us(zf_hist_quantile(h, 0.99)),
	       us(zf_hist_max(h)));
}

/* Start the probe at t0 = now, let it plan for the duration, stop it. */
static int run(struct opts *o, struct zf_probe **out, uint64_t *wall0)
{
	char err[512];
	int rc;

	if (o->netns) {
		o->spec.netns_fd = open(o->netns, O_RDONLY | O_CLOEXEC);
		if (o->spec.netns_fd < 0) {
			fprintf(stderr, "zf_probe_drv: %s: %s\n", o->netns,
				strerror(errno));
			return -errno;
		}
	}
	*wall0 = zf_wall_ns();
	rc = zf_probe_start(&o->spec, zf_now_ns(), out, err, sizeof(err));
	if (o->spec.netns_fd >= 0)
		close(o->spec.netns_fd);    /* entered by now */
	if (rc < 0) {
		fprintf(stderr, "zf_probe_drv: %s\n", err);
		return rc;
	}
	zf_sleep_ns((uint64_t)(o->duration * 1e9));
	if (o->grace >= 0)
		zf_probe_stop_within(*out, (uint64_t)(o->grace * 1e9));
	else
		zf_probe_stop(*out);
	return 0;
}

int main(int argc, char **argv)
{
	struct zf_probe *p = NULL;
	struct summary s;
	struct opts o;
	const struct zf_req *recs;
	uint64_t wall0 = 0;
	size_t n;

	if (parse_args(argc, argv, &o) < 0)
		return 2;
	if (run(&o, &p, &wall0) < 0)
		return 3;
	recs = zf_probe_records(p, &n);
	summarise(recs, n, &s);
	if (o.records && write_records(o.records, recs, n) < 0)
		fprintf(stderr, "zf_probe_drv: cannot write %s\n", o.records);
	if (o.json)
		print_json(&o, &s, zf_probe_hist(p), wall0);
	else
		print_text(&o, &s, zf_probe_hist(p));
	zf_probe_free(p);
	return 0;
}
