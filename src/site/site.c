/*
 * site.c - the public site's set-up and its router: which handler answers
 * which path and method.  Handlers live in pages.c (and later files); what
 * they share is in site_int.h.
 */
#include "site/site.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/embed.h"
#include "core/kdate.h"
#include "core/log.h"
#include "admin/admin.h"
#include "cache/cache.h"
#include "render/mustache.h"
#include "site/site_int.h"
#include "store/store.h"

/* ---- set-up ---- */

int
site_init(struct site *s, const struct config *cfg, char *err, size_t errlen)
{
	char name[256], msg[512];
	const struct embed_file *f;
	unsigned i;
	size_t n;

	s->cfg = cfg;
	atomic_init(&s->version0, 0);
	s->cache = cache_new(cfg->cache_bytes > 0 ? (size_t)cfg->cache_bytes : 0);
	/* Search pages apart, so that many different queries cannot push the
	 * articles and lists out: readers of a breaking story search for the
	 * same words, and a few hundred pages hold those. */
	s->searches = cache_new(cfg->cache_bytes > 0 ? (size_t)cfg->cache_bytes / 16 : 0);
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
			site_free(s);
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
	cache_free(s->cache);
	s->cache = NULL;
	cache_free(s->searches);
	s->searches = NULL;
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
	/* Any commit after the first thread's read moves each thread's
	 * version away from this one at its first request; with no read
	 * (0, never a version) the first request moves the cache on. */
	{
		long long v0 = 0;
		int64_t v;

		if (store_site_version(t->st, &v) == STORE_OK)
			atomic_compare_exchange_strong(&s->version0, &v0, (long long)v);
		t->site_version = atomic_load(&s->version0);
	}
	return t;
}

void
site_thread_fini(void *tctx)
{
	struct site_thread *t = tctx;

	json_decref(t->settings);
	json_decref(t->sections);
	json_decref(t->weather);
	store_close(t->st);
	free(t);
}

/* ---- one request ---- */

