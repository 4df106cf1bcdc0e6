/*
 * store_newsroom.c - the newsroom's verbs of the SQLite engine (store.h,
 * "the newsroom"): sessions, the login limit, the audit log, revisions,
 * corrections, API tokens, the desk's note, scheduled publication and the
 * weekly count by kind.  The tables are migration 006.
 *
 * These verbs are not on the page path, so each prepares its statement
 * per call (prepare, bind, step, finalize) instead of joining the cached
 * table of store_sqlite.c.  Writes of several rows run in one transaction
 * of their own, or in a savepoint when the caller already holds one.
 */
#include "store/store.h"

#include <string.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "core/log.h"
#include "store/store_int.h"

/* ---- statements ---- */

/* Prepares sql; NULL (the error recorded) if it cannot be, which with our
 * fixed SQL means a schema that is not ours. */
static sqlite3_stmt *
prep(struct store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int rc;

	rc = sqlite3_prepare_v2(store__db(st), sql, -1, &s, NULL);
	if (rc != SQLITE_OK) {
		store__fail(st, rc);
		log_error("store: cannot prepare a newsroom statement: %s", store_errmsg(st));
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

/* Maps the result of the last step of s to a store code (the error
 * recorded first), then finalizes s. */
static int
finish(struct store *st, sqlite3_stmt *s, int rc)
{
	if (rc == SQLITE_DONE || rc == SQLITE_ROW || rc == SQLITE_OK)
		rc = STORE_OK;
	else
		rc = store__fail(st, sqlite3_extended_errcode(store__db(st)));
	sqlite3_finalize(s);
	return rc;
}

/* Steps s to its end and finalizes it. */
static int
run(struct store *st, sqlite3_stmt *s)
{
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	return finish(st, s, rc);
}

/* Runs s, a write of rows picked by key; STORE_NOTFOUND if none changed. */
static int
run_changed(struct store *st, sqlite3_stmt *s)
{
	int rc = run(st, s);

	if (rc == STORE_OK && sqlite3_changes(store__db(st)) == 0)
		rc = STORE_NOTFOUND;
	return rc;
}

static void
bind_str(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

/* 0 ("none") binds as NULL, for the columns that reference a row. */
static void
bind_id(sqlite3_stmt *s, int i, int64_t id)
{
	if (id)
		sqlite3_bind_int64(s, i, id);
	else
		sqlite3_bind_null(s, i);
}

static const char *
col_str(struct arena *a, sqlite3_stmt *s, int i)
{
	const unsigned char *p = sqlite3_column_text(s, i);

	if (p == NULL)
		return "";
	return arena_strndup(a, (const char *)p, (size_t)sqlite3_column_bytes(s, i));
}

/* ---- transactions ---- */

/* One write of several rows: its own BEGIN IMMEDIATE (the write lock
 * taken before reading, so no snapshot goes stale under WAL), or a
 * savepoint inside the caller's transaction. */
struct tx {
	int own;
};

static int
exec_simple(struct store *st, const char *sql)
{
	sqlite3_stmt *s = prep(st, sql);

	return s ? run(st, s) : STORE_IO;
}

static int
tx_begin(struct store *st, struct tx *t)
{
	t->own = sqlite3_get_autocommit(store__db(st)) != 0;
	if (t->own)
		return store_begin(st);
	return exec_simple(st, "SAVEPOINT newsroom");
}

/* Commits (rc STORE_OK) or undoes the write; returns the final code. */
static int
tx_end(struct store *st, struct tx *t, int rc)
{
	if (t->own) {
		if (rc == STORE_OK && (rc = store_commit(st)) == STORE_OK)
			return STORE_OK;
		store_rollback(st);
		return rc;
	}
	if (rc == STORE_OK)
		return exec_simple(st, "RELEASE newsroom");
	if (exec_simple(st, "ROLLBACK TO newsroom") == STORE_OK)
		exec_simple(st, "RELEASE newsroom");
	return rc;
}

/* ---- articles ---- */

int
store_article_set_desk_note(struct store *st, int64_t id, const char *note)
{
	sqlite3_stmt *s = prep(st, "UPDATE article SET desk_note = ?2 WHERE id = ?1");

	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, id);
	bind_str(s, 2, note);
	return run_changed(st, s);
}

/*
 * Each due article goes through store_article_set_status itself, so it is
 * published exactly as the desk's "publish" publishes it (search index,
 * approved_at and a first published_at at its scheduled time).  With ids
 * given, at most max are published in one call: every one published is
 * reported to the caller (who writes the audit log), and the rest follow
 * on the next call, a tick later.
 */
int
store_articles_publish_due(struct store *st, time_t now, int64_t *ids, int max, int *n)
{
	sqlite3_stmt *s;
	struct tx t;
	struct {
		int64_t id;
		time_t  at;
	} *due = NULL;
	struct arena a = ARENA_INIT;
	int rc, cap = 0, cnt = 0, i, limit;

	*n = 0;
	if (ids != NULL && max <= 0)
		return STORE_OK;
	limit = ids != NULL ? max : -1;
	/* Called every few seconds by the scheduler: a read first, so that a
	 * tick with nothing due takes no write lock. */
	s = prep(st, "SELECT EXISTS (SELECT 1 FROM article WHERE status = 'scheduled' AND scheduled_at <= ?1)");
	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)now);
	rc = sqlite3_step(s);
	i = rc == SQLITE_ROW && sqlite3_column_int(s, 0);
	if ((rc = finish(st, s, rc)) != STORE_OK || !i)
		return rc;
	if ((rc = tx_begin(st, &t)) != STORE_OK)
		return rc;
	s = prep(st, "SELECT id, scheduled_at FROM article WHERE status = 'scheduled' "
	    "AND scheduled_at <= ?1 ORDER BY scheduled_at, id LIMIT ?2");
	if (s == NULL) {
		rc = STORE_IO;
		goto out;
	}
	sqlite3_bind_int64(s, 1, (sqlite3_int64)now);
	sqlite3_bind_int(s, 2, limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		due = arena_grow(&a, due, cnt, &cap, sizeof *due);
		due[cnt].id = sqlite3_column_int64(s, 0);
		due[cnt].at = (time_t)sqlite3_column_int64(s, 1);
		cnt++;
	}
	if ((rc = finish(st, s, rc)) != STORE_OK)
		goto out;
	for (i = 0; i < cnt && rc == STORE_OK; i++)
		rc = store_article_set_status(st, due[i].id, ARTICLE_PUBLISHED, due[i].at, 0);
out:
	rc = tx_end(st, &t, rc);
	if (rc == STORE_OK) {
		for (i = 0; ids != NULL && i < cnt; i++)
			ids[i] = due[i].id;
		*n = cnt;
	}
	arena_free(&a);
	return rc;
}

