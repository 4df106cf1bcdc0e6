/*
 * store_sqlite.c - the embedded engine of the store interface (store.h):
 * one SQLite file in WAL mode.
 *
 * Every statement lives in one table indexed by enum stmt_id and is
 * prepared once per connection, on first use; parameters are always bound.
 * Migrations are the numbered files src/store/migrations/NNN_*.sql,
 * compiled into the binary and applied in order at open, each in its own
 * transaction; PRAGMA user_version records the last one applied.
 */
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>
#include <stdatomic.h>

#include "core/arena.h"
#include "core/embed.h"
#include "core/buf.h"
#include "core/log.h"
#include "search/search.h"
#include "store/store_int.h"

enum stmt_id {
	S_BEGIN, S_COMMIT, S_ROLLBACK,
	S_SECTIONS, S_SECTION_BY_SLUG, S_SECTION_PUT,
	S_PERSON_GET, S_PERSON_BY_EMAIL, S_PERSON_PUT,
	S_ARTICLE_GET, S_ARTICLE_BYLINES, S_ARTICLE_TAGS,
	S_ARTICLE_INSERT, S_BODY_PUT, S_BYLINE_INSERT, S_TAG_PUT, S_TAG_ID, S_ARTICLE_TAG_INSERT,
	S_LAST_CHANGE, S_STUBS, S_MONTHS, S_PEOPLE_PUBLISHED,
	S_FTS_INDEX, S_SAVEPOINT, S_RELEASE, S_ROLLBACK_TO, S_DATA_VERSION,
	S_FTS_REMOVE, S_SITE_GEN, S_ARTICLE_UPDATE, S_BYLINES_CLEAR, S_TAGS_CLEAR, S_STATUS_SET, S_ARTICLE_DELETE,
	S_ART_SAVEPOINT, S_ART_RELEASE, S_ART_ROLLBACK,
	S_WEATHER_INSERT, S_WEATHER_NEWEST,
	S_PERSON_PASSWORD, S_PERSON_SET_PASSWORD, S_PERSON_SET_ROLE, S_PERSON_SET_ACTIVE, S_PEOPLE_LIST,
	S_SETTINGS_ALL, S_SETTING_GET, S_SETTING_SET, S_CORRECTIONS,
	S_SECTION_UPDATE, S_PERSON_SESSIONS_END, S_BEGIN_READ,
	S__MAX
};

#define ARTICLE_COLS \
	"a.id, a.status, a.kind, a.headline, a.subtitle1, a.subtitle2, a.subtitle3, a.summary, " \
	"a.slug, a.display_byline, a.source_note, a.created_at, a.updated_at, " \
	"coalesce(a.approved_at, 0), coalesce(a.published_at, 0), coalesce(a.scheduled_at, 0), " \
	"a.version, s.id, s.slug, s.name, s.position, a.desk_note"

static const char *const stmt_sql[S__MAX] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_BEGIN_READ] = "BEGIN",
	[S_SECTIONS] = "SELECT id, slug, name, position FROM section ORDER BY position, id",
	[S_SECTION_BY_SLUG] = "SELECT id, slug, name, position FROM section WHERE slug = ?1",
	[S_SECTION_PUT] = "INSERT INTO section (slug, name, position) VALUES (?1, ?2, ?3) "
	    "ON CONFLICT (slug) DO UPDATE SET name = excluded.name, position = excluded.position "
	    "RETURNING id",
	[S_PERSON_GET] = "SELECT id, name, email, role, active FROM person WHERE id = ?1",
	[S_PERSON_BY_EMAIL] = "SELECT id, name, email, role, active FROM person WHERE email = ?1",
	[S_PERSON_PUT] = "INSERT INTO person (name, email, role, created_at) VALUES (?1, ?2, ?3, ?4) "
	    "ON CONFLICT (email) DO UPDATE SET name = excluded.name RETURNING id",
	[S_ARTICLE_GET] = "SELECT " ARTICLE_COLS ", coalesce(b.body, '') FROM article a "
	    "JOIN section s ON s.id = a.section_id LEFT JOIN article_body b ON b.article_id = a.id "
	    "WHERE a.id = ?1",
	[S_ARTICLE_BYLINES] = "SELECT p.id, p.name, p.email, p.role, p.active FROM article_byline b "
	    "JOIN person p ON p.id = b.person_id WHERE b.article_id = ?1 ORDER BY b.position",
	[S_ARTICLE_TAGS] = "SELECT t.name FROM article_tag at JOIN tag t ON t.id = at.tag_id "
	    "WHERE at.article_id = ?1 ORDER BY at.position",
	[S_ARTICLE_INSERT] = "INSERT INTO article (id, section_id, status, kind, headline, subtitle1, "
	    "subtitle2, subtitle3, summary, slug, author_id, display_byline, "
	    "source_note, created_at, updated_at, approved_at, published_at, scheduled_at, version) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
	    "nullif(?16, 0), nullif(?17, 0), nullif(?18, 0), ?19)",
	/* Bodies are kept apart from the rows the lists read (migration 011). */
	[S_BODY_PUT] = "INSERT INTO article_body (article_id, body, body_source) VALUES (?1, ?2, nullif(?3, ?2)) "
	    "ON CONFLICT (article_id) DO UPDATE SET body = excluded.body, body_source = excluded.body_source",
	[S_BYLINE_INSERT] = "INSERT OR IGNORE INTO article_byline (article_id, person_id, position) "
	    "VALUES (?1, ?2, ?3)",
	[S_TAG_PUT] = "INSERT INTO tag (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
	[S_TAG_ID] = "SELECT id FROM tag WHERE name = ?1",
	[S_ARTICLE_TAG_INSERT] = "INSERT OR IGNORE INTO article_tag (article_id, tag_id, position) "
	    "VALUES (?1, ?2, ?3)",
	[S_LAST_CHANGE] = "SELECT coalesce(max(max(published_at), max(updated_at)), 0) FROM article "
	    "WHERE status = 'published'",
	[S_STUBS] = "SELECT id, slug, headline, published_at, updated_at FROM article "
	    "WHERE status = 'published' AND published_at >= ?1 AND published_at < ?2 "
	    "ORDER BY published_at DESC, id DESC LIMIT ?3",
	/* Months in Seoul time: shift by 9 hours before taking the month. */
	[S_MONTHS] = "SELECT CAST(strftime('%Y', published_at + 32400, 'unixepoch') AS INTEGER), "
	    "CAST(strftime('%m', published_at + 32400, 'unixepoch') AS INTEGER), count(*), max(updated_at) "
	    "FROM article WHERE status = 'published' GROUP BY 1, 2 ORDER BY 1 DESC, 2 DESC",
	[S_PEOPLE_PUBLISHED] = "SELECT p.id, p.name, p.email, p.role, p.active FROM person p "
	    "WHERE EXISTS (SELECT 1 FROM article_byline b JOIN article a ON a.id = b.article_id "
	    "WHERE b.person_id = p.id AND a.status = 'published') ORDER BY p.id",
	[S_FTS_INDEX] = "INSERT OR REPLACE INTO article_fts (rowid, title, body, facets) VALUES (?1, ?2, ?3, ?4)",
	[S_SAVEPOINT] = "SAVEPOINT row",
	[S_DATA_VERSION] = "PRAGMA data_version",
	[S_PERSON_PASSWORD] = "SELECT password_hash, must_change_password FROM person WHERE id = ?1",
	[S_PERSON_SET_PASSWORD] = "UPDATE person SET password_hash = ?2, must_change_password = ?3 WHERE id = ?1",
	[S_PERSON_SET_ROLE] = "UPDATE person SET role = ?2 WHERE id = ?1",
	[S_PERSON_SET_ACTIVE] = "UPDATE person SET active = ?2 WHERE id = ?1",
	[S_PEOPLE_LIST] = "SELECT id, name, email, role, active FROM person ORDER BY id",
	[S_PERSON_SESSIONS_END] = "DELETE FROM session WHERE person_id = ?1",
	[S_SECTION_UPDATE] = "UPDATE section SET name = ?2, position = ?3 WHERE id = ?1",
	[S_FTS_REMOVE] = "DELETE FROM article_fts WHERE rowid = ?1",
	[S_SITE_GEN] = "SELECT gen FROM site_gen WHERE id = 1",
	[S_ARTICLE_UPDATE] = "UPDATE article SET section_id = ?2, kind = ?3, headline = ?4, subtitle1 = ?5, "
	    "subtitle2 = ?6, subtitle3 = ?7, summary = ?8, "
	    "slug = ?9, author_id = ?10, display_byline = ?11, source_note = ?12, updated_at = ?13, "
	    "version = version + 1 WHERE id = ?1 AND version = ?14 RETURNING status",
	[S_BYLINES_CLEAR] = "DELETE FROM article_byline WHERE article_id = ?1",
	[S_TAGS_CLEAR] = "DELETE FROM article_tag WHERE article_id = ?1",
	[S_STATUS_SET] = "UPDATE article SET status = ?2, "
	    "published_at = CASE WHEN ?2 = 'published' THEN coalesce(published_at, ?3) ELSE published_at END, "
	    "approved_at = CASE WHEN ?2 = 'published' THEN ?3 ELSE approved_at END, "
	    "scheduled_at = CASE WHEN ?2 = 'scheduled' THEN ?3 ELSE NULL END, "
	    "updated_at = max(updated_at, ?3), version = version + 1 "
	    "WHERE id = ?1 AND (?4 = 0 OR version = ?4) RETURNING version",
	[S_ARTICLE_DELETE] = "DELETE FROM article WHERE id = ?1",
	[S_ART_SAVEPOINT] = "SAVEPOINT article_write",
	[S_ART_RELEASE] = "RELEASE article_write",
	[S_ART_ROLLBACK] = "ROLLBACK TO article_write",
	[S_RELEASE] = "RELEASE row",
	[S_ROLLBACK_TO] = "ROLLBACK TO row",
	/* A row already stored stays, except that one without a temperature
	 * takes the values of a later report that has one (KMA fills gaps
	 * late); the same report twice changes nothing. */
	[S_WEATHER_INSERT] = "INSERT INTO weather_obs (station_id, observed_at, condition, temperature, "
	    "humidity, wind_speed, wind_dir, stored_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
	    "ON CONFLICT (station_id, observed_at) DO UPDATE SET condition = excluded.condition, "
	    "temperature = excluded.temperature, humidity = excluded.humidity, "
	    "wind_speed = excluded.wind_speed, wind_dir = excluded.wind_dir, stored_at = excluded.stored_at "
	    "WHERE weather_obs.temperature IS NULL AND excluded.temperature IS NOT NULL",
	/* The primary key (station_id, observed_at) serves this backwards. */
	[S_WEATHER_NEWEST] = "SELECT observed_at, condition, temperature, humidity, wind_speed, wind_dir "
	    "FROM weather_obs WHERE station_id = ?1 AND observed_at >= ?2 "
	    "AND (?3 = 0 OR temperature IS NOT NULL) ORDER BY observed_at DESC LIMIT 1",
	[S_SETTINGS_ALL] = "SELECT key, value FROM setting ORDER BY key",
	[S_SETTING_GET] = "SELECT value FROM setting WHERE key = ?1",
	[S_SETTING_SET] = "INSERT INTO setting (key, value) VALUES (?1, ?2) "
	    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	[S_CORRECTIONS] = "SELECT id, article_id, kind, at, text, coalesce(person_id, 0), created_at "
	    "FROM correction WHERE article_id = ?1 ORDER BY id",
};

