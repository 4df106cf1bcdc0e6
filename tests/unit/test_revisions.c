/*
 * test_revisions.c - revisions (snapshots, the word diff, the revision
 * pages and restore), corrections on the article page, the 입력/승인/수정
 * times, and scheduled publishing by the running server.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "core/buf.h"
#include "news/diff.h"
#include "news/news.h"
#include "store/store.h"
#include "testutil.h"

/* ---- snapshots ---- */

Test(revisions, snapshot_round_trip)
{
	struct arena a = ARENA_INIT;
	struct article art, back;
	char *snap;

	memset(&art, 0, sizeof art);
	art.id = 7;
	art.status = ARTICLE_PUBLISHED;
	art.kind = KIND_PRESS_RELEASE;
	art.section.id = 3;
	art.section.slug = "society";
	art.section.name = "사회";
	art.headline = "시청 앞 광장에 \"첫눈\"";
	art.subtitles[0] = "출근길 빙판 주의";
	art.subtitles[1] = "내일 아침 영하 5도";
	art.nsubtitles = 2;
	art.summary = "첫눈이 내렸다.";
	art.body = "<p>첫눈이 <strong>5cm</strong> 내렸다.</p>\n<p>둘째 문단</p>";
	art.tags[0] = "날씨";
	art.tags[1] = "첫눈";
	art.ntags = 2;
	art.bylines[0].id = 11;
	art.bylines[0].name = "김하늘";
	art.bylines[1].id = 12;
	art.bylines[1].name = "박바다";
	art.nbylines = 2;
	art.display_byline = "";
	art.source_note = "서울시";
	art.slug = "first-snow";
	art.version = 5;

	snap = news_article_snapshot(&a, &art);
	cr_assert_not_null(snap);
	cr_expect_null(strchr(snap, '\n'), "compact: %s", snap);
	cr_expect(strstr(snap, "\"section\":{\"id\":3,\"slug\":\"society\"}") != NULL, "%s", snap);
	cr_expect(strstr(snap, "{\"id\":12,\"name\":\"박바다\"}") != NULL, "%s", snap);
	cr_assert_eq(news_article_from_snapshot(&a, snap, &back), 0);
	cr_expect_str_eq(back.headline, art.headline);
	cr_expect_eq(back.nsubtitles, 2);
	cr_expect_str_eq(back.subtitles[1], "내일 아침 영하 5도");
	cr_expect_str_eq(back.summary, art.summary);
	cr_expect_str_eq(back.body, art.body);
	cr_expect_str_eq(back.body_text, "첫눈이 5cm 내렸다.\n둘째 문단");
	cr_expect_eq(back.section.id, 3);
	cr_expect_str_eq(back.section.slug, "society");
	cr_expect_eq(back.kind, KIND_PRESS_RELEASE);
	cr_expect_eq(back.ntags, 2);
	cr_expect_str_eq(back.tags[1], "첫눈");
	cr_expect_eq(back.nbylines, 2);
	cr_expect_eq(back.bylines[1].id, 12);
	cr_expect_str_eq(back.bylines[0].name, "김하늘");
	cr_expect_str_eq(back.source_note, "서울시");
	cr_expect_str_eq(back.display_byline, "");
	cr_expect_str_eq(back.slug, "first-snow");
	/* Content only: who and where the article is stays the caller's. */
	cr_expect_eq(back.id, 0);
	cr_expect_eq(back.version, 0);
	cr_expect_eq(back.status, 0);
	/* Snapshot of the snapshot: the same text. */
	cr_expect_str_eq(news_article_snapshot(&a, &back), snap);
	arena_free(&a);
}

