-- case: unsafe RENAME COLUMN
-- expect: GW202@3
ALTER TABLE users RENAME COLUMN name TO full_name;

-- case: unsafe CHANGE with a new name renames (and redefines) the column
-- migration: context
CREATE TABLE users (id int PRIMARY KEY, name varchar(100));
-- migration:
-- expect: GW202@10
ALTER TABLE users CHANGE name full_name varchar(100);

-- case: safe CHANGE keeping the name and the type
-- migration: context
CREATE TABLE users (id int PRIMARY KEY, name varchar(100));
-- migration:
-- expect: none
ALTER TABLE users CHANGE COLUMN name name varchar(100), ALGORITHM=INPLACE;

-- case: safe in a post migration
-- migration: phase=post
-- expect: none
ALTER TABLE users RENAME COLUMN name TO full_name;
