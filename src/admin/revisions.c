/*
 * revisions.c - an article's saved versions, what changed in each, putting
 * one back, and the corrections the desk adds (admin_int.h; routed by
 * articles.c).
 *
 *   GET  /admin/articles/{id}/revisions               every revision, newest first
 *   GET  /admin/articles/{id}/revisions/{rid}         that revision beside the article
 *   POST /admin/articles/{id}/revisions/{rid}/restore  put it back (csrf, version)
 *   POST /admin/articles/{id}/corrections             정정·반론·추후보도 (csrf, kind, date, text)
 *
 * A restore is a save like any other: it checks the version the desk was
 * looking at (no silent overwrite of someone's newer save) and becomes a
 * revision of its own, so it can itself be undone.  Corrections are only
 * ever added: there is no route to change or delete one, and the database
 * refuses it too (migration 006's triggers).
 */
#include "admin/admin_int.h"

#include <limits.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/kdate.h"
#include "core/log.h"
#include "news/diff.h"
#include "news/news.h"
#include "render/sanitize.h"

#define CORRECTION_TEXT_MAX 2000   /* characters */

/* Answers a failed store call inside the newsroom. */
static void
store_failed(struct admin *ad, int rc)
{
	switch (rc) {
	case STORE_NOTFOUND:
		admin_error(ad, 404, "기사나 판을 찾을 수 없습니다.");
		break;
	case STORE_CONFLICT:
		admin_error(ad, 409, "다른 사람이 먼저 이 기사를 고쳤습니다. 기사를 다시 열어 최신 내용을 확인하세요.");
		break;
	case STORE_INVALID:
		admin_error(ad, 422, arena_printf(ad->c->a, "저장할 수 없는 내용입니다: %s",
		    store_errmsg(ad->c->st)));
		break;
	default:
		log_error("newsroom: %s (%s)", store_strerror(rc), store_errmsg(ad->c->st));
		admin_error(ad, 503, "저장소에 잠시 문제가 있습니다. 잠시 후 다시 시도하세요.");
		break;
	}
}

/* The article, or 0 after answering 404/503. */
static int
load_article(struct admin *ad, int64_t id, struct article *art)
{
	int rc = store_article_get(ad->c->st, ad->c->a, id, art);

	if (rc != STORE_OK) {
		if (rc == STORE_NOTFOUND)
			admin_error(ad, 404, "기사를 찾을 수 없습니다.");
		else
			store_failed(ad, rc);
		return 0;
	}
	return 1;
}

/* A revision of this article (a revision id of another article is as
 * good as none), or 0 after answering. */
static int
load_revision(struct admin *ad, int64_t article_id, int64_t rid, struct revision_row *rev)
{
	int rc = store_revision_get(ad->c->st, ad->c->a, rid, rev);

	if (rc == STORE_OK && rev->article_id != article_id)
		rc = STORE_NOTFOUND;
	if (rc != STORE_OK) {
		if (rc == STORE_NOTFOUND)
			admin_error(ad, 404, "이 기사에 그런 판이 없습니다.");
		else
			store_failed(ad, rc);
		return 0;
	}
	return 1;
}

static int
is_post(struct admin *ad)
{
	if (ad->c->req->method == HTTP_POST)
		return 1;
	http_res_header(ad->c->res, "Allow", "POST");
	admin_error(ad, 405, "이 주소는 POST 요청만 받습니다.");
	return 0;
}

static int
is_get(struct admin *ad)
{
	if (ad->c->req->method == HTTP_GET || ad->c->req->method == HTTP_HEAD)
		return 1;
	http_res_header(ad->c->res, "Allow", "GET, HEAD");
	admin_error(ad, 405, "이 주소는 GET 요청만 받습니다.");
	return 0;
}

