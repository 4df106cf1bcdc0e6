/*
 * test_search_rank.c - how search ranks and counts without reading every
 * match: ko_rank() against FTS5's own bm25(), the estimate of a total past
 * SEARCH_COUNT_EXACT matches, the pages of a search (ranked, then by date,
 * then past an estimate's real end), and what the reader sees of it.
 *
 * The archive: 3,000 published articles, one a minute; article i (from 0)
 * holds 물결 when i is even (1,500), 바람 when i % 5 == 0 (600), 노을 when
 * i % 13 == 0 and 들꽃 when i % 17 == 0 (both under ko_rank's sample), and
 * 파도 only from i = 1,800 on (1,200, all of them new: an estimate from
 * the newest matches overshoots).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "core/buf.h"
#include "news/news.h"
#include "search/search.h"
#include "store/store.h"
#include "testutil.h"

#define NART  3000
#define T0    1764000000

static char db[128];
static struct store *st;
static int64_t ids[NART];

static void
setup(void)
{
	struct buf body = BUF_INIT;
	int64_t sec, who;
	int i;

	st = tu_store_new(db, sizeof db);
	cr_assert_eq(store_section_put(st, "society", "사회", 1, &sec), STORE_OK);
	cr_assert_eq(store_person_put(st, "한결", "kyeol@example.kr", ROLE_REPORTER, &who), STORE_OK);
	cr_assert_eq(store_begin(st), STORE_OK);
	for (i = 0; i < NART; i++) {
		struct article a;

		buf_reset(&body);
		buf_printf(&body, "<p>기록 %d번째 소식입니다.", i);
		if (i % 2 == 0)
			buf_puts(&body, " 물결이 높았다.");
		if (i % 5 == 0)
			buf_puts(&body, " 바람이 불었다.");
		if (i % 13 == 0)
			buf_puts(&body, " 노을이 졌다. 노을 아래 산책.");
		if (i % 17 == 0)
			buf_puts(&body, " 들꽃이 피었다.");
		if (i >= 1800)
			buf_puts(&body, " 파도가 쳤다.");
		buf_puts(&body, "</p>");
		memset(&a, 0, sizeof a);
		a.section.id = sec;
		a.status = ARTICLE_PUBLISHED;
		a.headline = i % 26 == 0 ? "노을 지는 바닷가" : "동네 소식";
		a.summary = "";
		a.body = body.p;
		a.slug = a.display_byline = a.source_note = "";
		a.bylines[0].id = who;
		a.nbylines = 1;
		a.created_at = a.updated_at = a.published_at = T0 + 60 * i;
		cr_assert_eq(store_article_insert(st, &a), STORE_OK, "%s", store_errmsg(st));
		ids[i] = a.id;
	}
	cr_assert_eq(store_commit(st), STORE_OK);
	buf_free(&body);
}

static void
teardown(void)
{
	store_close(st);
	tu_rm_db(db);
}

/* Runs q with the filters and page of p (match, recheck and clock are
 * filled in here); returns the number of results. */
static int
found(struct arena *a, const char *q, struct search_params p, struct search_results *out)
{
	struct search_query sq;
	char err[128];
	int rc;

	cr_assert_eq(search_query_parse(&sq, q, strlen(q), err, sizeof err), SEARCH_OK, "%s", err);
	p.match = arena_strndup(a, sq.fts.p, sq.fts.len);
	p.query = search_query_needs_recheck(&sq) ? q : NULL;
	search_query_free(&sq);
	p.now = T0 + 60 * NART;
	rc = store_search(st, a, &p, out);
	cr_assert_eq(rc, STORE_OK, "offset %d: %d %s", p.offset, rc, store_errmsg(st));
	return out->n;
}

static int
search(struct arena *a, const char *q, time_t since, int offset, int limit, struct search_results *out)
{
	return found(a, q, (struct search_params){ .since = since, .offset = offset, .limit = limit }, out);
}

/* Every page of q, 20 a page, into seen[] (article index -> times seen);
 * returns the number of results. */
static int
all_pages(const char *q, int *seen, int64_t *order)
{
	struct arena a = ARENA_INIT;
	struct search_results r;
	int off, i, n = 0, k;

	for (off = 0; ; off += 20) {
		arena_free(&a);
		if (search(&a, q, 0, off, 20, &r) == 0)
			break;
		for (i = 0; i < r.n; i++) {
			for (k = 0; k < NART && ids[k] != r.items[i].article.id; k++)
				;
			cr_assert_lt(k, NART);
			seen[k]++;
			order[n++] = r.items[i].article.id;
		}
	}
	arena_free(&a);
	return n;
}

