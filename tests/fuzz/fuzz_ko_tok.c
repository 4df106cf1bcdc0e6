/*
 * fuzz_ko_tok.c - libFuzzer harness for Korean search (src/search/):
 * the tokenizer on arbitrary bytes (invalid UTF-8 included) as a document
 * and as a query, the normalizer, and the query translator run for real
 * against an in-memory FTS5 table.
 *
 * Besides crashes, leaks and UB it checks the properties search relies on:
 *   - terms are non-empty valid UTF-8, their offsets lie inside the text,
 *     spans are not empty, the starts of the terms that take a position
 *     never go backwards, and a colocated term starts after its position's
 *     first term;
 *   - a term's first byte is a mark (KO_TOK_MARK_*) only for a marked
 *     term, which is more than its mark, and only a gap term has the bytes
 *     of marks further on (a text's own control characters, separators);
 *   - colocated terms are never first; in documents they are the marked
 *     suffixes of a letter or digit run: the run from each of its
 *     characters on, each as long as KO_TOK_WORD_MAX allows, the last one
 *     its last character alone (so every substring of a run is a prefix
 *     of one of its terms); in a query only the marked twin of a first
 *     letter or digit run; none in the AUX pass;
 *   - gap terms: never two in a row, never first or last in a document;
 *     the run before's last character, separators (white space folded,
 *     not white space alone, at most KO_TOK_SEP_MAX bytes unless marked
 *     cut), and the first character of the run after, which the next
 *     position's term starts with;
 *   - the document's positions spell the normalized text between its
 *     first and last non-separator (a bigram position its character, a
 *     letter or digit position its run, a gap term its separators, no gap
 *     term a space), unless a term was cut;
 *   - the AUX (highlight) pass has exactly the document's positions, and a
 *     query's positions are the document's, the first and the last one
 *     perhaps left out (a one-character run next to a gap term, a bigram
 *     run's last character);
 *   - the normalized text is valid UTF-8 without NUL or doubled spaces;
 *   - every translated query is accepted by FTS5 (no syntax error);
 *   - the recheck is plain substring search: it agrees with memmem() of
 *     each needle over the normalized row;
 *   - recall: when the recheck says a row matches, FTS5 returned it, and
 *     FTS5 alone is exact when the query says it needs no recheck (which
 *     is every query without a cut word or separator run: 10년, 3.5,
 *     "사회적, 경제" included).
 *
 * Input layout: QUERY '\n' PREFIX '\n' SUFFIX; the row is PREFIX QUERY
 * SUFFIX, so the recall check has something to find.  A second query is
 * cut out of the normalized row (where the input's last two bytes say), so
 * that substrings inside words and numbers are searched for too.
 *
 *   build/fuzz/fuzz_ko_tok -dict=tests/fuzz/ko_tok.dict tests/fuzz/corpus/ko_tok
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "search/ko_tok.h"
#include "search/search.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT (64u << 10)

static sqlite3 *db;
static sqlite3_stmt *st_del, *st_ins, *st_match, *st_recheck, *st_integrity;

static void
die(void)
{
	abort();
}

static void
setup(void)
{
	if (db)
		return;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    search_register_tokenizer(db) != SQLITE_OK ||
	    sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='ko')",
	    NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "DELETE FROM t", -1, &st_del, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO t(rowid, body) VALUES (1, ?1)", -1,
	    &st_ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1", -1,
	    &st_match, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1 AND "
	    "ko_recheck(?2, body)", -1, &st_recheck, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO t(t) VALUES ('integrity-check')", -1,
	    &st_integrity, NULL) != SQLITE_OK)
		die();
}

struct check {
	size_t        len;
	size_t        last_start, pos_start;
	int           mode;
	size_t        nterm, ncoloc;
	/* the previous term's text (without its mark), when it is of a letter
	 * or digit run */
	char          prev[KO_TOK_WORD_MAX];
	size_t        prevlen;
	int           prevword;
	/* positions: count, a hash of their first terms and starts, and each
	 * position's own hash */
	size_t        npos;
	uint64_t      hash;
	uint64_t     *ph;
	size_t        maxpos;
	/* the gap term at the previous position: its last character */
	int           lastgap;
	char          gapc[4];
	size_t        gapclen;
	/* documents: the normalized text, and the text the positions spell */
	char         *norm;
	size_t        normlen;
	char         *spell;
	size_t        spelllen;
	int           cut, ended;
};

