/*
 * test_store.c - the SQLite engine through the store interface: migrations,
 * reads and writes, and refusal of files that are not ours.
 */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "news/news.h"
#include "render/sanitize.h"
#include "search/search.h"
#include "store/store.h"
#include "testutil.h"

static char dbpath[64];

/* A published article enters the search index with the plain text of its
 * body, made as the server makes it. */
static void
mkpath(void)
{
	store_set_text_of(sanitize_text);
	tu_tmp_path(dbpath, sizeof dbpath, ".db");
}

static void
cleanup(void)
{
	tu_rm_db(dbpath);
}

Test(store, create_migrate_and_reopen, .init = mkpath, .fini = cleanup)
{
	char err[512];
	struct store *st;
	int created;

	cr_expect_null(store_open(dbpath, 0, NULL, err, sizeof err), "must not create without the flag");
	cr_expect(strstr(err, "no such database") != NULL, "%s", err);
	st = store_open(dbpath, STORE_OPEN_CREATE, &created, err, sizeof err);
	cr_assert_not_null(st, "%s", err);
	cr_expect_eq(created, 1);
	cr_expect_geq(store_schema_version(st), 1);
	store_close(st);
	st = store_open(dbpath, 0, &created, err, sizeof err);
	cr_assert_not_null(st, "%s", err);
	cr_expect_eq(created, 0);
	cr_expect_eq(store_ping(st), STORE_OK);
	store_close(st);
}

Test(store, refuses_garbage_and_foreign_databases, .init = mkpath, .fini = cleanup)
{
	char err[512];
	sqlite3 *db;
	FILE *f;

	f = fopen(dbpath, "w");
	fputs("this is not a database, just some text long enough to look like a header...", f);
	fclose(f);
	cr_expect_null(store_open(dbpath, 0, NULL, err, sizeof err));
	cr_expect(strstr(err, "not a database") != NULL || strstr(err, "not a sinmun") != NULL, "%s", err);
	unlink(dbpath);

	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE TABLE customers (id INTEGER)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	cr_expect_null(store_open(dbpath, 0, NULL, err, sizeof err));
	cr_expect(strstr(err, "not a sinmun database") != NULL, "%s", err);
}

Test(store, refuses_newer_schema, .init = mkpath, .fini = cleanup)
{
	char err[512];
	struct store *st;
	sqlite3 *db;

	st = store_open(dbpath, STORE_OPEN_CREATE, NULL, err, sizeof err);
	cr_assert_not_null(st);
	store_close(st);
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL);
	sqlite3_close(db);
	cr_expect_null(store_open(dbpath, 0, NULL, err, sizeof err));
	cr_expect(strstr(err, "newer than this sinmun") != NULL, "%s", err);
}

static int64_t
add_article(struct store *st, int64_t section, int64_t person, const char *headline,
    enum article_status status, time_t published, const char *tag)
{
	struct article a;

	memset(&a, 0, sizeof a);
	a.section.id = section;
	a.status = status;
	a.kind = KIND_OWN;
	a.headline = headline;
	a.subtitles[0] = "부제 하나";
	a.nsubtitles = 1;
	a.summary = "요약입니다.";
	a.body = "<p>본문입니다.</p>";
	a.slug = "";
	a.display_byline = "";
	a.source_note = "";
	a.bylines[0].id = person;
	a.nbylines = 1;
	a.tags[0] = tag;
	a.ntags = tag ? 1 : 0;
	a.created_at = a.updated_at = a.published_at = published;
	cr_assert_eq(store_article_insert(st, &a), STORE_OK, "%s", store_errmsg(st));
	return a.id;
}

