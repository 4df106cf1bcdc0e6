/*
 * test_store_newsroom.c - the newsroom's storage verbs on the SQLite
 * engine: sessions and their end, the login limit's counting, the audit
 * log, revisions, corrections that cannot be deleted or changed, API
 * tokens, scheduled publication into the site and its search, the count
 * by kind, the desk's note and the newsroom's list orders.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "store/store.h"
#include "testutil.h"

#define T0 ((time_t)1764000000)  /* 2025-11-24, a fixed "now" */

static char db[128];
static struct store *st;
static struct arena ar;
static int64_t sec, rep, ed;

static void
setup(void)
{
	st = tu_store_new(db, sizeof db);
	arena_init(&ar);
	cr_assert_eq(store_section_put(st, "society", "사회", 1, &sec), STORE_OK);
	cr_assert_eq(store_person_put(st, "김기자", "reporter@example.kr", ROLE_REPORTER, &rep), STORE_OK);
	cr_assert_eq(store_person_put(st, "박데스크", "desk@example.kr", ROLE_EDITOR, &ed), STORE_OK);
}

static void
teardown(void)
{
	store_close(st);
	arena_free(&ar);
	tu_rm_db(db);
}

static int64_t
article(const char *headline, enum article_status status, enum article_kind kind, time_t at)
{
	struct article a;

	memset(&a, 0, sizeof a);
	a.section.id = sec;
	a.status = status;
	a.kind = kind;
	a.headline = headline;
	a.summary = "요약입니다.";
	a.body = "<p>본문입니다.</p>";
	a.body_text = "본문입니다.";
	a.slug = a.display_byline = a.source_note = "";
	a.bylines[0].id = rep;
	a.nbylines = 1;
	a.created_at = a.updated_at = at;
	if (status == ARTICLE_PUBLISHED)
		a.published_at = a.approved_at = at;
	cr_assert_eq(store_article_insert(st, &a), STORE_OK, "%s", store_errmsg(st));
	return a.id;
}

/* Ids search finds for q, as a comma list ("" for none). */
static const char *
found(const char *q)
{
	return tu_search_ids(st, q);
}

/* Runs sql on the database file through a connection of its own. */
static int
raw_exec(const char *sql)
{
	return tu_db_exec(db, sql, NULL, 0);
}

TestSuite(store_newsroom, .init = setup, .fini = teardown);

Test(store_newsroom, session_lifecycle)
{
	struct session_row s;

	cr_assert_eq(store_session_create(st, "aa11", rep, "csrf-1", T0, T0 + 3600, "10.0.0.1"), STORE_OK,
	    "%s", store_errmsg(st));
	cr_expect_eq(store_session_create(st, "aa11", ed, "x", T0, T0 + 3600, ""), STORE_EXISTS);
	cr_assert_eq(store_session_get(st, &ar, "aa11", T0 + 10, &s), STORE_OK);
	cr_expect_eq(s.person_id, rep);
	cr_expect_str_eq(s.csrf, "csrf-1");
	cr_expect_eq(s.created_at, T0);
	cr_expect_eq(s.last_seen, T0);
	cr_expect_eq(s.expires_at, T0 + 3600);
	cr_expect_eq(store_session_get(st, &ar, "bb22", T0, &s), STORE_NOTFOUND);

	/* Expired exactly at expires_at. */
	cr_expect_eq(store_session_get(st, &ar, "aa11", T0 + 3599, &s), STORE_OK);
	cr_expect_eq(store_session_get(st, &ar, "aa11", T0 + 3600, &s), STORE_NOTFOUND);

	/* A touch before the end moves it; after the end it does not revive it. */
	cr_assert_eq(store_session_touch(st, "aa11", T0 + 3000, T0 + 7200), STORE_OK);
	cr_assert_eq(store_session_get(st, &ar, "aa11", T0 + 5000, &s), STORE_OK);
	cr_expect_eq(s.last_seen, T0 + 3000);
	cr_expect_eq(s.expires_at, T0 + 7200);
	cr_expect_eq(store_session_touch(st, "aa11", T0 + 7200, T0 + 9999), STORE_NOTFOUND);
	cr_expect_eq(store_session_get(st, &ar, "aa11", T0 + 7200, &s), STORE_NOTFOUND);
	cr_expect_eq(store_session_touch(st, "nope", T0, T0 + 10), STORE_NOTFOUND);

	cr_assert_eq(store_session_create(st, "cc33", rep, "c", T0, T0 + 3600, ""), STORE_OK);
	cr_assert_eq(store_session_delete(st, "cc33"), STORE_OK);
	cr_expect_eq(store_session_get(st, &ar, "cc33", T0, &s), STORE_NOTFOUND);
	cr_expect_eq(store_session_delete(st, "cc33"), STORE_OK, "logging out twice is fine");
}

