/*
 * mustache.c - the template engine: Mustache with layout inheritance.
 *
 * Part of render; the interface and the language rules we chose are in
 * mustache.h.  A template is compiled once, in three passes over a flat
 * token list, into a tree of nodes; rendering walks the tree and appends to
 * a struct buf, with nothing allocated on the heap.
 *
 *   lex()      source -> tokens.  Text is cut at every newline so that the
 *              tokens of one source line are easy to find.
 *   match()    pairs each section/block/parent with its close tag.
 *   spaces()   the standalone-line rules: marks tags that sit alone on a
 *              line and empties the whitespace and line ending around them;
 *              works out the indentation of partials, parents and blocks.
 *   build()    tokens -> nodes.  An OP_INDENT node is put wherever a source
 *              line starts; it writes the current indentation, so that a
 *              standalone partial is indented line by line of its *source*
 *              (the spec: "prepended to each line of the partial before
 *              rendering") without copying or re-parsing the partial.
 *
 * Inheritance.  {{<p}}...{{/p}} renders template p with the {{$block}}s
 * written directly inside the tag as arguments; everything else inside the
 * tag is ignored.  When p (or anything it includes) reaches {{$name}}, the
 * argument given by the *outermost* caller wins, which is what lets a page
 * override a block that a layout passes on to its own parent.  The chosen
 * argument is rendered in the data context of the place where it lands, and
 * its own nested blocks resolve against the callers that were active where
 * it was written (which also means a block can never expand into itself).
 *
 * Block indentation follows the spec's ~inheritance tests: a block whose
 * open tag ends its line has an "intrinsic" indentation, the leading white
 * space of the next line, which is stripped from its lines where it is
 * written and replaced by the indentation of the place where it lands.
 */
#include "render/mustache.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

#define NONE ((size_t)-1)

/* Total nesting of rendered node lists (sections, partials, blocks), so
 * that the C stack stays small whatever the templates do: at the cap a
 * render uses under 96 KiB of stack at -O2 (256 KiB with ASan).
 * A real page nests a few dozen; a recursive partial that hits the
 * MUSTACHE_MAX_DEPTH cap with a few sections per level stays under it. */
#define MAX_FRAMES 512

/* ------------------------------------------------------------------ */
/* Compiled form */

enum op {
	OP_TEXT,      /* s/len: literal bytes */
	OP_INDENT,    /* a source line starts: write the indentation */
	OP_VAR,       /* {{name}}: escaped */
	OP_RAW,       /* {{{name}}}, {{&name}}: as is */
	OP_SECTION,   /* {{#name}}: child rendered per item */
	OP_INVERTED,  /* {{^name}}: child rendered if name is false */
	OP_PARTIAL,   /* {{>name}} */
	OP_PARENT,    /* {{<name}}: child is the list of argument blocks */
	OP_BLOCK,     /* {{$name}}: child is the default (or argument) content */
};

#define NF_STANDALONE 0x01  /* partial/parent: alone on its line, indent it */
#define NF_FRESH      0x02  /* block: an argument lands at a line start */
#define NF_STARTS_BOL 0x04  /* argument block: its content starts a line */

struct mnode {
	unsigned char       op;
	unsigned char       flags;   /* NF_* */
	const char         *s;       /* text, or the tag's name */
	size_t              len;
	const char         *ind;     /* indentation added by this partial/parent/block */
	size_t              indlen;
	const struct mnode *child;   /* section/block content, parent arguments */
	const struct mnode *next;
};

struct mustache_tpl {
	struct mustache_tpl *hnext;   /* hash chain */
	char                *name;    /* owned, NUL-terminated */
	size_t               namelen;
	char                *src;     /* owned copy of the source; nodes point into it */
	struct mnode        *nodes;   /* owned array, one allocation */
	const struct mnode  *root;
};

struct mustache_set {
	struct mustache_tpl **tab;    /* hash buckets */
	size_t                nbucket; /* a power of two */
	size_t                count;
};

/* ------------------------------------------------------------------ */
/* Compiler */

enum tok_type {
	T_TEXT,
	T_VAR,
	T_RAW,
	T_SECTION,
	T_INVERTED,
	T_CLOSE,
	T_PARTIAL,
	T_PARENT,
	T_BLOCK,
	T_COMMENT,
	T_DELIM,
};

#define TF_EOL        0x01  /* text: ended a source line before trimming */
#define TF_STANDALONE 0x02  /* tag: its line's white space was dropped */
#define TF_ARG        0x04  /* block: argument of the enclosing parent */
#define TF_STARTS_BOL 0x08  /* argument block: as NF_STARTS_BOL */

struct tok {
	enum tok_type type;
	unsigned      flags;        /* TF_* */
	size_t        b, e;         /* text: bytes left to emit; tag: its name */
	size_t        ib, ie;       /* indentation, as a range of the source */
	size_t        line;         /* 1-based, where the token starts */
	size_t        match;        /* open tag <-> its close tag */
};

