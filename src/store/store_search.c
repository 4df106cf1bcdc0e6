/*
 * store_search.c - the search verbs of the SQLite engine: queries over the
 * FTS5 table article_fts (tokenizer "ko", src/search/) and keeping it true.
 *
 * The index holds exactly the published articles.  Every write that
 * changes what is published updates it in the same transaction
 * (store__index_article from the article writes, store__unindex_article
 * when one stops being published).
 *
 * Ranking: FTS5 returns matches in rowid order, and article ids grow with
 * time, so the newest matches are read first: SEARCH_COUNT_EXACT + 1 of
 * them at most.  Their number is the total, or past SEARCH_COUNT_EXACT
 * the start of an estimate (their density over the ids, carried over the
 * rest of the archive); the newest SEARCH_CANDIDATES of them are ordered
 * by ko_rank (BM25 with the headline and subtitles weighing 4, the body 1,
 * src/search/fts5_rank.c) divided by a recency factor 1 + age/30 days;
 * later pages go by date.  Reading a bounded number of matches bounds the
 * work of a query that matches half the archive, which is what a news
 * reader searching 경제 wants anyway: at a million articles, counting the
 * matches of 경제 10년 to 10,000 and FTS5's bm25() (which counts each
 * phrase's rows over the whole index) took 55 of its 58 ms.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "search/search.h"

/*
 * One search as run: the reader's parameters, the MATCH expression with
 * the section and reporter asked for as facet phrases (search.h), and the
 * range of article ids its matches can lie in (all ids; with a period, the
 * ids published in it, from article_day), which ko_rank's document
 * frequencies and the estimate of a total are carried over.
 */
struct run {
	const struct search_params *p;
	const char *match;
	int64_t lo, hi;
	int64_t elo, ehi;  /* for estimates: lo..hi narrowed to the period */
	int     bounded;   /* a period: the walk is kept to lo..hi */
};

static void
run_init(struct run *r, struct arena *a, const struct search_params *p)
{
	memset(r, 0, sizeof *r);
	r->p = p;
	r->match = p->match;
	if (p->section_id || p->person_id)
		r->match = arena_printf(a, "(%s)", p->match);
	if (p->section_id)
		r->match = arena_printf(a, "%s AND facets : \"%ss%lld\"", r->match, SEARCH_FACET_MARK,
		    (long long)p->section_id);
	if (p->person_id)
		r->match = arena_printf(a, "%s AND facets : \"%sp%lld\"", r->match, SEARCH_FACET_MARK,
		    (long long)p->person_id);
}

/*
 * The SQL of a search is made of fixed fragments, chosen by which filters
 * are set, so that the common case - no period - runs on the FTS index
 * alone without touching the article table (the index holds exactly the
 * published articles).  A period is read from the narrow index
 * article_search (migration 008), not from the article rows.  Parameters:
 * ?1 match, ?2 query for the recheck, ?5 since, ?6 until, ?11 and ?12 the
 * ids of the period.
 */
static void
where_sql(struct buf *b, const struct run *r)
{
	const struct search_params *p = r->p;

	buf_puts(b, p->since || p->until ?
	    " FROM article_fts f CROSS JOIN article a INDEXED BY article_search ON a.id = f.rowid" :
	    " FROM article_fts f");
	buf_puts(b, " WHERE article_fts MATCH ?1");
	if (r->bounded)
		buf_puts(b, " AND f.rowid BETWEEN ?11 AND ?12");
	if (p->query)
		buf_puts(b, " AND ko_recheck(?2, f.title, f.body)");
	if (p->since)
		buf_puts(b, " AND a.published_at >= ?5");
	if (p->until)
		buf_puts(b, " AND a.published_at < ?6");
}

