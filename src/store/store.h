/*
 * store.h - the storage interface: everything sinmun keeps, behind one
 * set of verbs.
 *
 * Handlers and commands talk to a struct store and never see SQL.  The
 * engine is picked by the database name given to store_open(): a path is
 * the embedded SQLite engine (store_sqlite.c); a postgres:// URL is
 * reserved for the PostgreSQL engine.  Engines implement struct
 * store_engine in store_int.h, after SQLite's VFS.
 *
 * Threads: a struct store is one connection and is used by one thread at a
 * time; the server opens one per worker thread.
 *
 * Memory: every string and array a read returns is allocated from the
 * arena the caller passes and lives as long as that arena.  Nothing
 * returned needs freeing on its own.
 *
 * Times are UTC epoch seconds; 0 means "not set".
 */
#ifndef SINMUN_STORE_STORE_H
#define SINMUN_STORE_STORE_H

#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

struct arena;
struct store;

enum store_err {
	STORE_OK = 0,
	STORE_NOTFOUND,   /* no such row */
	STORE_EXISTS,     /* a unique key is taken */
	STORE_CONFLICT,   /* version check failed */
	STORE_INVALID,    /* the data breaks a rule (message says which) */
	STORE_BUSY,       /* locked by another writer past the timeout */
	STORE_CORRUPT,    /* not a sinmun database, or damaged */
	STORE_IO,         /* cannot open, read or write */
	STORE_UNSUPPORTED,/* engine not available in this build */
	STORE__MAX
};

const char *store_strerror(enum store_err);

enum article_status {
	ARTICLE_DRAFT,
	ARTICLE_SUBMITTED,
	ARTICLE_SCHEDULED,
	ARTICLE_PUBLISHED,
	ARTICLE_UNPUBLISHED,
	ARTICLE_STATUS__MAX
};

enum article_kind {
	KIND_OWN,            /* 자체기사 */
	KIND_PRESS_RELEASE,  /* 보도자료 */
	KIND_CONTRIBUTION,   /* 기고 */
	KIND_ADVERTORIAL,    /* 광고성 기사 */
	KIND__MAX
};

enum person_role {
	ROLE_REPORTER,
	ROLE_EDITOR,
	ROLE_ADMIN,
	ROLE_CONTRIBUTOR,    /* outside writer: appears in bylines, cannot log in */
	ROLE__MAX
};

/* Names as stored and as used in JSON ("draft", "press-release", ...). */
const char *article_status_name(enum article_status);
const char *article_kind_name(enum article_kind);
const char *person_role_name(enum person_role);
/* Korean labels (초안, 보도자료, 기자, ...). */
const char *article_kind_label(enum article_kind);
const char *person_role_label(enum person_role);
/* Parse a stored name; -1 when unknown. */
int article_status_parse(const char *);
int article_kind_parse(const char *);
int person_role_parse(const char *);

struct section {
	int64_t     id;
	const char *slug;
	const char *name;
	int         position;
};

struct person {
	int64_t          id;
	const char      *name;
	const char      *email;
	enum person_role role;
	int              active;
};

#define ARTICLE_MAX_SUBTITLES 3
#define ARTICLE_MAX_TAGS      20
#define ARTICLE_MAX_BYLINES   8

struct article {
	int64_t              id;
	enum article_status  status;
	enum article_kind    kind;
	struct section       section;
	const char          *headline;
	const char          *subtitles[ARTICLE_MAX_SUBTITLES];
	int                  nsubtitles;
	const char          *summary;      /* plain text, never empty once stored */
	const char          *body;         /* sanitized HTML; NULL in list reads */
	const char          *body_text;    /* its plain text, indexed for search; given
	                                    * on writes, not read back */
	const char          *slug;         /* ASCII, may be "" */
	struct person        bylines[ARTICLE_MAX_BYLINES];  /* [0] is the author */
	int                  nbylines;
	const char          *display_byline; /* e.g. "한빛일보 기자"; "" = names */
	const char          *source_note;  /* 뉴스출처 기관명, "" = none */
	const char          *tags[ARTICLE_MAX_TAGS];
	int                  ntags;
	time_t               created_at;
	time_t               updated_at;
	time_t               approved_at;
	time_t               published_at;
	time_t               scheduled_at;
	int                  version;
	const char          *desk_note;    /* the desk's note when it returned the
	                                    * article; "" = none.  Read, and written
	                                    * only by store_article_set_desk_note */
};

