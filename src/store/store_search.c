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
 * time, so the newest SEARCH_CANDIDATES matches are taken first and
 * ordered by bm25 (headline and subtitles weigh 4, the body 1) divided by
 * a recency factor 1 + age/30 days; later pages go by date.  Taking the
 * newest first bounds the work of a query that matches half the archive
 * (bm25 costs per row), which is what a news reader searching 경제 wants
 * anyway.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"

/*
 * The SQL of a search is made of fixed fragments, chosen by which filters
 * are set, so that the common case - no filter - runs on the FTS index
 * alone without touching the article table (the index holds exactly the
 * published articles).  Parameters: ?1 match, ?2 query for the recheck,
 * ?3 section, ?4 person, ?5 since, ?6 until.
 */
static int
filtered(const struct search_params *p)
{
	return p->section_id || p->person_id || p->since || p->until;
}

static void
where_sql(struct buf *b, const struct search_params *p)
{
	buf_puts(b, filtered(p) ? " FROM article_fts f CROSS JOIN article a ON a.id = f.rowid" :
	    " FROM article_fts f");
	buf_puts(b, " WHERE article_fts MATCH ?1");
	if (p->query)
		buf_puts(b, " AND ko_recheck(?2, f.title, f.body)");
	if (p->section_id)
		buf_puts(b, " AND a.section_id = ?3");
	if (p->person_id)
		buf_puts(b, " AND a.id IN (SELECT article_id FROM article_byline WHERE person_id = ?4)");
	if (p->since)
		buf_puts(b, " AND a.published_at >= ?5");
	if (p->until)
		buf_puts(b, " AND a.published_at < ?6");
}

static int
prepare(struct store *st, const char *sql, sqlite3_stmt **s, const struct search_params *p)
{
	int rc = sqlite3_prepare_v2(store__db(st), sql, -1, s, NULL);

	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(*s, 1, p->match, -1, SQLITE_STATIC);
	if (p->query)
		sqlite3_bind_text(*s, 2, p->query, -1, SQLITE_STATIC);
	if (p->section_id)
		sqlite3_bind_int64(*s, 3, p->section_id);
	if (p->person_id)
		sqlite3_bind_int64(*s, 4, p->person_id);
	if (p->since)
		sqlite3_bind_int64(*s, 5, (sqlite3_int64)p->since);
	if (p->until)
		sqlite3_bind_int64(*s, 6, (sqlite3_int64)p->until);
	return SQLITE_OK;
}

static const char *
dup_col(struct arena *a, sqlite3_stmt *s, int i)
{
	const unsigned char *p = sqlite3_column_text(s, i);

	return p ? arena_strndup(a, (const char *)p, (size_t)sqlite3_column_bytes(s, i)) : "";
}

/* Every match, ranked, without marks: for 'sinmun search --limit 0'. */
static int
search_all(struct store *st, struct arena *a, const struct search_params *p, struct search_results *out)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s = NULL;
	int rc, cap = 0;

	buf_puts(&sql, "SELECT f.rowid, bm25(article_fts, 4.0, 1.0)");
	where_sql(&sql, p);
	buf_puts(&sql, " ORDER BY 2, f.rowid DESC");
	if ((rc = prepare(st, sql.p, &s, p)) != SQLITE_OK) {
		buf_free(&sql);
		return store__fail(st, rc);
	}
	buf_free(&sql);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->items = arena_grow(a, out->items, out->n, &cap, sizeof *out->items);
		out->items[out->n++].article.id = sqlite3_column_int64(s, 0);
	}
	rc = rc == SQLITE_DONE ? STORE_OK : store__fail(st, rc);
	sqlite3_finalize(s);
	out->total = out->n;
	return rc;
}