static void
route(struct site_ctx *c)
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
		site_error(c, 400, "요청 주소의 형식이 올바르지 않습니다.");
		return;
	}
	if (strcmp(path, "/healthz") == 0) {
		if (!site_is_get(c))
			return;
		c->res->content_type = "text/plain; charset=utf-8";
		http_res_header(c->res, "Cache-Control", "no-store");
		if (store_ping(c->st) == STORE_OK) {
			struct cache_stats cs;
			struct cache *which[2] = { c->t->site->cache, c->t->site->searches };
			static const char *const names[2] = { "pages", "searches" };
			int i;

			/* "ok" first, for checks that look for it; then the
			 * caches, for the operator. */
			buf_puts(&c->res->body, "ok\n");
			for (i = 0; i < 2; i++) {
				cache_stats(which[i], &cs);
				buf_printf(&c->res->body, "%s cache: %zu entries, %zu of %zu bytes, %llu hits, "
				    "%llu misses, %llu stored, %llu evicted, %llu compressed\n", names[i], cs.entries,
				    cs.bytes, cs.max_bytes, (unsigned long long)cs.hits, (unsigned long long)cs.misses,
				    (unsigned long long)cs.stores, (unsigned long long)cs.evictions,
				    (unsigned long long)cs.compressions);
			}
		} else {
			c->res->status = 503;
			buf_puts(&c->res->body, "store unavailable\n");
		}
		return;
	}
	if (site_has_prefix(path, "/static/", &rest)) {
		if (site_is_get(c))
			site_static(c, rest);
		return;
	}
	if ((rc = site_load_settings(c)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	memset(&q, 0, sizeof q);
	/* Feeds live under /sections/, /reporters/ and /tags/ as well, so
	 * their URLs are matched before those pages' (feeds.c). */
	if (site_feeds_route(c, path)) {
		/* answered */
	} else if (strcmp(path, "/") == 0) {
		if (site_is_get(c))
			site_front(c);
	} else if (site_has_prefix(path, "/articles/", &rest)) {
		/* /articles/{id}, /articles/{id}/{slug}, /articles/{id}-{slug} */
		size_t n = strspn(rest, "0123456789");

		if (rest[n] != '\0' && rest[n] != '/' && rest[n] != '-') {
			site_not_found(c);
			return;
		}
		if ((id = site_parse_id(rest, n)) < 0)
			site_not_found(c);
		else if (site_is_get(c))
			site_article(c, id);
	} else if (site_has_prefix(path, "/sections/", &rest)) {
		if (strchr(rest, '/') != NULL || rest[0] == '\0') {
			site_not_found(c);
			return;
		}
		rc = store_section_by_slug(c->st, c->a, rest, &sec);
		if (rc == STORE_NOTFOUND)
			site_not_found(c);
		else if (rc != STORE_OK)
			site_store_failed(c, rc);
		else if (site_is_get(c)) {
			q.section_id = sec.id;
			site_list(c, &q, sec.name, "섹션", arena_printf(c->a, "/sections/%s", sec.slug), sec.slug);
		}
	} else if (site_has_prefix(path, "/reporters/", &rest)) {
		if ((id = site_parse_id(rest, strlen(rest))) < 0) {
			site_not_found(c);
			return;
		}
		rc = store_person_get(c->st, c->a, id, &who);
		if (rc == STORE_NOTFOUND)
			site_not_found(c);
		else if (rc != STORE_OK)
			site_store_failed(c, rc);
		else if (site_is_get(c)) {
			q.person_id = who.id;
			site_list(c, &q, arena_printf(c->a, who.role == ROLE_CONTRIBUTOR ? "%s" : "%s 기자",
			    who.name), person_role_label(who.role),
			    arena_printf(c->a, "/reporters/%lld", (long long)who.id), NULL);
		}
	} else if (site_has_prefix(path, "/tags/", &rest)) {
		slash = strchr(rest, '/');
		if (rest[0] == '\0' || slash != NULL) {
			site_not_found(c);
			return;
		}
		if (site_is_get(c)) {
			q.tag = rest;
			site_list(c, &q, arena_printf(c->a, "#%s", rest), "태그", site_tag_path(c->a, rest), NULL);
		}
	} else if (strcmp(path, "/news/articleView.html") == 0) {
		if (site_is_get(c))
			site_old_cms(c, "idxno");
	} else if (strcmp(path, "/news/article.html") == 0) {
		if (site_is_get(c))
			site_old_cms(c, "no");
	} else if (strcmp(path, "/robots.txt") == 0) {
		if (site_is_get(c))
			site_robots(c);
	} else if (strcmp(path, "/search") == 0) {
		if (site_is_get(c))
			site_search(c);
	} else if (strcmp(path, "/api/v1/search") == 0) {
		if (site_is_get(c))
			site_api_search(c);
	} else if (strcmp(path, "/admin") == 0 || site_has_prefix(path, "/admin/", &rest)) {
		admin_route(c, path);
	} else if (site_has_prefix(path, "/api/v1/", &rest)) {
		api_route(c, rest);
	} else if (strcmp(path, "/weather") == 0) {
		if (site_is_get(c))
			site_weather(c);
	} else {
		site_not_found(c);
	}
}

/* ---- the page cache in front of the router ---- */

static void
release_entry(void *e)
{
	cache_entry_release(e);
}

/* Does an If-None-Match list hold etag, with or without an encoding
 * suffix, or "*"?  The quote that ends etag is left out of the compare. */
static int
etag_matches(struct str inm, const char *etag)
{
	size_t n = strlen(etag) - 1, i = 0;

	while (i < inm.len) {
		while (i < inm.len && (inm.p[i] == ' ' || inm.p[i] == ','))
			i++;
		if (i < inm.len && inm.p[i] == '*')
			return 1;
		if (i + 2 < inm.len && inm.p[i] == 'W' && inm.p[i + 1] == '/')
			i += 2;
		if (i + n <= inm.len && memcmp(inm.p + i, etag, n) == 0)
			return 1;
		while (i < inm.len && inm.p[i] != ',')
			i++;
	}
	return 0;
}

/* Answers from a cache entry: conditional requests get 304, the body goes
 * out in the best encoding the client takes, without a copy. */
static void
answer_from_entry(struct site_ctx *c, struct cache_entry *e)
{
	struct str ae = http_req_header(c->req, "accept-encoding");
	struct str inm = http_req_header(c->req, "if-none-match");
	struct str ims = http_req_header(c->req, "if-modified-since");
	enum cache_enc enc;
	const void *body;
	size_t len;
	time_t since;

	const char *etag = cache_entry_etag(e);

	c->res->status = cache_entry_status(e);
	c->res->content_type = cache_entry_content_type(e);
	buf_reset(&c->res->body);
	body = cache_entry_body(e, ae.p ? cache_pick_encoding(ae.p, ae.len) : CACHE_IDENTITY, &len, &enc);
	/* Each encoding is its own representation with its own strong ETag:
	 * the page's hash with a suffix.  A validator of any of them matches
	 * (they are the same page). */
	http_res_header(c->res, "Cache-Control", cache_entry_cache_control(e));
	http_res_header(c->res, "ETag", enc == CACHE_IDENTITY ? etag : arena_printf(c->a, "%.*s-%s\"",
	    (int)strlen(etag) - 1, etag, enc == CACHE_GZIP ? "gz" : "br"));
	http_res_header(c->res, "Last-Modified", cache_entry_last_modified(e));
	http_res_header(c->res, "Vary", "Accept-Encoding");
	if (inm.p ? etag_matches(inm, etag) :
	    (ims.p && ims.len < 64 && http_date_parse(ims.p, ims.len, &since) == 0 &&
	    since >= cache_entry_stored(e))) {
		c->res->status = 304;
		cache_entry_release(e);
		return;
	}
	if (enc == CACHE_GZIP)
		http_res_header(c->res, "Content-Encoding", "gzip");
	else if (enc == CACHE_BROTLI)
		http_res_header(c->res, "Content-Encoding", "br");
	c->res->ext_body = body;
	c->res->ext_len = len;
	c->res->ext_release = release_entry;
	c->res->ext_arg = e;
}

/*
 * The generation pages are cached under: the cache's own, moved whenever
 * this thread's connection sees a commit that changes what the site
 * shows (from a worker thread, the weather job, 'sinmun import' in
 * another process: store_site_version), with the day in Seoul folded in
 * so the masthead date is never yesterday's.  Commits that show nowhere
 * (drafts, sessions, revisions) leave the cached pages be.
 */
static uint64_t
generation(struct site_ctx *c)
{
	struct cache *cache = c->t->site->cache;
	int64_t v;

	if (store_site_version(c->st, &v) == STORE_OK && v != c->t->site_version) {
		c->t->site_version = v;
		cache_bump(cache);
	}
	return (cache_generation(cache) << 20) |
	    (uint64_t)(((c->req->now + KST_OFFSET) / 86400) & 0xfffff);
}

/* The cache a request may be answered from and stored in: public GET/HEAD
 * pages in the page cache, the search page in its own; not the newsroom
 * or the API, not the health check, not static files (compiled in). */
static struct cache *
cache_for(struct site *s, const struct http_req *req)
{
	if ((req->method != HTTP_GET && req->method != HTTP_HEAD) || req->target.len == 0 ||
	    (req->path.len >= 8 && memcmp(req->path.p, "/static/", 8) == 0) ||
	    (req->path.len == 8 && memcmp(req->path.p, "/healthz", 8) == 0) ||
	    (req->path.len >= 5 && memcmp(req->path.p, "/api/", 5) == 0) ||
	    (req->path.len >= 6 && memcmp(req->path.p, "/admin", 6) == 0))
		return NULL;
	if (req->path.len >= 7 && memcmp(req->path.p, "/search", 7) == 0)
		return req->path.len == 7 ? s->searches : NULL;
	return s->cache;
}

static void
ctx_init(struct site_ctx *c, void *tctx, struct http_req *req, struct http_res *res)
{
	memset(c, 0, sizeof *c);
	c->t = tctx;
	c->st = c->t->st;
	c->req = req;
	c->res = res;
	c->a = req->arena;
	c->gen = generation(c);
}

int
site_fast(void *tctx, struct http_req *req, struct http_res *res)
{
	struct site_ctx c;
	struct cache_entry *e;
	struct cache *cache = cache_for(((struct site_thread *)tctx)->site, req);

	if (cache == NULL)
		return 0;
	ctx_init(&c, tctx, req, res);
	e = cache_get(cache, req->target.p, req->target.len, c.gen, req->now);
	if (e == NULL)
		return 0;
	answer_from_entry(&c, e);
	return 1;
}

void
site_handle(void *tctx, struct http_req *req, struct http_res *res)
{
	struct site_ctx c;
	struct cache *cache;
	struct cache_entry *e = NULL;
	struct cache_page pg;
	int use_cache;

	ctx_init(&c, tctx, req, res);
	cache = cache_for(c.t->site, req);
	use_cache = cache != NULL;
	/* Another render thread may have made the page since the loop looked. */
	if (use_cache && (e = cache_get(cache, req->target.p, req->target.len, c.gen, req->now)) != NULL) {
		answer_from_entry(&c, e);
		return;
	}
	route(&c);
	if (use_cache && c.cacheable && res->status == 200) {
		memset(&pg, 0, sizeof pg);
		pg.status = res->status;
		pg.content_type = res->content_type;
		pg.cache_control = c.cache_control;
		pg.body = res->body.p ? res->body.p : "";
		pg.len = res->body.len;
		pg.expires = c.cache_expires;
		/* With live weather the ticker's stale window moves with the
		 * clock, not with a write: such pages live a minute at most. */
		if (c.t->site->cfg->weather_key[0] && (pg.expires == 0 || pg.expires > req->now + 60))
			pg.expires = req->now + 60;
		if ((e = cache_put(cache, req->target.p, req->target.len, c.gen, req->now, &pg)) != NULL) {
			/* Headers the page set itself are replaced by the entry's. */
			res->nheaders = 0;
			answer_from_entry(&c, e);
		}
	} else if (c.cacheable && c.cache_control) {
		http_res_header(res, "Cache-Control", c.cache_control);
	}
	json_decref(c.settings);
}
