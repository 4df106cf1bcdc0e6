/*
 * test_mustache.c - our own cases for the template engine (render/mustache).
 *
 * Part of the unit tests; the official spec suite is test_mustache_spec.c.
 * Here: what the site relies on beyond the spec (Korean text through the
 * escaper, numbers, our empty-string rule, a layout page built the way the
 * site builds one), and bad input: syntax errors with their line numbers,
 * recursion and work limits, the output cap, missing names, and rendering
 * one set from several threads at once.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "core/buf.h"
#include "render/mustache.h"

struct tpl_src {
	const char *name;
	const char *src;
};

#define MAX_TPLS 6

/* One render case: templates (the first is rendered), JSON data, output. */
struct render_case {
	const char     *what;
	struct tpl_src  tpl[MAX_TPLS];
	const char     *data;
	const char     *want;
};

/* A layout, a section layout that extends it, a partial and a page, the way
 * templates/ is laid out. */
#define LAYOUT \
	"<!doctype html>\n" \
	"<html lang=\"ko\">\n" \
	"<head><title>{{$title}}신문{{/title}}</title></head>\n" \
	"<body>\n" \
	"  {{>partials/nav}}\n" \
	"  <main>\n" \
	"    {{$content}}\n" \
	"    <p>내용 없음</p>\n" \
	"    {{/content}}\n" \
	"  </main>\n" \
	"</body>\n" \
	"</html>\n"
#define NAV \
	"<nav>{{#sections}}<a href=\"/{{slug}}\">{{name}}</a>{{/sections}}</nav>\n"
#define ARTICLE \
	"{{! 기사 페이지 }}\n" \
	"{{<layout}}\n" \
	"{{$title}}{{headline}} - 신문{{/title}}\n" \
	"{{$content}}\n" \
	"<article>\n" \
	"  <h1>{{headline}}</h1>\n" \
	"  {{{body}}}\n" \
	"  {{#tags}}\n" \
	"  <a class=\"tag\">{{.}}</a>\n" \
	"  {{/tags}}\n" \
	"</article>\n" \
	"{{/content}}\n" \
	"{{/layout}}\n"
#define SITE_DATA \
	"{\"sections\": [{\"slug\": \"news\", \"name\": \"뉴스\"}," \
	"                {\"slug\": \"weather\", \"name\": \"날씨\"}]," \
	" \"headline\": \"서울에 첫눈 <속보>\"," \
	" \"body\": \"<p>오늘 아침 서울에 첫눈이 내렸다.</p>\"," \
	" \"tags\": [\"날씨\", \"서울\"]}"
#define PAGE_HEAD \
	"<!doctype html>\n" \
	"<html lang=\"ko\">\n"
#define PAGE_NAV \
	"<body>\n" \
	"  <nav><a href=\"/news\">뉴스</a><a href=\"/weather\">날씨</a></nav>\n" \
	"  <main>\n"
#define PAGE_TAIL \
	"  </main>\n" \
	"</body>\n" \
	"</html>\n"
#define ARTICLE_PAGE \
	PAGE_HEAD \
	"<head><title>서울에 첫눈 &lt;속보&gt; - 신문</title></head>\n" \
	PAGE_NAV \
	"    <article>\n" \
	"      <h1>서울에 첫눈 &lt;속보&gt;</h1>\n" \
	"      <p>오늘 아침 서울에 첫눈이 내렸다.</p>\n" \
	"      <a class=\"tag\">날씨</a>\n" \
	"      <a class=\"tag\">서울</a>\n" \
	"    </article>\n" \
	PAGE_TAIL

