/*
 * jsonld.c - schema.org structured data for the site's pages: NewsArticle
 * on article pages and WebSite (with a SearchAction for /search?q=) on
 * the front page.  The layout prints the text inside
 * <script type="application/ld+json">, so every string goes through
 * feeds_jstr, which escapes < > & and nothing in it can end the element.
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/kdate.h"
#include "feeds/feeds.h"
#include "feeds/feeds_int.h"

/* The paper as a NewsMediaOrganization, for publisher. */
static int
put_publisher(struct buf *b, const struct feeds_site *site)
{
	int rc = 0;

	rc |= buf_puts(b, "{\"@type\":\"NewsMediaOrganization\",\"name\":");
	rc |= feeds_jstr(b, site->name);
	rc |= buf_puts(b, ",\"url\":");
	rc |= feeds_jstr_url(b, site, "/");
	if (site->logo_url && site->logo_url[0]) {
		rc |= buf_puts(b, ",\"logo\":{\"@type\":\"ImageObject\",\"url\":");
		rc |= feeds_jstr(b, site->logo_url);
		rc |= buf_putc(b, '}');
	}
	rc |= buf_putc(b, '}');
	return rc;
}

int
feeds_jsonld_article(struct buf *b, const struct feeds_site *site, const struct article *art)
{
	char t[KDATE_MAX], path[32];
	int rc = 0, i;

	/* An advertorial is paid placement, not news: schema.org has a type
	 * for exactly that, and labelling it NewsArticle would be the kind of
	 * mislabelling portals sanction. */
	rc |= buf_printf(b, "{\"@context\":\"https://schema.org\",\"@type\":\"%s\",\"mainEntityOfPage\":"
	    "{\"@type\":\"WebPage\",\"@id\":", art->kind == KIND_ADVERTORIAL ?
	    "AdvertiserContentArticle" : "NewsArticle");
	rc |= feeds_jstr_article_url(b, site, art, 0);
	rc |= buf_puts(b, "},\"url\":");
	rc |= feeds_jstr_article_url(b, site, art, 0);
	rc |= buf_puts(b, ",\"headline\":");
	rc |= feeds_jstr(b, art->headline);
	if (art->nsubtitles > 0) {
		rc |= buf_puts(b, ",\"alternativeHeadline\":");
		rc |= feeds_jstr(b, art->subtitles[0]);
	}
	rc |= buf_puts(b, ",\"description\":");
	rc |= feeds_jstr(b, art->summary);
	kdate_iso8601(art->published_at, t);
	rc |= buf_printf(b, ",\"datePublished\":\"%s\"", t);
	kdate_iso8601(feeds_modified(art->published_at, art->updated_at), t);
	rc |= buf_printf(b, ",\"dateModified\":\"%s\",\"author\":[", t);
	for (i = 0; i < art->nbylines; i++) {
		if (i)
			rc |= buf_putc(b, ',');
		snprintf(path, sizeof path, "/reporters/%lld", (long long)art->bylines[i].id);
		rc |= buf_puts(b, "{\"@type\":\"Person\",\"name\":");
		rc |= feeds_jstr(b, art->bylines[i].name);
		rc |= buf_puts(b, ",\"url\":");
		rc |= feeds_jstr_url(b, site, path);
		rc |= buf_putc(b, '}');
	}
	if (art->nbylines == 0) {
		/* Nobody named: the paper answers for it. */
		rc |= buf_puts(b, "{\"@type\":\"Organization\",\"name\":");
		rc |= feeds_jstr(b, site->name);
		rc |= buf_puts(b, ",\"url\":");
		rc |= feeds_jstr_url(b, site, "/");
		rc |= buf_putc(b, '}');
	}
	rc |= buf_puts(b, "],\"publisher\":");
	rc |= put_publisher(b, site);
	rc |= buf_puts(b, ",\"articleSection\":");
	rc |= feeds_jstr(b, art->section.name);
	if (art->kind != KIND_OWN) {
		rc |= buf_puts(b, ",\"genre\":");
		rc |= feeds_jstr(b, article_kind_label(art->kind));
	}
	if (art->ntags > 0) {
		rc |= buf_puts(b, ",\"keywords\":[");
		for (i = 0; i < art->ntags; i++) {
			if (i)
				rc |= buf_putc(b, ',');
			rc |= feeds_jstr(b, art->tags[i]);
		}
		rc |= buf_putc(b, ']');
	}
	rc |= buf_puts(b, ",\"inLanguage\":");
	rc |= feeds_jstr(b, site->language);
	rc |= buf_puts(b, ",\"isAccessibleForFree\":true}");
	return rc ? BUF_EFULL : BUF_OK;
}

int
feeds_jsonld_website(struct buf *b, const struct feeds_site *site)
{
	int rc = 0;

	rc |= buf_puts(b, "{\"@context\":\"https://schema.org\",\"@type\":\"WebSite\",\"name\":");
	rc |= feeds_jstr(b, site->name);
	rc |= buf_puts(b, ",\"url\":");
	rc |= feeds_jstr_url(b, site, "/");
	if (site->description && site->description[0]) {
		rc |= buf_puts(b, ",\"description\":");
		rc |= feeds_jstr(b, site->description);
	}
	rc |= buf_puts(b, ",\"inLanguage\":");
	rc |= feeds_jstr(b, site->language);
	rc |= buf_puts(b, ",\"publisher\":");
	rc |= put_publisher(b, site);
	/* The search page's query parameter is q; {search_term_string} is
	 * schema.org's placeholder and is printed as is. */
	rc |= buf_puts(b, ",\"potentialAction\":{\"@type\":\"SearchAction\",\"target\":"
	    "{\"@type\":\"EntryPoint\",\"urlTemplate\":");
	rc |= feeds_jstr_url(b, site, "/search?q={search_term_string}");
	rc |= buf_puts(b, "},\"query-input\":\"required name=search_term_string\"}}");
	return rc ? BUF_EFULL : BUF_OK;
}
