/*
 * fts5_rank.c - ko_rank(), the FTS5 ranking function of sinmun's search:
 * Okapi BM25 like FTS5's own bm25(), with the document frequency of each
 * phrase estimated from a bounded sample instead of counted.
 *
 *   ko_rank(article_fts, w_title, w_body, id_lo, id_hi)
 *
 * Why not bm25(): its IDF needs the number of rows holding each phrase,
 * and FTS5 gets it by running every phrase over the whole index
 * (xQueryPhrase) the first time bm25() is called in a statement.  At a
 * million articles a word like 경제 is in hundreds of thousands of rows,
 * and that count was 42 of the 58 ms of a results page, even though the
 * page only ranks the newest 200 matches.  No library offers a BM25 with a
 * bounded IDF, so it is written here, on the documented extension API.
 *
 * The estimate: each phrase's matches are read from the oldest
 * (xQueryPhrase runs in rowid order) and the reading stops at SAMPLE rows.
 * Fewer matches than that are counted exactly; otherwise the phrase's
 * density over the ids read so far, SAMPLE / (r - id_lo + 1) for the
 * SAMPLE-th match r, is carried over the whole range id_lo..id_hi of
 * article ids (the caller's min and max id).  IDF is a logarithm of the
 * frequency, so an estimate off by a few percent moves it by less than
 * that; the ranking among candidates hardly changes, and one phrase alone
 * ranks exactly as bm25() would (its IDF is the same factor on every row).
 *
 * Values are negative, better matches lower, like bm25(), so ORDER BY
 * ko_rank(...) puts the best first.
 */
#include "search/search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rows read per phrase for its document frequency. */
#define SAMPLE 256

/* The constants of FTS5's bm25() (k1, b), so scores mean the same. */
#define K1 1.2
#define B  0.75

struct rank_data {
	int     nphrase;
	int     ncol;
	double  avgdl;       /* average tokens a row */
	double *idf;         /* [nphrase] */
	double *weight;      /* [ncol] */
	double *freq;        /* [nphrase], scratch for each row */
};

struct sample {
	const Fts5ExtensionApi *api;
	int     n;
	int64_t last;        /* rowid of the n-th match */
};

static int
sample_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *arg)
{
	struct sample *s = arg;

	(void)api;
	s->last = s->api->xRowid(fts);
	return ++s->n >= SAMPLE ? SQLITE_DONE : SQLITE_OK;
}

double
search_rank_hits(int sampled, int64_t last, int64_t id_lo, int64_t id_hi, int64_t nrow)
{
	double hits;

	if (sampled < SAMPLE || id_hi < id_lo || last < id_lo)
		hits = sampled;
	else
		hits = (double)sampled * (double)(id_hi - id_lo + 1) / (double)(last - id_lo + 1);
	if (hits > (double)nrow)
		hits = (double)nrow;
	return hits;
}

/* The BM25 IDF of a phrase in hits of nrow rows, as FTS5 computes it:
 * never zero or negative, so a phrase in most rows still counts a little. */
static double
idf_of(double hits, int64_t nrow)
{
	double idf = log((0.5 + (double)nrow - hits) / (0.5 + hits));

	return idf > 1e-6 ? idf : 1e-6;
}

static void
rank_data_free(void *p)
{
	free(p);
}

static struct rank_data *
rank_data_make(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_value **argv, int argc,
    int *rc)
{
	struct rank_data *d;
	sqlite3_int64 nrow = 0, ntok = 0;
	int64_t id_lo, id_hi;
	int nphrase = api->xPhraseCount(fts), ncol = api->xColumnCount(fts), i;
	size_t size = sizeof *d + sizeof(double) * (size_t)(2 * nphrase + ncol);

	if ((d = calloc(1, size)) == NULL) {
		*rc = SQLITE_NOMEM;
		return NULL;
	}
	d->nphrase = nphrase;
	d->ncol = ncol;
	d->idf = (double *)(void *)(d + 1);
	d->freq = d->idf + nphrase;
	d->weight = d->freq + nphrase;
	for (i = 0; i < ncol; i++)
		d->weight[i] = i < argc - 2 ? sqlite3_value_double(argv[i]) : 1.0;
	id_lo = argc >= 2 ? sqlite3_value_int64(argv[argc - 2]) : 0;
	id_hi = argc >= 2 ? sqlite3_value_int64(argv[argc - 1]) : 0;
	if ((*rc = api->xRowCount(fts, &nrow)) != SQLITE_OK ||
	    (*rc = api->xColumnTotalSize(fts, -1, &ntok)) != SQLITE_OK)
		goto fail;
	d->avgdl = nrow > 0 ? (double)ntok / (double)nrow : 1.0;
	for (i = 0; i < nphrase; i++) {
		struct sample s = { api, 0, 0 };

		if ((*rc = api->xQueryPhrase(fts, i, &s, sample_row)) != SQLITE_OK)
			goto fail;
		d->idf[i] = idf_of(search_rank_hits(s.n, s.last, id_lo, id_hi, nrow), nrow);
	}
	return d;
fail:
	free(d);
	return NULL;
}

static void
ko_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
    sqlite3_value **argv)
{
	struct rank_data *d = api->xGetAuxdata(fts, 0);
	int rc = SQLITE_OK, ninst = 0, i, phrase, col, off;
	int len = 0;
	double score = 0, norm;

	/* Arguments after the table: one weight a column, then id_lo, id_hi. */
	if (argc < 2) {
		sqlite3_result_error(ctx, "ko_rank: id range missing", -1);
		return;
	}
	if (d == NULL) {
		if ((d = rank_data_make(api, fts, argv, argc, &rc)) == NULL) {
			sqlite3_result_error_code(ctx, rc);
			return;
		}
		if ((rc = api->xSetAuxdata(fts, d, rank_data_free)) != SQLITE_OK) {
			sqlite3_result_error_code(ctx, rc);
			return;
		}
	}
	memset(d->freq, 0, sizeof(double) * (size_t)d->nphrase);
	if ((rc = api->xInstCount(fts, &ninst)) != SQLITE_OK)
		goto fail;
	for (i = 0; i < ninst; i++) {
		if ((rc = api->xInst(fts, i, &phrase, &col, &off)) != SQLITE_OK)
			goto fail;
		if (phrase >= 0 && phrase < d->nphrase && col >= 0 && col < d->ncol)
			d->freq[phrase] += d->weight[col];
	}
	if ((rc = api->xColumnSize(fts, -1, &len)) != SQLITE_OK)
		goto fail;
	norm = K1 * (1 - B + B * (double)len / d->avgdl);
	for (i = 0; i < d->nphrase; i++)
		score += d->idf[i] * d->freq[i] * (K1 + 1) / (d->freq[i] + norm);
	sqlite3_result_double(ctx, -score);
	return;
fail:
	sqlite3_result_error_code(ctx, rc);
}

int
search_register_rank(fts5_api *api)
{
	return api->xCreateFunction(api, "ko_rank", NULL, ko_rank, NULL);
}
