/*
 * fetch.c - asking KMA API Hub for the latest hourly observations, with
 * libcurl.
 *
 * Part of the weather module; 'sinmun weather fetch' and the server's
 * refresher (refresh.c) call weather_fetch_ingest(), which requests
 * kma_sfctm2.php for the configured stations and hands the body to
 * weather_ingest() (ingest.c).  Every response is treated as hostile:
 * the body is capped at WEATHER_MAX_BODY, every request at the configured
 * timeout, redirects are not followed (they would carry the key to another
 * host), and anything but a complete table changes nothing.
 *
 * The API Hub key travels in the query string (authKey), so the full URL
 * is never logged: messages name the URL without its query, and every
 * message is scrubbed of the key in case a server echoes it back.
 */
#include "weather/weather.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "core/buf.h"
#include "core/log.h"

#define CONNECT_TIMEOUT_MAX 10   /* seconds; the rest of timeout is for the transfer */
#define BACKOFF_MAX         30   /* seconds between attempts, at most */
#define SCRUBBED            "[key]"

/* ---- the key never leaves in a message ---- */

/* Replaces every n-byte occurrence of needle in msg with SCRUBBED. */
static void
replace_all(char *msg, size_t msglen, const char *needle, size_t n)
{
	struct buf b = BUF_INIT;
	const char *p, *hit;

	if (n == 0 || strstr(msg, needle) == NULL)
		return;
	for (p = msg; (hit = strstr(p, needle)) != NULL; p = hit + n) {
		buf_put(&b, p, (size_t)(hit - p));
		buf_puts(&b, SCRUBBED);
	}
	buf_puts(&b, p);
	snprintf(msg, msglen, "%s", b.p);
	buf_free(&b);
}

void
weather_scrub_key(char *msg, size_t msglen, const char *key)
{
	char quoted[WEATHER_QUOTE_SIZE];
	struct buf enc = BUF_INIT;
	size_t klen, i, m;

	if (key == NULL || (klen = strlen(key)) == 0 || msglen == 0)
		return;
	replace_all(msg, msglen, key, klen);
	/* As it is sent (percent-encoded) and as error messages quote
	 * input (escaped, cut after 40 bytes with "..."). */
	buf_put_url(&enc, key, klen);
	if (enc.p)
		replace_all(msg, msglen, enc.p, enc.len);
	buf_free(&enc);
	weather_quote(quoted, sizeof quoted, key, klen);
	replace_all(msg, msglen, quoted, strlen(quoted));
	/* A quote cut inside the key leaves a prefix followed by "...". */
	for (i = 0; msg[i]; i++) {
		for (m = 0; m < klen && msg[i + m] == key[m]; m++)
			;
		if (m >= 8 && strncmp(msg + i + m, "...", 3) == 0) {
			memmove(msg + i + strlen(SCRUBBED), msg + i + m, strlen(msg + i + m) + 1);
			memcpy(msg + i, SCRUBBED, strlen(SCRUBBED));
		}
	}
}

/* The URL as it may be shown: scheme, host and path, without user
 * information and query. */
static void
shown_url(char *out, size_t outlen, const char *url)
{
	const char *p = strstr(url, "://"), *host, *end, *at;
	size_t n;

	if (p == NULL) {
		snprintf(out, outlen, "(bad URL)");
		return;
	}
	host = p + 3;
	end = host + strcspn(host, "/?");
	at = memchr(host, '@', (size_t)(end - host));
	n = strcspn(end, "?");
	snprintf(out, outlen, "%.*s%.*s%.*s", (int)(host - url), url,
	    (int)(end - (at ? at + 1 : host)), at ? at + 1 : host, (int)n, end);
}

/* ---- one transfer ---- */

struct xfer {
	struct buf                      *body;
	const struct weather_fetch_opts *o;
	int                              too_big;
};

