/*
 * text.c - escaping for the feeds module: every string a feed, sitemap or
 * JSON-LD block prints goes through here, so that whatever a reporter
 * typed (or an import brought in) the document still parses.
 *
 * The store keeps valid UTF-8, but a feed is read by strict parsers at
 * portals that drop a whole feed over one bad byte, so this layer does
 * not trust that: invalid sequences become U+FFFD, and in XML the
 * characters XML 1.0 does not allow (C0 controls but tab, LF and CR;
 * U+FFFE, U+FFFF) are dropped.  Everything else - emoji, conjoining
 * Hangul jamo, the text of "]]>" - passes through unchanged, escaped.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "feeds/feeds.h"
#include "feeds/feeds_int.h"

#define REPLACEMENT "\xef\xbf\xbd"   /* U+FFFD */

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if it is
 * not one (overlong forms, surrogates and values past U+10FFFF are not). */
static size_t
utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

/*
 * Walks s, handing runs of acceptable text to esc and writing U+FFFD for
 * each invalid byte; xml also drops U+FFFE and U+FFFF (esc drops the C0
 * controls itself).  Runs keep escaping close to memcpy speed on long
 * bodies.
 */
static int
clean(struct buf *b, const char *s, int xml, int (*esc)(struct buf *, const char *, size_t))
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), i = 0, start = 0, k;

	while (i < n) {
		k = utf8_seq(p + i, n - i);
		if (k == 1 || (k > 1 && !(xml && k == 3 && p[i] == 0xef && p[i + 1] == 0xbf &&
		    (p[i + 2] == 0xbe || p[i + 2] == 0xbf)))) {
			i += k;
			continue;
		}
		if (esc(b, (const char *)p + start, i - start))
			return BUF_EFULL;
		if (k == 0 && buf_puts(b, REPLACEMENT))
			return BUF_EFULL;
		i += k ? k : 1;
		start = i;
	}
	return esc(b, (const char *)p + start, n - start);
}

int
feeds_xml(struct buf *b, const char *s)
{
	return clean(b, s, 1, buf_put_xml);
}

int
feeds_jstr(struct buf *b, const char *s)
{
	if (buf_putc(b, '"') || clean(b, s, 0, buf_put_json))
		return BUF_EFULL;
	return buf_putc(b, '"');
}

static int
put_raw(struct buf *b, const char *p, size_t n)
{
	return buf_put(b, p, n);
}

int
feeds_utf8(struct buf *b, const char *s)
{
	return clean(b, s, 0, put_raw);
}

int
feeds_xml_url(struct buf *b, const struct feeds_site *site, const char *path)
{
	if (feeds_xml(b, site->base_url))
		return BUF_EFULL;
	return feeds_xml(b, path);
}

int
feeds_jstr_url(struct buf *b, const struct feeds_site *site, const char *path)
{
	struct buf u = BUF_INIT;
	int rc;

	if (buf_puts(&u, site->base_url) || buf_puts(&u, path))
		rc = BUF_EFULL;
	else
		rc = feeds_jstr(b, u.p);
	buf_free(&u);
	return rc;
}

/*
 * The canonical URL carries the slug as the site's pages print it; the
 * permanent one is /articles/{id}, which the site answers whatever the
 * slug becomes, so guids and ids built from it survive every edit.  The
 * slug is percent-encoded as one path segment in case a hostile one ever
 * got past the store.
 */
int
feeds_put_article_url(struct buf *b, const struct feeds_site *site, const struct article *art,
    int permanent)
{
	if (buf_puts(b, site->base_url) || buf_printf(b, "/articles/%lld", (long long)art->id))
		return BUF_EFULL;
	if (!permanent && art->slug && art->slug[0])
		if (buf_putc(b, '/') || buf_put_url(b, art->slug, strlen(art->slug)))
			return BUF_EFULL;
	return BUF_OK;
}

int
feeds_xml_article_url(struct buf *b, const struct feeds_site *site, const struct article *art,
    int permanent)
{
	struct buf u = BUF_INIT;
	int rc;

	rc = feeds_put_article_url(&u, site, art, permanent);
	if (rc == BUF_OK)
		rc = feeds_xml(b, u.p ? u.p : "");
	buf_free(&u);
	return rc;
}

int
feeds_jstr_article_url(struct buf *b, const struct feeds_site *site, const struct article *art,
    int permanent)
{
	struct buf u = BUF_INIT;
	int rc;

	rc = feeds_put_article_url(&u, site, art, permanent);
	if (rc == BUF_OK)
		rc = feeds_jstr(b, u.p ? u.p : "");
	buf_free(&u);
	return rc;
}

int
feeds_email_ok(const char *s)
{
	static const char placeholder[] = "@byline.invalid";
	const char *at = NULL, *p;
	unsigned char c;
	size_t n;

	if (s == NULL || (n = strlen(s)) < 3 || n > 254)
		return 0;
	for (p = s; *p; p++) {
		c = (unsigned char)*p;
		if (c == '@') {
			if (at)
				return 0;
			at = p;
		} else if (c <= ' ' || c >= 0x7f || strchr("()<>[],;:\"\\", c)) {
			return 0;
		}
	}
	if (at == NULL || at == s || at[1] == '\0')
		return 0;
	return !(n >= sizeof placeholder - 1 &&
	    strcmp(s + n - (sizeof placeholder - 1), placeholder) == 0);
}

time_t
feeds_modified(time_t published_at, time_t updated_at)
{
	return updated_at > published_at ? updated_at : published_at;
}

const char *
feeds_full_body(struct arena *a, const struct article *art)
{
	struct buf b = BUF_INIT;
	const char *out;

	if (art->body == NULL)
		return NULL;
	if (art->source_note == NULL || art->source_note[0] == '\0')
		return art->body;
	/* The body is sanitized HTML; the source note is text, so it is
	 * escaped before it joins the HTML.  (A body too big to take the
	 * line goes out as it is.) */
	if (buf_puts(&b, art->body) || buf_puts(&b, "\n<p class=\"source\">[뉴스출처 : ") ||
	    buf_put_html(&b, art->source_note, strlen(art->source_note)) || buf_puts(&b, "]</p>"))
		out = art->body;
	else
		out = arena_strndup(a, b.p, b.len);
	buf_free(&b);
	return out;
}
