/*
 * articles.c - the newsroom's article pages (admin_int.h): the list, the
 * editor with its save and version check, the preview, and the workflow
 * actions (송고, 발행, 예약 발행, 반려, 발행 취소).  Revisions and
 * corrections are routed here and answered by revisions.c.
 *
 *   GET  /admin/articles                 list (?status=, ?page=)
 *   GET  /admin/articles/new             an empty editor
 *   POST /admin/articles                 create a draft
 *   POST /admin/articles/new/preview     preview of an unsaved article
 *   GET  /admin/articles/{id}            the editor (read-only without WF_EDIT)
 *   POST /admin/articles/{id}            save (hidden `version`)
 *   POST /admin/articles/{id}/preview    preview of the form, not saved
 *   POST /admin/articles/{id}/ACTION     submit, publish, schedule, return, unpublish
 *   ...  /admin/articles/{id}/revisions[/{rid}[/restore]], /corrections
 *
 * Every rule about who may do what is wf_check's (news/workflow.h), asked
 * through admin_allowed(), so a request crafted by hand meets the same
 * rules as the buttons.  Two people saving the same article are told
 * apart by the article's version: the second save is refused with both
 * texts on the page, and overwriting is a separate, deliberate click.
 */
#include "admin/admin_int.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/kdate.h"
#include "core/log.h"
#include "news/news.h"
#include "render/sanitize.h"

#define LIST_PAGE_SIZE  50
#define DESK_NOTE_MAX   1000   /* characters */

static const char *const status_labels[ARTICLE_STATUS__MAX] = {
	[ARTICLE_DRAFT] = "작성 중",
	[ARTICLE_SUBMITTED] = "데스크 대기",
	[ARTICLE_SCHEDULED] = "예약",
	[ARTICLE_PUBLISHED] = "발행",
	[ARTICLE_UNPUBLISHED] = "발행 취소",
};

static const char *
status_label(enum article_status s)
{
	return (unsigned)s < ARTICLE_STATUS__MAX ? status_labels[s] : "?";
}

/* The flash shown after a POST's redirect (?done=KEY). */
static const struct admin_flash flashes[] = {
	{ "created", "새 기사를 저장했습니다." },
	{ "saved", "저장했습니다." },
	{ "submit", "데스크에 송고했습니다." },
	{ "publish", "발행했습니다. 사이트에 바로 보입니다." },
	{ "schedule", "예약 발행을 걸었습니다." },
	{ "return", "기자에게 반려했습니다." },
	{ "unpublish", "발행을 취소했습니다. 사이트에서 내려갔습니다." },
};

static const char *
flash_message(struct site_ctx *c)
{
	return admin_flash(c, "done", flashes, sizeof flashes / sizeof flashes[0]);
}

/* 1 for POST; otherwise answers 405 and returns 0. */
static int
is_post(struct admin *ad)
{
	if (ad->c->req->method == HTTP_POST)
		return 1;
	admin_error(ad, 405, "이 주소는 양식 제출(POST)만 받습니다.");
	ad->c->res->status = 405;
	http_res_header(ad->c->res, "Allow", "POST");
	return 0;
}

/* The hidden version field: a positive int, or -1. */
static int
form_version(struct admin *ad)
{
	const char *v = admin_field(ad, "version");
	int64_t n;

	if (v == NULL || (n = site_parse_id(v, strlen(v))) < 0 || n > INT_MAX)
		return -1;
	return (int)n;
}

/* Reads an article for a handler; answers 404/503 and returns 0 when it
 * cannot. */
static int
load_article(struct admin *ad, int64_t id, struct article *out)
{
	int rc = store_article_get(ad->c->st, ad->c->a, id, out);

	if (rc == STORE_NOTFOUND) {
		admin_error(ad, 404, "없는 기사입니다.");
		return 0;
	}
	if (rc != STORE_OK) {
		site_store_failed(ad->c, rc);
		return 0;
	}
	return 1;
}

static const char *
editor_path(struct admin *ad, int64_t id)
{
	return arena_printf(ad->c->a, "/admin/articles/%lld", (long long)id);
}

/* ---- the list ---- */