int
store_search(struct store *st, struct arena *a, const struct search_params *p, struct search_results *out)
{
	/* The rowid range lets FTS5 seek instead of running the whole match;
	 * +rowid keeps the IN list from being pushed into FTS5, which would
	 * run the match once per id. */
	static const char marks_sql[] =
	    "SELECT rowid, highlight(article_fts, 0, ?3, ?4), snippet(article_fts, 1, ?3, ?4, '…', 40) "
	    "FROM article_fts WHERE article_fts MATCH ?1 AND rowid BETWEEN ?5 AND ?6 "
	    "AND +rowid IN (SELECT value FROM json_each(?2))";
	int64_t lo = INT64_MAX, hi = 0;
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s = NULL, *m = NULL;
	int64_t *ids;
	int rc, i, n = 0;

	memset(out, 0, sizeof *out);
	if (p->match == NULL)
		return STORE_INVALID;
	if (p->all)
		return search_all(st, a, p, out);
	if (p->limit < 1 || p->limit > 1000 || p->offset < 0)
		return STORE_INVALID;

	/* Count first: it also tells whether the page is past the end. */
	buf_puts(&sql, "SELECT count(*) FROM (SELECT 1");
	where_sql(&sql, p);
	buf_printf(&sql, " LIMIT %d)", SEARCH_COUNT_CAP + 1);
	if ((rc = prepare(st, sql.p, &s, p)) != SQLITE_OK || (rc = sqlite3_step(s)) != SQLITE_ROW)
		goto fail;
	out->total = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	s = NULL;
	if (out->total > SEARCH_COUNT_CAP) {
		out->total = SEARCH_COUNT_CAP;
		out->total_capped = 1;
	}
	if (out->total == 0 || p->offset >= out->total) {
		rc = STORE_OK;
		goto out;
	}

	/* A page within the newest candidates is ranked; past them, by date. */
	buf_reset(&sql);
	if (p->offset + p->limit <= SEARCH_CANDIDATES) {
		buf_puts(&sql, "WITH cand AS (SELECT f.rowid AS id, bm25(article_fts, 4.0, 1.0) AS score");
		where_sql(&sql, p);
		buf_printf(&sql, " ORDER BY f.rowid DESC LIMIT %d) SELECT cand.id FROM cand "
		    "JOIN article x ON x.id = cand.id "
		    "ORDER BY cand.score / (1.0 + max(?7 - x.published_at, 0) / 2592000.0), cand.id DESC "
		    "LIMIT ?8 OFFSET ?9", SEARCH_CANDIDATES);
	} else {
		buf_puts(&sql, "SELECT f.rowid");
		where_sql(&sql, p);
		buf_puts(&sql, " ORDER BY f.rowid DESC LIMIT ?8 OFFSET ?9");
	}
	if ((rc = prepare(st, sql.p, &s, p)) != SQLITE_OK)
		goto fail;
	if (sqlite3_bind_parameter_index(s, "?7"))
		sqlite3_bind_int64(s, 7, (sqlite3_int64)p->now);
	sqlite3_bind_int(s, 8, p->limit);
	sqlite3_bind_int(s, 9, p->offset);
	ids = arena_calloc(a, (size_t)p->limit, sizeof *ids);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < p->limit)
		ids[n++] = sqlite3_column_int64(s, 0);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
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
	/* Marks for the page in one pass over the matches: FTS5 evaluates
	 * highlight() and snippet() only for the rows the page shows, and one
	 * query reads the doclists once instead of once a row. */
	buf_reset(&sql);
	buf_putc(&sql, '[');
	for (i = 0; i < out->n; i++)
		buf_printf(&sql, "%s%lld", i ? "," : "", (long long)out->items[i].article.id);
	buf_putc(&sql, ']');
	if ((rc = sqlite3_prepare_v3(store__db(st), marks_sql, -1, SQLITE_PREPARE_PERSISTENT, &m, NULL)) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(m, 1, p->match, -1, SQLITE_STATIC);
	sqlite3_bind_text(m, 2, sql.p, (int)sql.len, SQLITE_STATIC);
	sqlite3_bind_text(m, 3, STORE_MARK_OPEN, -1, SQLITE_STATIC);
	sqlite3_bind_text(m, 4, STORE_MARK_CLOSE, -1, SQLITE_STATIC);
	for (i = 0; i < out->n; i++) {
		if (out->items[i].article.id < lo)
			lo = out->items[i].article.id;
		if (out->items[i].article.id > hi)
			hi = out->items[i].article.id;
	}
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
	if (rc != SQLITE_DONE)
		goto fail;
	rc = STORE_OK;
	goto out;
fail:
	rc = store__fail(st, rc);
out:
	buf_free(&sql);
	sqlite3_finalize(s);
	sqlite3_finalize(m);
	return rc;
}

int
store_search_reindex(struct store *st, int (*text_of)(const char *, size_t, struct buf *),
    int64_t *count)
{
	static const char rows_sql[] = "SELECT id, headline, subtitle1, subtitle2, subtitle3, body "
	    "FROM article WHERE status = 'published'";
	sqlite3 *db = store__db(st);
	sqlite3_stmt *r = NULL;
	struct article a;
	struct buf text = BUF_INIT;
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
		if ((rc = store__index_article(st, &a)) != STORE_OK)
			goto out;
		n++;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	if ((rc = sqlite3_exec(db, "DELETE FROM setting WHERE key = 'search.reindex_needed'",
	    NULL, NULL, NULL)) != SQLITE_OK)
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
