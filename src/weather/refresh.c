/*
 * refresh.c - the server's background weather refresh.
 *
 * Part of the weather module.  'sinmun serve' starts one thread here when
 * a KMA key is configured (src/cli/serve.c); it fetches and ingests the
 * latest observations (weather_fetch_ingest, fetch.c) soon after start and
 * then every interval, through its own store connection.  Page threads
 * never wait for it: they only read the rows it commits (SQLite WAL lets
 * readers go on while it writes), so a slow or dead KMA endpoint changes
 * nothing a reader sees.  Stopping abandons a fetch in progress (libcurl's
 * progress callback and the back-off waits poll the stop flag) and joins.
 */
#include "weather/weather.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/kdate.h"
#include "core/log.h"
#include "store/store.h"

struct weather_refresh {
	pthread_t       tid;
	pthread_mutex_t mu;
	pthread_cond_t  cv;        /* signalled on stop; waits use CLOCK_MONOTONIC */
	atomic_int      stop;
	char           *db;
	char           *url;
	char           *key;
	int             timeout;
	int             retries;
	int             interval;  /* seconds */
	int             first_delay; /* milliseconds */
};

static int
cancelled(void *arg)
{
	struct weather_refresh *r = arg;

	return atomic_load(&r->stop);
}

static void
mono_now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static void
add_ms(struct timespec *ts, long ms)
{
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Sleeps until deadline or stop; returns 1 when stopping. */
static int
wait_until(struct weather_refresh *r, const struct timespec *deadline)
{
	int rc = 0;

	pthread_mutex_lock(&r->mu);
	while (!atomic_load(&r->stop)) {
		rc = pthread_cond_timedwait(&r->cv, &r->mu, deadline);
		if (rc == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&r->mu);
	return atomic_load(&r->stop);
}

/* One fetch and ingest; logs one line. */
static void
run_once(struct weather_refresh *r, struct store **st)
{
	struct weather_fetch_opts o;
	struct weather_ingest_stats stats;
	char err[1024], t[KDATE_MAX];

	if (*st == NULL) {
		/* Opened here, not at start: a database that is briefly
		 * unavailable costs one refresh, not the refresher. */
		*st = store_open(r->db, 0, NULL, err, sizeof err);
		if (*st == NULL) {
			log_warn("weather refresh: %s", err);
			return;
		}
	}
	memset(&o, 0, sizeof o);
	o.url = r->url;
	o.key = r->key;
	o.timeout = r->timeout;
	o.retries = r->retries;
	o.cancelled = cancelled;
	o.cancel_arg = r;
	if (weather_fetch_ingest(*st, &o, time(NULL), NULL, &stats, err, sizeof err) != 0) {
		if (!atomic_load(&r->stop))
			log_warn("weather refresh failed, the stored observations stay: %s", err);
		return;
	}
	if (stats.rows == 0) {
		log_info("weather refresh: KMA has no observations for the last two hours yet");
		return;
	}
	kdate_datetime(stats.newest, t);
	if (stats.added)
		log_info("weather refresh: stored %zu new of %zu observations (latest %s KST)",
		    stats.added, stats.rows, t);
	else
		log_debug("weather refresh: nothing new (latest %s KST)", t);
}

static void *
refresh_main(void *arg)
{
	struct weather_refresh *r = arg;
	struct store *st = NULL;
	struct timespec next, now;

	mono_now(&next);
	add_ms(&next, r->first_delay);
	/* Said once the server is up: a server that fails to start (port in
	 * use) stops the refresher before this and its error stays one line. */
	if (!wait_until(r, &next)) {
		if (r->interval < 60)
			log_warn("weather refresh: every %d s - under a minute is for tests only, "
			    "KMA counts calls against a daily quota", r->interval);
		else
			log_info("weather refresh: every %d s", r->interval);
	}
	while (!atomic_load(&r->stop)) {
		/* The next run is due an interval after this one started, so a
		 * slow KMA does not drift the schedule; a run that took longer
		 * than the interval is followed by the next at once. */
		mono_now(&next);
		add_ms(&next, (long)r->interval * 1000);
		run_once(r, &st);
		mono_now(&now);
		if (now.tv_sec > next.tv_sec)
			next = now;
		if (wait_until(r, &next))
			break;
	}
	if (st)
		store_close(st);
	return NULL;
}

static void
refresh_free(struct weather_refresh *r)
{
	if (r == NULL)
		return;
	free(r->db);
	free(r->url);
	if (r->key) {
		memset(r->key, 0, strlen(r->key));
		free(r->key);
	}
	free(r);
}

struct weather_refresh *
weather_refresh_start(const struct weather_refresh_opts *o, char *err, size_t errlen)
{
	struct weather_refresh *r;
	pthread_condattr_t ca;
	sigset_t all, old;
	int rc;

	if ((r = calloc(1, sizeof *r)) == NULL)
		log_oom();
	r->db = strdup(o->db);
	r->url = strdup(o->url);
	r->key = strdup(o->key);
	if (r->db == NULL || r->url == NULL || r->key == NULL)
		log_oom();
	r->timeout = o->timeout > 0 ? o->timeout : 20;
	r->retries = o->retries >= 0 ? o->retries : 0;
	r->interval = o->interval > 0 ? o->interval : 600;
	r->first_delay = o->first_delay >= 0 ? o->first_delay : 0;
	atomic_init(&r->stop, 0);
	pthread_mutex_init(&r->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->cv, &ca);
	pthread_condattr_destroy(&ca);
	/* The thread must never take SIGINT/SIGTERM (the server's sigwait
	 * does) nor anything else: it starts with every signal blocked. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&r->tid, NULL, refresh_main, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the weather refresh thread: %s", strerror(rc));
		pthread_cond_destroy(&r->cv);
		pthread_mutex_destroy(&r->mu);
		refresh_free(r);
		return NULL;
	}
	return r;
}

void
weather_refresh_stop(struct weather_refresh *r)
{
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->mu);
	atomic_store(&r->stop, 1);
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->tid, NULL);
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->mu);
	refresh_free(r);
}
