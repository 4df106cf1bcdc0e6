/*
 * weather.h - KMA weather observations for the masthead ticker.
 *
 * Part of the weather module; this header is the module's whole public face.
 * The ingest job fetches an hourly ASOS observation body (KMA API Hub
 * kma_sfctm2.php / kma_sfctm3.php text, or the data.go.kr getWthrDataList
 * JSON as a back-fill source), hands it to one of the parsers below, and
 * stores/renders the resulting struct weather_obs rows.  The parsers do no
 * I/O and no logging: everything a caller may want to log is in the return
 * value, in struct weather_err or in the rows.
 *
 * Formats, column positions, missing-value markers and the condition-word
 * rules are those of shared/spec/weather-kma.md (sections cited as §n).
 */
#ifndef SINMUN_WEATHER_WEATHER_H
#define SINMUN_WEATHER_WEATHER_H

#include <stddef.h>
#include <time.h>

/* Limits checked before any work is done.  16 MiB covers the largest
 * request the ticker makes with room to spare (kma_sfctm3.php, 21 stations,
 * 31 days = 15,624 rows of 267 bytes, about 4.2 MB) and lets the row limit
 * be reached by a body of short rows. */
#define WEATHER_MAX_BODY  (16u << 20)
#define WEATHER_MAX_ROWS  100000u

/* One station of the ticker.  The strings are borrowed: the default table
 * points at static data, a table built from settings keeps its own. */
struct weather_station {
	int         stn;       /* KMA station id (지점번호) */
	const char *kma_name;  /* KMA's own station name (STN_KO), UTF-8 */
	const char *name;      /* name shown in the ticker, UTF-8 */
};

/* One hourly observation.  Missing values have has_x == 0 (the value is then
 * 0) or -1 for the code fields. */
struct weather_obs {
	int     stn;          /* KMA station id */
	time_t  observed;     /* observation time, UTC epoch seconds */
	double  ta;           /* air temperature, ℃ (never -0.0) */
	int     has_ta;
	double  hm;           /* relative humidity, % (0..100) */
	int     has_hm;
	double  ws;           /* wind speed, m/s */
	int     has_ws;
	int     wd;           /* wind direction in degrees, 0 = calm, 360 = north;
	                       * API Hub gives tens of degrees (36-point, §2.3) and
	                       * is multiplied by 10, data.go.kr gives degrees */
	int     has_wd;
	int     ca_tot;       /* total cloud amount, tenths 0..10; -1 missing */
	int     wc;           /* present weather, WMO 4677 ww 0..99; -1 missing
	                       * (always -1 from data.go.kr, which has no ww) */
	int     ww;           /* domestic phenomenon code (WW / dmstMtphNo, §4.3)
	                       * that has a word in the table; -1 none */
	int     ww_unknown;   /* first domestic code that is NOT in the table,
	                       * -2 if the field is not 2-digit codes, -1 if
	                       * there is nothing unknown: the caller should log
	                       * values >= 0 or -2 (§4.3 "log unknown codes") */
	char    condition[32]; /* condition word (UTF-8, §4) or "" when unknown */
};

/* Why a parse failed.  line is 1-based; 0 means the error is not tied to
 * a line (body too large, or a JSON structure error, where msg names the
 * JSON path instead).  msg says what was expected and what was found,
 * without the line number (log it as "line %d: %s").  It is NUL-terminated
 * printable ASCII: quoted input is shortened and escaped, so it is safe to
 * log (and it never contains the request URL or key, which the parsers
 * never see). */
struct weather_err {
	int  line;
	char msg[256];
};

/*
 * Parses a KMA API Hub surface-observation body (kma_sfctm2.php or
 * kma_sfctm3.php, help=0 or help=1).  body need not be NUL-terminated.
 *
 * stations/nstations: when stations is non-NULL, a row whose station is not
 * in the table is an error; NULL accepts every station.
 *
 * All or nothing.  On success returns 0 and sets *out to a malloc'd array
 * of *nout rows in body order (*out is NULL when the table has no rows);
 * the caller frees it with free().  On error returns -1, sets *out = NULL,
 * *nout = 0 and fills *err (err may be NULL).  out and nout must not be NULL.
 */
int weather_parse_kma(const char *body, size_t len,
                      const struct weather_station *stations, size_t nstations,
                      struct weather_obs **out, size_t *nout,
                      struct weather_err *err);

/*
 * Parses a data.go.kr AsosHourlyInfoService/getWthrDataList JSON body into
 * the same rows, with the same contract as weather_parse_kma (a result code
 * other than "00", a missing or empty item list, and bodies of other
 * services such as VilageFcstInfoService getUltraSrtNcst are errors).
 * A value whose QC flag (taQcflg, hmQcflg, wsQcflg, wdQcflg) is "1" (error)
 * or "9" (missing) is treated as missing.
 */
