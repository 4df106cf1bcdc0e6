/*
 * api.c - the JSON API under /api/v1/ (docs/api.md): articles created,
 * edited and moved through the workflow by programs, with per-user
 * tokens (Authorization: Bearer TOKEN).
 *
 * A token stands for its person: the same wf_check as the newsroom's
 * pages decides what it may do, every write is one transaction with an
 * audit entry ("api-<verb>").  There is no CSRF check: a token is not a
 * cookie a browser sends on its own.  Every answer is JSON, never cached.
 */
#include "admin/admin_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/kdate.h"
#include "core/log.h"
#include "news/news.h"

#define API_TOKEN_MAX  200     /* bytes of a presented token */
#define API_LIST_MAX   100
#define API_LIST_DEF   20

/* ---- answers ---- */

static void
api_json(struct site_ctx *c, int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT);

	json_decref(body);
	c->res->status = status;
	c->res->content_type = "application/json; charset=utf-8";
	http_res_header(c->res, "Cache-Control", "no-store");
	http_res_header(c->res, "X-Content-Type-Options", "nosniff");
	buf_reset(&c->res->body);
	if (s) {
		buf_puts(&c->res->body, s);
		free(s);
	}
	buf_puts(&c->res->body, "\n");
}

/* {"error":code,"message":Korean[,"field":name]} */
static void
api_error(struct site_ctx *c, int status, const char *code, const char *field, const char *message)
{
	json_t *o = json_pack("{s:s, s:s}", "error", code, "message", message);

	if (field)
		json_object_set_new(o, "field", json_string(field));
	api_json(c, status, o);
}

static void
api_store_failed(struct site_ctx *c, int rc)
{
	if (rc == STORE_EXISTS) {
		api_error(c, 409, "exists", NULL, "같은 값(기사 번호나 주소)이 이미 있어 저장하지 못했습니다.");
		return;
	}
	log_error("api %.*s: %s (%s)", (int)c->req->target.len, c->req->target.p, store_strerror(rc),
	    store_errmsg(c->st));
	api_error(c, rc == STORE_BUSY ? 503 : 500, "store",
	    NULL, "저장소에 문제가 있어 요청을 처리하지 못했습니다. 잠시 뒤 다시 시도하세요.");
}

static void
api_method(struct site_ctx *c, const char *allow)
{
	http_res_header(c->res, "Allow", allow);
	api_error(c, 405, "method", NULL, arena_printf(c->a, "이 주소는 %s 요청만 받습니다.", allow));
}

/* 403/409 for a refused workflow check; 1 when allowed. */
static int
api_allowed(struct admin *ad, enum wf_action act, const struct article *a)
{
	switch (wf_check(ad->user.role, ad->user.id, act, a)) {
	case WF_OK:
		return 1;
	case WF_BAD_STATE:
		api_json(ad->c, 409, json_pack("{s:s, s:s, s:s}", "error", "state",
		    "status", a ? article_status_name(a->status) : "",
		    "message", arena_printf(ad->c->a, "지금 상태(%s)에서는 '%s'을(를) 할 수 없습니다.",
		    a ? article_status_name(a->status) : "-", wf_action_label(act))));
		return 0;
	default:
		api_error(ad->c, 403, "forbidden", NULL,
		    arena_printf(ad->c->a, "'%s' 권한이 없습니다.", wf_action_label(act)));
		return 0;
	}
}

/* ---- articles as JSON ---- */

static json_t *
jtime(struct site_ctx *c, time_t t)
{
	char iso[KDATE_MAX];

	if (t == 0)
		return json_null();
	kdate_iso8601(t, iso);
	(void)c;
	return json_string(iso);
}

/* The interchange format (as 'sinmun import jsonl' reads it) plus what
 * the store adds: id, status, version, every time, all byline people. */
