/*
 * test_ko_tok.c - unit tests for the Korean tokenizer core (src/search/ko_tok.c):
 * term tables, offsets into the original bytes, normalization against
 * utf8proc's own NFKC_Casefold, query mode, the colocated suffix terms of
 * letter and digit runs (document mode) and their absence in the AUX and
 * query modes, separator terms between runs, invalid UTF-8, long words and
 * long separators, and that the terms spell the normalized text.
 *
 * In the expected terms a mark is written as one printable character:
 * _ KO_TOK_MARK_SEP, = KO_TOK_MARK_SEPCUT, ~ KO_TOK_MARK_SUFFIX.
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "search/ko_tok.h"

#define MAXTOK 256

struct toks {
	int    n;
	char   tok[MAXTOK][80];   /* the mark, if any, as _ = ~ */
	char   mark[MAXTOK];      /* the mark byte, or 0 */
	size_t start[MAXTOK], end[MAXTOK];
	int    co[MAXTOK];   /* colocated with the term before */
	int    coloc;        /* how many were */
};

/* The printable stand-in of a mark byte, or 0 for an unmarked term. */
static char
mark_char(char c)
{
	switch (c) {
	case KO_TOK_MARK_SEP:    return '_';
	case KO_TOK_MARK_SEPCUT: return '=';
	case KO_TOK_MARK_SUFFIX: return '~';
	default:                 return 0;
	}
}

static int
collect(void *ctx, const char *tok, size_t len, size_t start, size_t end, int colocated)
{
	struct toks *t = ctx;
	char m = mark_char(tok[0]);
	size_t i;

	cr_assert(len > 0 && len < sizeof t->tok[0]);
	cr_assert(start < end);
	/* A marked term is more than its mark, and a mark byte further on can
	 * only be a separator of the text, in a gap term; never NUL. */
	cr_assert(!m || len > 1);
	for (i = 1; i < len; i++) {
		cr_assert(!mark_char(tok[i]) || m == '_' || m == '=', "mark inside a term");
		cr_assert(tok[i] != '\0');
	}
	/* Never the first term: there is no position to share yet.  And
	 * colocated terms are the marked suffixes of a letter or digit run. */
	cr_assert(!colocated || t->n > 0);
	cr_assert(!colocated || m == '~');
	cr_assert(colocated || m != '~');
	if (colocated)
		t->coloc++;
	if (t->n < MAXTOK) {
		memcpy(t->tok[t->n], tok, len);
		t->tok[t->n][len] = '\0';
		if (m)
			t->tok[t->n][0] = m;
		t->mark[t->n] = m;
		t->start[t->n] = start;
		t->end[t->n] = end;
		t->co[t->n] = colocated;
	}
	t->n++;
	return 0;
}

/* A term's length without its mark. */
static size_t
tlen(const struct toks *t, int i)
{
	return strlen(t->tok[i]) - (t->mark[i] != 0);
}

static struct toks *
run(const char *s, size_t len, int mode)
{
	static struct toks t;   /* big; one at a time */

	memset(&t, 0, sizeof t);
	cr_assert_eq(ko_tok_run(s, len, mode, collect, &t), 0);
	/* Documents get colocated terms; a query at most one, the marked
	 * twin of its first run's term; highlighting none. */
	if (mode == KO_TOK_AUX)
		cr_assert_eq(t.coloc, 0);
	if (mode == KO_TOK_QUERY)
		cr_assert(t.coloc <= 1);
	return &t;
}

/* Checks the terms of s against a NULL-terminated list; "+x" in the list
 * is a term x colocated with the one before. */
static void
expect(const char *s, int mode, const char *const *want)
{
	struct toks *t = run(s, strlen(s), mode);
	int i, co;

	for (i = 0; want[i]; i++) {
		co = want[i][0] == '+';
		cr_assert(i < t->n, "%s: only %d terms, wanted %s", s, t->n, want[i]);
		cr_assert_str_eq(t->tok[i], want[i] + co, "%s: term %d", s, i);
		cr_assert_eq(t->co[i], co, "%s: term %d (%s) colocated %d", s, i, want[i],
		    t->co[i]);
	}
	cr_assert_eq(t->n, i, "%s: %d terms, wanted %d", s, t->n, i);
}

/* Checks only the terms that take a position of their own. */
static void
expect_pos(const char *s, int mode, const char *const *want)
{
	struct toks *t = run(s, strlen(s), mode);
	int i, k = 0;

	for (i = 0; i < t->n; i++) {
		if (t->co[i])
			continue;
		cr_assert_not_null(want[k], "%s: more positions than wanted", s);
		cr_assert_str_eq(t->tok[i], want[k], "%s: position %d", s, k);
		k++;
	}
	cr_assert_null(want[k], "%s: only %d positions, wanted %s", s, k, want[k]);
}

/* The original bytes a term covers. */
static void
expect_span(const char *s, const struct toks *t, int i, const char *want)
{
	size_t n = strlen(want);

	cr_assert(i < t->n);
	cr_assert_eq(t->end[i] - t->start[i], n, "term %d (%s) spans %zu..%zu",
	    i, t->tok[i], t->start[i], t->end[i]);
	cr_assert(memcmp(s + t->start[i], want, n) == 0, "term %d (%s)", i, t->tok[i]);
}