int weather_parse_datagokr(const char *body, size_t len,
                           const struct weather_station *stations, size_t nstations,
                           struct weather_obs **out, size_t *nout,
                           struct weather_err *err);

/*
 * Condition words (§4).  All return a static UTF-8 string, "" when no word
 * can be derived; never NULL.  Codes outside their range (e.g. the raw -9
 * marker) count as missing.
 *
 * weather_condition: the phenomenon of present-weather code wc (§4.2) if it
 * has one, otherwise the sky word of total cloud amount ca_tot (§4.1:
 * 0-2 맑음, 3-5 구름조금, 6-8 구름많음, 9-10 흐림).  Pass -1 for missing.
 *
 * weather_condition_ww: the same, but when wc is missing (-1) the
 * precipitation word of domestic code ww (§4.3, -1 for none) is used
 * before falling back to the cloud amount.  This is the word the parsers
 * store in weather_obs.condition.
 */
const char *weather_condition(int wc, int ca_tot);
const char *weather_condition_ww(int wc, int ww, int ca_tot);
/* The word of one domestic phenomenon code (§4.3), NULL if not in the table. */
const char *weather_domestic_word(int code);
/* Scans a domestic code string (WW column or dmstMtphNo: concatenated
 * 2-digit codes, "-" or "" for none).  Sets *ww to the first code that has a
 * word (-1 none) and *unknown as described at weather_obs.ww_unknown. */
void weather_ww_scan(const char *p, size_t n, int *ww, int *unknown);

/* The default 21-station table (§1), in ascending station order. */
const struct weather_station *weather_default_stations(size_t *n);
/* Finds stn in a table; NULL if absent.  Linear: tables are small. */
const struct weather_station *weather_station_find(const struct weather_station *t,
                                                   size_t n, int stn);

/* Helpers the parsers share; callers may use them too. */

/* KST (UTC+9, no DST) civil time to UTC epoch seconds, by arithmetic (no TZ).
 * Returns -1 for an impossible time (month 13, 31 November, 24:00, ...) or
 * a year outside 1900..9999, 0 on success. */
int weather_kst_to_utc(int year, int mon, int day, int hour, int min, time_t *out);
/* Formats t as KST "YYYYMMDDHHMI" (the API Hub tm parameter).  Returns -1
 * if the year falls outside 1900..9999, 0 on success. */
int weather_kst_format(time_t t, char out[13]);

/* Strict number syntax shared by both sources: optional '-', digits, and
 * (if allow_fraction) optional '.' and digits.  No '+', spaces, exponent,
 * hex, inf or nan; at most 15 digits; "-0" gives +0.0.  Returns 0 and sets
 * *out, or -1. */
int weather_number(const char *p, size_t n, int allow_fraction, double *out);

/* Input quoted in error messages: at most 40 bytes of p, printable ASCII as
 * is and every other byte (also '\\' and non-ASCII) as \xNN, "..." when cut.
 * dst should have WEATHER_QUOTE_SIZE bytes; returns dst. */
#define WEATHER_QUOTE_SIZE (4 * 40 + 8)
const char *weather_quote(char *dst, size_t dstlen, const char *p, size_t n);

/* ------------------------------------------------------------------ */
/* Ingest, fetch and the background refresh (ingest.c, fetch.c,       */
/* refresh.c).  Everything above is pure parsing; these do the I/O:    */
/* they read settings and write observations through the store, talk  */
/* HTTP with libcurl, and log.  The parsers above do not depend on    */
/* them.                                                              */

struct store;
struct buf;

/* A weather.stations setting longer than this many entries is cut. */
#define WEATHER_MAX_STATIONS 128
/* Longest display name (bytes) of a station in the setting. */
#define WEATHER_MAX_NAME     64

/*
 * The station table of the weather.stations setting: "101:춘천 108:서울 ..."
 * - a station id (1..99999), ':', the display name; entries separated by
 * white space, in ticker order.  Entries that are malformed or repeat an
 * id are skipped, and the first such problem is described in warn (""
 * when none; warn may be NULL) so the caller can log it once.  A NULL
 * setting (not set at all) gives the default table.
 *
 * Sets *out to one malloc'd block (free() it) holding *n stations
 * (kma_name from the default table when the id is there, else the display
 * name); *out is NULL when *n is 0.  Always returns 0 (out of memory
 * aborts).
 */
int weather_stations_parse(const char *setting, struct weather_station **out, size_t *n,
    char *warn, size_t warnlen);
/* The same for the setting of a store (logging the first bad entry); a
 * store without the setting gets the default table.  Returns 0, or -1
 * with the store's error in err. */
