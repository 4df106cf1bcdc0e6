/*
 * diff.h - what changed between two texts, word by word, for the
 * newsroom's revision view.
 *
 * The result is a list of runs (equal, inserted, deleted) whose text
 * points into the two inputs; it is plain text, and whoever prints it
 * escapes it.  Cost is bounded: past DIFF_MAX_TOKENS tokens or
 * DIFF_MAX_EDITS edits the answer is "the whole text changed"
 * (one delete, one insert, whole = 1) rather than a slow page.
 */
#ifndef SINMUN_NEWS_DIFF_H
#define SINMUN_NEWS_DIFF_H

#include <stddef.h>

struct arena;

#define DIFF_MAX_TOKENS 20000      /* per side */
#define DIFF_MAX_EDITS  1000       /* tokens deleted + inserted */

enum diff_op {
	DIFF_EQUAL,
	DIFF_INSERT,    /* only in the new text */
	DIFF_DELETE,    /* only in the old text */
};

struct diff_run {
	enum diff_op op;
	const char  *text;   /* not NUL-terminated: len bytes */
	size_t       len;
};

struct diff {
	struct diff_run *runs;
	int              n;
	int              changed;  /* anything but equal runs */
	int              whole;    /* over the bounds: whole text replaced */
};

/*
 * Word diff of old -> new (UTF-8).  Tokens are runs of whitespace, single
 * punctuation marks, and runs of everything else (a Korean 어절 with its
 * particles is one word).  Deleted runs come before the inserted runs
 * they replace.  Runs are allocated from the arena.
 */
void diff_words(struct arena *, const char *old_text, const char *new_text, struct diff *out);

/*
 * The same for text made of lines (an article body's plain text, one
 * paragraph a line): paragraphs are matched first, then the words of the
 * paragraphs that changed, so a long article costs what its changes cost.
 */
void diff_lines(struct arena *, const char *old_text, const char *new_text, struct diff *out);

#endif
