/*
 * news.h - the newspaper's rules about articles that are not storage:
 * how a byline reads, what a lead is, how a summary is made from a body,
 * the JSON interchange format, and the demo paper.
 *
 * Sits between the handlers (site, admin, commands) and the store.
 */
#ifndef SINMUN_NEWS_NEWS_H
#define SINMUN_NEWS_NEWS_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "store/store.h"

struct arena;
struct buf;

#define NEWS_HEADLINE_MAX  200   /* characters */
#define NEWS_SUBTITLE_MAX  200
#define NEWS_SUMMARY_MAX   600
#define NEWS_TAG_MAX       50
#define NEWS_BODY_MAX      (1u << 20)  /* bytes of HTML */

/* "홍길동 기자", "홍길동·김민지 기자", or the display byline when set. */
const char *news_byline(struct arena *, const struct article *);

/* The label that starts a lead in lists: "SITE 기자", or for a
 * contribution its own byline. */
const char *news_lead_label(struct arena *, const struct article *, const char *site_name);

/* The first sentences of plain text, at most max_chars characters
 * (not bytes), cut at a sentence end when one is near, else at a word
 * with "…". */
char *news_first_sentences(struct arena *, const char *text, size_t max_chars);

/* NFC-normalizes UTF-8 text, or returns NULL if it is not valid UTF-8. */
char *news_nfc(struct arena *, const char *s, size_t len);

/* Counts characters (code points) of valid UTF-8. */
size_t news_strlen_chars(const char *s);

/*
 * Reads one article in the interchange format (DESIGN.md) into *out,
 * allocating from the arena.  Sections and people it names that do not
 * exist yet are created in the store (the caller holds the transaction);
 * *created_section / *created_person are set when it did (may be NULL).
 * Returns 0, or -1 with a message naming the field in err.
 */
int news_article_from_json(struct store *, struct arena *, json_t *obj, time_t now,
    struct article *out, int *created_section, int *created_person, char *err, size_t errlen);

/* Writes the demo paper (settings, sections, people, articles, weather)
 * into an empty store, in one transaction.  Article times are shifted by
 * whole days so the newest falls within the day before `now`. */
int news_demo_load(struct store *, time_t now, char *err, size_t errlen);

/* The demo's weather: a saved KMA response (demo/kma-sfctm2-2025112509.txt)
 * ingested as a live one would be.  Part of news_demo_load's transaction. */
int news_demo_weather(struct store *, char *err, size_t errlen);

/* ---- revisions (revision.c) ---- */

/* An article as a revision snapshot: interchange JSON text with the
 * stored ids (section id, byline person ids) beside the names, so a
 * restore puts back exactly what was saved. */
char *news_article_snapshot(struct arena *, const struct article *);
/* Reads a snapshot back into *out (content fields only; id, status, times
 * and version are left 0).  0, or -1 when it is not a snapshot. */
int news_article_from_snapshot(struct arena *, const char *json, struct article *out);
/* Gives art, new content for the stored article cur, cur's standing:
 * its id, workflow status, desk note and times (created, approved,
 * published, scheduled), which a change of text never changes.  Bylines,
 * updated_at and version are the caller's. */
void news_article_keep_standing(struct article *art, const struct article *cur);

/* ---- search (search.c) ---- */

enum {
	NEWS_SEARCH_OK = 0,
	NEWS_SEARCH_EMPTY,     /* nothing to search for */
	NEWS_SEARCH_INVALID,   /* too long, too many words; err says so */
	NEWS_SEARCH_STORE,     /* the store failed; err says how */
};

struct news_search {
	const char *q;            /* what the reader typed */
	int64_t     section_id;   /* 0 = any */
	int64_t     person_id;    /* 0 = any */
	time_t      since, until; /* 0 = open */
	int         page;         /* from 1 */
	int         per_page;     /* 0 = every match, ids only */
};

/* Runs a search; err gets a Korean message for the reader on failure. */
int news_search(struct store *, struct arena *, const struct news_search *, time_t now,
    struct search_results *out, char *err, size_t errlen);
/* from/to as YYYY-MM-DD (Seoul, inclusive; NULL or "" = open) -> the
 * [since, until) range.  -1 with a Korean message when malformed. */
int news_search_dates(const char *from, const char *to, time_t *since, time_t *until,
    char *err, size_t errlen);
/* Marked text (STORE_MARK_*) as escaped HTML with <mark>, or as plain text. */
char *news_marked_html(struct arena *, const char *marked);
char *news_marked_plain(struct arena *, const char *marked);

/* ---- the article form (article_form.c): the editor's fields checked and
 * turned into an article's content, for the newsroom pages and the API
 * alike (nothing here knows HTTP). ---- */

/* What a writer typed; NULL is the same as "". */
struct news_article_input {
	const char *headline;
	const char *subtitles[ARTICLE_MAX_SUBTITLES];
	const char *section;        /* slug */
	const char *kind;           /* "own", "press-release", ... */
	const char *tags;           /* comma separated */
	const char *summary;        /* "" = made from the body */
	const char *body;           /* HTML, sanitized here */
	const char *slug;
	const char *source_note;    /* 뉴스출처 */
	const char *display_byline;
};

#define NEWS_SLUG_MAX           100
#define NEWS_SOURCE_NOTE_MAX    100
#define NEWS_DISPLAY_BYLINE_MAX 100
#define NEWS_FORM_MAX_ERRORS    16

/* One refused field: its form name and a Korean message for the writer. */
struct news_form_errors {
	struct {
		const char *field;
		const char *message;
	}   e[NEWS_FORM_MAX_ERRORS];
	int n;
};

/*
 * Checks in and fills the content fields of *out (section with its id,
 * kind, headline, subtitles, tags, summary, body sanitized, body_text,
 * slug, source note, display byline); other fields of *out are left as
 * they were.  Text is NFC-normalized; invalid UTF-8 is refused.  Returns
 * the number of errors (0: *out is ready to store), or -1 when the store
 * failed (errs then says so).
 */
int news_article_check(struct store *, struct arena *, const struct news_article_input *,
    struct article *out, struct news_form_errors *errs);
/* The message of field in errs, or NULL. */
const char *news_form_error(const struct news_form_errors *, const char *field);

/* ---- scheduled publishing (scheduler.c) ---- */

/* The thread of 'sinmun serve' that publishes scheduled articles when
 * their time comes, through its own store connection. */
struct news_scheduler;
/* Starts it: every interval seconds (> 0) it publishes what is due.
 * NULL with a message in err when the thread cannot start. */
struct news_scheduler *news_scheduler_start(const char *db, int interval, char *err, size_t errlen);
/* Stops and joins it (NULL is fine). */
void news_scheduler_stop(struct news_scheduler *);

#endif
