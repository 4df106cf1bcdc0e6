/*
 * fuzz_ko_tok.c - libFuzzer harness for Korean search (src/search/):
 * the tokenizer on arbitrary bytes (invalid UTF-8 included) as a document
 * and as a query, the normalizer, and the query translator run for real
 * against an in-memory FTS5 table.
 *
 * Besides crashes, leaks and UB it checks the properties search relies on:
 *   - terms are non-empty valid UTF-8 and their offsets lie inside the text
 *     and never go backwards;
 *   - the normalized text is valid UTF-8 without NUL or doubled spaces;
 *   - every translated query is accepted by FTS5 (no syntax error);
 *   - recall: when the recheck says a row matches, FTS5 returned it.
 *
 * Input layout: QUERY '\n' PREFIX '\n' SUFFIX; the row is PREFIX QUERY
 * SUFFIX, so the recall check has something to find.
 *
 *   build/fuzz/fuzz_ko_tok -dict=tests/fuzz/ko_tok.dict tests/fuzz/corpus/ko_tok
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "search/ko_tok.h"
#include "search/search.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT (64u << 10)

static sqlite3 *db;
static sqlite3_stmt *st_del, *st_ins, *st_match, *st_recheck;

static void
die(void)
{
	abort();
}

static void
setup(void)
{
	if (db)
		return;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    search_register_tokenizer(db) != SQLITE_OK ||
	    sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='ko')",
	    NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "DELETE FROM t", -1, &st_del, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO t(rowid, body) VALUES (1, ?1)", -1,
	    &st_ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1", -1,
	    &st_match, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1 AND "
	    "ko_recheck(?2, body)", -1, &st_recheck, NULL) != SQLITE_OK)
		die();
}

struct check {
	size_t len;
	size_t last_start;
};

static int
valid_utf8(const char *p, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		k = ko_tok_utf8_decode((const unsigned char *)p + i, n - i, &cp);
		if (cp == UINT32_MAX)
			return 0;
		i += k;
	}
	return 1;
}

static int
check_term(void *ctx, const char *tok, size_t toklen, size_t start, size_t end,
    int colocated)
{
	struct check *c = ctx;

	if (toklen == 0 || toklen > 2 * KO_TOK_WORD_MAX || !valid_utf8(tok, toklen))
		die();
	if (start >= end || end > c->len || start < c->last_start || colocated)
		die();
	c->last_start = start;
	return 0;
}

static void
tokenize(const char *p, size_t n)
{
	struct check c;

	c.len = n;
	c.last_start = 0;
	ko_tok_run(p, n, KO_TOK_DOCUMENT, check_term, &c);
	c.last_start = 0;
	ko_tok_run(p, n, KO_TOK_QUERY, check_term, &c);
}

static void
normalize(const char *p, size_t n)
{
	size_t len, i;
	char *s = ko_tok_normalize(p, n, &len);

	if (s == NULL)
		die();
	if (strlen(s) != len || !valid_utf8(s, len))
		die();
	for (i = 1; i < len; i++)
		if (s[i] == ' ' && s[i - 1] == ' ')
			die();
	tokenize(s, len);
	free(s);
}

/* Runs st with the expression (and the raw query); returns whether row 1
 * came back, aborting on any SQLite error. */
static int
run(sqlite3_stmt *st, const char *fts, const char *q, size_t qlen)
{
	int rc, found = 0;

	sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_text(st, 2, q, (int)qlen, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		found = 1;
	if (rc != SQLITE_DONE)
		die();
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return found;
}

static void
query(const char *q, size_t qlen, const char *row, size_t rowlen)
{
	struct search_query sq;
	struct str field;
	char err[64];
	int rc, want, got;

	rc = search_query_parse(&sq, q, qlen, err, sizeof err);
	if (rc != SEARCH_OK) {
		if (rc != SEARCH_EEMPTY && rc != SEARCH_ETOOLONG)
			die();
		search_query_free(&sq);
		return;
	}
	if (strlen(sq.fts.p) != sq.fts.len || !valid_utf8(sq.fts.p, sq.fts.len))
		die();
	sqlite3_bind_text(st_ins, 1, row, (int)rowlen, SQLITE_STATIC);
	if (sqlite3_step(st_ins) != SQLITE_DONE)
		die();
	sqlite3_reset(st_ins);
	field.p = row;
	field.len = rowlen;
	want = search_fields_match(&sq, &field, 1);
	if (want < 0)
		die();
	got = run(st_match, sq.fts.p, q, qlen);
	if (want && !got)
		die();                  /* recall: FTS5 missed a matching row */
	if (!search_query_needs_recheck(&sq) && got != want)
		die();                  /* FTS5 was meant to be exact here */
	if (run(st_recheck, sq.fts.p, q, qlen) != want)
		die();
	if (sqlite3_step(st_del) != SQLITE_DONE)
		die();
	sqlite3_reset(st_del);
	search_query_free(&sq);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *nl1, *nl2;
	size_t qlen, plen, slen;
	char *row;

	if (size > MAX_INPUT)
		return 0;
	setup();
	tokenize(p, size);
	normalize(p, size);

	nl1 = memchr(p, '\n', size);
	qlen = nl1 ? (size_t)(nl1 - p) : size;
	if (nl1) {
		nl2 = memchr(nl1 + 1, '\n', size - qlen - 1);
		plen = nl2 ? (size_t)(nl2 - nl1 - 1) : size - qlen - 1;
		slen = nl2 ? size - qlen - plen - 2 : 0;
	} else {
		nl2 = NULL;
		plen = slen = 0;
	}
	row = malloc(plen + qlen + slen + 1);
	if (row == NULL)
		die();
	if (plen)
		memcpy(row, nl1 + 1, plen);
	memcpy(row + plen, p, qlen);
	if (slen)
		memcpy(row + plen + qlen, nl2 + 1, slen);
	query(p, qlen, row, plen + qlen + slen);
	free(row);
	return 0;
}
