/*
 * site_int.h - what the site's handler files share: the per-request
 * context and the helpers that build page models and answers.
 *
 * Internal to the site module (site.c routes, pages.c and the other
 * handler files answer).  Everything is allocated from the request's arena
 * or owned by the JSON model being built.
 */
#ifndef SINMUN_SITE_SITE_INT_H
#define SINMUN_SITE_SITE_INT_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "http/http.h"
#include "site/site.h"
#include "store/store.h"

#define SITE_PAGE_SIZE 20       /* list pages */
#define SITE_MAX_PAGE  100000

struct site_ctx {
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
	uint64_t            gen;        /* the page cache's generation for this request */
	/* Set by a handler whose 200 answer may go into the page cache. */
	int                 cacheable;
	const char         *cache_control;
	time_t              cache_expires; /* 0: until the data changes */
};

/* Cache-Control for what a news site serves: lists change often, an
 * article rarely; a CDN in front may serve a stale copy while it asks. */
#define SITE_CC_LIST    "public, max-age=60, stale-while-revalidate=300"
#define SITE_CC_ARTICLE "public, max-age=300, stale-while-revalidate=3600"

/* Marks the answer being built as cacheable with this Cache-Control. */
void site_cacheable(struct site_ctx *, const char *cache_control);

/* A site setting's value, "" when unset. */
const char *site_setting(struct site_ctx *, const char *key);
/* Loads the settings into c->settings, c->site_name and c->base_url. */
int site_load_settings(struct site_ctx *);
/* Renders template name with model as the HTML response (500 on failure). */
void site_render(struct site_ctx *, const char *name, json_t *model);
/* Logs a store failure with the request and answers 503. */
void site_store_failed(struct site_ctx *, int rc);
/* An error page with a Korean message; 4xx/5xx. */
void site_error(struct site_ctx *, int status, const char *message);
void site_not_found(struct site_ctx *);
void site_redirect(struct site_ctx *, int status, const char *location);
/* 1 for GET and HEAD; otherwise answers 405 with Allow and returns 0. */
int site_is_get(struct site_ctx *);
int site_has_prefix(const char *s, const char *prefix, const char **rest);
/* A positive decimal id of at most 15 digits, or -1. */
int64_t site_parse_id(const char *s, size_t n);
/* ?page=N: 1 when absent, 0 when malformed. */
int site_page_param(struct site_ctx *);

json_t *site_jstr(const char *s);
char *site_fmt_time(struct arena *, time_t, void (*)(time_t, char *));
/* The parts every page has: masthead, weather, navigation, footer, meta. */
json_t *site_page_model(struct site_ctx *, const char *title, const char *description,
    const char *canonical_path, const char *current_section);
/* Paths of things (relative to the site root). */
const char *site_article_path(struct arena *, const struct article *);
const char *site_tag_path(struct arena *, const char *tag);
/* An article as an item of a list, and a list of them. */
json_t *site_item_model(struct site_ctx *, const struct article *);
json_t *site_items_model(struct site_ctx *, const struct article_list *);
void site_pagination(struct site_ctx *, json_t *m, const char *path, int page, int64_t total);

/* Handlers (pages.c). */
void site_front(struct site_ctx *);
void site_article(struct site_ctx *, int64_t id);
/* Renders an article page as the site shows it (the newsroom's preview
 * passes preview=1: a banner, and an unpublished article reads as if
 * published now).  0, or -1 after answering an error. */
int site_article_render(struct site_ctx *, const struct article *, int preview);
void site_list(struct site_ctx *, struct article_query *, const char *heading, const char *kicker,
    const char *path, const char *current_section);
void site_old_cms(struct site_ctx *, const char *param);
void site_static(struct site_ctx *, const char *name);
void site_robots(struct site_ctx *);

/* Feeds, sitemaps and structured data (feeds.c).  site_feeds_route
 * answers and returns 1 when path is one of its URLs, else returns 0. */
int site_feeds_route(struct site_ctx *, const char *path);
/* The JSON-LD NewsArticle of an article page, as JSON text safe inside a
 * <script> element, or NULL. */
const char *site_article_jsonld(struct site_ctx *, const struct article *);
/* The JSON-LD WebSite of the front page (with its SearchAction), or NULL. */
const char *site_front_jsonld(struct site_ctx *);

/* Search (search.c): the page and /api/v1/search. */
void site_search(struct site_ctx *);
void site_api_search(struct site_ctx *);

/* The weather page (weather.c). */
void site_weather(struct site_ctx *);

#endif