int weather_stations_load(struct store *, struct weather_station **out, size_t *n,
    char *err, size_t errlen);

/* The 16-point Korean word of a wind direction in degrees (1..360,
 * 360 = north): "북", "북북동", ..., "북북서"; "" for anything else
 * (0 is calm in KMA data). */
const char *weather_wind_word(int deg);

/* Ingest flags. */
enum {
	WEATHER_INGEST_IN_TX = 1 << 0,  /* the caller holds the transaction */
};

struct weather_ingest_stats {
	size_t rows;    /* observations in the body */
	size_t added;   /* rows written: new, or filling a stored row that
	                 * lacked a temperature */
	time_t newest;  /* newest observation time in the body, 0 if none */
};

/*
 * Parses a saved or fetched response (API Hub text, or data.go.kr JSON
 * when the body starts with '{') against the stations of the store's
 * settings and stores every row in one transaction: all or nothing.  A row
 * of a station that is not configured, or observed more than an hour after
 * now (0: no such check, for the demo's fixed data), fails the whole body.  Domestic weather codes without a word are
 * logged (one line each).  Idempotent: the same body twice stores nothing
 * the second time.
 *
 * report (may be NULL) gets one line a row after the commit, e.g.
 * "101 춘천 2025.11.25 09:00 흐림 5.7℃ 습도 88% 동북동 0.8m/s stored"
 * ("unchanged" when the row was already there).  stats may be NULL.
 * Returns 0, or -1 with one line in err ("line 12: expected ...") and
 * nothing stored (with WEATHER_INGEST_IN_TX the caller rolls back).
 */
int weather_ingest(struct store *, const char *body, size_t len, int flags, time_t now,
    struct buf *report, struct weather_ingest_stats *stats, char *err, size_t errlen);

/* How to reach KMA. */
struct weather_fetch_opts {
	const char *url;      /* kma_sfctm2.php or a test server; the query is added */
	const char *key;      /* authKey: never logged, scrubbed from messages */
	int         timeout;  /* seconds for one request, connecting included */
	int         retries;  /* further attempts after a failed one */
	/* Polled during transfers and back-off waits; a non-zero answer
	 * abandons the fetch promptly.  May be NULL. */
	int       (*cancelled)(void *arg);
	void       *cancel_arg;
};

/*
 * Requests the observations of hour tm (KST, "YYYYMMDDHH00") for the
 * stations from opts->url with stn joined by ':', help=0 and the key, and
 * puts the body into *body (at most WEATHER_MAX_BODY bytes; the caller
 * buf_init()s and frees it).  Transport failures, HTTP 408, 429 and 5xx
 * are retried opts->retries times, waiting 1 s, 2 s, 4 s ... (at most
 * 30 s); redirects and other statuses are not.  Returns 0 for an HTTP 200
 * body, or -1 with one line in err saying what failed, where (the URL
 * without its query) and after how many attempts - never the key.
 */
int weather_fetch(const struct weather_fetch_opts *, const struct weather_station *stations,
    size_t n, time_t tm, struct buf *body, char *err, size_t errlen);

/*
 * What 'sinmun weather fetch' and the refresher do: fetch the current
 * hour for the store's stations and ingest it; when KMA has no rows for
 * that hour yet, the previous hour.  Same report, stats and error
 * contract as weather_ingest; on error nothing is stored.
 */
int weather_fetch_ingest(struct store *, const struct weather_fetch_opts *, time_t now,
    struct buf *report, struct weather_ingest_stats *stats, char *err, size_t errlen);

/* Replaces every occurrence of key in msg (also URL-encoded, or quoted
 * and cut as error messages quote input) with "[key]".  msg is
 * NUL-terminated and is rewritten in place within msglen bytes. */
void weather_scrub_key(char *msg, size_t msglen, const char *key);

/* The background refresh of a running server (refresh.c). */
struct weather_refresh;

struct weather_refresh_opts {
	const char *db;           /* the database (own connection) */
	const char *url;          /* as in weather_fetch_opts; copied */
	const char *key;
	int         timeout;
	int         retries;
	int         interval;     /* seconds between fetches */
	int         first_delay;  /* milliseconds before the first fetch */
};

/*
 * Starts a thread that fetches and ingests every interval seconds, with
 * its own store connection, never touching the page threads; a failed
 * fetch changes nothing and logs one line.  All signals are blocked in
 * it.  Returns NULL with err filled when the thread cannot start.
 */
struct weather_refresh *weather_refresh_start(const struct weather_refresh_opts *,
    char *err, size_t errlen);
/* Stops the thread (abandoning a fetch in progress within a fraction of
 * a second), joins it and frees everything.  NULL is a no-op. */
void weather_refresh_stop(struct weather_refresh *);

#endif
