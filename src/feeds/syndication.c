/*
 * syndication.c - the three feed formats: RSS 2.0 (with content:encoded
 * and dc:creator), Atom 1.0 and JSON Feed 1.1, from the same articles.
 *
 * What every format carries for an article, the same way:
 *   - its permanent URL /articles/{id} as guid/id, so an edit (headline,
 *     slug, body) never makes readers and portals see a new article;
 *   - its canonical URL (with the slug) as the link;
 *   - its section and its kind as categories in their own taxonomies, so
 *     a press release is labelled 보도자료 in every format (portals
 *     sanction papers that pass press releases off as their own);
 *   - published and modified times in Seoul time (+09:00 / +0900).
 * The site's handlers (src/site/feeds.c) choose the articles.
 *
 * Writers accumulate the buffer's result with |= : once an append hits
 * the cap every later one fails as well and leaves the buffer as it was,
 * so checking once at the end is enough.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/kdate.h"
#include "feeds/feeds.h"
#include "feeds/feeds_int.h"
#include "news/news.h"

#define GENERATOR "sinmun"

/* The notice Korean papers print under every article. */
static int
put_rights(struct buf *b, const struct feeds_site *site)
{
	int rc = 0;

	rc |= buf_puts(b, "저작권자 © ");
	rc |= feeds_xml(b, site->name);
	rc |= buf_puts(b, " 무단전재 및 재배포 금지");
	return rc;
}

/* The page of the article's first byline. */
static const char *
reporter_path(char out[32], const struct article *art)
{
	snprintf(out, 32, "/reporters/%lld", (long long)art->bylines[0].id);
	return out;
}

static const char *
channel_description(const struct feeds_channel *ch)
{
	return ch->description && ch->description[0] ? ch->description : ch->title;
}

/* ---- RSS 2.0 ---- */

static int
rss_item(struct buf *b, struct arena *a, const struct feeds_site *site, const struct article *art)
{
	const char *byline = news_byline(a, art), *body = feeds_full_body(a, art);
	const char *email = art->nbylines ? art->bylines[0].email : NULL;
	char t[KDATE_MAX];
	int rc = 0;

	rc |= buf_puts(b, "<item>\n<title>");
	rc |= feeds_xml(b, art->headline);
	rc |= buf_puts(b, "</title>\n<link>");
	rc |= feeds_xml_article_url(b, site, art, 0);
	rc |= buf_puts(b, "</link>\n<guid isPermaLink=\"true\">");
	rc |= feeds_xml_article_url(b, site, art, 1);
	rc |= buf_puts(b, "</guid>\n<description>");
	rc |= feeds_xml(b, art->summary);
	rc |= buf_puts(b, "</description>\n");
	if (body) {
		rc |= buf_puts(b, "<content:encoded>");
		rc |= feeds_xml(b, body);
		rc |= buf_puts(b, "</content:encoded>\n");
	}
	/* RSS wants "email (name)" in author; without an address the name
	 * still goes out in dc:creator. */
	if (byline[0] && feeds_email_ok(email)) {
		rc |= buf_puts(b, "<author>");
		rc |= feeds_xml(b, email);
		rc |= buf_puts(b, " (");
		rc |= feeds_xml(b, byline);
		rc |= buf_puts(b, ")</author>\n");
	}
	if (byline[0]) {
		rc |= buf_puts(b, "<dc:creator>");
		rc |= feeds_xml(b, byline);
		rc |= buf_puts(b, "</dc:creator>\n");
	}
	rc |= buf_puts(b, "<category domain=\"" FEEDS_SCHEME_SECTION "\">");
	rc |= feeds_xml(b, art->section.name);
	rc |= buf_puts(b, "</category>\n<category domain=\"" FEEDS_SCHEME_KIND "\">");
	rc |= feeds_xml(b, article_kind_label(art->kind));
	rc |= buf_puts(b, "</category>\n<pubDate>");
	kdate_rfc822(art->published_at, t);
	rc |= buf_puts(b, t);
	rc |= buf_puts(b, "</pubDate>\n</item>\n");
	return rc ? BUF_EFULL : BUF_OK;
}