#define STMT_CACHE 64
#define LIST_MARKS 32        /* marks a list (store_articles_list) */
#define LIST_MARK_LISTS 64   /* lists with marks, a connection */
#define WAL_HDR_BYTES 48     /* one copy of the WAL-index header */

struct store {
	sqlite3      *db;
	sqlite3_stmt *stmt[S__MAX];
	char          errmsg[256];
	int           in_tx;
	/* Statements assembled from fixed fragments (list reads): a few dozen
	 * shapes, each prepared once; replaced round-robin when full. */
	struct {
		char         *sql;
		sqlite3_stmt *stmt;
	}             cache[STMT_CACHE];
	int           cache_next;
	/* Marks in long published lists (store_articles_list). */
	struct list_marks {
		char     key[256];   /* the list's SQL and key value; "" = free */
		struct list_state {  /* the list's counters when made */
			int64_t total, gen, id;
		}        at;
		int      step, n;    /* n marks, at positions step, 2 * step, ... */
		int64_t  pub[LIST_MARKS], id[LIST_MARKS];
	}             marks[LIST_MARK_LISTS];
	int           marks_next;
	/* store_data_version without SQL when nothing was committed: the
	 * WAL-index header (the first 48 bytes of the -shm file, SQLite's
	 * own mapping of it) as it was before the last PRAGMA data_version,
	 * and that PRAGMA's answer.  wal: 0 not looked yet, 1 mapped, -1 not
	 * in WAL mode (always the PRAGMA). */
	int           wal;
	const volatile unsigned char *walhdr;
	unsigned char walhdr_seen[WAL_HDR_BYTES];
	int64_t       dv_seen;
	int           dv_valid;
	/* store_site_version's last answer, and the data_version and
	 * total_changes it was read at. */
	int64_t       sv, sv_dv, sv_tc;
	int           sv_valid;
};

static int fail(struct store *, int);

sqlite3 *
store__db(struct store *st)
{
	return st->db;
}

int
store__fail(struct store *st, int rc)
{
	return fail(st, rc);
}

static const char *const err_names[STORE__MAX] = {
	[STORE_OK] = "ok",
	[STORE_NOTFOUND] = "not found",
	[STORE_EXISTS] = "already exists",
	[STORE_CONFLICT] = "changed by someone else",
	[STORE_INVALID] = "invalid data",
	[STORE_BUSY] = "database is busy",
	[STORE_CORRUPT] = "not a sinmun database or damaged",
	[STORE_IO] = "input/output error",
	[STORE_UNSUPPORTED] = "not supported",
};

const char *
store_strerror(enum store_err e)
{
	return (unsigned)e < STORE__MAX ? err_names[e] : "unknown error";
}

/* ---- enums <-> names ---- */

static const char *const status_names[ARTICLE_STATUS__MAX] = {
	"draft", "submitted", "scheduled", "published", "unpublished" };
static const char *const kind_names[KIND__MAX] = {
	"own", "press-release", "contribution", "advertorial" };
static const char *const kind_labels[KIND__MAX] = {
	"자체기사", "보도자료", "기고", "광고성 기사" };
static const char *const role_names[ROLE__MAX] = {
	"reporter", "editor", "admin", "contributor" };
static const char *const role_labels[ROLE__MAX] = {
	"기자", "데스크", "관리자", "기고자" };

const char *article_status_name(enum article_status s) { return (unsigned)s < ARTICLE_STATUS__MAX ? status_names[s] : "?"; }
const char *article_kind_name(enum article_kind k) { return (unsigned)k < KIND__MAX ? kind_names[k] : "?"; }
const char *article_kind_label(enum article_kind k) { return (unsigned)k < KIND__MAX ? kind_labels[k] : "?"; }
const char *person_role_name(enum person_role r) { return (unsigned)r < ROLE__MAX ? role_names[r] : "?"; }
const char *person_role_label(enum person_role r) { return (unsigned)r < ROLE__MAX ? role_labels[r] : "?"; }

static int
lookup(const char *const *names, int n, const char *s)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

int article_status_parse(const char *s) { return lookup(status_names, ARTICLE_STATUS__MAX, s); }
int article_kind_parse(const char *s) { return lookup(kind_names, KIND__MAX, s); }
int person_role_parse(const char *s) { return lookup(role_names, ROLE__MAX, s); }

/* ---- errors ---- */

/* Maps an SQLite result code to the store's error enum. */
static int
map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_BUSY;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return STORE_CORRUPT;
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return STORE_EXISTS;
		return STORE_INVALID;
	default:
		return STORE_IO;
	}
}

static int
fail(struct store *st, int rc)
{
	snprintf(st->errmsg, sizeof st->errmsg, "%s", sqlite3_errmsg(st->db));
	return map_rc(rc);
}

const char *
store_errmsg(const struct store *st)
{
	return st->errmsg;
}

static sqlite3_stmt *
stmt(struct store *st, enum stmt_id id)
{
	int rc;

	if (st->stmt[id] == NULL) {
		rc = sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
		    &st->stmt[id], NULL);
		/* The SQL is ours and fixed: failing to prepare it is a bug or a
		 * schema that is not ours, reported by the caller's step. */
		if (rc != SQLITE_OK) {
			snprintf(st->errmsg, sizeof st->errmsg, "%s", sqlite3_errmsg(st->db));
			log_error("store: cannot prepare statement %d: %s", (int)id, st->errmsg);
			return NULL;
		}
	}
	return st->stmt[id];
}

static void
done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* A prepared statement for sql from the connection's cache (prepared and
 * kept on first use).  Reset it with done() after use. */
static sqlite3_stmt *
cached_stmt(struct store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int i, rc;

	for (i = 0; i < STMT_CACHE; i++)
		if (st->cache[i].sql && strcmp(st->cache[i].sql, sql) == 0)
			return st->cache[i].stmt;
	rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	if (rc != SQLITE_OK) {
		snprintf(st->errmsg, sizeof st->errmsg, "%s", sqlite3_errmsg(st->db));
		log_error("store: cannot prepare a list statement: %s", st->errmsg);
		return NULL;
	}
	i = st->cache_next;
	st->cache_next = (st->cache_next + 1) % STMT_CACHE;
	sqlite3_finalize(st->cache[i].stmt);
	free(st->cache[i].sql);
	if ((st->cache[i].sql = strdup(sql)) == NULL)
		log_oom();
	st->cache[i].stmt = s;
	return s;
}

static const char *
col_text(struct arena *a, sqlite3_stmt *s, int i)
{
	const unsigned char *p = sqlite3_column_text(s, i);

	if (p == NULL)
		return "";
	return arena_strndup(a, (const char *)p, (size_t)sqlite3_column_bytes(s, i));
}

static void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC);
}

/* Runs a statement that returns no rows (or whose rows are ignored). */
static int
exec_stmt(struct store *st, sqlite3_stmt *s)
{
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		rc = fail(st, sqlite3_extended_errcode(st->db));
		done(s);
		return rc;
	}
	done(s);
	return STORE_OK;
}

/* ---- opening and migrations ---- */

static int
exec_sql(struct store *st, const char *sql)
{
	char *msg = NULL;
	int rc;

	rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(st->errmsg, sizeof st->errmsg, "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return map_rc(rc);
	}
	return STORE_OK;
}

static int
int_query(struct store *st, const char *sql, int *out)
{
	sqlite3_stmt *s = NULL;
	int rc;

	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int(s, 0);
			rc = SQLITE_OK;
		}
	}
	if (rc != SQLITE_OK) {
		snprintf(st->errmsg, sizeof st->errmsg, "%s", sqlite3_errmsg(st->db));
		rc = map_rc(rc);
	}
	sqlite3_finalize(s);
	return rc;
}

int
store_schema_version(struct store *st)
{
	int v = -1;

	if (int_query(st, "PRAGMA user_version", &v) != STORE_OK)
		return -1;
	return v;
}

/* Migrations in the embedded table are named src/store/migrations/NNN_*.sql
 * and sorted by name, so their order is their number. */
static int
migrate(struct store *st)
{
	const struct embed_file *f;
	unsigned i;
	int cur, num, ntables, rc, bad, fk_off;
	const char *base;
	char sql[64];

	cur = store_schema_version(st);
	if (cur < 0)
		return STORE_CORRUPT;
	if (cur == 0) {
		rc = int_query(st, "SELECT count(*) FROM sqlite_schema", &ntables);
		if (rc != STORE_OK)
			return rc;
		if (ntables > 0) {
			snprintf(st->errmsg, sizeof st->errmsg,
			    "the file holds tables but is not a sinmun database");
			return STORE_CORRUPT;
		}
	}
	num = 0;
	for (i = 0; i < embed_count; i++) {
		f = &embed_files[i];
		if (strncmp(f->name, "src/store/migrations/", 21) != 0)
			continue;
		base = f->name + 21;
		if (base[0] < '0' || base[0] > '9')
			continue;
		num = (int)strtol(base, NULL, 10);
		if (num <= cur)
			continue;
		/* A migration that remakes a table says so ('-- foreign_keys:
		 * off' on a line of its own): foreign keys are off while it runs
		 * (a dropped parent would otherwise take its children with it)
		 * and checked before it commits, as SQLite's ALTER TABLE page
		 * describes; the pragma has no effect inside a transaction.  The
		 * check reads the whole database (25 s at a million articles),
		 * so the others run with foreign keys on, enforced as they
		 * write. */
		fk_off = strstr((const char *)f->data, "\n-- foreign_keys: off\n") != NULL;
		if ((fk_off && (rc = exec_sql(st, "PRAGMA foreign_keys = OFF")) != STORE_OK) ||
		    (rc = exec_sql(st, "BEGIN IMMEDIATE")) != STORE_OK)
			return rc;
		bad = 0;
		if ((rc = exec_sql(st, (const char *)f->data)) != STORE_OK ||
		    (fk_off && (rc = int_query(st, "SELECT count(*) FROM pragma_foreign_key_check", &bad)) !=
		    STORE_OK) ||
		    (bad > 0 && (snprintf(st->errmsg, sizeof st->errmsg, "%d rows would break foreign keys",
		    bad), rc = STORE_CORRUPT))) {
			char msg[256];

			snprintf(msg, sizeof msg, "migration %s: %s", base, st->errmsg);
			exec_sql(st, "ROLLBACK");
			exec_sql(st, "PRAGMA foreign_keys = ON");
			snprintf(st->errmsg, sizeof st->errmsg, "%s", msg);
			return rc;
		}
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", num);
		if ((rc = exec_sql(st, sql)) != STORE_OK || (rc = exec_sql(st, "COMMIT")) != STORE_OK) {
			exec_sql(st, "ROLLBACK");
			exec_sql(st, "PRAGMA foreign_keys = ON");
			return rc;
		}
		if ((rc = exec_sql(st, "PRAGMA foreign_keys = ON")) != STORE_OK)
			return rc;
		log_debug("store: applied migration %s", base);
		cur = num;
	}
	if (cur > num && num > 0) {
		snprintf(st->errmsg, sizeof st->errmsg,
		    "the database has schema %d, newer than this sinmun (%d)", cur, num);
		return STORE_CORRUPT;
	}
	return STORE_OK;
}