struct compiler {
	const char *name;
	const char *src;
	size_t      len;
	struct tok *t;
	size_t      n, cap;
	char       *err;
	size_t      errlen;
};

static void cerr(struct compiler *c, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
cerr(struct compiler *c, size_t line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->err == NULL || c->errlen == 0)
		return;
	n = snprintf(c->err, c->errlen, "%s:%zu: ", c->name, line);
	if (n < 0 || (size_t)n >= c->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Names go into messages cut short, so one absurd tag cannot fill err. */
static int
shortlen(size_t len)
{
	return len > 40 ? 40 : (int)len;
}

static struct tok *
tok_push(struct compiler *c, enum tok_type type, size_t line)
{
	struct tok *t;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->t = realloc(c->t, c->cap * sizeof *c->t);
		if (c->t == NULL)
			log_oom();
	}
	t = &c->t[c->n++];
	memset(t, 0, sizeof *t);
	t->type = type;
	t->line = line;
	t->match = NONE;
	return t;
}

/* Text between tags, one token per source line. */
static void
lex_text(struct compiler *c, size_t b, size_t e, size_t *line)
{
	const char *nl;
	struct tok *t;
	size_t end;

	while (b < e) {
		nl = memchr(c->src + b, '\n', e - b);
		end = nl ? (size_t)(nl - c->src) + 1 : e;
		t = tok_push(c, T_TEXT, *line);
		t->b = b;
		t->e = end;
		if (nl) {
			t->flags |= TF_EOL;
			(*line)++;
		}
		b = end;
	}
}

static int
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	    ch == '\v' || ch == '\f';
}

/*
 * Finds the close delimiter of a tag whose content must end with ch (the '}'
 * of a triple mustache, the '=' of a set-delimiter tag).  Returns the index
 * of that ch, or NONE.
 */
static size_t
find_close_after(const struct compiler *c, size_t from, char ch,
    const char *ctag, size_t clen)
{
	const char *hit;
	size_t q = from, k;

	while (q < c->len &&
	    (hit = memmem(c->src + q, c->len - q, ctag, clen)) != NULL) {
		k = (size_t)(hit - c->src);
		if (k > from && c->src[k - 1] == ch)
			return k - 1;
		q = k + 1;
	}
	return NONE;
}

/*
 * Variable and section names: one or more non-empty parts joined by dots,
 * or a lone dot (the current item).  Partial, parent and block names: any
 * run of non-space bytes.
 */
static int
name_ok(const char *s, size_t len, int dotted)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (is_space(s[i]))
			return 0;
	if (!dotted || (len == 1 && s[0] == '.'))
		return 1;
	if (s[0] == '.' || s[len - 1] == '.')
		return 0;
	for (i = 1; i < len; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return 0;
	return 1;
}

/* {{=<% %>=}}: the new delimiters are two runs of non-space, non-'='
 * bytes; they point into the source, so nothing is copied. */
static int
lex_delims(struct compiler *c, size_t b, size_t e, size_t line,
    const char **otag, size_t *olen, const char **ctag, size_t *clen)
{
	size_t ob, oe, cb, ce, i;

	for (ob = b; ob < e && is_space(c->src[ob]); ob++)
		;
	for (oe = ob; oe < e && !is_space(c->src[oe]); oe++)
		;
	for (cb = oe; cb < e && is_space(c->src[cb]); cb++)
		;
	for (ce = cb; ce < e && !is_space(c->src[ce]); ce++)
		;
	for (i = ce; i < e && is_space(c->src[i]); i++)
		;
	if (oe == ob || ce == cb || cb == oe || i != e) {
		cerr(c, line, "bad delimiter tag: want two delimiters separated by a space");
		return -1;
	}
	if (memchr(c->src + ob, '=', oe - ob) || memchr(c->src + cb, '=', ce - cb)) {
		cerr(c, line, "bad delimiter tag: a delimiter may not contain '='");
		return -1;
	}
	*otag = c->src + ob;
	*olen = oe - ob;
	*ctag = c->src + cb;
	*clen = ce - cb;
	return 0;
}

