/*
 * test_ko_tok.c - unit tests for the Korean tokenizer core (src/search/ko_tok.c):
 * term tables, offsets into the original bytes, normalization against
 * utf8proc's own NFKC_Casefold, query mode, invalid UTF-8, long words.
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "search/ko_tok.h"

#define MAXTOK 64

struct toks {
	int    n;
	char   tok[MAXTOK][80];
	size_t start[MAXTOK], end[MAXTOK];
	int    coloc;
};

static int
collect(void *ctx, const char *tok, size_t len, size_t start, size_t end, int colocated)
{
	struct toks *t = ctx;

	cr_assert(len > 0 && len < sizeof t->tok[0]);
	cr_assert(start <= end);
	if (colocated)
		t->coloc++;
	if (t->n < MAXTOK) {
		memcpy(t->tok[t->n], tok, len);
		t->tok[t->n][len] = '\0';
		t->start[t->n] = start;
		t->end[t->n] = end;
	}
	t->n++;
	return 0;
}

static struct toks
run(const char *s, size_t len, int mode)
{
	struct toks t;

	memset(&t, 0, sizeof t);
	cr_assert_eq(ko_tok_run(s, len, mode, collect, &t), 0);
	cr_assert_eq(t.coloc, 0);
	return t;
}

/* Checks the terms of s against a NULL-terminated list. */
static void
expect(const char *s, int mode, const char *const *want)
{
	struct toks t = run(s, strlen(s), mode);
	int i;

	for (i = 0; want[i]; i++) {
		cr_assert(i < t.n, "%s: only %d terms, wanted %s", s, t.n, want[i]);
		cr_assert_str_eq(t.tok[i], want[i], "%s: term %d", s, i);
	}
	cr_assert_eq(t.n, i, "%s: %d terms, wanted %d", s, t.n, i);
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
	struct toks t = run(s, strlen(s), KO_TOK_DOCUMENT);

	cr_assert_eq(t.n, 6);
	expect_span(s, &t, 0, "가");
	expect_span(s, &t, 1, "사회");
	expect_span(s, &t, 3, "혁신");
	expect_span(s, &t, 5, "에");
	cr_assert_eq(t.start[1], 4);
}

Test(ko_tok, latin_words_case_folded)
{
	static const char *const w1[] = { "apple", "iphone", NULL };
	static const char *const w2[] = { "apt", "get", "install", NULL };
	static const char *const w3[] = { "strasse", "café", NULL };

	expect("Apple iPhone", KO_TOK_DOCUMENT, w1);
	expect("apt-get INSTALL", KO_TOK_DOCUMENT, w2);
	expect("STRASSE Café", KO_TOK_DOCUMENT, w3);
	expect("Straße CAFÉ", KO_TOK_DOCUMENT, w3);
}

Test(ko_tok, digits_and_letters_are_separate_runs)
{
	static const char *const w1[] = { "10", "년", NULL };
	static const char *const w2[] = { "6", "차", "23", "일", NULL };
	static const char *const w3[] = { "아이", "이폰", "폰", "15", "프로", "로", NULL };
	static const char *const w4[] = { "iphone", "15", NULL };
	static const char *const w5[] = { "3", "5", NULL };

	expect("10년", KO_TOK_DOCUMENT, w1);
	expect("6차 23일", KO_TOK_DOCUMENT, w2);
	expect("아이폰15프로", KO_TOK_DOCUMENT, w3);
	expect("iPhone15", KO_TOK_DOCUMENT, w4);
	expect("3.5%", KO_TOK_DOCUMENT, w5);
}

Test(ko_tok, full_width_folds_to_ascii)
{
	static const char *const w1[] = { "abc", "10", NULL };
	static const char *const w2[] = { "10", "년", NULL };
	const char *s = "ＡＢＣ１０";
	struct toks t;

	expect(s, KO_TOK_DOCUMENT, w1);
	expect("１０년", KO_TOK_DOCUMENT, w2);
	/* Offsets are in the original: each full-width character is 3 bytes. */
	t = run(s, strlen(s), KO_TOK_DOCUMENT);
	expect_span(s, &t, 0, "ＡＢＣ");
	expect_span(s, &t, 1, "１０");
}

