/*
 * test_feeds.c - feeds, sitemaps, structured data and the article-list
 * export.
 *
 * Three layers:
 *   - the generators (src/feeds/) in-process, with hostile text: & < > "
 *     ' and "]]>", emoji, conjoining Hangul jamo, control characters,
 *     bytes that are not UTF-8 - each output must parse (libxml2,
 *     jansson) and give the text back;
 *   - the real server (testutil.h) for every URL: content types,
 *     validators and 304s, 404s, xmllint --noout of every XML document and
 *     xmllint --schema of the sitemaps (tests/cases/xsd/), JSON Feed and
 *     JSON-LD fields, press-release marking, no drafts anywhere;
 *   - "correct under change": the database is changed under the running
 *     server (as the newsroom will: status or text, updated_at and
 *     version together) and the next request must show it, even to a
 *     client that sends its old validators.
 * The CLI export runs the binary with tu_run.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <sqlite3.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/kdate.h"
#include "feeds/feeds.h"
#include "feeds/feeds_int.h"
#include "store/store.h"
#include "testutil.h"

#define BASE      "https://bomnae.example.kr"   /* the demo's site_url */
#define XSD_URLS  "tests/cases/xsd/sitemap.xsd"
#define XSD_INDEX "tests/cases/xsd/siteindex.xsd"

#define JAMO  "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab"   /* 한 as U+1112 U+1161 U+11AB */
#define EMOJI "\xf0\x9f\x93\xb0"                       /* U+1F4F0 newspaper */
#define FFFD  "\xef\xbf\xbd"

/* ---- helpers ---- */

/* s without the C0 controls XML cannot carry (tab, LF, CR stay). */
static char *
strip_c0(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	for (; *s; s++)
		if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n' || *s == '\r')
			*o++ = *s;
	*o = '\0';
	return out;
}

static xmlDocPtr
xml_parse(const char *p, size_t n)
{
	return xmlReadMemory(p, (int)n, "test.xml", "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING);
}

static xmlXPathObjectPtr
xpath(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o;

	xmlXPathRegisterNs(ctx, BAD_CAST "atom", BAD_CAST "http://www.w3.org/2005/Atom");
	xmlXPathRegisterNs(ctx, BAD_CAST "content", BAD_CAST "http://purl.org/rss/1.0/modules/content/");
	xmlXPathRegisterNs(ctx, BAD_CAST "dc", BAD_CAST "http://purl.org/dc/elements/1.1/");
	xmlXPathRegisterNs(ctx, BAD_CAST "sm", BAD_CAST "http://www.sitemaps.org/schemas/sitemap/0.9");
	xmlXPathRegisterNs(ctx, BAD_CAST "news", BAD_CAST "http://www.google.com/schemas/sitemap-news/0.9");
	o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	xmlXPathFreeContext(ctx);
	cr_assert_not_null(o, "XPath %s", expr);
	return o;
}

/* The string value of an XPath expression (free() it). */
static char *
xstr(xmlDocPtr doc, const char *fmt, ...)
{
	char expr[1024];
	xmlXPathObjectPtr o;
	xmlChar *s;
	va_list ap;
	char *out;

	va_start(ap, fmt);
	vsnprintf(expr, sizeof expr, fmt, ap);
	va_end(ap);
	o = xpath(doc, expr);
	s = xmlXPathCastToString(o);
	out = strdup((const char *)s);
	xmlFree(s);
	xmlXPathFreeObject(o);
	return out;
}

static long
xcount(xmlDocPtr doc, const char *fmt, ...)
{
	char expr[1024];
	xmlXPathObjectPtr o;
	va_list ap;
	long n;

	va_start(ap, fmt);
	vsnprintf(expr, sizeof expr, fmt, ap);
	va_end(ap);
	o = xpath(doc, expr);
	n = o->nodesetval ? o->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(o);
	return n;
}

/* Asserts the XPath string value of doc equals want. */
#define expect_xstr(doc, want, ...) do { \
	char *got_ = xstr(doc, __VA_ARGS__); \
	cr_expect_str_eq(got_, want, "XPath value"); \
	free(got_); \
} while (0)

/* Runs xmllint --noout (with --schema when schema is not NULL) on the
 * bytes; returns its exit status, stderr in err. */
static int
xmllint(const char *p, size_t n, const char *schema, struct buf *err)
{
	char path[128];
	struct buf out = BUF_INIT;
	FILE *f;
	int rc;

	tu_tmp_path(path, sizeof path, ".xml");
	f = fopen(path, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(p, 1, n, f), n);
	fclose(f);
	buf_reset(err);
	if (schema) {
		const char *argv[] = { "/usr/bin/xmllint", "--noout", "--nonet", "--schema", schema, path, NULL };
		rc = tu_run(argv, &out, err);
	} else {
		const char *argv[] = { "/usr/bin/xmllint", "--noout", "--nonet", path, NULL };
		rc = tu_run(argv, &out, err);
	}
	unlink(path);
	buf_free(&out);
	return rc;
}

/* The value of response header name (case-insensitive), or "". */
static void
header(const struct tu_response *r, const char *name, char *out, size_t len)
{
	const char *line = r->headers.p;
	size_t n = strlen(name), vl;

	out[0] = '\0';
	while (line && *line) {
		const char *nl = strchr(line, '\n');

		if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
			line += n + 1;
			while (*line == ' ')
				line++;
			vl = nl ? (size_t)(nl - line) : strlen(line);
			while (vl && (line[vl - 1] == '\r' || line[vl - 1] == ' '))
				vl--;
			if (vl >= len)
				vl = len - 1;
			memcpy(out, line, vl);
			out[vl] = '\0';
			return;
		}
		line = nl ? nl + 1 : NULL;
	}
}

static void
get(int port, const char *target, const char *const *headers, struct tu_response *r)
{
	cr_assert_eq(tu_http(port, "GET", target, headers, NULL, 0, r), 0, "GET %s: no answer", target);
}

/* 1 when body links to article id: "/articles/ID" not followed by a digit. */
static int
mentions(const char *body, long id)
{
	char needle[48];
	const char *p = body;
	size_t n;

	n = (size_t)snprintf(needle, sizeof needle, "/articles/%ld", id);
	while ((p = strstr(p, needle)) != NULL) {
		if (!isdigit((unsigned char)p[n]))
			return 1;
		p += n;
	}
	return 0;
}

/* Parses an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"). */
static int
http_date_for_test(const char *s, time_t *t)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	*t = timegm(&tm);
	return 0;
}

/* ---- the database under the server ---- */

static sqlite3 *
db_open(const char *path)
{
	sqlite3 *db;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static void
db_exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &err), SQLITE_OK, "%s: %s", sql, err ? err : "");
}

static long long
db_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	long long v;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s", sql);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW, "%s", sql);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* A change as the newsroom makes it: the row, updated_at and version in
 * one statement, so that a cache keyed on change times sees it too. */
static time_t
db_change(sqlite3 *db, long id, const char *set)
{
	char sql[1024];
	time_t now = time(NULL);

	snprintf(sql, sizeof sql, "UPDATE article SET %s, updated_at = %lld, version = version + 1 "
	    "WHERE id = %ld", set, (long long)now, id);
	db_exec(db, sql);
	cr_assert_eq(sqlite3_changes(db), 1);
	return now;
}

/* ---- a hostile article ---- */

static const char hostile_headline[] =
    "A&B <b>\"q\"</b> 'x' ]]> " EMOJI " " JAMO " \x01\x08\x1b end";

static struct article
hostile(long id, enum article_kind kind)
{
	struct article a;

	memset(&a, 0, sizeof a);
	a.id = id;
	a.status = ARTICLE_PUBLISHED;
	a.kind = kind;
	a.section.id = 7;
	a.section.slug = "economy";
	a.section.name = "경제 & <시장>";
	a.headline = hostile_headline;
	a.subtitles[0] = "부제 ]]> </script><script>alert(1)</script>";
	a.nsubtitles = 1;
	a.summary = "요약 & \"따옴표\" " JAMO " ]]>";
	a.body = "<p>본문 ]]> 끝 " EMOJI "</p>\n<p>둘째 &amp; 문단</p>";
	a.slug = "slug with space";
	a.bylines[0].id = 3;
	a.bylines[0].name = "홍길동 <테스트>";
	a.bylines[0].email = "hong@example.kr";
	a.bylines[0].role = ROLE_REPORTER;
	a.nbylines = 1;
	a.display_byline = "";
	a.source_note = kind == KIND_PRESS_RELEASE ? "교육청 & <기관>" : "";
	/* A tag that reads like a kind must never pass for one. */
	a.tags[0] = "보도자료";
	a.tags[1] = "태그 & <b>" EMOJI;
	a.ntags = 2;
	a.published_at = 1764047000;   /* 2025-11-25T14:03:20+09:00 */
	a.updated_at = 1764050600;
	return a;
}

static const struct feeds_site test_site = {
	"봄내 & <일보>", "설명 ]]> " EMOJI, "https://ex.kr", "https://ex.kr/static/logo.png", "ko"
};

static const struct feeds_channel test_channel = {
	"봄내 & <일보>", "", "/", "/rss.xml", 1764050600
};

/* ---- generators ---- */

struct clean_case {
	const char *in;
	const char *xml;    /* feeds_xml output */
	const char *json;   /* feeds_jstr output, quotes included */
};

static const struct clean_case clean_cases[] = {
	{ "plain", "plain", "\"plain\"" },
	{ "a&b<c>\"d\"'e'", "a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;",
	    "\"a\\u0026b\\u003cc\\u003e\\\"d\\\"'e'\"" },
	{ "]]>", "]]&gt;", "\"]]\\u003e\"" },
	{ EMOJI JAMO, EMOJI JAMO, "\"" EMOJI JAMO "\"" },
	{ "a\xff" "b", "a" FFFD "b", "\"a" FFFD "b\"" },
	{ "\xc0\xaf", FFFD FFFD, "\"" FFFD FFFD "\"" },                 /* overlong '/' */
	{ "\xed\xa0\x80", FFFD FFFD FFFD, "\"" FFFD FFFD FFFD "\"" },    /* a surrogate */
	{ "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD, "\"" FFFD FFFD FFFD FFFD "\"" }, /* past U+10FFFF */
	{ "x\xe2\x82", "x" FFFD FFFD, "\"x" FFFD FFFD "\"" },           /* cut short */
	{ "\xef\xbf\xbe\xef\xbf\xbf|", "|", "\"\xef\xbf\xbe\xef\xbf\xbf|\"" }, /* U+FFFE, U+FFFF */
	{ "\x01t\tn\nr\r\x1f", "t\tn\nr\r", "\"\\u0001t\\tn\\nr\\r\\u001f\"" },
	{ "\xea\xb0\x80\xf0\x9f\x91\x8d\xc2\xa9", "\xea\xb0\x80\xf0\x9f\x91\x8d\xc2\xa9",
	    "\"\xea\xb0\x80\xf0\x9f\x91\x8d\xc2\xa9\"" },
	{ "", "", "\"\"" },
};

