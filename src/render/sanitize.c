/*
 * sanitize.c - the HTML allowlist sanitizer for article bodies.
 *
 * Part of render (see sanitize.h for the rules in short).  Three stages:
 *
 * 1. A pre-pass ("pre_") tokenizes the raw input with its own small HTML
 *    tokenizer and writes a canonical token stream: valid UTF-8, no comments,
 *    doctypes or CDATA, no raw-text elements (script, style, textarea, ...
 *    are removed with their content here), only the attributes a later stage
 *    could keep, every '<' in text escaped, and tags balanced with a bounded
 *    nesting depth.  Gumbo follows the HTML5 algorithm, which scans the stack
 *    of open elements for most tags; on deeply nested input (2 MiB of <div>)
 *    that is quadratic and takes minutes, so the nesting fed to it is capped
 *    here (PRE_MAX_DEPTH).  Because the stream is canonical, gumbo tokenizes
 *    it exactly as the pre-pass meant, and because it is balanced, gumbo's
 *    tree stays within a small factor of the pre-pass depth.
 *
 * 2. Gumbo parses that stream as a body fragment: entities are decoded and
 *    misnested markup is repaired the way browsers do it.  Its allocations go
 *    through a list allocator we free in one sweep, because
 *    gumbo_destroy_output() recurses once per tree level.
 *
 * 3. An iterative walk over gumbo's tree feeds a small tree builder ("bld")
 *    that knows the allowed elements and their content model (blocks only in
 *    flow containers, phrasing content only inside p/h2-h4/figcaption and the
 *    inline elements, li only in lists, cells only in rows).  Whatever does
 *    not fit is unwrapped, wrapped (bare text at the top gets a <p>, stray
 *    cells get a row) or split (a block inside an inline element closes it
 *    and reopens it inside the block, as browsers do).  Elements are opened
 *    lazily, when content arrives, so empty elements disappear.  The builder
 *    only ever writes what its own model allows, escaped, so the output's
 *    safety does not depend on stages 1 and 2 getting anything right, and
 *    re-parsing the output yields the same tree (the sanitizer is
 *    idempotent, which the tests and the fuzz harness check).
 *
 * Decisions worth knowing:
 *  - Dropped with all content (see drop_with_content()): elements whose
 *    content is code, hidden, or fallback markup rather than article text.
 *  - URLs: leading/trailing spaces and control characters are trimmed, tab
 *    and newline removed anywhere (browsers do the same, so "java\tscript:"
 *    is javascript:), any other control character rejects the URL.  A colon
 *    before the first / ? # or \ means a scheme, and only http, https and
 *    (href only) mailto are allowed; anything containing "script:" is
 *    refused outright.  Protocol-relative //host is allowed: it is http(s).
 *  - rel="noopener nofollow ugc" goes on links that leave the site (http,
 *    https, //host); relative links and mailto get no rel.
 *  - An <a> without a usable href is unwrapped; an <img> without a usable src
 *    is dropped.  width/height 1..10000, colspan/rowspan 1..100, ol start
 *    0..1000000, all digits only; anything else drops the attribute.
 *  - div, section, pre, dl, ... are unwrapped but still end a paragraph:
 *    at the top level their text becomes separate <p>s, inside li/td/
 *    blockquote it is separated by <br>.  A stray li (no list) or
 *    figcaption (no figure) becomes a <p>; a table caption becomes the
 *    table's first row (keeping its text is the rule for unwrapping, and
 *    text directly in a table would be moved out of it by the browser).
 *  - Depth: no output element is deeper than SANITIZE_MAX_DEPTH; deeper
 *    markup is unwrapped (its text kept), and a table or list only opens
 *    where its rows and cells or items still fit.  The pre-pass keeps at
 *    most PRE_MAX_DEPTH levels and PRE_MAX_TAGS start tags for gumbo; tags
 *    beyond that are dropped, their text kept.  With these, 2 MiB of any
 *    nesting pattern we know of sanitizes in well under a second.
 *  - Google Docs wraps a whole paste in <b id="docs-internal-guid-...">
 *    (with font-weight:normal); that b is unwrapped, not made bold.
 *  - C0 control characters other than tab, newline and form feed are
 *    dropped; CR LF becomes LF; NUL, invalid UTF-8, C1 controls and
 *    noncharacters become U+FFFD (gumbo does that to the last two anyway).
 */
#include "render/sanitize.h"

#include <gumbo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"

/* Nesting budget of the pre-pass; gumbo's tree stays within ~2x of it. */
#define PRE_MAX_DEPTH 256
/* Start tags handed to gumbo; beyond this, tags are dropped (text kept). */
#define PRE_MAX_TAGS  100000
/* Builder stack: the root and SANITIZE_MAX_DEPTH elements (fits() keeps
 * every push within that); the slack is only a second line of defence. */
#define BLD_HARD_DEPTH (SANITIZE_MAX_DEPTH + 8)
/* Inline elements waiting to be reopened after a block split them. */
#define BLD_MAX_SUSPENDED 16

static const char REPLACEMENT[] = "\xEF\xBF\xBD";   /* U+FFFD */
static const char LINK_REL[] = "noopener nofollow ugc";

/* ------------------------------------------------------------------ */
/* Bytes and characters                                                */
/* ------------------------------------------------------------------ */

static int
is_html_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static int
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static unsigned char
to_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* s (n bytes) equals the lowercase literal lit, ignoring ASCII case. */
static int
ci_eq(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lit[i] == '\0' || to_lower((unsigned char)s[i]) != (unsigned char)lit[i])
			return 0;
	return lit[n] == '\0';
}

/*
 * One UTF-8 sequence at s (n > 0 bytes left).  Returns 1 and its length in
 * *adv if it is valid (no overlongs, surrogates or values past U+10FFFF), or
 * 0 and the length of the maximal invalid prefix, which becomes one U+FFFD
 * (the WHATWG decoder's rule, so we agree with browsers on where text goes).
 */
static int
utf8_seq(const unsigned char *s, size_t n, size_t *adv)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t need, k;

	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		*adv = 1;
		return 0;
	}
	for (k = 1; k <= need; k++) {
		if (k >= n || s[k] < lo || s[k] > hi) {
			*adv = k;
			return 0;
		}
		lo = 0x80;
		hi = 0xBF;
	}
	*adv = need + 1;
	return 1;
}

/*
 * A valid sequence that gumbo still turns into U+FFFD: C1 controls and
 * noncharacters (its utf8_is_invalid_code_point()).  Doing the same here
 * keeps a second run from changing what the first one wrote.
 */
static int
utf8_forbidden(const unsigned char *s, size_t len)
{
	unsigned long cp;
	size_t k;

	cp = s[0] & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
	for (k = 1; k < len; k++)
		cp = cp << 6 | (s[k] & 0x3F);
	return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF) ||
	    (cp & 0xFFFE) == 0xFFFE;
}

#define CLEAN_HTML  1u  /* escape & < > " ' (buf_put_html) */
#define CLEAN_LT    2u  /* escape < only: pre-pass text */
#define CLEAN_QUOT  4u  /* escape " only: pre-pass attribute values */
#define CLEAN_CRLF  8u  /* CR LF and lone CR become LF (else CR is dropped) */

/*
 * Appends s with the character clean-up every stage applies: invalid UTF-8
 * and NUL become U+FFFD, other C0 controls (but tab, LF, FF) and DEL are
 * dropped, CR is normalized, and the escaping flags apply.  The builder uses
 * the same function as the pre-pass so that a second run sees exactly what
 * the first one wrote; CR is dropped there, not turned into LF, because the
 * only CR it can see came from a &#13; next to a real newline.
 */
static int
put_clean(struct buf *b, const char *s, size_t n, unsigned flags)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, adv;
	const char *rep;

	while (i < n) {
		unsigned char c = u[i];

		adv = 1;
		if (c >= 0x20 && c < 0x7F) {
			if ((flags & CLEAN_LT) && c == '<')
				rep = "&lt;";
			else if ((flags & CLEAN_QUOT) && c == '"')
				rep = "&quot;";
			else {
				i++;
				continue;
			}
		} else if (c == '\t' || c == '\n' || c == '\f') {
			i++;
			continue;
		} else if (c >= 0x80) {
			if (utf8_seq(u + i, n - i, &adv) && !utf8_forbidden(u + i, adv)) {
				i += adv;
				continue;
			}
			rep = REPLACEMENT;
		} else if (c == '\r') {
			if ((flags & CLEAN_CRLF) && !(i + 1 < n && u[i + 1] == '\n'))
				rep = "\n";
			else
				rep = "";
		} else if (c == 0) {
			rep = REPLACEMENT;
		} else {
			rep = "";       /* other C0 controls, DEL */
		}
		if (i > run) {
			if ((flags & CLEAN_HTML) ? buf_put_html(b, s + run, i - run)
			    : buf_put(b, s + run, i - run))
				return BUF_EFULL;
		}
		if (*rep && buf_puts(b, rep))
			return BUF_EFULL;
		i += adv;
		run = i;
	}
	if (i > run) {
		if ((flags & CLEAN_HTML) ? buf_put_html(b, s + run, i - run)
		    : buf_put(b, s + run, i - run))
			return BUF_EFULL;
	}
	return BUF_OK;
}

