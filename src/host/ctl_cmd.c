/* ctl_cmd.c - parsing and answering control requests. */
#include "host/ctl_cmd.h"
#include "host/override.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/proc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CTL_MAX_WORDS 4
#define CTL_COMMANDS "commands: status, kill, restart, stop, start, override, shutdown"

/* Serialize REPLY (reference taken) as one line; never NULL. */
static char *reply_line(json_t *reply)
{
	static const char oom[] = "{\"ok\":false,\"error\":\"out of memory\"}\n";
	char *doc = reply ? json_dumps(reply, JSON_COMPACT) : NULL;
	char *line;
	size_t n;

	json_decref(reply);
	if (!doc)
		return zf_xstrdup(oom);
	n = strlen(doc);
	line = zf_xmalloc(n + 2);
	memcpy(line, doc, n);
	line[n] = '\n';
	line[n + 1] = '\0';
	free(doc);
	return line;
}

static char *reply_ok(void)
{
	return reply_line(json_pack("{s:b}", "ok", 1));
}

static char *reply_error(const char *fmt, ...) ZF_PRINTF(1, 2);

static char *reply_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return reply_line(json_pack("{s:b, s:s}", "ok", 0, "error", msg));
}

/* Client text echoed in an error: printable ASCII only, at most 64 bytes,
 * so that the reply is always valid JSON (UTF-8) and short. */
static const char *echo(const char *s, char *buf, size_t len)
{
	size_t i = 0;

	for (; s[i] && i + 1 < len && i < 64; i++) {
		buf[i] = s[i];
		if (s[i] < 0x20 || s[i] >= 0x7f)
			buf[i] = '?';
	}
	buf[i] = '\0';
	return buf;
}

/* Split LINE on spaces and tabs into at most MAX words; returns the word
 * count, or MAX + 1 if there are more. */
static size_t split(char *line, char **words, size_t max)
{
	size_t n = 0, len = strlen(line);
	char *save = NULL, *w;

	if (len && line[len - 1] == '\r')
		line[len - 1] = '\0';
	for (w = strtok_r(line, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (n == max)
			return max + 1;
		words[n++] = w;
	}
	return n;
}

static char *sup_error(int rc, const char *name)
{
	char b[80];

	switch (rc) {
	case -ENOENT:
		return reply_error("no service '%s'", echo(name, b, sizeof(b)));
	case -ESRCH:
		return reply_error("service '%s' is not running", name);
	case -EALREADY:
		return reply_error("service '%s' is already running", name);
	case -ECANCELED:
		return reply_error("the host is shutting down");
	default:
		return reply_error("%s: %s", name, strerror(-rc));
	}
}

/* One handler per command; W holds exactly the words its entry asks for. */
static char *do_status(struct supervisor *sup, char **w, bool *shutdown)
{
	json_t *st = sup_status(sup);

	(void)w;
	(void)shutdown;
	return st ? reply_line(st) : reply_error("out of memory");
}

static char *do_kill(struct supervisor *sup, char **w, bool *shutdown)
{
	char b[80];
	int sig = zf_signal_parse(w[2]), rc;

	(void)shutdown;
	if (sig < 0)
		return reply_error("unknown signal '%s'", echo(w[2], b, sizeof(b)));
	rc = sup_kill(sup, w[1], sig);
	return rc < 0 ? sup_error(rc, w[1]) : reply_ok();
}

static char *named(struct supervisor *sup, const char *name,
		   int (*fn)(struct supervisor *, const char *))
{
	int rc = fn(sup, name);

	return rc < 0 ? sup_error(rc, name) : reply_ok();
}

static char *do_restart(struct supervisor *sup, char **w, bool *shutdown)
{
	(void)shutdown;
	return named(sup, w[1], sup_restart);
}

static char *do_stop(struct supervisor *sup, char **w, bool *shutdown)
{
	(void)shutdown;
	return named(sup, w[1], sup_stop);
}

static char *do_start(struct supervisor *sup, char **w, bool *shutdown)
{
	(void)shutdown;
	return named(sup, w[1], sup_start_service);
}

/* The reply goes out first; the caller then calls sup_shutdown(). */
static char *do_shutdown(struct supervisor *sup, char **w, bool *shutdown)
{
	(void)sup;
	(void)w;
	*shutdown = true;
	return reply_ok();
}

/* "override NAME [JSON]": ARGS is what follows "override ". */
static char *do_override(struct supervisor *sup, char *args)
{
	struct svc_override ov;
	char err[256], *name, *rest;
	size_t len;
	int rc;

	args += strspn(args, " \t");
	len = strlen(args);
	if (len && args[len - 1] == '\r')
		args[--len] = '\0';
	name = args;
	rest = args + strcspn(args, " \t");
	if (*rest)
		*rest++ = '\0';
	rest += strspn(rest, " \t");
	if (!*name)
		return reply_error("usage: override NAME [JSON]");
	if (override_parse(rest, &ov, err, sizeof(err)) < 0)
		return reply_error("override: %s", err);
	rc = sup_override(sup, name, &ov);
	return rc < 0 ? sup_error(rc, name) : reply_ok();
}

char *ctl_cmd_run(struct supervisor *sup, char *line, bool *shutdown)
{
	static const struct {
		const char *name, *usage;
		size_t nwords;
		char *(*fn)(struct supervisor *, char **, bool *);
	} cmds[] = {
		{ "status", "status", 1, do_status },
		{ "kill", "kill NAME SIG", 3, do_kill },
		{ "restart", "restart NAME", 2, do_restart },
		{ "stop", "stop NAME", 2, do_stop },
		{ "start", "start NAME", 2, do_start },
		{ "shutdown", "shutdown", 1, do_shutdown },
	};
	const size_t ncmds = sizeof(cmds) / sizeof(cmds[0]);
	char *w[CTL_MAX_WORDS] = { NULL }, b[80];
	size_t n, i = 0;

	*shutdown = false;
	/* The one command whose last word is the rest of the line (JSON). */
	if (!strncmp(line, "override", 8) && (line[8] == ' ' || line[8] == '\t' ||
					       !line[8] || line[8] == '\r'))
		return do_override(sup, line + 8);
	n = split(line, w, CTL_MAX_WORDS);
	if (n == 0)
		return reply_error("empty request; " CTL_COMMANDS);
	while (i < ncmds && strcmp(cmds[i].name, w[0]) != 0)
		i++;
	if (i == ncmds)
		return reply_error("unknown command '%s'; " CTL_COMMANDS,
				   echo(w[0], b, sizeof(b)));
	if (n != cmds[i].nwords)
		return reply_error("usage: %s", cmds[i].usage);
	return cmds[i].fn(sup, w, shutdown);
}