Test(revisions, snapshot_strict)
{
	static const char *const bad[] = {
		"",
		"not json",
		"[]",
		"{}",
		/* headline a number */
		"{\"headline\":1,\"subtitles\":[],\"summary\":\"\",\"body\":\"<p>x</p>\",\"section\":{\"id\":1,\"slug\":\"a\"},"
		"\"kind\":\"own\",\"tags\":[],\"bylines\":[],\"display_byline\":\"\",\"source_note\":\"\",\"slug\":\"\"}",
		/* unknown kind */
		"{\"headline\":\"h\",\"subtitles\":[],\"summary\":\"\",\"body\":\"<p>x</p>\",\"section\":{\"id\":1,\"slug\":\"a\"},"
		"\"kind\":\"gossip\",\"tags\":[],\"bylines\":[],\"display_byline\":\"\",\"source_note\":\"\",\"slug\":\"\"}",
		/* section id a string */
		"{\"headline\":\"h\",\"subtitles\":[],\"summary\":\"\",\"body\":\"<p>x</p>\",\"section\":{\"id\":\"1\",\"slug\":\"a\"},"
		"\"kind\":\"own\",\"tags\":[],\"bylines\":[],\"display_byline\":\"\",\"source_note\":\"\",\"slug\":\"\"}",
		/* four subtitles */
		"{\"headline\":\"h\",\"subtitles\":[\"a\",\"b\",\"c\",\"d\"],\"summary\":\"\",\"body\":\"<p>x</p>\","
		"\"section\":{\"id\":1,\"slug\":\"a\"},\"kind\":\"own\",\"tags\":[],\"bylines\":[],\"display_byline\":\"\","
		"\"source_note\":\"\",\"slug\":\"\"}",
		/* a tag that is a number */
		"{\"headline\":\"h\",\"subtitles\":[],\"summary\":\"\",\"body\":\"<p>x</p>\",\"section\":{\"id\":1,\"slug\":\"a\"},"
		"\"kind\":\"own\",\"tags\":[3],\"bylines\":[],\"display_byline\":\"\",\"source_note\":\"\",\"slug\":\"\"}",
		/* a byline without an id */
		"{\"headline\":\"h\",\"subtitles\":[],\"summary\":\"\",\"body\":\"<p>x</p>\",\"section\":{\"id\":1,\"slug\":\"a\"},"
		"\"kind\":\"own\",\"tags\":[],\"bylines\":[{\"name\":\"김\"}],\"display_byline\":\"\",\"source_note\":\"\",\"slug\":\"\"}",
		/* no body */
		"{\"headline\":\"h\",\"subtitles\":[],\"summary\":\"\",\"section\":{\"id\":1,\"slug\":\"a\"},"
		"\"kind\":\"own\",\"tags\":[],\"bylines\":[],\"display_byline\":\"\",\"source_note\":\"\",\"slug\":\"\"}",
	};
	static const char good[] =
		"{\"headline\":\"h\",\"subtitles\":[],\"summary\":\"\",\"body\":\"<p>x</p>\",\"section\":{\"id\":1,\"slug\":\"a\"},"
		"\"kind\":\"own\",\"tags\":[],\"bylines\":[{\"id\":2,\"name\":\"김\"}],\"display_byline\":\"\",\"source_note\":\"\",\"slug\":\"\"}";
	struct arena a = ARENA_INIT;
	struct article art;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_expect_eq(news_article_from_snapshot(&a, bad[i], &art), -1, "accepted #%zu: %s", i, bad[i]);
		cr_expect_null(art.headline, "#%zu left fields set", i);
	}
	cr_expect_eq(news_article_from_snapshot(&a, NULL, &art), -1);
	cr_expect_eq(news_article_from_snapshot(&a, good, &art), 0);
	arena_free(&a);
}

/* ---- the diff ---- */

/* The runs as "=text|-text|+text|" for comparing in one assertion. */
static const char *
show(struct arena *a, const struct diff *d)
{
	struct buf b = BUF_INIT;
	const char *s;
	int i;

	for (i = 0; i < d->n; i++)
		buf_printf(&b, "%c%.*s|", d->runs[i].op == DIFF_EQUAL ? '=' : d->runs[i].op == DIFF_INSERT ? '+' : '-',
		    (int)d->runs[i].len, d->runs[i].text);
	s = arena_strdup(a, b.p ? b.p : "");
	buf_free(&b);
	return s;
}

/* Equal and deleted runs give the old text back, equal and inserted the
 * new one: whatever the diff chose, it must not lose or invent text. */
static void
check_rebuild(struct arena *a, const struct diff *d, const char *o, const char *n)
{
	struct buf ob = BUF_INIT, nb = BUF_INIT;
	int i;

	for (i = 0; i < d->n; i++) {
		cr_assert_gt(d->runs[i].len, 0, "empty run");
		if (d->runs[i].op != DIFF_INSERT)
			buf_put(&ob, d->runs[i].text, d->runs[i].len);
		if (d->runs[i].op != DIFF_DELETE)
			buf_put(&nb, d->runs[i].text, d->runs[i].len);
		if (i > 0)
			cr_assert(!(d->runs[i].op == d->runs[i - 1].op && d->runs[i].op == DIFF_EQUAL),
			    "two equal runs in a row");
	}
	cr_assert_str_eq(ob.p ? ob.p : "", o);
	cr_assert_str_eq(nb.p ? nb.p : "", n);
	buf_free(&ob);
	buf_free(&nb);
	(void)a;
}

