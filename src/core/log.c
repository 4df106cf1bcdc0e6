/*
 * log.c - diagnostics on stderr.
 */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static enum log_level min_level = LOG_INFO;
static const char *const level_names[LOG__MAX] = { "debug", "info", "warn", "error" };

void
log_set_level(enum log_level lvl)
{
	min_level = lvl;
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	char line[2048], stamp[32];
	struct tm tm;
	time_t now;
	va_list ap;
	int n;

	if (lvl < min_level || lvl >= LOG__MAX)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	n = snprintf(line, sizeof line, "%s %s: ", stamp, level_names[lvl]);
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof line)
		vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	/* One write per line so lines from threads do not interleave. */
	fprintf(stderr, "%s\n", line);
}

void
log_oom(void)
{
	fputs("sinmun: out of memory\n", stderr);
	abort();
}

void
log_assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "sinmun: assertion failed: %s (%s:%d)\n", expr, file, line);
	abort();
}