Test(feeds, escaping_survives_any_input)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof clean_cases / sizeof clean_cases[0]; i++) {
		buf_reset(&b);
		cr_assert_eq(feeds_xml(&b, clean_cases[i].in), BUF_OK);
		cr_expect_str_eq(b.p ? b.p : "", clean_cases[i].xml, "xml case %zu", i);
		buf_reset(&b);
		cr_assert_eq(feeds_jstr(&b, clean_cases[i].in), BUF_OK);
		cr_expect_str_eq(b.p, clean_cases[i].json, "json case %zu", i);
	}
	buf_reset(&b);
	feeds_xml(&b, NULL);
	cr_expect_eq(b.len, 0);
	buf_free(&b);
}

struct email_case {
	const char *s;
	int ok;
};

static const struct email_case email_cases[] = {
	{ "hong@example.kr", 1 },
	{ "a.b+c@sub.example.kr", 1 },
	{ "someone@byline.invalid", 0 },   /* the site's placeholder */
	{ "", 0 }, { NULL, 0 }, { "no-at", 0 }, { "@x.kr", 0 }, { "x@", 0 },
	{ "a@b@c", 0 }, { "a b@c.kr", 0 }, { "a<b>@c.kr", 0 }, { "a@c.kr)", 0 },
	{ "홍@example.kr", 0 }, { "a\n@c.kr", 0 },
};

Test(feeds, email_addresses_printed_only_when_sound)
{
	size_t i;

	for (i = 0; i < sizeof email_cases / sizeof email_cases[0]; i++)
		cr_expect_eq(feeds_email_ok(email_cases[i].s), email_cases[i].ok, "case %zu (%s)", i,
		    email_cases[i].s ? email_cases[i].s : "NULL");
}

Test(feeds, rss_round_trips_hostile_text)
{
	struct article items[2] = { hostile(4242, KIND_PRESS_RELEASE), hostile(4243, KIND_OWN) };
	struct arena a = ARENA_INIT;
	struct buf b = BUF_INIT, err = BUF_INIT;
	char *want = strip_c0(hostile_headline), *s;
	xmlDocPtr doc;

	cr_assert_eq(feeds_rss(&b, &a, &test_site, &test_channel, items, 2), BUF_OK);
	doc = xml_parse(b.p, b.len);
	cr_assert_not_null(doc, "RSS does not parse:\n%s", b.p);
	cr_expect_eq(xmllint(b.p, b.len, NULL, &err), 0, "%s", err.p);
	expect_xstr(doc, "봄내 & <일보>", "/rss/channel/title");
	expect_xstr(doc, "https://ex.kr/rss.xml", "/rss/channel/atom:link[@rel='self']/@href");
	cr_expect_eq(xcount(doc, "/rss/channel/item"), 2);
	expect_xstr(doc, want, "/rss/channel/item[1]/title");
	expect_xstr(doc, "https://ex.kr/articles/4242", "/rss/channel/item[1]/guid");
	expect_xstr(doc, "true", "/rss/channel/item[1]/guid/@isPermaLink");
	expect_xstr(doc, "https://ex.kr/articles/4242/slug%20with%20space", "/rss/channel/item[1]/link");
	expect_xstr(doc, "요약 & \"따옴표\" " JAMO " ]]>", "/rss/channel/item[1]/description");
	s = xstr(doc, "/rss/channel/item[1]/content:encoded");
	cr_expect(strstr(s, "<p>본문 ]]> 끝 " EMOJI "</p>") != NULL, "body in content:encoded: %s", s);
	cr_expect(strstr(s, "[뉴스출처 : 교육청 &amp; &lt;기관&gt;]") != NULL, "source line: %s", s);
	free(s);
	expect_xstr(doc, "hong@example.kr (홍길동 <테스트> 기자)", "/rss/channel/item[1]/author");
	expect_xstr(doc, "홍길동 <테스트> 기자", "/rss/channel/item[1]/dc:creator");
	expect_xstr(doc, "경제 & <시장>", "/rss/channel/item[1]/category[@domain='" FEEDS_SCHEME_SECTION "']");
	expect_xstr(doc, "보도자료", "/rss/channel/item[1]/category[@domain='" FEEDS_SCHEME_KIND "']");
	expect_xstr(doc, "Tue, 25 Nov 2025 14:03:20 +0900", "/rss/channel/item[1]/pubDate");
	/* The own article with the tag "보도자료" is not a press release. */
	expect_xstr(doc, "자체기사", "/rss/channel/item[2]/category[@domain='" FEEDS_SCHEME_KIND "']");
	cr_expect_eq(xcount(doc, "//item[2]/category[.='보도자료']"), 0);
	xmlFreeDoc(doc);
	free(want);
	buf_free(&b);
	buf_free(&err);
	arena_free(&a);
}

Test(feeds, atom_round_trips_hostile_text)
{
	struct article items[2] = { hostile(4242, KIND_PRESS_RELEASE), hostile(4243, KIND_CONTRIBUTION) };
	struct arena a = ARENA_INIT;
	struct buf b = BUF_INIT, err = BUF_INIT;
	char *want = strip_c0(hostile_headline), *s;
	xmlDocPtr doc;

	cr_assert_eq(feeds_atom(&b, &a, &test_site, &test_channel, items, 2), BUF_OK);
	doc = xml_parse(b.p, b.len);
	cr_assert_not_null(doc, "Atom does not parse:\n%s", b.p);
	cr_expect_eq(xmllint(b.p, b.len, NULL, &err), 0, "%s", err.p);
	expect_xstr(doc, "https://ex.kr/rss.xml", "/atom:feed/atom:id");
	expect_xstr(doc, "2025-11-25T15:03:20+09:00", "/atom:feed/atom:updated");
	cr_expect_eq(xcount(doc, "/atom:feed/atom:entry"), 2);
	expect_xstr(doc, want, "/atom:feed/atom:entry[1]/atom:title");
	expect_xstr(doc, "https://ex.kr/articles/4242", "/atom:feed/atom:entry[1]/atom:id");
	expect_xstr(doc, "https://ex.kr/articles/4242/slug%20with%20space",
	    "/atom:feed/atom:entry[1]/atom:link[@rel='alternate']/@href");
	expect_xstr(doc, "2025-11-25T14:03:20+09:00", "/atom:feed/atom:entry[1]/atom:published");
	expect_xstr(doc, "2025-11-25T15:03:20+09:00", "/atom:feed/atom:entry[1]/atom:updated");
	expect_xstr(doc, "보도자료", "/atom:feed/atom:entry[1]/atom:category[@scheme='" FEEDS_SCHEME_KIND "']/@term");
	expect_xstr(doc, "기고", "/atom:feed/atom:entry[2]/atom:category[@scheme='" FEEDS_SCHEME_KIND "']/@term");
	expect_xstr(doc, "hong@example.kr", "/atom:feed/atom:entry[1]/atom:author/atom:email");
	expect_xstr(doc, "https://ex.kr/reporters/3", "/atom:feed/atom:entry[1]/atom:author/atom:uri");
	s = xstr(doc, "/atom:feed/atom:entry[1]/atom:content[@type='html']");
	cr_expect(strstr(s, "<p>본문 ]]> 끝 " EMOJI "</p>") != NULL, "content: %s", s);
	free(s);
	xmlFreeDoc(doc);
	free(want);
	buf_free(&b);
	buf_free(&err);
	arena_free(&a);
}

Test(feeds, json_feed_round_trips_hostile_text)
{
	struct article items[2] = { hostile(4242, KIND_PRESS_RELEASE), hostile(4243, KIND_OWN) };
	struct arena a = ARENA_INIT;
	struct buf b = BUF_INIT;
	json_error_t jerr;
	json_t *root, *it, *tags;
	size_t i;
	int press;

	cr_assert_eq(feeds_json(&b, &a, &test_site, &test_channel, items, 2), BUF_OK);
	root = json_loadb(b.p, b.len, 0, &jerr);
	cr_assert_not_null(root, "JSON Feed does not parse: %s\n%s", jerr.text, b.p);
	cr_expect_str_eq(json_string_value(json_object_get(root, "version")), "https://jsonfeed.org/version/1.1");
	cr_expect_str_eq(json_string_value(json_object_get(root, "title")), "봄내 & <일보>");
	cr_expect_str_eq(json_string_value(json_object_get(root, "feed_url")), "https://ex.kr/rss.xml");
	cr_assert_eq(json_array_size(json_object_get(root, "items")), 2);
	it = json_array_get(json_object_get(root, "items"), 0);
	/* JSON carries control characters escaped: nothing is lost. */
	cr_expect_str_eq(json_string_value(json_object_get(it, "title")), hostile_headline);
	cr_expect_str_eq(json_string_value(json_object_get(it, "id")), "https://ex.kr/articles/4242");
	cr_expect_str_eq(json_string_value(json_object_get(it, "url")),
	    "https://ex.kr/articles/4242/slug%20with%20space");
	cr_expect_str_eq(json_string_value(json_object_get(it, "date_published")), "2025-11-25T14:03:20+09:00");
	cr_expect_str_eq(json_string_value(json_object_get(it, "date_modified")), "2025-11-25T15:03:20+09:00");
	cr_expect(strstr(json_string_value(json_object_get(it, "content_html")), "]]> 끝 " EMOJI) != NULL);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(it, "_sinmun"), "kind")),
	    "press-release");
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(it, "_sinmun"), "source_note")),
	    "교육청 & <기관>");
	for (i = 0; i < 2; i++) {
		it = json_array_get(json_object_get(root, "items"), i);
		tags = json_object_get(it, "tags");
		press = 0;
		for (size_t k = 0; k < json_array_size(tags); k++)
			press |= strcmp(json_string_value(json_array_get(tags, k)), "보도자료") == 0;
		cr_expect_eq(press, i == 0, "item %zu: 보도자료 in tags only for the press release", i);
	}
	cr_expect_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(
	    json_array_get(json_object_get(root, "items"), 1), "_sinmun"), "tags"), 1)), "태그 & <b>" EMOJI);
	json_decref(root);
	buf_free(&b);
	arena_free(&a);
}

