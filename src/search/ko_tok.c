/*
 * ko_tok.c - Korean tokenizer core: streaming NFKC_Casefold with offset
 * tracking, character classes, and bigram/word terms.
 *
 * Part of search; see ko_tok.h for what the terms are.  This file knows
 * nothing about SQLite so that the PostgreSQL indexer can link it alone.
 *
 * Why NFKC_Casefold and not NFC: the requirement is that text typed as
 * conjoining jamo (NFD, e.g. from macOS file names) matches precomposed
 * syllables, which NFC alone gives, AND that full-width Latin and digits
 * from Korean IMEs' full-width mode (ＡＢＣ１０) match ASCII, which NFC does
 * not give.  NFKC does both, and also folds what readers cannot tell apart
 * or type differently anyway: Hangul compatibility jamo (ㅋㅋ, U+3131..) to
 * conjoining jamo, half-width Hangul, circled digits, ㎏ -> kg, ligatures.
 * Case folding is Unicode full folding (ß -> ss), and default-ignorable
 * code points (ZWSP, soft hyphen, Hangul fillers, variation selectors) are
 * removed, so an invisible character inside a word does not split it.
 * Known NFKC quirk, accepted: two compatibility jamo typed next to each
 * other that form a syllable (ㅎㅏ) normalize to that syllable (하).
 *
 * How offsets survive normalization: the input is decomposed code point by
 * code point (utf8proc_decompose_char), each decomposed code point
 * remembering the original bytes it came from.  Decomposed code points are
 * grouped into segments: a segment starts at a code point that nothing
 * before it can combine with, and takes in the following combining marks
 * and Hangul medial/final jamo.  Canonical ordering and composition happen
 * inside a segment only, so every normalized code point can be given the
 * original byte range of its segment.  In the common case (precomposed
 * Hangul, ASCII) a segment is one character, nothing is composed and the
 * range is that character's bytes.  A segment is capped at SEG_MAX code
 * points (as in Unicode's Stream-Safe Text Format) so that hostile runs of
 * thousands of combining marks stay linear; the cap only changes how such
 * runs compose, identically for documents and queries.
 *
 * Everything is streamed: no allocation in ko_tok_run, one pass over the
 * text, a fixed amount of state.
 */
#include "search/ko_tok.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#define SEG_MAX     32  /* code points composed together, at most */
#define DECOMP_MAX  32  /* longest decomposition taken (U+FDFA has 18) */
#define CP_INVALID  0xFFFDu

/* NFKC_Casefold, applied per code point before composition. */
#define DECOMP_OPTS ((utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | \
    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE))

typedef int norm_cb_fn(void *ctx, uint32_t cp, size_t start, size_t end);

struct norm {
	norm_cb_fn        *cb;
	void              *ctx;
	utf8proc_int32_t   seg[SEG_MAX];
	unsigned char      ccc[SEG_MAX];
	size_t             n;
	size_t             start, end;  /* original bytes of the segment */
};

size_t
ko_tok_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	uint32_t v;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xC2)           /* continuation byte, or overlong 2-byte lead */
		goto bad;
	if (c < 0xE0) {
		n = 2;
		v = c & 0x1Fu;
	} else if (c < 0xF0) {
		n = 3;
		v = c & 0x0Fu;
	} else if (c < 0xF5) {
		n = 4;
		v = c & 0x07u;
	} else {
		goto bad;
	}
	if (len < n)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		v = (v << 6) | (s[i] & 0x3Fu);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
	    (v >= 0xD800 && v <= 0xDFFF))
		goto bad;
	*cp = v;
	return n;
bad:
	*cp = UINT32_MAX;
	return 1;
}

static size_t
utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static int
is_hangul_syllable(uint32_t cp)
{
	return cp >= 0xAC00 && cp <= 0xD7A3;
}

/*
 * Whether a decomposed code point may combine with what precedes it, i.e.
 * must not start a segment.  Every character Unicode lists as possibly
 * composing with a preceding one (NFC_Quick_Check=Maybe) has a non-zero
 * combining class, is a mark (Mn/Mc/Me), or is a Hangul medial/final jamo,
 * so this test is a safe superset.
 */
