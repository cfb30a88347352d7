/* duration.h - durations ("250ms", "1.5s", "1m30s", "2h") and sizes. */
#ifndef ZF_SPEC_DURATION_H
#define ZF_SPEC_DURATION_H

#include <stddef.h>
#include <stdint.h>

/* Parse a non-negative duration: one or more <number><unit> parts, number
 * decimal with optional fraction, unit one of ns us ms s m h. A bare "0" is
 * allowed. Returns 0 and *NS, or -EINVAL (bad syntax/unit), -ERANGE (over
 * ~292 years). */
int zf_duration_parse(const char *s, uint64_t *ns);

/* Format NS compactly ("1.5s", "40ms", "2m30s") into BUF. */
void zf_duration_format(uint64_t ns, char *buf, size_t len);

#endif