static json_t *
article_json(struct site_ctx *c, const struct article *a)
{
	json_t *o = json_object(), *arr;
	int i;

	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "status", json_string(article_status_name(a->status)));
	json_object_set_new(o, "version", json_integer(a->version));
	json_object_set_new(o, "kind", json_string(article_kind_name(a->kind)));
	json_object_set_new(o, "section", site_jstr(a->section.slug));
	json_object_set_new(o, "headline", site_jstr(a->headline));
	arr = json_array();
	for (i = 0; i < a->nsubtitles; i++)
		json_array_append_new(arr, site_jstr(a->subtitles[i]));
	json_object_set_new(o, "subtitles", arr);
	json_object_set_new(o, "summary", site_jstr(a->summary));
	if (a->body)
		json_object_set_new(o, "body", json_string(a->body));
	json_object_set_new(o, "slug", site_jstr(a->slug));
	if (a->nbylines > 0) {
		json_object_set_new(o, "byline", site_jstr(a->bylines[0].name));
		json_object_set_new(o, "email", site_jstr(a->bylines[0].email));
	}
	arr = json_array();
	for (i = 0; i < a->nbylines; i++)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)a->bylines[i].id,
		    "name", a->bylines[i].name ? a->bylines[i].name : "",
		    "email", a->bylines[i].email ? a->bylines[i].email : ""));
	json_object_set_new(o, "bylines", arr);
	json_object_set_new(o, "display_byline", site_jstr(a->display_byline));
	json_object_set_new(o, "source_note", site_jstr(a->source_note));
	arr = json_array();
	for (i = 0; i < a->ntags; i++)
		json_array_append_new(arr, site_jstr(a->tags[i]));
	json_object_set_new(o, "tags", arr);
	json_object_set_new(o, "created_at", jtime(c, a->created_at));
	json_object_set_new(o, "updated_at", jtime(c, a->updated_at));
	json_object_set_new(o, "approved_at", jtime(c, a->approved_at));
	json_object_set_new(o, "published_at", jtime(c, a->published_at));
	json_object_set_new(o, "scheduled_at", jtime(c, a->scheduled_at));
	if (a->desk_note && a->desk_note[0])
		json_object_set_new(o, "desk_note", json_string(a->desk_note));
	if (a->status == ARTICLE_PUBLISHED)
		json_object_set_new(o, "url", json_string(arena_printf(c->a, "%s%s", c->base_url,
		    site_article_path(c->a, a))));
	return o;
}

/* ---- input ---- */

/* The request body as a JSON object: NULL after answering 400.  An empty
 * body is an empty object when empty_ok. */
static json_t *
api_body(struct site_ctx *c, int empty_ok)
{
	struct str b = c->req->body;
	json_error_t jerr;
	json_t *o;

	if (b.len == 0 && empty_ok)
		return json_object();
	o = json_loadb(b.p ? b.p : "", b.len, JSON_REJECT_DUPLICATES, &jerr);
	if (o == NULL) {
		api_error(c, 400, "malformed", NULL, arena_printf(c->a,
		    "요청 본문이 올바른 JSON이 아닙니다 (%d행 %d열).", jerr.line, jerr.column));
		return NULL;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		api_error(c, 400, "malformed", NULL, "요청 본문은 JSON 객체여야 합니다.");
		return NULL;
	}
	return o;
}

static void
api_invalid(struct site_ctx *c, const char *field, const char *message)
{
	api_error(c, 422, "invalid", field, message);
}

/* news_article_from_json's message names the field between quotes:
 * "field 'headline' is longer than ...", "unknown field 'x'". */