/* ------------------------------------------------------------------ */
/* Stage 1: the pre-pass                                               */
/* ------------------------------------------------------------------ */

enum pre_class {
	PC_NORMAL,   /* kept in the stream, pushed on the pre-pass stack */
	PC_VOID,     /* kept, never has content */
	PC_RAW,      /* removed together with its raw-text content */
	PC_DROP,     /* the tag is removed, its content stays */
};

static enum pre_class
pre_class(GumboTag t)
{
	switch (t) {
	/* Raw text and RCDATA elements: their content is not markup, and
	 * every one of them is dropped with its content by the builder, so
	 * they are cut out here, which also means gumbo never has to agree
	 * with us about where one ends. */
	case GUMBO_TAG_SCRIPT:
	case GUMBO_TAG_STYLE:
	case GUMBO_TAG_XMP:
	case GUMBO_TAG_IFRAME:
	case GUMBO_TAG_NOEMBED:
	case GUMBO_TAG_NOFRAMES:
	case GUMBO_TAG_NOSCRIPT:
	case GUMBO_TAG_TEXTAREA:
	case GUMBO_TAG_TITLE:
	case GUMBO_TAG_PLAINTEXT:
		return PC_RAW;
	case GUMBO_TAG_BR:
	case GUMBO_TAG_IMG:
	case GUMBO_TAG_IMAGE:
	case GUMBO_TAG_HR:
		return PC_VOID;
	/* Void elements we never keep: dropping them here also keeps gumbo
	 * from pushing them (inside svg, <input> is an ordinary element). */
	case GUMBO_TAG_AREA:
	case GUMBO_TAG_BASE:
	case GUMBO_TAG_BASEFONT:
	case GUMBO_TAG_BGSOUND:
	case GUMBO_TAG_COL:
	case GUMBO_TAG_EMBED:
	case GUMBO_TAG_FRAME:
	case GUMBO_TAG_INPUT:
	case GUMBO_TAG_KEYGEN:
	case GUMBO_TAG_LINK:
	case GUMBO_TAG_META:
	case GUMBO_TAG_PARAM:
	case GUMBO_TAG_SOURCE:
	case GUMBO_TAG_TRACK:
	case GUMBO_TAG_WBR:
	case GUMBO_TAG_ISINDEX:
	case GUMBO_TAG_MENUITEM:
	case GUMBO_TAG_NEXTID:
	case GUMBO_TAG_SPACER:
	/* Document structure: meaningless in a fragment. */
	case GUMBO_TAG_HTML:
	case GUMBO_TAG_HEAD:
	case GUMBO_TAG_BODY:
	case GUMBO_TAG_FRAMESET:
	/* Custom and unknown elements would only be unwrapped later. */
	case GUMBO_TAG_UNKNOWN:
	case GUMBO_TAG_LAST:
		return PC_DROP;
	default:
		return PC_NORMAL;
	}
}

/* Start tags that close an open <p> (HTML5 "in body" rules, roughly). */
static int
pre_closes_p(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
	case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_CENTER: case GUMBO_TAG_DETAILS:
	case GUMBO_TAG_DIR: case GUMBO_TAG_DIV: case GUMBO_TAG_DL:
	case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE:
	case GUMBO_TAG_FOOTER: case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP:
	case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV:
	case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_SECTION:
	case GUMBO_TAG_SUMMARY: case GUMBO_TAG_UL: case GUMBO_TAG_H1:
	case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
	case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_PRE:
	case GUMBO_TAG_LISTING: case GUMBO_TAG_FORM: case GUMBO_TAG_TABLE:
	case GUMBO_TAG_HR: case GUMBO_TAG_LI: case GUMBO_TAG_DD:
	case GUMBO_TAG_DT:
		return 1;
	default:
		return 0;
	}
}

static int
is_heading(GumboTag t)
{
	return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 ||
	    t == GUMBO_TAG_H4 || t == GUMBO_TAG_H5 || t == GUMBO_TAG_H6;
}

static int
is_table_part(GumboTag t)
{
	return t == GUMBO_TAG_TABLE || t == GUMBO_TAG_TBODY || t == GUMBO_TAG_THEAD ||
	    t == GUMBO_TAG_TFOOT || t == GUMBO_TAG_TR || t == GUMBO_TAG_TD ||
	    t == GUMBO_TAG_TH || t == GUMBO_TAG_CAPTION || t == GUMBO_TAG_COLGROUP;
}

/* Elements an end tag does not close across (HTML "scope" boundaries). */
static int
is_scope_stop(GumboTag t)
{
	return t == GUMBO_TAG_TABLE || t == GUMBO_TAG_TD || t == GUMBO_TAG_TH ||
	    t == GUMBO_TAG_CAPTION || t == GUMBO_TAG_TEMPLATE ||
	    t == GUMBO_TAG_MARQUEE || t == GUMBO_TAG_OBJECT ||
	    t == GUMBO_TAG_APPLET || t == GUMBO_TAG_SELECT || t == GUMBO_TAG_BUTTON;
}

/* Attributes the pre-pass passes on; anything else can never be kept. */
enum pre_attr {
	PA_HREF, PA_TITLE, PA_SRC, PA_ALT, PA_WIDTH, PA_HEIGHT,
	PA_COLSPAN, PA_ROWSPAN, PA_START, PA_ID,
	PA__COUNT
};

static const char *const pre_attr_names[PA__COUNT] = {
	"href", "title", "src", "alt", "width", "height",
	"colspan", "rowspan", "start", "id",
};

static int
pre_attr_wanted(GumboTag t, enum pre_attr a)
{
	switch (t) {
	case GUMBO_TAG_A:
		return a == PA_HREF || a == PA_TITLE;
	case GUMBO_TAG_IMG:
	case GUMBO_TAG_IMAGE:
		return a == PA_SRC || a == PA_ALT || a == PA_WIDTH || a == PA_HEIGHT;
	case GUMBO_TAG_TD:
	case GUMBO_TAG_TH:
		return a == PA_COLSPAN || a == PA_ROWSPAN;
	case GUMBO_TAG_OL:
		return a == PA_START;
	case GUMBO_TAG_B:
		return a == PA_ID;
	default:
		return 0;
	}
}

static const char DOCS_GUID[] = "docs-internal-guid";

struct pre_tag {
	GumboTag    tag;
	int         end;        /* an end tag */
	const char *val[PA__COUNT];
	size_t      vlen[PA__COUNT];
	unsigned    have;       /* bit per pre_attr seen (the first one wins) */
};

struct pre {
	const char     *p;
	size_t          len;
	size_t          i;
	struct buf     *out;
	int             err;
	unsigned        depth;
	unsigned long   tags;
	unsigned long   dropped;
	GumboTag        stack[PRE_MAX_DEPTH];
};

static void
pre_put(struct pre *pp, const char *s)
{
	if (!pp->err && buf_puts(pp->out, s))
		pp->err = 1;
}

static void
pre_close_top(struct pre *pp)
{
	GumboTag t = pp->stack[--pp->depth];

	pre_put(pp, "</");
	pre_put(pp, gumbo_normalized_tagname(t));
	pre_put(pp, ">");
}

static GumboTag
pre_top(const struct pre *pp)
{
	return pp->depth ? pp->stack[pp->depth - 1] : GUMBO_TAG_LAST;
}

/* Closes open elements until depth is k. */
static void
pre_close_to(struct pre *pp, unsigned k)
{
	while (pp->depth > k)
		pre_close_top(pp);
}

/* Index of the nearest open t an end tag </t> may close, or -1. */
static int
pre_find(const struct pre *pp, GumboTag t)
{
	unsigned k;
	GumboTag s;

	for (k = pp->depth; k-- > 0;) {
		s = pp->stack[k];
		if (s == t)
			return (int)k;
		if (t == GUMBO_TAG_TEMPLATE)
			continue;
		if (is_table_part(t)) {
			if (s == GUMBO_TAG_TABLE || s == GUMBO_TAG_TEMPLATE)
				return -1;
		} else if (is_scope_stop(s)) {
			return -1;
		}
	}
	return -1;
}

/* Is a table open that table-part start tags can attach to? */
static int
pre_in_table(const struct pre *pp)
{
	unsigned k;

	for (k = pp->depth; k-- > 0;) {
		if (pp->stack[k] == GUMBO_TAG_TABLE)
			return 1;
		if (pp->stack[k] == GUMBO_TAG_TEMPLATE)
			return 0;
	}
	return 0;
}