static void
article_list(struct admin *ad)
{
	struct site_ctx *c = ad->c;
	const char *sv = http_param(c->params, c->nparams, "status");
	struct article_query q;
	struct article_list l;
	json_t *m, *items, *filters, *it;
	int status = -1, page, i, rc;
	int64_t pages;

	if (sv != NULL && *sv != '\0' && (status = article_status_parse(sv)) < 0) {
		admin_error(ad, 400, "알 수 없는 상태입니다.");
		return;
	}
	if ((page = site_page_param(c)) == 0 || page > SITE_MAX_PAGE) {
		admin_error(ad, 400, "쪽 번호가 올바르지 않습니다.");
		return;
	}
	memset(&q, 0, sizeof q);
	q.status = status;
	q.order = ORDER_UPDATED;
	q.limit = LIST_PAGE_SIZE;
	q.offset = (page - 1) * LIST_PAGE_SIZE;
	q.want_total = 1;
	/* A reporter sees the articles they are in the byline of, as
	 * wf_check lets them open nothing else. */
	if (!wf_is_desk(ad->user.role))
		q.person_id = ad->user.id;
	if ((rc = store_articles_list(c->st, c->a, &q, &l)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	m = admin_page_model(ad, "기사 목록", "articles");
	items = json_array();
	for (i = 0; i < l.n; i++) {
		const struct article *a = &l.items[i];

		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		    "id", (json_int_t)a->id,
		    "headline", a->headline ? a->headline : "",
		    "href", editor_path(ad, a->id),
		    "status", article_status_name(a->status),
		    "status_label", status_label(a->status),
		    "kind_label", article_kind_label(a->kind),
		    "section", a->section.name ? a->section.name : "",
		    "author", a->nbylines > 0 && a->bylines[0].name ? a->bylines[0].name : "",
		    "updated", admin_time(ad, a->updated_at)));
	}
	json_object_set_new(m, "items", items);
	json_object_set_new(m, "empty", json_boolean(l.n == 0));
	json_object_set_new(m, "total", json_integer(l.total));
	filters = json_array();
	it = json_pack("{s:s, s:s}", "label", "전체", "href", "/admin/articles");
	if (status < 0)
		json_object_set_new(it, "active", json_true());
	json_array_append_new(filters, it);
	for (i = 0; i < ARTICLE_STATUS__MAX; i++) {
		it = json_pack("{s:s, s:s}", "label", status_label((enum article_status)i), "href",
		    arena_printf(c->a, "/admin/articles?status=%s", article_status_name((enum article_status)i)));
		if (status == i)
			json_object_set_new(it, "active", json_true());
		json_array_append_new(filters, it);
	}
	json_object_set_new(m, "filters", filters);
	pages = (l.total + LIST_PAGE_SIZE - 1) / LIST_PAGE_SIZE;
	json_object_set_new(m, "page", json_integer(page));
	json_object_set_new(m, "pages", json_integer(pages > 0 ? pages : 1));
	if (page > 1)
		json_object_set_new(m, "prev", site_jstr(arena_printf(c->a, "/admin/articles?%s%s%spage=%d",
		    status >= 0 ? "status=" : "", status >= 0 ? article_status_name((enum article_status)status) : "",
		    status >= 0 ? "&" : "", page - 1)));
	if (page < pages)
		json_object_set_new(m, "next", site_jstr(arena_printf(c->a, "/admin/articles?%s%s%spage=%d",
		    status >= 0 ? "status=" : "", status >= 0 ? article_status_name((enum article_status)status) : "",
		    status >= 0 ? "&" : "", page + 1)));
	admin_render(ad, "articles", m);
}

/* ---- the editor ---- */

/* What the editor page shows. */
struct editor {
	const struct article     *stored;     /* NULL: a new article */
	struct news_article_input in;         /* the fields as typed or stored */
	int64_t                   coauthors[ARTICLE_MAX_BYLINES];
	int                       ncoauthors;
	int                       version;    /* the hidden field */
	const struct news_form_errors *errs;  /* may be NULL */
	json_t                   *conflict;   /* the conflict panel (stolen), or NULL */
	int                       keep_form;  /* show the form even if it cannot be saved */
	const char               *typed_at;   /* a refused schedule or return: what was */
	const char               *typed_note; /* typed, shown again beside its error */
	const char               *typed_ckind;/* a refused correction: its fields */
	const char               *typed_cdate;
	const char               *typed_ctext;
};

