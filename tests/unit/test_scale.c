/*
 * test_scale.c - the list reads made for a million articles (issue 7):
 * pages read by id over an index, reporter and tag lists over the byline
 * and tag tables' copies of status and publication time, and per-section
 * counters, all kept by migration 007's triggers.  Every page and total is
 * compared with a plain scan of the article table after inserts, status
 * changes, edits that move an article to another section, byline or tag,
 * and deletions.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "news/news.h"
#include "render/sanitize.h"
#include "store/store.h"
#include "store/store_int.h"
#include "testutil.h"

static char dbpath[64];

static void
mkpath(void)
{
	/* Status changes put articles into the search index, which needs the
	 * text of their bodies. */
	store_set_text_of(sanitize_text);
	tu_tmp_path(dbpath, sizeof dbpath, ".db");
}

static void
cleanup(void)
{
	tu_rm_db(dbpath);
}

static const char *const tags[] = { "혁신", "경제", "청년" };

static int64_t
add(struct store *st, int64_t section, int64_t p1, int64_t p2, enum article_status status,
    time_t published, int tag_mask)
{
	struct article a;
	int i;

	memset(&a, 0, sizeof a);
	a.section.id = section;
	a.status = status;
	a.kind = KIND_OWN;
	a.headline = "기사";
	a.summary = "요약입니다.";
	a.body = "<p>본문입니다.</p>";
	a.body_text = "본문입니다.";
	a.slug = "";
	a.display_byline = "";
	a.source_note = "";
	a.bylines[a.nbylines++].id = p1;
	if (p2)
		a.bylines[a.nbylines++].id = p2;
	for (i = 0; i < 3; i++)
		if (tag_mask & (1 << i))
			a.tags[a.ntags++] = tags[i];
	a.created_at = a.updated_at = published;
	a.published_at = status == ARTICLE_PUBLISHED ? published : 0;
	cr_assert_eq(store_article_insert(st, &a), STORE_OK, "%s", store_errmsg(st));
	return a.id;
}

/* The ids a plain scan gives, newest first, for one list. */
static int
reference(sqlite3 *db, const char *cond, int64_t key, const char *tag, int64_t exclude, int64_t *ids, int max)
{
	char sql[512];
	sqlite3_stmt *s;
	int n = 0;

	snprintf(sql, sizeof sql, "SELECT a.id FROM article a WHERE a.status = 'published' AND %s "
	    "AND a.id <> ?3 ORDER BY a.published_at DESC, a.id DESC", cond);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_bind_int64(s, 1, key);
	sqlite3_bind_text(s, 2, tag ? tag : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, exclude);
	while (sqlite3_step(s) == SQLITE_ROW && n < max)
		ids[n++] = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* Every page of q (per a page) against the scan, and the total; rev reads
 * the pages last to first.  Either order, on a connection whose marks are
 * stale, reads some pages from the end their marks were not set from (the
 * first past the middle from the start, the first before it from the end). */
static void
check_list(struct store *st, sqlite3 *db, struct article_query q, const char *cond, int64_t key,
    const char *what, int rev, int per)
{
	struct arena ar = ARENA_INIT;
	struct article_list l;
	int64_t want[600];
	int n, off, i, k;

	n = reference(db, cond, key, q.tag, q.exclude_id, want, 600);
	q.status = ARTICLE_PUBLISHED;
	q.limit = per;
	q.want_total = 1;
	for (k = 0; k <= n / per; k++) {
		off = per * (rev ? n / per - k : k);
		q.offset = off;
		cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK, "%s", store_errmsg(st));
		cr_expect_eq(l.total, n, "%s: total %lld, a scan counts %d", what, (long long)l.total, n);
		cr_expect_eq(l.n, n - off < per ? n - off : per, "%s at %d: %d rows", what, off, l.n);
		for (i = 0; i < l.n && off + i < n; i++)
			cr_expect_eq(l.items[i].id, want[off + i], "%s at %d: id %lld, want %lld", what, off + i,
			    (long long)l.items[i].id, (long long)want[off + i]);
		arena_free(&ar);
	}
	arena_free(&ar);
}