Test(revisions, diff_words_hangul)
{
	struct arena a = ARENA_INIT;
	struct diff d;
	const char *o = "서울시는 25일 새 교통 정책을 발표했다.";
	const char *n = "서울시는 26일 새 교통 대책을 발표했다고 밝혔다.";

	diff_words(&a, o, n, &d);
	check_rebuild(&a, &d, o, n);
	cr_expect_eq(d.changed, 1);
	cr_expect_eq(d.whole, 0);
	cr_expect_str_eq(show(&a, &d),
	    "=서울시는 |-25일|+26일|= 새 교통 |-정책을 발표했다|+대책을 발표했다고 밝혔다|=.|");
	/* Words replaced one by one read as one phrase replaced. */
	diff_words(&a, "가 나 다 라", "가 A B C 라", &d);
	check_rebuild(&a, &d, "가 나 다 라", "가 A B C 라");
	cr_expect_str_eq(show(&a, &d), "=가 |-나 다|+A B C|= 라|");
	arena_free(&a);
}

Test(revisions, diff_empty_and_same)
{
	struct arena a = ARENA_INIT;
	struct diff d;

	diff_words(&a, "", "", &d);
	cr_expect_eq(d.n, 0);
	cr_expect_eq(d.changed, 0);
	diff_words(&a, NULL, NULL, &d);
	cr_expect_eq(d.n, 0);
	diff_words(&a, "", "새 문장", &d);
	cr_expect_str_eq(show(&a, &d), "+새 문장|");
	cr_expect_eq(d.changed, 1);
	diff_words(&a, "지울 문장", "", &d);
	cr_expect_str_eq(show(&a, &d), "-지울 문장|");
	diff_words(&a, "같은 글 그대로", "같은 글 그대로", &d);
	cr_expect_str_eq(show(&a, &d), "=같은 글 그대로|");
	cr_expect_eq(d.changed, 0);
	diff_lines(&a, "", "", &d);
	cr_expect_eq(d.n, 0);
	diff_lines(&a, "", "첫 문단\n둘째 문단", &d);
	cr_expect_str_eq(show(&a, &d), "+첫 문단\n둘째 문단|");
	/* Punctuation is its own token: one mark changed, not the word. */
	diff_words(&a, "말했다.", "말했다,", &d);
	cr_expect_str_eq(show(&a, &d), "=말했다|-.|+,|");
	arena_free(&a);
}

Test(revisions, diff_lines_paragraphs)
{
	struct arena a = ARENA_INIT;
	struct diff d;
	const char *o = "첫 문단은 그대로다.\n둘째 문단에서 적설량은 5cm였다.\n셋째 문단도 그대로다.";
	const char *n = "첫 문단은 그대로다.\n둘째 문단에서 적설량은 7cm였다.\n셋째 문단도 그대로다.\n넷째 문단이 새로 붙었다.";

	diff_lines(&a, o, n, &d);
	check_rebuild(&a, &d, o, n);
	cr_expect_eq(d.whole, 0);
	cr_expect_str_eq(show(&a, &d), "=첫 문단은 그대로다.\n둘째 문단에서 적설량은 |-5cm였다|+7cm였다|"
	    "=.\n셋째 문단도 그대로다.|+\n넷째 문단이 새로 붙었다.|");
	/* A paragraph removed from the middle. */
	diff_lines(&a, "가\n나\n다\n", "가\n다\n", &d);
	check_rebuild(&a, &d, "가\n나\n다\n", "가\n다\n");
	cr_expect_str_eq(show(&a, &d), "=가\n|-나\n|=다\n|");
	arena_free(&a);
}

