/*
 * test_admin_articles.c - the newsroom's article pages over HTTP against
 * the real binary: every role x workflow action (allowed 303, refused 403
 * or 409, and the state in the database to match), a reporter's crafted
 * publish, CSRF refusal, the version conflict, validation with the
 * writer's text kept, the sanitizer on the way in, the summary made from
 * the body, the page cache moving on publish and unpublish, scheduling,
 * the desk's note, audit rows, preview, and who sees which articles.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include <sqlite3.h>

#include "core/buf.h"
#include "testutil.h"

enum { REP, REP2, EDITOR, ADMIN, NROLES };

static const struct tu_account people[NROLES + 1] = {
	{ "rep1@test.kr", "김기자", "reporter" },
	{ "rep2@test.kr", "박기자", "reporter" },
	{ "desk@test.kr", "이데스크", "editor" },
	{ "boss@test.kr", "최관리", "admin" },
	{ NULL, NULL, NULL },
};

#define PASSWORD "test-password-12345"

static struct test_server srv;
static char dbpath[128];
static struct tu_session sess[NROLES];

static void
start(void)
{
	const char *extra[] = { "--demo", NULL };
	int i;

	tu_tmp_path(dbpath, sizeof dbpath, ".db");
	cr_assert_eq(tu_server_start(&srv, dbpath, extra), 0, "server did not start (binary %s)", tu_bin());
	tu_users_add(dbpath, people, PASSWORD);
	for (i = 0; i < NROLES; i++)
		tu_login_ok(srv.port, people[i].email, PASSWORD, &sess[i]);
}

static void
stop(void)
{
	tu_server_stop(&srv);
	tu_rm_db(dbpath);
}

/* ---- the database, read beside the server ---- */

static sqlite3 *
db_open(void)
{
	sqlite3 *h;

	cr_assert_eq(sqlite3_open_v2(dbpath, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	return h;
}

/* The integer the query gives for id (-1 when no row). */
static long long
db_int(const char *sql, long long id)
{
	return tu_db_int(dbpath, sql, id);
}

/* The text the query gives for id, into a static buffer ("" when none). */
static const char *
db_text(const char *sql, long long id)
{
	return tu_db_text(dbpath, sql, id);
}

static const char *
status_of(long long id)
{
	return db_text("SELECT status FROM article WHERE id = ?1", id);
}

static int
version_of(long long id)
{
	return (int)db_int("SELECT version FROM article WHERE id = ?1", id);
}

static long long
person_id(int who)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT id FROM person WHERE email = '%s'", people[who].email);
	return db_int(sql, 0);
}

/* ---- requests ---- */

static void
form_start(struct buf *b, int who)
{
	buf_init(b, 8u << 20);
	if (who >= 0)
		tu_form_add(b, "csrf", sess[who].csrf);
}

/* A request as who (-1: no session); the response is the caller's. */
static long
req(int who, const char *method, const char *path, const struct buf *body, struct tu_response *r)
{
	return tu_request(srv.port, who >= 0 ? &sess[who] : NULL, method, path, body ? body->p : NULL,
	    body ? body->len : 0, r);
}

static long
get(int who, const char *path, struct tu_response *r)
{
	return req(who, "GET", path, NULL, r);
}

/* The fields of a valid article. */
static void
article_fields(struct buf *b, const char *headline, const char *section)
{
	tu_form_add(b, "headline", headline);
	tu_form_add(b, "subtitle1", "부제 하나");
	tu_form_add(b, "section", section);
	tu_form_add(b, "kind", "own");
	tu_form_add(b, "tags", "시험, 뉴스룸");
	tu_form_add(b, "summary", "");
	tu_form_add(b, "body", "<p>본문 첫 문장입니다. 다음 문장도 있습니다.</p><p>둘째 문단.</p>");
	tu_form_add(b, "slug", "");
	tu_form_add(b, "source_note", "");
}

/* The article id in a 303's Location: /admin/articles/ID?... */
static long long
location_id(const struct tu_response *r)
{
	const char *p = strstr(r->headers.p ? r->headers.p : "", "/admin/articles/");

	return p ? strtoll(p + 16, NULL, 10) : -1;
}

/* Creates a draft as who; its id. */
static long long
create(int who, const char *headline, const char *section)
{
	struct buf b;
	struct tu_response r;
	long long id;

	form_start(&b, who);
	article_fields(&b, headline, section);
	cr_assert_eq(req(who, "POST", "/admin/articles", &b, &r), 303, "create as %s: %ld %s",
	    people[who].email, r.status, r.body.p);
	id = location_id(&r);
	cr_assert_gt(id, 0);
	tu_response_free(&r);
	buf_free(&b);
	return id;
}

/* Saves the article's content as who with the given version. */
static long
edit(int who, long long id, const char *headline, int version, struct tu_response *r)
{
	struct buf b;
	char path[64], v[16];
	long status;

	form_start(&b, who);
	article_fields(&b, headline, "society");
	snprintf(v, sizeof v, "%d", version);
	tu_form_add(&b, "version", v);
	snprintf(path, sizeof path, "/admin/articles/%lld", id);
	status = req(who, "POST", path, &b, r);
	buf_free(&b);
	return status;
}

static long
edit_status(int who, long long id, const char *headline)
{
	struct tu_response r;
	long status = edit(who, id, headline, version_of(id), &r);

	tu_response_free(&r);
	return status;
}

/* A workflow action as who with the stored version and one extra field
 * (name may be NULL). */
static long
action(int who, long long id, const char *act, const char *name, const char *value)
{
	struct buf b;
	struct tu_response r;
	char path[96], v[16];
	long status;

	form_start(&b, who);
	snprintf(v, sizeof v, "%d", version_of(id));
	tu_form_add(&b, "version", v);
	if (name)
		tu_form_add(&b, name, value);
	snprintf(path, sizeof path, "/admin/articles/%lld/%s", id, act);
	status = req(who, "POST", path, &b, &r);
	tu_response_free(&r);
	buf_free(&b);
	return status;
}

/* "YYYY-MM-DDTHH:MM" in Seoul, delta seconds from now. */
static const char *
seoul_local(long delta)
{
	static char out[32];
	time_t t = time(NULL) + delta + 9 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, sizeof out, "%Y-%m-%dT%H:%M", &tm);
	return out;
}