/* What a list read selects.  Zero fields are "any". */
struct article_query {
	int64_t     section_id;
	int64_t     person_id;     /* any byline */
	const char *tag;
	int64_t     exclude_id;
	unsigned    kinds;         /* bit (1u << kind) per kind wanted; 0 = any */
	time_t      since;         /* published_at >= since, when not 0 */
	time_t      until;         /* published_at < until, when not 0 */
	int         status;        /* -1 any; default reads ask for ARTICLE_PUBLISHED */
	int         offset;
	int         limit;         /* required, 1..1000 */
	int         want_total;    /* count every match into total (a list page's
	                            * pagination); otherwise total is 0 */
	enum article_order {
		ORDER_PUBLISHED = 0,   /* published_at, newest first (the site) */
		ORDER_UPDATED,         /* updated_at, newest first (newsroom lists) */
		ORDER_SCHEDULED,       /* scheduled_at, soonest first */
	}           order;
};

/* What a sitemap needs of a published article. */
struct article_stub {
	int64_t     id;
	const char *slug;
	const char *headline;
	time_t      published_at;
	time_t      updated_at;
};

/* Published articles of one month (Seoul time). */
struct article_month {
	int     year, month;
	int64_t count;
	time_t  last_updated;
};

struct article_list {
	struct article *items;
	int             n;
	int64_t         total;     /* rows matching without offset/limit */
};

struct weather_obs_row {
	int         station_id;
	const char *name;          /* display name from the station settings */
	time_t      observed_at;
	const char *condition;     /* "" when unknown */
	double      temperature;  int has_temperature;
	double      humidity;     int has_humidity;
	double      wind_speed;   int has_wind_speed;
	int         wind_dir;     int has_wind_dir;
};

struct setting {
	const char *key;
	const char *value;
};

/* ---- opening ---- */

enum {
	STORE_OPEN_CREATE   = 1 << 0,  /* create the database if it does not exist */
	STORE_OPEN_READONLY = 1 << 1,
};

/*
 * Opens the database and applies pending migrations (unless read-only).
 * On failure returns NULL and writes one line for the operator into err.
 * *created is set when the database did not exist before (may be NULL).
 */
struct store *store_open(const char *db, int flags, int *created, char *err, size_t errlen);
void store_close(struct store *);
/* The last error message of this connection. */
const char *store_errmsg(const struct store *);
/* Cheap liveness check for /healthz. */
int store_ping(struct store *);
/* A number that changes whenever another connection (thread or process)
 * commits to the database: PRAGMA data_version. */
int store_data_version(struct store *, int64_t *out);
/* A number that changes whenever a commit changes what the public site
 * shows (published articles, corrections, people, sections, settings,
 * tags, weather), from any connection: migration 013's site_gen. */
int store_site_version(struct store *, int64_t *out);
/* Sets the positions deep pages start from in every long published list
 * (all articles, each section, each reporter), for the process's other
 * connections to take; quick when they are already set for the lists as
 * they are.  stop (may be NULL) ends it between lists; walked (may be
 * NULL) counts the index walks it made. */
int store_lists_prepare(struct store *, const atomic_int *stop, int *walked);
/* Schema version (number of the last migration applied). */
int store_schema_version(struct store *);

/* ---- transactions (writes of several rows go in one) ---- */
int store_begin(struct store *);
int store_commit(struct store *);
void store_rollback(struct store *);
/* A savepoint inside a transaction: a failed row is undone without
 * losing the rest of the batch. */
int store_savepoint(struct store *);
int store_savepoint_release(struct store *);
void store_savepoint_rollback(struct store *);

