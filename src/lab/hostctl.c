/* hostctl.c - the client side of the host init's control socket. */
#include "lab/host.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/timeutil.h"

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int connect_ctl(const char *path, int timeout_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = timeout_ms / 1000,
			      .tv_usec = (timeout_ms % 1000) * 1000 };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

int zf_host_ctl(const struct zf_labrt *rt, size_t host, const char *req,
		char *reply, size_t len, int timeout_ms)
{
	char path[512], line[1024];
	size_t got = 0;
	int fd, rc = 0;

	if (len == 0)
		return -EINVAL;
	zf_labrt_host_dir(rt, host, "ctl.sock", path, sizeof(path));
	fd = connect_ctl(path, timeout_ms);
	if (fd < 0)
		return fd;
	snprintf(line, sizeof(line), "%s\n", req);
	rc = zf_write_all(fd, line, strlen(line));
	while (rc == 0 && got + 1 < len) {
		ssize_t n = read(fd, reply + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = errno == EAGAIN ? -ETIMEDOUT : -errno;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	reply[got] = '\0';
	close(fd);
	if (rc == 0 && got == 0)
		rc = -ECONNRESET;
	return rc;
}

/* Name of the first service that is still coming up, or NULL if none. A
 * service in back-off (it exited and waits to be started again) is not up:
 * a crash loop must not pass for a lab that works. */
static const char *first_unready(json_t *status, char *buf, size_t len)
{
	json_t *svcs = json_object_get(status, "services"), *s;
	size_t i;

	json_array_foreach(svcs, i, s) {
		const char *st = json_string_value(json_object_get(s, "state"));
		if (st && (!strcmp(st, "waiting") || !strcmp(st, "starting") ||
			   !strcmp(st, "backoff"))) {
			snprintf(buf, len, "%s (%s)",
				 json_string_value(json_object_get(s, "name")), st);
			return buf;
		}
	}
	return NULL;
}

int zf_host_wait_ready(const struct zf_labrt *rt, size_t host, int timeout_ms,
		       char *err, size_t errlen)
{
	uint64_t deadline = zf_now_ns() + (uint64_t)timeout_ms * ZF_NS_PER_MS;
	char reply[65536], what[128] = "its init";

	do {
		int rc = zf_host_ctl(rt, host, "status", reply, sizeof(reply), 1000);
		if (rc == 0) {
			json_t *j = json_loads(reply, 0, NULL);
			const char *bad = j ? first_unready(j, what, sizeof(what)) : "?";
			json_decref(j);
			if (!bad)
				return 0;
		}
		zf_sleep_ns(5 * ZF_NS_PER_MS);
	} while (zf_now_ns() < deadline);
	snprintf(err, errlen, "host %s: %s is not ready after %d ms (see "
		 "`zonefall logs %s`)", rt->lab->hosts[host].name, what, timeout_ms,
		 rt->lab->hosts[host].name);
	return -ETIMEDOUT;
}