Test(store_newsroom, sessions_of_a_person_and_prune)
{
	struct session_row s;
	int n;

	cr_assert_eq(store_session_create(st, "r1", rep, "c", T0, T0 + 100, ""), STORE_OK);
	cr_assert_eq(store_session_create(st, "r2", rep, "c", T0, T0 + 5000, ""), STORE_OK);
	cr_assert_eq(store_session_create(st, "e1", ed, "c", T0, T0 + 100, ""), STORE_OK);
	cr_assert_eq(store_session_create(st, "e2", ed, "c", T0, T0 + 5000, ""), STORE_OK);
	cr_assert_eq(store_sessions_delete_person(st, rep), STORE_OK);
	cr_expect_eq(store_session_get(st, &ar, "r1", T0, &s), STORE_NOTFOUND);
	cr_expect_eq(store_session_get(st, &ar, "r2", T0, &s), STORE_NOTFOUND);
	cr_expect_eq(store_session_get(st, &ar, "e1", T0, &s), STORE_OK);

	cr_assert_eq(store_login_failure_add(st, "email:a@example.kr", T0 - 2000), STORE_OK);
	cr_assert_eq(store_login_failure_add(st, "email:a@example.kr", T0 - 10), STORE_OK);
	cr_assert_eq(store_sessions_prune(st, T0 + 100, T0 - 1000), STORE_OK);
	/* The expired row is gone from the table, not only hidden. */
	cr_expect_eq(store_session_touch(st, "e1", T0, T0 + 9000), STORE_NOTFOUND);
	cr_expect_eq(store_session_get(st, &ar, "e2", T0 + 200, &s), STORE_OK);
	cr_assert_eq(store_login_failures(st, "email:a@example.kr", 0, &n), STORE_OK);
	cr_expect_eq(n, 1, "failures before `before` are pruned, later ones kept");
}

Test(store_newsroom, password_change_and_disable_end_sessions)
{
	struct session_row s;
	struct person p;

	cr_assert_eq(store_session_create(st, "r1", rep, "c", T0, T0 + 5000, ""), STORE_OK);
	cr_assert_eq(store_session_create(st, "r2", rep, "c", T0, T0 + 5000, ""), STORE_OK);
	cr_assert_eq(store_session_create(st, "e1", ed, "c", T0, T0 + 5000, ""), STORE_OK);
	cr_assert_eq(store_person_set_password(st, rep, "$argon2id$v=19$fake", 0), STORE_OK,
	    "%s", store_errmsg(st));
	cr_expect_eq(store_session_get(st, &ar, "r1", T0, &s), STORE_NOTFOUND);
	cr_expect_eq(store_session_get(st, &ar, "r2", T0, &s), STORE_NOTFOUND);
	cr_expect_eq(store_session_get(st, &ar, "e1", T0, &s), STORE_OK, "others stay logged in");
	cr_expect_eq(store_person_set_password(st, 987654, "x", 0), STORE_NOTFOUND);

	/* Enabling keeps sessions; disabling ends them. */
	cr_assert_eq(store_person_set_active(st, ed, 1), STORE_OK);
	cr_expect_eq(store_session_get(st, &ar, "e1", T0, &s), STORE_OK);
	cr_assert_eq(store_person_set_active(st, ed, 0), STORE_OK);
	cr_expect_eq(store_session_get(st, &ar, "e1", T0, &s), STORE_NOTFOUND);
	cr_assert_eq(store_person_get(st, &ar, ed, &p), STORE_OK);
	cr_expect_eq(p.active, 0);

	/* Inside a caller's transaction the change and the end go together. */
	cr_assert_eq(store_session_create(st, "r3", rep, "c", T0, T0 + 5000, ""), STORE_OK);
	cr_assert_eq(store_begin(st), STORE_OK);
	cr_assert_eq(store_person_set_password(st, rep, "$argon2id$v=19$other", 1), STORE_OK);
	store_rollback(st);
	cr_expect_eq(store_session_get(st, &ar, "r3", T0, &s), STORE_OK, "rolled back with the password");

	/* A session of an account disabled behind the store's back is no session. */
	cr_assert_eq(raw_exec("UPDATE person SET active = 0 WHERE email = 'reporter@example.kr'"), SQLITE_OK);
	cr_expect_eq(store_session_get(st, &ar, "r3", T0, &s), STORE_NOTFOUND);
}