static long
schedule(int who, long long id)
{
	return action(who, id, "schedule", "at", seoul_local(2 * 3600));
}

static long
return_(int who, long long id)
{
	return action(who, id, "return", "note", "사실 확인이 더 필요합니다.");
}

/* ---- every role x action ---- */

enum act { A_CREATE, A_EDIT_OWN, A_EDIT_OTHER, A_SUBMIT, A_PUBLISH, A_SCHEDULE, A_RETURN, A_UNPUBLISH };
enum state { S_DRAFT, S_SUBMITTED, S_PUBLISHED };

static const struct role_case {
	enum act    act;
	const char *name;
	enum state  state;        /* the article's status before the action */
	long        expect[NROLES];
	const char *after;        /* status when allowed */
} role_cases[] = {
	{ A_CREATE, "create", S_DRAFT, { 303, 303, 303, 303 }, "draft" },
	{ A_EDIT_OWN, "edit own draft", S_DRAFT, { 303, 303, 303, 303 }, "draft" },
	{ A_EDIT_OTHER, "edit someone else's draft", S_DRAFT, { 403, 403, 303, 303 }, "draft" },
	{ A_EDIT_OTHER, "edit someone else's published", S_PUBLISHED, { 403, 403, 303, 303 }, "published" },
	{ A_SUBMIT, "submit", S_DRAFT, { 303, 403, 303, 303 }, "submitted" },
	{ A_SUBMIT, "submit a submitted", S_SUBMITTED, { 409, 403, 409, 409 }, NULL },
	{ A_PUBLISH, "publish", S_SUBMITTED, { 403, 403, 303, 303 }, "published" },
	{ A_PUBLISH, "publish a published", S_PUBLISHED, { 403, 403, 409, 409 }, NULL },
	{ A_SCHEDULE, "schedule", S_SUBMITTED, { 403, 403, 303, 303 }, "scheduled" },
	{ A_RETURN, "return", S_SUBMITTED, { 403, 403, 303, 303 }, "draft" },
	{ A_RETURN, "return a draft", S_DRAFT, { 403, 403, 409, 409 }, NULL },
	{ A_UNPUBLISH, "unpublish", S_PUBLISHED, { 403, 403, 303, 303 }, "unpublished" },
	{ A_UNPUBLISH, "unpublish a draft", S_DRAFT, { 403, 403, 409, 409 }, NULL },
};

/* An article of owner in state. */
static long long
prepare(int owner, enum state state)
{
	long long id = create(owner, "권한 시험 기사", "society");

	if (state >= S_SUBMITTED)
		cr_assert_eq(action(owner, id, "submit", NULL, NULL), 303);
	if (state >= S_PUBLISHED)
		cr_assert_eq(action(EDITOR, id, "publish", NULL, NULL), 303);
	return id;
}