static void
pre_text(struct pre *pp, size_t from, size_t to)
{
	if (to > from && !pp->err &&
	    put_clean(pp->out, pp->p + from, to - from, CLEAN_LT | CLEAN_CRLF))
		pp->err = 1;
}

/* Index of the next c at or after from, or len. */
static size_t
pre_scan(const struct pre *pp, size_t from, char c)
{
	const char *q;

	if (from >= pp->len)
		return pp->len;
	q = memchr(pp->p + from, c, pp->len - from);
	return q ? (size_t)(q - pp->p) : pp->len;
}

/*
 * Reads a start or end tag at pp->i ('<' then, for an end tag, '/').
 * Returns 0 at end of input inside the tag (the tokenizer drops such a tag;
 * pp->i is then len), else 1 with pp->i past the '>'.
 */
static int
pre_read_tag(struct pre *pp, struct pre_tag *tg)
{
	const char *p = pp->p;
	size_t len = pp->len, j, ns, an, anl, vs, ve;
	char name[16];
	int a;

	memset(tg, 0, sizeof *tg);
	j = pp->i + 1;
	if (p[j] == '/') {
		tg->end = 1;
		j++;
	}
	ns = j;
	while (j < len && !is_html_ws((unsigned char)p[j]) && p[j] != '/' && p[j] != '>')
		j++;
	if (j - ns < sizeof name) {
		for (an = 0; an < j - ns; an++)
			name[an] = (char)to_lower((unsigned char)p[ns + an]);
		tg->tag = gumbo_tagn_enum(name, (unsigned)(j - ns));
	} else {
		tg->tag = GUMBO_TAG_UNKNOWN;
	}
	for (;;) {
		while (j < len && (is_html_ws((unsigned char)p[j]) || p[j] == '/'))
			j++;
		if (j >= len)
			goto eof;
		if (p[j] == '>') {
			pp->i = j + 1;
			return 1;
		}
		an = j++;   /* the first character may be anything, even '=' */
		while (j < len && !is_html_ws((unsigned char)p[j]) && p[j] != '/' &&
		    p[j] != '>' && p[j] != '=')
			j++;
		anl = j - an;
		while (j < len && is_html_ws((unsigned char)p[j]))
			j++;
		vs = ve = j;
		if (j < len && p[j] == '=') {
			j++;
			while (j < len && is_html_ws((unsigned char)p[j]))
				j++;
			if (j >= len)
				goto eof;
			if (p[j] == '"' || p[j] == '\'') {
				vs = j + 1;
				ve = pre_scan(pp, vs, p[j]);
				if (ve >= len)
					goto eof;
				j = ve + 1;
			} else {
				vs = j;
				while (j < len && !is_html_ws((unsigned char)p[j]) && p[j] != '>')
					j++;
				ve = j;
			}
		}
		if (tg->end)
			continue;
		for (a = 0; a < PA__COUNT; a++) {
			if (!ci_eq(p + an, anl, pre_attr_names[a]))
				continue;
			if (!(tg->have & (1u << a))) {
				tg->have |= 1u << a;
				tg->val[a] = p + vs;
				tg->vlen[a] = ve - vs;
			}
			break;
		}
	}
eof:
	pp->i = len;
	return 0;
}

static void
pre_emit_start(struct pre *pp, const struct pre_tag *tg)
{
	GumboTag t = tg->tag == GUMBO_TAG_IMAGE ? GUMBO_TAG_IMG : tg->tag;
	int a;

	pre_put(pp, "<");
	pre_put(pp, gumbo_normalized_tagname(t));
	for (a = 0; a < PA__COUNT; a++) {
		if (!(tg->have & (1u << a)) || !pre_attr_wanted(tg->tag, (enum pre_attr)a))
			continue;
		if (a == PA_ID) {
			/* Only the Google Docs wrapper id matters, and only
			 * its prefix: a fixed value keeps gumbo's list of
			 * active formatting elements from growing. */
			if (tg->vlen[a] >= sizeof DOCS_GUID - 1 &&
			    memcmp(tg->val[a], DOCS_GUID, sizeof DOCS_GUID - 1) == 0)
				pre_put(pp, " id=\"docs-internal-guid\"");
			continue;
		}
		pre_put(pp, " ");
		pre_put(pp, pre_attr_names[a]);
		pre_put(pp, "=\"");
		if (!pp->err && put_clean(pp->out, tg->val[a], tg->vlen[a],
		    CLEAN_QUOT | CLEAN_CRLF))
			pp->err = 1;
		pre_put(pp, "\"");
	}
	pre_put(pp, ">");
}

/* Counts a start tag against the budget; 0 means drop it. */
static int
pre_budget(struct pre *pp, int push)
{
	if (pp->tags >= PRE_MAX_TAGS || (push && pp->depth >= PRE_MAX_DEPTH)) {
		pp->dropped++;
		return 0;
	}
	pp->tags++;
	return 1;
}

/*
 * Skips the content of a raw-text element up to its end tag (any case,
 * followed by space, '/' or '>'), and that end tag.  No end tag: the rest
 * of the input is its content.
 */
static void
pre_skip_raw(struct pre *pp, GumboTag t)
{
	const char *name = gumbo_normalized_tagname(t);
	size_t nl = strlen(name), k = pp->i;
	struct pre_tag end;

	if (t == GUMBO_TAG_PLAINTEXT) {
		pp->i = pp->len;
		return;
	}
	for (;;) {
		k = pre_scan(pp, k, '<');
		if (k + 2 + nl >= pp->len) {
			pp->i = pp->len;
			return;
		}
		if (pp->p[k + 1] == '/' && ci_eq(pp->p + k + 2, nl, name)) {
			unsigned char c = (unsigned char)pp->p[k + 2 + nl];

			if (is_html_ws(c) || c == '/' || c == '>')
				break;
		}
		k++;
	}
	pp->i = k;
	pre_read_tag(pp, &end);
}

static void
pre_start_tag(struct pre *pp, const struct pre_tag *tg)
{
	GumboTag t = tg->tag, top;

	switch (pre_class(t)) {
	case PC_RAW:
		pre_skip_raw(pp, t);
		return;
	case PC_DROP:
		return;
	case PC_VOID:
		if (t == GUMBO_TAG_HR && pre_top(pp) == GUMBO_TAG_P)
			pre_close_top(pp);
		if (pre_budget(pp, 0))
			pre_emit_start(pp, tg);
		return;
	case PC_NORMAL:
		break;
	}

	/* The implied end tags of HTML5 that matter for nesting depth, made
	 * explicit so the stream stays balanced. */
	if (pre_closes_p(t) && pre_top(pp) == GUMBO_TAG_P)
		pre_close_top(pp);
	top = pre_top(pp);
	switch (t) {
	case GUMBO_TAG_LI:
		if (top == GUMBO_TAG_LI)
			pre_close_top(pp);
		break;
	case GUMBO_TAG_DD:
	case GUMBO_TAG_DT:
		if (top == GUMBO_TAG_DD || top == GUMBO_TAG_DT)
			pre_close_top(pp);
		break;
	case GUMBO_TAG_OPTION:
		if (top == GUMBO_TAG_OPTION)
			pre_close_top(pp);
		break;
	case GUMBO_TAG_OPTGROUP:
		if (top == GUMBO_TAG_OPTION)
			pre_close_top(pp);
		if (pre_top(pp) == GUMBO_TAG_OPTGROUP)
			pre_close_top(pp);
		break;
	case GUMBO_TAG_A: {
		int k = pre_find(pp, GUMBO_TAG_A);

		if (k >= 0)
			pre_close_to(pp, (unsigned)k);
		break;
	}
	case GUMBO_TAG_TR:
		if (!pre_in_table(pp))
			return;     /* gumbo ignores it outside a table */
		while ((top = pre_top(pp)) != GUMBO_TAG_TABLE && top != GUMBO_TAG_TBODY &&
		    top != GUMBO_TAG_THEAD && top != GUMBO_TAG_TFOOT)
			pre_close_top(pp);
		break;
	case GUMBO_TAG_TD:
	case GUMBO_TAG_TH:
		if (!pre_in_table(pp))
			return;
		while ((top = pre_top(pp)) != GUMBO_TAG_TABLE && top != GUMBO_TAG_TBODY &&
		    top != GUMBO_TAG_THEAD && top != GUMBO_TAG_TFOOT && top != GUMBO_TAG_TR)
			pre_close_top(pp);
		break;
	case GUMBO_TAG_TBODY:
	case GUMBO_TAG_THEAD:
	case GUMBO_TAG_TFOOT:
	case GUMBO_TAG_CAPTION:
	case GUMBO_TAG_COLGROUP:
		if (!pre_in_table(pp))
			return;
		while (pre_top(pp) != GUMBO_TAG_TABLE)
			pre_close_top(pp);
		break;
	default:
		if (is_heading(t) && is_heading(top))
			pre_close_top(pp);
		break;
	}
	if (!pre_budget(pp, 1))
		return;
	pp->stack[pp->depth++] = t;
	pre_emit_start(pp, tg);
}