/* Random texts from a small vocabulary: the runs always rebuild both. */
Test(revisions, diff_rebuilds_random)
{
	static const char *const words[] = { "가", "나다", "서울", " ", "  ", "\n", ".", ",", "abc", "한빛일보" };
	struct arena a = ARENA_INIT;
	struct diff d;
	char o[512], n[512];
	size_t ol, nl, w;
	int round, k;

	srand(12345);
	for (round = 0; round < 300; round++) {
		ol = nl = 0;
		for (k = rand() % 40; k > 0; k--) {
			w = (size_t)rand() % (sizeof words / sizeof words[0]);
			ol += (size_t)snprintf(o + ol, sizeof o - ol, "%s", words[w]);
		}
		for (k = rand() % 40; k > 0; k--) {
			w = (size_t)rand() % (sizeof words / sizeof words[0]);
			nl += (size_t)snprintf(n + nl, sizeof n - nl, "%s", words[w]);
		}
		o[ol] = n[nl] = '\0';
		diff_words(&a, o, n, &d);
		check_rebuild(&a, &d, o, n);
		cr_assert_eq(d.changed, strcmp(o, n) != 0);
		diff_lines(&a, o, n, &d);
		check_rebuild(&a, &d, o, n);
	}
	arena_free(&a);
}

/* Past the bounds: the whole text is replaced, quickly. */
Test(revisions, diff_bounded)
{
	struct arena a = ARENA_INIT;
	struct buf o = BUF_INIT, n = BUF_INIT;
	struct diff d;
	int i;

	/* 3000 different words against 3000 others: 6000 edits. */
	for (i = 0; i < 3000; i++) {
		buf_printf(&o, "옛%d ", i);
		buf_printf(&n, "새%d ", i);
	}
	diff_words(&a, o.p, n.p, &d);
	cr_expect_eq(d.whole, 1);
	cr_expect_str_eq(show(&a, &d), arena_printf(&a, "-%s|+%s|", o.p, n.p));
	/* The same size with one word changed stays a word diff (common
	 * prefix and suffix are not compared in the table). */
	buf_reset(&n);
	for (i = 0; i < 3000; i++)
		buf_printf(&n, i == 1500 ? "바뀐%d " : "옛%d ", i);
	diff_words(&a, o.p, n.p, &d);
	cr_expect_eq(d.whole, 0);
	cr_expect_eq(d.n, 4);
	cr_expect_eq(d.runs[1].op, DIFF_DELETE);
	cr_expect_eq(d.runs[1].len, strlen("옛1500"));
	/* A long body of many paragraphs costs its changed paragraphs. */
	buf_reset(&o);
	buf_reset(&n);
	for (i = 0; i < 2000; i++) {
		buf_printf(&o, "%d번째 문단의 글입니다.\n", i);
		buf_printf(&n, i % 500 == 7 ? "%d번째 문단을 고쳤습니다.\n" : "%d번째 문단의 글입니다.\n", i);
	}
	diff_lines(&a, o.p, n.p, &d);
	cr_expect_eq(d.whole, 0);
	check_rebuild(&a, &d, o.p, n.p);
	buf_free(&o);
	buf_free(&n);
	arena_free(&a);
}

/* ---- the server ---- */

#define PASSWORD "correct horse battery"

static char db[128], conf[128];
static struct test_server srv;
static struct tu_session desk, rep;
static int64_t art_id;

static struct store *
open_store(void)
{
	return tu_store_open(db, 0);
}

static int64_t
person_id(struct store *st, const char *email)
{
	struct arena a = ARENA_INIT;
	struct person p;

	cr_assert_eq(store_person_by_email(st, &a, email, &p), STORE_OK, "%s", email);
	arena_free(&a);
	return p.id;
}

/* A published article by the reporter, published an hour ago. */
static int64_t
insert_article(struct store *st, const char *headline, enum article_status status)
{
	struct arena a = ARENA_INIT;
	struct section sec;
	struct article art;
	time_t now = time(NULL);

	cr_assert_eq(store_section_by_slug(st, &a, "society", &sec), STORE_OK);
	memset(&art, 0, sizeof art);
	art.section = sec;
	art.status = status;
	art.kind = KIND_OWN;
	art.headline = headline;
	art.summary = "첫눈이 내렸다.";
	art.body = "<p>첫눈이 5cm 내렸다.</p>";
	art.body_text = "첫눈이 5cm 내렸다.";
	art.slug = art.display_byline = art.source_note = "";
	art.bylines[0].id = person_id(st, "kim@example.kr");
	art.nbylines = 1;
	art.created_at = now - 7200;
	if (status == ARTICLE_PUBLISHED)
		art.published_at = art.approved_at = now - 3600;
	art.updated_at = now - 3600;
	art.version = 1;
	cr_assert_eq(store_article_insert(st, &art), STORE_OK, "%s", store_errmsg(st));
	arena_free(&a);
	return art.id;
}

static const struct tu_account people[] = {
	{ "desk@example.kr", "이데스크", "editor" },
	{ "kim@example.kr", "김하늘", "reporter" },
	{ NULL, NULL, NULL },
};