static void
check_all_order(struct store *st, sqlite3 *db, const int64_t *secs, const int64_t *people, int64_t exclude,
    int rev, int per)
{
	struct article_query q;
	char what[64];
	int i;

	memset(&q, 0, sizeof q);
	check_list(st, db, q, "1", 0, "all", rev, per);
	for (i = 0; i < 3; i++) {
		memset(&q, 0, sizeof q);
		q.section_id = secs[i];
		snprintf(what, sizeof what, "section %d", i);
		check_list(st, db, q, "a.section_id = ?1", secs[i], what, rev, per);
		memset(&q, 0, sizeof q);
		q.person_id = people[i];
		snprintf(what, sizeof what, "person %d", i);
		check_list(st, db, q, "a.id IN (SELECT article_id FROM article_byline WHERE person_id = ?1)",
		    people[i], what, rev, per);
		q.exclude_id = exclude;
		check_list(st, db, q, "a.id IN (SELECT article_id FROM article_byline WHERE person_id = ?1)",
		    people[i], "person, one left out", rev, per);
		memset(&q, 0, sizeof q);
		q.tag = tags[i];
		snprintf(what, sizeof what, "tag %s", tags[i]);
		check_list(st, db, q, "a.id IN (SELECT at.article_id FROM article_tag at JOIN tag t "
		    "ON t.id = at.tag_id WHERE t.name = ?2)", 0, what, rev, per);
	}
	memset(&q, 0, sizeof q);
	q.tag = "없는태그";
	check_list(st, db, q, "0", 0, "unknown tag", rev, per);
}

/* First to last on the writing connection, then last to first on another
 * (its marks made stale by the first one's commits) and on the first again
 * (every mark set, from both ends). */
static struct store *other;

static void
check_all(struct store *st, sqlite3 *db, const int64_t *secs, const int64_t *people, int64_t exclude)
{
	check_all_order(st, db, secs, people, exclude, 0, 7);
	check_all_order(other, db, secs, people, exclude, 1, 3);
	check_all_order(st, db, secs, people, exclude, 1, 7);
}

