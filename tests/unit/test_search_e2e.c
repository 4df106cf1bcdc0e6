/*
 * test_search_e2e.c - search quality end to end: a database with the demo
 * paper, generated articles and tests/cases/search/corpus.jsonl, queried
 * through 'sinmun search --limit 0 --format ids' (the code path of the
 * site and the API), against an oracle computed here independently: a
 * published article matches when every query word, NFKC-casefolded, is a
 * plain substring of its NFKC-casefolded text (headline, subtitles, body
 * text).  Recall and precision must both be 1.0 for every query.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <utf8proc.h>

#include "core/buf.h"
#include "render/sanitize.h"
#include "testutil.h"

struct doc {
	long  id;
	char *text;   /* normalized */
};

static struct doc *docs;
static size_t ndocs;
static char db[128];

/* NFKC + case folding, white space runs as one space. */
static char *
norm(const char *s)
{
	utf8proc_uint8_t *out = NULL;
	char *p, *q;
	int sp = 0;

	cr_assert(utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
	    UTF8PROC_CASEFOLD | UTF8PROC_IGNORE) >= 0);
	for (p = q = (char *)out; *p; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
			if (!sp)
				*q++ = ' ';
			sp = 1;
			continue;
		}
		sp = 0;
		*q++ = *p;
	}
	*q = '\0';
	return (char *)out;
}

static void
run_ok(const char *const *argv)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	int rc = tu_run(argv, &out, &err);

	cr_assert(rc == 0 || rc == 3, "%s %s failed (%d): %s", argv[1], argv[2], rc, err.p);
	buf_free(&out);
	buf_free(&err);
}

static void
setup(void)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	struct buf text = BUF_INIT;
	size_t cap = 0;

	tu_tmp_path(db, sizeof db, ".db");
	{
		const char *argv[] = { tu_bin(), "init", "--db", db, "--demo", NULL };
		run_ok(argv);
	}
	{
		const char *argv[] = { tu_bin(), "bench-data", "--db", db, "--articles", "1500", "--seed", "7", NULL };
		run_ok(argv);
	}
	{
		const char *argv[] = { tu_bin(), "import", "jsonl", "--db", db, "tests/cases/search/corpus.jsonl", NULL };
		run_ok(argv);
	}
	cr_assert_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, "SELECT id, headline, subtitle1, subtitle2, subtitle3, body "
	    "FROM article JOIN article_body ON article_id = id WHERE status = 'published'", -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (ndocs == cap) {
			cap = cap ? cap * 2 : 1024;
			docs = realloc(docs, cap * sizeof *docs);
		}
		buf_reset(&text);
		for (int i = 1; i <= 4; i++) {
			buf_puts(&text, (const char *)sqlite3_column_text(s, i));
			buf_putc(&text, '\n');
		}
		cr_assert_eq(sanitize_text((const char *)sqlite3_column_text(s, 5),
		    (size_t)sqlite3_column_bytes(s, 5), &text), 0);
		docs[ndocs].id = sqlite3_column_int64(s, 0);
		docs[ndocs].text = norm(text.p);
		ndocs++;
	}
	sqlite3_finalize(s);
	sqlite3_close(h);
	buf_free(&text);
	cr_assert_gt(ndocs, 1500);
}

