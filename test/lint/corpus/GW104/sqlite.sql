-- case: unsafe DELETE without WHERE is SQLite's truncate
-- expect: GW104@3
DELETE FROM sessions;

-- case: unsafe DELETE FROM a quoted table name
-- migration: phase=post
-- expect: GW104@8
DELETE FROM "old sessions";

-- case: safe DELETE with a WHERE clause, even with a subquery
-- expect: none
DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE deleted = 1);

-- case: safe a WHERE inside a string does not count, but this delete has a real WHERE
-- expect: none
DELETE FROM notes WHERE body = 'DELETE FROM notes';