int
store_articles_count_kinds(struct store *st, time_t since, time_t until, int64_t *counts)
{
	sqlite3_stmt *s;
	int rc, k;

	memset(counts, 0, KIND__MAX * sizeof *counts);
	s = prep(st, "SELECT kind, count(*) FROM article WHERE status = 'published' "
	    "AND published_at >= ?1 AND published_at < ?2 GROUP BY kind");
	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)since);
	sqlite3_bind_int64(s, 2, until ? (sqlite3_int64)until : INT64_MAX);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		k = article_kind_parse((const char *)sqlite3_column_text(s, 0));
		if (k >= 0)
			counts[k] += sqlite3_column_int64(s, 1);
	}
	return finish(st, s, rc);
}

/* ---- sessions ---- */

int
store_session_create(struct store *st, const char *token_hash, int64_t person_id, const char *csrf,
    time_t now, time_t expires_at, const char *remote)
{
	sqlite3_stmt *s = prep(st, "INSERT INTO session (token_hash, person_id, csrf, created_at, "
	    "last_seen, expires_at, remote) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)");

	if (s == NULL)
		return STORE_IO;
	bind_str(s, 1, token_hash);
	sqlite3_bind_int64(s, 2, person_id);
	bind_str(s, 3, csrf);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)now);
	sqlite3_bind_int64(s, 5, (sqlite3_int64)expires_at);
	bind_str(s, 6, remote);
	return run(st, s);
}