Test(store, articles_lists_and_filters, .init = mkpath, .fini = cleanup)
{
	struct arena ar = ARENA_INIT;
	struct article_list l;
	struct article art;
	struct article_query q;
	struct section sec;
	char err[512];
	struct store *st;
	int64_t s1, s2, p1, p2, id;
	int i;

	st = store_open(dbpath, STORE_OPEN_CREATE, NULL, err, sizeof err);
	cr_assert_not_null(st);
	cr_assert_eq(store_section_put(st, "economy", "경제", 2, &s1), STORE_OK);
	cr_assert_eq(store_section_put(st, "society", "사회", 1, &s2), STORE_OK);
	cr_assert_eq(store_person_put(st, "김하늘", "sky@example.kr", ROLE_REPORTER, &p1), STORE_OK);
	cr_assert_eq(store_person_put(st, "박바다", "sea@example.kr", ROLE_REPORTER, &p2), STORE_OK);
	cr_assert_eq(store_begin(st), STORE_OK);
	for (i = 0; i < 30; i++)
		add_article(st, i % 2 ? s1 : s2, i % 3 ? p1 : p2, "기사", ARTICLE_PUBLISHED,
		    1700000000 + i * 60, i % 5 ? NULL : "혁신");
	id = add_article(st, s1, p1, "초안", ARTICLE_DRAFT, 1800000000, NULL);
	cr_assert_eq(store_commit(st), STORE_OK);

	memset(&q, 0, sizeof q);
	q.status = ARTICLE_PUBLISHED;
	q.limit = 20;
	cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK);
	cr_expect_eq(l.total, 0, "no count unless asked");
	q.want_total = 1;
	cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK);
	cr_expect_eq(l.total, 30);
	cr_expect_eq(l.n, 20);
	for (i = 1; i < l.n; i++)
		cr_expect_geq(l.items[i - 1].published_at, l.items[i].published_at, "newest first");
	cr_expect_neq(l.items[0].id, id, "drafts are not listed");

	q.offset = 20;
	cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK);
	cr_expect_eq(l.n, 10);

	memset(&q, 0, sizeof q);
	q.status = ARTICLE_PUBLISHED;
	q.want_total = 1;
	q.limit = 100;
	q.section_id = s1;
	cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK);
	cr_expect_eq(l.total, 15);
	for (i = 0; i < l.n; i++)
		cr_expect_str_eq(l.items[i].section.slug, "economy");

	q.section_id = 0;
	q.person_id = p2;
	cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK);
	cr_expect_eq(l.total, 10);
	for (i = 0; i < l.n; i++)
		cr_expect_eq(l.items[i].bylines[0].id, p2);

	q.person_id = 0;
	q.tag = "혁신";
	cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK);
	cr_expect_eq(l.total, 6);

	q.limit = 0;
	cr_expect_eq(store_articles_list(st, &ar, &q, &l), STORE_INVALID);

	cr_assert_eq(store_article_get(st, &ar, id, &art), STORE_OK);
	cr_expect_str_eq(art.headline, "초안");
	cr_expect_eq(art.status, ARTICLE_DRAFT);
	cr_expect_eq(art.nsubtitles, 1);
	cr_expect_str_eq(art.bylines[0].name, "김하늘");
	cr_expect_eq(store_article_get(st, &ar, 999999, &art), STORE_NOTFOUND);

	cr_assert_eq(store_section_by_slug(st, &ar, "society", &sec), STORE_OK);
	cr_expect_str_eq(sec.name, "사회");
	cr_expect_eq(store_section_by_slug(st, &ar, "nope", &sec), STORE_NOTFOUND);
	store_close(st);
	arena_free(&ar);
}

Test(store, kept_ids_and_duplicates, .init = mkpath, .fini = cleanup)
{
	struct article a;
	char err[512];
	struct store *st;
	int64_t s, p;

	st = store_open(dbpath, STORE_OPEN_CREATE, NULL, err, sizeof err);
	cr_assert_not_null(st);
	store_section_put(st, "local", "지역", 1, &s);
	store_person_put(st, "이름", "n@example.kr", ROLE_REPORTER, &p);
	memset(&a, 0, sizeof a);
	a.id = 41234;
	a.section.id = s;
	a.status = ARTICLE_PUBLISHED;
	a.headline = "옛 번호를 지킨 기사";
	a.body = "<p>x</p>";
	a.bylines[0].id = p;
	a.nbylines = 1;
	a.created_at = a.updated_at = a.published_at = 1700000000;
	cr_assert_eq(store_article_insert(st, &a), STORE_OK);
	cr_expect_eq(a.id, 41234);
	a.id = 41234;
	cr_expect_eq(store_article_insert(st, &a), STORE_EXISTS);
	store_close(st);
}