Test(search_rank, exact_count_and_every_page_once, .init = setup, .fini = teardown)
{
	struct arena a = ARENA_INIT;
	struct search_results r;
	static int seen[NART];
	static int64_t order[NART];
	int n, i;

	search(&a, "바람", 0, 0, 20, &r);
	cr_expect_eq(r.total, 600);
	cr_expect_not(r.total_estimated, "600 matches are counted, not estimated");
	n = all_pages("바람", seen, order);
	cr_assert_eq(n, 600);
	for (i = 0; i < NART; i++)
		cr_expect_eq(seen[i], i % 5 == 0, "article %d seen %d times", i, seen[i]);
	/* The first SEARCH_CANDIDATES are the newest matches, ranked; the
	 * rest go by date, newest first. */
	for (i = 0; i < SEARCH_CANDIDATES; i++)
		cr_expect_geq(order[i], ids[NART - 5 * SEARCH_CANDIDATES]);
	for (i = SEARCH_CANDIDATES; i < n; i++)
		cr_expect_eq(order[i], ids[NART - 5 - 5 * i], "result %d", i);
	arena_free(&a);
}

Test(search_rank, estimate_past_the_exact_count, .init = setup, .fini = teardown)
{
	struct arena a = ARENA_INIT;
	struct search_results r;
	static int seen[NART];
	static int64_t order[NART];
	int64_t unit;

	search(&a, "물결", 0, 0, 20, &r);
	cr_expect(r.total_estimated, "1,500 matches are more than are counted");
	cr_expect(llabs(r.total - 1500) <= 150, "estimate %lld for 1,500", (long long)r.total);
	for (unit = 1; r.total / unit >= 100; unit *= 10)
		;
	cr_expect_eq(r.total % unit, 0, "%lld has two significant digits", (long long)r.total);
	/* Pages past the walked matches come by date, every match once. */
	cr_expect_eq(all_pages("물결", seen, order), 1500);
	for (int i = 0; i < NART; i++)
		cr_expect_eq(seen[i], i % 2 == 0, "article %d seen %d times", i, seen[i]);
	arena_free(&a);
}

Test(search_rank, an_overshooting_estimate_ends_in_an_empty_page, .init = setup, .fini = teardown)
{
	struct arena a = ARENA_INIT;
	struct search_results r;

	/* 파도 is in the newest 1,200 only: read from the newest, it looks
	 * like it is in every article. */
	search(&a, "파도", 0, 0, 20, &r);
	cr_expect(r.total_estimated);
	cr_expect_gt(r.total, 2000, "estimate %lld", (long long)r.total);
	cr_expect_eq(search(&a, "파도", 0, 1180, 20, &r), 20, "the last real page");
	cr_expect_eq(r.items[19].article.id, ids[1800]);
	cr_expect_eq(search(&a, "파도", 0, 1200, 20, &r), 0, "past the real end, within the estimate");
	cr_expect(r.total_estimated);

	/* A date filter narrows the ids the estimate is carried over. */
	search(&a, "파도", T0 + 60 * 1800, 0, 20, &r);
	cr_expect(r.total_estimated);
	cr_expect(llabs(r.total - 1200) <= 20, "since the first 파도: estimate %lld", (long long)r.total);
	arena_free(&a);
}

/* An article of the given day and words, published, inserted now (so its
 * id is the newest whatever its date, as an imported archive's are). */
static int64_t
late(const char *words, time_t published)
{
	struct article a;
	char body[256];

	snprintf(body, sizeof body, "<p>%s</p>", words);
	memset(&a, 0, sizeof a);
	a.section.id = 1;
	a.status = ARTICLE_PUBLISHED;
	a.headline = "옛 기사";
	a.summary = "";
	a.body = body;
	a.slug = a.display_byline = a.source_note = "";
	a.created_at = a.updated_at = a.published_at = published;
	cr_assert_eq(store_article_insert(st, &a), STORE_OK, "%s", store_errmsg(st));
	return a.id;
}