Test(store_newsroom, login_failures_count_in_window)
{
	int n, i;

	for (i = 0; i < 4; i++)
		cr_assert_eq(store_login_failure_add(st, "addr:192.0.2.7", T0 - 1200 + i * 300), STORE_OK);
	cr_assert_eq(store_login_failure_add(st, "email:a@example.kr", T0), STORE_OK);
	/* At T0-1200, -900, -600, -300: three inside the last 15 minutes. */
	cr_assert_eq(store_login_failures(st, "addr:192.0.2.7", T0 - 900, &n), STORE_OK);
	cr_expect_eq(n, 3);
	cr_assert_eq(store_login_failures(st, "addr:192.0.2.7", T0 - 100, &n), STORE_OK);
	cr_expect_eq(n, 0);
	cr_assert_eq(store_login_failures(st, "addr:192.0.2.8", 0, &n), STORE_OK);
	cr_expect_eq(n, 0);
	cr_assert_eq(store_login_failures_clear(st, "addr:192.0.2.7"), STORE_OK);
	cr_assert_eq(store_login_failures(st, "addr:192.0.2.7", 0, &n), STORE_OK);
	cr_expect_eq(n, 0);
	cr_assert_eq(store_login_failures(st, "email:a@example.kr", 0, &n), STORE_OK);
	cr_expect_eq(n, 1, "clearing one key leaves the others");
}

Test(store_newsroom, audit_add_and_list)
{
	struct audit_row *v;
	int64_t a1, a2;
	int n;

	a1 = article("첫 기사", ARTICLE_DRAFT, KIND_OWN, T0);
	a2 = article("둘째 기사", ARTICLE_DRAFT, KIND_OWN, T0);
	cr_assert_eq(store_audit_add(st, T0, rep, "login", 0, "", "10.0.0.1"), STORE_OK);
	cr_assert_eq(store_audit_add(st, T0 + 1, rep, "submit", a1, "", "10.0.0.1"), STORE_OK);
	cr_assert_eq(store_audit_add(st, T0 + 2, ed, "publish", a1, "지금 출고", "10.0.0.2"), STORE_OK);
	cr_assert_eq(store_audit_add(st, T0 + 3, 0, "publish", a2, "예약", ""), STORE_OK);

	cr_assert_eq(store_audit_list(st, &ar, 0, 100, &v, &n), STORE_OK);
	cr_assert_eq(n, 4);
	cr_expect_str_eq(v[0].action, "publish");
	cr_expect_eq(v[0].article_id, a2);
	cr_expect_eq(v[0].person_id, 0);
	cr_expect_str_eq(v[0].person_name, "", "no person");
	cr_expect_str_eq(v[1].person_name, "박데스크");
	cr_expect_str_eq(v[1].detail, "지금 출고");
	cr_expect_str_eq(v[1].remote, "10.0.0.2");
	cr_expect_eq(v[1].at, T0 + 2);
	cr_expect_str_eq(v[3].action, "login");
	cr_expect_eq(v[3].article_id, 0);

	cr_assert_eq(store_audit_list(st, &ar, a1, 100, &v, &n), STORE_OK);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(v[0].action, "publish");
	cr_expect_str_eq(v[1].action, "submit");
	cr_expect_str_eq(v[1].person_name, "김기자");

	cr_assert_eq(store_audit_list(st, &ar, 0, 1, &v, &n), STORE_OK);
	cr_expect_eq(n, 1);
	cr_expect_eq(store_audit_list(st, &ar, 0, 0, &v, &n), STORE_INVALID);
}