static const char *
join_tags(struct arena *a, const struct article *art)
{
	struct buf b = BUF_INIT;
	const char *s;
	int i;

	buf_init(&b, BUF_CAP_SMALL);
	for (i = 0; i < art->ntags; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", art->tags[i]);
	s = arena_strndup(a, b.p ? b.p : "", b.len);
	buf_free(&b);
	return s;
}

/* The editor's fields from a stored article. */
static void
editor_from_article(struct admin *ad, const struct article *a, struct editor *ed)
{
	int i;

	memset(ed, 0, sizeof *ed);
	ed->stored = a;
	ed->in.headline = a->headline;
	for (i = 0; i < a->nsubtitles && i < ARTICLE_MAX_SUBTITLES; i++)
		ed->in.subtitles[i] = a->subtitles[i];
	ed->in.section = a->section.slug;
	ed->in.kind = article_kind_name(a->kind);
	ed->in.tags = join_tags(ad->c->a, a);
	ed->in.summary = a->summary;
	ed->in.body = a->body;
	ed->in.slug = a->slug;
	ed->in.source_note = a->source_note;
	ed->in.display_byline = a->display_byline;
	for (i = 1; i < a->nbylines; i++)
		ed->coauthors[ed->ncoauthors++] = a->bylines[i].id;
	ed->version = a->version;
}

/* The editor's fields from the posted form, exactly as typed. */
static void
editor_from_form(struct admin *ad, const struct article *stored, struct editor *ed)
{
	size_t i;

	memset(ed, 0, sizeof *ed);
	ed->stored = stored;
	ed->in.headline = admin_field(ad, "headline");
	ed->in.subtitles[0] = admin_field(ad, "subtitle1");
	ed->in.subtitles[1] = admin_field(ad, "subtitle2");
	ed->in.subtitles[2] = admin_field(ad, "subtitle3");
	ed->in.section = admin_field(ad, "section");
	ed->in.kind = admin_field(ad, "kind");
	ed->in.tags = admin_field(ad, "tags");
	ed->in.summary = admin_field(ad, "summary");
	ed->in.body = admin_field(ad, "body");
	ed->in.slug = admin_field(ad, "slug");
	ed->in.source_note = admin_field(ad, "source_note");
	ed->in.display_byline = admin_field(ad, "display_byline");
	/* A select multiple sends one field per choice. */
	for (i = 0; i < ad->nform; i++) {
		int64_t id;

		if (strcmp(ad->form[i].name, "coauthors") != 0 || ad->form[i].value == NULL ||
		    (id = site_parse_id(ad->form[i].value, strlen(ad->form[i].value))) < 0)
			continue;
		if (ed->ncoauthors < ARTICLE_MAX_BYLINES - 1)
			ed->coauthors[ed->ncoauthors++] = id;
	}
	ed->version = form_version(ad);
	if (ed->version < 0)
		ed->version = stored ? stored->version : 0;
	if (!wf_is_desk(ad->user.role)) {
		/* Only the desk sets the byline: a reporter's values for it
		 * are not read, whatever the request says. */
		ed->in.display_byline = stored ? stored->display_byline : "";
		ed->ncoauthors = 0;
		for (i = 1; stored && i < (size_t)stored->nbylines; i++)
			ed->coauthors[ed->ncoauthors++] = stored->bylines[i].id;
	}
}

static int
can(const struct admin *ad, enum wf_action act, const struct article *a)
{
	return wf_check(ad->user.role, ad->user.id, act, a) == WF_OK;
}

static json_t *
jstr_or_empty(const char *s)
{
	return json_string(s ? s : "");
}

/* "YYYY-MM-DDTHH:MM" in Seoul, for a datetime-local input. */
static const char *
local_input_time(struct arena *a, time_t t)
{
	long days = (long)((t + KST_OFFSET) / 86400);
	long secs = (long)((t + KST_OFFSET) % 86400);
	int y, mo, d;

	kdate_civil_from_days(days, &y, &mo, &d);
	return arena_printf(a, "%04d-%02d-%02dT%02ld:%02ld", y, mo, d, secs / 3600, secs % 3600 / 60);
}

static void
editor_corrections(struct admin *ad, const struct editor *ed, const struct article *a, json_t *m)
{
	struct correction *cs;
	json_t *list, *kinds;
	char day[KDATE_MAX];
	int n, i, rc;

	rc = store_corrections_list(ad->c->st, ad->c->a, a->id, &cs, &n);
	if (rc != STORE_OK) {
		log_error("corrections of %lld: %s", (long long)a->id, store_strerror(rc));
		n = 0;
	}
	list = json_array();
	for (i = 0; i < n; i++) {
		kdate_date(cs[i].at, day);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}",
		    "kind_label", correction_kind_label(cs[i].kind), "date", day,
		    "text", cs[i].text ? cs[i].text : "", "created", admin_time(ad, cs[i].created_at)));
	}
	json_object_set_new(m, "corrections", list);
	json_object_set_new(m, "has_corrections", json_boolean(n > 0));
	kinds = json_array();
	for (i = 0; i < CORRECTION__MAX; i++) {
		json_t *it = json_pack("{s:s, s:s}", "value", correction_kind_name((enum correction_kind)i),
		    "label", correction_kind_label((enum correction_kind)i));

		if (ed->typed_ckind && strcmp(ed->typed_ckind, correction_kind_name((enum correction_kind)i)) == 0)
			json_object_set_new(it, "selected", json_true());
		json_array_append_new(kinds, it);
	}
	json_object_set_new(m, "correction_kinds", kinds);
	json_object_set_new(m, "correction_text", site_jstr(ed->typed_ctext));
	if (ed->typed_cdate) {
		json_object_set_new(m, "today", site_jstr(ed->typed_cdate));
	} else {
		long days = (long)((ad->c->req->now + KST_OFFSET) / 86400);
		int y, mo, d;

		kdate_civil_from_days(days, &y, &mo, &d);
		json_object_set_new(m, "today", site_jstr(arena_printf(ad->c->a, "%04d-%02d-%02d", y, mo, d)));
	}
}

