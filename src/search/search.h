/*
 * search.h - full-text search: the "ko" FTS5 tokenizer, the translation of
 * what a reader typed into an FTS5 MATCH expression, and the recheck that
 * makes the results exact.
 *
 * Part of search.  The terms themselves come from ko_tok (ko_tok.h); this
 * header is the SQLite side (fts5_ko.c).
 *
 * What a query means (the "oracle" the tests compute independently):
 *   - The query is split at white space into terms; "double quotes" (also
 *     “ ” and full-width ＂) make everything up to the closing quote one
 *     term, a phrase.  Every other character is text: FTS5 syntax (* : ^ ( )
 *     + - {}) and the words AND OR NOT NEAR are searched for, never obeyed.
 *   - Each term is normalized with ko_tok_normalize() (NFKC_Casefold, runs
 *     of white space as one space) and trimmed of separator characters
 *     (anything not a letter, mark, digit or private-use character) at
 *     both ends: that is its needle.  A term with no needle is dropped; a
 *     query with none is SEARCH_EEMPTY.
 *   - A row matches when every needle is a plain substring of at least one
 *     of its columns, each normalized the same way.  Nothing else: no word
 *     boundaries for any script, so 혁신 is found in 사회혁신에, 10년 in
 *     2010년, 6차 in 16차, app and pple in Apple, 202 in 2025.  A needle
 *     must occur whole in one column; separate needles may be in
 *     different columns.
 *   - Separators inside a needle are part of it: "사회적 경제" needs that
 *     one space (a line break in the text also counts, being white space),
 *     so it does not match 사회적경제 nor 사회적, 경제; and 혁신 does not
 *     match 혁 신.
 *
 * How it is run: search_query_parse() builds the MATCH expression, one
 * FTS5 phrase per needle, whose terms at consecutive positions spell the
 * needle (see ko_tok.h): its bigrams and words, and between two runs
 * either nothing (white space only) or a gap term saying exactly what is
 * there (nothing: 10년, ESG경영; or which separators: 3.5, K-푸드, "사회적,
 * 경제"), so 10년, 10 년 and 10. 년 are different phrases.  A needle may
 * start inside a run of the text (its first run, if a word, is the run or
 * a marked suffix of one: 10년 finds 2010년) and end inside one (its last
 * run is a prefix, "app"*, "전주10"*, unless it is one character after a
 * gap term, which holds it: "10년", "3.5%").  A first run of one character
 * before a gap term is in that term too, so 6차 or 1층 is a single term.
 * That phrase is exact: FTS5 alone returns the matching rows, and no
 * others, for every needle except where a term is cut, i.e. a needle with
 *   - a letter or digit run over KO_TOK_WORD_MAX bytes at its end, or over
 *     KO_TOK_WORD_MAX - 4 bytes before more of it (a document's term that
 *     long may be a cut, longer run), or
 *   - separators over KO_TOK_SEP_MAX bytes between two runs.
 * Only those need the recheck, which is search_query_needs_recheck(); the
 * SQL function ko_recheck() does it inside the query, so LIMIT/OFFSET and
 * counts stay right:
 *
 *   SELECT rowid FROM article_fts
 *    WHERE article_fts MATCH ?1 AND ko_recheck(?2, title, body)
 *    ORDER BY rank LIMIT 20
 *
 * with ?1 = the expression from search_query_to_fts() and ?2 = the text the
 * reader typed (ko_recheck() returns 1 at once when no recheck is needed,
 * but leaving it out then saves the call per row).  highlight() and
 * snippet() mark whole words and bigrams: pple marks [Apple], 10년 and
 * 6차 mark [2010년] and [16차], "사회적 경제" marks [사회적 경제].
 */
#ifndef SINMUN_SEARCH_SEARCH_H
#define SINMUN_SEARCH_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "core/buf.h"

enum search_err {
	SEARCH_OK       = 0,
	SEARCH_EEMPTY   = -1,  /* nothing to search for: "검색어를 입력하세요" */
	SEARCH_ETOOLONG = -2,  /* over SEARCH_QUERY_MAX bytes or SEARCH_MAX_TERMS terms */
	SEARCH_EFULL    = -3,  /* the output buffer's cap was reached */
	SEARCH_ENOMEM   = -4,
};