/* SQLite keeps allocation statistics under one global mutex unless told
 * not to, and every connection of the server (one per thread) allocates
 * per statement step: in a profile of cold article pages that mutex and
 * its wake-ups were the hottest lock (sqlite3Malloc 15% of the CPU with
 * the lock under it).  Nothing here reads the statistics.  It has to be
 * set before SQLite initializes, so before the first connection. */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void
sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct store *
store_open(const char *db, int flags, int *created, char *err, size_t errlen)
{
	struct store *st;
	struct stat sb;
	int rc, oflags, existed;

	pthread_once(&sqlite_once, sqlite_setup);
	if (created)
		*created = 0;
	if (strncmp(db, "postgres://", 11) == 0 || strncmp(db, "postgresql://", 13) == 0) {
		snprintf(err, errlen, "%s: the PostgreSQL engine is not part of this build yet", db);
		return NULL;
	}
	existed = stat(db, &sb) == 0;
	if (!existed && !(flags & STORE_OPEN_CREATE)) {
		snprintf(err, errlen, "%s: no such database (create it with 'sinmun init --db %s')", db, db);
		return NULL;
	}
	if (existed && !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", db);
		return NULL;
	}
	if (existed && access(db, (flags & STORE_OPEN_READONLY) ? R_OK : R_OK | W_OK) != 0) {
		snprintf(err, errlen, "%s: %s", db, strerror(errno));
		return NULL;
	}
	if ((st = calloc(1, sizeof *st)) == NULL)
		log_oom();
	oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	if (flags & STORE_OPEN_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE | (flags & STORE_OPEN_CREATE ? SQLITE_OPEN_CREATE : 0);
	rc = sqlite3_open_v2(db, &st->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot open database: %s", db,
		    st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 5000);
	sqlite3_extended_result_codes(st->db, 1);
	/* Before migrations: they create the table that uses it. */
	if ((rc = search_register_tokenizer(st->db)) != SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot register the search tokenizer: %s", db, sqlite3_errstr(rc));
		goto fail;
	}
	/* WAL lets readers (page requests) run while a writer commits. */
	if (!(flags & STORE_OPEN_READONLY) &&
	    (rc = exec_sql(st, "PRAGMA journal_mode = WAL")) != STORE_OK) {
		snprintf(err, errlen, "%s: cannot open database: %s", db, st->errmsg);
		goto fail;
	}
	/* 4 MiB of page cache a connection.  The server holds one connection
	 * per thread (six by default), and at a million articles 16 MiB each
	 * filled up and took the server's RSS past 128 MiB with the page
	 * cache; pages that fall out are still in the kernel's file cache, a
	 * pread away (docs/benchmarks.md, section 5).  No mmap: mapped pages
	 * would count in RSS as well. */
	if ((rc = exec_sql(st, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
	    "PRAGMA cache_size = -4096;")) != STORE_OK) {
		snprintf(err, errlen, "%s: cannot open database: %s", db, st->errmsg);
		goto fail;
	}
	if (!(flags & STORE_OPEN_READONLY) && (rc = migrate(st)) != STORE_OK) {
		snprintf(err, errlen, "%s: %s", db, st->errmsg);
		goto fail;
	}
	if (created)
		*created = !existed;
	return st;
fail:
	store_close(st);
	if (!existed && (flags & STORE_OPEN_CREATE)) {
		/* Do not leave a half-made database behind. */
		unlink(db);
	}
	return NULL;
}

void
store_close(struct store *st)
{
	int i;

	if (st == NULL)
		return;
	for (i = 0; i < S__MAX; i++)
		sqlite3_finalize(st->stmt[i]);
	for (i = 0; i < STMT_CACHE; i++) {
		sqlite3_finalize(st->cache[i].stmt);
		free(st->cache[i].sql);
	}
	sqlite3_close(st->db);
	free(st);
}

int
store_ping(struct store *st)
{
	int v;

	return int_query(st, "SELECT 1", &v);
}

/* ---- transactions ---- */

int
store_begin(struct store *st)
{
	sqlite3_stmt *s = stmt(st, S_BEGIN);
	int rc;

	if (s == NULL)
		return STORE_IO;
	rc = exec_stmt(st, s);
	st->in_tx = rc == STORE_OK;
	return rc;
}

int
store_commit(struct store *st)
{
	sqlite3_stmt *s = stmt(st, S_COMMIT);
	int rc;

	if (s == NULL)
		return STORE_IO;
	rc = exec_stmt(st, s);
	if (rc == STORE_OK)
		st->in_tx = 0;
	return rc;
}

void
store_rollback(struct store *st)
{
	sqlite3_stmt *s;

	if (!sqlite3_get_autocommit(st->db) && (s = stmt(st, S_ROLLBACK)) != NULL)
		exec_stmt(st, s);
	st->in_tx = 0;
}

/*
 * A read snapshot around several statements of one read verb, when no
 * transaction is open: the rows agree with each other, and SQLite sets up
 * one read transaction instead of one a statement (an article page read
 * 14 of them: the article, its related list, and two statements for the
 * bylines and tags of each).  Prepared once, unlike exec_sql's.  Returns
 * whether it began one; read_end ends it.
 */
static int
read_begin(struct store *st)
{
	sqlite3_stmt *s;

	if (!sqlite3_get_autocommit(st->db) || (s = stmt(st, S_BEGIN_READ)) == NULL)
		return 0;
	return exec_stmt(st, s) == STORE_OK;
}

static void
read_end(struct store *st, int began)
{
	sqlite3_stmt *s;
	char errmsg[sizeof st->errmsg];

	if (!began || sqlite3_get_autocommit(st->db))
		return;
	/* A read-only transaction's COMMIT cannot fail for want of a lock;
	 * keep the caller's error message if it does anything else. */
	memcpy(errmsg, st->errmsg, sizeof errmsg);
	if ((s = stmt(st, S_COMMIT)) == NULL || exec_stmt(st, s) != STORE_OK)
		store_rollback(st);
	memcpy(st->errmsg, errmsg, sizeof errmsg);
}

int
store__read_begin(struct store *st)
{
	return read_begin(st);
}

void
store__read_end(struct store *st, int began)
{
	read_end(st, began);
}

/* Runs a statement that returns one integer. */
static int
one_int64(struct store *st, enum stmt_id id, int64_t *out)
{
	sqlite3_stmt *s = stmt(st, id);
	int rc;

	if (s == NULL)
		return STORE_IO;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		rc = STORE_OK;
	} else {
		rc = fail(st, rc);
	}
	done(s);
	return rc;
}

/*
 * The connection's view of the WAL-index header, SQLite's shared memory
 * that every connection to the database, in any process, updates on every
 * commit before the commit returns: the first copy of the header holds a
 * counter of transactions (iChange), the last frame, the salts and a
 * checksum (https://sqlite.org/walformat.html, "the WAL-index header").
 * The mapping is SQLite's own (xShmMap of the connection's file, which
 * exists once the connection has read in WAL mode) and stays while the
 * connection is open.  NULL when the database is not in WAL mode or the
 * VFS has no shared memory: then every call runs the PRAGMA.
 */
static void
wal_header_map(struct store *st)
{
	sqlite3_stmt *s = NULL;
	sqlite3_file *f = NULL;
	void volatile *p = NULL;
	int wal = 0;

	st->wal = -1;
	if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != NULL)
		wal = strcmp((const char *)sqlite3_column_text(s, 0), "wal") == 0;
	sqlite3_finalize(s);
	if (!wal || sqlite3_file_control(st->db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK ||
	    f == NULL || f->pMethods == NULL || f->pMethods->iVersion < 2 || f->pMethods->xShmMap == NULL)
		return;
	/* bExtend 0: map what exists, never create or grow it. */
	if (f->pMethods->xShmMap(f, 0, 32768, 0, &p) != SQLITE_OK || p == NULL)
		return;
	st->walhdr = (const volatile unsigned char *)p;
	st->wal = 1;
}

/*
 * PRAGMA data_version costs a read transaction (a lock on the shared
 * memory, often an fcntl and an fstat): a fifth of the event loop's time
 * on a cached page, where it runs for every request.  Outside a
 * transaction it is skipped when the WAL-index header is byte for byte
 * what it was before the last PRAGMA: no connection has committed since,
 * so that PRAGMA's answer still holds.  Any difference, a torn read
 * included, runs the PRAGMA again, so the answer is never older than the
 * header; the header of a commit is written before the commit returns, so
 * a request that follows any commit sees the new value.  Inside a
 * transaction the answer belongs to its snapshot: always the PRAGMA.
 */
int
store_data_version(struct store *st, int64_t *out)
{
	unsigned char now[WAL_HDR_BYTES];
	int i, rc;

	if (!sqlite3_get_autocommit(st->db))
		return one_int64(st, S_DATA_VERSION, out);
	if (st->wal == 0) {
		/* The first PRAGMA opens the WAL and maps the shared memory. */
		if ((rc = one_int64(st, S_DATA_VERSION, out)) != STORE_OK)
			return rc;
		wal_header_map(st);
	}
	if (st->wal < 0)
		return one_int64(st, S_DATA_VERSION, out);
	atomic_thread_fence(memory_order_acquire);
	for (i = 0; i < WAL_HDR_BYTES; i++)
		now[i] = st->walhdr[i];
	atomic_thread_fence(memory_order_acquire);
	if (st->dv_valid && memcmp(now, st->walhdr_seen, sizeof now) == 0) {
		*out = st->dv_seen;
		return STORE_OK;
	}
	st->dv_valid = 0;
	if ((rc = one_int64(st, S_DATA_VERSION, out)) != STORE_OK)
		return rc;
	memcpy(st->walhdr_seen, now, sizeof now);
	st->dv_seen = *out;
	st->dv_valid = 1;
	return STORE_OK;
}

/*
 * What the public site shows moves site_gen (migration 013's triggers);
 * read again only when some connection has committed since the last read
 * (data_version for the others', total_changes for this one's), so a
 * cached page costs no SQL, and a commit that shows nowhere (a draft, a
 * session, an audit line) leaves the answer as it was.
 */
int
store_site_version(struct store *st, int64_t *out)
{
	int64_t dv, tc = (int64_t)sqlite3_total_changes64(st->db);
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_data_version(st, &dv)) != STORE_OK)
		return rc;
	if (st->sv_valid && dv == st->sv_dv && tc == st->sv_tc && sqlite3_get_autocommit(st->db)) {
		*out = st->sv;
		return STORE_OK;
	}
	if ((s = stmt(st, S_SITE_GEN)) == NULL)
		return STORE_IO;
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	done(s);
	if (rc != SQLITE_ROW)
		return fail(st, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc);
	/* Inside a transaction the answer is its snapshot's, uncommitted
	 * writes and all: not kept. */
	st->sv_valid = sqlite3_get_autocommit(st->db);
	st->sv = *out;
	st->sv_dv = dv;
	st->sv_tc = tc;
	return STORE_OK;
}

