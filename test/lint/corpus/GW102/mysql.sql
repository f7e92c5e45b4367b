-- case: unsafe drop an existing table
-- expect: GW102@3
DROP TABLE users;

-- case: unsafe drop a qualified table in a post migration
-- migration: phase=post
-- expect: GW102@8
DROP TABLE IF EXISTS app.sessions;

-- case: safe dropping a view loses no data
-- expect: none
DROP VIEW active_users;

-- case: safe create and drop in the same migration
-- options: rule.GW402=off
-- expect: none
CREATE TABLE scratch (id int);
DROP TABLE scratch;