Test(admin_articles, role_x_action, .init = start, .fini = stop, .timeout = 180)
{
	size_t i;
	int who;

	for (i = 0; i < sizeof role_cases / sizeof role_cases[0]; i++) {
		const struct role_case *rc = &role_cases[i];

		for (who = 0; who < NROLES; who++) {
			long long id = 0, audits;
			const char *before;
			long got = 0;
			int owner = rc->act == A_EDIT_OWN ? who : rc->act == A_EDIT_OTHER && who == REP ? REP2 : REP;

			if (rc->act == A_CREATE) {
				struct buf b;
				struct tu_response r;

				form_start(&b, who);
				article_fields(&b, "새로 쓰는 기사", "politics");
				got = req(who, "POST", "/admin/articles", &b, &r);
				id = location_id(&r);
				tu_response_free(&r);
				buf_free(&b);
				cr_expect_eq(got, rc->expect[who], "%s as %s: %ld", rc->name, people[who].role, got);
				cr_expect_str_eq(status_of(id), "draft");
				cr_expect_eq(db_int("SELECT person_id FROM article_byline WHERE article_id = ?1 "
				    "AND position = 0", id), person_id(who), "the creator is bylines[0]");
				continue;
			}
			id = prepare(owner, rc->state);
			before = strdup(status_of(id));
			audits = db_int("SELECT count(*) FROM audit WHERE article_id = ?1", id);
			switch (rc->act) {
			case A_EDIT_OWN:
			case A_EDIT_OTHER:
				got = edit_status(who, id, "고친 제목");
				break;
			case A_SUBMIT:
				got = action(who, id, "submit", NULL, NULL);
				break;
			case A_PUBLISH:
				got = action(who, id, "publish", NULL, NULL);
				break;
			case A_SCHEDULE:
				got = schedule(who, id);
				break;
			case A_RETURN:
				got = return_(who, id);
				break;
			case A_UNPUBLISH:
				got = action(who, id, "unpublish", NULL, NULL);
				break;
			default:
				cr_assert_fail();
			}
			cr_expect_eq(got, rc->expect[who], "%s as %s (%s): got %ld", rc->name, people[who].role,
			    people[who].email, got);
			if (got == 303) {
				cr_expect_str_eq(status_of(id), rc->after, "%s as %s", rc->name, people[who].role);
				cr_expect_eq(db_int("SELECT count(*) FROM audit WHERE article_id = ?1", id), audits + 1,
				    "%s as %s is audited", rc->name, people[who].role);
				if (rc->act == A_EDIT_OWN || rc->act == A_EDIT_OTHER)
					cr_expect_str_eq(db_text("SELECT headline FROM article WHERE id = ?1", id), "고친 제목");
			} else {
				/* Refused: nothing changed, nothing audited. */
				cr_expect_str_eq(status_of(id), before, "%s as %s left it", rc->name, people[who].role);
				cr_expect_eq(db_int("SELECT count(*) FROM audit WHERE article_id = ?1", id), audits);
				cr_expect_str_eq(db_text("SELECT headline FROM article WHERE id = ?1", id), "권한 시험 기사");
			}
			free((void *)before);
		}
	}
}

/* ---- refusals that change nothing ---- */

Test(admin_articles, crafted_publish_and_missing_csrf, .init = start, .fini = stop, .timeout = 60)
{
	struct buf b;
	struct tu_response r;
	char path[96], v[16];
	long long id = create(REP, "몰래 발행하려는 기사", "society");
	int version;

	cr_assert_eq(action(REP, id, "submit", NULL, NULL), 303);
	version = version_of(id);

	/* A reporter's hand-made publish request. */
	cr_expect_eq(action(REP, id, "publish", NULL, NULL), 403);
	cr_expect_str_eq(status_of(id), "submitted");
	cr_expect_eq(db_int("SELECT count(*) FROM audit WHERE article_id = ?1 AND action = 'publish'", id), 0);
	cr_expect_eq(db_int("SELECT published_at IS NULL FROM article WHERE id = ?1", id), 1);

	/* The desk, but without the CSRF token: refused, nothing changes. */
	buf_init(&b, 1 << 16);
	snprintf(v, sizeof v, "%d", version);
	tu_form_add(&b, "version", v);
	snprintf(path, sizeof path, "/admin/articles/%lld/publish", id);
	cr_expect_eq(req(EDITOR, "POST", path, &b, &r), 403);
	tu_response_free(&r);
	/* ... or with another session's token. */
	buf_reset(&b);
	tu_form_add(&b, "csrf", sess[REP].csrf);
	tu_form_add(&b, "version", v);
	cr_expect_eq(req(EDITOR, "POST", path, &b, &r), 403);
	tu_response_free(&r);
	/* A save without the token. */
	buf_reset(&b);
	article_fields(&b, "토큰 없이 고친 제목", "society");
	tu_form_add(&b, "version", v);
	snprintf(path, sizeof path, "/admin/articles/%lld", id);
	cr_expect_eq(req(EDITOR, "POST", path, &b, &r), 403);
	tu_response_free(&r);
	buf_free(&b);
	cr_expect_str_eq(status_of(id), "submitted");
	cr_expect_eq(version_of(id), version);
	cr_expect_str_eq(db_text("SELECT headline FROM article WHERE id = ?1", id), "몰래 발행하려는 기사");

	/* Without a session at all: to the login page. */
	cr_expect_eq(get(-1, "/admin/articles", &r), 303);
	tu_response_free(&r);
	/* A GET on an action is not an action. */
	snprintf(path, sizeof path, "/admin/articles/%lld/publish", id);
	cr_expect_eq(get(EDITOR, path, &r), 405);
	tu_response_free(&r);
	cr_expect_str_eq(status_of(id), "submitted");
}

/* ---- two people, one article ---- */