/* Renders the editor with the given status (200, 409, 422). */
static void
editor_render(struct admin *ad, struct editor *ed, int status)
{
	static const char *const subnames[ARTICLE_MAX_SUBTITLES] = { "subtitle1", "subtitle2", "subtitle3" };
	struct site_ctx *c = ad->c;
	const struct article *a = ed->stored;
	struct section *secs;
	struct person *people;
	json_t *m, *f, *err, *errs, *list, *it;
	int nsecs, npeople, i, j, rc, editable;
	int64_t author = a && a->nbylines > 0 ? a->bylines[0].id : ad->user.id;

	m = admin_page_model(ad, a ? a->headline : "새 기사", a ? "articles" : "new");
	if (status == 200 && flash_message(c))
		json_object_set_new(m, "flash", site_jstr(flash_message(c)));

	/* The fields. */
	f = json_object();
	json_object_set_new(f, "headline", jstr_or_empty(ed->in.headline));
	for (i = 0; i < ARTICLE_MAX_SUBTITLES; i++)
		json_object_set_new(f, subnames[i], jstr_or_empty(ed->in.subtitles[i]));
	json_object_set_new(f, "tags", jstr_or_empty(ed->in.tags));
	json_object_set_new(f, "summary", jstr_or_empty(ed->in.summary));
	json_object_set_new(f, "body", jstr_or_empty(ed->in.body));
	json_object_set_new(f, "slug", jstr_or_empty(ed->in.slug));
	json_object_set_new(f, "source_note", jstr_or_empty(ed->in.source_note));
	json_object_set_new(f, "display_byline", jstr_or_empty(ed->in.display_byline));
	json_object_set_new(m, "f", f);
	json_object_set_new(m, "version", json_integer(ed->version));

	/* Errors: beside each field, and all of them at the top. */
	err = json_object();
	errs = json_array();
	for (i = 0; ed->errs && i < ed->errs->n; i++) {
		json_object_set_new(err, ed->errs->e[i].field, site_jstr(ed->errs->e[i].message));
		json_array_append_new(errs, json_pack("{s:s, s:s}", "field", ed->errs->e[i].field,
		    "message", ed->errs->e[i].message));
	}
	json_object_set_new(m, "err", err);
	json_object_set_new(m, "errors", errs);
	json_object_set_new(m, "has_errors", json_boolean(json_array_size(errs) > 0));

	/* Sections and kinds as selects. */
	rc = store_sections_list(c->st, c->a, &secs, &nsecs);
	if (rc != STORE_OK) {
		json_decref(m);
		site_store_failed(c, rc);
		return;
	}
	list = json_array();
	for (i = 0; i < nsecs; i++) {
		it = json_pack("{s:s, s:s}", "slug", secs[i].slug, "name", secs[i].name);
		if (ed->in.section && strcmp(ed->in.section, secs[i].slug) == 0)
			json_object_set_new(it, "selected", json_true());
		json_array_append_new(list, it);
	}
	json_object_set_new(m, "sections", list);
	list = json_array();
	for (i = 0; i < KIND__MAX; i++) {
		it = json_pack("{s:s, s:s}", "value", article_kind_name((enum article_kind)i), "label",
		    article_kind_label((enum article_kind)i));
		if ((ed->in.kind ? strcmp(ed->in.kind, article_kind_name((enum article_kind)i)) == 0 :
		    i == KIND_OWN))
			json_object_set_new(it, "selected", json_true());
		json_array_append_new(list, it);
	}
	json_object_set_new(m, "kinds", list);

	/* The byline: the desk picks co-authors among the newsroom's
	 * accounts; a reporter sees it as it reads. */
	editable = a == NULL ? can(ad, WF_CREATE, NULL) : can(ad, WF_EDIT, a);
	json_object_set_new(m, "can_byline", json_boolean(wf_is_desk(ad->user.role) && editable));
	if (wf_is_desk(ad->user.role) && editable) {
		if ((rc = store_people_list(c->st, c->a, &people, &npeople)) != STORE_OK) {
			json_decref(m);
			site_store_failed(c, rc);
			return;
		}
		list = json_array();
		for (i = 0; i < npeople; i++) {
			int sel = 0;

			if (people[i].id == author || (!people[i].active && people[i].role != ROLE_CONTRIBUTOR))
				continue;
			for (j = 0; j < ed->ncoauthors; j++)
				sel |= ed->coauthors[j] == people[i].id;
			it = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)people[i].id, "name",
			    people[i].name ? people[i].name : "", "role_label", person_role_label(people[i].role));
			if (sel)
				json_object_set_new(it, "selected", json_true());
			json_array_append_new(list, it);
		}
		json_object_set_new(m, "people", list);
	}
	json_object_set_new(m, "author_name", site_jstr(a && a->nbylines > 0 ? a->bylines[0].name :
	    ad->user.name));
	if (a)
		json_object_set_new(m, "byline", site_jstr(news_byline(c->a, a)));

	/* After a refused save the form stays, with this user's text, even
	 * when the article has meanwhile moved out of their reach: the text
	 * is theirs to copy; only the save button goes. */
	json_object_set_new(m, "editable", json_boolean(editable || ed->conflict != NULL || ed->keep_form));
	json_object_set_new(m, "can_save", json_boolean(editable));
	/* The read-only view prints the stored body, which the sanitizer
	 * made; never what a form sent. */
	if (a)
		json_object_set_new(m, "stored_body", site_jstr(a->body));
	if (a == NULL) {
		json_object_set_new(m, "is_new", json_true());
		json_object_set_new(m, "action", site_jstr("/admin/articles"));
		json_object_set_new(m, "preview_action", site_jstr("/admin/articles/new/preview"));
	} else {
		const char *base = editor_path(ad, a->id);

		json_object_set_new(m, "action", site_jstr(base));
		json_object_set_new(m, "preview_action", site_jstr(arena_printf(c->a, "%s/preview", base)));
		json_object_set_new(m, "article", json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}",
		    "id", (json_int_t)a->id,
		    "base", base,
		    "status", article_status_name(a->status),
		    "status_label", status_label(a->status),
		    "created", admin_time(ad, a->created_at),
		    "approved", admin_time(ad, a->approved_at),
		    "updated", admin_time(ad, a->updated_at),
		    "scheduled", admin_time(ad, a->scheduled_at),
		    "desk_note", a->desk_note ? a->desk_note : "",
		    "version", a->version));
		if (a->status == ARTICLE_PUBLISHED)
			json_object_set_new(m, "public_url", site_jstr(site_article_path(c->a, a)));
		json_object_set_new(m, "can_submit", json_boolean(can(ad, WF_SUBMIT, a)));
		json_object_set_new(m, "can_publish", json_boolean(can(ad, WF_PUBLISH, a)));
		json_object_set_new(m, "can_schedule", json_boolean(can(ad, WF_SCHEDULE, a)));
		json_object_set_new(m, "can_return", json_boolean(can(ad, WF_RETURN, a)));
		json_object_set_new(m, "can_unpublish", json_boolean(can(ad, WF_UNPUBLISH, a)));
		json_object_set_new(m, "can_correct", json_boolean(can(ad, WF_CORRECT, a)));
		json_object_set_new(m, "has_actions", json_boolean(can(ad, WF_SUBMIT, a) || can(ad, WF_PUBLISH, a) ||
		    can(ad, WF_SCHEDULE, a) || can(ad, WF_RETURN, a) || can(ad, WF_UNPUBLISH, a)));
		json_object_set_new(m, "schedule_min", site_jstr(local_input_time(c->a, c->req->now + 60)));
		json_object_set_new(m, "schedule_default", site_jstr(ed->typed_at ? ed->typed_at :
		    local_input_time(c->a, a->scheduled_at > c->req->now ? a->scheduled_at : c->req->now + 3600)));
		json_object_set_new(m, "note_typed", site_jstr(ed->typed_note));
		if (a->published_at != 0)
			editor_corrections(ad, ed, a, m);
	}
	if (ed->conflict) {
		json_object_set_new(m, "conflict", ed->conflict);
		ed->conflict = NULL;
	}
	admin_render(ad, "edit", m);
	if (c->res->status == 200)
		c->res->status = status;
}