int
store_savepoint(struct store *st)
{
	sqlite3_stmt *s = stmt(st, S_SAVEPOINT);

	return s ? exec_stmt(st, s) : STORE_IO;
}

int
store_savepoint_release(struct store *st)
{
	sqlite3_stmt *s = stmt(st, S_RELEASE);

	return s ? exec_stmt(st, s) : STORE_IO;
}

void
store_savepoint_rollback(struct store *st)
{
	sqlite3_stmt *s = stmt(st, S_ROLLBACK_TO);

	if (s && exec_stmt(st, s) == STORE_OK)
		store_savepoint_release(st);
}

/* Puts a published article into the search index: title is the headline
 * and subtitles, one a line; body its plain text; facets its section and
 * people (search.h), for searches within them. */
int
store__index_article(struct store *st, const struct article *a)
{
	sqlite3_stmt *s = stmt(st, S_FTS_INDEX);
	char *title, facets[32 + 24 * ARTICLE_MAX_BYLINES];
	size_t len, n;
	int i, rc;

	if (s == NULL)
		return STORE_IO;
	len = strlen(a->headline ? a->headline : "");
	for (i = 0; i < a->nsubtitles; i++)
		len += 1 + strlen(a->subtitles[i]);
	if ((title = malloc(len + 1)) == NULL)
		log_oom();
	n = strlen(a->headline ? a->headline : "");
	memcpy(title, a->headline ? a->headline : "", n);
	for (i = 0; i < a->nsubtitles; i++) {
		title[n++] = '\n';
		memcpy(title + n, a->subtitles[i], strlen(a->subtitles[i]));
		n += strlen(a->subtitles[i]);
	}
	title[n] = '\0';
	n = (size_t)snprintf(facets, sizeof facets, "%ss%lld", SEARCH_FACET_MARK, (long long)a->section.id);
	for (i = 0; i < a->nbylines && n < sizeof facets; i++)
		n += (size_t)snprintf(facets + n, sizeof facets - n, " p%lld", (long long)a->bylines[i].id);
	sqlite3_bind_int64(s, 1, a->id);
	sqlite3_bind_text(s, 2, title, -1, SQLITE_STATIC);
	bind_text(s, 3, a->body_text);
	sqlite3_bind_text(s, 4, facets, -1, SQLITE_STATIC);
	rc = exec_stmt(st, s);
	free(title);
	return rc;
}

/* ---- sections and people ---- */

static void
read_section(struct arena *a, sqlite3_stmt *s, int c, struct section *out)
{
	out->id = sqlite3_column_int64(s, c);
	out->slug = col_text(a, s, c + 1);
	out->name = col_text(a, s, c + 2);
	out->position = sqlite3_column_int(s, c + 3);
}

int
store_sections_list(struct store *st, struct arena *a, struct section **out, int *n)
{
	sqlite3_stmt *s = stmt(st, S_SECTIONS);
	struct section *v = NULL;
	int cap = 0, cnt = 0, rc;

	if (s == NULL)
		return STORE_IO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = arena_grow(a, v, cnt, &cap, sizeof *v);
		read_section(a, s, 0, &v[cnt++]);
	}
	if (rc != SQLITE_DONE) {
		rc = fail(st, rc);
		done(s);
		return rc;
	}
	done(s);
	*out = v;
	*n = cnt;
	return STORE_OK;
}

int
store_section_by_slug(struct store *st, struct arena *a, const char *slug, struct section *out)
{
	sqlite3_stmt *s = stmt(st, S_SECTION_BY_SLUG);
	int rc;

	if (s == NULL)
		return STORE_IO;
	bind_text(s, 1, slug);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		read_section(a, s, 0, out);
		rc = STORE_OK;
	} else {
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : fail(st, rc);
	}
	done(s);
	return rc;
}

int
store_section_put(struct store *st, const char *slug, const char *name, int position, int64_t *id)
{
	sqlite3_stmt *s = stmt(st, S_SECTION_PUT);
	int rc;

	if (s == NULL)
		return STORE_IO;
	bind_text(s, 1, slug);
	bind_text(s, 2, name);
	sqlite3_bind_int(s, 3, position);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (id)
			*id = sqlite3_column_int64(s, 0);
		rc = STORE_OK;
	} else {
		rc = fail(st, sqlite3_extended_errcode(st->db));
	}
	done(s);
	return rc;
}

static void
read_person(struct arena *a, sqlite3_stmt *s, struct person *out)
{
	int role;

	out->id = sqlite3_column_int64(s, 0);
	out->name = col_text(a, s, 1);
	out->email = col_text(a, s, 2);
	role = person_role_parse((const char *)sqlite3_column_text(s, 3));
	out->role = role < 0 ? ROLE_REPORTER : (enum person_role)role;
	out->active = sqlite3_column_int(s, 4);
}

static int
person_one(struct store *st, struct arena *a, enum stmt_id id, sqlite3_stmt *s, struct person *out)
{
	int rc;

	(void)id;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		read_person(a, s, out);
		rc = STORE_OK;
	} else {
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : fail(st, rc);
	}
	done(s);
	return rc;
}

int
store_person_get(struct store *st, struct arena *a, int64_t id, struct person *out)
{
	sqlite3_stmt *s = stmt(st, S_PERSON_GET);

	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, id);
	return person_one(st, a, S_PERSON_GET, s, out);
}

int
store_person_by_email(struct store *st, struct arena *a, const char *email, struct person *out)
{
	sqlite3_stmt *s = stmt(st, S_PERSON_BY_EMAIL);

	if (s == NULL)
		return STORE_IO;
	bind_text(s, 1, email);
	return person_one(st, a, S_PERSON_BY_EMAIL, s, out);
}

int
store_person_put(struct store *st, const char *name, const char *email, enum person_role role, int64_t *id)
{
	sqlite3_stmt *s = stmt(st, S_PERSON_PUT);
	int rc;

	if (s == NULL)
		return STORE_IO;
	bind_text(s, 1, name);
	bind_text(s, 2, email);
	bind_text(s, 3, person_role_name(role));
	sqlite3_bind_int64(s, 4, (sqlite3_int64)time(NULL));
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (id)
			*id = sqlite3_column_int64(s, 0);
		rc = STORE_OK;
	} else {
		rc = fail(st, sqlite3_extended_errcode(st->db));
	}
	done(s);
	return rc;
}

/* ---- accounts ---- */

int
store_person_password(struct store *st, struct arena *a, int64_t id, const char **hash, int *must_change)
{
	sqlite3_stmt *s = stmt(st, S_PERSON_PASSWORD);
	int rc;

	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*hash = sqlite3_column_type(s, 0) == SQLITE_NULL ? NULL : col_text(a, s, 0);
		*must_change = sqlite3_column_int(s, 1);
		rc = STORE_OK;
	} else {
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : fail(st, rc);
	}
	done(s);
	return rc;
}

/* Runs an UPDATE of one row by id; STORE_NOTFOUND when no row changed. */
static int
person_update(struct store *st, sqlite3_stmt *s)
{
	int rc = exec_stmt(st, s);

	if (rc == STORE_OK && sqlite3_changes(st->db) == 0)
		rc = STORE_NOTFOUND;
	return rc;
}

static int art_begin(struct store *);
static int art_end(struct store *, int);

/* Ends every session of a person, as part of the caller's write: a changed
 * password or a disabled account must not leave a browser logged in. */
static int
end_sessions(struct store *st, int64_t id)
{
	sqlite3_stmt *s = stmt(st, S_PERSON_SESSIONS_END);

	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, id);
	return exec_stmt(st, s);
}

int
store_person_set_password(struct store *st, int64_t id, const char *hash, int must_change)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = art_begin(st)) != STORE_OK)
		return rc;
	if ((s = stmt(st, S_PERSON_SET_PASSWORD)) == NULL) {
		rc = STORE_IO;
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	if (hash)
		bind_text(s, 2, hash);
	else
		sqlite3_bind_null(s, 2);
	sqlite3_bind_int(s, 3, must_change);
	if ((rc = person_update(st, s)) == STORE_OK)
		rc = end_sessions(st, id);
out:
	return art_end(st, rc);
}

int
store_person_set_role(struct store *st, int64_t id, enum person_role role)
{
	sqlite3_stmt *s = stmt(st, S_PERSON_SET_ROLE);

	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, person_role_name(role));
	return person_update(st, s);
}

int
store_person_set_active(struct store *st, int64_t id, int active)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = art_begin(st)) != STORE_OK)
		return rc;
	if ((s = stmt(st, S_PERSON_SET_ACTIVE)) == NULL) {
		rc = STORE_IO;
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, active != 0);
	if ((rc = person_update(st, s)) == STORE_OK && !active)
		rc = end_sessions(st, id);
out:
	return art_end(st, rc);
}

/* Every person a fixed statement selects (its columns as read_person's). */
static int
people_read(struct store *st, struct arena *a, enum stmt_id id, struct person **out, int *n)
{
	sqlite3_stmt *s = stmt(st, id);
	struct person *v = NULL;
	int rc, cap = 0, cnt = 0;

	if (s == NULL)
		return STORE_IO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = arena_grow(a, v, cnt, &cap, sizeof *v);
		read_person(a, s, &v[cnt++]);
	}
	done(s);
	if (rc != SQLITE_DONE)
		return fail(st, rc);
	*out = v;
	*n = cnt;
	return STORE_OK;
}

int
store_people_list(struct store *st, struct arena *a, struct person **out, int *n)
{
	return people_read(st, a, S_PEOPLE_LIST, out, n);
}

int
store_section_update(struct store *st, int64_t id, const char *name, int position)
{
	sqlite3_stmt *s = stmt(st, S_SECTION_UPDATE);

	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, name);
	sqlite3_bind_int(s, 3, position);
	return person_update(st, s);
}

/* ---- articles ---- */

/* Reads ARTICLE_COLS starting at column 0. */
static void
read_article(struct arena *a, sqlite3_stmt *s, struct article *out)
{
	const char *sub;
	int i, v;

	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(s, 0);
	v = article_status_parse((const char *)sqlite3_column_text(s, 1));
	out->status = v < 0 ? ARTICLE_DRAFT : (enum article_status)v;
	v = article_kind_parse((const char *)sqlite3_column_text(s, 2));
	out->kind = v < 0 ? KIND_OWN : (enum article_kind)v;
	out->headline = col_text(a, s, 3);
	for (i = 0; i < ARTICLE_MAX_SUBTITLES; i++) {
		sub = col_text(a, s, 4 + i);
		if (sub[0] != '\0')
			out->subtitles[out->nsubtitles++] = sub;
	}
	out->summary = col_text(a, s, 7);
	out->slug = col_text(a, s, 8);
	out->display_byline = col_text(a, s, 9);
	out->source_note = col_text(a, s, 10);
	out->created_at = (time_t)sqlite3_column_int64(s, 11);
	out->updated_at = (time_t)sqlite3_column_int64(s, 12);
	out->approved_at = (time_t)sqlite3_column_int64(s, 13);
	out->published_at = (time_t)sqlite3_column_int64(s, 14);
	out->scheduled_at = (time_t)sqlite3_column_int64(s, 15);
	out->version = sqlite3_column_int(s, 16);
	read_section(a, s, 17, &out->section);
	out->desk_note = col_text(a, s, 21);
}

