-- 011: article bodies in a table of their own (issue 7).
--
-- A list page (a section, a reporter, the front page) reads twenty article
-- rows for their headlines, leads and bylines, never their bodies.  With
-- the body in the row an article took ~2.3 KB, so one row filled a 4 KB
-- page and the article table of a million articles was 3.3 GB, more than
-- the kernel kept cached on a busy machine: a deep page read its rows from
-- disk (p99 26-65 ms at eight connections).  Without the body a row is
-- ~0.5 KB, seven to a page; the body is read only by the article page, the
-- search index and the newsroom.
--
-- The article table is made anew (SQLite's DROP COLUMN leaves every row on
-- a page of its own), with its indexes and triggers as 001-008 made them.
-- The line below has this migration run with foreign keys off and checked
-- before it commits, so dropping the old table deletes no byline, tag or
-- revision.
-- foreign_keys: off
CREATE TABLE article_body (
	article_id  INTEGER PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,
	body        TEXT NOT NULL DEFAULT '',
	body_source TEXT
);
INSERT INTO article_body (article_id, body, body_source)
	SELECT id, body, body_source FROM article ORDER BY id;

CREATE TABLE article_new (
	id             INTEGER PRIMARY KEY,
	section_id     INTEGER NOT NULL REFERENCES section(id),
	status         TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'scheduled', 'published', 'unpublished')),
	kind           TEXT NOT NULL DEFAULT 'own' CHECK (kind IN ('own', 'press-release', 'contribution', 'advertorial')),
	headline       TEXT NOT NULL,
	subtitle1      TEXT NOT NULL DEFAULT '',
	subtitle2      TEXT NOT NULL DEFAULT '',
	subtitle3      TEXT NOT NULL DEFAULT '',
	summary        TEXT NOT NULL DEFAULT '',
	slug           TEXT NOT NULL DEFAULT '',
	author_id      INTEGER REFERENCES person(id),
	display_byline TEXT NOT NULL DEFAULT '',
	source_note    TEXT NOT NULL DEFAULT '',
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	approved_at    INTEGER,
	published_at   INTEGER,
	scheduled_at   INTEGER,
	version        INTEGER NOT NULL DEFAULT 1,
	desk_note      TEXT NOT NULL DEFAULT ''
);
INSERT INTO article_new (id, section_id, status, kind, headline, subtitle1, subtitle2, subtitle3,
		summary, slug, author_id, display_byline, source_note, created_at, updated_at,
		approved_at, published_at, scheduled_at, version, desk_note)
	SELECT id, section_id, status, kind, headline, subtitle1, subtitle2, subtitle3,
		summary, slug, author_id, display_byline, source_note, created_at, updated_at,
		approved_at, published_at, scheduled_at, version, desk_note
	FROM article ORDER BY id;
DROP TABLE article;
-- The tables and triggers that name "article" are to name the new table:
-- a rename that leaves them as they are.
PRAGMA legacy_alter_table = ON;
ALTER TABLE article_new RENAME TO article;
PRAGMA legacy_alter_table = OFF;

CREATE INDEX article_status_pub ON article(status, published_at DESC, id DESC);
CREATE INDEX article_section_pub ON article(section_id, status, published_at DESC, id DESC);
CREATE INDEX article_status_sched ON article(status, scheduled_at);
CREATE INDEX article_status_upd ON article(status, updated_at DESC, id DESC);
CREATE INDEX article_search ON article(id, section_id, published_at);

CREATE TRIGGER article_list_au AFTER UPDATE OF status, published_at ON article
	WHEN old.status IS NOT new.status OR old.published_at IS NOT new.published_at BEGIN
	UPDATE article_byline SET (status, published_at) = (new.status, new.published_at) WHERE article_id = new.id;
	UPDATE article_tag SET (status, published_at) = (new.status, new.published_at) WHERE article_id = new.id;
END;
CREATE TRIGGER article_count_ai AFTER INSERT ON article BEGIN
	INSERT INTO article_count (section_id, status, n) VALUES (new.section_id, new.status, 1)
		ON CONFLICT (section_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER article_count_ad AFTER DELETE ON article BEGIN
	UPDATE article_count SET n = n - 1 WHERE section_id = old.section_id AND status = old.status;
END;
CREATE TRIGGER article_count_au AFTER UPDATE OF section_id, status ON article
	WHEN old.section_id IS NOT new.section_id OR old.status IS NOT new.status BEGIN
	UPDATE article_count SET n = n - 1 WHERE section_id = old.section_id AND status = old.status;
	INSERT INTO article_count (section_id, status, n) VALUES (new.section_id, new.status, 1)
		ON CONFLICT (section_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER article_day_ai AFTER INSERT ON article
	WHEN new.status = 'published' AND new.published_at IS NOT NULL BEGIN
	INSERT INTO article_day (day, min_id, max_id) VALUES (new.published_at / 86400, new.id, new.id)
		ON CONFLICT (day) DO UPDATE SET min_id = min(min_id, excluded.min_id),
			max_id = max(max_id, excluded.max_id);
END;
CREATE TRIGGER article_day_au AFTER UPDATE OF status, published_at ON article
	WHEN new.status = 'published' AND new.published_at IS NOT NULL BEGIN
	INSERT INTO article_day (day, min_id, max_id) VALUES (new.published_at / 86400, new.id, new.id)
		ON CONFLICT (day) DO UPDATE SET min_id = min(min_id, excluded.min_id),
			max_id = max(max_id, excluded.max_id);
END;
