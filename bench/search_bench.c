/*
 * search_bench.c - times the same queries through sinmun's search, an
 * FTS5 trigram index and a LIKE '%...%' scan of the same text, and checks
 * recall against plain substring matching over normalized text.
 *
 *   build/bench-search DB [REPEATS]
 *
 * DB is a database made by 'sinmun bench-data'.  The comparison tables go
 * into DB.cmp (made once, reused).  Prints, per method: recall, p50 and
 * p99 of the time to answer a results page (count + first 20), and the
 * index sizes.  Built by 'make build/bench-search'; run by bench/search.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "core/progress.h"
#include "news/news.h"
#include "search/ko_tok.h"
#include "search/search.h"
#include "store/store.h"

static const char *const queries[] = {
	"혁", "색", "혁신", "전주", "경제", "축제", "사회혁신", "사회적경제", "도시재생",
	"전주시는", "청주시가", "춘천시는", "교육청은", "10년", "6차", "23일", "1층",
	"ESG", "AI", "KTX", "ESG경영", "사회혁신 전주", "경제 10년", "\"탄소중립 정책포럼\"",
	"\xe1\x84\x92\xe1\x85\xa7\xe1\x86\xa8\xe1\x84\x89\xe1\x85\xb5\xe1\x86\xab",
};
#define NQ (sizeof queries / sizeof queries[0])

static double
now(void)
{
	return progress_now();
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
die(const char *what, sqlite3 *db)
{
	fprintf(stderr, "bench-search: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
	exit(1);
}

/* The words of a query: split at spaces, "quoted" runs whole. */
static int
words(const char *q, char out[][256], int max)
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
			for (q++; *q && *q != '"' && k < 255; )
				out[n][k++] = *q++;
			if (*q == '"')
				q++;
		} else {
			while (*q && *q != ' ' && k < 255)
				out[n][k++] = *q++;
		}
		out[n++][k] = '\0';
	}
	return n;
}

struct method {
	const char *name;
	double     *lat;
	size_t      nlat;
	long        found, expected, hit;
};

static void
report(struct method *m)
{
	qsort(m->lat, m->nlat, sizeof *m->lat, cmp_double);
	printf("%-18s recall %.4f  p50 %8.3f ms  p99 %8.3f ms  (%zu timed queries)\n", m->name,
	    m->expected ? (double)m->hit / (double)m->expected : 1.0,
	    m->lat[m->nlat / 2] * 1000, m->lat[(m->nlat * 99) / 100] * 1000, m->nlat);
}

/* Ids matching all words by plain substring over normalized text. */
static long *
oracle(sqlite3 *cmp, const char *q, long *n)
{
	char w[8][256];
	char *nw[8];
	int nwords = words(q, w, 8), i, ok;
	sqlite3_stmt *s;
	long *ids = NULL, cap = 0;

	for (i = 0; i < nwords; i++)
		nw[i] = ko_tok_normalize(w[i], strlen(w[i]), NULL);
	*n = 0;
	if (sqlite3_prepare_v2(cmp, "SELECT id, norm FROM plain", -1, &s, NULL) != SQLITE_OK)
		die("oracle", cmp);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 1);

		for (ok = 1, i = 0; i < nwords && ok; i++)
			ok = strstr(t, nw[i]) != NULL;
		if (!ok)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			ids = realloc(ids, (size_t)cap * sizeof *ids);
		}
		ids[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	for (i = 0; i < nwords; i++)
		free(nw[i]);
	return ids;
}

