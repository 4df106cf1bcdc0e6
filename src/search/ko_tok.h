/*
 * ko_tok.h - the Korean tokenizer core: normalization and n-gram terms.
 *
 * Part of search.  Everything that turns text into search terms goes through
 * here: the SQLite FTS5 tokenizer "ko" (fts5_ko.c), the query translator and
 * recheck (also fts5_ko.c), and later the PostgreSQL indexer.  Because every
 * engine gets its terms from this one function, they agree on what matches.
 * No SQLite here: only libc and utf8proc.
 *
 * What it does, in order:
 *   1. Normalizes to NFKC_Casefold (NFKC + Unicode case folding + removal of
 *      default-ignorable code points such as ZWSP and soft hyphen).  Bytes
 *      that are not valid UTF-8 become U+FFFD, which is a separator.
 *   2. Classifies each normalized code point (enum ko_tok_class):
 *      "bigram scripts" (Hangul, Han, Kana), letters, digits, separators.
 *   3. Emits terms per run of one class:
 *        bigram script   overlapping bigrams plus the run's last character
 *                        alone: 사회혁신에 -> 사회 회혁 혁신 신에 에.  Every
 *                        character starts exactly one term, so a
 *                        one-character query is the prefix query "c"*.
 *        letters         the whole run, case folded: iPhone -> iphone
 *        digits          the whole run: 2024 -> 2024
 *        gaps            between two runs, what separates them, as
 *                        normalized text writes it (a run of white space
 *                        as one space), is one "gap term", except white
 *                        space alone, the commonest, which is none.  A gap
 *                        term is KO_TOK_MARK_SEP, the last character of the
 *                        run before, the separators, and the first
 *                        character of the run after:
 *                          runs that touch    10년 -> 10 _0년 년,
 *                                             K리그 -> k _k리 리그 그
 *                          white space only   no term: 10 년 -> 10 년,
 *                                             10\n년 -> 10 년
 *                          other separators   3.5 -> 3 _3.5 5, 10. 년 ->
 *                                             10 "_0. 년" 년, 사회적, 경제
 *                                             -> ... 적 "_적, 경" 경제 ...
 *                        Two bigram-script runs never touch (they would be
 *                        one run).  Separators before the first run or
 *                        after the last make no term.
 *      Letter and digit terms are cut to at most KO_TOK_WORD_MAX bytes (on
 *      a character boundary).  A gap term whose separators are over
 *      KO_TOK_SEP_MAX bytes starts with KO_TOK_MARK_SEPCUT instead and
 *      holds only their first characters that fit in KO_TOK_SEP_MAX bytes
 *      (between the same two characters as ever).  The marks are control
 *      characters, which are separators, so no bigram, letter or digit
 *      term has one (only a gap term's separators may, being the text's):
 *      a term's first byte tells what it is.  No term contains NUL.  (In
 *      the examples _ stands for KO_TOK_MARK_SEP, ~ for KO_TOK_MARK_SUFFIX.)
 *   Every term but the colocated ones below has a position of its own.
 *   Between the positions of two runs there is a gap term or nothing, and
 *   which one, and the gap term's text, say exactly what separates the two
 *   runs in the normalized text: terms at consecutive positions spell a
 *   substring of it.  10년, 10 년 and 10. 년 are three different phrases.
 *   The gap term's characters make a query that starts or ends with a run
 *   of one character next to a gap exact without that run's own term: no
 *   prefix query for 10년 (10 _0년), no synonyms and no phrase at all for
 *   6차 (the one term _6차).
 *   In KO_TOK_DOCUMENT mode a letter or digit run is one position holding
 *   one term per character: the run from that character on (cut as above),
 *   the first of them the whole run, the others colocated with it and
 *   marked, KO_TOK_MARK_SUFFIX before the text: Apple -> apple, ~pple,
 *   ~ple, ~le, ~e (all at one position); 2010 -> 2010, ~010, ~10, ~0.  So
 *   every substring of the run is a prefix of one of its terms (app*,
 *   ~pple*, ~01*), a piece that ends the run (10 in 2010) is one of them
 *   exactly, and the unmarked term is the whole run alone: a query can ask
 *   for "this run ends with 10" (10 or ~10) or "this run is 10" (10).  Like
 *   the bigrams, that is one term per character, and a run of n characters
 *   costs n terms whatever n is.
 *   KO_TOK_AUX (highlight()/snippet() passes) gives the same positions
 *   without the colocated terms, a letter or digit term spanning its whole
 *   run, so highlighting marks whole words.
 *   In KO_TOK_QUERY mode (one needle, see search.h) a letter or digit run
 *   is its one (cut) term; when it is the needle's first run it is also
 *   the same term marked as a suffix, colocated (an FTS5 synonym), since
 *   the needle may start inside a run of the text.  The trailing
 *   one-character term of the LAST run is dropped when that run has two or
 *   more characters: the bigrams already pin the characters down, and the
 *   dropped term would demand that the word end there (so 혁신 would no
 *   longer match 혁신적).  A run of one character is dropped, as the gap
 *   term says it already, when it is the LAST run and comes after a gap
 *   term (10년 -> 10 ~10 _0년), or the FIRST and a gap term follows (6차 ->
 *   _6차, K-푸드 -> "_k-푸" 푸드).
 *
 * Offsets given to emit() are byte offsets into the caller's ORIGINAL text:
 * [start, end) covers every original byte that produced the term's
 * characters, so highlight() marks the right span even when normalization
 * changed lengths (conjoining jamo, full-width forms, ligatures).  A
 * colocated term starts at its own first character.  A gap term spans
 * from where the term of the position before it starts (a bigram-script
 * character, or a whole letter or digit run) to the end of the character
 * it ends with: a highlight that starts or ends on one marks whole words
 * ([16차] for 6차, [2010년] for 10년).  So the non-colocated terms' starts
 * never go backwards, but a gap term may start before the colocated terms
 * just before it.
 */