/* A session of an account disabled since is no session, even before the
 * disabling ended it. */
int
store_session_get(struct store *st, struct arena *a, const char *token_hash, time_t now,
    struct session_row *out)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof *out);
	s = prep(st, "SELECT s.person_id, s.csrf, s.created_at, s.last_seen, s.expires_at "
	    "FROM session s JOIN person p ON p.id = s.person_id "
	    "WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND p.active = 1");
	if (s == NULL)
		return STORE_IO;
	bind_str(s, 1, token_hash);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)now);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->person_id = sqlite3_column_int64(s, 0);
		out->csrf = col_str(a, s, 1);
		out->created_at = (time_t)sqlite3_column_int64(s, 2);
		out->last_seen = (time_t)sqlite3_column_int64(s, 3);
		out->expires_at = (time_t)sqlite3_column_int64(s, 4);
	} else if (rc == SQLITE_DONE) {
		sqlite3_finalize(s);
		return STORE_NOTFOUND;
	}
	return finish(st, s, rc);
}

/* An expired session is not brought back by a late touch. */
int
store_session_touch(struct store *st, const char *token_hash, time_t now, time_t expires_at)
{
	sqlite3_stmt *s = prep(st, "UPDATE session SET last_seen = ?2, expires_at = ?3 "
	    "WHERE token_hash = ?1 AND expires_at > ?2");

	if (s == NULL)
		return STORE_IO;
	bind_str(s, 1, token_hash);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)now);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)expires_at);
	return run_changed(st, s);
}

/* Logging out twice is not an error. */
int
store_session_delete(struct store *st, const char *token_hash)
{
	sqlite3_stmt *s = prep(st, "DELETE FROM session WHERE token_hash = ?1");

	if (s == NULL)
		return STORE_IO;
	bind_str(s, 1, token_hash);
	return run(st, s);
}

int
store_sessions_delete_person(struct store *st, int64_t person_id)
{
	sqlite3_stmt *s = prep(st, "DELETE FROM session WHERE person_id = ?1");

	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, person_id);
	return run(st, s);
}

int
store_sessions_prune(struct store *st, time_t now, time_t before)
{
	sqlite3_stmt *s;
	struct tx t;
	int rc;

	if ((rc = tx_begin(st, &t)) != STORE_OK)
		return rc;
	if ((s = prep(st, "DELETE FROM session WHERE expires_at <= ?1")) == NULL) {
		rc = STORE_IO;
		goto out;
	}
	sqlite3_bind_int64(s, 1, (sqlite3_int64)now);
	if ((rc = run(st, s)) != STORE_OK)
		goto out;
	if ((s = prep(st, "DELETE FROM login_failure WHERE at < ?1")) == NULL) {
		rc = STORE_IO;
		goto out;
	}
	sqlite3_bind_int64(s, 1, (sqlite3_int64)before);
	rc = run(st, s);
out:
	return tx_end(st, &t, rc);
}

/* ---- the login limit ---- */

int
store_login_failure_add(struct store *st, const char *key, time_t at)
{
	sqlite3_stmt *s = prep(st, "INSERT INTO login_failure (key, at) VALUES (?1, ?2)");

	if (s == NULL)
		return STORE_IO;
	bind_str(s, 1, key);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)at);
	return run(st, s);
}

int
store_login_failures(struct store *st, const char *key, time_t since, int *count)
{
	sqlite3_stmt *s = prep(st, "SELECT count(*) FROM login_failure WHERE key = ?1 AND at >= ?2");
	int rc;

	*count = 0;
	if (s == NULL)
		return STORE_IO;
	bind_str(s, 1, key);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)since);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*count = sqlite3_column_int(s, 0);
	return finish(st, s, rc);
}