static int
lex(struct compiler *c)
{
	const char *otag = "{{", *ctag = "}}", *hit;
	size_t olen = 2, clen = 2, pos = 0, line = 1;
	size_t t, p, k, end, nb, ne, tagline, i;
	enum tok_type type;
	struct tok *tk;
	char ch;

	while (pos < c->len) {
		hit = memmem(c->src + pos, c->len - pos, otag, olen);
		t = hit ? (size_t)(hit - c->src) : c->len;
		lex_text(c, pos, t, &line);
		if (hit == NULL)
			break;
		tagline = line;
		p = t + olen;
		ch = p < c->len ? c->src[p] : '\0';
		/* The sigil is not part of the search for the close
		 * delimiter: with {{=< >=}} the tag <>x> is a partial. */
		nb = p + 1;
		switch (ch) {
		case '{': type = T_RAW; break;
		case '=': type = T_DELIM; break;
		case '&': type = T_RAW; break;
		case '#': type = T_SECTION; break;
		case '^': type = T_INVERTED; break;
		case '/': type = T_CLOSE; break;
		case '>': type = T_PARTIAL; break;
		case '<': type = T_PARENT; break;
		case '$': type = T_BLOCK; break;
		case '!': type = T_COMMENT; break;
		default: type = T_VAR; nb = p; break;
		}
		if (ch == '{' || ch == '=') {
			k = find_close_after(c, nb, ch == '{' ? '}' : '=', ctag, clen);
			if (k == NONE) {
				cerr(c, tagline, "unclosed tag: no '%c%.*s' after '%.*s%c'",
				    ch == '{' ? '}' : '=', (int)clen, ctag, (int)olen, otag, ch);
				return -1;
			}
			ne = k;
			end = k + 1 + clen;
		} else {
			hit = nb < c->len ? memmem(c->src + nb, c->len - nb, ctag, clen) : NULL;
			if (hit == NULL) {
				cerr(c, tagline, "unclosed tag: no '%.*s' after '%.*s'",
				    (int)clen, ctag, (int)olen, otag);
				return -1;
			}
			k = (size_t)(hit - c->src);
			ne = k;
			end = k + clen;
		}
		for (i = t; i < end; i++)
			if (c->src[i] == '\n')
				line++;

		tk = tok_push(c, type, tagline);
		pos = end;
		if (type == T_COMMENT)
			continue;
		if (type == T_DELIM) {
			if (lex_delims(c, nb, ne, tagline, &otag, &olen, &ctag, &clen))
				return -1;
			continue;
		}
		while (nb < ne && is_space(c->src[nb]))
			nb++;
		while (ne > nb && is_space(c->src[ne - 1]))
			ne--;
		tk->b = nb;
		tk->e = ne;
		/* Close tags only have to match their open tag. */
		if (!name_ok(c->src + nb, ne - nb, type == T_VAR || type == T_RAW ||
		    type == T_SECTION || type == T_INVERTED)) {
			if (ne == nb)
				cerr(c, tagline, "empty tag name");
			else
				cerr(c, tagline, "bad tag name \"%.*s\"",
				    shortlen(ne - nb), c->src + nb);
			return -1;
		}
	}
	return 0;
}

static const char *
kind_name(enum tok_type type)
{
	switch (type) {
	case T_INVERTED: return "inverted section";
	case T_PARENT: return "parent";
	case T_BLOCK: return "block";
	default: return "section";
	}
}

static int
same_name(const struct compiler *c, const struct tok *a, const struct tok *b)
{
	return a->e - a->b == b->e - b->b &&
	    memcmp(c->src + a->b, c->src + b->b, a->e - a->b) == 0;
}

/* Pairs open and close tags, marks argument blocks. */
static int
match(struct compiler *c)
{
	size_t stack[MUSTACHE_MAX_NEST], sp = 0, i, o;
	struct tok *t;

	for (i = 0; i < c->n; i++) {
		t = &c->t[i];
		switch (t->type) {
		case T_SECTION:
		case T_INVERTED:
		case T_PARENT:
		case T_BLOCK:
			if (sp == MUSTACHE_MAX_NEST) {
				cerr(c, t->line, "sections nested more than %d deep",
				    MUSTACHE_MAX_NEST);
				return -1;
			}
			if (t->type == T_BLOCK && sp > 0 &&
			    c->t[stack[sp - 1]].type == T_PARENT)
				t->flags |= TF_ARG;
			stack[sp++] = i;
			break;
		case T_CLOSE:
			if (sp == 0) {
				cerr(c, t->line, "close tag \"%.*s\" without an open tag",
				    shortlen(t->e - t->b), c->src + t->b);
				return -1;
			}
			o = stack[sp - 1];
			if (!same_name(c, &c->t[o], t)) {
				cerr(c, t->line,
				    "close tag \"%.*s\" does not match %s \"%.*s\" opened on line %zu",
				    shortlen(t->e - t->b), c->src + t->b,
				    kind_name(c->t[o].type),
				    shortlen(c->t[o].e - c->t[o].b), c->src + c->t[o].b,
				    c->t[o].line);
				return -1;
			}
			c->t[o].match = i;
			t->match = o;
			sp--;
			break;
		default:
			break;
		}
	}
	if (sp > 0) {
		t = &c->t[stack[sp - 1]];
		cerr(c, t->line, "unclosed %s \"%.*s\"", kind_name(t->type),
		    shortlen(t->e - t->b), c->src + t->b);
		return -1;
	}
	return 0;
}

/* Text that is only spaces and tabs, maybe followed by the line ending. */
static int
is_blank(const struct compiler *c, const struct tok *t)
{
	size_t i;

	if (t->type != T_TEXT)
		return 0;
	for (i = t->b; i < t->e; i++) {
		switch (c->src[i]) {
		case ' ':
		case '\t':
			continue;
		case '\n':
			return i + 1 == t->e;
		case '\r':
			return i + 2 == t->e && c->src[i + 1] == '\n';
		default:
			return 0;
		}
	}
	return 1;
}

