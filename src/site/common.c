/*
 * common.c - the helpers every site handler uses: settings, the page
 * model (masthead, weather, navigation, footer), list items, pagination,
 * rendering and error answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/arena.h"
#include "core/embed.h"
#include "core/kdate.h"
#include "core/log.h"
#include "news/news.h"
#include "render/mustache.h"
#include "site/site_int.h"
#include "store/store.h"
#include "weather/weather.h"

const char *
site_setting(struct site_ctx *c, const char *key)
{
	const char *v = json_string_value(json_object_get(c->settings, key));

	return v ? v : "";
}

/* Renders template name with model into the response. */
void
site_cacheable(struct site_ctx *c, const char *cache_control)
{
	c->cacheable = 1;
	c->cache_control = cache_control;
}

void
site_render(struct site_ctx *c, const char *name, json_t *model)
{
	char err[256];

	c->res->content_type = "text/html; charset=utf-8";
	buf_reset(&c->res->body);
	if (mustache_render(c->t->site->tmpl, name, model, &c->res->body, err, sizeof err) != 0) {
		log_error("render %s %.*s: %s", name, (int)c->req->target.len, c->req->target.p, err);
		c->res->status = 500;
		c->res->content_type = "text/plain; charset=utf-8";
		buf_reset(&c->res->body);
		buf_puts(&c->res->body, "500 페이지를 만들지 못했습니다 (internal error)\n");
	}
}

void
site_store_failed(struct site_ctx *c, int rc)
{
	log_error("store: %s %.*s: %s (%s)", http_method_name(c->req->method),
	    (int)c->req->target.len, c->req->target.p, store_strerror(rc), store_errmsg(c->st));
	site_error(c, 503, "잠시 후 다시 시도해 주세요. 저장소가 응답하지 않습니다.");
}

/*
 * The parts every page shows - settings, the section list, the weather
 * ticker - are read once per thread and generation (the page cache's:
 * it moves on every commit), not once per page: that is most of the
 * queries of a cold page.  The ticker is also remade every minute when
 * live fetching is on, since its stale window moves with the clock.
 */
static int
parts_fresh(struct site_ctx *c)
{
	return c->t->parts_gen == c->gen && c->gen != 0;
}

static void
parts_reset(struct site_thread *t, uint64_t gen)
{
	json_decref(t->settings);
	json_decref(t->sections);
	json_decref(t->weather);
	t->settings = t->sections = t->weather = NULL;
	t->parts_gen = gen;
}

int
site_load_settings(struct site_ctx *c)
{
	struct setting *v;
	int n, i, rc;
	const char *url;
	size_t len;

	if (!parts_fresh(c))
		parts_reset(c->t, c->gen);
	if (c->t->settings == NULL) {
		if ((rc = store_settings_all(c->st, c->a, &v, &n)) != STORE_OK)
			return rc;
		c->t->settings = json_object();
		for (i = 0; i < n; i++)
			json_object_set_new(c->t->settings, v[i].key, json_string(v[i].value));
	}
	c->settings = json_incref(c->t->settings);
	c->site_name = site_setting(c, "site_name");
	url = c->t->site->cfg->base_url[0] ? c->t->site->cfg->base_url : site_setting(c, "site_url");
	if (url[0] == '\0')
		url = arena_printf(c->a, "http://%s:%d", c->t->site->cfg->listen_host,
		    c->t->site->cfg->listen_port);
	len = strlen(url);
	while (len && url[len - 1] == '/')
		len--;
	c->base_url = arena_strndup(c->a, url, len);
	return STORE_OK;
}

json_t *
site_jstr(const char *s)
{
	return json_string(s ? s : "");
}

char *
site_fmt_time(struct arena *a, time_t t, void (*f)(time_t, char *))
{
	char buf[KDATE_MAX];

	f(t, buf);
	return arena_strdup(a, buf);
}

/* The parts every page has: masthead, weather, navigation, footer. */
static json_t *weather_model(struct site_ctx *);

