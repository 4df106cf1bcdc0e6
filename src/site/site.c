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
#include "core/log.h"
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
			buf_puts(&c->res->body, "ok\n");
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
	} else if (strcmp(path, "/weather") == 0) {
		if (site_is_get(c))
			site_weather(c);
	} else {
		site_not_found(c);
	}
}

void
site_handle(void *tctx, struct http_req *req, struct http_res *res)
{
	struct site_ctx c;

	memset(&c, 0, sizeof c);
	c.t = tctx;
	c.st = c.t->st;
	c.req = req;
	c.res = res;
	c.a = req->arena;
	route(&c);
	json_decref(c.settings);
}