Test(feeds, jsonld_cannot_close_its_script_element)
{
	struct article art = hostile(4242, KIND_PRESS_RELEASE), ad = hostile(4244, KIND_ADVERTORIAL);
	struct buf b = BUF_INIT;
	json_error_t jerr;
	json_t *root, *author, *pub;

	cr_assert_eq(feeds_jsonld_article(&b, &test_site, &art), BUF_OK);
	cr_expect_null(memchr(b.p, '<', b.len), "a < in JSON-LD: %s", b.p);
	cr_expect_null(memchr(b.p, '>', b.len));
	root = json_loadb(b.p, b.len, 0, &jerr);
	cr_assert_not_null(root, "JSON-LD does not parse: %s\n%s", jerr.text, b.p);
	cr_expect_str_eq(json_string_value(json_object_get(root, "@context")), "https://schema.org");
	cr_expect_str_eq(json_string_value(json_object_get(root, "@type")), "NewsArticle");
	cr_expect_str_eq(json_string_value(json_object_get(root, "headline")), hostile_headline);
	cr_expect_str_eq(json_string_value(json_object_get(root, "alternativeHeadline")),
	    "부제 ]]> </script><script>alert(1)</script>");
	cr_expect_str_eq(json_string_value(json_object_get(root, "datePublished")), "2025-11-25T14:03:20+09:00");
	cr_expect_str_eq(json_string_value(json_object_get(root, "dateModified")), "2025-11-25T15:03:20+09:00");
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(root, "mainEntityOfPage"), "@id")),
	    "https://ex.kr/articles/4242/slug%20with%20space");
	author = json_array_get(json_object_get(root, "author"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(author, "@type")), "Person");
	cr_expect_str_eq(json_string_value(json_object_get(author, "name")), "홍길동 <테스트>");
	cr_expect_str_eq(json_string_value(json_object_get(author, "url")), "https://ex.kr/reporters/3");
	pub = json_object_get(root, "publisher");
	cr_expect_str_eq(json_string_value(json_object_get(pub, "@type")), "NewsMediaOrganization");
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(pub, "logo"), "url")),
	    "https://ex.kr/static/logo.png");
	cr_expect_str_eq(json_string_value(json_object_get(root, "genre")), "보도자료");
	cr_expect_eq(json_array_size(json_object_get(root, "keywords")), 2);
	cr_expect(json_is_true(json_object_get(root, "isAccessibleForFree")));
	json_decref(root);

	buf_reset(&b);
	cr_assert_eq(feeds_jsonld_article(&b, &test_site, &ad), BUF_OK);
	root = json_loadb(b.p, b.len, 0, &jerr);
	cr_assert_not_null(root);
	cr_expect_str_eq(json_string_value(json_object_get(root, "@type")), "AdvertiserContentArticle");
	json_decref(root);

	buf_reset(&b);
	cr_assert_eq(feeds_jsonld_website(&b, &test_site), BUF_OK);
	cr_expect_null(memchr(b.p, '<', b.len));
	root = json_loadb(b.p, b.len, 0, &jerr);
	cr_assert_not_null(root, "%s", jerr.text);
	cr_expect_str_eq(json_string_value(json_object_get(root, "@type")), "WebSite");
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(root,
	    "potentialAction"), "target"), "urlTemplate")), "https://ex.kr/search?q={search_term_string}");
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(root, "potentialAction"),
	    "query-input")), "required name=search_term_string");
	json_decref(root);
	buf_free(&b);
}

Test(feeds, sitemaps_validate)
{
	struct article_stub stubs[2] = {
		{ 10, "a&b", "제목", 1764047000, 1764050600 },
		{ 11, "", "제목", 1764047000, 0 },
	};
	struct feeds_loc locs[2] = { { "/sitemaps/2025-11.xml", 1764047000 }, { "/sitemaps/sections.xml", 0 } };
	struct article news = hostile(4242, KIND_OWN);
	struct buf b = BUF_INIT, err = BUF_INIT;
	xmlDocPtr doc;

	cr_assert_eq(feeds_sitemap_articles(&b, &test_site, stubs, 2), BUF_OK);
	cr_expect_eq(xmllint(b.p, b.len, XSD_URLS, &err), 0, "%s\n%s", err.p, b.p);
	cr_expect(strstr(b.p, "<loc>https://ex.kr/articles/10/a%26b</loc>"
	    "<lastmod>2025-11-25T15:03:20+09:00</lastmod>") != NULL, "%s", b.p);
	cr_expect(strstr(b.p, "<loc>https://ex.kr/articles/11</loc><lastmod>2025-11-25T14:03:20+09:00</lastmod>")
	    != NULL, "%s", b.p);
	buf_reset(&b);
	cr_assert_eq(feeds_sitemap_pages(&b, &test_site, locs, 2), BUF_OK);
	cr_expect_eq(xmllint(b.p, b.len, XSD_URLS, &err), 0, "%s\n%s", err.p, b.p);
	buf_reset(&b);
	cr_assert_eq(feeds_sitemap_index(&b, &test_site, locs, 2), BUF_OK);
	cr_expect_eq(xmllint(b.p, b.len, XSD_INDEX, &err), 0, "%s\n%s", err.p, b.p);
	buf_reset(&b);
	cr_assert_eq(feeds_news_sitemap(&b, &test_site, &news, 1), BUF_OK);
	cr_expect_eq(xmllint(b.p, b.len, NULL, &err), 0, "%s\n%s", err.p, b.p);
	doc = xml_parse(b.p, b.len);
	cr_assert_not_null(doc);
	expect_xstr(doc, "봄내 & <일보>", "/sm:urlset/sm:url/news:news/news:publication/news:name");
	expect_xstr(doc, "ko", "/sm:urlset/sm:url/news:news/news:publication/news:language");
	expect_xstr(doc, "2025-11-25T14:03:20+09:00", "/sm:urlset/sm:url/news:news/news:publication_date");
	{
		char *want = strip_c0(hostile_headline);

		expect_xstr(doc, want, "/sm:urlset/sm:url/news:news/news:title");
		free(want);
	}
	xmlFreeDoc(doc);
	buf_free(&b);
	buf_free(&err);
}

Test(feeds, a_full_buffer_is_reported)
{
	struct article items[1] = { hostile(4242, KIND_OWN) };
	struct arena a = ARENA_INIT;
	struct buf b;

	buf_init(&b, 200);
	cr_expect_eq(feeds_rss(&b, &a, &test_site, &test_channel, items, 1), BUF_EFULL);
	buf_reset(&b);
	cr_expect_eq(feeds_atom(&b, &a, &test_site, &test_channel, items, 1), BUF_EFULL);
	buf_reset(&b);
	cr_expect_eq(feeds_json(&b, &a, &test_site, &test_channel, items, 1), BUF_EFULL);
	buf_reset(&b);
	cr_expect_eq(feeds_jsonld_article(&b, &test_site, &items[0]), BUF_EFULL);
	buf_free(&b);
	arena_free(&a);
}

Test(feeds, csv_quotes_and_disarms_formulas)
{
	struct arena a = ARENA_INIT;
	struct buf b = BUF_INIT;
	struct article art = hostile(4242, KIND_PRESS_RELEASE);

	cr_assert_eq(feeds_csv_header(&b), BUF_OK);
	cr_expect_str_eq(b.p, "\xef\xbb\xbf링크,제목,기자,입력시간,섹션,구분\r\n");
	buf_reset(&b);
	art.headline = "쉼표, \"따옴표\"\n둘째 줄";
	art.slug = "";
	cr_assert_eq(feeds_csv_row(&b, &a, &test_site, &art), BUF_OK);
	cr_expect_str_eq(b.p, "https://ex.kr/articles/4242,\"쉼표, \"\"따옴표\"\"\n둘째 줄\","
	    "홍길동 <테스트> 기자,2025-11-25 14:03,경제 & <시장>,보도자료\r\n");
	buf_reset(&b);
	art.headline = "=HYPERLINK(\"http://x\")";
	art.kind = KIND_ADVERTORIAL;
	cr_assert_eq(feeds_csv_row(&b, &a, &test_site, &art), BUF_OK);
	cr_expect(strstr(b.p, ",\"'=HYPERLINK(\"\"http://x\"\")\",") != NULL, "%s", b.p);
	cr_expect(strstr(b.p, ",광고성 기사\r\n") != NULL, "%s", b.p);
	buf_reset(&b);
	art.headline = "-1+2 @x \xff";
	cr_assert_eq(feeds_csv_row(&b, &a, &test_site, &art), BUF_OK);
	cr_expect(strstr(b.p, ",\"'-1+2 @x " FFFD "\",") != NULL, "%s", b.p);
	buf_free(&b);
	arena_free(&a);
}

/* ---- the real server ---- */

static struct test_server srv;
static char dbpath[128];

static void
start(void)
{
	const char *extra[] = { "--demo", NULL };

	tu_tmp_path(dbpath, sizeof dbpath, ".db");
	cr_assert_eq(tu_server_start(&srv, dbpath, extra), 0, "server did not start (binary %s)", tu_bin());
}

static void
stop(void)
{
	tu_server_stop(&srv);
	tu_rm_db(dbpath);
}

struct url_case {
	const char *path;
	int         status;
	const char *type;      /* content-type prefix for 200 */
	const char *schema;    /* xmllint --schema for 200, NULL = well-formed only; "json" = JSON */
};

#define T_RSS  "application/rss+xml; charset=utf-8"
#define T_ATOM "application/atom+xml; charset=utf-8"
#define T_JSON "application/feed+json; charset=utf-8"
#define T_XML  "application/xml; charset=utf-8"