static int
read_bylines_tags(struct store *st, struct arena *a, struct article *art)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = stmt(st, S_ARTICLE_BYLINES)) == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, art->id);
	art->nbylines = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (art->nbylines < ARTICLE_MAX_BYLINES)
			read_person(a, s, &art->bylines[art->nbylines++]);
	done(s);
	if (rc != SQLITE_DONE)
		return fail(st, rc);
	if ((s = stmt(st, S_ARTICLE_TAGS)) == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, art->id);
	art->ntags = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (art->ntags < ARTICLE_MAX_TAGS)
			art->tags[art->ntags++] = col_text(a, s, 0);
	done(s);
	if (rc != SQLITE_DONE)
		return fail(st, rc);
	return STORE_OK;
}

int
store_article_get(struct store *st, struct arena *a, int64_t id, struct article *out)
{
	sqlite3_stmt *s = stmt(st, S_ARTICLE_GET);
	int rc, tx;

	if (s == NULL)
		return STORE_IO;
	tx = read_begin(st);
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		read_article(a, s, out);
		out->body = col_text(a, s, 22);
		rc = STORE_OK;
	} else {
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : fail(st, rc);
	}
	done(s);
	if (rc == STORE_OK)
		rc = read_bylines_tags(st, a, out);
	read_end(st, tx);
	return rc;
}

/* Binds a list query's values to the numbered parameters its SQL uses. */
static void
bind_filters(sqlite3_stmt *x, const struct article_query *q)
{
	int i;

	if (q->status >= 0)
		bind_text(x, 1, article_status_name((enum article_status)q->status));
	if (q->section_id)
		sqlite3_bind_int64(x, 2, q->section_id);
	if (q->person_id)
		sqlite3_bind_int64(x, 3, q->person_id);
	if (q->tag)
		bind_text(x, 4, q->tag);
	if (q->exclude_id)
		sqlite3_bind_int64(x, 5, q->exclude_id);
	/* Unwanted kinds bind as NULL, which matches nothing in IN. */
	for (i = 0; q->kinds && i < KIND__MAX; i++)
		if (q->kinds & (1u << i))
			bind_text(x, 8 + i, article_kind_name((enum article_kind)i));
	if (q->since)
		sqlite3_bind_int64(x, 12, (sqlite3_int64)q->since);
	if (q->until)
		sqlite3_bind_int64(x, 13, (sqlite3_int64)q->until);
}

/*
 * Marks in a long published list: the (published_at, id) of the rows at
 * positions step, 2 * step, ... (step = total / LIST_MARKS + 1), kept
 * while the list's counters (migrations 007, 010 and 012) name the state
 * they were made in: its number of rows, the sum of its generations,
 * which grows with every change to the rows it counts, and for a tag the
 * tag's id (a tag made anew under the same name counts from 1 again).
 * Changes to other lists, drafts, sessions and settings leave them be.
 * Only outside a caller's transaction: its uncommitted writes move the
 * generations to values that a rollback hands back for another commit to
 * reach with other rows.  A page at offset
 * o then starts from the mark before it and walks fewer than step index
 * entries instead of o: the middle of a 125,000-article section was the
 * slowest page at a million articles (5 ms, 62,000 entries either way).
 * The first deep page of a list after a change walks as far as it
 * reads anyway, setting the marks on its way.  A page whose marks from its
 * nearer end are not set yet is read from the other end when that end's
 * marks are nearer to reaching it (store_articles_list): the marks from
 * either end are kept apart, and a page just before the middle used to
 * walk half the list to set the first end's while the second half's pages
 * had set the other's.
 */
static struct list_marks *
marks_find(struct store *st, const char *key)
{
	int i;

	for (i = 0; i < LIST_MARK_LISTS; i++)
		if (strcmp(st->marks[i].key, key) == 0)
			return &st->marks[i];
	return NULL;
}

static int
same_state(const struct list_state *a, const struct list_state *b)
{
	return a->total == b->total && a->gen == b->gen && a->id == b->id;
}

/* The marks of a list if this connection has them for the list as it is
 * now, else NULL; nothing is made or reset. */
static struct list_marks *
marks_peek(struct store *st, const char *key, const struct list_state *now)
{
	struct list_marks *m = marks_find(st, key);

	if (m == NULL || m->step == 0 || !same_state(&m->at, now))
		return NULL;
	return m;
}

static struct list_marks *
marks_for(struct store *st, const char *key, const struct list_state *now)
{
	struct list_marks *m;

	if ((m = marks_find(st, key)) == NULL) {
		m = &st->marks[st->marks_next];
		st->marks_next = (st->marks_next + 1) % LIST_MARK_LISTS;
		snprintf(m->key, sizeof m->key, "%s", key);
		m->step = 0;
	}
	if (m->step == 0 || !same_state(&m->at, now)) {
		m->at = *now;
		m->step = (int)(now->total / LIST_MARKS + 1);
		m->n = 0;
	}
	return m;
}

/* Walks that set a mark, for the tests. */
static atomic_long marks_walked;

long
store__marks_walked(void)
{
	return atomic_load(&marks_walked);
}

/* Sets marks up to the k-th.  Marks are only usable when every row of the
 * list has a publication time (a NULL would sort last and fall outside
 * the row-value comparison); n = -1 says they are not. */
static int
marks_fill(struct store *st, struct list_marks *m, int k, const struct article_query *q,
    const char *pub, const char *id, const char *from, const char *where, const char *order,
    const char *cmp, const char *back_order)
{
	char sql[1024];
	sqlite3_stmt *s;
	int rc;

	if (m->n == 0) {
		snprintf(sql, sizeof sql, "SELECT %s FROM %s%s ORDER BY %s LIMIT 1", pub, from, where, back_order);
		if ((s = cached_stmt(st, sql)) == NULL)
			return STORE_IO;
		bind_filters(s, q);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_NULL)
			m->n = -1;
		done(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return fail(st, rc);
	}
	while (m->n >= 0 && m->n < k) {
		if (m->n)
			snprintf(sql, sizeof sql, "SELECT %s, %s FROM %s%s AND (%s, %s) %s (?14, ?15) ORDER BY %s "
			    "LIMIT 1 OFFSET ?7", pub, id, from, where, pub, id, cmp, order);
		else
			snprintf(sql, sizeof sql, "SELECT %s, %s FROM %s%s ORDER BY %s LIMIT 1 OFFSET ?7", pub, id,
			    from, where, order);
		if ((s = cached_stmt(st, sql)) == NULL)
			return STORE_IO;
		atomic_fetch_add(&marks_walked, 1);
		bind_filters(s, q);
		if (m->n) {
			sqlite3_bind_int64(s, 14, m->pub[m->n - 1]);
			sqlite3_bind_int64(s, 15, m->id[m->n - 1]);
		}
		sqlite3_bind_int(s, 7, m->n ? m->step - 1 : m->step);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
			m->pub[m->n] = sqlite3_column_int64(s, 0);
			m->id[m->n] = sqlite3_column_int64(s, 1);
			m->n++;
		} else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
			m->n = -1;
		}
		done(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return fail(st, rc);
	}
	return STORE_OK;
}

/* The offset and limit of a page counted from the other end of a list of
 * total rows (a page cut short by the end keeps only the rows there are). */
static void
from_end(int64_t total, int *offset, int *limit)
{
	if ((int64_t)*offset + *limit > total)
		*limit = (int)(total - *offset);
	*offset = (int)(total - *offset - *limit);
}

/*
 * Marks shared by the connections of a process.  Each render thread has
 * its own connection, and each connection set its own marks: after a
 * start or a change to a list, the first deep page of it walked up to
 * half of it once per thread (at a million articles, 8 sections x 2 ends
 * x 4 threads: the p99 of deep section pages).  A connection that has
 * set marks leaves a copy here, and one that lacks them takes the copy
 * when it reads the list in the same state (its counters, as above:
 * committed states only, so one state of a list is one set of rows in
 * every connection).
 */
#define SHARED_MARKS (4 * LIST_MARK_LISTS)   /* every section and reporter, both ends, and readers' tags */
#define SHARED_KEY   768

static struct shared_marks {
	char          key[SHARED_KEY];   /* database file, '\n', list key */
	struct list_state at;
	int           step, n;
	int64_t       pub[LIST_MARKS], id[LIST_MARKS];
} shared_marks[SHARED_MARKS];
static int shared_marks_next;
static pthread_mutex_t shared_marks_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_long shared_marks_taken;

long
store__shared_marks_taken(void)
{
	return atomic_load(&shared_marks_taken);
}

static struct shared_marks *
shared_find(const char *key)
{
	int i;

	for (i = 0; i < SHARED_MARKS; i++)
		if (strcmp(shared_marks[i].key, key) == 0)
			return &shared_marks[i];
	return NULL;
}

static int
shared_key(struct store *st, char *out, const char *key)
{
	const char *file = sqlite3_db_filename(st->db, "main");

	return file != NULL && file[0] != '\0' &&
	    (size_t)snprintf(out, SHARED_KEY, "%s\n%s", file, key) < SHARED_KEY;
}

/* The connection's marks of a list, brought up to the shared copy when
 * that copy is of the same state and further along.  No local entry is
 * made for a list nobody has shared marks of. */
static void
shared_take(struct store *st, const char *key, const struct list_state *now)
{
	struct shared_marks *e, copy;
	struct list_marks *m;
	char k[SHARED_KEY];
	int found = 0;

	if (!shared_key(st, k, key))
		return;
	pthread_mutex_lock(&shared_marks_lock);
	if ((e = shared_find(k)) != NULL && same_state(&e->at, now) && e->n != 0) {
		copy.step = e->step;
		copy.n = e->n;
		if (e->n > 0) {
			memcpy(copy.pub, e->pub, (size_t)e->n * sizeof *e->pub);
			memcpy(copy.id, e->id, (size_t)e->n * sizeof *e->id);
		}
		found = 1;
	}
	pthread_mutex_unlock(&shared_marks_lock);
	if (!found || (m = marks_for(st, key, now)) == NULL || m->n < 0 || m->step != copy.step ||
	    (copy.n > 0 && copy.n <= m->n))
		return;
	m->n = copy.n;
	if (copy.n > 0) {
		memcpy(m->pub, copy.pub, (size_t)copy.n * sizeof *m->pub);
		memcpy(m->id, copy.id, (size_t)copy.n * sizeof *m->id);
	}
	atomic_fetch_add(&shared_marks_taken, 1);
}

