-- 004: the search tokenizer's terms changed (suffix terms of letter and
-- digit runs are marked; separators between runs are terms): an index
-- made before is rebuilt at the next start.
INSERT INTO setting (key, value)
	SELECT 'search.reindex_needed', '1' WHERE EXISTS (SELECT 1 FROM article)
	ON CONFLICT (key) DO UPDATE SET value = '1';
