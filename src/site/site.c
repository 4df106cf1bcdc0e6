/*
 * site.c - the public pages: front page, articles, section, reporter and
 * tag lists, old-CMS redirects, health, static files, errors.
 *
 * Each handler reads from the store into the request's arena, builds a
 * JSON model and renders a template (templates/).  Everything a template
 * prints is HTML-escaped unless the template says otherwise ({{{ }}}),
 * which it does only for article bodies that passed the sanitizer.
 */
#include "site/site.h"

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
#include "store/store.h"

#define PAGE_SIZE      20
#define MAX_PAGE       100000
#define FRONT_LATEST   12
#define SECTION_BLOCK  4
#define RELATED        5

/* ---- set-up ---- */

int
site_init(struct site *s, const struct config *cfg, char *err, size_t errlen)
{
	char name[256], msg[512];
	const struct embed_file *f;
	unsigned i;
	size_t n;

	s->cfg = cfg;
	s->tmpl = mustache_set_new();
	for (i = 0; i < embed_count; i++) {
		f = &embed_files[i];
		if (strncmp(f->name, "templates/", 10) != 0)
			continue;
		n = strlen(f->name + 10);
		if (n < 9 || strcmp(f->name + 10 + n - 9, ".mustache") != 0 || n - 9 >= sizeof name)
			continue;
		memcpy(name, f->name + 10, n - 9);
		name[n - 9] = '\0';
		if (mustache_set_add(s->tmpl, name, (const char *)f->data, f->len, msg, sizeof msg) != 0) {
			snprintf(err, errlen, "template %s", msg);
			mustache_set_free(s->tmpl);
			s->tmpl = NULL;
			return -1;
		}
	}
	return 0;
}

void
site_free(struct site *s)
{
	mustache_set_free(s->tmpl);
	s->tmpl = NULL;
}