/* Leaves a copy of the connection's marks of a list for the others. */
static void
shared_leave(struct store *st, const char *key, const struct list_marks *m)
{
	struct shared_marks *e;
	char k[SHARED_KEY];

	if (m->n == 0 || !shared_key(st, k, key))
		return;
	pthread_mutex_lock(&shared_marks_lock);
	if ((e = shared_find(k)) == NULL) {
		e = &shared_marks[shared_marks_next];
		shared_marks_next = (shared_marks_next + 1) % SHARED_MARKS;
		memcpy(e->key, k, strlen(k) + 1);
		e->n = 0;
	}
	if (!same_state(&e->at, &m->at) || e->step != m->step || m->n < 0 || (e->n >= 0 && m->n > e->n)) {
		e->at = m->at;
		e->step = m->step;
		e->n = m->n;
		if (m->n > 0) {
			memcpy(e->pub, m->pub, (size_t)m->n * sizeof *e->pub);
			memcpy(e->id, m->id, (size_t)m->n * sizeof *e->id);
		}
	}
	pthread_mutex_unlock(&shared_marks_lock);
}

/* The key of a list's marks counted from one end; 0 when too long. */
static int
marks_key(char *key, const char *from, const char *where, const struct article_query *q, int back)
{
	return (size_t)snprintf(key, 256, "%s%s|%lld|%s|%d", from, where, (long long)(q->section_id +
	    q->person_id), q->tag ? q->tag : "", back) < 256;
}

static int list_read(struct store *, struct arena *, const struct article_query *, struct article_list *,
    int marks_only);

/*
 * List reads are built from fixed fragments, so the SQL text is one of a
 * small finite set, prepared once per connection (cached_stmt).  Values
 * are always bound.
 *
 * A page is read in two steps inside one statement: the ids of the page
 * from an index in list order (the OFFSET walks index entries only, never
 * article rows: page 5,000 of a section is 100,000 index entries, about
 * 4 ms at a million articles), then the twenty rows by id.  A reporter's or
 * a tag's published list walks the byline or tag table's own copy of the
 * status and publication time (migration 007), so it needs no probe of the
 * article table per entry.  The count for pagination comes from the
 * per-section counters of migration 007 when the list is a whole section
 * (or all of one status), from the same index otherwise.  Knowing the
 * count first, a deep page of a whole section, reporter or tag starts from
 * the nearest mark before it (marks_for), from whichever end has the
 * marks nearer to it, and any other deep page walks from the nearer end
 * of its list.
 */
int
store_articles_list(struct store *st, struct arena *a, const struct article_query *q,
    struct article_list *out)
{
	return list_read(st, a, q, out, 0);
}

/*
 * Sets the marks of every long published list a reader can page through
 * (all articles, each section, each reporter) from both ends, and leaves
 * them for the render threads' connections to take, so that the first
 * deep page of a list after a start or a change to it does not walk half
 * of it (at a million articles, the p99 of the first minute's deep pages).
 * Lists whose shared marks are already of their present state cost one
 * read of their counters.  Tags are left to their readers: there are
 * thousands, most of them short.  stop, when set, ends it between lists.
 */
int
store_lists_prepare(struct store *st, const atomic_int *stop, int *walked)
{
	struct arena a = ARENA_INIT;
	struct article_query q;
	struct article_list l;
	sqlite3_stmt *s;
	int64_t keys[512];
	int n = 0, i, rc = STORE_OK, kinds;
	long before = atomic_load(&marks_walked);

	for (kinds = 0; kinds < 2 && rc == STORE_OK; kinds++) {
		/* The lists long enough for marks, from the counters. */
		s = cached_stmt(st, kinds == 0 ?
		    "SELECT 0 UNION ALL SELECT section_id FROM article_count WHERE status = 'published' "
		    "GROUP BY section_id HAVING sum(n) > 2 * ?1" :
		    "SELECT key FROM link_count WHERE list = 'person' AND status = 'published' AND n > 2 * ?1 "
		    "ORDER BY n DESC");
		if (s == NULL)
			return STORE_IO;
		sqlite3_bind_int(s, 1, LIST_MARKS);
		n = 0;
		while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < (int)(sizeof keys / sizeof keys[0]))
			keys[n++] = sqlite3_column_int64(s, 0);
		done(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return fail(st, rc);
		rc = STORE_OK;
		for (i = 0; i < n && rc == STORE_OK && !(stop && atomic_load(stop)); i++) {
			memset(&q, 0, sizeof q);
			q.status = ARTICLE_PUBLISHED;
			q.order = ORDER_PUBLISHED;
			q.limit = 1;
			q.want_total = 1;
			if (kinds == 0)
				q.section_id = keys[i];
			else
				q.person_id = keys[i];
			rc = list_read(st, &a, &q, &l, 1);
			arena_free(&a);
		}
	}
	if (walked)
		*walked = (int)(atomic_load(&marks_walked) - before);
	return rc;
}

static int
list_read(struct store *st, struct arena *a, const struct article_query *q, struct article_list *out,
    int marks_only)
{
	char where[512], sql[2048];
	const char *from, *idcol, *pubcol, *inner_order, *outer_order, *back_order;
	char keys[2][256];
	struct list_state now = { 0, 0, 0 };
	struct list_marks *m = NULL, *m2;
	sqlite3_stmt *s = NULL, *c = NULL;
	int rc, cap, i, link, limit, offset, back = 0, tx = 0, mark = 0, markable, o2, l2, counters = 0, had;
	size_t wl = 0;

	memset(out, 0, sizeof *out);
	if (q->limit < 1 || q->limit > 1000 || q->offset < 0)
		return STORE_INVALID;
	/* A reporter's or a tag's published list, newest first, with no
	 * condition the link tables cannot answer. */
	link = q->status == ARTICLE_PUBLISHED && q->order == ORDER_PUBLISHED && !q->kinds &&
	    !q->section_id && (q->person_id != 0) != (q->tag != NULL);
	where[0] = '\0';
#define W(frag) do { wl += (size_t)snprintf(where + wl, sizeof where - wl, "%s%s", wl ? " AND " : " WHERE ", frag); } while (0)
	if (link) {
		if (q->person_id) {
			from = "article_byline l";
			W("l.person_id = ?3");
		} else {
			from = "article_tag l";
			W("l.tag_id = (SELECT id FROM tag WHERE name = ?4)");
		}
		W("l.status = ?1");
		if (q->exclude_id)
			W("l.article_id <> ?5");
		if (q->since)
			W("l.published_at >= ?12");
		if (q->until)
			W("l.published_at < ?13");
		idcol = "l.article_id";
		pubcol = "l.published_at";
		inner_order = "l.published_at DESC, l.article_id DESC";
		back_order = "l.published_at, l.article_id";
	} else {
		from = "article a";
		if (q->status >= 0)
			W("a.status = ?1");
		if (q->section_id)
			W("a.section_id = ?2");
		if (q->person_id)
			W("a.id IN (SELECT article_id FROM article_byline WHERE person_id = ?3)");
		if (q->tag)
			W("a.id IN (SELECT at.article_id FROM article_tag at JOIN tag t ON t.id = at.tag_id WHERE t.name = ?4)");
		if (q->exclude_id)
			W("a.id <> ?5");
		if (q->kinds)
			W("a.kind IN (?8, ?9, ?10, ?11)");
		if (q->since)
			W("a.published_at >= ?12");
		if (q->until)
			W("a.published_at < ?13");
		idcol = "a.id";
		pubcol = "a.published_at";
		inner_order = back_order = NULL;
	}
#undef W
	/* Published lists order by publication time, which the indexes on
	 * (status, published_at) and (section_id, status, published_at) give
	 * without sorting; other statuses by their last change, newsroom lists
	 * as asked.  The outer ORDER BY sorts only the page's rows.  back is
	 * the exact reverse, for pages nearer the end than the start. */
	switch (q->order) {
	case ORDER_UPDATED:
		outer_order = "a.updated_at DESC, a.id DESC";
		if (back_order == NULL)
			back_order = "a.updated_at, a.id";
		break;
	case ORDER_SCHEDULED:
		outer_order = "a.scheduled_at IS NULL, a.scheduled_at, a.id";
		if (back_order == NULL)
			back_order = "a.scheduled_at IS NULL DESC, a.scheduled_at DESC, a.id DESC";
		break;
	default:
		outer_order = q->status == ARTICLE_PUBLISHED ? "a.published_at DESC, a.id DESC" :
		    "coalesce(a.published_at, a.updated_at) DESC, a.id DESC";
		if (back_order == NULL)
			back_order = q->status == ARTICLE_PUBLISHED ? "a.published_at, a.id" :
			    "coalesce(a.published_at, a.updated_at), a.id";
		break;
	}
	if (inner_order == NULL)
		inner_order = outer_order;
	/* The count, the page and the rows' bylines and tags come from one
	 * snapshot, so a page read from the end lines up with the count it
	 * was computed from.  For a whole section, reporter or tag (or all
	 * published articles), newest first, outside a caller's transaction,
	 * a deep page starts from a mark; the counters with the count name
	 * the list's state. */
	markable = q->want_total && q->status == ARTICLE_PUBLISHED && q->order == ORDER_PUBLISHED &&
	    !q->kinds && !q->since && !q->until && !q->exclude_id && (link || (!q->person_id && !q->tag)) &&
	    sqlite3_get_autocommit(st->db);
	tx = read_begin(st);
	if (q->want_total) {
		counters = !q->exclude_id && !q->since && !q->until &&
		    (link || (q->status >= 0 && !q->person_id && !q->tag && !q->kinds));
		if (counters && !link)
			snprintf(sql, sizeof sql, "SELECT coalesce(sum(n), 0), coalesce(sum(gen), 0), 0 "
			    "FROM article_count WHERE status = ?1%s", q->section_id ? " AND section_id = ?2" : "");
		else if (counters)
			/* a whole reporter's or tag's list: migration 010's counter */
			snprintf(sql, sizeof sql, "SELECT coalesce(sum(n), 0), coalesce(sum(gen), 0), "
			    "coalesce(max(key), 0) FROM link_count WHERE %s AND status = ?1", q->person_id ?
			    "list = 'person' AND key = ?3" :
			    "list = 'tag' AND key = (SELECT id FROM tag WHERE name = ?4)");
		else
			snprintf(sql, sizeof sql, "SELECT count(*) FROM %s%s", from, where);
		if ((c = cached_stmt(st, sql)) == NULL) {
			rc = STORE_IO;
			goto out;
		}
	}
	/* The count first: a page past the end reads nothing, a page of a
	 * list with marks starts from the mark before it, and any other page
	 * in the second half is read walking the index from the end. */
	limit = q->limit;
	offset = q->offset;
	if (c) {
		bind_filters(c, q);
		if ((rc = sqlite3_step(c)) != SQLITE_ROW) {
			rc = fail(st, rc);
			goto out;
		}
		out->total = sqlite3_column_int64(c, 0);
		if (counters) {
			now.total = out->total;
			now.gen = sqlite3_column_int64(c, 1);
			now.id = sqlite3_column_int64(c, 2);
		}
		done(c);
		c = NULL;
		if (offset >= out->total) {
			out->items = arena_calloc(a, 1, sizeof *out->items);
			rc = STORE_OK;
			goto out;
		}
		if ((int64_t)offset + limit / 2 > out->total / 2) {
			back = 1;
			from_end(out->total, &offset, &limit);
		}
		/* Marks are counted from the same end as the page. */
		if (!markable || !counters || !tx || out->total <= 2 * LIST_MARKS ||
		    !marks_key(keys[0], from, where, q, 0) || !marks_key(keys[1], from, where, q, 1))
			markable = 0;
		if (markable) {
			shared_take(st, keys[0], &now);
			shared_take(st, keys[1], &now);
		}
		if (marks_only) {
			/* Half of the list from each end: every page is nearer
			 * to one of them. */
			for (i = 0; markable && i < 2; i++)
				if ((m = marks_for(st, keys[i], &now)) != NULL && m->n >= 0 && m->n < LIST_MARKS / 2) {
					had = m->n;
					if ((rc = marks_fill(st, m, LIST_MARKS / 2, q, pubcol, idcol, from, where,
					    i ? back_order : inner_order, i ? ">" : "<", back_order)) != STORE_OK)
						goto out;
					if (m->n != had)
						shared_leave(st, keys[i], m);
				}
			out->items = arena_calloc(a, 1, sizeof *out->items);
			rc = STORE_OK;
			goto out;
		}
		if (markable && (m = marks_for(st, keys[back], &now)) != NULL && m->n >= 0 &&
		    m->n < offset / m->step) {
			/* The marks from this end would have to be set first:
			 * read the page from the end whose marks are nearer to
			 * reaching it.  A page near the middle otherwise set a
			 * second set of marks, walking half of the list in one
			 * request (20-80 ms at a million articles: the tail of
			 * the deep section pages), when the pages of the second
			 * half had already set most of the other end's. */
			m2 = marks_peek(st, keys[!back], &now);
			o2 = q->offset;
			l2 = q->limit;
			if (!back)
				from_end(out->total, &o2, &l2);
			if ((m2 == NULL || m2->n >= 0) &&
			    o2 / m->step - (m2 ? m2->n : 0) < offset / m->step - m->n &&
			    (m2 != NULL || (m2 = marks_for(st, keys[!back], &now)) != NULL)) {
				back = !back;
				offset = o2;
				limit = l2;
				m = m2;
			}
		}
		if (m != NULL && offset / m->step >= 1 && m->n >= 0) {
			/* Setting the missing marks walks no further than the
			 * page itself would without them. */
			had = m->n;
			if ((rc = marks_fill(st, m, offset / m->step, q, pubcol, idcol, from, where,
			    back ? back_order : inner_order, back ? ">" : "<", back_order)) != STORE_OK)
				goto out;
			if (m->n != had)
				shared_leave(st, keys[back], m);
			if (m->n >= offset / m->step) {
				mark = offset / m->step;
				offset -= mark * m->step;
			}
		}
	}
	snprintf(sql, sizeof sql, "SELECT " ARTICLE_COLS " FROM (SELECT %s AS id FROM %s%s%s%s%s%s%s ORDER BY %s "
	    "LIMIT ?6 OFFSET ?7) p JOIN article a ON a.id = p.id JOIN section s ON s.id = a.section_id "
	    "ORDER BY %s", idcol, from, where, mark ? " AND (" : "", mark ? pubcol : "", mark ? ", " : "",
	    mark ? idcol : "", mark ? (back ? ") >= (?14, ?15)" : ") <= (?14, ?15)") : "",
	    back ? back_order : inner_order, outer_order);
	if ((s = cached_stmt(st, sql)) == NULL) {
		rc = STORE_IO;
		goto out;
	}
	bind_filters(s, q);
	if (mark) {
		sqlite3_bind_int64(s, 14, m->pub[mark - 1]);
		sqlite3_bind_int64(s, 15, m->id[mark - 1]);
	}
	sqlite3_bind_int(s, 6, limit);
	sqlite3_bind_int(s, 7, offset);
	cap = q->limit;
	out->items = arena_calloc(a, (size_t)cap, sizeof *out->items);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && out->n < cap)
		read_article(a, s, &out->items[out->n++]);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		rc = fail(st, rc);
		goto out;
	}
	rc = STORE_OK;
	/* The statement goes back to the cache before the byline reads use
	 * theirs. */
	done(s);
	s = NULL;
	for (i = 0; i < out->n && rc == STORE_OK; i++)
		rc = read_bylines_tags(st, a, &out->items[i]);