static void
pre_end_tag(struct pre *pp, const struct pre_tag *tg)
{
	int k;

	if (tg->tag == GUMBO_TAG_BR) {
		/* </br> is a <br> to every HTML parser. */
		struct pre_tag br = *tg;

		br.end = 0;
		br.have = 0;
		pre_start_tag(pp, &br);
		return;
	}
	if (pre_class(tg->tag) != PC_NORMAL)
		return;
	k = pre_find(pp, tg->tag);
	if (k >= 0)
		pre_close_to(pp, (unsigned)k);
}

/* Skips a comment that starts at pp->i ("<!--"). */
static void
pre_skip_comment(struct pre *pp)
{
	const char *p = pp->p;
	size_t k = pp->i + 4;

	/* "<!-->" and "<!--->" end at once. */
	if (k < pp->len && p[k] == '>') {
		pp->i = k + 1;
		return;
	}
	if (k + 1 < pp->len && p[k] == '-' && p[k + 1] == '>') {
		pp->i = k + 2;
		return;
	}
	for (;;) {
		k = pre_scan(pp, k, '-');
		if (k + 2 >= pp->len) {
			pp->i = pp->len;
			return;
		}
		if (p[k + 1] == '-') {
			if (p[k + 2] == '>') {
				pp->i = k + 3;
				return;
			}
			if (p[k + 2] == '!' && k + 3 < pp->len && p[k + 3] == '>') {
				pp->i = k + 4;
				return;
			}
		}
		k++;
	}
}

/* Skips a bogus comment, doctype or <? ... > up to and including '>'. */
static void
pre_skip_to_gt(struct pre *pp)
{
	size_t k = pre_scan(pp, pp->i, '>');

	pp->i = k < pp->len ? k + 1 : pp->len;
}

static void
pre_run(struct pre *pp)
{
	const char *p = pp->p;
	struct pre_tag tg;
	size_t lt;
	unsigned char c1, c2;

	while (pp->i < pp->len && !pp->err) {
		lt = pre_scan(pp, pp->i, '<');
		pre_text(pp, pp->i, lt);
		pp->i = lt;
		if (lt >= pp->len)
			break;
		c1 = lt + 1 < pp->len ? (unsigned char)p[lt + 1] : 0;
		c2 = lt + 2 < pp->len ? (unsigned char)p[lt + 2] : 0;
		if (is_alpha(c1)) {
			if (pre_read_tag(pp, &tg))
				pre_start_tag(pp, &tg);
		} else if (c1 == '/' && is_alpha(c2)) {
			if (pre_read_tag(pp, &tg))
				pre_end_tag(pp, &tg);
		} else if (c1 == '/' && c2 == '>') {
			pp->i = lt + 3;                 /* "</>" is ignored */
		} else if (c1 == '/' && lt + 2 >= pp->len) {
			pre_put(pp, "&lt;/");           /* "</" at the end is text */
			pp->i = pp->len;
		} else if (c1 == '!' && c2 == '-' && lt + 3 < pp->len && p[lt + 3] == '-') {
			pre_skip_comment(pp);
		} else if (c1 == '!' || c1 == '?' || c1 == '/') {
			pre_skip_to_gt(pp);             /* doctype, CDATA, bogus */
		} else {
			pre_put(pp, "&lt;");
			pp->i = lt + 1;
		}
	}
	pre_close_to(pp, 0);
}

/* ------------------------------------------------------------------ */
/* Stage 2: gumbo, with memory we can free without recursion           */
/* ------------------------------------------------------------------ */

union mem_hdr {
	struct {
		union mem_hdr *prev, *next;
	} l;
	max_align_t align;
};

struct mem {
	union mem_hdr head;     /* sentinel of a circular list of blocks */
};

static void *
mem_alloc(void *ud, size_t n)
{
	struct mem *m = ud;
	union mem_hdr *h;

	if (n > SIZE_MAX - sizeof *h)
		log_oom();
	h = malloc(sizeof *h + n);
	if (h == NULL)
		log_oom();
	h->l.prev = &m->head;
	h->l.next = m->head.l.next;
	m->head.l.next->l.prev = h;
	m->head.l.next = h;
	return h + 1;
}

static void
mem_dealloc(void *ud, void *ptr)
{
	union mem_hdr *h;

	(void)ud;
	if (ptr == NULL)
		return;
	h = (union mem_hdr *)ptr - 1;
	h->l.prev->l.next = h->l.next;
	h->l.next->l.prev = h->l.prev;
	free(h);
}

static void
mem_init(struct mem *m)
{
	m->head.l.prev = m->head.l.next = &m->head;
}

static void
mem_release(struct mem *m)
{
	union mem_hdr *h, *next;

	for (h = m->head.l.next; h != &m->head; h = next) {
		next = h->l.next;
		free(h);
	}
	mem_init(m);
}

/* ------------------------------------------------------------------ */
/* Stage 3: the allowlist tree builder                                 */
/* ------------------------------------------------------------------ */

/* Output elements. */
enum otag {
	O_ROOT, O_P, O_H2, O_H3, O_H4, O_UL, O_OL, O_LI, O_BLOCKQUOTE,
	O_FIGURE, O_FIGCAPTION, O_TABLE, O_THEAD, O_TBODY, O_TR, O_TH, O_TD,
	O_HR, O_STRONG, O_EM, O_U, O_S, O_A, O_SUB, O_SUP, O_BR, O_IMG,
	O__COUNT
};

/* What an element may contain. */
enum ctx {
	CTX_FLOW,       /* blocks and inline content (root: blocks only) */
	CTX_PHRASING,   /* inline content only */
	CTX_LIST,       /* li only */
	CTX_TABLE,      /* thead/tbody only */
	CTX_SECTION,    /* tr only */
	CTX_ROW,        /* th/td only */
	CTX_VOID,
};

/* Where an element may go. */
enum cat {
	CAT_INLINE, CAT_BLOCK, CAT_LI, CAT_FIGCAPTION, CAT_SECTION, CAT_ROW, CAT_CELL,
};

static const struct {
	const char   *name;
	unsigned char ctx;
	unsigned char cat;
	unsigned char line;     /* sanitize_text: starts and ends a line */
} otags[O__COUNT] = {
	[O_ROOT]       = { "",           CTX_FLOW,     CAT_BLOCK,      1 },
	[O_P]          = { "p",          CTX_PHRASING, CAT_BLOCK,      1 },
	[O_H2]         = { "h2",         CTX_PHRASING, CAT_BLOCK,      1 },
	[O_H3]         = { "h3",         CTX_PHRASING, CAT_BLOCK,      1 },
	[O_H4]         = { "h4",         CTX_PHRASING, CAT_BLOCK,      1 },
	[O_UL]         = { "ul",         CTX_LIST,     CAT_BLOCK,      1 },
	[O_OL]         = { "ol",         CTX_LIST,     CAT_BLOCK,      1 },
	[O_LI]         = { "li",         CTX_FLOW,     CAT_LI,         1 },
	[O_BLOCKQUOTE] = { "blockquote", CTX_FLOW,     CAT_BLOCK,      1 },
	[O_FIGURE]     = { "figure",     CTX_FLOW,     CAT_BLOCK,      1 },
	[O_FIGCAPTION] = { "figcaption", CTX_PHRASING, CAT_FIGCAPTION, 1 },
	[O_TABLE]      = { "table",      CTX_TABLE,    CAT_BLOCK,      1 },
	[O_THEAD]      = { "thead",      CTX_SECTION,  CAT_SECTION,    1 },
	[O_TBODY]      = { "tbody",      CTX_SECTION,  CAT_SECTION,    1 },
	[O_TR]         = { "tr",         CTX_ROW,      CAT_ROW,        1 },
	[O_TH]         = { "th",         CTX_FLOW,     CAT_CELL,       0 },
	[O_TD]         = { "td",         CTX_FLOW,     CAT_CELL,       0 },
	[O_HR]         = { "hr",         CTX_VOID,     CAT_BLOCK,      1 },
	[O_STRONG]     = { "strong",     CTX_PHRASING, CAT_INLINE,     0 },
	[O_EM]         = { "em",         CTX_PHRASING, CAT_INLINE,     0 },
	[O_U]          = { "u",          CTX_PHRASING, CAT_INLINE,     0 },
	[O_S]          = { "s",          CTX_PHRASING, CAT_INLINE,     0 },
	[O_A]          = { "a",          CTX_PHRASING, CAT_INLINE,     0 },
	[O_SUB]        = { "sub",        CTX_PHRASING, CAT_INLINE,     0 },
	[O_SUP]        = { "sup",        CTX_PHRASING, CAT_INLINE,     0 },
	[O_BR]         = { "br",         CTX_VOID,     CAT_INLINE,     0 },
	[O_IMG]        = { "img",        CTX_VOID,     CAT_INLINE,     0 },
};