void *
site_thread_init(void *arg, int idx, char *err, size_t errlen)
{
	struct site *s = arg;
	struct site_thread *t;

	(void)idx;
	if ((t = calloc(1, sizeof *t)) == NULL)
		log_oom();
	t->site = s;
	t->st = store_open(s->cfg->db, 0, NULL, err, errlen);
	if (t->st == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
site_thread_fini(void *tctx)
{
	struct site_thread *t = tctx;

	store_close(t->st);
	free(t);
}

/* ---- one request ---- */

struct ctx {
	struct site_thread *t;
	struct store       *st;
	struct http_req    *req;
	struct http_res    *res;
	struct arena       *a;
	struct http_param  *params;
	size_t              nparams;
	json_t             *settings;   /* key -> value */
	const char         *site_name;
	const char         *base_url;   /* no trailing slash */
};

static const char *
setting(struct ctx *c, const char *key)
{
	const char *v = json_string_value(json_object_get(c->settings, key));

	return v ? v : "";
}

static void error_page(struct ctx *, int status, const char *message);

/* Renders template name with model into the response. */
static void
render(struct ctx *c, const char *name, json_t *model)
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

static void
store_failed(struct ctx *c, int rc)
{
	log_error("store: %s %.*s: %s (%s)", http_method_name(c->req->method),
	    (int)c->req->target.len, c->req->target.p, store_strerror(rc), store_errmsg(c->st));
	error_page(c, 503, "잠시 후 다시 시도해 주세요. 저장소가 응답하지 않습니다.");
}

static int
load_settings(struct ctx *c)
{
	struct setting *v;
	int n, i, rc;
	const char *url;
	size_t len;

	if ((rc = store_settings_all(c->st, c->a, &v, &n)) != STORE_OK)
		return rc;
	c->settings = json_object();
	for (i = 0; i < n; i++)
		json_object_set_new(c->settings, v[i].key, json_string(v[i].value));
	c->site_name = setting(c, "site_name");
	url = c->t->site->cfg->base_url[0] ? c->t->site->cfg->base_url : setting(c, "site_url");
	if (url[0] == '\0')
		url = arena_printf(c->a, "http://%s:%d", c->t->site->cfg->listen_host,
		    c->t->site->cfg->listen_port);
	len = strlen(url);
	while (len && url[len - 1] == '/')
		len--;
	c->base_url = arena_strndup(c->a, url, len);
	return STORE_OK;
}

static json_t *
jstr(const char *s)
{
	return json_string(s ? s : "");
}

static char *
fmt_time(struct arena *a, time_t t, void (*f)(time_t, char *))
{
	char buf[KDATE_MAX];

	f(t, buf);
	return arena_strdup(a, buf);
}

/* The parts every page has: masthead, weather, navigation, footer. */
static json_t *
page_model(struct ctx *c, const char *title, const char *description, const char *canonical_path,
    const char *current_section)
{
	struct section *secs;
	struct weather_obs_row *w;
	json_t *m, *nav, *items, *weather;
	int n, i, rc;
	time_t newest = 0;
	char t[KDATE_MAX];

	m = json_object();
	json_object_set(m, "site", c->settings);
	kdate_masthead(c->req->now, t);
	json_object_set_new(m, "today", json_string(t));
	kdate_date(c->req->now, t);
	json_object_set_new(m, "year", json_stringn(t, 4));
	json_object_set_new(m, "title", jstr(title));
	json_object_set_new(m, "description", jstr(description && description[0] ? description :
	    setting(c, "site_description")));
	json_object_set_new(m, "canonical", json_string(arena_printf(c->a, "%s%s", c->base_url,
	    canonical_path)));
	json_object_set_new(m, "base_url", json_string(c->base_url));

	nav = json_array();
	if ((rc = store_sections_list(c->st, c->a, &secs, &n)) == STORE_OK) {
		for (i = 0; i < n; i++)
			json_array_append_new(nav, json_pack("{s:s, s:s, s:b}", "slug", secs[i].slug,
			    "name", secs[i].name, "current",
			    current_section && strcmp(current_section, secs[i].slug) == 0));
	}
	json_object_set_new(m, "sections", nav);

	items = json_array();
	if (store_weather_latest(c->st, c->a, &w, &n) == STORE_OK) {
		for (i = 0; i < n; i++) {
			if (!w[i].has_temperature)
				continue;
			json_array_append_new(items, json_pack("{s:s, s:s, s:s}",
			    "condition", w[i].condition, "name", w[i].name,
			    "temp", arena_printf(c->a, "%.1f", w[i].temperature)));
			if (w[i].observed_at > newest)
				newest = w[i].observed_at;
		}
	}
	weather = json_object();
	json_object_set_new(weather, "items", items);
	json_object_set_new(weather, "has", json_boolean(json_array_size(items) > 0));
	if (newest) {
		kdate_short(newest, t);
		json_object_set_new(weather, "time", json_string(t));
	}
	json_object_set_new(m, "weather", weather);
	return m;
}

/* "/tags/" and the tag percent-encoded as one path segment. */
static const char *
tag_path(struct arena *a, const char *tag)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_puts(&b, "/tags/");
	buf_put_url(&b, tag, strlen(tag));
	out = arena_strndup(a, b.p, b.len);
	buf_free(&b);
	return out;
}

static const char *
article_path(struct arena *a, const struct article *art)
{
	if (art->slug && art->slug[0])
		return arena_printf(a, "/articles/%lld/%s", (long long)art->id, art->slug);
	return arena_printf(a, "/articles/%lld", (long long)art->id);
}

/* One article as an item of a list. */
static json_t *
item_model(struct ctx *c, const struct article *art)
{
	char t[KDATE_MAX], iso[KDATE_MAX];
	json_t *m;

	kdate_datetime(art->published_at, t);
	kdate_iso8601(art->published_at, iso);
	m = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s}",
	    "id", (json_int_t)art->id,
	    "url", article_path(c->a, art),
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

static json_t *
items_model(struct ctx *c, const struct article_list *l)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; i < l->n; i++)
		json_array_append_new(arr, item_model(c, &l->items[i]));
	return arr;
}