/* ---- sections and people ---- */
int store_sections_list(struct store *, struct arena *, struct section **out, int *n);
int store_section_by_slug(struct store *, struct arena *, const char *slug, struct section *out);
int store_section_put(struct store *, const char *slug, const char *name, int position, int64_t *id);
int store_person_get(struct store *, struct arena *, int64_t id, struct person *out);
int store_person_by_email(struct store *, struct arena *, const char *email, struct person *out);
int store_person_put(struct store *, const char *name, const char *email, enum person_role role, int64_t *id);

/* Newsroom accounts: the argon2id hash (NULL: no password, the person
 * cannot log in), whether it is a one-time password, the role, whether
 * the account may log in. */
int store_person_password(struct store *, struct arena *, int64_t id, const char **hash, int *must_change);
int store_person_set_password(struct store *, int64_t id, const char *hash, int must_change);
int store_person_set_role(struct store *, int64_t id, enum person_role);
int store_person_set_active(struct store *, int64_t id, int active);
int store_people_list(struct store *, struct arena *, struct person **out, int *n);

/* ---- articles ---- */
int store_article_get(struct store *, struct arena *, int64_t id, struct article *out);
int store_articles_list(struct store *, struct arena *, const struct article_query *, struct article_list *out);
/*
 * Inserts a new article with its bylines (person ids in a->bylines[].id)
 * and tags.  a->id may be set to keep an imported number (STORE_EXISTS if
 * taken); otherwise it is assigned and written back.  a->section.id must
 * be set.  Call inside a transaction when inserting many.
 */
int store_article_insert(struct store *, struct article *a);
/* Published articles with since <= published_at < until (0 = open), newest
 * first, at most limit (1..50000). */
int store_article_stubs(struct store *, struct arena *, time_t since, time_t until, int limit,
    struct article_stub **out, int *n);
/* Months that have published articles, newest first. */
int store_article_months(struct store *, struct arena *, struct article_month **out, int *n);
/* People with at least one published article in their byline. */
int store_people_published(struct store *, struct arena *, struct person **out, int *n);
/*
 * Changes an article's content: every field of *a the editor owns
 * (section, kind, headline, subtitles, summary, body, body_text, slug,
 * bylines, display byline, source note, tags, updated_at), if its stored
 * version is still a->version (else STORE_CONFLICT and nothing changes);
 * a->version is then incremented.  A published article's search entry is
 * replaced in the same transaction.
 */
int store_article_update(struct store *, struct article *a);
/*
 * Moves an article to status at time `at`: published (published_at is set
 * the first time, approved_at each time; the article enters the search
 * index), scheduled (scheduled_at = at), unpublished, draft or submitted
 * (it leaves the index).  Checks the version as store_article_update does
 * when version is not 0.  One transaction.
 */
int store_article_set_status(struct store *, int64_t id, enum article_status, time_t at, int version);
/* Deletes an article with its bylines and tags, and its search entry. */
int store_article_delete(struct store *, int64_t id);

/* The function that makes the plain text of a stored body (the
 * sanitizer's), for the search index when the store itself moves an
 * article into it.  Set once at start-up. */
struct buf;
void store_set_text_of(int (*text_of)(const char *html, size_t len, struct buf *out));

/* Newest published_at among published articles (0 if none). */
int store_articles_last_change(struct store *, time_t *out);

/* ---- search ---- */

/* One search.  match is the FTS5 expression from search_query_to_fts();
 * query is what the reader typed, for the recheck that makes results
 * exact (NULL when search_query_needs_recheck() says none is needed). */
struct search_params {
	const char *match;
	const char *query;
	int64_t     section_id;    /* 0 = any */
	int64_t     person_id;     /* any byline; 0 = any */
	time_t      since, until;  /* published_at range; 0 = open */
	time_t      now;           /* for the recency boost */
	int         offset;
	int         limit;         /* 1..1000 */
	int         all;           /* every match: no candidate or count cap,
	                            * limit and offset ignored, no marks */
};

/* Markers around matched text in title/snippet: the caller escapes the
 * text and turns these into <mark> and </mark>. */