static const struct render_case render_cases[] = {
	{ "escaping of Korean text with special characters",
	  { { "t", "<h1>{{title}}</h1>" } },
	  "{\"title\": \"서울 \\\"비\\\" & <눈> '예보'\"}",
	  "<h1>서울 &quot;비&quot; &amp; &lt;눈&gt; &#39;예보&#39;</h1>" },
	{ "raw output of Korean HTML",
	  { { "t", "{{{body}}}|{{&body}}" } },
	  "{\"body\": \"<p>기사 &amp; 본문</p>\"}",
	  "<p>기사 &amp; 본문</p>|<p>기사 &amp; 본문</p>" },
	{ "particles after interpolated words",
	  { { "t", "{{#people}}{{name}}은 {{role}}이다. {{/people}}" } },
	  "{\"people\": [{\"name\": \"김기자\", \"role\": \"기자\"},"
	  " {\"name\": \"이편집\", \"role\": \"편집장\"}]}",
	  "김기자은 기자이다. 이편집은 편집장이다. " },
	{ "numbers",
	  { { "t", "{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}" } },
	  "{\"a\": 1.210, \"b\": 42, \"c\": -3, \"d\": 1e21, \"e\": 0.0001,"
	  " \"f\": 100.0, \"g\": 0.1}",
	  "1.21 42 -3 1e+21 0.0001 100 0.1" },
	{ "true, false, null, objects and lists as values",
	  { { "t", "[{{t}}][{{f}}][{{n}}][{{o}}][{{l}}]" } },
	  "{\"t\": true, \"f\": false, \"n\": null, \"o\": {\"x\": 1}, \"l\": [1]}",
	  "[true][false][][][]" },
	{ "an empty string is false, zero is true",
	  { { "t", "{{#s}}yes{{/s}}{{^s}}no{{/s}} {{#z}}zero={{.}}{{/z}}" } },
	  "{\"s\": \"\", \"z\": 0}",
	  "no zero=0" },
	{ "dotted names and the context stack",
	  { { "t", "{{#articles}}{{title}} ({{section.name}}, {{site}})\n{{/articles}}" } },
	  "{\"site\": \"신문\", \"articles\": ["
	  "{\"title\": \"첫눈\", \"section\": {\"name\": \"날씨\"}},"
	  "{\"title\": \"선거\", \"section\": {\"name\": \"정치\"}}]}",
	  "첫눈 (날씨, 신문)\n선거 (정치, 신문)\n" },
	{ "set delimiters around Korean text",
	  { { "t", "{{=<% %>=}}<%name%>님 {{name}} <%={{ }}=%>{{name}}" } },
	  "{\"name\": \"홍길동\"}",
	  "홍길동님 {{name}} 홍길동" },
	{ "a site page: layout, partial and blocks",
	  { { "article", ARTICLE }, { "layout", LAYOUT }, { "partials/nav", NAV } },
	  SITE_DATA,
	  ARTICLE_PAGE },
	{ "the layout alone keeps its defaults",
	  { { "layout", LAYOUT }, { "partials/nav", NAV } },
	  SITE_DATA,
	  PAGE_HEAD
	  "<head><title>신문</title></head>\n"
	  PAGE_NAV
	  "    <p>내용 없음</p>\n"
	  PAGE_TAIL },
	{ "a page overrides a block its section layout passes on",
	  { { "page", "{{<section}}{{$title}}오늘의 날씨{{/title}}{{/section}}" },
	    { "section", "{{<base}}{{$title}}섹션{{/title}}{{$nav}}[날씨]{{/nav}}{{/base}}" },
	    { "base", "<title>{{$title}}신문{{/title}}</title>{{$nav}}{{/nav}}" } },
	  "{}",
	  "<title>오늘의 날씨</title>[날씨]" },
	{ "a block inside a partial of the layout is still overridden",
	  { { "page", "{{<layout}}{{$footer}}ⓒ 신문사{{/footer}}{{/layout}}" },
	    { "layout", "<main></main>\n{{>footer}}" },
	    { "footer", "<footer>{{$footer}}{{/footer}}</footer>\n" } },
	  "{}",
	  "<main></main>\n<footer>ⓒ 신문사</footer>\n" },
	{ "an argument is rendered in the context where it lands",
	  { { "page", "{{<list}}{{$item}}<li>{{title}}</li>{{/item}}{{/list}}" },
	    { "list", "<ul>{{#articles}}{{$item}}{{/item}}{{/articles}}</ul>" } },
	  "{\"articles\": [{\"title\": \"가\"}, {\"title\": \"나\"}]}",
	  "<ul><li>가</li><li>나</li></ul>" },
	{ "a block's argument may not expand into itself",
	  { { "page", "{{<p}}{{$a}}[{{$a}}inner{{/a}}]{{/a}}{{/p}}" },
	    { "p", "{{$a}}default{{/a}}" } },
	  "{}",
	  "[inner]" },
	{ "missing partial and missing parent render nothing",
	  { { "t", "[{{>nope}}][{{<nope}}{{$a}}x{{/a}}{{/nope}}]" } },
	  "{}",
	  "[][]" },
	{ "standalone partials nest their indentation",
	  { { "t", "<div>\n  {{>ul}}\n</div>\n" },
	    { "ul", "<ul>\n  {{#items}}\n  {{>li}}\n  {{/items}}\n</ul>\n" },
	    { "li", "<li>{{.}}</li>\n" } },
	  "{\"items\": [\"하나\", \"둘\"]}",
	  "<div>\n  <ul>\n    <li>하나</li>\n    <li>둘</li>\n  </ul>\n</div>\n" },
	{ "a partial inside a line is not indented",
	  { { "t", "  <p>{{>p}}</p>\n" }, { "p", "a\nb" } },
	  "{}",
	  "  <p>a\nb</p>\n" },
	{ "CRLF line endings",
	  { { "t", "<ul>\r\n{{#l}}\r\n<li>{{.}}</li>\r\n{{/l}}\r\n</ul>\r\n" } },
	  "{\"l\": [\"가\", \"나\"]}",
	  "<ul>\r\n<li>가</li>\r\n<li>나</li>\r\n</ul>\r\n" },
	{ "a close delimiter that starts like a sigil (found by the fuzzer)",
	  { { "t", "{{=< >=}}[<>x>][<&y>]" }, { "x", "엑스" } },
	  "{\"y\": \"<b>\"}",
	  "[엑스][<b>]" },
	{ "an empty template",
	  { { "t", "" } },
	  "{}",
	  "" },
	{ "a comment spanning lines",
	  { { "t", "가{{! 주석\n여러 줄 }}나\n" } },
	  "{}",
	  "가나\n" },
};