static void
api_invalid_from(struct site_ctx *c, const char *err)
{
	const char *q = strchr(err, '\''), *e = q ? strchr(q + 1, '\'') : NULL;
	const char *field = q && e ? arena_strndup(c->a, q + 1, (size_t)(e - q - 1)) : "";

	static const struct { const char *en, *ko; } says[] = {
		{ "is required", "이(가) 꼭 있어야 합니다." },
		{ "must not be empty", "을(를) 비워 둘 수 없습니다." },
		{ "must be a string", "은(는) 문자열이어야 합니다." },
		{ "is longer than", "이(가) 너무 깁니다." },
		{ "is larger than", "이(가) 너무 큽니다." },
		{ "not valid UTF-8", "이(가) 올바른 UTF-8이 아닙니다." },
		{ "control character", "에 제어 문자가 있습니다." },
		{ "NUL character", "에 NUL 문자가 있습니다." },
		{ "no content after sanitizing", "에 허용된 내용이 남지 않았습니다." },
	};
	size_t i;

	if (strncmp(err, "unknown field", 13) == 0) {
		api_invalid(c, field, arena_printf(c->a, "알 수 없는 항목 '%s'입니다.", field));
		return;
	}
	/* A Korean sentence for people, the parser's own words after it. */
	for (i = 0; i < sizeof says / sizeof says[0]; i++)
		if (strstr(err, says[i].en) != NULL) {
			api_invalid(c, field, arena_printf(c->a, "'%s'%s (%s)", field, says[i].ko, err));
			return;
		}
	api_invalid(c, field, arena_printf(c->a, "'%s' 항목이 올바르지 않습니다 (%s).", field, err));
}

/* An optional integer member; 0 absent, 1 read, -1 after answering 422. */
static int
int_member(struct site_ctx *c, json_t *o, const char *name, json_int_t min, json_int_t max,
    json_int_t *out)
{
	json_t *v = json_object_get(o, name);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		api_invalid(c, name, arena_printf(c->a, "'%s'은(는) %lld 이상 %lld 이하의 정수여야 합니다.",
		    name, (long long)min, (long long)max));
		return -1;
	}
	*out = json_integer_value(v);
	return 1;
}

/* The section a body names must exist: the API never creates one (the
 * importer may).  1 ok (or absent), 0 after answering 422. */
static int
section_exists(struct admin *ad, json_t *o)
{
	json_t *v = json_object_get(o, "section");
	struct section sec;
	int rc;

	if (v == NULL || !json_is_string(v))
		return 1;     /* missing or not a string: the parser says so */
	rc = store_section_by_slug(ad->c->st, ad->c->a, json_string_value(v), &sec);
	if (rc == STORE_NOTFOUND) {
		api_invalid(ad->c, "section", "없는 섹션입니다. 섹션은 뉴스룸의 섹션 화면에서 만듭니다.");
		return 0;
	}
	if (rc != STORE_OK) {
		api_store_failed(ad->c, rc);
		return 0;
	}
	return 1;
}

/* ---- handlers ---- */

static const char *const not_on_create[] = { "id", "status", "published_at", "updated_at", NULL };