#define STORE_MARK_OPEN  "\x01"
#define STORE_MARK_CLOSE "\x02"

struct search_hit {
	struct article article;     /* list fields, bylines and tags */
	const char    *title;       /* headline with STORE_MARK_* around matches */
	const char    *snippet;     /* a passage of the body, marked the same way */
};

/* How far ranking and counting go: relevance (ko_rank, BM25 with a
 * recency boost) orders the newest SEARCH_CANDIDATES matches, pages past
 * them go by date, up to SEARCH_RESULTS_MAX results.  The newest
 * SEARCH_COUNT_EXACT + 1 matches are counted; past that the total is
 * estimated from their density over the article ids and rounded to two
 * significant digits (total_estimated is then set), so a word in half the
 * archive costs what a rarer one does. */
#define SEARCH_CANDIDATES  200
#define SEARCH_COUNT_EXACT 1000
#define SEARCH_RESULTS_MAX 10000

struct search_results {
	struct search_hit *items;
	int                n;
	int64_t            total;
	int                total_estimated;
};

int store_search(struct store *, struct arena *, const struct search_params *, struct search_results *out);
/* The estimate of a total from n matches read newest first, the first and
 * last of them (ids), and the lowest id a match can have: their density
 * carried down to lo, to two significant digits (n itself when the
 * matches cannot tell). */
int64_t store_search_estimate(int64_t n, int64_t first, int64_t last, int64_t lo);

/*
 * Rebuilds the search index from the published articles, in one
 * transaction: the plain text of each body is made by text_of (which
 * appends it to out and returns 0).
 * *count (may be NULL) gets the number indexed.  Clears the
 * search.reindex_needed setting.
 */
struct buf;
int store_search_reindex(struct store *, int (*text_of)(const char *html, size_t len, struct buf *out),
    int64_t *count);

/* ---- weather ---- */
/* Stores one observation (r->name is not used).  A (station, time) row
 * already stored is left as is, unless it lacks a temperature and r has
 * one: then r replaces it.  *added (may be NULL) is 1 when a row was
 * written.  Call inside a transaction when storing many. */
int store_weather_insert(struct store *, const struct weather_obs_row *r, int *added);
/* For each of the n station ids, in that order, its newest observation at
 * or after since (0: any), only among rows with a temperature when
 * need_temperature is set.  *out has n rows; a station without such an
 * observation has observed_at 0.  Names are "" (the caller has them). */
int store_weather_newest(struct store *, struct arena *, const int *stations, int n, time_t since,
    int need_temperature, struct weather_obs_row **out);

/* ---- the newsroom ---- */

/* Sections: rename and move (store_section_put adds). */
int store_section_update(struct store *, int64_t id, const char *name, int position);

/* The desk's note on an article (when returning it; "" clears). */
int store_article_set_desk_note(struct store *, int64_t id, const char *note);

/* Publishes every scheduled article whose scheduled_at <= now, each as
 * store_article_set_status(PUBLISHED, its scheduled_at) would, in one
 * transaction; their ids (at most max) go to ids, their number to *n. */
int store_articles_publish_due(struct store *, time_t now, int64_t *ids, int max, int *n);

/* Published articles with since <= published_at < until, counted by kind
 * (counts[KIND__MAX]). */
int store_articles_count_kinds(struct store *, time_t since, time_t until, int64_t *counts);

/* Sessions: token_hash is the hex hash of the cookie's token. */
struct session_row {
	int64_t     person_id;
	const char *csrf;
	time_t      created_at;
	time_t      last_seen;
	time_t      expires_at;
};
int store_session_create(struct store *, const char *token_hash, int64_t person_id, const char *csrf,
    time_t now, time_t expires_at, const char *remote);
/* STORE_NOTFOUND when there is no such session or it has expired at now. */
int store_session_get(struct store *, struct arena *, const char *token_hash, time_t now,
    struct session_row *out);