/* Nothing but white space between the start of the line and token i. */
static int
left_clear(const struct compiler *c, size_t i)
{
	while (i-- > 0) {
		if (c->t[i].type != T_TEXT)
			return 0;
		if (c->t[i].flags & TF_EOL)
			return 1;
		if (!is_blank(c, &c->t[i]))
			return 0;
	}
	return 1;
}

/* Nothing but white space between token i and the end of its line. */
static int
right_clear(const struct compiler *c, size_t i)
{
	for (i++; i < c->n; i++) {
		if (!is_blank(c, &c->t[i]))
			return 0;
		if (c->t[i].flags & TF_EOL)
			return 1;
	}
	return 1;
}

/* Drops the white space before token i on its line.  Text tokens only end
 * at newlines and tags, so there is at most one. */
static void
trim_left(struct compiler *c, size_t i)
{
	while (i-- > 0 && c->t[i].type == T_TEXT && !(c->t[i].flags & TF_EOL))
		c->t[i].e = c->t[i].b;
}

/* Drops the white space and the line ending after token i. */
static void
trim_right(struct compiler *c, size_t i)
{
	for (i++; i < c->n && c->t[i].type == T_TEXT; i++) {
		c->t[i].e = c->t[i].b;
		if (c->t[i].flags & TF_EOL)
			break;
	}
}

/* The white space before token i on its line (call before trim_left). */
static void
leading_ws(const struct compiler *c, size_t i, size_t *b, size_t *e)
{
	*b = *e = 0;
	if (i > 0 && c->t[i - 1].type == T_TEXT && !(c->t[i - 1].flags & TF_EOL)) {
		*b = c->t[i - 1].b;
		*e = c->t[i - 1].e;
	}
}

/* The leading white space of the line after the one token i is on. */
static void
next_line_ws(const struct compiler *c, size_t i, size_t *b, size_t *e)
{
	size_t j, k;

	*b = *e = 0;
	for (j = i + 1; j < c->n; j++)
		if (c->t[j].type == T_TEXT && (c->t[j].flags & TF_EOL))
			break;
	if (j + 1 >= c->n || c->t[j + 1].type != T_TEXT)
		return;
	j++;
	for (k = c->t[j].b; k < c->t[j].e && (c->src[k] == ' ' || c->src[k] == '\t'); k++)
		;
	*b = c->t[j].b;
	*e = k;
}

/* Removes the prefix src[pb..pe) from every line start between tokens
 * open and close: an argument block's intrinsic indentation. */
static void
strip_prefix(struct compiler *c, size_t open, size_t close, size_t pb, size_t pe)
{
	size_t k, plen = pe - pb;
	struct tok *t;

	for (k = open + 1; k < close; k++) {
		t = &c->t[k];
		if (t->type != T_TEXT || c->t[k - 1].type != T_TEXT ||
		    !(c->t[k - 1].flags & TF_EOL))
			continue;
		if (t->e - t->b >= plen && memcmp(c->src + t->b, c->src + pb, plen) == 0)
			t->b += plen;
	}
}

/* The standalone-line rules.  See the top of the file. */
static void
spaces(struct compiler *c)
{
	size_t i, lb, le, nb, ne;
	struct tok *t, *o;
	int pair;

	for (i = 0; i < c->n; i++) {
		t = &c->t[i];
		switch (t->type) {
		case T_TEXT:
		case T_VAR:
		case T_RAW:
			/* Interpolation is never standalone. */
			continue;

		case T_PARENT:
			/* Only the outer sides count: what is inside the
			 * tag, apart from blocks, is never output. */
			if (left_clear(c, i) && right_clear(c, t->match)) {
				t->flags |= TF_STANDALONE;
				c->t[t->match].flags |= TF_STANDALONE;
				leading_ws(c, i, &t->ib, &t->ie);
				trim_left(c, i);
				trim_right(c, t->match);
			}
			continue;

		case T_BLOCK:
			if (t->flags & TF_ARG) {
				/* An argument: what precedes it on its line is
				 * the parent's ignored body. */
				if (right_clear(c, i)) {
					t->flags |= TF_STANDALONE | TF_STARTS_BOL;
					trim_right(c, i);
					next_line_ws(c, i, &nb, &ne);
					if (ne > nb)
						strip_prefix(c, i, t->match, nb, ne);
				}
				continue;
			}
			/* A parameter: its open tag follows the ordinary
			 * rule; the pair decides the indentation. */
			pair = left_clear(c, i) && right_clear(c, t->match);
			leading_ws(c, i, &lb, &le);
			if (left_clear(c, i) && right_clear(c, i)) {
				t->flags |= TF_STANDALONE;
				trim_left(c, i);
				trim_right(c, i);
				if (pair)
					next_line_ws(c, i, &t->ib, &t->ie);
			} else if (pair) {
				t->ib = lb;
				t->ie = le;
			}
			continue;

		case T_CLOSE:
			o = &c->t[t->match];
			if (o->type == T_PARENT)
				continue;
			if (o->flags & TF_ARG) {
				/* The end of an argument: only its left side
				 * is content. */
				if (left_clear(c, i)) {
					t->flags |= TF_STANDALONE;
					trim_left(c, i);
				}
				continue;
			}
			break;

		default:
			break;
		}
		/* Sections, comments, set-delimiters, partials. */
		if (left_clear(c, i) && right_clear(c, i)) {
			t->flags |= TF_STANDALONE;
			leading_ws(c, i, &t->ib, &t->ie);
			trim_left(c, i);
			trim_right(c, i);
		}
	}
}

