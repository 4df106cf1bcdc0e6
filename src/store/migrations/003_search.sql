-- 003: full-text search.  article_fts indexes the published articles with
-- the Korean tokenizer "ko" (src/search/), which every connection
-- registers before it touches this table.  It keeps its own copy of the
-- plain text (the article keeps the HTML), which highlight() and snippet()
-- read.  Rowid = article id.

-- title: headline and subtitles, one a line; body: the body's plain text.
CREATE VIRTUAL TABLE article_fts USING fts5(title, body, tokenize = 'ko');

-- Articles written before this migration are not in the index yet: the
-- server rebuilds it at start-up when this is set.
INSERT INTO setting (key, value)
	SELECT 'search.reindex_needed', '1' WHERE EXISTS (SELECT 1 FROM article)
	ON CONFLICT (key) DO UPDATE SET value = '1';
