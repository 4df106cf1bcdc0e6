/*
 * progress.h - a progress bar on standard error for long commands
 * (import, bench-data, reindex).  Drawn only when stderr is a terminal,
 * at most ten times a second; otherwise silent, so logs and CI output stay
 * clean.
 */
#ifndef SINMUN_CORE_PROGRESS_H
#define SINMUN_CORE_PROGRESS_H

#include <stdint.h>

struct progress {
	const char *label;
	int64_t     total;     /* 0 when unknown (bytes or rows) */
	int64_t     done;
	double      started;   /* monotonic seconds */
	double      drawn;     /* when last drawn */
	int         tty;
};

void progress_start(struct progress *, const char *label, int64_t total);
/* Sets the count done; redraws when due. */
void progress_update(struct progress *, int64_t done);
/* Clears the bar; returns the seconds since start. */
double progress_end(struct progress *);
/* Monotonic seconds. */
double progress_now(void);

#endif
