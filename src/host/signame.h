/* signame.h - signal numbers from their names ("TERM", "SIGKILL", "term")
 * or numbers ("9"). A generic helper: a candidate for src/util. */
#ifndef ZF_HOST_SIGNAME_H
#define ZF_HOST_SIGNAME_H

/* Parse S into *SIG (1..SIGRTMAX). Returns 0 or -EINVAL. Real-time signals
 * are accepted by number only. */
int signame_parse(const char *s, int *sig);

#endif
