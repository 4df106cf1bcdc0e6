-- 006: the newsroom: sessions, the login limit, the audit log, revisions,
-- corrections, API tokens, the desk's note to a reporter, front-page
-- curation.

-- What the desk wrote when it returned an article to its reporter.
ALTER TABLE article ADD COLUMN desk_note TEXT NOT NULL DEFAULT '';
CREATE INDEX article_status_sched ON article(status, scheduled_at);
CREATE INDEX article_status_upd ON article(status, updated_at DESC, id DESC);

-- A logged-in browser.  The cookie holds a random token; only its hash is
-- kept, so a copy of the database opens no session.
CREATE TABLE session (
	token_hash TEXT PRIMARY KEY,
	person_id  INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	last_seen  INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	remote     TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX session_person ON session(person_id);
CREATE INDEX session_expiry ON session(expires_at);

-- Failed logins, keyed 'email:ADDRESS' or 'addr:IP'.
CREATE TABLE login_failure (
	key TEXT NOT NULL,
	at  INTEGER NOT NULL
);
CREATE INDEX login_failure_key ON login_failure(key, at);

-- Who did what, when: every workflow transition and newsroom write.
CREATE TABLE audit (
	id         INTEGER PRIMARY KEY,
	at         INTEGER NOT NULL,
	person_id  INTEGER REFERENCES person(id),
	action     TEXT NOT NULL,
	article_id INTEGER,
	detail     TEXT NOT NULL DEFAULT '',
	remote     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_article ON audit(article_id, id);

-- A full snapshot (interchange JSON) of an article as saved.
CREATE TABLE revision (
	id         INTEGER PRIMARY KEY,
	article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
	version    INTEGER NOT NULL,
	person_id  INTEGER REFERENCES person(id),
	at         INTEGER NOT NULL,
	snapshot   TEXT NOT NULL
);
CREATE INDEX revision_article ON revision(article_id, id);

-- 정정보도, 반론보도, 추후보도: shown with the article, never deleted or
-- changed, only followed by another.
CREATE TABLE correction (
	id         INTEGER PRIMARY KEY,
	article_id INTEGER NOT NULL REFERENCES article(id),
	kind       TEXT NOT NULL CHECK (kind IN ('correction', 'rebuttal', 'follow-up')),
	at         INTEGER NOT NULL,
	text       TEXT NOT NULL,
	person_id  INTEGER REFERENCES person(id),
	created_at INTEGER NOT NULL
);
CREATE INDEX correction_article ON correction(article_id, id);
CREATE TRIGGER correction_never_deleted BEFORE DELETE ON correction
BEGIN
	SELECT RAISE(ABORT, 'a correction is never deleted');
END;
CREATE TRIGGER correction_never_changed BEFORE UPDATE ON correction
BEGIN
	SELECT RAISE(ABORT, 'a correction is never changed');
END;

-- Tokens for the JSON API; only their hash is kept.
CREATE TABLE api_token (
	id         INTEGER PRIMARY KEY,
	person_id  INTEGER NOT NULL REFERENCES person(id),
	token_hash TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	last_used  INTEGER,
	revoked_at INTEGER
);

-- Front-page curation: the top story's id and the featured ids in order
-- (space separated); "" lets the newest articles fill the page.
INSERT INTO setting (key, value) VALUES ('front.top', ''), ('front.featured', '');
