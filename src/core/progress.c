/*
 * progress.c - see progress.h.
 */
#include "core/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double
progress_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
progress_start(struct progress *p, const char *label, int64_t total)
{
	p->label = label;
	p->total = total;
	p->done = 0;
	p->started = progress_now();
	p->drawn = 0;
	p->tty = isatty(STDERR_FILENO);
}

static void
draw(struct progress *p, double now)
{
	char bar[31];
	double el = now - p->started, rate = el > 0 ? (double)p->done / el : 0;
	int i, fill;

	if (p->total > 0) {
		fill = (int)(30 * (p->done > p->total ? p->total : p->done) / p->total);
		for (i = 0; i < 30; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[30] = '\0';
		fprintf(stderr, "\r%s [%s] %3d%% %lld/%lld  %.0f/s ", p->label, bar,
		    (int)(100 * p->done / p->total), (long long)p->done, (long long)p->total, rate);
	} else {
		fprintf(stderr, "\r%s %lld  %.0f/s ", p->label, (long long)p->done, rate);
	}
	fflush(stderr);
	p->drawn = now;
}

void
progress_update(struct progress *p, int64_t done)
{
	double now;

	p->done = done;
	if (!p->tty)
		return;
	now = progress_now();
	if (now - p->drawn >= 0.1)
		draw(p, now);
}

double
progress_end(struct progress *p)
{
	double now = progress_now();

	if (p->tty) {
		draw(p, now);
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	return now - p->started;
}