/* NFD through utf8proc: what a Mac produces, conjoining jamo for Hangul. */
static char *
nfd(const char *s)
{
	char *r = (char *)utf8proc_NFD((const utf8proc_uint8_t *)s);

	cr_assert_not_null(r);
	return r;
}

Test(ko_tok, hangul_bigrams_and_trailing_unigram)
{
	static const char *const w1[] = { "사회", "회혁", "혁신", "신에", "에", NULL };
	static const char *const w3[] = { "혁", NULL };
	static const char *const w4[] = { "전주", "주시", "시", "_시, 혁", "혁신", "신", NULL };
	static const char *const w2t[] = { "전주", "주시", "시는", "는", NULL };

	expect("사회혁신에", KO_TOK_DOCUMENT, w1);
	expect("전주시는", KO_TOK_DOCUMENT, w2t);
	expect("혁", KO_TOK_DOCUMENT, w3);
	expect("전주시, 혁신.", KO_TOK_DOCUMENT, w4);
}

Test(ko_tok, hangul_offsets)
{
	const char *s = "가 사회혁신에";
	struct toks *t = run(s, strlen(s), KO_TOK_DOCUMENT);

	cr_assert_eq(t->n, 6);
	expect_span(s, t, 0, "가");
	expect_span(s, t, 1, "사회");
	expect_span(s, t, 3, "혁신");
	expect_span(s, t, 5, "에");
	cr_assert_eq(t->start[1], 4);
	/* A gap term spans the previous position's term to the character it
	 * ends with. */
	s = "가, 사회";
	t = run(s, strlen(s), KO_TOK_DOCUMENT);
	cr_assert_eq(t->n, 4);
	cr_assert_str_eq(t->tok[1], "_가, 사");
	expect_span(s, t, 1, "가, 사");
	expect_span(s, t, 2, "사회");
}

Test(ko_tok, latin_words_case_folded)
{
	static const char *const w1[] = { "apple", "iphone", NULL };
	static const char *const w2[] = { "apt", "_t-g", "get", "install", NULL };
	static const char *const w3[] = { "strasse", "café", NULL };
	int mode;

	for (mode = 0; mode <= 2; mode++) {
		expect_pos("Apple iPhone", mode, w1);
		expect_pos("apt-get INSTALL", mode, w2);
		expect_pos("STRASSE Café", mode, w3);
		expect_pos("Straße CAFÉ", mode, w3);
	}
}

/* In documents every character of a letter or digit run starts a term, all
 * at the run's one position; queries and highlighting see the run alone. */
Test(ko_tok, document_runs_add_colocated_suffixes)
{
	static const char *const d1[] = { "apple", "+~pple", "+~ple", "+~le", "+~e", NULL };
	static const char *const d2[] = { "2010", "+~010", "+~10", "+~0", "_0년", "년", NULL };
	static const char *const d3[] = { "전주", "주시", "시", "k", "_k리", "리그", "그", NULL };
	static const char *const d4[] = { "café", "+~afé", "+~fé", "+~é", "x", NULL };
	static const char *const a1[] = { "apple", NULL };
	static const char *const q1[] = { "apple", "+~apple", NULL };
	static const char *const a2[] = { "2010", "_0년", "년", NULL };
	/* (년 is _년's last character: the query leaves it out.) */
	static const char *const q2[] = { "2010", "+~2010", "_0년", NULL };

	expect("Apple", KO_TOK_DOCUMENT, d1);
	expect("2010년", KO_TOK_DOCUMENT, d2);
	expect("전주시 K리그", KO_TOK_DOCUMENT, d3);
	expect("CAFÉ x", KO_TOK_DOCUMENT, d4);
	expect("Apple", KO_TOK_QUERY, q1);
	expect("Apple", KO_TOK_AUX, a1);
	expect("2010년", KO_TOK_QUERY, q2);
	expect("2010년", KO_TOK_AUX, a2);
}

Test(ko_tok, colocated_terms_start_at_their_character)
{
	const char *s = "ＡＢＣ 5㎏";
	struct toks *t = run(s, strlen(s), KO_TOK_DOCUMENT);

	cr_assert_eq(t->n, 7);
	expect_span(s, t, 0, "ＡＢＣ");
	expect_span(s, t, 1, "ＢＣ");
	expect_span(s, t, 2, "Ｃ");
	expect_span(s, t, 3, "5");
	cr_assert_str_eq(t->tok[4], "_5k");   /* 5 and kg touch */
	expect_span(s, t, 4, "5㎏");
	/* kg and g both come from the one character ㎏. */
	cr_assert_str_eq(t->tok[5], "kg");
	cr_assert_str_eq(t->tok[6], "~g");
	expect_span(s, t, 5, "㎏");
	expect_span(s, t, 6, "㎏");
}

