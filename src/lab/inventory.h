/* inventory.h - the list of every kernel object and directory a lab made.
 *
 * One line per object in <state>/inventory, appended and fsync'd *before*
 * the objects are created, so that teardown and `recover` — which act only
 * on this list, never by name pattern — can always find them. */
#ifndef ZF_LAB_INVENTORY_H
#define ZF_LAB_INVENTORY_H

#include <stddef.h>

enum zf_inv_kind {
	ZF_INV_DIR,          /* a directory tree we made: removed recursively */
	ZF_INV_NETNS,        /* /run/netns/<name> */
	ZF_INV_NETNS_MOUNT,  /* the /run/netns bind mount, when we made it */
	ZF_INV_CGROUP,       /* a cgroup path relative to zonefall's top */
	ZF_INV_DAEMON,       /* a helper daemon of the lab, by its directory */
};

struct zf_inv_entry {
	enum zf_inv_kind kind;
	char *name;
};

struct zf_inv;

/* Open (creating) the inventory of the lab whose state dir is DIR. */
int zf_inv_open(const char *dir, struct zf_inv **out);
/* Queue one record; nothing is written until zf_inv_sync. */
void zf_inv_add(struct zf_inv *inv, enum zf_inv_kind kind, const char *name);
/* Append the queued records and fsync. Call before creating them. */
int zf_inv_sync(struct zf_inv *inv);
void zf_inv_close(struct zf_inv *inv);

/* Read every record (an absent file is an empty list). Unknown lines are
 * skipped with a warning: an inventory from a newer zonefall must not make
 * an older one act on things it does not understand. */
int zf_inv_load(const char *dir, struct zf_inv_entry **out, size_t *n);
void zf_inv_entries_free(struct zf_inv_entry *e, size_t n);

#endif
