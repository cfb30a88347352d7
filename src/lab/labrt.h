/* labrt.h - a realised lab as the other layers see it: its model, address
 * plan, cgroups and the paths of its state, opened from /run/zonefall/<lab>.
 *
 * State layout (mode 0700):
 *   /run/zonefall/<lab>/phase          creating | up | deleting
 *   /run/zonefall/<lab>/lab.yaml       the lab file as it was at `up`
 *   /run/zonefall/<lab>/labdir         the directory "{lab}" expands to
 *   /run/zonefall/<lab>/inventory      see inventory.h
 *   /run/zonefall/<lab>/journal        the fault journal (fault layer)
 *   /run/zonefall/<lab>/hosts          the lab's /etc/hosts
 *   /run/zonefall/<lab>/h/<host>/      init.json, init.pid, ctl.sock
 *   /run/zonefall/<lab>/drills/<pid>   drills using the lab (labuse.h)
 * Data (survives power cycles, removed by `down` unless --keep-data):
 *   /var/lib/zonefall/<lab>/<host>/    {data}; logs in log/ */
#ifndef ZF_LAB_LABRT_H
#define ZF_LAB_LABRT_H

#include <stddef.h>
#include <sys/types.h>

#include "lab/addrplan.h"
#include "lab/cgroup.h"
#include "spec/lab.h"

#define ZF_RUN_ROOT "/run/zonefall"
#define ZF_DATA_ROOT "/var/lib/zonefall"

struct zf_labrt {
	struct zf_lab *lab;
	struct zf_plan plan;
	struct zf_cg cg;
	char state[256];     /* /run/zonefall/<lab> */
	char data[256];      /* /var/lib/zonefall/<lab> */
};

/* Wrap a freshly loaded model (ownership of LAB passes to the handle). */
int zf_labrt_new(struct zf_lab *lab, struct zf_labrt **out, char *err, size_t errlen);

/* Open the running lab NAME from its state directory. -ENOENT if there is no
 * such lab; other errors (a damaged state) have ERR set. */
int zf_labrt_open(const char *name, struct zf_labrt **out, char *err, size_t errlen);

void zf_labrt_close(struct zf_labrt *rt);

/* Names of the labs that have a state directory (sorted). */
int zf_labrt_list(char ***names, size_t *n);

int zf_labrt_phase(const char *name, char *buf, size_t len);
int zf_labrt_set_phase(const struct zf_labrt *rt, const char *phase);

/* Serialise operations on lab NAME (up, down, recover, inject, revert)
 * across processes: an exclusive flock on its state directory, released
 * when the returned fd is closed or the process dies. Returns the fd, or
 * -ENOENT when the lab has no state. Never take it twice in one process. */
int zf_labrt_lock(const char *name);
void zf_labrt_unlock(int fd);

/* Paths of one host. */
int zf_labrt_host_dir(const struct zf_labrt *rt, size_t host, const char *leaf,
		      char *buf, size_t len);   /* <state>/h/<host>/<leaf> */
int zf_labrt_host_data(const struct zf_labrt *rt, size_t host, char *buf, size_t len);
int zf_labrt_host_cg(const struct zf_labrt *rt, size_t host, const char *leaf,
		     char *buf, size_t len);    /* "<lab>/<host>[/<leaf>]" */

/* Find a host by "name" or "lab/name" among the running labs (LAB may be
 * NULL: then the name must be unique). Opens the lab into *OUT. */
int zf_labrt_find_host(const char *lab, const char *spec, struct zf_labrt **out,
		       size_t *host, char *err, size_t errlen);

/* Open LAB, or the only running lab when LAB is NULL. */
int zf_labrt_open_default(const char *lab, struct zf_labrt **out, char *err,
			  size_t errlen);

#endif
