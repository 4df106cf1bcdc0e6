/*
 * fts5_aux.c - the FTS5 auxiliary functions of sinmun's search, written on
 * the documented extension API because FTS5's own bm25() and snippet() do
 * work proportional to the archive and to the article:
 *
 *   ko_rank(article_fts, w_title, w_body, id_lo, id_hi)
 *   ko_snippet(article_fts, col, open, close, ellipsis, ntokens)
 *
 * ko_rank is Okapi BM25 like bm25(), with the document frequency of each
 * phrase estimated from a bounded sample instead of counted.  Why not
 * bm25(): its IDF needs the number of rows holding each phrase,
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

/* ---- ko_rank ---- */

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

/* ---- ko_snippet ----
 *
 * A passage of ntokens tokens of column col around the matches, the
 * matched text between open and close, ellipsis where text was left out.
 * snippet() tokenizes the whole column to score every window; this picks
 * the window from the match positions FTS5 already has (xInst: the one
 * holding the most distinct phrases, the first of those), then tokenizes
 * only up to its end.  A match in the first three quarters of the first
 * window shows the article's opening; a later one gets a quarter of the
 * window before it.  Every byte offset comes from the tokenizer, so cuts
 * fall between characters.
 */

#define SNIP_MARKS 64   /* marked ranges kept; later ones are shown unmarked */

struct snip {
	int    wstart, wend;       /* token positions [wstart, wend) */
	int    pos;                /* position of the last token seen */
	int    first;              /* byte where the passage starts, -1 = not yet */
	int    last;               /* byte where it ends */
	int    more;               /* text goes on past the window */
	const int *inst;           /* [2 * ninst]: start position, end position */
	int    ninst;
	int    mark[SNIP_MARKS][2];/* byte ranges to mark, in text order */
	int    nmark;
};

static int
snip_token(void *ctx, int tflags, const char *tok, int ntok, int start, int end)
{
	struct snip *s = ctx;
	int i;

	(void)tok;
	(void)ntok;
	if (!(tflags & FTS5_TOKEN_COLOCATED))
		s->pos++;
	if (s->pos < s->wstart)
		return SQLITE_OK;
	if (s->pos >= s->wend) {
		s->more = 1;
		return SQLITE_DONE;
	}
	if (s->first < 0)
		s->first = start;
	if (end > s->last)
		s->last = end;
	for (i = 0; i < s->ninst; i++) {
		if (s->pos < s->inst[2 * i] || s->pos >= s->inst[2 * i + 1])
			continue;
		/* Bigrams overlap: a token touching the last range extends it. */
		if (s->nmark > 0 && start <= s->mark[s->nmark - 1][1]) {
			if (end > s->mark[s->nmark - 1][1])
				s->mark[s->nmark - 1][1] = end;
		} else if (s->nmark < SNIP_MARKS) {
			s->mark[s->nmark][0] = start;
			s->mark[s->nmark][1] = end;
			s->nmark++;
		}
		break;
	}
	return SQLITE_OK;
}

/* The window: [*wstart, *wstart + ntokens), from the instances in col. */
static int
snip_window(const Fts5ExtensionApi *api, Fts5Context *fts, int col, int ntokens, int **inst,
    int *ninst, int *wstart)
{
	int n = 0, i, j, phrase, c, off, best = -1, bestn = 0, rc;
	int *in;
	unsigned char seen[64];

	*inst = NULL;
	*ninst = 0;
	*wstart = 0;
	if ((rc = api->xInstCount(fts, &n)) != SQLITE_OK)
		return rc;
	if (n == 0)
		return SQLITE_OK;
	/* start, end, phrase of each instance in col (xInst is in order) */
	if ((in = sqlite3_malloc64(sizeof(int) * 3 * (size_t)n)) == NULL)
		return SQLITE_NOMEM;
	for (i = 0; i < n; i++) {
		if ((rc = api->xInst(fts, i, &phrase, &c, &off)) != SQLITE_OK) {
			sqlite3_free(in);
			return rc;
		}
		if (c != col)
			continue;
		in[3 * *ninst] = off;
		in[3 * *ninst + 1] = off + api->xPhraseSize(fts, phrase);
		in[3 * *ninst + 2] = phrase;
		(*ninst)++;
	}
	for (i = 0; i < *ninst; i++) {
		int distinct = 0;

		memset(seen, 0, sizeof seen);
		for (j = i; j < *ninst && in[3 * j + 1] <= in[3 * i] + ntokens; j++) {
			int ph = in[3 * j + 2] & 63;

			distinct += !seen[ph];
			seen[ph] = 1;
		}
		if (distinct > bestn) {
			bestn = distinct;
			best = i;
		}
	}
	if (best >= 0 && in[3 * best + 1] > ntokens * 3 / 4)
		*wstart = in[3 * best] - ntokens / 4 > 0 ? in[3 * best] - ntokens / 4 : 0;
	/* keep start and end only, for snip_token */
	for (i = 0; i < *ninst; i++) {
		in[2 * i] = in[3 * i];
		in[2 * i + 1] = in[3 * i + 1];
	}
	*inst = in;
	return SQLITE_OK;
}