static void
teardown(void)
{
	for (size_t i = 0; i < ndocs; i++)
		free(docs[i].text);
	free(docs);
	tu_rm_db(db);
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* The needles of a query: words split at spaces, "quoted" runs whole. */
static int
needles(const char *q, char out[][256], int max)
{
	int n = 0;
	size_t k;

	while (*q && n < max) {
		while (*q == ' ')
			q++;
		if (!*q)
			break;
		k = 0;
		if (*q == '"') {
			q++;
			while (*q && *q != '"' && k < 255)
				out[n][k++] = *q++;
			if (*q == '"')
				q++;
		} else {
			while (*q && *q != ' ' && k < 255)
				out[n][k++] = *q++;
		}
		out[n][k] = '\0';
		n++;
	}
	return n;
}

struct query_case {
	const char *kind;
	const char *q;
	int min_expected;   /* the corpus was written to have at least this many */
};

static const struct query_case queries[] = {
	{ "1-syllable", "혁", 2 },
	{ "1-syllable", "색", 1 },
	{ "2-syllable", "혁신", 3 },
	{ "2-syllable", "전주", 3 },
	{ "2-syllable", "경제", 5 },
	{ "3+-syllable", "사회혁신", 3 },
	{ "3+-syllable", "사회적경제", 3 },
	{ "particle", "전주시는", 2 },
	{ "particle", "청주시가", 2 },
	{ "particle", "춘천시는", 2 },
	{ "number", "10년", 3 },
	{ "number", "6차", 2 },
	{ "number", "2010", 1 },
	{ "number", "25년", 1 },
	{ "number", "1천여명", 2 },
	{ "latin", "ESG", 2 },
	{ "latin", "esg", 2 },
	{ "latin", "iphone", 1 },
	{ "latin", "apple", 1 },
	{ "latin", "pple", 1 },
	{ "latin", "KTX", 1 },
	{ "mixed", "K-푸드", 2 },
	{ "mixed", "ESG경영", 1 },
	{ "multi-word", "사회혁신 전주", 1 },
	{ "multi-word", "경제 10년", 1 },
	{ "phrase", "\"사회적 경제\"", 1 },
	{ "jamo", "\xe1\x84\x92\xe1\x85\xa7\xe1\x86\xa8\xe1\x84\x89\xe1\x85\xb5\xe1\x86\xab", 3 },  /* 혁신 as conjoining jamo */
	{ "jamo", "\xe1\x84\x8c\xe1\x85\xa5\xe1\x86\xab\xe1\x84\x8c\xe1\x85\xae\xe1\x84\x89\xe1\x85\xb5\xe1\x84\x82\xe1\x85\xb3\xe1\x86\xab", 2 },  /* 전주시는 */
	{ "full-width", "ＥＳＧ", 2 },
	{ "draft-only", "미공개혁신어", 0 },
};

Test(search_e2e, recall_and_precision_against_substring, .init = setup, .fini = teardown, .timeout = 600)
{
	char words[8][256];
	char *nw[8];
	long *exp = malloc(ndocs * sizeof *exp), *got = malloc(ndocs * sizeof *got);
	size_t q, d, nexp, ngot;
	int n, w, ok, bad = 0;

	for (q = 0; q < sizeof queries / sizeof queries[0]; q++) {
		const struct query_case *c = &queries[q];
		const char *argv[] = { tu_bin(), "search", "--db", db, "--limit", "0", "--format", "ids", c->q, NULL };
		struct buf out = BUF_INIT, err = BUF_INIT;
		char *line, *save = NULL;

		n = needles(c->q, words, 8);
		for (w = 0; w < n; w++)
			nw[w] = norm(words[w]);
		for (nexp = 0, d = 0; d < ndocs; d++) {
			for (ok = 1, w = 0; w < n && ok; w++)
				ok = strstr(docs[d].text, nw[w]) != NULL;
			if (ok)
				exp[nexp++] = docs[d].id;
		}
		for (w = 0; w < n; w++)
			free(nw[w]);
		cr_assert_eq(tu_run(argv, &out, &err), 0, "%s '%s': %s", c->kind, c->q, err.p);
		ngot = 0;
		for (line = strtok_r(out.p, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			got[ngot++] = strtol(line, NULL, 10);
		qsort(exp, nexp, sizeof *exp, cmp_long);
		qsort(got, ngot, sizeof *got, cmp_long);
		printf("search %-11s %-16s expected %4zu found %4zu\n", c->kind, c->q, nexp, ngot);
		cr_expect_geq((long)nexp, c->min_expected, "%s '%s': the corpus should hold %d matches, holds %zu",
		    c->kind, c->q, c->min_expected, nexp);
		if (nexp != ngot || memcmp(exp, got, nexp * sizeof *exp) != 0) {
			size_t i, j;

			bad++;
			for (i = 0; i < nexp; i++)
				if (!bsearch(&exp[i], got, ngot, sizeof *got, cmp_long))
					cr_expect_fail("%s '%s': article %ld contains it but was not found (recall)",
					    c->kind, c->q, exp[i]);
			for (j = 0; j < ngot; j++)
				if (!bsearch(&got[j], exp, nexp, sizeof *exp, cmp_long))
					cr_expect_fail("%s '%s': article %ld was found but lacks a query word (precision)",
					    c->kind, c->q, got[j]);
		}
		buf_free(&out);
		buf_free(&err);
	}
	free(exp);
	free(got);
	cr_expect_eq(bad, 0, "%d queries differ from substring matching", bad);
}

Test(search_e2e, reindex_gives_the_same_results, .init = setup, .fini = teardown, .timeout = 300)
{
	const char *q = "사회혁신";
	const char *search[] = { tu_bin(), "search", "--db", db, "--limit", "0", "--format", "ids", q, NULL };
	const char *reindex[] = { tu_bin(), "search", "--db", db, "--reindex", NULL };
	struct buf a = BUF_INIT, b = BUF_INIT, err = BUF_INIT;

	cr_assert_eq(tu_run(search, &a, &err), 0);
	buf_reset(&err);
	cr_assert_eq(tu_run(reindex, &b, &err), 0, "%s", err.p);
	cr_expect(strstr(b.p, "indexed ") != NULL, "%s", b.p);
	buf_reset(&b);
	cr_assert_eq(tu_run(search, &b, &err), 0);
	cr_expect_str_eq(a.p, b.p);
	cr_expect_gt(a.len, 0);
	buf_free(&a);
	buf_free(&b);
	buf_free(&err);
}
