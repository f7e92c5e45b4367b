-- case: unsafe drop a column
-- expect: GW103@3
ALTER TABLE users DROP COLUMN legacy_name;

-- case: unsafe DROP without the COLUMN keyword
-- migration: phase=post
-- expect: GW103@8
ALTER TABLE "users" DROP "legacy name";

-- case: safe adding a column
-- expect: none
ALTER TABLE users ADD COLUMN nickname TEXT;

-- case: safe a column of a table created in this migration
-- expect: none
CREATE TABLE t (a INTEGER, b TEXT);
ALTER TABLE t DROP COLUMN b;
