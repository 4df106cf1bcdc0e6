/*
 * weather.c - the weather page, /weather: every station of the
 * weather.stations setting with its latest KMA observation.
 *
 * Part of the site (routed from site.c).  The masthead ticker
 * (site_page_model in common.c) shows one word and a temperature a
 * station; this page shows the whole observation - condition,
 * temperature, humidity, wind in the Korean 16 points, and its time - so
 * a reader can see how current each value is.  The rows are written by
 * 'sinmun weather ingest|fetch' and the server's refresher (src/weather/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/kdate.h"
#include "site/site_int.h"
#include "store/store.h"
#include "weather/weather.h"

static const char *
wind_text(struct arena *a, const struct weather_obs_row *r)
{
	const char *word;

	if (!r->has_wind_speed)
		return "—";
	/* KMA reports calm as direction 0; no direction is shown for it. */
	if (r->wind_speed == 0 || (r->has_wind_dir && r->wind_dir == 0))
		return "고요";
	word = r->has_wind_dir ? weather_wind_word(r->wind_dir) : "";
	return arena_printf(a, "%s%s%.1f m/s", word, word[0] ? " " : "", r->wind_speed);
}

void
site_weather(struct site_ctx *c)
{
	const struct config *cfg = c->t->site->cfg;
	struct weather_station *st = NULL;
	struct weather_obs_row *w;
	const char *setting;
	json_t *m = NULL, *rows, *row;
	char t[KDATE_MAX], iso[KDATE_MAX];
	size_t n = 0, i;
	time_t newest = 0, stale_before = 0;
	int *ids, rc, live;

	/* The stations of the ticker, in its order (unset: the default). */
	setting = json_string_value(json_object_get(c->settings, "weather.stations"));
	weather_stations_parse(setting, &st, &n, NULL, 0);
	ids = arena_calloc(c->a, n + 1, sizeof *ids);
	for (i = 0; i < n; i++)
		ids[i] = st[i].stn;
	/* The latest row as it is, also one without a temperature: the page
	 * shows every value with its time, so nothing passes as current. */
	if ((rc = store_weather_newest(c->st, c->a, ids, (int)n, 0, 0, &w)) != STORE_OK) {
		site_store_failed(c, rc);
		goto out;
	}
	live = cfg->weather_key[0] != '\0';
	if (live)
		stale_before = c->req->now - cfg->weather_stale_after;
	rows = json_array();
	for (i = 0; i < n; i++) {
		row = json_pack("{s:s, s:i, s:b, s:b}", "name", st[i].name, "stn", st[i].stn,
		    "has", w[i].observed_at != 0, "stale", live && w[i].observed_at != 0 &&
		    w[i].observed_at < stale_before);
		if (row == NULL)
			continue;
		if (w[i].observed_at) {
			if (w[i].observed_at > newest)
				newest = w[i].observed_at;
			kdate_short(w[i].observed_at, t);
			kdate_iso8601(w[i].observed_at, iso);
			json_object_set_new(row, "condition", json_string(w[i].condition[0] ?
			    w[i].condition : "—"));
			json_object_set_new(row, "temp", json_string(w[i].has_temperature ?
			    arena_printf(c->a, "%.1f℃", w[i].temperature) : "—"));
			json_object_set_new(row, "humidity", json_string(w[i].has_humidity ?
			    arena_printf(c->a, "%.0f%%", w[i].humidity) : "—"));
			json_object_set_new(row, "wind", json_string(wind_text(c->a, &w[i])));
			json_object_set_new(row, "time", json_string(t));
			json_object_set_new(row, "iso", json_string(iso));
		}
		json_array_append_new(rows, row);
	}
	m = site_page_model(c, "전국 날씨", arena_printf(c->a, "기상청이 관측한 %zu개 지점의 날씨, "
	    "기온, 습도, 바람과 관측 시각입니다.", n), "/weather", NULL);
	json_object_set_new(m, "stations", rows);
	json_object_set_new(m, "live", json_boolean(live));
	json_object_set_new(m, "empty", json_boolean(newest == 0));
	if (newest) {
		kdate_short(newest, t);
		json_object_set_new(m, "observed", json_string(t));
	}
	if (live)
		json_object_set_new(m, "stale_after", json_string(cfg->weather_stale_after % 3600 == 0 ?
		    arena_printf(c->a, "%d시간", cfg->weather_stale_after / 3600) :
		    arena_printf(c->a, "%d분", (cfg->weather_stale_after + 59) / 60)));
	site_render(c, "weather", m);
out:
	json_decref(m);
	free(st);
}