/* Inline elements with content: these are split and reopened. */
static int
is_inline_box(unsigned tag)
{
	return tag >= O_STRONG && tag <= O_SUP;
}

/* One open output element. */
struct ent {
	const GumboNode *src;   /* source element; NULL for a wrapper we added */
	size_t           depth; /* source tree depth, orders suspended entries */
	unsigned char    tag;
	unsigned char    had_inline;  /* flow: last thing written in it was inline */
	unsigned char    want_break;  /* flow: next inline content needs a <br> */
};

struct bld {
	struct buf      *out;
	struct buf       url;           /* scratch: cleaned URL */
	int              text_mode;     /* sanitize_text() */
	int              err;
	unsigned         n;             /* open elements, st[0] is the root */
	unsigned         ne;            /* st[0..ne) have been written */
	struct ent       st[BLD_HARD_DEPTH + 1];
	unsigned         nsusp;
	struct ent       susp[BLD_MAX_SUSPENDED];
	/* sanitize_text() state */
	int              tm_any, tm_nl, tm_sp;
};

/* --- writing --- */

static void
w_puts(struct bld *b, const char *s)
{
	if (!b->err && buf_puts(b->out, s))
		b->err = 1;
}

static void
w_html(struct bld *b, const char *s, size_t n)
{
	if (!b->err && put_clean(b->out, s, n, CLEAN_HTML))
		b->err = 1;
}

static void
w_attr(struct bld *b, const char *name, const char *val, size_t n)
{
	w_puts(b, " ");
	w_puts(b, name);
	w_puts(b, "=\"");
	w_html(b, val, n);
	w_puts(b, "\"");
}

/* sanitize_text(): a pending separator is written before the next text. */
static void
tm_sep(struct bld *b, int newline)
{
	if (newline)
		b->tm_nl = 1;
	else
		b->tm_sp = 1;
}

static void
tm_flush(struct bld *b, const char *s, size_t from, size_t to)
{
	if (to > from && !b->err && buf_put(b->out, s + from, to - from))
		b->err = 1;
}

static void
tm_text(struct bld *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, adv;

	while (i < n) {
		unsigned char c = u[i];

		if (is_html_ws(c) || (c == 0xC2 && i + 1 < n && u[i + 1] == 0xA0)) {
			/* NBSP counts as space: summaries should not keep
			 * runs of &nbsp; */
			tm_flush(b, s, run, i);
			b->tm_sp = 1;
			i += c == 0xC2 ? 2 : 1;
			run = i;
			continue;
		}
		adv = 1;
		if (c < 0x20 || c == 0x7F || (c >= 0x80 &&
		    (!utf8_seq(u + i, n - i, &adv) || utf8_forbidden(u + i, adv)))) {
			tm_flush(b, s, run, i);
			i += adv;
			run = i;
			continue;
		}
		if (run == i) {
			if (b->tm_any && (b->tm_nl || b->tm_sp))
				w_puts(b, b->tm_nl ? "\n" : " ");
			b->tm_nl = b->tm_sp = 0;
			b->tm_any = 1;
		}
		i += adv;
	}
	tm_flush(b, s, run, i);
}

static const char *
attr_val(const GumboNode *node, const char *name)
{
	const GumboAttribute *a = gumbo_get_attribute(&node->v.element.attributes, name);

	return a ? a->value : NULL;
}

/*
 * Cleans the URL v into b->url and checks its scheme.  Returns 1 if it may
 * be kept, with *external set for links that leave the site.
 */
static int
url_ok(struct bld *b, const char *v, int allow_mailto, int *external)
{
	size_t n, k;
	const char *s;

	*external = 0;
	if (v == NULL)
		return 0;
	n = strlen(v);
	/* Browsers strip leading and trailing C0 controls and spaces. */
	while (n && (unsigned char)v[0] <= 0x20) {
		v++;
		n--;
	}
	while (n && (unsigned char)v[n - 1] <= 0x20)
		n--;
	buf_reset(&b->url);
	for (k = 0; k < n; k++) {
		unsigned char c = (unsigned char)v[k];

		/* ...and remove tab and newline anywhere. */
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c < 0x20 || c == 0x7F)
			return 0;
		if (buf_putc(&b->url, c))
			return 0;       /* longer than the scratch cap */
	}
	if (b->url.len == 0)
		return 0;
	s = b->url.p;
	n = b->url.len;
	for (k = 0; k + 7 <= n; k++)
		if (ci_eq(s + k, 7, "script:"))
			return 0;
	for (k = 0; k < n; k++)
		if (s[k] == ':' || s[k] == '/' || s[k] == '?' || s[k] == '#' || s[k] == '\\')
			break;
	if (k < n && s[k] == ':') {
		if (ci_eq(s, k, "http") || ci_eq(s, k, "https")) {
			*external = 1;
			return 1;
		}
		return allow_mailto && ci_eq(s, k, "mailto");
	}
	/* Relative; "//host" (and the backslash spellings browsers accept)
	 * is protocol-relative, i.e. http(s) to another site. */
	*external = n >= 2 && (s[0] == '/' || s[0] == '\\') && (s[1] == '/' || s[1] == '\\');
	return 1;
}

/* A digits-only attribute in [lo, hi], normalized; 0 if absent or bad. */
static int
num_attr(const GumboNode *node, const char *name, long lo, long hi, long *out)
{
	const char *v = attr_val(node, name);
	size_t n, k, digits = 0;
	long val = 0;

	if (v == NULL)
		return 0;
	n = strlen(v);
	while (n && is_html_ws((unsigned char)v[0])) {
		v++;
		n--;
	}
	while (n && is_html_ws((unsigned char)v[n - 1]))
		n--;
	if (n == 0)
		return 0;
	for (k = 0; k < n; k++) {
		if (v[k] < '0' || v[k] > '9')
			return 0;
		if (val > hi)
			continue;       /* already too big; keep checking digits */
		val = val * 10 + (v[k] - '0');
		digits++;
	}
	if (digits == 0 || val < lo || val > hi)
		return 0;
	*out = val;
	return 1;
}

