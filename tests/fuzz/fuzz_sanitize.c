/*
 * fuzz_sanitize.c - libFuzzer harness for render/sanitize.
 *
 * Part of the fuzz suite (make fuzz; run: build/fuzz/fuzz_sanitize
 * -dict=tests/fuzz/sanitize.dict tests/fuzz/corpus/sanitize).  Feeds
 * arbitrary bytes to sanitize_html(), sanitize_text() and
 * sanitize_text_to_html() and aborts when an invariant breaks:
 *   - the HTML output, parsed again with gumbo as a browser would, holds
 *     only allowed elements and attributes and only http/https/mailto/
 *     relative URLs (checked here, independently of sanitize.c);
 *   - sanitizing the output again gives the same bytes (idempotence), and
 *     the output of sanitize_text_to_html() is such a fixed point too;
 *   - outputs are valid UTF-8, sanitize_text() has no control characters;
 *   - gumbo's tree stays shallow (the pre-pass nesting budget holds).
 */
#include <ctype.h>
#include <gumbo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "render/sanitize.h"
#include "../unit/sanitize_allowlist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 2 x the pre-pass budget (256) plus the implied tbody/tr of tables. */
#define TREE_DEPTH_BOUND (3 * 256 + 16)

static void
die(const char *what, const char *detail, const char *out, size_t n)
{
	fprintf(stderr, "fuzz_sanitize: %s: %s\noutput (%zu bytes): %.*s\n",
	    what, detail ? detail : "", n, (int)(n > 2000 ? 2000 : n), out ? out : "");
	abort();
}

/* Every byte <= 0x20 and DEL removed anywhere, then the scheme check. */
static int
url_safe(const char *v, int is_href)
{
	char s[1 << 16];
	size_t n = 0, k;

	for (; *v && n < sizeof s - 1; v++)
		if ((unsigned char)*v > 0x20 && *v != 0x7f)
			s[n++] = (char)tolower((unsigned char)*v);
	s[n] = '\0';
	if (strstr(s, "script:") || !strncmp(s, "data:", 5))
		return 0;
	for (k = 0; k < n; k++)
		if (strchr(":/?#\\", s[k]))
			break;
	if (k == n || s[k] != ':')
		return 1;
	return (k == 4 && !strncmp(s, "http", 4)) || (k == 5 && !strncmp(s, "https", 5)) ||
	    (is_href && k == 6 && !strncmp(s, "mailto", 6));
}

static void
check_dom(const char *out, size_t n)
{
	GumboOptions opt = kGumboDefaultOptions;
	GumboOutput *g;
	const GumboNode *stack[SANITIZE_MAX_DEPTH + 64];
	unsigned idx[SANITIZE_MAX_DEPTH + 64];
	int sp = 0;

	opt.fragment_context = GUMBO_TAG_BODY;
	opt.max_errors = 0;
	g = gumbo_parse_with_options(&opt, out, n);
	stack[0] = g->root;
	idx[0] = 0;
	while (sp >= 0) {
		const GumboNode *p = stack[sp], *c;
		const GumboElement *e;
		unsigned i;

		if (idx[sp] >= p->v.element.children.length) {
			sp--;
			continue;
		}
		c = p->v.element.children.data[idx[sp]++];
		if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE)
			continue;
		if (c->type != GUMBO_NODE_ELEMENT)
			die("node that is not an element or text", NULL, out, n);
		e = &c->v.element;
		if (e->tag_namespace != GUMBO_NAMESPACE_HTML || !elem_allowed(e->tag))
			die("element not allowed", gumbo_normalized_tagname(e->tag), out, n);
		for (i = 0; i < e->attributes.length; i++) {
			const GumboAttribute *a = e->attributes.data[i];

			if (!attr_allowed(e->tag, a->name))
				die("attribute not allowed", a->name, out, n);
			if ((!strcmp(a->name, "href") || !strcmp(a->name, "src")) &&
			    !url_safe(a->value, a->name[0] == 'h'))
				die("URL not allowed", a->value, out, n);
			if (!strcmp(a->name, "rel") && strcmp(a->value, "noopener nofollow ugc"))
				die("rel", a->value, out, n);
		}
		/* void elements (br, img, hr) may sit inside the deepest one */
		if (sp + 1 > SANITIZE_MAX_DEPTH + (e->tag == GUMBO_TAG_BR ||
		    e->tag == GUMBO_TAG_IMG || e->tag == GUMBO_TAG_HR))
			die("output nested deeper than SANITIZE_MAX_DEPTH", NULL, out, n);
		stack[++sp] = c;
		idx[sp] = 0;
	}
	gumbo_destroy_output(&opt, g);
}

static int
valid_utf8(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k, need;
	unsigned long cp;

	while (i < n) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if (u[i] >= 0xC2 && u[i] <= 0xDF)
			need = 1, cp = u[i] & 0x1F;
		else if (u[i] >= 0xE0 && u[i] <= 0xEF)
			need = 2, cp = u[i] & 0x0F;
		else if (u[i] >= 0xF0 && u[i] <= 0xF4)
			need = 3, cp = u[i] & 0x07;
		else
			return 0;
		for (k = 1; k <= need; k++) {
			if (i + k >= n || (u[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (u[i + k] & 0x3F);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* Checks a sanitize_html() result, including that it is a fixed point. */
static void
check_html(const char *out, size_t n)
{
	struct buf again;

	if (memchr(out, '\0', n))
		die("NUL in output", NULL, out, n);
	if (!valid_utf8(out, n))
		die("output is not UTF-8", NULL, out, n);
	check_dom(out, n);
	buf_init(&again, 0);
	if (sanitize_html(out, n, &again) != SANITIZE_OK)
		die("second run failed", NULL, out, n);
	if (again.len != n || (n && memcmp(again.p, out, n)))
		die("not idempotent; second run", again.p, out, n);
	buf_free(&again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct sanitize_stats st;
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	if (sanitize_html_stats(in, size, &b, &st) == SANITIZE_OK) {
		check_html(b.p ? b.p : "", b.len);
		if (st.tree_depth > TREE_DEPTH_BOUND)
			die("gumbo tree deeper than the pre-pass bound", NULL, b.p, b.len);
	}
	buf_free(&b);

	buf_init(&b, 0);
	if (sanitize_text(in, size, &b) == SANITIZE_OK && b.len) {
		if (!valid_utf8(b.p, b.len))
			die("sanitize_text output is not UTF-8", NULL, b.p, b.len);
		for (i = 0; i < b.len; i++)
			if (((unsigned char)b.p[i] < 0x20 && b.p[i] != '\n') || b.p[i] == 0x7f)
				die("control character in sanitize_text output", NULL, b.p, b.len);
		if (b.p[0] == ' ' || b.p[0] == '\n' || b.p[b.len - 1] == ' ' || b.p[b.len - 1] == '\n')
			die("sanitize_text output not trimmed", NULL, b.p, b.len);
	}
	buf_free(&b);

	buf_init(&b, 0);
	if (sanitize_text_to_html(in, size, &b) == SANITIZE_OK)
		check_html(b.p ? b.p : "", b.len);
	buf_free(&b);
	return 0;
}