/* ?page=N: 1 when absent; 0 when malformed (the caller answers 400). */
static int
page_param(struct ctx *c)
{
	const char *v = http_param(c->params, c->nparams, "page");
	long n;

	if (v == NULL)
		return 1;
	if (config_parse_int(v, 1, MAX_PAGE, &n) != 0)
		return 0;
	return (int)n;
}

static void
pagination(struct ctx *c, json_t *m, const char *path, int page, int64_t total)
{
	int64_t last = total ? (total + PAGE_SIZE - 1) / PAGE_SIZE : 1;
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

/* ---- handlers ---- */

static void
error_page(struct ctx *c, int status, const char *message)
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
	if (c->settings == NULL && load_settings(c) != STORE_OK) {
		/* Without the store there is no layout to render: plain text. */
		c->res->content_type = "text/plain; charset=utf-8";
		buf_reset(&c->res->body);
		buf_printf(&c->res->body, "%d %s\n%s\n", status, title, message);
		return;
	}
	m = page_model(c, title, message, "/", NULL);
	json_object_set_new(m, "status", json_integer(status));
	json_object_set_new(m, "heading", json_string(title));
	json_object_set_new(m, "message", json_string(message));
	json_object_set_new(m, "noindex", json_true());
	render(c, "error", m);
	c->res->status = status;
	json_decref(m);
}

static void
not_found(struct ctx *c)
{
	error_page(c, 404, "주소가 바뀌었거나 삭제된 페이지입니다. 주소를 다시 확인해 주세요.");
}

static void
front_page(struct ctx *c)
{
	struct article_query q = { .status = ARTICLE_PUBLISHED, .limit = FRONT_LATEST + 1 };
	struct article_list latest, block;
	struct section *secs;
	json_t *m, *blocks, *items;
	int rc, n, i;

	if ((rc = store_articles_list(c->st, c->a, &q, &latest)) != STORE_OK ||
	    (rc = store_sections_list(c->st, c->a, &secs, &n)) != STORE_OK) {
		store_failed(c, rc);
		return;
	}
	m = page_model(c, c->site_name, NULL, "/", NULL);
	json_object_set_new(m, "is_front", json_true());
	if (latest.n > 0) {
		json_object_set_new(m, "top", item_model(c, &latest.items[0]));
		items = json_array();
		for (i = 1; i < latest.n; i++)
			json_array_append_new(items, item_model(c, &latest.items[i]));
		json_object_set_new(m, "latest", items);
	}
	blocks = json_array();
	for (i = 0; i < n; i++) {
		struct article_query bq = { .status = ARTICLE_PUBLISHED, .section_id = secs[i].id,
			.limit = SECTION_BLOCK };

		if ((rc = store_articles_list(c->st, c->a, &bq, &block)) != STORE_OK) {
			json_decref(blocks);
			json_decref(m);
			store_failed(c, rc);
			return;
		}
		if (block.n == 0)
			continue;
		json_array_append_new(blocks, json_pack("{s:s, s:s, s:s, s:o}",
		    "name", secs[i].name, "slug", secs[i].slug,
		    "url", arena_printf(c->a, "/sections/%s", secs[i].slug),
		    "items", items_model(c, &block)));
	}
	json_object_set_new(m, "blocks", blocks);
	render(c, "front", m);
	json_decref(m);
}

