/*
 * sanitize.h - the HTML allowlist sanitizer that every article body passes
 * before it is stored, and the plain-text helpers built on it.
 *
 * Part of render.  The editor posts HTML; the store keeps only what
 * sanitize_html() returns, so templates can print a stored body without
 * escaping it.  sanitize_text() gives the plain text used for summaries,
 * search indexing and meta descriptions; sanitize_text_to_html() turns text a
 * writer typed (no markup) into paragraphs.
 *
 * What is kept (everything else is removed):
 *   elements   p br strong em u s a h2 h3 h4 ul ol li blockquote figure
 *              figcaption img table thead tbody tr th td sub sup hr
 *              (b->strong, i->em, strike/del->s, h1->h2, h5/h6->h4,
 *              tfoot->tbody; span is always unwrapped)
 *   attributes a[href title], img[src alt width height], td/th[colspan
 *              rowspan], ol[start]; the sanitizer adds
 *              rel="noopener nofollow ugc" to links that leave the site.
 *   URLs       http, https, mailto (href only) and relative URLs.
 * The output is normalized: properly nested, every element closed,
 * attribute values double-quoted, top-level text wrapped in <p>, and
 * sanitizing it again gives the same bytes.  sanitize.c has the details.
 */
#ifndef SINMUN_RENDER_SANITIZE_H
#define SINMUN_RENDER_SANITIZE_H

#include <stddef.h>

struct buf;

/* Inputs longer than this are refused (an article is far smaller). */
#define SANITIZE_MAX_INPUT (2u << 20)
/* Output nesting depth; deeper markup is flattened (text kept). */
#define SANITIZE_MAX_DEPTH 100

enum sanitize_err {
	SANITIZE_OK = 0,
	SANITIZE_ETOOBIG,   /* len > SANITIZE_MAX_INPUT; out untouched */
	SANITIZE_EFULL,     /* out's cap was hit; out is left as it was */
};

/* Numbers about one run, for the tests, the fuzz harness and logging. */
struct sanitize_stats {
	size_t tree_depth;    /* depth of gumbo's parse tree */
	size_t tags_dropped;  /* start tags dropped by the nesting/count budget */
};

/*
 * Parses html (len bytes, UTF-8, any garbage) as an HTML5 body fragment and
 * appends the allowed subset to out as well-formed, normalized HTML.
 * Returns SANITIZE_OK (0), or non-zero if out's cap was hit or the input is
 * over SANITIZE_MAX_INPUT; on error out is left as it was.
 */
int sanitize_html(const char *html, size_t len, struct buf *out);
/* The same, filling *st (which may be NULL). */
int sanitize_html_stats(const char *html, size_t len, struct buf *out,
    struct sanitize_stats *st);

/*
 * Plain text of sanitized or raw HTML: block elements separated by one
 * newline, table cells by a space, entities decoded, whitespace collapsed,
 * no leading or trailing whitespace.  Only content sanitize_html() would keep
 * is included (no script or style text).  The result is NOT escaped: it is
 * text, and whoever prints it into HTML, XML or JSON escapes it there.
 */
int sanitize_text(const char *html, size_t len, struct buf *out);

/*
 * Plain text typed by a writer -> HTML: a blank line separates paragraphs
 * (<p>...</p>, one per line of output), a single newline becomes <br>,
 * everything is escaped.  The result is a fixed point of sanitize_html().
 */
int sanitize_text_to_html(const char *text, size_t len, struct buf *out);

#endif