int store_session_touch(struct store *, const char *token_hash, time_t now, time_t expires_at);
int store_session_delete(struct store *, const char *token_hash);
/* Ends every session of a person (password changed, account disabled). */
int store_sessions_delete_person(struct store *, int64_t person_id);
/* Removes sessions expired before now and login failures before `before`. */
int store_sessions_prune(struct store *, time_t now, time_t before);

/* Failed logins, keyed "email:ADDRESS" or "addr:IP". */
int store_login_failure_add(struct store *, const char *key, time_t at);
int store_login_failures(struct store *, const char *key, time_t since, int *count);
int store_login_failures_clear(struct store *, const char *key);

/* The audit log. */
struct audit_row {
	int64_t     id;
	time_t      at;
	int64_t     person_id;
	const char *person_name;   /* "" when the person is gone or none */
	const char *action;        /* "publish", "login", ... */
	int64_t     article_id;    /* 0 = none */
	const char *detail;
	const char *remote;
};
int store_audit_add(struct store *, time_t at, int64_t person_id, const char *action,
    int64_t article_id, const char *detail, const char *remote);
/* Newest first; article_id 0 = every entry. */
int store_audit_list(struct store *, struct arena *, int64_t article_id, int limit,
    struct audit_row **out, int *n);

/* Revisions: a snapshot (interchange JSON text) of each save. */
struct revision_row {
	int64_t     id;
	int64_t     article_id;
	int         version;
	int64_t     person_id;
	const char *person_name;
	time_t      at;
	const char *snapshot;      /* NULL in list reads */
};
int store_revision_add(struct store *, int64_t article_id, int version, int64_t person_id, time_t at,
    const char *snapshot, int64_t *id);
/* Newest first, without snapshots. */
int store_revisions_list(struct store *, struct arena *, int64_t article_id,
    struct revision_row **out, int *n);
int store_revision_get(struct store *, struct arena *, int64_t id, struct revision_row *out);

/* Corrections: added, never deleted or changed. */
enum correction_kind {
	CORRECTION_CORRECTION,   /* 정정보도 */
	CORRECTION_REBUTTAL,     /* 반론보도 */
	CORRECTION_FOLLOWUP,     /* 추후보도 */
	CORRECTION__MAX
};
const char *correction_kind_name(enum correction_kind);   /* "correction", "rebuttal", "follow-up" */
const char *correction_kind_label(enum correction_kind);  /* "정정보도", "반론보도", "추후보도" */
int correction_kind_parse(const char *);
struct correction {
	int64_t              id;
	int64_t              article_id;
	enum correction_kind kind;
	time_t               at;          /* the date it carries */
	const char          *text;
	int64_t              person_id;
	time_t               created_at;
};
/* Adds c (id written back) and moves the article's updated_at to
 * c->created_at, so feeds and caches see the change. */
int store_correction_add(struct store *, struct correction *c);
/* Oldest first. */
int store_corrections_list(struct store *, struct arena *, int64_t article_id,
    struct correction **out, int *n);

/* API tokens: token_hash is the hex hash of the token. */
struct api_token_row {
	int64_t     id;
	int64_t     person_id;
	const char *person_email;
	const char *name;
	time_t      created_at;
	time_t      last_used;     /* 0 = never */
	time_t      revoked_at;    /* 0 = live */
};
int store_token_create(struct store *, int64_t person_id, const char *token_hash, const char *name,
    time_t now, int64_t *id);
/* The person of a live token whose person is active; records last_used.
 * STORE_NOTFOUND otherwise. */
int store_token_lookup(struct store *, struct arena *, const char *token_hash, time_t now,
    struct person *who, int64_t *token_id);
int store_token_revoke(struct store *, int64_t id, time_t now);
/* person_id 0 = everyone's; newest first. */
int store_tokens_list(struct store *, struct arena *, int64_t person_id,
    struct api_token_row **out, int *n);

/* ---- settings ---- */
int store_settings_all(struct store *, struct arena *, struct setting **out, int *n);
int store_setting_get(struct store *, struct arena *, const char *key, const char **value);
int store_setting_set(struct store *, const char *key, const char *value);

#endif