static void
article_page(struct ctx *c, int64_t id)
{
	struct article art;
	struct article_list related;
	struct article_query rq;
	json_t *m, *a, *subs, *tags;
	char t[KDATE_MAX], iso[KDATE_MAX], uiso[KDATE_MAX];
	const char *canon;
	int rc, i;

	rc = store_article_get(c->st, c->a, id, &art);
	if (rc == STORE_NOTFOUND || (rc == STORE_OK && art.status != ARTICLE_PUBLISHED)) {
		not_found(c);
		return;
	}
	if (rc != STORE_OK) {
		store_failed(c, rc);
		return;
	}
	memset(&rq, 0, sizeof rq);
	rq.status = ARTICLE_PUBLISHED;
	rq.section_id = art.section.id;
	rq.exclude_id = art.id;
	rq.limit = RELATED;
	if ((rc = store_articles_list(c->st, c->a, &rq, &related)) != STORE_OK) {
		store_failed(c, rc);
		return;
	}
	canon = article_path(c->a, &art);
	m = page_model(c, arena_printf(c->a, "%s - %s", art.headline, c->site_name), art.summary,
	    canon, art.section.slug);
	a = item_model(c, &art);
	subs = json_array();
	for (i = 0; i < art.nsubtitles; i++)
		json_array_append_new(subs, json_string(art.subtitles[i]));
	json_object_set_new(a, "subtitles", subs);
	json_object_set_new(a, "body", json_string(art.body));
	tags = json_array();
	for (i = 0; i < art.ntags; i++)
		json_array_append_new(tags, json_pack("{s:s, s:s}", "name", art.tags[i],
		    "url", tag_path(c->a, art.tags[i])));
	json_object_set_new(a, "tags", tags);
	json_object_set_new(a, "has_tags", json_boolean(art.ntags > 0));
	kdate_datetime(art.published_at, t);
	json_object_set_new(a, "published", json_string(t));
	kdate_iso8601(art.published_at, iso);
	kdate_iso8601(art.updated_at > art.published_at ? art.updated_at : art.published_at, uiso);
	json_object_set_new(a, "published_iso", json_string(iso));
	json_object_set_new(a, "modified_iso", json_string(uiso));
	/* 수정 only when it was changed after publication, not on the same minute. */
	if (art.updated_at >= art.published_at + 60)
		json_object_set_new(a, "updated", json_string(fmt_time(c->a, art.updated_at, kdate_datetime)));
	if (art.nbylines > 0) {
		json_object_set_new(a, "author_name", json_string(art.bylines[0].name));
		json_object_set_new(a, "author_url", json_string(arena_printf(c->a, "/reporters/%lld",
		    (long long)art.bylines[0].id)));
		if (strstr(art.bylines[0].email, "@byline.invalid") == NULL)
			json_object_set_new(a, "email", json_string(art.bylines[0].email));
	}
	if (art.source_note[0])
		json_object_set_new(a, "source_note", json_string(art.source_note));
	json_object_set_new(m, "article", a);
	json_object_set_new(m, "related", items_model(c, &related));
	json_object_set_new(m, "has_related", json_boolean(related.n > 0));
	json_object_set_new(m, "og_type", json_string("article"));
	render(c, "article", m);
	json_decref(m);
}

/* Section, reporter and tag pages: one list, 20 a page. */
static void
list_page(struct ctx *c, struct article_query *q, const char *heading, const char *kicker,
    const char *path, const char *current_section)
{
	struct article_list l;
	const char *title;
	json_t *m;
	int page, rc;

	if ((page = page_param(c)) == 0) {
		error_page(c, 400, "page 값은 1 이상의 숫자여야 합니다.");
		return;
	}
	q->status = ARTICLE_PUBLISHED;
	q->limit = PAGE_SIZE;
	q->offset = (page - 1) * PAGE_SIZE;
	if ((rc = store_articles_list(c->st, c->a, q, &l)) != STORE_OK) {
		store_failed(c, rc);
		return;
	}
	if (l.n == 0 && page > 1) {
		not_found(c);
		return;
	}
	if (page > 1)
		title = arena_printf(c->a, "%s (%d쪽) - %s", heading, page, c->site_name);
	else
		title = arena_printf(c->a, "%s - %s", heading, c->site_name);
	m = page_model(c, title, NULL, page > 1 ? arena_printf(c->a, "%s?page=%d", path, page) : path,
	    current_section);
	json_object_set_new(m, "heading", json_string(heading));
	json_object_set_new(m, "kicker", jstr(kicker));
	json_object_set_new(m, "items", items_model(c, &l));
	json_object_set_new(m, "empty", json_boolean(l.n == 0));
	pagination(c, m, path, page, l.total);
	render(c, "list", m);
	json_decref(m);
}

