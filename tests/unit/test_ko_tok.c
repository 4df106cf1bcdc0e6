/*
 * test_ko_tok.c - unit tests for the Korean tokenizer core (src/search/ko_tok.c):
 * term tables, offsets into the original bytes, normalization against
 * utf8proc's own NFKC_Casefold, query mode, the colocated suffix terms of
 * letter and digit runs (document mode) and their absence in the AUX and
 * query modes, invalid UTF-8, long words.
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
	char   tok[MAXTOK][80];
	size_t start[MAXTOK], end[MAXTOK];
	int    co[MAXTOK];   /* colocated with the term before */
	int    coloc;        /* how many were */
};

static int
collect(void *ctx, const char *tok, size_t len, size_t start, size_t end, int colocated)
{
	struct toks *t = ctx;

	cr_assert(len > 0 && len < sizeof t->tok[0]);
	cr_assert(start <= end);
	/* Never the first term: there is no position to share yet. */
	cr_assert(!colocated || t->n > 0);
	if (colocated)
		t->coloc++;
	if (t->n < MAXTOK) {
		memcpy(t->tok[t->n], tok, len);
		t->tok[t->n][len] = '\0';
		t->start[t->n] = start;
		t->end[t->n] = end;
		t->co[t->n] = colocated;
	}
	t->n++;
	return 0;
}

static struct toks *
run(const char *s, size_t len, int mode)
{
	static struct toks t;   /* big; one at a time */

	memset(&t, 0, sizeof t);
	cr_assert_eq(ko_tok_run(s, len, mode, collect, &t), 0);
	/* Only documents get colocated terms. */
	if (mode != KO_TOK_DOCUMENT)
		cr_assert_eq(t.coloc, 0);
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
	static const char *const w4[] = { "전주", "주시", "시", "혁신", "신", NULL };
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
}

Test(ko_tok, latin_words_case_folded)
{
	static const char *const w1[] = { "apple", "iphone", NULL };
	static const char *const w2[] = { "apt", "get", "install", NULL };
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
	static const char *const d1[] = { "apple", "+pple", "+ple", "+le", "+e", NULL };
	static const char *const d2[] = { "2010", "+010", "+10", "+0", "년", NULL };
	static const char *const d3[] = { "전주", "주시", "시", "k", "리그", "그", NULL };
	static const char *const d4[] = { "café", "+afé", "+fé", "+é", "x", NULL };
	static const char *const q1[] = { "apple", NULL };
	static const char *const q2[] = { "2010", "년", NULL };

	expect("Apple", KO_TOK_DOCUMENT, d1);
	expect("2010년", KO_TOK_DOCUMENT, d2);
	expect("전주시 K리그", KO_TOK_DOCUMENT, d3);
	expect("CAFÉ x", KO_TOK_DOCUMENT, d4);
	expect("Apple", KO_TOK_QUERY, q1);
	expect("Apple", KO_TOK_AUX, q1);
	expect("2010년", KO_TOK_QUERY, q2);
	expect("2010년", KO_TOK_AUX, q2);
}

Test(ko_tok, colocated_terms_start_at_their_character)
{
	const char *s = "ＡＢＣ 5㎏";
	struct toks *t = run(s, strlen(s), KO_TOK_DOCUMENT);

	cr_assert_eq(t->n, 6);
	expect_span(s, t, 0, "ＡＢＣ");
	expect_span(s, t, 1, "ＢＣ");
	expect_span(s, t, 2, "Ｃ");
	expect_span(s, t, 3, "5");
	/* kg and g both come from the one character ㎏. */
	cr_assert_str_eq(t->tok[4], "kg");
	cr_assert_str_eq(t->tok[5], "g");
	expect_span(s, t, 4, "㎏");
	expect_span(s, t, 5, "㎏");
}