Test(store_newsroom, revisions_add_list_get)
{
	struct revision_row *v, r;
	int64_t a1, a2, r1, r2, r3;
	int n;

	a1 = article("기사", ARTICLE_PUBLISHED, KIND_OWN, T0);
	a2 = article("다른 기사", ARTICLE_PUBLISHED, KIND_OWN, T0);
	cr_assert_eq(store_revision_add(st, a1, 1, rep, T0, "{\"headline\":\"하나\"}", &r1), STORE_OK);
	cr_assert_eq(store_revision_add(st, a1, 2, ed, T0 + 60, "{\"headline\":\"둘\"}", &r2), STORE_OK);
	cr_assert_eq(store_revision_add(st, a2, 1, rep, T0, "{}", NULL), STORE_OK);
	cr_assert_eq(store_revision_add(st, a1, 3, 0, T0 + 120, "{\"headline\":\"셋\"}", &r3), STORE_OK);
	cr_expect(r1 < r2 && r2 < r3);
	cr_expect_neq(store_revision_add(st, 999999, 1, rep, T0, "{}", NULL), STORE_OK, "no such article");

	cr_assert_eq(store_revisions_list(st, &ar, a1, &v, &n), STORE_OK);
	cr_assert_eq(n, 3);
	cr_expect_eq(v[0].id, r3);
	cr_expect_eq(v[0].version, 3);
	cr_expect_str_eq(v[0].person_name, "");
	cr_expect_eq(v[1].id, r2);
	cr_expect_str_eq(v[1].person_name, "박데스크");
	cr_expect_eq(v[1].at, T0 + 60);
	cr_expect_eq(v[2].id, r1);
	cr_expect_null(v[0].snapshot, "list reads carry no snapshot");

	cr_assert_eq(store_revision_get(st, &ar, r2, &r), STORE_OK);
	cr_expect_eq(r.article_id, a1);
	cr_expect_eq(r.version, 2);
	cr_expect_eq(r.person_id, ed);
	cr_expect_str_eq(r.person_name, "박데스크");
	cr_expect_str_eq(r.snapshot, "{\"headline\":\"둘\"}");
	cr_expect_eq(store_revision_get(st, &ar, 999999, &r), STORE_NOTFOUND);
}

