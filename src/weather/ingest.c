/*
 * ingest.c - from a KMA response body to stored observations.
 *
 * Part of the weather module, between the parsers (kma.c, datagokr.c) and
 * the store.  'sinmun weather ingest FILE', 'sinmun weather fetch', the
 * server's refresher (refresh.c) and the demo all end here, so a saved
 * response and a live one are treated alike: parsed against the stations
 * of the weather.stations setting, checked, and stored in one transaction
 * - all rows or none, so the ticker never shows half a table.
 *
 * Also here: the station table of that setting, which the site reads too
 * (the ticker and /weather list exactly these stations, in this order),
 * and the Korean words for wind directions.
 */
#include "weather/weather.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/kdate.h"
#include "core/log.h"
#include "store/store.h"

/* A report may be a little early (clock skew, KST rounding); anything
 * later than this after now is not an observation but a broken or hostile
 * body, and would pin the ticker to a time that has not come yet. */
#define FUTURE_SLACK 3600

/* ---- the station table of the settings ---- */

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if none.
 * Overlong forms, surrogates and code points past U+10FFFF are invalid:
 * jansson refuses such strings, and the name ends up in the page model. */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	size_t len, i;
	unsigned cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* A display name: 1..WEATHER_MAX_NAME bytes of UTF-8 without control
 * characters.  Returns 0 or -1. */
static int
check_name(const char *p, size_t n)
{
	size_t i, k;

	if (n == 0 || n > WEATHER_MAX_NAME)
		return -1;
	for (i = 0; i < n; i += k) {
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return -1;
		if ((k = utf8_len((const unsigned char *)p + i, n - i)) == 0)
			return -1;
	}
	return 0;
}

static void
warn_once(char *warn, size_t warnlen, const char *what, const char *p, size_t n)
{
	char q[WEATHER_QUOTE_SIZE];

	if (warn && warnlen && warn[0] == '\0')
		snprintf(warn, warnlen, "weather.stations: %s '%s' skipped", what,
		    weather_quote(q, sizeof q, p, n));
}

int
weather_stations_parse(const char *setting, struct weather_station **out, size_t *n,
    char *warn, size_t warnlen)
{
	const struct weather_station *dflt, *d;
	struct weather_station *v;
	const char *p, *tok, *colon;
	size_t cap = 0, cnt = 0, len, i, ndflt;
	char *names;
	long id;
	int dup;

	*out = NULL;
	*n = 0;
	if (warn && warnlen)
		warn[0] = '\0';
	if (setting == NULL) {
		/* Copied, so every table is freed alike. */
		dflt = weather_default_stations(&ndflt);
		if ((v = malloc(ndflt * sizeof *v)) == NULL)
			log_oom();
		memcpy(v, dflt, ndflt * sizeof *v);
		*out = v;
		*n = ndflt;
		return 0;
	}
	/* An upper bound on the entries: the tokens. */
	for (p = setting; *p; ) {
		while (is_space(*p))
			p++;
		if (*p == '\0')
			break;
		cap++;
		while (*p && !is_space(*p))
			p++;
	}
	if (cap == 0)
		return 0;
	if (cap > WEATHER_MAX_STATIONS)
		cap = WEATHER_MAX_STATIONS;
	/* One block: the table, then the names, each NUL-terminated. */
	len = strlen(setting);
	if ((v = malloc(cap * sizeof *v + len + cap + 1)) == NULL)
		log_oom();
	names = (char *)(v + cap);
	dflt = weather_default_stations(&ndflt);
	for (p = setting; *p; ) {
		while (is_space(*p))
			p++;
		if (*p == '\0')
			break;
		tok = p;
		while (*p && !is_space(*p))
			p++;
		if (cnt == cap) {
			if (warn && warnlen && warn[0] == '\0')
				snprintf(warn, warnlen, "weather.stations: more than %d stations; "
				    "the rest is skipped", WEATHER_MAX_STATIONS);
			break;
		}
		colon = memchr(tok, ':', (size_t)(p - tok));
		if (colon == NULL || colon == tok || colon - tok > 5 ||
		    strspn(tok, "0123456789") != (size_t)(colon - tok)) {
			warn_once(warn, warnlen, "entry is not ID:NAME:", tok, (size_t)(p - tok));
			continue;
		}
		for (id = 0, i = 0; tok + i < colon; i++)
			id = id * 10 + (tok[i] - '0');
		if (id < 1) {
			warn_once(warn, warnlen, "station id 0 in", tok, (size_t)(p - tok));
			continue;
		}
		if (check_name(colon + 1, (size_t)(p - colon - 1)) != 0) {
			warn_once(warn, warnlen, "bad station name in", tok, (size_t)(p - tok));
			continue;
		}
		for (dup = 0, i = 0; i < cnt; i++)
			dup |= v[i].stn == (int)id;
		if (dup) {
			warn_once(warn, warnlen, "repeated station", tok, (size_t)(p - tok));
			continue;
		}
		memcpy(names, colon + 1, (size_t)(p - colon - 1));
		names[p - colon - 1] = '\0';
		v[cnt].stn = (int)id;
		v[cnt].name = names;
		d = weather_station_find(dflt, ndflt, (int)id);
		v[cnt].kma_name = d ? d->kma_name : names;
		names += p - colon;
		cnt++;
	}
	if (cnt == 0) {
		free(v);
		return 0;
	}
	*out = v;
	*n = cnt;
	return 0;
}