static void
load_set(struct mustache_set *set, const struct tpl_src *tpl)
{
	char err[MUSTACHE_ERRLEN];
	int i, rc;

	for (i = 0; i < MAX_TPLS && tpl[i].name; i++) {
		rc = mustache_set_add(set, tpl[i].name, tpl[i].src, strlen(tpl[i].src),
		    err, sizeof err);
		cr_assert_eq(rc, 0, "compile %s: %s", tpl[i].name, err);
	}
}

Test(mustache, render_table)
{
	char err[MUSTACHE_ERRLEN];
	struct mustache_set *set;
	struct buf out;
	json_error_t jerr;
	json_t *data;
	size_t i;
	int rc;

	for (i = 0; i < sizeof render_cases / sizeof render_cases[0]; i++) {
		const struct render_case *tc = &render_cases[i];

		set = mustache_set_new();
		load_set(set, tc->tpl);
		data = json_loads(tc->data, 0, &jerr);
		cr_assert_not_null(data, "%s: bad test data: %s", tc->what, jerr.text);
		buf_init(&out, 0);
		rc = mustache_render(set, tc->tpl[0].name, data, &out, err, sizeof err);
		cr_expect_eq(rc, 0, "%s: %s", tc->what, err);
		cr_expect_str_eq(out.p ? out.p : "", tc->want,
		    "%s\n  got:      [%s]\n  expected: [%s]", tc->what,
		    out.p ? out.p : "", tc->want);
		buf_free(&out);
		json_decref(data);
		mustache_set_free(set);
	}
}

/* Syntax errors: each must fail to compile with exactly this message. */
struct error_case {
	const char *src;
	const char *want;
};

static const struct error_case error_cases[] = {
	{ "<ul>\n{{#items}}\n<li>{{.}}</li>\n", "t:2: unclosed section \"items\"" },
	{ "{{^x}}", "t:1: unclosed inverted section \"x\"" },
	{ "a\n{{<layout}}\n{{$title}}제목{{/title}}\n", "t:2: unclosed parent \"layout\"" },
	{ "{{$title}}제목", "t:1: unclosed block \"title\"" },
	{ "{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}",
	  "t:3: close tag \"a\" does not match section \"b\" opened on line 2" },
	{ "기사\n\n{{/a}}", "t:3: close tag \"a\" without an open tag" },
	{ "제목\n{{title", "t:2: unclosed tag: no '}}' after '{{'" },
	{ "{{{raw}}", "t:1: unclosed tag: no '}}}' after '{{{'" },
	{ "{{=<% %>=}}\n<%name", "t:2: unclosed tag: no '%>' after '<%'" },
	{ "{{! 주석이 닫히지 않음\n", "t:1: unclosed tag: no '}}' after '{{'" },
	/* The sigil is not the close delimiter (found by the fuzzer). */
	{ "{{=<% >=}}\n\n<%>", "t:3: unclosed tag: no '>' after '<%'" },
	{ "\n\n{{=<%=}}", "t:3: bad delimiter tag: want two delimiters separated by a space" },
	{ "{{=<% %> x=}}", "t:1: bad delimiter tag: want two delimiters separated by a space" },
	{ "{{=a= b=}}", "t:1: bad delimiter tag: a delimiter may not contain '='" },
	{ "{{==}}", "t:1: bad delimiter tag: want two delimiters separated by a space" },
	{ "{{=<% %>", "t:1: unclosed tag: no '=}}' after '{{='" },
	{ "{{}}", "t:1: empty tag name" },
	{ "{{# }}{{/ }}", "t:1: empty tag name" },
	{ "{{>}}", "t:1: empty tag name" },
	{ "{{이름 성}}", "t:1: bad tag name \"이름 성\"" },
	{ "{{a..b}}", "t:1: bad tag name \"a..b\"" },
	{ "{{#.a}}{{/.a}}", "t:1: bad tag name \".a\"" },
	{ "{{a.}}", "t:1: bad tag name \"a.\"" },
};