static void
w_num_attr(struct bld *b, const GumboNode *node, const char *name, long lo, long hi)
{
	char num[24];
	long v;
	int i = (int)sizeof num - 1;

	if (!num_attr(node, name, lo, hi, &v))
		return;
	num[i] = '\0';
	do {
		num[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i > 0);
	w_attr(b, name, num + i, strlen(num + i));
}

static void
w_open(struct bld *b, const struct ent *e)
{
	const char *v;
	int ext;

	if (b->text_mode) {
		if (e->tag == O_TD || e->tag == O_TH)
			tm_sep(b, 0);
		else if (otags[e->tag].line)
			tm_sep(b, 1);
		return;
	}
	w_puts(b, "<");
	w_puts(b, otags[e->tag].name);
	switch (e->tag) {
	case O_A:
		if (url_ok(b, attr_val(e->src, "href"), 1, &ext)) {
			w_attr(b, "href", b->url.p, b->url.len);
			if ((v = attr_val(e->src, "title")) != NULL && *v)
				w_attr(b, "title", v, strlen(v));
			if (ext)
				w_attr(b, "rel", LINK_REL, sizeof LINK_REL - 1);
		}
		break;
	case O_OL:
		if (e->src)
			w_num_attr(b, e->src, "start", 0, 1000000);
		break;
	case O_TD:
	case O_TH:
		if (e->src) {
			w_num_attr(b, e->src, "colspan", 1, 100);
			w_num_attr(b, e->src, "rowspan", 1, 100);
		}
		break;
	default:
		break;
	}
	w_puts(b, ">");
}

static void
w_close(struct bld *b, const struct ent *e)
{
	if (b->text_mode) {
		if (otags[e->tag].line)
			tm_sep(b, 1);
		return;
	}
	w_puts(b, "</");
	w_puts(b, otags[e->tag].name);
	w_puts(b, ">");
}

static void
w_br(struct bld *b)
{
	if (b->text_mode)
		tm_sep(b, 1);
	else
		w_puts(b, "<br>");
}

/* After a top-level block: one per line keeps stored bodies diffable. */
static void
w_root_nl(struct bld *b)
{
	if (!b->text_mode)
		w_puts(b, "\n");
}

/* --- the stack --- */

static int
push(struct bld *b, unsigned tag, const GumboNode *src, size_t depth)
{
	struct ent *e;

	if (b->n >= BLD_HARD_DEPTH)
		return 0;
	e = &b->st[b->n++];
	memset(e, 0, sizeof *e);
	e->tag = (unsigned char)tag;
	e->src = src;
	e->depth = depth;
	return 1;
}

/*
 * Is there room for one more element (at depth b->n) and `below` levels of
 * wrappers it may need under it?  The same rule applies to every element,
 * whether it comes from the source, is a wrapper or is reopened, so that
 * a second run, which sees all of them as source elements, keeps exactly
 * the same ones.  That is also why a table is only opened where its
 * tbody, tr and td fit.
 */
static int
fits(const struct bld *b, unsigned below)
{
	return b->n + below <= SANITIZE_MAX_DEPTH;
}

/* Levels an element needs under it for any content to have a place. */
static unsigned
room_below(unsigned tag)
{
	switch (tag) {
	case O_TABLE:
		return 3;
	case O_THEAD:
	case O_TBODY:
		return 2;
	case O_TR:
	case O_UL:
	case O_OL:
		return 1;
	default:
		return 0;
	}
}

static int
on_stack(const struct bld *b, unsigned tag)
{
	unsigned i;

	for (i = 1; i < b->n; i++)
		if (b->st[i].tag == tag)
			return 1;
	return 0;
}

/* Remembers an inline element closed early so it can be reopened. */
static void
suspend(struct bld *b, const struct ent *e)
{
	unsigned i;

	if (b->nsusp >= BLD_MAX_SUSPENDED)
		return;         /* the formatting is lost, nothing worse */
	for (i = b->nsusp; i > 0 && b->susp[i - 1].depth > e->depth; i--)
		b->susp[i] = b->susp[i - 1];
	b->susp[i] = *e;
	b->nsusp++;
}

static void
unsuspend(struct bld *b, const GumboNode *src)
{
	unsigned i;

	for (i = 0; i < b->nsusp; i++) {
		if (b->susp[i].src == src) {
			memmove(&b->susp[i], &b->susp[i + 1],
			    (b->nsusp - i - 1) * sizeof b->susp[0]);
			b->nsusp--;
			return;
		}
	}
}

/*
 * Closes the top element.  With resuspend, an inline element whose source is
 * still open goes to the suspended list, to be reopened with the next
 * inline content.
 */
static void
pop(struct bld *b, int resuspend)
{
	struct ent *e = &b->st[--b->n];

	if (b->n < b->ne) {
		b->ne = b->n;
		w_close(b, e);
		if (b->n == 1)
			w_root_nl(b);
	}
	if (resuspend && e->src && is_inline_box(e->tag))
		suspend(b, e);
}

/* Closes inline and phrasing elements down to the nearest flow container. */
static void
split(struct bld *b)
{
	while (otags[b->st[b->n - 1].tag].ctx == CTX_PHRASING)
		pop(b, 1);
}

/* Where an unwrapped block-level element began or ended. */
static void
boundary(struct bld *b)
{
	struct ent *t;

	split(b);
	t = &b->st[b->n - 1];
	if (otags[t->tag].ctx == CTX_FLOW && t->tag != O_ROOT && t->had_inline)
		t->want_break = 1;
}

/* Bookkeeping for a child written into st[pi]. */
static void
child_written(struct bld *b, unsigned pi, int is_inline)
{
	struct ent *p = &b->st[pi];

	if (otags[p->tag].ctx != CTX_FLOW || p->tag == O_ROOT)
		return;
	if (is_inline) {
		if (p->want_break && p->had_inline)
			w_br(b);
		p->had_inline = 1;
	} else {
		p->had_inline = 0;
	}
	p->want_break = 0;
}

/* Writes the start tags of the elements opened lazily. */
static void
materialize(struct bld *b)
{
	for (; b->ne < b->n; b->ne++) {
		child_written(b, b->ne - 1, otags[b->st[b->ne].tag].cat == CAT_INLINE);
		w_open(b, &b->st[b->ne]);
	}
}

/* Reopens suspended inline elements, outermost first. */
static void
reopen(struct bld *b)
{
	unsigned i = 0;

	while (i < b->nsusp) {
		struct ent s = b->susp[i];

		if (on_stack(b, s.tag) || !fits(b, 0) || !push(b, s.tag, s.src, s.depth)) {
			i++;
			continue;
		}
		memmove(&b->susp[i], &b->susp[i + 1], (b->nsusp - i - 1) * sizeof b->susp[0]);
		b->nsusp--;
	}
}

static int
accepts(unsigned tag, enum cat c)
{
	switch (otags[tag].ctx) {
	case CTX_FLOW:
		if (c == CAT_BLOCK)
			return 1;
		if (c == CAT_INLINE)
			return tag != O_ROOT;
		return c == CAT_FIGCAPTION && tag == O_FIGURE;
	case CTX_PHRASING:
		return c == CAT_INLINE;
	case CTX_LIST:
		return c == CAT_LI;
	case CTX_TABLE:
		return c == CAT_SECTION;
	case CTX_SECTION:
		return c == CAT_ROW;
	case CTX_ROW:
		return c == CAT_CELL;
	default:
		return 0;
	}
}

enum place {
	PLACE_OK,       /* the top element now accepts it */
	PLACE_AS_P,     /* a stray li or figcaption: make it a p */
	PLACE_UNWRAP,   /* a stray table part: unwrap it */
	PLACE_FAIL,     /* no room (cannot happen within the depth caps) */
};

/*
 * Makes the top of the stack a place where an element of category c may go:
 * closes wrappers we added that cannot hold it, splits inline elements
 * around blocks, and adds the wrappers the content model needs (p at the top
 * level, li in lists, tbody/tr/td in tables).
 */
static enum place
place(struct bld *b, enum cat c)
{
	int guard;

	for (guard = 0; guard < 16; guard++) {
		struct ent *t = &b->st[b->n - 1];
		unsigned ctx = otags[t->tag].ctx, add = O__COUNT;

		if (accepts(t->tag, c))
			return PLACE_OK;
		switch (c) {
		case CAT_INLINE:
		case CAT_BLOCK:
			if (ctx == CTX_PHRASING) {
				split(b);
				continue;
			}
			if (t->tag == O_ROOT)
				add = O_P;
			else if (ctx == CTX_LIST)
				add = O_LI;
			else if (ctx == CTX_TABLE)
				add = O_TBODY;
			else if (ctx == CTX_SECTION)
				add = O_TR;
			else if (ctx == CTX_ROW)
				add = O_TD;
			break;
		case CAT_LI:
			if (t->src == NULL && t->tag == O_LI) {
				pop(b, 0);
				continue;
			}
			return PLACE_AS_P;
		case CAT_FIGCAPTION:
			return PLACE_AS_P;
		case CAT_SECTION:
			if (t->src == NULL && (t->tag == O_TBODY || t->tag == O_TR || t->tag == O_TD)) {
				pop(b, 0);
				continue;
			}
			return PLACE_UNWRAP;
		case CAT_ROW:
			if (ctx == CTX_TABLE) {
				add = O_TBODY;
				break;
			}
			if (t->src == NULL && (t->tag == O_TR || t->tag == O_TD)) {
				pop(b, 0);
				continue;
			}
			return PLACE_UNWRAP;
		case CAT_CELL:
			if (ctx == CTX_TABLE) {
				add = O_TBODY;
				break;
			}
			if (ctx == CTX_SECTION) {
				add = O_TR;
				break;
			}
			if (t->src == NULL && t->tag == O_TD) {
				pop(b, 0);
				continue;
			}
			return PLACE_UNWRAP;
		}
		if (add == O__COUNT || !fits(b, room_below(add)) || !push(b, add, NULL, 0))
			return PLACE_FAIL;
	}
	return PLACE_FAIL;
}

/* Text (not only whitespace), <br> or <img>: opens what it needs. */
static int
begin_inline(struct bld *b)
{
	if (place(b, CAT_INLINE) != PLACE_OK)
		return 0;
	reopen(b);
	materialize(b);
	child_written(b, b->n - 1, 1);
	return !b->err;
}

static void
bld_text(struct bld *b, const char *s)
{
	size_t n = strlen(s), k;
	const struct ent *d;

	/* Control characters count as nothing: put_clean() drops them. */
	for (k = 0; k < n && ((unsigned char)s[k] <= 0x20 || s[k] == 0x7F); k++)
		;
	if (k == n) {
		/* Whitespace only: it opens nothing, and goes where text is
		 * allowed and something has already been written. */
		if (b->text_mode) {
			tm_sep(b, 0);
			return;
		}
		d = &b->st[b->ne - 1];
		if (otags[d->tag].ctx == CTX_PHRASING ||
		    (otags[d->tag].ctx == CTX_FLOW && d->tag != O_ROOT))
			w_html(b, s, n);
		return;
	}
	if (!begin_inline(b))
		return;
	if (b->text_mode)
		tm_text(b, s, n);
	else
		w_html(b, s, n);
}

static void
bld_br(struct bld *b)
{
	if (begin_inline(b))
		w_br(b);
}

static void
bld_img(struct bld *b, const GumboNode *node)
{
	const char *alt;
	int ext;

	if (!url_ok(b, attr_val(node, "src"), 0, &ext))
		return;         /* an image without a usable source is dropped */
	if (!begin_inline(b) || b->text_mode)
		return;
	/* Opening a pending <a> above reused b->url; clean src again. */
	url_ok(b, attr_val(node, "src"), 0, &ext);
	w_puts(b, "<img");
	w_attr(b, "src", b->url.p, b->url.len);
	if ((alt = attr_val(node, "alt")) != NULL)
		w_attr(b, "alt", alt, strlen(alt));
	w_num_attr(b, node, "width", 1, 10000);
	w_num_attr(b, node, "height", 1, 10000);
	w_puts(b, ">");
}

static void
bld_hr(struct bld *b)
{
	if (place(b, CAT_BLOCK) != PLACE_OK)
		return;
	materialize(b);
	child_written(b, b->n - 1, 0);
	if (b->text_mode) {
		tm_sep(b, 1);
		return;
	}
	w_puts(b, "<hr>");
	if (b->n == 1)
		w_root_nl(b);
}

/* What to do with a source element. */
enum act {
	ACT_DROP,       /* drop it with all its content */
	ACT_UNWRAP,     /* drop the tag, keep the content */
	ACT_BOUNDARY,   /* unwrap, but it ends a paragraph */
	ACT_KEEP,       /* an allowed element (tag says which) */
	ACT_OPEN,       /* (walk) kept and pushed */
	ACT_ROOT,       /* (walk) the fragment's root */
};

/*
 * Elements dropped together with everything inside them: executable or
 * style code (script, style), embedded documents and plugins (iframe,
 * object, embed, applet, frame, frameset), markup that is not article text
 * (template: inert; noscript, noembed, noframes: fallback for other
 * clients; svg and math: foreign content with their own script and
 * parsing rules, the classic mutation-XSS vehicle), document metadata (head,
 * title, base, link, meta) and forms (form, button, input, select,
 * textarea, option, datalist, ...: nothing a reader should submit, and
 * form controls can hijack the page's forms).  Media fallback content
 * (audio, video, canvas) is text for clients that cannot play it.
 */
static int
drop_with_content(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_IFRAME:
	case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_TEMPLATE:
	case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
	case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE: case GUMBO_TAG_TEXTAREA:
	case GUMBO_TAG_SELECT: case GUMBO_TAG_FORM: case GUMBO_TAG_BUTTON:
	case GUMBO_TAG_INPUT: case GUMBO_TAG_FRAME: case GUMBO_TAG_FRAMESET:
	case GUMBO_TAG_APPLET: case GUMBO_TAG_BASE: case GUMBO_TAG_LINK:
	case GUMBO_TAG_META: case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES:
	case GUMBO_TAG_XMP: case GUMBO_TAG_PLAINTEXT: case GUMBO_TAG_OPTION:
	case GUMBO_TAG_OPTGROUP: case GUMBO_TAG_DATALIST: case GUMBO_TAG_KEYGEN:
	case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO: case GUMBO_TAG_CANVAS:
	case GUMBO_TAG_SOURCE: case GUMBO_TAG_TRACK: case GUMBO_TAG_PARAM:
	case GUMBO_TAG_AREA: case GUMBO_TAG_ISINDEX: case GUMBO_TAG_OUTPUT:
	case GUMBO_TAG_PROGRESS: case GUMBO_TAG_METER:
		return 1;
	default:
		return 0;
	}
}