static int
valid_utf8(const char *p, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		k = ko_tok_utf8_decode((const unsigned char *)p + i, n - i, &cp);
		if (cp == UINT32_MAX)
			return 0;
		i += k;
	}
	return 1;
}

static size_t
utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static int
is_mark(char c)
{
	return c == KO_TOK_MARK_SEP || c == KO_TOK_MARK_SEPCUT || c == KO_TOK_MARK_SUFFIX;
}

/* The class of a term's characters when they are all of one class, else
 * -1. */
static int
term_class(const char *tok, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;
	int cls = -1, c;

	while (i < n) {
		k = ko_tok_utf8_decode((const unsigned char *)tok + i, n - i, &cp);
		c = ko_tok_class(cp);
		if (cls >= 0 && c != cls)
			return -1;
		cls = c;
		i += k;
	}
	return cls;
}

/* Whether a term is made of letter or digit characters, all one class. */
static int
word_term(const char *tok, size_t n)
{
	int cls = term_class(tok, n);

	return cls == KO_TOK_LETTER || cls == KO_TOK_DIGIT;
}

static void
spell(struct check *c, const char *p, size_t n)
{
	if (c->mode != KO_TOK_DOCUMENT)
		return;
	/* Never more than the normalized text, which is what it must be. */
	if (c->spelllen + n > c->normlen)
		die();
	memcpy(c->spell + c->spelllen, p, n);
	c->spelllen += n;
}

/* At the end of a position in a document: a letter or digit run's last
 * term is its last character alone. */
static void
end_position(struct check *c)
{
	if (c->mode == KO_TOK_DOCUMENT && c->prevword &&
	    c->prevlen != utf8_len((unsigned char)c->prev[0]))
		die();
	c->prevword = 0;
}

/* A gap term's text t[0..n) after the mark: one character, not a
 * separator, that the text spelled so far ends with (unless a run was
 * cut); separators; one more character, not a separator. */
static void
check_gap(struct check *c, char mark, const char *t, size_t n)
{
	size_t i, k, first, last = 0, seps;
	uint32_t cp;

	/* (A query may start with one: its first run left out.) */
	if ((c->npos == 0 && c->mode != KO_TOK_QUERY) || c->lastgap || n == 0)
		die();
	first = ko_tok_utf8_decode((const unsigned char *)t, n, &cp);
	if (ko_tok_class(cp) == KO_TOK_SEP || first >= n)
		die();
	if (c->mode == KO_TOK_DOCUMENT && !c->cut &&
	    (c->spelllen < first || memcmp(c->spell + c->spelllen - first, t, first) != 0))
		die();
	for (i = first; i < n; ) {
		last = i;
		k = ko_tok_utf8_decode((const unsigned char *)t + i, n - i, &cp);
		i += k;
		if (i == n)
			break;
		if (ko_tok_class(cp) != KO_TOK_SEP || cp == 0 || (cp >= 0x09 && cp <= 0x0D) ||
		    cp == 0x3000)
			die();          /* white space is folded to spaces */
		if (cp == ' ' && i < n && t[i] == ' ')
			die();
	}
	if (ko_tok_class(cp) == KO_TOK_SEP)
		die();
	seps = last - first;
	if (mark == KO_TOK_MARK_SEP && seps > KO_TOK_SEP_MAX)
		die();
	if (mark == KO_TOK_MARK_SEPCUT && (seps > KO_TOK_SEP_MAX || seps + 4 <= KO_TOK_SEP_MAX))
		die();
	if (mark == KO_TOK_MARK_SEP && seps == 1 && t[first] == ' ')
		die();                  /* white space alone makes no term */
	if (mark == KO_TOK_MARK_SEPCUT)
		c->cut = 1;
	c->gapclen = n - last;
	memcpy(c->gapc, t + last, c->gapclen);
	c->lastgap = 1;
	spell(c, t + first, seps);
	c->ended = 0;
}

