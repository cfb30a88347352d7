/* linkem_config_int.h - pieces shared by the config parser, the model
 * checks and the writer. Not for callers outside src/net. */
#ifndef ZF_NET_LINKEM_CONFIG_INT_H
#define ZF_NET_LINKEM_CONFIG_INT_H

#include "net/linkem_config.h"

#include <stddef.h>
#include <stdint.h>

#include "util/num.h"

/* Bits of the link keys seen on a line. */
#define ZF_LK_KEY_QUEUE (1u << 0)
#define ZF_LK_KEY_IIF (1u << 1)
#define ZF_LK_KEY_OIF (1u << 2)
#define ZF_LK_REQUIRED_KEYS (ZF_LK_KEY_QUEUE | ZF_LK_KEY_IIF | ZF_LK_KEY_OIF)

/* Numbers: zf_parse_u64() of util/num.h. */

/* DIGITS[.DIGITS] with at most INT_DIGITS before and 9 after the point.
 * Returns 0 or -EINVAL. */
int zf_lk_parse_decimal(const char *s, int int_digits, double *out);

/* Apply one KEY=VALUE word to LINK; SEEN collects the keys (a repeated key
 * is an error). Returns 0 or -EINVAL with what was expected in ERR. */
int zf_lk_parse_link_kv(struct zf_lk_link_cfg *link, const char *word,
			unsigned *seen, char *err, size_t errlen);

/* The first required key missing from SEEN, as "queue=" etc. */
const char *zf_lk_missing_key(unsigned seen);

#endif