Test(store, settings_and_weather, .init = mkpath, .fini = cleanup)
{
	struct arena ar = ARENA_INIT;
	struct weather_obs_row *w;
	char err[512];
	struct store *st;
	const char *v;
	double t1 = 5.7, t2 = -9.0;

	st = store_open(dbpath, STORE_OPEN_CREATE, NULL, err, sizeof err);
	cr_assert_not_null(st);
	cr_assert_eq(store_setting_set(st, "site_name", "시험일보"), STORE_OK);
	cr_assert_eq(store_setting_get(st, &ar, "site_name", &v), STORE_OK);
	cr_expect_str_eq(v, "시험일보");
	cr_expect_eq(store_setting_get(st, &ar, "nope", &v), STORE_NOTFOUND);

	{
		struct weather_obs_row r;
		int ids[3] = { 108, 101, 999 }, added;

		memset(&r, 0, sizeof r);
		r.station_id = 101;
		r.observed_at = 1764028800;
		r.condition = "흐림";
		r.temperature = t1;
		r.has_temperature = 1;
		cr_assert_eq(store_weather_insert(st, &r, &added), STORE_OK);
		cr_expect_eq(added, 1);
		r.station_id = 108;
		r.condition = "박무";
		r.temperature = t2;
		cr_assert_eq(store_weather_insert(st, &r, &added), STORE_OK);
		/* Idempotent by station and time: the first value stays. */
		r.condition = "맑음";
		r.temperature = t1;
		cr_assert_eq(store_weather_insert(st, &r, &added), STORE_OK);
		cr_expect_eq(added, 0);
		cr_assert_eq(store_weather_newest(st, &ar, ids, 3, 0, 1, &w), STORE_OK);
		cr_expect_str_eq(w[0].condition, "박무", "order of the ids asked for");
		cr_expect_eq(w[0].temperature, -9.0, "-9.0 is a real temperature");
		cr_expect_str_eq(w[1].condition, "흐림");
		cr_expect_eq(w[2].observed_at, 0, "a station without observations");
	}
	store_close(st);
	arena_free(&ar);
}

/* Makes the file as an older sinmun did: the migration files numbered up
 * to last, applied on a raw connection with the tokenizer they name. */
static void
old_schema(const char *db, int last)
{
	struct buf text = BUF_INIT;
	char sql[64];
	glob_t g;
	sqlite3 *h;
	size_t i;
	FILE *f;
	int c;

	cr_assert_eq(glob("src/store/migrations/[0-9]*.sql", 0, NULL, &g), 0);
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	cr_assert_eq(search_register_tokenizer(h), SQLITE_OK);
	for (i = 0; i < g.gl_pathc && strtol(g.gl_pathv[i] + 21, NULL, 10) <= last; i++) {
		cr_assert_not_null(f = fopen(g.gl_pathv[i], "r"), "%s", g.gl_pathv[i]);
		buf_reset(&text);
		while ((c = fgetc(f)) != EOF)
			buf_putc(&text, (char)c);
		fclose(f);
		cr_assert_eq(sqlite3_exec(h, text.p, NULL, NULL, NULL), SQLITE_OK, "%s: %s",
		    g.gl_pathv[i], sqlite3_errmsg(h));
	}
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", last);
	cr_assert_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	globfree(&g);
	buf_free(&text);
}

/* Migration 011 moves the bodies out of a table that already holds
 * articles, bylines, tags, revisions and corrections, and remakes the
 * article table: nothing may be lost on the way, and the counters and
 * triggers must work on the new table. */