static int
check_term(void *ctx, const char *tok, size_t toklen, size_t start, size_t end,
    int colocated)
{
	struct check *c = ctx;
	const char *t = tok;
	size_t k, i, n = toklen;
	char mark = 0;
	int cls;

	if (toklen == 0 || toklen > 2 * KO_TOK_WORD_MAX || !valid_utf8(tok, toklen))
		die();
	if (start >= end || end > c->len)
		die();
	/* Positions never go back, and a colocated term starts after its
	 * position's first term (a gap term after them goes back to where
	 * that one starts). */
	if (start < (colocated ? c->pos_start : c->last_start))
		die();
	if (is_mark(tok[0])) {
		mark = tok[0];
		t++;
		n--;
		if (n == 0)
			die();
	}
	/* A mark byte inside a term can only be a separator of the text, in
	 * a gap term. */
	for (i = 0; i < n; i++)
		if (is_mark(t[i]) && mark != KO_TOK_MARK_SEP && mark != KO_TOK_MARK_SEPCUT)
			die();
	if (colocated) {
		if (mark != KO_TOK_MARK_SUFFIX || c->nterm == 0 || !c->prevword ||
		    !word_term(t, n) || n > KO_TOK_WORD_MAX)
			die();
		c->ncoloc++;
		if (c->mode == KO_TOK_QUERY) {
			/* The first run's twin: the same text, marked. */
			if (c->nterm != 1 || n != c->prevlen || memcmp(t, c->prev, n) != 0)
				die();
		} else if (c->mode == KO_TOK_DOCUMENT) {
			/* The run from the next character on: the previous
			 * term without its first character, and more only if
			 * the cut stopped the previous one. */
			k = utf8_len((unsigned char)c->prev[0]);
			if (k >= c->prevlen || n < c->prevlen - k ||
			    memcmp(t, c->prev + k, c->prevlen - k) != 0)
				die();
			if (c->prevlen + 4 <= KO_TOK_WORD_MAX && n != c->prevlen - k)
				die();
		} else {
			die();
		}
	} else {
		if (mark == KO_TOK_MARK_SUFFIX)
			die();
		if (c->nterm > 0)
			end_position(c);
		if (mark) {
			check_gap(c, mark, t, n);
		} else {
			/* The run after a gap term starts with its last
			 * character. */
			if (c->lastgap && (n < c->gapclen || memcmp(t, c->gapc, c->gapclen) != 0))
				die();
			cls = term_class(t, n);
			if (cls == KO_TOK_SEP || cls < 0)
				die();
			if (c->ended && !c->lastgap)
				spell(c, " ", 1);
			c->lastgap = 0;
			if (cls == KO_TOK_BIGRAM) {
				/* One character, or two: the run goes on. */
				k = utf8_len((unsigned char)t[0]);
				if (n != k && n != k + utf8_len((unsigned char)t[k]))
					die();
				spell(c, t, k);
				c->ended = n == k;
			} else {
				if (n > KO_TOK_WORD_MAX - 4)
					c->cut = 1;
				spell(c, t, n);
				c->ended = 1;
			}
		}
		{
			uint64_t h = 14695981039346656037u;

			for (i = 0; i < toklen; i++)
				h = (h ^ (unsigned char)tok[i]) * 1099511628211u;
			h = (h ^ start) * 1099511628211u;
			c->hash = (c->hash ^ h) * 1099511628211u;
			if (c->npos >= c->maxpos)
				die();
			c->ph[c->npos] = h;
		}
		c->npos++;
		c->last_start = c->pos_start = start;
	}
	c->prevword = !mark && word_term(t, n);
	if (c->prevword) {
		if (n > KO_TOK_WORD_MAX)
			die();
		memcpy(c->prev, t, n);
		c->prevlen = n;
	} else if (mark == KO_TOK_MARK_SUFFIX) {
		c->prevword = 1;
		memcpy(c->prev, t, n);
		c->prevlen = n;
	}
	c->nterm++;
	return 0;
}