static size_t
on_data(char *p, size_t size, size_t nmemb, void *u)
{
	struct xfer *x = u;
	size_t n = size * nmemb;

	if (n > WEATHER_MAX_BODY - x->body->len || buf_put(x->body, p, n) != BUF_OK) {
		x->too_big = 1;
		return 0;   /* curl aborts with CURLE_WRITE_ERROR */
	}
	return n;
}

static int
on_progress(void *u, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	struct xfer *x = u;

	(void)dltotal; (void)dlnow; (void)ultotal; (void)ulnow;
	return x->o->cancelled && x->o->cancelled(x->o->cancel_arg) ? 1 : 0;
}

static int
is_cancelled(const struct weather_fetch_opts *o)
{
	return o->cancelled && o->cancelled(o->cancel_arg);
}

/* Waits secs seconds, polling for cancellation; 1 if cancelled. */
static int
backoff(const struct weather_fetch_opts *o, int secs)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	int i;

	for (i = 0; i < secs * 10; i++) {
		if (is_cancelled(o))
			return 1;
		nanosleep(&ts, NULL);
	}
	return is_cancelled(o);
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_init_once(void)
{
	/* Not thread-safe in libcurl 7.x: done once, before any handle. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		log_error("weather: libcurl failed to initialise");
}

/* The request URL: base, then tm, stn, help and the key. */
static void
build_url(struct buf *u, const struct weather_fetch_opts *o, const struct weather_station *stations,
    size_t n, const char *tm)
{
	size_t i;

	buf_puts(u, o->url);
	buf_putc(u, strchr(o->url, '?') ? '&' : '?');
	buf_printf(u, "tm=%s&stn=", tm);
	for (i = 0; i < n; i++)
		buf_printf(u, "%s%d", i ? ":" : "", stations[i].stn);
	buf_puts(u, "&help=0&authKey=");
	buf_put_url(u, o->key, strlen(o->key));
}

int
weather_fetch(const struct weather_fetch_opts *o, const struct weather_station *stations,
    size_t n, time_t tm, struct buf *body, char *err, size_t errlen)
{
	struct buf url = BUF_INIT;
	struct xfer x;
	CURL *h = NULL;
	CURLcode cc;
	char curlerr[CURL_ERROR_SIZE], where[600], q[WEATHER_QUOTE_SIZE], tmstr[13];
	long status = 0;
	int attempt, attempts, transient, wait, timeout, rc = -1;

	shown_url(where, sizeof where, o->url ? o->url : "");
	if (o->url == NULL || (strncmp(o->url, "http://", 7) != 0 &&
	    strncmp(o->url, "https://", 8) != 0)) {
		snprintf(err, errlen, "the weather URL must start with http:// or https://");
		goto out;
	}
	if (o->key == NULL || o->key[0] == '\0') {
		snprintf(err, errlen, "no KMA key: set [weather] key or $SINMUN_KMA_KEY");
		goto out;
	}
	if (n == 0) {
		snprintf(err, errlen, "no stations to ask for");
		goto out;
	}
	tm -= tm % 3600;   /* hourly observations: KST is a whole number of hours off UTC */
	if (weather_kst_format(tm, tmstr) != 0) {
		snprintf(err, errlen, "time out of range");
		goto out;
	}
	/* Never unbounded: libcurl takes 0 as "no timeout". */
	timeout = o->timeout > 0 ? o->timeout : 20;
	pthread_once(&curl_once, curl_init_once);
	build_url(&url, o, stations, n, tmstr);
	if ((h = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "cannot create a libcurl handle");
		goto out;
	}
	x.body = body;
	x.o = o;
	curl_easy_setopt(h, CURLOPT_URL, url.p);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)(timeout < CONNECT_TIMEOUT_MAX ?
	    timeout : CONNECT_TIMEOUT_MAX));
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)timeout);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)WEATHER_MAX_BODY);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &x);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curlerr);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "sinmun-weather/1");
	attempts = (o->retries > 0 ? o->retries : 0) + 1;
	for (attempt = 1; ; attempt++) {
		buf_reset(body);
		x.too_big = 0;
		curlerr[0] = '\0';
		status = 0;
		transient = 0;
		cc = curl_easy_perform(h);
		if (is_cancelled(o)) {
			snprintf(err, errlen, "cancelled (the server is stopping)");
			goto out;
		}
		if (cc == CURLE_OK) {
			curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
			if (status == 200)
				break;
			transient = status == 408 || status == 429 || (status >= 500 && status <= 599);
			snprintf(err, errlen, "HTTP %ld from %s (attempt %d of %d; body '%s')", status,
			    where, attempt, attempts, weather_quote(q, sizeof q, body->p ? body->p : "",
			    body->len));
		} else if (x.too_big || cc == CURLE_FILESIZE_EXCEEDED) {
			snprintf(err, errlen, "response from %s is larger than %u bytes (attempt %d of %d)",
			    where, WEATHER_MAX_BODY, attempt, attempts);
		} else if (cc == CURLE_OPERATION_TIMEDOUT) {
			transient = 1;
			snprintf(err, errlen, "no complete response from %s within %d s (attempt %d of %d)",
			    where, timeout, attempt, attempts);
		} else {
			/* Connection refused or reset, DNS, TLS, a cut transfer. */
			transient = cc != CURLE_UNSUPPORTED_PROTOCOL && cc != CURLE_URL_MALFORMAT;
			snprintf(err, errlen, "%s (%s, attempt %d of %d)",
			    curlerr[0] ? curlerr : curl_easy_strerror(cc), where, attempt, attempts);
		}
		weather_scrub_key(err, errlen, o->key);
		if (!transient || attempt >= attempts)
			goto out;
		log_debug("weather: %s; trying again", err);
		/* 1, 2, 4, ... seconds: a struggling server gets air. */
		wait = attempt <= 5 ? 1 << (attempt - 1) : BACKOFF_MAX;
		if (backoff(o, wait < BACKOFF_MAX ? wait : BACKOFF_MAX)) {
			snprintf(err, errlen, "cancelled (the server is stopping)");
			goto out;
		}
	}
	rc = 0;