int
feeds_rss(struct buf *b, struct arena *a, const struct feeds_site *site, const struct feeds_channel *ch,
    const struct article *items, int n)
{
	char t[KDATE_MAX];
	int rc = 0, i;

	rc |= buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" "
	    "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n<title>");
	rc |= feeds_xml(b, ch->title);
	rc |= buf_puts(b, "</title>\n<link>");
	rc |= feeds_xml_url(b, site, ch->html_path);
	rc |= buf_puts(b, "</link>\n<description>");
	rc |= feeds_xml(b, channel_description(ch));
	rc |= buf_puts(b, "</description>\n<language>");
	rc |= feeds_xml(b, site->language);
	rc |= buf_puts(b, "</language>\n<copyright>");
	rc |= put_rights(b, site);
	rc |= buf_puts(b, "</copyright>\n<generator>" GENERATOR "</generator>\n");
	if (ch->updated) {
		kdate_rfc822(ch->updated, t);
		rc |= buf_printf(b, "<lastBuildDate>%s</lastBuildDate>\n", t);
	}
	if (n > 0) {
		kdate_rfc822(items[0].published_at, t);
		rc |= buf_printf(b, "<pubDate>%s</pubDate>\n", t);
	}
	rc |= buf_puts(b, "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"");
	rc |= feeds_xml_url(b, site, ch->self_path);
	rc |= buf_puts(b, "\"/>\n");
	for (i = 0; i < n && rc == 0; i++)
		rc |= rss_item(b, a, site, &items[i]);
	rc |= buf_puts(b, "</channel>\n</rss>\n");
	return rc ? BUF_EFULL : BUF_OK;
}

/* ---- Atom 1.0 ---- */

static int
atom_category(struct buf *b, const char *scheme, const char *term)
{
	int rc = 0;

	rc |= buf_puts(b, "<category scheme=\"");
	rc |= buf_puts(b, scheme);
	rc |= buf_puts(b, "\" term=\"");
	rc |= feeds_xml(b, term);
	rc |= buf_puts(b, "\" label=\"");
	rc |= feeds_xml(b, term);
	rc |= buf_puts(b, "\"/>\n");
	return rc;
}

