/*
 * search.c - the search page (/search?q=) and its JSON twin
 * (/api/v1/search?q=).  Both take q, section (slug), reporter (id), from
 * and to (YYYY-MM-DD, Seoul, inclusive) and page; 20 results a page.
 */
#include "site/site_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/kdate.h"
#include "core/log.h"
#include "news/news.h"

struct search_req {
	struct news_search q;
	const char        *q_text;
	const char        *section_slug;
	const char        *reporter;
	const char        *from, *to;
	struct section     section;
	int                has_section;
};

/* Reads and checks the parameters.  0, or 400 with a Korean message. */
static int
read_params(struct site_ctx *c, struct search_req *r, char *err, size_t errlen)
{
	const char *v;
	int rc;

	memset(r, 0, sizeof *r);
	r->q_text = http_param(c->params, c->nparams, "q");
	r->q.q = r->q_text;
	r->q.per_page = SITE_PAGE_SIZE;
	if ((r->q.page = site_page_param(c)) == 0) {
		snprintf(err, errlen, "page 값은 1 이상의 숫자여야 합니다.");
		return 400;
	}
	if ((v = http_param(c->params, c->nparams, "section")) != NULL && *v) {
		r->section_slug = v;
		rc = store_section_by_slug(c->st, c->a, v, &r->section);
		if (rc == STORE_NOTFOUND) {
			snprintf(err, errlen, "없는 섹션입니다.");
			return 400;
		}
		if (rc != STORE_OK)
			return 503;
		r->q.section_id = r->section.id;
		r->has_section = 1;
	}
	if ((v = http_param(c->params, c->nparams, "reporter")) != NULL && *v) {
		r->reporter = v;
		if ((r->q.person_id = site_parse_id(v, strlen(v))) < 0) {
			snprintf(err, errlen, "reporter 값은 기자 번호여야 합니다.");
			return 400;
		}
	}
	r->from = http_param(c->params, c->nparams, "from");
	r->to = http_param(c->params, c->nparams, "to");
	if (news_search_dates(r->from, r->to, &r->q.since, &r->q.until, err, errlen) != 0)
		return 400;
	return 0;
}

/* The query string of this search for another page. */
static const char *
page_url(struct site_ctx *c, const char *base, const struct search_req *r, int page)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_puts(&b, base);
	buf_puts(&b, "?q=");
	buf_put_url(&b, r->q_text, strlen(r->q_text));
	if (r->section_slug) {
		buf_puts(&b, "&section=");
		buf_put_url(&b, r->section_slug, strlen(r->section_slug));
	}
	if (r->reporter)
		buf_printf(&b, "&reporter=%s", r->reporter);
	if (r->from && *r->from) {
		buf_puts(&b, "&from=");
		buf_put_url(&b, r->from, strlen(r->from));
	}
	if (r->to && *r->to) {
		buf_puts(&b, "&to=");
		buf_put_url(&b, r->to, strlen(r->to));
	}
	if (page > 1)
		buf_printf(&b, "&page=%d", page);
	out = arena_strndup(c->a, b.p, b.len);
	buf_free(&b);
	return out;
}