Test(store_newsroom, corrections_are_kept_forever)
{
	struct correction c, *v;
	struct article art;
	int64_t a1;
	int n, version;

	cr_expect_str_eq(correction_kind_name(CORRECTION_REBUTTAL), "rebuttal");
	cr_expect_str_eq(correction_kind_label(CORRECTION_CORRECTION), "정정보도");
	cr_expect_str_eq(correction_kind_label(CORRECTION_FOLLOWUP), "추후보도");
	cr_expect_eq(correction_kind_parse("follow-up"), CORRECTION_FOLLOWUP);
	cr_expect_eq(correction_kind_parse("retraction"), -1);
	cr_expect_eq(correction_kind_parse(NULL), -1);

	a1 = article("정정 대상", ARTICLE_PUBLISHED, KIND_OWN, T0);
	cr_assert_eq(store_article_get(st, &ar, a1, &art), STORE_OK);
	version = art.version;

	memset(&c, 0, sizeof c);
	c.article_id = a1;
	c.kind = CORRECTION_CORRECTION;
	c.at = T0 + 86400;
	c.text = "본지는 ... 바로잡습니다.";
	c.person_id = ed;
	c.created_at = T0 + 90000;
	cr_assert_eq(store_correction_add(st, &c), STORE_OK, "%s", store_errmsg(st));
	cr_expect_gt(c.id, 0);
	cr_assert_eq(store_article_get(st, &ar, a1, &art), STORE_OK);
	cr_expect_eq(art.updated_at, T0 + 90000, "the article shows as changed");
	cr_expect_eq(art.version, version, "a correction is not an edit of the text");

	c.kind = CORRECTION_REBUTTAL;
	c.text = "반론 내용";
	c.created_at = T0 + 100;   /* dated before the last change: updated_at stays */
	cr_assert_eq(store_correction_add(st, &c), STORE_OK);
	cr_assert_eq(store_article_get(st, &ar, a1, &art), STORE_OK);
	cr_expect_eq(art.updated_at, T0 + 90000);

	cr_assert_eq(store_corrections_list(st, &ar, a1, &v, &n), STORE_OK);
	cr_assert_eq(n, 2);
	cr_expect_eq(v[0].kind, CORRECTION_CORRECTION, "oldest first");
	cr_expect_str_eq(v[0].text, "본지는 ... 바로잡습니다.");
	cr_expect_eq(v[0].at, T0 + 86400);
	cr_expect_eq(v[0].person_id, ed);
	cr_expect_eq(v[1].kind, CORRECTION_REBUTTAL);

	c.article_id = 999999;
	cr_expect_eq(store_correction_add(st, &c), STORE_NOTFOUND);
	c.article_id = a1;
	c.kind = CORRECTION__MAX;
	cr_expect_eq(store_correction_add(st, &c), STORE_INVALID);
	c.kind = CORRECTION_FOLLOWUP;
	c.text = "";
	cr_expect_eq(store_correction_add(st, &c), STORE_INVALID);

	/* The database itself refuses to forget or rewrite one. */
	cr_expect_eq(raw_exec("DELETE FROM correction"), SQLITE_CONSTRAINT);
	cr_expect_eq(raw_exec("UPDATE correction SET text = '없던 일'"), SQLITE_CONSTRAINT);
	cr_assert_eq(store_corrections_list(st, &ar, a1, &v, &n), STORE_OK);
	cr_expect_eq(n, 2);
	cr_expect_str_eq(v[1].text, "반론 내용");
}

Test(store_newsroom, api_tokens)
{
	struct api_token_row *v;
	struct person who;
	int64_t t1, t2, t3, tid;
	int n;

	cr_assert_eq(store_token_create(st, rep, "hash-1", "노트북", T0, &t1), STORE_OK, "%s", store_errmsg(st));
	cr_assert_eq(store_token_create(st, rep, "hash-2", "", T0 + 10, &t2), STORE_OK);
	cr_assert_eq(store_token_create(st, ed, "hash-3", "desk", T0 + 20, &t3), STORE_OK);
	cr_expect_eq(store_token_create(st, ed, "hash-3", "again", T0 + 30, NULL), STORE_EXISTS);
	cr_expect_eq(store_token_create(st, ed, "", "empty", T0 + 30, NULL), STORE_INVALID);
	cr_expect_neq(store_token_create(st, 987654, "hash-x", "", T0, NULL), STORE_OK, "no such person");

	cr_assert_eq(store_tokens_list(st, &ar, 0, &v, &n), STORE_OK);
	cr_assert_eq(n, 3);
	cr_expect_eq(v[0].id, t3, "newest first");
	cr_expect_str_eq(v[0].person_email, "desk@example.kr");
	cr_expect_eq(v[2].id, t1);
	cr_expect_str_eq(v[2].name, "노트북");
	cr_expect_eq(v[2].last_used, 0);
	cr_expect_eq(v[2].revoked_at, 0);

	cr_assert_eq(store_token_lookup(st, &ar, "hash-1", T0 + 500, &who, &tid), STORE_OK);
	cr_expect_eq(who.id, rep);
	cr_expect_eq(tid, t1);
	cr_expect_str_eq(who.email, "reporter@example.kr");
	cr_expect_eq(who.role, ROLE_REPORTER);
	cr_expect_eq(store_token_lookup(st, &ar, "hash-9", T0, &who, &tid), STORE_NOTFOUND);

	cr_assert_eq(store_tokens_list(st, &ar, rep, &v, &n), STORE_OK);
	cr_assert_eq(n, 2);
	cr_expect_eq(v[0].id, t2);
	cr_expect_eq(v[1].last_used, T0 + 500, "last use recorded");
	cr_expect_eq(v[0].last_used, 0);

	cr_assert_eq(store_token_revoke(st, t1, T0 + 600), STORE_OK);
	cr_expect_eq(store_token_lookup(st, &ar, "hash-1", T0 + 700, &who, &tid), STORE_NOTFOUND);
	cr_assert_eq(store_token_revoke(st, t1, T0 + 800), STORE_OK);
	cr_expect_eq(store_token_revoke(st, 987654, T0), STORE_NOTFOUND);
	cr_assert_eq(store_tokens_list(st, &ar, rep, &v, &n), STORE_OK);
	cr_expect_eq(v[1].revoked_at, T0 + 600, "the first revocation stands");

	/* A disabled account's tokens open nothing; enabled again, they do. */
	cr_assert_eq(store_person_set_active(st, ed, 0), STORE_OK);
	cr_expect_eq(store_token_lookup(st, &ar, "hash-3", T0, &who, &tid), STORE_NOTFOUND);
	cr_assert_eq(store_person_set_active(st, ed, 1), STORE_OK);
	cr_expect_eq(store_token_lookup(st, &ar, "hash-3", T0, &who, &tid), STORE_OK);
	cr_expect_eq(who.role, ROLE_EDITOR);
}

