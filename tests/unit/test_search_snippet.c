/*
 * test_search_snippet.c - ko_snippet(), the passage of a search result:
 * the matched words marked, the text around them cut between characters,
 * ellipses where text was left out, on an FTS5 table with the ko tokenizer
 * in memory.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/buf.h"
#include "search/search.h"

static sqlite3 *db;

static void
setup(void)
{
	cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	cr_assert_eq(search_register_tokenizer(db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize = 'ko')",
	    NULL, NULL, NULL), SQLITE_OK);
}

static void
teardown(void)
{
	sqlite3_close(db);
}

static void
put(int id, const char *title, const char *body)
{
	sqlite3_stmt *s;

	cr_assert_eq(sqlite3_prepare_v2(db, "INSERT INTO t (rowid, title, body) VALUES (?1, ?2, ?3)", -1, &s,
	    NULL), SQLITE_OK);
	sqlite3_bind_int(s, 1, id);
	sqlite3_bind_text(s, 2, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, body, -1, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
}

/* ko_snippet of row id for what a reader typed, [ ] around matches; NULL
 * when the row does not match. */
static char *
snip(int id, const char *q, int ntokens)
{
	struct buf fts = BUF_INIT;
	sqlite3_stmt *s;
	char err[128], *out = NULL;

	cr_assert_eq(search_query_to_fts(q, strlen(q), &fts, err, sizeof err), 0, "%s", err);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT ko_snippet(t, 1, '[', ']', '…', ?3) FROM t "
	    "WHERE t MATCH ?1 AND rowid = ?2", -1, &s, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_bind_text(s, 1, fts.p, (int)fts.len, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, id);
	sqlite3_bind_int(s, 3, ntokens);
	if (sqlite3_step(s) == SQLITE_ROW)
		out = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	buf_free(&fts);
	return out;
}

Test(search_snippet, a_short_body_whole_with_the_word_marked, .init = setup, .fini = teardown)
{
	char *s;

	put(1, "동네 소식", "시민들이 도시재생 사업을 반겼다.");
	s = snip(1, "도시재생", 40);
	cr_expect_str_eq(s, "시민들이 [도시재생] 사업을 반겼다.");
	free(s);
	s = snip(1, "사업을 반겼다", 40);
	cr_expect_str_eq(s, "시민들이 도시재생 [사업을] [반겼다].");
	free(s);
}

Test(search_snippet, a_long_body_is_cut_around_the_match, .init = setup, .fini = teardown)
{
	struct buf body = BUF_INIT;
	char *s, *plain, *o;
	const char *p;
	int i;

	for (i = 0; i < 30; i++)
		buf_puts(&body, "오늘도 비가 내리고 바람이 불었다. ");
	buf_puts(&body, "시의회는 도시재생 예산을 통과시켰다. ");
	for (i = 0; i < 30; i++)
		buf_puts(&body, "내일은 맑겠다고 한다. ");
	put(2, "의회 소식", body.p);
	s = snip(2, "도시재생", 40);
	cr_assert_not_null(s);
	cr_expect(strncmp(s, "…", strlen("…")) == 0, "starts with an ellipsis: %s", s);
	cr_expect(strlen(s) > strlen("…") && strcmp(s + strlen(s) - strlen("…"), "…") == 0,
	    "ends with one: %s", s);
	cr_expect(strstr(s, "[도시재생]") != NULL, "%s", s);
	cr_expect(strstr(s, "시의회는") != NULL, "a quarter of the window before the match: %s", s);
	/* Without marks and ellipses, a piece of the body as it was. */
	plain = strdup(s + strlen("…"));
	plain[strlen(plain) - strlen("…")] = '\0';
	for (p = o = plain; *p; p++)
		if (*p != '[' && *p != ']')
			*o++ = *p;
	*o = '\0';
	cr_expect(strstr(body.p, plain) != NULL, "'%s' is in the body", plain);
	cr_expect_lt(strlen(plain), 200, "about 40 tokens: %s", plain);
	free(plain);
	free(s);
	buf_free(&body);
}

Test(search_snippet, the_window_with_every_word, .init = setup, .fini = teardown)
{
	struct buf body = BUF_INIT;
	char *s;
	int i;

	buf_puts(&body, "청년 이야기로 시작한다. ");
	for (i = 0; i < 40; i++)
		buf_puts(&body, "여러 사정이 있었다. ");
	buf_puts(&body, "마침내 청년 창업 지원이 확정됐다. ");
	for (i = 0; i < 20; i++)
		buf_puts(&body, "끝. ");
	put(3, "소식", body.p);
	s = snip(3, "청년 창업", 40);
	cr_assert_not_null(s);
	cr_expect(strstr(s, "[청년] [창업]") != NULL, "the passage holding both words: %s", s);
	free(s);
	buf_free(&body);
}

