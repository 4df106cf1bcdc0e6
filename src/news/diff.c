/*
 * diff.c - word and paragraph differences for the revision view (diff.h).
 *
 * Hand-written on purpose: no C library packaged in Debian diffs words of
 * Korean text (the diff libraries there work on lines of files, and know
 * nothing of 어절), and what is needed is small: split both texts into
 * tokens, find the shortest edit script (Myers), report what is not common
 * as deleted or inserted.  The common prefix and suffix are taken off
 * first; Myers' algorithm costs (tokens x edits), so the usual revision (a
 * few words changed in a long article) is cheap, and past DIFF_MAX_EDITS
 * edits the whole text is reported as replaced, which is still true, only
 * coarser.
 */
#include "news/diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

struct tok {
	const char *p;
	size_t      len;
	uint32_t    h;
};

struct runs {
	struct arena    *a;
	struct diff_run *r;
	int              n, cap;
};

static uint32_t
hash(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h;
}

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* ASCII punctuation is a token of its own, so "말했다." and "말했다,"
 * differ by one mark, not by the whole word. */
static int
is_punct(unsigned char c)
{
	return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) ||
	    (c >= 0x7b && c <= 0x7e);
}

static int
add_tok(struct arena *a, struct tok **t, int *n, int *cap, const char *p, size_t len)
{
	if (*n >= DIFF_MAX_TOKENS)
		return -1;
	*t = arena_grow(a, *t, *n, cap, sizeof **t);
	(*t)[*n].p = p;
	(*t)[*n].len = len;
	(*t)[*n].h = hash(p, len);
	(*n)++;
	return 0;
}

/* Words, whitespace runs and punctuation marks; -1 past DIFF_MAX_TOKENS. */
static int
tokenize_words(struct arena *a, const char *s, size_t len, struct tok **out, int *n)
{
	size_t i = 0, j;
	int cap = 0;

	*out = NULL;
	*n = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		j = i + 1;
		if (is_space(c)) {
			while (j < len && is_space((unsigned char)s[j]))
				j++;
		} else if (!is_punct(c)) {
			/* Multi-byte characters are never split: their bytes are
			 * >= 0x80, neither space nor punctuation. */
			while (j < len && !is_space((unsigned char)s[j]) && !is_punct((unsigned char)s[j]))
				j++;
		}
		if (add_tok(a, out, n, &cap, s + i, j - i) != 0)
			return -1;
		i = j;
	}
	return 0;
}

/* Lines and the newlines between them, as tokens of their own: a last
 * line without a newline still matches the same line with one. */
static int
tokenize_lines(struct arena *a, const char *s, size_t len, struct tok **out, int *n)
{
	size_t i = 0, j;
	int cap = 0;
	const char *nl;

	*out = NULL;
	*n = 0;
	while (i < len) {
		nl = memchr(s + i, '\n', len - i);
		j = nl ? (size_t)(nl - s) : len;
		if (j > i && add_tok(a, out, n, &cap, s + i, j - i) != 0)
			return -1;
		if (nl && add_tok(a, out, n, &cap, nl, 1) != 0)
			return -1;
		i = nl ? j + 1 : len;
	}
	return 0;
}

static int
tok_eq(const struct tok *x, const struct tok *y)
{
	return x->h == y->h && x->len == y->len && memcmp(x->p, y->p, x->len) == 0;
}

/* Appends a run, joined to the last one when it continues it. */
static void
push(struct runs *rs, enum diff_op op, const char *p, size_t len)
{
	struct diff_run *last;

	if (len == 0)
		return;
	last = rs->n ? &rs->r[rs->n - 1] : NULL;
	if (last && last->op == op && last->text + last->len == p) {
		last->len += len;
		return;
	}
	rs->r = arena_grow(rs->a, rs->r, rs->n, &rs->cap, sizeof *rs->r);
	rs->r[rs->n].op = op;
	rs->r[rs->n].text = p;
	rs->r[rs->n].len = len;
	rs->n++;
}

/* Tokens [s, e) as one stretch of their text. */
static void
push_toks(struct runs *rs, enum diff_op op, const struct tok *t, int s, int e)
{
	if (s < e)
		push(rs, op, t[s].p, (size_t)(t[e - 1].p + t[e - 1].len - t[s].p));
}

/*
 * The shortest edit script of two token lists (Myers' O(ND) algorithm:
 * cheap when few tokens changed, whatever the length), as runs.  -1
 * (nothing appended) when it needs more than DIFF_MAX_EDITS edits.
 */