/* POST /api/v1/articles */
static void
api_create(struct admin *ad)
{
	struct site_ctx *c = ad->c;
	struct article art, got;
	json_t *in, *v;
	char err[512];
	int rc, i;

	if (!api_allowed(ad, WF_CREATE, NULL))
		return;
	if ((in = api_body(c, 0)) == NULL)
		return;
	for (i = 0; not_on_create[i]; i++)
		if (json_object_get(in, not_on_create[i]) != NULL) {
			api_invalid(c, not_on_create[i], arena_printf(c->a, "'%s'은(는) 새 기사에 줄 수 없습니다. "
			    "새 기사는 초안으로 만들어지고, 발행은 /publish로 합니다.", not_on_create[i]));
			goto out;
		}
	/* The byline is the token's person; the desk may name someone else. */
	if (!wf_is_desk(ad->user.role)) {
		if ((v = json_object_get(in, "byline")) != NULL &&
		    !(json_is_string(v) && strcmp(json_string_value(v), ad->user.name) == 0)) {
			api_invalid(c, "byline", "기자는 다른 사람의 이름으로 기사를 쓸 수 없습니다.");
			goto out;
		}
		if ((v = json_object_get(in, "email")) != NULL &&
		    !(json_is_string(v) && strcasecmp(json_string_value(v), ad->user.email) == 0)) {
			api_invalid(c, "email", "기자는 다른 사람의 이름으로 기사를 쓸 수 없습니다.");
			goto out;
		}
	}
	if (json_object_get(in, "byline") == NULL) {
		json_object_set_new(in, "byline", json_string(ad->user.name));
		if (json_object_get(in, "email") == NULL)
			json_object_set_new(in, "email", json_string(ad->user.email));
	}
	json_object_set_new(in, "status", json_string("draft"));
	if ((rc = store_begin(c->st)) != STORE_OK) {
		api_store_failed(c, rc);
		goto out;
	}
	if (!section_exists(ad, in)) {
		store_rollback(c->st);
		goto out;
	}
	if (news_article_from_json(c->st, c->a, in, c->req->now, &art, NULL, NULL, err, sizeof err) != 0) {
		store_rollback(c->st);
		api_invalid_from(c, err);
		goto out;
	}
	art.status = ARTICLE_DRAFT;
	art.created_at = art.updated_at = c->req->now;
	art.published_at = art.approved_at = art.scheduled_at = 0;
	if ((rc = store_article_insert(c->st, &art)) != STORE_OK ||
	    (rc = store_revision_add(c->st, art.id, art.version, ad->user.id, c->req->now,
	    news_article_snapshot(c->a, &art), NULL)) != STORE_OK) {
		store_rollback(c->st);
		api_store_failed(c, rc);
		goto out;
	}
	admin_audit(ad, "api-create", art.id, art.headline);
	if ((rc = store_commit(c->st)) != STORE_OK) {
		store_rollback(c->st);
		api_store_failed(c, rc);
		goto out;
	}
	if (store_article_get(c->st, c->a, art.id, &got) == STORE_OK)
		art = got;
	http_res_header(c->res, "Location", arena_printf(c->a, "/api/v1/articles/%lld", (long long)art.id));
	api_json(c, 201, article_json(c, &art));
out:
	json_decref(in);
}

/* GET /api/v1/articles?status=&limit=&offset= */
static void
api_list(struct admin *ad)
{
	struct site_ctx *c = ad->c;
	struct article_query q;
	struct article_list l;
	const char *s;
	json_t *items;
	int64_t n;
	int rc, i;

	memset(&q, 0, sizeof q);
	q.status = -1;
	q.limit = API_LIST_DEF;
	q.order = ORDER_UPDATED;
	q.want_total = 1;
	if ((s = http_param(c->params, c->nparams, "status")) != NULL && s[0]) {
		if ((q.status = article_status_parse(s)) < 0) {
			api_invalid(c, "status", "status는 draft, submitted, scheduled, published, unpublished 중 하나여야 합니다.");
			return;
		}
	}
	if ((s = http_param(c->params, c->nparams, "limit")) != NULL) {
		n = site_parse_id(s, strlen(s));
		if (n < 1 || n > API_LIST_MAX) {
			api_invalid(c, "limit", "limit는 1 이상 100 이하여야 합니다.");
			return;
		}
		q.limit = (int)n;
	}
	if ((s = http_param(c->params, c->nparams, "offset")) != NULL) {
		n = strcmp(s, "0") == 0 ? 0 : site_parse_id(s, strlen(s));
		if (n < 0 || n > 1000000) {
			api_invalid(c, "offset", "offset은 0 이상 1000000 이하여야 합니다.");
			return;
		}
		q.offset = (int)n;
	}
	/* A reporter sees what they are in the byline of (the pages' rule). */
	if (!wf_is_desk(ad->user.role))
		q.person_id = ad->user.id;
	if ((rc = store_articles_list(c->st, c->a, &q, &l)) != STORE_OK) {
		api_store_failed(c, rc);
		return;
	}
	items = json_array();
	for (i = 0; i < l.n; i++)
		json_array_append_new(items, article_json(c, &l.items[i]));
	api_json(c, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)l.total,
	    "limit", q.limit, "offset", q.offset));
}

/* The article of the URL, 1; 0 after answering 404/5xx. */
static int
load(struct admin *ad, int64_t id, struct article *a)
{
	int rc = store_article_get(ad->c->st, ad->c->a, id, a);

	if (rc == STORE_NOTFOUND) {
		api_error(ad->c, 404, "not_found", NULL, "그런 기사가 없습니다.");
		return 0;
	}
	if (rc != STORE_OK) {
		api_store_failed(ad->c, rc);
		return 0;
	}
	return 1;
}

