/* signame.c - signal name parsing on top of glibc's sigabbrev_np(). */
#include "host/signame.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int signame_parse(const char *s, int *sig)
{
	char *end;
	long n;

	if (*s >= '0' && *s <= '9') {
		errno = 0;
		n = strtol(s, &end, 10);
		if (errno || *end || n < 1 || n > SIGRTMAX)
			return -EINVAL;
		*sig = (int)n;
		return 0;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (int i = 1; i < SIGRTMIN; i++) {
		const char *abbrev = sigabbrev_np(i);

		if (abbrev && !strcasecmp(abbrev, s)) {
			*sig = i;
			return 0;
		}
	}
	return -EINVAL;
}
