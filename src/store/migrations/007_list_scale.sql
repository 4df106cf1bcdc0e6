-- 007: list pages at a million articles (issue 7).
--
-- A reporter's or a tag's page lists published articles newest first, but
-- the byline and tag rows did not know an article's status or publication
-- time, so a deep page read the whole article index and probed the byline
-- table for every row (0.3 s for page 1,000 of a reporter at a million).
-- Each byline and tag row now carries a copy of its article's status and
-- published_at, kept by triggers, and an index in list order: page N is an
-- index-only walk of N*20 entries, like a section's page.
ALTER TABLE article_byline ADD COLUMN status TEXT;
ALTER TABLE article_byline ADD COLUMN published_at INTEGER;
ALTER TABLE article_tag ADD COLUMN status TEXT;
ALTER TABLE article_tag ADD COLUMN published_at INTEGER;

UPDATE article_byline SET (status, published_at) = (a.status, a.published_at)
	FROM article a WHERE a.id = article_byline.article_id;
UPDATE article_tag SET (status, published_at) = (a.status, a.published_at)
	FROM article a WHERE a.id = article_tag.article_id;

CREATE INDEX article_byline_list ON article_byline(person_id, status, published_at DESC, article_id DESC);
CREATE INDEX article_tag_list ON article_tag(tag_id, status, published_at DESC, article_id DESC);

-- Bylines and tags are written after their article's row.
CREATE TRIGGER article_byline_list_ai AFTER INSERT ON article_byline BEGIN
	UPDATE article_byline SET (status, published_at) =
		(SELECT status, published_at FROM article WHERE id = new.article_id)
		WHERE article_id = new.article_id AND person_id = new.person_id;
END;
CREATE TRIGGER article_tag_list_ai AFTER INSERT ON article_tag BEGIN
	UPDATE article_tag SET (status, published_at) =
		(SELECT status, published_at FROM article WHERE id = new.article_id)
		WHERE article_id = new.article_id AND tag_id = new.tag_id;
END;
CREATE TRIGGER article_list_au AFTER UPDATE OF status, published_at ON article
	WHEN old.status IS NOT new.status OR old.published_at IS NOT new.published_at BEGIN
	UPDATE article_byline SET (status, published_at) = (new.status, new.published_at) WHERE article_id = new.id;
	UPDATE article_tag SET (status, published_at) = (new.status, new.published_at) WHERE article_id = new.id;
END;

-- The number of articles per section and status, for a list page's
-- pagination: counting a section's 125,000 entries of the index took 6 ms
-- a request, as long as the walk to page 5,000 itself.
CREATE TABLE article_count (
	section_id INTEGER NOT NULL,
	status     TEXT NOT NULL,
	n          INTEGER NOT NULL,
	PRIMARY KEY (section_id, status)
) WITHOUT ROWID;
INSERT INTO article_count (section_id, status, n)
	SELECT section_id, status, count(*) FROM article GROUP BY section_id, status;

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