int
store_login_failures_clear(struct store *st, const char *key)
{
	sqlite3_stmt *s = prep(st, "DELETE FROM login_failure WHERE key = ?1");

	if (s == NULL)
		return STORE_IO;
	bind_str(s, 1, key);
	return run(st, s);
}

/* ---- the audit log ---- */

int
store_audit_add(struct store *st, time_t at, int64_t person_id, const char *action,
    int64_t article_id, const char *detail, const char *remote)
{
	sqlite3_stmt *s = prep(st, "INSERT INTO audit (at, person_id, action, article_id, detail, remote) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");

	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)at);
	bind_id(s, 2, person_id);
	bind_str(s, 3, action);
	bind_id(s, 4, article_id);
	bind_str(s, 5, detail);
	bind_str(s, 6, remote);
	return run(st, s);
}

int
store_audit_list(struct store *st, struct arena *a, int64_t article_id, int limit,
    struct audit_row **out, int *n)
{
	sqlite3_stmt *s;
	struct audit_row *v = NULL, *r;
	int rc, cap = 0, cnt = 0;

	*out = NULL;
	*n = 0;
	if (limit < 1 || limit > 10000)
		return STORE_INVALID;
	/* Two texts rather than "?1 = 0 OR": each is served by its index
	 * (the rowid, or audit_article) without a sort. */
	s = prep(st, article_id ?
	    "SELECT a.id, a.at, coalesce(a.person_id, 0), coalesce(p.name, ''), a.action, "
	    "coalesce(a.article_id, 0), a.detail, a.remote FROM audit a "
	    "LEFT JOIN person p ON p.id = a.person_id WHERE a.article_id = ?1 "
	    "ORDER BY a.id DESC LIMIT ?2" :
	    "SELECT a.id, a.at, coalesce(a.person_id, 0), coalesce(p.name, ''), a.action, "
	    "coalesce(a.article_id, 0), a.detail, a.remote FROM audit a "
	    "LEFT JOIN person p ON p.id = a.person_id ORDER BY a.id DESC LIMIT ?2");
	if (s == NULL)
		return STORE_IO;
	if (article_id)
		sqlite3_bind_int64(s, 1, article_id);
	sqlite3_bind_int(s, 2, limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = arena_grow(a, v, cnt, &cap, sizeof *v);
		r = &v[cnt++];
		r->id = sqlite3_column_int64(s, 0);
		r->at = (time_t)sqlite3_column_int64(s, 1);
		r->person_id = sqlite3_column_int64(s, 2);
		r->person_name = col_str(a, s, 3);
		r->action = col_str(a, s, 4);
		r->article_id = sqlite3_column_int64(s, 5);
		r->detail = col_str(a, s, 6);
		r->remote = col_str(a, s, 7);
	}
	if ((rc = finish(st, s, rc)) != STORE_OK)
		return rc;
	*out = v;
	*n = cnt;
	return STORE_OK;
}

/* ---- revisions ---- */

int
store_revision_add(struct store *st, int64_t article_id, int version, int64_t person_id, time_t at,
    const char *snapshot, int64_t *id)
{
	sqlite3_stmt *s = prep(st, "INSERT INTO revision (article_id, version, person_id, at, snapshot) "
	    "VALUES (?1, ?2, ?3, ?4, ?5)");
	int rc;

	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, article_id);
	sqlite3_bind_int(s, 2, version);
	bind_id(s, 3, person_id);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)at);
	bind_str(s, 5, snapshot);
	rc = run(st, s);
	if (rc == STORE_OK && id)
		*id = sqlite3_last_insert_rowid(store__db(st));
	return rc;
}

#define REVISION_COLS "r.id, r.article_id, r.version, coalesce(r.person_id, 0), " \
	"coalesce(p.name, ''), r.at"

