/*
 * csv.c - the article list a paper submits when it applies for a Naver or
 * Daum news partnership (뉴스제휴), as CSV that Excel opens: RFC 4180
 * (CRLF line ends, fields quoted when they need it, quotes doubled) in
 * UTF-8 behind a byte order mark, without which Excel reads Korean as
 * the ANSI code page.  'sinmun export article-list' (src/cli/export.c)
 * chooses the articles.
 */
#include <string.h>

#include "core/buf.h"
#include "core/kdate.h"
#include "feeds/feeds.h"
#include "feeds/feeds_int.h"
#include "news/news.h"

#define BOM "\xef\xbb\xbf"

/*
 * One field.  A spreadsheet runs a cell that starts with = + - @ (or a
 * tab or CR) as a formula, so such a headline could carry a formula into
 * the office that opens the file; those fields get a leading apostrophe,
 * which spreadsheets show as text (OWASP's advice for CSV injection).
 */
static int
field(struct buf *b, const char *s)
{
	struct buf v = BUF_INIT;
	const char *p;
	int rc = 0, guard, quote;

	rc |= feeds_utf8(&v, s);
	p = v.p ? v.p : "";
	guard = p[0] != '\0' && strchr("=+-@\t\r", p[0]) != NULL;
	quote = guard || strpbrk(p, ",\"\r\n") != NULL;
	if (quote)
		rc |= buf_putc(b, '"');
	if (guard)
		rc |= buf_putc(b, '\'');
	for (; *p && rc == 0; p++) {
		if (*p == '"')
			rc |= buf_putc(b, '"');
		rc |= buf_putc(b, *p);
	}
	if (quote)
		rc |= buf_putc(b, '"');
	buf_free(&v);
	return rc;
}

int
feeds_csv_header(struct buf *b)
{
	return buf_puts(b, BOM "링크,제목,기자,입력시간,섹션,구분\r\n");
}

int
feeds_csv_row(struct buf *b, struct arena *a, const struct feeds_site *site, const struct article *art)
{
	struct buf url = BUF_INIT;
	char iso[KDATE_MAX], when[20];
	int rc = 0;

	rc |= feeds_put_article_url(&url, site, art, 0);
	/* "2025-11-25T14:03:00+09:00" -> "2025-11-25 14:03" */
	kdate_iso8601(art->published_at, iso);
	memcpy(when, iso, 10);
	when[10] = ' ';
	memcpy(when + 11, iso + 11, 5);
	when[16] = '\0';
	rc |= field(b, url.p ? url.p : "");
	rc |= buf_putc(b, ',');
	rc |= field(b, art->headline);
	rc |= buf_putc(b, ',');
	rc |= field(b, news_byline(a, art));
	rc |= buf_putc(b, ',');
	rc |= field(b, when);
	rc |= buf_putc(b, ',');
	rc |= field(b, art->section.name);
	rc |= buf_putc(b, ',');
	rc |= field(b, article_kind_label(art->kind));
	rc |= buf_puts(b, "\r\n");
	buf_free(&url);
	return rc ? BUF_EFULL : BUF_OK;
}