static void
check_run(struct check *c, const char *p, size_t n, int mode)
{
	memset(c, 0, sizeof *c);
	c->len = n;
	c->mode = mode;
	c->hash = 14695981039346656037u;
	c->norm = ko_tok_normalize(p, n, &c->normlen);
	/* at most a position and a gap per normalized character */
	c->maxpos = 2 * c->normlen + 2;
	c->ph = malloc(c->maxpos * sizeof *c->ph);
	c->spell = malloc(c->normlen + 1);
	if (c->norm == NULL || c->ph == NULL || c->spell == NULL)
		die();
	if (ko_tok_run(p, n, mode, check_term, c) != 0)
		die();
	end_position(c);
	/* Only a query may end with a gap term (its last one-character run
	 * left out). */
	if (c->lastgap && mode != KO_TOK_QUERY)
		die();
}

/* The spelled text against the normalized text, trimmed of separators. */
static void
check_spelling(const struct check *c)
{
	size_t nlen = c->normlen, a, b, i, k;
	const char *norm = c->norm;
	uint32_t cp;

	if (c->cut)
		return;
	for (a = 0; a < nlen; a += k) {
		k = ko_tok_utf8_decode((const unsigned char *)norm + a, nlen - a, &cp);
		if (ko_tok_class(cp) != KO_TOK_SEP)
			break;
	}
	for (b = a, i = a; i < nlen; i += k) {
		k = ko_tok_utf8_decode((const unsigned char *)norm + i, nlen - i, &cp);
		if (ko_tok_class(cp) != KO_TOK_SEP)
			b = i + k;
	}
	if (c->spelllen != b - a || memcmp(c->spell, norm + a, b - a) != 0)
		die();
}

static void
check_free(struct check *c)
{
	free(c->norm);
	free(c->ph);
	free(c->spell);
}

static void
tokenize(const char *p, size_t n)
{
	struct check doc, aux, q;
	size_t f, i;

	check_run(&doc, p, n, KO_TOK_DOCUMENT);
	check_run(&aux, p, n, KO_TOK_AUX);
	check_run(&q, p, n, KO_TOK_QUERY);
	check_spelling(&doc);
	/* highlight() relies on the AUX pass finding the same positions. */
	if (aux.nterm != aux.npos || doc.npos != aux.npos || doc.hash != aux.hash)
		die();
	/* A query is the document's positions, the first and the last one
	 * perhaps left out, and at most the one twin. */
	if (q.nterm != q.npos + q.ncoloc || q.ncoloc > 1)
		die();
	f = q.npos > 0 && doc.npos > 0 && q.ph[0] != doc.ph[0];
	if (q.npos + f > doc.npos || q.npos + f + 1 < doc.npos)
		die();
	for (i = 0; i < q.npos; i++)
		if (q.ph[i] != doc.ph[i + f])
			die();
	check_free(&doc);
	check_free(&aux);
	check_free(&q);
}

static void
normalize(const char *p, size_t n)
{
	size_t len, i;
	char *s = ko_tok_normalize(p, n, &len);

	if (s == NULL)
		die();
	if (strlen(s) != len || !valid_utf8(s, len))
		die();
	for (i = 1; i < len; i++)
		if (s[i] == ' ' && s[i - 1] == ' ')
			die();
	tokenize(s, len);
	free(s);
}

/* Runs st with the expression (and the raw query); returns whether row 1
 * came back, aborting on any SQLite error. */
