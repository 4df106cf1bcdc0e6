/*
 * feeds.c - the site's feed and sitemap URLs, and the JSON-LD of its
 * pages: which articles go where, content types, validators (ETag,
 * Last-Modified) and conditional answers (304).
 *
 * The documents themselves are written by the feeds module
 * (src/feeds/feeds.h); this file reads the store and answers HTTP.
 *
 *   /rss.xml  /atom.xml  /feed.json        the latest 50 articles
 *   /rss/press.xml                         press releases (보도자료) alone
 *   /sections/{slug}/rss.xml, /reporters/{id}/rss.xml, /tags/{tag}/rss.xml
 *   /sitemap.xml                           index of the sitemaps below
 *   /sitemaps/YYYY-MM.xml [-N]             a month's articles (pages past 45,000)
 *   /sitemaps/sections.xml, /sitemaps/reporters.xml
 *   /news-sitemap.xml                      Google News: the last 48 hours
 *
 * Only published articles ever reach a document: every read asks the
 * store for status = published, and full bodies are read again one by
 * one and checked again.  Nothing is cached here, so an unpublished or
 * edited article shows at the next request.
 *
 * Validators.  The ETag is a hash of the bytes, so it is right whatever
 * changed.  Last-Modified must never go backwards while the content
 * changes, which a feed's own newest item cannot promise (an article that
 * is unpublished, or moved to another section, leaves a feed without
 * leaving a newer item behind), so it is the newest change of any article
 * that is or was published - see last_change().  The news sitemap depends
 * on the clock (a 48-hour window) and so has an ETag only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/kdate.h"
#include "core/log.h"
#include "feeds/feeds.h"
#include "news/news.h"
#include "site/site_int.h"
#include "store/store.h"

#define CT_RSS   "application/rss+xml; charset=utf-8"
#define CT_ATOM  "application/atom+xml; charset=utf-8"
#define CT_JSON  "application/feed+json; charset=utf-8"
#define CT_XML   "application/xml; charset=utf-8"

/* Feeds may be stored but are revalidated on every use: an unpublished
 * article (a correction, a court order) must leave at the next request,
 * and the ETag makes the revalidation a cheap 304. */
#define CACHE_CONTROL "public, no-cache"

/*
 * A month's sitemap holds at most this many URLs and continues in
 * /sitemaps/YYYY-MM-2.xml and on.  Below the protocol's 50,000 so that a
 * page read (50,000 rows) can step over up to 5,000 articles published in
 * the same second as the previous page's last one.
 */
#define SITEMAP_PAGE  45000

/* The largest sitemap body: the protocol's 50 MB uncompressed. */
#define SITEMAP_BYTES (50u * 1000u * 1000u)

/* Unpublished articles looked at for last_change(); past this many
 * Last-Modified is left out (the ETag still validates). */
#define UNPUBLISHED_SCAN 1000

enum feed_format {
	FEED_RSS,
	FEED_ATOM,
	FEED_JSON,
	FEED__MAX
};

static const char *const feed_types[FEED__MAX] = { CT_RSS, CT_ATOM, CT_JSON };

/* ---- the paper as the feeds module sees it ---- */

static void
site_info(struct site_ctx *c, struct feeds_site *fs)
{
	const char *logo = site_setting(c, "logo_url");

	fs->name = c->site_name;
	fs->description = site_setting(c, "site_description");
	fs->base_url = c->base_url;
	/* logo_url may be absolute or a path on the site; without one the
	 * site's icon stands in. */
	if (logo[0] == '/')
		fs->logo_url = arena_printf(c->a, "%s%s", c->base_url, logo);
	else if (logo[0])
		fs->logo_url = logo;
	else
		fs->logo_url = arena_printf(c->a, "%s/static/favicon.svg", c->base_url);
	fs->language = "ko";
}