Test(ko_tok, digits_and_letters_are_separate_runs)
{
	static const char *const w1[] = { "10", "_0년", "년", NULL };
	static const char *const w2[] = { "6", "_6차", "차", "23", "_3일", "일", NULL };
	static const char *const w3[] = { "아이", "이폰", "폰", "_폰1", "15", "_5프", "프로", "로", NULL };
	static const char *const w4[] = { "iphone", "_e1", "15", NULL };
	static const char *const w5[] = { "3", "_3.5", "5", NULL };
	static const char *const d4[] = { "iphone", "+~phone", "+~hone", "+~one", "+~ne", "+~e",
		"_e1", "15", "+~5", NULL };
	int mode;

	/* (Queries drop the last run's trailing one-character term.) */
	for (mode = KO_TOK_DOCUMENT; mode <= KO_TOK_AUX; mode += KO_TOK_AUX) {
		expect_pos("10년", mode, w1);
		expect_pos("6차 23일", mode, w2);
		expect_pos("아이폰15프로", mode, w3);
		expect_pos("iPhone15", mode, w4);
		expect_pos("3.5%", mode, w5);
	}
	expect("iPhone15", KO_TOK_DOCUMENT, d4);
	expect("iPhone15", KO_TOK_AUX, w4);
}

Test(ko_tok, full_width_folds_to_ascii)
{
	static const char *const w1[] = { "abc", "_c1", "10", NULL };
	static const char *const w2[] = { "10", "_0년", "년", NULL };
	static const char *const q2[] = { "10", "_0년", NULL };
	const char *s = "ＡＢＣ１０";
	struct toks *t;
	int mode;

	for (mode = 0; mode <= 2; mode++) {
		expect_pos(s, mode, w1);
		expect_pos("１０년", mode, mode == KO_TOK_QUERY ? q2 : w2);
	}
	/* Offsets are in the original: each full-width character is 3 bytes. */
	t = run(s, strlen(s), KO_TOK_AUX);
	expect_span(s, t, 0, "ＡＢＣ");
	expect_span(s, t, 2, "１０");
	t = run(s, strlen(s), KO_TOK_DOCUMENT);
	expect_span(s, t, 0, "ＡＢＣ");
	expect_span(s, t, 4, "１０");
	expect_span(s, t, 5, "０");
}

Test(ko_tok, conjoining_jamo_same_terms_as_precomposed)
{
	const char *pre = "전주시는 사회혁신에 각각 힘쓴다";
	char *dec = nfd(pre);
	static struct toks a;
	struct toks *b;
	int i;

	cr_assert(strlen(dec) > strlen(pre), "NFD should be longer");
	a = *run(pre, strlen(pre), KO_TOK_DOCUMENT);
	b = run(dec, strlen(dec), KO_TOK_DOCUMENT);
	cr_assert_eq(a.n, b->n);
	for (i = 0; i < a.n; i++)
		cr_assert_str_eq(a.tok[i], b->tok[i], "term %d", i);
	/* Offsets point into the jamo bytes: 혁신 is six jamo, 18 bytes. */
	for (i = 0; i < b->n && strcmp(b->tok[i], "혁신") != 0; i++)
		;
	cr_assert(i < b->n);
	{
		char *want = nfd("혁신");

		expect_span(dec, b, i, want);
		free(want);
	}
	free(dec);
}

Test(ko_tok, precomposed_syllable_plus_final_jamo_composes)
{
	/* 가 (LV, precomposed) followed by a conjoining final ᆨ is 각. */
	static const char *const w[] = { "각", NULL };
	const char *s = "가\u11A8";

	expect(s, KO_TOK_DOCUMENT, w);
	expect_span(s, run(s, strlen(s), KO_TOK_DOCUMENT), 0, s);
}

Test(ko_tok, compatibility_jamo_and_ignorables)
{
	/* ㅋ (U+314B) folds to conjoining ᄏ (U+110F); ZWSP and soft hyphen
	 * vanish so the word is not split. */
	static const char *const w1[] = { "\u110F\u110F", "\u110F", NULL };
	static const char *const w2[] = { "혁신", "신", NULL };
	static const char *const w3[] = { "information", NULL };

	expect("ㅋㅋ", KO_TOK_DOCUMENT, w1);
	expect("혁\u200B신", KO_TOK_DOCUMENT, w2);
	expect("infor\u00ADmation", KO_TOK_AUX, w3);
	expect_pos("infor\u00ADmation", KO_TOK_DOCUMENT, w3);
}

Test(ko_tok, compatibility_characters_keep_original_span)
{
	static const char *const w[] = { "5", "_5k", "kg", "fi", NULL };
	static const char *const d[] = { "5", "_5k", "kg", "+~g", "fi", "+~i", NULL };
	const char *s = "5㎏ ﬁ";
	struct toks *t;

	expect(s, KO_TOK_AUX, w);
	expect(s, KO_TOK_DOCUMENT, d);
	t = run(s, strlen(s), KO_TOK_AUX);
	expect_span(s, t, 2, "㎏");
	expect_span(s, t, 3, "ﬁ");
	t = run(s, strlen(s), KO_TOK_DOCUMENT);
	expect_span(s, t, 4, "ﬁ");
	expect_span(s, t, 5, "ﬁ");
}

