/* rj.h - reading and writing the run record safely (private to
 * src/report). Readers never trust the record: a missing key and a key of
 * the wrong type read the same, as absent. Writers never fail on odd
 * strings: bytes that are not UTF-8 are replaced. */
#ifndef ZF_REPORT_RJ_H
#define ZF_REPORT_RJ_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* The string at KEY of object O, or NULL (O not an object, KEY absent, or
 * not a string). */
const char *rj_str(const json_t *o, const char *key);
/* Same, with DEF instead of NULL. */
const char *rj_str_or(const json_t *o, const char *key, const char *def);
/* 1 and *V when KEY holds a number (integer or real), else 0. */
int rj_num(const json_t *o, const char *key, double *v);
/* The number at KEY, or DEF. */
double rj_num_or(const json_t *o, const char *key, double def);
/* The array / object at KEY, or NULL. */
json_t *rj_arr(const json_t *o, const char *key);
json_t *rj_obj(const json_t *o, const char *key);
/* 1 when KEY is true, 0 when false, -1 when absent or not a boolean. */
int rj_bool(const json_t *o, const char *key);
/* Element I of array A as a number: 1 and *V, or 0. */
int rj_at_num(const json_t *a, size_t i, double *v);

/* A new JSON string of S, or JSON null for NULL. Invalid UTF-8 bytes
 * become '?'. Never returns NULL. */
json_t *rj_string(const char *s);
/* Same for a fixed-size field of MAX bytes that may lack its NUL. */
json_t *rj_stringn(const char *s, size_t max);
/* A string, or null when S is NULL or empty. */
json_t *rj_string_or_null(const char *s);
/* NS as seconds with microsecond precision. */
json_t *rj_secs(uint64_t ns);
double rj_ns_to_s(uint64_t ns);
/* NS as milliseconds with microsecond precision. */
double rj_ns_to_ms(uint64_t ns);
/* V rounded to DECIMALS places (0..9); non-finite values are returned as
 * they are. */
double rj_round(double v, int decimals);
/* Percent GOOD/N floored to 4 decimals (never overstates); N > 0. */
double rj_percent(uint64_t good, uint64_t n);
/* Set KEY of O to V, stealing V (NULL V: nothing is set). */
void rj_set(json_t *o, const char *key, json_t *v);

#endif