static int
cmp_id(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

/* The ids q finds with the filters of p, all of them (up to 1,000), as a
 * comma list in ascending order, in a static buffer. */
static const char *
ids_of(const char *q, struct search_params p)
{
	static char out[8192];
	struct arena a = ARENA_INIT;
	struct search_results r;
	int64_t got[1000];
	size_t o = 0;
	int i;

	p.limit = 1000;
	found(&a, q, p, &r);
	for (i = 0; i < r.n; i++)
		got[i] = r.items[i].article.id;
	qsort(got, (size_t)r.n, sizeof *got, cmp_id);
	out[0] = '\0';
	for (i = 0; i < r.n; i++)
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%lld", o ? "," : "", (long long)got[i]);
	arena_free(&a);
	return out;
}

/* What q finds published in [since, until). */
static const char *
period(const char *q, time_t since, time_t until)
{
	return ids_of(q, (struct search_params){ .since = since, .until = until });
}

/* What q finds within a section and/or by a person. */
static const char *
within(const char *q, int64_t section, int64_t person)
{
	return ids_of(q, (struct search_params){ .section_id = section, .person_id = person });
}

Test(search_rank, a_period_finds_every_article_published_in_it, .init = setup, .fini = teardown)
{
	int64_t old = late("안개가 짙었다.", T0 - 400 * 86400), moved;
	char want[64], sql[128], err[256];

	/* An old article with the newest id is found by its date. */
	snprintf(want, sizeof want, "%lld", (long long)old);
	cr_expect_str_eq(period("안개", T0 - 401 * 86400, T0 - 399 * 86400), want);
	cr_expect_str_eq(period("안개", T0 - 399 * 86400, 0), "");
	cr_expect_str_eq(period("안개", 0, T0), want);
	/* Its publication time moved to another day: found there. */
	moved = late("서리가 내렸다.", T0 - 30 * 86400);
	snprintf(sql, sizeof sql, "UPDATE article SET published_at = %lld WHERE id = %lld",
	    (long long)(T0 - 10 * 86400), (long long)moved);
	cr_assert_eq(tu_db_exec(db, sql, err, sizeof err), 0, "%s", err);
	snprintf(want, sizeof want, "%lld", (long long)moved);
	cr_expect_str_eq(period("서리", T0 - 11 * 86400, T0 - 9 * 86400), want);
	cr_expect_str_eq(period("서리", T0 - 31 * 86400, T0 - 29 * 86400), "");
	/* Within the archive: exactly the matches of the period, newest first
	 * past the ranked ones. */
	{
		const char *got = period("바람", T0 + 60 * 1000, T0 + 60 * 1100);
		char exp[256];
		size_t o = 0;
		int i, n = 0;

		for (i = 1095; i >= 1000; i -= 5, n++)
			o += (size_t)snprintf(exp + o, sizeof exp - o, "%s%lld", o ? "," : "", (long long)ids[i]);
		cr_expect_eq(n, 20);
		/* ranked, so compare as sets: same length and every id in it */
		cr_expect_eq(strlen(got), strlen(exp), "%s vs %s", got, exp);
		for (i = 1095; i >= 1000; i -= 5) {
			char id[24];

			snprintf(id, sizeof id, "%lld", (long long)ids[i]);
			cr_expect(strstr(got, id) != NULL, "%s missing from %s", id, got);
		}
	}
}

Test(search_rank, within_a_section_and_by_a_reporter, .init = setup, .fini = teardown)
{
	struct arena a = ARENA_INIT;
	struct article art;
	int64_t econ, jiwoo, lh[30], trap;
	char want[3][512], mark[64];
	size_t o[3] = { 0, 0, 0 };
	int i;

	cr_assert_eq(store_section_put(st, "economy", "경제", 2, &econ), STORE_OK);
	cr_assert_eq(store_person_put(st, "지우", "jiwoo@example.kr", ROLE_REPORTER, &jiwoo), STORE_OK);
	for (i = 0; i < 30; i++) {
		memset(&art, 0, sizeof art);
		art.section.id = i % 2 == 0 ? econ : 1;
		art.status = ARTICLE_PUBLISHED;
		art.headline = "등대 소식";
		art.summary = "";
		art.body = "<p>등대가 불을 밝혔다.</p>";
		art.slug = art.display_byline = art.source_note = "";
		art.bylines[0].id = i % 3 == 0 ? jiwoo : 1;
		art.nbylines = 1;
		if (i == 9) {
			/* two reporters, the second one counts too */
			art.bylines[0].id = 1;
			art.bylines[1].id = jiwoo;
			art.nbylines = 2;
		}
		art.created_at = art.updated_at = art.published_at = T0 + 60 * (NART + i);
		cr_assert_eq(store_article_insert(st, &art), STORE_OK, "%s", store_errmsg(st));
		lh[i] = art.id;
	}
	for (i = 0; i < 30; i++) {
		int in_econ = i % 2 == 0, by_jiwoo = i % 3 == 0;

		if (in_econ)
			o[0] += (size_t)snprintf(want[0] + o[0], 512 - o[0], "%s%lld", o[0] ? "," : "", (long long)lh[i]);
		if (by_jiwoo)
			o[1] += (size_t)snprintf(want[1] + o[1], 512 - o[1], "%s%lld", o[1] ? "," : "", (long long)lh[i]);
		if (in_econ && by_jiwoo)
			o[2] += (size_t)snprintf(want[2] + o[2], 512 - o[2], "%s%lld", o[2] ? "," : "", (long long)lh[i]);
	}
	cr_expect_str_eq(within("등대", econ, 0), want[0]);
	cr_expect_str_eq(within("등대", 0, jiwoo), want[1]);
	cr_expect_str_eq(within("등대", econ, jiwoo), want[2]);

	/* An edit that moves an article moves it in the filters too. */
	cr_assert_eq(store_article_get(st, &a, lh[1], &art), STORE_OK);
	art.section.id = econ;
	art.bylines[0].id = jiwoo;
	art.body_text = NULL;
	cr_assert_eq(store_article_update(st, &art), STORE_OK, "%s", store_errmsg(st));
	{
		const char *got = within("등대", econ, jiwoo);
		char id[24];

		snprintf(id, sizeof id, "%lld", (long long)lh[1]);
		cr_expect(strstr(got, id) != NULL, "moved article %s in %s", id, got);
		cr_expect_eq(strlen(got), strlen(want[2]) + 1 + strlen(id), "%s", got);
	}

	/* A headline that looks like a facet list is only words, and a reader
	 * cannot type a facet. */
	snprintf(mark, sizeof mark, "%ss%lld 등대", SEARCH_FACET_MARK, (long long)econ);
	memset(&art, 0, sizeof art);
	art.section.id = 1;
	art.status = ARTICLE_PUBLISHED;
	art.headline = mark;
	art.summary = "";
	art.body = "<p>등대지기의 하루.</p>";
	art.slug = art.display_byline = art.source_note = "";
	art.bylines[0].id = 1;
	art.nbylines = 1;
	art.created_at = art.updated_at = art.published_at = T0 + 60 * (NART + 40);
	cr_assert_eq(store_article_insert(st, &art), STORE_OK, "%s", store_errmsg(st));
	trap = art.id;
	{
		char id[24];

		snprintf(id, sizeof id, "%lld", (long long)trap);
		cr_expect(strstr(within("등대", econ, 0), id) == NULL, "not in the section by its headline");
		cr_expect(strstr(within("등대", 1, 0), id) != NULL, "in its own section");
	}
	snprintf(mark, sizeof mark, "%ss%lld", SEARCH_FACET_MARK, (long long)econ);
	cr_expect_str_eq(within(mark, 0, 0), "", "a typed facet finds nothing");
	arena_free(&a);
}

Test(search_rank, estimate_arithmetic)
{
	/* 1,001 matches over ids 2,000..3,000: one an id, carried to id 1. */
	cr_expect_eq(store_search_estimate(1001, 3000, 2000, 1), 3000);
	/* one in ten, carried over 100,000 ids; two significant digits */
	cr_expect_eq(store_search_estimate(1001, 200000, 190000, 1), 20000);
	cr_expect_eq(store_search_estimate(1001, 123456 + 1000, 123456, 0), 120000);
	/* nothing to carry */
	cr_expect_eq(store_search_estimate(1001, 3000, 2000, 2000), 1001);
	cr_expect_eq(store_search_estimate(1, 5, 5, 0), 1);

	/* ko_rank's document frequencies: exact under the sample, density
	 * past it, never more than the rows */
	cr_expect_float_eq(search_rank_hits(17, 900, 1, 1000, 500), 17.0, 1e-9);
	cr_expect_float_eq(search_rank_hits(256, 512, 1, 1024, 5000), 512.0, 1e-9);
	cr_expect_float_eq(search_rank_hits(256, 300, 1, 100000, 5000), 5000.0, 1e-9);
}

/* bm25() and ko_rank() of every row matching q, on a connection of its own. */
static int
scores(const char *match, double *bm, double *ko, int64_t *row, int max)
{
	static const char sql[] = "SELECT rowid, bm25(article_fts, 4.0, 1.0), "
	    "ko_rank(article_fts, 4.0, 1.0, ?2, ?3) FROM article_fts WHERE article_fts MATCH ?1 "
	    "ORDER BY rowid";
	sqlite3 *h;
	sqlite3_stmt *s;
	int n = 0;

	cr_assert_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(search_register_tokenizer(h), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK, "%s", sqlite3_errmsg(h));
	sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, ids[0]);
	sqlite3_bind_int64(s, 3, ids[NART - 1]);
	while (sqlite3_step(s) == SQLITE_ROW && n < max) {
		row[n] = sqlite3_column_int64(s, 0);
		bm[n] = sqlite3_column_double(s, 1);
		ko[n] = sqlite3_column_double(s, 2);
		n++;
	}
	sqlite3_finalize(s);
	sqlite3_close(h);
	return n;
}

