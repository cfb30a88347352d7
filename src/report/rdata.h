/* rdata.h - a write probe's data safety as people read it (private to
 * src/report): the phases of its per-second outcomes, its lost window
 * against the faults, its final read. Read from the run record only
 * (a probe's "check", "write" and "ledger"); any key may be missing or
 * odd: every function writes a short text whatever it finds. */
#ifndef ZF_REPORT_RDATA_H
#define ZF_REPORT_RDATA_H

#include <jansson.h>
#include <stddef.h>

/* A run of seconds whose writes had the same classes of outcome (which of
 * ok, fail and unknown occurred), and their counts. */
struct rd_phase {
	double t0, t1;                    /* seconds since the start */
	double ok, fail, unknown;
};

/* Is PROBE (an element of "probes") a write probe (it has "check" or
 * "ledger")? */
int rd_is_write(const json_t *probe);

/* The per-second counts of PROBE's check grouped into phases, at most MAX
 * (beyond that the last phase takes the rest); their number. */
size_t rd_phases(const json_t *probe, struct rd_phase *out, size_t max);

/* "01:14.0 to 01:25.1 (11.1 s)": the first lost write's invoke to the
 * last one's completion; "none" when nothing was lost, "not known (no
 * final read)" without a read. */
void rd_lost_window(char *buf, size_t len, const json_t *probe);
/* "from 4.01 s after the first fault to 15.1 s after it: inside the fault
 * window", "no fault took effect", or "" when nothing was lost. */
void rd_lost_vs_faults(char *buf, size_t len, const json_t *probe);

/* "from redis-a at 01:45.2: 2650 values (3 of earlier runs skipped)", or
 * "FAILED: reason", or "none". */
void rd_final_read(char *buf, size_t len, const json_t *probe);

/* The check's verdict, "valid", "invalid" or "unknown" (also for odd
 * values). */
const char *rd_verdict(const json_t *probe);

/* The count KEY of PROBE's check as text ("-" when absent). */
void rd_count(char *buf, size_t len, const json_t *probe, const char *key);

#endif