/* 12345 -> "12,345". */
static const char *
grouped(struct arena *a, int64_t n)
{
	char digits[24], out[32];
	int len = snprintf(digits, sizeof digits, "%lld", (long long)n), i, o = 0;

	for (i = 0; i < len; i++) {
		if (i > 0 && digits[i - 1] != '-' && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return arena_strdup(a, out);
}

static json_t *
hit_model(struct site_ctx *c, const struct search_hit *h)
{
	json_t *m = site_item_model(c, &h->article);

	json_object_set_new(m, "title_html", json_string(news_marked_html(c->a, h->title)));
	json_object_set_new(m, "snippet_html", json_string(news_marked_html(c->a, h->snippet)));
	return m;
}

void
site_search(struct site_ctx *c)
{
	struct search_results res;
	struct search_req r;
	struct section *secs;
	json_t *m, *items, *sections;
	char err[256];
	int status, rc, nsec, i;
	int64_t last;

	status = read_params(c, &r, err, sizeof err);
	if (status == 503) {
		site_store_failed(c, STORE_IO);
		return;
	}
	m = site_page_model(c, r.q_text && *r.q_text ? arena_printf(c->a, "‘%s’ 검색 결과 - %s",
	    r.q_text, c->site_name) : arena_printf(c->a, "기사 검색 - %s", c->site_name), NULL,
	    "/search", NULL);
	json_object_set_new(m, "noindex", json_true());
	json_object_set_new(m, "search_q", site_jstr(r.q_text));
	json_object_set_new(m, "from", site_jstr(r.from));
	json_object_set_new(m, "to", site_jstr(r.to));
	sections = json_array();
	if (store_sections_list(c->st, c->a, &secs, &nsec) == STORE_OK)
		for (i = 0; i < nsec; i++)
			json_array_append_new(sections, json_pack("{s:s, s:s, s:b}", "slug", secs[i].slug,
			    "name", secs[i].name, "selected", r.has_section && r.section.id == secs[i].id));
	json_object_set_new(m, "section_options", sections);
	if (status == 0) {
		rc = news_search(c->st, c->a, &r.q, c->req->now, &res, err, sizeof err);
		if (rc == NEWS_SEARCH_STORE) {
			log_error("search %.*s: %s", (int)c->req->target.len, c->req->target.p, err);
			json_decref(m);
			site_store_failed(c, STORE_IO);
			return;
		}
		if (rc == NEWS_SEARCH_INVALID)
			status = 400;
		else if (rc == NEWS_SEARCH_EMPTY)
			json_object_set_new(m, "prompt", json_string(err));
		else {
			items = json_array();
			for (i = 0; i < res.n; i++)
				json_array_append_new(items, hit_model(c, &res.items[i]));
			json_object_set_new(m, "results", items);
			json_object_set_new(m, "searched", json_true());
			json_object_set_new(m, "total", json_string(grouped(c->a, res.total)));
			json_object_set_new(m, "total_estimated", json_boolean(res.total_estimated));
			json_object_set_new(m, "none", json_boolean(res.total == 0));
			/* Pages reach SEARCH_RESULTS_MAX results; past an estimate's
			 * real end a page is empty, so the last page is not named and
			 * "next" needs a full page. */
			last = ((res.total < SEARCH_RESULTS_MAX ? res.total : SEARCH_RESULTS_MAX) +
			    SITE_PAGE_SIZE - 1) / SITE_PAGE_SIZE;
			if (r.q.page > 1)
				json_object_set_new(m, "prev", json_string(page_url(c, "/search", &r, r.q.page - 1)));
			if (r.q.page < last && (!res.total_estimated || res.n == SITE_PAGE_SIZE))
				json_object_set_new(m, "next", json_string(page_url(c, "/search", &r, r.q.page + 1)));
			if (res.n == 0 && res.total > 0)
				json_object_set_new(m, "past_end", json_true());
			json_object_set_new(m, "page", json_integer(r.q.page));
			if (last > 1 || r.q.page > 1)
				json_object_set_new(m, "pages", json_true());
			if (!res.total_estimated)
				json_object_set_new(m, "last", json_integer(last));
		}
	}
	if (status == 400)
		json_object_set_new(m, "error", json_string(err));
	site_render(c, "search", m);
	if (status == 400)
		c->res->status = 400;
	else
		site_cacheable(c, SITE_CC_LIST);
	json_decref(m);
}

static void
api_error(struct site_ctx *c, int status, const char *msg)
{
	json_t *j = json_pack("{s:s}", "error", msg);
	char *s = json_dumps(j, JSON_COMPACT);

	c->res->status = status;
	c->res->content_type = "application/json; charset=utf-8";
	buf_reset(&c->res->body);
	buf_puts(&c->res->body, s);
	buf_putc(&c->res->body, '\n');
	free(s);
	json_decref(j);
}

void
site_api_search(struct site_ctx *c)
{
	struct search_results res;
	struct search_req r;
	json_t *j, *items, *it;
	char err[256], t[KDATE_MAX], *s;
	int status, rc, i;

	http_res_header(c->res, "Cache-Control", "no-cache");
	status = read_params(c, &r, err, sizeof err);
	if (status == 503) {
		api_error(c, 503, "저장소가 응답하지 않습니다.");
		return;
	}
	if (status == 400) {
		api_error(c, 400, err);
		return;
	}
	rc = news_search(c->st, c->a, &r.q, c->req->now, &res, err, sizeof err);
	if (rc == NEWS_SEARCH_STORE) {
		log_error("api search %.*s: %s", (int)c->req->target.len, c->req->target.p, err);
		api_error(c, 503, "저장소가 응답하지 않습니다.");
		return;
	}
	if (rc != NEWS_SEARCH_OK) {
		api_error(c, 400, err);
		return;
	}
	items = json_array();
	for (i = 0; i < res.n; i++) {
		const struct article *a = &res.items[i].article;

		kdate_iso8601(a->published_at, t);
		it = json_pack("{s:I, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:s}",
		    "id", (json_int_t)a->id,
		    "url", arena_printf(c->a, "%s%s", c->base_url, site_article_path(c->a, a)),
		    "headline", a->headline,
		    "headline_html", news_marked_html(c->a, res.items[i].title),
		    "snippet", news_marked_plain(c->a, res.items[i].snippet),
		    "section", "slug", a->section.slug, "name", a->section.name,
		    "published_at", t,
		    "byline", news_byline(c->a, a),
		    "kind", article_kind_name(a->kind));
		json_object_set_new(it, "snippet_html", json_string(news_marked_html(c->a, res.items[i].snippet)));
		json_array_append_new(items, it);
	}
	j = json_pack("{s:s, s:I, s:b, s:i, s:i, s:o}", "query", r.q_text,
	    "total", (json_int_t)res.total, "total_estimated", res.total_estimated,
	    "page", r.q.page, "per_page", SITE_PAGE_SIZE, "results", items);
	s = json_dumps(j, JSON_COMPACT);
	c->res->content_type = "application/json; charset=utf-8";
	buf_puts(&c->res->body, s);
	buf_putc(&c->res->body, '\n');
	free(s);
	json_decref(j);
}