struct bframe {
	const struct mnode **tail;   /* where the next node of this list goes */
	size_t               open;   /* the open token, or NONE at the top */
};

/* Tokens -> nodes.  The tree is made of one array of nodes. */
static const struct mnode *
build(struct compiler *c, struct mnode *nodes, const char *src)
{
	struct bframe st[MUSTACHE_MAX_NEST + 1];
	const struct mnode *root = NULL;
	struct mnode *nd;
	struct tok *t, *top;
	size_t sp = 0, nn = 0, i;
	int at_bol = 1;

#define NEWNODE(opc, tk) do {						\
	nd = &nodes[nn++];						\
	nd->op = (opc);							\
	nd->s = src + (tk)->b;						\
	nd->len = (tk)->e - (tk)->b;					\
	*st[sp].tail = nd;						\
	st[sp].tail = &nd->next;					\
} while (0)
#define INDENT_IF_BOL() do {						\
	if (at_bol) {							\
		nd = &nodes[nn++];					\
		nd->op = OP_INDENT;					\
		*st[sp].tail = nd;					\
		st[sp].tail = &nd->next;				\
	}								\
	at_bol = 0;							\
} while (0)

	st[0].tail = &root;
	st[0].open = NONE;
	for (i = 0; i < c->n; i++) {
		t = &c->t[i];
		top = st[sp].open == NONE ? NULL : &c->t[st[sp].open];

		if (top && top->type == T_PARENT) {
			/* Inside {{<p}}: argument blocks and the close tag
			 * matter, the rest is skipped whole. */
			if (t->type == T_BLOCK) {
				NEWNODE(OP_BLOCK, t);
				if (t->flags & TF_STARTS_BOL)
					nd->flags |= NF_STARTS_BOL;
				st[++sp].tail = &nd->child;
				st[sp].open = i;
				at_bol = (t->flags & TF_STARTS_BOL) != 0;
			} else if (t->type == T_CLOSE && t->match == st[sp].open) {
				sp--;
				at_bol = (t->flags & TF_STANDALONE) != 0;
			} else if (t->type != T_CLOSE && t->match != NONE) {
				i = t->match;
			}
			continue;
		}

		switch (t->type) {
		case T_TEXT:
			if (t->e == t->b)
				break;
			INDENT_IF_BOL();
			NEWNODE(OP_TEXT, t);
			at_bol = src[t->e - 1] == '\n';
			break;
		case T_COMMENT:
		case T_DELIM:
			/* Nothing to write; a line start stays pending. */
			break;
		case T_VAR:
		case T_RAW:
			INDENT_IF_BOL();
			NEWNODE(t->type == T_VAR ? OP_VAR : OP_RAW, t);
			break;
		case T_PARTIAL:
			if (!(t->flags & TF_STANDALONE))
				INDENT_IF_BOL();
			NEWNODE(OP_PARTIAL, t);
			if (t->flags & TF_STANDALONE) {
				nd->flags |= NF_STANDALONE;
				nd->ind = src + t->ib;
				nd->indlen = t->ie - t->ib;
			}
			break;
		case T_SECTION:
		case T_INVERTED:
		case T_PARENT:
		case T_BLOCK:
			if (!(t->flags & TF_STANDALONE))
				INDENT_IF_BOL();
			NEWNODE(t->type == T_SECTION ? OP_SECTION :
			    t->type == T_INVERTED ? OP_INVERTED :
			    t->type == T_PARENT ? OP_PARENT : OP_BLOCK, t);
			if (t->flags & TF_STANDALONE)
				nd->flags |= t->type == T_BLOCK ? NF_FRESH : NF_STANDALONE;
			nd->ind = src + t->ib;
			nd->indlen = t->ie - t->ib;
			st[++sp].tail = &nd->child;
			st[sp].open = i;
			break;
		case T_CLOSE:
			/* A close tag at a line start leaves the indentation
			 * inside the section, as if the source were indented. */
			if (!(t->flags & TF_STANDALONE))
				INDENT_IF_BOL();
			sp--;
			break;
		}
	}
#undef NEWNODE
#undef INDENT_IF_BOL
	return root;
}

static void
tpl_free(struct mustache_tpl *tpl)
{
	if (tpl == NULL)
		return;
	free(tpl->name);
	free(tpl->src);
	free(tpl->nodes);
	free(tpl);
}