int
weather_stations_load(struct store *st, struct weather_station **out, size_t *n,
    char *err, size_t errlen)
{
	struct arena a = ARENA_INIT;
	const char *setting;
	char warn[256];
	int rc = -1;

	*out = NULL;
	*n = 0;
	switch (store_setting_get(st, &a, "weather.stations", &setting)) {
	case STORE_OK:
		weather_stations_parse(setting, out, n, warn, sizeof warn);
		if (warn[0])
			log_warn("%s", warn);
		break;
	case STORE_NOTFOUND:
		weather_stations_parse(NULL, out, n, NULL, 0);
		break;
	default:
		snprintf(err, errlen, "reading weather.stations: %s", store_errmsg(st));
		goto out;
	}
	rc = 0;
out:
	arena_free(&a);
	return rc;
}

const char *
weather_wind_word(int deg)
{
	static const char *const words[16] = {
		"북", "북북동", "북동", "동북동", "동", "동남동", "남동", "남남동",
		"남", "남남서", "남서", "서남서", "서", "서북서", "북서", "북북서",
	};

	if (deg < 1 || deg > 360)
		return "";
	/* Sectors of 22.5 degrees centred on the points: north is 348.75 up
	 * to 11.25.  In tenths of a degree to stay in integers. */
	return words[((deg * 10 + 112) / 225) % 16];
}

/* ---- ingest ---- */

/* One report line (see weather.h). */
static void
report_line(struct buf *b, const struct weather_station *s, const struct weather_obs *o, int added)
{
	char t[KDATE_MAX];
	const char *wind;

	kdate_datetime(o->observed, t);
	buf_printf(b, "%d %s %s %s", o->stn, s ? s->name : "?", t,
	    o->condition[0] ? o->condition : "-");
	if (o->has_ta)
		buf_printf(b, " %.1f℃", o->ta);
	else
		buf_puts(b, " -℃");
	if (o->has_hm)
		buf_printf(b, " 습도 %.0f%%", o->hm);
	else
		buf_puts(b, " 습도 -");
	wind = o->has_wd ? weather_wind_word(o->wd) : "";
	if (o->has_ws && (o->ws == 0 || (o->has_wd && o->wd == 0)))
		buf_puts(b, " 바람 고요");
	else if (o->has_ws)
		buf_printf(b, " %s %.1fm/s", wind[0] ? wind : "바람", o->ws);
	else
		buf_puts(b, " 바람 -");
	buf_puts(b, added ? " stored\n" : " unchanged\n");
}

/* Logs the domestic weather codes the table has no word for (spec §4.3
 * asks for it: the table is incomplete and KMA does not publish it). */
static void
log_unknown_code(const struct weather_obs *o)
{
	char t[13];

	if (o->ww_unknown == -1)
		return;
	if (weather_kst_format(o->observed, t) != 0)
		t[0] = '\0';
	if (o->ww_unknown == -2)
		log_warn("weather: station %d at %s KST: WW is not a string of 2-digit codes; "
		    "condition from WC/cloud amount", o->stn, t);
	else
		log_warn("weather: station %d at %s KST: unknown domestic weather code %02d in WW; "
		    "condition from WC/cloud amount", o->stn, t, o->ww_unknown);
}