#define SEARCH_QUERY_MAX 1024  /* bytes a reader may type */
#define SEARCH_MAX_TERMS 16

/* One term: its needle is sq->text.p[off .. off+len), NUL-terminated. */
struct search_term {
	size_t        off, len;
	unsigned char first_cls, last_cls;  /* ko_tok_class of its ends (informative) */
	unsigned char recheck;              /* FTS5 alone is not exact here */
};

struct search_query {
	struct buf          text;  /* the needles, each NUL-terminated */
	struct buf          fts;   /* the FTS5 MATCH expression */
	struct search_term  term[SEARCH_MAX_TERMS];
	int                 nterm;
};

/*
 * Registers, on this connection, the FTS5 tokenizer "ko" (no options:
 * tokenize='ko'), the SQL function ko_recheck(query, text, ...) and the
 * auxiliary functions ko_rank() and ko_snippet() (below).  Every connection
 * that writes to or queries a tokenize='ko' table needs it.
 * Returns an SQLite result code.  An index built by a version of ko_tok
 * with other terms must be rebuilt (INSERT INTO t(t) VALUES('rebuild')):
 * FTS5 deletes a row by tokenizing it again.
 */
int search_register_tokenizer(sqlite3 *db);

/*
 * Facets: a text that starts with SEARCH_FACET_MARK is a list of words
 * separated by spaces, each indexed as itself, marked so that no word of
 * an article or of a reader's query is ever the same term (the mark is a
 * separator to the tokenizer, and search_query_parse() never starts a
 * phrase with it).  The index keeps an article's section and people this
 * way ("s12 p3 p7") so that a search within a section or by a reporter is
 * an AND in the index: MATCH '(...) AND facets : "<mark>s12"'.
 */
#define SEARCH_FACET_MARK "\x1f\x1f"

/*
 * Registers the FTS5 auxiliary functions of fts5_aux.c: ko_rank(table,
 * weight..., id_lo, id_hi), BM25 with column weights, each phrase's
 * document frequency estimated from a sample of its matches over the ids
 * id_lo..id_hi instead of counted; and ko_snippet(table, col, open, close,
 * ellipsis, ntokens), the passage around the matches.  Called by
 * search_register_tokenizer().
 */
int search_register_rank(fts5_api *api);

/* The estimate of a phrase's rows: sampled matches read from the oldest,
 * the rowid of the last one read, the id range, the rows in the table. */
double search_rank_hits(int sampled, int64_t last, int64_t id_lo, int64_t id_hi, int64_t nrow);

/*
 * Parses what a reader typed into *sq (which needs no initialization and
 * must be released with search_query_free() whatever the result).  Returns
 * SEARCH_OK or a negative enum search_err, with a message for the reader
 * in err (Korean, NUL-terminated, truncated to errlen) when err != NULL.
 */
int search_query_parse(struct search_query *sq, const char *q, size_t len,
    char *err, size_t errlen);
void search_query_free(struct search_query *sq);

/* Whether the rows FTS5 returns for sq must be rechecked to be exact. */
int search_query_needs_recheck(const struct search_query *sq);

/*
 * 1 when every needle of sq is a substring of the NORMALIZED text (from
 * ko_tok_normalize()), else 0.
 */
int search_text_contains_all(const char *normalized_text, size_t len,
    const struct search_query *sq);

/*
 * The recheck for a row: 1 when every needle occurs in at least one of the
 * fields (raw text, normalized here), 0 when not, SEARCH_ENOMEM.
 */
int search_fields_match(const struct search_query *sq, const struct str *fields,
    size_t nfields);

/*
 * Appends to out the FTS5 MATCH expression for what the reader typed.  The
 * return value and err are those of search_query_parse(); on error nothing
 * is appended.
 */
int search_query_to_fts(const char *q, size_t len, struct buf *out, char *err,
    size_t errlen);

#endif