static void
ko_snippet(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
    sqlite3_value **argv)
{
	const char *text, *open, *close, *ellipsis;
	struct snip s;
	sqlite3_str *out;
	int col, ntokens, len = 0, rc, i, at;
	int *inst = NULL;

	if (argc != 5) {
		sqlite3_result_error(ctx, "ko_snippet: col, open, close, ellipsis, ntokens", -1);
		return;
	}
	col = sqlite3_value_int(argv[0]);
	open = (const char *)sqlite3_value_text(argv[1]);
	close = (const char *)sqlite3_value_text(argv[2]);
	ellipsis = (const char *)sqlite3_value_text(argv[3]);
	ntokens = sqlite3_value_int(argv[4]);
	if (col < 0 || col >= api->xColumnCount(fts) || ntokens < 1 || ntokens > 1000 ||
	    open == NULL || close == NULL || ellipsis == NULL) {
		sqlite3_result_error(ctx, "ko_snippet: bad argument", -1);
		return;
	}
	if ((rc = api->xColumnText(fts, col, &text, &len)) != SQLITE_OK)
		goto fail;
	if (text == NULL || len == 0) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	memset(&s, 0, sizeof s);
	if ((rc = snip_window(api, fts, col, ntokens, &inst, &s.ninst, &s.wstart)) != SQLITE_OK)
		goto fail;
	s.wend = s.wstart + ntokens;
	s.pos = -1;
	s.first = -1;
	s.inst = inst;
	rc = api->xTokenize(fts, text, len, &s, snip_token);
	sqlite3_free(inst);
	if (rc != SQLITE_OK && rc != SQLITE_DONE)
		goto fail;
	if (s.first < 0) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	/* The opening window keeps what comes before its first token; the
	 * last one keeps what comes after its last. */
	if (s.wstart == 0)
		s.first = 0;
	if (!s.more)
		s.last = len;
	out = sqlite3_str_new(NULL);
	if (s.wstart > 0)
		sqlite3_str_appendall(out, ellipsis);
	at = s.first;
	for (i = 0; i < s.nmark; i++) {
		sqlite3_str_append(out, text + at, s.mark[i][0] - at);
		sqlite3_str_appendall(out, open);
		sqlite3_str_append(out, text + s.mark[i][0], s.mark[i][1] - s.mark[i][0]);
		sqlite3_str_appendall(out, close);
		at = s.mark[i][1];
	}
	sqlite3_str_append(out, text + at, s.last - at);
	if (s.more)
		sqlite3_str_appendall(out, ellipsis);
	if ((rc = sqlite3_str_errcode(out)) != SQLITE_OK) {
		sqlite3_free(sqlite3_str_finish(out));
		goto fail;
	}
	len = sqlite3_str_length(out);
	sqlite3_result_text(ctx, sqlite3_str_finish(out), len, sqlite3_free);
	return;
fail:
	sqlite3_result_error_code(ctx, rc);
}

int
search_register_rank(fts5_api *api)
{
	int rc = api->xCreateFunction(api, "ko_rank", NULL, ko_rank, NULL);

	return rc == SQLITE_OK ? api->xCreateFunction(api, "ko_snippet", NULL, ko_snippet, NULL) : rc;
}