/* 1 when the body is data.go.kr JSON: an object (after white space and a
 * UTF-8 byte order mark) with its "response" envelope near the start.
 * Any other JSON - API Hub answers a bad key with HTTP 200 and a JSON
 * error object - goes to the API Hub parser, which names that error.
 * Either parser checks everything; this only picks whose message fits. */
static int
is_datagokr(const char *body, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && is_space(body[i]))
		i++;
	if (i == len || body[i] != '{')
		return 0;
	return memmem(body + i, len - i < 1024 ? len - i : 1024, "\"response\"", 10) != NULL;
}

int
weather_ingest(struct store *st, const char *body, size_t len, int flags, time_t now,
    struct buf *report, struct weather_ingest_stats *stats, char *err, size_t errlen)
{
	struct weather_station *stations = NULL;
	struct weather_obs *obs = NULL;
	struct weather_obs_row r;
	struct weather_err werr;
	unsigned char *added = NULL;
	size_t nst, n = 0, i, nadded = 0;
	time_t newest = 0;
	char t[13];
	int rc = -1, in_tx = 0, a, prc;

	if (stats)
		memset(stats, 0, sizeof *stats);
	if (weather_stations_load(st, &stations, &nst, err, errlen) != 0)
		goto out;
	if (nst == 0) {
		snprintf(err, errlen, "no stations: the weather.stations setting lists none");
		goto out;
	}
	memset(&werr, 0, sizeof werr);
	if (is_datagokr(body, len))
		prc = weather_parse_datagokr(body, len, stations, nst, &obs, &n, &werr);
	else
		prc = weather_parse_kma(body, len, stations, nst, &obs, &n, &werr);
	if (prc != 0) {
		if (werr.line > 0)
			snprintf(err, errlen, "line %d: %s", werr.line, werr.msg);
		else
			snprintf(err, errlen, "%s", werr.msg);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (now != 0 && obs[i].observed > now + FUTURE_SLACK) {
			if (weather_kst_format(obs[i].observed, t) != 0)
				t[0] = '\0';
			snprintf(err, errlen, "station %d: observation time %s KST is in the future",
			    obs[i].stn, t);
			goto out;
		}
		if (obs[i].observed > newest)
			newest = obs[i].observed;
	}
	if (n && (added = calloc(n, 1)) == NULL)
		log_oom();
	if (!(flags & WEATHER_INGEST_IN_TX)) {
		if (store_begin(st) != STORE_OK) {
			snprintf(err, errlen, "store: %s", store_errmsg(st));
			goto out;
		}
		in_tx = 1;
	}
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof r);
		r.station_id = obs[i].stn;
		r.observed_at = obs[i].observed;
		r.condition = obs[i].condition;
		r.temperature = obs[i].ta;
		r.has_temperature = obs[i].has_ta;
		r.humidity = obs[i].hm;
		r.has_humidity = obs[i].has_hm;
		r.wind_speed = obs[i].ws;
		r.has_wind_speed = obs[i].has_ws;
		r.wind_dir = obs[i].wd;
		r.has_wind_dir = obs[i].has_wd;
		if (store_weather_insert(st, &r, &a) != STORE_OK) {
			snprintf(err, errlen, "store: station %d: %s", obs[i].stn, store_errmsg(st));
			goto out;
		}
		added[i] = (unsigned char)a;
		nadded += (size_t)a;
	}
	if (in_tx) {
		if (store_commit(st) != STORE_OK) {
			snprintf(err, errlen, "store: %s", store_errmsg(st));
			goto out;
		}
		in_tx = 0;
	}
	/* Only what was stored now is reported as unknown: a refresh fetches
	 * the same hour several times and should say it once. */
	for (i = 0; i < n; i++) {
		if (added[i])
			log_unknown_code(&obs[i]);
		if (report)
			report_line(report, weather_station_find(stations, nst, obs[i].stn),
			    &obs[i], added[i]);
	}
	if (stats) {
		stats->rows = n;
		stats->added = nadded;
		stats->newest = newest;
	}
	rc = 0;
out:
	if (in_tx)
		store_rollback(st);
	free(added);
	free(obs);
	free(stations);
	return rc;
}
