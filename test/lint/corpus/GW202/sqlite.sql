-- case: unsafe rename a column
-- expect: GW202@3
ALTER TABLE users RENAME COLUMN name TO full_name;

-- case: unsafe rename without the COLUMN keyword
-- expect: GW202@7
ALTER TABLE users RENAME "name" TO "full name";

-- case: safe in a post migration
-- migration: phase=post
-- expect: none
ALTER TABLE users RENAME COLUMN name TO full_name;

-- case: safe renaming the table is another rule, done in post here
-- migration: phase=post
-- expect: none
ALTER TABLE users RENAME TO people;