/*
 * The newest change of any article that is or was published: the newest
 * published_at/updated_at of the published ones, and the newest
 * updated_at of the unpublished ones (unpublishing stamps updated_at).
 * *out is 0 when it cannot be known (then no Last-Modified is sent).
 * The unpublished articles read on the way are left in *gone (at most
 * UNPUBLISHED_SCAN of them) for callers that need them.
 */
static int
last_change(struct site_ctx *c, time_t *out, struct article_list *gone)
{
	struct article_query q;
	time_t t;
	int rc, i;

	*out = 0;
	memset(&q, 0, sizeof q);
	q.status = ARTICLE_UNPUBLISHED;
	q.limit = UNPUBLISHED_SCAN;
	q.want_total = 1;
	if ((rc = store_articles_last_change(c->st, &t)) != STORE_OK ||
	    (rc = store_articles_list(c->st, c->a, &q, gone)) != STORE_OK)
		return rc;
	if (gone->total > gone->n)
		return STORE_OK;
	for (i = 0; i < gone->n; i++)
		if (gone->items[i].updated_at > t)
			t = gone->items[i].updated_at;
	*out = t;
	return STORE_OK;
}

/* ---- conditional requests ---- */

/* 1 when the If-None-Match list names etag, by the weak comparison
 * RFC 9110 asks for here (W/"x" matches "x"), or is "*". */
static int
etag_listed(struct str h, const char *etag)
{
	const char *p = h.p, *end = h.p + h.len, *q;
	size_t elen = strlen(etag);

	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
			p++;
		if (p == end)
			break;
		if (*p == '*')
			return 1;
		if (end - p >= 2 && p[0] == 'W' && p[1] == '/')
			p += 2;
		if (p == end || *p != '"')
			return 0;
		if ((q = memchr(p + 1, '"', (size_t)(end - p - 1))) == NULL)
			return 0;
		if ((size_t)(q + 1 - p) == elen && memcmp(p, etag, elen) == 0)
			return 1;
		p = q + 1;
	}
	return 0;
}

/* Reads exactly n digits. */
static int
digits(const char **p, const char *end, int n, int *out)
{
	int v = 0;

	if (end - *p < n)
		return -1;
	while (n-- > 0) {
		if (**p < '0' || **p > '9')
			return -1;
		v = v * 10 + (*(*p)++ - '0');
	}
	*out = v;
	return 0;
}

static int
lit(const char **p, const char *end, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(end - *p) < n || memcmp(*p, s, n) != 0)
		return -1;
	*p += n;
	return 0;
}

static int
month_abbr(const char **p, const char *end)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;

	if (end - *p < 3)
		return -1;
	for (i = 0; i < 12; i++)
		if (memcmp(*p, names + 3 * i, 3) == 0) {
			*p += 3;
			return i + 1;
		}
	return -1;
}

static int
hms(const char **p, const char *end, int *h, int *mi, int *s)
{
	if (digits(p, end, 2, h) || lit(p, end, ":") || digits(p, end, 2, mi) || lit(p, end, ":") ||
	    digits(p, end, 2, s) || *h > 23 || *mi > 59 || *s > 60)
		return -1;
	return 0;
}

/*
 * An HTTP-date (RFC 9110 5.6.7) in any of its three forms:
 *   Sun, 06 Nov 1994 08:49:37 GMT     (IMF-fixdate)
 *   Sunday, 06-Nov-94 08:49:37 GMT    (RFC 850)
 *   Sun Nov  6 08:49:37 1994          (asctime)
 * Returns 0 and sets *t, or -1.  The weekday is not checked.
 */