static struct mustache_tpl *
compile(const char *name, const char *src, size_t len, char *err, size_t errlen)
{
	struct compiler c = { 0 };
	struct mustache_tpl *tpl = NULL;

	c.name = name;
	c.src = src;
	c.len = len;
	c.err = err;
	c.errlen = errlen;
	if (lex(&c) || match(&c))
		goto out;
	spaces(&c);

	tpl = calloc(1, sizeof *tpl);
	if (tpl == NULL)
		log_oom();
	tpl->namelen = strlen(name);
	tpl->name = malloc(tpl->namelen + 1);
	tpl->src = malloc(len + 1);
	/* At most an OP_INDENT and a node per token. */
	tpl->nodes = calloc(2 * c.n + 1, sizeof *tpl->nodes);
	if (tpl->name == NULL || tpl->src == NULL || tpl->nodes == NULL)
		log_oom();
	memcpy(tpl->name, name, tpl->namelen + 1);
	if (len)
		memcpy(tpl->src, src, len);
	tpl->src[len] = '\0';
	tpl->root = build(&c, tpl->nodes, tpl->src);
out:
	free(c.t);
	return tpl;
}

/* ------------------------------------------------------------------ */
/* Sets */

static size_t
hash_name(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ull;  /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

static struct mustache_tpl **
set_slot(const struct mustache_set *set, const char *name, size_t len)
{
	struct mustache_tpl **pp;

	pp = &set->tab[hash_name(name, len) & (set->nbucket - 1)];
	for (; *pp; pp = &(*pp)->hnext)
		if ((*pp)->namelen == len && memcmp((*pp)->name, name, len) == 0)
			break;
	return pp;
}

static const struct mustache_tpl *
set_get(const struct mustache_set *set, const char *name, size_t len)
{
	return *set_slot(set, name, len);
}

struct mustache_set *
mustache_set_new(void)
{
	struct mustache_set *set;

	set = calloc(1, sizeof *set);
	if (set == NULL)
		log_oom();
	set->nbucket = 64;
	set->tab = calloc(set->nbucket, sizeof *set->tab);
	if (set->tab == NULL)
		log_oom();
	return set;
}

void
mustache_set_free(struct mustache_set *set)
{
	struct mustache_tpl *tpl, *next;
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->nbucket; i++)
		for (tpl = set->tab[i]; tpl; tpl = next) {
			next = tpl->hnext;
			tpl_free(tpl);
		}
	free(set->tab);
	free(set);
}

static void
set_grow(struct mustache_set *set)
{
	struct mustache_tpl **old = set->tab, *tpl, *next, **slot;
	size_t i, oldn = set->nbucket;

	set->nbucket *= 2;
	set->tab = calloc(set->nbucket, sizeof *set->tab);
	if (set->tab == NULL)
		log_oom();
	for (i = 0; i < oldn; i++)
		for (tpl = old[i]; tpl; tpl = next) {
			next = tpl->hnext;
			slot = &set->tab[hash_name(tpl->name, tpl->namelen) & (set->nbucket - 1)];
			tpl->hnext = *slot;
			*slot = tpl;
		}
	free(old);
}

int
mustache_set_add(struct mustache_set *set, const char *name, const char *src,
    size_t len, char *err, size_t errlen)
{
	struct mustache_tpl *tpl, **slot;

	if (err && errlen)
		err[0] = '\0';
	tpl = compile(name, src, len, err, errlen);
	if (tpl == NULL)
		return MUSTACHE_ESYNTAX;
	slot = set_slot(set, tpl->name, tpl->namelen);
	if (*slot) {
		/* Replace in place, keeping the chain. */
		tpl->hnext = (*slot)->hnext;
		tpl_free(*slot);
		*slot = tpl;
		return MUSTACHE_OK;
	}
	*slot = tpl;
	if (++set->count > set->nbucket)
		set_grow(set);
	return MUSTACHE_OK;
}

int
mustache_set_has(const struct mustache_set *set, const char *name)
{
	return set_get(set, name, strlen(name)) != NULL;
}

/* ------------------------------------------------------------------ */
/* Rendering */

/* The context stack, the indentation and the inheritance arguments are
 * linked lists through the C stack of the render calls: no allocation. */
struct rctx {
	const json_t      *v;
	const struct rctx *up;
};

struct rind {
	const char        *p;
	size_t             len;
	const struct rind *outer;   /* written first */
};

struct rargs {
	const struct mnode *list;   /* the argument blocks of one {{<parent}} */
	const struct rargs *outer;  /* the arguments active where it was written */
};

struct rstate {
	const struct mustache_set *set;
	const char *name;           /* the template asked for, for messages */
	struct buf *out;
	char       *err;
	size_t      errlen;
	unsigned    depth;          /* partials and parents */
	unsigned    frames;         /* node lists being rendered */
	unsigned long steps;        /* nodes visited */
	int         skip_indent;    /* the next line start is already indented */
};

