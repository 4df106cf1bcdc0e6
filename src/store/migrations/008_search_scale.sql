-- 008: search with filters at a million articles (issue 7).
--
-- A search walks its matches newest first in the full-text index and keeps
-- those in the section, by the reporter and in the period asked for.  The
-- section and the publication time of each match were read from the article
-- row, a page of its own per article (the body is in the row): 25-50 ms for
-- a section and over 100 ms for a month at a million articles.  This narrow
-- index answers both from a few dense pages, and the ranking's publication
-- times with them.
CREATE INDEX article_search ON article(id, section_id, published_at);

-- The ids of the articles published on each day (UTC days of
-- published_at): a period becomes a range of ids that FTS5 can seek to,
-- instead of a walk over every newer match.  The range only ever widens (an
-- unpublished or moved article leaves it as it was), so it always holds
-- every article published that day, which is all a search needs of it.
CREATE TABLE article_day (
	day    INTEGER PRIMARY KEY,
	min_id INTEGER NOT NULL,
	max_id INTEGER NOT NULL
);
INSERT INTO article_day (day, min_id, max_id)
	SELECT published_at / 86400, min(id), max(id) FROM article
	WHERE status = 'published' AND published_at IS NOT NULL GROUP BY published_at / 86400;

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