Test(mustache, syntax_errors)
{
	char err[MUSTACHE_ERRLEN];
	struct mustache_set *set = mustache_set_new();
	size_t i;
	int rc;

	for (i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
		const struct error_case *tc = &error_cases[i];

		rc = mustache_set_add(set, "t", tc->src, strlen(tc->src), err, sizeof err);
		cr_expect_eq(rc, MUSTACHE_ESYNTAX, "[%s] compiled", tc->src);
		cr_expect_str_eq(err, tc->want, "[%s]\n  got:      %s\n  expected: %s",
		    tc->src, err, tc->want);
		cr_expect_not(mustache_set_has(set, "t"), "[%s] was added", tc->src);
	}
	mustache_set_free(set);
}

Test(mustache, nesting_limit_at_compile)
{
	char src[64 * 12 + 64 * 12 + 1], err[MUSTACHE_ERRLEN];
	struct mustache_set *set = mustache_set_new();
	size_t n = 0;
	int i;

	for (i = 0; i <= MUSTACHE_MAX_NEST; i++)
		n += (size_t)snprintf(src + n, sizeof src - n, "{{#a}}");
	for (i = 0; i <= MUSTACHE_MAX_NEST; i++)
		n += (size_t)snprintf(src + n, sizeof src - n, "{{/a}}");
	cr_assert_lt(n, sizeof src);
	cr_expect_eq(mustache_set_add(set, "deep", src, n, err, sizeof err), MUSTACHE_ESYNTAX);
	cr_expect_str_eq(err, "deep:1: sections nested more than 64 deep");
	/* One level less is fine. */
	cr_expect_eq(mustache_set_add(set, "deep", src + 6, n - 12, err, sizeof err), 0,
	    "%s", err);
	mustache_set_free(set);
}

Test(mustache, failed_compile_keeps_old_template)
{
	char err[MUSTACHE_ERRLEN];
	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT;

	cr_assert_eq(mustache_set_add(set, "t", "옛날", strlen("옛날"), err, sizeof err), 0);
	cr_expect_eq(mustache_set_add(set, "t", "{{#x}}", 6, err, sizeof err), MUSTACHE_ESYNTAX);
	cr_assert_eq(mustache_render(set, "t", NULL, &out, err, sizeof err), 0, "%s", err);
	cr_expect_str_eq(out.p, "옛날");
	/* A good one replaces it. */
	cr_assert_eq(mustache_set_add(set, "t", "새것", strlen("새것"), err, sizeof err), 0);
	buf_reset(&out);
	cr_assert_eq(mustache_render(set, "t", NULL, &out, err, sizeof err), 0, "%s", err);
	cr_expect_str_eq(out.p, "새것");
	buf_free(&out);
	mustache_set_free(set);
}

Test(mustache, set_has_and_many_templates)
{
	char name[32], err[MUSTACHE_ERRLEN];
	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT;
	int i;

	/* Enough to make the table grow a few times. */
	for (i = 0; i < 500; i++) {
		snprintf(name, sizeof name, "partials/p%d", i);
		cr_assert_eq(mustache_set_add(set, name, name, strlen(name), err, sizeof err), 0);
	}
	cr_expect(mustache_set_has(set, "partials/p0"));
	cr_expect(mustache_set_has(set, "partials/p499"));
	cr_expect_not(mustache_set_has(set, "partials/p500"));
	cr_expect_not(mustache_set_has(set, ""));
	cr_assert_eq(mustache_render(set, "partials/p321", NULL, &out, err, sizeof err), 0);
	cr_expect_str_eq(out.p, "partials/p321");
	buf_free(&out);
	mustache_set_free(set);
	mustache_set_free(NULL);
}