Test(ko_tok, han_and_kana_are_bigrammed)
{
	static const char *const w1[] = { "與野", "野", NULL };
	static const char *const w2[] = { "東京", "京都", "都", NULL };

	expect("與野", KO_TOK_DOCUMENT, w1);
	expect("東京都", KO_TOK_DOCUMENT, w2);
}

Test(ko_tok, query_mode_drops_last_trailing_unigram)
{
	static const char *const w1[] = { "사회", "회혁", "혁신", "신에", NULL };
	static const char *const w2[] = { "혁신", NULL };
	static const char *const w3[] = { "색", NULL };
	static const char *const w4[] = { "사회", "회", "혁신", NULL };
	static const char *const w5[] = { "10", "+~10", "_0년", NULL };
	static const char *const w6[] = { "혁신", "신", "_신1", "10", NULL };
	static const char *const w7[] = { "_k-푸", "푸드", NULL };
	static const char *const w8[] = { "_제5", "5", "_5차", NULL };
	static const char *const w9[] = { "_3.5", NULL };
	static const char *const w10[] = { "_s4", NULL };
	static const char *const w11[] = { "서울", "울", "시", NULL };

	expect("사회혁신에", KO_TOK_QUERY, w1);
	expect("혁신!", KO_TOK_QUERY, w2);
	expect("색", KO_TOK_QUERY, w3);
	/* Only the last run loses it: inside a phrase the word end is real. */
	expect("사회 혁신", KO_TOK_QUERY, w4);
	expect("10년", KO_TOK_QUERY, w5);
	/* Only the first run of a query has the suffix twin: a later one
	 * starts a run of the text, so it is that run's unmarked term. */
	expect("혁신10", KO_TOK_QUERY, w6);
	expect("(K-푸드)", KO_TOK_QUERY, w7);
	/* A run of one character next to a gap term is in that term: left
	 * out when it is the last run (trailing separators or not) or the
	 * first.  Next to white space there is no gap term, so it stays. */
	expect("제5차", KO_TOK_QUERY, w8);
	expect("3.5%", KO_TOK_QUERY, w9);
	expect("s4", KO_TOK_QUERY, w10);
	expect("s4.", KO_TOK_QUERY, w10);
	expect("서울 시", KO_TOK_QUERY, w11);
}

Test(ko_tok, invalid_utf8_is_a_separator)
{
	static const char *const w1[] = { "a", "_a\uFFFD\uFFFDb", "b", NULL };
	static const char *const w2[] = { "혁", "_혁\uFFFD\uFFFD신", "신", NULL };
	static const char *const w3[] = { "x", NULL };
	static const char *const w4[] = { "혁", "_혁\uFFFD\uFFFD\uFFFD\uFFFD신", "신", NULL };
	const char *s = "a\xFF\xFE" "b";

	expect(s, KO_TOK_DOCUMENT, w1);
	cr_assert_eq(run(s, strlen(s), KO_TOK_DOCUMENT)->start[2], 3);
	/* A truncated syllable, an overlong '/', a surrogate, a lone
	 * continuation byte. */
	expect("혁\xED\x95신", KO_TOK_DOCUMENT, w2);
	expect("\xC0\xAFx\xED\xA0\x80\x80", KO_TOK_DOCUMENT, w3);
	expect("혁\xF4\x90\x80\x80신", KO_TOK_DOCUMENT, w4);
}

Test(ko_tok, long_words_are_cut_on_a_character_boundary)
{
	char s[400], *p = s;
	struct toks *t;
	int i, mode;

	for (i = 0; i < 100; i++)
		*p++ = 'a';
	*p = '\0';
	/* (A query's first run is also its marked twin, the same cut.) */
	for (mode = KO_TOK_QUERY; mode <= KO_TOK_AUX; mode++) {
		t = run(s, strlen(s), mode);
		cr_assert_eq(t->n, mode == KO_TOK_QUERY ? 2 : 1);
		for (i = 0; i < t->n; i++) {
			cr_assert_eq(tlen(t, i), KO_TOK_WORD_MAX);
			cr_assert_eq(t->end[i], 100);   /* the span still covers the word */
		}
	}
	/* Documents: one term per character, each as long as the cut allows
	 * (64 bytes while 64 are left, then the rest of the run). */
	t = run(s, strlen(s), KO_TOK_DOCUMENT);
	cr_assert_eq(t->n, 100);
	for (i = 0; i < 100; i++) {
		cr_assert_eq(tlen(t, i), i <= 36 ? 64 : (size_t)(100 - i), "term %d", i);
		cr_assert_eq(t->co[i], i > 0);
		cr_assert_eq(t->mark[i], i > 0 ? '~' : 0);
		cr_assert_eq(t->start[i], (size_t)i);
		cr_assert_eq(t->end[i], i <= 36 ? (size_t)i + 64 : 100);
	}
	/* Two-byte letters: 64 is even, so 32 of them; with one ASCII letter
	 * first, 31 fit and the cut is before a character, not inside it. */
	p = s;
	*p++ = 'x';
	for (i = 0; i < 50; i++) {
		memcpy(p, "é", 2);
		p += 2;
	}
	*p = '\0';
	for (mode = KO_TOK_QUERY; mode <= KO_TOK_AUX; mode++) {
		t = run(s, strlen(s), mode);
		cr_assert_eq(t->n, mode == KO_TOK_QUERY ? 2 : 1);
		cr_assert_eq(tlen(t, 0), 63);
		cr_assert_eq(tlen(t, t->n - 1), 63);
	}
	t = run(s, strlen(s), KO_TOK_DOCUMENT);
	cr_assert_eq(t->n, 51);
	cr_assert_eq(tlen(t, 0), 63);
	cr_assert_eq(tlen(t, 1), 64);   /* 32 é */
	cr_assert_eq(tlen(t, 19), 64);  /* é 19..50 */
	cr_assert_eq(tlen(t, 20), 62);
	cr_assert_eq(tlen(t, 50), 2);
}

