-- 010: the number of a reporter's or a tag's articles by status, for the
-- pagination of their pages.  Counting a reporter's 42,000 entries of the
-- byline index was most of a reporter page at a million articles (2 of
-- 2.1 ms a page); section pages have had article_count since 007.  The
-- byline and tag rows carry their article's status since 007 (kept by the
-- triggers there), so these counters follow those rows.
CREATE TABLE link_count (
	list   TEXT NOT NULL,      -- 'person' or 'tag'
	key    INTEGER NOT NULL,   -- the person's or the tag's id
	status TEXT NOT NULL,
	n      INTEGER NOT NULL,
	PRIMARY KEY (list, key, status)
) WITHOUT ROWID;
INSERT INTO link_count (list, key, status, n)
	SELECT 'person', person_id, status, count(*) FROM article_byline
	WHERE status IS NOT NULL GROUP BY person_id, status;
INSERT INTO link_count (list, key, status, n)
	SELECT 'tag', tag_id, status, count(*) FROM article_tag
	WHERE status IS NOT NULL GROUP BY tag_id, status;

CREATE TRIGGER link_count_byline_ai AFTER INSERT ON article_byline WHEN new.status IS NOT NULL BEGIN
	INSERT INTO link_count (list, key, status, n) VALUES ('person', new.person_id, new.status, 1)
		ON CONFLICT (list, key, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER link_count_byline_ad AFTER DELETE ON article_byline WHEN old.status IS NOT NULL BEGIN
	UPDATE link_count SET n = n - 1 WHERE list = 'person' AND key = old.person_id AND status = old.status;
END;
CREATE TRIGGER link_count_byline_au AFTER UPDATE OF status, person_id ON article_byline
	WHEN old.status IS NOT new.status OR old.person_id IS NOT new.person_id BEGIN
	UPDATE link_count SET n = n - 1
		WHERE old.status IS NOT NULL AND list = 'person' AND key = old.person_id AND status = old.status;
	INSERT INTO link_count (list, key, status, n)
		SELECT 'person', new.person_id, new.status, 1 WHERE new.status IS NOT NULL
		ON CONFLICT (list, key, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER link_count_tag_ai AFTER INSERT ON article_tag WHEN new.status IS NOT NULL BEGIN
	INSERT INTO link_count (list, key, status, n) VALUES ('tag', new.tag_id, new.status, 1)
		ON CONFLICT (list, key, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER link_count_tag_ad AFTER DELETE ON article_tag WHEN old.status IS NOT NULL BEGIN
	UPDATE link_count SET n = n - 1 WHERE list = 'tag' AND key = old.tag_id AND status = old.status;
END;
CREATE TRIGGER link_count_tag_au AFTER UPDATE OF status, tag_id ON article_tag
	WHEN old.status IS NOT new.status OR old.tag_id IS NOT new.tag_id BEGIN
	UPDATE link_count SET n = n - 1
		WHERE old.status IS NOT NULL AND list = 'tag' AND key = old.tag_id AND status = old.status;
	INSERT INTO link_count (list, key, status, n)
		SELECT 'tag', new.tag_id, new.status, 1 WHERE new.status IS NOT NULL
		ON CONFLICT (list, key, status) DO UPDATE SET n = n + 1;
END;