out:
	if (s)
		done(s);
	if (c)
		done(c);
	read_end(st, tx);
	return rc;
}

/* The bylines and tags of an article, after its row exists. */
static int
write_bylines_tags(struct store *st, const struct article *art)
{
	sqlite3_stmt *s;
	int64_t tag_id;
	int rc, i;

	for (i = 0; i < art->nbylines; i++) {
		if ((s = stmt(st, S_BYLINE_INSERT)) == NULL)
			return STORE_IO;
		sqlite3_bind_int64(s, 1, art->id);
		sqlite3_bind_int64(s, 2, art->bylines[i].id);
		sqlite3_bind_int(s, 3, i);
		if ((rc = exec_stmt(st, s)) != STORE_OK)
			return rc;
	}
	for (i = 0; i < art->ntags; i++) {
		if ((s = stmt(st, S_TAG_PUT)) == NULL)
			return STORE_IO;
		bind_text(s, 1, art->tags[i]);
		if ((rc = exec_stmt(st, s)) != STORE_OK)
			return rc;
		if ((s = stmt(st, S_TAG_ID)) == NULL)
			return STORE_IO;
		bind_text(s, 1, art->tags[i]);
		rc = sqlite3_step(s);
		tag_id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		done(s);
		if (tag_id == 0)
			return fail(st, rc);
		if ((s = stmt(st, S_ARTICLE_TAG_INSERT)) == NULL)
			return STORE_IO;
		sqlite3_bind_int64(s, 1, art->id);
		sqlite3_bind_int64(s, 2, tag_id);
		sqlite3_bind_int(s, 3, i);
		if ((rc = exec_stmt(st, s)) != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

static int index_stored(struct store *, int64_t id);
static int art_begin(struct store *);
static int art_end(struct store *, int rc);
static int insert_article(struct store *, struct article *);

/* An article's body, in its own table since migration 011. */
static int
put_body(struct store *st, const struct article *art)
{
	sqlite3_stmt *s = stmt(st, S_BODY_PUT);

	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, art->id);
	bind_text(s, 2, art->body);
	bind_text(s, 3, art->body);
	return exec_stmt(st, s);
}

/* The article's row, its body, bylines, tags and search entry, all or
 * none of them (a savepoint, inside or outside a caller's transaction). */
int
store_article_insert(struct store *st, struct article *art)
{
	int rc = art_begin(st);

	return rc == STORE_OK ? art_end(st, insert_article(st, art)) : rc;
}

static int
insert_article(struct store *st, struct article *art)
{
	sqlite3_stmt *s;
	int rc, i;

	if ((s = stmt(st, S_ARTICLE_INSERT)) == NULL)
		return STORE_IO;
	if (art->id > 0)
		sqlite3_bind_int64(s, 1, art->id);
	else
		sqlite3_bind_null(s, 1);
	sqlite3_bind_int64(s, 2, art->section.id);
	bind_text(s, 3, article_status_name(art->status));
	bind_text(s, 4, article_kind_name(art->kind));
	bind_text(s, 5, art->headline);
	for (i = 0; i < ARTICLE_MAX_SUBTITLES; i++)
		bind_text(s, 6 + i, i < art->nsubtitles ? art->subtitles[i] : "");
	bind_text(s, 9, art->summary);
	bind_text(s, 10, art->slug);
	if (art->nbylines > 0)
		sqlite3_bind_int64(s, 11, art->bylines[0].id);
	else
		sqlite3_bind_null(s, 11);
	bind_text(s, 12, art->display_byline);
	bind_text(s, 13, art->source_note);
	sqlite3_bind_int64(s, 14, (sqlite3_int64)art->created_at);
	sqlite3_bind_int64(s, 15, (sqlite3_int64)art->updated_at);
	sqlite3_bind_int64(s, 16, (sqlite3_int64)art->approved_at);
	sqlite3_bind_int64(s, 17, (sqlite3_int64)art->published_at);
	sqlite3_bind_int64(s, 18, (sqlite3_int64)art->scheduled_at);
	sqlite3_bind_int(s, 19, art->version > 0 ? art->version : 1);
	if ((rc = exec_stmt(st, s)) != STORE_OK)
		return rc;
	art->id = sqlite3_last_insert_rowid(st->db);
	if ((rc = put_body(st, art)) != STORE_OK || (rc = write_bylines_tags(st, art)) != STORE_OK)
		return rc;
	/* The search index holds published articles, kept in the caller's
	 * transaction with the article itself; without the caller's plain
	 * text, the store makes it from the body as an update does. */
	if (art->status == ARTICLE_PUBLISHED)
		return art->body_text ? store__index_article(st, art) : index_stored(st, art->id);
	return STORE_OK;
}

static int (*text_of_fn)(const char *, size_t, struct buf *);

void
store_set_text_of(int (*fn)(const char *, size_t, struct buf *))
{
	text_of_fn = fn;
}

/* Runs one statement that must succeed, inside the article savepoint. */
static int
step_ok(struct store *st, enum stmt_id id)
{
	sqlite3_stmt *s = stmt(st, id);

	return s ? exec_stmt(st, s) : STORE_IO;
}

/* The savepoint around one write of several rows (an article, an account
 * and its sessions): atomic inside or outside a caller's transaction. */
static int
art_begin(struct store *st)
{
	return step_ok(st, S_ART_SAVEPOINT);
}

static int
art_end(struct store *st, int rc)
{
	if (rc == STORE_OK)
		return step_ok(st, S_ART_RELEASE);
	if (step_ok(st, S_ART_ROLLBACK) == STORE_OK)
		step_ok(st, S_ART_RELEASE);
	return rc;
}

static int
unindex(struct store *st, int64_t id)
{
	sqlite3_stmt *s = stmt(st, S_FTS_REMOVE);

	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, id);
	return exec_stmt(st, s);
}

/* Reads an article back and puts it into the search index. */
static int
index_stored(struct store *st, int64_t id)
{
	struct arena a = ARENA_INIT;
	struct article art;
	struct buf text = BUF_INIT;
	int rc;

	if ((rc = store_article_get(st, &a, id, &art)) != STORE_OK)
		goto out;
	if (text_of_fn == NULL || text_of_fn(art.body, strlen(art.body), &text) != 0) {
		snprintf(st->errmsg, sizeof st->errmsg, "cannot make the text of article %lld", (long long)id);
		rc = STORE_INVALID;
		goto out;
	}
	art.body_text = text.p ? text.p : "";
	rc = store__index_article(st, &art);
out:
	buf_free(&text);
	arena_free(&a);
	return rc;
}

int
store_article_update(struct store *st, struct article *art)
{
	sqlite3_stmt *s;
	const char *status = NULL;
	int rc, i;

	if ((rc = art_begin(st)) != STORE_OK)
		return rc;
	if ((s = stmt(st, S_ARTICLE_UPDATE)) == NULL) {
		rc = STORE_IO;
		goto out;
	}
	sqlite3_bind_int64(s, 1, art->id);
	sqlite3_bind_int64(s, 2, art->section.id);
	bind_text(s, 3, article_kind_name(art->kind));
	bind_text(s, 4, art->headline);
	for (i = 0; i < ARTICLE_MAX_SUBTITLES; i++)
		bind_text(s, 5 + i, i < art->nsubtitles ? art->subtitles[i] : "");
	bind_text(s, 8, art->summary);
	bind_text(s, 9, art->slug);
	if (art->nbylines > 0)
		sqlite3_bind_int64(s, 10, art->bylines[0].id);
	else
		sqlite3_bind_null(s, 10);
	bind_text(s, 11, art->display_byline);
	bind_text(s, 12, art->source_note);
	sqlite3_bind_int64(s, 13, (sqlite3_int64)art->updated_at);
	sqlite3_bind_int(s, 14, art->version);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		status = (const char *)sqlite3_column_text(s, 0);
	rc = rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_CONFLICT :
	    fail(st, sqlite3_extended_errcode(st->db));
	{
		int published = status && strcmp(status, "published") == 0;

		done(s);
		if (rc == STORE_CONFLICT)
			snprintf(st->errmsg, sizeof st->errmsg, "article %lld changed since version %d",
			    (long long)art->id, art->version);
		if (rc != STORE_OK || (rc = put_body(st, art)) != STORE_OK)
			goto out;
		if ((s = stmt(st, S_BYLINES_CLEAR)) == NULL || (sqlite3_bind_int64(s, 1, art->id),
		    (rc = exec_stmt(st, s)) != STORE_OK))
			goto out;
		if ((s = stmt(st, S_TAGS_CLEAR)) == NULL || (sqlite3_bind_int64(s, 1, art->id),
		    (rc = exec_stmt(st, s)) != STORE_OK))
			goto out;
		if ((rc = write_bylines_tags(st, art)) != STORE_OK)
			goto out;
		if (published)
			rc = art->body_text ? store__index_article(st, art) : index_stored(st, art->id);
		else
			rc = unindex(st, art->id);
	}
	if (rc == STORE_OK)
		art->version++;
out:
	return art_end(st, rc);
}

int
store_article_set_status(struct store *st, int64_t id, enum article_status status, time_t at, int version)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = art_begin(st)) != STORE_OK)
		return rc;
	if ((s = stmt(st, S_STATUS_SET)) == NULL) {
		rc = STORE_IO;
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, article_status_name(status));
	sqlite3_bind_int64(s, 3, (sqlite3_int64)at);
	sqlite3_bind_int(s, 4, version);
	rc = sqlite3_step(s);
	rc = rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? (version ? STORE_CONFLICT : STORE_NOTFOUND) :
	    fail(st, sqlite3_extended_errcode(st->db));
	done(s);
	if (rc != STORE_OK)
		goto out;
	rc = status == ARTICLE_PUBLISHED ? index_stored(st, id) : unindex(st, id);
