-- 013: a generation of what the public site shows (issue 7).
--
-- The rendered-page cache went stale at every commit of any connection
-- (PRAGMA data_version): a reporter's draft saved, a session's last-seen
-- time, a failed login, a revision, an audit line, each emptied the cache
-- of every public page and search.  Now every write that can change what
-- a public page shows moves site_gen.gen, by the triggers below, and the
-- site reads it when data_version has moved (store_site_version).
--
-- Shown, so counted: published articles (their rows, bodies, bylines and
-- tags, and any article going into or out of 'published'), corrections,
-- people, sections, settings, tags (renamed or removed), weather
-- observations; the search
-- index is written with the article it indexes, and rebuilt with an
-- explicit move (store_search_reindex).  Not shown: drafts and other
-- unpublished articles, revisions, sessions, API tokens, failed logins,
-- the audit log; the counters of 007, 010 and 011 follow the article
-- tables.  tests/unit/test_cache.c holds every table to one list or the
-- other, so a table added later is counted or named as not shown.
CREATE TABLE site_gen (
	id  INTEGER PRIMARY KEY CHECK (id = 1),
	gen INTEGER NOT NULL
);
INSERT INTO site_gen (id, gen) VALUES (1, 1);

CREATE TRIGGER site_gen_article_ai AFTER INSERT ON article WHEN new.status = 'published' BEGIN
	UPDATE site_gen SET gen = gen + 1;
END;
CREATE TRIGGER site_gen_article_au AFTER UPDATE ON article
	WHEN old.status = 'published' OR new.status = 'published' BEGIN
	UPDATE site_gen SET gen = gen + 1;
END;
CREATE TRIGGER site_gen_article_ad AFTER DELETE ON article WHEN old.status = 'published' BEGIN
	UPDATE site_gen SET gen = gen + 1;
END;

CREATE TRIGGER site_gen_article_body_ai AFTER INSERT ON article_body
	WHEN (SELECT status FROM article WHERE id = new.article_id) = 'published' BEGIN
	UPDATE site_gen SET gen = gen + 1;
END;
CREATE TRIGGER site_gen_article_body_au AFTER UPDATE ON article_body
	WHEN (SELECT status FROM article WHERE id = new.article_id) = 'published'
	OR (SELECT status FROM article WHERE id = old.article_id) = 'published' BEGIN
	UPDATE site_gen SET gen = gen + 1;
END;
CREATE TRIGGER site_gen_article_body_ad AFTER DELETE ON article_body
	WHEN (SELECT status FROM article WHERE id = old.article_id) = 'published' BEGIN
	UPDATE site_gen SET gen = gen + 1;
END;

-- Byline and tag rows carry their article's status (007).
CREATE TRIGGER site_gen_article_byline_ai AFTER INSERT ON article_byline WHEN new.status = 'published' BEGIN
	UPDATE site_gen SET gen = gen + 1;
END;
CREATE TRIGGER site_gen_article_byline_au AFTER UPDATE ON article_byline
	WHEN old.status = 'published' OR new.status = 'published' BEGIN
	UPDATE site_gen SET gen = gen + 1;
END;
CREATE TRIGGER site_gen_article_byline_ad AFTER DELETE ON article_byline WHEN old.status = 'published' BEGIN
	UPDATE site_gen SET gen = gen + 1;
END;
CREATE TRIGGER site_gen_article_tag_ai AFTER INSERT ON article_tag WHEN new.status = 'published' BEGIN
	UPDATE site_gen SET gen = gen + 1;
END;
CREATE TRIGGER site_gen_article_tag_au AFTER UPDATE ON article_tag
	WHEN old.status = 'published' OR new.status = 'published' BEGIN
	UPDATE site_gen SET gen = gen + 1;
END;
CREATE TRIGGER site_gen_article_tag_ad AFTER DELETE ON article_tag WHEN old.status = 'published' BEGIN
	UPDATE site_gen SET gen = gen + 1;
END;

CREATE TRIGGER site_gen_correction_ai AFTER INSERT ON correction BEGIN UPDATE site_gen SET gen = gen + 1; END;
CREATE TRIGGER site_gen_correction_au AFTER UPDATE ON correction BEGIN UPDATE site_gen SET gen = gen + 1; END;
CREATE TRIGGER site_gen_correction_ad AFTER DELETE ON correction BEGIN UPDATE site_gen SET gen = gen + 1; END;
CREATE TRIGGER site_gen_person_ai AFTER INSERT ON person BEGIN UPDATE site_gen SET gen = gen + 1; END;
CREATE TRIGGER site_gen_person_au AFTER UPDATE ON person BEGIN UPDATE site_gen SET gen = gen + 1; END;
CREATE TRIGGER site_gen_person_ad AFTER DELETE ON person BEGIN UPDATE site_gen SET gen = gen + 1; END;
CREATE TRIGGER site_gen_section_ai AFTER INSERT ON section BEGIN UPDATE site_gen SET gen = gen + 1; END;
CREATE TRIGGER site_gen_section_au AFTER UPDATE ON section BEGIN UPDATE site_gen SET gen = gen + 1; END;
CREATE TRIGGER site_gen_section_ad AFTER DELETE ON section BEGIN UPDATE site_gen SET gen = gen + 1; END;
CREATE TRIGGER site_gen_setting_ai AFTER INSERT ON setting BEGIN UPDATE site_gen SET gen = gen + 1; END;
CREATE TRIGGER site_gen_setting_au AFTER UPDATE ON setting BEGIN UPDATE site_gen SET gen = gen + 1; END;
CREATE TRIGGER site_gen_setting_ad AFTER DELETE ON setting BEGIN UPDATE site_gen SET gen = gen + 1; END;
-- A new tag shows nowhere until a published article carries it (that
-- article_tag row moves the generation): reporters make tags with drafts.
CREATE TRIGGER site_gen_tag_au AFTER UPDATE ON tag BEGIN UPDATE site_gen SET gen = gen + 1; END;
CREATE TRIGGER site_gen_tag_ad AFTER DELETE ON tag BEGIN UPDATE site_gen SET gen = gen + 1; END;
CREATE TRIGGER site_gen_weather_obs_ai AFTER INSERT ON weather_obs BEGIN UPDATE site_gen SET gen = gen + 1; END;
CREATE TRIGGER site_gen_weather_obs_au AFTER UPDATE ON weather_obs BEGIN UPDATE site_gen SET gen = gen + 1; END;
CREATE TRIGGER site_gen_weather_obs_ad AFTER DELETE ON weather_obs BEGIN UPDATE site_gen SET gen = gen + 1; END;