static const struct url_case url_cases[] = {
	{ "/rss.xml", 200, T_RSS, NULL },
	{ "/atom.xml", 200, T_ATOM, NULL },
	{ "/feed.json", 200, T_JSON, "json" },
	{ "/rss/press.xml", 200, T_RSS, NULL },
	{ "/sections/economy/rss.xml", 200, T_RSS, NULL },
	{ "/sections/social-economy/rss.xml", 200, T_RSS, NULL },
	{ "/reporters/3/rss.xml", 200, T_RSS, NULL },
	{ "/reporters/9/rss.xml", 200, T_RSS, NULL },                /* a contributor */
	{ "/tags/%EC%98%88%EC%82%B0%EC%95%88/rss.xml", 200, T_RSS, NULL },   /* 예산안 */
	{ "/tags/K-%ED%91%B8%EB%93%9C/rss.xml", 200, T_RSS, NULL },         /* K-푸드 */
	{ "/sitemap.xml", 200, T_XML, XSD_INDEX },
	{ "/sitemaps/sections.xml", 200, T_XML, XSD_URLS },
	{ "/sitemaps/reporters.xml", 200, T_XML, XSD_URLS },
	{ "/news-sitemap.xml", 200, T_XML, NULL },
	/* Unknown and malformed names. */
	{ "/sections/nosuch/rss.xml", 404, NULL, NULL },
	{ "/sections/eco%2Fnomy/rss.xml", 404, NULL, NULL },
	{ "/sections/%01/rss.xml", 404, NULL, NULL },
	{ "/sections//rss.xml", 404, NULL, NULL },
	{ "/sections/economy/rss.xml/", 404, NULL, NULL },
	{ "/sections/economy/atom.xml", 404, NULL, NULL },
	{ "/reporters/999/rss.xml", 404, NULL, NULL },
	{ "/reporters/0/rss.xml", 404, NULL, NULL },
	{ "/reporters/-1/rss.xml", 404, NULL, NULL },
	{ "/reporters/3x/rss.xml", 404, NULL, NULL },
	{ "/reporters/1234567890123456/rss.xml", 404, NULL, NULL },
	{ "/tags/%EC%97%86%EB%8A%94%ED%83%9C%EA%B7%B8/rss.xml", 404, NULL, NULL },   /* 없는태그 */
	{ "/tags/%3Cscript%3E/rss.xml", 404, NULL, NULL },
	{ "/tags/%FF/rss.xml", 400, NULL, NULL },
	{ "/tags/a%2Fb/rss.xml", 404, NULL, NULL },
	{ "/sitemaps/2025-13.xml", 404, NULL, NULL },
	{ "/sitemaps/2025-00.xml", 404, NULL, NULL },
	{ "/sitemaps/2025-1.xml", 404, NULL, NULL },
	{ "/sitemaps/25-11.xml", 404, NULL, NULL },
	{ "/sitemaps/1999-01.xml", 404, NULL, NULL },
	{ "/sitemaps/0000-01.xml", 404, NULL, NULL },
	{ "/sitemaps/abcd-ef.xml", 404, NULL, NULL },
	{ "/sitemaps/2025-11-0.xml", 404, NULL, NULL },
	{ "/sitemaps/2025-11-1.xml", 404, NULL, NULL },
	{ "/sitemaps/2025-11-02.xml", 404, NULL, NULL },
	{ "/sitemaps/2025-11-99999999.xml", 404, NULL, NULL },
	{ "/sitemaps/.xml", 404, NULL, NULL },
	{ "/sitemaps/sections", 404, NULL, NULL },
	{ "/rss/other.xml", 404, NULL, NULL },
};

Test(feeds_http, every_url_answers, .init = start, .fini = stop, .timeout = 120)
{
	struct tu_response r, h;
	struct buf err = BUF_INIT;
	char v[256], etag[128];
	size_t i;

	for (i = 0; i < sizeof url_cases / sizeof url_cases[0]; i++) {
		const struct url_case *u = &url_cases[i];

		get(srv.port, u->path, NULL, &r);
		cr_expect_eq(r.status, u->status, "%s: status %ld, want %d", u->path, r.status, u->status);
		if (u->status != 200 || r.status != 200) {
			tu_response_free(&r);
			continue;
		}
		header(&r, "content-type", v, sizeof v);
		cr_expect_str_eq(v, u->type, "%s content type", u->path);
		header(&r, "etag", etag, sizeof etag);
		cr_expect(strlen(etag) == 34 && etag[0] == '"' && etag[33] == '"', "%s: strong ETag, got '%s'",
		    u->path, etag);
		header(&r, "cache-control", v, sizeof v);
		cr_expect(strstr(v, "no-cache") != NULL, "%s: Cache-Control %s", u->path, v);
		header(&r, "last-modified", v, sizeof v);
		cr_expect(strcmp(u->path, "/news-sitemap.xml") == 0 ? v[0] == '\0' :
		    strstr(v, " GMT") != NULL, "%s: Last-Modified '%s'", u->path, v);
		if (u->schema && strcmp(u->schema, "json") == 0) {
			json_error_t jerr;
			json_t *j = json_loadb(r.body.p, r.body.len, 0, &jerr);

			cr_expect_not_null(j, "%s: %s", u->path, jerr.text);
			json_decref(j);
		} else {
			cr_expect_eq(xmllint(r.body.p, r.body.len, NULL, &err), 0, "%s: %s", u->path, err.p);
			if (u->schema)
				cr_expect_eq(xmllint(r.body.p, r.body.len, u->schema, &err), 0, "%s: %s",
				    u->path, err.p);
		}
		/* HEAD: the same headers, no body. */
		cr_assert_eq(tu_http(srv.port, "HEAD", u->path, NULL, NULL, 0, &h), 0);
		cr_expect_eq(h.status, 200, "HEAD %s", u->path);
		cr_expect_eq(h.body.len, 0);
		cr_expect(tu_header_has(&h, "etag", etag), "HEAD %s: same ETag", u->path);
		tu_response_free(&h);
		/* Other methods: 405 with Allow. */
		cr_assert_eq(tu_http(srv.port, "POST", u->path, NULL, "x", 1, &h), 0);
		cr_expect_eq(h.status, 405, "POST %s", u->path);
		cr_expect(tu_header_has(&h, "allow", "GET"), "POST %s: Allow", u->path);
		tu_response_free(&h);
		tu_response_free(&r);
	}
	buf_free(&err);
}

/* Every monthly sitemap the index names validates against the schema. */
Test(feeds_http, monthly_sitemaps_validate, .init = start, .fini = stop, .timeout = 120)
{
	struct tu_response r, m;
	struct buf err = BUF_INIT;
	xmlDocPtr doc;
	long n, i, urls = 0;
	char *loc;

	get(srv.port, "/sitemap.xml", NULL, &r);
	doc = xml_parse(r.body.p, r.body.len);
	cr_assert_not_null(doc);
	n = xcount(doc, "/sm:sitemapindex/sm:sitemap");
	cr_expect_geq(n, 3, "sections, reporters and at least one month");
	for (i = 1; i <= n; i++) {
		char *lastmod = xstr(doc, "/sm:sitemapindex/sm:sitemap[%ld]/sm:lastmod", i);

		loc = xstr(doc, "/sm:sitemapindex/sm:sitemap[%ld]/sm:loc", i);
		cr_assert(strncmp(loc, BASE "/sitemaps/", strlen(BASE "/sitemaps/")) == 0, "%s", loc);
		cr_expect(strlen(lastmod) == 25 && strcmp(lastmod + 19, "+09:00") == 0, "lastmod %s", lastmod);
		get(srv.port, loc + strlen(BASE), NULL, &m);
		cr_expect_eq(m.status, 200, "%s", loc);
		cr_expect_eq(xmllint(m.body.p, m.body.len, XSD_URLS, &err), 0, "%s: %s", loc, err.p);
		if (strstr(loc, "/sitemaps/2") != NULL) {
			xmlDocPtr md = xml_parse(m.body.p, m.body.len);

			cr_assert_not_null(md);
			urls += xcount(md, "/sm:urlset/sm:url");
			cr_expect_eq(xcount(md, "/sm:urlset/sm:url[not(sm:lastmod)]"), 0);
			xmlFreeDoc(md);
			for (long id = 1049; id <= 1051; id++)
				cr_expect(!mentions(m.body.p, id), "%s lists unpublished %ld", loc, id);
		}
		free(loc);
		free(lastmod);
		tu_response_free(&m);
	}
	cr_expect_eq(urls, 48, "every published article is in exactly one monthly sitemap");
	xmlFreeDoc(doc);
	tu_response_free(&r);
	buf_free(&err);
}

static const long press_ids[] = { 1004, 1008, 1013, 1016, 1017, 1024, 1027, 1038 };

Test(feeds_http, rss_marks_every_kind, .init = start, .fini = stop, .timeout = 60)
{
	struct tu_response r;
	xmlDocPtr doc;
	char *s;
	size_t i;

	get(srv.port, "/rss.xml", NULL, &r);
	doc = xml_parse(r.body.p, r.body.len);
	cr_assert_not_null(doc);
	cr_expect_eq(xcount(doc, "/rss/channel/item"), 48, "all 48 published articles (at most 50)");
	expect_xstr(doc, "봄내일보", "/rss/channel/title");
	expect_xstr(doc, BASE "/", "/rss/channel/link");
	expect_xstr(doc, "ko", "/rss/channel/language");
	for (long id = 1049; id <= 1051; id++)
		cr_expect(!mentions(r.body.p, id), "RSS lists unpublished %ld", id);
	for (i = 0; i < sizeof press_ids / sizeof press_ids[0]; i++)
		expect_xstr(doc, "보도자료", "//item[guid='" BASE "/articles/%ld']/category[@domain='"
		    FEEDS_SCHEME_KIND "']", press_ids[i]);
	expect_xstr(doc, "기고", "//item[guid='" BASE "/articles/1021']/category[@domain='" FEEDS_SCHEME_KIND "']");
	expect_xstr(doc, "광고성 기사", "//item[guid='" BASE "/articles/1041']/category[@domain='"
	    FEEDS_SCHEME_KIND "']");
	expect_xstr(doc, "자체기사", "//item[guid='" BASE "/articles/1001']/category[@domain='"
	    FEEDS_SCHEME_KIND "']");
	expect_xstr(doc, "정치", "//item[guid='" BASE "/articles/1001']/category[@domain='"
	    FEEDS_SCHEME_SECTION "']");
	expect_xstr(doc, "minseok.choi@bomnae.example.kr (최민석 기자)",
	    "//item[guid='" BASE "/articles/1001']/author");
	expect_xstr(doc, "doyoon.kang@bomnae.example.kr (봄내일보 기자)",
	    "//item[guid='" BASE "/articles/1004']/author");
	expect_xstr(doc, "true", "//item[guid='" BASE "/articles/1001']/guid/@isPermaLink");
	s = xstr(doc, "//item[guid='" BASE "/articles/1004']/content:encoded");
	cr_expect(strstr(s, "[뉴스출처 : 강원특별자치도교육청]") != NULL, "the source line of a press release");
	free(s);
	s = xstr(doc, "//item[1]/pubDate");
	cr_expect(strlen(s) == 31 && strcmp(s + 25, " +0900") == 0, "pubDate %s", s);
	free(s);
	cr_expect_eq(xcount(doc, "//item[not(guid) or not(link) or not(description) or not(content:encoded) "
	    "or not(pubDate) or not(title)]"), 0);
	xmlFreeDoc(doc);
	tu_response_free(&r);

	/* /rss/press.xml: the press releases and nothing else. */
	get(srv.port, "/rss/press.xml", NULL, &r);
	doc = xml_parse(r.body.p, r.body.len);
	cr_assert_not_null(doc);
	cr_expect_eq(xcount(doc, "/rss/channel/item"), (long)(sizeof press_ids / sizeof press_ids[0]));
	cr_expect_eq(xcount(doc, "/rss/channel/item[category[@domain='" FEEDS_SCHEME_KIND "']='보도자료']"),
	    (long)(sizeof press_ids / sizeof press_ids[0]));
	expect_xstr(doc, BASE "/rss/press.xml", "/rss/channel/atom:link[@rel='self']/@href");
	xmlFreeDoc(doc);
	tu_response_free(&r);

	/* A section feed has that section's articles only. */
	get(srv.port, "/sections/economy/rss.xml", NULL, &r);
	doc = xml_parse(r.body.p, r.body.len);
	cr_assert_not_null(doc);
	cr_expect_gt(xcount(doc, "/rss/channel/item"), 0);
	cr_expect_eq(xcount(doc, "/rss/channel/item[category[@domain='" FEEDS_SCHEME_SECTION "']!='경제']"), 0);
	expect_xstr(doc, BASE "/sections/economy", "/rss/channel/link");
	xmlFreeDoc(doc);
	tu_response_free(&r);

	/* A reporter's: 최민석 wrote 1001 1008 1015 1023 1035 1043 1048. */
	get(srv.port, "/reporters/3/rss.xml", NULL, &r);
	doc = xml_parse(r.body.p, r.body.len);
	cr_assert_not_null(doc);
	cr_expect_eq(xcount(doc, "/rss/channel/item"), 7);
	expect_xstr(doc, "봄내일보 : 최민석 기자", "/rss/channel/title");
	xmlFreeDoc(doc);
	tu_response_free(&r);

	/* A tag's: 예산안 is on 1001 and 1007. */
	get(srv.port, "/tags/%EC%98%88%EC%82%B0%EC%95%88/rss.xml", NULL, &r);
	doc = xml_parse(r.body.p, r.body.len);
	cr_assert_not_null(doc);
	cr_expect_eq(xcount(doc, "/rss/channel/item"), 2);
	cr_expect_eq(xcount(doc, "//item[guid='" BASE "/articles/1001' or guid='" BASE "/articles/1007']"), 2);
	expect_xstr(doc, BASE "/tags/%EC%98%88%EC%82%B0%EC%95%88/rss.xml",
	    "/rss/channel/atom:link[@rel='self']/@href");
	xmlFreeDoc(doc);
	tu_response_free(&r);
}