/* Renders tpl[0] and expects the error code and message. */
static void
expect_render_error(const struct tpl_src *tpl, const char *data, size_t max,
    int want_rc, const char *want_err)
{
	char err[MUSTACHE_ERRLEN];
	struct mustache_set *set = mustache_set_new();
	struct buf out;
	json_t *ctx = json_loads(data, 0, NULL);
	int rc;

	cr_assert_not_null(ctx);
	load_set(set, tpl);
	buf_init(&out, max);
	rc = mustache_render(set, tpl[0].name, ctx, &out, err, sizeof err);
	cr_expect_eq(rc, want_rc, "%s: rc %d, want %d (%s)", tpl[0].name, rc, want_rc, err);
	cr_expect_str_eq(err, want_err);
	if (max)
		cr_expect_leq(out.len, max);
	buf_free(&out);
	json_decref(ctx);
	mustache_set_free(set);
}

Test(mustache, recursion_is_capped)
{
	/* "self" is found again on every level: this would never end. */
	static const struct tpl_src loop[] = {
		{ "loop", "{{#self}}자{{>loop}}{{/self}}" }, { NULL, NULL } };
	static const struct tpl_src parent[] = {
		{ "page", "{{<page}}{{$a}}x{{/a}}{{/page}}" }, { NULL, NULL } };
	static const struct tpl_src pair[] = {
		{ "a", "{{>b}}" }, { "b", "\n  {{>a}}\n" }, { NULL, NULL } };
	/* Two calls per level: 2^64 renders without the depth cap. */
	static const struct tpl_src fan[] = {
		{ "fan", "{{>fan}}{{>fan}}" }, { NULL, NULL } };

	expect_render_error(loop, "{\"self\": true}", 0, MUSTACHE_EDEPTH,
	    "loop: partials nested more than 64 deep (at \"loop\")");
	expect_render_error(parent, "{}", 0, MUSTACHE_EDEPTH,
	    "page: partials nested more than 64 deep (at \"page\")");
	expect_render_error(pair, "{}", 0, MUSTACHE_EDEPTH,
	    "a: partials nested more than 64 deep (at \"b\")");
	expect_render_error(fan, "{}", 0, MUSTACHE_EDEPTH,
	    "fan: partials nested more than 64 deep (at \"fan\")");
}

Test(mustache, total_nesting_is_capped)
{
	/* 63 sections per partial level: the 512-deep cap on nested lists
	 * stops this long before 64 partials, whatever the stack size. */
	char src[64 * 6 * 2 + 16];
	struct tpl_src t[2] = { { "deep", src }, { NULL, NULL } };
	size_t n = 0;
	int i;

	for (i = 0; i < 63; i++)
		n += (size_t)snprintf(src + n, sizeof src - n, "{{#t}}");
	n += (size_t)snprintf(src + n, sizeof src - n, "x{{>deep}}");
	for (i = 0; i < 63; i++)
		n += (size_t)snprintf(src + n, sizeof src - n, "{{/t}}");
	cr_assert_lt(n, sizeof src);
	expect_render_error(t, "{\"t\": true}", 0, MUSTACHE_EDEPTH,
	    "deep: templates nested more than 512 deep");
}

Test(mustache, recursion_with_data_ends)
{
	/* The spec's recursive partial, on a deep but finite tree. */
	char err[MUSTACHE_ERRLEN];
	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT;
	json_t *root = json_object(), *node = root, *kid;
	const char *src = "<{{#kids}}{{>tree}}{{/kids}}>";
	int i;

	for (i = 0; i < 40; i++) {
		kid = json_object();
		json_object_set_new(node, "kids", json_pack("[o]", kid));
		node = kid;
	}
	/* Without its own (empty) list the leaf would find its parent's. */
	json_object_set_new(node, "kids", json_array());
	cr_assert_eq(mustache_set_add(set, "tree", src, strlen(src), err, sizeof err), 0,
	    "%s", err);
	cr_assert_eq(mustache_render(set, "tree", root, &out, err, sizeof err), 0, "%s", err);
	cr_expect_eq(out.len, 82, "%s", out.p);
	buf_free(&out);
	json_decref(root);
	mustache_set_free(set);
}

