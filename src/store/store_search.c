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
 * a recency factor 1 + age/30 days.  Taking the newest first bounds the
 * work of a query that matches half the archive, which is what a news
 * reader searching 경제 wants anyway.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"

/* Title text indexed for an article: headline and subtitles, one a line. */
static void
title_text(const struct article *a, struct buf *b)
{
	int i;

	buf_puts(b, a->headline ? a->headline : "");
	for (i = 0; i < a->nsubtitles; i++) {
		buf_putc(b, '\n');
		buf_puts(b, a->subtitles[i]);
	}
}

int
store__index_article(struct store *st, const struct article *a)
{
	static const char sql[] =
	    "INSERT OR REPLACE INTO article_fts (rowid, title, body) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *s = NULL;
	struct buf t = BUF_INIT;
	int rc;

	title_text(a, &t);
	rc = sqlite3_prepare_v3(store__db(st), sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(s, 1, a->id);
		sqlite3_bind_text(s, 2, t.p ? t.p : "", (int)t.len, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, a->body_text ? a->body_text : "", -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
	}
	rc = rc == SQLITE_DONE ? STORE_OK : store__fail(st, rc);
	sqlite3_finalize(s);
	buf_free(&t);
	return rc;
}

/* Filters shared by the candidate and count queries; ?1 match, ?2 query
 * for the recheck (NULL: none), ?3 section, ?4 person, ?5 since, ?6 until. */
#define SEARCH_WHERE \
	"article_fts MATCH ?1 AND (?2 IS NULL OR ko_recheck(?2, f.title, f.body)) " \
	"AND (?3 = 0 OR a.section_id = ?3) " \
	"AND (?4 = 0 OR a.id IN (SELECT article_id FROM article_byline WHERE person_id = ?4)) " \
	"AND (?5 = 0 OR a.published_at >= ?5) AND (?6 = 0 OR a.published_at < ?6) " \
	"AND a.status = 'published'"

static void
bind_filters(sqlite3_stmt *s, const struct search_params *p)
{
	sqlite3_bind_text(s, 1, p->match, -1, SQLITE_STATIC);
	if (p->query)
		sqlite3_bind_text(s, 2, p->query, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 2);
	sqlite3_bind_int64(s, 3, p->section_id);
	sqlite3_bind_int64(s, 4, p->person_id);
	sqlite3_bind_int64(s, 5, (sqlite3_int64)p->since);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)p->until);
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
	static const char sql[] =
	    "SELECT f.rowid, bm25(article_fts, 4.0, 1.0) / (1.0 + max(?7 - a.published_at, 0) / 2592000.0) AS r "
	    "FROM article_fts f CROSS JOIN article a ON a.id = f.rowid WHERE " SEARCH_WHERE " "
	    "ORDER BY r, f.rowid DESC";
	sqlite3_stmt *s = NULL;
	int rc, cap = 256;

	if ((rc = sqlite3_prepare_v2(store__db(st), sql, -1, &s, NULL)) != SQLITE_OK)
		return store__fail(st, rc);
	bind_filters(s, p);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)p->now);
	out->items = arena_calloc(a, (size_t)cap, sizeof *out->items);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (out->n == cap) {
			struct search_hit *nv = arena_calloc(a, (size_t)cap * 2, sizeof *nv);

			memcpy(nv, out->items, (size_t)cap * sizeof *nv);
			out->items = nv;
			cap *= 2;
		}
		out->items[out->n++].article.id = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE)
		rc = store__fail(st, rc);
	else
		rc = STORE_OK;
	sqlite3_finalize(s);
	out->total = out->n;
	return rc;
}