Test(admin_articles, version_conflict, .init = start, .fini = stop, .timeout = 60)
{
	struct tu_response r;
	char hidden[32];
	long long id = create(REP, "처음 제목", "society");
	int v0 = version_of(id);

	/* The reporter saves first from version v0 ... */
	cr_assert_eq(edit(REP, id, "기자가 먼저 저장한 제목", v0, &r), 303);
	tu_response_free(&r);
	/* ... then the desk, whose form also says v0. */
	cr_assert_eq(edit(EDITOR, id, "데스크가 고친 제목", v0, &r), 409, "%s", r.body.p);
	cr_expect(strstr(r.body.p, "다른 사람이 먼저 이 기사를 저장했습니다") != NULL);
	/* The other save's values, who made it ... */
	cr_expect(strstr(r.body.p, "기자가 먼저 저장한 제목") != NULL, "the stored headline is shown");
	cr_expect(strstr(r.body.p, "김기자") != NULL, "who saved it");
	cr_expect(strstr(r.body.p, "nr-differs") != NULL, "differing fields are marked");
	/* ... and this user's own text, still in the form. */
	cr_expect(strstr(r.body.p, "value=\"데스크가 고친 제목\"") != NULL, "the user's headline is kept");
	cr_expect(strstr(r.body.p, "본문 첫 문장입니다") != NULL, "the user's body is kept");
	/* The overwrite is a button of its own, on the stored version. */
	cr_expect(strstr(r.body.p, "내 글로 덮어쓰기") != NULL);
	cr_assert_eq(tu_form_value(r.body.p, "version", hidden, sizeof hidden), 0);
	cr_expect_eq(strtol(hidden, NULL, 10), version_of(id));
	tu_response_free(&r);
	/* Nothing was overwritten. */
	cr_expect_str_eq(db_text("SELECT headline FROM article WHERE id = ?1", id), "기자가 먼저 저장한 제목");

	/* Overwriting deliberately, with the version the conflict page gave. */
	cr_expect_eq(edit(EDITOR, id, "데스크가 고친 제목", (int)strtol(hidden, NULL, 10), &r), 303);
	tu_response_free(&r);
	cr_expect_str_eq(db_text("SELECT headline FROM article WHERE id = ?1", id), "데스크가 고친 제목");
	cr_expect_eq(db_int("SELECT count(*) FROM revision WHERE article_id = ?1", id), 3,
	    "a revision per save");

	/* The desk publishes while the reporter still types: the reporter's
	 * save is refused (403), but the text comes back. */
	{
		int v1 = version_of(id);

		cr_assert_eq(action(EDITOR, id, "publish", NULL, NULL), 303);
		cr_expect_eq(edit(REP, id, "기자가 늦게 고친 제목", v1, &r), 403);
		cr_expect(strstr(r.body.p, "value=\"기자가 늦게 고친 제목\"") != NULL, "the late text is kept: %s", r.body.p);
		cr_expect(strstr(r.body.p, "본문 첫 문장입니다") != NULL);
		tu_response_free(&r);
		cr_expect_str_eq(db_text("SELECT headline FROM article WHERE id = ?1", id), "데스크가 고친 제목");
		cr_assert_eq(action(EDITOR, id, "unpublish", NULL, NULL), 303);
		cr_assert_eq(action(EDITOR, id, "publish", NULL, NULL), 303);
	}

	/* A workflow action on an old version is refused too. */
	{
		struct buf b;
		char v[16], path[96];

		form_start(&b, EDITOR);
		snprintf(v, sizeof v, "%d", v0);
		tu_form_add(&b, "version", v);
		snprintf(path, sizeof path, "/admin/articles/%lld/unpublish", id);
		cr_expect_eq(req(EDITOR, "POST", path, &b, &r), 409);
		tu_response_free(&r);
		buf_free(&b);
		cr_expect_str_eq(status_of(id), "published");
	}
}

/* ---- validation ---- */

static long
post_new(int who, struct buf *b, struct tu_response *r)
{
	return req(who, "POST", "/admin/articles", b, r);
}