static void
server_setup(void)
{
	struct store *st;
	int64_t sec;
	FILE *f;
	const char *extra[] = { "--config", conf, NULL };

	tu_tmp_path(conf, sizeof conf, ".ini");
	f = fopen(conf, "w");
	cr_assert_not_null(f);
	fputs("[newsroom]\nschedule_interval = 1\n[log]\nlevel = info\n", f);
	fclose(f);
	st = tu_store_new(db, sizeof db);
	cr_assert_eq(store_section_put(st, "society", "사회", 1, &sec), STORE_OK, "%s", store_errmsg(st));
	store_close(st);
	tu_users_add(db, people, PASSWORD);
	st = open_store();
	art_id = insert_article(st, "시청 앞 광장에 첫눈", ARTICLE_PUBLISHED);
	store_close(st);
	cr_assert_eq(tu_server_start(&srv, db, extra), 0, "server did not start");
	tu_login_ok(srv.port, "desk@example.kr", PASSWORD, &desk);
	tu_login_ok(srv.port, "kim@example.kr", PASSWORD, &rep);
}

static void
server_teardown(void)
{
	tu_server_stop(&srv);
	unlink(srv.log);
	unlink(conf);
	tu_rm_db(db);
}

/* POSTs name/value pairs (NULL-terminated) as a form, with s's cookie. */
static long
post(const struct tu_session *s, const char *path, const char *const *kv, struct tu_response *r)
{
	struct buf body = BUF_INIT;
	long status;
	int i;

	for (i = 0; kv[i]; i += 2)
		tu_form_add(&body, kv[i], kv[i + 1]);
	status = tu_request(srv.port, s, "POST", path, body.p ? body.p : "", body.len, r);
	buf_free(&body);
	return status;
}

static long
get(const struct tu_session *s, const char *path, struct tu_response *r)
{
	return tu_get(srv.port, s, path, r);
}

static int
article_version(int64_t id, char *headline, size_t len)
{
	struct arena a = ARENA_INIT;
	struct store *st = open_store();
	struct article art;
	int v;

	cr_assert_eq(store_article_get(st, &a, id, &art), STORE_OK);
	v = art.version;
	if (headline)
		snprintf(headline, len, "%s", art.headline);
	arena_free(&a);
	store_close(st);
	return v;
}

/* The editor's save, as the browser sends it. */
static void
edit(int64_t id, const char *headline, const char *body)
{
	struct tu_response r;
	char path[64], ver[16];
	const char *kv[] = { "csrf", desk.csrf, "version", ver, "headline", headline, "section", "society",
		"kind", "own", "body", body, "summary", "", "tags", "", "slug", "", "source_note", "",
		"display_byline", "", NULL };

	snprintf(ver, sizeof ver, "%d", article_version(id, NULL, 0));
	snprintf(path, sizeof path, "/admin/articles/%lld", (long long)id);
	cr_assert_eq(post(&desk, path, kv, &r), 303, "save: %ld %s", r.status, r.body.p);
	tu_response_free(&r);
}

