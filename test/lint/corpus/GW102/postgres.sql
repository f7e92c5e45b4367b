-- case: unsafe drop an existing table
-- expect: GW102@3
DROP TABLE users;

-- case: unsafe drop several tables, one finding each
-- migration: phase=post
-- expect: GW102@8 GW102@8
DROP TABLE IF EXISTS sessions, tokens CASCADE;

-- case: unsafe a table created by an earlier migration existed before this one
-- migration: context
CREATE TABLE audit (id bigint);
-- migration: phase=post
-- expect: GW102@15
DROP TABLE audit;

-- case: safe a table created in the same migration holds no data yet
-- expect: none
CREATE TABLE scratch (id int);
INSERT INTO scratch VALUES (1);
DROP TABLE scratch;

-- case: safe a table rebuild: the new table takes the old name in the same migration
-- migration: phase=post
-- expect: none
CREATE TABLE users_new (id bigint PRIMARY KEY, email text NOT NULL);
INSERT INTO users_new SELECT id, email FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