static int
myers(struct runs *rs, const struct tok *x, int nx, const struct tok *y, int ny)
{
	int pre = 0, suf = 0, n, m, d, k, xx, yy, D = -1, off, i, j, pi, pj, nops = 0;
	const struct tok *mx, *my;
	int *V = NULL, *trace = NULL, *Vp;
	char *ops = NULL;
	size_t tcap = 0;

	while (pre < nx && pre < ny && tok_eq(&x[pre], &y[pre]))
		pre++;
	while (suf < nx - pre && suf < ny - pre && tok_eq(&x[nx - 1 - suf], &y[ny - 1 - suf]))
		suf++;
	n = nx - pre - suf;
	m = ny - pre - suf;
	mx = x ? x + pre : x;
	my = y ? y + pre : y;
	if (n > 0 && m > 0) {
		/* V[k]: the furthest x on diagonal k = x - y after d edits;
		 * trace keeps V[-d..d] of every d (d*d ints before row d) to
		 * walk the path back. */
		off = DIFF_MAX_EDITS + 1;
		if ((V = calloc((size_t)(2 * DIFF_MAX_EDITS + 3), sizeof *V)) == NULL)
			return -1;
		for (d = 0; d <= DIFF_MAX_EDITS && D < 0; d++) {
			for (k = -d; k <= d; k += 2) {
				if (k == -d || (k != d && V[off + k - 1] < V[off + k + 1]))
					xx = V[off + k + 1];
				else
					xx = V[off + k - 1] + 1;
				yy = xx - k;
				while (xx < n && yy < m && tok_eq(&mx[xx], &my[yy])) {
					xx++;
					yy++;
				}
				V[off + k] = xx;
				if (xx >= n && yy >= m)
					D = d;
			}
			if ((size_t)(d + 1) * (size_t)(d + 1) > tcap) {
				int *t;

				tcap = tcap ? tcap * 2 : 1024;
				while (tcap < (size_t)(d + 1) * (size_t)(d + 1))
					tcap *= 2;
				if ((t = realloc(trace, tcap * sizeof *t)) == NULL) {
					free(V);
					free(trace);
					return -1;
				}
				trace = t;
			}
			memcpy(trace + (size_t)d * (size_t)d, V + off - d, (size_t)(2 * d + 1) * sizeof *V);
		}
		free(V);
		if (D < 0) {
			free(trace);
			return -1;
		}
		/* Back from (n, m): one edit per d, equal tokens between. */
		if ((ops = malloc((size_t)(n + m) + 1)) == NULL) {
			free(trace);
			return -1;
		}
		xx = n;
		yy = m;
		for (d = D; d > 0; d--) {
			int pk, px, py;

			Vp = trace + (size_t)(d - 1) * (size_t)(d - 1) + (size_t)(d - 1);   /* Vp[k], k in -(d-1)..d-1 */
			k = xx - yy;
			if (k == -d || (k != d && Vp[k - 1] < Vp[k + 1]))
				pk = k + 1;     /* came down: y[py] inserted */
			else
				pk = k - 1;     /* came right: x[px] deleted */
			px = Vp[pk];
			py = px - pk;
			while (xx > px + (pk == k - 1) && yy > py + (pk == k + 1)) {
				ops[nops++] = '=';
				xx--;
				yy--;
			}
			ops[nops++] = pk == k + 1 ? '+' : '-';
			xx = px;
			yy = py;
		}
		while (xx > 0 && yy > 0) {
			ops[nops++] = '=';
			xx--;
			yy--;
		}
		free(trace);
	}
	push_toks(rs, DIFF_EQUAL, x, 0, pre);
	/* Forward through the script.  Between two common tokens, what was
	 * dropped from the old text is reported before what replaced it. */
	i = j = pi = pj = 0;
	while (nops > 0) {
		switch (ops[--nops]) {
		case '=':
			push_toks(rs, DIFF_DELETE, mx, pi, i);
			push_toks(rs, DIFF_INSERT, my, pj, j);
			push_toks(rs, DIFF_EQUAL, mx, i, i + 1);
			pi = ++i;
			pj = ++j;
			break;
		case '-':
			i++;
			break;
		default:
			j++;
			break;
		}
	}
	free(ops);
	push_toks(rs, DIFF_DELETE, mx, pi, n);
	push_toks(rs, DIFF_INSERT, my, pj, m);
	push_toks(rs, DIFF_EQUAL, x, nx - suf, nx);
	return 0;
}