static void
api_conflict(struct admin *ad, int64_t id)
{
	struct article cur;
	int v = 0;

	if (store_article_get(ad->c->st, ad->c->a, id, &cur) == STORE_OK)
		v = cur.version;
	api_json(ad->c, 409, json_pack("{s:s, s:i, s:s}", "error", "conflict", "current_version", v,
	    "message", "다른 사람이 그 사이에 기사를 고쳤습니다. 최신 판을 받아 다시 고치세요."));
}

static const char *const patchable[] = {
	"version", "headline", "subtitles", "summary", "body", "section", "display_byline",
	"source_note", "tags", "kind", "slug", NULL
};

/* PATCH /api/v1/articles/{id}: the stored article in the interchange
 * format with the given fields laid over it goes through the same parser
 * as a new one, so the limits and the sanitizer are the same. */
static void
api_patch(struct admin *ad, int64_t id)
{
	struct site_ctx *c = ad->c;
	struct article cur, art, got;
	json_t *in = NULL, *merged = NULL, *subs, *tags, *v;
	const char *key;
	json_int_t version = 0;
	char err[512];
	int rc, i, k;

	if ((in = api_body(c, 0)) == NULL)
		return;
	json_object_foreach(in, key, v) {
		for (k = 0; patchable[k]; k++)
			if (strcmp(patchable[k], key) == 0)
				break;
		if (patchable[k] == NULL) {
			api_invalid(c, key, arena_printf(c->a, "'%s'은(는) 고칠 수 있는 항목이 아닙니다.", key));
			goto out;
		}
	}
	if ((rc = int_member(c, in, "version", 1, 1 << 30, &version)) < 0)
		goto out;
	if (rc == 0) {
		api_invalid(c, "version", "고치는 판의 version이 필요합니다.");
		goto out;
	}
	if ((rc = store_begin(c->st)) != STORE_OK) {
		api_store_failed(c, rc);
		goto out;
	}
	if (!load(ad, id, &cur) || !api_allowed(ad, WF_EDIT, &cur) || !section_exists(ad, in)) {
		store_rollback(c->st);
		goto out;
	}
	subs = json_array();
	for (i = 0; i < cur.nsubtitles; i++)
		json_array_append_new(subs, site_jstr(cur.subtitles[i]));
	tags = json_array();
	for (i = 0; i < cur.ntags; i++)
		json_array_append_new(tags, site_jstr(cur.tags[i]));
	merged = json_pack("{s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s}",
	    "headline", cur.headline, "subtitles", subs, "summary", cur.summary ? cur.summary : "",
	    "body", cur.body ? cur.body : "", "section", cur.section.slug,
	    "byline", cur.nbylines ? cur.bylines[0].name : ad->user.name,
	    "email", cur.nbylines ? cur.bylines[0].email : ad->user.email,
	    "display_byline", cur.display_byline ? cur.display_byline : "",
	    "source_note", cur.source_note ? cur.source_note : "", "tags", tags,
	    "kind", article_kind_name(cur.kind), "slug", cur.slug ? cur.slug : "", "status", "draft");
	json_object_foreach(in, key, v)
		if (strcmp(key, "version") != 0)
			json_object_set(merged, key, v);
	/* A new body without a new summary: the summary is made again. */
	if (json_object_get(in, "body") != NULL && json_object_get(in, "summary") == NULL)
		json_object_set_new(merged, "summary", json_string(""));
	if (news_article_from_json(c->st, c->a, merged, c->req->now, &art, NULL, NULL, err, sizeof err) != 0) {
		store_rollback(c->st);
		api_invalid_from(c, err);
		goto out;
	}
	/* Who wrote it and where it stands do not change with its text. */
	memcpy(art.bylines, cur.bylines, sizeof art.bylines);
	art.nbylines = cur.nbylines;
	news_article_keep_standing(&art, &cur);
	art.updated_at = c->req->now;
	art.version = (int)version;
	rc = store_article_update(c->st, &art);
	if (rc == STORE_CONFLICT) {
		store_rollback(c->st);
		api_conflict(ad, id);
		goto out;
	}
	if (rc != STORE_OK || (rc = store_revision_add(c->st, art.id, art.version, ad->user.id, c->req->now,
	    news_article_snapshot(c->a, &art), NULL)) != STORE_OK) {
		store_rollback(c->st);
		api_store_failed(c, rc);
		goto out;
	}
	admin_audit(ad, "api-edit", art.id, arena_printf(c->a, "version %d", art.version));
	if ((rc = store_commit(c->st)) != STORE_OK) {
		store_rollback(c->st);
		api_store_failed(c, rc);
		goto out;
	}
	if (store_article_get(c->st, c->a, id, &got) == STORE_OK)
		art = got;
	api_json(c, 200, article_json(c, &art));
out:
	json_decref(merged);
	json_decref(in);
}

