/* rfmt.h - values of the run record as people read them (private to
 * src/report). Every function writes a short, NUL-terminated text into
 * BUF whatever the value (negative, huge): the record is not trusted. */
#ifndef ZF_REPORT_RFMT_H
#define ZF_REPORT_RFMT_H

#include <jansson.h>
#include <stddef.h>

/* A duration in seconds: "850 us", "3.8 ms", "1.30 s", "61.3 s", "12m05s",
 * "2h05m". */
void rf_dur(char *buf, size_t len, double s);
/* A latency in ms: "0.412 ms", "3.81 ms", "412.0 ms", then as rf_dur. */
void rf_ms(char *buf, size_t len, double ms);
/* A percentage floored to 2 decimals ("99.99%"), so that it never reads
 * 100% unless it is; "100%" when it is. */
void rf_pct(char *buf, size_t len, double pct);
/* A time since the run's start as a clock: "01:10.0", "1:02:03.4". */
void rf_clock(char *buf, size_t len, double s);
/* A count ("12260") or, if not a whole number, a plain decimal. */
void rf_count(char *buf, size_t len, double v);
/* An expectation's measured value in its unit, or its note ("never
 * recovered"), or "nothing measured". */
void rf_measured(char *buf, size_t len, const json_t *expect);
/* The run's verdict: "pass", "fail", "interrupted", "error", or "unknown"
 * when the record holds something else. */
const char *rf_verdict(const json_t *run);
/* S in ASCII capitals ("PASS"). */
void rf_upper(char *buf, size_t len, const char *s);
/* "power-off zone r1/a" for the event with id ID in RUN, or ID itself. */
void rf_event_label(char *buf, size_t len, const json_t *run, const char *id);
/* "zone=r1/a, outage=60s" from the params object ("" when none). */
void rf_params(char *buf, size_t len, const json_t *run);
/* The number at KEY of O as a duration ("-" when absent). */
void rf_key_dur(char *buf, size_t len, const json_t *o, const char *key);
/* The number at KEY of O as a latency in ms ("-" when absent). */
void rf_key_ms(char *buf, size_t len, const json_t *o, const char *key);
/* A probe's recovery_s as a duration, "never" when it did not recover,
 * "-" when there is none. */
void rf_recovery(char *buf, size_t len, const json_t *probe);

#endif