Test(search_snippet, a_match_in_the_title_shows_the_opening, .init = setup, .fini = teardown)
{
	struct buf body = BUF_INIT;
	char *s;
	int i;

	for (i = 0; i < 40; i++)
		buf_puts(&body, "첫 문단의 내용이 이어진다. ");
	put(4, "축제 개막", body.p);
	s = snip(4, "축제", 40);
	cr_assert_not_null(s);
	cr_expect(strncmp(s, "첫 문단", strlen("첫 문단")) == 0, "the opening, unmarked: %s", s);
	cr_expect(strchr(s, '[') == NULL, "%s", s);
	cr_expect(strcmp(s + strlen(s) - strlen("…"), "…") == 0, "%s", s);
	free(s);
	buf_free(&body);
}

Test(search_snippet, numbers_latin_and_bad_arguments, .init = setup, .fini = teardown)
{
	sqlite3_stmt *st;
	char *s;

	put(5, "소식", "ESG 경영을 10년째 이어 온 회사다.");
	s = snip(5, "esg", 40);
	cr_expect_str_eq(s, "[ESG] 경영을 10년째 이어 온 회사다.");
	free(s);
	s = snip(5, "10년", 40);
	cr_expect(strstr(s, "[10년") != NULL, "%s", s);
	free(s);
	/* a window of one token */
	s = snip(5, "회사", 1);
	cr_expect(strstr(s, "[회사") != NULL, "%s", s);
	free(s);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT ko_snippet(t, 7, '[', ']', '…', 40) FROM t "
	    "WHERE t MATCH '\"회사\"'", -1, &st, NULL), SQLITE_OK);
	cr_expect_eq(sqlite3_step(st), SQLITE_ERROR, "a column that does not exist");
	sqlite3_finalize(st);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT ko_snippet(t, 1, '[', ']', '…', 0) FROM t "
	    "WHERE t MATCH '\"회사\"'", -1, &st, NULL), SQLITE_OK);
	cr_expect_eq(sqlite3_step(st), SQLITE_ERROR, "no tokens");
	sqlite3_finalize(st);
}

/* Random bodies from a small vocabulary: every passage is a piece of its
 * body (marks and ellipses aside), its marks are balanced and hold the
 * word searched for. */
Test(search_snippet, random_bodies, .init = setup, .fini = teardown)
{
	static const char *const words[] = {
		"도시재생", "예산", "시의회", "청년", "창업", "축제", "바람이", "분다", "ESG", "2024년",
		"주민", "의견을", "모았다", "(사진)", "“인터뷰”", "10년", "전주시는", "한옥마을",
	};
	const int nw = (int)(sizeof words / sizeof words[0]);
	struct buf body = BUF_INIT;
	int row, i, checked = 0;

	srand(7);
	for (row = 1; row <= 300; row++) {
		const char *w = words[rand() % nw];
		char *s, *plain, *o;
		const char *p;
		int depth = 0, marks = 0, n = 5 + rand() % 120;

		buf_reset(&body);
		for (i = 0; i < n; i++) {
			buf_puts(&body, words[rand() % nw]);
			buf_puts(&body, i % 9 == 8 ? ".\n" : " ");
		}
		put(1000 + row, "제목", body.p);
		if ((s = snip(1000 + row, w, 10 + rand() % 40)) == NULL)
			continue;   /* the word is not in this body */
		checked++;
		plain = strdup(s);
		for (p = o = plain; *p; p++) {
			if (strncmp(p, "…", strlen("…")) == 0) {
				p += strlen("…") - 1;
				continue;
			}
			if (*p == '[' || *p == ']') {
				depth += *p == '[' ? 1 : -1;
				marks += *p == '[';
				cr_assert(depth == 0 || depth == 1, "nested marks: %s", s);
				continue;
			}
			*o++ = *p;
		}
		*o = '\0';
		cr_expect_eq(depth, 0, "balanced: %s", s);
		cr_expect_gt(marks, 0, "'%s' marked in %s", w, s);
		cr_expect(strstr(body.p, plain) != NULL, "'%s' is a piece of '%s'", plain, body.p);
		free(plain);
		free(s);
	}
	cr_expect_gt(checked, 100);
	buf_free(&body);
}