/* POST /api/v1/articles/{id}/submit|publish|unpublish */
static void
api_action(struct admin *ad, int64_t id, const char *verb)
{
	struct site_ctx *c = ad->c;
	struct article cur, got;
	enum article_status to;
	enum wf_action act;
	const char *key, *audit;
	json_t *in, *v;
	json_int_t version = 0;
	time_t at = c->req->now;
	int rc;

	if ((in = api_body(c, 1)) == NULL)
		return;
	json_object_foreach(in, key, v) {
		if (strcmp(key, "version") != 0 && !(strcmp(key, "at") == 0 && strcmp(verb, "publish") == 0)) {
			api_invalid(c, key, arena_printf(c->a, "알 수 없는 항목 '%s'입니다.", key));
			goto out;
		}
	}
	if (int_member(c, in, "version", 1, 1 << 30, &version) < 0)
		goto out;
	if (strcmp(verb, "submit") == 0) {
		act = WF_SUBMIT;
		to = ARTICLE_SUBMITTED;
		audit = "api-submit";
	} else if (strcmp(verb, "unpublish") == 0) {
		act = WF_UNPUBLISH;
		to = ARTICLE_UNPUBLISHED;
		audit = "api-unpublish";
	} else {
		act = WF_PUBLISH;
		to = ARTICLE_PUBLISHED;
		audit = "api-publish";
		if ((v = json_object_get(in, "at")) != NULL && !json_is_null(v)) {
			if (!json_is_string(v) || kdate_parse(json_string_value(v), json_string_length(v), &at) != 0) {
				api_invalid(c, "at", "at은 2025-11-25T14:03:00+09:00 같은 ISO 8601 시각이어야 합니다.");
				goto out;
			}
			if (at <= c->req->now) {
				api_invalid(c, "at", "예약 시각이 이미 지났습니다. 지금 발행하려면 at 없이 보내세요.");
				goto out;
			}
			act = WF_SCHEDULE;
			to = ARTICLE_SCHEDULED;
			audit = "api-schedule";
		}
	}
	if ((rc = store_begin(c->st)) != STORE_OK) {
		api_store_failed(c, rc);
		goto out;
	}
	if (!load(ad, id, &cur) || !api_allowed(ad, act, &cur)) {
		store_rollback(c->st);
		goto out;
	}
	rc = store_article_set_status(c->st, id, to, at, (int)version);
	if (rc == STORE_CONFLICT) {
		store_rollback(c->st);
		api_conflict(ad, id);
		goto out;
	}
	/* The desk's note is for the reporter until the article goes out. */
	if (rc == STORE_OK && to == ARTICLE_PUBLISHED && cur.desk_note && cur.desk_note[0])
		rc = store_article_set_desk_note(c->st, id, "");
	if (rc != STORE_OK) {
		store_rollback(c->st);
		api_store_failed(c, rc);
		goto out;
	}
	admin_audit(ad, audit, id, to == ARTICLE_SCHEDULED ? arena_printf(c->a, "at %lld", (long long)at) : "");
	if ((rc = store_commit(c->st)) != STORE_OK) {
		store_rollback(c->st);
		api_store_failed(c, rc);
		goto out;
	}
	if (load(ad, id, &got))
		api_json(c, 200, article_json(c, &got));
out:
	json_decref(in);
}