/*
 * The property search relies on: every substring of a letter or digit run
 * (of at most KO_TOK_WORD_MAX bytes) is a prefix of the document term that
 * starts at its first character, however long the run, and the term is the
 * longest piece of the run from there that fits the cut.  Checked on a run
 * of 1-, 2-, 3- and 4-byte letters.
 */
Test(ko_tok, every_substring_of_a_long_run_is_a_term_prefix)
{
	static const char *const piece[] = { "a", "é", "ж", "ก", "\U00010428", "7" };
	char s[800], *norm;
	size_t len = 0, off[150], nlen, i, k, n;
	struct toks *t;
	unsigned char c;
	unsigned x = 7;

	for (i = 0; i < 150; i++) {
		x = x * 1103515245u + 12345u;
		k = (x >> 16) % 5;   /* letters only: one run */
		off[i] = len;
		memcpy(s + len, piece[k], strlen(piece[k]));
		len += strlen(piece[k]);
	}
	/* Already NFKC_Casefold, so original and normalized offsets agree. */
	norm = ko_tok_normalize(s, len, &nlen);
	cr_assert_eq(nlen, len);
	cr_assert(memcmp(norm, s, len) == 0);
	free(norm);
	t = run(s, len, KO_TOK_DOCUMENT);
	cr_assert_eq(t->n, 150);
	for (k = 0; k < 150; k++) {
		cr_assert_eq(t->start[k], off[k]);
		cr_assert_eq(t->co[k], k > 0);
		n = tlen(t, (int)k);
		cr_assert(n > 0 && n <= KO_TOK_WORD_MAX);
		cr_assert(memcmp(t->tok[k] + (k > 0), s + off[k], n) == 0, "term %zu", k);
		cr_assert_eq(t->end[k], off[k] + n);
		/* Longest: the run ends there, or its next character would not
		 * have fitted. */
		if (off[k] + n < len) {
			c = (unsigned char)s[off[k] + n];
			cr_assert(n + (c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4) >
			    KO_TOK_WORD_MAX, "term %zu could be longer", k);
		}
	}
}

/* Between two runs: nothing for white space alone, else the mark, the
 * first run's last character, the separators as normalized text has them
 * (none when the runs touch), and the next run's first character. */
Test(ko_tok, separators_between_runs_are_terms)
{
	static const char *const a1[] = { "10", "_0년", "년", NULL };
	static const char *const a2[] = { "10", "년", NULL };
	static const char *const a3[] = { "10", "_0. 년", "년", NULL };
	static const char *const a4[] = { "3", "_3.5", "5", NULL };
	static const char *const a5[] = { "3", "5", NULL };
	static const char *const a6[] = { "k", "_k-푸", "푸드", "드", NULL };
	static const char *const a7[] = { "k", "_k푸", "푸드", "드", NULL };
	static const char *const a8[] = { "사회", "회적", "적", "_적, 경", "경제", "제", NULL };
	static const char *const a9[] = { "esg", "_g경", "경영", "영", NULL };
	static const char *const a10[] = { "혁신", "신", NULL };
	static const char *const a11[] = { "news", "_s@e", "example", "_e.k", "kr", NULL };
	static const char *const a12[] = { "전주", "주", "_주(全", "全州", "州", "_州) 한", "한옥", "옥",
		NULL };
	int mode;

	for (mode = KO_TOK_DOCUMENT; mode <= KO_TOK_AUX; mode += KO_TOK_AUX) {
		expect_pos("10년", mode, a1);
		expect_pos("10 년", mode, a2);
		expect_pos("10\n\n\t년", mode, a2);
		expect_pos("10\u3000년", mode, a2);      /* ideographic space: white space */
		expect_pos("10. 년", mode, a3);
		expect_pos("10.\n년", mode, a3);
		expect_pos("3.5%", mode, a4);
		expect_pos("3 5", mode, a5);
		expect_pos("K-푸드", mode, a6);
		expect_pos("K－푸드", mode, a6);          /* full-width hyphen-minus */
		expect_pos("K푸드", mode, a7);
		expect_pos("사회적,\n 경제", mode, a8);
		expect_pos("ESG경영", mode, a9);
		/* Separators at the ends make no term. */
		expect_pos(" (혁신)! ", mode, a10);
		expect_pos("news@example.kr", mode, a11);
		expect_pos("전주(全州) 한옥", mode, a12);
	}
}

