-- 011: article bodies in a table of their own (issue 7).
--
-- A list page (a section, a reporter, the front page) reads twenty article
-- rows for their headlines, leads and bylines, never their bodies.  With
-- the body in the row an article took ~2.3 KB, so one row filled a 4 KB
-- page and the article table of a million articles was 3.3 GB, more than
-- the kernel kept cached on a busy machine: a deep page read its rows from
-- disk (p99 26-65 ms at eight connections).  Without the body a row is
-- ~0.5 KB, seven to a page, and the rows the lists read are a sixth of the
-- size; the body is read only by the article page, the search index and
-- the newsroom.
CREATE TABLE article_body (
	article_id  INTEGER PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,
	body        TEXT NOT NULL DEFAULT '',
	body_source TEXT
);
INSERT INTO article_body (article_id, body, body_source)
	SELECT id, body, body_source FROM article ORDER BY id;
ALTER TABLE article DROP COLUMN body_source;
ALTER TABLE article DROP COLUMN body;