int
store_search(struct store *st, struct arena *a, const struct search_params *p, struct search_results *out)
{
	static const char ranked_sql[] =
	    "WITH cand AS (SELECT f.rowid AS id, bm25(article_fts, 4.0, 1.0) AS score, a.published_at AS pub "
	    "FROM article_fts f CROSS JOIN article a ON a.id = f.rowid WHERE " SEARCH_WHERE " "
	    "ORDER BY f.rowid DESC LIMIT " "2000" ") "
	    "SELECT id FROM cand ORDER BY score / (1.0 + max(?7 - pub, 0) / 2592000.0), id DESC "
	    "LIMIT ?8 OFFSET ?9";
	static const char count_sql[] =
	    "SELECT count(*) FROM (SELECT 1 FROM article_fts f CROSS JOIN article a ON a.id = f.rowid "
	    "WHERE " SEARCH_WHERE " LIMIT " "10001" ")";
	static const char marks_sql[] =
	    "SELECT highlight(article_fts, 0, ?3, ?4), snippet(article_fts, 1, ?3, ?4, '…', 40) "
	    "FROM article_fts WHERE article_fts MATCH ?1 AND rowid = ?2";
	sqlite3 *db = store__db(st);
	sqlite3_stmt *s = NULL, *c = NULL, *m = NULL;
	int64_t *ids;
	int rc, i, n = 0;

	_Static_assert(SEARCH_CANDIDATES == 2000 && SEARCH_COUNT_CAP == 10000,
	    "the SQL above spells the limits out");
	memset(out, 0, sizeof *out);
	if (p->match == NULL)
		return STORE_INVALID;
	if (p->all)
		return search_all(st, a, p, out);
	if (p->limit < 1 || p->limit > 1000 || p->offset < 0)
		return STORE_INVALID;

	/* Count first: it also tells whether the page is past the end. */
	if ((rc = sqlite3_prepare_v3(db, count_sql, -1, SQLITE_PREPARE_PERSISTENT, &c, NULL)) != SQLITE_OK)
		goto fail;
	bind_filters(c, p);
	if ((rc = sqlite3_step(c)) != SQLITE_ROW)
		goto fail;
	out->total = sqlite3_column_int64(c, 0);
	if (out->total > SEARCH_COUNT_CAP) {
		out->total = SEARCH_COUNT_CAP;
		out->total_capped = 1;
	}
	if (out->total == 0 || p->offset >= SEARCH_CANDIDATES) {
		rc = STORE_OK;
		goto out;
	}

	if ((rc = sqlite3_prepare_v3(db, ranked_sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL)) != SQLITE_OK)
		goto fail;
	bind_filters(s, p);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)p->now);
	sqlite3_bind_int(s, 8, p->limit);
	sqlite3_bind_int(s, 9, p->offset);
	ids = arena_calloc(a, (size_t)p->limit, sizeof *ids);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < p->limit)
		ids[n++] = sqlite3_column_int64(s, 0);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		goto fail;

	out->items = arena_calloc(a, (size_t)(n ? n : 1), sizeof *out->items);
	if ((rc = sqlite3_prepare_v3(db, marks_sql, -1, SQLITE_PREPARE_PERSISTENT, &m, NULL)) != SQLITE_OK)
		goto fail;
	for (i = 0; i < n; i++) {
		struct search_hit *h = &out->items[out->n];

		rc = store_article_get(st, a, ids[i], &h->article);
		if (rc == STORE_NOTFOUND)
			continue;
		if (rc != STORE_OK)
			goto out;
		h->article.body = NULL;
		sqlite3_reset(m);
		sqlite3_bind_text(m, 1, p->match, -1, SQLITE_STATIC);
		sqlite3_bind_int64(m, 2, ids[i]);
		sqlite3_bind_text(m, 3, STORE_MARK_OPEN, -1, SQLITE_STATIC);
		sqlite3_bind_text(m, 4, STORE_MARK_CLOSE, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(m)) == SQLITE_ROW) {
			const char *title = dup_col(a, m, 0);
			char *nl = strchr(title, '\n');

			/* The indexed title is headline + subtitles; show the headline. */
			if (nl)
				*nl = '\0';
			h->title = title;
			h->snippet = dup_col(a, m, 1);
		} else if (rc != SQLITE_DONE) {
			goto fail;
		} else {
			h->title = h->article.headline;
			h->snippet = h->article.summary;
		}
		out->n++;
	}
	rc = STORE_OK;
	goto out;
fail:
	rc = store__fail(st, rc);
out:
	sqlite3_finalize(s);
	sqlite3_finalize(c);
	sqlite3_finalize(m);
	return rc;
}

/* Savepoints live here with the other verbs that run ad hoc SQL. */
int
store_savepoint(struct store *st)
{
	int rc = sqlite3_exec(store__db(st), "SAVEPOINT row", NULL, NULL, NULL);

	return rc == SQLITE_OK ? STORE_OK : store__fail(st, rc);
}

int
store_savepoint_release(struct store *st)
{
	int rc = sqlite3_exec(store__db(st), "RELEASE row", NULL, NULL, NULL);

	return rc == SQLITE_OK ? STORE_OK : store__fail(st, rc);
}

void
store_savepoint_rollback(struct store *st)
{
	sqlite3_exec(store__db(st), "ROLLBACK TO row; RELEASE row", NULL, NULL, NULL);
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