Test(store, bodies_move_to_their_own_table_and_nothing_is_lost, .init = mkpath, .fini = cleanup)
{
	struct arena ar = ARENA_INIT;
	struct article art, got;
	struct article_list l;
	struct article_query q;
	char err[512];
	struct store *st;
	int64_t sec;

	old_schema(dbpath, 10);
	cr_assert_eq(tu_db_exec(dbpath,
	    "INSERT INTO section (id, slug, name, position) VALUES (1, 'society', '사회', 1);"
	    "INSERT INTO person (id, name, email, role, created_at) VALUES (1, '김하늘', 'sky@example.kr', 'reporter', 0),"
	    " (2, '박바다', 'sea@example.kr', 'editor', 0);"
	    "INSERT INTO article (id, section_id, status, headline, summary, body, body_source, created_at,"
	    " updated_at, published_at, desk_note) VALUES"
	    " (1, 1, 'published', '첫 기사', '첫 요약', '<p>첫 본문입니다.</p>', NULL, 10, 20, 100, ''),"
	    " (2, 1, 'published', '둘째 기사', '둘째 요약', '<p>둘째 본문</p>', '둘째 원문', 11, 21, 200, ''),"
	    " (3, 1, 'draft', '초안', '', '<p>쓰는 중</p>', NULL, 12, 22, NULL, '사진을 바꿔 주세요');"
	    "INSERT INTO article_byline (article_id, person_id, position) VALUES (1, 1, 0), (2, 1, 0), (2, 2, 1), (3, 2, 0);"
	    "INSERT INTO tag (id, name) VALUES (1, '혁신');"
	    "INSERT INTO article_tag (article_id, tag_id, position) VALUES (1, 1, 0), (2, 1, 0);"
	    "INSERT INTO revision (article_id, version, person_id, at, snapshot) VALUES (1, 1, 1, 15, '{}');"
	    "INSERT INTO correction (article_id, kind, at, text, person_id, created_at)"
	    " VALUES (1, 'correction', 30, '바로잡습니다', 2, 30);",
	    err, sizeof err), 0, "%s", err);

	st = store_open(dbpath, 0, NULL, err, sizeof err);
	cr_assert_not_null(st, "%s", err);
	cr_expect_geq(store_schema_version(st), 11);
	cr_assert_eq(store_article_get(st, &ar, 1, &got), STORE_OK);
	cr_expect_str_eq(got.body, "<p>첫 본문입니다.</p>");
	cr_expect_str_eq(got.headline, "첫 기사");
	cr_expect_str_eq(got.summary, "첫 요약");
	cr_expect_eq(got.published_at, 100);
	cr_expect_eq(got.nbylines, 1);
	cr_assert_eq(store_article_get(st, &ar, 3, &got), STORE_OK);
	cr_expect_str_eq(got.body, "<p>쓰는 중</p>");
	cr_expect_str_eq(got.desk_note, "사진을 바꿔 주세요");
	cr_expect_eq(got.status, ARTICLE_DRAFT);
	store_close(st);

	/* Every row of the tables that name an article is still there. */
	cr_expect_eq(tu_db_int(dbpath, "SELECT count(*) FROM article_byline WHERE ?1", 1), 4);
	cr_expect_eq(tu_db_int(dbpath, "SELECT count(*) FROM article_tag WHERE ?1", 1), 2);
	cr_expect_eq(tu_db_int(dbpath, "SELECT count(*) FROM revision WHERE ?1", 1), 1);
	cr_expect_eq(tu_db_int(dbpath, "SELECT count(*) FROM correction WHERE ?1", 1), 1);
	cr_expect_str_eq(tu_db_text(dbpath, "SELECT body_source FROM article_body WHERE article_id = ?1", 2),
	    "둘째 원문");
	cr_expect_eq(tu_db_int(dbpath, "SELECT count(*) FROM pragma_table_info('article') WHERE name "
	    "IN ('body', 'body_source') AND ?1", 1), 0);
	cr_expect_eq(tu_db_int(dbpath, "SELECT count(*) FROM pragma_foreign_key_check WHERE ?1", 1), 0);

	/* The counters' and lists' triggers are on the new table. */
	st = store_open(dbpath, 0, NULL, err, sizeof err);
	cr_assert_not_null(st, "%s", err);
	memset(&q, 0, sizeof q);
	q.status = ARTICLE_PUBLISHED;
	q.want_total = 1;
	q.limit = 20;
	q.section_id = 1;
	cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK);
	cr_expect_eq(l.total, 2);
	cr_expect_eq(l.n, 2);
	sec = 1;
	memset(&art, 0, sizeof art);
	art.section.id = sec;
	art.status = ARTICLE_PUBLISHED;
	art.headline = "셋째 기사";
	art.body = "<p>새 본문</p>";
	art.created_at = art.updated_at = art.published_at = 300;
	cr_assert_eq(store_article_insert(st, &art), STORE_OK);
	cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK);
	cr_expect_eq(l.total, 3, "article_count_ai is on the new table");
	cr_expect_eq(l.items[0].id, art.id);
	cr_assert_eq(store_article_set_status(st, 1, ARTICLE_UNPUBLISHED, 400, 1), STORE_OK);
	cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK);
	cr_expect_eq(l.total, 2, "article_count_au is on the new table");
	q.section_id = 0;
	q.person_id = 1;
	cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK);
	cr_expect_eq(l.total, 1, "article_list_au moved the byline's status");
	cr_expect_eq(l.items[0].id, 2);
	/* Foreign keys are on again: deleting an article takes its body. */
	cr_assert_eq(store_article_delete(st, 3), STORE_OK);
	store_close(st);
	cr_expect_eq(tu_db_int(dbpath, "SELECT count(*) FROM article_body WHERE article_id = ?1", 3), 0);
	cr_expect_eq(tu_db_int(dbpath, "SELECT count(*) FROM article_body WHERE article_id = ?1", art.id), 1);
	arena_free(&ar);
}