/* Revision ids of the article, newest first. */
static int
revisions(int64_t id, int64_t *ids, int max)
{
	struct arena a = ARENA_INIT;
	struct store *st = open_store();
	struct revision_row *rows;
	int n, i;

	cr_assert_eq(store_revisions_list(st, &a, id, &rows, &n), STORE_OK);
	for (i = 0; i < n && i < max; i++)
		ids[i] = rows[i].id;
	arena_free(&a);
	store_close(st);
	return n;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	while (hay && (hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

Test(revisions, list_diff_restore, .init = server_setup, .fini = server_teardown, .timeout = 60)
{
	struct tu_response r;
	char path[128], ver[16], head[256];
	int64_t ids[8];
	int n;

	edit(art_id, "시청 앞 광장에 함박눈", "<p>첫눈이 5cm 내렸다.</p><p>출근길이 막혔다.</p>");
	edit(art_id, "시청 앞 광장에 함박눈 내려", "<p>첫눈이 7cm 내렸다.</p><p>출근길이 막혔다.</p>");
	/* The article as it was before the first save is a revision too,
	 * so the original can always be restored. */
	n = revisions(art_id, ids, 8);
	cr_assert_eq(n, 3, "the original and two saves (got %d)", n);

	/* The list: all three, newest first, with who. */
	snprintf(path, sizeof path, "/admin/articles/%lld/revisions", (long long)art_id);
	cr_assert_eq(get(&desk, path, &r), 200, "%s", r.body.p);
	cr_expect_eq(count(r.body.p, "바뀐 곳 보기"), 3, "%s", r.body.p);
	cr_expect(strstr(r.body.p, "3판") && strstr(r.body.p, "2판") &&
	    strstr(r.body.p, "3판") < strstr(r.body.p, "2판"), "newest first");
	cr_expect(strstr(r.body.p, "이데스크") != NULL);
	tu_response_free(&r);

	/* The older revision beside the article: changed words marked. */
	snprintf(path, sizeof path, "/admin/articles/%lld/revisions/%lld", (long long)art_id, (long long)ids[1]);
	cr_assert_eq(get(&desk, path, &r), 200, "%s", r.body.p);
	cr_expect(strstr(r.body.p, "함박눈<ins> 내려</ins>") != NULL, "headline diff: %s", r.body.p);
	cr_expect(strstr(r.body.p, "첫눈이 <del>5cm</del><ins>7cm</ins> 내렸다") != NULL, "body diff: %s", r.body.p);
	cr_expect(strstr(r.body.p, "/restore\"") != NULL, "the desk gets a restore form");
	tu_response_free(&r);

	/* The reporter may look but not restore a published article. */
	cr_assert_eq(get(&rep, path, &r), 200);
	cr_expect_null(strstr(r.body.p, "/restore\""), "no restore form for the reporter");
	tu_response_free(&r);
	snprintf(path, sizeof path, "/admin/articles/%lld/revisions/%lld/restore", (long long)art_id,
	    (long long)ids[1]);
	snprintf(ver, sizeof ver, "%d", article_version(art_id, NULL, 0));
	{
		const char *kv[] = { "csrf", rep.csrf, "version", ver, NULL };

		cr_expect_eq(post(&rep, path, kv, &r), 403, "reporter restore: %ld", r.status);
		tu_response_free(&r);
	}
	/* Without the CSRF token: refused. */
	{
		const char *kv[] = { "version", ver, NULL };

		cr_expect_eq(post(&desk, path, kv, &r), 403, "no csrf: %ld", r.status);
		tu_response_free(&r);
	}
	/* A stale version: 409, nothing changes. */
	{
		const char *kv[] = { "csrf", desk.csrf, "version", "1", NULL };

		cr_expect_eq(post(&desk, path, kv, &r), 409, "stale version: %ld", r.status);
		tu_response_free(&r);
	}
	cr_expect_eq(revisions(art_id, ids + 3, 1), 3);
	/* The restore. */
	{
		const char *kv[] = { "csrf", desk.csrf, "version", ver, NULL };

		cr_assert_eq(post(&desk, path, kv, &r), 303, "restore: %ld %s", r.status, r.body.p);
		cr_expect(tu_header_has(&r, "Location", "/admin/articles/"), "back to the editor");
		tu_response_free(&r);
	}
	cr_expect_eq(article_version(art_id, head, sizeof head), 4);
	cr_expect_str_eq(head, "시청 앞 광장에 함박눈");
	cr_expect_eq(revisions(art_id, ids, 8), 4, "the restore is a revision of its own");
	/* Readers see it at once. */
	snprintf(path, sizeof path, "/articles/%lld", (long long)art_id);
	cr_assert_eq(get(NULL, path, &r), 200);
	cr_expect(strstr(r.body.p, "시청 앞 광장에 함박눈</h1>") != NULL);
	cr_expect(strstr(r.body.p, "첫눈이 5cm 내렸다.") != NULL);
	tu_response_free(&r);
	/* A revision of another article, or none: 404. */
	snprintf(path, sizeof path, "/admin/articles/%lld/revisions/999999", (long long)art_id);
	cr_expect_eq(get(&desk, path, &r), 404);
	tu_response_free(&r);
}

Test(revisions, corrections, .init = server_setup, .fini = server_teardown, .timeout = 60)
{
	struct tu_response r;
	char path[128], apath[64], long_text[2100 * 3];
	const char *p1, *p2, *body;
	sqlite3 *h;
	char *msg = NULL;
	int i;

	snprintf(apath, sizeof apath, "/articles/%lld", (long long)art_id);
	snprintf(path, sizeof path, "/admin/articles/%lld/corrections", (long long)art_id);
	/* Cached before the correction. */
	cr_assert_eq(get(NULL, apath, &r), 200);
	cr_expect_null(strstr(r.body.p, "class=\"correction"));
	cr_expect_null(strstr(r.body.p, "승인 <time"), "승인 is the same minute as 입력");
	tu_response_free(&r);
	cr_assert_eq(get(NULL, apath, &r), 200);
	tu_response_free(&r);

	{
		const char *kv[] = { "csrf", desk.csrf, "kind", "correction", "date", "2026-11-01",
			"text", "기사 중 적설량 5cm는 7cm로 바로잡습니다.", NULL };

		cr_assert_eq(post(&desk, path, kv, &r), 303, "%ld %s", r.status, r.body.p);
		tu_response_free(&r);
	}
	/* The very next request shows it, above the body. */
	cr_assert_eq(get(NULL, apath, &r), 200);
	body = strstr(r.body.p, "<div class=\"body\">");
	p1 = strstr(r.body.p, "<strong>정정보도</strong> <time datetime=\"2026-11-01\">2026.11.01</time> "
	    "기사 중 적설량 5cm는 7cm로 바로잡습니다.</aside>");
	cr_expect_not_null(p1, "correction shown: %s", r.body.p);
	cr_expect(p1 && body && p1 < body, "above the body");
	/* A correction moves updated_at: 수정 is shown. */
	cr_expect(strstr(r.body.p, "수정 <time") != NULL);
	tu_response_free(&r);

	/* Refused: a reporter, no CSRF token, bad fields. */
	{
		const char *kv[] = { "csrf", rep.csrf, "kind", "correction", "text", "기자가 쓴 정정", NULL };

		cr_expect_eq(post(&rep, path, kv, &r), 403);
		tu_response_free(&r);
	}
	{
		const char *kv[] = { "kind", "correction", "text", "토큰 없는 정정", NULL };

		cr_expect_eq(post(&desk, path, kv, &r), 403);
		tu_response_free(&r);
	}
	{
		const char *kv[] = { "csrf", desk.csrf, "kind", "apology", "text", "없는 종류", NULL };

		cr_expect_eq(post(&desk, path, kv, &r), 422);
		tu_response_free(&r);
	}
	{
		const char *kv[] = { "csrf", desk.csrf, "kind", "rebuttal", "date", "2026-02-30", "text", "없는 날", NULL };

		cr_expect_eq(post(&desk, path, kv, &r), 422);
		/* The editor again, with what the desk typed and the error
		 * beside the date. */
		cr_expect(strstr(r.body.p, ">없는 날</textarea>") != NULL, "the text is kept");
		cr_expect(strstr(r.body.p, "value=\"2026-02-30\"") != NULL, "the date is kept");
		cr_expect(strstr(r.body.p, "<option value=\"rebuttal\" selected>") != NULL, "the kind is kept");
		cr_expect(strstr(r.body.p, "id=\"e-c-date\"") != NULL, "the error is beside the date");
		tu_response_free(&r);
	}
	{
		const char *kv[] = { "csrf", desk.csrf, "kind", "rebuttal", "date", "2999-01-01", "text", "앞날", NULL };

		cr_expect_eq(post(&desk, path, kv, &r), 422);
		tu_response_free(&r);
	}
	{
		const char *kv[] = { "csrf", desk.csrf, "kind", "rebuttal", "text", "  \n ", NULL };

		cr_expect_eq(post(&desk, path, kv, &r), 422);
		tu_response_free(&r);
	}
	for (i = 0; i < 2001; i++)
		memcpy(long_text + 3 * i, "가", 3);
	long_text[3 * 2001] = '\0';
	{
		const char *kv[] = { "csrf", desk.csrf, "kind", "rebuttal", "text", long_text, NULL };

		cr_expect_eq(post(&desk, path, kv, &r), 422);
		tu_response_free(&r);
	}
	long_text[3 * 2000] = '\0';
	/* A second one (date left to today) follows the first; the
	 * 2000-character text is allowed. */
	{
		const char *kv[] = { "csrf", desk.csrf, "kind", "rebuttal", "text", long_text, NULL };

		cr_assert_eq(post(&desk, path, kv, &r), 303, "%ld %s", r.status, r.body.p);
		tu_response_free(&r);
	}
	cr_assert_eq(get(NULL, apath, &r), 200);
	p1 = strstr(r.body.p, "<strong>정정보도</strong>");
	p2 = strstr(r.body.p, "<strong>반론보도</strong>");
	body = strstr(r.body.p, "<div class=\"body\">");
	cr_expect(p1 && p2 && body && p1 < p2 && p2 < body, "both, oldest first, above the body");
	tu_response_free(&r);

	/* The database refuses to delete or change one. */
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	cr_expect_neq(sqlite3_exec(h, "DELETE FROM correction", NULL, NULL, &msg), SQLITE_OK);
	sqlite3_free(msg);
	msg = NULL;
	cr_expect_neq(sqlite3_exec(h, "UPDATE correction SET text = 'x'", NULL, NULL, &msg), SQLITE_OK);
	sqlite3_free(msg);
	{
		sqlite3_stmt *s;

		cr_assert_eq(sqlite3_prepare_v2(h, "SELECT count(*) FROM correction", -1, &s, NULL), SQLITE_OK);
		cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
		cr_expect_eq(sqlite3_column_int(s, 0), 2);
		sqlite3_finalize(s);
	}
	sqlite3_close(h);
	/* The newsroom lists them too. */
	snprintf(path, sizeof path, "/admin/articles/%lld/revisions", (long long)art_id);
	cr_assert_eq(get(&desk, path, &r), 200);
	cr_expect(strstr(r.body.p, "기사 중 적설량 5cm는 7cm로 바로잡습니다.") != NULL);
	tu_response_free(&r);
}

/* 승인: the desk approved it again later than it first went out. */
Test(revisions, approved_time, .init = server_setup, .fini = server_teardown, .timeout = 60)
{
	struct tu_response r;
	struct store *st;
	char apath[64];
	const char *in, *ok;

	snprintf(apath, sizeof apath, "/articles/%lld", (long long)art_id);
	st = open_store();
	cr_assert_eq(store_article_set_status(st, art_id, ARTICLE_UNPUBLISHED, time(NULL), 0), STORE_OK);
	cr_assert_eq(store_article_set_status(st, art_id, ARTICLE_PUBLISHED, time(NULL), 0), STORE_OK);
	store_close(st);
	cr_assert_eq(get(NULL, apath, &r), 200);
	in = strstr(r.body.p, "입력 <time datetime=\"");
	ok = strstr(r.body.p, "승인 <time datetime=\"");
	cr_expect(in && ok && in < ok, "입력 then 승인: %s", r.body.p);
	tu_response_free(&r);
}

Test(revisions, scheduled_publishing, .init = server_setup, .fini = server_teardown, .timeout = 60)
{
	struct tu_response r;
	struct store *st;
	struct buf log = BUF_INIT;
	int64_t id;
	int tries, seen = 0;
	FILE *f;
	char line[512];

	st = open_store();
	id = insert_article(st, "예약된 눈 소식 기사", ARTICLE_DRAFT);
	cr_assert_eq(store_article_set_status(st, id, ARTICLE_SCHEDULED, time(NULL) + 2, 0), STORE_OK,
	    "%s", store_errmsg(st));
	store_close(st);
	cr_assert_eq(get(NULL, "/", &r), 200);
	cr_expect_null(strstr(r.body.p, "예약된 눈 소식 기사"), "not out before its time");
	tu_response_free(&r);
	for (tries = 0; tries < 40 && !seen; tries++) {
		usleep(250000);
		cr_assert_eq(get(NULL, "/", &r), 200);
		seen = strstr(r.body.p, "예약된 눈 소식 기사") != NULL;
		tu_response_free(&r);
	}
	cr_assert(seen, "the scheduled article did not appear within 10 s");
	/* The server said so. */
	f = fopen(srv.log, "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof line, f))
		buf_puts(&log, line);
	fclose(f);
	snprintf(line, sizeof line, "published article %lld", (long long)id);
	cr_expect(strstr(log.p ? log.p : "", line) != NULL, "%s", log.p);
	buf_free(&log);
	/* The audit log has it, by no one: the clock published it. */
	{
		sqlite3 *h;
		sqlite3_stmt *s;

		cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
		cr_assert_eq(sqlite3_prepare_v2(h, "SELECT count(*) FROM audit WHERE action = 'publish' "
		    "AND article_id = ?1 AND person_id IS NULL", -1, &s, NULL), SQLITE_OK);
		sqlite3_bind_int64(s, 1, id);
		cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
		cr_expect_eq(sqlite3_column_int(s, 0), 1);
		sqlite3_finalize(s);
		sqlite3_close(h);
	}
	/* SIGTERM stops the scheduler with the server, cleanly. */
	cr_expect_eq(tu_server_stop(&srv), 0);
}