/* ---- saving ---- */

/* The bylines of the article being saved: the author stays; the desk's
 * co-authors are checked against the accounts.  A reporter's values for
 * the byline are ignored, as the form does not offer them. */
static int
set_bylines(struct admin *ad, const struct article *stored, const struct editor *ed, struct article *art,
    struct news_form_errors *errs)
{
	struct person p;
	int i, j, rc, dup;

	if (stored) {
		memcpy(art->bylines, stored->bylines, sizeof art->bylines);
		art->nbylines = stored->nbylines;
	} else {
		art->bylines[0] = ad->user;
		art->nbylines = 1;
	}
	if (!wf_is_desk(ad->user.role)) {
		art->display_byline = stored ? stored->display_byline : "";
		return 0;
	}
	art->nbylines = art->nbylines > 0 ? 1 : 0;
	for (i = 0; i < ed->ncoauthors; i++) {
		for (dup = 0, j = 0; j < art->nbylines; j++)
			dup |= art->bylines[j].id == ed->coauthors[i];
		if (dup)
			continue;
		rc = store_person_get(ad->c->st, ad->c->a, ed->coauthors[i], &p);
		if (rc == STORE_NOTFOUND || (rc == STORE_OK && !p.active && p.role != ROLE_CONTRIBUTOR)) {
			if (errs->n < NEWS_FORM_MAX_ERRORS) {
				errs->e[errs->n].field = "coauthors";
				errs->e[errs->n].message = "공동 필자로 고른 사람이 없거나 비활성 계정입니다.";
				errs->n++;
			}
			continue;
		}
		if (rc != STORE_OK)
			return -1;
		if (art->nbylines < ARTICLE_MAX_BYLINES)
			art->bylines[art->nbylines++] = p;
	}
	return 0;
}

/* One field of the conflict panel: what is stored now, and whether it
 * differs from what this user sent. */
static void
conflict_field(json_t *list, const char *label, const char *theirs, const char *mine)
{
	json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "label", label, "theirs", theirs ? theirs : "",
	    "differs", strcmp(theirs ? theirs : "", mine ? mine : "") != 0));
}

static const char *
join_subtitles(struct arena *a, const struct article *art)
{
	const char *s = "";
	int i;

	for (i = 0; i < art->nsubtitles; i++)
		s = arena_printf(a, "%s%s%s", s, i ? " / " : "", art->subtitles[i]);
	return s;
}

static const char *
plain_text(struct arena *a, const char *html)
{
	struct buf b = BUF_INIT;
	const char *s = "";

	buf_init(&b, 4 * (size_t)NEWS_BODY_MAX);
	if (html && sanitize_text(html, strlen(html), &b) == 0)
		s = arena_strndup(a, b.p ? b.p : "", b.len);
	buf_free(&b);
	return s;
}

/* The panel of a refused save: who saved the article last and when, and
 * each field as stored with the ones that differ from mine marked. */
