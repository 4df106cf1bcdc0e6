-- 005: newsroom accounts.  A one-time password printed by 'sinmun user'
-- must be changed at the first login.
ALTER TABLE person ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