static int rerr(struct rstate *st, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
rerr(struct rstate *st, int code, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (st->err == NULL || st->errlen == 0)
		return code;
	n = snprintf(st->err, st->errlen, "%s: ", st->name);
	if (n < 0 || (size_t)n >= st->errlen)
		return code;
	va_start(ap, fmt);
	vsnprintf(st->err + n, st->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return code;
}

static int
efull(struct rstate *st)
{
	size_t max = st->out->max ? st->out->max : BUF_CAP_DEFAULT;

	return rerr(st, MUSTACHE_EFULL, "output larger than %zu bytes", max);
}

static int
put(struct rstate *st, const char *p, size_t n, int escape)
{
	if (n == 0)
		return 0;
	st->skip_indent = 0;
	if (escape ? buf_put_html(st->out, p, n) : buf_put(st->out, p, n))
		return efull(st);
	return 0;
}

static int
put_indent(struct rstate *st, const struct rind *ind)
{
	if (ind == NULL)
		return 0;
	if (put_indent(st, ind->outer))
		return MUSTACHE_EFULL;
	return put(st, ind->p, ind->len, 0);
}

/* Finds a name on the context stack; NULL if it is missing. */
static const json_t *
lookup(const struct rctx *cx, const char *name, size_t len)
{
	const char *dot, *end = name + len;
	const json_t *v = NULL;
	size_t seg;

	if (len == 1 && name[0] == '.')
		return cx->v;
	dot = memchr(name, '.', len);
	seg = dot ? (size_t)(dot - name) : len;
	/* The first part is searched for down the stack ... */
	for (; cx; cx = cx->up)
		if (json_is_object(cx->v) &&
		    (v = json_object_getn(cx->v, name, seg)) != NULL)
			break;
	/* ... the others only inside what it found. */
	while (v && dot) {
		name = dot + 1;
		dot = memchr(name, '.', (size_t)(end - name));
		seg = dot ? (size_t)(dot - name) : (size_t)(end - name);
		v = json_is_object(v) ? json_object_getn(v, name, seg) : NULL;
	}
	return v;
}

static int
truthy(const json_t *v)
{
	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE:
		return 0;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	default:
		return 1;
	}
}

/*
 * The shortest %g precision that reads back to the same double, printed
 * the way JavaScript would: plain digits for exponents from -7 to 20,
 * scientific notation beyond.
 */
static void
fmt_real(double d, char *s, size_t n)
{
	char e[40];
	long ex;
	int prec, dec;

	for (prec = 1; prec < 17; prec++) {
		snprintf(s, n, "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			break;
	}
	snprintf(e, sizeof e, "%.*e", prec - 1, d);
	ex = strtol(strchr(e, 'e') + 1, NULL, 10);
	if (ex < -7 || ex > 20) {
		snprintf(s, n, "%s", e);
		return;
	}
	dec = prec - 1 - (int)ex;
	snprintf(s, n, "%.*f", dec > 0 ? dec : 0, d);
}

/* Out of line, like render_include and render_block: inlined into the
 * recursive render_list, their locals would be on every level's frame. */
static __attribute__((noinline)) int
put_value(struct rstate *st, const json_t *v, int escape)
{
	char num[64];

	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return put(st, json_string_value(v), json_string_length(v), escape);
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return put(st, num, strlen(num), 0);
	case JSON_REAL:
		fmt_real(json_real_value(v), num, sizeof num);
		return put(st, num, strlen(num), 0);
	case JSON_TRUE:
		return put(st, "true", 4, 0);
	case JSON_FALSE:
		return put(st, "false", 5, 0);
	default:
		return 0;
	}
}

static int render_list(struct rstate *st, const struct mnode *n,
    const struct rctx *cx, const struct rind *ind, const struct rargs *args);

/* {{>name}} and {{<name}}: a partial is a parent without arguments. */
static __attribute__((noinline)) int
render_include(struct rstate *st, const struct mnode *n, const struct rctx *cx,
    const struct rind *ind, const struct rargs *args)
{
	const struct mustache_tpl *tpl;
	struct rargs frame;
	struct rind sub;
	int rc;

	tpl = set_get(st->set, n->s, n->len);
	if (tpl == NULL)
		return 0;
	if (st->depth >= MUSTACHE_MAX_DEPTH)
		return rerr(st, MUSTACHE_EDEPTH,
		    "partials nested more than %d deep (at \"%.*s\")",
		    MUSTACHE_MAX_DEPTH, shortlen(n->len), n->s);
	/* Only a standalone tag indents; inline, the partial starts at
	 * the column of the tag and its other lines at column 0. */
	if (n->flags & NF_STANDALONE) {
		if (n->indlen) {
			sub.p = n->ind;
			sub.len = n->indlen;
			sub.outer = ind;
			ind = &sub;
		}
	} else {
		ind = NULL;
	}
	if (n->op == OP_PARENT) {
		frame.list = n->child;
		frame.outer = args;
		args = &frame;
	}
	st->depth++;
	rc = render_list(st, tpl->root, cx, ind, args);
	st->depth--;
	return rc;
}

/* {{$name}}: the outermost caller's argument, or the default content. */
static __attribute__((noinline)) int
render_block(struct rstate *st, const struct mnode *n, const struct rctx *cx,
    const struct rind *ind, const struct rargs *args)
{
	const struct mnode *arg = NULL, *b;
	const struct rargs *from = NULL, *a;
	struct rind sub;
	int rc;

	for (a = args; a; a = a->outer)
		for (b = a->list; b; b = b->next)
			if (b->len == n->len && memcmp(b->s, n->s, n->len) == 0) {
				arg = b;
				from = a;
				break;
			}
	if (arg == NULL)
		return render_list(st, n->child, cx, ind, args);

	if (n->indlen) {
		sub.p = n->ind;
		sub.len = n->indlen;
		sub.outer = ind;
		ind = &sub;
	}
	if (n->flags & NF_FRESH) {
		/* The block had a line of its own: the argument's first
		 * line needs the indentation even if it began mid-line. */
		if (!(arg->flags & NF_STARTS_BOL) && put_indent(st, ind))
			return MUSTACHE_EFULL;
	} else if (arg->flags & NF_STARTS_BOL) {
		/* The block sits after text (or its own indentation) on
		 * a line: the argument's first line continues that line. */
		st->skip_indent = 1;
	}
	rc = render_list(st, arg->child, cx, ind, from->outer);
	st->skip_indent = 0;
	return rc;
}

static int
render_list(struct rstate *st, const struct mnode *n, const struct rctx *cx,
    const struct rind *ind, const struct rargs *args)
{
	const json_t *v;
	struct rctx sub;
	size_t i, cnt;
	int rc = 0;

	if (st->frames >= MAX_FRAMES)
		return rerr(st, MUSTACHE_EDEPTH, "templates nested more than %d deep",
		    MAX_FRAMES);
	/* An empty section over a long list still costs a step per item. */
	if (++st->steps > MUSTACHE_MAX_STEPS)
		return rerr(st, MUSTACHE_ESTEPS, "more than %u steps", MUSTACHE_MAX_STEPS);
	st->frames++;
	for (; n && rc == 0; n = n->next) {
		if (++st->steps > MUSTACHE_MAX_STEPS) {
			rc = rerr(st, MUSTACHE_ESTEPS, "more than %u steps",
			    MUSTACHE_MAX_STEPS);
			break;
		}
		switch (n->op) {
		case OP_TEXT:
			rc = put(st, n->s, n->len, 0);
			break;
		case OP_INDENT:
			if (st->skip_indent)
				st->skip_indent = 0;
			else
				rc = put_indent(st, ind);
			break;
		case OP_VAR:
		case OP_RAW:
			rc = put_value(st, lookup(cx, n->s, n->len), n->op == OP_VAR);
			break;
		case OP_SECTION:
			v = lookup(cx, n->s, n->len);
			sub.up = cx;
			if (json_is_array(v)) {
				cnt = json_array_size(v);
				for (i = 0; i < cnt && rc == 0; i++) {
					sub.v = json_array_get(v, i);
					rc = render_list(st, n->child, &sub, ind, args);
				}
			} else if (truthy(v)) {
				sub.v = v;
				rc = render_list(st, n->child, &sub, ind, args);
			}
			break;
		case OP_INVERTED:
			if (!truthy(lookup(cx, n->s, n->len)))
				rc = render_list(st, n->child, cx, ind, args);
			break;
		case OP_PARTIAL:
		case OP_PARENT:
			rc = render_include(st, n, cx, ind, args);
			break;
		case OP_BLOCK:
			rc = render_block(st, n, cx, ind, args);
			break;
		}
	}
	st->frames--;
	return rc;
}

int
mustache_render(const struct mustache_set *set, const char *name,
    const json_t *ctx, struct buf *out, char *err, size_t errlen)
{
	const struct mustache_tpl *tpl;
	struct rstate st = { 0 };
	struct rctx root;

	st.set = set;
	st.name = name;
	st.out = out;
	st.err = err;
	st.errlen = errlen;
	if (err && errlen)
		err[0] = '\0';
	tpl = set_get(set, name, strlen(name));
	if (tpl == NULL)
		return rerr(&st, MUSTACHE_ENOTFOUND, "no such template");
	root.v = ctx;
	root.up = NULL;
	return render_list(&st, tpl->root, &root, NULL, NULL);
}

const char *
mustache_strerror(int err)
{
	static const char *const msg[MUSTACHE__MAX] = {
		[MUSTACHE_OK] = "ok",
		[MUSTACHE_ESYNTAX] = "template syntax error",
		[MUSTACHE_ENOTFOUND] = "no such template",
		[MUSTACHE_EFULL] = "output too large",
		[MUSTACHE_EDEPTH] = "templates nested too deep",
		[MUSTACHE_ESTEPS] = "template does too much work",
	};

	if (err < 0 || err >= MUSTACHE__MAX)
		return "unknown template error";
	return msg[err];
}