Test(ko_tok, separator_terms_fold_white_space_and_are_cut)
{
	static const char *const w1[] = { "a", "b", NULL };
	static const char *const w2[] = { "a", "_a , b", "b", NULL };
	static const char *const w3[] = { "a", "_a----------------b", "b", NULL };
	static const char *const w4[] = { "a", "=a----------------b", "b", NULL };
	static const char *const w5[] = { "a", "=a\u3001\u3001\u3001\u3001\u3001b", "b", NULL };
	static const char *const w6[] = { "a", "_a \u2015 b", "b", NULL };
	static const char *const w7[] = { "a", "_a...b", "b", NULL };
	char s[64];
	int mode;

	for (mode = KO_TOK_DOCUMENT; mode <= KO_TOK_AUX; mode += KO_TOK_AUX) {
		expect("a \t\r\n b", mode, w1);
		expect("a\u00A0\u2003b", mode, w1);       /* NFKC makes them spaces */
		expect("a \t,\n b", mode, w2);
		/* Exactly KO_TOK_SEP_MAX bytes fit; one more is cut for good. */
		memset(s, '-', sizeof s);
		s[0] = 'a';
		s[17] = 'b';
		s[18] = '\0';
		expect(s, mode, w3);
		s[17] = s[18] = '-';
		s[40] = 'b';
		s[41] = '\0';
		expect(s, mode, w4);
		/* Cut on a character boundary: five 3-byte characters fit. */
		expect("a\u3001\u3001\u3001\u3001\u3001\u3001b", mode, w5);
		expect("a  \u2015  b", mode, w6);
		/* The text is normalized: an ellipsis is three full stops. */
		expect("a\u2026b", mode, w7);
	}
	/* NUL is white space, as in the normalized text. */
	{
		struct toks *t = run("a\0\0b", 4, KO_TOK_DOCUMENT);

		cr_assert_eq(t->n, 2);
		t = run("a\0,\0b", 5, KO_TOK_DOCUMENT);
		cr_assert_eq(t->n, 3);
		cr_assert_str_eq(t->tok[1], "_a , b");
	}
}

/*
 * The terms at their positions spell the normalized text from its first
 * to its last non-separator character: a bigram-script position its
 * first character, a letter or digit position its unmarked (whole run)
 * term, a gap term its separators, and no gap term between two runs one
 * space.  That is what makes a phrase of terms at consecutive positions
 * exactly a substring.  Checked on news text and on junk (skipping texts
 * where a term was cut).
 */
static void
check_spelling(const char *s, size_t len)
{
	struct toks *t = run(s, len, KO_TOK_DOCUMENT);
	char *norm, *spelled;
	size_t nlen, a, b, i, k, o = 0;
	uint32_t cp;
	int j, cut = 0, ended = 0, bigram;

	norm = ko_tok_normalize(s, len, &nlen);
	cr_assert_not_null(norm);
	spelled = malloc(nlen + 1);
	cr_assert_not_null(spelled);
	cr_assert(t->n <= MAXTOK);
	for (j = 0; j < t->n; j++) {
		if (t->co[j])
			continue;
		if (t->mark[j] == '=')
			cut = 1;
		if (t->mark[j] == '_' || t->mark[j] == '=') {
			/* The previous run's last character, which the text
			 * spelled so far ends with, the separators, then the
			 * next run's first character, which the next
			 * position's term starts with. */
			cr_assert(ended, "%s: gap term %d not after a run", s, j);
			k = strlen(t->tok[j]);
			for (i = k - 1; (t->tok[j][i] & 0xC0) == 0x80; i--)
				;
			a = ko_tok_utf8_decode((const unsigned char *)t->tok[j] + 1, k - 1, &cp);
			cr_assert(1 + a <= i);
			cr_assert(cut || (o >= a && memcmp(spelled + o - a, t->tok[j] + 1, a) == 0),
			    "%s: gap term %d and the run before it", s, j);
			cr_assert(j + 1 < t->n && strncmp(t->tok[j + 1], t->tok[j] + i, k - i) == 0,
			    "%s: gap term %d and the run after it", s, j);
			memcpy(spelled + o, t->tok[j] + 1 + a, i - 1 - a);
			o += i - 1 - a;
			ended = 0;
			continue;
		}
		k = ko_tok_utf8_decode((const unsigned char *)t->tok[j], strlen(t->tok[j]), &cp);
		bigram = ko_tok_class(cp) == KO_TOK_BIGRAM;
		if (!bigram && tlen(t, j) > KO_TOK_WORD_MAX - 4)
			cut = 1;
		if (ended) {
			cr_assert(o < nlen, "%s: spelled past the text", s);
			spelled[o++] = ' ';
		}
		if (!bigram)
			k = strlen(t->tok[j]);
		cr_assert(o + k <= nlen, "%s: spelled past the text", s);
		memcpy(spelled + o, t->tok[j], k);
		o += k;
		/* A bigram position is the run's last one when its term is one
		 * character; a letter or digit run is one position. */
		ended = !bigram || k == strlen(t->tok[j]);
	}
	/* Trim the normalized text's separators at both ends. */
	for (a = 0; a < nlen; a += i) {
		i = ko_tok_utf8_decode((const unsigned char *)norm + a, nlen - a, &cp);
		if (ko_tok_class(cp) != KO_TOK_SEP)
			break;
	}
	for (b = a, k = a; k < nlen; k += i) {
		i = ko_tok_utf8_decode((const unsigned char *)norm + k, nlen - k, &cp);
		if (ko_tok_class(cp) != KO_TOK_SEP)
			b = k + i;
	}
	if (!cut) {
		cr_assert_eq(o, b - a, "%s: spelled %zu bytes of %zu", s, o, b - a);
		cr_assert(memcmp(spelled, norm + a, o) == 0, "%s", s);
	}
	free(spelled);
	free(norm);
}