json_t *
site_page_model(struct site_ctx *c, const char *title, const char *description, const char *canonical_path,
    const char *current_section)
{
	struct section *secs;
	json_t *m, *nav, *item;
	int n, i;
	size_t k;
	char t[KDATE_MAX];

	m = json_object();
	json_object_set(m, "site", c->settings);
	kdate_masthead(c->req->now, t);
	json_object_set_new(m, "today", json_string(t));
	kdate_date(c->req->now, t);
	json_object_set_new(m, "year", json_stringn(t, 4));
	json_object_set_new(m, "title", site_jstr(title));
	json_object_set_new(m, "description", site_jstr(description && description[0] ? description :
	    site_setting(c, "site_description")));
	json_object_set_new(m, "canonical", json_string(arena_printf(c->a, "%s%s", c->base_url,
	    canonical_path)));
	json_object_set_new(m, "base_url", json_string(c->base_url));

	if (!parts_fresh(c))
		parts_reset(c->t, c->gen);
	if (c->t->sections == NULL) {
		c->t->sections = json_array();
		if (store_sections_list(c->st, c->a, &secs, &n) == STORE_OK)
			for (i = 0; i < n; i++)
				json_array_append_new(c->t->sections, json_pack("{s:s, s:s}",
				    "slug", secs[i].slug, "name", secs[i].name));
	}
	nav = json_array();
	json_array_foreach(c->t->sections, k, item) {
		const char *slug = json_string_value(json_object_get(item, "slug"));

		json_array_append_new(nav, json_pack("{s:O, s:O, s:b}", "slug", json_object_get(item, "slug"),
		    "name", json_object_get(item, "name"),
		    "current", current_section && slug && strcmp(current_section, slug) == 0));
	}
	json_object_set_new(m, "sections", nav);

	if (c->t->weather == NULL || (c->t->site->cfg->weather_key[0] &&
	    c->req->now - c->t->weather_at >= 60)) {
		json_decref(c->t->weather);
		c->t->weather = weather_model(c);
		c->t->weather_at = c->req->now;
	}
	json_object_set(m, "weather", c->t->weather);
	return m;
}

/* The ticker model (see site_page_model). */
static json_t *
weather_model(struct site_ctx *c)
{
	struct weather_obs_row *w;
	struct weather_station *wst = NULL;
	const struct config *cfg;
	const char *wsetting;
	json_t *items, *weather, *item;
	int *ids;
	size_t k, nwst = 0;
	time_t newest = 0, since;
	char t[KDATE_MAX], at[KDATE_MAX];

	/* The weather ticker.  Each station shows its newest observation
	 * that has a temperature.  With live fetching configured, only an
	 * observation within the stale window counts as current (an older
	 * one drops out of the ticker), so a station whose latest report
	 * lacks a temperature keeps its last good value that long and no
	 * longer.  Without live fetching (data ingested by hand, the demo)
	 * what was ingested is shown.  The ticker's time is its newest
	 * observation; a station showing an older one says when. */
	items = json_array();
	cfg = c->t->site->cfg;
	since = cfg->weather_key[0] ? c->req->now - cfg->weather_stale_after : 0;
	/* Unset: the default stations.  Bad entries are skipped; the
	 * commands log them, a page view should not. */
	wsetting = json_string_value(json_object_get(c->settings, "weather.stations"));
	weather_stations_parse(wsetting, &wst, &nwst, NULL, 0);
	ids = arena_calloc(c->a, nwst + 1, sizeof *ids);
	for (k = 0; k < nwst; k++)
		ids[k] = wst[k].stn;
	if (store_weather_newest(c->st, c->a, ids, (int)nwst, since, 1, &w) == STORE_OK) {
		for (k = 0; k < nwst; k++)
			if (w[k].observed_at > newest)
				newest = w[k].observed_at;
		if (newest)
			kdate_short(newest, t);
		for (k = 0; k < nwst; k++) {
			if (w[k].observed_at == 0)
				continue;
			item = json_pack("{s:s, s:s, s:s}", "condition", w[k].condition,
			    "name", wst[k].name, "temp", arena_printf(c->a, "%.1f", w[k].temperature));
			if (item && w[k].observed_at != newest) {
				/* "08:00", or "11.24 23:00" across midnight. */
				kdate_short(w[k].observed_at, at);
				json_object_set_new(item, "obs_time", json_string(strncmp(at, t, 6) == 0 ?
				    at + 6 : at));
			}
			if (item)
				json_array_append_new(items, item);
		}
	}
	free(wst);
	weather = json_object();
	json_object_set_new(weather, "items", items);
	json_object_set_new(weather, "has", json_boolean(json_array_size(items) > 0));
	if (newest)
		json_object_set_new(weather, "time", json_string(t));
	return weather;
}


/* "/tags/" and the tag percent-encoded as one path segment. */
const char *
site_tag_path(struct arena *a, const char *tag)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_puts(&b, "/tags/");
	buf_put_url(&b, tag, strlen(tag));
	out = arena_strndup(a, b.p, b.len);
	buf_free(&b);
	return out;
}

const char *
site_article_path(struct arena *a, const struct article *art)
{
	if (art->slug && art->slug[0])
		return arena_printf(a, "/articles/%lld/%s", (long long)art->id, art->slug);
	return arena_printf(a, "/articles/%lld", (long long)art->id);
}