Test(admin_articles, validation_keeps_the_text, .init = start, .fini = stop, .timeout = 60)
{
	struct buf b, head;
	struct tu_response r;
	long long n0 = db_int("SELECT count(*) FROM article WHERE ?1 = ?1", 0);
	int i;

	/* 201 characters of Hangul. */
	buf_init(&head, 4096);
	for (i = 0; i < 201; i++)
		buf_puts(&head, "가");
	form_start(&b, REP);
	tu_form_add(&b, "headline", head.p);
	tu_form_add(&b, "section", "society");
	tu_form_add(&b, "kind", "own");
	tu_form_add(&b, "body", "<p>이 본문은 그대로 돌아와야 합니다. 한 글자도 잃지 않고.</p>");
	cr_expect_eq(post_new(REP, &b, &r), 422);
	cr_expect(strstr(r.body.p, "제목은 200자 이내로 써 주세요.") != NULL);
	cr_expect(strstr(r.body.p, "nr-field-error") != NULL, "the message is beside the field");
	cr_expect(strstr(r.body.p, "nr-errors") != NULL, "and summed up at the top");
	cr_expect(strstr(r.body.p, "이 본문은 그대로 돌아와야 합니다. 한 글자도 잃지 않고.") != NULL,
	    "the body comes back");
	cr_expect(strstr(r.body.p, head.p) != NULL, "the headline comes back as typed");
	tu_response_free(&r);
	buf_free(&b);
	/* 200 is fine. */
	buf_reset(&head);
	for (i = 0; i < 200; i++)
		buf_puts(&head, "가");
	form_start(&b, REP);
	article_fields(&b, head.p, "society");
	cr_expect_eq(post_new(REP, &b, &r), 303);
	tu_response_free(&r);
	buf_free(&b);
	buf_free(&head);
	n0++;

	/* No section. */
	form_start(&b, REP);
	article_fields(&b, "섹션 없는 기사", "");
	cr_expect_eq(post_new(REP, &b, &r), 422);
	cr_expect(strstr(r.body.p, "섹션을 골라 주세요.") != NULL);
	cr_expect(strstr(r.body.p, "value=\"섹션 없는 기사\"") != NULL);
	tu_response_free(&r);
	buf_free(&b);
	/* A section that does not exist. */
	form_start(&b, REP);
	article_fields(&b, "없는 섹션 기사", "no-such-section");
	cr_expect_eq(post_new(REP, &b, &r), 422);
	cr_expect(strstr(r.body.p, "없는 섹션입니다.") != NULL);
	tu_response_free(&r);
	buf_free(&b);

	/* A press release without its source. */
	form_start(&b, REP);
	tu_form_add(&b, "headline", "보도자료 기사");
	tu_form_add(&b, "section", "economy");
	tu_form_add(&b, "kind", "press-release");
	tu_form_add(&b, "source_note", "");
	tu_form_add(&b, "body", "<p>시청이 알려 왔다.</p>");
	cr_expect_eq(post_new(REP, &b, &r), 422);
	cr_expect(strstr(r.body.p, "보도자료는 뉴스출처(기관명)를 밝혀야 합니다.") != NULL);
	tu_response_free(&r);
	buf_free(&b);

	/* Other limits: a bad slug, a bad kind, a long subtitle, too many tags. */
	form_start(&b, REP);
	tu_form_add(&b, "headline", "여러 오류");
	tu_form_add(&b, "section", "society");
	tu_form_add(&b, "slug", "Bad Slug!");
	tu_form_add(&b, "kind", "gossip");
	tu_form_add(&b, "subtitle2", "가나다라마바사아자차카타파하가나다라마바사아자차카타파하가나다라마바사아자차카타파하"
	    "가나다라마바사아자차카타파하가나다라마바사아자차카타파하가나다라마바사아자차카타파하가나다라마바사아자차카타파하"
	    "가나다라마바사아자차카타파하가나다라마바사아자차카타파하가나다라마바사아자차카타파하가나다라마바사아자차카타파하"
	    "가나다라마바사아자차카타파하가나다라마바사아자차카타파하가나다라마바사아자차카타파하가나다라마바사아자차카타파하");
	cr_expect_eq(post_new(REP, &b, &r), 422);
	cr_expect(strstr(r.body.p, "영문 소문자") != NULL);
	cr_expect(strstr(r.body.p, "기사 종류를 골라 주세요.") != NULL);
	cr_expect(strstr(r.body.p, "부제는 200자 이내로 써 주세요.") != NULL);
	cr_expect(strstr(r.body.p, "value=\"Bad Slug!\"") != NULL, "the bad slug comes back to be fixed");
	tu_response_free(&r);
	buf_free(&b);
	form_start(&b, REP);
	tu_form_add(&b, "headline", "태그가 많은 기사");
	tu_form_add(&b, "section", "society");
	tu_form_add(&b, "kind", "own");
	tu_form_add(&b, "tags", "a1,a2,a3,a4,a5,a6,a7,a8,a9,a10,a11,a12,a13,a14,a15,a16,a17,a18,a19,a20,a21");
	cr_expect_eq(post_new(REP, &b, &r), 422);
	cr_expect(strstr(r.body.p, "태그는 20개까지") != NULL);
	tu_response_free(&r);
	buf_free(&b);

	cr_expect_eq(db_int("SELECT count(*) FROM article WHERE ?1 = ?1", 0), n0, "nothing refused was stored");
}