Test(mustache, work_is_capped)
{
	/* 8^12 iterations of nothing: no output to hit a cap, no partial to
	 * hit the depth cap, only the step budget stops it. */
	static const struct tpl_src t[] = {
		{ "loops",
		  "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}"
		  "{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}" },
		{ NULL, NULL } };

	expect_render_error(t, "{\"l\": [1, 2, 3, 4, 5, 6, 7, 8]}", 0, MUSTACHE_ESTEPS,
	    "loops: more than 16777216 steps");
}

Test(mustache, output_cap)
{
	static const struct tpl_src t[] = {
		{ "page", "<p>{{#l}}{{s}}{{/l}}</p>" }, { NULL, NULL } };
	static const struct tpl_src esc[] = {
		{ "page", "{{s}}" }, { NULL, NULL } };

	expect_render_error(t, "{\"s\": \"가나다라마바사\", \"l\": [1, 2, 3, 4, 5]}", 64,
	    MUSTACHE_EFULL, "page: output larger than 64 bytes");
	/* Escaping grows the text past the cap. */
	expect_render_error(esc, "{\"s\": \"<<<<<<<<<<<<<<<<\"}", 32,
	    MUSTACHE_EFULL, "page: output larger than 32 bytes");
}

Test(mustache, missing_template)
{
	char err[MUSTACHE_ERRLEN];
	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT;

	cr_expect_eq(mustache_render(set, "article", NULL, &out, err, sizeof err),
	    MUSTACHE_ENOTFOUND);
	cr_expect_str_eq(err, "article: no such template");
	cr_expect_eq(out.len, 0);
	/* A NULL err is allowed. */
	cr_expect_eq(mustache_render(set, "article", NULL, &out, NULL, 0), MUSTACHE_ENOTFOUND);
	cr_expect_str_eq(mustache_strerror(MUSTACHE_ENOTFOUND), "no such template");
	cr_expect_str_eq(mustache_strerror(-1), "unknown template error");
	buf_free(&out);
	mustache_set_free(set);
}

Test(mustache, null_context)
{
	char err[MUSTACHE_ERRLEN];
	struct mustache_set *set = mustache_set_new();
	struct buf out = BUF_INIT;
	const char *src = "[{{x}}{{.}}{{#x}}y{{/x}}{{^x}}없음{{/x}}]";

	cr_assert_eq(mustache_set_add(set, "t", src, strlen(src), err, sizeof err), 0);
	cr_assert_eq(mustache_render(set, "t", NULL, &out, err, sizeof err), 0, "%s", err);
	cr_expect_str_eq(out.p, "[없음]");
	buf_free(&out);
	mustache_set_free(set);
}

/* Several threads render the same set at once and must all get the page. */
struct thread_arg {
	const struct mustache_set *set;
	const json_t              *data;
	const char                *want;
	int                        bad;
};

static void *
render_thread(void *p)
{
	struct thread_arg *a = p;
	char err[MUSTACHE_ERRLEN];
	struct buf out = BUF_INIT;
	int i;

	for (i = 0; i < 200; i++) {
		buf_reset(&out);
		if (mustache_render(a->set, "article", a->data, &out, err, sizeof err) ||
		    strcmp(out.p, a->want) != 0)
			a->bad++;
	}
	buf_free(&out);
	return NULL;
}

Test(mustache, threads_share_a_set)
{
	static const struct tpl_src t[] = {
		{ "article", ARTICLE }, { "layout", LAYOUT }, { "partials/nav", NAV },
		{ NULL, NULL } };
	struct mustache_set *set = mustache_set_new();
	struct thread_arg arg[4];
	pthread_t th[4];
	json_t *data = json_loads(SITE_DATA, 0, NULL);
	int i;

	load_set(set, t);
	for (i = 0; i < 4; i++) {
		arg[i].set = set;
		arg[i].data = data;
		arg[i].want = ARTICLE_PAGE;
		arg[i].bad = 0;
		cr_assert_eq(pthread_create(&th[i], NULL, render_thread, &arg[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		cr_expect_eq(arg[i].bad, 0, "thread %d: %d bad renders", i, arg[i].bad);
	}
	json_decref(data);
	mustache_set_free(set);
}