/* The coarse answer past the bounds. */
static void
whole(struct runs *rs, const char *o, size_t olen, const char *n, size_t nlen)
{
	push(rs, DIFF_DELETE, o, olen);
	push(rs, DIFF_INSERT, n, nlen);
}

/* Word diff of two stretches; 1 when it fell back to whole. */
static int
words(struct runs *rs, const char *o, size_t olen, const char *n, size_t nlen)
{
	struct tok *x, *y;
	int nx, ny;

	if (olen == nlen && memcmp(o, n, olen) == 0) {
		push(rs, DIFF_EQUAL, o, olen);
		return 0;
	}
	if (tokenize_words(rs->a, o, olen, &x, &nx) != 0 || tokenize_words(rs->a, n, nlen, &y, &ny) != 0 ||
	    myers(rs, x, nx, y, ny) != 0) {
		whole(rs, o, olen, n, nlen);
		return 1;
	}
	return 0;
}

static int
all_space(const struct diff_run *r)
{
	size_t i;

	for (i = 0; i < r->len; i++)
		if (!is_space((unsigned char)r->text[i]))
			return 0;
	return 1;
}

/*
 * [-a][+b][= ][-c][+d] -> [-a c][+b d]: a phrase rewritten word by word
 * reads as one change, not as changes around lone common spaces.  The
 * old side's runs tile the old text and the new side's the new, so the
 * merged runs are still contiguous stretches of their text.
 */
static void
merge_spaces(struct runs *rs)
{
	struct diff_run *r = rs->r;
	int i = 0;

	while (i + 4 < rs->n) {
		if (r[i].op == DIFF_DELETE && r[i + 1].op == DIFF_INSERT && r[i + 2].op == DIFF_EQUAL &&
		    all_space(&r[i + 2]) && r[i + 3].op == DIFF_DELETE && r[i + 4].op == DIFF_INSERT) {
			r[i].len = (size_t)(r[i + 3].text + r[i + 3].len - r[i].text);
			r[i + 1].len = (size_t)(r[i + 4].text + r[i + 4].len - r[i + 1].text);
			memmove(&r[i + 2], &r[i + 5], (size_t)(rs->n - i - 5) * sizeof *r);
			rs->n -= 3;
		} else {
			i++;
		}
	}
}

static void
finish(struct runs *rs, struct diff *out, int was_whole)
{
	int i;

	merge_spaces(rs);
	out->runs = rs->r;
	out->n = rs->n;
	out->whole = was_whole;
	out->changed = 0;
	for (i = 0; i < rs->n; i++)
		if (rs->r[i].op != DIFF_EQUAL)
			out->changed = 1;
}

void
diff_words(struct arena *a, const char *old_text, const char *new_text, struct diff *out)
{
	struct runs rs = { a, NULL, 0, 0 };
	const char *o = old_text ? old_text : "", *n = new_text ? new_text : "";
	int w;

	w = words(&rs, o, strlen(o), n, strlen(n));
	finish(&rs, out, w);
}

void
diff_lines(struct arena *a, const char *old_text, const char *new_text, struct diff *out)
{
	struct runs lines = { a, NULL, 0, 0 }, rs = { a, NULL, 0, 0 };
	const char *o = old_text ? old_text : "", *n = new_text ? new_text : "";
	size_t olen = strlen(o), nlen = strlen(n);
	struct tok *x, *y;
	int nx, ny, i, w = 0;

	if (tokenize_lines(a, o, olen, &x, &nx) != 0 || tokenize_lines(a, n, nlen, &y, &ny) != 0 ||
	    myers(&lines, x, nx, y, ny) != 0) {
		whole(&rs, o, olen, n, nlen);
		finish(&rs, out, 1);
		return;
	}
	/* Paragraphs replaced by others: compare their words. */
	for (i = 0; i < lines.n; i++) {
		const struct diff_run *r = &lines.r[i];

		if (r->op == DIFF_DELETE && i + 1 < lines.n && lines.r[i + 1].op == DIFF_INSERT) {
			w |= words(&rs, r->text, r->len, lines.r[i + 1].text, lines.r[i + 1].len);
			i++;
		} else {
			push(&rs, r->op, r->text, r->len);
		}
	}
	finish(&rs, out, w);
}