static int
prepare(struct store *st, const char *sql, sqlite3_stmt **s, const struct run *r)
{
	const struct search_params *p = r->p;
	int rc = sqlite3_prepare_v2(store__db(st), sql, -1, s, NULL);

	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(*s, 1, r->match, -1, SQLITE_STATIC);
	if (p->query)
		sqlite3_bind_text(*s, 2, p->query, -1, SQLITE_STATIC);
	if (p->since)
		sqlite3_bind_int64(*s, 5, (sqlite3_int64)p->since);
	if (p->until)
		sqlite3_bind_int64(*s, 6, (sqlite3_int64)p->until);
	if (r->bounded) {
		sqlite3_bind_int64(*s, 11, r->lo);
		sqlite3_bind_int64(*s, 12, r->hi);
	}
	return SQLITE_OK;
}

static const char *
dup_col(struct arena *a, sqlite3_stmt *s, int i)
{
	const unsigned char *p = sqlite3_column_text(s, i);

	return p ? arena_strndup(a, (const char *)p, (size_t)sqlite3_column_bytes(s, i)) : "";
}

/*
 * r->lo and r->hi: every article id, or with a period the ids published in
 * it, from the widen-only day ranges of article_day (UTC days; a period
 * in Seoul time is covered by the days around it).  *none is set when no
 * article was ever published in the period.  The walk keeps to that range;
 * estimates are carried over r->elo..r->ehi, the ids of the first and the
 * last article published within the period (ids mostly grow with
 * publication; where an import broke that, only an estimate is off).
 */
static int
id_range(struct store *st, struct run *r, int *none)
{
	static const char *const sql[] = {
		"SELECT (SELECT min(id) FROM article), (SELECT max(id) FROM article)",
		"SELECT min(min_id), max(max_id) FROM article_day WHERE day BETWEEN ?1 AND ?2",
		"SELECT id FROM article WHERE status = 'published' AND published_at >= ?1 "
		    "ORDER BY status, published_at, id LIMIT 1",
		"SELECT id FROM article WHERE status = 'published' AND published_at < ?1 "
		    "ORDER BY status DESC, published_at DESC, id DESC LIMIT 1",
	};
	const struct search_params *p = r->p;
	sqlite3_stmt *s = NULL;
	int rc, i;

	*none = 0;
	r->bounded = p->since || p->until;
	if ((rc = sqlite3_prepare_v3(store__db(st), sql[r->bounded], -1, SQLITE_PREPARE_PERSISTENT, &s,
	    NULL)) != SQLITE_OK)
		return rc;
	if (r->bounded) {
		sqlite3_bind_int64(s, 1, p->since ? (sqlite3_int64)p->since / 86400 : INT64_MIN);
		sqlite3_bind_int64(s, 2, p->until ? ((sqlite3_int64)p->until - 1) / 86400 : INT64_MAX);
	}
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*none = sqlite3_column_type(s, 0) == SQLITE_NULL;
		r->elo = r->lo = sqlite3_column_int64(s, 0);
		r->ehi = r->hi = sqlite3_column_int64(s, 1);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	for (i = 2; i < 4 && rc == SQLITE_OK && !*none; i++) {
		time_t bound = i == 2 ? p->since : p->until;

		if (bound == 0)
			continue;
		if ((rc = sqlite3_prepare_v3(store__db(st), sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s,
		    NULL)) != SQLITE_OK)
			return rc;
		sqlite3_bind_int64(s, 1, (sqlite3_int64)bound);
		if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(s, 0);

			if (i == 2 && id > r->elo && id <= r->ehi)
				r->elo = id;
			if (i == 3 && id < r->ehi && id >= r->elo)
				r->ehi = id;
		}
		sqlite3_finalize(s);
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	return rc;
}