static int
joins_previous(uint32_t cp, unsigned char *ccc)
{
	const utf8proc_property_t *p;

	*ccc = 0;
	if (cp < 0x300 || is_hangul_syllable(cp))
		return 0;
	if (cp >= 0x1160 && cp <= 0x11FF)
		return 1;
	p = utf8proc_get_property((utf8proc_int32_t)cp);
	*ccc = (unsigned char)p->combining_class;
	return p->combining_class != 0 || p->category == UTF8PROC_CATEGORY_MN ||
	    p->category == UTF8PROC_CATEGORY_MC || p->category == UTF8PROC_CATEGORY_ME;
}

/* Canonical ordering (stable sort of each run of non-starters by class),
 * then composition, then hand the code points on. */
static int
norm_flush(struct norm *nm)
{
	size_t i, j, n = nm->n;
	utf8proc_int32_t c;
	unsigned char k;
	utf8proc_ssize_t m;
	int rc;

	if (n == 0)
		return 0;
	nm->n = 0;
	if (n > 1) {
		for (i = 1; i < n; i++) {
			k = nm->ccc[i];
			if (k == 0)
				continue;
			c = nm->seg[i];
			for (j = i; j > 0 && nm->ccc[j - 1] > k; j--) {
				nm->seg[j] = nm->seg[j - 1];
				nm->ccc[j] = nm->ccc[j - 1];
			}
			nm->seg[j] = c;
			nm->ccc[j] = k;
		}
		/* STABLE is what makes utf8proc honour the composition
		 * exclusions (U+0958, U+1D15E...); without it, it recomposes
		 * them and the result is not NFC. */
		m = utf8proc_normalize_utf32(nm->seg, (utf8proc_ssize_t)n,
		    (utf8proc_option_t)(UTF8PROC_COMPOSE | UTF8PROC_STABLE));
		if (m > 0 && (size_t)m <= n)
			n = (size_t)m;
	}
	for (i = 0; i < n; i++) {
		rc = nm->cb(nm->ctx, (uint32_t)nm->seg[i], nm->start, nm->end);
		if (rc)
			return rc;
	}
	return 0;
}

/* Adds one decomposed code point that came from original bytes [s, e). */
static int
norm_add(struct norm *nm, uint32_t cp, size_t s, size_t e)
{
	unsigned char ccc;
	int rc, join = joins_previous(cp, &ccc);

	if (nm->n > 0 && nm->n < SEG_MAX && join) {
		nm->seg[nm->n] = (utf8proc_int32_t)cp;
		nm->ccc[nm->n] = ccc;
		nm->n++;
		nm->end = e;
		return 0;
	}
	if ((rc = norm_flush(nm)) != 0)
		return rc;
	nm->seg[0] = (utf8proc_int32_t)cp;
	nm->ccc[0] = ccc;
	nm->n = 1;
	nm->start = s;
	nm->end = e;
	return 0;
}

/* Streams the NFKC_Casefold code points of text to cb, each with the
 * original byte range it came from. */
static int
norm_run(const char *text, size_t len, norm_cb_fn *cb, void *ctx)
{
	const unsigned char *s = (const unsigned char *)text;
	struct norm nm;
	utf8proc_int32_t d[DECOMP_MAX];
	utf8proc_ssize_t nd, k;
	int boundclass = 0;
	size_t pos = 0, clen;
	uint32_t cp;
	int rc;

	nm.cb = cb;
	nm.ctx = ctx;
	nm.n = 0;
	nm.start = nm.end = 0;
	while (pos < len) {
		if (s[pos] < 0x80) {
			/* ASCII: folding is all there is, and nothing combines. */
			cp = s[pos];
			if (cp >= 'A' && cp <= 'Z')
				cp += 'a' - 'A';
			if ((rc = norm_add(&nm, cp, pos, pos + 1)) != 0)
				return rc;
			pos++;
			continue;
		}
		clen = ko_tok_utf8_decode(s + pos, len - pos, &cp);
		if (cp == UINT32_MAX) {
			cp = CP_INVALID;
		} else if (!is_hangul_syllable(cp)) {
			/* Precomposed syllables are already NFKC_Casefold and
			 * compose with a following final jamo the same way their
			 * decomposition would, so they skip this. */
			nd = utf8proc_decompose_char((utf8proc_int32_t)cp, d, DECOMP_MAX,
			    DECOMP_OPTS, &boundclass);
			if (nd < 0 || nd > DECOMP_MAX) {
				cp = CP_INVALID;
			} else {
				for (k = 0; k < nd; k++) {
					rc = norm_add(&nm, (uint32_t)d[k], pos, pos + clen);
					if (rc)
						return rc;
				}
				pos += clen;
				continue;
			}
		}
		if ((rc = norm_add(&nm, cp, pos, pos + clen)) != 0)
			return rc;
		pos += clen;
	}
	return norm_flush(&nm);
}

