-- case: unsafe drop an existing table
-- expect: GW102@3
DROP TABLE users;

-- case: unsafe quoted and schema-qualified names
-- migration: phase=post
-- expect: GW102@8
DROP TABLE IF EXISTS main."old users";

-- case: safe the SQLite 12-step table rebuild keeps the data under the same name
-- migration: phase=post
-- expect: none
CREATE TABLE "users_new" (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
INSERT INTO users_new (id, email) SELECT id, email FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

-- case: safe a table created in the same migration
-- expect: none
CREATE TABLE scratch (id INTEGER);
DROP TABLE [scratch];