Test(ko_tok, terms_spell_the_normalized_text)
{
	static const char *const texts[] = {
		"전주시는 23일 시청에서 사회혁신 10년 계획을 발표했다.",
		"(서울=연합뉴스) K-푸드 수출액이 3.5% 늘었다… \"역대 최고\"",
		"ＫＴＸ １０년 ㎏ ﬁ Straße", "  사회적,\n\n  경제  ", "a\0b \377\376c",
		"iPhone15 갤럭시S24 ESG경영 news@example.kr 與野 東京都",
		"\u1112\u1167\u11A8\u1109\u1175\u11AB 가\u11A8 e\u0301", "---", "",
	};
	static const char *const pieces[] = {
		"혁", "\u1100", "\u1161", "\u11A8", "a", "Z", "1", " ", ".", "\xFF",
		"\xE1\x84", "\u0301", "ＡＢ", "㎏", "\u200B", "東", "\"", "ß", "\xC3",
		"\n", "\t", "\u2026", ", ", "-", "\u3000",
	};
	char s[512];
	size_t i, len;
	unsigned x = 4242;
	int round, k;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
		check_spelling(texts[i], strlen(texts[i]));
	for (round = 0; round < 300; round++) {
		len = 0;
		for (k = 0; k < 40; k++) {
			x = x * 1103515245u + 12345u;
			i = (x >> 16) % (sizeof pieces / sizeof pieces[0]);
			memcpy(s + len, pieces[i], strlen(pieces[i]));
			len += strlen(pieces[i]);
		}
		check_spelling(s, len);
	}
}

/* highlight() counts positions in the AUX pass: it must find the same
 * positions, with the same first terms, as the indexing pass. */
Test(ko_tok, aux_mode_has_the_document_positions)
{
	static const char *const texts[] = {
		"Apple은 새 iPhone15 공개", "2010년 10 년 6차", "ESG경영 K-푸드",
		"ＫＴＸ １０년 ㎏ ﬁ", "caf\u00E9 x\u0301y", "",
	};
	static struct toks d;
	struct toks *a;
	size_t i;
	int k, j;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		d = *run(texts[i], strlen(texts[i]), KO_TOK_DOCUMENT);
		a = run(texts[i], strlen(texts[i]), KO_TOK_AUX);
		for (k = j = 0; k < d.n; k++) {
			if (d.co[k])
				continue;
			cr_assert(j < a->n);
			cr_assert_str_eq(d.tok[k], a->tok[j]);
			cr_assert_eq(d.start[k], a->start[j]);
			j++;
		}
		cr_assert_eq(j, a->n, "%s", texts[i]);
	}
}

Test(ko_tok, empty_and_separator_only_text)
{
	static const char *const none[] = { NULL };

	expect("", KO_TOK_DOCUMENT, none);
	expect(" .,!? \t\n「」…", KO_TOK_DOCUMENT, none);
	cr_assert_eq(ko_tok_run(NULL, 5, KO_TOK_DOCUMENT, collect, &(struct toks){ 0 }), 0);
}

static int
stop_at_two(void *ctx, const char *tok, size_t len, size_t start, size_t end, int colocated)
{
	int *n = ctx;

	(void)tok; (void)len; (void)start; (void)end; (void)colocated;
	return ++*n == 2 ? 42 : 0;
}

Test(ko_tok, emit_can_stop_the_run)
{
	char s[100];
	int n = 0;

	cr_assert_eq(ko_tok_run("사회혁신에 관한 글", strlen("사회혁신에 관한 글"),
	    KO_TOK_DOCUMENT, stop_at_two, &n), 42);
	cr_assert_eq(n, 2);
	/* Also among the colocated terms, and in a long run's window. */
	n = 0;
	cr_assert_eq(ko_tok_run("Apple", 5, KO_TOK_DOCUMENT, stop_at_two, &n), 42);
	cr_assert_eq(n, 2);
	n = 0;
	memset(s, 'a', sizeof s);
	cr_assert_eq(ko_tok_run(s, sizeof s, KO_TOK_DOCUMENT, stop_at_two, &n), 42);
	cr_assert_eq(n, 2);
}