#ifndef SINMUN_SEARCH_KO_TOK_H
#define SINMUN_SEARCH_KO_TOK_H

#include <stddef.h>
#include <stdint.h>

enum ko_tok_mode {
	KO_TOK_DOCUMENT = 0,  /* indexing: with the colocated letter/digit terms */
	KO_TOK_QUERY    = 1,  /* one query term or phrase */
	KO_TOK_AUX      = 2,  /* highlight()/snippet(): DOCUMENT's positions, one
	                       * term each, spans of whole runs */
};

/* Longest letter/digit term in bytes; longer terms are cut (both sides the
 * same way, so matching stays a superset and the recheck decides). */
#define KO_TOK_WORD_MAX 64

/* Longest separator text in a gap term, in bytes (the mark not counted);
 * longer separator runs are cut and marked KO_TOK_MARK_SEPCUT. */
#define KO_TOK_SEP_MAX 16

/* First bytes of the marked terms (see above). */
#define KO_TOK_MARK_SEP     '\x01'  /* gap between runs */
#define KO_TOK_MARK_SEPCUT  '\x02'  /* gap between runs, separators cut */
#define KO_TOK_MARK_SUFFIX  '\x03'  /* letter or digit run from its 2nd.. character on */

enum ko_tok_class {
	KO_TOK_SEP    = 0,  /* punctuation, space, symbols, U+FFFD, controls */
	KO_TOK_BIGRAM = 1,  /* Hangul syllables and jamo, Han, Hiragana, Katakana */
	KO_TOK_LETTER = 2,  /* other letters, marks, private use */
	KO_TOK_DIGIT  = 3,  /* numbers (N*) */
};

/*
 * Called once per term, in text order.  tok is the term in normalized UTF-8
 * (not NUL-terminated, only valid during the call); [start, end) are byte
 * offsets into the original text.  colocated is 1 for a term that shares
 * the previous term's position (FTS5_TOKEN_COLOCATED): the suffix terms
 * of a letter or digit run in KO_TOK_DOCUMENT mode, and in KO_TOK_QUERY
 * mode the marked twin of a first letter or digit run; never the first
 * term.  A non-zero return stops the run and is passed back.
 */
typedef int ko_tok_emit_fn(void *ctx, const char *tok, size_t toklen,
    size_t start, size_t end, int colocated);

/*
 * Tokenizes text[0..len).  Returns 0, or the first non-zero value emit()
 * returned.  Allocates nothing; any byte sequence is accepted.
 */
int ko_tok_run(const char *text, size_t len, int mode, ko_tok_emit_fn *emit,
    void *ctx);

/*
 * The normalized text the terms are made from, for substring rechecks:
 * NFKC_Casefold, invalid bytes as U+FFFD, and every run of white space
 * folded to one U+0020 (so a quoted phrase typed with one space matches
 * text that wraps a line there; NUL counts as white space).  NUL-terminated; *outlen (if not NULL)
 * gets the length.  The caller frees it.  NULL only when out of memory.
 */
char *ko_tok_normalize(const char *s, size_t len, size_t *outlen);

/* The class of a NORMALIZED code point (see above). */
int ko_tok_class(uint32_t cp);

/*
 * Decodes one UTF-8 sequence at s[0..len), len > 0.  Returns its length and
 * stores the code point, or returns 1 and stores UINT32_MAX for a byte that
 * does not start a valid, shortest-form, non-surrogate sequence.
 */
size_t ko_tok_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

#endif