Test(store_newsroom, publish_due_publishes_only_due_articles)
{
	struct article_list l;
	struct article_query q;
	struct article art;
	int64_t a1, a2, a3, d, ids[8];
	int n;

	a1 = article("해돋이축제 개막", ARTICLE_SUBMITTED, KIND_OWN, T0 - 5000);
	a2 = article("해돋이축제 둘째 날", ARTICLE_SUBMITTED, KIND_OWN, T0 - 5000);
	a3 = article("해돋이축제 폐막", ARTICLE_SUBMITTED, KIND_OWN, T0 - 5000);
	d = article("해돋이축제 초안", ARTICLE_DRAFT, KIND_OWN, T0 - 5000);
	cr_assert_eq(store_article_set_status(st, a2, ARTICLE_SCHEDULED, T0 - 100, 0), STORE_OK);
	cr_assert_eq(store_article_set_status(st, a1, ARTICLE_SCHEDULED, T0 - 200, 0), STORE_OK);
	cr_assert_eq(store_article_set_status(st, a3, ARTICLE_SCHEDULED, T0 + 3600, 0), STORE_OK);
	cr_expect_str_eq(found("해돋이축제"), "", "nothing searchable before publication");

	cr_assert_eq(store_articles_publish_due(st, T0, ids, 8, &n), STORE_OK, "%s", store_errmsg(st));
	cr_assert_eq(n, 2);
	cr_expect_eq(ids[0], a1, "in the order they were due");
	cr_expect_eq(ids[1], a2);

	cr_assert_eq(store_article_get(st, &ar, a1, &art), STORE_OK);
	cr_expect_eq(art.status, ARTICLE_PUBLISHED);
	cr_expect_eq(art.published_at, T0 - 200, "published at the scheduled time");
	cr_expect_eq(art.approved_at, T0 - 200);
	cr_expect_eq(art.scheduled_at, 0);
	cr_assert_eq(store_article_get(st, &ar, a3, &art), STORE_OK);
	cr_expect_eq(art.status, ARTICLE_SCHEDULED, "not due yet");
	cr_assert_eq(store_article_get(st, &ar, d, &art), STORE_OK);
	cr_expect_eq(art.status, ARTICLE_DRAFT);

	{
		char e1[64], e2[64];
		const char *f = found("해돋이축제");

		snprintf(e1, sizeof e1, "%lld,%lld", (long long)a1, (long long)a2);
		snprintf(e2, sizeof e2, "%lld,%lld", (long long)a2, (long long)a1);
		cr_expect(strcmp(f, e1) == 0 || strcmp(f, e2) == 0, "searchable: %s", f);
	}
	memset(&q, 0, sizeof q);
	q.status = ARTICLE_PUBLISHED;
	q.limit = 10;
	cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK);
	cr_assert_eq(l.n, 2);
	cr_expect_eq(l.items[0].id, a2, "newest first on the site");

	cr_assert_eq(store_articles_publish_due(st, T0 + 60, ids, 8, &n), STORE_OK);
	cr_expect_eq(n, 0, "nothing due twice");

	/* At most max a call: every one published is reported, the rest wait. */
	cr_assert_eq(store_article_set_status(st, d, ARTICLE_SCHEDULED, T0 + 3500, 0), STORE_OK);
	cr_assert_eq(store_articles_publish_due(st, T0 + 4000, ids, 1, &n), STORE_OK);
	cr_assert_eq(n, 1);
	cr_expect_eq(ids[0], d);
	cr_assert_eq(store_article_get(st, &ar, a3, &art), STORE_OK);
	cr_expect_eq(art.status, ARTICLE_SCHEDULED);
	cr_assert_eq(store_articles_publish_due(st, T0 + 4000, ids, 1, &n), STORE_OK);
	cr_assert_eq(n, 1);
	cr_expect_eq(ids[0], a3);
	cr_assert_eq(store_article_get(st, &ar, a3, &art), STORE_OK);
	cr_expect_eq(art.status, ARTICLE_PUBLISHED);
	cr_expect_eq(art.published_at, T0 + 3600);
}