/* ---- classes ---- */

/* White space as normalized text folds it: Unicode White_Space, and NUL
 * (so that normalized text is a C string). */
static int
is_white_space(uint32_t cp)
{
	/* NFKC already maps the no-break and fixed-width spaces to U+0020,
	 * the rest are listed for safety. */
	return cp == ' ' || cp == 0 || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 ||
	    cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static int
in_bigram_block(uint32_t cp)
{
	if (cp < 0x1100)
		return 0;
	if (cp < 0x3040)
		return cp <= 0x11FF;                    /* Hangul Jamo */
	if (cp <= 0x30FF)                               /* Hiragana, Katakana */
		return 1;
	if (cp >= 0x3130 && cp <= 0x318F)               /* compatibility jamo */
		return 1;
	if (cp >= 0x31F0 && cp <= 0x31FF)               /* Katakana ext. */
		return 1;
	if (cp >= 0x3400 && cp <= 0x4DBF)               /* CJK ext. A */
		return 1;
	if (cp >= 0x4E00 && cp <= 0x9FFF)               /* CJK unified */
		return 1;
	if (cp >= 0xA960 && cp <= 0xA97F)               /* Hangul Jamo ext. A */
		return 1;
	if (cp >= 0xAC00 && cp <= 0xD7FF)               /* syllables, Jamo ext. B */
		return 1;
	if (cp >= 0xF900 && cp <= 0xFAFF)               /* CJK compatibility */
		return 1;
	if (cp >= 0xFF66 && cp <= 0xFFDC)               /* half-width kana, Hangul */
		return 1;
	return cp >= 0x20000 && cp <= 0x323AF;         /* CJK ext. B.. */
}

int
ko_tok_class(uint32_t cp)
{
	utf8proc_category_t cat;

	if (cp < 0x80) {
		if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
			return KO_TOK_LETTER;
		if (cp >= '0' && cp <= '9')
			return KO_TOK_DIGIT;
		return KO_TOK_SEP;
	}
	if (is_hangul_syllable(cp))
		return KO_TOK_BIGRAM;
	if (cp > 0x10FFFF)
		return KO_TOK_SEP;
	cat = utf8proc_category((utf8proc_int32_t)cp);
	switch (cat) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_CO:
		return in_bigram_block(cp) ? KO_TOK_BIGRAM : KO_TOK_LETTER;
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return KO_TOK_DIGIT;
	default:
		return KO_TOK_SEP;
	}
}

/* ---- terms ---- */

struct tok {
	int             mode;
	ko_tok_emit_fn *emit;
	void           *ctx;
	int             run;        /* class of the open run, KO_TOK_SEP: none */
	size_t          nrun;       /* runs opened so far */
	size_t          nchar;      /* characters in the open run */
	int             gapped;     /* a gap term came just before the open run */
	/* the last closed run: its last character, and where its last
	 * position's term starts (the gap term after it starts there too) */
	uint32_t        lastcp;
	size_t          last_pos_start;
	/* bigram run: the previous character */
	uint32_t        prev;
	size_t          prev_start, prev_end;
	/* letter or digit run, QUERY and AUX modes: the run, cut, in
	 * word[1 .. 1+wlen); word[0] is room for the suffix mark */
	char            word[1 + KO_TOK_WORD_MAX];
	size_t          wlen, wstart, wend;
	int             wfull;
	uint32_t        wlastcp;    /* the run's last character */
	/* letter or digit run, DOCUMENT mode: a window sliding over the run,
	 * its bytes win[wh .. wh+wlen) (wlen shared with the above, wh >= 1
	 * so that a mark fits before it), the original start of each of its
	 * nwc characters in a ring from wc0, and whether the run's first term
	 * is out */
	char            win[1 + 2 * KO_TOK_WORD_MAX];
	size_t          wh;
	size_t          wcstart[KO_TOK_WORD_MAX];
	size_t          wc0, nwc;
	int             wemitted;
	/* A term held back until we know what follows: a bigram run's last
	 * character, or in a query a one-character run.  pend_drop: a query
	 * drops it when nothing follows; pend_first: dropped when a gap term
	 * follows (a query's first run: that term starts with it); pend_twin:
	 * followed by its marked twin (a query's first letter or digit run).
	 * The text is pend[1 .. 1+pendlen), pend[0] room for the mark. */
	int             has_pend;
	int             pend_drop, pend_first, pend_twin;
	char            pend[1 + 4];
	size_t          pendlen, pend_start, pend_end;
	/* Separators since the last run closed, as normalized text writes
	 * them, in sep[1 .. 1+seplen): the gap term is made when the next run
	 * opens, so never after the last run, and they are only collected once
	 * a run was seen, so never before the first. */
	char            sep[1 + KO_TOK_SEP_MAX];
	size_t          seplen;
	int             sepcut;     /* more did not fit: cut for good */
	int             sepspace;   /* the last one collected was white space */
};

