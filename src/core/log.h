/*
 * log.h - error and diagnostic logging to stderr.
 *
 * Part of core.  One line per event, prefixed with the time (UTC, ISO 8601)
 * and the level; the access log is separate (see http).  log_oom() is for
 * allocation failure: it logs and aborts.
 */
#ifndef SINMUN_CORE_LOG_H
#define SINMUN_CORE_LOG_H

enum log_level {
	LOG_DEBUG,
	LOG_INFO,
	LOG_WARN,
	LOG_ERROR,
	LOG__MAX
};

void log_set_level(enum log_level lvl);
void log_msg(enum log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
_Noreturn void log_oom(void);

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

/* Bugs, never bad input: logs the place and aborts. */
#define ASSERT(x) do { if (!(x)) log_assert_fail(#x, __FILE__, __LINE__); } while (0)
_Noreturn void log_assert_fail(const char *expr, const char *file, int line);

#endif
