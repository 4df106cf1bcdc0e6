/*
 * fts5_ko.c - the SQLite side of Korean search: the FTS5 tokenizer "ko",
 * the reader's query -> FTS5 MATCH expression translator, and the recheck
 * (C API and the SQL function ko_recheck).
 *
 * Part of search; the meaning of a query is described in search.h, the
 * terms in ko_tok.h.  The translator never lets FTS5 parse anything the
 * reader typed: every term goes out as a double-quoted FTS5 string, which
 * FTS5 hands straight to our tokenizer, so operators, column filters and
 * stray quotes typed by the reader are just text.
 */
#include "search/search.h"

#include <stdlib.h>
#include <string.h>

#include "search/ko_tok.h"

/* ---- the FTS5 tokenizer ---- */

/* The tokenizer has no state; FTS5 still wants a non-NULL handle. */
static char ko_handle;

static int
ko_create(void *pctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)pctx;
	(void)argv;
	/* No options: refusing them catches typos in a table definition
	 * instead of silently tokenizing some other way. */
	if (argc > 0)
		return SQLITE_ERROR;
	*out = (Fts5Tokenizer *)(void *)&ko_handle;
	return SQLITE_OK;
}

static void
ko_delete(Fts5Tokenizer *tok)
{
	(void)tok;
}

struct fts_emit {
	void *pctx;
	int (*xtoken)(void *, int, const char *, int, int, int);
};

static int
ko_fts_emit(void *ctx, const char *tok, size_t toklen, size_t start, size_t end,
    int colocated)
{
	struct fts_emit *fe = ctx;

	/* FTS5 texts are at most INT_MAX bytes, so the casts are exact. */
	return fe->xtoken(fe->pctx, colocated ? FTS5_TOKEN_COLOCATED : 0, tok,
	    (int)toklen, (int)start, (int)end);
}

/* A facet list (search.h): each word after the mark as a term of its own,
 * the first byte of the mark before it. */
