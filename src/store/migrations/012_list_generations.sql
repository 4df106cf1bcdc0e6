-- 012: a generation for every list counter (issue 7).
--
-- A deep page of a long list starts from marks a server sets while
-- walking it (store_articles_list).  They were kept while the database
-- did not change at all, so any commit threw away the marks of every
-- list: a draft saved, a login, a weather observation, and the next deep
-- page of each section and reporter walked up to half of it again (at a
-- million articles, the p99 of those pages).  Now each counter row of
-- 007 and 010 carries a generation that grows with every change to the
-- rows it counts: one going in or out, and one whose publication time
-- moves (the order of the list).  The sum of n and gen over the rows a
-- list counts names that list's state: the marks of a list stay good
-- while neither changes.  Rows are never deleted, and a new row starts at
-- gen 1, so a sum never comes back to a value it had.
ALTER TABLE article_count ADD COLUMN gen INTEGER NOT NULL DEFAULT 1;
ALTER TABLE link_count ADD COLUMN gen INTEGER NOT NULL DEFAULT 1;

DROP TRIGGER article_count_ai;
DROP TRIGGER article_count_ad;
DROP TRIGGER article_count_au;
CREATE TRIGGER article_count_ai AFTER INSERT ON article BEGIN
	INSERT INTO article_count (section_id, status, n) VALUES (new.section_id, new.status, 1)
		ON CONFLICT (section_id, status) DO UPDATE SET n = n + 1, gen = gen + 1;
END;
CREATE TRIGGER article_count_ad AFTER DELETE ON article BEGIN
	UPDATE article_count SET n = n - 1, gen = gen + 1 WHERE section_id = old.section_id AND status = old.status;
END;
CREATE TRIGGER article_count_au AFTER UPDATE OF section_id, status ON article
	WHEN old.section_id IS NOT new.section_id OR old.status IS NOT new.status BEGIN
	UPDATE article_count SET n = n - 1, gen = gen + 1 WHERE section_id = old.section_id AND status = old.status;
	INSERT INTO article_count (section_id, status, n) VALUES (new.section_id, new.status, 1)
		ON CONFLICT (section_id, status) DO UPDATE SET n = n + 1, gen = gen + 1;
END;
-- Same section and status, another place in the list.
CREATE TRIGGER article_count_pub_au AFTER UPDATE OF published_at ON article
	WHEN old.published_at IS NOT new.published_at BEGIN
	UPDATE article_count SET gen = gen + 1 WHERE section_id = new.section_id AND status = new.status;
END;

DROP TRIGGER link_count_byline_ai;
DROP TRIGGER link_count_byline_ad;
DROP TRIGGER link_count_byline_au;
CREATE TRIGGER link_count_byline_ai AFTER INSERT ON article_byline WHEN new.status IS NOT NULL BEGIN
	INSERT INTO link_count (list, key, status, n) VALUES ('person', new.person_id, new.status, 1)
		ON CONFLICT (list, key, status) DO UPDATE SET n = n + 1, gen = gen + 1;
END;
CREATE TRIGGER link_count_byline_ad AFTER DELETE ON article_byline WHEN old.status IS NOT NULL BEGIN
	UPDATE link_count SET n = n - 1, gen = gen + 1
		WHERE list = 'person' AND key = old.person_id AND status = old.status;
END;
CREATE TRIGGER link_count_byline_au AFTER UPDATE OF status, person_id ON article_byline
	WHEN old.status IS NOT new.status OR old.person_id IS NOT new.person_id BEGIN
	UPDATE link_count SET n = n - 1, gen = gen + 1
		WHERE old.status IS NOT NULL AND list = 'person' AND key = old.person_id AND status = old.status;
	INSERT INTO link_count (list, key, status, n)
		SELECT 'person', new.person_id, new.status, 1 WHERE new.status IS NOT NULL
		ON CONFLICT (list, key, status) DO UPDATE SET n = n + 1, gen = gen + 1;
END;
CREATE TRIGGER link_count_byline_pub_au AFTER UPDATE OF published_at ON article_byline
	WHEN old.published_at IS NOT new.published_at AND new.status IS NOT NULL BEGIN
	UPDATE link_count SET gen = gen + 1 WHERE list = 'person' AND key = new.person_id AND status = new.status;
END;

DROP TRIGGER link_count_tag_ai;
DROP TRIGGER link_count_tag_ad;
DROP TRIGGER link_count_tag_au;
CREATE TRIGGER link_count_tag_ai AFTER INSERT ON article_tag WHEN new.status IS NOT NULL BEGIN
	INSERT INTO link_count (list, key, status, n) VALUES ('tag', new.tag_id, new.status, 1)
		ON CONFLICT (list, key, status) DO UPDATE SET n = n + 1, gen = gen + 1;
END;
CREATE TRIGGER link_count_tag_ad AFTER DELETE ON article_tag WHEN old.status IS NOT NULL BEGIN
	UPDATE link_count SET n = n - 1, gen = gen + 1
		WHERE list = 'tag' AND key = old.tag_id AND status = old.status;
END;
CREATE TRIGGER link_count_tag_au AFTER UPDATE OF status, tag_id ON article_tag
	WHEN old.status IS NOT new.status OR old.tag_id IS NOT new.tag_id BEGIN
	UPDATE link_count SET n = n - 1, gen = gen + 1
		WHERE old.status IS NOT NULL AND list = 'tag' AND key = old.tag_id AND status = old.status;
	INSERT INTO link_count (list, key, status, n)
		SELECT 'tag', new.tag_id, new.status, 1 WHERE new.status IS NOT NULL
		ON CONFLICT (list, key, status) DO UPDATE SET n = n + 1, gen = gen + 1;
END;
CREATE TRIGGER link_count_tag_pub_au AFTER UPDATE OF published_at ON article_tag
	WHEN old.published_at IS NOT new.published_at AND new.status IS NOT NULL BEGIN
	UPDATE link_count SET gen = gen + 1 WHERE list = 'tag' AND key = new.tag_id AND status = new.status;
END;
