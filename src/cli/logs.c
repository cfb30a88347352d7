/* logs.c - `zonefall logs HOST [SERVICE]`. */
#include "cli/cli.h"
#include "lab/host.h"
#include "util/fsutil.h"
#include "util/log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MAX (64u << 20)

static int show(const char *path, const char *title)
{
	char *buf;
	size_t len;
	int rc = zf_read_file(path, LOG_MAX, &buf, &len);

	if (rc < 0) {
		zf_error("%s: %s", path, strerror(-rc));
		return rc;
	}
	if (title)
		printf("==> %s <==\n", title);
	fwrite(buf, 1, len, stdout);
	free(buf);
	return 0;
}

static int run(struct zf_cli *cli, int argc, char **argv)
{
	struct zf_labrt *rt;
	size_t host;
	char err[512], dir[512], path[600];
	int rc;

	if (argc < 2 || argc > 3)
		return zf_cli_usage(&zf_cmd_logs, "give a host and optionally a service");
	rc = zf_labrt_find_host(cli->lab, argv[1], &rt, &host, err, sizeof(err));
	if (rc < 0) {
		zf_error("%s", err);
		return zf_cli_exit(rc);
	}
	zf_labrt_host_data(rt, host, dir, sizeof(dir));
	const struct zf_host *h = &rt->lab->hosts[host];
	if (argc == 3) {
		if (zf_host_find_service(h, argv[2]) < 0 && strcmp(argv[2], "init")) {
			zf_error("host %s has no service '%s'", h->name, argv[2]);
			zf_labrt_close(rt);
			return ZF_EXIT_USAGE;
		}
		zf_fmt(path, sizeof(path), "%s/log/%s.log", dir, argv[2]);
		rc = show(path, NULL);
	} else {
		zf_fmt(path, sizeof(path), "%s/log/init.log", dir);
		rc = show(path, "init");
		for (size_t s = 0; rc == 0 && s < h->n_services; s++) {
			zf_fmt(path, sizeof(path), "%s/log/%s.log", dir, h->services[s].name);
			if (zf_exists(path))
				rc = show(path, h->services[s].name);
		}
	}
	zf_labrt_close(rt);
	return rc < 0 ? ZF_EXIT_ENV : ZF_EXIT_OK;
}

const struct zf_cmd zf_cmd_logs = {
	.name = "logs",
	.run = run,
	.summary = "print a host's init log and its services' output",
	.help =
	"usage: zonefall logs [--lab LAB] HOST [SERVICE]\n\n"
	"Without SERVICE: the host's init log (every start, exit, restart and\n"
	"readiness, timestamped) then each service's output. With SERVICE: that\n"
	"service's output only ('init' for the init log). Logs live in the host's\n"
	"data directory, /var/lib/zonefall/LAB/HOST/log, and survive power cycles.\n",
};