static json_t *
conflict_model(struct admin *ad, const struct article *theirs, const struct article *mine)
{
	struct arena *a = ad->c->a;
	struct revision_row *revs;
	json_t *cm, *fields;
	int n = 0;
	const char *who = "", *when = admin_time(ad, theirs->updated_at);

	if (store_revisions_list(ad->c->st, a, theirs->id, &revs, &n) == STORE_OK && n > 0) {
		who = revs[0].person_name ? revs[0].person_name : "";
		when = admin_time(ad, revs[0].at);
	}
	cm = json_pack("{s:s, s:s, s:i}", "who", who, "when", when, "version", theirs->version);
	fields = json_array();
	conflict_field(fields, "제목", theirs->headline, mine->headline);
	conflict_field(fields, "부제", join_subtitles(a, theirs), join_subtitles(a, mine));
	conflict_field(fields, "섹션", theirs->section.name, mine->section.name);
	conflict_field(fields, "종류", article_kind_label(theirs->kind), article_kind_label(mine->kind));
	conflict_field(fields, "태그", join_tags(a, theirs), join_tags(a, mine));
	conflict_field(fields, "요약", theirs->summary, mine->summary);
	conflict_field(fields, "본문", plain_text(a, theirs->body), mine->body_text);
	conflict_field(fields, "주소용 이름", theirs->slug, mine->slug);
	conflict_field(fields, "뉴스출처", theirs->source_note, mine->source_note);
	json_object_set_new(cm, "fields", fields);
	return cm;
}

/* The editor's form read into ed and checked onto art, which starts as a
 * copy of stored (NULL: an empty article), bylines included; what is
 * wrong with it is in errs.  -1 after answering 503 when the store
 * failed. */
static int
form_to_article(struct admin *ad, const struct article *stored, struct editor *ed, struct article *art,
    struct news_form_errors *errs)
{
	editor_from_form(ad, stored, ed);
	if (stored)
		*art = *stored;
	else
		memset(art, 0, sizeof *art);
	if (news_article_check(ad->c->st, ad->c->a, &ed->in, art, errs) < 0 ||
	    set_bylines(ad, stored, ed, art, errs) != 0) {
		site_store_failed(ad->c, STORE_IO);
		return -1;
	}
	return 0;
}

