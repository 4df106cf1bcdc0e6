-- 009: a search within a section or by a reporter is answered by the
-- index.  Those filters were checked match by match against the article
-- table, so a filter that keeps few of a word's matches walked many of
-- them (22 ms for 경제 10년 in one section, 42 ms by one reporter within a
-- period, at a million articles).  The third column holds each article's
-- section and people as facet terms (src/search/search.h), and a filter
-- is one more phrase of the MATCH: FTS5 intersects the lists and skips.
-- The index is rebuilt at the next start (sinmun init or serve).
DROP TABLE article_fts;
CREATE VIRTUAL TABLE article_fts USING fts5(title, body, facets, tokenize = 'ko');

INSERT INTO setting (key, value)
	SELECT 'search.reindex_needed', '1' WHERE EXISTS (SELECT 1 FROM article)
	ON CONFLICT (key) DO UPDATE SET value = '1';