static json_t *
article_model(struct admin *ad, const struct article *art)
{
	return json_pack("{s:I, s:s, s:i, s:s, s:s}", "id", (json_int_t)art->id,
	    "headline", art->headline ? art->headline : "", "version", art->version,
	    "status", article_status_name(art->status),
	    "edit_url", arena_printf(ad->c->a, "/admin/articles/%lld", (long long)art->id));
}

/* ---- the list ---- */

void
admin_revisions(struct admin *ad, int64_t article_id)
{
	struct site_ctx *c = ad->c;
	struct article art;
	struct revision_row *revs;
	struct correction *cs;
	json_t *m, *items, *corr, *kinds;
	char d[KDATE_MAX];
	int rc, n, nc, i;

	if (!is_get(ad) || !load_article(ad, article_id, &art) || !admin_allowed(ad, WF_VIEW, &art))
		return;
	if ((rc = store_revisions_list(c->st, c->a, article_id, &revs, &n)) != STORE_OK ||
	    (rc = store_corrections_list(c->st, c->a, article_id, &cs, &nc)) != STORE_OK) {
		store_failed(ad, rc);
		return;
	}
	m = admin_page_model(ad, arena_printf(c->a, "고친 기록 - %s", art.headline), "articles");
	json_object_set_new(m, "article", article_model(ad, &art));
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I, s:i, s:s, s:s, s:s, s:b}",
		    "id", (json_int_t)revs[i].id, "version", revs[i].version,
		    "who", revs[i].person_name && revs[i].person_name[0] ? revs[i].person_name : "-",
		    "when", admin_time(ad, revs[i].at),
		    "url", arena_printf(c->a, "/admin/articles/%lld/revisions/%lld", (long long)article_id,
		    (long long)revs[i].id),
		    "current", revs[i].version == art.version));
	json_object_set_new(m, "revisions", items);
	json_object_set_new(m, "empty", json_boolean(n == 0));
	corr = json_array();
	for (i = 0; i < nc; i++) {
		kdate_date(cs[i].at, d);
		json_array_append_new(corr, json_pack("{s:s, s:s, s:s}", "label", correction_kind_label(cs[i].kind),
		    "date", d, "text", cs[i].text));
	}
	json_object_set_new(m, "corrections", corr);
	json_object_set_new(m, "has_corrections", json_boolean(nc > 0));
	if (wf_check(ad->user.role, ad->user.id, WF_CORRECT, &art) == WF_OK) {
		char today[KDATE_MAX];
		time_t now = c->req->now;

		kdate_iso8601(now, today);
		today[10] = '\0';
		kinds = json_array();
		for (i = 0; i < CORRECTION__MAX; i++)
			json_array_append_new(kinds, json_pack("{s:s, s:s}", "name",
			    correction_kind_name((enum correction_kind)i), "label",
			    correction_kind_label((enum correction_kind)i)));
		json_object_set_new(m, "correction_form", json_pack("{s:s, s:s, s:o, s:i}",
		    "action", arena_printf(c->a, "/admin/articles/%lld/corrections", (long long)article_id),
		    "today", today, "kinds", kinds, "max", CORRECTION_TEXT_MAX));
	}
	admin_render(ad, "revisions", m);
}

/* ---- one revision beside the article ---- */

static json_t *
runs_model(const struct diff *d)
{
	json_t *arr = json_array(), *r;
	int i;

	for (i = 0; i < d->n; i++) {
		r = json_object();
		json_object_set_new(r, "text", json_stringn(d->runs[i].text, d->runs[i].len));
		json_object_set_new(r, d->runs[i].op == DIFF_INSERT ? "ins" : d->runs[i].op == DIFF_DELETE ?
		    "del" : "eq", json_true());
		json_array_append_new(arr, r);
	}
	return arr;
}

static void
add_field(json_t *fields, struct arena *a, const char *label, const char *old_text, const char *new_text,
    int lines)
{
	struct diff d;

	if (lines)
		diff_lines(a, old_text, new_text, &d);
	else
		diff_words(a, old_text, new_text, &d);
	json_array_append_new(fields, json_pack("{s:s, s:b, s:b, s:o}", "label", label,
	    "changed", d.changed, "whole", d.whole, "runs", runs_model(&d)));
}