static int
pend_flush(struct tok *t)
{
	int rc;

	if (!t->has_pend)
		return 0;
	t->has_pend = 0;
	rc = t->emit(t->ctx, t->pend + 1, t->pendlen, t->pend_start, t->pend_end, 0);
	if (rc == 0 && t->pend_twin) {
		t->pend[0] = KO_TOK_MARK_SUFFIX;
		rc = t->emit(t->ctx, t->pend, t->pendlen + 1, t->pend_start, t->pend_end, 1);
	}
	return rc;
}

/* Holds back the term p[0..n) (one character), see struct tok. */
static void
pend_hold(struct tok *t, const char *p, size_t n, size_t s, size_t e, int drop,
    int first, int twin)
{
	memcpy(t->pend + 1, p, n);
	t->pendlen = n;
	t->pend_start = s;
	t->pend_end = e;
	t->pend_drop = drop;
	t->pend_first = first;
	t->pend_twin = twin;
	t->has_pend = 1;
}

static int
tok_emit(struct tok *t, const char *p, size_t n, size_t s, size_t e)
{
	int rc;

	if ((rc = pend_flush(t)) != 0)
		return rc;
	return t->emit(t->ctx, p, n, s, e, 0);
}

/*
 * DOCUMENT mode, letter and digit runs.  The window holds the run from its
 * first unemitted character on, as much as fits in KO_TOK_WORD_MAX bytes.
 * win_shift() emits the window as that character's term and drops the
 * character; it is called when the next character does not fit (so the
 * term is as long as the cut allows) and at the end of the run (so every
 * character gets its term).  Each character is copied and shifted once:
 * linear in the run, no allocation, whatever the run's length.
 */
static int
win_shift(struct tok *t)
{
	unsigned char c = (unsigned char)t->win[t->wh];
	size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	size_t s = t->wcstart[t->wc0];
	const char *p = t->win + t->wh;
	int rc;

	/* The window holds what utf8_encode() wrote: whole, valid sequences.
	 * The mark before a suffix overwrites a byte already emitted. */
	if (t->wemitted) {
		t->win[t->wh - 1] = KO_TOK_MARK_SUFFIX;
		rc = t->emit(t->ctx, p - 1, t->wlen + 1, s, t->wend, 1);
	} else {
		t->wemitted = 1;
		rc = tok_emit(t, p, t->wlen, s, t->wend);
	}
	t->wh += n;
	t->wlen -= n;
	t->wc0 = (t->wc0 + 1) % KO_TOK_WORD_MAX;
	t->nwc--;
	return rc;
}

static int
win_add(struct tok *t, const char *p, size_t n, size_t s, size_t e)
{
	int rc;

	while (t->wlen + n > KO_TOK_WORD_MAX)
		if ((rc = win_shift(t)) != 0)
			return rc;
	if (t->wh + t->wlen + n > sizeof t->win) {
		memmove(t->win + 1, t->win + t->wh, t->wlen);
		t->wh = 1;
	}
	memcpy(t->win + t->wh + t->wlen, p, n);
	t->wlen += n;
	/* At most KO_TOK_WORD_MAX characters fit in as many bytes. */
	t->wcstart[(t->wc0 + t->nwc) % KO_TOK_WORD_MAX] = s;
	t->nwc++;
	t->wend = e;
	return 0;
}