static int
run(sqlite3_stmt *st, const char *fts, const char *q, size_t qlen)
{
	int rc, found = 0;

	sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_text(st, 2, q, (int)qlen, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		found = 1;
	if (rc != SQLITE_DONE)
		die();
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return found;
}

/* The oracle, from the needles search_query_parse() kept: each one a
 * plain substring of the normalized row. */
static int
oracle(const struct search_query *sq, const char *row, size_t rowlen)
{
	size_t nlen;
	char *norm = ko_tok_normalize(row, rowlen, &nlen);
	int i, ok = 1;

	if (norm == NULL)
		die();
	for (i = 0; i < sq->nterm && ok; i++) {
		if (sq->term[i].len == 0 ||
		    strlen(sq->text.p + sq->term[i].off) != sq->term[i].len)
			die();
		ok = memmem(norm, nlen, sq->text.p + sq->term[i].off, sq->term[i].len) != NULL;
	}
	free(norm);
	return ok;
}

static void
query(const char *q, size_t qlen, const char *row, size_t rowlen)
{
	struct search_query sq;
	struct str field;
	char err[64];
	int rc, want, got;

	rc = search_query_parse(&sq, q, qlen, err, sizeof err);
	if (rc != SEARCH_OK) {
		if (rc != SEARCH_EEMPTY && rc != SEARCH_ETOOLONG)
			die();
		search_query_free(&sq);
		return;
	}
	if (strlen(sq.fts.p) != sq.fts.len || !valid_utf8(sq.fts.p, sq.fts.len))
		die();
	sqlite3_bind_text(st_ins, 1, row, (int)rowlen, SQLITE_STATIC);
	if (sqlite3_step(st_ins) != SQLITE_DONE)
		die();
	sqlite3_reset(st_ins);
	/* The index holds what tokenizing the row again gives (colocated
	 * terms included), so deleting the row later removes it exactly. */
	if (sqlite3_step(st_integrity) != SQLITE_DONE)
		die();
	sqlite3_reset(st_integrity);
	field.p = row;
	field.len = rowlen;
	want = search_fields_match(&sq, &field, 1);
	if (want < 0 || want != oracle(&sq, row, rowlen))
		die();
	got = run(st_match, sq.fts.p, q, qlen);
	if (want && !got)
		die();                  /* recall: FTS5 missed a matching row */
	if (!search_query_needs_recheck(&sq) && got != want)
		die();                  /* FTS5 was meant to be exact here */
	if (run(st_recheck, sq.fts.p, q, qlen) != want)
		die();
	if (sqlite3_step(st_del) != SQLITE_DONE)
		die();
	sqlite3_reset(st_del);
	search_query_free(&sq);
}

static int
is_quote_at(const char *s, size_t n)
{
	uint32_t cp;

	ko_tok_utf8_decode((const unsigned char *)s, n, &cp);
	return cp == '"' || cp == 0x201C || cp == 0x201D || cp == 0xFF02;
}

/* Searches the row for a quoted piece of its own normalized text, from
 * byte a (the input's last two bytes say where and how long), so the
 * needle is very likely in it. */
static void
query_slice(const char *row, size_t rowlen, unsigned a, unsigned b)
{
	size_t nlen, s, e, i;
	char *norm = ko_tok_normalize(row, rowlen, &nlen), *q;

	if (norm == NULL)
		die();
	if (nlen == 0) {
		free(norm);
		return;
	}
	s = a % nlen;
	e = s + 1 + b % 80;
	if (e > nlen)
		e = nlen;
	while (s > 0 && ((unsigned char)norm[s] & 0xC0) == 0x80)
		s--;
	while (e < nlen && ((unsigned char)norm[e] & 0xC0) == 0x80)
		e++;
	for (i = s; i < e; i++)
		if (is_quote_at(norm + i, e - i)) {
			free(norm);
			return;
		}
	q = malloc(e - s + 2);
	if (q == NULL)
		die();
	q[0] = '"';
	memcpy(q + 1, norm + s, e - s);
	q[e - s + 1] = '"';
	query(q, e - s + 2, row, rowlen);
	free(q);
	free(norm);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *nl1, *nl2;
	size_t qlen, plen, slen;
	char *row;

	if (size > MAX_INPUT)
		return 0;
	setup();
	tokenize(p, size);
	normalize(p, size);

	nl1 = memchr(p, '\n', size);
	qlen = nl1 ? (size_t)(nl1 - p) : size;
	if (nl1) {
		nl2 = memchr(nl1 + 1, '\n', size - qlen - 1);
		plen = nl2 ? (size_t)(nl2 - nl1 - 1) : size - qlen - 1;
		slen = nl2 ? size - qlen - plen - 2 : 0;
	} else {
		nl2 = NULL;
		plen = slen = 0;
	}
	row = malloc(plen + qlen + slen + 1);
	if (row == NULL)
		die();
	if (plen)
		memcpy(row, nl1 + 1, plen);
	memcpy(row + plen, p, qlen);
	if (slen)
		memcpy(row + plen + qlen, nl2 + 1, slen);
	query(p, qlen, row, plen + qlen + slen);
	if (size >= 2)
		query_slice(row, plen + qlen + slen, data[size - 2] * 7u + (unsigned)size,
		    data[size - 1]);
	free(row);
	return 0;
}
