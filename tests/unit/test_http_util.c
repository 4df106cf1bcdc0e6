/*
 * test_http_util.c - percent-decoding and form/query parsing: the first
 * things hostile input meets.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "http/http.h"

struct dec_case {
	const char *in;
	int plus;
	const char *out;   /* NULL: must be refused */
};

static const struct dec_case dec_cases[] = {
	{ "abc", 0, "abc" },
	{ "a+b", 1, "a b" },
	{ "a+b", 0, "a+b" },
	{ "%ED%98%81%EC%8B%A0", 1, "혁신" },
	{ "%ed%98%81%ec%8b%a0", 1, "혁신" },
	{ "100%25", 0, "100%" },
	{ "%", 0, NULL },
	{ "%4", 0, NULL },
	{ "%zz", 0, NULL },
	{ "%00", 0, NULL },           /* encoded NUL */
	{ "%C0%AF", 0, NULL },        /* overlong '/' */
	{ "%ED%A0%80", 0, NULL },     /* UTF-16 surrogate */
	{ "%FF", 0, NULL },
	{ "%E2%82", 0, NULL },        /* cut sequence */
	{ "%F4%90%80%80", 0, NULL },  /* past U+10FFFF */
	{ "%F0%9F%93%B0", 0, "📰" },
	{ "/articles/1001", 0, "/articles/1001" },
};

Test(http_util, decode_table)
{
	struct arena a = ARENA_INIT;
	size_t i;
	char *out;

	for (i = 0; i < sizeof dec_cases / sizeof dec_cases[0]; i++) {
		const struct dec_case *c = &dec_cases[i];

		out = http_decode(&a, (struct str){ c->in, strlen(c->in) }, c->plus);
		if (c->out == NULL)
			cr_expect_null(out, "'%s' must be refused", c->in);
		else {
			cr_assert_not_null(out, "'%s' must decode", c->in);
			cr_expect_str_eq(out, c->out, "'%s'", c->in);
		}
	}
	arena_free(&a);
}

Test(http_util, params)
{
	struct arena a = ARENA_INIT;
	struct http_param *p;
	size_t n;
	const char *q = "q=%EC%A0%84%EC%A3%BC%EC%8B%9C&page=2&&empty=&flag&q=second";

	cr_assert_eq(http_params_parse(&a, (struct str){ q, strlen(q) }, &p, &n), 0);
	cr_expect_eq(n, 5);
	cr_expect_str_eq(http_param(p, n, "q"), "전주시");
	cr_expect_str_eq(http_param(p, n, "page"), "2");
	cr_expect_str_eq(http_param(p, n, "empty"), "");
	cr_expect_str_eq(http_param(p, n, "flag"), "");
	cr_expect_null(http_param(p, n, "missing"));
	arena_free(&a);
}

Test(http_util, params_refused)
{
	struct arena a = ARENA_INIT;
	struct http_param *p;
	struct buf many = BUF_INIT;
	size_t n;
	int i;

	cr_expect_eq(http_params_parse(&a, (struct str){ "a=%zz", 5 }, &p, &n), -1);
	cr_expect_eq(http_params_parse(&a, (struct str){ "a=%FF", 5 }, &p, &n), -1);
	for (i = 0; i < HTTP_MAX_PARAMS + 1; i++)
		buf_printf(&many, "%sk%d=v", i ? "&" : "", i);
	cr_expect_eq(http_params_parse(&a, (struct str){ many.p, many.len }, &p, &n), -1);
	buf_free(&many);
	arena_free(&a);
}

Test(http_util, arena_many_small_and_one_big)
{
	struct arena a = ARENA_INIT;
	char *big;
	int i;

	for (i = 0; i < 10000; i++) {
		char *s = arena_printf(&a, "item-%d", i);

		cr_assert_str_eq(s, arena_printf(&a, "item-%d", i));
	}
	big = arena_alloc(&a, 1 << 20);
	memset(big, 'x', 1 << 20);
	cr_expect_eq(((uintptr_t)big) % 16, 0);
	arena_free(&a);
}