/* Unwrapped elements that still separate what comes before and after. */
static int
is_boundary(GumboTag t)
{
	switch (t) {
	case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
	case GUMBO_TAG_ASIDE: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER:
	case GUMBO_TAG_MAIN: case GUMBO_TAG_NAV: case GUMBO_TAG_ADDRESS:
	case GUMBO_TAG_CENTER: case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY:
	case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
	case GUMBO_TAG_PRE: case GUMBO_TAG_LISTING: case GUMBO_TAG_FIELDSET:
	case GUMBO_TAG_LEGEND: case GUMBO_TAG_HGROUP: case GUMBO_TAG_MENU:
	case GUMBO_TAG_DIR: case GUMBO_TAG_MARQUEE: case GUMBO_TAG_CAPTION:
	case GUMBO_TAG_MULTICOL: case GUMBO_TAG_BODY: case GUMBO_TAG_HTML:
		return 1;
	default:
		return 0;
	}
}

/* Decides what a source element becomes; *tag is set for ACT_KEEP. */
static enum act
classify(const GumboNode *node, unsigned *tag)
{
	const char *id;

	if (node->type != GUMBO_NODE_ELEMENT)
		return ACT_DROP;        /* <template> */
	if (node->v.element.tag_namespace != GUMBO_NAMESPACE_HTML)
		return ACT_DROP;
	switch (node->v.element.tag) {
	case GUMBO_TAG_P:          *tag = O_P; break;
	case GUMBO_TAG_H1:
	case GUMBO_TAG_H2:         *tag = O_H2; break;  /* the page's h1 is the headline */
	case GUMBO_TAG_H3:         *tag = O_H3; break;
	case GUMBO_TAG_H4:
	case GUMBO_TAG_H5:
	case GUMBO_TAG_H6:         *tag = O_H4; break;
	case GUMBO_TAG_UL:         *tag = O_UL; break;
	case GUMBO_TAG_OL:         *tag = O_OL; break;
	case GUMBO_TAG_LI:         *tag = O_LI; break;
	case GUMBO_TAG_BLOCKQUOTE: *tag = O_BLOCKQUOTE; break;
	case GUMBO_TAG_FIGURE:     *tag = O_FIGURE; break;
	case GUMBO_TAG_FIGCAPTION: *tag = O_FIGCAPTION; break;
	case GUMBO_TAG_TABLE:      *tag = O_TABLE; break;
	case GUMBO_TAG_THEAD:      *tag = O_THEAD; break;
	case GUMBO_TAG_TBODY:
	case GUMBO_TAG_TFOOT:      *tag = O_TBODY; break;
	case GUMBO_TAG_TR:         *tag = O_TR; break;
	case GUMBO_TAG_TH:         *tag = O_TH; break;
	case GUMBO_TAG_TD:         *tag = O_TD; break;
	case GUMBO_TAG_HR:         *tag = O_HR; break;
	case GUMBO_TAG_B:
		id = attr_val(node, "id");
		if (id && strncmp(id, DOCS_GUID, sizeof DOCS_GUID - 1) == 0)
			return ACT_UNWRAP;
		/* fall through */
	case GUMBO_TAG_STRONG:     *tag = O_STRONG; break;
	case GUMBO_TAG_I:
	case GUMBO_TAG_EM:         *tag = O_EM; break;
	case GUMBO_TAG_U:          *tag = O_U; break;
	case GUMBO_TAG_S:
	case GUMBO_TAG_STRIKE:
	case GUMBO_TAG_DEL:        *tag = O_S; break;
	case GUMBO_TAG_A:          *tag = O_A; break;
	case GUMBO_TAG_SUB:        *tag = O_SUB; break;
	case GUMBO_TAG_SUP:        *tag = O_SUP; break;
	case GUMBO_TAG_BR:         *tag = O_BR; break;
	case GUMBO_TAG_IMG:        *tag = O_IMG; break;
	default:
		if (drop_with_content(node->v.element.tag))
			return ACT_DROP;
		return is_boundary(node->v.element.tag) ? ACT_BOUNDARY : ACT_UNWRAP;
	}
	return ACT_KEEP;
}

