/*
 * scheduler.c - scheduled publishing: the thread of 'sinmun serve' that
 * publishes an article the desk scheduled once its time has come (news.h).
 *
 * Started by src/cli/serve.c beside the weather refresher and built the
 * same way (src/weather/refresh.c): its own store connection, all signals
 * blocked, a condition variable on CLOCK_MONOTONIC to sleep on and to be
 * woken from when the server stops.  Every interval it asks the store to
 * publish what is due (store_articles_publish_due, one transaction) and
 * writes an audit row for each article.  It commits on its own
 * connection, and the worker threads see the site generation move
 * (store_site_version): the page cache moves on without anyone calling
 * cache_bump.  Being the server's one thread with a connection and a
 * clock, it also keeps the positions deep list pages start from set
 * (store_lists_prepare), at start and at each tick after a list changed.
 */
#include "news/news.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "news/workflow.h"
#include "store/store.h"

#define BATCH 64   /* articles published per transaction */

struct news_scheduler {
	pthread_t       tid;
	pthread_mutex_t mu;
	pthread_cond_t  cv;        /* signalled on stop; waits use CLOCK_MONOTONIC */
	atomic_int      stop;
	char           *db;
	int             interval;  /* seconds */
};

/* Sleeps until deadline or stop; returns 1 when stopping. */
static int
wait_until(struct news_scheduler *s, const struct timespec *deadline)
{
	pthread_mutex_lock(&s->mu);
	while (!atomic_load(&s->stop))
		if (pthread_cond_timedwait(&s->cv, &s->mu, deadline) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&s->mu);
	return atomic_load(&s->stop);
}

/* Publishes what is due; logs each article. */
static void
run_once(struct news_scheduler *s, struct store **st)
{
	int64_t ids[BATCH];
	char err[512];
	time_t now;
	int rc, n, i;

	if (*st == NULL) {
		/* Opened here, not at start: a database briefly unavailable
		 * costs one tick, not the scheduler. */
		if ((*st = store_open(s->db, 0, NULL, err, sizeof err)) == NULL) {
			log_warn("scheduled publishing: %s", err);
			return;
		}
	}
	do {
		now = time(NULL);
		rc = store_articles_publish_due(*st, now, ids, BATCH, &n);
		if (rc != STORE_OK) {
			/* Busy: another writer held the lock past the timeout; the
			 * articles stay scheduled and the next tick tries again. */
			log_warn("scheduled publishing: %s (%s); trying again in %d s", store_strerror(rc),
			    store_errmsg(*st), s->interval);
			if (rc != STORE_BUSY) {
				store_close(*st);
				*st = NULL;
			}
			return;
		}
		for (i = 0; i < n; i++) {
			log_info("scheduled publishing: published article %lld", (long long)ids[i]);
			/* No person: the desk scheduled it, the clock published it. */
			if ((rc = store_audit_add(*st, now, 0, wf_action_name(WF_PUBLISH), ids[i],
			    "예약 발행", "")) != STORE_OK)
				log_warn("scheduled publishing: audit of article %lld: %s (%s)", (long long)ids[i],
				    store_strerror(rc), store_errmsg(*st));
		}
		/* A full batch may have left more due: go on at once. */
	} while (n == BATCH && !atomic_load(&s->stop));
}

/* The positions deep list pages start from, set here once at start and
 * again after a list has changed, rather than by the first reader of a
 * deep page, who would walk half of the list (store_lists_prepare). */
static void
prepare_lists(struct news_scheduler *s, struct store *st)
{
	struct timespec t0, t1;
	int rc, walked = 0;

	if (st == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = store_lists_prepare(st, &s->stop, &walked)) != STORE_OK) {
		log_warn("list positions: %s (%s)", store_strerror(rc), store_errmsg(st));
	} else if (walked > 0) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		log_debug("list positions: %d walks in %.0f ms", walked,
		    (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	}
}

static void *
scheduler_main(void *arg)
{
	struct news_scheduler *s = arg;
	struct store *st = NULL;
	struct timespec next, now;

	log_debug("scheduled publishing: every %d s", s->interval);
	while (!atomic_load(&s->stop)) {
		/* The first run is at once: what fell due while the server was
		 * down goes out as it starts. */
		clock_gettime(CLOCK_MONOTONIC, &next);
		next.tv_sec += s->interval;
		run_once(s, &st);
		prepare_lists(s, st);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > next.tv_sec)
			next = now;
		if (wait_until(s, &next))
			break;
	}
	if (st)
		store_close(st);
	return NULL;
}

struct news_scheduler *
news_scheduler_start(const char *db, int interval, char *err, size_t errlen)
{
	struct news_scheduler *s;
	pthread_condattr_t ca;
	sigset_t all, old;
	int rc;

	if ((s = calloc(1, sizeof *s)) == NULL || (s->db = strdup(db)) == NULL)
		log_oom();
	s->interval = interval > 0 ? interval : 15;
	atomic_init(&s->stop, 0);
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	/* SIGINT/SIGTERM belong to the server's sigwait: the thread starts
	 * with every signal blocked. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&s->tid, NULL, scheduler_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the scheduled-publishing thread: %s", strerror(rc));
		pthread_cond_destroy(&s->cv);
		pthread_mutex_destroy(&s->mu);
		free(s->db);
		free(s);
		return NULL;
	}
	return s;
}

void
news_scheduler_stop(struct news_scheduler *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->mu);
	atomic_store(&s->stop, 1);
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->tid, NULL);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s->db);
	free(s);
}