/* Every match, ranked, without marks: for 'sinmun search --limit 0'. */
static int
search_all(struct store *st, struct arena *a, const struct search_params *p, struct search_results *out)
{
	struct run r;
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s = NULL;
	int rc, cap = 0, none;

	run_init(&r, a, p);
	if ((rc = id_range(st, &r, &none)) != SQLITE_OK)
		return store__fail(st, rc);
	if (none)
		return STORE_OK;
	buf_puts(&sql, "SELECT f.rowid, ko_rank(article_fts, 4.0, 1.0, 0.0, ?7, ?8)");
	where_sql(&sql, &r);
	buf_puts(&sql, " ORDER BY 2, f.rowid DESC");
	if ((rc = prepare(st, sql.p, &s, &r)) != SQLITE_OK) {
		buf_free(&sql);
		return store__fail(st, rc);
	}
	buf_free(&sql);
	sqlite3_bind_int64(s, 7, r.elo);
	sqlite3_bind_int64(s, 8, r.ehi);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->items = arena_grow(a, out->items, out->n, &cap, sizeof *out->items);
		out->items[out->n++].article.id = sqlite3_column_int64(s, 0);
	}
	rc = rc == SQLITE_DONE ? STORE_OK : store__fail(st, rc);
	sqlite3_finalize(s);
	out->total = out->n;
	return rc;
}

/* n to two significant digits: an estimate should not look counted. */
static int64_t
two_digits(int64_t n)
{
	int64_t unit = 1;

	while (n / unit >= 100)
		unit *= 10;
	return (n + unit / 2) / unit * unit;
}

int64_t
store_search_estimate(int64_t n, int64_t first, int64_t last, int64_t lo)
{
	double density;

	if (n < 2 || first <= last || last <= lo)
		return n;
	/* n matches among the ids last..first: as many per id below last. */
	density = (double)(n - 1) / (double)(first - last);
	return two_digits(n + (int64_t)(density * (double)(last - lo)));
}

/* A JSON array of ids, for json_each(). */
static void
ids_json(struct buf *b, const int64_t *ids, int n)
{
	int i;

	buf_reset(b);
	buf_putc(b, '[');
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(b, ']');
}

static void
min_max(const int64_t *ids, int n, int64_t *lo, int64_t *hi)
{
	int i;

	*lo = INT64_MAX;
	*hi = 0;
	for (i = 0; i < n; i++) {
		if (ids[i] < *lo)
			*lo = ids[i];
		if (ids[i] > *hi)
			*hi = ids[i];
	}
}

/*
 * The newest matches of the search, newest first, the first skip left out,
 * up to limit more into walk[*n...]: with ids in [floor, below) when below
 * is not 0 (FTS5 seeks there).  With score, each also gets its ko_rank.
 */
static int
walk_matches(struct store *st, const struct run *r, int64_t below, int64_t floor, int skip, int limit,
    struct buf *sql, int64_t *walk, double *score, int *n)
{
	sqlite3_stmt *s = NULL;
	int rc;

