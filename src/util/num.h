/* num.h - strict number parsing for config files and protocols. */
#ifndef ZF_UTIL_NUM_H
#define ZF_UTIL_NUM_H

#include <stdint.h>

/* Decimal digits only (no sign, no blanks, not empty), value <= MAX, into
 * *OUT. 0 or -EINVAL (then *OUT is unchanged). */
int zf_parse_u64(const char *s, uint64_t max, uint64_t *out);

#endif
