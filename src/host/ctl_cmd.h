/* ctl_cmd.h - the control protocol: one request line in, one JSON line out.
 *
 *   status            -> {"host":..,"pid":..,"uptime_ms":..,"services":[..]}
 *   kill NAME SIG     -> {"ok":true} | {"ok":false,"error":".."}
 *   restart NAME      -> same
 *   stop NAME         -> same
 *   start NAME        -> same
 *   override NAME [JSON] -> same; JSON (the rest of the line) is the
 *                        service's override (override.h), none clears it
 *   shutdown          -> {"ok":true}, then the graceful shutdown
 *   anything else     -> {"ok":false,"error":"unknown command 'x'; ..."}
 *
 * Words are separated by spaces or tabs; a trailing "\r" is ignored. SIG
 * is a number or a name with or without "SIG", in any case. */
#ifndef ZF_HOST_CTL_CMD_H
#define ZF_HOST_CTL_CMD_H

#include "host/supervisor.h"

#include <stdbool.h>

/* Run the request LINE (NUL-terminated, no newline; modified in place)
 * against SUP. Returns the reply, a JSON object and a newline, as a new
 * string (free it). Sets *SHUTDOWN to true when the request was
 * "shutdown": the caller calls sup_shutdown() once the reply is out. */
char *ctl_cmd_run(struct supervisor *sup, char *line, bool *shutdown);

#endif