/* ko_tok_normalize against utf8proc's NFKC_Casefold over the whole string
 * (our version streams segment by segment; they must agree). */
Test(ko_tok, normalize_agrees_with_utf8proc)
{
	static const char *const in[] = {
		"전주시는 사회혁신에", "ＡＢＣ１０년", "Straße ǅ ﬃ ㎏ ① ²",
		"\u1100\u1161\u11A8\u1100\u1161", "가\u11A8", "각\u11A8",
		"e\u0327\u0301 a\u0301\u0327 \u0344", "q\u0307\u0323", "ᄀᄀᄀ",
		"ㅋㅋㅋ ㅎㅏ", "혁\u200B신", "\u00C5\u212B", "ΣΑΣ ΌΣΟΣ", "ﷺ",
		"\u0B47\u0B3E \u0D46\u0D3E \u1025\u102E", "ｶﾞｷﾞ ﾡ", "与野 與野 丽",
		/* composition exclusions: decomposed, never recomposed */
		"\U0001D15E \U0001D157\U0001D165 \u0958 \u0915\u093C \u0F73 \uFB2A",
		NULL,
	};
	utf8proc_uint8_t *ref;
	char *got;
	size_t n;
	int i;

	for (i = 0; in[i]; i++) {
		got = ko_tok_normalize(in[i], strlen(in[i]), &n);
		cr_assert_not_null(got);
		cr_assert_eq(strlen(got), n);
		ref = NULL;
		cr_assert(utf8proc_map((const utf8proc_uint8_t *)in[i], 0, &ref,
		    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
		    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE) >= 0);
		cr_assert_str_eq(got, (char *)ref, "input %d", i);
		free(ref);
		free(got);
	}
}

Test(ko_tok, normalize_folds_white_space_and_bad_bytes)
{
	char *got;
	size_t n;

	got = ko_tok_normalize("  사회\n\t 혁신\u3000\u3000끝", strlen("  사회\n\t 혁신\u3000\u3000끝"), &n);
	cr_assert_str_eq(got, " 사회 혁신 끝");
	free(got);
	got = ko_tok_normalize("a\0b\xFF" "c", 5, &n);
	cr_assert_eq(n, 7);
	cr_assert_str_eq(got, "a b\xEF\xBF\xBD" "c");
	free(got);
	got = ko_tok_normalize(NULL, 0, &n);
	cr_assert_str_eq(got, "");
	free(got);
}

Test(ko_tok, classes)
{
	cr_assert_eq(ko_tok_class(0xAC00), KO_TOK_BIGRAM);
	cr_assert_eq(ko_tok_class(0x1100), KO_TOK_BIGRAM);
	cr_assert_eq(ko_tok_class(0x4E00), KO_TOK_BIGRAM);
	cr_assert_eq(ko_tok_class(0x30AB), KO_TOK_BIGRAM);
	cr_assert_eq(ko_tok_class('a'), KO_TOK_LETTER);
	cr_assert_eq(ko_tok_class(0xE9), KO_TOK_LETTER);
	cr_assert_eq(ko_tok_class(0x0301), KO_TOK_LETTER);
	cr_assert_eq(ko_tok_class('7'), KO_TOK_DIGIT);
	cr_assert_eq(ko_tok_class(0x0663), KO_TOK_DIGIT);
	cr_assert_eq(ko_tok_class(' '), KO_TOK_SEP);
	cr_assert_eq(ko_tok_class(0xFFFD), KO_TOK_SEP);
	cr_assert_eq(ko_tok_class(0x3002), KO_TOK_SEP);
	cr_assert_eq(ko_tok_class(0x110000), KO_TOK_SEP);
}

/* Deterministic junk: offsets stay inside the text and never go back. */
Test(ko_tok, offsets_stay_in_range_on_junk)
{
	static const char *const pieces[] = {
		"혁", "\u1100", "\u1161", "\u11A8", "a", "Z", "1", " ", ".", "\xFF",
		"\xE1\x84", "\u0301", "ＡＢ", "㎏", "\u200B", "東", "\"", "ß", "\xC3",
	};
	char s[512];
	struct toks *t;
	size_t len, prev;
	unsigned x = 12345;
	int round, i, k;

	for (round = 0; round < 300; round++) {
		len = 0;
		for (i = 0; i < 40; i++) {
			x = x * 1103515245u + 12345u;
			k = (int)((x >> 16) % (sizeof pieces / sizeof pieces[0]));
			memcpy(s + len, pieces[k], strlen(pieces[k]));
			len += strlen(pieces[k]);
		}
		t = run(s, len, round % 3);
		cr_assert(t->n <= MAXTOK);
		prev = 0;
		/* (A colocated term starts at its own character, after its
		 * position's first term; the gap term after them goes back to
		 * that position's start.) */
		for (i = 0; i < t->n; i++) {
			cr_assert(t->end[i] <= len);
			cr_assert(t->start[i] < t->end[i]);
			if (t->co[i])
				continue;
			cr_assert(t->start[i] >= prev);
			prev = t->start[i];
		}
	}
}