Test(ko_tok, digits_and_letters_are_separate_runs)
{
	static const char *const w1[] = { "10", "년", NULL };
	static const char *const w2[] = { "6", "차", "23", "일", NULL };
	static const char *const w3[] = { "아이", "이폰", "폰", "15", "프로", "로", NULL };
	static const char *const w4[] = { "iphone", "15", NULL };
	static const char *const w5[] = { "3", "5", NULL };
	static const char *const d4[] = { "iphone", "+phone", "+hone", "+one", "+ne", "+e",
		"15", "+5", NULL };
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
	static const char *const w1[] = { "abc", "10", NULL };
	static const char *const w2[] = { "10", "년", NULL };
	const char *s = "ＡＢＣ１０";
	struct toks *t;
	int mode;

	for (mode = 0; mode <= 2; mode++) {
		expect_pos(s, mode, w1);
		expect_pos("１０년", mode, w2);
	}
	/* Offsets are in the original: each full-width character is 3 bytes. */
	t = run(s, strlen(s), KO_TOK_AUX);
	expect_span(s, t, 0, "ＡＢＣ");
	expect_span(s, t, 1, "１０");
	t = run(s, strlen(s), KO_TOK_DOCUMENT);
	expect_span(s, t, 0, "ＡＢＣ");
	expect_span(s, t, 3, "１０");
	expect_span(s, t, 4, "０");
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
	static const char *const w[] = { "5", "kg", "fi", NULL };
	static const char *const d[] = { "5", "kg", "+g", "fi", "+i", NULL };
	const char *s = "5㎏ ﬁ";
	struct toks *t;

	expect(s, KO_TOK_AUX, w);
	expect(s, KO_TOK_DOCUMENT, d);
	t = run(s, strlen(s), KO_TOK_AUX);
	expect_span(s, t, 1, "㎏");
	expect_span(s, t, 2, "ﬁ");
	t = run(s, strlen(s), KO_TOK_DOCUMENT);
	expect_span(s, t, 3, "ﬁ");
	expect_span(s, t, 4, "ﬁ");
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
	static const char *const w5[] = { "10", "년", NULL };
	static const char *const w6[] = { "혁신", "신", "10", NULL };

	expect("사회혁신에", KO_TOK_QUERY, w1);
	expect("혁신!", KO_TOK_QUERY, w2);
	expect("색", KO_TOK_QUERY, w3);
	/* Only the last run loses it: inside a phrase the word end is real. */
	expect("사회 혁신", KO_TOK_QUERY, w4);
	expect("10년", KO_TOK_QUERY, w5);
	expect("혁신10", KO_TOK_QUERY, w6);
}

Test(ko_tok, invalid_utf8_is_a_separator)
{
	static const char *const w1[] = { "a", "b", NULL };
	static const char *const w2[] = { "혁", "신", NULL };
	static const char *const w3[] = { "x", NULL };
	const char *s = "a\xFF\xFE" "b";

	expect(s, KO_TOK_DOCUMENT, w1);
	cr_assert_eq(run(s, strlen(s), KO_TOK_DOCUMENT)->start[1], 3);
	/* A truncated syllable, an overlong '/', a surrogate, a lone
	 * continuation byte. */
	expect("혁\xED\x95신", KO_TOK_DOCUMENT, w2);
	expect("\xC0\xAFx\xED\xA0\x80\x80", KO_TOK_DOCUMENT, w3);
	expect("혁\xF4\x90\x80\x80신", KO_TOK_DOCUMENT, w2);
}

Test(ko_tok, long_words_are_cut_on_a_character_boundary)
{
	char s[400], *p = s;
	struct toks *t;
	int i, mode;

	for (i = 0; i < 100; i++)
		*p++ = 'a';
	*p = '\0';
	for (mode = KO_TOK_QUERY; mode <= KO_TOK_AUX; mode++) {
		t = run(s, strlen(s), mode);
		cr_assert_eq(t->n, 1);
		cr_assert_eq(strlen(t->tok[0]), KO_TOK_WORD_MAX);
		cr_assert_eq(t->end[0], 100);   /* the span still covers the word */
	}
	/* Documents: one term per character, each as long as the cut allows
	 * (64 bytes while 64 are left, then the rest of the run). */
	t = run(s, strlen(s), KO_TOK_DOCUMENT);
	cr_assert_eq(t->n, 100);
	for (i = 0; i < 100; i++) {
		cr_assert_eq(strlen(t->tok[i]), i <= 36 ? 64 : (size_t)(100 - i), "term %d", i);
		cr_assert_eq(t->co[i], i > 0);
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
		cr_assert_eq(t->n, 1);
		cr_assert_eq(strlen(t->tok[0]), 63);
	}
	t = run(s, strlen(s), KO_TOK_DOCUMENT);
	cr_assert_eq(t->n, 51);
	cr_assert_eq(strlen(t->tok[0]), 63);
	cr_assert_eq(strlen(t->tok[1]), 64);   /* 32 é */
	cr_assert_eq(strlen(t->tok[19]), 64);  /* é 19..50 */
	cr_assert_eq(strlen(t->tok[20]), 62);
	cr_assert_eq(strlen(t->tok[50]), 2);
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
		n = strlen(t->tok[k]);
		cr_assert(n > 0 && n <= KO_TOK_WORD_MAX);
		cr_assert(memcmp(t->tok[k], s + off[k], n) == 0, "term %zu", k);
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
		for (i = 0; i < t->n; i++) {
			cr_assert(t->end[i] <= len);
			cr_assert(t->start[i] < t->end[i]);
			cr_assert(t->start[i] >= prev);
			prev = t->start[i];
		}
	}
}