/* Digits only, no sign, no leading junk, fits in 53 bits; -1 otherwise. */
static int64_t
parse_id(const char *s, size_t n)
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

static void
redirect(struct ctx *c, int status, const char *location)
{
	c->res->status = status;
	http_res_header(c->res, "Location", location);
	c->res->content_type = "text/html; charset=utf-8";
	buf_reset(&c->res->body);
	buf_puts(&c->res->body, "<!doctype html><meta charset=utf-8><title>이동</title><a href=\"");
	buf_put_html(&c->res->body, location, strlen(location));
	buf_puts(&c->res->body, "\">이동한 주소</a>\n");
}

/* /news/articleView.html?idxno=N and /news/article.html?no=N: the URLs of
 * the CMSs small papers rent today, kept alive with 301s. */
static void
old_cms(struct ctx *c, const char *param)
{
	const char *v = http_param(c->params, c->nparams, param);
	struct article art;
	int64_t id;
	int rc;

	id = v ? parse_id(v, strlen(v)) : -1;
	if (id < 0) {
		not_found(c);
		return;
	}
	rc = store_article_get(c->st, c->a, id, &art);
	if (rc == STORE_NOTFOUND || (rc == STORE_OK && art.status != ARTICLE_PUBLISHED)) {
		not_found(c);
		return;
	}
	if (rc != STORE_OK) {
		store_failed(c, rc);
		return;
	}
	redirect(c, 301, arena_printf(c->a, "%s%s", c->base_url, article_path(c->a, &art)));
}

static const char *
content_type_of(const char *name)
{
	static const struct { const char *ext, *type; } t[] = {
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".woff2", "font/woff2" },
	};
	const char *dot = strrchr(name, '.');
	size_t i;

	for (i = 0; dot && i < sizeof t / sizeof t[0]; i++)
		if (strcmp(dot, t[i].ext) == 0)
			return t[i].type;
	return "application/octet-stream";
}

/* Static files are compiled in, so a name either is one of them or is
 * not: there is no file system to walk out of. */
static void
static_file(struct ctx *c, const char *name)
{
	const struct embed_file *f;
	unsigned char hash[16];
	char etag[40];
	struct str inm;
	const char *p;
	int i;

	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.'))
			break;
	if (*p || name[0] == '.' || name[0] == '\0' ||
	    (f = embed_find(arena_printf(c->a, "static/%s", name))) == NULL) {
		not_found(c);
		return;
	}
	crypto_generichash(hash, sizeof hash, f->data, f->len, NULL, 0);
	etag[0] = '"';
	for (i = 0; i < 8; i++)
		snprintf(etag + 1 + 2 * i, 3, "%02x", hash[i]);
	etag[17] = '"';
	etag[18] = '\0';
	http_res_header(c->res, "ETag", arena_strdup(c->a, etag));
	http_res_header(c->res, "Cache-Control", "public, max-age=86400");
	http_res_header(c->res, "X-Content-Type-Options", "nosniff");
	inm = http_req_header(c->req, "if-none-match");
	if (inm.p && inm.len == strlen(etag) && memcmp(inm.p, etag, inm.len) == 0) {
		c->res->status = 304;
		return;
	}
	c->res->content_type = content_type_of(name);
	buf_put(&c->res->body, f->data, f->len);
}

static void
robots(struct ctx *c)
{
	c->res->content_type = "text/plain; charset=utf-8";
	buf_printf(&c->res->body, "User-agent: *\nDisallow: /admin\nDisallow: /api\n");
}

static int
is_get(struct ctx *c)
{
	if (c->req->method == HTTP_GET || c->req->method == HTTP_HEAD)
		return 1;
	http_res_header(c->res, "Allow", "GET, HEAD");
	error_page(c, 405, "이 주소는 GET과 HEAD 요청만 받습니다.");
	return 0;
}

static int
has_prefix(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n) != 0)
		return 0;
	*rest = s + n;
	return 1;
}