static int
contains(const long *v, long n, long x)
{
	long lo = 0, hi = n;

	while (lo < hi) {
		long mid = (lo + hi) / 2;

		if (v[mid] == x)
			return 1;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* A trigram MATCH expression: each word a quoted phrase, ANDed. */
static void
trigram_expr(const char *q, char *out, size_t len)
{
	char w[8][256];
	int n = words(q, w, 8), i;
	size_t o = 0;

	out[0] = '\0';
	for (i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s\"%s\"", i ? " AND " : "", w[i]);
}

static void
build_cmp(sqlite3 *cmp, const char *db)
{
	char sql[1024];
	sqlite3_stmt *r, *w;
	double t0 = now();

	if (sqlite3_exec(cmp, "CREATE TABLE IF NOT EXISTS done (x)", NULL, NULL, NULL) != SQLITE_OK)
		die("cmp", cmp);
	if (sqlite3_prepare_v2(cmp, "SELECT count(*) FROM done", -1, &r, NULL) == SQLITE_OK &&
	    sqlite3_step(r) == SQLITE_ROW && sqlite3_column_int(r, 0) > 0) {
		sqlite3_finalize(r);
		return;
	}
	sqlite3_finalize(r);
	snprintf(sql, sizeof sql, "ATTACH '%s' AS s", db);
	if (sqlite3_exec(cmp, sql, NULL, NULL, NULL) != SQLITE_OK)
		die("attach", cmp);
	if (sqlite3_exec(cmp, "BEGIN; CREATE TABLE plain (id INTEGER PRIMARY KEY, text TEXT, norm TEXT);"
	    "CREATE VIRTUAL TABLE tri USING fts5(text, tokenize = 'trigram');", NULL, NULL, NULL) != SQLITE_OK)
		die("create", cmp);
	/* The text sinmun indexes (headline, subtitles, body text), read from
	 * its own index's content. */
	if (sqlite3_prepare_v2(cmp, "SELECT rowid, title || char(10) || body FROM s.article_fts", -1, &r, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(cmp, "INSERT INTO plain (id, text, norm) VALUES (?1, ?2, ?3)", -1, &w, NULL) != SQLITE_OK)
		die("copy", cmp);
	while (sqlite3_step(r) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(r, 1);
		char *n = ko_tok_normalize(t, (size_t)sqlite3_column_bytes(r, 1), NULL);

		sqlite3_reset(w);
		sqlite3_bind_int64(w, 1, sqlite3_column_int64(r, 0));
		sqlite3_bind_text(w, 2, t, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(w, 3, n, -1, SQLITE_TRANSIENT);
		free(n);
		if (sqlite3_step(w) != SQLITE_DONE)
			die("insert", cmp);
	}
	sqlite3_finalize(r);
	sqlite3_finalize(w);
	if (sqlite3_exec(cmp, "INSERT INTO tri (rowid, text) SELECT id, text FROM plain;"
	    "INSERT INTO done VALUES (1); COMMIT; DETACH s;", NULL, NULL, NULL) != SQLITE_OK)
		die("fill", cmp);
	printf("built comparison tables in %.1f s\n", now() - t0);
}

static long
size_of(sqlite3 *db, const char *like)
{
	sqlite3_stmt *s;
	long v = 0;

	if (sqlite3_prepare_v2(db, "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE ?1", -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(s, 1, like, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

int
main(int argc, char **argv)
{
	struct method m[3] = { { "sinmun (ko)", 0, 0, 0, 0, 0 }, { "fts5 trigram", 0, 0, 0, 0, 0 },
		{ "LIKE scan", 0, 0, 0, 0, 0 } };
	char err[512], cmp_path[1024], expr[2048], like[1100];
	struct arena a = ARENA_INIT;
	struct store *st;
	sqlite3 *cmp;
	sqlite3_stmt *tc, *tr, *lc, *lr;
	int reps = argc > 2 ? atoi(argv[2]) : 20, r, k;
	size_t q;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-search DB [REPEATS]\n");
		return 2;
	}
	if ((st = store_open(argv[1], 0, NULL, err, sizeof err)) == NULL) {
		fprintf(stderr, "bench-search: %s\n", err);
		return 1;
	}
	snprintf(cmp_path, sizeof cmp_path, "%s.cmp", argv[1]);
	if (sqlite3_open(cmp_path, &cmp) != SQLITE_OK || search_register_tokenizer(cmp) != SQLITE_OK)
		die("open cmp", cmp);
	sqlite3_exec(cmp, "PRAGMA cache_size = -16384", NULL, NULL, NULL);
	build_cmp(cmp, argv[1]);
	for (k = 0; k < 3; k++)
		m[k].lat = calloc(NQ * (size_t)reps, sizeof(double));
	if (sqlite3_prepare_v2(cmp, "SELECT count(*) FROM (SELECT 1 FROM tri WHERE tri MATCH ?1 LIMIT 1001)", -1, &tc, NULL) ||
	    sqlite3_prepare_v2(cmp, "SELECT rowid FROM tri WHERE tri MATCH ?1 ORDER BY rank LIMIT 20", -1, &tr, NULL) ||
	    sqlite3_prepare_v2(cmp, "SELECT count(*) FROM (SELECT 1 FROM plain WHERE text LIKE ?1 LIMIT 1001)", -1, &lc, NULL) ||
	    sqlite3_prepare_v2(cmp, "SELECT id FROM plain WHERE text LIKE ?1 ORDER BY id DESC LIMIT 20", -1, &lr, NULL))
		die("prepare", cmp);

	for (q = 0; q < NQ; q++) {
		struct news_search ns = { 0 };
		struct search_results res;
		long nexp, i, nw;

		long *exp = oracle(cmp, queries[q], &nexp);
		char w[8][256];

		qsort(exp, (size_t)nexp, sizeof *exp, cmp_long);
		/* Recall of each method over every match. */
		ns.q = queries[q];
		ns.per_page = 0;
		if (news_search(st, &a, &ns, time(NULL), &res, err, sizeof err) != NEWS_SEARCH_OK)
			fprintf(stderr, "bench-search: '%s': %s\n", queries[q], err);
		m[0].expected += nexp;
		for (i = 0; i < res.n; i++)
			m[0].hit += contains(exp, nexp, res.items[i].article.id);
		arena_free(&a);
		trigram_expr(queries[q], expr, sizeof expr);
		{
			sqlite3_stmt *all;
			long found = 0, hit = 0;

			sqlite3_prepare_v2(cmp, "SELECT rowid FROM tri WHERE tri MATCH ?1", -1, &all, NULL);
			sqlite3_bind_text(all, 1, expr, -1, SQLITE_STATIC);
			while (sqlite3_step(all) == SQLITE_ROW) {
				found++;
				hit += contains(exp, nexp, sqlite3_column_int64(all, 0));
			}
			sqlite3_finalize(all);
			m[1].expected += nexp;
			m[1].hit += hit;
		}
		nw = words(queries[q], w, 8);
		snprintf(like, sizeof like, "%%%s%%", w[0]);   /* LIKE takes the first word */
		{
			sqlite3_stmt *all;
			long hit = 0;
			char sql[256];

			snprintf(sql, sizeof sql, "SELECT id FROM plain WHERE text LIKE ?1");
			sqlite3_prepare_v2(cmp, sql, -1, &all, NULL);
			sqlite3_bind_text(all, 1, like, -1, SQLITE_STATIC);
			while (sqlite3_step(all) == SQLITE_ROW)
				hit += contains(exp, nexp, sqlite3_column_int64(all, 0));
			sqlite3_finalize(all);
			m[2].expected += nexp;
			m[2].hit += nw == 1 ? hit : nexp;  /* multi-word: LIKE only timed */
		}
		free(exp);

		/* Time a results page: count + the first 20, REPEATS times each. */
		for (r = 0; r < reps; r++) {
			double t0;

			ns.per_page = 20;
			ns.page = 1;
			t0 = now();
			news_search(st, &a, &ns, time(NULL), &res, err, sizeof err);
			m[0].lat[m[0].nlat++] = now() - t0;
			arena_free(&a);

			t0 = now();
			sqlite3_reset(tc);
			sqlite3_bind_text(tc, 1, expr, -1, SQLITE_STATIC);
			while (sqlite3_step(tc) == SQLITE_ROW)
				;
			sqlite3_reset(tr);
			sqlite3_bind_text(tr, 1, expr, -1, SQLITE_STATIC);
			while (sqlite3_step(tr) == SQLITE_ROW)
				;
			m[1].lat[m[1].nlat++] = now() - t0;

			t0 = now();
			sqlite3_reset(lc);
			sqlite3_bind_text(lc, 1, like, -1, SQLITE_STATIC);
			while (sqlite3_step(lc) == SQLITE_ROW)
				;
			sqlite3_reset(lr);
			sqlite3_bind_text(lr, 1, like, -1, SQLITE_STATIC);
			while (sqlite3_step(lr) == SQLITE_ROW)
				;
			m[2].lat[m[2].nlat++] = now() - t0;
		}
		{
			double med[64];
			int nr = reps < 64 ? reps : 64;

			memcpy(med, m[0].lat + m[0].nlat - (size_t)reps, (size_t)nr * sizeof *med);
			qsort(med, (size_t)nr, sizeof *med, cmp_double);
			printf("%-24s matches %6ld   sinmun median %7.2f ms\n", queries[q], nexp, med[nr / 2] * 1000);
		}
	}
	printf("\n");
	for (k = 0; k < 3; k++)
		report(&m[k]);
	{
		sqlite3 *mh;

		if (sqlite3_open_v2(argv[1], &mh, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
			die("open", mh);
		printf("\nindex size: sinmun (ko bigrams) %.1f MiB + its text copy %.1f MiB; "
		    "fts5 trigram %.1f MiB + its text copy %.1f MiB; whole database %.1f MiB\n",
		    (double)(size_of(mh, "article_fts_%") - size_of(mh, "article_fts_content")) / 1048576.0,
		    (double)size_of(mh, "article_fts_content") / 1048576.0,
		    (double)(size_of(cmp, "tri_%") - size_of(cmp, "tri_content")) / 1048576.0,
		    (double)size_of(cmp, "tri_content") / 1048576.0,
		    (double)size_of(mh, "%") / 1048576.0);
		sqlite3_close(mh);
	}
	sqlite3_finalize(tc);
	sqlite3_finalize(tr);
	sqlite3_finalize(lc);
	sqlite3_finalize(lr);
	sqlite3_close(cmp);
	store_close(st);
	return 0;
}
