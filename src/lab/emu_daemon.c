/* emu_daemon.c - the lab's link emulator daemon: one zonefall-linkem per
 * lab in <state>/linkem, started the first time the lab needs emulation
 * (lab/daemon.h has its life). */
#include "lab/daemon.h"
#include "lab/emu_priv.h"
#include "util/log.h"

#include <errno.h>
#include <limits.h>

/* Real-time scheduling, so that the emulator releases held packets on
 * time however busy the machine is: with normal scheduling its wake-ups
 * are late by milliseconds under load. */
static const struct zf_daemon_kind linkem = {
	.env = "ZF_LINKEM", .binary = "zonefall-linkem", .what = "link emulator",
	.realtime = 1,
};

int zf_emu_dir(const char *state, char *buf, size_t len)
{
	return zf_fmt(buf, len, "%s/linkem", state) ? -ENAMETOOLONG : 0;
}

int zf_emu_daemon_ensure(const struct zf_labrt *rt, char *err, size_t errlen)
{
	char dir[PATH_MAX];

	if (zf_emu_dir(rt->state, dir, sizeof(dir)) < 0)
		return -ENAMETOOLONG;
	return zf_daemon_ensure(&linkem, dir, err, errlen);
}