Test(search_rank, ko_rank_is_bm25_for_rare_phrases, .init = setup, .fini = teardown)
{
	static double bm[NART], ko[NART];
	static int64_t row[NART];
	int n = scores("\"노을\" OR \"들꽃\"", bm, ko, row, NART), i;

	/* 231 + 177 - 14 rows, each phrase under the sample: counted exactly,
	 * so the scores are bm25()'s to rounding. */
	cr_assert_eq(n, 231 + 177 - 14);
	for (i = 0; i < n; i++) {
		cr_expect_lt(ko[i], 0, "better is lower, like bm25()");
		cr_expect(fabs(ko[i] - bm[i]) <= 1e-9 * fabs(bm[i]), "row %lld: ko_rank %.12g bm25 %.12g",
		    (long long)row[i], ko[i], bm[i]);
	}
}

Test(search_rank, ko_rank_estimates_common_phrases_closely, .init = setup, .fini = teardown)
{
	static double bm[NART], ko[NART];
	static int64_t row[NART];
	int n = scores("\"물결\" AND \"바람\"", bm, ko, row, NART), i, j;

	/* 물결 is in 1,500 rows and 바람 in 600, both past the sample. */
	cr_assert_eq(n, 300);
	for (i = 0; i < n; i++)
		cr_expect(fabs(ko[i] - bm[i]) <= 0.05 * fabs(bm[i]), "row %lld: ko_rank %.6g bm25 %.6g",
		    (long long)row[i], ko[i], bm[i]);
	/* and orders the rows as bm25() does */
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (fabs(bm[i] - bm[j]) > 1e-6 * fabs(bm[i]))
				cr_expect_eq(bm[i] < bm[j], ko[i] < ko[j], "rows %lld and %lld",
				    (long long)row[i], (long long)row[j]);
}