Test(feeds_http, atom_and_json_feed_carry_the_same, .init = start, .fini = stop, .timeout = 60)
{
	struct tu_response r;
	json_error_t jerr;
	json_t *root, *items, *it, *tags;
	xmlDocPtr doc;
	size_t i, k;
	int seen_press = 0;

	get(srv.port, "/atom.xml", NULL, &r);
	doc = xml_parse(r.body.p, r.body.len);
	cr_assert_not_null(doc);
	cr_expect_eq(xcount(doc, "/atom:feed/atom:entry"), 48);
	expect_xstr(doc, BASE "/atom.xml", "/atom:feed/atom:id");
	expect_xstr(doc, "보도자료", "//atom:entry[atom:id='" BASE "/articles/1004']/atom:category[@scheme='"
	    FEEDS_SCHEME_KIND "']/@term");
	expect_xstr(doc, "봄내일보 기자", "//atom:entry[atom:id='" BASE "/articles/1004']/atom:author/atom:name");
	cr_expect_eq(xcount(doc, "//atom:entry[not(atom:id) or not(atom:title) or not(atom:updated) or "
	    "not(atom:published) or not(atom:link[@rel='alternate']) or not(atom:content) or "
	    "not(atom:summary)]"), 0);
	for (long id = 1049; id <= 1051; id++)
		cr_expect(!mentions(r.body.p, id), "Atom lists unpublished %ld", id);
	xmlFreeDoc(doc);
	tu_response_free(&r);

	get(srv.port, "/feed.json", NULL, &r);
	root = json_loadb(r.body.p, r.body.len, 0, &jerr);
	cr_assert_not_null(root, "%s", jerr.text);
	cr_expect_str_eq(json_string_value(json_object_get(root, "version")), "https://jsonfeed.org/version/1.1");
	cr_expect_str_eq(json_string_value(json_object_get(root, "title")), "봄내일보");
	cr_expect_str_eq(json_string_value(json_object_get(root, "home_page_url")), BASE "/");
	cr_expect_str_eq(json_string_value(json_object_get(root, "feed_url")), BASE "/feed.json");
	items = json_object_get(root, "items");
	cr_assert_eq(json_array_size(items), 48);
	json_array_foreach(items, i, it) {
		const char *id = json_string_value(json_object_get(it, "id"));
		const char *kind = json_string_value(json_object_get(json_object_get(it, "_sinmun"), "kind"));
		int tagged = 0;

		cr_assert_not_null(id);
		cr_expect(strncmp(id, BASE "/articles/", strlen(BASE "/articles/")) == 0, "id %s", id);
		cr_expect_not_null(json_string_value(json_object_get(it, "url")));
		cr_expect_not_null(json_string_value(json_object_get(it, "title")));
		cr_expect_not_null(json_string_value(json_object_get(it, "content_html")));
		cr_expect_not_null(json_string_value(json_object_get(it, "summary")));
		cr_expect(strstr(json_string_value(json_object_get(it, "date_published")), "+09:00") != NULL);
		cr_expect_not_null(json_string_value(json_object_get(it, "date_modified")));
		cr_assert_not_null(kind, "every item has _sinmun.kind");
		tags = json_object_get(it, "tags");
		for (k = 0; k < json_array_size(tags); k++)
			tagged |= strcmp(json_string_value(json_array_get(tags, k)), "보도자료") == 0;
		cr_expect_eq(tagged, strcmp(kind, "press-release") == 0, "%s: 보도자료 tag iff press release", id);
		seen_press += strcmp(kind, "press-release") == 0;
	}
	cr_expect_eq(seen_press, (int)(sizeof press_ids / sizeof press_ids[0]));
	json_decref(root);
	tu_response_free(&r);
}

Test(feeds_http, news_sitemap, .init = start, .fini = stop, .timeout = 60)
{
	struct tu_response r;
	struct buf err = BUF_INIT;
	xmlDocPtr doc;
	long n, i;
	time_t now = time(NULL), t;

	get(srv.port, "/news-sitemap.xml", NULL, &r);
	cr_assert_eq(r.status, 200);
	cr_expect_eq(xmllint(r.body.p, r.body.len, NULL, &err), 0, "%s", err.p);
	doc = xml_parse(r.body.p, r.body.len);
	cr_assert_not_null(doc);
	n = xcount(doc, "/sm:urlset/sm:url");
	cr_expect(n >= 1 && n <= 1000, "%ld URLs", n);
	cr_expect_eq(xcount(doc, "/sm:urlset/sm:url[not(news:news/news:publication/news:name) or "
	    "not(news:news/news:publication/news:language) or not(news:news/news:publication_date) or "
	    "not(news:news/news:title)]"), 0);
	cr_expect_eq(xcount(doc, "//news:name[.!='봄내일보']"), 0);
	cr_expect_eq(xcount(doc, "//news:language[.!='ko']"), 0);
	for (i = 1; i <= n; i++) {
		char *d = xstr(doc, "/sm:urlset/sm:url[%ld]/news:news/news:publication_date", i);

		cr_assert_eq(kdate_parse(d, strlen(d), &t), 0, "date %s", d);
		cr_expect(strstr(d, "+09:00") != NULL);
		cr_expect(t >= now - 48 * 3600 - 5 && t <= now + 5, "%s is not within 48 hours", d);
		free(d);
	}
	/* The advertorial 1041 is recent but stays out; so do drafts. */
	cr_expect(!mentions(r.body.p, 1041));
	for (long id = 1049; id <= 1051; id++)
		cr_expect(!mentions(r.body.p, id));
	xmlFreeDoc(doc);
	tu_response_free(&r);
	buf_free(&err);
}

/* The text of the page's JSON-LD block, parsed. */
static json_t *
page_jsonld(const char *html)
{
	static const char open[] = "<script type=\"application/ld+json\">";
	const char *p = strstr(html, open), *e;
	json_error_t jerr;
	json_t *j;

	cr_assert_not_null(p, "no JSON-LD block");
	p += sizeof open - 1;
	e = strstr(p, "</script>");
	cr_assert_not_null(e);
	j = json_loadb(p, (size_t)(e - p), 0, &jerr);
	cr_assert_not_null(j, "JSON-LD does not parse: %s", jerr.text);
	return j;
}

