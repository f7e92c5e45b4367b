-- case: unsafe rename a column
-- expect: GW202@3
ALTER TABLE users RENAME COLUMN name TO full_name;

-- case: unsafe rename without the COLUMN keyword
-- expect: GW202@7
ALTER TABLE users RENAME name TO full_name;

-- case: safe in a post migration
-- migration: phase=post
-- expect: none
ALTER TABLE users RENAME COLUMN name TO full_name;

-- case: safe expand step: add the new column
-- expect: none
ALTER TABLE users ADD COLUMN full_name text;
