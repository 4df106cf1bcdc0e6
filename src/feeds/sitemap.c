/*
 * sitemap.c - sitemaps after sitemaps.org 0.9 and the Google News
 * sitemap: the index (/sitemap.xml), sitemaps of pages and of articles,
 * and the news sitemap of the last 48 hours.
 *
 * Which URLs go in which sitemap, and the 50,000-URL split of busy
 * months, is decided by the site's handlers (src/site/feeds.c); these
 * writers only print.  Times are W3C datetimes in Seoul time
 * ("2025-11-25T14:03:00+09:00"), which the schema's xsd:dateTime accepts.
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/kdate.h"
#include "feeds/feeds.h"
#include "feeds/feeds_int.h"

#define XML_DECL     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define NS_SITEMAP   "http://www.sitemaps.org/schemas/sitemap/0.9"
#define NS_NEWS      "http://www.google.com/schemas/sitemap-news/0.9"

static int
put_lastmod(struct buf *b, time_t t)
{
	char iso[KDATE_MAX];

	if (t <= 0)
		return BUF_OK;
	kdate_iso8601(t, iso);
	return buf_printf(b, "<lastmod>%s</lastmod>", iso);
}

int
feeds_sitemap_index(struct buf *b, const struct feeds_site *site, const struct feeds_loc *locs, int n)
{
	int rc = 0, i;

	rc |= buf_puts(b, XML_DECL "<sitemapindex xmlns=\"" NS_SITEMAP "\">\n");
	for (i = 0; i < n && rc == 0; i++) {
		rc |= buf_puts(b, "<sitemap><loc>");
		rc |= feeds_xml_url(b, site, locs[i].path);
		rc |= buf_puts(b, "</loc>");
		rc |= put_lastmod(b, locs[i].lastmod);
		rc |= buf_puts(b, "</sitemap>\n");
	}
	rc |= buf_puts(b, "</sitemapindex>\n");
	return rc ? BUF_EFULL : BUF_OK;
}

int
feeds_sitemap_pages(struct buf *b, const struct feeds_site *site, const struct feeds_loc *locs, int n)
{
	int rc = 0, i;

	rc |= buf_puts(b, XML_DECL "<urlset xmlns=\"" NS_SITEMAP "\">\n");
	for (i = 0; i < n && rc == 0; i++) {
		rc |= buf_puts(b, "<url><loc>");
		rc |= feeds_xml_url(b, site, locs[i].path);
		rc |= buf_puts(b, "</loc>");
		rc |= put_lastmod(b, locs[i].lastmod);
		rc |= buf_puts(b, "</url>\n");
	}
	rc |= buf_puts(b, "</urlset>\n");
	return rc ? BUF_EFULL : BUF_OK;
}

int
feeds_sitemap_articles(struct buf *b, const struct feeds_site *site, const struct article_stub *stubs, int n)
{
	struct article art;
	int rc = 0, i;

	rc |= buf_puts(b, XML_DECL "<urlset xmlns=\"" NS_SITEMAP "\">\n");
	memset(&art, 0, sizeof art);
	for (i = 0; i < n && rc == 0; i++) {
		art.id = stubs[i].id;
		art.slug = stubs[i].slug;
		rc |= buf_puts(b, "<url><loc>");
		rc |= feeds_xml_article_url(b, site, &art, 0);
		rc |= buf_puts(b, "</loc>");
		rc |= put_lastmod(b, feeds_modified(stubs[i].published_at, stubs[i].updated_at));
		rc |= buf_puts(b, "</url>\n");
	}
	rc |= buf_puts(b, "</urlset>\n");
	return rc ? BUF_EFULL : BUF_OK;
}

int
feeds_news_sitemap(struct buf *b, const struct feeds_site *site, const struct article *items, int n)
{
	char iso[KDATE_MAX];
	int rc = 0, i;

	rc |= buf_puts(b, XML_DECL "<urlset xmlns=\"" NS_SITEMAP "\" xmlns:news=\"" NS_NEWS "\">\n");
	for (i = 0; i < n && rc == 0; i++) {
		rc |= buf_puts(b, "<url><loc>");
		rc |= feeds_xml_article_url(b, site, &items[i], 0);
		rc |= buf_puts(b, "</loc>");
		rc |= put_lastmod(b, feeds_modified(items[i].published_at, items[i].updated_at));
		rc |= buf_puts(b, "\n<news:news><news:publication><news:name>");
		rc |= feeds_xml(b, site->name);
		rc |= buf_puts(b, "</news:name><news:language>");
		rc |= feeds_xml(b, site->language);
		rc |= buf_puts(b, "</news:language></news:publication>\n<news:publication_date>");
		kdate_iso8601(items[i].published_at, iso);
		rc |= buf_puts(b, iso);
		rc |= buf_puts(b, "</news:publication_date>\n<news:title>");
		rc |= feeds_xml(b, items[i].headline);
		rc |= buf_puts(b, "</news:title></news:news></url>\n");
	}
	rc |= buf_puts(b, "</urlset>\n");
	return rc ? BUF_EFULL : BUF_OK;
}