static void
read_revision(struct arena *a, sqlite3_stmt *s, struct revision_row *r)
{
	r->id = sqlite3_column_int64(s, 0);
	r->article_id = sqlite3_column_int64(s, 1);
	r->version = sqlite3_column_int(s, 2);
	r->person_id = sqlite3_column_int64(s, 3);
	r->person_name = col_str(a, s, 4);
	r->at = (time_t)sqlite3_column_int64(s, 5);
	r->snapshot = NULL;
}

int
store_revisions_list(struct store *st, struct arena *a, int64_t article_id,
    struct revision_row **out, int *n)
{
	sqlite3_stmt *s;
	struct revision_row *v = NULL;
	int rc, cap = 0, cnt = 0;

	*out = NULL;
	*n = 0;
	s = prep(st, "SELECT " REVISION_COLS " FROM revision r LEFT JOIN person p ON p.id = r.person_id "
	    "WHERE r.article_id = ?1 ORDER BY r.id DESC");
	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, article_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = arena_grow(a, v, cnt, &cap, sizeof *v);
		read_revision(a, s, &v[cnt++]);
	}
	if ((rc = finish(st, s, rc)) != STORE_OK)
		return rc;
	*out = v;
	*n = cnt;
	return STORE_OK;
}

int
store_revision_get(struct store *st, struct arena *a, int64_t id, struct revision_row *out)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof *out);
	s = prep(st, "SELECT " REVISION_COLS ", r.snapshot FROM revision r "
	    "LEFT JOIN person p ON p.id = r.person_id WHERE r.id = ?1");
	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(s);
		return STORE_NOTFOUND;
	}
	if (rc == SQLITE_ROW) {
		read_revision(a, s, out);
		out->snapshot = col_str(a, s, 6);
	}
	return finish(st, s, rc);
}

/* ---- corrections ---- */

static const char *const correction_names[CORRECTION__MAX] = {
	"correction", "rebuttal", "follow-up" };
static const char *const correction_labels[CORRECTION__MAX] = {
	"정정보도", "반론보도", "추후보도" };

const char *
correction_kind_name(enum correction_kind k)
{
	return (unsigned)k < CORRECTION__MAX ? correction_names[k] : "?";
}

const char *
correction_kind_label(enum correction_kind k)
{
	return (unsigned)k < CORRECTION__MAX ? correction_labels[k] : "?";
}

int
correction_kind_parse(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < CORRECTION__MAX; i++)
		if (strcmp(correction_names[i], name) == 0)
			return i;
	return -1;
}

/* The article's updated_at only moves forward: a correction dated before
 * the last edit must not make feeds and caches think it older. */
int
store_correction_add(struct store *st, struct correction *c)
{
	sqlite3_stmt *s;
	struct tx t;
	int rc;

	if ((unsigned)c->kind >= CORRECTION__MAX || c->text == NULL || c->text[0] == '\0')
		return STORE_INVALID;
	if ((rc = tx_begin(st, &t)) != STORE_OK)
		return rc;
	if ((s = prep(st, "UPDATE article SET updated_at = max(updated_at, ?2) WHERE id = ?1")) == NULL) {
		rc = STORE_IO;
		goto out;
	}
	sqlite3_bind_int64(s, 1, c->article_id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)c->created_at);
	if ((rc = run_changed(st, s)) != STORE_OK)
		goto out;
	s = prep(st, "INSERT INTO correction (article_id, kind, at, text, person_id, created_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (s == NULL) {
		rc = STORE_IO;
		goto out;
	}
	sqlite3_bind_int64(s, 1, c->article_id);
	bind_str(s, 2, correction_kind_name(c->kind));
	sqlite3_bind_int64(s, 3, (sqlite3_int64)c->at);
	bind_str(s, 4, c->text);
	bind_id(s, 5, c->person_id);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)c->created_at);
	if ((rc = run(st, s)) == STORE_OK)
		c->id = sqlite3_last_insert_rowid(store__db(st));
out:
	return tx_end(st, &t, rc);
}

/* ---- API tokens ---- */