static void
route(struct ctx *c)
{
	const char *path, *rest, *slash;
	struct section sec;
	struct person who;
	struct article_query q;
	int64_t id;
	int rc;

	path = http_req_path(c->req);
	if (path == NULL || path[0] != '/' ||
	    http_params_parse(c->a, c->req->query, &c->params, &c->nparams) != 0) {
		error_page(c, 400, "요청 주소의 형식이 올바르지 않습니다.");
		return;
	}
	if (strcmp(path, "/healthz") == 0) {
		if (!is_get(c))
			return;
		c->res->content_type = "text/plain; charset=utf-8";
		http_res_header(c->res, "Cache-Control", "no-store");
		if (store_ping(c->st) == STORE_OK) {
			buf_puts(&c->res->body, "ok\n");
		} else {
			c->res->status = 503;
			buf_puts(&c->res->body, "store unavailable\n");
		}
		return;
	}
	if (has_prefix(path, "/static/", &rest)) {
		if (is_get(c))
			static_file(c, rest);
		return;
	}
	if ((rc = load_settings(c)) != STORE_OK) {
		store_failed(c, rc);
		return;
	}
	memset(&q, 0, sizeof q);
	if (strcmp(path, "/") == 0) {
		if (is_get(c))
			front_page(c);
	} else if (has_prefix(path, "/articles/", &rest)) {
		/* /articles/{id}, /articles/{id}/{slug}, /articles/{id}-{slug} */
		size_t n = strspn(rest, "0123456789");

		if (rest[n] != '\0' && rest[n] != '/' && rest[n] != '-') {
			not_found(c);
			return;
		}
		if ((id = parse_id(rest, n)) < 0)
			not_found(c);
		else if (is_get(c))
			article_page(c, id);
	} else if (has_prefix(path, "/sections/", &rest)) {
		if (strchr(rest, '/') != NULL || rest[0] == '\0') {
			not_found(c);
			return;
		}
		rc = store_section_by_slug(c->st, c->a, rest, &sec);
		if (rc == STORE_NOTFOUND)
			not_found(c);
		else if (rc != STORE_OK)
			store_failed(c, rc);
		else if (is_get(c)) {
			q.section_id = sec.id;
			list_page(c, &q, sec.name, "섹션", arena_printf(c->a, "/sections/%s", sec.slug), sec.slug);
		}
	} else if (has_prefix(path, "/reporters/", &rest)) {
		if ((id = parse_id(rest, strlen(rest))) < 0) {
			not_found(c);
			return;
		}
		rc = store_person_get(c->st, c->a, id, &who);
		if (rc == STORE_NOTFOUND)
			not_found(c);
		else if (rc != STORE_OK)
			store_failed(c, rc);
		else if (is_get(c)) {
			q.person_id = who.id;
			list_page(c, &q, arena_printf(c->a, who.role == ROLE_CONTRIBUTOR ? "%s" : "%s 기자",
			    who.name), person_role_label(who.role),
			    arena_printf(c->a, "/reporters/%lld", (long long)who.id), NULL);
		}
	} else if (has_prefix(path, "/tags/", &rest)) {
		slash = strchr(rest, '/');
		if (rest[0] == '\0' || slash != NULL) {
			not_found(c);
			return;
		}
		if (is_get(c)) {
			q.tag = rest;
			list_page(c, &q, arena_printf(c->a, "#%s", rest), "태그", tag_path(c->a, rest), NULL);
		}
	} else if (strcmp(path, "/news/articleView.html") == 0) {
		if (is_get(c))
			old_cms(c, "idxno");
	} else if (strcmp(path, "/news/article.html") == 0) {
		if (is_get(c))
			old_cms(c, "no");
	} else if (strcmp(path, "/robots.txt") == 0) {
		if (is_get(c))
			robots(c);
	} else {
		not_found(c);
	}
}

void
site_handle(void *tctx, struct http_req *req, struct http_res *res)
{
	struct ctx c;

	memset(&c, 0, sizeof c);
	c.t = tctx;
	c.st = c.t->st;
	c.req = req;
	c.res = res;
	c.a = req->arena;
	route(&c);
	json_decref(c.settings);
}