Test(admin_articles, body_sanitized_summary_made_byline_kept, .init = start, .fini = stop, .timeout = 60)
{
	struct buf b;
	struct tu_response r;
	long long id;
	const char *body;

	form_start(&b, REP);
	tu_form_add(&b, "headline", "위험한 본문");
	tu_form_add(&b, "section", "society");
	tu_form_add(&b, "kind", "own");
	tu_form_add(&b, "summary", "");
	tu_form_add(&b, "body", "<p>첫 문장은 이것입니다. 둘째 문장도 있습니다.</p><script>alert(1)</script>"
	    "<img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">링크</a><p style=\"x\" onclick=\"y\">끝</p>");
	/* A reporter's byline fields are ignored. */
	tu_form_add(&b, "display_byline", "가짜 바이라인");
	{
		char id_s[32];

		snprintf(id_s, sizeof id_s, "%lld", person_id(EDITOR));
		tu_form_add(&b, "coauthors", id_s);
	}
	cr_assert_eq(post_new(REP, &b, &r), 303, "%s", r.body.p);
	id = location_id(&r);
	tu_response_free(&r);
	buf_free(&b);

	body = db_text("SELECT body FROM article_body WHERE article_id = ?1", id);
	cr_expect(strstr(body, "첫 문장은 이것입니다.") != NULL, "%s", body);
	cr_expect(strstr(body, "<script") == NULL, "%s", body);
	cr_expect(strstr(body, "alert(1)") == NULL, "%s", body);
	cr_expect(strstr(body, "onerror") == NULL, "%s", body);
	cr_expect(strstr(body, "javascript:") == NULL, "%s", body);
	cr_expect(strstr(body, "onclick") == NULL && strstr(body, "style") == NULL, "%s", body);
	cr_expect(strncmp(db_text("SELECT summary FROM article WHERE id = ?1", id), "첫 문장은 이것입니다.",
	    strlen("첫 문장은 이것입니다.")) == 0, "summary made from the body: %s",
	    db_text("SELECT summary FROM article WHERE id = ?1", id));
	cr_expect_str_eq(db_text("SELECT display_byline FROM article WHERE id = ?1", id), "");
	cr_expect_eq(db_int("SELECT count(*) FROM article_byline WHERE article_id = ?1", id), 1);

	/* The desk may add a co-author and a display byline. */
	form_start(&b, EDITOR);
	article_fields(&b, "위험한 본문", "society");
	tu_form_add(&b, "display_byline", "봄내일보 기자");
	{
		char id_s[32], v[16];

		snprintf(id_s, sizeof id_s, "%lld", person_id(REP2));
		tu_form_add(&b, "coauthors", id_s);
		snprintf(v, sizeof v, "%d", version_of(id));
		tu_form_add(&b, "version", v);
	}
	{
		char path[64];

		snprintf(path, sizeof path, "/admin/articles/%lld", id);
		cr_expect_eq(req(EDITOR, "POST", path, &b, &r), 303);
	}
	tu_response_free(&r);
	buf_free(&b);
	cr_expect_str_eq(db_text("SELECT display_byline FROM article WHERE id = ?1", id), "봄내일보 기자");
	cr_expect_eq(db_int("SELECT person_id FROM article_byline WHERE article_id = ?1 AND position = 1", id),
	    person_id(REP2));
	cr_expect_eq(db_int("SELECT person_id FROM article_byline WHERE article_id = ?1 AND position = 0", id),
	    person_id(REP), "the author stays first");
}

/* ---- publishing, the site, the desk's note, the audit log ---- */

static int
site_has(const char *path, const char *needle)
{
	struct tu_response r;
	int found;

	cr_assert_eq(get(-1, path, &r), 200, "%s", path);
	found = strstr(r.body.p, needle) != NULL;
	tu_response_free(&r);
	return found;
}