	buf_reset(sql);
	buf_puts(sql, score ? "SELECT f.rowid, ko_rank(article_fts, 4.0, 1.0, 0.0, ?7, ?8)" : "SELECT f.rowid");
	where_sql(sql, r);
	if (below)
		buf_puts(sql, " AND f.rowid < ?9 AND f.rowid >= ?10");
	buf_printf(sql, " ORDER BY f.rowid DESC LIMIT %d OFFSET %d", limit, skip);
	if ((rc = prepare(st, sql->p, &s, r)) != SQLITE_OK)
		return rc;
	if (score) {
		sqlite3_bind_int64(s, 7, r->elo);
		sqlite3_bind_int64(s, 8, r->ehi);
	}
	if (below) {
		sqlite3_bind_int64(s, 9, below);
		sqlite3_bind_int64(s, 10, floor);
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && limit-- > 0) {
		walk[*n] = sqlite3_column_int64(s, 0);
		if (score)
			score[*n] = sqlite3_column_double(s, 1);
		(*n)++;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

struct cand {
	int64_t id;
	double  key;   /* ko_rank / (1 + age / 30 days): lower is better */
};

static int
cand_cmp(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

/*
 * The page of the candidates (ids, newest first, with their ko_rank) in
 * ranking order: each score divided by a recency factor 1 + age / 30 days,
 * the publication times read by id in one statement.
 */
static int
rank_page(struct store *st, struct arena *a, const struct search_params *p, const int64_t *cand,
    const double *score, int ncand, struct buf *json, int64_t *ids, int *n)
{
	static const char sql[] = "SELECT id, published_at FROM article INDEXED BY article_search "
	    "WHERE id IN (SELECT value FROM json_each(?1))";
	struct cand *c = arena_calloc(a, (size_t)(ncand ? ncand : 1), sizeof *c);
	sqlite3_stmt *s = NULL;
	int rc, i;

	for (i = 0; i < ncand; i++) {
		c[i].id = cand[i];
		c[i].key = score[i];
	}
	ids_json(json, cand, ncand);
	if ((rc = sqlite3_prepare_v3(store__db(st), sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL)) != SQLITE_OK)
		return rc;
	sqlite3_bind_text(s, 1, json->p, (int)json->len, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		double age = (double)((int64_t)p->now - sqlite3_column_int64(s, 1));
		int l = 0, h = ncand - 1;

		/* cand is newest first: find id by bisection */
		while (l < h) {
			int m = (l + h) / 2;

			if (cand[m] > id)
				l = m + 1;
			else
				h = m;
		}
		if (l < ncand && cand[l] == id)
			c[l].key = score[l] / (1.0 + (age > 0 ? age : 0) / 2592000.0);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return rc;
	qsort(c, (size_t)ncand, sizeof *c, cand_cmp);
	for (*n = 0; *n < p->limit && p->offset + *n < ncand; (*n)++)
		ids[*n] = c[p->offset + *n].id;
	return SQLITE_OK;
}

/* Headline and snippet with the matches marked, for the page's hits, in
 * one pass over the matches: FTS5 evaluates highlight() and ko_snippet()
 * only for the rows the page shows, and reads the doclists once (with the
 * facet phrases, which mark nothing, so that a filter skips there too). */
static int
mark_hits(struct store *st, struct arena *a, const char *match, struct search_results *out,
    struct buf *json)
{
	static const char sql[] =
	    "SELECT rowid, highlight(article_fts, 0, ?3, ?4), ko_snippet(article_fts, 1, ?3, ?4, '…', 40) "
	    "FROM article_fts WHERE article_fts MATCH ?1 AND rowid BETWEEN ?5 AND ?6 "
	    "AND +rowid IN (SELECT value FROM json_each(?2))";
	sqlite3_stmt *m = NULL;
	int64_t ids[1000], lo, hi;
	int rc, i;

	for (i = 0; i < out->n; i++)
		ids[i] = out->items[i].article.id;
	ids_json(json, ids, out->n);
	min_max(ids, out->n, &lo, &hi);
	if ((rc = sqlite3_prepare_v3(store__db(st), sql, -1, SQLITE_PREPARE_PERSISTENT, &m, NULL)) != SQLITE_OK)
		return rc;
	sqlite3_bind_text(m, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_text(m, 2, json->p, (int)json->len, SQLITE_STATIC);
	sqlite3_bind_text(m, 3, STORE_MARK_OPEN, -1, SQLITE_STATIC);
	sqlite3_bind_text(m, 4, STORE_MARK_CLOSE, -1, SQLITE_STATIC);
	sqlite3_bind_int64(m, 5, lo);
	sqlite3_bind_int64(m, 6, hi);
	while ((rc = sqlite3_step(m)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(m, 0);

		for (i = 0; i < out->n; i++) {
			struct search_hit *h = &out->items[i];
			char *nl;

			if (h->article.id != id)
				continue;
			/* The indexed title is headline + subtitles; show the headline. */
			h->title = dup_col(a, m, 1);
			if ((nl = strchr(h->title, '\n')) != NULL)
				*nl = '\0';
			h->snippet = dup_col(a, m, 2);
			break;
		}
	}
	sqlite3_finalize(m);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Ids the count may walk below the candidates before it only walks as
 * many as the candidates spanned. */
#define COUNT_IDS 65536

int
store_search(struct store *st, struct arena *a, const struct search_params *p, struct search_results *out)
{
	struct run r;
	struct buf sql = BUF_INIT;
	int64_t *walk, *ids, reach, floor = 0;
	double *score;
	int rc, i, n = 0, nwalk = 0, ncand, tx, none;

	memset(out, 0, sizeof *out);
	if (p->match == NULL)
		return STORE_INVALID;
	if (p->all)
		return search_all(st, a, p, out);
	if (p->limit < 1 || p->limit > 1000 || p->offset < 0)
		return STORE_INVALID;
	run_init(&r, a, p);
	/* One snapshot: the count, the ranking and the rows agree. */
	tx = store__read_begin(st);
	if ((rc = id_range(st, &r, &none)) != SQLITE_OK)
		goto fail;
	if (none) {
		rc = STORE_OK;
		goto out;
	}

	/* The newest SEARCH_CANDIDATES matches, scored on the way: the
	 * candidates for ranking.  Then the count goes on below them, up to
	 * SEARCH_COUNT_EXACT + 1 matches but over no more than four times the
	 * ids the candidates spanned (and past COUNT_IDS ids, no more than the
	 * span itself), so that a filter keeping few matches does not walk the
	 * whole archive: past either bound the total is estimated from the
	 * matches' density.  Pages within the walk need no further query. */
	walk = arena_calloc(a, SEARCH_COUNT_EXACT + 1, sizeof *walk);
	score = arena_calloc(a, SEARCH_CANDIDATES, sizeof *score);
	if ((rc = walk_matches(st, &r, 0, 0, 0, SEARCH_CANDIDATES, &sql, walk, score, &nwalk)) != SQLITE_OK)
		goto fail;
	ncand = nwalk;
	if (nwalk == SEARCH_CANDIDATES) {
		int64_t span = walk[0] - walk[nwalk - 1] + 1, more = 4 * span;

		/* Sparse candidates (a filter, words seldom together) cost their
		 * span to find: then no more than as much again. */
		if (more > COUNT_IDS)
			more = span > COUNT_IDS ? span : COUNT_IDS;
		floor = walk[nwalk - 1] - more > r.lo ? walk[nwalk - 1] - more : r.lo;
		if ((rc = walk_matches(st, &r, walk[nwalk - 1], floor, 0, SEARCH_COUNT_EXACT + 1 - nwalk,
		    &sql, walk, NULL, &nwalk)) != SQLITE_OK)
			goto fail;
	}
	out->total = nwalk;
	if (nwalk > SEARCH_COUNT_EXACT) {
		out->total = store_search_estimate(nwalk, walk[0], walk[nwalk - 1], r.elo);
		out->total_estimated = 1;
	} else if (floor > r.lo) {
		/* the count stopped at floor: nwalk matches in floor..walk[0] */
		out->total = store_search_estimate(nwalk, walk[0], floor, r.elo);
		out->total_estimated = out->total != nwalk;
	}
	reach = out->total < SEARCH_RESULTS_MAX ? out->total : SEARCH_RESULTS_MAX;
	if (out->total == 0 || p->offset >= reach) {
		rc = STORE_OK;
		goto out;
	}

	/* A page within the newest candidates is ranked; past them, by date. */
	ids = arena_calloc(a, (size_t)p->limit, sizeof *ids);
	rc = SQLITE_OK;
	if (p->offset + p->limit <= SEARCH_CANDIDATES) {
		rc = rank_page(st, a, p, walk, score, ncand, &sql, ids, &n);
	} else if (p->offset + p->limit <= nwalk) {
		for (n = 0; n < p->limit; n++)
			ids[n] = walk[p->offset + n];
	} else if (p->offset < nwalk && !out->total_estimated) {
		for (n = 0; p->offset + n < nwalk; n++)
			ids[n] = walk[p->offset + n];
	} else {
		/* past the counted matches: walked again up to the page */
		rc = walk_matches(st, &r, 0, 0, p->offset, p->limit, &sql, ids, NULL, &n);
	}
	if (rc != SQLITE_OK)
		goto fail;

	out->items = arena_calloc(a, (size_t)(n ? n : 1), sizeof *out->items);
	for (i = 0; i < n; i++) {
		struct search_hit *h = &out->items[out->n];

		rc = store_article_get(st, a, ids[i], &h->article);
		if (rc == STORE_NOTFOUND)
			continue;
		if (rc != STORE_OK)
			goto out;
		h->article.body = NULL;
		h->title = h->article.headline;
		h->snippet = h->article.summary;
		out->n++;
	}
	if (out->n > 0 && (rc = mark_hits(st, a, r.match, out, &sql)) != SQLITE_OK)
		goto fail;
	rc = STORE_OK;
	goto out;
fail:
	rc = store__fail(st, rc);
out:
	buf_free(&sql);
	store__read_end(st, tx);
	return rc;
}

int
store_search_reindex(struct store *st, int (*text_of)(const char *, size_t, struct buf *),
    int64_t *count)
{
	static const char rows_sql[] = "SELECT id, headline, subtitle1, subtitle2, subtitle3, "
	    "coalesce((SELECT body FROM article_body WHERE article_id = article.id), ''), "
	    "section_id, (SELECT group_concat(person_id, ' ') FROM (SELECT person_id FROM article_byline "
	    "WHERE article_id = article.id ORDER BY position)) FROM article WHERE status = 'published'";
	sqlite3 *db = store__db(st);
	sqlite3_stmt *r = NULL;
	struct article a;
	struct buf text = BUF_INIT;
	const char *people;
	int64_t n = 0;
	int rc, i;

	if ((rc = store_begin(st)) != STORE_OK)
		return rc;
	if ((rc = sqlite3_exec(db, "DELETE FROM article_fts", NULL, NULL, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(db, rows_sql, -1, &r, NULL)) != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(r)) == SQLITE_ROW) {
		memset(&a, 0, sizeof a);
		a.id = sqlite3_column_int64(r, 0);
		a.headline = (const char *)sqlite3_column_text(r, 1);
		for (i = 0; i < ARTICLE_MAX_SUBTITLES; i++) {
			const char *sub = (const char *)sqlite3_column_text(r, 2 + i);

			if (sub && *sub)
				a.subtitles[a.nsubtitles++] = sub;
		}
		buf_reset(&text);
		if (text_of((const char *)sqlite3_column_text(r, 5), (size_t)sqlite3_column_bytes(r, 5),
		    &text) != 0) {
			log_error("search: cannot make the text of article %lld", (long long)a.id);
			rc = STORE_INVALID;
			goto out;
		}
		a.body_text = text.p ? text.p : "";
		a.section.id = sqlite3_column_int64(r, 6);
		if ((people = (const char *)sqlite3_column_text(r, 7)) != NULL)
			while (a.nbylines < ARTICLE_MAX_BYLINES && *people) {
				char *end;

				a.bylines[a.nbylines++].id = strtoll(people, &end, 10);
				if (end == people)
					break;
				people = end;
			}
		if ((rc = store__index_article(st, &a)) != STORE_OK)
			goto out;
		n++;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	/* One segment: a rebuilt index is left as many segments as its
	 * automerge made (25 at a million articles), and every term of every
	 * query is looked up in each; merged, a filtered search of two
	 * common words took 9 ms instead of 12. */
	if ((rc = sqlite3_exec(db, "INSERT INTO article_fts (article_fts) VALUES ('optimize')",
	    NULL, NULL, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_exec(db, "DELETE FROM setting WHERE key = 'search.reindex_needed'",
	    NULL, NULL, NULL)) != SQLITE_OK ||
	    /* Rankings and snippets may read otherwise: no trigger saw it. */
	    (rc = sqlite3_exec(db, "UPDATE site_gen SET gen = gen + 1", NULL, NULL, NULL)) != SQLITE_OK)
		goto fail;
	sqlite3_finalize(r);
	buf_free(&text);
	if (count)
		*count = n;
	return store_commit(st);
fail:
	rc = store__fail(st, rc);
out:
	sqlite3_finalize(r);
	buf_free(&text);
	store_rollback(st);
	return rc;
}