Test(store_newsroom, publish_due_is_one_transaction)
{
	int64_t a1, ids[4];
	int n;

	a1 = article("롤백 시험", ARTICLE_SUBMITTED, KIND_OWN, T0 - 5000);
	cr_assert_eq(store_article_set_status(st, a1, ARTICLE_SCHEDULED, T0 - 10, 0), STORE_OK);
	/* Inside a caller's transaction it joins it: undone with it. */
	cr_assert_eq(store_begin(st), STORE_OK);
	cr_assert_eq(store_articles_publish_due(st, T0, ids, 4, &n), STORE_OK);
	cr_expect_eq(n, 1);
	store_rollback(st);
	cr_expect_str_eq(found("롤백"), "");
	cr_assert_eq(store_articles_publish_due(st, T0, NULL, 0, &n), STORE_OK);
	cr_expect_eq(n, 1, "without ids every due article goes");
	{
		char e[32];

		snprintf(e, sizeof e, "%lld", (long long)a1);
		cr_expect_str_eq(found("롤백"), e);
	}
}

Test(store_newsroom, count_kinds_in_a_week)
{
	int64_t c[KIND__MAX];

	article("자체 1", ARTICLE_PUBLISHED, KIND_OWN, T0);
	article("자체 2", ARTICLE_PUBLISHED, KIND_OWN, T0 + 100);
	article("보도자료", ARTICLE_PUBLISHED, KIND_PRESS_RELEASE, T0 + 200);
	article("광고", ARTICLE_PUBLISHED, KIND_ADVERTORIAL, T0 + 300);
	article("지난주", ARTICLE_PUBLISHED, KIND_OWN, T0 - 86400 * 7);
	article("다음주", ARTICLE_PUBLISHED, KIND_CONTRIBUTION, T0 + 86400 * 7);
	article("초안", ARTICLE_DRAFT, KIND_CONTRIBUTION, T0 + 400);
	cr_assert_eq(store_articles_count_kinds(st, T0, T0 + 86400 * 7, c), STORE_OK);
	cr_expect_eq(c[KIND_OWN], 2);
	cr_expect_eq(c[KIND_PRESS_RELEASE], 1);
	cr_expect_eq(c[KIND_CONTRIBUTION], 0, "neither the draft nor next week");
	cr_expect_eq(c[KIND_ADVERTORIAL], 1);
	cr_assert_eq(store_articles_count_kinds(st, T0 + 86400 * 30, T0 + 86400 * 31, c), STORE_OK);
	cr_expect_eq(c[KIND_OWN] + c[KIND_PRESS_RELEASE] + c[KIND_CONTRIBUTION] + c[KIND_ADVERTORIAL], 0);
}

