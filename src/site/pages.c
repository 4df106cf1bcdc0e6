/*
 * pages.c - the public pages: front page, article, section/reporter/tag
 * lists, old-CMS redirects, static files, robots.txt.
 *
 * Each handler reads from the store into the request's arena, builds a
 * JSON model and renders a template (templates/).  Everything a template
 * prints is HTML-escaped unless the template says otherwise ({{{ }}}),
 * which it does only for article bodies that passed the sanitizer.
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

#define FRONT_LATEST   12
#define SECTION_BLOCK  4
#define RELATED        5
#define FRONT_FEATURED_MAX 10   /* the newsroom's limit too (settings.c) */

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

/* Adds a to the front's list unless it is there already. */
static void
front_add(struct article_list *l, const struct article *a)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->items[i].id == a->id)
			return;
	l->items[l->n++] = *a;
}

/* A curated id (front.top, front.featured) as a published article into
 * *out: 1, or 0 when it is missing or not published (skipped silently:
 * an article unpublished after curation simply leaves the front). */
static int
front_pick(struct site_ctx *c, const char *s, size_t len, struct article *out)
{
	int64_t id = site_parse_id(s, len);

	return id > 0 && store_article_get(c->st, c->a, id, out) == STORE_OK &&
	    out->status == ARTICLE_PUBLISHED;
}

/*
 * The front page: the desk's top story (front.top) and featured articles
 * (front.featured, in the desk's order) first, then the newest fill the
 * rest; with no top story set the newest article is the top one.
 */