/*
 * A migration that drops a table other tables refer to runs with foreign
 * keys off, or the rows that refer to it go with it (ON DELETE CASCADE):
 * it must say so with the line migrate() looks for.  The others run with
 * foreign keys on and are not checked over the whole database afterwards.
 */
Test(store, migrations_that_drop_referred_tables_turn_foreign_keys_off, .init = mkpath, .fini = cleanup)
{
	struct buf text = BUF_INIT;
	struct store *st;
	char err[256], name[64];
	const char *p;
	sqlite3 *h;
	glob_t g;
	size_t i, n;
	FILE *f;
	int c, marked = 0;

	st = store_open(dbpath, STORE_OPEN_CREATE, NULL, err, sizeof err);
	cr_assert_not_null(st, "%s", err);
	store_close(st);
	cr_assert_eq(sqlite3_open_v2(dbpath, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(glob("src/store/migrations/[0-9]*.sql", 0, NULL, &g), 0);
	cr_assert_geq(g.gl_pathc, 12);
	for (i = 0; i < g.gl_pathc; i++) {
		cr_assert_not_null(f = fopen(g.gl_pathv[i], "r"), "%s", g.gl_pathv[i]);
		buf_reset(&text);
		while ((c = fgetc(f)) != EOF)
			buf_putc(&text, (char)c);
		fclose(f);
		if (strstr(text.p, "\n-- foreign_keys: off\n") != NULL) {
			marked++;
			continue;
		}
		for (p = text.p; (p = strcasestr(p, "DROP TABLE ")) != NULL; p += n) {
			sqlite3_stmt *s;

			p += 11;
			n = strspn(p, "abcdefghijklmnopqrstuvwxyz_0123456789");
			cr_assert(n > 0 && n < sizeof name);
			memcpy(name, p, n);
			name[n] = '\0';
			cr_assert_eq(sqlite3_prepare_v2(h, "SELECT count(*) FROM sqlite_schema t, "
			    "pragma_foreign_key_list(t.name) k WHERE t.type = 'table' AND k.\"table\" = ?1",
			    -1, &s, NULL), SQLITE_OK, "%s", sqlite3_errmsg(h));
			sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
			cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
			cr_expect_eq(sqlite3_column_int(s, 0), 0, "%s drops %s, which other tables refer to, "
			    "with foreign keys on", g.gl_pathv[i], name);
			sqlite3_finalize(s);
		}
	}
	cr_expect_geq(marked, 1, "011 remakes the article table");
	sqlite3_close(h);
	globfree(&g);
	buf_free(&text);
}