Test(store_newsroom, desk_note_round_trip)
{
	struct article_list l;
	struct article_query q;
	struct article art;
	int64_t a1;

	a1 = article("반려될 기사", ARTICLE_SUBMITTED, KIND_OWN, T0);
	cr_assert_eq(store_article_get(st, &ar, a1, &art), STORE_OK);
	cr_expect_str_eq(art.desk_note, "");
	cr_expect_str_eq(art.body, "<p>본문입니다.</p>", "the body still reads after the note column");
	cr_assert_eq(store_article_set_desk_note(st, a1, "출처를 밝혀 주세요."), STORE_OK);
	cr_assert_eq(store_article_get(st, &ar, a1, &art), STORE_OK);
	cr_expect_str_eq(art.desk_note, "출처를 밝혀 주세요.");
	memset(&q, 0, sizeof q);
	q.status = -1;
	q.limit = 10;
	cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK);
	cr_assert_eq(l.n, 1);
	cr_expect_str_eq(l.items[0].desk_note, "출처를 밝혀 주세요.");
	cr_assert_eq(store_article_set_desk_note(st, a1, ""), STORE_OK);
	cr_assert_eq(store_article_get(st, &ar, a1, &art), STORE_OK);
	cr_expect_str_eq(art.desk_note, "");
	cr_expect_eq(store_article_set_desk_note(st, 999999, "x"), STORE_NOTFOUND);
}

Test(store_newsroom, list_orders)
{
	struct article_list l;
	struct article_query q;
	int64_t a1, a2, a3;

	a1 = article("하나", ARTICLE_SUBMITTED, KIND_OWN, T0 + 300);
	a2 = article("둘", ARTICLE_SUBMITTED, KIND_OWN, T0 + 100);
	a3 = article("셋", ARTICLE_SUBMITTED, KIND_OWN, T0 + 200);
	memset(&q, 0, sizeof q);
	q.status = ARTICLE_SUBMITTED;
	q.limit = 10;
	q.order = ORDER_UPDATED;
	cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK);
	cr_assert_eq(l.n, 3);
	cr_expect_eq(l.items[0].id, a1);
	cr_expect_eq(l.items[1].id, a3);
	cr_expect_eq(l.items[2].id, a2);

	/* Scheduled: soonest first, whatever the last change. */
	cr_assert_eq(store_article_set_status(st, a1, ARTICLE_SCHEDULED, T0 + 9000, 0), STORE_OK);
	cr_assert_eq(store_article_set_status(st, a2, ARTICLE_SCHEDULED, T0 + 7000, 0), STORE_OK);
	cr_assert_eq(store_article_set_status(st, a3, ARTICLE_SCHEDULED, T0 + 8000, 0), STORE_OK);
	q.status = ARTICLE_SCHEDULED;
	q.order = ORDER_SCHEDULED;
	cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK);
	cr_assert_eq(l.n, 3);
	cr_expect_eq(l.items[0].id, a2);
	cr_expect_eq(l.items[1].id, a3);
	cr_expect_eq(l.items[2].id, a1);
	cr_expect_eq(l.items[0].scheduled_at, T0 + 7000);
}

Test(store_newsroom, section_update)
{
	struct section *v;
	int64_t s2;
	int n;

	cr_assert_eq(store_section_put(st, "economy", "경제", 2, &s2), STORE_OK);
	cr_assert_eq(store_section_update(st, s2, "경제·산업", 0), STORE_OK);
	cr_assert_eq(store_sections_list(st, &ar, &v, &n), STORE_OK);
	cr_assert_eq(n, 2);
	cr_expect_eq(v[0].id, s2, "moved first");
	cr_expect_str_eq(v[0].name, "경제·산업");
	cr_expect_str_eq(v[0].slug, "economy", "the address stays");
	cr_expect_eq(store_section_update(st, 999999, "없음", 1), STORE_NOTFOUND);
}
