/* dns_config_int.h - pieces shared by the DNS config parser, the model
 * checks and the writer. Not for callers outside src/dns. */
#ifndef ZF_DNS_DNS_CONFIG_INT_H
#define ZF_DNS_DNS_CONFIG_INT_H

#include "dns/dns_config.h"
#include "util/wordfile.h"

#include <stddef.h>

#define ZF_DNS_MAX_WORDS 8

/* The state of one parse (util/wordfile.h), for messages "FILE:LINE: ...". */
struct zf_dns_parse {
	struct zf_wordfile wf;
	struct zf_dns_config *cfg;
};

/* Format "FILE:LINE: MSG" into the parse's error; returns -EINVAL. */
#define zf_dns_perr(ps, ...) zf_wordfile_err(&(ps)->wf, __VA_ARGS__)

/* Parse the record of one line, split into N (>= 1) words W. Returns 0 or
 * -EINVAL with the message in PS->err. */
int zf_dns_parse_words(struct zf_dns_parse *ps, char **w, int n);

/* Make room for one more element in *ARR holding N of SIZE bytes: the
 * capacity doubles whenever N reaches a power of two (from 8). */
void zf_dns_grow(void *arr, size_t n, size_t size);

/* The argument word of a fault (slow: nanoseconds, wrong: address, ttl:
 * seconds) into BUF, "" for modes without one. */
void zf_dns_fault_arg(const struct zf_dns_fault_cfg *f, char *buf,
		      size_t len);

#endif