static int
facet_tokens(void *pctx, const char *text, int len,
    int (*xtoken)(void *, int, const char *, int, int, int))
{
	char term[64];
	int i = (int)sizeof SEARCH_FACET_MARK - 1, start, rc;

	while (i < len) {
		while (i < len && text[i] == ' ')
			i++;
		start = i;
		while (i < len && text[i] != ' ')
			i++;
		if (i == start || i - start >= (int)sizeof term - 1)
			continue;
		term[0] = SEARCH_FACET_MARK[0];
		memcpy(term + 1, text + start, (size_t)(i - start));
		if ((rc = xtoken(pctx, 0, term, i - start + 1, start, i)) != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

static int
ko_tokenize(Fts5Tokenizer *tok, void *pctx, int flags, const char *text, int len,
    int (*xtoken)(void *, int, const char *, int, int, int))
{
	struct fts_emit fe;
	int mode;

	(void)tok;
	fe.pctx = pctx;
	fe.xtoken = xtoken;
	if (len < 0)
		len = 0;
	/* highlight()/snippet() passes (AUX) must give the documents' positions;
	 * they skip colocated terms anyway (fts5_aux.c), so they are not made,
	 * and a word's span is the whole word. */
	if ((size_t)len >= sizeof SEARCH_FACET_MARK - 1 &&
	    memcmp(text, SEARCH_FACET_MARK, sizeof SEARCH_FACET_MARK - 1) == 0)
		return facet_tokens(pctx, text, len, xtoken);
	if (flags & FTS5_TOKENIZE_QUERY)
		mode = KO_TOK_QUERY;
	else if (flags & FTS5_TOKENIZE_AUX)
		mode = KO_TOK_AUX;
	else
		mode = KO_TOK_DOCUMENT;
	return ko_tok_run(text, (size_t)len, mode, ko_fts_emit, &fe);
}

/* ---- parsing what the reader typed ---- */

static int
is_query_space(uint32_t cp)
{
	return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 ||
	    cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
	    cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* ASCII quotes, the curly quotes phones insert, and the full-width quote
 * of Korean IMEs all delimit a phrase. */
static int
is_query_quote(uint32_t cp)
{
	return cp == '"' || cp == 0x201C || cp == 0x201D || cp == 0xFF02;
}

static int
set_err(char *err, size_t errlen, int rc)
{
	const char *msg;
	size_t n;

	if (err == NULL || errlen == 0)
		return rc;
	switch (rc) {
	case SEARCH_EEMPTY:   msg = "검색어를 입력하세요"; break;
	case SEARCH_ETOOLONG: msg = "검색어가 너무 깁니다"; break;
	default:              msg = "검색어를 처리할 수 없습니다"; break;
	}
	n = strlen(msg);
	if (n >= errlen) {
		/* Cut on a character boundary. */
		n = errlen - 1;
		while (n > 0 && ((unsigned char)msg[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(err, msg, n);
	err[n] = '\0';
	return rc;
}

/* Writes the raw term as the body of an FTS5 string: " doubled, NUL as a
 * space and each invalid byte as U+FFFD, which is what normalization makes
 * of them (separators are terms, so they must stay the same separators),
 * and the expression is valid UTF-8 and a C string. */
static int
put_fts_string(struct buf *b, const char *raw, size_t n)
{
	const unsigned char *s = (const unsigned char *)raw;
	size_t i = 0, clen;
	uint32_t cp;

	if (buf_putc(b, '"'))
		return SEARCH_EFULL;
	/* Control characters are separators; leading ones are no terms at
	 * all, and left out no phrase starts like a facet list (search.h). */
	while (i < n && (s[i] < 0x20 || s[i] == 0x7f))
		i++;
	while (i < n) {
		clen = ko_tok_utf8_decode(s + i, n - i, &cp);
		if (cp == UINT32_MAX) {
			if (buf_put(b, "\xEF\xBF\xBD", 3))
				return SEARCH_EFULL;
		} else if (cp == 0) {
			if (buf_putc(b, ' '))
				return SEARCH_EFULL;
		} else if (cp == '"') {
			if (buf_put(b, "\"\"", 2))
				return SEARCH_EFULL;
		} else if (buf_put(b, raw + i, clen)) {
			return SEARCH_EFULL;
		}
		i += clen;
	}
	return buf_putc(b, '"') ? SEARCH_EFULL : SEARCH_OK;
}

/*
 * Whether FTS5 alone answers a needle exactly (see ko_tok.h for the terms
 * and search.h for the argument), or the recheck must confirm its rows.
 * norm[a..b) is the needle, normalized, from its first to its last
 * non-separator character.  The pieces that are not exact:
 *   - a letter or digit run followed by more of the needle, over
 *     KO_TOK_WORD_MAX - 4 bytes: it must equal a term of the text, and a
 *     term that long may be a cut one (the next character, up to 4 bytes,
 *     did not fit), i.e. a longer run in the text;
 *   - a letter or digit run ending the needle, over KO_TOK_WORD_MAX bytes:
 *     the query term is cut, a prefix of the needle's run;
 *   - a separator run over KO_TOK_SEP_MAX bytes: its term is cut.
 * Everything else, whatever the scripts and separators, is exact.
 */
static int
needle_inexact(const char *norm, size_t a, size_t b)
{
	const unsigned char *u = (const unsigned char *)norm;
	size_t i, clen, run_bytes = 0;
	uint32_t cp;
	int cls, run = -1;

	/* Normalized text has folded its white space already, as the
	 * tokenizer folds it in gap terms. */
	for (i = a; i < b; i += clen) {
		clen = ko_tok_utf8_decode(u + i, b - i, &cp);
		cls = ko_tok_class(cp);
		if (cls == run) {
			run_bytes += clen;
			continue;
		}
		/* A run ends, and more of the needle follows. */
		if (run == KO_TOK_SEP ? run_bytes > KO_TOK_SEP_MAX :
		    run >= 0 && run != KO_TOK_BIGRAM && run_bytes > KO_TOK_WORD_MAX - 4)
			return 1;
		run = cls;
		run_bytes = clen;
	}
	/* The needle ends with a non-separator. */
	return run != KO_TOK_BIGRAM && run_bytes > KO_TOK_WORD_MAX;
}

/* Adds one term typed as raw[0..n); a term with nothing searchable in it
 * (only punctuation, say) is skipped. */
static int
add_term(struct search_query *sq, const char *raw, size_t n)
{
	struct search_term *t;
	const unsigned char *u;
	char *norm;
	size_t nlen, i, clen, a, b, run_chars = 0;
	uint32_t cp;
	int cls, prev = -1, last = -1, first = -1, punct = 0, gapped = 0;
	int rc;

	norm = ko_tok_normalize(raw, n, &nlen);
	if (norm == NULL)
		return SEARCH_ENOMEM;
	u = (const unsigned char *)norm;
	/* The needle is norm[a..b): first to last non-separator character. */
	a = b = 0;
	for (i = 0; i < nlen; i += clen) {
		clen = ko_tok_utf8_decode(u + i, nlen - i, &cp);
		cls = ko_tok_class(cp);
		if (cls == KO_TOK_SEP) {
			/* (normalized text has its white space as spaces) */
			punct |= cp != ' ';
			prev = KO_TOK_SEP;
			continue;
		}
		if (first < 0) {
			first = cls;
			a = i;
		} else if (cls != prev) {
			/* A run after another: is there a gap term between? */
			gapped = prev != KO_TOK_SEP || punct;
		}
		run_chars = cls == prev ? run_chars + 1 : 1;
		prev = last = cls;
		punct = 0;
		b = i + clen;
	}
	if (first < 0) {
		free(norm);
		return SEARCH_OK;
	}
	if (sq->nterm == SEARCH_MAX_TERMS) {
		free(norm);
		return SEARCH_ETOOLONG;
	}
	t = &sq->term[sq->nterm];
	t->off = sq->text.len;
	t->len = b - a;
	t->first_cls = (unsigned char)first;
	t->last_cls = (unsigned char)last;
	t->recheck = (unsigned char)needle_inexact(norm, a, b);
	rc = SEARCH_OK;
	if (buf_put(&sq->text, norm + a, b - a) || buf_putc(&sq->text, '\0'))
		rc = SEARCH_EFULL;
	free(norm);
	if (rc)
		return rc;
	if (sq->nterm > 0 && buf_puts(&sq->fts, " AND "))
		return SEARCH_EFULL;
	if ((rc = put_fts_string(&sq->fts, raw, n)) != SEARCH_OK)
		return rc;
	/*
	 * The phrase's last term is a prefix when the needle may end inside
	 * the document's run there:
	 *   - one bigram-script character: in documents it starts a bigram or
	 *     ends a run;
	 *   - a letter or digit run: in documents every character of a run
	 *     starts one of its terms, so app* finds apple and ~pple* finds it
	 *     too (the tokenizer asks for both: the first run of a needle is a
	 *     synonym pair).  After other runs (s24 -> s _2 24*, 전주10 ->
	 *     전주 주 _1 10*) it starts the document's run, whose unmarked
	 *     term is the whole run: 24* there does not find s4 in s24.
	 * Except a last run of one character after a gap term (10년 -> 10 ~10
	 * _년, 3.5 -> 3 ~3 _.5): the gap term ends with that character, so the
	 * tokenizer leaves the run's own term out, and no prefix query (which
	 * FTS5 answers by merging every term with that prefix) is needed.
	 * A letter or digit run followed by more of the needle ends a run in
	 * the document: first run, the run itself or the suffix of one
	 * exactly (10 or ~10: 10년 finds 2010년), later runs the run itself;
	 * no star.
	 */
	if (((last == KO_TOK_BIGRAM && run_chars == 1) || last == KO_TOK_LETTER ||
	    last == KO_TOK_DIGIT) && !(run_chars == 1 && gapped) &&
	    buf_putc(&sq->fts, '*'))
		return SEARCH_EFULL;
	sq->nterm++;
	return SEARCH_OK;
}

int
search_query_parse(struct search_query *sq, const char *q, size_t len, char *err,
    size_t errlen)
{
	const unsigned char *s = (const unsigned char *)q;
	size_t pos = 0, start, end, clen = 0;
	uint32_t cp;
	int rc;

	buf_init(&sq->text, BUF_CAP_SMALL);
	buf_init(&sq->fts, BUF_CAP_SMALL);
	sq->nterm = 0;
	if (err && errlen)
		err[0] = '\0';
	if (q == NULL)
		len = 0;
	if (len > SEARCH_QUERY_MAX)
		return set_err(err, errlen, SEARCH_ETOOLONG);
	while (pos < len) {
		clen = ko_tok_utf8_decode(s + pos, len - pos, &cp);
		if (is_query_space(cp)) {
			pos += clen;
			continue;
		}
		if (is_query_quote(cp)) {
			/* A phrase runs to the next quote, or to the end when
			 * the reader forgot to close it. */
			start = end = pos + clen;
			while (end < len) {
				clen = ko_tok_utf8_decode(s + end, len - end, &cp);
				if (is_query_quote(cp))
					break;
				end += clen;
			}
			pos = end < len ? end + clen : end;
		} else {
			start = end = pos;
			while (end < len) {
				clen = ko_tok_utf8_decode(s + end, len - end, &cp);
				if (is_query_space(cp) || is_query_quote(cp))
					break;
				end += clen;
			}
			pos = end;
		}
		if ((rc = add_term(sq, q + start, end - start)) != SEARCH_OK) {
			buf_reset(&sq->fts);
			sq->nterm = 0;
			return set_err(err, errlen, rc);
		}
	}
	if (sq->nterm == 0)
		return set_err(err, errlen, SEARCH_EEMPTY);
	return SEARCH_OK;
}

void
search_query_free(struct search_query *sq)
{
	buf_free(&sq->text);
	buf_free(&sq->fts);
	sq->nterm = 0;
}

int
search_query_needs_recheck(const struct search_query *sq)
{
	int i;

	for (i = 0; i < sq->nterm; i++)
		if (sq->term[i].recheck)
			return 1;
	return 0;
}

int
search_query_to_fts(const char *q, size_t len, struct buf *out, char *err,
    size_t errlen)
{
	struct search_query sq;
	int rc;

	rc = search_query_parse(&sq, q, len, err, errlen);
	if (rc == SEARCH_OK && buf_put(out, sq.fts.p, sq.fts.len))
		rc = set_err(err, errlen, SEARCH_EFULL);
	search_query_free(&sq);
	return rc;
}

/* ---- the recheck ---- */

/* Whether term t occurs in text[0..len): a plain substring.  Both sides
 * are normalized UTF-8, so a byte match is a character match. */
static int
term_occurs(const char *text, size_t len, const struct search_query *sq,
    const struct search_term *t)
{
	if (t->len == 0)
		return 1;
	if (text == NULL || len < t->len)
		return 0;
	return memmem(text, len, sq->text.p + t->off, t->len) != NULL;
}

int
search_text_contains_all(const char *normalized_text, size_t len,
    const struct search_query *sq)
{
	int i;

	if (normalized_text == NULL)
		len = 0;
	for (i = 0; i < sq->nterm; i++)
		if (!term_occurs(normalized_text, len, sq, &sq->term[i]))
			return 0;
	return 1;
}

int
search_fields_match(const struct search_query *sq, const struct str *fields,
    size_t nfields)
{
	char **norm;
	size_t *nlen;
	size_t f;
	int i, found, rc = 1;

	if (sq->nterm == 0)
		return 1;
	norm = calloc(nfields ? nfields : 1, sizeof *norm);
	nlen = calloc(nfields ? nfields : 1, sizeof *nlen);
	if (norm == NULL || nlen == NULL) {
		free(norm);
		free(nlen);
		return SEARCH_ENOMEM;
	}
	for (f = 0; f < nfields; f++) {
		norm[f] = ko_tok_normalize(fields[f].p, fields[f].p ? fields[f].len : 0,
		    &nlen[f]);
		if (norm[f] == NULL) {
			rc = SEARCH_ENOMEM;
			goto out;
		}
	}
	/* Each term in some field: a phrase cannot span two columns in FTS5
	 * either. */
	for (i = 0; i < sq->nterm && rc == 1; i++) {
		found = 0;
		for (f = 0; f < nfields && !found; f++)
			found = term_occurs(norm[f], nlen[f], sq, &sq->term[i]);
		if (!found)
			rc = 0;
	}
out:
	for (f = 0; f < nfields; f++)
		free(norm[f]);
	free(norm);
	free(nlen);
	return rc;
}

/* ---- ko_recheck(query, text, ...) ---- */

static void
free_query(void *p)
{
	search_query_free(p);
	free(p);
}

/*
 * ko_recheck(query, text1, text2, ...): 1 when the row's texts contain the
 * query under the rules in search.h.  The parsed query is cached per
 * statement (auxdata on argument 0), and queries FTS5 answers exactly
 * return 1 without looking at the texts.
 */
static void
ko_recheck_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct search_query *sq;
	struct str fields[8];   /* a row has title and body; 8 is plenty */
	const unsigned char *q;
	int i, n, rc, cached = 1;

	if (argc < 2 || argc - 1 > (int)(sizeof fields / sizeof fields[0])) {
		sqlite3_result_error(ctx, "ko_recheck(query, text, ...): 1 to 8 texts", -1);
		return;
	}
	sq = sqlite3_get_auxdata(ctx, 0);
	if (sq == NULL) {
		cached = 0;
		sq = malloc(sizeof *sq);
		if (sq == NULL) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		q = sqlite3_value_text(argv[0]);
		n = sqlite3_value_bytes(argv[0]);
		rc = search_query_parse(sq, (const char *)q, q ? (size_t)n : 0, NULL, 0);
		if (rc == SEARCH_ENOMEM) {
			free_query(sq);
			sqlite3_result_error_nomem(ctx);
			return;
		}
		/* A query that does not parse matches nothing (nterm = 0 would
		 * match everything). */
		if (rc != SEARCH_OK) {
			free_query(sq);
			sqlite3_result_int(ctx, 0);
			return;
		}
	}
	rc = 1;
	if (search_query_needs_recheck(sq)) {
		n = 0;
		for (i = 1; i < argc; i++) {
			fields[n].p = (const char *)sqlite3_value_text(argv[i]);
			fields[n].len = (size_t)sqlite3_value_bytes(argv[i]);
			if (fields[n].p != NULL)
				n++;
		}
		rc = search_fields_match(sq, fields, (size_t)n);
	}
	if (!cached)
		sqlite3_set_auxdata(ctx, 0, sq, free_query);
	if (rc < 0)
		sqlite3_result_error_nomem(ctx);
	else
		sqlite3_result_int(ctx, rc);
}

int
search_register_tokenizer(sqlite3 *db)
{
	fts5_tokenizer tok = { ko_create, ko_delete, ko_tokenize };
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	rc = sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return rc;
	if (api == NULL || api->iVersion < 2)
		return SQLITE_ERROR;
	rc = api->xCreateTokenizer(api, "ko", NULL, &tok, NULL);
	if (rc == SQLITE_OK)
		rc = search_register_rank(api);
	if (rc != SQLITE_OK)
		return rc;
	return sqlite3_create_function(db, "ko_recheck", -1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
	    ko_recheck_fn, NULL, NULL);
}
