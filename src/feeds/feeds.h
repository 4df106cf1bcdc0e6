/*
 * feeds.h - what portals, feed readers and search engines read: RSS 2.0,
 * Atom 1.0, JSON Feed 1.1, sitemaps (index, monthly, pages), the Google
 * News sitemap, JSON-LD (NewsArticle, WebSite) and the article list that
 * a paper submits when it applies for a Naver or Daum news partnership.
 *
 * Generators only: they write bytes into a struct buf from store structs
 * and a struct feeds_site (the arena some take is for bylines made on the
 * way), and know nothing of HTTP: src/site/feeds.c routes the URLs and
 * src/cli/export.c writes the CSV.  Every string that
 * reaches the output is escaped for its format here; text that is not
 * valid UTF-8, and characters XML 1.0 forbids, are replaced or dropped so
 * that the output always parses.  XML never uses CDATA: an article body
 * is escaped text, so "]]>" in a body cannot end anything.
 *
 * Every writer returns BUF_OK or BUF_EFULL (the buffer's cap was reached;
 * the buffer then holds a partial document the caller must discard).
 */
#ifndef SINMUN_FEEDS_FEEDS_H
#define SINMUN_FEEDS_FEEDS_H

#include <stddef.h>
#include <time.h>

#include "store/store.h"

struct arena;
struct buf;

#define FEEDS_ITEMS          50      /* articles in an RSS/Atom/JSON feed */
#define FEEDS_SITEMAP_MAX    50000   /* URLs in one sitemap (the protocol's limit) */
#define FEEDS_NEWS_MAX       1000    /* URLs in a Google News sitemap */
#define FEEDS_NEWS_WINDOW    (48 * 3600)  /* how far back the news sitemap reaches */

/* The paper, as every generator needs it. */
struct feeds_site {
	const char *name;         /* 제호, e.g. "봄내일보" */
	const char *description;  /* "" = none */
	const char *base_url;     /* absolute origin, no trailing slash */
	const char *logo_url;     /* absolute URL of the logo image */
	const char *language;     /* BCP 47, "ko" */
};

/* One feed: what it is called and where it lives. */
struct feeds_channel {
	const char *title;        /* "봄내일보", "봄내일보 : 경제" */
	const char *description;  /* "" = the title */
	const char *html_path;    /* the page the feed follows: "/", "/sections/economy" */
	const char *self_path;    /* the feed's own path: "/rss.xml" */
	time_t      updated;      /* newest change of what it lists; 0 = none */
};

/* A sitemap or page URL with its last modification (0 = leave out). */
struct feeds_loc {
	const char *path;         /* relative to base_url, starts with '/' */
	time_t      lastmod;
};

/*
 * Feeds.  items are published articles, newest first, with bodies (a
 * NULL body leaves the full-text element out).  Every item carries its
 * section and its kind (자체기사, 보도자료, 기고, 광고성 기사) as
 * categories, and its guid/id is the permanent URL /articles/{id}, which
 * an edit (even of the slug) never changes.
 */
int feeds_rss(struct buf *, struct arena *, const struct feeds_site *, const struct feeds_channel *,
    const struct article *items, int n);
int feeds_atom(struct buf *, struct arena *, const struct feeds_site *, const struct feeds_channel *,
    const struct article *items, int n);
int feeds_json(struct buf *, struct arena *, const struct feeds_site *, const struct feeds_channel *,
    const struct article *items, int n);

/* A sitemap index listing sitemaps. */
int feeds_sitemap_index(struct buf *, const struct feeds_site *, const struct feeds_loc *, int n);
/* A sitemap of pages (front, sections, reporters). */
int feeds_sitemap_pages(struct buf *, const struct feeds_site *, const struct feeds_loc *, int n);
/* A sitemap of articles; lastmod is the later of updated_at and published_at. */
int feeds_sitemap_articles(struct buf *, const struct feeds_site *, const struct article_stub *, int n);
/* The Google News sitemap of the given (recent, published) articles. */
int feeds_news_sitemap(struct buf *, const struct feeds_site *, const struct article *items, int n);

/*
 * JSON-LD, as the text of a <script type="application/ld+json"> element:
 * < > & are escaped as \u003c \u003e \u0026, so nothing in it can close
 * the element.
 */
int feeds_jsonld_article(struct buf *, const struct feeds_site *, const struct article *);
int feeds_jsonld_website(struct buf *, const struct feeds_site *);

/*
 * The article list for portal applications, CSV after RFC 4180 (CRLF,
 * fields quoted when they hold , " CR or LF), behind a UTF-8 byte order
 * mark so that Excel reads it as UTF-8.  Columns: 링크, 제목, 기자,
 * 입력시간 (YYYY-MM-DD HH:MM, Seoul), 섹션, 구분.  A cell a spreadsheet
 * would run as a formula (= + - @ first) gets a leading apostrophe.
 */
int feeds_csv_header(struct buf *);
int feeds_csv_row(struct buf *, struct arena *, const struct feeds_site *, const struct article *);

/* Writes the absolute URL of an article, unescaped: the canonical one
 * (with its slug, percent-encoded) or, when permanent, /articles/{id},
 * which guids and ids use. */
int feeds_put_article_url(struct buf *, const struct feeds_site *, const struct article *, int permanent);

/* The later of updated_at and published_at: what "modified" means in
 * every format (dateModified, lastmod, Atom updated). */
time_t feeds_modified(time_t published_at, time_t updated_at);

#endif
