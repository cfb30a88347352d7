/* initlog.h - the init's lifecycle log: one line per event on stderr (the
 * host's init log), each line written with a single write(2):
 *
 *   2026-11-22T03:40:00.123Z web-a/nginx: started pid 7
 *   2026-11-22T03:40:00.123Z web-a: shutting down
 */
#ifndef ZF_HOST_INITLOG_H
#define ZF_HOST_INITLOG_H

#include "util/log.h"

/* The host name that prefixes every line (copied, at most 63 bytes). */
void initlog_set_host(const char *host);

/* Log an event of service SVC, or of the init itself when SVC is NULL. */
void initlog(const char *svc, const char *fmt, ...) ZF_PRINTF(2, 3);

#endif