static int
atom_entry(struct buf *b, struct arena *a, const struct feeds_site *site, const struct article *art)
{
	const char *byline = news_byline(a, art), *body = feeds_full_body(a, art);
	char t[KDATE_MAX], path[32];
	int rc = 0;

	rc |= buf_puts(b, "<entry>\n<id>");
	rc |= feeds_xml_article_url(b, site, art, 1);
	rc |= buf_puts(b, "</id>\n<title type=\"text\">");
	rc |= feeds_xml(b, art->headline);
	rc |= buf_puts(b, "</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	rc |= feeds_xml_article_url(b, site, art, 0);
	rc |= buf_puts(b, "\"/>\n<published>");
	kdate_iso8601(art->published_at, t);
	rc |= buf_puts(b, t);
	rc |= buf_puts(b, "</published>\n<updated>");
	kdate_iso8601(feeds_modified(art->published_at, art->updated_at), t);
	rc |= buf_puts(b, t);
	rc |= buf_puts(b, "</updated>\n");
	/* Without a byline the feed's own author (the paper) stands. */
	if (byline[0]) {
		rc |= buf_puts(b, "<author><name>");
		rc |= feeds_xml(b, byline);
		rc |= buf_puts(b, "</name>");
		if (art->nbylines > 0 && feeds_email_ok(art->bylines[0].email)) {
			rc |= buf_puts(b, "<email>");
			rc |= feeds_xml(b, art->bylines[0].email);
			rc |= buf_puts(b, "</email>");
		}
		if (art->nbylines > 0) {
			rc |= buf_puts(b, "<uri>");
			rc |= feeds_xml_url(b, site, reporter_path(path, art));
			rc |= buf_puts(b, "</uri>");
		}
		rc |= buf_puts(b, "</author>\n");
	}
	rc |= atom_category(b, FEEDS_SCHEME_SECTION, art->section.name);
	rc |= atom_category(b, FEEDS_SCHEME_KIND, article_kind_label(art->kind));
	rc |= buf_puts(b, "<summary type=\"text\">");
	rc |= feeds_xml(b, art->summary);
	rc |= buf_puts(b, "</summary>\n");
	if (body) {
		rc |= buf_puts(b, "<content type=\"html\">");
		rc |= feeds_xml(b, body);
		rc |= buf_puts(b, "</content>\n");
	}
	rc |= buf_puts(b, "</entry>\n");
	return rc ? BUF_EFULL : BUF_OK;
}

int
feeds_atom(struct buf *b, struct arena *a, const struct feeds_site *site, const struct feeds_channel *ch,
    const struct article *items, int n)
{
	char t[KDATE_MAX];
	int rc = 0, i;

	rc |= buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	rc |= feeds_xml(b, site->language);
	rc |= buf_puts(b, "\">\n<id>");
	rc |= feeds_xml_url(b, site, ch->self_path);
	rc |= buf_puts(b, "</id>\n<title type=\"text\">");
	rc |= feeds_xml(b, ch->title);
	rc |= buf_puts(b, "</title>\n<subtitle type=\"text\">");
	rc |= feeds_xml(b, channel_description(ch));
	rc |= buf_puts(b, "</subtitle>\n<updated>");
	/* Atom requires updated; an empty feed says the epoch rather than
	 * "now", so that its bytes (and ETag) stay the same until it changes. */
	kdate_iso8601(ch->updated, t);
	rc |= buf_puts(b, t);
	rc |= buf_puts(b, "</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	rc |= feeds_xml_url(b, site, ch->html_path);
	rc |= buf_puts(b, "\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	rc |= feeds_xml_url(b, site, ch->self_path);
	rc |= buf_puts(b, "\"/>\n<author><name>");
	rc |= feeds_xml(b, site->name);
	rc |= buf_puts(b, "</name><uri>");
	rc |= feeds_xml_url(b, site, "/");
	rc |= buf_puts(b, "</uri></author>\n<rights type=\"text\">");
	rc |= put_rights(b, site);
	rc |= buf_puts(b, "</rights>\n<generator>" GENERATOR "</generator>\n");
	if (site->logo_url && site->logo_url[0]) {
		rc |= buf_puts(b, "<icon>");
		rc |= feeds_xml(b, site->logo_url);
		rc |= buf_puts(b, "</icon>\n");
	}
	for (i = 0; i < n && rc == 0; i++)
		rc |= atom_entry(b, a, site, &items[i]);
	rc |= buf_puts(b, "</feed>\n");
	return rc ? BUF_EFULL : BUF_OK;
}

/* ---- JSON Feed 1.1 ---- */

static int
json_item(struct buf *b, struct arena *a, const struct feeds_site *site, const struct article *art)
{
	const char *byline = news_byline(a, art), *body = feeds_full_body(a, art);
	char t[KDATE_MAX], path[32];
	int rc = 0, i;

	rc |= buf_puts(b, "{\"id\":");
	rc |= feeds_jstr_article_url(b, site, art, 1);
	rc |= buf_puts(b, ",\"url\":");
	rc |= feeds_jstr_article_url(b, site, art, 0);
	rc |= buf_puts(b, ",\"title\":");
	rc |= feeds_jstr(b, art->headline);
	rc |= buf_puts(b, ",\"summary\":");
	rc |= feeds_jstr(b, art->summary);
	if (body) {
		rc |= buf_puts(b, ",\"content_html\":");
		rc |= feeds_jstr(b, body);
	} else {
		rc |= buf_puts(b, ",\"content_text\":");
		rc |= feeds_jstr(b, art->summary);
	}
	kdate_iso8601(art->published_at, t);
	rc |= buf_printf(b, ",\"date_published\":\"%s\"", t);
	kdate_iso8601(feeds_modified(art->published_at, art->updated_at), t);
	rc |= buf_printf(b, ",\"date_modified\":\"%s\"", t);
	if (byline[0]) {
		rc |= buf_puts(b, ",\"authors\":[{\"name\":");
		rc |= feeds_jstr(b, byline);
		if (art->nbylines > 0) {
			rc |= buf_puts(b, ",\"url\":");
			rc |= feeds_jstr_url(b, site, reporter_path(path, art));
		}
		rc |= buf_puts(b, "}]");
	}
	/* tags: the section and the kind, as RSS and Atom categorise; the
	 * article's own tags go in the extension, so that a tag that happens
	 * to read "보도자료" can never pass for the kind. */
	rc |= buf_puts(b, ",\"tags\":[");
	rc |= feeds_jstr(b, art->section.name);
	rc |= buf_putc(b, ',');
	rc |= feeds_jstr(b, article_kind_label(art->kind));
	rc |= buf_puts(b, "],\"language\":");
	rc |= feeds_jstr(b, site->language);
	rc |= buf_puts(b, ",\"_sinmun\":{\"kind\":");
	rc |= feeds_jstr(b, article_kind_name(art->kind));
	rc |= buf_puts(b, ",\"kind_label\":");
	rc |= feeds_jstr(b, article_kind_label(art->kind));
	rc |= buf_puts(b, ",\"section\":{\"slug\":");
	rc |= feeds_jstr(b, art->section.slug);
	rc |= buf_puts(b, ",\"name\":");
	rc |= feeds_jstr(b, art->section.name);
	rc |= buf_puts(b, "},\"subtitles\":[");
	for (i = 0; i < art->nsubtitles; i++) {
		if (i)
			rc |= buf_putc(b, ',');
		rc |= feeds_jstr(b, art->subtitles[i]);
	}
	rc |= buf_puts(b, "],\"tags\":[");
	for (i = 0; i < art->ntags; i++) {
		if (i)
			rc |= buf_putc(b, ',');
		rc |= feeds_jstr(b, art->tags[i]);
	}
	rc |= buf_puts(b, "]");
	if (art->source_note && art->source_note[0]) {
		rc |= buf_puts(b, ",\"source_note\":");
		rc |= feeds_jstr(b, art->source_note);
	}
	rc |= buf_puts(b, "}}");
	return rc ? BUF_EFULL : BUF_OK;
}

int
feeds_json(struct buf *b, struct arena *a, const struct feeds_site *site, const struct feeds_channel *ch,
    const struct article *items, int n)
{
	int rc = 0, i;

	rc |= buf_puts(b, "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":");
	rc |= feeds_jstr(b, ch->title);
	rc |= buf_puts(b, ",\"home_page_url\":");
	rc |= feeds_jstr_url(b, site, ch->html_path);
	rc |= buf_puts(b, ",\"feed_url\":");
	rc |= feeds_jstr_url(b, site, ch->self_path);
	rc |= buf_puts(b, ",\"description\":");
	rc |= feeds_jstr(b, channel_description(ch));
	rc |= buf_puts(b, ",\"language\":");
	rc |= feeds_jstr(b, site->language);
	if (site->logo_url && site->logo_url[0]) {
		rc |= buf_puts(b, ",\"icon\":");
		rc |= feeds_jstr(b, site->logo_url);
	}
	rc |= buf_puts(b, ",\"authors\":[{\"name\":");
	rc |= feeds_jstr(b, site->name);
	rc |= buf_puts(b, ",\"url\":");
	rc |= feeds_jstr_url(b, site, "/");
	rc |= buf_puts(b, "}],\"items\":[\n");
	for (i = 0; i < n && rc == 0; i++) {
		if (i)
			rc |= buf_puts(b, ",\n");
		rc |= json_item(b, a, site, &items[i]);
	}
	rc |= buf_puts(b, "\n]}\n");
	return rc ? BUF_EFULL : BUF_OK;
}