Test(feeds_http, article_and_front_structured_data, .init = start, .fini = stop, .timeout = 60)
{
	struct tu_response r;
	json_t *j, *a;
	const char *req[] = { "headline", "description", "datePublished", "dateModified", "author", "publisher",
		"mainEntityOfPage", "articleSection", "keywords", "isAccessibleForFree", NULL };
	int i;

	get(srv.port, "/articles/1001", NULL, &r);
	cr_assert_eq(r.status, 200);
	j = page_jsonld(r.body.p);
	cr_expect_str_eq(json_string_value(json_object_get(j, "@type")), "NewsArticle");
	for (i = 0; req[i]; i++)
		cr_expect_not_null(json_object_get(j, req[i]), "NewsArticle lacks %s", req[i]);
	cr_expect_str_eq(json_string_value(json_object_get(j, "alternativeHeadline")), "다음달 16일까지 29일간 일정");
	cr_expect_str_eq(json_string_value(json_object_get(j, "articleSection")), "정치");
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(j, "mainEntityOfPage"), "@id")),
	    BASE "/articles/1001");
	a = json_array_get(json_object_get(j, "author"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(a, "@type")), "Person");
	cr_expect_str_eq(json_string_value(json_object_get(a, "name")), "최민석");
	cr_expect_str_eq(json_string_value(json_object_get(a, "url")), BASE "/reporters/3");
	a = json_object_get(j, "publisher");
	cr_expect_str_eq(json_string_value(json_object_get(a, "@type")), "NewsMediaOrganization");
	cr_expect_str_eq(json_string_value(json_object_get(a, "name")), "봄내일보");
	cr_expect_not_null(json_string_value(json_object_get(json_object_get(a, "logo"), "url")));
	cr_expect(json_is_true(json_object_get(j, "isAccessibleForFree")));
	cr_expect(strstr(json_string_value(json_object_get(j, "datePublished")), "+09:00") != NULL);
	json_decref(j);
	cr_expect(strstr(r.body.p, "<link rel=\"canonical\" href=\"" BASE "/articles/1001\">") != NULL);
	cr_expect(strstr(r.body.p, "<meta property=\"og:type\" content=\"article\">") != NULL);
	cr_expect(strstr(r.body.p, "<meta property=\"article:published_time\" content=\"") != NULL);
	cr_expect(strstr(r.body.p, "<meta property=\"article:section\" content=\"정치\">") != NULL);
	cr_expect(strstr(r.body.p, "<meta property=\"article:tag\" content=\"예산안\">") != NULL);
	cr_expect(strstr(r.body.p, "<meta name=\"twitter:card\" content=\"summary\">") != NULL);
	cr_expect(strstr(r.body.p, "<meta name=\"twitter:title\" content=\"") != NULL);
	cr_expect(strstr(r.body.p, "<meta name=\"twitter:description\" content=\"") != NULL);
	cr_expect(strstr(r.body.p, "<link rel=\"alternate\" type=\"application/rss+xml\"") != NULL);
	tu_response_free(&r);

	/* An updated article: dateModified is its update. */
	get(srv.port, "/articles/1010", NULL, &r);
	j = page_jsonld(r.body.p);
	cr_expect_str_neq(json_string_value(json_object_get(j, "dateModified")),
	    json_string_value(json_object_get(j, "datePublished")));
	json_decref(j);
	tu_response_free(&r);
	/* A press release says so; an advertorial is typed as paid content. */
	get(srv.port, "/articles/1004", NULL, &r);
	j = page_jsonld(r.body.p);
	cr_expect_str_eq(json_string_value(json_object_get(j, "genre")), "보도자료");
	json_decref(j);
	tu_response_free(&r);
	get(srv.port, "/articles/1041", NULL, &r);
	j = page_jsonld(r.body.p);
	cr_expect_str_eq(json_string_value(json_object_get(j, "@type")), "AdvertiserContentArticle");
	json_decref(j);
	tu_response_free(&r);

	get(srv.port, "/", NULL, &r);
	j = page_jsonld(r.body.p);
	cr_expect_str_eq(json_string_value(json_object_get(j, "@type")), "WebSite");
	cr_expect_str_eq(json_string_value(json_object_get(j, "url")), BASE "/");
	a = json_object_get(j, "potentialAction");
	cr_expect_str_eq(json_string_value(json_object_get(a, "@type")), "SearchAction");
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(a, "target"), "urlTemplate")),
	    BASE "/search?q={search_term_string}");
	json_decref(j);
	cr_expect(strstr(r.body.p, "href=\"" BASE "/atom.xml\"") != NULL);
	cr_expect(strstr(r.body.p, "href=\"" BASE "/feed.json\"") != NULL);
	tu_response_free(&r);

	get(srv.port, "/robots.txt", NULL, &r);
	cr_expect(strstr(r.body.p, "Disallow: /admin\n") != NULL);
	cr_expect(strstr(r.body.p, "Disallow: /api\n") != NULL);
	cr_expect(strstr(r.body.p, "Sitemap: " BASE "/sitemap.xml\n") != NULL, "%s", r.body.p);
	cr_expect(strstr(r.body.p, "Sitemap: " BASE "/news-sitemap.xml\n") != NULL, "%s", r.body.p);
	tu_response_free(&r);
}

/* Conditional requests: If-None-Match (weak comparison, lists, *) and
 * If-Modified-Since (three date forms), If-None-Match winning. */
Test(feeds_http, conditional_requests, .init = start, .fini = stop, .timeout = 60)
{
	static const char *const urls[] = { "/rss.xml", "/atom.xml", "/feed.json", "/sitemap.xml",
		"/sitemaps/sections.xml", "/news-sitemap.xml", "/sections/economy/rss.xml", NULL };
	struct tu_response r, c;
	char etag[128], lm[128], h1[256], h2[256], h3[256];
	const char *hs[3];
	time_t t;
	int i;

	for (i = 0; urls[i]; i++) {
		get(srv.port, urls[i], NULL, &r);
		header(&r, "etag", etag, sizeof etag);
		header(&r, "last-modified", lm, sizeof lm);
		cr_assert(etag[0], "%s: ETag", urls[i]);

		snprintf(h1, sizeof h1, "If-None-Match: %s", etag);
		hs[0] = h1;
		hs[1] = NULL;
		get(srv.port, urls[i], hs, &c);
		cr_expect_eq(c.status, 304, "%s: If-None-Match", urls[i]);
		cr_expect_eq(c.body.len, 0, "%s: 304 has no body", urls[i]);
		cr_expect(tu_header_has(&c, "etag", etag), "%s: 304 repeats the ETag", urls[i]);
		tu_response_free(&c);

		snprintf(h1, sizeof h1, "If-None-Match: \"nope\", W/%s", etag);
		get(srv.port, urls[i], hs, &c);
		cr_expect_eq(c.status, 304, "%s: weak ETag in a list", urls[i]);
		tu_response_free(&c);

		hs[0] = "If-None-Match: *";
		get(srv.port, urls[i], hs, &c);
		cr_expect_eq(c.status, 304, "%s: *", urls[i]);
		tu_response_free(&c);

		hs[0] = "If-None-Match: \"0123456789abcdef0123456789abcdef\"";
		get(srv.port, urls[i], hs, &c);
		cr_expect_eq(c.status, 200, "%s: another ETag", urls[i]);
		cr_expect_eq(c.body.len, r.body.len);
		tu_response_free(&c);

		hs[0] = "If-None-Match: garbage";
		get(srv.port, urls[i], hs, &c);
		cr_expect_eq(c.status, 200, "%s: malformed If-None-Match", urls[i]);
		tu_response_free(&c);

		if (lm[0] == '\0') {
			/* The news sitemap depends on the clock: ETag only. */
			cr_expect_str_eq(urls[i], "/news-sitemap.xml");
			snprintf(h1, sizeof h1, "If-Modified-Since: %s", "Sun, 06 Nov 2033 08:49:37 GMT");
			hs[0] = h1;
			get(srv.port, urls[i], hs, &c);
			cr_expect_eq(c.status, 200);
			tu_response_free(&c);
			tu_response_free(&r);
			continue;
		}
		cr_assert_eq(http_date_for_test(lm, &t), 0, "%s: Last-Modified '%s'", urls[i], lm);

		snprintf(h1, sizeof h1, "If-Modified-Since: %s", lm);
		hs[0] = h1;
		get(srv.port, urls[i], hs, &c);
		cr_expect_eq(c.status, 304, "%s: If-Modified-Since = Last-Modified", urls[i]);
		cr_expect_eq(c.body.len, 0);
		tu_response_free(&c);

		/* The obsolete forms name the same second. */
		{
			char d[KDATE_MAX], rfc850[64], asc[64];
			struct tm tm;
			static const char *const wd[] = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
				"Friday", "Saturday" };

			gmtime_r(&t, &tm);
			strftime(d, sizeof d, "%d-%b-%y %H:%M:%S GMT", &tm);
			snprintf(rfc850, sizeof rfc850, "%s, %s", wd[tm.tm_wday], d);
			strftime(asc, sizeof asc, "%a %b %e %H:%M:%S %Y", &tm);
			snprintf(h1, sizeof h1, "If-Modified-Since: %s", rfc850);
			get(srv.port, urls[i], hs, &c);
			cr_expect_eq(c.status, 304, "%s: RFC 850 date %s", urls[i], rfc850);
			tu_response_free(&c);
			snprintf(h1, sizeof h1, "If-Modified-Since: %s", asc);
			get(srv.port, urls[i], hs, &c);
			cr_expect_eq(c.status, 304, "%s: asctime date %s", urls[i], asc);
			tu_response_free(&c);
		}

		kdate_http(t - 1, h3);
		snprintf(h1, sizeof h1, "If-Modified-Since: %s", h3);
		get(srv.port, urls[i], hs, &c);
		cr_expect_eq(c.status, 200, "%s: a second before Last-Modified", urls[i]);
		tu_response_free(&c);

		kdate_http(time(NULL) + 86400, h3);
		snprintf(h1, sizeof h1, "If-Modified-Since: %s", h3);
		get(srv.port, urls[i], hs, &c);
		cr_expect_eq(c.status, 200, "%s: a date in the future is ignored", urls[i]);
		tu_response_free(&c);

		snprintf(h1, sizeof h1, "If-Modified-Since: not a date");
		get(srv.port, urls[i], hs, &c);
		cr_expect_eq(c.status, 200, "%s: a bad date is ignored", urls[i]);
		tu_response_free(&c);

		/* If-None-Match decides when both come. */
		snprintf(h1, sizeof h1, "If-Modified-Since: %s", lm);
		snprintf(h2, sizeof h2, "If-None-Match: \"other\"");
		hs[1] = h2;
		hs[2] = NULL;
		get(srv.port, urls[i], hs, &c);
		cr_expect_eq(c.status, 200, "%s: If-None-Match wins", urls[i]);
		tu_response_free(&c);
		tu_response_free(&r);
	}
}

/* ---- correct under change ---- */

struct snapshot {
	const char *path;
	char        etag[128];
	char        lm[128];
};

static void
snap(struct snapshot *s)
{
	struct tu_response r;

	get(srv.port, s->path, NULL, &r);
	cr_assert_eq(r.status, 200, "%s", s->path);
	header(&r, "etag", s->etag, sizeof s->etag);
	header(&r, "last-modified", s->lm, sizeof s->lm);
	tu_response_free(&r);
}

/* GETs path as a client holding the old copy would: with its ETag, then
 * with its date.  Both must bring the new document (200). */
static void
revalidate(const struct snapshot *s, struct tu_response *r)
{
	char h[256];
	const char *hs[2] = { h, NULL };

	snprintf(h, sizeof h, "If-Modified-Since: %s", s->lm);
	if (s->lm[0]) {
		get(srv.port, s->path, hs, r);
		cr_expect_neq(r->status, 304, "%s: stale 304 for If-Modified-Since %s", s->path, s->lm);
		tu_response_free(r);
	}
	snprintf(h, sizeof h, "If-None-Match: %s", s->etag);
	get(srv.port, s->path, hs, r);
	cr_expect_neq(r->status, 304, "%s: stale 304 for its old ETag", s->path);
}

/* The Seoul month of article id, as "YYYY-MM". */
static void
month_of(sqlite3 *db, long id, char out[8])
{
	char sql[128], iso[KDATE_MAX];

	snprintf(sql, sizeof sql, "SELECT published_at FROM article WHERE id = %ld", id);
	kdate_iso8601((time_t)db_int(db, sql), iso);
	memcpy(out, iso, 7);
	out[7] = '\0';
}