void
site_front(struct site_ctx *c)
{
	struct article_query q = { .status = ARTICLE_PUBLISHED, .limit = FRONT_LATEST + 1 };
	struct article_list newest, latest, block;
	struct article pick;
	struct section *secs;
	json_t *m, *blocks, *items;
	const char *jsonld, *s, *e;
	int rc, n, i, nfeat = 0;

	if ((rc = store_articles_list(c->st, c->a, &q, &newest)) != STORE_OK ||
	    (rc = store_sections_list(c->st, c->a, &secs, &n)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	/* Room for the top story, at most FRONT_FEATURED_MAX featured ones
	 * and the newest. */
	latest.items = arena_calloc(c->a, FRONT_LATEST + 2 + FRONT_FEATURED_MAX, sizeof *latest.items);
	latest.n = 0;
	latest.total = 0;
	s = site_setting(c, "front.top");
	if (front_pick(c, s, strlen(s), &pick))
		front_add(&latest, &pick);
	else if (newest.n > 0)
		front_add(&latest, &newest.items[0]);
	for (s = site_setting(c, "front.featured"); *s && nfeat < FRONT_FEATURED_MAX; s = e) {
		while (*s == ' ')
			s++;
		for (e = s; *e && *e != ' '; e++)
			;
		if (e > s && front_pick(c, s, (size_t)(e - s), &pick)) {
			front_add(&latest, &pick);
			nfeat++;
		}
	}
	for (i = 0; i < newest.n && latest.n < FRONT_LATEST + 1; i++)
		front_add(&latest, &newest.items[i]);
	m = site_page_model(c, c->site_name, NULL, "/", NULL);
	json_object_set_new(m, "is_front", json_true());
	if (latest.n > 0) {
		json_object_set_new(m, "top", site_item_model(c, &latest.items[0]));
		items = json_array();
		for (i = 1; i < latest.n; i++)
			json_array_append_new(items, site_item_model(c, &latest.items[i]));
		json_object_set_new(m, "latest", items);
	}
	blocks = json_array();
	for (i = 0; i < n; i++) {
		struct article_query bq = { .status = ARTICLE_PUBLISHED, .section_id = secs[i].id,
			.limit = SECTION_BLOCK };

		if ((rc = store_articles_list(c->st, c->a, &bq, &block)) != STORE_OK) {
			json_decref(blocks);
			json_decref(m);
			site_store_failed(c, rc);
			return;
		}
		if (block.n == 0)
			continue;
		json_array_append_new(blocks, json_pack("{s:s, s:s, s:s, s:o}",
		    "name", secs[i].name, "slug", secs[i].slug,
		    "url", arena_printf(c->a, "/sections/%s", secs[i].slug),
		    "items", site_items_model(c, &block)));
	}
	json_object_set_new(m, "blocks", blocks);
	if ((jsonld = site_front_jsonld(c)) != NULL)
		json_object_set_new(m, "jsonld", json_string(jsonld));
	site_render(c, "front", m);
	site_cacheable(c, SITE_CC_LIST);
	json_decref(m);
}

void
site_article(struct site_ctx *c, int64_t id)
{
	struct article art;
	int rc;

	rc = store_article_get(c->st, c->a, id, &art);
	if (rc == STORE_NOTFOUND || (rc == STORE_OK && art.status != ARTICLE_PUBLISHED)) {
		site_not_found(c);
		return;
	}
	if (rc != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	if (site_article_render(c, &art, 0) == 0)
		site_cacheable(c, SITE_CC_ARTICLE);
}

int
site_article_render(struct site_ctx *c, const struct article *ap, int preview)
{
	struct article art = *ap;
	struct article_list related;
	struct article_query rq;
	struct correction *corr;
	json_t *m, *a, *subs, *tags, *cj;
	char t[KDATE_MAX], iso[KDATE_MAX], uiso[KDATE_MAX];
	const char *canon, *jsonld;
	int rc, i, ncorr;

	if (preview) {
		/* An article not out yet reads as if published now. */
		if (art.published_at == 0)
			art.published_at = c->req->now;
		if (art.updated_at < art.published_at)
			art.updated_at = art.published_at;
	}
	memset(&rq, 0, sizeof rq);
	rq.status = ARTICLE_PUBLISHED;
	rq.section_id = art.section.id;
	rq.exclude_id = art.id;
	rq.limit = RELATED;
	/* Corrections are part of the article: a page without them would
	 * break the paper's legal duty, so a failed read fails the page. */
	if ((rc = store_articles_list(c->st, c->a, &rq, &related)) != STORE_OK ||
	    (rc = store_corrections_list(c->st, c->a, art.id, &corr, &ncorr)) != STORE_OK) {
		site_store_failed(c, rc);
		return -1;
	}
	canon = site_article_path(c->a, &art);
	m = site_page_model(c, arena_printf(c->a, "%s - %s", art.headline, c->site_name), art.summary,
	    canon, art.section.slug);
	a = site_item_model(c, &art);
	subs = json_array();
	for (i = 0; i < art.nsubtitles; i++)
		json_array_append_new(subs, json_string(art.subtitles[i]));
	json_object_set_new(a, "subtitles", subs);
	json_object_set_new(a, "body", json_string(art.body));
	tags = json_array();
	for (i = 0; i < art.ntags; i++)
		json_array_append_new(tags, json_pack("{s:s, s:s}", "name", art.tags[i],
		    "url", site_tag_path(c->a, art.tags[i])));
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
		json_object_set_new(a, "updated", json_string(site_fmt_time(c->a, art.updated_at, kdate_datetime)));
	/* 입력 stays the first publication, as readers of Korean papers know
	 * it; 승인 is the desk's last approval (a re-publication), shown when
	 * it is not the same minute. */
	if (art.approved_at && (art.approved_at >= art.published_at + 60 ||
	    art.approved_at + 60 <= art.published_at)) {
		kdate_iso8601(art.approved_at, t);
		json_object_set_new(a, "approved_iso", json_string(t));
		json_object_set_new(a, "approved", json_string(site_fmt_time(c->a, art.approved_at, kdate_datetime)));
	}
	/* 정정·반론·추후보도, oldest first, above the body. */
	cj = json_array();
	for (i = 0; i < ncorr; i++) {
		kdate_date(corr[i].at, t);
		kdate_iso8601(corr[i].at, uiso);
		uiso[10] = '\0';
		json_array_append_new(cj, json_pack("{s:s, s:s, s:s, s:s, s:s}", "label",
		    correction_kind_label(corr[i].kind), "kind", correction_kind_name(corr[i].kind),
		    "date", t, "date_iso", uiso, "text", corr[i].text));
	}
	json_object_set_new(a, "corrections", cj);
	json_object_set_new(a, "has_corrections", json_boolean(ncorr > 0));
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
	json_object_set_new(m, "related", site_items_model(c, &related));
	json_object_set_new(m, "has_related", json_boolean(related.n > 0));
	json_object_set_new(m, "og_type", json_string("article"));
	if ((jsonld = site_article_jsonld(c, &art)) != NULL)
		json_object_set_new(m, "jsonld", json_string(jsonld));
	if (preview)
		json_object_set_new(m, "preview", json_true());
	site_render(c, "article", m);
	json_decref(m);
	return c->res->status == 200 ? 0 : -1;
}

/* Section, reporter and tag pages: one list, 20 a page. */
void
site_list(struct site_ctx *c, struct article_query *q, const char *heading, const char *kicker,
    const char *path, const char *current_section)
{
	struct article_list l;
	const char *title;
	json_t *m;
	int page, rc;

	if ((page = site_page_param(c)) == 0) {
		site_error(c, 400, "page 값은 1 이상의 숫자여야 합니다.");
		return;
	}
	q->status = ARTICLE_PUBLISHED;
	q->want_total = 1;
	q->limit = SITE_PAGE_SIZE;
	q->offset = (page - 1) * SITE_PAGE_SIZE;
	if ((rc = store_articles_list(c->st, c->a, q, &l)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	if (l.n == 0 && page > 1) {
		site_not_found(c);
		return;
	}
	if (page > 1)
		title = arena_printf(c->a, "%s (%d쪽) - %s", heading, page, c->site_name);
	else
		title = arena_printf(c->a, "%s - %s", heading, c->site_name);
	m = site_page_model(c, title, NULL, page > 1 ? arena_printf(c->a, "%s?page=%d", path, page) : path,
	    current_section);
	json_object_set_new(m, "heading", json_string(heading));
	json_object_set_new(m, "kicker", site_jstr(kicker));
	json_object_set_new(m, "items", site_items_model(c, &l));
	json_object_set_new(m, "empty", json_boolean(l.n == 0));
	site_pagination(c, m, path, page, l.total);
	site_render(c, "list", m);
	site_cacheable(c, SITE_CC_LIST);
	json_decref(m);
}

/* /news/articleView.html?idxno=N and /news/article.html?no=N: the URLs of
 * the CMSs small papers rent today, kept alive with 301s. */
void
site_old_cms(struct site_ctx *c, const char *param)
{
	const char *v = http_param(c->params, c->nparams, param);
	struct article art;
	int64_t id;
	int rc;

	id = v ? site_parse_id(v, strlen(v)) : -1;
	if (id < 0) {
		site_not_found(c);
		return;
	}
	rc = store_article_get(c->st, c->a, id, &art);
	if (rc == STORE_NOTFOUND || (rc == STORE_OK && art.status != ARTICLE_PUBLISHED)) {
		site_not_found(c);
		return;
	}
	if (rc != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	site_redirect(c, 301, arena_printf(c->a, "%s%s", c->base_url, site_article_path(c->a, &art)));
}

/* Static files are compiled in, so a name either is one of them or is
 * not: there is no file system to walk out of. */
void
site_static(struct site_ctx *c, const char *name)
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
		site_not_found(c);
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

/* Crawlers stay out of the newsroom and the API; the sitemaps are named
 * with absolute URLs, as the protocol requires. */
void
site_robots(struct site_ctx *c)
{
	c->res->content_type = "text/plain; charset=utf-8";
	buf_printf(&c->res->body, "User-agent: *\nDisallow: /admin\nDisallow: /api\n\n"
	    "Sitemap: %s/sitemap.xml\nSitemap: %s/news-sitemap.xml\n", c->base_url, c->base_url);
}