/* A source element starts; returns what the walk should remember. */
static enum act
bld_enter(struct bld *b, const GumboNode *node, size_t depth, unsigned *otag)
{
	unsigned tag = O__COUNT;
	enum act a = classify(node, &tag);
	enum place r;
	int ext;

	if (a == ACT_BOUNDARY)
		boundary(b);
	if (a != ACT_KEEP)
		return a;
	switch (tag) {
	case O_BR:
		bld_br(b);
		return ACT_UNWRAP;
	case O_IMG:
		bld_img(b, node);
		return ACT_UNWRAP;
	case O_HR:
		bld_hr(b);
		return ACT_UNWRAP;
	default:
		break;
	}
	if (is_inline_box(tag)) {
		if (on_stack(b, tag) || !fits(b, 0))
			return ACT_UNWRAP;
		if (tag == O_A && !url_ok(b, attr_val(node, "href"), 1, &ext))
			return ACT_UNWRAP;
		if (place(b, CAT_INLINE) != PLACE_OK)
			return ACT_UNWRAP;
		reopen(b);
		/* Nested links are invalid HTML (a re-parse would split
		 * them) and strong inside strong means nothing; the check
		 * comes again after reopen(), which may have brought one
		 * back. */
		if (on_stack(b, tag) || !fits(b, 0) || !push(b, tag, node, depth))
			return ACT_UNWRAP;
		*otag = tag;
		return ACT_OPEN;
	}
	if (!fits(b, 0)) {
		boundary(b);    /* too deep: flattened, text kept */
		return ACT_BOUNDARY;
	}
	r = place(b, (enum cat)otags[tag].cat);
	if (r == PLACE_AS_P) {
		tag = O_P;
		r = place(b, CAT_BLOCK);
	}
	if (r != PLACE_OK || !fits(b, room_below(tag)) || !push(b, tag, node, depth)) {
		boundary(b);
		return ACT_BOUNDARY;
	}
	if (tag == O_TD || tag == O_TH)
		materialize(b);         /* empty cells keep the table's shape */
	*otag = tag;
	return ACT_OPEN;
}

static void
bld_leave(struct bld *b, const GumboNode *node, enum act a, unsigned tag)
{
	unsigned i;

	if (a == ACT_BOUNDARY) {
		boundary(b);
		return;
	}
	if (a != ACT_OPEN)
		return;
	for (i = b->n - 1; i > 0; i--)
		if (b->st[i].src == node)
			break;
	if (i == 0) {
		/* Closed early by a block inside it: an inline element may
		 * wait to be reopened, a block still ends here. */
		if (is_inline_box(tag))
			unsuspend(b, node);
		else
			boundary(b);
		return;
	}
	while (b->n - 1 > i)
		pop(b, 1);      /* wrappers, and inline elements reopened inside */
	pop(b, 0);
}

/* --- the walk --- */

struct frame {
	const GumboNode *node;
	unsigned         next;
	enum act         act;
	unsigned         tag;   /* ACT_OPEN: the output element */
};

static const GumboVector *
children(const GumboNode *n)
{
	if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE)
		return &n->v.element.children;
	if (n->type == GUMBO_NODE_DOCUMENT)
		return &n->v.document.children;
	return NULL;
}

/* Walks the tree without recursion: its depth is the input's to choose. */
static size_t
walk(struct bld *b, const GumboNode *root)
{
	struct frame *fr;
	size_t nfr = 0, cap = 64, maxd = 0;

	fr = malloc(cap * sizeof *fr);
	if (fr == NULL)
		log_oom();
	fr[nfr++] = (struct frame){ root, 0, ACT_ROOT, O_ROOT };
	while (nfr && !b->err) {
		struct frame *f = &fr[nfr - 1];
		const GumboVector *ch = children(f->node);
		const GumboNode *c;
		unsigned tag = O__COUNT;
		enum act a;

		if (ch == NULL || f->next >= ch->length) {
			if (f->act != ACT_ROOT)
				bld_leave(b, f->node, f->act, f->tag);
			nfr--;
			continue;
		}
		c = ch->data[f->next++];
		switch (c->type) {
		case GUMBO_NODE_TEXT:
		case GUMBO_NODE_WHITESPACE:
		case GUMBO_NODE_CDATA:
			bld_text(b, c->v.text.text);
			continue;
		case GUMBO_NODE_ELEMENT:
		case GUMBO_NODE_TEMPLATE:
			break;
		default:
			continue;       /* comments */
		}
		a = bld_enter(b, c, nfr, &tag);
		if (a == ACT_DROP)
			continue;
		if (nfr == cap) {
			struct frame *nf;

			cap *= 2;
			nf = realloc(fr, cap * sizeof *fr);
			if (nf == NULL)
				log_oom();
			fr = nf;
		}
		fr[nfr++] = (struct frame){ c, 0, a, tag };
		if (nfr > maxd)
			maxd = nfr;
	}
	free(fr);
	return maxd;
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

static int
run(const char *html, size_t len, struct buf *out, int text_mode,
    struct sanitize_stats *st)
{
	struct pre pp;
	struct buf canon;
	struct mem mem;
	struct bld *b;
	GumboOptions opt = kGumboDefaultOptions;
	GumboOutput *g;
	size_t start = out->len;
	int rc = SANITIZE_OK;

	if (st)
		memset(st, 0, sizeof *st);
	if (len > SANITIZE_MAX_INPUT)
		return SANITIZE_ETOOBIG;
	if (html == NULL)
		len = 0;

	/* Stage 1.  The stream can grow (&lt; for <, &quot; for ", end tags
	 * the source left out), never past this. */
	buf_init(&canon, 8 * len + 65536);
	memset(&pp, 0, sizeof pp);
	pp.p = html;
	pp.len = len;
	pp.out = &canon;
	pre_run(&pp);
	if (pp.err) {
		buf_free(&canon);
		return SANITIZE_ETOOBIG;
	}

	/* Stage 2.  Parse errors are not recorded: each record copies the
	 * stack of open elements, quadratic on deep input. */
	mem_init(&mem);
	opt.allocator = mem_alloc;
	opt.deallocator = mem_dealloc;
	opt.userdata = &mem;
	opt.max_errors = 0;
	opt.fragment_context = GUMBO_TAG_BODY;
	opt.fragment_namespace = GUMBO_NAMESPACE_HTML;
	g = gumbo_parse_with_options(&opt, canon.p ? canon.p : "", canon.len);

	/* Stage 3. */
	b = calloc(1, sizeof *b);
	if (b == NULL)
		log_oom();
	b->out = out;
	b->text_mode = text_mode;
	buf_init(&b->url, BUF_CAP_SMALL);
	b->n = b->ne = 1;
	b->st[0].tag = O_ROOT;
	if (g && g->root) {
		size_t d = walk(b, g->root);

		if (st) {
			st->tree_depth = d;
			st->tags_dropped = pp.dropped;
		}
	}
	while (b->n > 1 && !b->err)
		pop(b, 0);
	if (b->err) {
		out->len = start;
		if (out->p)
			out->p[start] = '\0';
		rc = SANITIZE_EFULL;
	}
	buf_free(&b->url);
	free(b);
	mem_release(&mem);
	buf_free(&canon);
	return rc;
}

int
sanitize_html_stats(const char *html, size_t len, struct buf *out,
    struct sanitize_stats *st)
{
	return run(html, len, out, 0, st);
}

int
sanitize_html(const char *html, size_t len, struct buf *out)
{
	return run(html, len, out, 0, NULL);
}

int
sanitize_text(const char *html, size_t len, struct buf *out)
{
	return run(html, len, out, 1, NULL);
}

/* Space, tab, form feed: what HTML collapses within a line. */
static int
is_line_space(char c)
{
	return c == ' ' || c == '\t' || c == '\f';
}

int
sanitize_text_to_html(const char *text, size_t len, struct buf *out)
{
	struct buf line;
	size_t start = out->len, i = 0, e, s0, s1;
	int in_p = 0, err = 0;

	if (len > SANITIZE_MAX_INPUT)
		return SANITIZE_ETOOBIG;
	if (text == NULL)
		len = 0;
	buf_init(&line, 3 * len + 16);     /* U+FFFD for each bad byte at worst */
	while (i < len && !err) {
		/* One line: up to LF, CR LF or CR. */
		for (e = i; e < len && text[e] != '\n' && text[e] != '\r'; e++)
			;
		buf_reset(&line);
		/* The same clean-up sanitize_html() applies, so the result
		 * is a fixed point of it. */
		if (put_clean(&line, text + i, e - i, 0)) {
			err = 1;
			break;
		}
		i = e;
		if (i < len && text[i] == '\r')
			i++;
		if (i < len && text[i] == '\n')
			i++;
		/* Blank (after the clean-up, which may have removed
		 * control characters) ends the paragraph; otherwise the
		 * line is trimmed, as the browser would collapse it. */
		s0 = 0;
		s1 = line.len;
		while (s0 < s1 && is_line_space(line.p[s0]))
			s0++;
		while (s1 > s0 && is_line_space(line.p[s1 - 1]))
			s1--;
		if (s1 == s0) {
			if (in_p && buf_puts(out, "</p>\n"))
				err = 1;
			in_p = 0;
			continue;
		}
		if (buf_puts(out, in_p ? "<br>" : "<p>") ||
		    buf_put_html(out, line.p + s0, s1 - s0))
			err = 1;
		in_p = 1;
	}
	if (!err && in_p && buf_puts(out, "</p>\n"))
		err = 1;
	buf_free(&line);
	if (err) {
		out->len = start;
		if (out->p)
			out->p[start] = '\0';
		return SANITIZE_EFULL;
	}
	return SANITIZE_OK;
}