static int
http_date(struct str v, time_t *t)
{
	const char *p = v.p, *end = v.p + v.len, *comma;
	int y, mo, d, h, mi, s;

	static const int dm[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (p == NULL || v.len < 24 || v.len > 40)
		return -1;
	comma = memchr(p, ',', v.len);
	if (comma == p + 3) {
		p += 4;
		if (lit(&p, end, " ") || digits(&p, end, 2, &d) || lit(&p, end, " ") ||
		    (mo = month_abbr(&p, end)) < 0 || lit(&p, end, " ") || digits(&p, end, 4, &y) ||
		    lit(&p, end, " ") || hms(&p, end, &h, &mi, &s) || lit(&p, end, " GMT"))
			return -1;
	} else if (comma != NULL && comma > p + 5 && comma < p + 10) {
		p = comma + 1;
		if (lit(&p, end, " ") || digits(&p, end, 2, &d) || lit(&p, end, "-") ||
		    (mo = month_abbr(&p, end)) < 0 || lit(&p, end, "-") || digits(&p, end, 2, &y) ||
		    lit(&p, end, " ") || hms(&p, end, &h, &mi, &s) || lit(&p, end, " GMT"))
			return -1;
		/* Two-digit years: the RFC's "more than 50 years in the future"
		 * rule, settled for the dates a client can have seen from us. */
		y += y < 70 ? 2000 : 1900;
	} else if (comma == NULL) {
		p += 3;
		if (lit(&p, end, " ") || (mo = month_abbr(&p, end)) < 0 || lit(&p, end, " "))
			return -1;
		if (p < end && *p == ' ') {
			p++;
			if (digits(&p, end, 1, &d))
				return -1;
		} else if (digits(&p, end, 2, &d)) {
			return -1;
		}
		if (lit(&p, end, " ") || hms(&p, end, &h, &mi, &s) || lit(&p, end, " ") ||
		    digits(&p, end, 4, &y))
			return -1;
	} else {
		return -1;
	}
	if (p != end || y < 1970 || d < 1 || d > dm[mo - 1] ||
	    (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
		return -1;
	*t = (time_t)(kdate_days_from_civil(y, mo, d) * 86400L + h * 3600L + mi * 60L + s);
	return 0;
}

/*
 * Sends what is in the response body with its validators, or 304 when
 * the client's copy is current.  If-None-Match wins over
 * If-Modified-Since (RFC 9110 13.1.3); a date in the future or one that
 * does not parse is ignored, as the RFC asks.
 */
static void
answer(struct site_ctx *c, const char *ctype, time_t last_modified)
{
	unsigned char hash[16];
	char etag[2 + 2 * sizeof hash + 1], date[KDATE_MAX];
	struct str inm, ims;
	time_t since;
	int not_modified = 0;
	size_t i;

	crypto_generichash(hash, sizeof hash, (const unsigned char *)c->res->body.p, c->res->body.len,
	    NULL, 0);
	etag[0] = '"';
	for (i = 0; i < sizeof hash; i++)
		snprintf(etag + 1 + 2 * i, 3, "%02x", hash[i]);
	etag[1 + 2 * sizeof hash] = '"';
	etag[2 + 2 * sizeof hash] = '\0';
	http_res_header(c->res, "ETag", arena_strdup(c->a, etag));
	/* A change dated in the future (a skewed clock, an import) is sent as
	 * now, as RFC 9110 8.8.2.1 asks. */
	if (last_modified > c->req->now)
		last_modified = c->req->now;
	if (last_modified > 0) {
		kdate_http(last_modified, date);
		http_res_header(c->res, "Last-Modified", arena_strdup(c->a, date));
	}
	http_res_header(c->res, "Cache-Control", CACHE_CONTROL);
	http_res_header(c->res, "X-Content-Type-Options", "nosniff");
	inm = http_req_header(c->req, "if-none-match");
	ims = http_req_header(c->req, "if-modified-since");
	if (inm.p != NULL)
		not_modified = etag_listed(inm, etag);
	else if (ims.p != NULL && last_modified > 0 && http_date(ims, &since) == 0 &&
	    since <= c->req->now && last_modified <= since)
		not_modified = 1;
	if (not_modified) {
		c->res->status = 304;
		c->res->content_type = NULL;
		buf_reset(&c->res->body);
		return;
	}
	c->res->content_type = ctype;
}

/* ---- feeds ---- */

static int
write_feed(struct site_ctx *c, enum feed_format fmt, const struct feeds_site *fs,
    const struct feeds_channel *ch, const struct article *items, int n)
{
	switch (fmt) {
	case FEED_ATOM: return feeds_atom(&c->res->body, c->a, fs, ch, items, n);
	case FEED_JSON: return feeds_json(&c->res->body, c->a, fs, ch, items, n);
	default: return feeds_rss(&c->res->body, c->a, fs, ch, items, n);
	}
}

/*
 * One feed: the latest FEEDS_ITEMS published articles q selects, with
 * their full bodies.  List reads carry no bodies, so each article is read
 * again - and dropped if it stopped being published in between.
 */
static void
feed(struct site_ctx *c, enum feed_format fmt, struct article_query *q, const char *title,
    const char *html_path, const char *self_path)
{
	struct feeds_site fs;
	struct feeds_channel ch;
	struct article_list l, gone;
	struct article *full;
	time_t lm;
	int rc, i, n = 0;

	q->status = ARTICLE_PUBLISHED;
	q->offset = 0;
	q->limit = FEEDS_ITEMS;
	if ((rc = store_articles_list(c->st, c->a, q, &l)) != STORE_OK ||
	    (rc = last_change(c, &lm, &gone)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	full = arena_calloc(c->a, (size_t)(l.n ? l.n : 1), sizeof *full);
	memset(&ch, 0, sizeof ch);
	for (i = 0; i < l.n; i++) {
		rc = store_article_get(c->st, c->a, l.items[i].id, &full[n]);
		if (rc == STORE_NOTFOUND || (rc == STORE_OK && full[n].status != ARTICLE_PUBLISHED))
			continue;
		if (rc != STORE_OK) {
			site_store_failed(c, rc);
			return;
		}
		if (feeds_modified(full[n].published_at, full[n].updated_at) > ch.updated)
			ch.updated = feeds_modified(full[n].published_at, full[n].updated_at);
		n++;
	}
	site_info(c, &fs);
	ch.title = title;
	ch.description = site_setting(c, "site_description");
	ch.html_path = html_path;
	ch.self_path = self_path;
	/* Bodies of up to 1 MiB each could pass the response cap: rather than
	 * fail, the feed shrinks until it fits (readers fetch it again). */
	buf_reset(&c->res->body);
	while (write_feed(c, fmt, &fs, &ch, full, n) != BUF_OK) {
		buf_reset(&c->res->body);
		if (n <= 1) {
			log_error("feed %s does not fit the response cap", self_path);
			site_error(c, 500, "피드를 만들지 못했습니다.");
			return;
		}
		log_warn("feed %s: %d articles pass the response cap; sending %d", self_path, n, n / 2);
		n /= 2;
	}
	answer(c, feed_types[fmt], lm);
}

/* A path segment a feed can be named by: not empty, not too long, no
 * '/' (the path is decoded) and no control characters. */
static int
segment_ok(const char *s, size_t n, size_t max)
{
	size_t i;

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == '/')
			return 0;
	return 1;
}

/* "/sections/" and the slug percent-encoded as one segment (the same
 * bytes as the site's own links for the ASCII slugs the store keeps). */
static const char *
section_path(struct site_ctx *c, const char *slug)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_puts(&b, "/sections/");
	buf_put_url(&b, slug, strlen(slug));
	out = arena_strndup(c->a, b.p, b.len);
	buf_free(&b);
	return out;
}

/* /sections/{slug}/rss.xml */
static void
section_feed(struct site_ctx *c, const char *slug)
{
	struct article_query q;
	struct section sec;
	const char *path;
	int rc;

	if (!segment_ok(slug, strlen(slug), 200)) {
		site_not_found(c);
		return;
	}
	rc = store_section_by_slug(c->st, c->a, slug, &sec);
	if (rc == STORE_NOTFOUND) {
		site_not_found(c);
		return;
	}
	if (rc != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	memset(&q, 0, sizeof q);
	q.section_id = sec.id;
	path = section_path(c, sec.slug);
	feed(c, FEED_RSS, &q, arena_printf(c->a, "%s : %s", c->site_name, sec.name), path,
	    arena_printf(c->a, "%s/rss.xml", path));
}

/* /reporters/{id}/rss.xml */
static void
reporter_feed(struct site_ctx *c, const char *id_text, size_t n)
{
	struct article_query q;
	struct person who;
	int64_t id;
	int rc;

	if ((id = site_parse_id(id_text, n)) < 0) {
		site_not_found(c);
		return;
	}
	rc = store_person_get(c->st, c->a, id, &who);
	if (rc == STORE_NOTFOUND) {
		site_not_found(c);
		return;
	}
	if (rc != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	memset(&q, 0, sizeof q);
	q.person_id = who.id;
	feed(c, FEED_RSS, &q, arena_printf(c->a, who.role == ROLE_CONTRIBUTOR ? "%s : %s" : "%s : %s 기자",
	    c->site_name, who.name), arena_printf(c->a, "/reporters/%lld", (long long)who.id),
	    arena_printf(c->a, "/reporters/%lld/rss.xml", (long long)who.id));
}

/* /tags/{tag}/rss.xml: a tag no published article carries is unknown
 * (404), so that the URL space cannot be filled with empty feeds. */
static void
tag_feed(struct site_ctx *c, const char *tag)
{
	struct article_query q;
	struct article_list l;
	const char *path;
	int rc;

	if (!segment_ok(tag, strlen(tag), 4 * NEWS_TAG_MAX) || news_strlen_chars(tag) > NEWS_TAG_MAX) {
		site_not_found(c);
		return;
	}
	memset(&q, 0, sizeof q);
	q.status = ARTICLE_PUBLISHED;
	q.tag = tag;
	q.limit = 1;
	if ((rc = store_articles_list(c->st, c->a, &q, &l)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	if (l.n == 0) {
		site_not_found(c);
		return;
	}
	path = site_tag_path(c->a, tag);
	feed(c, FEED_RSS, &q, arena_printf(c->a, "%s : #%s", c->site_name, tag), path,
	    arena_printf(c->a, "%s/rss.xml", path));
}

/* ---- sitemaps ---- */

/* Sends a sitemap the writer left in the body; a sitemap may grow past
 * the page cap, to the protocol's limit. */
static void
sitemap_answer(struct site_ctx *c, int wrc, time_t lm)
{
	if (wrc != BUF_OK) {
		log_error("sitemap %.*s passes %u bytes", (int)c->req->target.len, c->req->target.p,
		    SITEMAP_BYTES);
		buf_reset(&c->res->body);
		site_error(c, 500, "사이트맵을 만들지 못했습니다.");
		return;
	}
	answer(c, CT_XML, lm);
}

/* Seoul's first second of a month. */
static time_t
month_start(int y, int m)
{
	if (m > 12) {
		y++;
		m = 1;
	}
	return (time_t)(kdate_days_from_civil(y, m, 1) * 86400L - KST_OFFSET);
}

static int
month_pages(int64_t count)
{
	return count <= SITEMAP_PAGE ? 1 : (int)((count + SITEMAP_PAGE - 1) / SITEMAP_PAGE);
}

/*
 * /sitemap.xml.  A month's lastmod is the newest change of its published
 * articles, or of an article of it that was unpublished since: the
 * month's sitemap changed then too, and crawlers should come back.
 */
static void
sitemap_index(struct site_ctx *c)
{
	struct article_month *months;
	struct article_list gone;
	struct person *people;
	struct feeds_loc *locs;
	struct feeds_site fs;
	time_t lm, mod, from, to;
	int nm, np, n = 0, i, k, pages, total = 2, rc;

	if ((rc = store_article_months(c->st, c->a, &months, &nm)) != STORE_OK ||
	    (rc = store_people_published(c->st, c->a, &people, &np)) != STORE_OK ||
	    (rc = last_change(c, &lm, &gone)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	for (i = 0; i < nm; i++)
		total += month_pages(months[i].count);
	locs = arena_calloc(c->a, (size_t)total, sizeof *locs);
	locs[n].path = "/sitemaps/sections.xml";
	locs[n++].lastmod = lm;
	if (np > 0) {
		locs[n].path = "/sitemaps/reporters.xml";
		locs[n++].lastmod = lm;
	}
	for (i = 0; i < nm; i++) {
		from = month_start(months[i].year, months[i].month);
		to = month_start(months[i].year, months[i].month + 1);
		mod = months[i].last_updated;
		for (k = 0; k < gone.n; k++)
			if (gone.items[k].published_at >= from && gone.items[k].published_at < to &&
			    gone.items[k].updated_at > mod)
				mod = gone.items[k].updated_at;
		pages = month_pages(months[i].count);
		for (k = 1; k <= pages; k++) {
			locs[n].path = k == 1 ? arena_printf(c->a, "/sitemaps/%04d-%02d.xml", months[i].year,
			    months[i].month) : arena_printf(c->a, "/sitemaps/%04d-%02d-%d.xml", months[i].year,
			    months[i].month, k);
			locs[n++].lastmod = mod;
		}
	}
	site_info(c, &fs);
	buf_reset(&c->res->body);
	c->res->body.max = SITEMAP_BYTES;
	sitemap_answer(c, feeds_sitemap_index(&c->res->body, &fs, locs, n), lm);
}

/* The newest change in a list: what a list page's lastmod is. */
static int
list_lastmod(struct site_ctx *c, struct article_query *q, time_t *out)
{
	struct article_list l;
	int rc;

	q->status = ARTICLE_PUBLISHED;
	q->limit = 1;
	*out = 0;
	if ((rc = store_articles_list(c->st, c->a, q, &l)) != STORE_OK)
		return rc;
	if (l.n > 0)
		*out = feeds_modified(l.items[0].published_at, l.items[0].updated_at);
	return STORE_OK;
}

/* /sitemaps/sections.xml (the front page and every section that has
 * articles) and /sitemaps/reporters.xml (everyone with a published
 * article). */
static void
sitemap_pages(struct site_ctx *c, int reporters)
{
	struct section *secs = NULL;
	struct person *people = NULL;
	struct article_list gone;
	struct article_query q;
	struct feeds_loc *locs;
	struct feeds_site fs;
	time_t t, lm;
	int ns = 0, np = 0, n = 0, i, rc;

	if ((rc = reporters ? store_people_published(c->st, c->a, &people, &np) :
	    store_sections_list(c->st, c->a, &secs, &ns)) != STORE_OK ||
	    (rc = last_change(c, &lm, &gone)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	if (reporters && np == 0) {
		/* An empty urlset is not a valid sitemap; the index leaves it out. */
		site_not_found(c);
		return;
	}
	locs = arena_calloc(c->a, (size_t)(ns + np + 1), sizeof *locs);
	if (!reporters) {
		if ((rc = store_articles_last_change(c->st, &t)) != STORE_OK) {
			site_store_failed(c, rc);
			return;
		}
		locs[n].path = "/";
		locs[n++].lastmod = t;
	}
	for (i = 0; i < ns + np; i++) {
		memset(&q, 0, sizeof q);
		if (reporters)
			q.person_id = people[i].id;
		else
			q.section_id = secs[i].id;
		if ((rc = list_lastmod(c, &q, &t)) != STORE_OK) {
			site_store_failed(c, rc);
			return;
		}
		if (t == 0)
			continue;
		locs[n].path = reporters ? arena_printf(c->a, "/reporters/%lld", (long long)people[i].id) :
		    section_path(c, secs[i].slug);
		locs[n++].lastmod = t;
	}
	if (n == 0) {
		site_not_found(c);
		return;
	}
	site_info(c, &fs);
	buf_reset(&c->res->body);
	c->res->body.max = SITEMAP_BYTES;
	sitemap_answer(c, feeds_sitemap_pages(&c->res->body, &fs, locs, n), lm);
}

/*
 * Page `page` (from 1) of the articles published in [since, until),
 * SITEMAP_PAGE at most, newest first.  The store reads by time, not by
 * offset, so each page starts after the previous page's last article:
 * (published_at, id) below it, stepping over the articles of that same
 * second that the previous page already listed.
 */
static int
month_page(struct site_ctx *c, time_t since, time_t until, int page, struct article_stub **out, int *n)
{
	struct article_stub *v;
	time_t at = 0;
	int64_t id = 0;
	int got, skip, take, k, rc;

	*out = NULL;
	*n = 0;
	for (k = 1; k <= page; k++) {
		rc = store_article_stubs(c->st, c->a, since, k == 1 ? until : at + 1, FEEDS_SITEMAP_MAX, &v, &got);
		if (rc != STORE_OK)
			return rc;
		skip = 0;
		if (k > 1)
			while (skip < got && v[skip].published_at == at && v[skip].id >= id)
				skip++;
		take = got - skip < SITEMAP_PAGE ? got - skip : SITEMAP_PAGE;
		if (take <= 0)
			return STORE_OK;
		if (k == page) {
			*out = v + skip;
			*n = take;
			return STORE_OK;
		}
		at = v[skip + take - 1].published_at;
		id = v[skip + take - 1].id;
	}
	return STORE_OK;
}

/* Parses "YYYY-MM" or "YYYY-MM-N" (N from 2, no leading zero); -1 for
 * anything else, so /sitemaps/2025-13.xml is a 404 like any unknown URL. */
static int
month_name(const char *s, size_t len, int *y, int *m, int *page)
{
	size_t i;
	long p = 0;

	if (len < 7 || s[4] != '-')
		return -1;
	for (i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	if (*y < 1970 || *m < 1 || *m > 12)
		return -1;
	*page = 1;
	if (len == 7)
		return 0;
	if (s[7] != '-' || len == 8 || len > 14 || s[8] == '0')
		return -1;
	for (i = 8; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		p = p * 10 + (s[i] - '0');
	}
	if (p < 2)
		return -1;
	*page = (int)p;
	return 0;
}

/* /sitemaps/YYYY-MM.xml and /sitemaps/YYYY-MM-N.xml */
static void
sitemap_month(struct site_ctx *c, const char *name, size_t len)
{
	struct article_month *months;
	struct article_stub *stubs;
	struct article_list gone;
	struct feeds_site fs;
	time_t lm;
	int y, m, page, nm, n, i, rc;

	if (month_name(name, len, &y, &m, &page) != 0) {
		site_not_found(c);
		return;
	}
	if ((rc = store_article_months(c->st, c->a, &months, &nm)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	for (i = 0; i < nm && !(months[i].year == y && months[i].month == m); i++)
		;
	if (i == nm || page > month_pages(months[i].count)) {
		site_not_found(c);
		return;
	}
	if ((rc = month_page(c, month_start(y, m), month_start(y, m + 1), page, &stubs, &n)) != STORE_OK ||
	    (rc = last_change(c, &lm, &gone)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	if (n == 0) {
		site_not_found(c);
		return;
	}
	site_info(c, &fs);
	buf_reset(&c->res->body);
	c->res->body.max = SITEMAP_BYTES;
	sitemap_answer(c, feeds_sitemap_articles(&c->res->body, &fs, stubs, n), lm);
}

/*
 * /news-sitemap.xml: what Google News reads, articles published in the
 * last 48 hours.  Advertorials stay out: a news sitemap cannot label
 * them, and paid content listed as news is what Google News' policies
 * forbid.  Press releases and contributions stay in; their pages and
 * feeds say what they are.
 */
static void
news_sitemap(struct site_ctx *c)
{
	struct article_query q;
	struct article_list l;
	struct feeds_site fs;
	int rc;

	memset(&q, 0, sizeof q);
	q.status = ARTICLE_PUBLISHED;
	q.kinds = (1u << KIND_OWN) | (1u << KIND_PRESS_RELEASE) | (1u << KIND_CONTRIBUTION);
	q.since = c->req->now - FEEDS_NEWS_WINDOW;
	q.limit = FEEDS_NEWS_MAX;
	if ((rc = store_articles_list(c->st, c->a, &q, &l)) != STORE_OK) {
		site_store_failed(c, rc);
		return;
	}
	site_info(c, &fs);
	buf_reset(&c->res->body);
	c->res->body.max = SITEMAP_BYTES;
	sitemap_answer(c, feeds_news_sitemap(&c->res->body, &fs, l.items, l.n), 0);
}

/* ---- routing ---- */

/* When path is prefix + X + suffix, points *mid at X (*len bytes) and
 * returns 1. */
static int
between(const char *path, const char *prefix, const char *suffix, const char **mid, size_t *len)
{
	size_t pl = strlen(prefix), sl = strlen(suffix), n = strlen(path);

	if (n < pl + sl || strncmp(path, prefix, pl) != 0 || strcmp(path + n - sl, suffix) != 0)
		return 0;
	*mid = path + pl;
	*len = n - pl - sl;
	return 1;
}

int
site_feeds_route(struct site_ctx *c, const char *path)
{
	struct article_query q;
	const char *mid;
	size_t len;

	memset(&q, 0, sizeof q);
	if (strcmp(path, "/rss.xml") == 0 || strcmp(path, "/atom.xml") == 0 ||
	    strcmp(path, "/feed.json") == 0) {
		if (site_is_get(c))
			feed(c, path[1] == 'r' ? FEED_RSS : path[1] == 'a' ? FEED_ATOM : FEED_JSON, &q,
			    c->site_name, "/", path);
	} else if (strcmp(path, "/rss/press.xml") == 0) {
		q.kinds = 1u << KIND_PRESS_RELEASE;
		if (site_is_get(c))
			feed(c, FEED_RSS, &q, arena_printf(c->a, "%s : %s", c->site_name,
			    article_kind_label(KIND_PRESS_RELEASE)), "/", path);
	} else if (between(path, "/sections/", "/rss.xml", &mid, &len)) {
		if (site_is_get(c))
			section_feed(c, arena_strndup(c->a, mid, len));
	} else if (between(path, "/reporters/", "/rss.xml", &mid, &len)) {
		if (site_is_get(c))
			reporter_feed(c, mid, len);
	} else if (between(path, "/tags/", "/rss.xml", &mid, &len)) {
		if (site_is_get(c))
			tag_feed(c, arena_strndup(c->a, mid, len));
	} else if (strcmp(path, "/sitemap.xml") == 0) {
		if (site_is_get(c))
			sitemap_index(c);
	} else if (strcmp(path, "/news-sitemap.xml") == 0) {
		if (site_is_get(c))
			news_sitemap(c);
	} else if (between(path, "/sitemaps/", ".xml", &mid, &len)) {
		if (!site_is_get(c))
			return 1;
		if (len == 8 && memcmp(mid, "sections", 8) == 0)
			sitemap_pages(c, 0);
		else if (len == 9 && memcmp(mid, "reporters", 9) == 0)
			sitemap_pages(c, 1);
		else
			sitemap_month(c, mid, len);
	} else {
		return 0;
	}
	return 1;
}

/* ---- structured data in pages ---- */

const char *
site_article_jsonld(struct site_ctx *c, const struct article *art)
{
	struct feeds_site fs;
	struct buf b = BUF_INIT;
	const char *out = NULL;

	site_info(c, &fs);
	if (feeds_jsonld_article(&b, &fs, art) == BUF_OK)
		out = arena_strndup(c->a, b.p, b.len);
	else
		log_error("JSON-LD of article %lld does not fit", (long long)art->id);
	buf_free(&b);
	return out;
}

const char *
site_front_jsonld(struct site_ctx *c)
{
	struct feeds_site fs;
	struct buf b = BUF_INIT;
	const char *out = NULL;

	site_info(c, &fs);
	if (feeds_jsonld_website(&b, &fs) == BUF_OK)
		out = arena_strndup(c->a, b.p, b.len);
	buf_free(&b);
	return out;
}