Test(admin_articles, publish_schedule_return_unpublish, .init = start, .fini = stop, .timeout = 90)
{
	const char *headline = "사회적경제 기금 첫 집행 발표";
	struct tu_response r;
	char path[96];
	long long id = create(REP, headline, "economy");

	/* Warm the page cache with the article absent. */
	cr_expect(!site_has("/", headline));
	cr_expect(!site_has("/sections/economy", headline));

	cr_assert_eq(action(REP, id, "submit", NULL, NULL), 303);

	/* Returned with a note: required, at most 1000 characters. */
	cr_expect_eq(action(EDITOR, id, "return", "note", "  "), 422);
	{
		struct buf longnote;
		int i;

		buf_init(&longnote, 1 << 16);
		for (i = 0; i < 1001; i++)
			buf_puts(&longnote, "가");
		cr_expect_eq(action(EDITOR, id, "return", "note", longnote.p), 422);
		/* Refused, the editor comes back with the note as typed and the
		 * message beside its field. */
		{
			struct buf b;
			char v[16];

			form_start(&b, EDITOR);
			snprintf(v, sizeof v, "%d", version_of(id));
			tu_form_add(&b, "version", v);
			tu_form_add(&b, "note", longnote.p);
			snprintf(path, sizeof path, "/admin/articles/%lld/return", id);
			cr_expect_eq(req(EDITOR, "POST", path, &b, &r), 422);
			cr_expect(strstr(r.body.p, longnote.p) != NULL, "the typed note is kept");
			cr_expect(strstr(r.body.p, "id=\"e-note\"") != NULL, "the error is beside the note");
			cr_expect(strstr(r.body.p, "name=\"headline\"") != NULL, "it is the editor");
			tu_response_free(&r);
			buf_free(&b);
		}
		buf_free(&longnote);
	}
	cr_expect_str_eq(status_of(id), "submitted");
	cr_expect_eq(return_(EDITOR, id), 303);
	cr_expect_str_eq(status_of(id), "draft");
	cr_expect_str_eq(db_text("SELECT desk_note FROM article WHERE id = ?1", id), "사실 확인이 더 필요합니다.");
	snprintf(path, sizeof path, "/admin/articles/%lld", id);
	cr_expect_eq(get(REP, path, &r), 200);
	cr_expect(strstr(r.body.p, "사실 확인이 더 필요합니다.") != NULL, "the reporter sees the desk's note");
	tu_response_free(&r);
	cr_expect_eq(action(REP, id, "submit", NULL, NULL), 303);

	/* Scheduling: the time must be in the future, and well-formed. */
	cr_expect_eq(action(EDITOR, id, "schedule", "at", seoul_local(-3600)), 422);
	cr_expect_eq(action(EDITOR, id, "schedule", "at", "내일 아침"), 422);
	cr_expect_str_eq(status_of(id), "submitted");
	cr_expect_eq(action(EDITOR, id, "schedule", "at", seoul_local(3 * 3600)), 303);
	cr_expect_str_eq(status_of(id), "scheduled");
	{
		long long at = db_int("SELECT scheduled_at FROM article WHERE id = ?1", id);
		long long want = (long long)time(NULL) + 3 * 3600;

		cr_expect(at > want - 120 && at <= want, "scheduled_at %lld, want about %lld", at, want);
	}
	cr_expect(!site_has("/", headline), "a scheduled article is not out yet");

	/* Published: on the front page and its section at the very next
	 * request, past the page cache; the desk's note is gone. */
	cr_expect_eq(action(EDITOR, id, "publish", NULL, NULL), 303);
	cr_expect_str_eq(status_of(id), "published");
	cr_expect(site_has("/", headline), "published article on the front page");
	cr_expect(site_has("/sections/economy", headline), "published article in its section");
	cr_expect_str_eq(db_text("SELECT desk_note FROM article WHERE id = ?1", id), "");
	cr_expect_eq(get(EDITOR, path, &r), 200);
	cr_expect(strstr(r.body.p, "/corrections") != NULL, "a published article offers the correction form");
	cr_expect(strstr(r.body.p, "승인") != NULL);
	tu_response_free(&r);

	/* Unpublished: gone at the next request. */
	cr_expect_eq(action(EDITOR, id, "unpublish", NULL, NULL), 303);
	cr_expect_str_eq(status_of(id), "unpublished");
	cr_expect(!site_has("/", headline), "unpublished article gone from the front page");
	cr_expect(!site_has("/sections/economy", headline), "unpublished article gone from its section");

	/* Every transition is in the audit log, in order, with its detail. */
	{
		sqlite3 *h = db_open();
		sqlite3_stmt *s;
		static const char *const want[] = { "create", "submit", "return", "submit", "schedule", "publish",
			"unpublish" };
		size_t n = 0;

		cr_assert_eq(sqlite3_prepare_v2(h, "SELECT action, detail, person_id FROM audit WHERE article_id = ?1 "
		    "ORDER BY id", -1, &s, NULL), SQLITE_OK);
		sqlite3_bind_int64(s, 1, id);
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *a = (const char *)sqlite3_column_text(s, 0);
			const char *d = (const char *)sqlite3_column_text(s, 1);

			cr_assert_lt(n, sizeof want / sizeof want[0], "extra audit row %s", a);
			cr_expect_str_eq(a, want[n]);
			if (strcmp(a, "return") == 0)
				cr_expect_str_eq(d, "사실 확인이 더 필요합니다.");
			if (strcmp(a, "schedule") == 0)
				cr_expect(d[0] != '\0', "the scheduled time is in the detail");
			cr_expect_eq(sqlite3_column_int64(s, 2), person_id(strcmp(a, "create") == 0 ||
			    strcmp(a, "submit") == 0 ? REP : EDITOR), "who did %s", a);
			n++;
		}
		sqlite3_finalize(s);
		sqlite3_close(h);
		cr_expect_eq(n, sizeof want / sizeof want[0]);
	}
}

/* ---- preview and lists ---- */

Test(admin_articles, preview_is_not_saved, .init = start, .fini = stop, .timeout = 60)
{
	struct buf b;
	struct tu_response r;
	long long n0 = db_int("SELECT count(*) FROM article WHERE ?1 = ?1", 0), id;
	char path[96];

	form_start(&b, REP);
	article_fields(&b, "미리보기로만 보는 제목", "culture");
	cr_expect_eq(req(REP, "POST", "/admin/articles/new/preview", &b, &r), 200);
	cr_expect(strstr(r.body.p, "미리보기로만 보는 제목") != NULL);
	cr_expect(strstr(r.body.p, "본문 첫 문장입니다.") != NULL);
	cr_expect(tu_header_has(&r, "Cache-Control", "no-store"));
	tu_response_free(&r);
	buf_free(&b);
	cr_expect_eq(db_int("SELECT count(*) FROM article WHERE ?1 = ?1", 0), n0);

	/* Of a stored article: the form's text, the stored one untouched. */
	id = create(REP, "저장된 제목", "culture");
	form_start(&b, REP);
	article_fields(&b, "고쳐 보는 제목", "culture");
	snprintf(path, sizeof path, "/admin/articles/%lld/preview", id);
	cr_expect_eq(req(REP, "POST", path, &b, &r), 200);
	cr_expect(strstr(r.body.p, "고쳐 보는 제목") != NULL);
	cr_expect(tu_header_has(&r, "Cache-Control", "no-store"));
	tu_response_free(&r);
	buf_free(&b);
	cr_expect_str_eq(db_text("SELECT headline FROM article WHERE id = ?1", id), "저장된 제목");
	/* Someone else's reporter may not preview through it. */
	form_start(&b, REP2);
	article_fields(&b, "남의 기사 미리보기", "culture");
	cr_expect_eq(req(REP2, "POST", path, &b, &r), 403);
	tu_response_free(&r);
	buf_free(&b);
}