int
store_token_create(struct store *st, int64_t person_id, const char *token_hash, const char *name,
    time_t now, int64_t *id)
{
	sqlite3_stmt *s;
	int rc;

	if (token_hash == NULL || token_hash[0] == '\0')
		return STORE_INVALID;
	s = prep(st, "INSERT INTO api_token (person_id, token_hash, name, created_at) VALUES (?1, ?2, ?3, ?4)");
	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, person_id);
	bind_str(s, 2, token_hash);
	bind_str(s, 3, name);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)now);
	rc = run(st, s);
	if (rc == STORE_OK && id)
		*id = sqlite3_last_insert_rowid(store__db(st));
	return rc;
}

/* last_used is kept to the minute: every commit moves the data version
 * that the public page cache follows, so a client calling many times a
 * minute must not empty that cache each time. */
int
store_token_lookup(struct store *st, struct arena *a, const char *token_hash, time_t now,
    struct person *who, int64_t *token_id)
{
	sqlite3_stmt *s;
	int64_t tid = 0;
	int rc, role;

	memset(who, 0, sizeof *who);
	s = prep(st, "SELECT t.id, p.id, p.name, p.email, p.role, p.active FROM api_token t "
	    "JOIN person p ON p.id = t.person_id "
	    "WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND p.active = 1");
	if (s == NULL)
		return STORE_IO;
	bind_str(s, 1, token_hash);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(s);
		return STORE_NOTFOUND;
	}
	if (rc == SQLITE_ROW) {
		tid = sqlite3_column_int64(s, 0);
		who->id = sqlite3_column_int64(s, 1);
		who->name = col_str(a, s, 2);
		who->email = col_str(a, s, 3);
		role = person_role_parse((const char *)sqlite3_column_text(s, 4));
		who->role = role < 0 ? ROLE_REPORTER : (enum person_role)role;
		who->active = sqlite3_column_int(s, 5);
	}
	if ((rc = finish(st, s, rc)) != STORE_OK)
		return rc;
	if (token_id)
		*token_id = tid;
	s = prep(st, "UPDATE api_token SET last_used = ?2 WHERE id = ?1 "
	    "AND (last_used IS NULL OR last_used <= ?2 - 60 OR last_used > ?2)");
	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, tid);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)now);
	return run(st, s);
}

/* Revoking a revoked token keeps its first revocation time. */
int
store_token_revoke(struct store *st, int64_t id, time_t now)
{
	sqlite3_stmt *s = prep(st, "UPDATE api_token SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1");

	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)now);
	return run_changed(st, s);
}

int
store_tokens_list(struct store *st, struct arena *a, int64_t person_id,
    struct api_token_row **out, int *n)
{
	sqlite3_stmt *s;
	struct api_token_row *v = NULL, *r;
	int rc, cap = 0, cnt = 0;

	*out = NULL;
	*n = 0;
	s = prep(st, "SELECT t.id, t.person_id, p.email, t.name, t.created_at, coalesce(t.last_used, 0), "
	    "coalesce(t.revoked_at, 0) FROM api_token t JOIN person p ON p.id = t.person_id "
	    "WHERE ?1 = 0 OR t.person_id = ?1 ORDER BY t.created_at DESC, t.id DESC");
	if (s == NULL)
		return STORE_IO;
	sqlite3_bind_int64(s, 1, person_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = arena_grow(a, v, cnt, &cap, sizeof *v);
		r = &v[cnt++];
		r->id = sqlite3_column_int64(s, 0);
		r->person_id = sqlite3_column_int64(s, 1);
		r->person_email = col_str(a, s, 2);
		r->name = col_str(a, s, 3);
		r->created_at = (time_t)sqlite3_column_int64(s, 4);
		r->last_used = (time_t)sqlite3_column_int64(s, 5);
		r->revoked_at = (time_t)sqlite3_column_int64(s, 6);
	}
	if ((rc = finish(st, s, rc)) != STORE_OK)
		return rc;
	*out = v;
	*n = cnt;
	return STORE_OK;
}
