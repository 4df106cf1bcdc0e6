/*
 * feeds_int.h - what the feeds module's files share: escaping that
 * survives any input (text.c) and the little facts about an article that
 * several formats print the same way.
 *
 * Internal to src/feeds/; the module's public face is feeds.h.
 */
#ifndef SINMUN_FEEDS_FEEDS_INT_H
#define SINMUN_FEEDS_FEEDS_INT_H

#include <stddef.h>
#include <time.h>

#include "core/buf.h"
#include "feeds/feeds.h"
#include "store/store.h"

struct arena;

/* How categories name their taxonomy in RSS (domain) and Atom (scheme),
 * so that a kind and a section with the same words never mix. */
#define FEEDS_SCHEME_SECTION "urn:x-sinmun:section"
#define FEEDS_SCHEME_KIND    "urn:x-sinmun:kind"

/* s (NULL = "") as XML text or attribute value: & < > " ' escaped,
 * invalid UTF-8 replaced by U+FFFD, characters XML 1.0 forbids dropped. */
int feeds_xml(struct buf *, const char *s);
/* s (NULL = "") as a JSON string literal with its quotes; invalid UTF-8
 * replaced by U+FFFD; < > & escaped so it can sit inside <script>. */
int feeds_jstr(struct buf *, const char *s);
/* s (NULL = "") unescaped but with invalid UTF-8 replaced by U+FFFD. */
int feeds_utf8(struct buf *, const char *s);
/* base_url + path, escaped for XML. */
int feeds_xml_url(struct buf *, const struct feeds_site *, const char *path);
/* base_url + path as a JSON string literal. */
int feeds_jstr_url(struct buf *, const struct feeds_site *, const char *path);
/* The article's URL (canonical or permanent) escaped for XML / as JSON. */
int feeds_xml_article_url(struct buf *, const struct feeds_site *, const struct article *, int permanent);
int feeds_jstr_article_url(struct buf *, const struct feeds_site *, const struct article *, int permanent);

/* 1 when s looks like an address a feed may print: one @, printable
 * ASCII without spaces or specials, and not a placeholder
 * (@byline.invalid, which the site never shows). */
int feeds_email_ok(const char *s);

/* The body with, for a press release, the source line the article page
 * shows ([뉴스출처 : 기관]); body may be NULL (returns NULL). */
const char *feeds_full_body(struct arena *, const struct article *);

#endif