/* POST /admin/articles (stored NULL) and POST /admin/articles/{id}. */
static void
article_save(struct admin *ad, int64_t id)
{
	struct site_ctx *c = ad->c;
	struct store *st = c->st;
	struct article stored, art, theirs;
	struct news_form_errors errs;
	struct editor ed;
	const struct article *sp = NULL;
	int rc;

	if (!admin_form(ad))
		return;
	if (id > 0) {
		if (!load_article(ad, id, &stored))
			return;
		if (!can(ad, WF_EDIT, &stored) && can(ad, WF_VIEW, &stored)) {
			/* The article moved out of this reporter's reach (the desk
			 * took it) while they typed: refused, but their text comes
			 * back so nothing typed is lost. */
			editor_from_form(ad, &stored, &ed);
			errs.n = 1;
			errs.e[0].field = "form";
			errs.e[0].message = "이 기사는 이제 데스크만 고칠 수 있어 저장하지 않았습니다. 아래 내 글을 복사해 두세요.";
			ed.errs = &errs;
			ed.keep_form = 1;
			editor_render(ad, &ed, 403);
			return;
		}
		if (!admin_allowed(ad, WF_EDIT, &stored))
			return;
		sp = &stored;
		if (form_version(ad) < 0) {
			admin_error(ad, 400, "양식에 판 번호(version)가 없습니다. 편집 화면을 다시 열어 주세요.");
			return;
		}
	} else if (!admin_allowed(ad, WF_CREATE, NULL)) {
		return;
	}
	if (form_to_article(ad, sp, &ed, &art, &errs) != 0)
		return;
	if (errs.n > 0) {
		ed.errs = &errs;
		editor_render(ad, &ed, 422);
		return;
	}
	art.updated_at = c->req->now;

	if ((rc = store_begin(st)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	if (sp) {
		struct revision_row *revs;
		int nrevs;

		/* An article that came in without one (import, the demo) gets
		 * its stored form as the first revision, so it can be restored. */
		rc = store_revisions_list(st, c->a, id, &revs, &nrevs);
		if (rc == STORE_OK && nrevs == 0)
			rc = store_revision_add(st, stored.id, stored.version, 0, stored.updated_at,
			    news_article_snapshot(c->a, &stored), NULL);
		art.version = ed.version;
		if (rc == STORE_OK)
			rc = store_article_update(st, &art);
	} else {
		art.status = ARTICLE_DRAFT;
		art.created_at = c->req->now;
		art.version = 1;
		art.desk_note = "";
		rc = store_article_insert(st, &art);
	}
	if (rc == STORE_CONFLICT) {
		store_rollback(st);
		/* Someone saved first: show what they saved beside what this
		 * user typed, and offer an overwrite only as its own click. */
		if (!load_article(ad, id, &theirs))
			return;
		ed.stored = &theirs;
		ed.version = theirs.version;
		ed.conflict = conflict_model(ad, &theirs, &art);
		editor_render(ad, &ed, 409);
		return;
	}
	if (rc == STORE_OK)
		rc = store_revision_add(st, art.id, art.version, ad->user.id, c->req->now,
		    news_article_snapshot(c->a, &art), NULL);
	if (rc == STORE_OK) {
		admin_audit(ad, sp ? "edit" : "create", art.id, art.headline);
		rc = store_commit(st);
	}
	if (rc != STORE_OK) {
		store_rollback(st);
		if (rc == STORE_EXISTS) {
			admin_error(ad, 409, "같은 값이 이미 있어 저장하지 못했습니다.");
			return;
		}
		site_store_failed(c, rc);
		return;
	}
	admin_see_other(ad, arena_printf(c->a, "%s?done=%s", editor_path(ad, art.id), sp ? "saved" : "created"));
}

/* ---- preview ---- */

static void
article_preview(struct admin *ad, int64_t id)
{
	struct site_ctx *c = ad->c;
	struct article stored, art;
	struct news_form_errors errs;
	struct editor ed;
	const struct article *sp = NULL;
	struct buf msg = BUF_INIT;
	int i;

	if (!admin_form(ad))
		return;
	if (id > 0) {
		if (!load_article(ad, id, &stored) || !admin_allowed(ad, WF_VIEW, &stored))
			return;
		sp = &stored;
	} else if (!admin_allowed(ad, WF_CREATE, NULL)) {
		return;
	}
	if (form_to_article(ad, sp, &ed, &art, &errs) != 0)
		return;
	if (errs.n > 0) {
		buf_init(&msg, BUF_CAP_SMALL);
		buf_puts(&msg, "미리보기를 만들 수 없습니다: ");
		for (i = 0; i < errs.n; i++)
			buf_printf(&msg, "%s%s", i ? " " : "", errs.e[i].message);
		admin_error(ad, 422, arena_strndup(c->a, msg.p ? msg.p : "", msg.len));
		buf_free(&msg);
		return;
	}
	if (!sp) {
		art.status = ARTICLE_DRAFT;
		art.created_at = c->req->now;
	}
	art.updated_at = c->req->now;
	if (site_article_render(c, &art, 1) == 0) {
		/* Not what the site serves: never kept by a browser or a cache. */
		http_res_header(c->res, "Cache-Control", "no-store");
		http_res_header(c->res, "X-Robots-Tag", "noindex");
		http_res_header(c->res, "Referrer-Policy", "same-origin");
	}
}

/* ---- workflow actions ---- */

/* "2025-11-25T14:03" (datetime-local, Seoul) -> *t; -1 when malformed. */
static int
parse_local_time(const char *s, time_t *t)
{
	char tmp[32];
	size_t n;

	if (s == NULL || (n = strlen(s)) < 16 || n > 19)
		return -1;
	memcpy(tmp, s, n + 1);
	if (tmp[10] != 'T')
		return -1;
	tmp[10] = ' ';     /* kdate_parse reads a bare "YYYY-MM-DD HH:MM" as Seoul time */
	return kdate_parse(tmp, n, t);
}

void
admin_article_refused(struct admin *ad, const struct article *art, const char *field, const char *message)
{
	struct news_form_errors errs;
	struct editor ed;

	editor_from_article(ad, art, &ed);
	memset(&errs, 0, sizeof errs);
	errs.n = 1;
	errs.e[0].field = field;
	errs.e[0].message = message;
	ed.errs = &errs;
	ed.typed_at = admin_field(ad, "at");
	ed.typed_note = admin_field(ad, "note");
	ed.typed_ckind = admin_field(ad, "kind");
	ed.typed_cdate = admin_field(ad, "date");
	ed.typed_ctext = admin_field(ad, "text");
	editor_render(ad, &ed, 422);
}

static void
article_action(struct admin *ad, int64_t id, enum wf_action act)
{
	struct site_ctx *c = ad->c;
	struct store *st = c->st;
	struct article art;
	enum article_status to;
	const char *detail = "", *note = NULL;
	time_t at = c->req->now;
	int version, rc;

	if (!admin_form(ad))
		return;
	if (!load_article(ad, id, &art) || !admin_allowed(ad, act, &art))
		return;
	if ((version = form_version(ad)) < 0) {
		admin_error(ad, 400, "양식에 판 번호(version)가 없습니다. 편집 화면을 다시 열어 주세요.");
		return;
	}
	switch (act) {
	case WF_SUBMIT:
		to = ARTICLE_SUBMITTED;
		break;
	case WF_PUBLISH:
		to = ARTICLE_PUBLISHED;
		break;
	case WF_SCHEDULE:
		to = ARTICLE_SCHEDULED;
		if (parse_local_time(admin_field(ad, "at"), &at) != 0) {
			admin_article_refused(ad, &art, "at", "예약 시각을 'YYYY-MM-DDTHH:MM' 형식으로 골라 주세요.");
			return;
		}
		if (at <= c->req->now) {
			admin_article_refused(ad, &art, "at", "예약 시각은 지금보다 뒤여야 합니다.");
			return;
		}
		detail = admin_time(ad, at);
		break;
	case WF_RETURN:
		to = ARTICLE_DRAFT;
		note = admin_field(ad, "note");
		if (note != NULL)
			note = news_nfc(c->a, note, strlen(note));
		if (note == NULL || strspn(note, " \t\r\n") == strlen(note)) {
			admin_article_refused(ad, &art, "note", "반려 사유를 써 주세요.");
			return;
		}
		if (news_strlen_chars(note) > DESK_NOTE_MAX) {
			admin_article_refused(ad, &art, "note", "반려 사유는 1000자 이내로 써 주세요.");
			return;
		}
		detail = note;
		break;
	case WF_UNPUBLISH:
		to = ARTICLE_UNPUBLISHED;
		break;
	default:
		admin_error(ad, 404, "요청한 뉴스룸 페이지가 없습니다.");
		return;
	}

	if ((rc = store_begin(st)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	rc = store_article_set_status(st, id, to, at, version);
	/* The desk's note is for the reporter until the article goes out. */
	if (rc == STORE_OK && act == WF_RETURN)
		rc = store_article_set_desk_note(st, id, note);
	else if (rc == STORE_OK && act == WF_PUBLISH && art.desk_note && art.desk_note[0])
		rc = store_article_set_desk_note(st, id, "");
	if (rc == STORE_OK) {
		admin_audit(ad, wf_action_name(act), id, detail);
		rc = store_commit(st);
	}
	if (rc != STORE_OK) {
		store_rollback(st);
		if (rc == STORE_CONFLICT)
			admin_error(ad, 409, "다른 사람이 먼저 이 기사를 바꿨습니다. 편집 화면을 다시 열어 확인해 주세요.");
		else
			site_store_failed(c, rc);
		return;
	}
	admin_see_other(ad, arena_printf(c->a, "%s?done=%s", editor_path(ad, id), wf_action_name(act)));
}

/* ---- routing ---- */

static void
article_get(struct admin *ad, int64_t id)
{
	struct article art;
	struct editor ed;

	if (!load_article(ad, id, &art) || !admin_allowed(ad, WF_VIEW, &art))
		return;
	editor_from_article(ad, &art, &ed);
	editor_render(ad, &ed, 200);
}

static void
article_new(struct admin *ad)
{
	struct editor ed;

	if (!admin_allowed(ad, WF_CREATE, NULL))
		return;
	memset(&ed, 0, sizeof ed);
	ed.in.kind = article_kind_name(KIND_OWN);
	editor_render(ad, &ed, 200);
}

/* The segment of s up to '/' or its end; *next is past it. */
static size_t
segment(const char *s, const char **next)
{
	size_t n = strcspn(s, "/");

	*next = s + n;
	return n;
}

static int
seg_is(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

void
admin_articles_route(struct admin *ad, const char *rest)
{
	static const enum wf_action actions[] = { WF_SUBMIT, WF_PUBLISH, WF_SCHEDULE, WF_RETURN, WF_UNPUBLISH };
	const char *seg, *next;
	int64_t id, rid;
	size_t n, i;

	if (rest[0] == '\0' || strcmp(rest, "/") == 0) {
		if (ad->c->req->method == HTTP_POST)
			article_save(ad, 0);
		else if (site_is_get(ad->c))
			article_list(ad);
		return;
	}
	seg = rest + 1;
	n = segment(seg, &next);
	if (seg_is(seg, n, "new") || seg_is(seg, n, "preview")) {
		if (seg_is(seg, n, "new") && *next == '\0') {
			if (site_is_get(ad->c))
				article_new(ad);
		} else if (seg_is(seg, n, "preview") ? *next == '\0' : strcmp(next, "/preview") == 0) {
			if (is_post(ad))
				article_preview(ad, 0);
		} else {
			admin_error(ad, 404, "요청한 뉴스룸 페이지가 없습니다.");
		}
		return;
	}
	if ((id = site_parse_id(seg, n)) < 0) {
		admin_error(ad, 404, "요청한 뉴스룸 페이지가 없습니다.");
		return;
	}
	if (*next == '\0') {
		if (ad->c->req->method == HTTP_POST)
			article_save(ad, id);
		else if (site_is_get(ad->c))
			article_get(ad, id);
		return;
	}
	seg = next + 1;
	n = segment(seg, &next);
	if (*next == '\0') {
		if (seg_is(seg, n, "preview")) {
			if (is_post(ad))
				article_preview(ad, id);
			return;
		}
		if (seg_is(seg, n, "revisions")) {
			if (site_is_get(ad->c))
				admin_revisions(ad, id);
			return;
		}
		if (seg_is(seg, n, "corrections")) {
			if (is_post(ad))
				admin_correction_add(ad, id);
			return;
		}
		for (i = 0; i < sizeof actions / sizeof actions[0]; i++)
			if (seg_is(seg, n, wf_action_name(actions[i]))) {
				if (is_post(ad))
					article_action(ad, id, actions[i]);
				return;
			}
	} else if (seg_is(seg, n, "revisions")) {
		seg = next + 1;
		n = segment(seg, &next);
		if ((rid = site_parse_id(seg, n)) >= 0) {
			if (*next == '\0') {
				if (site_is_get(ad->c))
					admin_revision(ad, id, rid);
				return;
			}
			if (strcmp(next, "/restore") == 0) {
				if (is_post(ad))
					admin_revision_restore(ad, id, rid);
				return;
			}
		}
	}
	admin_error(ad, 404, "요청한 뉴스룸 페이지가 없습니다.");
}