static const char *
join_subtitles(struct arena *a, const struct article *art)
{
	struct buf b = BUF_INIT;
	const char *s;
	int i;

	for (i = 0; i < art->nsubtitles; i++)
		buf_printf(&b, "%s%s", i ? "\n" : "", art->subtitles[i]);
	s = arena_strdup(a, b.p ? b.p : "");
	buf_free(&b);
	return s;
}

static const char *
join_tags(struct arena *a, const struct article *art)
{
	struct buf b = BUF_INIT;
	const char *s;
	int i;

	for (i = 0; i < art->ntags; i++)
		buf_printf(&b, "%s#%s", i ? " " : "", art->tags[i]);
	s = arena_strdup(a, b.p ? b.p : "");
	buf_free(&b);
	return s;
}

static const char *
join_bylines(struct arena *a, const struct article *art)
{
	struct buf b = BUF_INIT;
	const char *s;
	int i;

	for (i = 0; i < art->nbylines; i++)
		buf_printf(&b, "%s%s", i ? " · " : "", art->bylines[i].name ? art->bylines[i].name : "");
	s = arena_strdup(a, b.p ? b.p : "");
	buf_free(&b);
	return s;
}

/* The body's plain text, one paragraph a line: a reader compares words,
 * not tags. */
static const char *
body_text(struct arena *a, const char *html)
{
	struct buf b = BUF_INIT;
	const char *s;

	if (html == NULL || sanitize_text(html, strlen(html), &b) != 0) {
		buf_free(&b);
		return "";
	}
	s = arena_strdup(a, b.p ? b.p : "");
	buf_free(&b);
	return s;
}

/* The section as people know it: by the name it has today. */
static const char *
section_label(struct admin *ad, const struct section *sec, struct section *all, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (all[i].id == sec->id)
			return arena_printf(ad->c->a, "%s (%s)", all[i].name, all[i].slug);
	return sec->slug ? sec->slug : "";
}

void
admin_revision(struct admin *ad, int64_t article_id, int64_t revision_id)
{
	struct site_ctx *c = ad->c;
	struct article art, old;
	struct revision_row rev;
	struct section *secs;
	json_t *m, *fields, *r;
	int nsecs, changed = 0;
	size_t i;

	if (!is_get(ad) || !load_article(ad, article_id, &art) || !admin_allowed(ad, WF_VIEW, &art) ||
	    !load_revision(ad, article_id, revision_id, &rev))
		return;
	if (news_article_from_snapshot(c->a, rev.snapshot, &old) != 0) {
		log_error("revision %lld of article %lld is not a snapshot", (long long)rev.id,
		    (long long)article_id);
		admin_error(ad, 500, "이 판의 기록을 읽을 수 없습니다.");
		return;
	}
	if (store_sections_list(c->st, c->a, &secs, &nsecs) != STORE_OK)
		nsecs = 0;
	fields = json_array();
	add_field(fields, c->a, "제목", old.headline, art.headline, 0);
	add_field(fields, c->a, "부제", join_subtitles(c->a, &old), join_subtitles(c->a, &art), 1);
	add_field(fields, c->a, "섹션", section_label(ad, &old.section, secs, nsecs),
	    section_label(ad, &art.section, secs, nsecs), 0);
	add_field(fields, c->a, "종류", article_kind_label(old.kind), article_kind_label(art.kind), 0);
	add_field(fields, c->a, "요약", old.summary, art.summary, 0);
	add_field(fields, c->a, "본문", body_text(c->a, old.body), body_text(c->a, art.body), 1);
	add_field(fields, c->a, "기자", join_bylines(c->a, &old), join_bylines(c->a, &art), 0);
	add_field(fields, c->a, "바이라인 표시", old.display_byline, art.display_byline, 0);
	add_field(fields, c->a, "뉴스출처", old.source_note, art.source_note, 0);
	add_field(fields, c->a, "태그", join_tags(c->a, &old), join_tags(c->a, &art), 0);
	add_field(fields, c->a, "주소(slug)", old.slug, art.slug, 0);
	json_array_foreach(fields, i, r)
		if (json_is_true(json_object_get(r, "changed")))
			changed = 1;

	m = admin_page_model(ad, arena_printf(c->a, "%d판 - %s", rev.version, art.headline), "articles");
	json_object_set_new(m, "article", article_model(ad, &art));
	json_object_set_new(m, "revision", json_pack("{s:I, s:i, s:s, s:s}", "id", (json_int_t)rev.id,
	    "version", rev.version,
	    "who", rev.person_name && rev.person_name[0] ? rev.person_name : "-",
	    "when", admin_time(ad, rev.at)));
	json_object_set_new(m, "list_url", json_string(arena_printf(c->a, "/admin/articles/%lld/revisions",
	    (long long)article_id)));
	json_object_set_new(m, "fields", fields);
	json_object_set_new(m, "same", json_boolean(!changed));
	if (wf_check(ad->user.role, ad->user.id, WF_RESTORE, &art) == WF_OK)
		json_object_set_new(m, "restore", json_pack("{s:s, s:i}",
		    "action", arena_printf(c->a, "/admin/articles/%lld/revisions/%lld/restore",
		    (long long)article_id, (long long)rev.id), "version", art.version));
	admin_render(ad, "revision", m);
}