Test(scale, lists_match_a_scan_through_changes, .init = mkpath, .fini = cleanup)
{
	struct arena ar = ARENA_INIT;
	struct article art;
	char err[512];
	struct store *st;
	sqlite3 *db;
	int64_t secs[3], people[3], ids[400];
	int i, n = 0;

	st = store_open(dbpath, STORE_OPEN_CREATE, NULL, err, sizeof err);
	cr_assert_not_null(st, "%s", err);
	cr_assert_eq(store_section_put(st, "economy", "경제", 1, &secs[0]), STORE_OK);
	cr_assert_eq(store_section_put(st, "society", "사회", 2, &secs[1]), STORE_OK);
	cr_assert_eq(store_section_put(st, "culture", "문화", 3, &secs[2]), STORE_OK);
	cr_assert_eq(store_person_put(st, "김하늘", "sky@example.kr", ROLE_REPORTER, &people[0]), STORE_OK);
	cr_assert_eq(store_person_put(st, "박바다", "sea@example.kr", ROLE_REPORTER, &people[1]), STORE_OK);
	cr_assert_eq(store_person_put(st, "이구름", "cloud@example.kr", ROLE_REPORTER, &people[2]), STORE_OK);
	cr_assert_eq(store_begin(st), STORE_OK);
	/* Three articles a minute, so the id decides ties of publication time;
	 * some drafts, some with two reporters, any set of tags.  Enough that
	 * every list but the tags' is long enough for marks (more than 64). */
	for (i = 0; i < 400; i++)
		ids[n++] = add(st, secs[i % 3], people[i % 2], i % 4 == 0 ? people[2] : 0,
		    i % 7 == 3 ? ARTICLE_DRAFT : ARTICLE_PUBLISHED, 1700000000 + (i / 3) * 60, i % 8);
	cr_assert_eq(store_commit(st), STORE_OK);
	cr_assert_eq(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	other = store_open(dbpath, 0, NULL, err, sizeof err);
	cr_assert_not_null(other, "%s", err);
	check_all(st, db, secs, people, ids[10]);

	/* Publish two drafts (published now), take three down, delete two. */
	cr_assert_eq(store_article_set_status(st, ids[3], ARTICLE_PUBLISHED, 1800000000, 0), STORE_OK,
	    "%s", store_errmsg(st));
	cr_assert_eq(store_article_set_status(st, ids[10], ARTICLE_PUBLISHED, 1600000000, 0), STORE_OK);
	cr_assert_eq(store_article_set_status(st, ids[0], ARTICLE_UNPUBLISHED, 1800000060, 0), STORE_OK);
	cr_assert_eq(store_article_set_status(st, ids[50], ARTICLE_UNPUBLISHED, 1800000060, 0), STORE_OK);
	cr_assert_eq(store_article_set_status(st, ids[51], ARTICLE_SCHEDULED, 1900000000, 0), STORE_OK);
	cr_assert_eq(store_article_delete(st, ids[20]), STORE_OK);
	cr_assert_eq(store_article_delete(st, ids[3 * 7 + 3]), STORE_OK);
	/* Move one to another section, reporter and tags. */
	cr_assert_eq(store_article_get(st, &ar, ids[30], &art), STORE_OK);
	art.section.id = secs[2];
	art.bylines[0].id = people[2];
	art.nbylines = 1;
	art.tags[0] = tags[2];
	art.ntags = 1;
	art.body_text = "본문입니다.";
	cr_assert_eq(store_article_update(st, &art), STORE_OK, "%s", store_errmsg(st));
	check_all(st, db, secs, people, ids[10]);

	/* A published article taken back to draft and published again keeps
	 * its first publication time, and its place in the lists. */
	cr_assert_eq(store_article_set_status(st, ids[60], ARTICLE_DRAFT, 1800000000, 0), STORE_OK);
	check_all(st, db, secs, people, ids[60]);
	cr_assert_eq(store_article_set_status(st, ids[60], ARTICLE_PUBLISHED, 1800000120, 0), STORE_OK);
	check_all(st, db, secs, people, ids[60]);

	sqlite3_close(db);
	store_close(other);
	other = NULL;
	store_close(st);
	arena_free(&ar);
}

/* The counters agree with count(*) for every section and status. */
Test(scale, section_counters_follow_every_change, .init = mkpath, .fini = cleanup)
{
	struct arena ar = ARENA_INIT;
	struct article art;
	char err[512];
	struct store *st;
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t s1, s2, p, p2;
	int64_t ids[10];
	int i, rows = 0;

	st = store_open(dbpath, STORE_OPEN_CREATE, NULL, err, sizeof err);
	cr_assert_not_null(st, "%s", err);
	cr_assert_eq(store_section_put(st, "economy", "경제", 1, &s1), STORE_OK);
	cr_assert_eq(store_section_put(st, "society", "사회", 2, &s2), STORE_OK);
	cr_assert_eq(store_person_put(st, "김하늘", "sky@example.kr", ROLE_REPORTER, &p), STORE_OK);
	cr_assert_eq(store_person_put(st, "이바다", "sea@example.kr", ROLE_REPORTER, &p2), STORE_OK);
	for (i = 0; i < 10; i++)
		ids[i] = add(st, i < 6 ? s1 : s2, p, i % 2 ? p2 : 0, i % 3 ? ARTICLE_PUBLISHED : ARTICLE_DRAFT,
		    1700000000 + i * 60, i % 4 ? 1 : 3);
	cr_assert_eq(store_article_set_status(st, ids[0], ARTICLE_PUBLISHED, 1800000000, 0), STORE_OK);
	cr_assert_eq(store_article_set_status(st, ids[1], ARTICLE_SUBMITTED, 1800000000, 0), STORE_OK);
	cr_assert_eq(store_article_delete(st, ids[2]), STORE_OK);
	cr_assert_eq(store_article_get(st, &ar, ids[4], &art), STORE_OK);
	art.section.id = s2;
	art.body_text = "본문입니다.";
	cr_assert_eq(store_article_update(st, &art), STORE_OK, "%s", store_errmsg(st));
	/* another reporter and other tags for a published article */
	cr_assert_eq(store_article_get(st, &ar, ids[5], &art), STORE_OK);
	art.bylines[0].id = p2;
	art.nbylines = 1;
	art.tags[0] = tags[2];
	art.ntags = 1;
	art.body_text = "본문입니다.";
	cr_assert_eq(store_article_update(st, &art), STORE_OK, "%s", store_errmsg(st));
	cr_assert_eq(store_article_set_status(st, ids[7], ARTICLE_DRAFT, 0, 0), STORE_OK);

	cr_assert_eq(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	/* Every (section, status) pair either side, zero counts included. */
	cr_assert_eq(sqlite3_prepare_v2(db,
	    "SELECT k.section_id, k.status, coalesce(c.n, 0), "
	    "(SELECT count(*) FROM article a WHERE a.section_id = k.section_id AND a.status = k.status) "
	    "FROM (SELECT section_id, status FROM article UNION SELECT section_id, status FROM article_count) k "
	    "LEFT JOIN article_count c ON c.section_id = k.section_id AND c.status = k.status",
	    -1, &s, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	while (sqlite3_step(s) == SQLITE_ROW) {
		rows++;
		cr_expect_eq(sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3), "section %lld %s: %lld, count %lld",
		    (long long)sqlite3_column_int64(s, 0), sqlite3_column_text(s, 1),
		    (long long)sqlite3_column_int64(s, 2), (long long)sqlite3_column_int64(s, 3));
	}
	sqlite3_finalize(s);
	cr_expect_geq(rows, 4);
	/* The reporters' and tags' counters (migration 010) likewise. */
	rows = 0;
	cr_assert_eq(sqlite3_prepare_v2(db,
	    "WITH k(list, key, status, real) AS ("
	    " SELECT 'person', person_id, status, count(*) FROM article_byline GROUP BY person_id, status"
	    " UNION ALL SELECT 'tag', tag_id, status, count(*) FROM article_tag GROUP BY tag_id, status"
	    " UNION ALL SELECT list, key, status, 0 FROM link_count) "
	    "SELECT k.list, k.key, k.status, coalesce(c.n, 0), max(k.real) FROM k "
	    "LEFT JOIN link_count c ON c.list = k.list AND c.key = k.key AND c.status = k.status "
	    "GROUP BY k.list, k.key, k.status",
	    -1, &s, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	while (sqlite3_step(s) == SQLITE_ROW) {
		rows++;
		cr_expect_eq(sqlite3_column_int64(s, 3), sqlite3_column_int64(s, 4), "%s %lld %s: %lld, count %lld",
		    sqlite3_column_text(s, 0), (long long)sqlite3_column_int64(s, 1), sqlite3_column_text(s, 2),
		    (long long)sqlite3_column_int64(s, 3), (long long)sqlite3_column_int64(s, 4));
	}
	sqlite3_finalize(s);
	cr_expect_geq(rows, 8);
	sqlite3_close(db);
	store_close(st);
	arena_free(&ar);
}

/* One deep page of any list q on st, against the scan under cond. */
static void
deep_list_ok(struct store *st, sqlite3 *db, struct article_query q, const char *cond, int64_t key, int offset,
    const char *what)
{
	struct arena ar = ARENA_INIT;
	struct article_list l;
	int64_t want[600];
	int n, i;

	n = reference(db, cond, key, q.tag, 0, want, 600);
	q.status = ARTICLE_PUBLISHED;
	q.limit = 10;
	q.offset = offset;
	q.want_total = 1;
	cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK, "%s", store_errmsg(st));
	cr_expect_eq(l.total, n, "%s: total %lld, a scan counts %d", what, (long long)l.total, n);
	cr_assert_eq(l.n, 10, "%s: %d rows", what, l.n);
	for (i = 0; i < l.n; i++)
		cr_expect_eq(l.items[i].id, want[offset + i], "%s at %d: id %lld, want %lld", what, offset + i,
		    (long long)l.items[i].id, (long long)want[offset + i]);
	arena_free(&ar);
}

/* One deep page of a section on st, against the scan. */
static void
deep_page_ok(struct store *st, sqlite3 *db, int64_t section, int offset, const char *what)
{
	struct article_query q;

	memset(&q, 0, sizeof q);
	q.section_id = section;
	deep_list_ok(st, db, q, "a.section_id = ?1", section, offset, what);
}

/* The lists' conditions for the scan (reference). */
#define IN_SECTION "a.section_id = ?1"
#define BY_PERSON  "a.id IN (SELECT article_id FROM article_byline WHERE person_id = ?1)"
#define BY_TAG     "a.id IN (SELECT at.article_id FROM article_tag at JOIN tag t ON t.id = at.tag_id " \
                   "WHERE t.name = ?2)"

/* The page at offset of a section's, a reporter's and a tag's list. */
static void
three_lists_ok(struct store *st, sqlite3 *db, struct article_query qs, struct article_query qp,
    struct article_query qt, int offset, const char *when)
{
	char what[96];

	snprintf(what, sizeof what, "section, %s", when);
	deep_list_ok(st, db, qs, IN_SECTION, qs.section_id, offset, what);
	snprintf(what, sizeof what, "reporter, %s", when);
	deep_list_ok(st, db, qp, BY_PERSON, qp.person_id, offset, what);
	snprintf(what, sizeof what, "tag, %s", when);
	deep_list_ok(st, db, qt, BY_TAG, 0, offset, what);
}

/* A writer on a new database with two sections and two reporters, and
 * 300 articles a minute apart by the first reporter, every tenth a draft,
 * the first in_first in the first section and the rest in the second,
 * with the tags of tag_mask; the database opened read-only for scans into
 * *db, and two more connections, a and b. */
static struct store *
seed(int64_t secs[2], int64_t people[2], int64_t ids[300], int in_first, int tag_mask, sqlite3 **db,
    struct store **a, struct store **b)
{
	struct store *w;
	char err[512];
	int i;

	w = store_open(dbpath, STORE_OPEN_CREATE, NULL, err, sizeof err);
	cr_assert_not_null(w, "%s", err);
	cr_assert_eq(store_section_put(w, "economy", "경제", 1, &secs[0]), STORE_OK);
	cr_assert_eq(store_section_put(w, "society", "사회", 2, &secs[1]), STORE_OK);
	cr_assert_eq(store_person_put(w, "김하늘", "sky@example.kr", ROLE_REPORTER, &people[0]), STORE_OK);
	cr_assert_eq(store_person_put(w, "박바다", "sea@example.kr", ROLE_REPORTER, &people[1]), STORE_OK);
	cr_assert_eq(store_begin(w), STORE_OK);
	for (i = 0; i < 300; i++)
		ids[i] = add(w, secs[i < in_first ? 0 : 1], people[0], 0,
		    i % 10 == 9 ? ARTICLE_DRAFT : ARTICLE_PUBLISHED, 1700000000 + i * 60, tag_mask);
	cr_assert_eq(store_commit(w), STORE_OK);
	cr_assert_eq(sqlite3_open_v2(dbpath, db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	*a = store_open(dbpath, 0, NULL, err, sizeof err);
	*b = store_open(dbpath, 0, NULL, err, sizeof err);
	cr_assert(*a != NULL && *b != NULL, "%s", err);
	return w;
}

/* A section's page read on st (inside its own transaction, say): its
 * total. */
static int64_t
section_total(struct store *st, int64_t section, int offset)
{
	struct arena ar = ARENA_INIT;
	struct article_query q;
	struct article_list l;

	memset(&q, 0, sizeof q);
	q.status = ARTICLE_PUBLISHED;
	q.section_id = section;
	q.limit = 10;
	q.offset = offset;
	q.want_total = 1;
	cr_assert_eq(store_articles_list(st, &ar, &q, &l), STORE_OK, "%s", store_errmsg(st));
	arena_free(&ar);
	return l.total;
}

static void
unseed(sqlite3 *db, struct store *a, struct store *b, struct store *w)
{
	sqlite3_close(db);
	store_close(a);
	store_close(b);
	store_close(w);
}

/*
 * The marks one connection sets in a long list are taken by another that
 * reads the database in the same state, and never by one that reads
 * another state: after a commit that moves articles without changing the
 * count, or from a connection whose own transaction has not committed.
 */
Test(scale, marks_shared_only_within_one_state, .init = mkpath, .fini = cleanup)
{
	struct store *a, *b, *w;
	char err[512];
	sqlite3 *db;
	int64_t secs[2], people[2], ids[300], sec;
	long taken;

	w = seed(secs, people, ids, 300, 0, &db, &a, &b);
	sec = secs[0];

	/* 270 published: marks every 9 rows.  a walks to row 100 and leaves
	 * its marks; b's page before it starts from one of them. */
	deep_page_ok(a, db, sec, 100, "a, first");
	taken = store__shared_marks_taken();
	deep_page_ok(b, db, sec, 35, "b, same state");
	cr_expect_gt(store__shared_marks_taken(), taken, "b did not take a's marks");

	/* One taken down and one draft published, in one commit: the count
	 * stays 270, and the rows between them move by one, with the marks
	 * among them. */
	cr_assert_eq(store_begin(w), STORE_OK);
	cr_assert_eq(store_article_set_status(w, ids[250], ARTICLE_UNPUBLISHED, 1800000000, 0), STORE_OK);
	cr_assert_eq(store_article_set_status(w, ids[9], ARTICLE_PUBLISHED, 1800000000, 0), STORE_OK);
	cr_assert_eq(store_commit(w), STORE_OK);
	taken = store__shared_marks_taken();
	deep_page_ok(b, db, sec, 35, "b, after the commit");
	cr_expect_eq(store__shared_marks_taken(), taken, "b took marks of the state before the commit");

	/* The writer's view inside its own transaction is uncommitted: marks
	 * set there would name a state its rollback hands back for another
	 * commit to reach with other rows, so none are set or left. */
	deep_page_ok(w, db, sec, 20, "w, before its transaction");
	cr_assert_eq(store_begin(w), STORE_OK);
	cr_assert_eq(store_article_set_status(w, ids[240], ARTICLE_UNPUBLISHED, 1800000060, 0), STORE_OK);
	cr_assert_eq(store_article_set_status(w, ids[19], ARTICLE_PUBLISHED, 1800000060, 0), STORE_OK);
	cr_assert_eq(section_total(w, sec, 130), 270);
	{
		/* A third reader, with no marks of its own yet. */
		struct store *c = store_open(dbpath, 0, NULL, err, sizeof err);

		cr_assert_not_null(c, "%s", err);
		deep_page_ok(c, db, sec, 40, "c, while the writer's transaction is open");
		deep_page_ok(c, db, sec, 50, "c, further");
		store_close(c);
	}
	store_rollback(w);
	deep_page_ok(b, db, sec, 128, "b, after the rollback");
	deep_page_ok(a, db, sec, 120, "a, after the rollback");
	deep_page_ok(b, db, sec, 110, "b, from a's marks");

	unseed(db, a, b, w);
}

/*
 * Marks outlive commits that leave their list as it was (a draft saved
 * in the same section, an article of another section and reporter, a
 * setting), in the connection that set them and in the others, and go
 * with any commit that moves the list's rows without changing their
 * number: a publication time changed in place (migration 012).
 */
Test(scale, marks_outlive_changes_to_other_lists, .init = mkpath, .fini = cleanup)
{
	struct store *a, *b, *w;
	struct article_query qs, qp, qt;
	char sql[256];
	sqlite3 *db;
	int64_t secs[2], people[2], ids[300], sec, sec2, person, person2;
	long walked, taken;

	w = seed(secs, people, ids, 300, 1, &db, &a, &b);
	sec = secs[0];
	sec2 = secs[1];
	person = people[0];
	person2 = people[1];
	qs = (struct article_query){ .section_id = sec };
	qp = (struct article_query){ .person_id = person };
	qt = (struct article_query){ .tag = tags[0] };

	/* 270 published in each list: a sets marks to row 100 of each. */
	walked = store__marks_walked();
	three_lists_ok(a, db, qs, qp, qt, 100, "first");
	cr_assert_gt(store__marks_walked(), walked, "no marks were set");

	/* Commits to other lists: a draft of the same section and reporter,
	 * a published article of another section and reporter, and the
	 * draft taken to desk review. */
	add(w, sec, person, 0, ARTICLE_DRAFT, 1800000000, 1);
	add(w, sec2, person2, 0, ARTICLE_PUBLISHED, 1800000000, 2);
	cr_assert_eq(store_article_set_status(w, ids[19], ARTICLE_SUBMITTED, 1800000060, 0), STORE_OK);

	walked = store__marks_walked();
	three_lists_ok(a, db, qs, qp, qt, 100, "after other commits");
	cr_expect_eq(store__marks_walked(), walked, "marks of unchanged lists were set again");
	taken = store__shared_marks_taken();
	deep_list_ok(b, db, qs, IN_SECTION, sec, 100, "section, another connection");
	cr_expect_gt(store__shared_marks_taken(), taken, "b did not take a's marks");
	cr_expect_eq(store__marks_walked(), walked, "b walked the list a had marked");

	/* The newest published article moved to before the oldest: the
	 * same number of rows, each of the first 100 one place further up. */
	snprintf(sql, sizeof sql, "UPDATE article SET published_at = 1600000000 WHERE id = %lld", (long long)ids[298]);
	cr_assert_eq(sqlite3_exec(store__db(w), sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(store__db(w)));
	deep_list_ok(a, db, qs, IN_SECTION, sec, 100, "section, after a move");
	deep_list_ok(b, db, qs, IN_SECTION, sec, 95, "section, after a move, b");
	deep_list_ok(a, db, qp, BY_PERSON, person, 100, "reporter, after a move");
	deep_list_ok(b, db, qt, BY_TAG, 0, 100, "tag, after a move");
	cr_expect_gt(store__marks_walked(), walked, "the moved lists were read from stale marks");

	/* A transaction that moves the list and is rolled back, then one
	 * that moves other rows as far in the counters and commits: the
	 * generations the first one read are the second one's. */
	deep_list_ok(w, db, qs, IN_SECTION, sec, 100, "section, writer before");
	cr_assert_eq(store_begin(w), STORE_OK);
	cr_assert_eq(store_article_set_status(w, ids[250], ARTICLE_UNPUBLISHED, 1800000120, 0), STORE_OK);
	cr_assert_eq(store_article_set_status(w, ids[9], ARTICLE_PUBLISHED, 1800000120, 0), STORE_OK);
	cr_assert_eq(section_total(w, sec, 100), 270);
	store_rollback(w);
	cr_assert_eq(store_begin(w), STORE_OK);
	cr_assert_eq(store_article_set_status(w, ids[100], ARTICLE_UNPUBLISHED, 1800000180, 0), STORE_OK);
	cr_assert_eq(store_article_set_status(w, ids[29], ARTICLE_PUBLISHED, 1800000180, 0), STORE_OK);
	cr_assert_eq(store_commit(w), STORE_OK);
	deep_list_ok(w, db, qs, IN_SECTION, sec, 100, "section, writer after the rollback and a commit");
	deep_list_ok(a, db, qs, IN_SECTION, sec, 100, "section, a after the rollback and a commit");

	unseed(db, a, b, w);
}

/*
 * store_lists_prepare sets the marks of every long list (all, each
 * section, each reporter) from both ends, once per state of each list:
 * another connection's deep pages then walk nothing, on either side of
 * the middle, and after a change only the changed lists are walked again.
 */
Test(scale, lists_prepared_ahead_of_their_readers, .init = mkpath, .fini = cleanup)
{
	struct store *w, *p, *b;
	struct article_query qs, qp;
	sqlite3 *db;
	int64_t secs[2], people[2], ids[300], sec, person;
	int i, walked, walked2;
	long before;
	static const int offsets[] = { 5, 100, 130, 140, 200, 260 };

	w = seed(secs, people, ids, 280, 0, &db, &p, &b);
	sec = secs[0];
	person = people[0];
	qs = (struct article_query){ .section_id = sec };
	qp = (struct article_query){ .person_id = person };

	/* All (270), the first section (252) and the reporter (270); the
	 * second section (18) is too short for marks. */
	cr_assert_eq(store_lists_prepare(p, NULL, &walked), STORE_OK, "%s", store_errmsg(p));
	cr_expect_geq(walked, 3 * 2 * 16, "every list, both ends, sixteen marks each");
	cr_assert_eq(store_lists_prepare(p, NULL, &walked2), STORE_OK);
	cr_expect_eq(walked2, 0, "lists as they were were walked again");

	before = store__marks_walked();
	for (i = 0; i < 6; i++) {
		deep_list_ok(b, db, qs, IN_SECTION, sec, offsets[i] * 240 / 270, "section, prepared");
		deep_list_ok(b, db, qp, BY_PERSON, person, offsets[i], "reporter, prepared");
	}
	cr_expect_eq(store__marks_walked(), before, "a reader walked a prepared list");

	/* A draft of the second section published: the lists of all articles
	 * and of the reporter change, the first section's does not. */
	cr_assert_eq(store_article_set_status(w, ids[289], ARTICLE_PUBLISHED, 1800000000, 0), STORE_OK);
	cr_assert_eq(store_lists_prepare(p, NULL, &walked), STORE_OK);
	cr_expect_eq(walked, 2 * 2 * 16, "walks after one list changed: %d", walked);
	before = store__marks_walked();
	deep_list_ok(b, db, qp, BY_PERSON, person, 150, "reporter, after a publication");
	deep_list_ok(b, db, qs, IN_SECTION, sec, 120, "section, after another's publication");
	cr_expect_eq(store__marks_walked(), before, "a reader walked a list prepared again");

	unseed(db, p, b, w);
}