out:
	return art_end(st, rc);
}

int
store_article_delete(struct store *st, int64_t id)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = art_begin(st)) != STORE_OK)
		return rc;
	if ((s = stmt(st, S_ARTICLE_DELETE)) == NULL) {
		rc = STORE_IO;
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	if ((rc = exec_stmt(st, s)) != STORE_OK)
		goto out;
	if (sqlite3_changes(st->db) == 0) {
		rc = STORE_NOTFOUND;
		goto out;
	}
	rc = unindex(st, id);
out:
	return art_end(st, rc);
}

int
store_article_stubs(struct store *st, struct arena *a, time_t since, time_t until, int limit,
    struct article_stub **out, int *n)
{
	sqlite3_stmt *s = stmt(st, S_STUBS);
	struct article_stub *v;
	int rc, cnt = 0;

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return STORE_IO;
	if (limit < 1 || limit > 50000)
		return STORE_INVALID;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)since);
	sqlite3_bind_int64(s, 2, until ? (sqlite3_int64)until : INT64_MAX);
	sqlite3_bind_int(s, 3, limit);
	v = arena_calloc(a, (size_t)limit, sizeof *v);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && cnt < limit) {
		v[cnt].id = sqlite3_column_int64(s, 0);
		v[cnt].slug = col_text(a, s, 1);
		v[cnt].headline = col_text(a, s, 2);
		v[cnt].published_at = (time_t)sqlite3_column_int64(s, 3);
		v[cnt].updated_at = (time_t)sqlite3_column_int64(s, 4);
		cnt++;
	}
	done(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return fail(st, rc);
	*out = v;
	*n = cnt;
	return STORE_OK;
}

int
store_article_months(struct store *st, struct arena *a, struct article_month **out, int *n)
{
	sqlite3_stmt *s = stmt(st, S_MONTHS);
	struct article_month *v = NULL;
	int rc, cap = 0, cnt = 0;

	if (s == NULL)
		return STORE_IO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = arena_grow(a, v, cnt, &cap, sizeof *v);
		v[cnt].year = sqlite3_column_int(s, 0);
		v[cnt].month = sqlite3_column_int(s, 1);
		v[cnt].count = sqlite3_column_int64(s, 2);
		v[cnt].last_updated = (time_t)sqlite3_column_int64(s, 3);
		cnt++;
	}
	done(s);
	if (rc != SQLITE_DONE)
		return fail(st, rc);
	*out = v;
	*n = cnt;
	return STORE_OK;
}

int
store_people_published(struct store *st, struct arena *a, struct person **out, int *n)
{
	return people_read(st, a, S_PEOPLE_PUBLISHED, out, n);
}

int
store_articles_last_change(struct store *st, time_t *out)
{
	int64_t v = 0;
	int rc = one_int64(st, S_LAST_CHANGE, &v);

	*out = (time_t)v;
	return rc;
}

/* ---- weather ---- */

int
store_weather_insert(struct store *st, const struct weather_obs_row *r, int *added)
{
	sqlite3_stmt *s = stmt(st, S_WEATHER_INSERT);
	int rc;

	if (added)
		*added = 0;
	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int(s, 1, r->station_id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)r->observed_at);
	bind_text(s, 3, r->condition);
	if (r->has_temperature) sqlite3_bind_double(s, 4, r->temperature); else sqlite3_bind_null(s, 4);
	if (r->has_humidity) sqlite3_bind_double(s, 5, r->humidity); else sqlite3_bind_null(s, 5);
	if (r->has_wind_speed) sqlite3_bind_double(s, 6, r->wind_speed); else sqlite3_bind_null(s, 6);
	if (r->has_wind_dir) sqlite3_bind_int(s, 7, r->wind_dir); else sqlite3_bind_null(s, 7);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)time(NULL));
	rc = exec_stmt(st, s);
	if (rc == STORE_OK && added)
		*added = sqlite3_changes(st->db) > 0;
	return rc;
}

int
store_weather_newest(struct store *st, struct arena *a, const int *stations, int n, time_t since,
    int need_temperature, struct weather_obs_row **out)
{
	struct weather_obs_row *v, *r;
	sqlite3_stmt *s;
	int i, rc;

	*out = NULL;
	if (n <= 0)
		return STORE_OK;
	v = arena_calloc(a, (size_t)n, sizeof *v);
	for (i = 0; i < n; i++) {
		r = &v[i];
		r->station_id = stations[i];
		r->name = "";
		r->condition = "";
		if ((s = stmt(st, S_WEATHER_NEWEST)) == NULL)
			return STORE_IO;
		sqlite3_bind_int(s, 1, stations[i]);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)since);
		sqlite3_bind_int(s, 3, need_temperature != 0);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			r->observed_at = (time_t)sqlite3_column_int64(s, 0);
			r->condition = col_text(a, s, 1);
			if ((r->has_temperature = sqlite3_column_type(s, 2) != SQLITE_NULL))
				r->temperature = sqlite3_column_double(s, 2);
			if ((r->has_humidity = sqlite3_column_type(s, 3) != SQLITE_NULL))
				r->humidity = sqlite3_column_double(s, 3);
			if ((r->has_wind_speed = sqlite3_column_type(s, 4) != SQLITE_NULL))
				r->wind_speed = sqlite3_column_double(s, 4);
			if ((r->has_wind_dir = sqlite3_column_type(s, 5) != SQLITE_NULL))
				r->wind_dir = sqlite3_column_int(s, 5);
		} else if (rc != SQLITE_DONE) {
			rc = fail(st, rc);
			done(s);
			return rc;
		}
		done(s);
	}
	*out = v;
	return STORE_OK;
}

/* ---- settings ---- */

int
store_settings_all(struct store *st, struct arena *a, struct setting **out, int *n)
{
	sqlite3_stmt *s = stmt(st, S_SETTINGS_ALL);
	struct setting *v = NULL;
	int cap = 0, cnt = 0, rc;

	if (s == NULL)
		return STORE_IO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = arena_grow(a, v, cnt, &cap, sizeof *v);
		v[cnt].key = col_text(a, s, 0);
		v[cnt].value = col_text(a, s, 1);
		cnt++;
	}
	done(s);
	if (rc != SQLITE_DONE)
		return fail(st, rc);
	*out = v;
	*n = cnt;
	return STORE_OK;
}

int
store_setting_get(struct store *st, struct arena *a, const char *key, const char **value)
{
	sqlite3_stmt *s = stmt(st, S_SETTING_GET);
	int rc;

	if (s == NULL)
		return STORE_IO;
	bind_text(s, 1, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*value = col_text(a, s, 0);
		rc = STORE_OK;
	} else {
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : fail(st, rc);
	}
	done(s);
	return rc;
}

int
store_setting_set(struct store *st, const char *key, const char *value)
{
	sqlite3_stmt *s = stmt(st, S_SETTING_SET);

	if (s == NULL)
		return STORE_IO;
	bind_text(s, 1, key);
	bind_text(s, 2, value);
	return exec_stmt(st, s);
}

/* On every article page, so among the prepared statements of this file
 * rather than with the newsroom's verbs (store_newsroom.c). */
int
store_corrections_list(struct store *st, struct arena *a, int64_t article_id,
    struct correction **out, int *n)
{
	sqlite3_stmt *s = stmt(st, S_CORRECTIONS);
	struct correction *v = NULL, *c;
	int rc, cap = 0, cnt = 0, k;

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, article_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = arena_grow(a, v, cnt, &cap, sizeof *v);
		c = &v[cnt++];
		c->id = sqlite3_column_int64(s, 0);
		c->article_id = sqlite3_column_int64(s, 1);
		k = correction_kind_parse((const char *)sqlite3_column_text(s, 2));
		c->kind = k < 0 ? CORRECTION_CORRECTION : (enum correction_kind)k;
		c->at = (time_t)sqlite3_column_int64(s, 3);
		c->text = col_text(a, s, 4);
		c->person_id = sqlite3_column_int64(s, 5);
		c->created_at = (time_t)sqlite3_column_int64(s, 6);
	}
	done(s);
	if (rc != SQLITE_DONE)
		return fail(st, rc);
	*out = v;
	*n = cnt;
	return STORE_OK;
}