Test(feeds_change, unpublished_leaves_every_feed_and_sitemap, .init = start, .fini = stop, .timeout = 120)
{
	char month[8], mpath[64];
	struct snapshot s[] = {
		{ "/rss.xml", "", "" }, { "/atom.xml", "", "" }, { "/feed.json", "", "" },
		{ "/sections/politics/rss.xml", "", "" }, { "/reporters/3/rss.xml", "", "" },
		{ "/tags/%EC%B6%98%EC%B2%9C%EC%8B%9C%EC%9D%98%ED%9A%8C/rss.xml", "", "" },   /* 춘천시의회 */
		{ "/sitemap.xml", "", "" }, { mpath, "", "" },
	};
	size_t n = sizeof s / sizeof s[0], i;
	struct tu_response r;
	sqlite3 *db = db_open(dbpath);

	month_of(db, 1001, month);
	snprintf(mpath, sizeof mpath, "/sitemaps/%s.xml", month);
	for (i = 0; i < n; i++) {
		snap(&s[i]);
		if (strcmp(s[i].path, "/sitemap.xml") != 0) {
			get(srv.port, s[i].path, NULL, &r);
			cr_expect(mentions(r.body.p, 1001), "%s lists 1001 before", s[i].path);
			tu_response_free(&r);
		}
	}
	db_change(db, 1001, "status = 'unpublished'");
	for (i = 0; i < n; i++) {
		revalidate(&s[i], &r);
		cr_expect_eq(r.status, 200, "%s", s[i].path);
		cr_expect(!mentions(r.body.p, 1001), "%s still lists 1001", s[i].path);
		tu_response_free(&r);
	}
	/* 정례회 was 1001's alone: its feed is gone; so is the page. */
	get(srv.port, "/tags/%EC%A0%95%EB%A1%80%ED%9A%8C/rss.xml", NULL, &r);
	cr_expect_eq(r.status, 404);
	tu_response_free(&r);
	get(srv.port, "/articles/1001", NULL, &r);
	cr_expect_eq(r.status, 404);
	tu_response_free(&r);
	get(srv.port, "/rss.xml", NULL, &r);
	cr_expect(strstr(r.body.p, "/articles/1002<") != NULL, "the others stay");
	tu_response_free(&r);
	sqlite3_close(db);
}

/* A headline with markup characters, an emoji and conjoining jamo. */
#define EDITED "고친 제목 & <확인> ]]> " EMOJI " " JAMO

Test(feeds_change, edited_keeps_guid_and_shows_modified, .init = start, .fini = stop, .timeout = 120)
{
	char month[8], mpath[64], iso[KDATE_MAX], pub[KDATE_MAX];
	struct snapshot s[] = {
		{ "/rss.xml", "", "" }, { "/atom.xml", "", "" }, { "/feed.json", "", "" }, { mpath, "", "" },
		{ "/sections/society/rss.xml", "", "" },
	};
	size_t n = sizeof s / sizeof s[0], i;
	struct tu_response r;
	sqlite3 *db = db_open(dbpath);
	xmlDocPtr doc;
	json_t *root, *it, *j;
	time_t at, lm;

	month_of(db, 1010, month);
	snprintf(mpath, sizeof mpath, "/sitemaps/%s.xml", month);
	kdate_iso8601((time_t)db_int(db, "SELECT published_at FROM article WHERE id = 1010"), pub);
	for (i = 0; i < n; i++)
		snap(&s[i]);
	/* An edit within the second of the last change could not move
	 * Last-Modified: wait until the clock has passed it. */
	cr_assert_eq(http_date_for_test(s[0].lm, &lm), 0);
	while (time(NULL) <= lm)
		usleep(100000);
	at = db_change(db, 1010, "headline = '" EDITED "', slug = 'edited-slug'");
	kdate_iso8601(at, iso);
	for (i = 0; i < n; i++) {
		revalidate(&s[i], &r);
		cr_expect_eq(r.status, 200, "%s", s[i].path);
		tu_response_free(&r);
	}

	get(srv.port, "/rss.xml", NULL, &r);
	doc = xml_parse(r.body.p, r.body.len);
	cr_assert_not_null(doc);
	cr_expect_eq(xcount(doc, "/rss/channel/item"), 48, "an edit adds no item");
	cr_expect_eq(xcount(doc, "//item[guid='" BASE "/articles/1010']"), 1, "the guid did not change");
	expect_xstr(doc, EDITED, "//item[guid='" BASE "/articles/1010']/title");
	expect_xstr(doc, BASE "/articles/1010/edited-slug", "//item[guid='" BASE "/articles/1010']/link");
	xmlFreeDoc(doc);
	tu_response_free(&r);

	get(srv.port, "/atom.xml", NULL, &r);
	doc = xml_parse(r.body.p, r.body.len);
	cr_assert_not_null(doc);
	expect_xstr(doc, iso, "//atom:entry[atom:id='" BASE "/articles/1010']/atom:updated");
	expect_xstr(doc, pub, "//atom:entry[atom:id='" BASE "/articles/1010']/atom:published");
	expect_xstr(doc, iso, "/atom:feed/atom:updated");
	xmlFreeDoc(doc);
	tu_response_free(&r);

	get(srv.port, "/feed.json", NULL, &r);
	root = json_loadb(r.body.p, r.body.len, 0, NULL);
	cr_assert_not_null(root);
	it = NULL;
	for (i = 0; i < json_array_size(json_object_get(root, "items")); i++) {
		json_t *x = json_array_get(json_object_get(root, "items"), i);

		if (strcmp(json_string_value(json_object_get(x, "id")), BASE "/articles/1010") == 0)
			it = x;
	}
	cr_assert_not_null(it, "the item kept its id");
	cr_expect_str_eq(json_string_value(json_object_get(it, "url")), BASE "/articles/1010/edited-slug");
	cr_expect_str_eq(json_string_value(json_object_get(it, "date_modified")), iso);
	cr_expect_str_eq(json_string_value(json_object_get(it, "date_published")), pub);
	json_decref(root);
	tu_response_free(&r);

	get(srv.port, mpath, NULL, &r);
	cr_expect(strstr(r.body.p, "<loc>" BASE "/articles/1010/edited-slug</loc><lastmod>") != NULL,
	    "sitemap has the new URL");
	cr_expect(strstr(r.body.p, iso) != NULL, "sitemap lastmod %s", iso);
	tu_response_free(&r);

	get(srv.port, "/articles/1010", NULL, &r);
	j = page_jsonld(r.body.p);
	cr_expect_str_eq(json_string_value(json_object_get(j, "dateModified")), iso);
	cr_expect_str_eq(json_string_value(json_object_get(j, "headline")), EDITED);
	json_decref(j);
	tu_response_free(&r);

	/* Now the new validators hold. */
	snap(&s[0]);
	{
		char h[256];
		const char *hs[2] = { h, NULL };

		snprintf(h, sizeof h, "If-None-Match: %s", s[0].etag);
		get(srv.port, "/rss.xml", hs, &r);
		cr_expect_eq(r.status, 304);
		tu_response_free(&r);
		snprintf(h, sizeof h, "If-Modified-Since: %s", s[0].lm);
		get(srv.port, "/rss.xml", hs, &r);
		cr_expect_eq(r.status, 304);
		tu_response_free(&r);
	}
	sqlite3_close(db);
}

/* A change dated in the future is sent as now: Last-Modified is never
 * later than the answer. */
Test(feeds_change, future_dates_are_not_sent, .init = start, .fini = stop, .timeout = 60)
{
	sqlite3 *db = db_open(dbpath);
	struct tu_response r;
	char lm[128], sql[128];
	time_t t;

	snprintf(sql, sizeof sql, "UPDATE article SET updated_at = %lld WHERE id = 1020",
	    (long long)time(NULL) + 86400);
	db_exec(db, sql);
	get(srv.port, "/rss.xml", NULL, &r);
	header(&r, "last-modified", lm, sizeof lm);
	cr_assert_eq(http_date_for_test(lm, &t), 0, "Last-Modified '%s'", lm);
	cr_expect_leq(t, time(NULL), "Last-Modified %s is in the future", lm);
	tu_response_free(&r);
	sqlite3_close(db);
}

/*
 * A month of 46,500 articles: two sitemaps of at most 45,000 URLs that
 * together list each article once - including 2,001 published in the
 * same second across the page boundary.
 */
#define BIG 46500
#define LOC "<loc>" BASE "/articles/"

Test(feeds_change, a_busy_month_is_split, .init = start, .fini = stop, .timeout = 300)
{
	sqlite3 *db = db_open(dbpath);
	sqlite3_stmt *ins;
	time_t base, t;
	long long first_id;
	unsigned char *seen;
	struct tu_response r;
	struct buf err = BUF_INIT;
	const char *p;
	long j, total = 0, dup = 0;
	int page;

	cr_assert_eq(kdate_parse("2020-03-05", 10, &base), 0);
	db_exec(db, "BEGIN");
	cr_assert_eq(sqlite3_prepare_v2(db, "INSERT INTO article (section_id, status, kind, headline, "
	    "created_at, updated_at, published_at) VALUES (1, 'published', 'own', ?1, ?2, ?2, ?2)",
	    -1, &ins, NULL), SQLITE_OK);
	for (j = 0; j < BIG; j++) {
		char h[64];

		/* j = 0 is the newest; j in [44000, 46000] share one second. */
		t = j >= 44000 && j <= 46000 ? base + (BIG - 46000) : base + (BIG - j);
		snprintf(h, sizeof h, "대량 기사 %ld", j);
		sqlite3_bind_text(ins, 1, h, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 2, (sqlite3_int64)t);
		cr_assert_eq(sqlite3_step(ins), SQLITE_DONE);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	db_exec(db, "COMMIT");
	first_id = db_int(db, "SELECT min(id) FROM article WHERE headline LIKE '대량 기사 %'");

	get(srv.port, "/sitemap.xml", NULL, &r);
	cr_expect(strstr(r.body.p, "<loc>" BASE "/sitemaps/2020-03.xml</loc>") != NULL);
	cr_expect(strstr(r.body.p, "<loc>" BASE "/sitemaps/2020-03-2.xml</loc>") != NULL);
	cr_expect(strstr(r.body.p, "/sitemaps/2020-03-3.xml") == NULL);
	cr_expect_eq(xmllint(r.body.p, r.body.len, XSD_INDEX, &err), 0, "%s", err.p);
	tu_response_free(&r);

	seen = calloc(BIG, 1);
	for (page = 1; page <= 2; page++) {
		long urls = 0;

		get(srv.port, page == 1 ? "/sitemaps/2020-03.xml" : "/sitemaps/2020-03-2.xml", NULL, &r);
		cr_assert_eq(r.status, 200);
		cr_expect_eq(xmllint(r.body.p, r.body.len, XSD_URLS, &err), 0, "page %d: %s", page, err.p);
		/* A plain loop: strstr over megabytes, call after call, is
		 * quadratic under ASan's interceptors. */
		for (p = r.body.p; *p; p++) {
			long long id;

			if (*p != '<' || strncmp(p, LOC, sizeof LOC - 1) != 0)
				continue;
			id = strtoll(p + sizeof LOC - 1, NULL, 10);
			cr_assert(id >= first_id && id < first_id + BIG, "id %lld is not of the month", id);
			dup += seen[id - first_id]++ != 0;
			urls++;
		}
		cr_expect_leq(urls, 50000, "page %d has %ld URLs", page, urls);
		cr_expect_eq(urls, page == 1 ? 45000 : BIG - 45000, "page %d", page);
		total += urls;
		tu_response_free(&r);
	}
	cr_expect_eq(total, BIG);
	cr_expect_eq(dup, 0, "%ld articles listed twice", dup);
	get(srv.port, "/sitemaps/2020-03-3.xml", NULL, &r);
	cr_expect_eq(r.status, 404);
	tu_response_free(&r);
	free(seen);
	buf_free(&err);
	sqlite3_close(db);
}

/* ---- sinmun export article-list ---- */

static char exdb[128];

static void
export_db(void)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	const char *argv[] = { tu_bin(), "init", "--db", exdb, "--demo", NULL };

	tu_tmp_path(exdb, sizeof exdb, ".db");
	cr_assert_eq(tu_run(argv, &out, &err), 0, "%s", err.p);
	buf_free(&out);
	buf_free(&err);
}