Test(search_rank, the_reader_sees_an_estimate_as_one, .init = setup, .fini = teardown)
{
	struct test_server srv;
	struct tu_response r;

	store_close(st);
	st = NULL;
	cr_assert_eq(tu_server_start(&srv, db, NULL), 0);
	/* 바람: counted, so the last page is named */
	cr_assert_eq(tu_http(srv.port, "GET", "/search?q=%EB%B0%94%EB%9E%8C", NULL, NULL, 0, &r), 0);
	cr_expect_eq(r.status, 200);
	cr_expect(strstr(r.body.p, "검색 결과 600건") != NULL, "%s", r.body.p);
	cr_expect(strstr(r.body.p, "1 / 30쪽") != NULL);
	tu_response_free(&r);
	/* 물결: about, with thousands grouped, and no last page promised */
	cr_assert_eq(tu_http(srv.port, "GET", "/search?q=%EB%AC%BC%EA%B2%B0", NULL, NULL, 0, &r), 0);
	cr_expect_eq(r.status, 200);
	cr_expect(strstr(r.body.p, "검색 결과 약 1,") != NULL, "%s", r.body.p);
	cr_expect(strstr(r.body.p, "<span>1쪽</span>") != NULL);
	cr_expect(strstr(r.body.p, "rel=\"next\"") != NULL);
	tu_response_free(&r);
	/* 파도, past its real end: said so, with the way back */
	cr_assert_eq(tu_http(srv.port, "GET", "/search?q=%ED%8C%8C%EB%8F%84&page=61", NULL, NULL, 0, &r), 0);
	cr_expect_eq(r.status, 200);
	cr_expect(strstr(r.body.p, "이 쪽에는 검색 결과가 없습니다") != NULL, "%s", r.body.p);
	cr_expect(strstr(r.body.p, "rel=\"prev\"") != NULL);
	cr_expect(strstr(r.body.p, "rel=\"next\"") == NULL);
	tu_response_free(&r);
	/* The API says which totals are estimates. */
	cr_assert_eq(tu_http(srv.port, "GET", "/api/v1/search?q=%EB%AC%BC%EA%B2%B0", NULL, NULL, 0, &r), 0);
	cr_expect(strstr(r.body.p, "\"total_estimated\":true") != NULL, "%s", r.body.p);
	tu_response_free(&r);
	cr_expect_eq(tu_server_stop(&srv), 0);
}