out:
	if (rc != 0)
		buf_reset(body);
	if (h)
		curl_easy_cleanup(h);
	/* The URL holds the key: do not leave it in freed memory. */
	if (url.p)
		memset(url.p, 0, url.len);
	buf_free(&url);
	return rc;
}

int
weather_fetch_ingest(struct store *st, const struct weather_fetch_opts *o, time_t now,
    struct buf *report, struct weather_ingest_stats *stats, char *err, size_t errlen)
{
	struct weather_station *stations = NULL;
	struct weather_ingest_stats local;
	struct buf body;
	char msg[512], where[600];
	size_t n;
	time_t hour;
	int k, rc = -1;

	buf_init(&body, WEATHER_MAX_BODY);
	if (stats == NULL)
		stats = &local;
	memset(stats, 0, sizeof *stats);
	if (weather_stations_load(st, &stations, &n, err, errlen) != 0)
		goto out;
	if (n == 0) {
		snprintf(err, errlen, "no stations: the weather.stations setting lists none");
		goto out;
	}
	shown_url(where, sizeof where, o->url ? o->url : "");
	hour = now - now % 3600;
	/* KMA publishes an hour's observations some minutes after it: early
	 * in the hour the table is empty, and the previous hour is the
	 * latest there is. */
	for (k = 0; k < 2; k++) {
		if (weather_fetch(o, stations, n, hour - k * 3600, &body, err, errlen) != 0)
			goto out;
		if (weather_ingest(st, body.p ? body.p : "", body.len, 0, now, report, stats,
		    msg, sizeof msg) != 0) {
			snprintf(err, errlen, "bad response from %s: %s (nothing stored)", where, msg);
			weather_scrub_key(err, errlen, o->key);
			goto out;
		}
		if (stats->rows > 0)
			break;
	}
	rc = 0;
out:
	buf_free(&body);
	free(stations);
	return rc;
}