static void
export_db_rm(void)
{
	tu_rm_db(exdb);
}

/* Runs 'sinmun export article-list ARGS... --db exdb'. */
static int
export(struct buf *out, struct buf *err, const char *a1, const char *a2, const char *a3, const char *a4,
    const char *a5, const char *a6)
{
	const char *argv[16] = { tu_bin(), "export", "article-list", "--db", exdb };
	const char *extra[] = { a1, a2, a3, a4, a5, a6 };
	int n = 5, i;

	for (i = 0; i < 6 && extra[i]; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	buf_reset(out);
	buf_reset(err);
	return tu_run(argv, out, err);
}

static int
count_lines(const char *s)
{
	int n = 0;

	for (; (s = strstr(s, "\r\n")) != NULL; s += 2)
		n++;
	return n;
}

/* An error is exactly one line on stderr. */
static void
one_line(const struct buf *err, const char *part)
{
	const char *nl = strchr(err->p, '\n');

	cr_expect(nl != NULL && nl[1] == '\0', "stderr must be one line, got:\n%s", err->p);
	cr_expect(strstr(err->p, part) != NULL, "stderr '%s' lacks '%s'", err->p, part);
}

Test(export, article_list_csv, .init = export_db, .fini = export_db_rm, .timeout = 60)
{
	struct buf out = BUF_INIT, err = BUF_INIT, file = BUF_INIT;
	sqlite3 *db = db_open(exdb);
	char day[KDATE_MAX], sql[256], path[128];
	const char *p;
	time_t t;
	long long want;
	FILE *f;
	size_t i;

	/* Everything: the BOM, the header, 48 rows oldest first. */
	cr_assert_eq(export(&out, &err, "--from", "2000-01-01", "--to", "2100-12-31", NULL, NULL), 0, "%s", err.p);
	cr_expect(strncmp(out.p, "\xef\xbb\xbf링크,제목,기자,입력시간,섹션,구분\r\n", 3 + 37) == 0, "%.60s", out.p);
	cr_expect_eq(count_lines(out.p), 1 + 48);
	p = strstr(out.p, "\r\n") + 2;
	cr_expect(strncmp(p, BASE "/articles/1001,", strlen(BASE "/articles/1001,")) == 0, "oldest first: %.80s", p);
	cr_expect(strstr(out.p, BASE "/articles/1008,") != NULL);
	cr_expect(strstr(out.p, ",봄내일보 기자,") != NULL);
	cr_expect(strstr(out.p, ",정치,보도자료\r\n") != NULL);
	cr_expect(strstr(out.p, ",기고\r\n") != NULL);
	cr_expect(strstr(out.p, ",광고성 기사\r\n") != NULL);
	/* 1038's headline has a comma: quoted. */
	cr_expect(strstr(out.p, BASE "/articles/1038,\"전북·강원 작은학교 학생들, 원격 공동수업으로") != NULL);
	for (long id = 1049; id <= 1051; id++)
		cr_expect(!mentions(out.p, id), "unpublished %ld exported", id);

	/* One day, inclusive, in Seoul time. */
	kdate_iso8601((time_t)db_int(db, "SELECT published_at FROM article WHERE id = 1001"), day);
	day[10] = '\0';
	cr_assert_eq(kdate_parse(day, 10, &t), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM article WHERE status = 'published' AND "
	    "published_at >= %lld AND published_at < %lld", (long long)t, (long long)t + 86400);
	want = db_int(db, sql);
	cr_assert_eq(export(&out, &err, "--from", day, "--to", day, NULL, NULL), 0, "%s", err.p);
	cr_expect_eq(count_lines(out.p), 1 + want, "rows of %s", day);
	for (p = strstr(out.p, "\r\n") + 2; *p; p = strstr(p, "\r\n") + 2) {
		char needle[16];

		snprintf(needle, sizeof needle, ",%s ", day);
		cr_expect(strstr(p, needle) != NULL && strstr(p, needle) < strstr(p, "\r\n"), "row outside %s", day);
	}

	/* --kind */
	cr_assert_eq(export(&out, &err, "--from", "2000-01-01", "--to", "2100-12-31", "--kind", "press-release"), 0);
	cr_expect_eq(count_lines(out.p), 1 + (int)(sizeof press_ids / sizeof press_ids[0]));
	for (i = 0; i < sizeof press_ids / sizeof press_ids[0]; i++) {
		char needle[64];

		snprintf(needle, sizeof needle, BASE "/articles/%ld,", press_ids[i]);
		cr_expect(strstr(out.p, needle) != NULL, "%s", needle);
	}
	cr_assert_eq(export(&out, &err, "--from", "2000-01-01", "--to", "2100-12-31", "--kind", "own"), 0);
	cr_expect_eq(count_lines(out.p), 1 + (int)db_int(db, "SELECT count(*) FROM article WHERE "
	    "status = 'published' AND kind = 'own'"));
	cr_expect(strstr(out.p, "보도자료\r\n") == NULL);

	/* Hostile text: quotes, commas, a line break, a formula. */
	db_exec(db, "INSERT INTO article (id, section_id, status, kind, headline, created_at, updated_at, "
	    "published_at) VALUES (9001, 2, 'published', 'own', "
	    "'=HYPERLINK(\"http://x\",\"y\"), \"따옴표\"' || char(10) || '둘째 줄', 1, 1, 1600000000)");
	cr_assert_eq(export(&out, &err, "--from", "2020-09-13", "--to", "2020-09-13", NULL, NULL), 0, "%s", err.p);
	cr_expect_str_eq(out.p, "\xef\xbb\xbf링크,제목,기자,입력시간,섹션,구분\r\n"
	    BASE "/articles/9001,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\"), \"\"따옴표\"\"\n둘째 줄\",,"
	    "2020-09-13 21:26,경제,자체기사\r\n");

	/* --output writes the same bytes to a file. */
	tu_tmp_path(path, sizeof path, ".csv");
	cr_assert_eq(export(&out, &err, "--from", "2000-01-01", "--to", "2100-12-31", "--output", path), 0);
	cr_expect_eq(out.len, 0);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	{
		char chunk[4096];
		size_t got;

		while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_put(&file, chunk, got);
	}
	fclose(f);
	unlink(path);
	cr_assert_eq(export(&out, &err, "--from", "2000-01-01", "--to", "2100-12-31", NULL, NULL), 0);
	cr_expect_eq(file.len, out.len);
	cr_expect(file.len == out.len && memcmp(file.p, out.p, out.len) == 0);

	sqlite3_close(db);
	buf_free(&out);
	buf_free(&err);
	buf_free(&file);
}

Test(export, errors_are_one_line, .init = export_db, .fini = export_db_rm, .timeout = 60)
{
	struct buf out = BUF_INIT, err = BUF_INIT;

	cr_expect_eq(export(&out, &err, "--from", "2025-02-30", "--to", "2025-03-01", NULL, NULL), 2);
	one_line(&err, "'2025-02-30' is not a date");
	cr_expect_eq(out.len, 0);
	cr_expect_eq(export(&out, &err, "--from", "2025-1-01", "--to", "2025-03-01", NULL, NULL), 2);
	one_line(&err, "is not a date");
	cr_expect_eq(export(&out, &err, "--from", "2025-01-01", "--to", "2025-01-01T00:00", NULL, NULL), 2);
	one_line(&err, "is not a date");
	cr_expect_eq(export(&out, &err, "--from", "2025-03-02", "--to", "2025-03-01", NULL, NULL), 2);
	one_line(&err, "is after");
	cr_expect_eq(export(&out, &err, "--from", "2025-03-01", NULL, NULL, NULL, NULL), 2);
	one_line(&err, "--to DATE");
	cr_expect_eq(export(&out, &err, "--from", "2025-03-01", "--to", "2025-03-01", "--kind", "news"), 2);
	one_line(&err, "unknown kind 'news'");
	cr_expect_eq(export(&out, &err, "--from", "2025-03-01", "--to", "2025-03-01", "--bogus", NULL), 2);
	one_line(&err, "unknown option '--bogus'");
	cr_expect_eq(export(&out, &err, "--from", "2025-03-01", "--to", "2025-03-01", "--output",
	    "/nonexistent/dir/x.csv"), 1);
	one_line(&err, "/nonexistent/dir/x.csv");
	{
		const char *argv[] = { tu_bin(), "export", "--db", exdb, NULL };

		buf_reset(&err);
		cr_expect_eq(tu_run(argv, &out, &err), 2);
		one_line(&err, "what to export");
	}
	{
		const char *argv[] = { tu_bin(), "export", "everything", "--db", exdb, NULL };

		buf_reset(&err);
		cr_expect_eq(tu_run(argv, &out, &err), 2);
		one_line(&err, "unknown export 'everything'");
	}
	{
		const char *argv[] = { tu_bin(), "export", "article-list", "--from", "2025-01-01", "--to",
			"2025-01-02", "--db", "/nonexistent/x.db", NULL };

		buf_reset(&err);
		cr_expect_eq(tu_run(argv, &out, &err), 1);
		one_line(&err, "/nonexistent/x.db");
	}
	{
		const char *argv[] = { tu_bin(), "export", "--help", NULL };

		buf_reset(&out);
		cr_expect_eq(tu_run(argv, &out, &err), 0);
		cr_expect(strstr(out.p, "usage: sinmun export article-list") != NULL);
	}
	buf_free(&out);
	buf_free(&err);
}