/* ---- authentication and routing ---- */

/* Fills ad from the Bearer token: 1, or 0 after answering 401. */
static int
api_auth(struct site_ctx *c, struct admin *ad)
{
	struct str h = http_req_header(c->req, "authorization");
	const char *tok;
	size_t i, n;
	int rc;

	memset(ad, 0, sizeof *ad);
	ad->c = c;
	if (h.p == NULL || h.len < 7 || strncasecmp(h.p, "Bearer ", 7) != 0)
		goto refuse;
	for (i = 7; i < h.len && h.p[i] == ' '; i++)
		;
	n = h.len - i;
	while (n > 0 && h.p[i + n - 1] == ' ')
		n--;
	if (n == 0 || n > API_TOKEN_MAX)
		goto refuse;
	tok = arena_strndup(c->a, h.p + i, n);
	for (i = 0; i < n; i++)
		if (!((tok[i] >= 'A' && tok[i] <= 'Z') || (tok[i] >= 'a' && tok[i] <= 'z') ||
		    (tok[i] >= '0' && tok[i] <= '9') || tok[i] == '-' || tok[i] == '_' || tok[i] == '=' ||
		    tok[i] == '.' || tok[i] == '~' || tok[i] == '+' || tok[i] == '/'))
			goto refuse;
	rc = store_token_lookup(c->st, c->a, admin_token_hash(c->a, tok), c->req->now, &ad->user, &ad->token_id);
	if (rc == STORE_OK && ad->user.role != ROLE_CONTRIBUTOR)
		return 1;
	if (rc != STORE_OK && rc != STORE_NOTFOUND) {
		api_store_failed(c, rc);
		return 0;
	}
refuse:
	http_res_header(c->res, "WWW-Authenticate", "Bearer realm=\"sinmun\"");
	api_error(c, 401, "unauthorized", NULL,
	    h.p == NULL ? "인증 토큰이 필요합니다 (Authorization: Bearer 토큰)."
	    : "토큰이 올바르지 않거나 폐기되었습니다.");
	return 0;
}

void
api_route(struct site_ctx *c, const char *rest)
{
	enum http_method m = c->req->method;
	struct admin ad;
	const char *tail, *slash;
	int64_t id;

	if (strcmp(rest, "articles") != 0 && !site_has_prefix(rest, "articles/", &tail)) {
		api_error(c, 404, "not_found", NULL, "그런 API 주소가 없습니다.");
		return;
	}
	if (!api_auth(c, &ad))
		return;
	if (strcmp(rest, "articles") == 0) {
		if (m == HTTP_GET || m == HTTP_HEAD)
			api_list(&ad);
		else if (m == HTTP_POST)
			api_create(&ad);
		else
			api_method(c, "GET, POST");
		return;
	}
	slash = strchr(tail, '/');
	id = site_parse_id(tail, slash ? (size_t)(slash - tail) : strlen(tail));
	if (id < 1) {
		api_error(c, 404, "not_found", NULL, "그런 API 주소가 없습니다.");
		return;
	}
	if (slash == NULL) {
		struct article a;

		if (m == HTTP_GET || m == HTTP_HEAD) {
			if (load(&ad, id, &a) && api_allowed(&ad, WF_VIEW, &a))
				api_json(c, 200, article_json(c, &a));
		} else if (m == HTTP_PATCH) {
			api_patch(&ad, id);
		} else {
			api_method(c, "GET, PATCH");
		}
		return;
	}
	slash++;
	if (strcmp(slash, "submit") != 0 && strcmp(slash, "publish") != 0 && strcmp(slash, "unpublish") != 0) {
		api_error(c, 404, "not_found", NULL, "그런 API 주소가 없습니다.");
		return;
	}
	if (m != HTTP_POST) {
		api_method(c, "POST");
		return;
	}
	api_action(&ad, id, slash);
}