/* ---- restore ---- */

void
admin_revision_restore(struct admin *ad, int64_t article_id, int64_t revision_id)
{
	struct site_ctx *c = ad->c;
	struct article art, old;
	struct revision_row rev;
	const char *v, *snap;
	long version;
	int64_t new_rid;
	int rc;

	if (!is_post(ad) || !admin_form(ad) || !load_article(ad, article_id, &art) ||
	    !admin_allowed(ad, WF_RESTORE, &art) || !load_revision(ad, article_id, revision_id, &rev))
		return;
	v = admin_field(ad, "version");
	if (v == NULL || config_parse_int(v, 1, INT_MAX, &version) != 0) {
		admin_error(ad, 400, "고칠 기사의 판 번호(version)가 없거나 잘못되었습니다.");
		return;
	}
	if (news_article_from_snapshot(c->a, rev.snapshot, &old) != 0) {
		log_error("revision %lld of article %lld is not a snapshot", (long long)rev.id,
		    (long long)article_id);
		admin_error(ad, 500, "이 판의 기록을 읽을 수 없어 되돌릴 수 없습니다.");
		return;
	}
	/* The content (bylines too) comes from the revision; who the article
	 * is, where it stands in the workflow and its times stay the
	 * article's. */
	news_article_keep_standing(&old, &art);
	art = old;
	art.updated_at = c->req->now;
	art.version = (int)version;

	if ((rc = store_begin(c->st)) != STORE_OK) {
		store_failed(ad, rc);
		return;
	}
	if ((rc = store_article_update(c->st, &art)) != STORE_OK)
		goto fail;
	if ((snap = news_article_snapshot(c->a, &art)) == NULL) {
		rc = STORE_INVALID;
		goto fail;
	}
	if ((rc = store_revision_add(c->st, art.id, art.version, ad->user.id, c->req->now, snap,
	    &new_rid)) != STORE_OK)
		goto fail;
	admin_audit(ad, "restore", art.id, arena_printf(c->a, "revision %lld (v%d) -> v%d",
	    (long long)rev.id, rev.version, art.version));
	if ((rc = store_commit(c->st)) != STORE_OK)
		goto fail;
	admin_see_other(ad, arena_printf(c->a, "/admin/articles/%lld", (long long)art.id));
	return;
fail:
	store_rollback(c->st);
	store_failed(ad, rc);
}

/* ---- corrections ---- */

