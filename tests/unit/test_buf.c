/*
 * test_buf.c - the capped buffer and the escaping writers.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/buf.h"

struct esc_case {
	const char *in;
	const char *html;
	const char *json;
	const char *url;
};

static const struct esc_case esc_cases[] = {
	{ "plain", "plain", "plain", "plain" },
	{ "<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
	  "\\u003cscript\\u003ealert('x')\\u003c/script\\u003e",
	  "%3Cscript%3Ealert%28%27x%27%29%3C%2Fscript%3E" },
	{ "A & B \"C\"", "A &amp; B &quot;C&quot;", "A \\u0026 B \\\"C\\\"", "A%20%26%20B%20%22C%22" },
	{ "전주시 사회혁신", "전주시 사회혁신", "전주시 사회혁신",
	  "%EC%A0%84%EC%A3%BC%EC%8B%9C%20%EC%82%AC%ED%9A%8C%ED%98%81%EC%8B%A0" },
	{ "line\nbreak\t\\", "line\nbreak\t\\", "line\\nbreak\\t\\\\", "line%0Abreak%09%5C" },
};

Test(buf, escaping_table)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof esc_cases / sizeof esc_cases[0]; i++) {
		const struct esc_case *c = &esc_cases[i];

		buf_reset(&b);
		cr_assert_eq(buf_put_html(&b, c->in, strlen(c->in)), BUF_OK);
		cr_expect_str_eq(b.p, c->html, "html case %zu", i);
		buf_reset(&b);
		cr_assert_eq(buf_put_json(&b, c->in, strlen(c->in)), BUF_OK);
		cr_expect_str_eq(b.p, c->json, "json case %zu", i);
		buf_reset(&b);
		cr_assert_eq(buf_put_url(&b, c->in, strlen(c->in)), BUF_OK);
		cr_expect_str_eq(b.p, c->url, "url case %zu", i);
	}
	buf_free(&b);
}

Test(buf, xml_drops_control_characters)
{
	struct buf b = BUF_INIT;
	const char in[] = "a\x01<b>\x1f'c'";

	cr_assert_eq(buf_put_xml(&b, in, sizeof in - 1), BUF_OK);
	cr_expect_str_eq(b.p, "a&lt;b&gt;&apos;c&apos;");
	buf_free(&b);
}

Test(buf, cap_refuses_and_keeps_content)
{
	struct buf b;

	buf_init(&b, 10);
	cr_assert_eq(buf_puts(&b, "12345"), BUF_OK);
	cr_assert_eq(buf_puts(&b, "678901"), BUF_EFULL);
	cr_expect_str_eq(b.p, "12345");
	cr_expect(b.full);
	cr_assert_eq(buf_printf(&b, "%s", "67890"), BUF_OK);
	cr_expect_eq(b.len, 10);
	cr_assert_eq(buf_putc(&b, 'x'), BUF_EFULL);
	/* Escaping that would pass the cap fails too. */
	buf_reset(&b);
	cr_assert_eq(buf_put_html(&b, "<<<", 3), BUF_EFULL);
	buf_free(&b);
}

Test(buf, printf_grows)
{
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; i < 1000; i++)
		cr_assert_eq(buf_printf(&b, "%04d,", i), BUF_OK);
	cr_expect_eq(b.len, 5000);
	cr_expect(strncmp(b.p + 4995, "0999,", 5) == 0);
	buf_free(&b);
}