Test(ko_tok, conjoining_jamo_same_terms_as_precomposed)
{
	const char *pre = "전주시는 사회혁신에 각각 힘쓴다";
	char *dec = nfd(pre);
	struct toks a, b;
	int i;

	cr_assert(strlen(dec) > strlen(pre), "NFD should be longer");
	a = run(pre, strlen(pre), KO_TOK_DOCUMENT);
	b = run(dec, strlen(dec), KO_TOK_DOCUMENT);
	cr_assert_eq(a.n, b.n);
	for (i = 0; i < a.n; i++)
		cr_assert_str_eq(a.tok[i], b.tok[i], "term %d", i);
	/* Offsets point into the jamo bytes: 혁신 is six jamo, 18 bytes. */
	for (i = 0; i < b.n && strcmp(b.tok[i], "혁신") != 0; i++)
		;
	cr_assert(i < b.n);
	{
		char *want = nfd("혁신");

		expect_span(dec, &b, i, want);
		free(want);
	}
	free(dec);
}

Test(ko_tok, precomposed_syllable_plus_final_jamo_composes)
{
	/* 가 (LV, precomposed) followed by a conjoining final ᆨ is 각. */
	static const char *const w[] = { "각", NULL };
	const char *s = "가\u11A8";
	struct toks t = run(s, strlen(s), KO_TOK_DOCUMENT);

	expect(s, KO_TOK_DOCUMENT, w);
	expect_span(s, &t, 0, s);
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
	expect("infor\u00ADmation", KO_TOK_DOCUMENT, w3);
}

Test(ko_tok, compatibility_characters_keep_original_span)
{
	static const char *const w[] = { "5", "kg", "fi", NULL };
	const char *s = "5㎏ ﬁ";
	struct toks t = run(s, strlen(s), KO_TOK_DOCUMENT);

	expect(s, KO_TOK_DOCUMENT, w);
	expect_span(s, &t, 1, "㎏");
	expect_span(s, &t, 2, "ﬁ");
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
	struct toks t = run(s, strlen(s), KO_TOK_DOCUMENT);

	expect(s, KO_TOK_DOCUMENT, w1);
	cr_assert_eq(t.start[1], 3);
	/* A truncated syllable, an overlong '/', a surrogate, a lone
	 * continuation byte. */
	expect("혁\xED\x95신", KO_TOK_DOCUMENT, w2);
	expect("\xC0\xAFx\xED\xA0\x80\x80", KO_TOK_DOCUMENT, w3);
	expect("혁\xF4\x90\x80\x80신", KO_TOK_DOCUMENT, w2);
}

Test(ko_tok, long_words_are_cut_on_a_character_boundary)
{
	char s[400], *p = s;
	struct toks t;
	int i;

	for (i = 0; i < 100; i++)
		*p++ = 'a';
	*p = '\0';
	t = run(s, strlen(s), KO_TOK_DOCUMENT);
	cr_assert_eq(t.n, 1);
	cr_assert_eq(strlen(t.tok[0]), KO_TOK_WORD_MAX);
	cr_assert_eq(t.end[0], 100);   /* the span still covers the word */
	/* Two-byte letters: 64 is even, so 32 of them; with one ASCII letter
	 * first, 31 fit and the cut is before a character, not inside it. */
	p = s;
	*p++ = 'x';
	for (i = 0; i < 50; i++) {
		memcpy(p, "é", 2);
		p += 2;
	}
	*p = '\0';
	t = run(s, strlen(s), KO_TOK_DOCUMENT);
	cr_assert_eq(t.n, 1);
	cr_assert_eq(strlen(t.tok[0]), 63);
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
	int n = 0;

	cr_assert_eq(ko_tok_run("사회혁신에 관한 글", strlen("사회혁신에 관한 글"),
	    KO_TOK_DOCUMENT, stop_at_two, &n), 42);
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
	struct toks t;
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
		t = run(s, len, round & 1);
		prev = 0;
		for (i = 0; i < t.n && i < MAXTOK; i++) {
			cr_assert(t.end[i] <= len);
			cr_assert(t.start[i] < t.end[i]);
			cr_assert(t.start[i] >= prev);
			prev = t.start[i];
		}
	}
}