/* "YYYY-MM-DD" as the Seoul midnight of that day; -1 when it is not
 * exactly such a date (2025-02-30 included). */
static int
parse_day(const char *s, time_t *out)
{
	char back[KDATE_MAX], want[11];
	int i;

	if (strlen(s) != 10)
		return -1;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return -1;
	if (kdate_parse(s, 10, out) != 0)
		return -1;
	/* kdate_parse takes the date arithmetically; printing it back shows
	 * whether the day exists. */
	kdate_date(*out, back);
	memcpy(want, s, 10);
	want[4] = want[7] = '.';
	want[10] = '\0';
	return strcmp(back, want) == 0 ? 0 : -1;
}

static time_t
seoul_midnight(time_t t)
{
	long days = (long)((t + KST_OFFSET) / 86400);

	return (time_t)days * 86400 - KST_OFFSET;
}

/* Trims whitespace at both ends (arena copy). */
static const char *
trim(struct arena *a, const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(a, s, n);
}

void
admin_correction_add(struct admin *ad, int64_t article_id)
{
	struct site_ctx *c = ad->c;
	struct article art;
	struct correction cr;
	const char *kind, *date, *text, *p;
	time_t today = seoul_midnight(c->req->now);
	int k, rc;

	if (!is_post(ad) || !admin_form(ad) || !load_article(ad, article_id, &art) ||
	    !admin_allowed(ad, WF_CORRECT, &art))
		return;
	memset(&cr, 0, sizeof cr);
	kind = admin_field(ad, "kind");
	if (kind == NULL || (k = correction_kind_parse(kind)) < 0) {
		admin_article_refused(ad, &art, "c_kind", "종류(kind)는 정정보도(correction), 반론보도(rebuttal), 추후보도(follow-up) 가운데 하나여야 합니다.");
		return;
	}
	cr.kind = (enum correction_kind)k;
	date = admin_field(ad, "date");
	if (date == NULL || (date = trim(c->a, date))[0] == '\0') {
		cr.at = today;
	} else if (parse_day(date, &cr.at) != 0) {
		admin_article_refused(ad, &art, "c_date", "날짜(date)는 2025-11-26처럼 YYYY-MM-DD로 적어야 합니다.");
		return;
	} else if (cr.at > today) {
		admin_article_refused(ad, &art, "c_date", "날짜(date)는 오늘이나 그 이전이어야 합니다.");
		return;
	}
	text = admin_field(ad, "text");
	if (text == NULL || (text = trim(c->a, text))[0] == '\0') {
		admin_article_refused(ad, &art, "c_text", "내용(text)을 적어야 합니다.");
		return;
	}
	if (news_strlen_chars(text) > CORRECTION_TEXT_MAX) {
		admin_article_refused(ad, &art, "c_text", arena_printf(c->a, "내용(text)은 %d자를 넘을 수 없습니다.",
		    CORRECTION_TEXT_MAX));
		return;
	}
	for (p = text; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') {
			admin_article_refused(ad, &art, "c_text", "내용(text)에 제어 문자가 있습니다.");
			return;
		}
	cr.article_id = art.id;
	cr.text = text;
	cr.person_id = ad->user.id;
	cr.created_at = c->req->now;

	if ((rc = store_begin(c->st)) != STORE_OK) {
		store_failed(ad, rc);
		return;
	}
	if ((rc = store_correction_add(c->st, &cr)) != STORE_OK) {
		store_rollback(c->st);
		store_failed(ad, rc);
		return;
	}
	admin_audit(ad, wf_action_name(WF_CORRECT), art.id, arena_printf(c->a, "%s %lld", correction_kind_name(cr.kind),
	    (long long)cr.id));
	if ((rc = store_commit(c->st)) != STORE_OK) {
		store_rollback(c->st);
		store_failed(ad, rc);
		return;
	}
	admin_see_other(ad, arena_printf(c->a, "/admin/articles/%lld", (long long)art.id));
}
