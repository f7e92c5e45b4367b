-- case: unsafe drop a column in a pre migration
-- expect: GW103@3
ALTER TABLE users DROP COLUMN legacy_name;

-- case: unsafe drop a column in a post migration, statement over two lines
-- migration: phase=post
-- expect: GW103@8
ALTER TABLE users
  DROP COLUMN IF EXISTS legacy_name CASCADE;

-- case: safe a column of a table created in this migration
-- expect: none
CREATE TABLE t (a int, b int);
ALTER TABLE t DROP COLUMN b;

-- case: safe acknowledged in a post migration
-- migration: phase=post
-- expect: none
-- godwit:lint-ignore GW103 the app stopped reading legacy_name in 3.1
ALTER TABLE users DROP COLUMN legacy_name;