static int
tok_close_run(struct tok *t)
{
	int run = t->run, rc;
	char c[4];

	t->run = KO_TOK_SEP;
	if (run == KO_TOK_BIGRAM) {
		/* Nothing can be pending here: the run's first term (or a
		 * previous run's term) already flushed it.  In a query the
		 * run's last character is left out if nothing follows and it is
		 * pinned down already (the bigrams, or the gap term before it
		 * ending with it), or if a gap term follows and the run is the
		 * first and one character (that term starts with it). */
		t->lastcp = t->prev;
		t->last_pos_start = t->prev_start;
		pend_hold(t, c, utf8_encode(t->prev, c), t->prev_start, t->prev_end,
		    t->nchar >= 2 || t->gapped,
		    t->mode == KO_TOK_QUERY && t->nrun == 1 && t->nchar == 1, 0);
		return 0;
	}
	if (run != KO_TOK_LETTER && run != KO_TOK_DIGIT)
		return 0;
	t->lastcp = t->wlastcp;
	t->last_pos_start = t->wstart;
	/* A query's one-character run next to a gap term is in that term
	 * (see ko_tok.h): after one, it is held back and dropped if nothing
	 * follows; as the first run, held back (with its twin) and dropped
	 * if a gap term follows. */
	if (t->mode == KO_TOK_QUERY && t->nchar == 1 && (t->gapped || t->nrun == 1)) {
		if ((rc = pend_flush(t)) != 0)
			return rc;
		pend_hold(t, t->word + 1, t->wlen, t->wstart, t->wend, t->gapped,
		    !t->gapped, !t->gapped);
		return 0;
	}
	if (t->mode != KO_TOK_DOCUMENT) {
		rc = tok_emit(t, t->word + 1, t->wlen, t->wstart, t->wend);
		/* A query's first run may be the end of a longer run in the
		 * text: the run itself or one of its suffixes, as synonyms. */
		if (rc == 0 && t->mode == KO_TOK_QUERY && t->nrun == 1) {
			t->word[0] = KO_TOK_MARK_SUFFIX;
			rc = t->emit(t->ctx, t->word, t->wlen + 1, t->wstart, t->wend, 1);
		}
		return rc;
	}
	while (t->wlen > 0)
		if ((rc = win_shift(t)) != 0)
			return rc;
	return 0;
}

/* Collects a separator after a run, folding white space as
 * ko_tok_normalize() does and cutting for good at KO_TOK_SEP_MAX bytes. */
static void
sep_add(struct tok *t, uint32_t cp)
{
	char b[4];
	size_t n;

	if (is_white_space(cp)) {
		if (t->sepspace)
			return;
		t->sepspace = 1;
		cp = ' ';
	} else {
		t->sepspace = 0;
	}
	if (t->sepcut)
		return;
	n = utf8_encode(cp, b);
	if (t->seplen + n > KO_TOK_SEP_MAX) {
		t->sepcut = 1;
		return;
	}
	memcpy(t->sep + 1 + t->seplen, b, n);
	t->seplen += n;
}

/* The gap term before a run that opens with cp, from original bytes
 * [s, e), after another run: nothing when only white space is between
 * them, else the mark, the previous run's last character, the
 * separators (none when the runs touch) and cp, spanning the previous
 * position's term to cp. */
static int
gap_emit(struct tok *t, uint32_t cp, size_t e)
{
	char term[1 + 4 + KO_TOK_SEP_MAX + 4];
	size_t n = t->seplen, k = 1;
	int cut = t->sepcut;

	t->seplen = 0;
	t->sepcut = t->sepspace = 0;
	t->gapped = !(n == 1 && t->sep[1] == ' ' && !cut);
	if (!t->gapped)
		return 0;
	/* A held-back first run of one character is in this term. */
	if (t->has_pend && t->pend_first)
		t->has_pend = 0;
	term[0] = cut ? KO_TOK_MARK_SEPCUT : KO_TOK_MARK_SEP;
	k += utf8_encode(t->lastcp, term + k);
	memcpy(term + k, t->sep + 1, n);
	k += n;
	k += utf8_encode(cp, term + k);
	return tok_emit(t, term, k, t->last_pos_start, e);
}