/* One article as an item of a list. */
json_t *
site_item_model(struct site_ctx *c, const struct article *art)
{
	char t[KDATE_MAX], iso[KDATE_MAX];
	json_t *m;

	kdate_datetime(art->published_at, t);
	kdate_iso8601(art->published_at, iso);
	m = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s}",
	    "id", (json_int_t)art->id,
	    "url", site_article_path(c->a, art),
	    "headline", art->headline,
	    "lead_label", news_lead_label(c->a, art, c->site_name),
	    "summary", art->summary,
	    "section_name", art->section.name,
	    "section_slug", art->section.slug,
	    "time", t,
	    "iso", iso,
	    "byline", news_byline(c->a, art),
	    "is_press", art->kind == KIND_PRESS_RELEASE,
	    "kind_label", article_kind_label(art->kind));
	/* Portals sanction papers that pass press releases and advertorials
	 * off as their own reporting: every kind but 자체기사 is labelled. */
	if (art->nsubtitles)
		json_object_set_new(m, "subtitle", json_string(art->subtitles[0]));
	if (art->kind != KIND_OWN)
		json_object_set_new(m, "kind_badge", json_string(art->kind == KIND_ADVERTORIAL ?
		    "광고" : article_kind_label(art->kind)));
	return m;
}

json_t *
site_items_model(struct site_ctx *c, const struct article_list *l)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; i < l->n; i++)
		json_array_append_new(arr, site_item_model(c, &l->items[i]));
	return arr;
}

/* ?page=N: 1 when absent; 0 when malformed (the caller answers 400). */
int
site_page_param(struct site_ctx *c)
{
	const char *v = http_param(c->params, c->nparams, "page");
	long n;

	if (v == NULL)
		return 1;
	if (config_parse_int(v, 1, SITE_MAX_PAGE, &n) != 0)
		return 0;
	return (int)n;
}

void
site_pagination(struct site_ctx *c, json_t *m, const char *path, int page, int64_t total)
{
	int64_t last = total ? (total + SITE_PAGE_SIZE - 1) / SITE_PAGE_SIZE : 1;
	json_t *p = json_object();

	json_object_set_new(p, "page", json_integer(page));
	json_object_set_new(p, "last", json_integer(last));
	json_object_set_new(p, "total", json_integer(total));
	if (page > 1)
		json_object_set_new(p, "prev", json_string(page == 2 ? path :
		    arena_printf(c->a, "%s?page=%d", path, page - 1)));
	if (page < last)
		json_object_set_new(p, "next", json_string(arena_printf(c->a, "%s?page=%d", path, page + 1)));
	json_object_set_new(p, "show", json_boolean(last > 1));
	json_object_set_new(m, "pagination", p);
}

void
site_error(struct site_ctx *c, int status, const char *message)
{
	json_t *m;
	const char *title;

	c->res->status = status;
	switch (status) {
	case 400: title = "잘못된 요청입니다"; break;
	case 404: title = "페이지를 찾을 수 없습니다"; break;
	case 405: title = "허용되지 않는 요청 방식입니다"; break;
	case 503: title = "일시적으로 서비스할 수 없습니다"; break;
	default: title = "오류가 발생했습니다"; break;
	}
	if (c->settings == NULL && site_load_settings(c) != STORE_OK) {
		/* Without the store there is no layout to render: plain text. */
		c->res->content_type = "text/plain; charset=utf-8";
		buf_reset(&c->res->body);
		buf_printf(&c->res->body, "%d %s\n%s\n", status, title, message);
		return;
	}
	m = site_page_model(c, title, message, "/", NULL);
	json_object_set_new(m, "status", json_integer(status));
	json_object_set_new(m, "heading", json_string(title));
	json_object_set_new(m, "message", json_string(message));
	json_object_set_new(m, "noindex", json_true());
	site_render(c, "error", m);
	c->res->status = status;
	json_decref(m);
}

void
site_not_found(struct site_ctx *c)
{
	site_error(c, 404, "주소가 바뀌었거나 삭제된 페이지입니다. 주소를 다시 확인해 주세요.");
}

/* Digits only, no sign, no leading junk, fits in 53 bits; -1 otherwise. */
int64_t
site_parse_id(const char *s, size_t n)
{
	int64_t v = 0;
	size_t i;

	if (n == 0 || n > 15)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v > 0 ? v : -1;
}

void
site_redirect(struct site_ctx *c, int status, const char *location)
{
	c->res->status = status;
	http_res_header(c->res, "Location", location);
	c->res->content_type = "text/html; charset=utf-8";
	buf_reset(&c->res->body);
	buf_puts(&c->res->body, "<!doctype html><meta charset=utf-8><title>이동</title><a href=\"");
	buf_put_html(&c->res->body, location, strlen(location));
	buf_puts(&c->res->body, "\">이동한 주소</a>\n");
}

int
site_is_get(struct site_ctx *c)
{
	if (c->req->method == HTTP_GET || c->req->method == HTTP_HEAD)
		return 1;
	http_res_header(c->res, "Allow", "GET, HEAD");
	site_error(c, 405, "이 주소는 GET과 HEAD 요청만 받습니다.");
	return 0;
}

int
site_has_prefix(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n) != 0)
		return 0;
	*rest = s + n;
	return 1;
}