Test(admin_articles, reporters_see_their_own, .init = start, .fini = stop, .timeout = 60)
{
	struct tu_response r;
	char path[64];
	long long mine = create(REP, "김기자의 초안", "society");
	long long theirs = create(REP2, "박기자의 초안", "society");

	cr_expect_eq(get(REP, "/admin/articles", &r), 200);
	cr_expect(strstr(r.body.p, "김기자의 초안") != NULL);
	cr_expect(strstr(r.body.p, "박기자의 초안") == NULL, "another reporter's draft is not listed");
	cr_expect(strstr(r.body.p, "작성 중") != NULL, "status badge in Korean");
	tu_response_free(&r);
	/* ... nor can it be opened. */
	snprintf(path, sizeof path, "/admin/articles/%lld", theirs);
	cr_expect_eq(get(REP, path, &r), 403);
	tu_response_free(&r);
	snprintf(path, sizeof path, "/admin/articles/%lld", mine);
	cr_expect_eq(get(REP, path, &r), 200);
	tu_response_free(&r);

	/* The desk sees both, and the filter works. */
	cr_expect_eq(get(EDITOR, "/admin/articles?status=draft", &r), 200);
	cr_expect(strstr(r.body.p, "김기자의 초안") != NULL);
	cr_expect(strstr(r.body.p, "박기자의 초안") != NULL);
	tu_response_free(&r);
	cr_expect_eq(get(EDITOR, "/admin/articles?status=published", &r), 200);
	cr_expect(strstr(r.body.p, "김기자의 초안") == NULL);
	tu_response_free(&r);
	cr_expect_eq(get(EDITOR, "/admin/articles?status=bogus", &r), 400);
	tu_response_free(&r);
	cr_expect_eq(get(EDITOR, "/admin/articles/99999999", &r), 404);
	tu_response_free(&r);
	cr_expect_eq(get(EDITOR, "/admin/articles/new", &r), 200);
	cr_expect(strstr(r.body.p, "data-rich-editor") != NULL);
	cr_expect(strstr(r.body.p, "name=\"coauthors\"") != NULL, "the desk picks co-authors");
	tu_response_free(&r);
	cr_expect_eq(get(REP, "/admin/articles/new", &r), 200);
	cr_expect(strstr(r.body.p, "name=\"coauthors\"") == NULL, "a reporter does not");
	tu_response_free(&r);
}

/* When the public page's cached form was made (its Last-Modified). */
static void
made_at(const char *path, char *out, size_t len)
{
	struct tu_response r;
	const char *p;

	cr_assert_eq(get(-1, path, &r), 200, "%s", path);
	p = strcasestr(r.headers.p, "last-modified: ");
	cr_assert_not_null(p, "%s: %s", path, r.headers.p);
	snprintf(out, len, "%.*s", (int)strcspn(p + 15, "\r\n"), p + 15);
	tu_response_free(&r);
}

/*
 * A reporter writing, saving, submitting and the desk returning a draft
 * commit on the server's own connections, and none of it shows on the
 * public site: its cached pages stay as they were made.  Publishing
 * shows, and makes them anew at the next request.
 */
Test(admin_articles, newsroom_drafts_leave_the_page_cache_be, .init = start, .fini = stop, .timeout = 60)
{
	const char *paths[] = { "/", "/sections/society" };
	char before[2][64], after[64];
	long long id;
	size_t i;

	for (i = 0; i < 2; i++)
		made_at(paths[i], before[i], sizeof before[i]);
	usleep(1100 * 1000);
	id = create(REP, "마을버스 노선 개편 초안", "society");
	cr_expect_eq(edit_status(REP, id, "마을버스 노선 개편 확정"), 303);
	cr_expect_eq(action(REP, id, "submit", NULL, NULL), 303);
	cr_expect_eq(return_(EDITOR, id), 303);
	cr_expect_eq(action(REP, id, "submit", NULL, NULL), 303);
	for (i = 0; i < 2; i++) {
		made_at(paths[i], after, sizeof after);
		cr_expect_str_eq(after, before[i], "%s made anew for a draft", paths[i]);
	}
	cr_assert_eq(action(EDITOR, id, "publish", NULL, NULL), 303);
	for (i = 0; i < 2; i++) {
		made_at(paths[i], after, sizeof after);
		cr_expect_str_neq(after, before[i], "%s kept after a publication", paths[i]);
	}
	cr_expect(site_has("/sections/society", "마을버스 노선 개편 확정"));
}