static int
tok_cp(void *ctx, uint32_t cp, size_t s, size_t e)
{
	struct tok *t = ctx;
	char bi[8];
	size_t n;
	int cls = ko_tok_class(cp), rc;

	if (cls == KO_TOK_BIGRAM) {
		if (t->run == KO_TOK_BIGRAM) {
			n = utf8_encode(t->prev, bi);
			n += utf8_encode(cp, bi + n);
			rc = tok_emit(t, bi, n, t->prev_start, e);
			t->prev = cp;
			t->prev_start = s;
			t->prev_end = e;
			t->nchar++;
			return rc;
		}
		if ((rc = tok_close_run(t)) != 0)
			return rc;
		t->gapped = 0;
		if (t->nrun > 0 && (rc = gap_emit(t, cp, e)) != 0)
			return rc;
		/* What the previous run held back is followed by more
		 * terms, so it is emitted even in a query. */
		if ((rc = pend_flush(t)) != 0)
			return rc;
		t->run = KO_TOK_BIGRAM;
		t->nrun++;
		t->prev = cp;
		t->prev_start = s;
		t->prev_end = e;
		t->nchar = 1;
		return 0;
	}
	if (cls == KO_TOK_SEP) {
		if ((rc = tok_close_run(t)) != 0)
			return rc;
		if (t->nrun > 0)
			sep_add(t, cp);
		return 0;
	}
	if (t->run != cls) {
		if ((rc = tok_close_run(t)) != 0)
			return rc;
		t->gapped = 0;
		if (t->nrun > 0 && (rc = gap_emit(t, cp, e)) != 0)
			return rc;
		t->run = cls;
		t->nrun++;
		t->nchar = 0;
		t->wlen = 0;
		t->wstart = s;
		t->wfull = 0;
		t->wh = 1;
		t->wc0 = t->nwc = 0;
		t->wemitted = 0;
	}
	t->nchar++;
	t->wlastcp = cp;
	if (t->mode == KO_TOK_DOCUMENT) {
		n = utf8_encode(cp, bi);
		return win_add(t, bi, n, s, e);
	}
	if (!t->wfull) {
		n = utf8_encode(cp, bi);
		if (t->wlen + n <= KO_TOK_WORD_MAX) {
			memcpy(t->word + 1 + t->wlen, bi, n);
			t->wlen += n;
		} else {
			/* Cut here for good, so that equal prefixes are cut
			 * equally in documents and queries. */
			t->wfull = 1;
		}
	}
	t->wend = e;
	return 0;
}

int
ko_tok_run(const char *text, size_t len, int mode, ko_tok_emit_fn *emit, void *ctx)
{
	struct tok t;
	int rc;

	memset(&t, 0, sizeof t);
	t.mode = mode;
	t.emit = emit;
	t.ctx = ctx;
	t.run = KO_TOK_SEP;
	if (text == NULL)
		len = 0;
	rc = norm_run(text, len, tok_cp, &t);
	if (rc == 0)
		rc = tok_close_run(&t);
	if (rc == 0 && !(mode == KO_TOK_QUERY && t.pend_drop))
		rc = pend_flush(&t);
	return rc;
}

/* ---- normalized text ---- */

struct normout {
	char   *p;
	size_t  len, cap;
	int     space;  /* the last thing written was a folded space */
	int     oom;
};

static int
normout_cp(void *ctx, uint32_t cp, size_t s, size_t e)
{
	struct normout *o = ctx;
	size_t ncap;
	char *np;

	(void)s;
	(void)e;
	if (is_white_space(cp)) {
		if (o->space)
			return 0;
		o->space = 1;
		cp = ' ';
	} else {
		o->space = 0;
	}
	if (o->cap - o->len < 5) {
		ncap = o->cap * 2;
		np = realloc(o->p, ncap);
		if (np == NULL) {
			o->oom = 1;
			return 1;
		}
		o->p = np;
		o->cap = ncap;
	}
	o->len += utf8_encode(cp, o->p + o->len);
	return 0;
}

char *
ko_tok_normalize(const char *s, size_t len, size_t *outlen)
{
	struct normout o;

	o.len = 0;
	o.space = 0;
	o.oom = 0;
	/* Most text keeps its length (Hangul, ASCII); room for a little growth
	 * avoids a realloc in the common case. */
	o.cap = len + len / 8 + 16;
	o.p = malloc(o.cap);
	if (o.p == NULL)
		return NULL;
	if (s == NULL)
		len = 0;
	if (norm_run(s, len, normout_cp, &o) != 0 || o.oom) {
		free(o.p);
		return NULL;
	}
	o.p[o.len] = '\0';
	if (outlen)
		*outlen = o.len;
	return o.p;
}
